"""Sitzungsmodus: the four presentation screens for a council meeting (Überblick, Engagement,
Zusammenarbeit, Ziele), and the findings both the screens and the PDF report state in plain German.

Council members read a projected screen from the back of the room: each screen states its finding as a
sentence ("Engagementquote gestiegen: 41,2 % (2023: 38,9 %)"), shows few numbers in very large type and
names where the numbers come from and how current they are. The sentence logic is pure and typed
(:func:`compare`, :func:`finding`, :func:`heading` …) so it is tested without a browser; :func:`collect`
is the only function that reads the warehouse (through :mod:`dashboard.series` and :mod:`etl.warehouse`,
nothing recomputed), :func:`screens` turns what it read into the screens.

"Unverändert" means a change smaller than :data:`TOLERANCE` of the indicator's unit (half a percentage
point for shares): smaller movements are within what a survey of a few hundred people can tell apart
from noise and would otherwise be announced as a trend. Where the 95 % intervals of both years overlap,
the finding adds that the difference is not statistically secured.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from dash import html

from dashboard import series
from dashboard.figures import Figure, bar_figure, empty_figure, goal_progress, trend_figure
from dashboard.formatting import SUPPRESSED, fmt_change, fmt_date, fmt_datetime, fmt_int, fmt_interval, fmt_value
from dashboard.i18n import label
from dashboard.state import View
from dashboard.suppression import kind_of, reason_for
from etl import warehouse

State = Literal["up", "down", "same", "first", "suppressed", "missing"]

SCREENS = ("overview", "engagement", "collaboration", "goals")
CHART_HEIGHT = 470  # px of a screen's chart at 1600×900

# Changes smaller than this (in the stored unit) read "unverändert"; see the module docstring.
TOLERANCE: dict[str, float] = {
    "share": 0.005,  # half a percentage point
    "per_1000": 0.05,
    "count": 0.5,  # counts are integers: any change counts
    "hours": 0.25,
    "index": 0.005,
    "score": 0.05,
    "difference": 0.005,
}

OVERVIEW = ["engagement_rate", "registered_per_1000", "network_density", "equal_footing_agree", "measures_done_share"]
ENGAGEMENT = ["engagement_rate", "participation_rate", "registered_per_1000"]
COLLABORATION = ["equal_footing_agree", "network_density", "cross_sector_tie_share"]
GOAL_FIGURES = ["measures_done_share", "measures_overdue"]
ALL_INDICATORS = list(dict.fromkeys(OVERVIEW + ENGAGEMENT + COLLABORATION + GOAL_FIGURES))
OK_STATUSES = ("achieved", "on_track")

_TEXT: dict[str, tuple[str, str]] = {
    "topic.overview": ("Überblick", "Overview"),
    "topic.engagement": ("Engagement", "Engagement"),
    "topic.collaboration": ("Zusammenarbeit", "Collaboration"),
    "topic.goals": ("Ziele", "Goals"),
    "up": ("{name} gestiegen: {value} ({year}: {prev})", "{name} up: {value} ({year}: {prev})"),
    "down": ("{name} gesunken: {value} ({year}: {prev})", "{name} down: {value} ({year}: {prev})"),
    "same": ("{name} unverändert: {value} ({year}: {prev})", "{name} unchanged: {value} ({year}: {prev})"),
    "first": ("{name} {year}: {value} – erster Messwert", "{name} {year}: {value} – first measurement"),
    "first_prev_suppressed": (
        "{name} {year}: {value} ({prev_year}: nicht ausgewiesen, {reason})",
        "{name} {year}: {value} ({prev_year}: not shown, {reason})",
    ),
    "suppressed": (
        "{name} {year}: nicht ausgewiesen – {reason}",
        "{name} {year}: not shown – {reason}",
    ),
    "missing": ("{name}: für {year} liegen keine Daten vor", "{name}: no data for {year}"),
    "short.up": ("gestiegen, {year}: {prev}", "up, {year}: {prev}"),
    "short.down": ("gesunken, {year}: {prev}", "down, {year}: {prev}"),
    "short.same": ("unverändert, {year}: {prev}", "unchanged, {year}: {prev}"),
    "short.first": ("erster Messwert", "first measurement"),
    "short.suppressed": ("nicht ausgewiesen: {reason}", "not shown: {reason}"),
    "short.missing": ("keine Daten für {year}", "no data for {year}"),
    "short.prev_suppressed": (
        "{prev_year}: nicht ausgewiesen, {reason}",
        "{prev_year}: not shown, {reason}",
    ),
    "uncertain": (
        "Der Unterschied liegt innerhalb der statistischen Unsicherheit (95-%-Intervalle überlappen).",
        "The difference is within the statistical uncertainty (95% intervals overlap).",
    ),
    "n": ("n = {n}", "n = {n}"),
    "ci": ("95-%-Intervall {ci}", "95% interval {ci}"),
    "median": ("Median über {n} Städte", "median over {n} towns"),
    "unweighted": ("ungewichtet", "unweighted"),
    "overview.better": (
        "{town} {year}: {better} von {compared} Kennzahlen haben sich verbessert",
        "{town} {year}: {better} of {compared} figures have improved",
    ),
    "overview.better_one": (
        "{town} {year}: {better} von {compared} Kennzahlen hat sich verbessert",
        "{town} {year}: {better} of {compared} figures has improved",
    ),
    "network_sources": ("alle Städte des Netzwerks", "all towns of the network"),
    "overview.plain": ("{town} {year}: die Kennzahlen im Überblick", "{town} {year}: the figures at a glance"),
    "goals.heading": (
        "{ok} von {total} Zielen erreicht oder im Plan",
        "{ok} of {total} goals achieved or on track",
    ),
    "goals.none": ("Für {town} ist kein Zielplan hinterlegt", "There is no goal plan for {town}"),
    "goals.tile": ("Ziele erreicht oder im Plan", "Goals achieved or on track"),
    "goals.as_of": ("Zielstatus zum {date}", "Goal status as of {date}"),
    "goals.statuses": ("{counts}", "{counts}"),
    "target": ("Ziel {goal}: {target} bis {date} · {status}", "Goal {goal}: {target} by {date} · {status}"),
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


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def compare(value: float, previous: float, unit: str) -> Literal["up", "down", "same"]:
    """Direction of a change, "same" within :data:`TOLERANCE` of the unit (unknown units: 0.005)."""
    delta = float(value) - float(previous)
    if abs(delta) < TOLERANCE.get(unit, 0.005) - 1e-12:
        return "same"
    return "up" if delta > 0 else "down"


@dataclass(frozen=True)
class Finding:
    """One indicator's value of a year next to its previous value, and what that means.

    ``state``: up/down/same against the previous value, ``first`` without one (or the previous one is
    suppressed: ``previous_suppressed``), ``suppressed`` (the value is not shown), ``missing`` (no value).
    ``suppression``/``previous_suppression``: the kind of a suppressed value ('' shown, ``primary``,
    ``secondary``), which decides the reason the sentences give.
    """

    indicator: str
    name: str
    unit: str
    year: int
    state: State
    value: float | None = None
    n: int | None = None
    low: float | None = None
    high: float | None = None
    previous: float | None = None
    previous_year: int | None = None
    previous_low: float | None = None
    previous_high: float | None = None
    previous_suppressed: bool = False
    suppression: str = ""
    previous_suppression: str = ""
    weighted: bool | None = None
    network: bool = False
    higher_is_better: bool | None = None

    @property
    def shown(self) -> bool:
        return self.state not in ("suppressed", "missing")

    @property
    def improved(self) -> bool | None:
        """True/False when the change is good/bad news by the catalogue's direction; None otherwise."""
        if self.state not in ("up", "down") or self.higher_is_better is None:
            return None
        return (self.state == "up") == bool(self.higher_is_better)


def _opt(value: object) -> float | None:
    return None if _missing(value) else float(value)  # type: ignore[arg-type]


def finding(
    rows: pd.DataFrame,
    indicator: str,
    year: int,
    name: str,
    unit: str,
    higher_is_better: bool | None = None,
    network: bool = False,
) -> Finding:
    """The finding of ``indicator`` in ``year`` from its stored town totals over the years.

    ``rows``: the trend frame of :func:`dashboard.series.trend` (``indicator``, ``year``, ``value``,
    ``low``, ``high``, ``n``, ``suppressed``, ``weighted``). The previous value is the latest earlier year
    with a row (the previous survey wave where surveys are not yearly).
    """
    # plain records: a handful of years per indicator, where pandas' per-operation cost would dominate
    own = sorted(rows[rows["indicator"] == indicator].to_dict("records"), key=lambda r: r["year"])
    now = [r for r in own if r["year"] == year]
    base = {"indicator": indicator, "name": name, "unit": unit, "year": year, "network": network}
    base["higher_is_better"] = higher_is_better
    if not now:
        return Finding(state="missing", **base)
    row = now[0]
    if bool(row["suppressed"]) or _missing(row["value"]):
        return Finding(state="suppressed", suppression=kind_of(True, row.get("suppression")), **base)
    weighted = row.get("weighted")
    current = {
        "value": float(row["value"]),
        "n": None if _missing(row["n"]) else int(row["n"]),
        "low": _opt(row.get("low")),
        "high": _opt(row.get("high")),
        "weighted": None if weighted is None or weighted is pd.NA or pd.isna(weighted) else bool(weighted),
    }
    before = [r for r in own if r["year"] < year]
    if not before:
        return Finding(state="first", **base, **current)
    prev = before[-1]
    if bool(prev["suppressed"]) or _missing(prev["value"]):
        kind = kind_of(True, prev.get("suppression"))
        return Finding(
            state="first",
            previous_year=int(prev["year"]),
            previous_suppressed=True,
            previous_suppression=kind,
            **base,
            **current,
        )
    state = compare(current["value"], float(prev["value"]), unit)  # type: ignore[arg-type]
    return Finding(
        state=state,
        previous=float(prev["value"]),
        previous_year=int(prev["year"]),
        previous_low=_opt(prev.get("low")),
        previous_high=_opt(prev.get("high")),
        **base,
        **current,
    )


def value_text(f: Finding, lang: str = "de") -> str:
    """The value as shown: German number format, "–" when suppressed or missing."""
    return fmt_value(f.value, f.unit, lang) if f.shown else SUPPRESSED


def heading(f: Finding, reason: str, lang: str = "de") -> str:
    """The finding as a heading: "Engagementquote gestiegen: 41,2 % (2023: 38,9 %)".

    ``reason`` is the primary reason (with the run's min_cell); a secondary suppression gets its own."""
    values = {"name": f.name, "value": value_text(f, lang), "year": f.year}
    if f.state in ("up", "down", "same"):
        return tr(f.state, lang, **values | {"year": f.previous_year, "prev": fmt_value(f.previous, f.unit, lang)})
    if f.state == "first" and f.previous_suppressed:
        why = reason_for(f.previous_suppression, reason, lang)
        return tr("first_prev_suppressed", lang, **values, prev_year=f.previous_year, reason=why)
    if f.state == "suppressed":
        return tr("suppressed", lang, **values, reason=reason_for(f.suppression, reason, lang))
    return tr(f.state, lang, **values)


def change_line(f: Finding, reason: str, lang: str = "de") -> str:
    """The short line under a value tile: "gestiegen, 2023: 38,9 % (+2,3 Pp.)"."""
    if f.state in ("up", "down", "same"):
        text = tr(f"short.{f.state}", lang, year=f.previous_year, prev=fmt_value(f.previous, f.unit, lang))
        if f.state != "same":
            text += f" ({fmt_change(f.value - f.previous, f.unit, lang)})"  # type: ignore[operator]
        return text
    if f.state == "first" and f.previous_suppressed:
        why = reason_for(f.previous_suppression, reason, lang)
        return tr("short.prev_suppressed", lang, prev_year=f.previous_year, reason=why)
    return tr(f"short.{f.state}", lang, year=f.year, reason=reason_for(f.suppression, reason, lang))


def detail_line(f: Finding, lang: str = "de") -> str:
    """How sure we are: "n = 464 · 95-%-Intervall 29,0–37,6 %" (network: median over N towns)."""
    if not f.shown:
        return ""
    if f.network:
        return tr("median", lang, n=fmt_int(f.n, lang))
    parts = [tr("n", lang, n=fmt_int(f.n, lang))]
    if f.low is not None and f.high is not None:
        parts.append(tr("ci", lang, ci=fmt_interval(f.low, f.high, f.unit, lang)))
    if f.weighted is False:
        parts.append(tr("unweighted", lang))
    return " · ".join(parts)


def uncertain(f: Finding) -> bool:
    """True when a reported change lies within both years' 95 % intervals (they overlap); never for the
    network, whose bands are quartiles over towns, not intervals."""
    if f.network or f.state not in ("up", "down") or None in (f.low, f.high, f.previous_low, f.previous_high):
        return False
    return bool(f.low <= f.previous_high and f.previous_low <= f.high)  # type: ignore[operator]


def target_line(f: Finding, goals: pd.DataFrame, lang: str = "de") -> str:
    """The goal linked to the indicator with its target and stored status, '' without one."""
    if f.network or goals.empty or "indicator" not in goals.columns:
        return ""
    hits = np.flatnonzero(goals["indicator"].fillna("").to_numpy(dtype=object) == f.indicator)
    if not len(hits):
        return ""
    g = goals.iloc[hits[0]]
    return tr(
        "target",
        lang,
        goal=g["goal_id"],
        target=fmt_value(g["target"], f.unit, lang),
        date=fmt_date(g["target_date"], lang),
        status=label("status", g["status"], lang),
    )


def overview_heading(findings: list[Finding], town: str, year: int, lang: str = "de") -> str:
    """ "Musterstadt 2025: 3 von 4 Kennzahlen haben sich verbessert" over the changes that have a direction."""
    judged = [f.improved for f in findings if f.improved is not None or f.state == "same"]
    if not judged:
        return tr("overview.plain", lang, town=town, year=year)
    better = sum(1 for j in judged if j is True)
    key = "overview.better_one" if better == 1 else "overview.better"
    return tr(key, lang, town=town, year=year, better=better, compared=len(judged))


def goals_heading(goals: pd.DataFrame, town: str, lang: str = "de") -> str:
    """ "3 von 9 Zielen erreicht oder im Plan" from the stored statuses."""
    if goals.empty:
        return tr("goals.none", lang, town=town)
    ok = int(goals["status"].isin(OK_STATUSES).sum())
    return tr("goals.heading", lang, ok=ok, total=len(goals))


def status_counts(goals: pd.DataFrame, lang: str = "de") -> str:
    """ "2 erreicht · 3 im Plan · 1 gefährdet …" in the order of the statuses."""
    order = ["achieved", "on_track", "at_risk", "off_track", "no_data"]
    counts = goals["status"].value_counts()
    return " · ".join(f"{int(counts[s])} {label('status', s, lang)}" for s in order if s in counts.index)


def source_names(run_files: pd.DataFrame) -> dict[str, str]:
    """File → source name from the run log (built once per view: a network run logs over a thousand files)."""
    if not len(run_files):
        return {}
    return dict(zip(run_files["file"].astype(str).tolist(), run_files["source"].astype(str).tolist(), strict=True))


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
        data.append(trace)
    for note in layout.get("annotations", []) or []:
        note.setdefault("font", {})["size"] = font_size
    return {"data": data, "layout": layout}


def short(text: str, limit: int = 30) -> str:
    """A label cut to ``limit`` characters with "…" (long goal titles would squeeze a projected chart)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def presentation_goals(goals: pd.DataFrame, lang: str, height: int) -> Figure:
    """The dashboard's goal-progress chart for a projector: short labels, and room on the left of zero
    so that the text of a goal that moved backwards does not run into the labels."""
    frame = goals.assign(label=goals["goal_id"] + " " + goals["title"].map(short))
    figure = presentation_figure(goal_progress(frame, lang), height, 18)
    progress = goals["progress"].astype("float64")
    if (progress < 0).any():
        figure["layout"]["xaxis"] = {**figure["layout"]["xaxis"], "range": [-1.25, 1.6]}
    figure["layout"]["margin"] = {**figure["layout"]["margin"], "r": 40}
    return figure


def presentation_sectors(frame: pd.DataFrame, lang: str, reason: str, height: int) -> Figure | None:
    """Equal footing by sector as the dashboard's bars (suppressed sectors read "–" with the reason)."""
    if frame.empty:
        return None
    bars = frame.rename(columns={"ci_low": "low", "ci_high": "high"}).assign(
        label=[label("sector", g, lang) for g in frame["group"]]
    )
    return presentation_figure(bar_figure(bars, "share", lang, reason), height, 20)


# --- reading the warehouse ------------------------------------------------------------------------------


@dataclass
class MeetingData:
    """Everything the screens show for one view, read once."""

    view: View
    trend: pd.DataFrame
    catalogue: pd.DataFrame
    goals: pd.DataFrame
    run_sources: dict[str, str]  # file → source name (run log)
    run_id: int | None
    data_date: dt.datetime | None
    wave: int | None
    by_sector: pd.DataFrame = field(default_factory=pd.DataFrame)  # equal footing by sector of the wave


def collect(view: View) -> MeetingData:
    """Read what the four screens show (stored values only)."""
    trend = series.trend(view, ALL_INDICATORS)
    trend = trend[trend["year"] <= view.year]
    vals = warehouse.indicators(town=view.town, indicator=tuple(ALL_INDICATORS), year=view.year, db=view.db)
    trend = (
        trend.merge(vals.groupby("indicator", as_index=False)["source_files"].first(), on="indicator", how="left")
        if not view.is_network
        else trend.assign(source_files="")
    )
    goals = warehouse.goals(town=view.town, db=view.db)
    run = warehouse.latest_run(db=view.db)
    wave = None if view.is_network else series.latest_wave(view)
    by_sector = pd.DataFrame()
    if wave is not None:
        by_sector = warehouse.indicators(
            town=view.town, indicator="equal_footing_agree", year=wave, breakdown="sector", db=view.db
        )
    return MeetingData(
        view=view,
        trend=trend,
        catalogue=series.catalogue(view),
        goals=goals,
        run_sources=source_names(warehouse.runs(db=view.db)),
        run_id=run.run_id,
        data_date=run.finished_at,
        wave=wave,
        by_sector=by_sector,
    )


def findings(data: MeetingData, indicators: list[str]) -> list[Finding]:
    """The findings of ``indicators`` for the view's year, named in the view's language."""
    cat, view = data.catalogue, data.view
    # split the trend once: filtering the whole frame per indicator dominated the page's callback time
    by_indicator = dict(tuple(data.trend[data.trend["indicator"].isin(indicators)].groupby("indicator", sort=False)))
    empty = data.trend.iloc[0:0]
    out = []
    for ind in indicators:
        hib = cat.at[ind, "higher_is_better"] if ind in cat.index else None
        out.append(
            finding(
                by_indicator.get(ind, empty),
                ind,
                view.year,
                series.name(cat, ind, view.lang),
                series.unit(cat, ind),
                None if hib is None or hib is pd.NA else bool(hib),
                network=view.is_network,
            )
        )
    return out


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
    """One presentation screen: topic, the finding as heading, tiles, an optional chart, notes, footer."""

    key: str
    topic: str
    heading: str
    tiles: list[Tile]
    figure: Figure | None
    notes: list[str]
    footer: str


def tile(f: Finding, reason: str, goals: pd.DataFrame, lang: str = "de") -> Tile:
    return Tile(
        f.name, value_text(f, lang), change_line(f, reason, lang), detail_line(f, lang), target_line(f, goals, lang)
    )


def _files(data: MeetingData, indicators: list[str]) -> list[str]:
    if "source_files" not in data.trend.columns:
        return []
    cells = data.trend.loc[data.trend["indicator"].isin(indicators), "source_files"].dropna().astype(str)
    return [f for cell in cells for f in cell.split(",") if f]


def _footer(data: MeetingData, files: list[str]) -> str:
    lang = data.view.lang
    if data.view.is_network:
        return footer_line(
            data.data_date, f"{tr('network_sources', lang)} ({tr('run', lang, run_id=data.run_id)})", lang
        )
    return footer_line(data.data_date, source_line(files, data.run_sources, data.run_id, lang), lang)


def _notes(found: list[Finding], lang: str) -> list[str]:
    return [f"{f.name}: {tr('uncertain', lang)}" for f in found if uncertain(f)]


def screens(data: MeetingData, chart_height: int = 520) -> list[Screen]:
    """The four screens of a view, in the order of :data:`SCREENS`."""
    view, lang, reason = data.view, data.view.lang, data.view.reason
    goals = data.goals
    town = view.town_name

    over = findings(data, OVERVIEW)
    over_tiles = [tile(f, reason, goals, lang) for f in over]
    ok = int(goals["status"].isin(OK_STATUSES).sum()) if len(goals) else 0
    over_tiles.append(
        Tile(
            tr("goals.tile", lang),
            f"{ok} / {len(goals)}" if len(goals) else SUPPRESSED,
            status_counts(goals, lang) if len(goals) else tr("goals.none", lang, town=town),
            tr("goals.as_of", lang, date=fmt_date(goals["as_of"].iloc[0], lang)) if len(goals) else "",
        )
    )
    overview = Screen(
        "overview",
        tr("topic.overview", lang),
        overview_heading(over, town, view.year, lang),
        over_tiles,
        None,
        _notes(over, lang),
        _footer(data, _files(data, OVERVIEW) + _goal_files(data)),
    )

    eng = findings(data, ENGAGEMENT)
    rows = data.trend[data.trend["indicator"] == "engagement_rate"]
    eng_fig = (
        presentation_figure(trend_figure(rows, "share", lang, reason=reason), chart_height)
        if len(rows)
        else empty_figure(heading(eng[0], reason, lang), lang, chart_height)
    )
    engagement = Screen(
        "engagement",
        tr("topic.engagement", lang),
        heading(eng[0], reason, lang),
        [tile(f, reason, goals, lang) for f in eng],
        eng_fig,
        _notes(eng, lang),
        _footer(data, _files(data, ENGAGEMENT)),
    )

    col = findings(data, COLLABORATION)
    col_notes = _notes(col, lang)
    if view.is_network:
        col_fig = None
        col_notes.append(tr("network_only_town", lang))
    elif data.wave is None:
        col_fig = None
        col_notes.append(tr("no_wave", lang, year=view.year))
    else:
        col_fig = presentation_sectors(data.by_sector, lang, reason, chart_height)
        col_notes.insert(0, tr("wave", lang, wave=data.wave))
    collaboration = Screen(
        "collaboration",
        tr("topic.collaboration", lang),
        heading(col[0], reason, lang),
        [tile(f, reason, goals, lang) for f in col],
        col_fig,
        col_notes,
        _footer(data, _files(data, COLLABORATION)),
    )

    measures = findings(data, GOAL_FIGURES)
    goal_fig = None
    goal_notes = []
    if len(goals):
        goal_notes.append(tr("goals.as_of", lang, date=fmt_date(goals["as_of"].iloc[0], lang)))
        if not view.is_network:
            goal_fig = presentation_goals(goals, lang, chart_height)
        else:
            goal_notes.append(status_counts(goals, lang))
    goal_screen = Screen(
        "goals",
        tr("topic.goals", lang),
        goals_heading(goals, town, lang),
        [tile(f, reason, goals, lang) for f in measures],
        goal_fig,
        goal_notes,
        _footer(data, _goal_files(data)),
    )
    return [overview, engagement, collaboration, goal_screen]


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
        html.P(tile.value, className="meeting-tile-value"),
        html.P(tile.change, className="meeting-tile-change"),
    ]
    if tile.target:
        parts.append(html.P(tile.target, className="meeting-tile-target"))
    if tile.detail:
        parts.append(html.P(tile.detail, className="meeting-tile-detail"))
    return html.Div(parts, className="meeting-tile")


def screen_outputs(screen: Screen, lang: str) -> list:
    """The callback's values for one screen: heading, tiles, (figure), notes, footer."""
    out: list = [screen.heading, [tile_component(t_) for t_ in screen.tiles]]
    if screen.key != "overview":
        figure = screen.figure or empty_figure(screen.notes[-1] if screen.notes else SUPPRESSED, lang, CHART_HEIGHT)
        out.append(figure)
    out += [[html.P(n) for n in screen.notes], screen.footer]
    return out
