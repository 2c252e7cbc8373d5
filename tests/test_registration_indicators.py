"""Registration indicators of brief §5.3 on hand-made registrations with hand-computed results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from etl.indicators.registrations import registration_values
from etl.model import CleanData, Manifest, Project, Town

TOWN = "09999001"
OTHER = "09999002"


def reg(
    person: str,
    registered: str,
    ended: str | None = None,
    *,
    town: str = TOWN,
    birth_year: int | None = None,
    gender: str | None = None,
    area: str | None = None,
    district: str | None = None,
    file: str = "freiwillige.xlsx",
) -> dict:
    return {
        "town_ags": town,
        "person_key": person,
        "registered_on": dt.date.fromisoformat(registered),
        "ended_on": dt.date.fromisoformat(ended) if ended else None,
        "organisation": "Tafel",
        "area": area,
        "activity": None,
        "birth_year": birth_year,
        "gender": gender,
        "district": district,
        "postcode": None,
        "hours": None,
        "source_file": file,
        "source_row": 0,
    }


def clean_data(rows: list[dict], population: pd.DataFrame | None = None) -> CleanData:
    frame = pd.DataFrame(rows)
    frame["birth_year"] = frame["birth_year"].astype("Int64")
    frame["source_row"] = range(2, len(frame) + 2)
    frames = {"stg_registrations": frame}
    if population is not None:
        frames["population"] = population
    manifest = Manifest(Path("engage.toml"), Project("Test"), (Town(TOWN, "Musterstadt"),), ())
    return CleanData(manifest, frames, {"registrations": ["freiwillige.xlsx"]}, dt.date(2025, 1, 1))


def table(values: pd.DataFrame, indicator: str, breakdown: str = "") -> dict:
    sel = values[(values["indicator"] == indicator) & (values["breakdown"] == breakdown)]
    if breakdown:
        return {(r.year, r.group): (r.value, r.n) for r in sel.itertuples()}
    return {r.year: (r.value, r.n) for r in sel.itertuples()}


BOUNDARIES = [
    reg("p1", "2020-03-01", "2021-01-01"),  # ends on 1.1.2021: still active in 2021
    reg("p2", "2021-12-31"),  # starts on 31.12.2021: active in 2021, open-ended: 2022 too
    reg("p3", "2020-06-01", "2020-12-31"),  # ends on 31.12.2020: not active in 2021
    reg("p4", "2022-01-01"),
]


def test_activity_rule_boundaries_and_counts() -> None:
    values = registration_values(clean_data(BOUNDARIES))
    # active 2020: p1, p3; 2021: p1, p2; 2022: p2, p4
    assert table(values, "registered_volunteers") == {2020: (2, 2), 2021: (2, 2), 2022: (2, 2)}
    assert table(values, "new_volunteers") == {2020: (2, 2), 2021: (1, 1), 2022: (1, 1)}


def test_retention_rate() -> None:
    values = registration_values(clean_data(BOUNDARIES))
    # 2021: of {p1, p3} only p1 stays → 1/2; 2022: of {p1, p2} only p2 stays → 1/2; no 2020 (no 2019 data)
    assert table(values, "retention_rate") == {2021: (0.5, 2), 2022: (0.5, 2)}


def test_retention_when_nobody_stays_is_zero() -> None:
    rows = [reg("a", "2020-01-01", "2020-05-01"), reg("b", "2020-02-01", "2020-06-01"), reg("c", "2021-03-01")]
    values = registration_values(clean_data(rows))
    assert table(values, "retention_rate") == {2021: (0.0, 2)}


def test_person_counted_once_with_latest_active_registration() -> None:
    rows = [
        reg("p", "2019-01-01", "2020-06-30", birth_year=1990, gender="w", area="Sport", district="01"),
        reg("p", "2020-05-01", None, birth_year=1990, gender="w", area="Kultur", district="02"),
        reg("q", "2019-07-01", None, birth_year=2008, gender="m", area="Sport", district=None),
    ]
    values = registration_values(clean_data(rows))
    assert table(values, "registered_volunteers") == {2019: (2, 2), 2020: (2, 2)}
    # 2019: p's only active registration is Sport/01; 2020: the later one (Kultur/02) wins
    assert table(values, "registered_volunteers", "area") == {
        (2019, "Sport"): (2, 2),
        (2020, "Kultur"): (1, 1),
        (2020, "Sport"): (1, 1),
    }
    assert table(values, "registered_volunteers", "district") == {(2019, "01"): (1, 1), (2020, "02"): (1, 1)}
    # q born 2008: 11 in 2019 (0-13), 12 in 2020; p born 1990: 29 in 2019, 30 in 2020
    assert table(values, "registered_volunteers", "age_band") == {
        (2019, "0-13"): (1, 1),
        (2019, "14-29"): (1, 1),
        (2020, "0-13"): (1, 1),
        (2020, "30-49"): (1, 1),
    }
    assert table(values, "new_volunteers") == {2019: (2, 2), 2020: (0, 0)}


def test_year_range_capped_at_latest_registration_year() -> None:
    rows = [
        reg("a", "2018-05-01", "2030-01-01"),  # a planned end far in the future
        reg("b", "2019-02-01", "2019-08-01", town=OTHER),
        reg("c", "2017-02-01", "2019-03-01", town=OTHER),
    ]
    values = registration_values(clean_data(rows))
    totals = values[(values["indicator"] == "registered_volunteers") & (values["breakdown"] == "")]
    assert sorted(zip(totals["town_ags"], totals["year"], strict=True)) == [
        (TOWN, 2018),
        (TOWN, 2019),  # the cap is the latest registration year in the data (2019, town OTHER)
        (OTHER, 2017),
        (OTHER, 2018),
        (OTHER, 2019),
    ]


def test_source_files_per_town() -> None:
    rows = [reg("a", "2020-01-01", file="b.csv"), reg("b", "2020-01-01", file="a.csv")]
    rows.append(reg("c", "2020-01-01", town=OTHER, file="c.csv"))
    values = registration_values(clean_data(rows))
    files = values.groupby("town_ags")["source_files"].unique()
    assert files[TOWN].tolist() == ["a.csv, b.csv"] and files[OTHER].tolist() == ["c.csv"]
    assert values["weighted"].isna().all() and not values["suppressed"].any()


def population() -> pd.DataFrame:
    """Population of 2022 (used for 2024): 14+ = 1,000; districts 01 = 600, 02 = 400 of the 14+."""
    total = {
        ("0-13", "w"): 400,
        ("0-13", "m"): 400,
        ("14-29", "w"): 100,
        ("14-29", "m"): 100,
        ("30-49", "w"): 150,
        ("30-49", "m"): 150,
        ("50-64", "w"): 125,
        ("50-64", "m"): 125,
        ("65+", "w"): 125,
        ("65+", "m"): 125,
    }
    rows = [{"district": "", "age_band": b, "gender": g, "count": c} for (b, g), c in total.items()]
    for district, factor in (("01", 0.6), ("02", 0.4)):
        rows += [{"district": district, "age_band": b, "gender": g, "count": c * factor} for (b, g), c in total.items()]
    frame = pd.DataFrame(rows)
    frame["ags"], frame["year"] = TOWN, 2022
    later = frame.assign(year=2025, count=1.0)  # a later year must not be used for 2024
    return pd.concat([frame, later], ignore_index=True)


REPRESENTATION_ROWS = [
    reg("a", "2024-02-01", birth_year=2004, gender="w", district="01"),  # 20 in 2024
    reg("b", "2024-02-01", birth_year=2002, gender="w", district="01"),  # 22
    reg("c", "2024-02-01", birth_year=2000, gender="m", district="02"),  # 24
    reg("d", "2024-02-01", birth_year=1984, gender="d", district=None),  # 40
    reg("e", "2024-02-01", birth_year=2014, gender="w", district="02"),  # 10: under 14, left out
    reg("f", "2024-02-01", birth_year=None, gender="w", district="01"),  # age unknown: not known to be 14+
]


def test_registered_per_1000_uses_population_14plus_of_latest_earlier_year() -> None:
    values = registration_values(clean_data(REPRESENTATION_ROWS, population()))
    assert table(values, "registered_volunteers") == {2024: (6, 6)}
    per = table(values, "registered_per_1000")
    assert per[2024][0] == pytest.approx(6 / 1000 * 1000) and per[2024][1] == 6


def test_representation_index_hand_computed() -> None:
    values = registration_values(clean_data(REPRESENTATION_ROWS, population()))
    # volunteers 14+ with known age: a, b, c (14-29), d (30-49) → 4
    age = table(values, "representation_index", "age_band")
    assert age[(2024, "14-29")][0] == pytest.approx((3 / 4) / (200 / 1000))
    assert age[(2024, "30-49")][0] == pytest.approx((1 / 4) / (300 / 1000))
    assert age[(2024, "50-64")] == (0.0, 0) and age[(2024, "65+")] == (0.0, 0)
    assert (2024, "0-13") not in age
    # gender known among a, b, c, d: w 2, m 1, d 1 (d has no population group: no row, but counts in the base)
    gender = table(values, "representation_index", "gender")
    assert gender[(2024, "w")] == (pytest.approx((2 / 4) / 0.5), 2)
    assert gender[(2024, "m")] == (pytest.approx((1 / 4) / 0.5), 1)
    assert (2024, "d") not in gender
    # district known among a, b, c: 01 2, 02 1; population shares 0.6 and 0.4 of the district rows
    district = table(values, "representation_index", "district")
    assert district[(2024, "01")][0] == pytest.approx((2 / 3) / 0.6)
    assert district[(2024, "02")][0] == pytest.approx((1 / 3) / 0.4)


def test_without_population_no_population_figures() -> None:
    values = registration_values(clean_data(REPRESENTATION_ROWS))
    assert not values["indicator"].isin(["registered_per_1000", "representation_index"]).any()
    assert table(values, "registered_volunteers", "gender") == {
        (2024, "w"): (4, 4),
        (2024, "m"): (1, 1),
        (2024, "d"): (1, 1),
    }


def test_missing_frame_gives_empty_values() -> None:
    manifest = Manifest(Path("engage.toml"), Project("Test"), (Town(TOWN, "Musterstadt"),), ())
    assert registration_values(CleanData(manifest, {}, {}, dt.date(2025, 1, 1))).empty
