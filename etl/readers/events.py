"""Reader for the ``events`` source (brief §3.5): participation formats and network meetings."""

from __future__ import annotations

from etl import tables
from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.batch import Batch, read_batch
from etl.readers.checks import Header, check_fields, duplicates
from etl.readers.collect import load_canonical
from etl.readers.fields import DATE, INT, Field, category_field, title_field
from etl.tables import columns_of

COUNTS = ("participants", "civil_society", "politics", "administration", "business", "residents")

FIELDS = (
    Field("event_id", required=True),
    Field("date", DATE, required=True),
    category_field("format"),
    title_field("title"),  # free text: never quoted
    *(Field(name, INT, lo=0, hi=1_000_000) for name in COUNTS),
)

COLUMNS = columns_of(tables.stg_events)


def read_events(spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser=None) -> SourceResult:  # noqa: ANN001
    return read_events_batch([spec], project, towns, pseudonymiser)[0]


def read_events_batch(
    specs: list[SourceSpec], project: Project, towns: tuple[Town, ...], pseudonymiser=None
) -> list[SourceResult]:  # noqa: ANN001
    return read_batch(specs, lambda s: load_canonical(s, ["event_id", "date"], ["format", "title", *COUNTS]), _validate)


def _validate(batch: Batch) -> list[SourceResult]:
    raw, log = batch.frame, batch.log
    values, bad = check_fields(raw, FIELDS, batch.headers, log)
    values[["source_file", "source_row", "_src"]] = raw[["source_file", "source_row", "_src"]]
    dup, reason = duplicates(values, ["event_id"], ~bad)
    log.add(values, dup, Header("event_id"), reason)
    ok = values.loc[~(bad | dup)].copy()
    ok["town_ags"] = batch.towns(ok)
    ok["year"] = ok["date"].dt.year.astype("int64")
    return batch.results({"stg_events": ok[[*COLUMNS, "_src"]]})
