"""The Dash application: Pages, Bootstrap theme, the shell, the warehouse URL in the Flask config.

Bootstrap's CSS (5.2.3, MIT, from Debian's libjs-bootstrap5) is served from ``assets/`` rather than a CDN:
the dashboard must work offline and in council meeting rooms without internet.

The app starts whatever state the warehouse is in: a missing or empty warehouse is a German message
on every page (checked per request), so the server can run before the first ETL run and pick it up.
"""

from __future__ import annotations

from pathlib import Path

import dash

from dashboard.components import shell
from dashboard.i18n import t
from dashboard.report.route import register_report_route
from etl.db import database_url

HERE = Path(__file__).resolve().parent


def create_app(db_url: str | None = None) -> dash.Dash:
    """A ready Dash app reading the warehouse at ``db_url`` (None: ENGAGE_DATABASE_URL, else
    data/warehouse.sqlite). Debug stays off; serve it with :func:`dashboard.server.serve`."""
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        title=t("app.title"),
        update_title=None,
        suppress_callback_exceptions=False,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        serve_locally=True,
    )
    app.server.config["ENGAGE_DB_URL"] = database_url(db_url)
    register_report_route(app.server, app.server.config["ENGAGE_DB_URL"])
    app.layout = shell.layout(dash.page_container)
    shell.register_callbacks(app)
    app.index_string = app.index_string.replace("<html>", '<html lang="de">')
    return app
