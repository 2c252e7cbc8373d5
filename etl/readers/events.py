"""Reader for the ``events`` source (brief §3.5): participation formats and network meetings."""

from __future__ import annotations

from etl import tables
from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.checks import RejectLog, check_fields, duplicates, finish
from etl.readers.collect import read_canonical
from etl.readers.fields import DATE, INT, Field
from etl.tables import columns_of

COUNTS = ("participants", "civil_society", "politics", "administration", "business", "residents")

FIELDS = (
    Field("event_id", required=True),
    Field("date", DATE, required=True),
    Field("format"),
    Field("title", personal=True),  # free text: never quoted
    *(Field(name, INT, lo=0, hi=1_000_000) for name in COUNTS),
)

COLUMNS = columns_of(tables.stg_events)


def read_events(spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser=None) -> SourceResult:  # noqa: ANN001
    raw, headers, counts = read_canonical(spec, ["event_id", "date"], ["format", "title", *COUNTS])
    log = RejectLog(spec)
    values, bad = check_fields(raw, FIELDS, headers, log)
    values[["source_file", "source_row"]] = raw[["source_file", "source_row"]]
    dup, reason = duplicates(values, ["event_id"], ~bad)
    log.add(values, dup, headers["event_id"], reason)
    ok = values.loc[~(bad | dup)].copy()
    ok["town_ags"] = spec.town
    ok["year"] = ok["date"].dt.year.astype("int64")
    return finish(spec, {"stg_events": ok[COLUMNS]}, counts, log)
