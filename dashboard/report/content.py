"""What the council report says: read from the warehouse, formatted in German, nothing recomputed.

:func:`report_content` gathers one town's year into a :class:`ReportContent` – content only, no layout, so
that a later layout (an HTML print layout rendered by Chromium, a tagged PDF) keeps every statement. Page 1
is :class:`Summary`: the same headline statements as the dashboard's overview and the Sitzungsmodus (from
:func:`dashboard.headlines.headlines`, the one source of the three), the goal counts of the year's end and
the goals at a glance. Then one :class:`Section` per indicator family with the dashboard's own figures
(built by the same view functions the pages call), method notes and the sources of the run log. The PDF
layout (:mod:`.pdf`) only draws it. A suppressed value is "–" with the reason of its kind in every cell
(:mod:`dashboard.suppression`); no suppressed number is ever read. A warehouse built with the public demo
key says so on every page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from dashboard import series
from dashboard.components.chart_card import ChartResult
from dashboard.figures import Figure, goal_progress
from dashboard.formatting import SUPPRESSED, fmt_date, fmt_datetime, fmt_int, fmt_interval
from dashboard.headlines import (
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

GOAL_HEADER = ["Ziel", "Titel", "Ausgangswert", "Aktuell", "Zielwert", "Zieldatum", "Fortschritt", "Erwartet", "Status"]
GLANCE_HEADER = ["Status", "Ziel und Grund", "Aktuell", "Zielwert", "Fortschritt (erwartet)", "Seit letzter Messung"]
SOURCE_HEADER = ["Quelle", "Datei", "gelesen", "übernommen", "abgewiesen", "übersprungen"]
MAX_SOURCES = 30


def value_header(year: int) -> list[str]:
    """The columns of a family's value table, named with the actual year (not "Vorjahr")."""
    return ["Kennzahl", f"Wert {year}", "Veränderung zum Vorwert (Jahr: Wert)", "n", "95-%-Intervall"]


def summary_header(year: int) -> list[str]:
    return ["Kennzahl", f"Wert {year}", "Veränderung zum Vorwert (Jahr: Wert)", "Ziel und Status", "n · Intervall"]


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

    @property
    def rows(self) -> list[list[str]]:
        """The headline table's rows (Kennzahl, Wert, Veränderung, Ziel und Status, n · Intervall)."""
        return [[f.name, f.value, f.change, f.target or "kein verknüpftes Ziel", f.detail] for f in self.figures]


@dataclass
class ReportContent:
    """Everything the PDF shows, as German text (and figure dicts for the charts)."""

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
    demo_notice: str = ""  # the demo-key banner ('' for a warehouse of real pseudonyms)

    @property
    def headline(self) -> str:
        return self.summary.statement

    @property
    def as_of_note(self) -> str:
        """Which date the goal status refers to; says so when another date was asked for."""
        date = fmt_date(self.status_date)
        if self.status_date == self.stored_as_of:
            text = f"Der Zielstatus bezieht sich auf den Stichtag {date}."
        else:
            text = f"Der Zielstatus bezieht sich auf das Ende des Berichtsjahres ({date})."
        if self.requested_as_of is None or self.requested_as_of == self.stored_as_of:
            return text
        return (
            f"Hinweis: Angefragt wurde der Stichtag {fmt_date(self.requested_as_of)}. Der Zielstatus im Warehouse "
            f"wurde vom ETL-Lauf Nr. {self.run_id} für den Stichtag {fmt_date(self.stored_as_of)} berechnet "
            f"(frühere Jahre: zum 31.12.). {text} Für einen anderen Stichtag den Lauf wiederholen: "
            "engage run QUELLORDNER --as-of JJJJ-MM-TT."
        )


def value_row(f, reason: str) -> list[str]:  # noqa: ANN001 - a dashboard.headlines.Finding
    """Kennzahl, Wert, Veränderung, n, 95-%-Intervall – suppressed: "–" with the reason."""
    if f.state == "missing":
        return [f.name, SUPPRESSED, change_line(f, reason, "de"), "", ""]
    if f.state == "suppressed":
        why = reason_for(f.suppression, reason, "de")
        return [f.name, f"{SUPPRESSED} ({why})", "", SUPPRESSED, SUPPRESSED]
    interval = fmt_interval(f.low, f.high, f.unit, "de") if f.low is not None and f.high is not None else ""
    weighting = " (ungewichtet)" if f.weighted is False else ""
    return [f.name, value_text(f, "de") + weighting, change_line(f, reason, "de"), fmt_int(f.n), interval]


def goal_rows(status: pd.DataFrame, cat: pd.DataFrame) -> list[list[str]]:
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
                goal_value(g["baseline"], unit, plan_unit),
                label("status", "no_data") if pd.isna(current) else goal_value(current, unit, plan_unit),
                goal_value(g["target"], unit, plan_unit),
                fmt_date(g["target_date"]),
                percent(g["progress"]),
                percent(g["expected"]),
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
            charts.append(Chart(title, result.figure, height or min(own, 620)))
            notes += [n for n in result.notes if n not in notes]
        else:
            notes.append(f"{title}: {result.notes[0] if result.notes else 'keine Daten'}")
    return charts, notes


def _goal_chart(view: View, controls: dict[str, object]) -> ChartResult:
    """The dashboard's goal-progress chart with the goal ids as labels (the table below has the titles)."""
    result = goals.progress(view, controls)
    frame, _as_of = goals.year_status(view)
    if frame.empty or not result.figure.get("data"):
        return result
    figure = goal_progress(frame.sort_values("goal_id").assign(label=frame["goal_id"]), "de")
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



def _files(values: pd.DataFrame) -> list[str]:
    cells = values["source_files"].dropna().astype(str)
    return list(dict.fromkeys(f for cell in cells for f in cell.split(",") if f))


def summary_of(view: View) -> Summary:
    """Page 1 from the one source of the headline statements."""
    h = headlines(view)
    return Summary(
        statement=h.statement,
        improved=h.improved,
        judged=h.judged,
        header=summary_header(view.year),
        figures=[SummaryFigure(f.name, f.value, f.change, f.target, f.detail) for f in h.figures],
        goals_heading=h.goals.heading,
        goals_ratio=h.goals.ratio,
        goals_counts=h.goals.counts_text,
        goals_as_of=h.goals.as_of_text,
        glance_header=GLANCE_HEADER,
        glance=h.glance,
    )


def report_content(view: View, requested_as_of: dt.date | None = None) -> ReportContent:
    """Gather the report of ``view`` (one town, one year; German) from the warehouse."""
    db, year, reason = view.db, view.year, view.reason
    cat = series.catalogue(view)
    run = warehouse.latest_run(db=db)
    all_ind = list(dict.fromkeys(PARTICIPATION + COLLABORATION + GOAL_INDICATORS))
    trend = series.trend(view, all_ind)
    trend = trend[trend["year"] <= year]
    status = warehouse.goal_status(town=view.town, year=status_year(year, run.as_of), db=db)
    values = warehouse.indicators(town=view.town, db=db)  # provenance of every town total shown (≤ year)
    values = values[values["year"] <= year]
    run_files = warehouse.runs(db=db)
    summary = summary_of(view)

    # participation
    part = findings_of(view, trend, cat, PARTICIPATION, year, run.as_of)
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
        value_header(year),
        [value_row(f, reason) for f in part],
        part_notes,
        (50, 28, 62, 13, 27),
    )

    # collaboration: the latest partner-survey wave up to the year
    wave = series.latest_wave(view)
    col_year = wave if wave is not None else year
    col = findings_of(view, trend, cat, COLLABORATION, col_year, run.as_of)
    col_charts, col_notes = _charts(
        view,
        [
            ("Zusammenarbeit auf Augenhöhe nach Sektor (mit 95-%-Intervall)", collaboration.equal_footing, 280),
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
        value_header(col_year),
        [value_row(f, reason) for f in col],
        col_notes,
        (50, 28, 62, 13, 27),
    )

    # goals and measures, as they stood at the year's end
    measures = findings_of(view, trend, cat, GOAL_INDICATORS, year, run.as_of)
    goal_charts, goal_notes = _charts(
        view, [("Fortschritt der Ziele gegenüber dem erwarteten Fortschritt (Titel: siehe Tabelle)", _goal_chart, 0)]
    )
    goal_notes = [n for n in goal_notes if not n.startswith("Stand:")]
    goal_notes += [" · ".join(f"{f.name}: {value_row(f, reason)[1]}" for f in measures)]
    goal_section = Section(
        "Ziele & Maßnahmen",
        summary.goals_heading + (f" ({summary.goals_as_of})" if summary.goals_as_of else ""),
        goal_charts,
        GOAL_HEADER,
        goal_rows(status, cat),
        goal_notes,
        (10, 36, 22, 21, 21, 18, 17, 15, 20),
    )

    # the population files weighted the survey: no indicator names them as its source, yet the reader must see
    # them (and their rows of other regions, skipped) to account for every row read (§4)
    files = _files(values) + list(run_files.loc[run_files["kind"] == "population", "file"].astype(str))
    shown = run_files[run_files["file"].isin(files)] if len(run_files) else run_files
    source_rows = [
        [
            str(r.source),
            str(r.file),
            fmt_int(r.rows_read),
            fmt_int(r.rows_accepted),
            fmt_int(r.rows_rejected),
            fmt_int(r.rows_skipped),
        ]
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
        "Stichprobengröße), zu den Anteilen der Akteursbefragung eines über die antwortenden Organisationen. "
        "n ist die Zahl der Antworten (ungewichtet) hinter einem Wert.",
        f"Datenschutz: Jede Zahl über weniger als {run.min_cell} Personen oder Organisationen wird nicht "
        f"ausgewiesen und erscheint als „{SUPPRESSED}“ mit dem Grund „{t('msg.suppressed', min_cell=run.min_cell)}“. "
        "Werte, aus denen sie sich errechnen ließe (etwa Gesamtwert minus gezeigte Gruppen), werden ebenfalls "
        f"nicht ausgewiesen: „{SUPPRESSED}“ mit dem Grund „{t('msg.suppressed_secondary')}“.",
        "Veränderung: gegenüber dem letzten früheren Jahr mit Wert (bei der Akteursbefragung der letzten "
        "Welle); Anteile in Prozentpunkten (Pp.). Bei Werten mit 95-%-Intervall heißt es nur dann „gestiegen“ "
        "oder „gesunken“, wenn sich die Intervalle beider Jahre nicht überschneiden, sonst „etwa gleich "
        "(Unterschied im Rahmen der Unsicherheit)“. Werte ohne Stichprobenfehler (Zählungen, Netzwerk über die "
        "ganze Organisationsliste) gelten als „unverändert“, wenn sich die angezeigte Zahl nicht ändert. Ein "
        "Jahr ohne neue Messung zeigt den letzten Wert mit seinem Jahr („Stand: 2023“).",
        "Ziele: Fortschritt = (aktueller Wert − Ausgangswert) / (Zielwert − Ausgangswert); erwartet = "
        "verstrichener Anteil der Laufzeit. „im Plan“: Fortschritt höchstens 10 Pp. unter dem erwarteten, "
        "„gefährdet“: höchstens 25 Pp. darunter. Der Status gilt zum Ende des Berichtsjahres (im laufenden Jahr "
        "zum Stichtag des ETL-Laufs); frühere Stände der Maßnahmen sind aus Fälligkeit und heutigem Status "
        "erschlossen.",
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
        stored_as_of=run.as_of,
        status_date=status_date_of(year, run.as_of),
        requested_as_of=requested_as_of,
        min_cell=run.min_cell,
        summary=summary,
        sections=[participation_section, collaboration_section, goal_section],
        method_notes=method_notes,
        source_rows=source_rows,
        source_note=source_note,
        footer=footer,
        demo_notice=t("shell.demo", "de") if run.demo_key else "",
    )
