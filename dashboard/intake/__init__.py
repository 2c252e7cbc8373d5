"""Bringing data in the browser (issue 14): the dashboard's one write path, kept apart from the read-only pages.

A coordination office drops an export on the page "Daten einspielen"; the file is checked as untrusted
input (:mod:`.guards`), staged in the source folder (:mod:`.store`), recognised and previewed by the real
ETL in a background job (:mod:`.recognise`, :mod:`.preview`), and only on confirmation written into the
source folder, entered into ``engage.toml`` (:mod:`.manifest_edit`) and loaded by a real ETL run
(:mod:`.publish`). Jobs wait in a queue in the source folder and are run one at a time per lane by the
intake worker process that ``engage serve --source-dir`` starts (:mod:`.worker`), never in a web request.

Nothing under ``dashboard.pages`` or ``dashboard.views`` imports this package (a test checks it): the pages
that show data cannot reach the code that writes it. :func:`install` wires the page into an app.
"""

from __future__ import annotations

from dashboard.intake.config import IntakeConfig

__all__ = ["IntakeConfig", "install"]


def install(app, config: IntakeConfig) -> None:  # noqa: ANN001 - a dash.Dash
    """Register the page "Daten einspielen", its callbacks, its nav link and its request checks on ``app``."""
    from dashboard.intake import page

    page.install(app, config)
