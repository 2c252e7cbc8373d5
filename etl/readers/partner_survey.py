"""Reader for the ``partner_survey`` source (brief §3.3): the Akteursbefragung as a LimeSurvey export.

One row per responding organisation: its id (``ORG``), sector, the two agreement items (``EYE``, ``HE``)
and three arrays with one column per other organisation (``FREQ[<org_id>]``, ``TRUST[…]``, ``VALUE[…]``).
The arrays become the in-memory long frame ``partner_ratings`` (one row per rater and rated organisation
with any answer); single ratings are never stored, only the indicators built from them. Whether the
organisations exist in the organisations list is checked by the pipeline, which sees both sources.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl import tables
from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.canonical import SECTORS
from etl.readers.checks import BlockPart, RejectLog, check_blocks, duplicates, finish, log_blocks, select, typed_values
from etl.readers.collect import read_all
from etl.readers.fields import Field, code_field, scale_field
from etl.readers.limesurvey import META_FIELDS, mapping, prefixed_columns, response_year
from etl.readers.organisations import SECTOR_CODES
from etl.tables import columns_of

ANSWER_FIELDS = (
    Field("ORG", required=True),
    code_field("SECTOR", SECTOR_CODES, allowed=", ".join(SECTORS)),
    scale_field("EYE", 1, 5),
    scale_field("HE", 1, 5),
)
# array prefix -> (lowest, highest answer, output column)
ARRAYS = {"FREQ": (0, 4, "freq"), "TRUST": (1, 4, "trust"), "VALUE": (1, 4, "value")}

RESPONSE_COLUMNS = columns_of(tables.stg_partner_responses)
RATING_COLUMNS = ["town_ags", "year", "org_id", "about_org_id", "freq", "trust", "value", "source_file", "source_row"]


def read_partner_survey(
    spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser=None
) -> SourceResult:  # noqa: ANN001
    raw, headers, counts = _read_files(spec)
    log = RejectLog(spec)
    arrays = [c for c in raw.columns if c.split("[", 1)[0] in ARRAYS and c.endswith("]")]
    array_fields = [scale_field(c, *ARRAYS[c.split("[", 1)[0]][:2]) for c in arrays]
    fields = [*META_FIELDS, *ANSWER_FIELDS]
    # all ~90 rating items of a prefix are checked as one block; rejects keep the field order
    parts, bad_cells = check_blocks(raw, [*fields, *array_fields], headers)
    log_blocks(raw, parts, bad_cells, log)
    typed = typed_values(parts, raw.index, [f.name for f in fields])
    meta, answers = typed[[f.name for f in META_FIELDS]], typed[[f.name for f in ANSWER_FIELDS]]
    bad = pd.Series(bad_cells.any(axis=1), index=raw.index)
    year, unknown_year = response_year(spec, meta, ~bad, log, raw, headers)
    bad = bad | unknown_year
    keyed = raw[["source_file", "source_row"]].assign(id=meta["id"], org=answers["ORG"], year=year)
    dup, reason = duplicates(keyed, ["id"], ~bad)
    log.add(raw, dup, headers["id"], reason)
    bad = bad | dup
    # one answer per organisation and wave: a second response by the same ORG would count it twice
    dup_org, reason_org = duplicates(keyed, ["year", "org"], ~bad)
    log.add(raw, dup_org, headers["ORG"], reason_org + " (dieselbe Organisation hat schon geantwortet)")
    keep = ~(bad | dup_org)

    responses = pd.DataFrame(
        {
            "town_ags": spec.town,
            "year": year[keep].astype("int64"),
            "response_id": meta.loc[keep, "id"],
            "org_id": answers.loc[keep, "ORG"],
            "sector": answers.loc[keep, "SECTOR"],
            "eye": answers.loc[keep, "EYE"],
            "he": answers.loc[keep, "HE"],
            "source_file": raw.loc[keep, "source_file"],
            "source_row": raw.loc[keep, "source_row"],
        }
    )
    ratings = _rating_numbers(parts, arrays, keep.to_numpy(dtype=bool))
    return finish(
        spec,
        {"stg_partner_responses": responses[RESPONSE_COLUMNS], "partner_ratings": _long_ratings(ratings, responses)},
        counts,
        log,
    )


def _read_files(spec: SourceSpec) -> tuple[pd.DataFrame, dict[str, str], dict[str, int]]:
    """All files as one text frame: LimeSurvey and answer columns plus every ``FREQ[..]`` … array item."""
    names = mapping(spec)
    frames, counts, headers = [], {}, {}
    for table in read_all(spec):
        frame, found = select(
            table.frame,
            table.file,
            names,
            ["id", "ORG"],
            ["submitdate", "startdate", "datestamp", "SECTOR", "EYE", "HE"],
        )
        items: dict[str, str] = {}
        for prefix in ARRAYS:
            for about, header in prefixed_columns(list(table.frame.columns), names.get(prefix, prefix)).items():
                items[f"{prefix}[{about}]"] = header
        if items:
            cells = table.frame[list(items.values())].to_numpy(dtype=object)
            block = pd.DataFrame(cells, index=frame.index, columns=list(items), dtype=object)
            frame = pd.concat([frame, block], axis=1)
        found.update(items)
        for k, v in found.items():
            headers.setdefault(k, v)
        frames.append(frame)
        counts[table.file] = len(frame)
    return pd.concat(frames, ignore_index=True).fillna(""), headers, counts


def _rating_numbers(parts: list[BlockPart], arrays: list[str], keep: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Per prefix, the answers of each rated organisation (kept rows only; NaN = no answer)."""
    wanted = set(arrays)
    out: dict[str, dict[str, np.ndarray]] = {prefix: {} for prefix in ARRAYS}
    for block_fields, _, block in parts:
        if not any(f.name in wanted for f in block_fields):
            continue
        numbers = block.numbers()[keep]
        for j, f in enumerate(block_fields):
            prefix = f.name.split("[", 1)[0]
            out[prefix][f.name[len(prefix) + 1 : -1]] = numbers[:, j]
    return out


def _long_ratings(ratings: dict[str, dict[str, np.ndarray]], responses: pd.DataFrame) -> pd.DataFrame:
    """Wide ``FREQ[o2]`` … answers -> one row per rater and rated organisation with any answer.

    ``ratings`` holds per prefix and rated organisation the answers of the rows of ``responses``.
    """
    if not any(ratings.values()):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in RATING_COLUMNS})
    about = list(dict.fromkeys(a for items in ratings.values() for a in items))
    n = len(responses)
    none = np.full(n, np.nan)
    # (rows, rated organisations) per output column, NaN where the prefix has no such item
    grids = {
        column: np.column_stack([ratings[prefix].get(a, none) for a in about]) if n else np.empty((0, len(about)))
        for prefix, (_, _, column) in ARRAYS.items()
    }
    answered = ~np.isnan(grids["freq"]) | ~np.isnan(grids["trust"]) | ~np.isnan(grids["value"])
    rows, cols = np.nonzero(answered)
    about_ids = np.asarray(about, dtype=object)[cols]
    org = responses["org_id"].to_numpy(dtype=object)[rows]
    own = about_ids != org  # a rating of itself is no tie
    rows, cols, about_ids = rows[own], cols[own], about_ids[own]
    out = responses[["town_ags", "year", "org_id", "source_file", "source_row"]].iloc[rows].reset_index(drop=True)
    out["about_org_id"] = pd.array(about_ids, dtype="str")
    for column, grid in grids.items():
        out[column] = _whole(grid[rows, cols])
    return out.sort_values(["source_file", "source_row", "about_org_id"], kind="stable")[RATING_COLUMNS]


def _whole(numbers: np.ndarray) -> pd.arrays.IntegerArray:
    missing = np.isnan(numbers)
    return pd.arrays.IntegerArray(np.where(missing, 0, numbers).astype("int64"), missing)
