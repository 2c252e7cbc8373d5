"""Reader for the ``partner_survey`` source (brief §3.3): the Akteursbefragung as a LimeSurvey export.

One row per responding organisation: its id (``ORG``), sector, the two agreement items (``EYE``, ``HE``)
and three arrays with one column per other organisation (``FREQ[<org_id>]``, ``TRUST[…]``, ``VALUE[…]``),
in any of LimeSurvey's export styles (:mod:`etl.readers.limesurvey`). The arrays of the complete responses
become the in-memory long frame ``partner_ratings`` (one row per rater and rated organisation with any
answer); single ratings are never stored, only the indicators built from them. An incomplete response
(empty ``submitdate``) is an accepted row flagged ``complete = False``: checked only for the answers it has,
it passes no rating on and enters neither the network nor any rating (brief §3.3). Whether the
organisations exist in the organisations list is checked by the pipeline, which sees both sources.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl import tables
from etl.messages import Msg
from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.batch import Batch, Loaded, read_batch
from etl.readers.canonical import SECTORS
from etl.readers.checks import BlockPart, Header, RejectLog, check_blocks, duplicates, log_blocks, typed_values
from etl.readers.fields import Field, code_field, scale_field
from etl.readers.limesurvey import META_FIELDS, Exports, mapping, read_exports, response_year
from etl.readers.organisations import SECTOR_CODES
from etl.tables import columns_of

ANSWER_FIELDS = (
    Field("ORG"),  # required of a complete response only (an incomplete one is checked for what it has)
    code_field("SECTOR", SECTOR_CODES, allowed=", ".join(SECTORS)),
    scale_field("EYE", 1, 5),
    scale_field("HE", 1, 5),
)
# array prefix -> (lowest, highest answer, output column)
ARRAYS = {"FREQ": (0, 4, "freq"), "TRUST": (1, 4, "trust"), "VALUE": (1, 4, "value")}

RESPONSE_COLUMNS = columns_of(tables.stg_partner_responses)
RATING_COLUMNS = ["town_ags", "year", "org_id", "about_org_id", "freq", "trust", "value", "source_file", "source_row"]


def partner_exports(spec: SourceSpec, log: RejectLog) -> Exports:
    """All files of the source in code style, before the field checks (answer texts already mapped)."""
    return read_exports(
        spec,
        log,
        mapping(spec),
        ["id", "ORG"],
        ["submitdate", "startdate", "datestamp", "SECTOR", "EYE", "HE"],
        [f.name for f in ANSWER_FIELDS],
        arrays=tuple(ARRAYS),
        personal=frozenset({"ORG"}),  # organisation names in "Vollständige Antworten"
    )


def read_partner_survey(
    spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser=None
) -> SourceResult:  # noqa: ANN001
    return read_partner_survey_batch([spec], project, towns, pseudonymiser)[0]


def _load(spec: SourceSpec) -> Loaded:
    log = RejectLog(spec)
    exports = partner_exports(spec, log)
    return Loaded(
        parts=exports.parts,
        headers=exports.headers,
        counts=exports.counts,
        notes=exports.notes,
        extra={"log": log, "exports": exports},
    )


def read_partner_survey_batch(
    specs: list[SourceSpec],
    project: Project,
    towns: tuple[Town, ...],
    pseudonymiser=None,  # noqa: ANN001
) -> list[SourceResult]:
    """Sources whose exports rate the same organisations are validated together (their rating columns are
    the same); a town with organisations of its own ids forms its own batch, so no frame grows sideways."""

    def validate(batch: Batch) -> list[SourceResult]:
        groups: dict[tuple[str, ...], list[int]] = {}
        for i, item in enumerate(batch.loaded):
            columns = item.parts[0][2] if item.parts else {}
            groups.setdefault(tuple(c for c in columns if _is_rating(c)), []).append(i)
        if len(groups) == 1:
            return _validate(batch)
        out: dict[int, SourceResult] = {}
        for members in groups.values():
            sub = Batch([batch.specs[i] for i in members], [batch.loaded[i] for i in members])
            out.update(zip(members, _validate(sub), strict=True))
        return [out[i] for i in range(len(batch.specs))]

    return read_batch(specs, _load, validate)


def _is_rating(column: str) -> bool:
    return column.split("[", 1)[0] in ARRAYS and column.endswith("]")


def _validate(batch: Batch) -> list[SourceResult]:
    raw, log = batch.frame, batch.log
    exports_bad = raw["_bad"].to_numpy(dtype=bool)
    arrays = [c for c in raw.columns if _is_rating(c)]
    array_fields = [scale_field(c, *ARRAYS[c.split("[", 1)[0]][:2]) for c in arrays]
    fields = [*META_FIELDS, *ANSWER_FIELDS]
    # all ~90 rating items of a prefix are checked as one block; rejects keep the field order
    parts, bad_cells = check_blocks(raw, [*fields, *array_fields], batch.headers)
    log_blocks(raw, parts, bad_cells, log)
    typed = typed_values(parts, raw.index, [f.name for f in fields])
    meta, answers = typed[[f.name for f in META_FIELDS]], typed[[f.name for f in ANSWER_FIELDS]]
    complete = raw["submitdate"].astype(str).str.strip() != ""
    no_org = complete & (raw["ORG"].astype(str).str.strip() == "") & ~exports_bad
    log.add(raw, no_org, Header("ORG"), Msg("required_empty", header=Header("ORG")))
    bad = pd.Series(bad_cells.any(axis=1), index=raw.index) | no_org | exports_bad
    year, unknown_year = response_year(batch, meta, ~bad, log, raw)
    bad = bad | unknown_year
    keyed = raw[["source_file", "source_row", "_src"]].assign(id=meta["id"], org=answers["ORG"], year=year)
    dup, reason = duplicates(keyed, ["id"], ~bad)
    log.add(raw, dup, Header("id"), reason)
    bad = bad | dup
    # one complete answer per organisation and wave: a second one would count it twice (an earlier
    # incomplete attempt of the same organisation is kept, flagged, and counts nowhere)
    dup_org, reason_org = duplicates(keyed, ["year", "org"], ~bad & complete)
    reason_org = reason_org.map(lambda m: Msg("duplicate_org", duplicate=m) if isinstance(m, Msg) else m)
    log.add(raw, dup_org, Header("ORG"), reason_org)
    keep = ~(bad | dup_org)

    org = answers.loc[keep, "ORG"].fillna("")
    responses = pd.DataFrame(
        {
            "town_ags": batch.towns(raw.loc[keep]),
            "year": year[keep].astype("int64"),
            "response_id": meta.loc[keep, "id"],
            "complete": complete[keep].to_numpy(dtype=bool),
            "org_id": org,
            # an incomplete response without ORG belongs to no organisation of the list: no sector either
            "sector": answers.loc[keep, "SECTOR"].mask(org == "", ""),
            "eye": answers.loc[keep, "EYE"],
            "he": answers.loc[keep, "HE"],
            "source_file": raw.loc[keep, "source_file"],
            "source_row": raw.loc[keep, "source_row"],
            "_src": raw.loc[keep, "_src"],
        }
    )
    # ratings of an incomplete response enter no network figure and no rating (brief §3.3): not passed on
    counted = (keep & complete).to_numpy(dtype=bool)
    ratings = _rating_numbers(parts, arrays, counted)
    results = batch.results(
        {
            "stg_partner_responses": responses[[*RESPONSE_COLUMNS, "_src"]],
            "partner_ratings": _long_ratings(ratings, responses[responses["complete"]]),
        }
    )
    for result, item in zip(results, batch.loaded, strict=True):
        result.rejects = item.extra["exports"].relabel(result.rejects)
    return results


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
        return pd.DataFrame({c: pd.Series(dtype="object") for c in [*RATING_COLUMNS, "_src"]}).astype({"_src": "int64"})
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
    out = (
        responses[["town_ags", "year", "org_id", "source_file", "source_row", "_src"]].iloc[rows].reset_index(drop=True)
    )
    out["about_org_id"] = pd.array(about_ids, dtype="str")
    for column, grid in grids.items():
        out[column] = _whole(grid[rows, cols])
    return out.sort_values(["_src", "source_file", "source_row", "about_org_id"], kind="stable")[
        [*RATING_COLUMNS, "_src"]
    ]


def _whole(numbers: np.ndarray) -> pd.arrays.IntegerArray:
    missing = np.isnan(numbers)
    return pd.arrays.IntegerArray(np.where(missing, 0, numbers).astype("int64"), missing)
