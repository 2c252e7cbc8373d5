"""``build_report``: the council report of one town and year as an A4 PDF (issue 6, brief §1, §5, §6).

Validates the request against the warehouse (clear German errors for an unknown town or year, a missing
or empty warehouse), gathers the content (:mod:`.content`), renders the dashboard's figures as PNG
(:mod:`.charts`) and lays out the PDF (:mod:`.pdf`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from dashboard.report import charts
from dashboard.report.content import report_content
from dashboard.report.pdf import FontMissingError, write_pdf
from dashboard.state import View
from etl import warehouse


class ReportError(RuntimeError):
    """The report cannot be built for this request; the message is German and names what is wrong."""


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def resolve_view(town: str, year: int, db: str | Engine | None) -> View:
    """The report's view; raises :class:`ReportError` for a missing warehouse, unknown town or year."""
    status = warehouse.check(db)
    if not status.ok:
        raise ReportError(status.message)
    towns = warehouse.towns(db=db)
    names = dict(zip(towns["ags"].astype(str), towns["name"].astype(str), strict=True))
    key = str(town).strip()
    if key not in names:
        by_name = {v.casefold(): k for k, v in names.items()}
        if key.casefold() not in by_name:
            listed = ", ".join(f"{n} ({a})" for a, n in list(names.items())[:5])
            more = f" und {len(names) - 5} weitere" if len(names) > 5 else ""
            raise ReportError(
                f"Die Stadt „{town}“ gibt es im Warehouse nicht. Bitte den achtstelligen AGS angeben, "
                f"z. B. {listed}{more}."
            )
        key = by_name[key.casefold()]
    years = warehouse.years(town=key, db=db)
    if not years:
        raise ReportError(f"Für {names[key]} ({key}) enthält das Warehouse keine Werte.")
    if int(year) not in years:
        raise ReportError(
            f"Für {names[key]} ({key}) liegen für das Jahr {year} keine Werte vor; vorhanden: {_span(years)}."
        )
    run = warehouse.latest_run(db=db)
    return View(key, names[key], int(year), "de", run.min_cell, tuple(years), db)  # type: ignore[arg-type]


def build_report(
    town: str,
    year: int,
    out: Path,
    as_of: dt.date | None = None,
    db: str | Engine | None = None,
) -> Path:
    """Write the German A4 report of ``town`` (AGS) for ``year`` to ``out`` and return its path.

    ``as_of`` names the goal-status date the reader asked for: the warehouse holds the status of its
    run's as-of date, which the report uses and names (nothing is recomputed). ``db`` is a URL or Engine
    as in :mod:`etl.warehouse`. Charts that cannot be rendered are left out with a note.
    """
    view = resolve_view(town, year, db)
    try:
        content = report_content(view, as_of)
    except warehouse.WarehouseError as exc:
        raise ReportError(str(exc)) from exc
    figures, owners = [], []
    for i, section in enumerate(content.sections):
        for chart in section.charts:
            figure = {"data": chart.figure.get("data", []), "layout": {**chart.figure.get("layout", {})}}
            figure["layout"]["height"] = chart.height
            figures.append(figure)
            owners.append(i)
    images: dict[int, list[bytes]] = {}
    note = ""
    try:
        for owner, png in zip(owners, charts.render_png(figures), strict=True):
            images.setdefault(owner, []).append(png)
    except charts.ChartError as exc:
        note = f"{exc} Die Tabellen enthalten alle Werte."
        for section in content.sections:
            section.charts = []
    try:
        return write_pdf(content, Path(out), images, note, charts.WIDTH)
    except FontMissingError as exc:
        raise ReportError(str(exc)) from exc
