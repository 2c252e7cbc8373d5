"""Survey weighting (§5.1) and the resident-survey indicators (§5.2) on small hand-computed cases."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from etl.indicators.stats import kish_n_eff, wilson_interval
from etl.indicators.survey import survey_values, survey_weighting, survey_weights
from etl.indicators.values import VALUE_COLUMNS
from etl.model import CleanData, Manifest, Project, Town
from etl.tables import ENG3_AREAS

TOWN = "09999001"
BANDS = ["0-13", "14-29", "30-49", "50-64", "65+"]


def respondent(age: int, gender: str | None, **answers: object) -> dict:
    """One complete response with every column of stg_survey_responses; answers override the defaults."""
    band = BANDS[int(np.searchsorted([14, 30, 50, 65], age, side="right"))]
    row: dict = {
        "town_ags": TOWN,
        "year": 2024,
        "response_id": "",
        "submitdate": pd.Timestamp("2024-05-01"),
        "complete": True,
        "below_min_age": age < 14,
        "age": age,
        "age_band": band,
        "gender": gender,
        "district": None,
        "edu": None,
        "mig": None,
        "eng1": None,
        "eng2": None,
        "will": None,
        "part": None,
        "ease": None,
        "info": None,
        "recog": None,
        "know": None,
        "weight": None,
        "weighted": None,
        "source_file": "umfrage_2024.csv",
        "source_row": 0,
        **{f"eng3_{a}": False for a in ENG3_AREAS},
    }
    row.update(answers)
    return row


def population(cells: dict[tuple[str, str], float], ags: str = TOWN, year: int = 2024) -> pd.DataFrame:
    rows = [
        {"ags": ags, "year": year, "district": "", "age_band": b, "gender": g, "count": cells.get((b, g), 0.0)}
        for b in BANDS
        for g in ("w", "m")
    ]
    return pd.DataFrame(rows)


def clean_data(rows: list[dict], pop: pd.DataFrame | None) -> CleanData:
    frame = pd.DataFrame(rows)
    frame["response_id"] = [str(i) for i in range(len(frame))]
    frame["source_row"] = np.arange(len(frame)) + 2
    frame["edu"] = frame["edu"].astype("Int64")
    for col in ("will", "ease", "info", "recog"):
        frame[col] = frame[col].astype("Int64")
    frames = {"stg_survey_responses": frame}
    if pop is not None:
        frames["population"] = pop
    manifest = Manifest(Path("engage.toml"), Project("Test"), (Town(TOWN, "Musterstadt"),), ())
    return CleanData(manifest, frames, {"resident_survey": ["umfrage_2024.csv"]}, dt.date(2025, 1, 1))


def value(values: pd.DataFrame, indicator: str, breakdown: str = "", group: str = "") -> pd.Series:
    sel = values[(values["indicator"] == indicator) & (values["breakdown"] == breakdown) & (values["group"] == group)]
    assert len(sel) == 1, (indicator, breakdown, group, len(sel))
    return sel.iloc[0]


# The 2×2 raking example of tests/test_stats.py as respondents: 2 women and 1 man aged 14-29, 1 woman and
# 2 men aged 30-49; population 14-29 : 30-49 = 4 : 2, w : m = 1 : 1, nobody 50+. Targets (n = 6): bands
# [4, 2], genders [3, 3]; fitted cells a, 4 − a, 3 − a, a − 1 with a = (9 − √17)/2. One respondent with
# gender d keeps weight 1; the weights already have mean 1 (sum 7 over 7 respondents).
A = (9 - math.sqrt(17)) / 2
POP_2X2 = population(
    {("0-13", "w"): 500, ("14-29", "w"): 200, ("14-29", "m"): 200, ("30-49", "w"): 100, ("30-49", "m"): 100}
)
W_2X2 = [A / 2, A / 2, 4 - A, 3 - A, (A - 1) / 2, (A - 1) / 2, 1.0]


def rows_2x2(**answers_by_index: dict) -> list[dict]:
    people = [(20, "w"), (25, "w"), (22, "m"), (40, "w"), (35, "m"), (45, "m"), (33, "d")]
    return [respondent(age, g, **answers_by_index.get(f"r{i}", {})) for i, (age, g) in enumerate(people)]


def test_raking_weights_hand_worked() -> None:
    clean = clean_data(rows_2x2(), POP_2X2)
    weight, weighted = survey_weights(clean.frames["stg_survey_responses"], clean.frames["population"])
    np.testing.assert_allclose(weight.to_numpy(), W_2X2, atol=1e-6)
    assert weighted.all()


def test_raking_reproduces_population_margins_within_tolerance() -> None:
    rng = np.random.default_rng(3)
    ages = rng.integers(14, 90, 400)
    genders = rng.choice(["w", "m"], 400, p=[0.62, 0.38])
    rows = [respondent(int(a), str(g)) for a, g in zip(ages, genders, strict=True)]
    cells = {(b, g): float(rng.integers(500, 3000)) for b in BANDS for g in ("w", "m")}
    pop = population(cells)
    weight, _ = survey_weights(pd.DataFrame(rows), pop)
    frame = pd.DataFrame(rows).assign(w=weight)
    adult = pop[pop["age_band"] != "0-13"]
    band_target = adult.groupby("age_band")["count"].sum() / adult["count"].sum() * len(rows)
    gender_target = adult.groupby("gender")["count"].sum() / adult["count"].sum() * len(rows)
    assert weight.mean() == pytest.approx(1.0)
    pd.testing.assert_series_equal(
        frame.groupby("age_band")["w"].sum(), band_target, check_names=False, atol=1e-6, rtol=0
    )
    pd.testing.assert_series_equal(
        frame.groupby("gender")["w"].sum(), gender_target, check_names=False, atol=1e-6, rtol=0
    )


def test_band_without_respondents_spreads_its_share() -> None:
    # Population aged 14-29 : 30-49 : 50-64 = 200 : 600 : 800, w : m = 1 : 1, but nobody aged 50+ answered:
    # the reachable bands share the 5 respondents 1 : 3, i.e. targets 1.25 and 3.75; genders 2.5 and 2.5.
    cells = {(b, g): c for b, c in (("14-29", 100), ("30-49", 300), ("50-64", 400)) for g in ("w", "m")}
    rows = [respondent(20, "w"), respondent(21, "m"), respondent(22, "w"), respondent(40, "m"), respondent(41, "w")]
    weight, weighted = survey_weights(pd.DataFrame(rows), population(cells))
    frame = pd.DataFrame(rows).assign(w=weight)
    assert frame.groupby("age_band")["w"].sum().to_dict() == pytest.approx({"14-29": 1.25, "30-49": 3.75}, abs=1e-6)
    assert frame.groupby("gender")["w"].sum().to_dict() == pytest.approx({"w": 2.5, "m": 2.5}, abs=1e-6)
    assert weighted.all()


def test_not_counted_rows_get_no_weight() -> None:
    rows = rows_2x2() + [respondent(12, "w"), respondent(30, "m", complete=False)]
    clean = clean_data(rows, POP_2X2)
    survey_values(clean)
    stored = clean.frames["stg_survey_responses"]
    assert stored["weight"].isna().tolist() == [False] * 7 + [True, True]
    np.testing.assert_allclose(stored["weight"].to_numpy()[:7], W_2X2, atol=1e-6)
    assert stored["weighted"].dtype == bool and stored["weighted"].all()


def test_engagement_rate_weighted_hand_computed() -> None:
    # engaged: r0 (w 14-29), r3 (w 30-49), r6 (d); not engaged: r1, r2, r4, r5
    eng = {f"r{i}": {"eng1": "Y" if i in (0, 3, 6) else "N"} for i in range(7)}
    values = survey_values(clean_data(rows_2x2(**eng), POP_2X2))
    w = np.array(W_2X2)
    x = np.array([1, 0, 0, 1, 0, 0, 1.0])
    p = (w * x).sum() / w.sum()  # = (a/2 + 3 - a + 1) / 7
    assert p == pytest.approx((A / 2 + 3 - A + 1) / 7)
    n_eff = w.sum() ** 2 / (w * w).sum()
    lo, hi = wilson_interval(p, n_eff)
    row = value(values, "engagement_rate")
    assert row["value"] == pytest.approx(p)
    assert row["n"] == 7
    assert row["ci_low"] == pytest.approx(float(lo)) and row["ci_high"] == pytest.approx(float(hi))
    assert row["weighted"] is True and row["source_files"] == "umfrage_2024.csv"
    # by gender: w = r0, r1, r3 → (a/2 + 3 − a) / (a/2 + a/2 + 3 − a) = (3 − a/2) / 3
    assert value(values, "engagement_rate", "gender", "w")["value"] == pytest.approx((3 - A / 2) / 3)
    assert value(values, "engagement_rate", "gender", "d")["value"] == pytest.approx(1.0)
    assert value(values, "engagement_rate", "age_band", "30-49")["n"] == 4  # r3, r4, r5 and r6 (d)
    assert set(values.loc[values["indicator"] == "engagement_rate", "breakdown"]) == {"", "age_band", "gender"}


def test_unweighted_without_population_matches_statsmodels() -> None:
    answers = ["Y", "Y", "N", "N", "N", "Y", "N", "N", None, "N"]
    rows = [respondent(30 + i, "w", eng1=a) for i, a in enumerate(answers)]
    clean = clean_data(rows, None)
    values = survey_values(clean)
    row = value(values, "engagement_rate")
    lo, hi = proportion_confint(3, 9, method="wilson")
    assert row["value"] == pytest.approx(3 / 9) and row["n"] == 9
    assert row["ci_low"] == pytest.approx(lo) and row["ci_high"] == pytest.approx(hi)
    assert row["weighted"] is False
    assert (clean.frames["stg_survey_responses"]["weight"] == 1.0).all()
    assert not clean.frames["stg_survey_responses"]["weighted"].any()


def test_population_of_latest_earlier_year_is_used() -> None:
    pop = POP_2X2.assign(year=2021)  # no 2024 figures: 2021 is the latest earlier year
    later = population({("14-29", "w"): 1, ("30-49", "m"): 1}, year=2025)  # later years are never used
    weight, weighted = survey_weights(pd.DataFrame(rows_2x2()), pd.concat([pop, later]))
    np.testing.assert_allclose(weight.to_numpy(), W_2X2, atol=1e-6)
    assert weighted.all()


def test_other_rates_and_their_denominators() -> None:
    rows = [
        respondent(20, "w", eng1="N", will=1, part="Y", ease=5, info=1, recog=4, know="Y"),
        respondent(30, "w", eng1="N", will=3, part="N", ease=4, info=2, recog=3, know="N"),
        respondent(40, "w", eng1="N", will=None, part=None, ease=None, info=5, recog=None, know=None),
        respondent(50, "w", eng1="Y", will=2, part="Y", ease=1, info=4, recog=5, know="Y"),
    ]
    values = survey_values(clean_data(rows, None))
    assert value(values, "willingness_rate")[["value", "n"]].tolist() == [0.5, 2]  # only ENG1 = N who answered
    assert value(values, "participation_rate")[["value", "n"]].tolist() == [2 / 3, 3]
    assert value(values, "ease_agree")[["value", "n"]].tolist() == [2 / 3, 3]
    assert value(values, "info_agree")[["value", "n"]].tolist() == [0.5, 4]
    assert value(values, "recognition_agree")[["value", "n"]].tolist() == [2 / 3, 3]
    assert value(values, "office_awareness")[["value", "n"]].tolist() == [2 / 3, 3]
    assert value(values, "office_awareness", "age_band", "50-64")[["value", "n"]].tolist() == [1.0, 1]


def test_hours_median_and_area_shares() -> None:
    rows = [
        respondent(20, "w", eng1="Y", eng2=2.0, eng3_sq001=True),
        respondent(30, "w", eng1="Y", eng2=10.0, eng3_sq001=True, eng3_sq014=True),
        respondent(40, "w", eng1="Y", eng2=4.5),
        respondent(50, "w", eng1="Y", eng2=None, eng3_sq002=True),
        respondent(60, "w", eng1="N", eng2=40.0, eng3_sq003=True),  # not engaged: ignored
    ]
    values = survey_values(clean_data(rows, None))
    hours = value(values, "hours_per_month")
    assert hours["value"] == 4.5 and hours["n"] == 3 and np.isnan(hours["ci_low"])
    areas = values[values["indicator"] == "engagement_area_share"]
    assert sorted(areas["group"]) == [a.upper() for a in ENG3_AREAS]
    assert (areas["breakdown"] == "area").all() and (areas["n"] == 4).all()
    shares = areas.set_index("group")["value"]
    assert shares["SQ001"] == 0.5 and shares["SQ002"] == 0.25 and shares["SQ003"] == 0.0 and shares["SQ014"] == 0.25


def test_breakdown_labels_and_unknowns() -> None:
    rows = [
        respondent(20, "w", eng1="Y", edu=1, mig="Y", district="01"),
        respondent(30, "m", eng1="N", edu=3, mig="N", district=" 01 "),
        respondent(40, None, eng1="N", edu=None, mig=None, district=""),
    ]
    values = survey_values(clean_data(rows, None))
    eng = values[values["indicator"] == "engagement_rate"]
    groups = set(zip(eng["breakdown"], eng["group"], strict=True))
    assert groups == {
        ("", ""),
        ("age_band", "14-29"),
        ("age_band", "30-49"),
        ("gender", "w"),
        ("gender", "m"),
        ("district", "01"),
        ("edu", "1"),
        ("edu", "3"),
        ("mig", "Y"),
        ("mig", "N"),
    }
    assert value(values, "engagement_rate", "district", "01")["n"] == 2


def test_missing_or_empty_survey_gives_empty_frame() -> None:
    manifest = Manifest(Path("engage.toml"), Project("Test"), (Town(TOWN, "Musterstadt"),), ())
    clean = CleanData(manifest, {}, {}, dt.date(2025, 1, 1))
    assert survey_values(clean).empty
    values = survey_values(clean_data([respondent(10, "w", eng1="Y")], None))
    assert values.empty and list(values.columns) == VALUE_COLUMNS


def test_several_towns_and_years_are_separate() -> None:
    rows = [respondent(20, "w", eng1="Y"), respondent(20, "w", eng1="N", year=2023)]
    rows += [respondent(20, "w", eng1="N", town_ags="09999002")]
    values = survey_values(clean_data(rows, POP_2X2))
    totals = values[(values["indicator"] == "engagement_rate") & (values["breakdown"] == "")]
    got = {(r.town_ags, r.year): (r.value, r.weighted) for r in totals.itertuples()}
    assert got == {(TOWN, 2024): (1.0, True), (TOWN, 2023): (0.0, False), ("09999002", 2024): (0.0, False)}


answer = st.sampled_from
respondents = st.lists(
    st.fixed_dictionaries(
        {
            "age": st.integers(10, 95),
            "gender": answer(["w", "m", "d", None]),
            "eng1": answer(["Y", "N", None]),
            "will": answer([1, 2, 3, None]),
            "ease": answer([1, 2, 3, 4, 5, None]),
            "know": answer(["Y", "N", None]),
            "district": answer(["01", "02", None]),
            "year": answer([2023, 2024]),
        }
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=respondents, with_pop=st.booleans(), cells=st.lists(st.integers(0, 500), min_size=8, max_size=8))
def test_property_rates_in_unit_interval_and_ci_brackets_value(
    people: list[dict], with_pop: bool, cells: list[int]
) -> None:
    rows = [respondent(p.pop("age"), p.pop("gender"), **p) for p in people]
    pop = None
    if with_pop:
        pop = population(
            {(b, g): float(c) for (b, g), c in zip([(b, g) for b in BANDS[1:] for g in "wm"], cells, strict=True)}
        )
    clean = clean_data(rows, pop)
    values = survey_values(clean)
    weights = clean.frames["stg_survey_responses"]["weight"].dropna()
    assert (weights >= 0).all()
    rates = values[values["indicator"] != "hours_per_month"]
    assert rates["value"].between(0, 1).all()
    assert (rates["ci_low"] <= rates["value"] + 1e-12).all() and (rates["value"] <= rates["ci_high"] + 1e-12).all()
    assert (rates["n"] >= 1).all()


def test_raking_towards_an_almost_empty_population_keeps_every_interval() -> None:
    """Found by the property test above: targets the respondents cannot reach (a population of 63 young women,
    2 men of 30-49, 1 man of 65+ and no one else) make raking's factors grow without bound or shrink a weight to
    1e-163, whose square underflows to 0; intervals became NaN. Such weights stay finite or the town-year stays
    unweighted, and an answer counts at least as one."""
    answers = {"ease": 1, "know": "Y", "will": 1, "district": "01"}
    rows = [respondent(10, "w", eng1="Y", year=2023, **answers) for _ in range(9)]
    rows += [
        respondent(30, "m", eng1="Y", year=2024, **answers),
        respondent(65, "w", eng1="Y", year=2024, **answers),
        respondent(65, "m", eng1="N", year=2024, **{**answers, "district": "02"}),
    ]
    cells = [63, 0, 0, 2, 0, 0, 0, 1]
    pairs = [(b, g) for b in BANDS[1:] for g in "wm"]
    pop = population({pair: float(c) for pair, c in zip(pairs, cells, strict=True)})
    clean = clean_data(rows, pop)
    values = survey_values(clean)
    weights = clean.frames["stg_survey_responses"]["weight"].dropna()
    assert np.isfinite(weights).all() and (weights >= 0).all()
    rates = values[values["indicator"] != "hours_per_month"]
    assert rates[["ci_low", "ci_high"]].notna().all().all()
    assert (rates["ci_low"] <= rates["value"] + 1e-12).all() and (rates["value"] <= rates["ci_high"] + 1e-12).all()
    assert kish_n_eff(5e-163, 0.0) == 1.0 and np.isnan(kish_n_eff(0.0, 0.0))


# Why a town-year stays unweighted (brief §5.1): one reason per town-year, the first that applies.
UNWEIGHTED_CASES = {
    # no population of the town at all
    "no_population": ([respondent(30, "m"), respondent(65, "w")], None),
    # a population year whose every age/gender cell aged 14+ is 0 (only children counted)
    "population_zero": ([respondent(30, "m"), respondent(65, "w")], {("0-13", "w"): 10.0}),
    # nobody to rake: all respondents with gender d or without gender
    "no_raking_respondents": ([respondent(30, "d"), respondent(65, None)], {("30-49", "w"): 10.0}),
    # raking diverges: the man aged 14-29 stands for nearly the whole population (the young) and for almost
    # nobody (the men) at once
    "no_finite_weights": ([respondent(20, "m"), respondent(70, "w")], {("14-29", "w"): 1000.0, ("65+", "m"): 1.0}),
}


@pytest.mark.parametrize("reason", list(UNWEIGHTED_CASES))
def test_an_unweighted_town_year_says_why(reason: str) -> None:
    rows, cells = UNWEIGHTED_CASES[reason]
    pop = None if cells is None else population(cells)
    weight, weighted, why = survey_weighting(pd.DataFrame(rows), pop if pop is not None else population({}).iloc[:0])
    assert (weight == 1.0).all() and not weighted.any()
    assert why.tolist() == [reason] * len(rows)
    values = survey_values(clean_data([{**r, "eng1": "Y"} for r in rows], pop))
    assert (values["weighted"] == False).all()  # noqa: E712 - object column of True/False/None
    assert values["unweighted_reason"].tolist() == [reason] * len(values)


def test_respondents_only_where_the_population_has_nobody_have_no_finite_weights() -> None:
    # only women answered, the population counts only men: no target the respondents could reach
    rows = [respondent(20, "w"), respondent(55, "w")]
    _, weighted, why = survey_weighting(pd.DataFrame(rows), population({("65+", "m"): 63.0, ("50-64", "m"): 1.0}))
    assert not weighted.any() and why.tolist() == ["no_finite_weights"] * 2


def test_reasons_are_per_town_year_and_none_where_weighted() -> None:
    rows = rows_2x2(**{f"r{i}": {"eng1": "Y" if i % 2 else "N"} for i in range(7)})  # 2024: weighted
    rows += [respondent(30, "w", eng1="Y", year=2023)]  # 2023: population of 2024 only, none earlier
    rows += [respondent(30, "d", eng1="N", town_ags="09999002")]  # another town: no population
    values = survey_values(clean_data(rows, POP_2X2))
    totals = values[(values["indicator"] == "engagement_rate") & (values["breakdown"] == "")]
    got = {(r.town_ags, r.year): (r.weighted, r.unweighted_reason) for r in totals.itertuples()}
    assert got == {
        (TOWN, 2024): (True, None),
        (TOWN, 2023): (False, "no_population"),
        ("09999002", 2024): (False, "no_population"),
    }
    assert values.loc[values["weighted"] == True, "unweighted_reason"].isna().all()  # noqa: E712
