"""Reader for the ``organisations`` source (brief §3.3): the town's partner organisations and their sector."""

from __future__ import annotations

from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.canonical import SECTORS
from etl.readers.checks import RejectLog, check_fields, duplicates, finish
from etl.readers.collect import read_canonical
from etl.readers.fields import Field, code_field

# German words coordinators write in a sector column, next to the canonical codes.
SECTOR_CODES = {
    **{s: s for s in SECTORS},
    "zivilgesellschaft": "civil_society",
    "politik": "politics",
    "verwaltung": "administration",
    "wirtschaft": "business",
}

FIELDS = (
    Field("org_id", required=True),
    Field("name", required=True, personal=True),  # an organisation's name may be a person's: never quoted
    code_field("sector", SECTOR_CODES, required=True, allowed=", ".join(SECTORS)),
)


def read_organisations(spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser=None) -> SourceResult:  # noqa: ANN001
    raw, headers, counts = read_canonical(spec, ["org_id", "name", "sector"], [])
    log = RejectLog(spec)
    values, bad = check_fields(raw, FIELDS, headers, log)
    values[["source_file", "source_row"]] = raw[["source_file", "source_row"]]
    dup, reason = duplicates(values, ["org_id"], ~bad)
    log.add(values, dup, headers["org_id"], reason)
    ok = values.loc[~(bad | dup)].copy()
    ok.insert(0, "town_ags", spec.town)
    return finish(
        spec,
        {"stg_organisations": ok[["town_ags", "org_id", "name", "sector", "source_file", "source_row"]]},
        counts,
        log,
    )
