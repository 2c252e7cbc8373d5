"""Partner network (brief §5.4): ties from FREQ answers of both sides and every metric, checked by hand.

Three checks: a five-organisation network written out below with each figure computed by hand; the karate
club graph that networkx ships, fed through the code as FREQ answers, against density and Freeman degree
centralization computed from its degrees; and a property test that the tie rule ("either side reports
FREQ ≥ 2") holds for random answer matrices.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.indicators.network import (
    NODE_COLUMNS,
    TIE_COLUMNS,
    freeman_degree_centralization,
    network_frames,
)
from etl.indicators.values import VALUE_COLUMNS
from etl.model import CleanData, Manifest, Project, Town

TOWN = "09999001"


def make_clean(frames: dict[str, pd.DataFrame], min_cell: int = 5) -> CleanData:
    manifest = Manifest(
        path=Path("engage.toml"),
        project=Project(name="Test", min_cell=min_cell),
        towns=(Town(TOWN, "Musterstadt"),),
        sources=(),
    )
    return CleanData(manifest=manifest, frames=frames, source_files={}, as_of=dt.date(2025, 6, 30))


def organisations(sectors: dict[str, str], town: str = TOWN) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "town_ags": town,
            "org_id": list(sectors),
            "name": [f"Organisation {o}" for o in sectors],
            "sector": list(sectors.values()),
            "source_file": "organisationen.csv",
            "source_row": range(2, 2 + len(sectors)),
        }
    )


def responses(rows: list[tuple[str, int, str, float | None, float | None]], town: str = TOWN) -> pd.DataFrame:
    """rows: (org_id, year, sector, eye, he)."""
    return pd.DataFrame(
        {
            "town_ags": town,
            "year": [r[1] for r in rows],
            "response_id": [str(i) for i in range(len(rows))],
            "org_id": [r[0] for r in rows],
            "sector": [r[2] for r in rows],
            "eye": pd.array([r[3] for r in rows], dtype="Int64"),
            "he": pd.array([r[4] for r in rows], dtype="Int64"),
            "source_file": "akteure.csv",
            "source_row": range(2, 2 + len(rows)),
        }
    )


def ratings(rows: list[tuple], town: str = TOWN) -> pd.DataFrame:
    """rows: (year, rater, about, freq, trust, value)."""
    return pd.DataFrame(rows, columns=["year", "org_id", "about_org_id", "freq", "trust", "value"]).assign(
        town_ags=town
    )


# --- the hand-computed network ------------------------------------------------------------------------------
#
# A, B civil_society; C politics; D administration; E business (E never answers).
# FREQ answers:  A→B 3, B→A 1   → tie A–B, freq 3 (same sector)
#                A→C 1, C→A 2   → tie A–C, freq 2 (cross-sector)
#                A→D 1, D→A 1   → no tie
#                B→C 0          → no tie
#                C→D 4          → tie C–D, freq 4 (cross-sector)
#                D→E 2          → tie D–E, freq 2 (cross-sector)
# Ignored: A→X (X not in the list), B→B (about itself), E→A (E has no accepted response).
# m = 4, n = 5; degrees A 2, B 1, C 2, D 2, E 1.

SECTORS = {"A": "civil_society", "B": "civil_society", "C": "politics", "D": "administration", "E": "business"}
RATINGS_2024 = [
    (2024, "A", "B", 3, 4, 3),
    (2024, "B", "A", 1, 4, 4),
    (2024, "A", "C", 1, 3, None),
    (2024, "C", "A", 2, 2, 2),
    (2024, "A", "D", 1, None, None),
    (2024, "D", "A", 1, None, None),
    (2024, "B", "C", 0, None, None),
    (2024, "C", "D", 4, 1, 1),
    (2024, "D", "E", 2, 3, 4),
    (2024, "A", "X", 4, 1, 1),
    (2024, "B", "B", 4, 1, 1),
    (2024, "E", "A", 4, 1, 1),
]
RESPONSES_2024 = [
    ("A", 2024, "civil_society", 5, 4),
    ("B", 2024, "civil_society", 4, None),
    ("C", 2024, "politics", 2, 5),
    ("D", 2024, "administration", 3, 1),
]


@pytest.fixture
def small() -> CleanData:
    return make_clean(
        {
            "stg_organisations": organisations(SECTORS),
            "stg_partner_responses": responses(RESPONSES_2024),
            "partner_ratings": ratings(RATINGS_2024),
        }
    )


def value(frame: pd.DataFrame, indicator: str, group: str = "", year: int = 2024) -> pd.Series:
    row = frame[(frame["indicator"] == indicator) & (frame["group"] == group) & (frame["year"] == year)]
    assert len(row) == 1, f"{indicator}/{group}: {len(row)} rows"
    return row.iloc[0]


def test_ties_follow_the_rule_of_either_side(small: CleanData) -> None:
    ties = network_frames(small).ties
    assert list(ties.columns) == TIE_COLUMNS
    got = {(r.org_a, r.org_b): (r.freq, r.sector_a, r.sector_b) for r in ties.itertuples()}
    assert got == {
        ("A", "B"): (3, "civil_society", "civil_society"),
        ("A", "C"): (2, "civil_society", "politics"),
        ("C", "D"): (4, "politics", "administration"),
        ("D", "E"): (2, "administration", "business"),
    }


def test_structure_metrics_by_hand(small: CleanData) -> None:
    values = network_frames(small).values
    assert list(values.columns) == VALUE_COLUMNS
    assert value(values, "network_density")["value"] == pytest.approx(2 * 4 / (5 * 4))
    assert value(values, "cross_sector_tie_share")["value"] == pytest.approx(3 / 4)
    # d_max = 2: Σ(d_max − d_i) = 0 + 1 + 0 + 0 + 1 = 2; (n−1)(n−2) = 12
    assert value(values, "degree_centralization")["value"] == pytest.approx(2 / 12)
    shares = [2 / 5, 1 / 5, 1 / 5, 1 / 5]
    entropy = -sum(p * math.log(p) for p in shares)
    assert value(values, "sector_balance")["value"] == pytest.approx(entropy / math.log(4))
    for indicator in ("network_density", "cross_sector_tie_share", "degree_centralization", "sector_balance"):
        row = value(values, indicator)
        assert row["n"] == 5  # all organisations of the list
        assert math.isnan(row["ci_low"]) and math.isnan(row["ci_high"])
        assert row["weighted"] is None and not row["suppressed"]
        assert row["source_files"] == "akteure.csv,organisationen.csv"


def test_rating_means_by_hand(small: CleanData) -> None:
    values = network_frames(small).values
    # counted TRUST: A→B 4, B→A 4, A→C 3, C→A 2, C→D 1, D→E 3 (raters A, B, C, D)
    trust = value(values, "trust_mean")
    assert trust["value"] == pytest.approx(17 / 6) and trust["n"] == 4
    civil = value(values, "trust_mean", "civil_society")  # about A or B: 4, 4, 2 by B, A, C
    assert civil["value"] == pytest.approx(10 / 3) and civil["n"] == 3 and civil["breakdown"] == "sector"
    # politics, administration, business: each rated organisation is alone in its sector, so the mean
    # would be that one organisation's rating: the row arrives suppressed, with no value and no n
    for sector in ("politics", "administration", "business"):
        single = value(values, "trust_mean", sector)
        assert single["suppressed"] and math.isnan(single["value"]) and pd.isna(single["n"])
    # counted VALUE: A→B 3, B→A 4, C→A 2, C→D 1, D→E 4 (A→C has none)
    val = value(values, "value_mean")
    assert val["value"] == pytest.approx(14 / 5) and val["n"] == 4
    assert values[(values["indicator"] == "value_mean") & (values["group"] == "politics")].empty  # A→C had none
    assert value(values, "value_mean", "civil_society")["value"] == pytest.approx(3.0)  # 3, 4, 2


def test_response_shares_by_hand(small: CleanData) -> None:
    values = network_frames(small).values
    eye = value(values, "equal_footing_agree")  # EYE 5, 4, 2, 3
    assert eye["value"] == pytest.approx(0.5) and eye["n"] == 4
    assert value(values, "equal_footing_agree", "civil_society")["value"] == pytest.approx(1.0)
    assert value(values, "equal_footing_agree", "politics")["value"] == pytest.approx(0.0)
    he = value(values, "paid_volunteer_cooperation_agree")  # HE 4, –, 5, 1
    assert he["value"] == pytest.approx(2 / 3) and he["n"] == 3
    assert (values.loc[values["indicator"] == "paid_volunteer_cooperation_agree", "breakdown"] == "").all()
    # min_cell 5: no sector has five respondents, so no gap row
    assert values[values["indicator"] == "equal_footing_gap"].empty


def test_equal_footing_gap_needs_two_qualifying_sectors() -> None:
    frames = {
        "stg_organisations": organisations(SECTORS),
        "stg_partner_responses": responses(RESPONSES_2024),
        "partner_ratings": ratings(RATINGS_2024),
    }
    # min_cell 2: only civil_society (A, B) qualifies
    none = network_frames(make_clean(frames, min_cell=2)).values
    assert none[none["indicator"] == "equal_footing_gap"].empty
    # min_cell 1: civil 4.5, politics 2, administration 3 → gap 2.5 over 4 respondents
    gap = value(network_frames(make_clean(frames, min_cell=1)).values, "equal_footing_gap")
    assert gap["value"] == pytest.approx(2.5) and gap["n"] == 4


def test_nodes_cover_the_whole_list_and_keep_their_place_across_waves() -> None:
    later = [(2025, a, b, f, t, v) for (_, a, b, f, t, v) in RATINGS_2024 if (a, b) != ("C", "D")]
    frames = {
        "stg_organisations": organisations(SECTORS),
        "stg_partner_responses": responses(RESPONSES_2024 + [(o, 2025, s, e, h) for o, _, s, e, h in RESPONSES_2024]),
        "partner_ratings": ratings(RATINGS_2024 + later),
    }
    result = network_frames(make_clean(frames))
    nodes = result.nodes
    assert list(nodes.columns) == NODE_COLUMNS
    assert len(nodes) == 10  # 5 organisations × 2 waves, E included though it never answered
    degrees = nodes.set_index(["year", "org_id"])["degree"]
    assert degrees[(2024, "C")] == 2 and degrees[(2025, "C")] == 1
    positions = nodes.pivot(index="org_id", columns="year", values="x")
    assert (positions[2024] == positions[2025]).all()
    assert nodes[["x", "y"]].notna().all().all()
    # a second run gives the same layout (fixed seed)
    again = network_frames(make_clean(frames)).nodes
    pd.testing.assert_frame_equal(nodes, again)
    density_2025 = value(result.values, "network_density", year=2025)["value"]
    assert density_2025 == pytest.approx(2 * 3 / 20)


def test_missing_inputs_give_empty_frames() -> None:
    empty = network_frames(make_clean({}))
    assert list(empty.values.columns) == VALUE_COLUMNS and empty.values.empty
    assert list(empty.nodes.columns) == NODE_COLUMNS and empty.nodes.empty
    assert list(empty.ties.columns) == TIE_COLUMNS and empty.ties.empty
    # responses without ratings: response shares, density 0, no cross-sector share or sector balance
    only = network_frames(
        make_clean({"stg_organisations": organisations(SECTORS), "stg_partner_responses": responses(RESPONSES_2024)})
    )
    assert value(only.values, "network_density")["value"] == 0.0
    assert value(only.values, "degree_centralization")["value"] == 0.0
    assert only.values[only.values["indicator"].isin(["cross_sector_tie_share", "sector_balance"])].empty
    assert only.ties.empty and len(only.nodes) == 5


# --- a published network ------------------------------------------------------------------------------------


def karate_clean() -> tuple[nx.Graph, CleanData]:
    """Zachary's karate club as FREQ answers: one side reports 2–4, the other side sometimes 0 or 1."""
    graph = nx.karate_club_graph()
    rng = np.random.default_rng(7)
    ids = {i: f"k{i:02d}" for i in graph.nodes}
    sectors = ["civil_society", "politics", "administration", "business"]
    orgs = organisations({ids[i]: sectors[i % 4] for i in graph.nodes})
    rows = []
    for u, v in graph.edges:
        rows.append((2024, ids[u], ids[v], int(rng.integers(2, 5)), 3, 3))
        if rng.random() < 0.5:
            rows.append((2024, ids[v], ids[u], int(rng.integers(0, 2)), 3, 3))
    resp = responses([(ids[i], 2024, sectors[i % 4], 3, 3) for i in graph.nodes])
    return graph, make_clean(
        {"stg_organisations": orgs, "stg_partner_responses": resp, "partner_ratings": ratings(rows)}
    )


def test_karate_club_density_and_freeman_centralization() -> None:
    graph, clean = karate_clean()
    result = network_frames(clean)
    degrees = np.array([d for _, d in graph.degree()])
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    assert (n, m) == (34, 78)
    by_hand_density = 2 * m / (n * (n - 1))
    by_hand_centralization = (degrees.max() - degrees).sum() / ((n - 1) * (n - 2))
    assert value(result.values, "network_density")["value"] == pytest.approx(by_hand_density)
    assert value(result.values, "network_density")["value"] == pytest.approx(nx.density(graph))
    assert value(result.values, "degree_centralization")["value"] == pytest.approx(by_hand_centralization)
    assert len(result.ties) == m
    node_degrees = result.nodes.set_index("org_id")["degree"]
    assert all(node_degrees[f"k{i:02d}"] == d for i, d in graph.degree())


def test_freeman_centralization_of_a_star_is_one() -> None:
    star = np.array([4, 1, 1, 1, 1])
    assert freeman_degree_centralization(star) == pytest.approx(1.0)
    assert math.isnan(freeman_degree_centralization(np.array([1, 1])))


# --- the tie rule on random answers -------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=36, max_size=36))
def test_tie_rule_matches_either_side_at_least_quarterly(answers: list[int]) -> None:
    names = ["o1", "o2", "o3", "o4", "o5", "o6"]
    freq = np.array(answers).reshape(6, 6)
    rows = [(2024, names[i], names[j], int(freq[i, j]), None, None) for i in range(6) for j in range(6) if i != j]
    clean = make_clean(
        {
            "stg_organisations": organisations(dict.fromkeys(names, "business")),
            "stg_partner_responses": responses([(o, 2024, "business", None, None) for o in names]),
            "partner_ratings": ratings(rows),
        }
    )
    result = network_frames(clean)
    expected = {
        (names[i], names[j]): int(max(freq[i, j], freq[j, i]))
        for i in range(6)
        for j in range(i + 1, 6)
        if max(freq[i, j], freq[j, i]) >= 2
    }
    assert {(r.org_a, r.org_b): r.freq for r in result.ties.itertuples()} == expected
    assert value(result.values, "network_density")["value"] == pytest.approx(len(expected) / 15)


def test_agreement_shares_carry_a_wilson_interval_over_the_organisations(small: CleanData) -> None:
    """equal_footing_agree (total and sectors) and paid_volunteer_cooperation_agree: Wilson on n organisations,
    checked against statsmodels; means and structure metrics keep no interval."""
    from statsmodels.stats.proportion import proportion_confint

    values = network_frames(small).values
    for indicator, group in (
        ("equal_footing_agree", ""),
        ("equal_footing_agree", "civil_society"),
        ("equal_footing_agree", "politics"),
        ("paid_volunteer_cooperation_agree", ""),
    ):
        row = value(values, indicator, group)
        k = round(row["value"] * row["n"])
        low, high = proportion_confint(k, int(row["n"]), alpha=0.05, method="wilson")
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high)), (indicator, group)
        assert row["ci_low"] <= row["value"] <= row["ci_high"]
    assert math.isnan(value(values, "trust_mean")["ci_low"])
