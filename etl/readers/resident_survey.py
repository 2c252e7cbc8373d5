"""Reader for the ``resident_survey`` source (brief §3.2): the Einwohnerbefragung as a LimeSurvey export.

The export may come in any of LimeSurvey's heading and answer styles (:mod:`etl.readers.limesurvey` maps it
back to codes through the questionnaire). Only the standard questionnaire's answers are kept (mapped through
``[sources.codes]`` for a town's own codes); LimeSurvey's technical columns, ``ipaddr``, ``refurl``,
``token`` and every free-text or unknown column are dropped unread. Incomplete responses (empty
``submitdate``) and under-age respondents stay as flagged rows; an incomplete response is only checked for
the answers it has.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl import tables
from etl.messages import Msg
from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.batch import Batch, Loaded, read_batch
from etl.readers.canonical import AGE_BANDS, ENG3_SUBQUESTIONS, RESIDENT_CODES
from etl.readers.checks import Header, RejectLog, check_fields, duplicates
from etl.readers.fields import FLAG, FLOAT, GENDER, INT, YES_NO, Field, code_field, scale_field
from etl.readers.limesurvey import META_FIELDS, Exports, mapping, read_exports, response_year
from etl.tables import columns_of


def _yes_no(name: str) -> Field:
    return code_field(name, YES_NO, allowed="Y, N")


ENG3 = tuple(f"ENG3[{sq}]" for sq in ENG3_SUBQUESTIONS)
ANSWER_FIELDS = (
    Field("AGE", INT, lo=0, hi=120, allowed="0–120", noun="Alter"),
    code_field("GENDER", GENDER, allowed="w, m, d"),
    Field("DISTRICT"),
    scale_field("EDU", 1, 3),
    _yes_no("MIG"),
    _yes_no("ENG1"),
    Field("ENG2", FLOAT, lo=0, hi=744),
    *(Field(code, FLAG) for code in ENG3),
    scale_field("WILL", 1, 3),
    _yes_no("PART"),
    scale_field("EASE", 1, 5),
    scale_field("INFO", 1, 5),
    scale_field("RECOG", 1, 5),
    _yes_no("KNOW"),
)
ANSWERS = [f.name for f in ANSWER_FIELDS]
OUTPUT = {
    **{c: c.lower() for c in RESIDENT_CODES if not c.startswith("ENG3")},
    **{f"ENG3[{sq}]": f"eng3_{sq.lower()}" for sq in ENG3_SUBQUESTIONS},
}
COLUMNS = columns_of(tables.stg_survey_responses)


def age_band(age: pd.Series) -> pd.Series:
    """0-13, 14-29, 30-49, 50-64, 65+ (brief §3.1), missing where the age is."""
    a = age.astype("float64").to_numpy()
    band = np.select([a < 14, a < 30, a < 50, a < 65, a >= 65], list(AGE_BANDS), "")
    return pd.Series(band, index=age.index, dtype="str").where(~np.isnan(a))


def survey_mapping(spec: SourceSpec) -> dict[str, str]:
    """Manifest mappings plus ``ENG3 = "F3"`` expanded onto every subquestion not mapped one by one."""
    out = mapping(spec)
    prefix = out.pop("ENG3", None)
    if prefix:
        for sq in ENG3_SUBQUESTIONS:
            out.setdefault(f"ENG3[{sq}]", f"{prefix}[{sq}]")
    return out


def resident_exports(spec: SourceSpec, log: RejectLog) -> Exports:
    """All files of the source in code style, before the field checks (answer texts already mapped)."""
    return read_exports(
        spec,
        log,
        survey_mapping(spec),
        ["id", "submitdate", "AGE"],
        ["startdate", "datestamp", *[a for a in ANSWERS if a != "AGE"]],
        ANSWERS,
        aliases={code: (code.replace("[", "_").rstrip("]"),) for code in ENG3},
    )


def read_resident_survey(
    spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser=None
) -> SourceResult:  # noqa: ANN001
    return read_resident_survey_batch([spec], project, towns, pseudonymiser)[0]


def _load(spec: SourceSpec) -> Loaded:
    log = RejectLog(spec)
    exports = resident_exports(spec, log)
    return Loaded(
        parts=exports.parts,
        headers=exports.headers,
        counts=exports.counts,
        notes=exports.notes,
        extra={"log": log, "exports": exports},
    )


def read_resident_survey_batch(
    specs: list[SourceSpec], project: Project, towns: tuple[Town, ...], pseudonymiser=None  # noqa: ANN001
) -> list[SourceResult]:
    return read_batch(specs, _load, lambda batch: _validate(batch, project))


def _validate(batch: Batch, project: Project) -> list[SourceResult]:
    raw, log = batch.frame, batch.log
    exports_bad = raw["_bad"].to_numpy(dtype=bool)
    # one pass over all fields (rejects still in field order: LimeSurvey's columns, then the answers)
    typed, bad = check_fields(raw, [*META_FIELDS, *ANSWER_FIELDS], batch.headers, log)
    meta, answers = typed[[f.name for f in META_FIELDS]], typed[ANSWERS]
    complete = raw["submitdate"].astype(str).str.strip() != ""
    no_age = complete & (raw["AGE"].astype(str).str.strip() == "") & ~exports_bad
    log.add(raw, no_age, Header("AGE"), Msg("age_missing", header=Header("AGE")))
    bad = bad | no_age | exports_bad
    year, unknown_year = response_year(batch, meta, ~bad, log, raw)
    bad = bad | unknown_year
    keyed = raw[["source_file", "source_row", "_src"]].assign(id=meta["id"])
    dup, reason = duplicates(keyed, ["id"], ~bad)
    log.add(raw, dup, Header("id"), reason)
    keep = ~(bad | dup)

    out = answers.loc[keep].rename(columns=OUTPUT)
    out["town_ags"] = batch.towns(raw.loc[keep])
    out["year"] = year[keep].astype("int64")
    out["response_id"] = meta.loc[keep, "id"]
    out["submitdate"] = meta.loc[keep, "submitdate"]
    out["complete"] = complete[keep].to_numpy(dtype=bool)
    out["below_min_age"] = (out["age"] < project.survey_min_age).fillna(False).astype(bool)
    out["age_band"] = age_band(out["age"])
    out["weight"] = np.nan
    out["weighted"] = None
    out[["source_file", "source_row", "_src"]] = raw.loc[keep, ["source_file", "source_row", "_src"]]
    results = batch.results({"stg_survey_responses": out[[*COLUMNS, "_src"]]})
    for result, item in zip(results, batch.loaded, strict=True):
        result.rejects = item.extra["exports"].relabel(result.rejects)
    return results
