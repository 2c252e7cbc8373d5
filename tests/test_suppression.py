"""Small-cell suppression of brief §6: primary, secondary, derived; on hand-made and random values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.indicators.participation_common import finish_values
from etl.indicators.registrations import registration_values
from etl.indicators.suppression import suppress
from etl.model import CleanData, Manifest, Project, Town

TOWN = "09999001"


def values(rows: list[tuple]) -> pd.DataFrame:
    """Rows (indicator, breakdown, group, value, n) of one town and year as a value frame."""
    frame = pd.DataFrame(rows, columns=["indicator", "breakdown", "group", "value", "n"])
    frame["town_ags"], frame["year"], frame["source_files"] = TOWN, 2024, "x.csv"
    frame["ci_low"] = np.where(frame["indicator"].str.endswith("rate"), frame["value"] - 0.01, np.nan)
    frame["ci_high"] = np.where(frame["indicator"].str.endswith("rate"), frame["value"] + 0.01, np.nan)
    return finish_values(frame)


def state(out: pd.DataFrame) -> dict:
    return {(r.indicator, r.breakdown, r.group): r.suppressed for r in out.itertuples()}


def test_primary_suppression_clears_value_n_and_interval() -> None:
    out = suppress(values([("engagement_rate", "", "", 0.4, 130), ("engagement_rate", "gender", "d", 1.0, 4)]), 5)
    shown, hidden = out.iloc[0], out.iloc[1]
    assert not shown["suppressed"] and shown["value"] == 0.4 and shown["n"] == 130
    assert hidden["suppressed"]
    assert np.isnan(hidden["value"]) and pd.isna(hidden["n"])
    assert np.isnan(hidden["ci_low"]) and np.isnan(hidden["ci_high"])
    assert hidden["source_files"] == "x.csv"  # provenance stays


def test_n_equal_to_min_cell_is_shown_and_events_are_exempt() -> None:
    out = suppress(
        values(
            [("retention_rate", "", "", 0.2, 5), ("events", "", "", 2, 2), ("multi_sector_event_share", "", "", 0.5, 2)]
        ),
        5,
    )
    assert not out["suppressed"].any()


def test_secondary_suppresses_next_smallest_group() -> None:
    rows = [
        ("registered_volunteers", "", "", 20, 20),
        ("registered_volunteers", "gender", "w", 10, 10),
        ("registered_volunteers", "gender", "m", 3, 3),  # primary
        ("registered_volunteers", "gender", "d", 7, 7),  # next smallest: secondary
        ("registered_volunteers", "area", "Sport", 12, 12),
        ("registered_volunteers", "area", "Kultur", 8, 8),  # no group suppressed: untouched
    ]
    got = state(suppress(values(rows), 5))
    assert got[("registered_volunteers", "gender", "m")] and got[("registered_volunteers", "gender", "d")]
    assert not got[("registered_volunteers", "gender", "w")]
    assert not any(got[("registered_volunteers", "area", g)] for g in ("Sport", "Kultur"))
    assert not got[("registered_volunteers", "", "")]


def test_secondary_tie_broken_by_group_name_and_two_suppressed_left_alone() -> None:
    rows = [
        ("new_volunteers", "", "", 30, 30),
        ("new_volunteers", "district", "03", 2, 2),
        ("new_volunteers", "district", "02", 9, 9),
        ("new_volunteers", "district", "01", 9, 9),
        ("new_volunteers", "district", "04", 10, 10),
        ("registered_volunteers", "", "", 30, 30),
        ("registered_volunteers", "age_band", "14-29", 2, 2),
        ("registered_volunteers", "age_band", "65+", 3, 3),  # two suppressed already: nothing more
        ("registered_volunteers", "age_band", "30-49", 25, 25),
    ]
    got = state(suppress(values(rows), 5))
    assert got[("new_volunteers", "district", "01")] and not got[("new_volunteers", "district", "02")]
    assert not got[("registered_volunteers", "age_band", "30-49")]


def test_hidden_total_hides_its_groups_and_survey_rates_get_secondary_too() -> None:
    # Contract change (brief §6 as extended by issue 12): a hidden total hides its groups (the shown ones would
    # add up to it), and survey rates have secondary suppression like every suppressible breakdown.
    rows = [
        ("registered_volunteers", "", "", 40, 40),  # arrives suppressed below
        ("registered_volunteers", "gender", "w", 3, 3),
        ("registered_volunteers", "gender", "m", 37, 37),
        ("engagement_rate", "", "", 0.4, 100),
        ("engagement_rate", "gender", "d", 0.5, 2),
        ("engagement_rate", "gender", "w", 0.4, 50),
        ("engagement_rate", "gender", "m", 0.4, 48),
    ]
    frame = values(rows)
    frame.loc[0, "suppressed"] = True
    out = suppress(frame, 5)
    got = state(out)
    assert got[("registered_volunteers", "", "")] and got[("registered_volunteers", "gender", "w")]
    assert got[("registered_volunteers", "gender", "m")]  # 37 = the hidden total − 3
    assert got[("engagement_rate", "gender", "d")] and got[("engagement_rate", "gender", "m")]  # next smallest
    assert not got[("engagement_rate", "gender", "w")] and not got[("engagement_rate", "", "")]
    kinds = {(r.indicator, r.group): r.suppression for r in out.itertuples()}
    assert kinds[("registered_volunteers", "")] == "primary" and kinds[("registered_volunteers", "m")] == "secondary"
    assert kinds[("engagement_rate", "d")] == "primary" and kinds[("engagement_rate", "m")] == "secondary"


def test_derived_values_follow_their_count() -> None:
    rows = [
        ("registered_volunteers", "", "", 40, 40),
        ("registered_volunteers", "gender", "w", 33, 33),
        ("registered_volunteers", "gender", "m", 4, 4),
        ("registered_volunteers", "gender", "d", 3, 3),
        ("registered_volunteers", "age_band", "65+", 6, 6),
        ("registered_volunteers", "age_band", "14-29", 30, 30),
        ("registered_volunteers", "age_band", "0-13", 4, 4),
        ("representation_index", "gender", "w", 1.3, 33),
        ("representation_index", "age_band", "65+", 0.4, 6),  # own n is fine: suppressed with its count
        ("representation_index", "age_band", "14-29", 1.2, 30),
        ("registered_per_1000", "", "", 2.1, 40),
    ]
    got = state(suppress(values(rows), 5))
    assert got[("registered_volunteers", "age_band", "65+")]  # secondary (next smallest after 0-13)
    assert got[("representation_index", "age_band", "65+")]
    # Contract change (issue 12): the shown 14-29 index would publish the volunteers aged 14+ with an age band
    # (n / (index · population share) = 36), and 36 − 30 gives the hidden 65+ (40 − 36 the hidden under-14s):
    # the whole age-band index is hidden. The gender index keeps w: K − 33 leaves m and d, two hidden groups.
    assert got[("representation_index", "age_band", "14-29")]
    assert not got[("representation_index", "gender", "w")]
    assert not got[("registered_per_1000", "", "")]
    hidden_total = values([("registered_volunteers", "", "", 3, 3), ("registered_per_1000", "", "", 0.2, 30)])
    assert suppress(hidden_total, 5)["suppressed"].all()


def test_generic_for_other_families_and_missing_n() -> None:
    rows = [
        ("network_density", "", "", 0.3, 4),
        ("trust_mean", "sector", "business", 3.1, 12),
        ("x_unknown", "", "", 1, None),
    ]
    out = values(rows)
    out.loc[0, "suppressed"] = False
    got = state(suppress(out, 5))
    assert got[("network_density", "", "")] and not got[("trust_mean", "sector", "business")]
    assert got[("x_unknown", "", "")]
    already = values([("engagement_rate", "", "", 0.4, 100)]).assign(suppressed=True)
    assert suppress(already, 5)["suppressed"].all() and suppress(already, 5)["value"].isna().all()


def test_empty_frame() -> None:
    out = suppress(finish_values(pd.DataFrame()), 5)
    assert out.empty and "suppressed" in out.columns


random_values = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "engagement_rate",
                "registered_volunteers",
                "new_volunteers",
                "representation_index",
                "events",
                "trust_mean",
            ]
        ),
        st.sampled_from([("", ""), ("gender", "w"), ("gender", "m"), ("gender", "d"), ("district", "01")]),
        st.floats(0, 1),
        st.one_of(st.none(), st.integers(0, 40)),
        st.sampled_from([2023, 2024]),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(rows=random_values, min_cell=st.integers(1, 10))
def test_property_no_small_cell_keeps_a_value(rows: list[tuple], min_cell: int) -> None:
    frame = pd.DataFrame(
        [(ind, b, g, v, n, y) for ind, (b, g), v, n, y in rows],
        columns=["indicator", "breakdown", "group", "value", "n", "year"],
    )
    frame = frame.drop_duplicates(["indicator", "breakdown", "group", "year"])
    frame["town_ags"], frame["source_files"] = TOWN, ""
    before = finish_values(frame)
    out = suppress(before, min_cell)
    small = before["n"].isna() | (before["n"].fillna(0) < min_cell)
    exempt = before["indicator"] == "events"
    assert out.loc[small & ~exempt, "value"].isna().all()
    assert out.loc[out["suppressed"], "n"].isna().all() and out.loc[out["suppressed"], "value"].isna().all()
    shown = out.loc[~out["suppressed"] & ~exempt]
    assert (shown["n"] >= min_cell).all()


def _registrations(draw: st.DrawFn) -> pd.DataFrame:
    count = draw(st.integers(1, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    start = pd.to_datetime("2019-01-01") + pd.to_timedelta(rng.integers(0, 4 * 365, count), unit="D")
    ended = (start + pd.to_timedelta(rng.integers(0, 3 * 365, count), unit="D")).where(rng.random(count) < 0.4)
    return pd.DataFrame(
        {
            "town_ags": rng.choice([TOWN, "09999002"], count),
            "person_key": [f"p{i}" for i in rng.integers(0, max(2, count // 2), count)],
            "registered_on": start.date,
            "ended_on": ended,
            "area": rng.choice(["Sport", "Kultur", None], count),
            "birth_year": pd.array(rng.choice([1950, 1980, 2000, 2012, None], count), dtype="Int64"),
            "gender": rng.choice(["w", "m", "d", None], count),
            "district": rng.choice(["01", "02", None], count),
            "source_file": "freiwillige.csv",
            "source_row": np.arange(count) + 2,
        }
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), min_cell=st.integers(2, 8))
def test_property_registrations_after_suppression(data: st.DataObject, min_cell: int) -> None:
    regs = data.draw(st.composite(_registrations)())
    pop_rows = [
        {"ags": TOWN, "year": 2019, "district": d, "age_band": b, "gender": g, "count": 100.0}
        for d in ("", "01", "02")
        for b in ("0-13", "14-29", "30-49", "50-64", "65+")
        for g in ("w", "m")
    ]
    manifest = Manifest(Path("engage.toml"), Project("Test", min_cell=min_cell), (Town(TOWN, "T"),), ())
    clean = CleanData(manifest, {"stg_registrations": regs, "population": pd.DataFrame(pop_rows)}, {}, dt.date.today())
    raw = registration_values(clean)
    out = suppress(raw, min_cell)
    small = raw["n"] < min_cell
    assert out.loc[small, "value"].isna().all() and out.loc[small, "n"].isna().all()
    rates = out[out["indicator"] == "retention_rate"]["value"].dropna()
    assert rates.between(0, 1).all()
    # no breakdown of a shown count total has exactly one suppressed group (unless it has only one group)
    counts = out[out["indicator"].isin(["registered_volunteers", "new_volunteers"])]
    totals = counts[(counts["breakdown"] == "") & ~counts["suppressed"]][["town_ags", "indicator", "year"]]
    groups = counts[counts["breakdown"] != ""].merge(totals, on=["town_ags", "indicator", "year"])
    per = groups.groupby(["town_ags", "indicator", "year", "breakdown"])["suppressed"].agg(["sum", "size"])
    assert ((per["sum"] != 1) | (per["size"] == 1)).all()
    # every representation index whose volunteer count is hidden is hidden too
    rep = out[out["indicator"] == "representation_index"].merge(
        out[out["indicator"] == "registered_volunteers"], on=["town_ags", "year", "breakdown", "group"]
    )
    assert (~rep["suppressed_y"] | rep["suppressed_x"]).all()
