"""What the council report says: read from the warehouse, formatted in the view's language, nothing recomputed.

:func:`report_content` gathers one town's year into a :class:`ReportContent` – content only, no layout, in
German or English (``view.lang``; every text from :mod:`dashboard.i18n`, numbers and dates through
:mod:`dashboard.formatting`). Page 1 is :class:`Summary`: the same headline statements as the dashboard's
overview and the Sitzungsmodus (from :func:`dashboard.headlines.headlines`, the one source of the three), the
goals at a glance with their status marks, and one chart. Then one :class:`Section` per indicator family with
the dashboard's own figures (built by the same view functions the pages call), method notes and the sources
of the run log. Every chart carries an alternative text built from its own table alternative (the
``ChartResult`` data the dashboard shows beside it), so what a screen-reader user hears is what the chart
draws. The print layout (:mod:`.layout`) only lays it out. A suppressed value is "–" with the reason of its
kind in every cell (:mod:`dashboard.suppression`); no suppressed number is ever read. A warehouse built with
the public demo key says so on every page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from dashboard import series, weighting
from dashboard.components.chart_card import ChartResult
from dashboard.figures import Figure, goal_progress
from dashboard.formatting import SUPPRESSED, fmt_date, fmt_datetime, fmt_int, fmt_interval
from dashboard.headlines import (
    STATUS_MARK,
    STATUS_ORDER,
    Finding,
    GlanceRow,
    change_line,
    findings_of,
    heading,
    headlines,
    percent,
    status_date_of,
    status_year,
    value_text,
)
from dashboard.i18n import label, t
from dashboard.state import View
from dashboard.suppression import reason_for
from dashboard.tables import table_rows
from dashboard.views import collaboration, districts, goals, participation
from dashboard.views.goals import indicator_units
from dashboard.wording import goal_value
from etl import warehouse

PARTICIPATION = [
    "engagement_rate",
    "participation_rate",
    "willingness_rate",
    "hours_per_month",
    "ease_agree",
    "info_agree",
    "recognition_agree",
    "office_awareness",
    "registered_volunteers",
    "registered_per_1000",
    "new_volunteers",
    "retention_rate",
    "events",
    "event_participants",
    "multi_sector_event_share",
]
COLLABORATION = [
    "network_density",
    "cross_sector_tie_share",
    "degree_centralization",
    "sector_balance",
    "trust_mean",
    "value_mean",
    "equal_footing_agree",
    "equal_footing_gap",
    "paid_volunteer_cooperation_agree",
]
GOAL_INDICATORS = ["measures_done_share", "measures_overdue"]

GOAL_COLUMNS = ["goal", "title", "baseline", "current", "target_value", "target_date", "progress", "expected", "status"]
GLANCE_COLUMNS = ["status", "goal_reason", "current", "target_value", "progress_expected", "since"]
SOURCE_COLUMNS = ["source", "file", "read", "accepted", "rejected", "skipped"]
MAX_SOURCES = 30
ALT_ROWS = 24  # rows of a chart's table named in its alternative text; the rest are in the table below it


def header(columns: list[str], lang: str) -> list[str]:
    """Column names of a report table (keys ``report.col.*``)."""
    return [t(f"report.col.{c}", lang) for c in columns]


def source_header(lang: str = "de") -> list[str]:
    return header(SOURCE_COLUMNS, lang)


def value_header(year: int, lang: str = "de") -> list[str]:
    """The columns of a family's value table, named with the actual year (not "Vorjahr"); a value of another
    year says its year in its cell (:func:`value_row`)."""
    value = t("report.col.value", lang, year=year)
    return [*header(["indicator"], lang), value, *header(["change", "n", "interval"], lang)]


def summary_header(year: int, lang: str = "de") -> list[str]:
    value = t("report.col.value", lang, year=year)
    return [*header(["indicator"], lang), value, *header(["change", "target", "sure"], lang)]


@dataclass
class Chart:
    """A chart of the report: title, the dashboard's figure dict, the height it is drawn at (px), and its
    alternative text (what it shows, with the values of its table alternative)."""

    title: str
    figure: Figure
    height: int = 330
    alt: str = ""


@dataclass
class Section:
    """One page of the report: a family with its finding, charts, a table and notes."""

    title: str
    heading: str
    charts: list[Chart]
    header: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class SummaryFigure:
    """One headline figure of page 1, as the overview card and the meeting tile state it."""

    name: str
    value: str
    change: str
    target: str
    detail: str


@dataclass
class Summary:
    """Page 1: the headline statement, the headline figures, the goals of the year's end at a glance."""

    statement: str  # "Musterstadt 2025: 2 von 4 Kennzahlen haben sich verbessert"
    improved: int
    judged: int
    header: list[str]
    figures: list[SummaryFigure]
    goals_heading: str  # "3 von 9 Zielen erreicht oder im Plan"
    goals_ratio: str  # "3 von 9"
    goals_counts: str  # "4 nicht im Plan · 1 gefährdet · …"
    goals_as_of: str  # "Stand: 31.12.2024"
    glance_header: list[str]
    glance: list[GlanceRow]
    rows: list[list[str]]  # the headline table: Kennzahl, Wert {year}, Veränderung, Ziel und Status, n · Intervall
    marks: str  # the legend of the status marks
    chart: Chart | None = None  # the one chart of page 1


@dataclass
class ReportContent:
    """Everything the PDF shows, as text in ``lang`` (and figure dicts for the charts)."""

    lang: str
    town: str
    town_name: str
    year: int
    data_date: dt.datetime | None
    run_id: int
    project: str
    stored_as_of: dt.date  # the run's as-of date
    status_date: dt.date  # the date the report's goal status describes (31.12. of the year, or as-of)
    requested_as_of: dt.date | None
    min_cell: int
    summary: Summary
    sections: list[Section]
    method_notes: list[str]
    source_rows: list[list[str]]
    source_note: str
    footer: str
    title: str  # the document title (PDF /Title, shown by the viewer)
    kicker: str
    heading: str  # the report's H1
    meta: str  # AGS, data date, run under the H1
    methods_heading: str
    methods_lead: str
    sources_heading: str
    sources_caption: str
    chart_note: str = ""  # why the charts are missing ('' when they are drawn)
    demo_notice: str = ""  # the demo-key banner ('' for a warehouse of real pseudonyms)

    @property
    def as_of_note(self) -> str:
        """Which date the goal status refers to; says so when another date was asked for."""
        lang, date = self.lang, fmt_date(self.status_date, self.lang)
        if self.status_date == self.stored_as_of:
            text = t("report.status_stored", lang, date=date)
        else:
            text = t("report.status_year_end", lang, date=date)
        if self.requested_as_of is None or self.requested_as_of == self.stored_as_of:
            return text
        return t(
            "report.status_requested",
            lang,
            requested=fmt_date(self.requested_as_of, lang),
            run=self.run_id,
            stored=fmt_date(self.stored_as_of, lang),
            text=text,
        )


def dated_value(f: Finding, lang: str = "de") -> str:
    """The value as shown, with its year when it is not of the year the column names ("38,9 % (Stand: 2023)")."""
    text = value_text(f, lang)
    if f.shown and f.value_year is not None and f.value_year != f.year:
        return t("report.value_as_of", lang, value=text, year=f.value_year)
    return text


def value_row(f: Finding, reason: str, lang: str = "de") -> list[str]:
    """Kennzahl, Wert, Veränderung, n, 95-%-Intervall – suppressed: "–" with the reason."""
    if f.state == "missing":
        return [f.name, SUPPRESSED, change_line(f, reason, lang), "", ""]
    if f.state == "suppressed":
        why = reason_for(f.suppression, reason, lang)
        return [f.name, f"{SUPPRESSED} ({why})", "", SUPPRESSED, SUPPRESSED]
    interval = fmt_interval(f.low, f.high, f.unit, lang) if f.low is not None and f.high is not None else ""
    weighting = t("report.unweighted", lang) if f.weighted is False else ""
    return [f.name, dated_value(f, lang) + weighting, change_line(f, reason, lang), fmt_int(f.n, lang), interval]


def goal_rows(status: pd.DataFrame, cat: pd.DataFrame, lang: str = "de") -> list[list[str]]:
    """The goal table: one row per goal with the progress and status of the year's end, values in their unit."""
    rows = []
    frame = status.sort_values("goal_id")
    units = indicator_units(frame, cat)
    for g, unit in zip(frame.to_dict("records"), units, strict=True):  # a goal plan's handful of rows
        plan_unit = g["unit"] if isinstance(g.get("unit"), str) else None
        current = g["current"]
        rows.append(
            [
                str(g["goal_id"]),
                str(g["title"]),
                goal_value(g["baseline"], unit, plan_unit, lang),
                label("status", "no_data", lang) if pd.isna(current) else goal_value(current, unit, plan_unit, lang),
                goal_value(g["target"], unit, plan_unit, lang),
                fmt_date(g["target_date"], lang),
                percent(g["progress"], lang),
                percent(g["expected"], lang),
                f"{STATUS_MARK.get(str(g['status']), '○')} {label('status', g['status'], lang)}",
            ]
        )
    return rows


def alt_text(title: str, result: ChartResult, lang: str) -> str:
    """What a chart shows for a reader who cannot see it: its title and the values of its table alternative
    (the same ``ChartResult`` the figure is drawn from), at most :data:`ALT_ROWS` rows."""
    columns = result.columns
    rows = table_rows(result.data, columns, lang) if columns and not result.data.empty else []
    names = [t(c.header, lang) for c in columns]
    parts = []
    for row in rows[:ALT_ROWS]:
        cells = [
            cell if not column.numeric else f"{name} {cell}"
            for column, name, cell in zip(columns, names, row, strict=True)
            if cell
        ]
        parts.append(", ".join(cells))
    if len(rows) > ALT_ROWS:
        parts.append(t("report.alt_more", lang, n=len(rows) - ALT_ROWS))
    return t("report.alt", lang, title=title, values="; ".join(parts) or t("report.no_data", lang))


def _charts(view: View, specs: list[tuple[str, object, int]]) -> tuple[list[Chart], list[str]]:
    """The dashboard's charts (same view functions as the pages); a chart without data becomes a note.
    A height of 0 keeps the builder's own height (the goal chart grows with the number of goals)."""
    charts, notes = [], []
    for title, build, height in specs:
        result = build(view, {})  # type: ignore[operator]
        if result.figure and result.figure.get("data"):
            own = int(result.figure.get("layout", {}).get("height") or 340)
            charts.append(Chart(title, result.figure, height or min(own, 620), alt_text(title, result, view.lang)))
            notes += [n for n in result.notes if n not in notes]
        else:
            notes.append(f"{title}: {result.notes[0] if result.notes else t('report.no_data', view.lang)}")
    return charts, notes


def _goal_chart(view: View, controls: dict[str, object]) -> ChartResult:
    """The dashboard's goal-progress chart with the goal ids as labels (the table below has the titles)."""
    result = goals.progress(view, controls)
    frame, _as_of = goals.year_status(view)
    if frame.empty or not result.figure.get("data"):
        return result
    figure = goal_progress(frame.sort_values("goal_id").assign(label=frame["goal_id"]), view.lang)
    return ChartResult(figure, result.data, result.columns, result.notes)


def district_map(view: View) -> tuple[list[Chart], list[str]]:
    """The map of the engagement rate by district, where the town has district shapes (issue 16).

    Returns the chart and its notes: the values by district as one line (print has no hover), why a
    district is hatched, and that demo shapes are made up. Without shapes: nothing at all.
    """
    if not districts.has_shapes(view):
        return [], []
    lang = view.lang
    title = t("report.chart.map", lang, year=view.year)
    result = districts.engagement_map(view, {})
    if not result.figure.get("data"):
        return [], [f"{title}: {result.notes[0] if result.notes else t('report.no_data', lang)}"]
    line = t("report.map_values", lang, year=view.year, values=districts.district_lines(result, lang))
    return [Chart(title, result.figure, 520, alt_text(title, result, lang))], [line, *result.notes]


def _files(values: pd.DataFrame) -> list[str]:
    cells = values["source_files"].dropna().astype(str)
    return list(dict.fromkeys(f for cell in cells for f in cell.split(",") if f))


def summary_of(view: View, chart: Chart | None = None) -> Summary:
    """Page 1 from the one source of the headline statements; ``chart``: its one chart."""
    h, lang = headlines(view), view.lang
    figures = [SummaryFigure(f.name, f.value, f.change, f.target, f.detail) for f in h.figures]  # as the cards say
    marks = " · ".join(f"{STATUS_MARK[s]} {label('status', s, lang)}" for s in reversed(STATUS_ORDER))
    return Summary(
        statement=h.statement,
        improved=h.improved,
        judged=h.judged,
        header=summary_header(view.year, lang),
        figures=figures,
        goals_heading=h.goals.heading,
        goals_ratio=h.goals.ratio,
        goals_counts=h.goals.counts_text,
        goals_as_of=h.goals.as_of_text,
        glance_header=header(GLANCE_COLUMNS, lang),
        glance=h.glance,
        rows=[  # the value column is named with the year: a value of an earlier year says its year
            [f.name, dated_value(f.finding, lang), f.change, f.target or t("report.no_goal", lang), f.detail]
            for f in h.figures
        ],
        marks=t("report.marks", lang, marks=marks),
        chart=chart,
    )


def report_content(view: View, requested_as_of: dt.date | None = None) -> ReportContent:
    """Gather the report of ``view`` (one town, one year; in ``view.lang``) from the warehouse."""
    db, year, reason, lang = view.db, view.year, view.reason, view.lang
    cat = series.catalogue(view)
    run = warehouse.latest_run(db=db)
    all_ind = list(dict.fromkeys(PARTICIPATION + COLLABORATION + GOAL_INDICATORS))
    trend = series.trend(view, all_ind)
    trend = trend[trend["year"] <= year]
    status = warehouse.goal_status(town=view.town, year=status_year(year, run.as_of), db=db)
    values = warehouse.indicators(town=view.town, db=db)  # provenance of every town total shown (≤ year)
    values = values[values["year"] <= year]
    run_files = warehouse.runs(db=db)
    # page 1's chart: the headline rate over the years (the participation page does not repeat it)
    first_charts, first_notes = _charts(view, [(t("report.chart.rates", lang), participation.rates, 180)])
    summary = summary_of(view, first_charts[0] if first_charts else None)

    # participation
    part = findings_of(view, trend, cat, PARTICIPATION, year, run.as_of)
    part_charts, part_notes = _charts(view, [(t("report.chart.registrations", lang), participation.registrations, 280)])
    part_notes = [*first_notes, *(n for n in part_notes if n not in first_notes)]
    map_charts, map_notes = district_map(view)
    part_charts += map_charts
    part_notes += [n for n in map_notes if n not in part_notes]
    participation_section = Section(
        t("page.participation", lang),
        heading(part[0], reason, lang),
        part_charts,
        value_header(year, lang),
        [value_row(f, reason, lang) for f in part],
        part_notes,
        (27, 15, 33, 7, 18),
    )

    # collaboration: the latest partner-survey wave up to the year
    wave = series.latest_wave(view)
    col_year = wave if wave is not None else year
    col = findings_of(view, trend, cat, COLLABORATION, col_year, run.as_of)
    col_charts, col_notes = _charts(
        view,
        [
            (t("report.chart.equal_footing", lang), collaboration.equal_footing, 280),
            (t("report.chart.ratings", lang), collaboration.ratings, 300),
        ],
    )
    col_heading = heading(col[0], reason, lang)
    if wave is None:
        col_heading = t("msg.no_wave", lang, town=view.town_name, year=year)
    collaboration_section = Section(
        t("page.collaboration", lang),
        col_heading,
        col_charts,
        value_header(col_year, lang),
        [value_row(f, reason, lang) for f in col],
        col_notes,
        (27, 15, 33, 7, 18),
    )

    # goals and measures, as they stood at the year's end
    measures = findings_of(view, trend, cat, GOAL_INDICATORS, year, run.as_of)
    goal_charts, goal_notes = _charts(view, [(t("report.chart.goals", lang), _goal_chart, 0)])
    as_of_prefix = t("goals.as_of", lang, date="")
    goal_notes = [n for n in goal_notes if not n.startswith(as_of_prefix)]
    goal_notes += [" · ".join(f"{f.name}: {value_row(f, reason, lang)[1]}" for f in measures)]
    goal_section = Section(
        t("page.goals", lang),
        summary.goals_heading + (f" ({summary.goals_as_of})" if summary.goals_as_of else ""),
        goal_charts,
        header(GOAL_COLUMNS, lang),
        goal_rows(status, cat, lang),
        goal_notes,
        (6, 22, 11, 11, 11, 10, 9, 9, 11),
    )

    # the goal plan and the population files first: the goal plan is the source of the goals at a glance, and the
    # population weighted the survey (no indicator names it as its source), yet the reader must see them (and
    # their rows of other regions, skipped) to account for every row read (§4)
    town_files = _files(values)
    kinds = run_files["kind"].astype(str) if len(run_files) else pd.Series(dtype=str)
    plan = run_files[(kinds == "goals") & run_files["file"].isin(town_files)] if len(run_files) else run_files
    population = run_files[kinds == "population"] if len(run_files) else run_files
    rest = run_files[run_files["file"].isin(town_files) & (kinds != "goals")] if len(run_files) else run_files
    shown = pd.concat([plan, population, rest]).drop_duplicates("file") if len(run_files) else run_files
    source_rows = [
        [
            str(r.source),
            str(r.file),
            fmt_int(r.rows_read, lang),
            fmt_int(r.rows_accepted, lang),
            fmt_int(r.rows_rejected, lang),
            fmt_int(r.rows_skipped, lang),
        ]
        for r in shown.head(MAX_SOURCES).itertuples()
    ]
    source_note = (
        t("report.sources_limited", lang, shown=MAX_SOURCES, total=len(shown)) if len(shown) > MAX_SOURCES else ""
    )
    this_year = trend[trend["year"] == year]
    weighting_note = (
        t("report.m.unweighted", lang, reason=weighting.reason_words(this_year, lang))
        if series.unweighted(this_year)
        else t("report.m.weighted", lang)
    )
    method_notes = [
        weighting_note,
        t("report.m.uncertainty", lang),
        t(
            "report.m.privacy",
            lang,
            min_cell=run.min_cell,
            dash=SUPPRESSED,
            primary=t("msg.suppressed", lang, min_cell=run.min_cell),
            secondary=t("msg.suppressed_secondary", lang),
        ),
        t("report.m.change", lang),
        t("report.m.goals", lang),
        t("report.m.nothing_new", lang),
    ]
    data_date = run.finished_at
    date_text = fmt_datetime(data_date, lang)
    town_name = view.town_name
    return ReportContent(
        lang=lang,
        town=str(view.town),
        town_name=view.town_name,
        year=year,
        data_date=data_date,
        run_id=run.run_id,
        project=run.project_name,
        stored_as_of=run.as_of,
        status_date=status_date_of(year, run.as_of),
        requested_as_of=requested_as_of,
        min_cell=run.min_cell,
        summary=summary,
        sections=[participation_section, collaboration_section, goal_section],
        method_notes=method_notes,
        source_rows=source_rows,
        source_note=source_note,
        footer=t("report.footer", lang, town=town_name, ags=view.town, year=year, date=date_text, run=run.run_id),
        title=t("report.doc_title", lang, town=town_name, year=year),
        kicker=t("report.kicker", lang, project=run.project_name),
        heading=t("report.title", lang, town=town_name, year=year),
        meta=t("report.meta", lang, ags=view.town, date=date_text, run=run.run_id),
        methods_heading=t("report.methods", lang),
        methods_lead=t("report.methods_lead", lang),
        sources_heading=t("report.sources", lang, run=run.run_id, date=date_text),
        sources_caption=t("report.sources_caption", lang),
        demo_notice=t("shell.demo", lang) if run.demo_key else "",
    )
