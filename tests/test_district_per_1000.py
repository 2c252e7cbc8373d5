"""``registered_per_1000`` by district (issue 16): hand-computed values and their suppression with the counts.

The district value is the district's registered volunteers / its population aged 14+ × 1,000, so shown
values times the (public) district population give the counts back: it must be hidden wherever its count
is, including the count hidden by secondary suppression, so that total − shown districts never singles
out one small district.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_registration_indicators import TOWN, clean_data, reg

from etl.indicators.registrations import registration_values
from etl.indicators.suppression import suppress

DISTRICT_POP = {"01": 600, "02": 400, "03": 300, "04": 500, "05": 200}  # aged 14+, per district


def population(districts: dict[str, int]) -> pd.DataFrame:
    """District rows only (the reader adds the town totals as their sums): ``count`` per district,
    spread evenly over the four adult age bands and two genders, plus children who never count."""
    rows = []
    for district, count in districts.items():
        for band in ("14-29", "30-49", "50-64", "65+"):
            for gender in ("w", "m"):
                rows.append({"district": district, "age_band": band, "gender": gender, "count": count / 8})
        rows.append({"district": district, "age_band": "0-13", "gender": "w", "count": 1000})
    frame = pd.DataFrame(rows)
    totals = frame.groupby(["age_band", "gender"], as_index=False)["count"].sum().assign(district="")
    out = pd.concat([frame, totals], ignore_index=True)
    out["ags"], out["year"] = TOWN, 2024
    return out


def per_district(values: pd.DataFrame, indicator: str) -> pd.DataFrame:
    sel = values[(values["indicator"] == indicator) & (values["breakdown"] == "district") & (values["year"] == 2024)]
    return sel.set_index("group").sort_index()


def volunteers(counts: dict[str | None, int], birth_year: int | None = 1980) -> list[dict]:
    """``k`` distinct persons per district, registered in 2024 (keys distinct across calls by birth year)."""
    rows = []
    for district, k in counts.items():
        rows += [
            reg(f"{district}-{birth_year}-{i}", "2024-02-01", birth_year=birth_year, district=district)
            for i in range(k)
        ]
    return rows


def test_district_value_is_its_volunteers_per_1000_aged_14_plus() -> None:
    rows = volunteers({"01": 3, "02": 2}) + volunteers({"01": 1}, birth_year=2016)  # a child counts, as in the total
    rows += volunteers({None: 4})  # no district: in the total, not in the breakdown
    values = registration_values(clean_data(rows, population({"01": 600, "02": 400, "03": 300})))
    per = per_district(values, "registered_per_1000")
    assert per["value"].to_dict() == pytest.approx({"01": 4 / 600 * 1000, "02": 2 / 400 * 1000})  # 03: nobody
    assert per["n"].tolist() == [4, 2]  # n = the district's registered volunteers
    counts = per_district(values, "registered_volunteers")
    assert counts.loc[["01", "02"], "n"].tolist() == per.loc[["01", "02"], "n"].tolist()
    total = values[(values["indicator"] == "registered_per_1000") & (values["breakdown"] == "")]
    assert total["value"].iloc[0] == pytest.approx(10 / 1300 * 1000)  # town: every volunteer / population 14+


def test_suppressed_with_its_count_primary_and_secondary() -> None:
    counts = {"01": 40, "02": 30, "03": 3, "04": 12, "05": 25}
    values = suppress(registration_values(clean_data(volunteers(counts), population(DISTRICT_POP))), 5)
    count = per_district(values, "registered_volunteers")
    per = per_district(values, "registered_per_1000")
    # 03 has 3 volunteers (< 5); 04, the next smallest, is hidden too, so that total − shown ≠ one district
    assert count["suppressed"].to_dict() == {"01": False, "02": False, "03": True, "04": True, "05": False}
    assert per["suppressed"].to_dict() == count["suppressed"].to_dict()
    assert per.loc[["03", "04"], ["value", "n"]].isna().all().all()
    assert per.loc[["01", "02", "05"], "value"].tolist() == pytest.approx(
        [40 / 600 * 1000, 30 / 400 * 1000, 25 / 200 * 1000]
    )
    if "suppression" in values.columns:  # the kind, where the suppression step records it
        assert per.loc["03", "suppression"] == "primary"
        assert per.loc["04", "suppression"] == "secondary"
    # what a reader can compute from the shown numbers: the town total minus the shown districts is the
    # sum of two hidden districts (3 + 12), never one; the same through the per-1,000 values
    total = values[
        (values["indicator"] == "registered_volunteers") & (values["breakdown"] == "") & ~values["suppressed"]
    ]
    shown = per[~per["suppressed"]]
    recovered = np.round(shown["value"].to_numpy() * np.array([DISTRICT_POP[g] for g in shown.index]) / 1000)
    assert int(total["n"].iloc[0]) - int(recovered.sum()) == 3 + 12


def test_a_district_without_volunteers_has_no_row_like_its_count() -> None:
    """Same groups as ``registered_volunteers``: otherwise secondary suppression would hide a district's
    value whose count stays shown (and could be divided by the public population anyway)."""
    values = suppress(registration_values(clean_data(volunteers({"01": 9, "02": 7}), population(DISTRICT_POP))), 5)
    per = per_district(values, "registered_per_1000")
    assert per.index.tolist() == per_district(values, "registered_volunteers").index.tolist() == ["01", "02"]
    assert not per["suppressed"].any()
