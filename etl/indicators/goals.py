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
GOAL_KEYS = ["town_ags", "goal_id"]


@dataclass
class GoalFrames:
    """What :func:`goal_frames` returns: measure values (``VALUE_COLUMNS``) and the three goal marts."""

    values: pd.DataFrame
    goals: pd.DataFrame  # mart_goals
    goal_values: pd.DataFrame  # mart_goal_values
    measures: pd.DataFrame  # mart_measures


def goal_frames(clean: CleanData, values: pd.DataFrame) -> GoalFrames:
    """Goals with status, their measurement series, measures with the overdue flag, and measure values.

    ``values`` are the already suppressed indicator values (``VALUE_COLUMNS``).
    """
    as_of = clean.as_of
    measures = measure_frame(clean.get("stg_measures"), as_of)
    measure_vals = measure_values(measures, as_of)
    goals = _goals_input(clean.get("stg_goals"))
    series = goal_series(
        goals, pd.concat([values, measure_vals], ignore_index=True), clean.get("stg_measurements"), as_of
    )
    return GoalFrames(
        values=measure_vals,
        goals=goal_status(goals, series, as_of),
        goal_values=series,
        measures=measures[MEASURE_COLUMNS],
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


def measure_values(measures: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """``measures_done_share`` and ``measures_overdue`` per town, for the as-of date's year.

    done share = umgesetzt / (all − abgebrochen), n = that denominator (no row when it is 0);
    overdue = number of overdue measures, n = all measures of the town. Not suppressed: they count
    measures, not persons (brief §6).
    """
    if measures.empty:
        return empty_values()
    frame = measures.assign(
        done=(measures["status"] == DONE).astype("int64"),
        counted=(measures["status"] != CANCELLED).astype("int64"),
        overdue_k=measures["overdue"].astype("int64"),
        source_file=measures["source_file"].fillna("").astype(str),
    )
    per_town = frame.groupby("town_ags", as_index=False).agg(
        done=("done", "sum"),
        counted=("counted", "sum"),
        overdue=("overdue_k", "sum"),
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
        year=as_of.year,
        breakdown="",
        group="",
        ci_low=np.nan,
        ci_high=np.nan,
        suppressed=False,
        suppression="",
        weighted=None,
    )
    out = pd.concat([empty_values(), out[VALUE_COLUMNS]], ignore_index=True)
    out["n"] = out["n"].astype("Int64")
    return out.sort_values(["town_ags", "indicator"]).reset_index(drop=True)


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
        on_as_of = merged["indicator"].isin(MEASURE_INDICATORS)
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


def expected_progress(baseline_date: pd.Series, target_date: pd.Series, as_of: dt.date) -> pd.Series:
    """Elapsed share of [baseline_date, target_date] on the as-of date, clipped to [0, 1].

    A goal whose target date is not after its baseline date is expected to be done from the target date on.
    """
    start = pd.to_datetime(baseline_date)
    end = pd.to_datetime(target_date)
    now = pd.Timestamp(as_of)
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


def goal_status(goals: pd.DataFrame, series: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """``mart_goals``: current value (latest at or before as-of), progress, expected progress and status."""
    if goals.empty:
        return _empty(
            GOAL_COLUMNS,
            {c: "float64" for c in ("baseline", "target", "current", "progress", "expected")},
        )
    dated = series.assign(ts=pd.to_datetime(series["date"]))
    latest = (
        dated[dated["ts"] <= pd.Timestamp(as_of)]
        .sort_values([*GOAL_KEYS, "ts"])
        .groupby(GOAL_KEYS, as_index=False)
        .tail(1)
        .rename(columns={"value": "current", "date": "current_date"})
    )
    out = goals.merge(latest[[*GOAL_KEYS, "current", "current_date"]], on=GOAL_KEYS, how="left")
    span = out["target"] - out["baseline"]
    out["progress"] = (out["current"] - out["baseline"]) / span.where(span != 0)
    out["expected"] = expected_progress(out["baseline_date"], out["target_date"], as_of)
    out["status"] = classify(out["progress"], out["expected"])
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
