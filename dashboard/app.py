"""The Dash application: Pages, Bootstrap theme, the shell, sign-in, headers, caches, the report route.

Bootstrap's CSS (5.2.3, MIT, from Debian's libjs-bootstrap5) is served from ``assets/`` rather than a CDN:
the dashboard must work offline and in council meeting rooms without internet.

The app starts whatever state the warehouse is in: a missing or empty warehouse is a German message
on every page (checked per request), so the server can run before the first ETL run and pick it up.

Hosting (issue 12): every request passes the sign-in gate first (:mod:`dashboard.auth.signin`), which
sets the account's scope for the warehouse reads; then the callback check and the security headers
(:mod:`dashboard.auth.headers`), then the shared caches and compression (:mod:`dashboard.caching`). The
process refuses warehouse reads without a scope from then on (``warehouse.require_scope``).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import dash
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard import caching, published
from dashboard.auth import headers, signin
from dashboard.auth.secret import session_secret
from dashboard.components import preload, shell, titles
from dashboard.i18n import t
from dashboard.report.route import register_report_route
from etl import warehouse
from etl.db import database_url

if TYPE_CHECKING:
    from dashboard.intake.config import IntakeConfig

HERE = Path(__file__).resolve().parent


def _temporary_runtime() -> Path:
    """A runtime folder of this process only (owner-only), removed when it ends."""
    folder = Path(tempfile.mkdtemp(prefix="engage-serve-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def create_app(
    db_url: str | None = None,
    *,
    runtime_dir: Path | None = None,
    open_allowed: bool = True,
    behind_proxy: bool = False,
    secret_key: str | None = None,
    intake: IntakeConfig | None = None,
) -> dash.Dash:
    """A ready Dash app reading the warehouse at ``db_url`` (None: ENGAGE_DATABASE_URL, else
    data/warehouse.sqlite). Debug stays off; serve it with :func:`dashboard.server.serve`.

    ``runtime_dir``: the folder the worker processes share (caches, rate-limit counters, PDFs); a fresh
    temporary one when None. ``open_allowed``: the server listens on loopback only, so a warehouse without
    accounts may be used without sign-in. ``behind_proxy``: trust one reverse proxy's X-Forwarded-For/-Proto
    (client address for the rate limit; TLS for Secure cookies and HSTS). ``secret_key``: the session key
    (None: :func:`dashboard.auth.secret.session_secret`). ``intake``: the source folder and limits of the page
    "Daten einspielen" (:mod:`dashboard.intake`; None: no such page — the dashboard only reads).
    """
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
    server = app.server
    db = database_url(db_url)
    server.config["ENGAGE_DB_URL"] = db
    runtime = runtime_dir or _temporary_runtime()
    if behind_proxy:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    signin.install(server, db, runtime, open_allowed, secret_key or session_secret(db))
    # ?run=N and /daten/lauf-N.zip: after the gate, before the callback cache
    published.install(server, db, runtime / "pakete")
    register_report_route(server, db, runtime / "berichte", user_of_request=signin.account_name)
    app.layout = shell.layout(dash.page_container)
    shell.register_callbacks(app)
    signin.register_user_area(app)
    if intake is not None:
        from dashboard.intake import install as install_intake

        install_intake(app, intake)  # the one write path; never imported by the read-only pages
    titles.install(app)  # <html lang> and the tab title in the page's language
    preload.install(app)  # plotly.js fetched beside the other scripts, not after three round trips
    headers.install(app)
    caching.install(server, db, runtime)  # after the gate and the callback check
    signin.run_gate_first(server)
    warehouse.share_reads(runtime / "reads")
    # Dash sets itself up (collects the callbacks) on its first request, with a flag but no lock: with several
    # threads, a request could find half the callbacks and fail. Done here once, before any request or fork.
    with server.test_request_context("/"):
        app._setup_server()  # noqa: SLF001 - Dash offers no public call for it
    warehouse.require_scope()
    return app
