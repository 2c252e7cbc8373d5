"""Reader for the ``population`` source (brief §3.1): population by age band and gender, per town and year.

Two kinds of file: the canonical table (``ags, year, [district,] age_band, gender, count``) and the
Regionalstatistik table 12411-02-03-5 in any of its layouts (see :mod:`etl.readers.regionalstatistik`),
recognised by its content or named by ``format = "regionalstatistik"``. Both end in the same frame; a town
that has only district rows gets its town totals (the sums of its districts) added, because weighting
needs the town totals. In both, rows of regions that are not towns of the manifest are skipped and counted
in the file's message, not rejected: a table for a whole Kreis or Land is normal (§3.1, §4).

A year is taken over only whole. The Regionalstatistik table needs all 34 figures of a town's year
(:mod:`etl.readers.regionalstatistik.assemble`); the standard table the eight figures aged 14+ (four age bands
× w, m; 0-13 may be left out, but not half of it), each district of the year too. A row that is absent, or
rejected, makes the year unknown, not smaller: weighting on a zero the town does not have would give its
respondents in that cell weight 0 while they still count in n, and a rate per 1000 would use too small a
population. Such a town-year is not taken over (only its district rows, where only a district is incomplete
and the town total is given), the file's message names it, and every figure uses the latest earlier whole
year (§3.1), or the survey stays unweighted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl import tables
from etl.messages import Msg
from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers import regionalstatistik
from etl.readers.canonical import AGE_BANDS
from etl.readers.checks import RejectLog, check_fields, duplicates, finish
from etl.readers.collect import read_canonical
from etl.readers.fields import DIGITS, FLOAT, INT, Field, category_field, code_field
from etl.readers.regionalstatistik.assemble import incomplete_notes
from etl.readers.tabular import FileUnreadable
from etl.tables import columns_of

COLUMNS = columns_of(tables.population)
KEY = ["ags", "year", "district", "age_band", "gender"]

BAND_CODES = {**{b: b for b in AGE_BANDS}, **{b.replace("-", "–"): b for b in AGE_BANDS if "-" in b}}
POP_GENDER = {"w": "w", "weiblich": "w", "f": "w", "m": "m", "männlich": "m", "maennlich": "m"}


def read_population(spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser=None) -> SourceResult:  # noqa: ANN001
    if spec.format == "regionalstatistik" or any(regionalstatistik.looks_like(p, spec) for p in spec.files):
        frame, counts, skipped, log, notes = regionalstatistik.read(spec, towns)
    else:
        frame, counts, skipped, log = _read_canonical(spec, towns)
        frame, notes = whole_years(frame, towns)
    return finish(spec, {"population": add_town_totals(frame)[COLUMNS]}, counts, log, notes, skipped)


def _read_canonical(
    spec: SourceSpec, towns: tuple[Town, ...]
) -> tuple[pd.DataFrame, dict[str, int], dict[str, int], RejectLog]:
    """Accepted rows, rows read and skipped per file, rejects of the canonical table."""
    # ags and year may come from the manifest (town = "…", year = …) when the file has no such column
    required = ["age_band", "gender", "count"]
    optional = ["district"]
    (optional if spec.town else required).insert(0, "ags")
    (optional if spec.year else required).insert(0, "year")
    try:
        raw, headers, counts = read_canonical(spec, required, optional)
    except FileUnreadable as exc:
        raise FileUnreadable(
            exc.file, Msg("population_layout_hint", inner=exc.msg, table=regionalstatistik.TABLE_CODE)
        ) from None
    if spec.town:
        raw["ags"] = raw["ags"].where(raw["ags"].str.strip() != "", spec.town)
    if spec.year:
        raw["year"] = raw["year"].where(raw["year"].str.strip() != "", str(spec.year))
    # a well-formed AGS of another region: skipped before any check (its other cells are not ours to judge)
    code = raw["ags"].astype(str).str.strip()
    other = code.str.fullmatch(r"\d{8}") & ~code.isin([t.ags for t in towns])
    skipped = {str(f): int(n) for f, n in other.groupby(raw["source_file"]).sum().items()}
    fields = (
        Field("ags", DIGITS, required=True, digits=8),
        Field("year", INT, required=True, lo=1900, hi=2100),
        category_field("district"),
        code_field("age_band", BAND_CODES, required=True, allowed=", ".join(AGE_BANDS)),
        code_field("gender", POP_GENDER, required=True, allowed="w, m"),
        Field("count", FLOAT, required=True, lo=0),
    )
    log = RejectLog(spec)
    values, bad = check_fields(raw, fields, headers, log, only=~other)
    values[["source_file", "source_row"]] = raw[["source_file", "source_row"]]
    values["district"] = values["district"].fillna("")
    bad = bad | other
    dup, reason = duplicates(values, KEY, ~bad)
    log.add(values, dup, headers["count"], reason)
    ok = values.loc[~(bad | dup)].copy()
    ok["year"] = ok["year"].astype("int64")
    return ok, counts, skipped, log


ALL_CELLS = len(AGE_BANDS) * 2  # five bands × w, m
ADULT_CELLS = ALL_CELLS - 2  # without 0-13: the bands aged 14+ that weighting and the rates per 1000 need


def whole_years(frame: pd.DataFrame, towns: tuple[Town, ...]) -> tuple[pd.DataFrame, dict[str, list[Msg]]]:
    """The canonical rows of whole years only, and per file the town-years left out (module docstring).

    A year (of the town total, or of one district) is whole with its eight figures aged 14+; the band 0-13
    may be left out (a table of the population aged 14+), but not half of it. Per town and year: the
    town-total rows (district ``''``) stay when they are whole; the district rows stay when every district
    of the year is (one incomplete district would make the others' shares and the town total summed from
    them wrong).
    """
    if frame.empty:
        return frame, {}
    keys = ["ags", "year"]
    cells = (
        frame.assign(child=frame["age_band"] == "0-13")
        .groupby([*keys, "district"], sort=True)
        .agg(present=("count", "size"), child=("child", "sum"))
        .reset_index()
    )
    adult = cells["present"] - cells["child"]
    cells["of"] = np.where(cells["child"] > 0, ALL_CELLS, ADULT_CELLS)
    cells["gap"] = (ADULT_CELLS - adult) + (cells["child"] == 1)
    total = cells.loc[cells["district"] == ""].set_index(keys)
    total = total.loc[total["gap"] > 0]
    districts = cells.loc[cells["district"] != ""]
    short = districts.loc[districts["gap"] > 0].groupby(keys).size()
    at = pd.MultiIndex.from_frame(frame[keys])
    is_total = (frame["district"] == "").to_numpy()
    left_out = (is_total & at.isin(total.index)) | (~is_total & at.isin(short.index))
    if not left_out.any():
        return frame, {}
    names = {t.ags: t.name for t in towns}
    files = frame.loc[left_out].groupby(keys)["source_file"].unique()
    named: dict[str, list[Msg]] = {}
    for ags, year in files.index:
        gaps = []
        if (ags, year) in total.index:
            gap = total.loc[(ags, year)]
            gaps.append(Msg("values_absent", n=int(gap["gap"]), of=int(gap["of"])))
        if (ags, year) in short.index:
            gaps.append(Msg("districts_incomplete", n=int(short[(ags, year)])))
        item = Msg("town_year_gap", town=names.get(ags, ags), year=int(year), gaps=gaps)
        for file in files[(ags, year)]:
            named.setdefault(str(file), []).append(item)
    return frame.loc[~left_out].reset_index(drop=True), incomplete_notes(named)


def add_town_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the town rows (district ``''``) for every town and year that has only district rows.

    The sums keep the provenance of the first district row behind them.
    """
    has_total = frame.loc[frame["district"] == "", ["ags", "year"]].drop_duplicates()
    districts = frame.loc[frame["district"] != ""]
    if districts.empty:
        return frame
    merged = districts.merge(has_total.assign(_has=True), on=["ags", "year"], how="left")
    need = merged.loc[merged["_has"].isna()].drop(columns="_has")
    if need.empty:
        return frame
    totals = (
        need.groupby(["ags", "year", "age_band", "gender"], as_index=False, sort=False)
        .agg(count=("count", "sum"), source_file=("source_file", "first"), source_row=("source_row", "first"))
        .assign(district="")
    )
    return pd.concat([frame, totals[COLUMNS]], ignore_index=True)
