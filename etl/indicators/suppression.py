"""Small-cell suppression (brief §6), applied once to all values before anything is stored.

Primary: every value over persons or organisations with unweighted n < ``min_cell`` loses its value, n and
interval. Secondary: a count breakdown whose town total is shown must not have exactly one suppressed
group (total minus the shown groups would reveal it), and an indicator derived from a suppressed count
(representation index, volunteers per 1,000 inhabitants) is suppressed with it. Works on any value
frame, whatever family it comes from; which indicators are exempt is read from the catalogue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.indicators.catalogue import CATALOGUE

# Count indicators with breakdowns whose groups plus the total would reveal a single suppressed group.
SECONDARY = ("registered_volunteers", "new_volunteers")
# Indicator → the count it is computed from; suppressed wherever that count (same town, year, group) is.
DERIVED_FROM = {"representation_index": "registered_volunteers", "registered_per_1000": "registered_volunteers"}
CELL = ["town_ags", "indicator", "year"]


def exempt_indicators() -> set[str]:
    """Indicators that count events or measures, not persons: never suppressed (catalogue ``suppress``)."""
    return {i.id for i in CATALOGUE if not i.suppress}


def _secondary(values: pd.DataFrame, supp: pd.Series) -> pd.Series:
    """Where exactly one group of a shown total's breakdown is suppressed, also suppress the next smallest."""
    supp = supp.copy()
    is_sec = values["indicator"].isin(SECONDARY)
    if not is_sec.any():
        return supp
    frame = values.loc[is_sec, [*CELL, "breakdown", "group", "n"]].assign(supp=supp[is_sec])
    totals = frame.loc[frame["breakdown"] == ""]
    shown = totals.loc[~totals["supp"], CELL].drop_duplicates()
    groups = frame.loc[frame["breakdown"] != ""].reset_index(names="row")
    groups = groups.merge(shown, on=CELL)
    if groups.empty:
        return supp
    key = [*CELL, "breakdown"]
    n_supp = groups.groupby(key)["supp"].transform("sum")
    candidates = groups.loc[(n_supp == 1) & ~groups["supp"]].copy()
    candidates["n_num"] = pd.to_numeric(candidates["n"])
    candidates["group_text"] = candidates["group"].astype(str)
    chosen = candidates.sort_values([*key, "n_num", "group_text"], kind="mergesort").drop_duplicates(key)
    supp.loc[chosen["row"].to_numpy()] = True
    return supp


def _derived(values: pd.DataFrame, supp: pd.Series) -> pd.Series:
    """Suppress a derived value wherever its base count of the same town/year/breakdown/group is."""
    supp = supp.copy()
    cell = ["town_ags", "year", "breakdown", "group"]
    for derived, base in DERIVED_FROM.items():
        is_derived = values["indicator"] == derived
        if not is_derived.any():
            continue
        hidden = values.loc[(values["indicator"] == base) & supp, cell].drop_duplicates()
        if hidden.empty:
            continue
        rows = values.loc[is_derived, cell].reset_index(names="row").merge(hidden, on=cell)
        supp.loc[rows["row"].to_numpy()] = True
    return supp


def suppress(values: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """The values with primary, secondary and derived suppression applied (brief §6).

    A suppressed row keeps its keys and provenance, has ``suppressed`` True and no value, n or interval.
    A row of a suppressible indicator without n is suppressed too: nothing shows that it is safe.
    Rows that arrive already suppressed stay suppressed.
    """
    out = values.reset_index(drop=True).copy()
    if "suppressed" not in out.columns:
        out["suppressed"] = False
    if out.empty:
        out["suppressed"] = out["suppressed"].astype(bool)
        return out
    applies = ~out["indicator"].isin(exempt_indicators())
    n = pd.to_numeric(out["n"], errors="coerce")
    small = n.isna() | (n < min_cell)
    supp = out["suppressed"].fillna(False).astype(bool) | (applies & small.fillna(True).astype(bool))
    supp = _secondary(out, supp)
    supp = _derived(out, supp)
    out["suppressed"] = supp.astype(bool)
    for col in ("value", "ci_low", "ci_high"):
        if col in out.columns:
            out[col] = out[col].astype("float64").mask(supp, np.nan)
    out["n"] = n.round().astype("Int64").mask(supp, pd.NA)
    return out
