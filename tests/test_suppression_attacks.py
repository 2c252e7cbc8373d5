"""Can a suppressed cell be computed back from what is shown? The two cases of issue 12, and property tests.

Each test plays the attacker: it takes only what is stored as shown (values and n of shown rows, the
population, which the warehouse publishes) and tries the sums an attacker would: for counts total − Σ shown,
for rates with n total·n − Σ group·n, for raked survey rates total·Σw − Σ group·Σw_g with the raking targets,
for the representation index K = n / (index · population share). Whether a hidden cell is determined is
decided structurally (is it the only unknown of an equation, or of a combination: rank of the linear system),
not by comparing numbers, which can agree by chance.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.indicators.network import network_frames
from etl.indicators.participation_common import finish_values
from etl.indicators.registrations import registration_values
from etl.indicators.suppression import suppress
from etl.indicators.survey import survey_values
from etl.model import CleanData, Manifest, Project, Town
from etl.tables import ENG3_AREAS

TOWN = "09999001"
ADULT_BANDS = ["14-29", "30-49", "50-64", "65+"]


def determined(equations: list[dict[str, float]], variable: str) -> bool:
    """True where the linear equations (variable → coefficient) fix ``variable`` whatever the others are."""
    names = sorted({v for eq in equations for v in eq})
    if variable not in names:
        return False
    matrix = np.array([[eq.get(v, 0.0) for v in names] for eq in equations], dtype=float)
    unit = np.array([[1.0 if v == variable else 0.0 for v in names]])
    return np.linalg.matrix_rank(np.vstack([matrix, unit])) == np.linalg.matrix_rank(matrix)


# --- issue 12, case 1: equal footing by sector (the demo warehouse's Musterstadt 2023) -------------------------


def _partner_clean() -> CleanData:
    sectors = {"civil_society": (10, 7), "administration": (6, 4), "business": (5, 5), "politics": (4, 4)}
    orgs, answers = [], []
    for sector, (count, agree) in sectors.items():
        for i in range(count):
            org = f"{sector[:3]}{i}"
            orgs.append({"town_ags": TOWN, "org_id": org, "name": org, "sector": sector, "source_file": "o.csv"})
            answers.append({"org_id": org, "sector": sector, "eye": 5 if i < agree else 2, "he": 4})
    responses = pd.DataFrame(answers).assign(town_ags=TOWN, year=2023, source_file="a.csv")
    responses["response_id"] = responses["org_id"]
    manifest = Manifest(Path("engage.toml"), Project("Test", min_cell=5), (Town(TOWN, "Musterstadt"),), ())
    frames = {"stg_organisations": pd.DataFrame(orgs), "stg_partner_responses": responses}
    return CleanData(manifest, frames, {}, dt.date(2025, 1, 1))


def test_issue_case_sector_total_minus_shown_sectors() -> None:
    raw = network_frames(_partner_clean()).values
    agree = raw[raw["indicator"] == "equal_footing_agree"].set_index("group")
    total = agree.loc[""]
    assert total["value"] == 0.8 and total["n"] == 25  # "0,8 of 25" as in the issue

    # primary suppression alone (politics, n = 4) leaves exactly the attack of the issue: 4 of 4
    primary = agree.drop(index=["", "politics"])
    assert total["n"] - primary["n"].sum() == 4
    assert round(total["value"] * total["n"] - (primary["value"] * primary["n"]).sum()) == 4

    out = suppress(raw, 5)
    sectors = out[(out["indicator"] == "equal_footing_agree") & (out["breakdown"] == "sector")].set_index("group")
    hidden = sectors[sectors["suppressed"]]
    shown = sectors[~sectors["suppressed"]]
    assert hidden.loc["politics", "suppression"] == "primary"
    assert len(hidden) >= 2 and (hidden.drop(index="politics")["suppression"] == "secondary").all()
    rest_n = total["n"] - shown["n"].sum()
    rest_yes = total["value"] * total["n"] - (shown["value"] * shown["n"]).sum()
    assert rest_n > 4  # the hidden n is a sum of several sectors
    assert 0 < round(rest_yes) < rest_n  # pooled neither 0 % nor 100 %: no hidden sector's share can be read off
    gap = out[out["indicator"] == "equal_footing_gap"].iloc[0]
    assert gap["suppressed"] and gap["suppression"] == "secondary"  # its n 21 = 25 − politics' 4


# --- issue 12, case 2: a survey with one age band of 3 respondents, raked --------------------------------------

POP_SHARES = {"14-29": 0.2, "30-49": 0.3, "50-64": 0.25, "65+": 0.25}


def _survey_clean() -> CleanData:
    plan = {"14-29": (30, 12), "30-49": (30, 15), "50-64": (30, 9), "65+": (3, 2)}  # respondents, engaged
    age = {"14-29": 20, "30-49": 40, "50-64": 55, "65+": 70}
    rows = []
    for band, (count, engaged) in plan.items():
        for i in range(count):
            rows.append(
                {
                    "town_ags": TOWN,
                    "year": 2024,
                    "response_id": f"{band}-{i}",
                    "submitdate": pd.Timestamp("2024-05-01"),
                    "complete": True,
                    "below_min_age": False,
                    "age": age[band],
                    "age_band": band,
                    "gender": "w" if i % 2 else "m",
                    "eng1": "Y" if i < engaged else "N",
                    "source_file": "umfrage.csv",
                    "source_row": len(rows) + 2,
                    **{f"eng3_{a}": False for a in ENG3_AREAS},
                }
            )
    frame = pd.DataFrame(rows)
    for col in ("district", "edu", "mig", "eng2", "will", "part", "ease", "info", "recog", "know"):
        frame[col] = None
    pop = pd.DataFrame(
        [
            {"ags": TOWN, "year": 2024, "district": "", "age_band": b, "gender": g, "count": 10_000 * share}
            for b, share in POP_SHARES.items()
            for g in ("w", "m")
        ]
    )
    manifest = Manifest(Path("engage.toml"), Project("Test", min_cell=5), (Town(TOWN, "Musterstadt"),), ())
    return CleanData(manifest, {"stg_survey_responses": frame, "population": pop}, {}, dt.date(2025, 1, 1))


def test_issue_case_age_band_of_three_recovered_from_total_and_raking_targets() -> None:
    raw = survey_values(_survey_clean())
    rate = raw[raw["indicator"] == "engagement_rate"]
    bands = rate[rate["breakdown"] == "age_band"].set_index("group")
    total = rate[rate["breakdown"] == ""].iloc[0]
    respondents = int(total["n"])  # 93, all raked: Σw = 93 and Σw of a band = its raking target
    target = {b: POP_SHARES[b] * respondents for b in ADULT_BANDS}

    def attack(shown: pd.DataFrame, band: str) -> tuple[float, float]:
        rest = total["value"] * respondents - sum(shown.loc[b, "value"] * target[b] for b in shown.index)
        return total["n"] - shown["n"].sum(), rest / target[band]

    # primary suppression alone (65+, n = 3): n and rate come back exactly
    n_back, rate_back = attack(bands.drop(index="65+"), "65+")
    assert n_back == 3 and abs(rate_back - bands.loc["65+", "value"]) < 1e-4

    out = suppress(raw, 5)
    rate = out[(out["indicator"] == "engagement_rate") & (out["breakdown"] == "age_band")].set_index("group")
    assert rate.loc["65+", "suppression"] == "primary"
    hidden = rate[rate["suppressed"]]
    assert len(hidden) == 2 and hidden.drop(index="65+")["suppression"].eq("secondary").all()
    n_back, rate_back = attack(rate[~rate["suppressed"]], "65+")
    assert n_back == 33  # 3 + 30: a sum of two bands
    # the attack now mixes the other hidden band into the 65+: what it gives is not the 65+ rate
    assert abs(rate_back - bands.loc["65+", "value"]) > 0.05


def test_a_zero_index_beside_a_shown_count_is_not_known_to_be_zero() -> None:
    """Found by the property test below: four men registered, all of them under 14, so their index counts 0
    adults (n = 0, hidden); the women's index is shown, which publishes K. K − the women's n gave the men's 0:
    that none of the four men is 14 or older. A 0 index is known only where no one of that group is counted."""
    people = [("d", 1980)] * 5 + [("m", 2013)] * 4 + [("w", 1980)] * 3 + [("w", 2013)] * 2 + [(None, 1980)] * 5
    regs = pd.DataFrame(
        {
            "town_ags": TOWN,
            "person_key": [f"p{i}" for i in range(len(people))],
            "registered_on": dt.date(2021, 3, 1),
            "ended_on": pd.NaT,
            "area": "Sport",
            "birth_year": pd.array([b for _, b in people], dtype="Int64"),
            "gender": [g for g, _ in people],
            "district": "01",
            "source_file": "freiwillige.csv",
            "source_row": np.arange(len(people)) + 2,
        }
    )
    manifest = Manifest(Path("engage.toml"), Project("Test", min_cell=3), (Town(TOWN, "T"),), ())
    clean = CleanData(manifest, {"stg_registrations": regs, "population": _population()}, {}, dt.date.today())
    raw = registration_values(clean)
    index = raw[(raw["indicator"] == "representation_index") & (raw["year"] == 2021) & (raw["breakdown"] == "gender")]
    assert index.set_index("group").loc["m", "n"] == 0 and index.set_index("group").loc["w", "n"] == 3
    counts = raw[(raw["indicator"] == "registered_volunteers") & (raw["year"] == 2021) & (raw["breakdown"] == "gender")]
    assert counts.set_index("group").loc["m", "n"] == 4
    out = suppress(raw, 3)
    equations, _unknown, published = _attack_equations(raw, out, 2021, "gender")
    assert not any(determined(equations, v) for eq in equations for v in eq if v.startswith(("r_", "a_")))
    shown = out[(out["indicator"] == "representation_index") & (out["year"] == 2021) & (out["breakdown"] == "gender")]
    assert not published and shown["suppressed"].all()  # the whole index of the breakdown: no K to subtract from
    counts = out[(out["indicator"] == "registered_volunteers") & (out["year"] == 2021) & (out["breakdown"] == "gender")]
    assert not counts["suppressed"].any()  # the counts themselves (all ≥ 3) stay shown


# --- property: random breakdowns of counts and shares ----------------------------------------------------------

persons = st.lists(
    st.tuples(st.booleans(), st.lists(st.integers(0, 4), min_size=3, max_size=3)), min_size=1, max_size=60
)


@settings(max_examples=150, deadline=None)
@given(
    people=persons,
    groups=st.lists(st.integers(1, 5), min_size=3, max_size=3),
    indicator=st.sampled_from(["registered_volunteers", "engagement_rate", "equal_footing_agree"]),
    min_cell=st.integers(2, 10),
)
def test_property_no_hidden_group_from_total_minus_shown(
    people: list[tuple[bool, list[int]]], groups: list[int], indicator: str, min_cell: int
) -> None:
    """Persons with an answer and a group in each of three breakdowns, aggregated like the indicator code;
    every person has a value in every breakdown (the worst case: total − Σ groups leaves nobody out)."""
    count = indicator == "registered_volunteers"
    frame = pd.DataFrame(
        {"yes": [y for y, _ in people], **{f"b{b}": [g[b] % groups[b] for _, g in people] for b in range(3)}}
    )
    rows = [(indicator, "", "", float(len(frame)) if count else frame["yes"].mean(), len(frame))]
    for b in range(3):
        for g, part in frame.groupby(f"b{b}"):
            rows.append((indicator, f"b{b}", f"g{g}", float(len(part)) if count else part["yes"].mean(), len(part)))
    frame = pd.DataFrame(rows, columns=["indicator", "breakdown", "group", "value", "n"])
    frame["town_ags"], frame["year"], frame["source_files"] = TOWN, 2024, ""
    out = suppress(finish_values(frame), min_cell)

    total = out[out["breakdown"] == ""].iloc[0]
    assert (out.loc[out["suppressed"], "n"].isna()).all()
    if total["suppressed"]:
        assert out["suppressed"].all()  # a hidden total hides its groups
        return
    for b, part in out[out["breakdown"] != ""].groupby("breakdown"):
        hidden = part[part["suppressed"]]
        if hidden.empty:
            continue
        shown = part[~part["suppressed"]]
        n_eq = {f"n_{g}": 1.0 for g in hidden["group"]}
        yes_eq = {f"y_{g}": 1.0 for g in hidden["group"]}
        for g in hidden["group"]:
            assert not determined([n_eq], f"n_{g}"), f"n of {b}/{g} = total − Σ shown"
            assert not determined([yes_eq], f"y_{g}"), f"{b}/{g} = total·n − Σ group·n"
        if not count:
            rest_n = total["n"] - shown["n"].sum()
            rest_yes = round(total["value"] * total["n"] - (shown["value"] * shown["n"]).sum())
            assert 0 < rest_yes < rest_n, "hidden groups pooled to 0 % or 100 %"


# --- property: registrations through the real indicator code, with the representation index ---------------------


def _registrations(draw: st.DrawFn) -> pd.DataFrame:
    count = draw(st.integers(5, 80))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    start = pd.to_datetime("2021-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, count), unit="D")
    ended = (start + pd.to_timedelta(rng.integers(0, 3 * 365, count), unit="D")).where(rng.random(count) < 0.3)
    birth_years = [1950, 1975, 1990, 2004, 2013] + ([None] if draw(st.booleans()) else [])
    return pd.DataFrame(
        {
            "town_ags": TOWN,
            "person_key": [f"p{i}" for i in range(count)],
            "registered_on": start.date,
            "ended_on": ended,
            "area": rng.choice(["Sport", "Kultur"], count),
            "birth_year": pd.array(rng.choice(birth_years, count), dtype="Int64"),
            "gender": rng.choice(["w", "m", "d"] + ([None] if draw(st.booleans()) else []), count),
            "district": rng.choice(["01", "02", "03"], count),
            "source_file": "freiwillige.csv",
            "source_row": np.arange(count) + 2,
        }
    )


def _population() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"ags": TOWN, "year": 2021, "district": d, "age_band": b, "gender": g, "count": 100.0 + 10 * i}
            for i, d in enumerate(("", "01", "02"))  # district 03 is not in the population: no index row
            for b in ("0-13", *ADULT_BANDS)
            for g in ("w", "m")
        ]
    )


def _attack_equations(raw: pd.DataFrame, out: pd.DataFrame, year: int, breakdown: str) -> tuple[list, dict, bool]:
    """The attacker's linear system for one year and breakdown of registered volunteers and their index.

    Unknowns: the hidden counts r_g, the hidden index counts a_g (adults) where they differ from the count,
    and u, the volunteers without a value, where there are any. Where an index group counts the same persons
    as the count (age bands 14+, groups without children) a_g is r_g; for groups without an index row the
    attacker assumes so (no children), the assumption of the ETL too. Returns the equations, each hidden
    index group's unknown (or None where it is known), and whether K is published.
    """

    def rows(frame: pd.DataFrame, indicator: str) -> pd.DataFrame:
        sel = frame[(frame["indicator"] == indicator) & (frame["year"] == year)]
        return sel[sel["breakdown"] == breakdown].set_index("group")

    reg_raw, rep_raw = rows(raw, "registered_volunteers"), rows(raw, "representation_index")
    reg, rep = rows(out, "registered_volunteers"), rows(out, "representation_index")
    total = out[(out["indicator"] == "registered_volunteers") & (out["year"] == year) & (out["breakdown"] == "")]
    total_raw = raw[(raw["indicator"] == "registered_volunteers") & (raw["year"] == year) & (raw["breakdown"] == "")]
    equations = []

    def r(g: str) -> dict[str, float]:
        return {f"r_{g}": 1.0} if bool(reg.loc[g, "suppressed"]) else {}

    if len(total) and not total.iloc[0]["suppressed"]:
        eq: dict[str, float] = {}
        for g in reg.index:
            eq |= r(g)
        if int(total_raw.iloc[0]["n"]) > int(reg_raw["n"].sum()):
            eq["u"] = 1.0
        equations.append(eq)
    rep_unknown: dict[str, dict[str, float] | None] = {}
    k_eq: dict[str, float] = {}
    for g in rep.index:
        same = g in reg_raw.index and int(rep_raw.loc[g, "n"]) == int(reg_raw.loc[g, "n"])
        if same:
            term = r(g)
        elif int(rep_raw.loc[g, "n"]) == 0 and g not in reg_raw.index:
            term = {}
        else:
            term = {f"a_{g}": 1.0} if bool(rep.loc[g, "suppressed"]) else {}
        k_eq |= term
        known_zero = int(rep_raw.loc[g, "n"]) == 0 and g not in reg_raw.index
        if bool(rep.loc[g, "suppressed"]) and not known_zero:  # no count row says 0 (brief §5.3: no 0 rows)
            rep_unknown[g] = term or None
    for g in reg.index:
        if g not in rep.index and g != "0-13":
            k_eq |= r(g)
    published = bool(len(rep)) and not rep["suppressed"].all()
    if published:
        equations.append(k_eq)
    return equations, rep_unknown, published


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), min_cell=st.integers(3, 8))
def test_property_registrations_and_index_never_give_a_hidden_count(data: st.DataObject, min_cell: int) -> None:
    regs = data.draw(st.composite(_registrations)())
    manifest = Manifest(Path("engage.toml"), Project("Test", min_cell=min_cell), (Town(TOWN, "T"),), ())
    clean = CleanData(manifest, {"stg_registrations": regs, "population": _population()}, {}, dt.date.today())
    raw = registration_values(clean)
    out = suppress(raw, min_cell)
    for year in sorted(out["year"].unique()):
        for breakdown in ("age_band", "gender", "district"):
            equations, rep_unknown, published = _attack_equations(raw, out, year, breakdown)
            variables = {v for eq in equations for v in eq}
            for v in sorted(variables):
                if v.startswith(("r_", "a_")):
                    assert not determined(equations, v), f"{year} {breakdown}: {v} can be computed"
            if published:  # a hidden index whose count is known would be n / (K · share)
                for g, term in rep_unknown.items():
                    assert term is not None, f"{year} {breakdown}: index of {g} from its shown count"
    # the kept-plus-new identity: never exactly one of retention and new hidden under a shown count
    totals = out[out["breakdown"] == ""].pivot_table(index="year", columns="indicator", values="suppressed")
    both = totals.dropna(subset=["retention_rate", "new_volunteers", "registered_volunteers"])
    one = both[~both["registered_volunteers"].astype(bool)]
    assert ((one["retention_rate"].astype(bool)) == (one["new_volunteers"].astype(bool))).all()
