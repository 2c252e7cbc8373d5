"""The rules of secondary suppression (brief §6, issue 12) one by one, and the kind kept with each value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.indicators.participation_common import finish_values
from etl.indicators.suppression import shown_network, suppress

TOWN = "09999001"


def values(rows: list[tuple], year: int = 2024) -> pd.DataFrame:
    """Rows (indicator, breakdown, group, value, n) of one town and year as an unsuppressed value frame."""
    frame = pd.DataFrame(rows, columns=["indicator", "breakdown", "group", "value", "n"])
    frame["town_ags"], frame["year"], frame["source_files"] = TOWN, year, "x.csv"
    return finish_values(frame)


def kinds(out: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    return {(r.indicator, r.breakdown, r.group): r.suppression for r in out.itertuples()}


# --- the kind column ----------------------------------------------------------------------------------------


def test_kind_is_empty_primary_or_secondary_and_matches_suppressed() -> None:
    rows = [
        ("registered_volunteers", "", "", 30, 30),
        ("registered_volunteers", "gender", "w", 18, 18),
        ("registered_volunteers", "gender", "m", 9, 9),  # next smallest: secondary
        ("registered_volunteers", "gender", "d", 3, 3),  # primary
        ("hours_per_month", "", "", 4.0, None),  # no n: primary
        ("events", "", "", 2, 2),  # exempt: shown
        ("registered_per_1000", "", "", 1.5, 30),
    ]
    out = suppress(values(rows), 5)
    got = kinds(out)
    assert got[("registered_volunteers", "gender", "d")] == "primary"
    assert got[("registered_volunteers", "gender", "m")] == "secondary"
    assert got[("hours_per_month", "", "")] == "primary"
    assert got[("registered_volunteers", "", "")] == got[("events", "", "")] == ""
    assert got[("registered_volunteers", "gender", "w")] == got[("registered_per_1000", "", "")] == ""
    assert set(out["suppression"]) <= {"", "primary", "secondary"}
    assert (out["suppressed"] == (out["suppression"] != "")).all()
    hidden = out[out["suppressed"]]
    assert hidden["value"].isna().all() and hidden["n"].isna().all()


def test_derived_from_a_hidden_count_is_secondary_unless_its_own_n_is_small() -> None:
    rows = [
        ("registered_volunteers", "", "", 30, 30),
        ("registered_volunteers", "gender", "w", 18, 18),
        ("registered_volunteers", "gender", "m", 9, 9),
        ("registered_volunteers", "gender", "d", 3, 3),
        ("representation_index", "gender", "w", 1.2, 16),
        ("representation_index", "gender", "m", 0.6, 9),  # follows the secondary count m
    ]
    got = kinds(suppress(values(rows), 5))
    assert got[("representation_index", "gender", "m")] == "secondary"
    assert got[("representation_index", "gender", "w")] == ""


def test_arriving_suppressed_rows_are_primary_and_suppress_is_idempotent() -> None:
    rows = [
        ("trust_mean", "", "", 3.1, 20),
        ("trust_mean", "sector", "business", 2.0, 12),  # one rated organisation: arrives suppressed
        ("trust_mean", "sector", "politics", 3.5, 6),
        ("trust_mean", "sector", "civil_society", 3.0, 14),
    ]
    frame = values(rows)
    frame.loc[1, ["suppressed", "value", "n"]] = [True, np.nan, pd.NA]
    once = suppress(frame, 5)
    got = kinds(once)
    assert got[("trust_mean", "sector", "business")] == "primary"
    assert got[("trust_mean", "sector", "politics")] == "secondary"  # the next smallest shown sector
    assert got[("trust_mean", "sector", "civil_society")] == ""
    twice = suppress(once, 5)
    pd.testing.assert_frame_equal(once, twice)


def test_empty_frame_has_the_kind_column() -> None:
    out = suppress(finish_values(pd.DataFrame()), 5)
    assert out.empty and {"suppressed", "suppression"} <= set(out.columns)


# --- rules ---------------------------------------------------------------------------------------------------


def test_rule_two_for_every_family_and_tie_on_group_code() -> None:
    rows = [
        ("equal_footing_agree", "", "", 0.6, 25),
        ("equal_footing_agree", "sector", "politics", 0.5, 4),
        ("equal_footing_agree", "sector", "business", 0.6, 5),
        ("equal_footing_agree", "sector", "administration", 0.4, 5),
        ("equal_footing_agree", "sector", "civil_society", 0.7, 11),
        ("value_mean", "", "", 3.0, 20),
        ("value_mean", "sector", "politics", 2.0, 3),
        ("value_mean", "sector", "business", 3.1, 17),
    ]
    got = kinds(suppress(values(rows), 5))
    assert got[("equal_footing_agree", "sector", "administration")] == "secondary"  # n 5 = 5, sorts first
    assert got[("equal_footing_agree", "sector", "business")] == ""
    assert got[("value_mean", "sector", "business")] == "secondary"  # the only other group


def test_hidden_shares_of_all_yes_get_a_group_with_another_share() -> None:
    # The demo warehouse's Musterstadt 2023: politics 4 of 4 (hidden), business 5 of 5 (next smallest). Both
    # hidden together are 9 of 9 = 100 %, which says politics is 100 %: administration (4 of 6) is hidden too.
    rows = [
        ("equal_footing_agree", "", "", 0.8, 25),
        ("equal_footing_agree", "sector", "politics", 1.0, 4),
        ("equal_footing_agree", "sector", "business", 1.0, 5),
        ("equal_footing_agree", "sector", "administration", 4 / 6, 6),
        ("equal_footing_agree", "sector", "civil_society", 0.7, 10),
    ]
    got = kinds(suppress(values(rows), 5))
    assert got[("equal_footing_agree", "sector", "politics")] == "primary"
    assert got[("equal_footing_agree", "sector", "business")] == "secondary"
    assert got[("equal_footing_agree", "sector", "administration")] == "secondary"
    assert got[("equal_footing_agree", "sector", "civil_society")] == ""


def test_a_total_of_100_percent_with_a_hidden_group_is_hidden() -> None:
    rows = [
        ("engagement_rate", "", "", 1.0, 40),
        ("engagement_rate", "gender", "w", 1.0, 20),
        ("engagement_rate", "gender", "m", 1.0, 17),
        ("engagement_rate", "gender", "d", 1.0, 3),
        ("participation_rate", "", "", 0.5, 40),  # one group of unknown-gender members: nothing to add
        ("participation_rate", "gender", "d", 0.0, 3),
    ]
    out = suppress(values(rows), 5)
    got = kinds(out)
    assert got[("engagement_rate", "", "")] == "secondary"
    assert all(got[("engagement_rate", "gender", g)] != "" for g in ("w", "m", "d"))
    assert got[("participation_rate", "", "")] == "" and got[("participation_rate", "gender", "d")] == "primary"


def test_representation_index_hidden_where_it_would_single_out_a_hidden_group() -> None:
    rows = [
        ("registered_volunteers", "", "", 60, 60),
        ("registered_volunteers", "age_band", "14-29", 12, 12),
        ("registered_volunteers", "age_band", "30-49", 20, 20),
        ("registered_volunteers", "age_band", "50-64", 15, 15),
        ("registered_volunteers", "age_band", "65+", 10, 10),
        ("registered_volunteers", "age_band", "0-13", 3, 3),  # every volunteer has an age band
        ("representation_index", "age_band", "14-29", 0.9, 12),
        ("representation_index", "age_band", "30-49", 1.1, 20),
        ("representation_index", "age_band", "50-64", 1.0, 15),
        ("representation_index", "age_band", "65+", 0.8, 10),
    ]
    out = suppress(values(rows), 5)
    got = kinds(out)
    # 0-13 primary, 65+ secondary (rule 2), index 65+ follows; any shown index gives K = 57 and 60 − 57 = 3
    assert got[("registered_volunteers", "age_band", "0-13")] == "primary"
    assert got[("registered_volunteers", "age_band", "65+")] == "secondary"
    assert all(got[("representation_index", "age_band", b)] == "secondary" for b in ("14-29", "30-49", "50-64"))
    # Two adult bands hidden: K − Σ shown leaves two unknowns. But with every volunteer's age known, the
    # total 55 − K (49) is still the 3 hidden under-14s: hidden. With 4 volunteers of unknown age it is not.
    two = [
        ("registered_volunteers", "", "", 55, 55),
        ("registered_volunteers", "age_band", "14-29", 4, 4),
        ("registered_volunteers", "age_band", "30-49", 25, 25),
        ("registered_volunteers", "age_band", "50-64", 19, 19),
        ("registered_volunteers", "age_band", "65+", 4, 4),
        ("registered_volunteers", "age_band", "0-13", 3, 3),
        ("representation_index", "age_band", "14-29", 0.3, 4),
        ("representation_index", "age_band", "30-49", 1.4, 25),
        ("representation_index", "age_band", "50-64", 1.2, 19),
        ("representation_index", "age_band", "65+", 0.2, 4),
    ]
    got = kinds(suppress(values(two), 5))
    assert got[("representation_index", "age_band", "30-49")] == "secondary"
    two[0] = ("registered_volunteers", "", "", 59, 59)
    got = kinds(suppress(values(two), 5))
    assert got[("representation_index", "age_band", "30-49")] == got[("representation_index", "age_band", "50-64")]
    assert got[("representation_index", "age_band", "30-49")] == ""
    assert got[("representation_index", "age_band", "65+")] == "primary"


def test_registrations_identity_kept_plus_new() -> None:
    rows = [
        ("registered_volunteers", "", "", 30, 30),
        ("new_volunteers", "", "", 3, 3),  # primary: 30 − 27 kept would give it back
        ("retention_rate", "", "", 27 / 28, 28),
    ]
    got = kinds(suppress(values(rows), 5))
    assert got[("new_volunteers", "", "")] == "primary" and got[("retention_rate", "", "")] == "secondary"
    shown = kinds(suppress(values([*rows[:1], ("new_volunteers", "", "", 8, 8), rows[2]]), 5))
    assert shown[("retention_rate", "", "")] == "" and shown[("new_volunteers", "", "")] == ""


def test_equal_footing_gap_hidden_with_a_hidden_qualifying_sector() -> None:
    rows = [
        ("equal_footing_agree", "", "", 0.6, 25),
        ("equal_footing_agree", "sector", "politics", 0.5, 4),
        ("equal_footing_agree", "sector", "business", 0.4, 5),
        ("equal_footing_agree", "sector", "administration", 0.5, 6),
        ("equal_footing_agree", "sector", "civil_society", 0.8, 10),
        ("equal_footing_gap", "", "", 0.9, 21),  # 25 − 21 = politics' 4; 21 − 16 shown = business' 5
    ]
    got = kinds(suppress(values(rows), 5))
    assert got[("equal_footing_gap", "", "")] == "secondary"
    two_small = [(i, b, g, v, 3 if g in ("politics", "business") else n) for i, b, g, v, n in rows]
    two_small[0] = ("equal_footing_agree", "", "", 0.6, 22)
    two_small[-1] = ("equal_footing_gap", "", "", 0.9, 16)
    got = kinds(suppress(values(two_small), 5))
    assert got[("equal_footing_gap", "", "")] == ""  # its n is the sum of the shown sectors


def test_network_map_only_where_its_figures_are_shown() -> None:
    vals = pd.concat(
        [values([("network_density", "", "", 0.5, 4)], 2023), values([("network_density", "", "", 0.4, 6)], 2024)]
    )
    out = suppress(vals, 5)
    nodes = pd.DataFrame(
        {"town_ags": TOWN, "year": [2023, 2024], "org_id": "A", "name": "A", "sector": "business", "degree": 1}
    ).assign(x=0.0, y=0.0)
    ties = pd.DataFrame(
        {"town_ags": TOWN, "year": [2023, 2024], "org_a": "A", "org_b": "B", "sector_a": "business"}
    ).assign(sector_b="politics", freq=2)
    kept_nodes, kept_ties = shown_network(nodes, ties, out)
    assert kept_nodes["year"].tolist() == [2024] and kept_ties["year"].tolist() == [2024]
    assert list(kept_nodes.columns) == list(nodes.columns) and list(kept_ties.columns) == list(ties.columns)
