"""``build_report``: the council report of one town and year as a tagged A4 PDF (issues 6 and 15, brief §1, §5, §6).

Validates the request against the warehouse (clear errors in the report's language for an unknown town or
year, a missing or empty warehouse), gathers the content in German or English (:mod:`.content`), renders the dashboard's
figures as PNG (:mod:`.charts`), lays them out as one HTML document (:mod:`.layout`) and has Chromium print
it to a tagged PDF (:mod:`.printer`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from dashboard.i18n import norm_lang, t
from dashboard.report import charts, layout, printer
from dashboard.report.content import report_content
from dashboard.state import View
from etl import warehouse


class ReportError(RuntimeError):
    """The report cannot be built for this request; the message is German and names what is wrong."""


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def resolve_view(town: str, year: int, db: str | Engine | None, lang: str = "de") -> View:
    """The report's view in ``lang``; raises :class:`ReportError` for a missing warehouse, unknown town or year
    (the message in ``lang``)."""
    lang = norm_lang(lang)
    status = warehouse.check(db)
    if not status.ok:
        raise ReportError(status.text(lang))
    towns = warehouse.towns(db=db)
    names = dict(zip(towns["ags"].astype(str), towns["name"].astype(str), strict=True))
    key = str(town).strip()
    if key not in names:
        by_name = {v.casefold(): k for k, v in names.items()}
        if key.casefold() not in by_name:
            listed = ", ".join(f"{n} ({a})" for a, n in list(names.items())[:5])
            more = t("report.err.more", lang, n=len(names) - 5) if len(names) > 5 else ""
            raise ReportError(t("report.err.town", lang, town=town, listed=listed, more=more))
        key = by_name[key.casefold()]
    years = warehouse.years(town=key, db=db)
    if not years:
        raise ReportError(t("report.err.empty", lang, name=names[key], ags=key))
    if int(year) not in years:
        raise ReportError(t("report.err.year", lang, name=names[key], ags=key, year=year, years=_span(years)))
    run = warehouse.latest_run(db=db)
    return View(key, names[key], int(year), lang, run.min_cell, tuple(years), db)  # type: ignore[arg-type]


def build_report(
    town: str,
    year: int,
    out: Path,
    as_of: dt.date | None = None,
    db: str | Engine | None = None,
    lang: str = "de",
) -> Path:
    """Write the A4 report of ``town`` (AGS) for ``year`` in ``lang`` ("de" or "en") to ``out``; return its path.

    ``as_of`` names the goal-status date the reader asked for: the warehouse holds the status of its
    run's as-of date, which the report uses and names (nothing is recomputed). ``db`` is a URL or Engine
    as in :mod:`etl.warehouse`. Charts that cannot be rendered are left out with a note.
    """
    view = resolve_view(town, year, db, lang)
    try:
        content = report_content(view, as_of)
    except warehouse.WarehouseError as exc:
        raise ReportError(exc.text(view.lang)) from exc
    summary_chart = content.summary.chart
    owned = [(None, summary_chart)] if summary_chart is not None else []
    owned += [(i, chart) for i, section in enumerate(content.sections) for chart in section.charts]
    figures = []
    for _owner, chart in owned:
        figure = {"data": chart.figure.get("data", []), "layout": {**chart.figure.get("layout", {})}}
        figure["layout"]["height"] = chart.height
        figures.append(figure)
    images: dict[int, list[bytes]] = {}
    summary_png = None
    try:
        for (owner, _chart), png in zip(owned, charts.render_png(figures), strict=True):
            if owner is None:
                summary_png = png
            else:
                images.setdefault(owner, []).append(png)
    except charts.ChartError:  # the browser's own words are technical and German: the note says what it means
        content.chart_note = t("report.no_charts", view.lang)
        content.summary.chart = None
        for section in content.sections:
            section.charts = []
    html = layout.report_html(content, summary_png, images)
    try:
        pdf = printer.print_pdf(html, layout.footer_html(content))
    except printer.PrintError as exc:
        raise ReportError(str(exc)) from exc
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    return out
