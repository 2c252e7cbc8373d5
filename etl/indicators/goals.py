"""Goal progress and measures as of a date (brief §3.6, §5.5).

A steering group asks "are we on track?": for each goal this module finds the current value (the latest
measurement at or before the as-of date), how far the town has come from baseline to target (progress),
how far it should have come by now (expected: the elapsed share of the goal's time span) and a status.
Progress is (current − baseline) / (target − baseline), so a decreasing target ("fewer overdue measures")
needs no special case: moving down towards it is positive progress.

Where a goal's series comes from: a goal linked to an indicator takes that indicator's town totals
(breakdown ''), each value of year Y dated 31 December of Y, suppressed values left out (a suppressed value
must not reappear as a goal's current value); a goal without a linked indicator takes its rows of the
workbook's ``Messungen`` sheet. The two measure indicators computed here (``measures_done_share``,
``measures_overdue``) describe the state *on* the as-of date, so as a goal's series they are dated on the
as-of date rather than 31 December (otherwise a goal linked to them would show "no data" all year).

Status thresholds (brief §5.5) are compared with ``≥`` and a tolerance of 1e-9, so a progress that lands
exactly on a threshold in decimal arithmetic (e.g. 0.4 = 0.5 − 0.10) is not pushed below it by binary
rounding.

Status history (``mart_goal_status``): the same rules evaluated as of 31 December of every year from the
goal's baseline year to the year before the as-of date, and as of the as-of date itself, so a view of 2024
shows how the goal stood on 31.12.2024 and the current year shows the as-of date. Each row also holds the
measurement before the current one (the change "since the previous measurement") and the goal's measures
as they stood on that date.

How the measures of a past year end are known: the goal plan holds only each measure's *current* status,
so a past date D is reconstructed from start, due date and today's status, with these rules (on the as-of
date they reduce exactly to §5.5):

- a measure that is "umgesetzt" today counts as done at D if its due date is on or before D (it is taken
  to have been finished by its due date); without a due date it counts as done from the as-of date only;
- a measure that is open today (geplant, laufend, verzögert) was open at every earlier date, so it is
  overdue at D when its due date lies before D;
- a cancelled measure ("abgebrochen") counts at no date (when it was cancelled is not known);
- "verzögert" (delayed, not yet overdue) is known for the as-of date only; past rows leave it empty.

The limits: a measure finished early counts as open until its due date, one finished late counts as done
from its due date on, and a measure cancelled last month is missing from every past year. Past figures of
``measures_done_share`` and ``measures_overdue`` (stored per year from the first year a measure of the town
started) are estimates of that kind; the catalogue says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl import tables
from etl.indicators.values import VALUE_COLUMNS, empty_values
from etl.model import CleanData
from etl.tables import columns_of

ON_TRACK_MARGIN = 0.10
AT_RISK_MARGIN = 0.25
TOLERANCE = 1e-9
DONE = "umgesetzt"
CANCELLED = "abgebrochen"
MEASURE_INDICATORS = ("measures_done_share", "measures_overdue")

GOAL_COLUMNS = columns_of(tables.mart_goals)
GOAL_VALUE_COLUMNS = columns_of(tables.mart_goal_values)
MEASURE_COLUMNS = columns_of(tables.mart_measures)
STATUS_COLUMNS = columns_of(tables.mart_goal_status)
GOAL_KEYS = ["town_ags", "goal_id"]
DELAYED = "verzögert"


@dataclass
class GoalFrames:
    """What :func:`goal_frames` returns: measure values (``VALUE_COLUMNS``) and the three goal marts."""

    values: pd.DataFrame
    goals: pd.DataFrame  # mart_goals
    goal_values: pd.DataFrame  # mart_goal_values
    measures: pd.DataFrame  # mart_measures
    status: pd.DataFrame  # mart_goal_status


def goal_frames(clean: CleanData, values: pd.DataFrame) -> GoalFrames:
    """Goals with status, their measurement series, measures with the overdue flag, and measure values.

    ``values`` are the already suppressed indicator values (``VALUE_COLUMNS``).
    """
    as_of = clean.as_of
    measures = measure_frame(clean.get("stg_measures"), as_of)
    goals = _goals_input(clean.get("stg_goals"))
    measure_vals = measure_values(measures, as_of, goals)
    series = goal_series(
        goals, pd.concat([values, measure_vals], ignore_index=True), clean.get("stg_measurements"), as_of
    )
    history = goal_history(goals, series, measures, as_of)
    return GoalFrames(
        values=measure_vals,
        goals=goal_status(goals, history, as_of),
        goal_values=series,
        measures=measures[MEASURE_COLUMNS],
        status=history,
    )


# --- measures -----------------------------------------------------------------------------------------------


def measure_frame(stg_measures: pd.DataFrame | None, as_of: dt.date) -> pd.DataFrame:
    """``mart_measures`` rows (plus ``source_file``): ``overdue`` = neither done nor cancelled, due before as-of."""
    if stg_measures is None or stg_measures.empty:
        return _empty([*MEASURE_COLUMNS, "source_file"], {"overdue": "bool", "level": "Int64"})
    out = stg_measures.copy()
    for col in ("lead_sector", "start", "due", "level"):
        if col not in out.columns:
            out[col] = None
    due = pd.to_datetime(out["due"], errors="coerce")
    open_ = ~out["status"].isin([DONE, CANCELLED])
    out["overdue"] = (open_ & due.notna() & (due < pd.Timestamp(as_of))).astype(bool)
    out["start"] = _as_dates(out["start"])
    out["due"] = _as_dates(out["due"])
    out["level"] = pd.to_numeric(out["level"], errors="coerce").astype("Int64")
    out["as_of"] = as_of
    if "source_file" not in out.columns:
        out["source_file"] = ""
    return out[[*MEASURE_COLUMNS, "source_file"]].reset_index(drop=True)


def measure_states(measures: pd.DataFrame, points: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Each measure as it stood on each date of ``points`` (rules in the module docstring).

    ``points`` has ``town_ags``, ``status_date`` (Timestamp) and may have ``goal_id`` (then only the goal's
    measures are joined). Adds the flags ``counted`` (not cancelled), ``done``, ``overdue`` and ``delayed``
    (NaN before the as-of date: not known).
    """
    keys = [k for k in GOAL_KEYS if k in points.columns]
    frame = points.merge(measures, on=keys, how="inner")
    date = frame["status_date"]
    on_as_of = date >= pd.Timestamp(as_of)
    due = pd.to_datetime(frame["due"], errors="coerce")
    status = frame["status"]
    cancelled = status == CANCELLED
    done = (status == DONE) & (on_as_of | (due.notna() & (due <= date)))
    open_ = ~done & ~cancelled
    overdue = open_ & due.notna() & (due < date)
    delayed = ((status == DELAYED) & ~overdue).astype("float64").where(on_as_of)
    return frame.assign(
        counted=(~cancelled).astype("int64"),
        done=done.astype("int64"),
        overdue=overdue.astype("int64"),
        delayed=delayed,
    )


def measure_dates(measures: pd.DataFrame, goals: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The dates the town's measure figures are stored for: 31 December of every year from the first year a
    measure started (without start dates: the first goal baseline year) to the year before the as-of date,
    and the as-of date. Columns ``town_ags``, ``year``, ``status_date`` (Timestamp)."""
    if measures.empty:
        return pd.DataFrame({"town_ags": [], "year": [], "status_date": []})
    first = pd.to_datetime(measures["start"], errors="coerce").dt.year.groupby(measures["town_ags"]).min()
    if not goals.empty:
        baseline = pd.to_datetime(goals["baseline_date"], errors="coerce").dt.year.groupby(goals["town_ags"]).min()
        first = first.fillna(baseline.reindex(first.index))
    rows = []
    for town, year in first.items():  # one row per town: a loop over towns, not over data
        start = as_of.year if pd.isna(year) else min(int(year), as_of.year)
        rows += [(town, y, pd.Timestamp(y, 12, 31)) for y in range(start, as_of.year)]
        rows.append((town, as_of.year, pd.Timestamp(as_of)))
    return pd.DataFrame(rows, columns=["town_ags", "year", "status_date"])


def measure_values(measures: pd.DataFrame, as_of: dt.date, goals: pd.DataFrame | None = None) -> pd.DataFrame:
    """``measures_done_share`` and ``measures_overdue`` per town and year (31 December; the as-of year: as of
    the as-of date), see :func:`measure_dates`.

    done share = umgesetzt / (all − abgebrochen), n = that denominator (no row when it is 0);
    overdue = number of overdue measures, n = all measures of the town. Not suppressed: they count
    measures, not persons (brief §6).
    """
    if measures.empty:
        return empty_values()
    points = measure_dates(measures, goals if goals is not None else _goals_input(None), as_of)
    frame = measure_states(measures, points, as_of)
    frame["source_file"] = frame["source_file"].fillna("").astype(str)
    per_town = frame.groupby(["town_ags", "year"], as_index=False).agg(
        done=("done", "sum"),
        counted=("counted", "sum"),
        overdue=("overdue", "sum"),
        total=("status", "size"),
        source_files=("source_file", lambda s: ",".join(sorted({f for f in s if f}))),
    )
    counted = per_town[per_town["counted"] > 0]
    done_share = counted.assign(
        indicator="measures_done_share", value=counted["done"] / counted["counted"], n=counted["counted"]
    )
    overdue = per_town.assign(
        indicator="measures_overdue", value=per_town["overdue"].astype("float64"), n=per_town["total"]
    )
    out = pd.concat([done_share, overdue], ignore_index=True)
    out = out.assign(
        breakdown="",
        group="",
        ci_low=np.nan,
        ci_high=np.nan,
        suppressed=False,
        suppression="",
        weighted=None,
        unweighted_reason=None,
    )
    out = pd.concat([empty_values(), out[VALUE_COLUMNS]], ignore_index=True)
    out["n"] = out["n"].astype("Int64")
    out["year"] = out["year"].astype("int64")
    return out.sort_values(["town_ags", "indicator", "year"]).reset_index(drop=True)


# --- goals ----------------------------------------------------------------------------------------------------


def _goals_input(stg_goals: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["town_ags", "goal_id", "title", "principle", "indicator", "baseline", "baseline_date", "target"]
    cols += ["target_date", "unit"]
    if stg_goals is None or stg_goals.empty:
        return _empty(cols, {"baseline": "float64", "target": "float64"})
    out = stg_goals.copy()
    for col in ("indicator", "unit"):
        if col not in out.columns:
            out[col] = None
    out["indicator"] = out["indicator"].where(out["indicator"].notna() & (out["indicator"].astype(str) != ""), None)
    out["baseline"] = pd.to_numeric(out["baseline"], errors="coerce").astype("float64")
    out["target"] = pd.to_numeric(out["target"], errors="coerce").astype("float64")
    return out[cols].drop_duplicates(GOAL_KEYS).reset_index(drop=True)


def goal_series(
    goals: pd.DataFrame, values: pd.DataFrame, measurements: pd.DataFrame | None, as_of: dt.date
) -> pd.DataFrame:
    """``mart_goal_values``: each goal's dated values, from its linked indicator or from ``Messungen``."""
    parts = [_empty(GOAL_VALUE_COLUMNS, {"value": "float64"})]
    linked = goals[goals["indicator"].notna()]
    if not linked.empty and not values.empty:
        totals = values[
            (values["breakdown"] == "")
            & (values["group"] == "")
            & ~values["suppressed"].astype(bool)
            & values["value"].notna()
        ]
        merged = linked[[*GOAL_KEYS, "indicator"]].merge(
            totals[["town_ags", "indicator", "year", "value"]], on=["town_ags", "indicator"], how="inner"
        )
        year_end = pd.to_datetime(pd.DataFrame({"year": merged["year"].astype("int64"), "month": 12, "day": 31}))
        # measure figures of the as-of year describe the as-of date, earlier ones 31 December (measure_dates)
        on_as_of = merged["indicator"].isin(MEASURE_INDICATORS) & (merged["year"] == as_of.year)
        merged["date"] = year_end.where(~on_as_of, pd.Timestamp(as_of))
        parts.append(merged[GOAL_VALUE_COLUMNS])
    unlinked = goals[goals["indicator"].isna()]
    if not unlinked.empty and measurements is not None and not measurements.empty:
        measured = unlinked[GOAL_KEYS].merge(measurements[[*GOAL_KEYS, "date", "value"]], on=GOAL_KEYS, how="inner")
        measured = measured.assign(date=pd.to_datetime(measured["date"], errors="coerce"))
        parts.append(measured[GOAL_VALUE_COLUMNS])
    series = pd.concat(parts, ignore_index=True)
    series["value"] = pd.to_numeric(series["value"], errors="coerce").astype("float64")
    series = series[series["date"].notna() & series["value"].notna()]
    # The same goal measured twice on one date: the later row of the workbook counts.
    series = series.drop_duplicates([*GOAL_KEYS, "date"], keep="last").sort_values([*GOAL_KEYS, "date"])
    series["date"] = _as_dates(series["date"])
    return series.reset_index(drop=True)


def expected_progress(baseline_date: pd.Series, target_date: pd.Series, as_of: dt.date | pd.Series) -> pd.Series:
    """Elapsed share of [baseline_date, target_date] on the as-of date (one date, or one per row), clipped
    to [0, 1].

    A goal whose target date is not after its baseline date is expected to be done from the target date on.
    """
    start = pd.to_datetime(baseline_date)
    end = pd.to_datetime(target_date)
    now = pd.to_datetime(as_of) if isinstance(as_of, pd.Series) else pd.Timestamp(as_of)
    span = (end - start).dt.days.astype("float64")
    elapsed = (now - start).dt.days.astype("float64")
    share = (elapsed / span.where(span > 0)).clip(0.0, 1.0)
    degenerate = (now >= end).astype("float64")
    return share.where(span > 0, degenerate)


def classify(progress: pd.Series, expected: pd.Series) -> pd.Series:
    """The §5.5 status of each goal from its progress and expected progress (NaN progress: no_data)."""
    status = np.select(
        [
            progress.isna(),
            progress >= 1.0 - TOLERANCE,
            progress >= expected - ON_TRACK_MARGIN - TOLERANCE,
            progress >= expected - AT_RISK_MARGIN - TOLERANCE,
        ],
        ["no_data", "achieved", "on_track", "at_risk"],
        default="off_track",
    )
    return pd.Series(status, index=progress.index, dtype=object)


def goal_points(goals: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The dates each goal's status is stored for: 31.12. of every year from the baseline year to the year
    before the as-of date, and the as-of date (``year`` = its year). Columns: goal keys, ``year``,
    ``status_date`` (Timestamp)."""
    rows = []
    first = pd.to_datetime(goals["baseline_date"], errors="coerce").dt.year
    for town, goal_id, year in zip(goals["town_ags"], goals["goal_id"], first, strict=True):  # a goal plan's rows
        start = as_of.year if pd.isna(year) else min(int(year), as_of.year)
        rows += [(town, goal_id, y, pd.Timestamp(y, 12, 31)) for y in range(start, as_of.year)]
        rows.append((town, goal_id, as_of.year, pd.Timestamp(as_of)))
    return pd.DataFrame(rows, columns=[*GOAL_KEYS, "year", "status_date"])


def goal_history(goals: pd.DataFrame, series: pd.DataFrame, measures: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """``mart_goal_status``: each goal's status on each date of :func:`goal_points` with the measurement
    before the current one and the goal's measures as they stood then."""
    if goals.empty:
        return _empty(
            STATUS_COLUMNS,
            {c: "float64" for c in ("current", "previous", "progress", "expected", "measures_delayed")}
            | {c: "int64" for c in ("year", "measures", "measures_done", "measures_overdue")},
        )
    # merge_asof wants identical key dtypes: both sides as pandas strings
    as_text = dict.fromkeys(GOAL_KEYS, str)
    goals = goals.astype(as_text)
    points = goal_points(goals, as_of).astype(as_text | {"status_date": "datetime64[ns]"})
    dated = series.astype(as_text).assign(ts=pd.to_datetime(series["date"]).astype("datetime64[ns]"))
    dated = dated.sort_values([*GOAL_KEYS, "ts"]).reset_index(drop=True)
    dated["k"] = dated.groupby(GOAL_KEYS).cumcount()
    current = pd.merge_asof(
        points.sort_values("status_date"),
        dated[[*GOAL_KEYS, "ts", "value", "k"]].sort_values("ts"),
        left_on="status_date",
        right_on="ts",
        by=GOAL_KEYS,
        direction="backward",
    ).rename(columns={"value": "current", "ts": "current_ts"})
    before = dated[[*GOAL_KEYS, "k", "ts", "value"]].rename(columns={"value": "previous", "ts": "previous_ts"})
    before["k"] = before["k"] + 1
    out = current.merge(before, on=[*GOAL_KEYS, "k"], how="left")
    out = out.merge(goals[[*GOAL_KEYS, "baseline", "target", "baseline_date", "target_date"]], on=GOAL_KEYS)
    span = out["target"] - out["baseline"]
    out["progress"] = (out["current"] - out["baseline"]) / span.where(span != 0)
    out["expected"] = expected_progress(out["baseline_date"], out["target_date"], out["status_date"])
    out["status"] = classify(out["progress"], out["expected"])
    out = out.merge(_goal_measures(measures.astype(as_text), points, as_of), on=[*GOAL_KEYS, "year"], how="left")
    for col in ("measures", "measures_done", "measures_overdue"):
        out[col] = out[col].fillna(0).astype("int64")
    on_as_of = out["status_date"] >= pd.Timestamp(as_of)
    out["measures_delayed"] = out["measures_delayed"].where(~on_as_of | out["measures_delayed"].notna(), 0.0)
    out["late_lead_sectors"] = out["late_lead_sectors"].fillna("")
    out["current_date"] = _as_dates(out["current_ts"])
    out["previous_date"] = _as_dates(out["previous_ts"])
    out["status_date"] = _as_dates(out["status_date"])
    out["year"] = out["year"].astype("int64")
    return out[STATUS_COLUMNS].sort_values([*GOAL_KEYS, "year"]).reset_index(drop=True)


def _goal_measures(measures: pd.DataFrame, points: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per goal and status date: measures (not cancelled), done, overdue, delayed and the late ones' leads."""
    cols = [*GOAL_KEYS, "year", "measures", "measures_done", "measures_overdue", "measures_delayed"]
    if measures.empty:
        return _empty([*cols, "late_lead_sectors"], {"year": "int64", "measures_delayed": "float64"})
    frame = measure_states(measures, points, as_of)
    by = [*GOAL_KEYS, "year"]
    counts = frame.groupby(by, as_index=False).agg(
        measures=("counted", "sum"),
        measures_done=("done", "sum"),
        measures_overdue=("overdue", "sum"),
    )
    # NaN where no measure's delay is known (dates before the as-of date); the same groups in the same order,
    # summed in one vectorised pass (a lambda per group took a third of the goal step at network scale)
    counts["measures_delayed"] = frame.groupby(by)["delayed"].sum(min_count=1).to_numpy()
    late = frame[(frame["overdue"] == 1) | (frame["delayed"] == 1)]
    late = late.assign(sector=late["lead_sector"].fillna("").astype(str))
    late = late[late["sector"] != ""]
    tally = late.groupby([*GOAL_KEYS, "year", "sector"], as_index=False).size()
    tally = tally.sort_values([*GOAL_KEYS, "year", "size", "sector"], ascending=[True, True, True, False, True])
    leads = tally.groupby([*GOAL_KEYS, "year"], as_index=False)["sector"].agg(",".join)
    return counts.merge(leads.rename(columns={"sector": "late_lead_sectors"}), on=[*GOAL_KEYS, "year"], how="left")


def goal_status(goals: pd.DataFrame, history: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """``mart_goals``: the goal plan's goals with their status as of the as-of date (the as-of row of the
    status history, so the two marts cannot disagree)."""
    if goals.empty:
        return _empty(
            GOAL_COLUMNS,
            {c: "float64" for c in ("baseline", "target", "current", "progress", "expected")},
        )
    now = history[pd.to_datetime(history["status_date"]) == pd.Timestamp(as_of)]
    out = goals.merge(
        now[[*GOAL_KEYS, "current", "current_date", "progress", "expected", "status"]], on=GOAL_KEYS, how="left"
    )
    out["baseline_date"] = _as_dates(out["baseline_date"])
    out["target_date"] = _as_dates(out["target_date"])
    out["current_date"] = out["current_date"].where(out["current"].notna(), None)
    out["as_of"] = as_of
    return out[GOAL_COLUMNS].sort_values(GOAL_KEYS).reset_index(drop=True)


# --- helpers ----------------------------------------------------------------------------------------------------


def _as_dates(column: pd.Series) -> pd.Series:
    """Python ``date`` objects (None where missing), as the warehouse's ``Date`` columns take them."""
    stamps = pd.to_datetime(column, errors="coerce")
    return stamps.dt.date.astype(object).where(stamps.notna(), None)


def _empty(columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "object")) for c in columns})
