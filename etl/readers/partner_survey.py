"""Reader for the ``partner_survey`` source (brief §3.3): the Akteursbefragung as a LimeSurvey export.

One row per responding organisation: its id (``ORG``), sector, the two agreement items (``EYE``, ``HE``)
and three arrays with one column per other organisation (``FREQ[<org_id>]``, ``TRUST[…]``, ``VALUE[…]``).
The arrays become the in-memory long frame ``partner_ratings`` (one row per rater and rated organisation
with any answer); single ratings are never stored, only the indicators built from them. Whether the
organisations exist in the organisations list is checked by the pipeline, which sees both sources.
"""

from __future__ import annotations

import pandas as pd

from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.canonical import SECTORS
from etl.readers.checks import RejectLog, check_fields, duplicates, finish, select
from etl.readers.collect import read_all
from etl.readers.fields import Field, code_field, scale_field
from etl.readers.limesurvey import META_FIELDS, mapping, prefixed_columns, response_year
from etl.readers.organisations import SECTOR_CODES

ANSWER_FIELDS = (
    Field("ORG", required=True),
    code_field("SECTOR", SECTOR_CODES, allowed=", ".join(SECTORS)),
    scale_field("EYE", 1, 5),
    scale_field("HE", 1, 5),
)
# array prefix -> (lowest, highest answer, output column)
ARRAYS = {"FREQ": (0, 4, "freq"), "TRUST": (1, 4, "trust"), "VALUE": (1, 4, "value")}

RESPONSE_COLUMNS = ["town_ags", "year", "response_id", "org_id", "sector", "eye", "he", "source_file", "source_row"]
RATING_COLUMNS = ["town_ags", "year", "org_id", "about_org_id", "freq", "trust", "value", "source_file", "source_row"]


def read_partner_survey(
    spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser=None
) -> SourceResult:  # noqa: ANN001
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
        for prefix in ARRAYS:
            for about, header in prefixed_columns(list(table.frame.columns), names.get(prefix, prefix)).items():
                frame[f"{prefix}[{about}]"] = table.frame[header]
                found[f"{prefix}[{about}]"] = header
        for k, v in found.items():
            headers.setdefault(k, v)
        frames.append(frame)
        counts[table.file] = len(frame)
    raw = pd.concat(frames, ignore_index=True).fillna("")
    log = RejectLog(spec)
    meta, bad_meta = check_fields(raw, META_FIELDS, headers, log)
    answers, bad_answers = check_fields(raw, ANSWER_FIELDS, headers, log)
    array_fields = [
        scale_field(column, *ARRAYS[column.split("[", 1)[0]][:2])
        for column in raw.columns
        if column.split("[", 1)[0] in ARRAYS and column.endswith("]")
    ]
    ratings, bad_ratings = check_fields(raw, array_fields, headers, log)
    bad = bad_meta | bad_answers | bad_ratings
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
    return finish(
        spec,
        {
            "stg_partner_responses": responses[RESPONSE_COLUMNS],
            "partner_ratings": _long_ratings(ratings.loc[keep], responses),
        },
        counts,
        log,
    )


def _long_ratings(ratings: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Wide ``FREQ[o2]`` … columns -> one row per rater and rated organisation with any answer."""
    parts = []
    for prefix, (_, _, column) in ARRAYS.items():
        cols = [c for c in ratings.columns if c.startswith(f"{prefix}[")]
        if not cols:
            continue
        subs = {c: c[len(prefix) + 1 : -1] for c in cols}
        long = ratings[cols].rename(columns=subs).melt(ignore_index=False, var_name="about_org_id", value_name=column)
        long = long.dropna(subset=[column])
        parts.append(long.reset_index().set_index(["index", "about_org_id"]))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in RATING_COLUMNS})
    wide = pd.concat(parts, axis=1).reset_index()
    for _, (_, _, column) in ARRAYS.items():
        if column not in wide:
            wide[column] = pd.NA
        wide[column] = wide[column].astype("Int64")
    rater = responses[["town_ags", "year", "org_id", "source_file", "source_row"]]
    out = wide.merge(rater, left_on="index", right_index=True, how="inner")
    out = out.loc[out["about_org_id"] != out["org_id"]]  # a rating of itself is no tie
    return out.sort_values(["source_file", "source_row", "about_org_id"], kind="stable")[RATING_COLUMNS]
