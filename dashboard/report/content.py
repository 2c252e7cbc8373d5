"""What the council report says: read from the warehouse, formatted in German, nothing recomputed.

:func:`report_content` gathers one town's year into a :class:`ReportContent`: the summary rows (value,
previous value, change, linked goal and its stored status, n and interval), one :class:`Section` per
indicator family with the dashboard's own figures (built by the same view functions the pages call),
the goal table, method notes and the sources of the run log. The PDF layout (:mod:`.pdf`) only draws it.
A suppressed value is "–" with the reason in every cell; no suppressed number is ever read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from dashboard import series
from dashboard.components.chart_card import ChartResult
from dashboard.figures import Figure, goal_progress
from dashboard.formatting import SUPPRESSED, fmt_change, fmt_date, fmt_datetime, fmt_int, fmt_interval, fmt_number
from dashboard.formatting import fmt_value as _fmt_value
from dashboard.i18n import label
from dashboard.state import View
from dashboard.views import collaboration, districts, goals, participation
from dashboard.views.meeting import (
    OK_STATUSES,
    Finding,
    finding,
    goals_heading,
    heading,
    overview_heading,
    status_counts,
    target_line,
    uncertain,
)
from etl import warehouse

SUMMARY = [
    "engagement_rate",
    "participation_rate",
    "registered_per_1000",
    "new_volunteers",
    "network_density",
    "equal_footing_agree",
    "measures_done_share",
    "measures_overdue",
]
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

VALUE_HEADER = ["Kennzahl", "Wert", "Vorjahr", "Veränderung", "n", "95-%-Intervall"]
GOAL_HEADER = ["Ziel", "Titel", "Ausgangswert", "Aktuell", "Zielwert", "Zieldatum", "Fortschritt", "Erwartet", "Status"]
SOURCE_HEADER = ["Quelle", "Datei", "gelesen", "übernommen", "abgewiesen"]
MAX_SOURCES = 30


@dataclass
class Chart:
    """A chart of the report: title, the dashboard's figure dict, the height it is drawn at (px)."""

    title: str
    figure: Figure
    height: int = 330


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


@dataclass
class ReportContent:
    """Everything the PDF shows, as German text (and figure dicts for the charts)."""

    town: str
    town_name: str
    year: int
    data_date: dt.datetime | None
    run_id: int
    project: str
    stored_as_of: dt.date
    requested_as_of: dt.date | None
    min_cell: int
    headline: str
    summary_header: list[str]
    summary_rows: list[list[str]]
    summary_findings: list[str]
    goals_line: str
    sections: list[Section]
    method_notes: list[str]
    source_rows: list[list[str]]
    source_note: str
    footer: str

    @property
    def as_of_note(self) -> str:
        """Which date the goal status refers to; says so when another date was asked for."""
        stored = fmt_date(self.stored_as_of)
        if self.requested_as_of is None or self.requested_as_of == self.stored_as_of:
            return f"Der Zielstatus bezieht sich auf den Stichtag {stored}."
        return (
            f"Hinweis: Angefragt wurde der Stichtag {fmt_date(self.requested_as_of)}. Der Zielstatus im Warehouse "
            f"wurde vom ETL-Lauf Nr. {self.run_id} für den Stichtag {stored} berechnet und bezieht sich auf diesen "
            f"Tag. Für einen anderen Stichtag den Lauf wiederholen: engage run QUELLORDNER --as-of JJJJ-MM-TT."
        )


def fmt_value(value: object, unit: str) -> str:
    return _fmt_value(value, unit, "de")  # type: ignore[arg-type]


def _hib(cat: pd.DataFrame, indicator: str) -> bool | None:
    if indicator not in cat.index:
        return None
    value = cat.at[indicator, "higher_is_better"]
    return None if value is None or value is pd.NA else bool(value)


def findings_for(view: View, trend: pd.DataFrame, cat: pd.DataFrame, indicators: list[str], year: int) -> list[Finding]:
    return [
        finding(
            trend,
            ind,
            year,
            series.name(cat, ind, "de"),
            series.unit(cat, ind),
            _hib(cat, ind),
            network=view.is_network,
        )
        for ind in indicators
    ]


def value_row(f: Finding, reason: str) -> list[str]:
    """Kennzahl, Wert, Vorjahr, Veränderung, n, 95-%-Intervall – suppressed: "–" with the reason."""
    if f.state == "missing":
        return [f.name, SUPPRESSED, "", "keine Daten", "", ""]
    if f.state == "suppressed":
        return [f.name, f"{SUPPRESSED} ({reason})", "", "", SUPPRESSED, SUPPRESSED]
    if f.previous_suppressed:
        previous = f"{f.previous_year}: {SUPPRESSED} ({reason})"
    elif f.previous is not None:
        previous = f"{f.previous_year}: {fmt_value(f.previous, f.unit)}"
    else:
        previous = "kein Vorwert"
    change = fmt_change(f.value - f.previous, f.unit, "de") if f.previous is not None else ""  # type: ignore[operator]
    if f.state == "same":
        change += " (unverändert)"
    interval = fmt_interval(f.low, f.high, f.unit, "de") if f.low is not None and f.high is not None else ""
    weighting = " (ungewichtet)" if f.weighted is False else ""
    return [f.name, fmt_value(f.value, f.unit) + weighting, previous, change, fmt_int(f.n), interval]


def summary_row(f: Finding, reason: str, goals_frame: pd.DataFrame) -> list[str]:
    row = value_row(f, reason)
    target = target_line(f, goals_frame, "de").replace(" · ", " – ")
    return [row[0], row[1], row[2], row[3], target or "kein verknüpftes Ziel", " · ".join(x for x in row[4:] if x)]


def _goal_number(value: object, goal: pd.Series, cat: pd.DataFrame) -> str:
    """A goal's baseline/current/target in its indicator's unit, else with the goal plan's own unit."""
    indicator = goal.get("indicator")
    if isinstance(indicator, str) and indicator in cat.index:
        return fmt_value(value, str(cat.at[indicator, "unit"]))
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return SUPPRESSED
    decimals = 0 if float(value) == round(float(value)) else 1  # type: ignore[arg-type]
    unit = goal.get("unit")
    suffix = f" {unit}" if isinstance(unit, str) and unit else ""
    return fmt_number(value, decimals) + suffix  # type: ignore[arg-type]


def goal_rows(goals_frame: pd.DataFrame, cat: pd.DataFrame) -> list[list[str]]:
    """The goal table: one row per goal with the stored progress and status."""
    rows = []
    for _, g in goals_frame.iterrows():  # a goal plan has a handful of rows, not a data-sized loop
        rows.append(
            [
                str(g["goal_id"]),
                str(g["title"]),
                _goal_number(g["baseline"], g, cat),
                _goal_number(g["current"], g, cat),
                _goal_number(g["target"], g, cat),
                fmt_date(g["target_date"]),
                fmt_value(g["progress"], "share"),
                fmt_value(g["expected"], "share"),
                label("status", g["status"], "de"),
            ]
        )
    return rows


def _charts(view: View, specs: list[tuple[str, object, int]]) -> tuple[list[Chart], list[str]]:
    """The dashboard's charts (same view functions as the pages); a chart without data becomes a note.
    A height of 0 keeps the builder's own height (the goal chart grows with the number of goals)."""
    charts, notes = [], []
    for title, build, height in specs:
        result = build(view, {})  # type: ignore[operator]
        if result.figure and result.figure.get("data"):
            own = int(result.figure.get("layout", {}).get("height") or 340)
            charts.append(Chart(title, result.figure, height or min(own, 560)))
            notes += [n for n in result.notes if n not in notes]
        else:
            notes.append(f"{title}: {result.notes[0] if result.notes else 'keine Daten'}")
    return charts, notes


def _goal_chart(view: View, controls: dict[str, object]) -> ChartResult:
    """The dashboard's goal-progress chart with the goal ids as labels (the table below has the titles),
    and room left of zero so the text of a goal that moved backwards stays clear of the labels."""
    result = goals.progress(view, controls)
    frame = warehouse.goals(town=view.town, db=view.db)
    if frame.empty or not result.figure.get("data"):
        return result
    figure = goal_progress(frame.assign(label=frame["goal_id"]), "de")
    if (frame["progress"].astype("float64") < 0).any():
        figure["layout"]["xaxis"] = {**figure["layout"]["xaxis"], "range": [-1.25, 1.6]}
    return ChartResult(figure, result.data, result.columns, result.notes)


def district_map(view: View) -> tuple[list[Chart], list[str]]:
    """The map of the engagement rate by district, where the town has district shapes (issue 16).

    Returns the chart and its notes: the values by district as one line (print has no hover), why a
    district is hatched, and that demo shapes are made up. Without shapes: nothing at all.
    """
    if not districts.has_shapes(view):
        return [], []
    title = f"Karte: Engagementquote {view.year} nach Stadtteil"
    result = districts.engagement_map(view, {})
    if not result.figure.get("data"):
        return [], [f"{title}: {result.notes[0] if result.notes else 'keine Daten'}"]
    line = f"Engagementquote {view.year} nach Stadtteil: {districts.district_lines(result, 'de')}."
    return [Chart(title, result.figure, 520)], [line, *result.notes]


def _uncertain_notes(found: list[Finding]) -> list[str]:
    """One note naming every change that lies within the statistical uncertainty."""
    names = [f.name for f in found if uncertain(f)]
    if not names:
        return []
    return [
        "Innerhalb der statistischen Unsicherheit (95-%-Intervalle beider Jahre überlappen), also nicht "
        f"gesichert, ist die Veränderung bei: {', '.join(names)}."
    ]


def _files(values: pd.DataFrame) -> list[str]:
    cells = values["source_files"].dropna().astype(str)
    return list(dict.fromkeys(f for cell in cells for f in cell.split(",") if f))


def report_content(view: View, requested_as_of: dt.date | None = None) -> ReportContent:
    """Gather the report of ``view`` (one town, one year; German) from the warehouse."""
    db, year, reason = view.db, view.year, view.reason
    cat = series.catalogue(view)
    run = warehouse.latest_run(db=db)
    all_ind = list(dict.fromkeys(SUMMARY + PARTICIPATION + COLLABORATION + GOAL_INDICATORS))
    trend = series.trend(view, all_ind)
    trend = trend[trend["year"] <= year]
    goals_frame = warehouse.goals(town=view.town, db=db)
    values = warehouse.indicators(town=view.town, db=db)  # provenance of every town total shown (≤ year)
    values = values[values["year"] <= year]
    run_files = warehouse.runs(db=db)

    summary = findings_for(view, trend, cat, SUMMARY, year)
    ok = int(goals_frame["status"].isin(OK_STATUSES).sum()) if len(goals_frame) else 0
    goals_line = (
        f"Ziele: {ok} von {len(goals_frame)} erreicht oder im Plan ({status_counts(goals_frame, 'de')})."
        if len(goals_frame)
        else f"Für {view.town_name} ist kein Zielplan hinterlegt."
    )
    summary_findings = [heading(f, reason, "de") for f in summary if f.state != "missing"]

    # participation
    part = findings_for(view, trend, cat, PARTICIPATION, year)
    part_charts, part_notes = _charts(
        view,
        [
            ("Engagement- und Beteiligungsquote mit 95-%-Intervall", participation.rates, 300),
            ("Registrierte und neue Freiwillige", participation.registrations, 280),
        ],
    )
    map_charts, map_notes = district_map(view)
    part_charts += map_charts
    part_notes += [n for n in map_notes if n not in part_notes]
    participation_section = Section(
        "Engagement & Beteiligung",
        heading(part[0], reason, "de"),
        part_charts,
        VALUE_HEADER,
        [value_row(f, reason) for f in part],
        part_notes + _uncertain_notes(part),
        (50, 30, 30, 25, 13, 32),
    )

    # collaboration: the latest partner-survey wave up to the year
    wave = series.latest_wave(view)
    col = findings_for(view, trend, cat, COLLABORATION, wave if wave is not None else year)
    col_charts, col_notes = _charts(
        view,
        [
            ("Zusammenarbeit auf Augenhöhe nach Sektor", collaboration.equal_footing, 280),
            ("Vertrauen und Nutzen nach Sektor (1–4)", collaboration.ratings, 300),
        ],
    )
    col_heading = heading(col[0], reason, "de")
    if wave is None:
        col_heading = f"Für {view.town_name} gibt es bis {year} keine Akteursbefragung."
    collaboration_section = Section(
        "Zusammenarbeit",
        col_heading,
        col_charts,
        VALUE_HEADER,
        [value_row(f, reason) for f in col],
        col_notes + _uncertain_notes(col),
        (50, 30, 30, 25, 13, 32),
    )

    # goals and measures
    measures = findings_for(view, trend, cat, GOAL_INDICATORS, year)
    goal_charts, goal_notes = _charts(
        view, [("Fortschritt der Ziele gegenüber dem erwarteten Fortschritt (Titel: siehe Tabelle)", _goal_chart, 0)]
    )
    goal_notes = [n for n in goal_notes if not n.startswith("Stand:")]
    goal_notes += [" · ".join(f"{f.name}: {value_row(f, reason)[1]}" for f in measures)]
    goal_section = Section(
        "Ziele & Maßnahmen",
        goals_heading(goals_frame, view.town_name, "de"),
        goal_charts,
        GOAL_HEADER,
        goal_rows(goals_frame, cat),
        goal_notes,
        (10, 40, 23, 17, 17, 18, 18, 17, 20),
    )

    files = _files(values)
    shown = run_files[run_files["file"].isin(files)] if len(run_files) else run_files
    source_rows = [
        [str(r.source), str(r.file), fmt_int(r.rows_read), fmt_int(r.rows_accepted), fmt_int(r.rows_rejected)]
        for r in shown.head(MAX_SOURCES).itertuples()
    ]
    source_note = (
        f"Gezeigt sind die ersten {MAX_SOURCES} von {len(shown)} Dateien; alle: engage export runs."
        if len(shown) > MAX_SOURCES
        else ""
    )
    weighted_note = (
        "Gewichtung: Die Umfragequoten sind nach Alter und Geschlecht auf die Bevölkerung ab 14 Jahren "
        "gewichtet (Raking)."
    )
    if series.unweighted(trend[trend["year"] == year]):
        weighted_note = (
            "Gewichtung: Für die Umfrage dieser Stadt liegen keine Bevölkerungsdaten vor; die Quoten sind "
            "ungewichtet (gekennzeichnet)."
        )
    method_notes = [
        weighted_note,
        "Unsicherheit: Zu jeder Umfragequote gehört ein 95-%-Intervall (Wilson-Intervall mit der effektiven "
        "Stichprobengröße). n ist die Zahl der Antworten (ungewichtet) hinter einem Wert.",
        f"Datenschutz: Jede Zahl über weniger als {run.min_cell} Personen oder Organisationen wird nicht "
        f"ausgewiesen und erscheint als „{SUPPRESSED}“ mit dem Grund; Gruppen, aus denen sie sich errechnen "
        "ließe, werden ebenfalls unterdrückt.",
        "Veränderung: gegenüber dem letzten früheren Jahr mit Wert (bei der Akteursbefragung der letzten "
        "Welle); Anteile in Prozentpunkten (Pp.). Als „unverändert“ gilt eine Veränderung unter 0,5 Pp. "
        "(bzw. unter der halben Anzeigegenauigkeit).",
        "Ziele: Fortschritt = (aktueller Wert − Ausgangswert) / (Zielwert − Ausgangswert); erwartet = "
        "verstrichener Anteil der Laufzeit. „im Plan“: Fortschritt höchstens 10 Pp. unter dem erwarteten.",
        "Alle Zahlen stammen aus dem Warehouse des ETL-Laufs; dieser Bericht berechnet nichts neu.",
    ]
    data_date = run.finished_at
    footer = f"Datenstand: {fmt_datetime(data_date)} · ETL-Lauf Nr. {run.run_id}"
    return ReportContent(
        town=str(view.town),
        town_name=view.town_name,
        year=year,
        data_date=data_date,
        run_id=run.run_id,
        project=run.project_name,
        stored_as_of=pd.Timestamp(goals_frame["as_of"].iloc[0]).date() if len(goals_frame) else run.as_of,
        requested_as_of=requested_as_of,
        min_cell=run.min_cell,
        headline=overview_heading(summary, view.town_name, year, "de"),
        summary_header=["Kennzahl", str(year), "Vorwert", "Veränderung", "Ziel und Status", "n · 95-%-Intervall"],
        summary_rows=[summary_row(f, reason, goals_frame) for f in summary],
        summary_findings=summary_findings + _uncertain_notes(summary),
        goals_line=goals_line,
        sections=[participation_section, collaboration_section, goal_section],
        method_notes=method_notes,
        source_rows=source_rows,
        source_note=source_note,
        footer=footer,
    )
