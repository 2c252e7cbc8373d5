"""Volunteer-registration indicators (brief §5.3): who is active, who is new, who stays, who is missing.

A registration is active in year Y if it started on or before 31.12.Y and has not ended before 1.1.Y;
since both bounds compare whole years, a registration is active exactly in the years from its start year
to its end year. Expanding every registration into its active years (``np.repeat``) turns all figures
into plain groupbys over person-years, which keeps 100 towns × 2,000 registrations fast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.indicators.participation_common import (
    GENDERS,
    age_band,
    finish_values,
    known,
    population_14plus,
    population_year,
    source_files,
)
from etl.indicators.values import empty_values
from etl.model import CleanData
from etl.readers.canonical import ADULT_BANDS

KEYS = ["town_ags", "year"]
TABLE = "stg_registrations"
GROUPS = ("age_band", "gender", "area", "district")  # breakdowns of registered_volunteers
REPRESENTATION = ("age_band", "gender", "district")


def _registrations(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The registrations with typed dates and years, group labels and a stable order key.

    Towns and persons are replaced by integer codes (returned: the town codes' AGS) because every later
    step sorts, merges and groups on them, which is several times faster on integers than on 64-character
    pseudonyms at network scale.
    """
    town_codes, towns = pd.factorize(frame["town_ags"].astype(object), sort=True)
    person_codes, _ = pd.factorize(frame["person_key"].astype(object))

    def label(col: str) -> pd.Series:
        if col not in frame.columns:
            return pd.Series(pd.NA, index=frame.index, dtype="string").astype("category")
        return known(frame[col]).astype("category")

    reg = pd.DataFrame(
        {
            "town_ags": town_codes,
            "person_key": person_codes,
            "registered_on": pd.to_datetime(frame["registered_on"], errors="coerce"),
            "ended_on": pd.to_datetime(frame["ended_on"], errors="coerce") if "ended_on" in frame.columns else pd.NaT,
            "birth_year": pd.to_numeric(frame["birth_year"], errors="coerce")
            if "birth_year" in frame.columns
            else np.nan,
            "gender": label("gender"),
            "area": label("area"),
            "district": label("district"),
            "order": np.arange(len(frame)),
        },
        index=frame.index,
    )
    reg = reg.loc[reg["registered_on"].notna() & (reg["person_key"] >= 0) & (reg["town_ags"] >= 0)]
    reg["start"] = reg["registered_on"].dt.year.astype("int64")
    reg["end"] = reg["ended_on"].dt.year.astype("Float64")
    return reg, np.asarray(towns, dtype=object)


def year_ranges(reg: pd.DataFrame) -> pd.DataFrame:
    """The years each town has registration figures for: town_ags, first, last.

    From the first registration year to the last year seen in any registration or end date of the town,
    bounded by the latest registration year in the whole data: an end date after that is a planned end,
    not an observation, and would otherwise produce figures for future years.
    """
    cap = int(reg["start"].max())
    per_town = reg.groupby("town_ags").agg(first=("start", "min"), last_start=("start", "max"), last_end=("end", "max"))
    last = np.fmax(per_town["last_start"].astype(float), per_town["last_end"].astype(float).to_numpy())
    per_town["last"] = np.minimum(last, cap).astype("int64")
    return per_town[["first", "last"]].reset_index()


def active_person_years(reg: pd.DataFrame, ranges: pd.DataFrame) -> pd.DataFrame:
    """One row per town, year and person active in that year, carrying the latest active registration.

    The latest active registration (by ``registered_on``, then by file order) gives the person's area and
    district for that year; age is Y − birth year of that registration.
    """
    r = reg.merge(ranges, on="town_ags")
    end = r["end"].fillna(np.inf).astype(float).clip(upper=r["last"].astype(float)).to_numpy()
    lo = r["start"].to_numpy()
    span = np.clip(end - lo + 1, 0, None).astype("int64")
    idx = np.repeat(np.arange(len(r)), span)
    offset = np.arange(len(idx)) - np.repeat(np.cumsum(span) - span, span)
    act = r.iloc[idx].reset_index(drop=True)
    act["year"] = lo[idx] + offset
    act = act.sort_values(["town_ags", "year", "person_key", "registered_on", "order"], kind="mergesort")
    act = act.drop_duplicates(["town_ags", "year", "person_key"], keep="last").reset_index(drop=True)
    act["age"] = act["year"] - act["birth_year"]
    act["age_band"] = age_band(act["age"])
    return act[["town_ags", "year", "person_key", "age", "age_band", "gender", "area", "district"]]


def _all_years(ranges: pd.DataFrame) -> pd.DataFrame:
    """Every (town, year) in the towns' ranges."""
    span = (ranges["last"] - ranges["first"] + 1).clip(lower=0).to_numpy()
    idx = np.repeat(np.arange(len(ranges)), span)
    offset = np.arange(len(idx)) - np.repeat(np.cumsum(span) - span, span)
    return pd.DataFrame(
        {"town_ags": ranges["town_ags"].to_numpy()[idx], "year": ranges["first"].to_numpy()[idx] + offset}
    )


def _counts(frame: pd.DataFrame, years: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Town totals (every year of the range, 0 where nobody) of a person-level frame."""
    counts = frame.groupby(KEYS).size().rename("n").reset_index()
    out = years.merge(counts, on=KEYS, how="left").fillna({"n": 0})
    out["value"] = out["n"].astype(float)
    out["indicator"] = indicator
    return out


def _breakdown_counts(active: pd.DataFrame, indicator: str) -> pd.DataFrame:
    parts = []
    for b in GROUPS:
        agg = active.dropna(subset=[b]).groupby([*KEYS, b], observed=True).size().rename("n").reset_index()
        parts.append(agg.rename(columns={b: "group"}).astype({"group": object}).assign(breakdown=b))
    rows = pd.concat(parts, ignore_index=True)
    rows["value"] = rows["n"].astype(float)
    rows["indicator"] = indicator
    return rows


def _retention(active: pd.DataFrame, ranges: pd.DataFrame) -> pd.DataFrame:
    """retention_rate: of the persons active in Y−1, the share also active in Y; n = active in Y−1."""
    prev = active[["town_ags", "year", "person_key"]].copy()
    prev["year"] = prev["year"] + 1
    prev = prev.merge(ranges[["town_ags", "last"]], on="town_ags")
    prev = prev.loc[prev["year"] <= prev["last"], ["town_ags", "year", "person_key"]]
    stayed = prev.merge(active[["town_ags", "year", "person_key"]], on=["town_ags", "year", "person_key"])
    n = prev.groupby(KEYS).size().rename("n")
    kept = stayed.groupby(KEYS).size().rename("kept")
    rows = pd.concat([n, kept], axis=1).fillna({"kept": 0}).reset_index()
    rows = rows.loc[rows["n"] > 0]
    rows["value"] = rows["kept"] / rows["n"]
    rows["indicator"] = "retention_rate"
    return rows.drop(columns=["kept"])


def _population_groups(pop: pd.DataFrame) -> pd.DataFrame:
    """Population aged 14+ per town, year, breakdown and group with the group's share (§3.1, §5.3).

    Age band and gender shares come from the town-total rows, district shares from the district rows
    (their sum is the denominator). Only groups with population > 0 are kept: a group absent from the
    population has no representation index.
    """
    totals = pop.loc[pop["district"] == ""]
    districts = pop.loc[pop["district"] != ""]
    parts = [
        totals.groupby(["ags", "year", "age_band"])["count"]
        .sum()
        .reset_index()
        .rename(columns={"age_band": "group"})
        .assign(breakdown="age_band"),
        totals.groupby(["ags", "year", "gender"])["count"]
        .sum()
        .reset_index()
        .rename(columns={"gender": "group"})
        .assign(breakdown="gender"),
        districts.groupby(["ags", "year", "district"])["count"]
        .sum()
        .reset_index()
        .rename(columns={"district": "group"})
        .assign(breakdown="district"),
    ]
    groups = pd.concat(parts, ignore_index=True)
    groups = groups.loc[groups["count"] > 0]
    groups["pop_share"] = groups["count"] / groups.groupby(["ags", "year", "breakdown"])["count"].transform("sum")
    groups = groups.rename(columns={"ags": "town_ags", "year": "pop_year"})
    groups["group"] = groups["group"].astype(object)
    return groups[["town_ags", "pop_year", "breakdown", "group", "pop_share"]]


def _population_rows(active: pd.DataFrame, totals: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """registered_per_1000 and representation_index, using the population 14+ of Y (else latest earlier)."""
    if pop.empty:
        return pd.DataFrame()
    years = totals[KEYS].copy()
    years["pop_year"] = population_year(years, pop)
    years = years.dropna(subset=["pop_year"]).astype({"pop_year": "int64"})
    if years.empty:
        return pd.DataFrame()
    town_pop = (
        pop.loc[pop["district"] == ""]
        .groupby(["ags", "year"])["count"]
        .sum()
        .rename("pop14")
        .reset_index()
        .rename(columns={"ags": "town_ags", "year": "pop_year"})
    )
    per = years.merge(town_pop, on=["town_ags", "pop_year"]).merge(totals[[*KEYS, "n"]], on=KEYS)
    per = per.loc[per["pop14"] > 0]
    per["value"] = per["n"] / per["pop14"] * 1000.0
    per["indicator"] = "registered_per_1000"
    per_district = _per_1000_by_district(active, years, pop)

    adults = active.loc[active["age"] >= 14]
    vol_parts = []
    for b in REPRESENTATION:
        known_b = adults.dropna(subset=[b])
        cnt = known_b.groupby([*KEYS, b], observed=True).size().rename("n").reset_index().rename(columns={b: "group"})
        cnt["group"] = cnt["group"].astype(object)
        tot = known_b.groupby(KEYS).size().rename("known").reset_index()
        vol_parts.append((b, cnt, tot))
    groups = _population_groups(pop)
    rep_parts = []
    for b, cnt, tot in vol_parts:
        base = years.merge(tot, on=KEYS).merge(groups.loc[groups["breakdown"] == b], on=["town_ags", "pop_year"])
        base = base.merge(cnt, on=[*KEYS, "group"], how="left").fillna({"n": 0})
        base["value"] = (base["n"] / base["known"]) / base["pop_share"]
        rep_parts.append(base)
    rep = pd.concat(rep_parts, ignore_index=True)
    rep["indicator"] = "representation_index"
    return pd.concat(
        [
            per[[*KEYS, "indicator", "value", "n"]],
            per_district[[*KEYS, "indicator", "breakdown", "group", "value", "n"]],
            rep[[*KEYS, "indicator", "breakdown", "group", "value", "n"]],
        ]
    )


def _per_1000_by_district(active: pd.DataFrame, years: pd.DataFrame, pop: pd.DataFrame) -> pd.DataFrame:
    """registered_per_1000 by district: the district's registered volunteers / its population aged 14+ × 1,000.

    The count is ``registered_volunteers`` of the district (every age, as the town total counts every
    volunteer against the population aged 14+), so n is that count and the value is suppressed wherever
    the count is (:mod:`etl.indicators.suppression`). Rows exist exactly where the count has one (a district
    with volunteers) and the population has the district: the same groups as the count, so that secondary
    suppression hides the same districts in both, never a value whose count is shown.
    """
    districts = (
        pop.loc[pop["district"] != ""]
        .groupby(["ags", "year", "district"])["count"]
        .sum()
        .rename("pop14")
        .reset_index()
        .rename(columns={"ags": "town_ags", "year": "pop_year", "district": "group"})
    )
    districts["group"] = districts["group"].astype(object)
    counts = (
        active.dropna(subset=["district"])
        .groupby([*KEYS, "district"], observed=True)
        .size()
        .rename("n")
        .reset_index()
        .rename(columns={"district": "group"})
    )
    counts["group"] = counts["group"].astype(object)
    rows = years.merge(districts, on=["town_ags", "pop_year"])
    rows = rows.loc[rows["pop14"] > 0].merge(counts, on=[*KEYS, "group"])
    rows["value"] = rows["n"] / rows["pop14"] * 1000.0
    return rows.assign(indicator="registered_per_1000", breakdown="district")


def registration_values(clean: CleanData) -> pd.DataFrame:
    """Every registration indicator of §5.3 per town and year (long value frame, unsuppressed)."""
    frame = clean.get(TABLE)
    if frame is None or frame.empty:
        return empty_values()
    reg, towns = _registrations(frame)
    if reg.empty:
        return empty_values()
    ranges = year_ranges(reg)
    years = _all_years(ranges)
    active = active_person_years(reg, ranges)
    totals = _counts(active, years, "registered_volunteers")
    first = reg.groupby(["town_ags", "person_key"])["start"].min().rename("year").reset_index()
    new = _counts(first, years, "new_volunteers")
    pop = population_14plus(clean)
    pop = pop.loc[pop["gender"].isin(GENDERS) & pop["age_band"].isin(ADULT_BANDS)].copy()
    pop["ags"] = pd.Index(towns).get_indexer(pop["ags"].astype(object))
    pop = pop.loc[pop["ags"] >= 0]
    parts = [totals, _breakdown_counts(active, "registered_volunteers"), new, _retention(active, ranges)]
    parts.append(_population_rows(active, totals, pop))
    rows = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    files = source_files(
        frame.assign(town_ags=pd.Index(towns).get_indexer(frame["town_ags"].astype(object))),
        ["town_ags"],
        clean.source_files.get("registrations", []),
    )
    rows = rows.merge(files, on="town_ags", how="left")
    rows["town_ags"] = towns[rows["town_ags"].to_numpy()]
    return finish_values(rows)
