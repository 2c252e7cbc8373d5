"""From the figures the layouts found to population rows: checks, duplicates, completeness, re-banding.

A figure is a number, a missing mark (``-``, ``.``, ``x``, ``/``: "no figure", brief §3.1) or bad (a
reject naming row and column). A town needs all 34 figures of a year (17 age groups × men, women) to
have a population of that year: a missing figure is no error, but it makes the year unknown, not smaller.
Such a year is therefore not taken over at all (neither as zeros nor as a part) and the file's message
names it; any figure that needs that year's population then uses the latest earlier year (§3.1), or the
survey stays unweighted. Weighting a town on a zero it does not have would be silently wrong.

The 17 groups are re-banded to the five bands of §3.1; "10 bis unter 15" goes 4/5 to 0-13, 1/5 to 14-29.
"""

from __future__ import annotations

import pandas as pd

from etl.messages import Msg
from etl.model import SourceSpec, Town
from etl.readers.checks import RejectLog, duplicates
from etl.readers.regionalstatistik.parsed import Parsed
from etl.readers.regionalstatistik.table import CELLS_PER_YEAR, GROUPS, MISSING_TEXT, bad_count_reason, counts

KEY = ["ags", "year", "group", "gender"]
MAX_NAMED = 10  # town-years named in one file message


def assemble(
    parsed: list[Parsed], spec: SourceSpec, towns: tuple[Town, ...]
) -> tuple[pd.DataFrame, dict[str, int], dict[str, int], RejectLog, dict[str, str]]:
    """Population rows (canonical columns), rows read and skipped per file, the rejects and file notes."""
    log = RejectLog(spec)
    rows = pd.concat([p.rows for p in parsed], ignore_index=True)
    problems = pd.concat([p.problems for p in parsed], ignore_index=True)
    cells = pd.concat([p.cells for p in parsed], ignore_index=True).merge(rows, on=["source_file", "source_row"])

    log.add(problems, pd.Series(True, index=problems.index), problems["column"], problems["reason"])
    rejected = _row_keys(problems)
    cells = cells.loc[~_row_keys(cells).isin(rejected)].reset_index(drop=True)

    number, missing, bad = counts(cells["text"])
    log.add(cells, bad, cells["column"], bad_count_reason(cells["text"], cells["column"], bad.to_numpy(dtype=bool)))
    rejected = _row_keys(cells.loc[bad])
    keep = ~_row_keys(cells).isin(rejected)
    cells = cells.assign(value=number, missing=missing).loc[keep].reset_index(drop=True)

    dup, reason = duplicates(cells, KEY)
    first = cells.assign(reason=reason).loc[dup].drop_duplicates(["source_file", "source_row"])
    log.add(first, pd.Series(True, index=first.index), "Region", first["reason"])
    cells = cells.loc[~_row_keys(cells).isin(_row_keys(first))].reset_index(drop=True)

    complete, notes = _complete(cells, towns)
    frame = _reband(cells.loc[complete])
    read = {p.file: p.read for p in parsed}
    skipped = {p.file: p.skipped for p in parsed}
    return frame, read, skipped, log, notes


def _row_keys(frame: pd.DataFrame) -> pd.Index:
    return pd.MultiIndex.from_arrays([frame["source_file"].to_numpy(), frame["source_row"].to_numpy()])


def _complete(cells: pd.DataFrame, towns: tuple[Town, ...]) -> tuple[pd.Series, dict[str, str]]:
    """Which cells belong to a complete town-year, and per file the town-years left out (and why)."""
    per_year = cells.groupby(["ags", "year"], sort=True).agg(
        figures=("value", "count"), missing=("missing", "sum"), present=("group", "size")
    )
    whole = per_year.index[(per_year["figures"] == CELLS_PER_YEAR) & (per_year["missing"] == 0)]
    complete = pd.Series(pd.MultiIndex.from_frame(cells[["ags", "year"]]).isin(whole), index=cells.index, dtype=bool)
    names = {t.ags: t.name for t in towns}
    gaps = per_year.drop(index=whole)
    files = cells.loc[~complete].groupby(["ags", "year"])["source_file"].unique()
    named: dict[str, list[Msg]] = {}
    for (ags, year), gap in gaps.iterrows():
        parts = []
        if gap["missing"]:
            parts.append(Msg("values_missing_marked", n=int(gap["missing"]), of=CELLS_PER_YEAR, marks=MISSING_TEXT))
        if gap["present"] < CELLS_PER_YEAR:
            parts.append(Msg("values_absent", n=CELLS_PER_YEAR - int(gap["present"]), of=CELLS_PER_YEAR))
        item = Msg("town_year_gap", town=names.get(ags, ags), year=int(year), gaps=parts)
        for file in files[(ags, year)]:
            named.setdefault(str(file), []).append(item)
    return complete, incomplete_notes(named)


def incomplete_notes(named: dict[str, list[Msg]]) -> dict[str, list[Msg]]:
    """Per file the message on the town-years left out (at most :data:`MAX_NAMED` named, then how many more);
    also the standard table's (:func:`etl.readers.population.whole_years`)."""
    notes = {}
    for file, items in named.items():
        more = Msg("and_more", n=len(items) - MAX_NAMED) if len(items) > MAX_NAMED else None
        notes[file] = [Msg("population_incomplete", items=items[:MAX_NAMED], more=more)]
    return notes


def _reband(cells: pd.DataFrame) -> pd.DataFrame:
    """17 groups × 2 genders -> 5 bands × 2 genders; each row keeps the provenance of its first figure."""
    shares = pd.DataFrame(
        [(group, band, share) for group, parts in GROUPS.items() for band, share in parts],
        columns=["group", "age_band", "share"],
    )
    long = cells.sort_values(["source_file", "source_row"], kind="stable").merge(shares, on="group")
    long["count"] = long["value"] * long["share"]
    out = long.groupby(["ags", "year", "age_band", "gender"], as_index=False, sort=True).agg(
        count=("count", "sum"), source_file=("source_file", "first"), source_row=("source_row", "first")
    )
    out["district"] = ""
    return out.astype({"year": "int64", "count": "float64", "source_row": "int64"})
