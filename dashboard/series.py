"""Stored values shaped for the figure builders: the only place pages read the warehouse.

Each function takes a :class:`~dashboard.state.View` and returns a tidy frame. For one town the values
and their 95 % intervals are read from ``mart_indicator_values``; for the whole network the ETL's
``mart_comparison`` gives the median and quartiles over the towns. Nothing is recomputed: a missing
stored figure stays missing (and the page says so).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard import memo
from dashboard.i18n import label
from dashboard.state import View
from etl import warehouse

TREND_COLUMNS = [
    "indicator",
    "series",
    "unit",
    "year",
    "value",
    "low",
    "high",
    "n",
    "suppressed",
    "suppression",  # why suppressed: '' shown, 'primary', 'secondary' (dashboard.suppression words it)
    "weighted",
    "unweighted_reason",  # why weighted is False (dashboard.weighting words it); <NA> otherwise
]
# The partner survey's figures: a wave is a year with any of them (shown or suppressed), also where the
# network map is left out because the list has fewer than min_cell organisations.
WAVE_INDICATORS = ("network_density", "equal_footing_agree", "trust_mean", "paid_volunteer_cooperation_agree")


def catalogue(view: View) -> pd.DataFrame:
    """The catalogue indexed by indicator id."""
    return warehouse.catalogue(db=view.db).set_index("indicator")


def name(cat: pd.DataFrame, indicator: str, lang: str) -> str:
    """An indicator's name in ``lang`` (its id where the catalogue lacks it)."""
    if indicator in cat.index:
        return str(cat.at[indicator, "name_en" if lang == "en" else "name_de"])
    return indicator


def unit(cat: pd.DataFrame, indicator: str) -> str:
    return str(cat.at[indicator, "unit"]) if indicator in cat.index else "index"


def town_values(view: View, indicators: Sequence[str], year: int | None = None) -> pd.DataFrame:
    """The view's town's stored totals of ``indicators`` (``year``: of that year only), as
    :func:`etl.warehouse.indicators` returns them, in its order.

    Filtered from one read of every total of the town (all indicators and years, one indexed query per town and
    run, kept by the read cache): the headlines, the Sitzungsmodus screens and the pages each ask for other
    indicators and years of the same town, and a town's first view should cost one query, not one per list
    (issue 13). Town only: the network's figures are medians over the towns (:func:`etl.warehouse.network_trend`)."""
    if view.is_network:
        raise ValueError("town_values is for one town; the network's figures: warehouse.network_trend")
    frame = warehouse.indicators(town=view.town, db=view.db)
    keep = frame["indicator"].isin(list(indicators))
    if year is not None:
        keep &= frame["year"] == year
    return frame[keep.to_numpy(dtype=bool)].reset_index(drop=True)


def town_goal_status(view: View, year: int | None = None) -> pd.DataFrame:
    """The view's town's stored goal statuses (:func:`etl.warehouse.goal_status`; ``year``: of that year end
    only), filtered from one read of all its years, as :func:`town_values` (the headlines read every year, the
    glance, the screens and the progress chart one)."""
    if view.is_network:
        raise ValueError("town_goal_status is for one town")
    frame = warehouse.goal_status(town=view.town, db=view.db)
    if year is None:
        return frame
    return frame[(frame["year"] == year).to_numpy(dtype=bool)].reset_index(drop=True)


def trend(view: View, indicators: list[str]) -> pd.DataFrame:
    """Town totals over all years (town: value with interval; network: median with quartiles).

    Shaped once per town, language, indicators, run and scope (:mod:`dashboard.memo`): the headlines, the
    Sitzungsmodus screens and the pages ask for the same trends, for every year of a town. A copy is returned,
    so callers may change it."""
    key = (view.town, view.lang, tuple(indicators))
    return memo.remembered("trend", view.db, key, lambda: _trend(view, indicators)).copy()


def _trend(view: View, indicators: list[str]) -> pd.DataFrame:
    every = memo.remembered("trend-every", view.db, (view.town, view.lang), lambda: _every_trend(view))
    frame = every[every["indicator"].isin(list(indicators)).to_numpy(dtype=bool)]
    order = {ind: i for i, ind in enumerate(indicators)}
    frame = frame.assign(_o=frame["indicator"].map(order)).sort_values(["_o", "year"]).drop(columns="_o")
    return frame.reset_index(drop=True)


# what the trend and breakdown frames take of a stored value: the value, its interval and n, why it may be hidden,
# whether (and why not) it is weighted
VALUE_FIELDS = ["value", "ci_low", "ci_high", "n", "suppressed", "suppression", "weighted", "unweighted_reason"]


def _every_trend(view: View) -> pd.DataFrame:
    """Every indicator's trend of the view (town or network), shaped once per town, language and run: each
    list of indicators a page or screen asks for is then a filter of it, not a new shaping (a dozen pandas
    operations) per list (issue 13)."""
    cat = catalogue(view)
    if view.is_network:
        frame = warehouse.network_trend(db=view.db).rename(
            columns={"network_median": "value", "network_q1": "low", "network_q3": "high", "network_towns": "n"}
        )
        frame["suppressed"] = False
        frame["suppression"] = ""
        frame["weighted"] = pd.NA
        frame["unweighted_reason"] = pd.NA
    else:
        vals = warehouse.indicators(town=view.town, db=view.db)  # the read town_values filters
        frame = vals[["indicator", "year", *VALUE_FIELDS]].rename(columns={"ci_low": "low", "ci_high": "high"})
    frame = frame.copy()
    present = frame["indicator"].unique().tolist()
    frame["series"] = frame["indicator"].map({i: name(cat, i, view.lang) for i in present})
    frame["unit"] = frame["indicator"].map({i: unit(cat, i) for i in present})
    frame["n"] = frame["n"].astype("Int64")
    return frame[TREND_COLUMNS]


def year_values(view: View, indicators: list[str]) -> pd.DataFrame:
    """Town totals of the view's year (network: medians with quartiles), in the order given."""
    frame = trend(view, indicators)
    return frame[frame["year"] == view.year].reset_index(drop=True)


def breakdown(view: View, indicator: str, breakdowns: list[str], year: int | None = None) -> pd.DataFrame:
    """One indicator's groups for the year: ``breakdown``, ``group``, ``label``, value, interval, n.

    Town only (breakdowns are not compared across the network). Labels are readable ("Frauen").
    """
    vals = warehouse.indicators(
        town=view.town, indicator=indicator, year=year or view.year, breakdown=tuple(breakdowns), db=view.db
    )
    frame = vals[["breakdown", "group", *VALUE_FIELDS]].rename(columns={"ci_low": "low", "ci_high": "high"})
    order = {b: i for i, b in enumerate(breakdowns)}
    frame = frame.assign(_o=frame["breakdown"].map(order)).sort_values(["_o", "group"]).drop(columns="_o")
    group_labels = [label(b, g, view.lang) for b, g in zip(frame["breakdown"], frame["group"], strict=True)]
    if len(breakdowns) > 1:
        group_labels = [
            f"{label('breakdown', b, view.lang)}: {g}" for b, g in zip(frame["breakdown"], group_labels, strict=True)
        ]
    frame["label"] = group_labels
    return frame.reset_index(drop=True)


def unweighted(frame: pd.DataFrame) -> bool:
    """True where any shown survey value was computed without weights (why: :mod:`dashboard.weighting`)."""
    if "weighted" not in frame.columns:
        return False
    w = frame["weighted"].astype("boolean")
    return bool((w == False).fillna(False).any())  # noqa: E712 - nullable boolean comparison


def latest_wave(view: View) -> int | None:
    """The latest partner-survey wave up to the view's year (the network map and ratings use it)."""
    stored = (
        warehouse.indicators(town=None, indicator=WAVE_INDICATORS, db=view.db)
        if view.is_network
        else town_values(view, WAVE_INDICATORS)
    )
    waves = sorted(int(y) for y in stored["year"].unique() if int(y) <= view.year)
    return waves[-1] if waves else None
