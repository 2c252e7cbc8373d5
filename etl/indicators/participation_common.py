"""Helpers shared by the survey, registration and event indicators.

The reference population (aged 14+, of year Y else the latest earlier year, brief §3.1), age banding,
per-town provenance and the conversion into the long value frame of :mod:`etl.indicators.values` are
needed by all three participation modules; defining them once keeps "population of year Y" and
"source files behind a value" meaning the same everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.indicators.values import VALUE_COLUMNS, empty_values
from etl.model import CleanData
from etl.readers.canonical import ADULT_BANDS, AGE_BANDS

GENDERS = ("w", "m")  # population genders; official statistics assign d to one of them


def age_band(age: pd.Series) -> pd.Series:
    """Age in years → the population's age band; missing or negative ages give NA."""
    bands = pd.cut(
        pd.to_numeric(age, errors="coerce"),
        bins=[0, 14, 30, 50, 65, np.inf],
        right=False,
        labels=list(AGE_BANDS),
    )
    return bands.astype("string")


def known(series: pd.Series) -> pd.Series:
    """The values as strings usable as group labels; NA for missing or blank ones (no "unknown" group)."""
    s = series
    if pd.api.types.is_float_dtype(s) or pd.api.types.is_integer_dtype(s):
        s = pd.to_numeric(s).round().astype("Int64")
    s = s.astype("string").str.strip()
    return s.mask(s == "")


def population_14plus(clean: CleanData) -> pd.DataFrame:
    """Population rows aged 14+: ags, year, district ('' = town total), age_band, gender, count."""
    pop = clean.get("population")
    cols = ["ags", "year", "district", "age_band", "gender", "count"]
    if pop is None or pop.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "count" else "object") for c in cols})
    pop = pop[cols].copy()
    pop["ags"] = pop["ags"].astype("string")
    pop["year"] = pd.to_numeric(pop["year"]).astype("int64")
    pop["district"] = pop["district"].fillna("").astype("string").str.strip()
    pop["count"] = pd.to_numeric(pop["count"], errors="coerce").fillna(0.0)
    return pop.loc[pop["age_band"].isin(ADULT_BANDS)].reset_index(drop=True)


def population_year(wanted: pd.DataFrame, pop: pd.DataFrame) -> pd.Series:
    """For rows with ``town_ags`` and ``year``: the population year to use (Y, else the latest earlier).

    NA where the town has no population of that year or earlier. Index aligned with ``wanted``.
    """
    out = pd.Series(pd.NA, index=wanted.index, dtype="Int64")
    if wanted.empty or pop.empty:
        return out
    years = pop[["ags", "year"]].drop_duplicates().rename(columns={"ags": "town_ags", "year": "pop_year"})
    years["year"] = years["pop_year"]
    years["town_ags"] = years["town_ags"].astype(object)
    left = wanted[["town_ags", "year"]].copy()
    left["town_ags"] = left["town_ags"].astype(object)
    left["year"] = left["year"].astype("int64")
    left["_pos"] = np.arange(len(left))
    merged = pd.merge_asof(
        left.sort_values("year"),
        years.sort_values("year"),
        on="year",
        by="town_ags",
        direction="backward",
    ).sort_values("_pos")
    out[:] = merged["pop_year"].to_numpy()
    return out


def source_files(frame: pd.DataFrame, keys: list[str], fallback: list[str]) -> pd.DataFrame:
    """Comma-joined sorted file names behind each group of ``keys`` (provenance of a value).

    Uses the frame's ``source_file`` column so a town lists only its own files; without it, the run's
    files of that kind (``fallback``).
    """
    if "source_file" not in frame.columns:
        out = frame[keys].drop_duplicates().copy()
        out["source_files"] = ", ".join(sorted(fallback))
        return out
    files = frame[[*keys, "source_file"]].dropna().drop_duplicates().sort_values([*keys, "source_file"])
    joined = files.groupby(keys, sort=False)["source_file"].agg(", ".join).rename("source_files")
    return joined.reset_index()


def finish_values(frame: pd.DataFrame, weighted: object = None) -> pd.DataFrame:
    """Bring computed rows into :data:`VALUE_COLUMNS` with the dtypes of :func:`empty_values`.

    Missing ``breakdown``/``group`` become '' (town total), ``suppressed`` is False and ``suppression`` ''
    (suppression comes later), missing ``ci_*`` NaN, ``weighted`` as given when the frame has no such column,
    ``unweighted_reason`` None except where ``weighted`` is False.
    """
    if frame.empty:
        return empty_values()
    out = frame.copy()
    for col in ("breakdown", "group"):
        out[col] = out[col].fillna("").astype(object) if col in out.columns else ""
    for col in ("ci_low", "ci_high"):
        if col not in out.columns:
            out[col] = np.nan
    if "weighted" not in out.columns:
        out["weighted"] = weighted
    out["weighted"] = out["weighted"].astype(object).where(out["weighted"].notna(), None)
    if "unweighted_reason" not in out.columns:
        out["unweighted_reason"] = None
    reason = out["unweighted_reason"].astype(object)
    out["unweighted_reason"] = reason.where(reason.notna() & (out["weighted"] == False), None)  # noqa: E712
    out["suppressed"] = False
    out["suppression"] = ""
    if "source_files" not in out.columns:
        out["source_files"] = ""
    out["source_files"] = out["source_files"].fillna("").astype(object)
    out["town_ags"] = out["town_ags"].astype(object)
    out["indicator"] = out["indicator"].astype(object)
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    out["n"] = pd.to_numeric(out["n"]).round().astype("Int64")
    out["ci_low"] = out["ci_low"].astype("float64")
    out["ci_high"] = out["ci_high"].astype("float64")
    return out[VALUE_COLUMNS].reset_index(drop=True)
