"""Sitzungsmodus: the five presentation screens for a council meeting (Überblick, Engagement,
Zusammenarbeit, Ziele, Fortschritt).

Council members read a projected screen from the back of the room: each screen states its finding as a
sentence ("Engagementquote gestiegen: 41,2 % (2023: 38,9 %)"), shows few numbers in very large type and
names where the numbers come from and how current they are. Every statement comes from
:mod:`dashboard.headlines` – the Überblick screen from the same :func:`~dashboard.headlines.headlines` as the
dashboard's overview cards and the report's summary, so the three never disagree. The Ziele screen is the
goals at a glance (network: "Wo hakt es?"), the Fortschritt screen the progress chart with the measures.
:func:`collect` is the only function that reads the warehouse; :func:`screens` turns what it read into
the screens.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

import pandas as pd
from dash import html

from dashboard import memo, series
from dashboard.figures import Figure, bar_figure, empty_figure, goal_progress, trend_figure
from dashboard.formatting import SUPPRESSED, fmt_datetime
from dashboard.headlines import (
    HEADLINE_INDICATORS,
    TOLERANCE,
    Finding,
    Headlines,
    change_line,
    compare,
    detail_line,
    finding,
    findings_of,
    heading,
    headlines,
    status_year,
    target_line,
    value_text,
)
from dashboard.i18n import label
from dashboard.state import View
from dashboard.views.goals import caption_of, glance_table, sticking_table
from etl import warehouse

__all__ = [
    "SCREENS",
    "TOLERANCE",
    "Finding",
    "MeetingData",
    "Screen",
    "Tile",
    "change_line",
    "collect",
    "compare",
    "detail_line",
    "finding",
    "heading",
    "screen_of",
    "screens",
    "target_line",
    "value_text",
]

SCREENS = ("overview", "engagement", "collaboration", "goals", "progress")
WITHOUT_GRAPH = ("overview", "goals")  # these screens show tiles or a table, no chart
CHART_HEIGHT = 470  # px of a screen's chart at 1600×900
# the network's "Wo hakt es?" on its meeting screen: the towns with the most off-track goals that fit one screen at
# 1366×768; the dashboard's Ziele page lists every town
STICK_ROWS = 10
# a town's goals at a glance on its screen: as many as fit 1366×768 when every reason takes its two lines (a row of
# 57 px at the projector's font; nine goals of one and two lines just filled it), worst status first; the
# dashboard's Ziele page lists every goal
GLANCE_ROWS = 7

ENGAGEMENT = ["engagement_rate", "participation_rate", "registered_per_1000"]
COLLABORATION = ["equal_footing_agree", "network_density", "cross_sector_tie_share"]
GOAL_FIGURES = ["measures_done_share", "measures_overdue"]
ALL_INDICATORS = list(dict.fromkeys(HEADLINE_INDICATORS + ENGAGEMENT + COLLABORATION + GOAL_FIGURES))

_TEXT: dict[str, tuple[str, str]] = {
    "topic.overview": ("Überblick", "Overview"),
    "topic.engagement": ("Engagement", "Engagement"),
    "topic.collaboration": ("Zusammenarbeit", "Collaboration"),
    "topic.goals": ("Ziele", "Goals"),
    "topic.progress": ("Fortschritt", "Progress"),
    "network_sources": ("alle Städte des Netzwerks", "all towns of the network"),
    "goals.tile": ("Ziele erreicht oder im Plan", "Goals achieved or on track"),
    "progress.heading": ("Fortschritt der Ziele", "Progress of the goals"),
    "glance.caption": ("Ziele auf einen Blick", "Goals at a glance"),
    "stick.caption": ("Wo hakt es?", "Where are we stuck?"),
    "stick.more": (
        "Die {shown} von {total} Städten mit den meisten Zielen „nicht im Plan“; alle Städte: Seite Ziele des "
        "Dashboards.",
        "The {shown} towns with the most goals off track, of {total}; every town: the dashboard's Goals page.",
    ),
    "glance.more": (
        "Die {shown} von {total} Zielen, die am weitesten zurückliegen; alle Ziele: Seite Ziele des Dashboards.",
        "The {shown} goals furthest behind, of {total}; every goal: the dashboard's Goals page.",
    ),
    "footer": ("Datenstand: {date} · Quelle: {sources}", "Data as of {date} · Source: {sources}"),
    "run": ("ETL-Lauf Nr. {run_id}", "ETL run no. {run_id}"),
    "network_only_town": (
        "Die Netzwerkkarte gibt es nur für eine einzelne Stadt.",
        "The network map exists per town only.",
    ),
    "no_wave": ("Bis {year} gibt es keine Akteursbefragung.", "No partner survey up to {year}."),
    "wave": (
        "Akteursbefragung {wave}; Balken: Anteil „Wir arbeiten auf Augenhöhe“ nach Sektor mit 95-%-Intervall.",
        "Partner survey {wave}; bars: share agreeing 'we work on equal footing' by sector with 95% interval.",
    ),
}


def tr(key: str, lang: str = "de", **values: object) -> str:
    """A text of the presentation screens in ``lang`` (German unless "en")."""
    pair = _TEXT[key]
    text = pair[1 if lang == "en" else 0]
    return text.format(**values) if values else text


def source_names(run_files: pd.DataFrame) -> dict[str, str]:
    """File → source name from the run log (built once per view: a network run logs over a thousand files)."""
    if not len(run_files):
        return {}
    return dict(zip(run_files["file"].astype(str).tolist(), run_files["source"].astype(str).tolist(), strict=True))


def run_source_names(view: View) -> dict[str, str]:
    """:func:`source_names` of the run log the reader sees, built once per run and scope (every screen's footer
    names its sources; the same for every town and year). Read-only."""
    return memo.remembered("run_sources", view.db, (), lambda: source_names(warehouse.runs(db=view.db)))


def source_line(files: list[str], names: dict[str, str], run_id: int | None, lang: str = "de") -> str:
    """The sources behind the values shown: source names from the run log (file names where unnamed)."""
    seen = list(dict.fromkeys(names.get(f, f) for f in files if f))
    run = tr("run", lang, run_id=run_id) if run_id is not None else ""
    return ", ".join(seen) + (f" ({run})" if run and seen else run)


def footer_line(data_date: dt.datetime | None, sources: str, lang: str = "de") -> str:
    """ "Datenstand: 25.11.2026, 23:18 Uhr · Quelle: …" – shown on every screen and report page."""
    return tr("footer", lang, date=fmt_datetime(data_date, lang), sources=sources or SUPPRESSED)


def presentation_figure(figure: Figure, height: int, font_size: int = 22) -> Figure:
    """A dashboard figure made readable on a projector: larger type, given height, no mode bar needed."""
    layout = dict(figure.get("layout", {}))
    font = dict(layout.get("font", {}))
    font["size"] = font_size
    layout["font"] = font
    layout["height"] = height
    layout["autosize"] = True
    layout["margin"] = {**layout.get("margin", {}), "t": 20}
    data = []
    for trace in figure.get("data", []):
        trace = dict(trace)
        width = trace.get("line", {}).get("width", 0) if trace.get("type") == "scatter" else 0
        if width and trace.get("mode", "").startswith("lines"):  # drawn lines thicker; bands (width 0) stay
            trace["line"] = {**trace["line"], "width": max(4, width)}
        for bar in ("error_x", "error_y"):  # intervals visible from the back of the room
            if bar in trace:
                trace[bar] = {**trace[bar], "thickness": 3, "width": 10}
        data.append(trace)
    for note in layout.get("annotations", []) or []:
        note.setdefault("font", {})["size"] = font_size
    return {"data": data, "layout": layout}


def short(text: str, limit: int = 30) -> str:
    """A label cut to ``limit`` characters with "…" (long goal titles would squeeze a projected chart)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def presentation_goals(goals: pd.DataFrame, lang: str, height: int) -> Figure:
    """The dashboard's goal-progress chart for a projector: short labels, larger type; its value labels sit in
    their own column on the right (:func:`dashboard.figures.goal_progress`), so nothing is cut off."""
    frame = goals.sort_values("goal_id").assign(label=goals["goal_id"] + " " + goals["title"].map(short))
    figure = goal_progress(frame, lang, font_size=18)
    figure = presentation_figure(figure, max(height, figure["layout"]["height"]), 18)
    # the legend above the plot in rows of two entries, each half the plot's width: one entry a row took a third of
    # a 1366×768 screen's chart
    legend = {**figure["layout"].get("legend", {}), "font": {"size": 16}, "entrywidth": 0.5}
    figure["layout"]["legend"] = legend | {"entrywidthmode": "fraction"}
    figure["layout"]["margin"] = {**figure["layout"]["margin"], "t": 84}
    return figure


def presentation_sectors(frame: pd.DataFrame, lang: str, reason: str, height: int) -> Figure | None:
    """Equal footing by sector as the dashboard's bars with their 95 % intervals (suppressed sectors read "–"
    with the reason)."""
    if frame.empty:
        return None
    bars = frame.rename(columns={"ci_low": "low", "ci_high": "high"}).assign(
        label=[label("sector", g, lang) for g in frame["group"]]
    )
    return wrap_value_column(presentation_figure(bar_figure(bars, "share", lang, reason, font_size=20), height, 20))


def wrap_value_column(figure: Figure, width: int = 22) -> Figure:
    """The value column right of horizontal bars with its long texts ("– (verborgen, damit …)") on lines of at
    most ``width`` characters, and the right margin sized to the longest line: on a projected screen's chart
    column the one-line reason took the whole width, and the bars had none left."""
    notes = figure["layout"].get("annotations") or []
    if not notes:
        return figure
    for note in notes:
        note["text"] = "<br>".join(textwrap.wrap(str(note["text"]), width)) or note["text"]
    size = max(int(note.get("font", {}).get("size", 20)) for note in notes)
    longest = max(len(line) for note in notes for line in str(note["text"]).split("<br>"))
    figure["layout"]["margin"] = {**figure["layout"].get("margin", {}), "r": int(longest * size * 0.6) + 20}
    return figure


# --- reading the warehouse ------------------------------------------------------------------------------


@dataclass
class MeetingData:
    """Everything the screens show for one view, read once."""

    view: View
    headlines: Headlines | None  # None: read for a screen that does not show them
    trend: pd.DataFrame
    catalogue: pd.DataFrame
    # the goal statuses of the view's year (mart_goal_status); the network: their counts (goal_status_counts)
    goals: pd.DataFrame
    as_of: dt.date
    run_sources: dict[str, str]  # file → source name (run log)
    run_id: int | None
    data_date: dt.datetime | None
    wave: int | None
    by_sector: pd.DataFrame = field(default_factory=pd.DataFrame)  # equal footing by sector of the wave


WITH_HEADLINES = ("overview", "goals", "progress")
WITH_GOALS = ("engagement", "collaboration", "progress")  # target lines and the progress chart


def collect(view: View, screen: str | None = None) -> MeetingData:
    """Read what the five screens show (stored values only); ``screen``: only what that one screen needs beyond
    the view's trend (:func:`screen_of`: one callback per screen; the headlines, goals and partner-survey
    sectors only where that screen shows them)."""
    every = screen is None
    if not every and screen not in SCREENS:
        raise ValueError(f"unknown screen {screen!r}")
    # every screen reads the same trend and year values (kept and read once per view, shared by the five
    # callbacks); each screen picks its indicators from them
    cat = series.catalogue(view)
    trend = series.trend(view, ALL_INDICATORS)
    # the view's headlines, kept for the overview cards and the report too (dashboard.memo)
    h = headlines(view) if every or screen in WITH_HEADLINES else None
    trend = trend[trend["year"] <= view.year]
    if view.is_network:  # the network's figures name no file (the footer names all towns' sources)
        trend = trend.assign(source_files="")
    else:
        vals = series.town_values(view, ALL_INDICATORS, view.year)
        files = vals.groupby("indicator", as_index=False)["source_files"].first()
        trend = trend.merge(files, on="indicator", how="left")
    run = warehouse.latest_run(db=view.db)
    goals = pd.DataFrame()
    if every or screen in WITH_GOALS:
        year = status_year(view.year, run.as_of)
        # the network: the year's counts by town, status and principle the headlines read, not 100 towns' goals
        counted = view.is_network
        goals = warehouse.goal_status_counts(year=year, db=view.db) if counted else series.town_goal_status(view, year)
    wave = None if view.is_network or not (every or screen == "collaboration") else series.latest_wave(view)
    by_sector = pd.DataFrame()
    if wave is not None:
        by_sector = warehouse.indicators(
            town=view.town, indicator="equal_footing_agree", year=wave, breakdown="sector", db=view.db
        )
    return MeetingData(
        view=view,
        headlines=h,
        trend=trend,
        catalogue=cat,
        goals=goals,
        as_of=run.as_of,
        run_sources=run_source_names(view),
        run_id=run.run_id,
        data_date=run.finished_at,
        wave=wave,
        by_sector=by_sector,
    )


def findings(data: MeetingData, indicators: list[str]) -> list[Finding]:
    """The findings of ``indicators`` for the view's year, named in the view's language."""
    return findings_of(data.view, data.trend, data.catalogue, indicators, data.view.year, data.as_of)


# --- the screens ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tile:
    """A large number on a screen: label, value, its change and how sure we are."""

    label: str
    value: str
    change: str
    detail: str = ""
    target: str = ""


@dataclass(frozen=True)
class Screen:
    """One presentation screen: topic, the finding as heading, tiles, an optional chart or table, notes, footer."""

    key: str
    topic: str
    heading: str
    tiles: list[Tile]
    figure: Figure | None
    notes: list[str]
    footer: str
    table: object = None  # the Ziele screen: the glance table (a Dash component)


def tile(f: Finding, reason: str, goals: pd.DataFrame, lang: str = "de") -> Tile:
    return Tile(
        f.name, value_text(f, lang), change_line(f, reason, lang), detail_line(f, lang), target_line(f, goals, lang)
    )


def _files(data: MeetingData, indicators: list[str]) -> list[str]:
    """The source files behind ``indicators``' rows, in the trend's order (plain lists: five calls a request)."""
    if "source_files" not in data.trend.columns:
        return []
    pairs = zip(data.trend["indicator"].astype(str).tolist(), data.trend["source_files"].tolist(), strict=True)
    wanted = set(indicators)
    cells = [str(cell) for ind, cell in pairs if ind in wanted and isinstance(cell, str)]
    return [f for cell in cells for f in cell.split(",") if f]


def _footer(data: MeetingData, files: list[str]) -> str:
    lang = data.view.lang
    if data.view.is_network:
        return footer_line(
            data.data_date, f"{tr('network_sources', lang)} ({tr('run', lang, run_id=data.run_id)})", lang
        )
    return footer_line(data.data_date, source_line(files, data.run_sources, data.run_id, lang), lang)


def overview_tiles(h: Headlines) -> list[Tile]:
    """The Überblick screen's tiles: the headline figures and the goals, exactly as the overview cards."""
    lang = h.view.lang
    tiles = [Tile(f.name, f.value, f.change, f.detail, f.target) for f in h.figures]
    g = h.goals
    tiles.append(Tile(tr("goals.tile", lang), g.ratio, g.counts_text or g.heading, g.as_of_text))
    return tiles


def _headlines(data: MeetingData) -> Headlines:
    if data.headlines is None:
        raise ValueError("collect() was asked for another screen: these data hold no headlines")
    return data.headlines


def overview_screen(data: MeetingData, _chart_height: int) -> Screen:
    """Überblick: the headline statement and figures, exactly as the overview cards."""
    h = _headlines(data)
    return Screen(
        "overview",
        tr("topic.overview", data.view.lang),
        h.statement,
        overview_tiles(h),
        None,
        [],
        _footer(data, _files(data, HEADLINE_INDICATORS)),
    )


def engagement_screen(data: MeetingData, chart_height: int) -> Screen:
    """Engagement: the engagement figures and the engagement rate over the years."""
    lang, reason = data.view.lang, data.view.reason
    eng = findings(data, ENGAGEMENT)
    rows = data.trend[data.trend["indicator"] == "engagement_rate"]
    eng_fig = (
        presentation_figure(trend_figure(rows, "share", lang, reason=reason), chart_height)
        if len(rows)
        else empty_figure(heading(eng[0], reason, lang), lang, chart_height)
    )
    return Screen(
        "engagement",
        tr("topic.engagement", lang),
        heading(eng[0], reason, lang),
        [tile(f, reason, data.goals, lang) for f in eng],
        eng_fig,
        [],
        _footer(data, _files(data, ENGAGEMENT)),
    )


def collaboration_screen(data: MeetingData, chart_height: int) -> Screen:
    """Zusammenarbeit: the partner survey's figures and equal footing by sector of the latest wave."""
    view, lang, reason = data.view, data.view.lang, data.view.reason
    col = findings(data, COLLABORATION)
    col_notes: list[str] = []
    if view.is_network:
        col_fig = None
        col_notes.append(tr("network_only_town", lang))
    elif data.wave is None:
        col_fig = None
        col_notes.append(tr("no_wave", lang, year=view.year))
    else:
        col_fig = presentation_sectors(data.by_sector, lang, reason, chart_height)
        col_notes.insert(0, tr("wave", lang, wave=data.wave))
    return Screen(
        "collaboration",
        tr("topic.collaboration", lang),
        heading(col[0], reason, lang),
        [tile(f, reason, data.goals, lang) for f in col],
        col_fig,
        col_notes,
        _footer(data, _files(data, COLLABORATION)),
    )


def goals_screen(data: MeetingData, _chart_height: int) -> Screen:
    """Ziele: the goals at a glance (network: "Wo hakt es?"), the rows the headlines built."""
    lang = data.view.lang
    h = _headlines(data)
    as_of_text = h.goals.as_of_text
    notes = [h.goals.counts_text] if h.goals.counts_text else []
    if data.view.is_network:
        caption = caption_of(tr("stick.caption", lang), as_of_text)
        rows = h.sticking[:STICK_ROWS]  # worst first (headlines.sticking_rows)
        table = sticking_table(rows, lang, caption, big=True)
        if len(rows) < len(h.sticking):
            notes.append(tr("stick.more", lang, shown=len(rows), total=len(h.sticking)))
    else:
        caption = caption_of(tr("glance.caption", lang), as_of_text)
        rows = h.glance[:GLANCE_ROWS]  # worst status first (headlines.glance_rows)
        table = glance_table(rows, lang, caption, big=True)
        if len(rows) < len(h.glance):
            notes.append(tr("glance.more", lang, shown=len(rows), total=len(h.glance)))
    return Screen(
        "goals",
        tr("topic.goals", lang),
        h.goals.heading,
        [],
        None,
        notes,
        _footer(data, _goal_files(data)),
        table=table,
    )


def progress_screen(data: MeetingData, chart_height: int) -> Screen:
    """Fortschritt: the measure figures and (town) each goal's progress."""
    view, lang, reason = data.view, data.view.lang, data.view.reason
    h = _headlines(data)
    goals = data.goals
    as_of_text = h.goals.as_of_text
    measures = findings(data, GOAL_FIGURES)
    progress_fig = None
    progress_notes = [as_of_text] if as_of_text else []
    if len(goals) and not view.is_network:
        progress_fig = presentation_goals(goals, lang, chart_height)
    elif len(goals):
        progress_notes.append(h.goals.counts_text)
    return Screen(
        "progress",
        tr("topic.progress", lang),
        tr("progress.heading", lang) + (f" · {as_of_text}" if as_of_text else ""),
        [tile(f, reason, goals, lang) for f in measures],
        progress_fig,
        progress_notes,
        _footer(data, _goal_files(data)),
    )


SCREEN_BUILDERS = {
    "overview": overview_screen,
    "engagement": engagement_screen,
    "collaboration": collaboration_screen,
    "goals": goals_screen,
    "progress": progress_screen,
}


def screens(data: MeetingData, chart_height: int = 520) -> list[Screen]:
    """The five screens of a view (read with ``collect(view)``), in the order of :data:`SCREENS`."""
    return [SCREEN_BUILDERS[key](data, chart_height) for key in SCREENS]


def screen_of(view: View, key: str, chart_height: int = 520) -> Screen:
    """One screen of a view, reading only what it shows (the same screen as in :func:`screens`)."""
    return SCREEN_BUILDERS[key](collect(view, key), chart_height)


def _goal_files(data: MeetingData) -> list[str]:
    """The goal plan's files: the provenance of the town's measure figures."""
    return _files(data, GOAL_FIGURES)


def topic_labels(lang: str) -> list[str]:
    """The topics in screen order (navigation buttons)."""
    return [tr(f"topic.{key}", lang) for key in SCREENS]


# --- Dash components of a screen ------------------------------------------------------------------------


def start_screen(screen: object) -> int:
    """The 0-based screen of a URL's ``screen`` (1-based; anything else: the first)."""
    try:
        index = int(str(screen)) - 1
    except (TypeError, ValueError):
        return 0
    return index if 0 <= index < len(SCREENS) else 0


def tile_component(tile: Tile) -> html.Div:
    parts = [
        html.P(tile.label, className="meeting-tile-label"),
        html.Div(tile.value, className="meeting-tile-value"),  # a figure, not a heading (axe: p-as-heading)
        html.P(tile.change, className="meeting-tile-change"),
    ]
    if tile.target:
        parts.append(html.P(tile.target, className="meeting-tile-target"))
    if tile.detail:
        parts.append(html.P(tile.detail, className="meeting-tile-detail"))
    return html.Div(parts, className="meeting-tile")


def screen_outputs(screen: Screen, lang: str) -> list:
    """The callback's values for one screen: heading, tiles (or the table), (figure), notes, footer."""
    body = screen.table if screen.table is not None else [tile_component(t_) for t_ in screen.tiles]
    out: list = [screen.heading, body]
    if screen.key not in WITHOUT_GRAPH:
        figure = screen.figure or empty_figure(screen.notes[-1] if screen.notes else SUPPRESSED, lang, CHART_HEIGHT)
        out.append(figure)
    out += [[html.P(n) for n in screen.notes], screen.footer]
    return out
