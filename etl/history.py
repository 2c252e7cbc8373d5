"""Published runs stay (issue 17): what a run replaces, the run stamp, pruning, and older warehouses.

A council decides on the figures shown on a date, a researcher cites them: an ``engage run`` must not make
them disappear. So the tables that hold what consumers read (:data:`etl.tables.RUN_TABLES`: the marts, the
towns, the rejects, the source→town list) keep one set of rows per run, told apart by ``run_id``; a run
adds its own rows and leaves those of earlier runs as they were. The record-level ``stg_*`` tables and
``population`` hold the latest run only: they are the researchers' working material for re-analysis (the
notebooks read the current records), they are by far the largest tables, and every aggregate an earlier
run published is kept in its marts anyway.

The loader (:func:`etl.load.write_run`) calls :func:`clear`, :func:`stamped` and :func:`prune` inside its
one transaction, so a failed or killed run still leaves the previous state; :func:`etl.load.ensure_schema`
calls :func:`upgrade` for a warehouse written before runs were kept.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Delete, Engine, Table, func, inspect, select, text

from etl.tables import RUN_TABLES, etl_runs, mart_indicator_values

# Indexes of an older version that the run-leading ones replaced (kept, they would only slow every insert).
RETIRED_INDEXES = (
    "ix_mart_values_lookup",
    "ix_mart_values_indicator_year",
    "ix_mart_comparison_indicator_year",
    "ix_mart_network_nodes_town_year",
    "ix_mart_network_ties_town_year",
    "ix_mart_goals_town",
    "ix_mart_goal_values_town_goal",
    "ix_mart_goal_status_town_year",
    "ix_mart_measures_town",
    "ix_mart_districts_town",
)


def keeps_runs(table: Table) -> bool:
    """Whether ``table`` keeps one set of rows per run (it has a run column) or holds the latest run only."""
    return "run_id" in table.c


def clear(table: Table, run_id: int) -> Delete:
    """What a run deletes before it writes ``table``: every row of a latest-only table; of a table that keeps
    its runs only rows already stamped with this run's id (none, as run ids only grow)."""
    if keeps_runs(table):
        return table.delete().where(table.c.run_id == run_id)
    return table.delete()


def stamped(table: Table, frame: pd.DataFrame, run_id: int) -> pd.DataFrame:
    """``frame`` with the run it belongs to, for a table that keeps its runs (other frames unchanged).

    The steps do not need to know: a new mart frame is stamped here. ``computed_run`` (indicator values) keeps
    the run that computed a row: the rows a run carried over from an earlier one (a failed partner survey's
    results, :mod:`etl.kept`) still name it; every other row was computed by this run.
    """
    if not keeps_runs(table):
        return frame
    out = frame.copy(deep=False)
    if "computed_run" in table.c:
        own = out.get("run_id", run_id)
        out["computed_run"] = out["computed_run"].fillna(own) if "computed_run" in out else own
    out["run_id"] = run_id
    return out


def prune(conn: Connection, keep_runs: int | None) -> int | None:
    """Delete the rows of runs older than the latest ``keep_runs`` (the run being written counts) from every
    table that keeps its runs; the run log (``etl_runs``, ``etl_run_files``) keeps them all. None keeps every
    run. Returns the oldest run still kept (None when nothing was pruned)."""
    if keep_runs is None:
        return None
    ids = conn.execute(select(etl_runs.c.run_id).order_by(etl_runs.c.run_id.desc()).limit(keep_runs)).scalars()
    kept = list(ids)
    if not kept:
        return None
    oldest = min(kept)
    for table in RUN_TABLES:
        conn.execute(table.delete().where(table.c.run_id < oldest))
    return oldest


def with_file_dates(files: pd.DataFrame, source_dir: Path) -> pd.DataFrame:
    """The run log's files with their modification time (``file_modified``): a source's date in the data
    package. Only the file system's time stamp is read, never the content; a file gone since is NaT."""

    def modified(name: object) -> dt.datetime | None:
        try:
            return dt.datetime.fromtimestamp((Path(source_dir) / str(name)).stat().st_mtime)
        except (OSError, ValueError):
            return None

    if files.empty or "file" not in files:
        return files
    return files.assign(file_modified=pd.to_datetime([modified(f) for f in files["file"]]))


def upgrade(engine: Engine) -> None:
    """A warehouse of an older version (each run replaced every table): its rows become the rows of its
    latest run, the only run they can belong to.

    Tables without ``run_id`` get it (``ALTER TABLE … ADD COLUMN … DEFAULT <latest run>``); the two whose
    primary key now includes the run (``towns``, the catalogue: a few hundred rows) are rebuilt. The indicator
    values had a ``run_id`` already, meaning the run that computed them: it moves to ``computed_run``. One
    transaction (SQLite's DDL included), so a killed upgrade leaves the old warehouse.
    """
    inspector = inspect(engine)
    present = {name: {c["name"] for c in inspector.get_columns(name)} for name in inspector.get_table_names()}
    missing = [t for t in RUN_TABLES if t.name in present and "run_id" not in present[t.name]]
    values = mart_indicator_values.name
    move_computed = values in present and "computed_run" not in present[values]
    indexes = {ix["name"] for name in present for ix in inspector.get_indexes(name)}
    retired = [name for name in RETIRED_INDEXES if name in indexes]
    if not (missing or move_computed or retired):
        return
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")  # pysqlite would run the DDL below outside the transaction
        latest = int(conn.execute(select(func.max(etl_runs.c.run_id))).scalar() or 0)
        for name in retired:
            conn.execute(text(f'DROP INDEX IF EXISTS "{name}"'))
        for table in missing:
            if table.c.run_id.primary_key:
                _rebuild(conn, table, latest)
            else:
                conn.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN run_id INTEGER NOT NULL DEFAULT {latest}'))
        if move_computed:
            conn.execute(text(f'ALTER TABLE "{values}" ADD COLUMN computed_run INTEGER'))
            conn.execute(text(f'UPDATE "{values}" SET computed_run = run_id, run_id = {latest}'))


def _rebuild(conn: Connection, table: Table, run_id: int) -> None:
    """Re-create a small table whose primary key gained the run column, its rows stamped with ``run_id``."""
    rows = [dict(r) for r in conn.execute(text(f'SELECT * FROM "{table.name}"')).mappings()]
    conn.execute(text(f'DROP TABLE "{table.name}"'))
    table.create(conn)
    if rows:
        names = [c.name for c in table.columns if c.name in rows[0]]
        conn.execute(table.insert(), [{**{n: r[n] for n in names}, "run_id": run_id} for r in rows])
