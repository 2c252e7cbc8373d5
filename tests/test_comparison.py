"""Comparison across towns (brief §5.6) on five hand-made towns.

Towns T1–T4 show engagement_rate 0.1, 0.2, 0.3, 0.4 in 2024; T5's value (0.9) is suppressed. With T5 the
median would be 0.3; without it, 0.25: the figures below prove T5 never enters. Population decides the
peer groups: T1 15.000 and T5 10.000 (<20.000), T2 exactly 20.000 and T3 49.999 from district rows only
(20.000–50.000), T4 100.000 known only for 2022 (≥100.000 from the latest earlier year).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.indicators.comparison import COMPARISON_COLUMNS, comparison_frame, peer_groups, town_population
from etl.indicators.values import VALUE_COLUMNS
from etl.model import CleanData, Manifest, Project, Town

TOWNS = ["T1", "T2", "T3", "T4", "T5"]


def population_rows(ags: str, year: int, total: float, district: str = "", children: bool = True) -> list[dict]:
    """``total`` spread over three cells (two without the band 0-13: ``children`` False) so that summing is
    exercised."""
    bands = [("0-13", "m"), ("14-29", "w"), ("65+", "m")] if children else [("14-29", "w"), ("65+", "m")]
    cell = {"ags": ags, "year": year, "district": district, "count": total / len(bands)}
    return [{**cell, "age_band": band, "gender": gender} for band, gender in bands]


def population() -> pd.DataFrame:
    rows = [
        *population_rows("T1", 2024, 15_000),
        *population_rows("T1", 2025, 60_000),  # a later year must not be used for 2024
        *population_rows("T2", 2024, 20_000),
        *population_rows("T3", 2024, 30_000, district="01"),
        *population_rows("T3", 2024, 19_999, district="02"),
        *population_rows("T4", 2022, 100_000),
        *population_rows("T5", 2024, 10_000),
    ]
    return pd.DataFrame(rows)


def make_clean(pop: pd.DataFrame | None) -> CleanData:
    manifest = Manifest(Path("engage.toml"), Project(name="Test"), tuple(Town(t, t) for t in TOWNS), ())
    frames = {} if pop is None else {"population": pop}
    return CleanData(manifest=manifest, frames=frames, source_files={}, as_of=dt.date(2025, 6, 30))


def values() -> pd.DataFrame:
    rows = [
        ("T1", "engagement_rate", 2024, "", "", 0.1, False),
        ("T2", "engagement_rate", 2024, "", "", 0.2, False),
        ("T3", "engagement_rate", 2024, "", "", 0.3, False),
        ("T4", "engagement_rate", 2024, "", "", 0.4, False),
        # suppressed: even with a value left in the row it must not count
        ("T5", "engagement_rate", 2024, "", "", 0.9, True),
        ("T1", "engagement_rate", 2024, "gender", "w", 0.95, False),  # breakdowns take no part
        ("T2", "engagement_rate", 2023, "", "", np.nan, False),  # no value: no part
        # lower is better (catalogue), with a tie
        ("T1", "measures_overdue", 2024, "", "", 3.0, False),
        ("T2", "measures_overdue", 2024, "", "", 1.0, False),
        ("T3", "measures_overdue", 2024, "", "", 1.0, False),
        ("T4", "measures_overdue", 2024, "", "", 0.0, False),
    ]
    frame = pd.DataFrame(rows, columns=["town_ags", "indicator", "year", "breakdown", "group", "value", "suppressed"])
    frame["n"] = 100
    frame["suppression"] = np.where(frame["suppressed"], "primary", "")
    frame["ci_low"] = np.nan
    frame["ci_high"] = np.nan
    frame["weighted"] = None
    frame["unweighted_reason"] = None
    frame["source_files"] = "x.csv"
    return frame[VALUE_COLUMNS]


@pytest.fixture
def comparison() -> pd.DataFrame:
    return comparison_frame(values(), make_clean(population()))


def rows(frame: pd.DataFrame, indicator: str) -> pd.DataFrame:
    return frame[frame["indicator"] == indicator].set_index("town_ags")


def test_network_figures_by_hand(comparison: pd.DataFrame) -> None:
    assert list(comparison.columns) == COMPARISON_COLUMNS
    rate = rows(comparison, "engagement_rate")
    assert sorted(rate.index) == ["T1", "T2", "T3", "T4"]  # T5 suppressed, T2 2023 without value
    assert (rate["year"] == 2024).all()
    # values 0.1 0.2 0.3 0.4: median 0.25; linear quartiles at positions 0.75 and 2.25
    assert rate["network_median"].unique().tolist() == pytest.approx([0.25])
    assert rate["network_q1"].unique().tolist() == pytest.approx([0.175])
    assert rate["network_q3"].unique().tolist() == pytest.approx([0.325])
    assert rate["network_rank"].to_dict() == {"T1": 4, "T2": 3, "T3": 2, "T4": 1}
    assert (rate["network_towns"] == 4).all()


def test_suppressed_value_never_enters(comparison: pd.DataFrame) -> None:
    rate = rows(comparison, "engagement_rate")
    assert "T5" not in rate.index
    # with T5's 0.9 the network median would be 0.3 and T1's peer group would have two towns
    assert rate.loc["T1", "network_median"] == pytest.approx(0.25)
    assert rate.loc["T1", "peer_median"] == pytest.approx(0.1)
    assert rate.loc["T1", "peer_towns"] == 1
    unsuppressed = values()
    unsuppressed["suppressed"] = False
    leaked = rows(comparison_frame(unsuppressed, make_clean(population())), "engagement_rate")
    assert leaked.loc["T1", "network_median"] == pytest.approx(0.3)  # the control: the test can tell


def test_peer_groups_and_figures(comparison: pd.DataFrame) -> None:
    rate = rows(comparison, "engagement_rate")
    assert rate["peer_group"].to_dict() == {
        "T1": "<20.000",
        "T2": "20.000–50.000",  # exactly 20,000: the lower end is inclusive
        "T3": "20.000–50.000",  # 49,999 from district rows
        "T4": "≥100.000",  # 100,000 of 2022, the latest earlier year
    }
    assert rate.loc["T2", "peer_median"] == pytest.approx(0.25)
    assert rate.loc["T2", "peer_q1"] == pytest.approx(0.225)
    assert rate.loc["T2", "peer_q3"] == pytest.approx(0.275)
    assert rate.loc["T2", "peer_rank"] == 2 and rate.loc["T3", "peer_rank"] == 1
    assert rate.loc["T2", "peer_towns"] == 2
    assert rate.loc["T4", "peer_rank"] == 1 and rate.loc["T4", "peer_towns"] == 1


def test_lower_is_better_ranks_ascending_with_shared_ranks(comparison: pd.DataFrame) -> None:
    overdue = rows(comparison, "measures_overdue")
    assert overdue["network_rank"].to_dict() == {"T4": 1, "T2": 2, "T3": 2, "T1": 4}
    assert overdue.loc["T2", "peer_rank"] == 1 and overdue.loc["T3", "peer_rank"] == 1
    assert overdue["network_median"].unique().tolist() == pytest.approx([1.0])


def test_without_population_there_is_no_peer_group() -> None:
    frame = comparison_frame(values(), make_clean(None))
    assert frame["peer_group"].isna().all()
    assert frame["peer_rank"].isna().all() and frame["peer_towns"].isna().all()
    assert all(math.isnan(v) for v in frame["peer_median"])
    assert (frame.loc[frame["indicator"] == "engagement_rate", "network_towns"] == 4).all()


def test_town_without_earlier_population_year_has_no_peer_group() -> None:
    keys = pd.DataFrame({"town_ags": ["T1", "T1", "T4"], "year": [2023, 2025, 2021]})
    groups = peer_groups(keys, population())
    assert groups.tolist() == [None, "50.000–100.000", None]


def test_town_population_prefers_totals_else_sums_districts() -> None:
    pop = pd.concat([population(), pd.DataFrame(population_rows("T2", 2024, 5_000, district="09"))], ignore_index=True)
    totals = town_population(pop).set_index(["ags", "year"])["total"]
    assert totals[("T2", 2024)] == 20_000  # its total rows win over its district rows
    assert totals[("T3", 2024)] == 49_999


def test_a_year_without_the_band_0_13_gives_no_peer_group() -> None:
    """Its total would be the population aged 14+ only: T1 had 60.000 of all ages in 2025; a 2026 table of 45.000
    aged 14+ must not move it to "20.000–50.000", and T6's only year, without children, gives no group at all."""
    pop = pd.concat(
        [
            population(),
            pd.DataFrame(population_rows("T1", 2026, 45_000, children=False)),
            pd.DataFrame(population_rows("T6", 2024, 45_000, children=False)),
            pd.DataFrame(population_rows("T3", 2026, 45_000, district="01", children=False)),
        ],
        ignore_index=True,
    )
    totals = town_population(pop).set_index(["ags", "year"])["total"]
    assert ("T1", 2026) not in totals and ("T6", 2024) not in totals and ("T3", 2026) not in totals
    keys = pd.DataFrame({"town_ags": ["T1", "T6", "T3"], "year": [2026, 2024, 2026]})
    assert peer_groups(keys, pop).tolist() == ["50.000–100.000", None, "20.000–50.000"]  # T3: its 2024 districts


def test_empty_input_gives_empty_frame() -> None:
    empty = comparison_frame(pd.DataFrame(columns=VALUE_COLUMNS), make_clean(population()))
    assert list(empty.columns) == COMPARISON_COLUMNS and empty.empty
    only_suppressed = values().assign(suppressed=True)
    assert comparison_frame(only_suppressed, make_clean(None)).empty


def interval_values() -> pd.DataFrame:
    """Three towns with 95 % intervals: A 0.30–0.40, B 0.35–0.45, C 0.50–0.60 (C clearly first); counts
    without interval: 5, 5, 3 (a tie)."""
    rows = [
        ("A", "engagement_rate", 0.35, 0.30, 0.40),
        ("B", "engagement_rate", 0.40, 0.35, 0.45),
        ("C", "engagement_rate", 0.55, 0.50, 0.60),
        ("A", "events", 5.0, np.nan, np.nan),
        ("B", "events", 5.0, np.nan, np.nan),
        ("C", "events", 3.0, np.nan, np.nan),
        ("A", "measures_overdue", 1.0, np.nan, np.nan),  # lower is better
        ("B", "measures_overdue", 2.0, np.nan, np.nan),
    ]
    frame = pd.DataFrame(rows, columns=["town_ags", "indicator", "value", "ci_low", "ci_high"])
    frame = frame.assign(year=2024, breakdown="", group="", suppressed=False, suppression="", n=100)
    frame = frame.assign(weighted=None, unweighted_reason=None, source_files="")
    return frame[VALUE_COLUMNS]


def test_rank_range_follows_the_intervals() -> None:
    """Best rank = 1 + towns entirely above; worst = towns compared − towns entirely below."""
    frame = comparison_frame(interval_values(), make_clean(None))
    rate = rows(frame, "engagement_rate")
    assert rate["network_rank"].to_dict() == {"C": 1, "B": 2, "A": 3}
    best, worst = rate["network_rank_best"].to_dict(), rate["network_rank_worst"].to_dict()
    assert best == {"A": 2, "B": 2, "C": 1}  # A and B overlap, both below C
    assert worst == {"A": 3, "B": 3, "C": 1}
    events = rows(frame, "events")  # no interval: the range is the rank, ties spread over their places
    assert events["network_rank"].to_dict() == {"A": 1, "B": 1, "C": 3}
    assert events["network_rank_best"].to_dict() == {"A": 1, "B": 1, "C": 3}
    assert events["network_rank_worst"].to_dict() == {"A": 2, "B": 2, "C": 3}
    overdue = rows(frame, "measures_overdue")
    assert overdue["network_rank_best"].to_dict() == {"A": 1, "B": 2}
    assert overdue["network_rank_worst"].to_dict() == {"A": 1, "B": 2}
    for column in ("network_rank_best", "network_rank_worst"):
        assert (frame[column] >= 1).all() and (frame[column] <= frame["network_towns"]).all()
    assert (frame["network_rank_best"] <= frame["network_rank"]).all()
    assert (frame["network_rank"] <= frame["network_rank_worst"]).all()


def test_peer_rank_range_within_the_peer_group(comparison: pd.DataFrame) -> None:
    rate = rows(comparison, "engagement_rate")
    assert rate.loc["T2", "peer_rank_best"] == 2 and rate.loc["T2", "peer_rank_worst"] == 2  # points, no tie
    assert rate.loc["T4", "peer_rank_best"] == 1 and rate.loc["T4", "peer_rank_worst"] == 1
