"""Keeping the last good data of a source that failed (issue 12): a broken file must not empty the dashboard.

Every run replaces the warehouse's data tables as a whole, so a source that stops (a truncated goal
workbook) would take its previous rows with it: 9 goals yesterday, 0 today, with nothing on the page saying
why. Instead, the clean rows the source's last successful run stored are carried into this run:

* The source is matched by its manifest label and kind; its last successful run is the latest run whose
  file log lists it with status ``ok`` or ``rejects``, and its files are the files of that run. Rows are
  the ``stg_*`` (or ``population``) rows with those ``source_file`` names (and the source's town), minus
  files another, successful source read in this run, and only of towns still in the manifest. They enter
  this run's computation like freshly read rows, so every indicator, goal status and comparison is
  recomputed from them.
* The partner survey is the exception: its ratings of single organisations (TRUST, VALUE, FREQ) are never
  stored (brief §6), so they cannot be recomputed. Its stored response rows are written again as they were,
  and the source's previous results are kept instead: the collaboration indicator rows (catalogue
  ``source_kind`` partner_survey), network nodes and ties of its towns and waves, with the run id of the run
  that computed them.
* The file log marks each file of such a source ``kept`` with "Daten des letzten erfolgreichen Laufs N
  beibehalten", the Daten & Methodik page shows that status, and the run still counts the source as
  failed (exit code 1): the data is old, and the coordinator must fix the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Boolean, Date, DateTime, Engine, Float, Integer, Table, select

from etl import tables as t
from etl.indicators.catalogue import BY_ID
from etl.model import Manifest, SourceResult
from etl.readers.checks import german_int

KIND_TABLES: dict[str, tuple[str, ...]] = {
    "population": ("population",),
    "resident_survey": ("stg_survey_responses",),
    "partner_survey": ("stg_partner_responses",),
    "organisations": ("stg_organisations",),
    "registrations": ("stg_registrations",),
    "events": ("stg_events",),
    "goals": ("stg_goals", "stg_measures", "stg_measurements"),
    "districts": ("stg_districts",),
}
GOOD = ("ok", "rejects")
KEPT = "kept"


@dataclass
class Kept:
    """What a run carries over from the warehouse for its failed sources."""

    clean: dict[str, list[pd.DataFrame]] = field(default_factory=dict)  # rows entering the computation
    stored: dict[str, list[pd.DataFrame]] = field(default_factory=dict)  # rows written as they are
    marts: dict[str, list[pd.DataFrame]] = field(default_factory=dict)  # previous results (partner survey)
    files: dict[str, list[str]] = field(default_factory=dict)  # kind -> files the kept rows came from

    def add(self, into: dict[str, list[pd.DataFrame]], table: str, frame: pd.DataFrame) -> None:
        if not frame.empty:
            into.setdefault(table, []).append(frame)


def keep_last_good(engine: Engine, results: list[SourceResult], manifest: Manifest) -> Kept:
    """Carry the last good rows of every failed source and mark its file reports (see the module docstring)."""
    kept = Kept()
    failed = [r for r in results if r.failed]
    if not failed:
        return kept
    read_now = {f.file for r in results if not r.failed for f in r.files}
    towns = [town.ags for town in manifest.towns]
    f = t.etl_run_files
    with engine.connect() as conn:
        history = pd.read_sql(
            select(f.c.run_id, f.c.source, f.c.kind, f.c.file).where(
                f.c.source.in_([r.spec.label for r in failed]), f.c.status.in_(GOOD)
            ),
            conn,
        )
        for result in failed:
            spec = result.spec
            mine = history[(history["source"] == spec.label) & (history["kind"] == spec.kind)]
            if mine.empty:
                continue
            last = int(mine["run_id"].max())
            files = sorted(set(mine.loc[mine["run_id"] == last, "file"]) - read_now)
            if not files:
                continue
            rows = 0
            for name in KIND_TABLES[spec.kind]:
                table = t.metadata.tables[name]
                town_column = table.c.get("town_ags", table.c.get("ags"))
                query = select(table).where(table.c.source_file.in_(files), town_column.in_(towns))
                if spec.town and "town_ags" in table.c:
                    query = query.where(table.c.town_ags == spec.town)
                frame = typed(table, pd.read_sql(query, conn))
                rows += len(frame)
                kept.add(kept.stored if spec.kind == "partner_survey" else kept.clean, name, frame)
                if spec.kind == "partner_survey":
                    _partner_results(conn, kept, frame)
            if rows:
                kept.files.setdefault(spec.kind, []).extend(files)
                _mark(result, last, rows)
    return kept


def _partner_results(conn, kept: Kept, responses: pd.DataFrame) -> None:  # noqa: ANN001
    """The previous collaboration values, nodes and ties of the waves whose responses are kept."""
    waves = responses[["town_ags", "year"]].drop_duplicates()
    if waves.empty:
        return
    indicators = [i for i, spec in BY_ID.items() if spec.source_kind == "partner_survey"]
    queries = {
        "mart_indicator_values": select(t.mart_indicator_values).where(
            t.mart_indicator_values.c.indicator.in_(indicators)
        ),
        "mart_network_nodes": select(t.mart_network_nodes),
        "mart_network_ties": select(t.mart_network_ties),
    }
    for name, query in queries.items():
        table = t.metadata.tables[name]
        frame = typed(table, pd.read_sql(query.where(table.c.town_ags.in_(list(waves["town_ags"]))), conn))
        kept.add(kept.marts, name, frame.merge(waves, on=["town_ags", "year"]))


def _mark(result: SourceResult, last: int, rows: int) -> None:
    for report in result.files:
        report.status = KEPT
        report.message = (
            f"{report.message}; Daten des letzten erfolgreichen Laufs {last} beibehalten ({german_int(rows)} Zeilen)"
        )


def typed(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows read back from the warehouse with the column types the readers and indicator steps give them."""
    out = frame.copy()
    for column in table.columns:
        if column.name not in out:
            continue
        values = out[column.name]
        if isinstance(column.type, (Date, DateTime)):
            out[column.name] = pd.to_datetime(values)
        elif isinstance(column.type, Boolean):
            out[column.name] = values.astype("boolean" if column.nullable else bool)
        elif isinstance(column.type, Integer):
            out[column.name] = values.astype("Int64" if column.nullable else "int64")
        elif isinstance(column.type, Float):
            out[column.name] = values.astype("float64")
    return out


def merge(frames: dict[str, pd.DataFrame], extra: dict[str, list[pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """``frames`` with the kept rows of ``extra`` appended table by table."""
    out = dict(frames)
    for table, parts in extra.items():
        present = [out[table]] if out.get(table) is not None and not out[table].empty else []
        out[table] = pd.concat([*present, *parts], ignore_index=True)
    return out
