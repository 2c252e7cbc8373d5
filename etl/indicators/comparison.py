"""Comparison across towns (brief §5.6, principle P5 "learn from each other").

For every indicator and year, over the town totals (breakdown '') that were shown (not suppressed, with a
value): the network's median and quartiles (pandas ``quantile``, linear interpolation), each town's rank
(1 = best; ties share the smallest rank) and the number of towns compared; the same within the town's
population peer group.

Rank range: a rank of a survey estimate is itself uncertain, so next to each rank the ETL stores the ranks
the town could take given the 95 % intervals. Best possible rank = 1 + the number of towns whose interval
lies entirely above the town's interval; worst possible rank = the number of towns compared − the number of
towns whose interval lies entirely below it. A value without an interval (counts, network figures: no
sampling error) counts as its own point, so without intervals the range is exactly the rank (ties: from the
shared rank to the last tied place). Rank 1 is the highest value, except for indicators whose catalogue entry says lower
is better (``higher_is_better`` False, e.g. ``measures_overdue``), where rank 1 is the lowest. Suppressed
values take no part, so no statistic can be used to recover them.

Peer groups use the town's population total (all ages, town total rows; where a town has only district rows,
their sum) of the value's year, else of the latest earlier year (brief §3.1). A year given without the band 0-13
(the reader takes it over: weighting and the rates per 1000 need only the population aged 14+) has no total of
all ages: it gives no peer group, the latest earlier year with all ages does. Its 14+ sum would put a town of
52.000 with 7.000 children in "20.000–50.000". The lower end of each band is
inclusive, the upper exclusive: "<20.000" is below 20,000; "20.000–50.000" is 20,000 up to 49,999;
"50.000–100.000" is 50,000 up to 99,999; "≥100.000" is 100,000 and more. A town without population data for
that year or earlier gets no peer group (peer columns empty).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl import tables
from etl.indicators.catalogue import BY_ID
from etl.model import CleanData
from etl.readers.canonical import AGE_BANDS
from etl.tables import columns_of

PEER_BOUNDS = [0.0, 20_000.0, 50_000.0, 100_000.0, np.inf]
PEER_LABELS = ["<20.000", "20.000–50.000", "50.000–100.000", "≥100.000"]
CHILDREN = AGE_BANDS[0]  # 0-13: a year without it has no total of all ages

COMPARISON_COLUMNS = columns_of(tables.mart_comparison)
_DTYPES = {
    "town_ags": "object",
    "indicator": "object",
    "year": "int64",
    "network_rank": "int64",
    "network_towns": "int64",
    "network_rank_best": "int64",
    "network_rank_worst": "int64",
    "peer_group": "object",
    "peer_rank": "Int64",
    "peer_towns": "Int64",
    "peer_rank_best": "Int64",
    "peer_rank_worst": "Int64",
}


def empty_comparison() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "float64")) for c in COMPARISON_COLUMNS})


def comparison_frame(values: pd.DataFrame, clean: CleanData) -> pd.DataFrame:
    """``mart_comparison``: one row per shown town total with its network and peer-group figures."""
    if values is None or values.empty:
        return empty_comparison()
    totals = values[
        (values["breakdown"] == "")
        & (values["group"] == "")
        & ~values["suppressed"].astype(bool)
        & values["value"].notna()
    ][["town_ags", "indicator", "year", "value", "ci_low", "ci_high"]]
    if totals.empty:
        return empty_comparison()
    totals = totals.astype(
        {"town_ags": object, "indicator": object, "year": "int64", "value": "float64"}
        | {"ci_low": "float64", "ci_high": "float64"}
    )
    totals = totals.reset_index(drop=True)
    sign = _rank_sign(totals["indicator"])
    totals["_key"] = totals["value"] * sign
    # the interval on the ranking scale (a higher key ranks first); a value without interval is a point
    low = totals["ci_low"].fillna(totals["value"]) * sign
    high = totals["ci_high"].fillna(totals["value"]) * sign
    totals["_lo"], totals["_hi"] = np.minimum(low, high), np.maximum(low, high)

    network = _stats(totals, ["indicator", "year"], "network")
    out = pd.concat([totals, network], axis=1)

    out["peer_group"] = peer_groups(out[["town_ags", "year"]], clean.get("population"))
    with_peer = out[out["peer_group"].notna()]
    peer = _stats(with_peer, ["indicator", "year", "peer_group"], "peer")
    out = out.join(peer)
    for col in ("peer_rank", "peer_towns", "peer_rank_best", "peer_rank_worst"):
        out[col] = out[col].astype("Int64")
    out = out[COMPARISON_COLUMNS].astype(
        {"network_rank": "int64", "network_towns": "int64", "network_rank_best": "int64", "network_rank_worst": "int64"}
    )
    return out.sort_values(["indicator", "year", "town_ags"]).reset_index(drop=True)


def _rank_sign(indicator: pd.Series) -> pd.Series:
    """+1 where a higher value ranks first, −1 where lower is better (unknown or neutral ids: +1)."""
    signs = {
        i: (-1.0 if BY_ID.get(i) is not None and BY_ID[i].higher_is_better is False else 1.0)
        for i in indicator.unique()
    }
    return indicator.map(signs).astype("float64")


def _stats(frame: pd.DataFrame, keys: list[str], prefix: str) -> pd.DataFrame:
    """Median, quartiles, rank (1 = best, ties share the minimum rank), rank range and count per group ``keys``."""
    names = ("median", "q1", "q3", "rank", "towns", "rank_best", "rank_worst")
    if frame.empty:
        return pd.DataFrame({f"{prefix}_{s}": pd.Series(dtype="float64") for s in names})
    grouped = frame.groupby(keys, sort=False)
    value = grouped["value"]
    best, worst = rank_range(frame, keys)
    return pd.DataFrame(
        {
            f"{prefix}_median": value.transform("median"),
            f"{prefix}_q1": value.transform("quantile", 0.25),
            f"{prefix}_q3": value.transform("quantile", 0.75),
            f"{prefix}_rank": grouped["_key"].rank(method="min", ascending=False).astype("int64"),
            f"{prefix}_towns": value.transform("size").astype("int64"),
            f"{prefix}_rank_best": best,
            f"{prefix}_rank_worst": worst,
        },
        index=frame.index,
    )


def rank_range(frame: pd.DataFrame, keys: list[str]) -> tuple[pd.Series, pd.Series]:
    """Best and worst rank each row could take within its group, from the intervals ``_lo``–``_hi`` on the
    ranking scale (definition in the module docstring)."""
    best = np.zeros(len(frame), dtype="int64")
    worst = np.zeros(len(frame), dtype="int64")
    lo_all, hi_all = frame["_lo"].to_numpy(), frame["_hi"].to_numpy()
    # one group per indicator and year (and peer group): positions into plain arrays, no sub-frame per group
    for idx in frame.groupby(keys, sort=False).indices.values():
        lo, hi = lo_all[idx], hi_all[idx]
        n = len(idx)
        above = n - np.searchsorted(np.sort(lo), hi, side="right")  # towns whose interval lies entirely above
        below = np.searchsorted(np.sort(hi), lo, side="left")  # towns whose interval lies entirely below
        best[idx] = 1 + above
        worst[idx] = n - below
    return pd.Series(best, index=frame.index), pd.Series(worst, index=frame.index)


def town_population(population: pd.DataFrame | None) -> pd.DataFrame:
    """Total population of all ages per town and year (columns ags, year, total).

    Town total rows (district '') where a town-year has them, else the sum of its district rows; a town-year
    whose rows lack the band 0-13 has no such total and is left out (module docstring).
    """
    if population is None or population.empty:
        return pd.DataFrame({"ags": pd.Series(dtype="object"), "year": pd.Series(dtype="int64"), "total": []})
    pop = population[["ags", "year", "district", "age_band", "count"]].copy()
    pop["district"] = pop["district"].fillna("").astype(str)
    pop["is_total"] = pop["district"] == ""
    pop["count"] = pd.to_numeric(pop["count"], errors="coerce")
    pop["child"] = pop["age_band"] == CHILDREN
    sums = pop.groupby(["ags", "year", "is_total"], as_index=False).agg(count=("count", "sum"), child=("child", "any"))
    has_total = sums.groupby(["ags", "year"])["is_total"].transform("any")
    chosen = sums[(sums["is_total"] == has_total) & sums["child"]]
    return (
        chosen.rename(columns={"count": "total"})[["ags", "year", "total"]]
        .astype({"ags": object, "year": "int64", "total": "float64"})
        .reset_index(drop=True)
    )


def peer_groups(keys: pd.DataFrame, population: pd.DataFrame | None) -> pd.Series:
    """The peer-group label for each (town_ags, year) row of ``keys``; None without population data."""
    totals = town_population(population)
    result = pd.Series(None, index=keys.index, dtype=object)
    if totals.empty:
        return result
    # merge_asof wants identical key dtypes: both sides as pandas strings and int64 years
    left = keys.reset_index().rename(columns={"index": "_row"}).astype({"town_ags": str, "year": "int64"})
    matched = pd.merge_asof(
        left.sort_values("year"),
        totals.astype({"ags": str}).sort_values("year"),
        on="year",
        left_by="town_ags",
        right_by="ags",
        direction="backward",
    )
    labels = pd.cut(matched["total"], bins=PEER_BOUNDS, labels=PEER_LABELS, right=False)
    result.loc[matched["_row"].to_numpy()] = labels.astype(object).where(labels.notna(), None).to_numpy()
    return result
