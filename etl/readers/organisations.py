"""Reader for the ``organisations`` source (brief §3.3): the town's partner organisations and their sector."""

from __future__ import annotations

from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.batch import Batch, read_batch
from etl.readers.canonical import SECTORS
from etl.readers.checks import Header, check_fields, duplicates
from etl.readers.collect import load_canonical
from etl.readers.fields import Field, code_field, title_field

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
    title_field("name", required=True),  # an organisation's name may be a person's: never quoted
    code_field("sector", SECTOR_CODES, required=True, allowed=", ".join(SECTORS)),
)


def read_organisations(spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser=None) -> SourceResult:  # noqa: ANN001
    return read_organisations_batch([spec], project, towns, pseudonymiser)[0]


def read_organisations_batch(
    specs: list[SourceSpec], project: Project, towns: tuple[Town, ...], pseudonymiser=None  # noqa: ANN001
) -> list[SourceResult]:
    return read_batch(specs, lambda s: load_canonical(s, ["org_id", "name", "sector"], []), _validate)


def _validate(batch: Batch) -> list[SourceResult]:
    raw, log = batch.frame, batch.log
    values, bad = check_fields(raw, FIELDS, batch.headers, log)
    values[["source_file", "source_row", "_src"]] = raw[["source_file", "source_row", "_src"]]
    dup, reason = duplicates(values, ["org_id"], ~bad)
    log.add(values, dup, Header("org_id"), reason)
    ok = values.loc[~(bad | dup)].copy()
    ok.insert(0, "town_ags", batch.towns(ok))
    return batch.results(
        {"stg_organisations": ok[["town_ags", "org_id", "name", "sector", "source_file", "source_row", "_src"]]}
    )
