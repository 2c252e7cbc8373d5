"""One source for the headline figures of the Übersicht, the Sitzungsmodus and the council report.

A steering group and a council read the same town and year in three places; they must read the same
numbers and the same counts ("2 von 4 Kennzahlen haben sich verbessert", "3 von 9 Zielen erreicht oder im
Plan"). :func:`headlines` reads the warehouse once for a view and returns every headline statement as
formatted text; the overview cards, the meeting screens and the report's summary only lay it out. The
sentence logic below it is pure and typed, so it is tested without a browser.

Change statements (issue 11): a change of a value with a 95 % interval is called "gestiegen"/"gesunken"
only when the two intervals do not overlap (:func:`change_state`; touching counts as overlapping, so the
boundary reads "etwa gleich"); otherwise "etwa gleich (Unterschied im Rahmen der Unsicherheit)". The rule is
conservative by design: two 95 % intervals that just separate correspond to a difference well beyond what a
two-sided test at the 5 % level needs, so what is announced as a change is one. Values without a sampling
interval (counts of registrations and events, network structure over the whole organisation list,
the network's medians) change when they change; smaller than half their display precision
(:data:`TOLERANCE`) reads "unverändert". The catalogue states the rule for users
(:data:`etl.indicators.catalogue.CHANGE_RULE_DE`).

Time basis: a figure of a year is the stored value of that year; a year without a new measurement (no survey,
no partner-survey wave) shows the latest earlier value with its year ("Stand: 2023"). Goal statuses and the
measure figures are those of the year's end, and of the run's as-of date for its year (brief §5.5), always
named ("Stand: 31.12.2024").
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from dashboard import memo, series
from dashboard.formatting import SUPPRESSED, fmt_change, fmt_date, fmt_int, fmt_interval, fmt_number, fmt_value
from dashboard.i18n import label
from dashboard.state import View, query_string
from dashboard.suppression import kind_of, reason_for
from dashboard.wording import goal_change, goal_value
from etl import warehouse

State = Literal["up", "down", "uncertain", "same", "first", "stale", "suppressed", "missing"]

HEADLINE_INDICATORS = [
    "engagement_rate",
    "registered_per_1000",
    "network_density",
    "equal_footing_agree",
    "measures_done_share",
]
GOAL_FAMILY = ("measures_done_share", "measures_overdue")  # stored per year end and as of the as-of date
OK_STATUSES = ("achieved", "on_track")
STATUS_ORDER = ["off_track", "at_risk", "no_data", "on_track", "achieved"]  # worst first
STATUS_MARK = {"off_track": "✖", "at_risk": "▲", "no_data": "○", "on_track": "●", "achieved": "✔"}
BEHIND = 1e-9  # an at-risk or off-track goal's progress below expected by more than this reads "statt erwartet"

# Changes of values without an interval smaller than this (in the stored unit) read "unverändert": half the
# display precision, so a change that the shown numbers cannot tell apart is not announced as a trend.
TOLERANCE: dict[str, float] = {
    "share": 0.0005,  # 0,05 Pp.: below the shown 0,1 %
    "per_1000": 0.05,
    "count": 0.5,  # counts are integers: any change counts
    "hours": 0.05,
    "index": 0.005,
    "score": 0.005,
    "difference": 0.005,
}

_TEXT: dict[str, tuple[str, str]] = {
    "up": ("{name} gestiegen: {value} ({year}: {prev})", "{name} up: {value} ({year}: {prev})"),
    "down": ("{name} gesunken: {value} ({year}: {prev})", "{name} down: {value} ({year}: {prev})"),
    "uncertain": (
        "{name} etwa gleich: {value} ({year}: {prev}; Unterschied im Rahmen der Unsicherheit)",
        "{name} about the same: {value} ({year}: {prev}; difference within the uncertainty)",
    ),
    "same": ("{name} unverändert: {value} ({year}: {prev})", "{name} unchanged: {value} ({year}: {prev})"),
    "first": ("{name} {year}: {value} – erster Messwert", "{name} {year}: {value} – first measurement"),
    "first_prev_suppressed": (
        "{name} {year}: {value} ({prev_year}: nicht ausgewiesen, {reason})",
        "{name} {year}: {value} ({prev_year}: not shown, {reason})",
    ),
    "stale": (
        "{name}: {value} (Stand: {value_year}; für {year} keine neue Messung)",
        "{name}: {value} (as of {value_year}; no new measurement for {year})",
    ),
    "suppressed": ("{name} {year}: nicht ausgewiesen – {reason}", "{name} {year}: not shown – {reason}"),
    "missing": ("{name}: für {year} liegen keine Daten vor", "{name}: no data for {year}"),
    "short.up": ("gestiegen: {delta} zu {year} ({prev})", "up: {delta} vs. {year} ({prev})"),
    "short.down": ("gesunken: {delta} zu {year} ({prev})", "down: {delta} vs. {year} ({prev})"),
    "short.uncertain": (
        "etwa gleich (Unterschied im Rahmen der Unsicherheit): {delta} zu {year} ({prev})",
        "about the same (difference within the uncertainty): {delta} vs. {year} ({prev})",
    ),
    "short.same": ("unverändert zu {year} ({prev})", "unchanged vs. {year} ({prev})"),
    "short.first": ("erster Messwert", "first measurement"),
    "short.stale": ("Stand: {value_year} – für {year} keine neue Messung", "as of {value_year} – none for {year}"),
    "short.suppressed": ("nicht ausgewiesen: {reason}", "not shown: {reason}"),
    "short.missing": ("keine Daten für {year}", "no data for {year}"),
    "short.prev_suppressed": ("{prev_year}: nicht ausgewiesen, {reason}", "{prev_year}: not shown, {reason}"),
    "n": ("n = {n}", "n = {n}"),
    "ci": ("95-%-Intervall {ci}", "95% interval {ci}"),
    "median": ("Median über {n} Städte", "median over {n} towns"),
    "unweighted": ("ungewichtet", "unweighted"),
    "as_of": ("Stand: {date}", "As of {date}"),
    "ratio": ("{ok} von {total}", "{ok} of {total}"),
    "overview.better": (
        "{town} {year}: {better} von {compared} Kennzahlen haben sich verbessert",
        "{town} {year}: {better} of {compared} figures have improved",
    ),
    "overview.better_one": (
        "{town} {year}: {better} von {compared} Kennzahlen hat sich verbessert",
        "{town} {year}: {better} of {compared} figures has improved",
    ),
    "overview.better_of_one": (
        "{town} {year}: {better} von 1 Kennzahl hat sich verbessert",
        "{town} {year}: {better} of 1 figure has improved",
    ),
    "overview.plain": ("{town} {year}: die Kennzahlen im Überblick", "{town} {year}: the figures at a glance"),
    "goals.heading": ("{ok} von {total} Zielen erreicht oder im Plan", "{ok} of {total} goals achieved or on track"),
    "goals.heading_one": ("{ok} von 1 Ziel erreicht oder im Plan", "{ok} of 1 goal achieved or on track"),
    "goals.none": ("Für {town} ist kein Zielplan hinterlegt", "There is no goal plan for {town}"),
    "goals.not_yet": (
        "Für {year} gibt es noch keinen Zielstatus (die Ziele beginnen später)",
        "There is no goal status for {year} yet (the goals start later)",
    ),
    "target": ("Ziel {goal}: {target} bis {date} · {status}", "Goal {goal}: {target} by {date} · {status}"),
    # the reason line of a goal
    "reason.achieved": ("Ziel erreicht (Fortschritt {progress})", "goal achieved (progress {progress})"),
    "reason.no_data": ("noch keine Messung", "no measurement yet"),
    "reason.behind": ("Fortschritt {progress} statt erwartet {expected}", "progress {progress} instead of {expected}"),
    "reason.backwards": (
        "Fortschritt {progress} statt erwartet {expected} (weiter vom Ziel als zu Beginn)",
        "progress {progress} instead of {expected} (further from the target than at the start)",
    ),
    "reason.ahead": ("Fortschritt {progress}, erwartet {expected}", "progress {progress}, expected {expected}"),
    "reason.delayed_one": ("1 Maßnahme verzögert", "1 measure delayed"),
    "reason.delayed": ("{n} Maßnahmen verzögert", "{n} measures delayed"),
    "reason.overdue_one": ("1 Maßnahme überfällig", "1 measure overdue"),
    "reason.overdue": ("{n} Maßnahmen überfällig", "{n} measures overdue"),
    "reason.and_overdue": ("{n} überfällig", "{n} overdue"),
    "reason.leads": ("(Federführung: {leads})", "(lead: {leads})"),
    "reason.in_time": ("keine Maßnahme verzögert oder überfällig", "no measure delayed or overdue"),
    "reason.not_overdue": ("keine Maßnahme überfällig", "no measure overdue"),
    "reason.no_measures": ("keine Maßnahmen hinterlegt", "no measures in the plan"),
    "glance.progress": ("{progress} (erwartet {expected})", "{progress} (expected {expected})"),
    "glance.target": ("{target} bis {date}", "{target} by {date}"),
    "glance.current": ("{value} ({date})", "{value} ({date})"),
    "glance.change": ("{delta} seit {date}", "{delta} since {date}"),
    "glance.no_change": ("erste Messung", "first measurement"),
    "glance.since": ("seit {date}", "since {date}"),
    "glance.by": ("bis {date}", "by {date}"),
    "glance.expected": ("erwartet {expected}", "expected {expected}"),
}


def tr(key: str, lang: str = "de", **values: object) -> str:
    """A headline text in ``lang`` (German unless "en")."""
    text = _TEXT[key][1 if lang == "en" else 0]
    return text.format(**values) if values else text


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _opt(value: object) -> float | None:
    return None if _missing(value) else float(value)  # type: ignore[arg-type]


# --- the change statement -----------------------------------------------------------------------------------


def compare(value: float, previous: float, unit: str) -> Literal["up", "down", "same"]:
    """Direction of a change of a value without interval; "same" within :data:`TOLERANCE` of the unit."""
    delta = float(value) - float(previous)
    if abs(delta) < TOLERANCE.get(unit, 0.005) - 1e-12:
        return "same"
    return "up" if delta > 0 else "down"


def intervals_separate(low: float, high: float, previous_low: float, previous_high: float) -> bool:
    """True when the two 95 % intervals do not overlap; touching intervals overlap (not separate)."""
    return bool(low > previous_high or high < previous_low)


def change_state(
    value: float,
    previous: float,
    unit: str,
    low: float | None = None,
    high: float | None = None,
    previous_low: float | None = None,
    previous_high: float | None = None,
) -> Literal["up", "down", "uncertain", "same"]:
    """How a change is worded (module docstring): with intervals "up"/"down" only when they do not overlap,
    else "uncertain"; without any interval the tolerance rule of :func:`compare`."""
    bounds = (low, high, previous_low, previous_high)
    if all(b is None for b in bounds):
        return compare(value, previous, unit)
    if any(b is None for b in bounds) or not intervals_separate(low, high, previous_low, previous_high):  # type: ignore[arg-type]
        return "uncertain"
    return "up" if value > previous else "down"


@dataclass(frozen=True)
class Finding:
    """One indicator's value of a year next to its previous value, and how the change is worded.

    ``state``: up/down (supported change), uncertain (within the uncertainty), same (no interval, below the
    display precision), ``first`` without a previous value (or it is suppressed: ``previous_suppressed``),
    ``stale`` (no value for the year: the latest earlier one, of ``value_year``), ``suppressed``, ``missing``.
    """

    indicator: str
    name: str
    unit: str
    year: int
    state: State
    value: float | None = None
    value_year: int | None = None
    n: int | None = None
    low: float | None = None
    high: float | None = None
    previous: float | None = None
    previous_year: int | None = None
    previous_low: float | None = None
    previous_high: float | None = None
    previous_suppressed: bool = False
    suppression: str = ""  # the stored kind of a hidden value ('' shown, primary, secondary): decides the reason
    previous_suppression: str = ""  # the same for a hidden previous value
    weighted: bool | None = None
    network: bool = False
    higher_is_better: bool | None = None
    status_date: dt.date | None = None  # goal-family figures: the date they describe

    @property
    def shown(self) -> bool:
        return self.state not in ("suppressed", "missing")

    @property
    def judged(self) -> bool:
        """A change of this year that counts in "x von y Kennzahlen haben sich verbessert"."""
        return self.state in ("up", "down", "uncertain", "same") and self.higher_is_better is not None

    @property
    def improved(self) -> bool | None:
        """True when the change is a supported improvement by the catalogue's direction; None when not judged."""
        if not self.judged:
            return None
        return self.state in ("up", "down") and (self.state == "up") == bool(self.higher_is_better)


def finding(
    rows: pd.DataFrame | list[dict],
    indicator: str,
    year: int,
    name: str,
    unit: str,
    higher_is_better: bool | None = None,
    network: bool = False,
    as_of: dt.date | None = None,
) -> Finding:
    """The finding of ``indicator`` in ``year`` from its stored town totals over the years.

    ``rows``: the trend frame of :func:`dashboard.series.trend` (``indicator``, ``year``, ``value``,
    ``low``, ``high``, ``n``, ``suppressed``, ``weighted``), or its records of ``indicator``. The previous value
    is the latest earlier year with a row (the previous survey wave where surveys are not yearly). The network's
    bands are quartiles over towns, not intervals: its medians are compared by the tolerance rule. ``as_of``
    (the run's) dates the goal-family figures.
    """
    # plain records: a handful of years per indicator, where pandas' per-operation cost would dominate
    records = rows[rows["indicator"] == indicator].to_dict("records") if isinstance(rows, pd.DataFrame) else rows
    own = sorted((r for r in records if r["indicator"] == indicator), key=lambda r: r["year"])
    base: dict = {"indicator": indicator, "name": name, "unit": unit, "year": year, "network": network}
    base["higher_is_better"] = higher_is_better
    now = [r for r in own if r["year"] == year]
    before = [r for r in own if r["year"] < year]
    stale = False
    if not now:
        if not before or bool(before[-1]["suppressed"]) or _missing(before[-1]["value"]):
            return Finding(state="missing", **base)
        now, before, stale = [before[-1]], before[:-1], True
    row = now[0]
    value_year = int(row["year"])
    if indicator in GOAL_FAMILY and as_of is not None:
        base["status_date"] = as_of if value_year >= as_of.year else dt.date(value_year, 12, 31)
    if bool(row["suppressed"]) or _missing(row["value"]):
        return Finding(state="suppressed", value_year=value_year, suppression=_kind(row), **base)
    weighted = row.get("weighted")
    current = {
        "value": float(row["value"]),
        "value_year": value_year,
        "n": None if _missing(row["n"]) else int(row["n"]),
        "low": _opt(row.get("low")),
        "high": _opt(row.get("high")),
        "weighted": None if weighted is None or weighted is pd.NA or pd.isna(weighted) else bool(weighted),
    }
    if stale:
        return Finding(state="stale", **base, **current)
    if not before:
        return Finding(state="first", **base, **current)
    prev = before[-1]
    if bool(prev["suppressed"]) or _missing(prev["value"]):
        return Finding(
            state="first",
            previous_year=int(prev["year"]),
            previous_suppressed=True,
            previous_suppression=_kind(prev),
            **base,
            **current,
        )
    previous = {
        "previous": float(prev["value"]),
        "previous_year": int(prev["year"]),
        "previous_low": _opt(prev.get("low")),
        "previous_high": _opt(prev.get("high")),
    }
    bounds = (
        (None, None, None, None)
        if network
        else (current["low"], current["high"], previous["previous_low"], previous["previous_high"])
    )
    state = change_state(current["value"], previous["previous"], unit, *bounds)  # type: ignore[arg-type]
    return Finding(state=state, **base, **current, **previous)


def value_text(f: Finding, lang: str = "de") -> str:
    """The value as shown: German number format, "–" when suppressed or missing."""
    return fmt_value(f.value, f.unit, lang) if f.shown else SUPPRESSED


def _kind(row: dict) -> str:
    """The stored kind of a suppressed trend row (:mod:`dashboard.suppression`)."""
    return kind_of(row.get("suppressed"), row.get("suppression"))


def heading(f: Finding, reason: str, lang: str = "de") -> str:
    """The finding as a sentence: "Engagementquote gestiegen: 41,2 % (2023: 38,9 %)".

    ``reason`` is the primary reason (with the run's min_cell); a secondary suppression gets its own."""
    values = {"name": f.name, "value": value_text(f, lang), "year": f.year}
    if f.state in ("up", "down", "uncertain", "same"):
        return tr(f.state, lang, **values | {"year": f.previous_year, "prev": fmt_value(f.previous, f.unit, lang)})
    if f.state == "first" and f.previous_suppressed:
        why = reason_for(f.previous_suppression, reason, lang)
        return tr("first_prev_suppressed", lang, **values, prev_year=f.previous_year, reason=why)
    reason = reason_for(f.suppression, reason, lang)
    if f.state == "stale":
        return tr("stale", lang, **values, value_year=f.value_year)
    if f.state == "suppressed":
        return tr("suppressed", lang, **values, reason=reason)
    return tr(f.state, lang, **values)


def change_line(f: Finding, reason: str, lang: str = "de") -> str:
    """The short change under a value: "gestiegen: +2,3 Pp. zu 2023 (38,9 %)"."""
    if f.state in ("up", "down", "uncertain", "same"):
        delta = fmt_change(f.value - f.previous, f.unit, lang)  # type: ignore[operator]
        prev = fmt_value(f.previous, f.unit, lang)
        return tr(f"short.{f.state}", lang, delta=delta, year=f.previous_year, prev=prev)
    if f.state == "first" and f.previous_suppressed:
        why = reason_for(f.previous_suppression, reason, lang)
        return tr("short.prev_suppressed", lang, prev_year=f.previous_year, reason=why)
    reason = reason_for(f.suppression, reason, lang)
    return tr(f"short.{f.state}", lang, year=f.year, value_year=f.value_year, reason=reason)


def detail_line(f: Finding, lang: str = "de") -> str:
    """How sure we are: "n = 464 · 95-%-Intervall 29,0–37,6 %" (network: median over N towns), with the
    date of a goal-family figure."""
    parts = [tr("as_of", lang, date=fmt_date(f.status_date, lang))] if f.status_date is not None else []
    if f.shown:
        if f.network:
            parts.append(tr("median", lang, n=fmt_int(f.n, lang)))
        else:
            parts.append(tr("n", lang, n=fmt_int(f.n, lang)))
            if f.low is not None and f.high is not None:
                parts.append(tr("ci", lang, ci=fmt_interval(f.low, f.high, f.unit, lang)))
            if f.weighted is False:
                parts.append(tr("unweighted", lang))
    return " · ".join(parts)


def target_line(f: Finding, goals: pd.DataFrame, lang: str = "de") -> str:
    """The first goal linked to the indicator, its target and its status of the year, '' without one."""
    if f.network or goals.empty or "indicator" not in goals.columns:
        return ""
    # plain lists: a town has a dozen goals, and this runs for every figure of every screen
    indicators = goals["indicator"].fillna("").astype(str).tolist()
    linked = [i for i, ind in enumerate(indicators) if ind == f.indicator]
    if not linked:
        return ""
    goal_ids = goals["goal_id"].astype(str).tolist()
    i = min(linked, key=lambda i: goal_ids[i])
    return tr(
        "target",
        lang,
        goal=goal_ids[i],
        target=fmt_value(goals["target"].iloc[i], f.unit, lang),
        date=fmt_date(goals["target_date"].iloc[i], lang),
        status=label("status", goals["status"].iloc[i], lang),
    )


def overview_heading(findings: list[Finding], town: str, year: int, lang: str = "de") -> tuple[str, int, int]:
    """ "Musterstadt 2025: 2 von 4 Kennzahlen haben sich verbessert" over this year's judged changes, with
    the two counts."""
    judged = [f for f in findings if f.judged]
    if not judged:
        return tr("overview.plain", lang, town=town, year=year), 0, 0
    better = sum(1 for f in judged if f.improved)
    plural = "overview.better_one" if better == 1 else "overview.better"
    key = "overview.better_of_one" if len(judged) == 1 else plural
    return tr(key, lang, town=town, year=year, better=better, compared=len(judged)), better, len(judged)


# --- goals -------------------------------------------------------------------------------------------------


def status_date_of(year: int, as_of: dt.date) -> dt.date:
    """The date a year's goal status describes: 31.12. of the year, the as-of date for its year and later."""
    return as_of if year >= as_of.year else dt.date(year, 12, 31)


def status_year(year: int, as_of: dt.date) -> int:
    """The ``year`` of ``mart_goal_status`` a view of ``year`` shows (later years: the as-of date's)."""
    return min(year, as_of.year)


def status_counts(statuses: list[str] | pd.Series, lang: str = "de") -> str:
    """ "4 nicht im Plan · 1 gefährdet · 3 erreicht", worst first."""
    counts = pd.Series(list(statuses), dtype=object).value_counts()
    return " · ".join(f"{int(counts[s])} {label('status', s, lang)}" for s in STATUS_ORDER if s in counts.index)


def goals_heading(total: int, ok: int, town: str, year: int, lang: str = "de", planned: bool | None = None) -> str:
    """ "3 von 9 Zielen erreicht oder im Plan"; no plan, or no status yet for the year, said so."""
    if total == 0:
        return tr("goals.not_yet", lang, year=year) if planned else tr("goals.none", lang, town=town)
    return tr("goals.heading_one" if total == 1 else "goals.heading", lang, ok=ok, total=total)


def percent(share: float | None, lang: str = "de") -> str:
    """A progress as whole percent ("46 %"): progress is read against thresholds of 10 and 25 points."""
    if _missing(share):
        return SUPPRESSED
    text = fmt_number(float(share) * 100, 0, lang)  # type: ignore[arg-type]
    return f"{text}\u00a0%" if lang == "de" else f"{text}%"


def reason_line(
    status: str,
    progress: float | None,
    expected: float | None,
    measures: int = 0,
    overdue: int = 0,
    delayed: int | None = None,
    leads: list[str] | tuple[str, ...] = (),
    lang: str = "de",
) -> str:
    """The one-line reason of a goal's status, from its stored figures:
    "Fortschritt 46 % statt erwartet 75 %; 2 Maßnahmen verzögert, 1 überfällig (Federführung: Verwaltung)".

    ``delayed`` counts measures "verzögert" that are not yet overdue (None: not known, past year ends);
    ``overdue`` the open measures past their due date; ``leads`` the lead sectors of both (codes, most first).
    """
    if status == "no_data" or _missing(progress):
        parts = [tr("reason.no_data", lang)]
    elif status == "achieved":
        parts = [tr("reason.achieved", lang, progress=percent(progress, lang))]
    else:
        values = {"progress": percent(progress, lang), "expected": percent(expected, lang)}
        behind = status in ("at_risk", "off_track") and float(progress) < float(expected) - BEHIND  # type: ignore[arg-type]
        if behind:
            parts = [tr("reason.backwards" if float(progress) < 0 else "reason.behind", lang, **values)]  # type: ignore[arg-type]
        else:  # on track (within 10 points of the expected progress) or ahead
            parts = [tr("reason.ahead", lang, **values)]
    late = int(delayed or 0)
    if late and overdue:
        late_text = tr("reason.delayed_one" if late == 1 else "reason.delayed", lang, n=late)
        late_text += ", " + tr("reason.and_overdue", lang, n=overdue)
    elif late:
        late_text = tr("reason.delayed_one" if late == 1 else "reason.delayed", lang, n=late)
    elif overdue:
        late_text = tr("reason.overdue_one" if overdue == 1 else "reason.overdue", lang, n=overdue)
    elif measures:
        late_text = tr("reason.in_time" if delayed is not None else "reason.not_overdue", lang)
    else:
        late_text = tr("reason.no_measures", lang)
    if (late or overdue) and leads:
        late_text += " " + tr("reason.leads", lang, leads=", ".join(label("sector", s, lang) for s in leads))
    return "; ".join([*parts, late_text])


@dataclass(frozen=True)
class GlanceRow:
    """One goal at a glance: everything pre-formatted, worst status first (:func:`glance_rows`)."""

    goal_id: str
    title: str
    principle: str
    status: str
    mark: str  # a symbol next to the status word: never colour alone
    status_word: str
    current: str  # value with unit and its date
    target: str  # value with unit and target date
    progress: str  # "46 % (erwartet 75 %)"
    change: str  # since the previous measurement
    reason: str
    href: str  # the goal's detail on the Ziele page
    progress_value: float | None = None
    expected_value: float | None = None
    # the same as two lines each (value, then its date or reference), for narrow table cells
    cells: tuple[tuple[str, str], ...] = ()


def _sort_key(row: dict) -> tuple[int, str]:
    return STATUS_ORDER.index(row["status"]) if row["status"] in STATUS_ORDER else 9, str(row["goal_id"])


def glance_rows(goals: pd.DataFrame, cat: pd.DataFrame, view: View) -> list[GlanceRow]:
    """The goals of ``goals`` (``warehouse.goal_status`` rows of one town and year) at a glance."""
    lang = view.lang
    rows = []
    for g in sorted(goals.to_dict("records"), key=_sort_key):  # a goal plan's handful of rows
        indicator = g.get("indicator")
        ind_unit = series.unit(cat, str(indicator)) if isinstance(indicator, str) and indicator else None
        unit = g.get("unit") if isinstance(g.get("unit"), str) else None
        current = _opt(g.get("current"))
        previous = _opt(g.get("previous"))
        progress = _opt(g.get("progress"))
        expected = _opt(g.get("expected"))
        target = goal_value(_opt(g.get("target")), ind_unit, unit, lang)
        target_date = fmt_date(g.get("target_date"), lang)
        if current is None:
            current_text = label("status", "no_data", lang)
            change = SUPPRESSED
            cells = [(current_text, ""), (SUPPRESSED, "")]
        else:
            value = goal_value(current, ind_unit, unit, lang)
            current_date = fmt_date(g.get("current_date"), lang)
            current_text = tr("glance.current", lang, value=value, date=current_date)
            if previous is None:
                change = tr("glance.no_change", lang)
                cells = [(value, current_date), (change, "")]
            else:
                delta = goal_change(current - previous, ind_unit, unit, lang)
                since = fmt_date(g.get("previous_date"), lang)
                change = tr("glance.change", lang, delta=delta, date=since)
                cells = [(value, current_date), (delta, tr("glance.since", lang, date=since))]
        progress_cell = (
            (SUPPRESSED, "")
            if progress is None
            else (percent(progress, lang), tr("glance.expected", lang, expected=percent(expected, lang)))
        )
        cells = [cells[0], (target, tr("glance.by", lang, date=target_date)), progress_cell, cells[1]]
        delayed = g.get("measures_delayed")
        leads = [s for s in str(g.get("late_lead_sectors") or "").split(",") if s]
        rows.append(
            GlanceRow(
                goal_id=str(g["goal_id"]),
                title=str(g["title"]),
                principle=str(g.get("principle") or ""),
                status=str(g["status"]),
                mark=STATUS_MARK.get(str(g["status"]), "○"),
                status_word=label("status", g["status"], lang),
                current=current_text,
                target=tr("glance.target", lang, target=target, date=target_date),
                progress=SUPPRESSED
                if progress is None
                else tr("glance.progress", lang, progress=percent(progress, lang), expected=percent(expected, lang)),
                change=change,
                reason=reason_line(
                    str(g["status"]),
                    progress,
                    expected,
                    int(g.get("measures") or 0),
                    int(g.get("measures_overdue") or 0),
                    None if _missing(delayed) else int(delayed),  # type: ignore[arg-type]
                    leads,
                    lang,
                ),
                href="/ziele" + query_string(view.town, view.year, lang, goal=str(g["goal_id"])),
                progress_value=progress,
                expected_value=expected,
                cells=tuple(cells),
            )
        )
    return rows


@dataclass(frozen=True)
class StickRow:
    """One town of the network's "Wo hakt es?": goals by status and the principles of the goals behind."""

    town: str
    town_name: str
    counts: dict[str, int]
    off_principles: str  # principles of off-track goals, e.g. "P1, W2"
    risk_principles: str  # principles of at-risk goals
    href: str


def sticking_rows(goals: pd.DataFrame, towns: pd.DataFrame, view: View) -> list[StickRow]:
    """Towns × status of one year, towns with the most off-track goals first.

    ``goals``: the goal counts of :func:`etl.warehouse.goal_status_counts` (``town_ags``, ``status``,
    ``principle``, ``goals``) or goal-status rows (one goal each). One pass over plain lists: the network has
    a hundred towns, and per-town pandas filters cost seconds per request there.
    """
    names = dict(zip(towns["ags"].astype(str).tolist(), towns["name"].astype(str).tolist(), strict=True))
    weights = goals["goals"].astype(int).tolist() if "goals" in goals.columns else [1] * len(goals)
    counts: dict[str, dict[str, int]] = {}
    principles: dict[tuple[str, str], set[str]] = {}
    columns = [goals[c].astype(str).tolist() for c in ("town_ags", "status", "principle")]
    for town, status, principle, n in zip(*columns, weights, strict=True):
        town_counts = counts.setdefault(town, dict.fromkeys(STATUS_ORDER, 0))
        if status in town_counts:
            town_counts[status] += n
        principles.setdefault((town, status), set()).add(principle)
    rows = [
        StickRow(
            town,
            names.get(town, town),
            town_counts,
            ", ".join(sorted(principles.get((town, "off_track"), ()))),
            ", ".join(sorted(principles.get((town, "at_risk"), ()))),
            "/ziele" + query_string(town, view.year, view.lang),
        )
        for town, town_counts in sorted(counts.items())
    ]
    return sorted(rows, key=lambda r: (-r.counts["off_track"], -r.counts["at_risk"], r.town_name))


# --- the one function over the warehouse --------------------------------------------------------------------


@dataclass(frozen=True)
class HeadlineFigure:
    """One headline indicator as every output states it."""

    finding: Finding
    name: str
    value: str
    change: str
    detail: str
    target: str
    heading: str


@dataclass(frozen=True)
class GoalSummary:
    """The goals of the view's year: counts by status (worst first) and the date they describe."""

    total: int
    ok: int
    counts: dict[str, int]
    status_date: dt.date | None
    planned: bool  # the town has a goal plan (maybe not started by that year)
    heading: str  # "3 von 9 Zielen erreicht oder im Plan"
    counts_text: str  # "4 nicht im Plan · 1 gefährdet · …"
    as_of_text: str  # "Stand: 31.12.2024"
    ratio: str  # "3 von 9" (the card, the tile and the report say it so)


@dataclass(frozen=True)
class Headlines:
    """Everything the three outputs state about a view (town or network, year), formatted in its language."""

    view: View
    figures: list[HeadlineFigure]
    statement: str  # "Musterstadt 2025: 2 von 4 Kennzahlen haben sich verbessert"
    improved: int
    judged: int
    goals: GoalSummary
    glance: list[GlanceRow]  # town: one row per goal, worst first
    sticking: list[StickRow]  # network: towns × status
    trend: pd.DataFrame = field(repr=False)  # the headline indicators over the years up to the view's year
    as_of: dt.date | None = None

    def figure(self, indicator: str) -> HeadlineFigure:
        return next(f for f in self.figures if f.finding.indicator == indicator)


def _hib(cat: pd.DataFrame, indicator: str) -> bool | None:
    if indicator not in cat.index:
        return None
    value = cat.at[indicator, "higher_is_better"]
    return None if value is None or value is pd.NA else bool(value)


def findings_of(
    view: View, trend: pd.DataFrame, cat: pd.DataFrame, indicators: list[str], year: int, as_of: dt.date | None
) -> list[Finding]:
    """The findings of ``indicators`` for ``year`` from a trend frame, named in the view's language."""
    # the frame as plain records once: a finding reads a handful of years, pandas' per-call cost would dominate
    by_indicator: dict[str, list[dict]] = {}
    for record in trend[trend["indicator"].isin(indicators)].to_dict("records"):
        by_indicator.setdefault(str(record["indicator"]), []).append(record)
    return [
        finding(
            by_indicator.get(ind, []),
            ind,
            year,
            series.name(cat, ind, view.lang),
            series.unit(cat, ind),
            _hib(cat, ind),
            network=view.is_network,
            as_of=as_of,
        )
        for ind in indicators
    ]


def statuses_of(goals: pd.DataFrame) -> list[str]:
    """One status per goal, from goal-status rows or from their counts (column ``goals``)."""
    if not len(goals):
        return []
    statuses = goals["status"].astype(str).tolist()
    if "goals" not in goals.columns:
        return statuses
    return [s for s, n in zip(statuses, goals["goals"].astype(int).tolist(), strict=True) for _ in range(n)]


def goal_summary(goals: pd.DataFrame, view: View, as_of: dt.date, planned: bool) -> GoalSummary:
    """Counts of the stored statuses of one year (town or network) and the date they describe; ``goals``: goal-status
    rows or their counts (:func:`statuses_of`)."""
    lang = view.lang
    statuses = statuses_of(goals)
    counts = {s: statuses.count(s) for s in STATUS_ORDER}
    ok = sum(counts[s] for s in OK_STATUSES)
    date = status_date_of(view.year, as_of) if statuses else None
    town = view.town_name
    return GoalSummary(
        total=len(statuses),
        ok=ok,
        counts=counts,
        status_date=date,
        planned=planned,
        heading=goals_heading(len(statuses), ok, town, view.year, lang, planned),
        counts_text=status_counts(statuses, lang) if statuses else "",
        as_of_text=tr("as_of", lang, date=fmt_date(date, lang)) if date else "",
        ratio=tr("ratio", lang, ok=ok, total=len(statuses)) if statuses else SUPPRESSED,
    )


def headlines(view: View, trend: pd.DataFrame | None = None, cat: pd.DataFrame | None = None) -> Headlines:
    """Read the view's headline figures and goal statuses from the warehouse and word them (nothing
    recomputed: every number is a stored one; only the statements about them are built here).

    ``trend`` (:func:`dashboard.series.trend` of the view with at least the headline indicators) and ``cat``
    (:func:`dashboard.series.catalogue`): what the caller read already, not read twice. Without them the result
    is kept per view, run and scope (:func:`dashboard.memo.remembered`): the overview cards, the Sitzungsmodus
    screens and the report ask for the same view's headlines; the result is read-only."""
    if trend is None and cat is None:
        return memo.remembered("headlines", view.db, (view,), lambda: _headlines(view, None, None))
    return _headlines(view, trend, cat)


def _headlines(view: View, trend: pd.DataFrame | None, cat: pd.DataFrame | None) -> Headlines:
    lang, reason = view.lang, view.reason
    cat = series.catalogue(view) if cat is None else cat
    as_of = warehouse.latest_run(db=view.db).as_of
    if trend is None:
        trend = series.trend(view, HEADLINE_INDICATORS)
    else:
        trend = trend[trend["indicator"].isin(HEADLINE_INDICATORS)][series.TREND_COLUMNS]
    trend = trend[trend["year"] <= view.year].reset_index(drop=True)
    year = status_year(view.year, as_of)
    if view.is_network:
        # goals counted by town, status and principle in the database, of the one year shown: not a hundred
        # towns' goals, nor their counts of every year (a network view's first build reads one year's counts)
        goals = warehouse.goal_status_counts(year=year, db=view.db)
        planned = len(goals) > 0 or len(warehouse.goal_status_counts(db=view.db)) > 0  # plans that start later
    else:
        goals_all = series.town_goal_status(view)
        goals = goals_all[(goals_all["year"] == year).to_numpy(dtype=bool)]
        planned = len(goals_all) > 0
    found = findings_of(view, trend, cat, HEADLINE_INDICATORS, view.year, as_of)
    figures = [
        HeadlineFigure(
            finding=f,
            name=f.name,
            value=value_text(f, lang),
            change=change_line(f, reason, lang),
            detail=detail_line(f, lang),
            target=target_line(f, goals, lang),
            heading=heading(f, reason, lang),
        )
        for f in found
    ]
    statement, better, judged = overview_heading(found, view.town_name, view.year, lang)
    return Headlines(
        view=view,
        figures=figures,
        statement=statement,
        improved=better,
        judged=judged,
        goals=goal_summary(goals, view, as_of, planned=planned),
        glance=[] if view.is_network else glance_rows(goals, cat, view),
        sticking=sticking_rows(goals, warehouse.towns(db=view.db), view) if view.is_network else [],
        trend=trend,
        as_of=as_of,
    )
