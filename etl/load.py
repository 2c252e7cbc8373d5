"""Writing one run into the warehouse: all or nothing.

Inside a single transaction the latest-only data tables (``stg_*``, ``population``) are emptied and refilled,
the tables that keep their runs (:data:`etl.tables.RUN_TABLES`) get this run's rows next to those of earlier
runs (:mod:`etl.history`), the run log is appended and runs beyond ``keep_runs`` are pruned; so a run that
fails (or a process killed with SIGKILL) leaves the previous warehouse as it was, and running twice on the
same folder gives the same content. PostgreSQL is filled with COPY, SQLite with the driver's executemany:
both inside the one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from itertools import chain

import pandas as pd
from sqlalchemy import Boolean, Column, Connection, Date, DateTime, Engine, Integer, Table, func, inspect, select, text
from sqlalchemy.schema import CreateColumn

from etl import history
from etl.tables import DATA_TABLES, etl_run_files, etl_runs, metadata

LOAD_CHUNK = 50_000  # rows converted and inserted at a time
SQLITE_ROWS_PER_INSERT = 400  # rows per INSERT statement (fewer where SQLite's limit of ? marks is lower)


def ensure_schema(engine: Engine) -> None:
    """Create missing tables, and missing columns and indexes of existing tables (a warehouse of an older
    version)."""
    metadata.create_all(engine)
    history.upgrade(engine)  # before runs were kept: rows get the run id of their run
    _add_missing_columns(engine)
    for table in metadata.sorted_tables:
        for index in table.indexes:
            index.create(engine, checkfirst=True)


def _add_missing_columns(engine: Engine) -> None:
    """Columns the schema gained since the warehouse was made (e.g. ``mart_indicator_values.suppression``):
    ``ALTER TABLE … ADD COLUMN`` with their server default, so a new run and the read API work on an older
    warehouse file. Only nullable columns and columns with a server default can be added to filled tables."""
    inspector = inspect(engine)
    missing = [
        (table, column)
        for table in metadata.sorted_tables
        for present in [{c["name"] for c in inspector.get_columns(table.name)}]
        for column in table.columns
        if column.name not in present and (column.nullable or column.server_default is not None)
    ]
    if not missing:
        return
    with engine.begin() as conn:
        for table, column in missing:
            spec = CreateColumn(column).compile(dialect=engine.dialect)
            conn.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN {spec}'))


def next_run_id(engine: Engine) -> int:
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(etl_runs.c.run_id))).scalar()
    return int(latest or 0) + 1


def _column_values(column: Column, series: pd.Series, sqlite: bool = False) -> list[object]:
    """One column as plain Python values the drivers take as they are; every kind of missing → None.

    Vectorised per column (no per-value Python calls): the load of a network-scale run moves about a million
    rows. Dates and timestamps become ISO text in SQLAlchemy's own storage format, which SQLite stores as
    such and PostgreSQL's COPY parses. For SQLite (``sqlite``) a boolean column's True/False become the
    integers 1/0 SQLite stores for them anyway: the driver binds an ``int`` directly, a ``bool`` only after
    looking for an adapter, which made the survey table's 17 flag columns half of its insert time.
    """
    if isinstance(column.type, DateTime):
        series = pd.to_datetime(series, errors="coerce").dt.strftime("%Y-%m-%d %H:%M:%S.%f")
    elif isinstance(column.type, Date):
        series = pd.to_datetime(series, errors="coerce").dt.strftime("%Y-%m-%d")
    elif isinstance(column.type, Integer) and pd.api.types.is_float_dtype(series.dtype):
        series = series.astype("Int64")  # raises on a non-integral value: a bug upstream, not data to round
    elif sqlite and isinstance(column.type, Boolean):
        return _sqlite_flags(series)
    return _plain(series)


def _plain(series: pd.Series) -> list[object]:
    values = series.to_numpy(dtype=object)  # Python ints, floats, bools, strings (and NA marks)
    missing = series.isna().to_numpy(dtype=bool)
    if missing.any():
        values = values.copy()
        values[missing] = None
    return values.tolist()


def _sqlite_flags(series: pd.Series) -> list[object]:
    """A boolean column for SQLite: each bool as the int SQLite stores, every other value as it is (a float
    1.0 stays a REAL, as the driver would store it), every kind of missing → None."""
    if pd.api.types.is_bool_dtype(series.dtype):  # numpy bool and pandas' nullable boolean
        return _plain(series.astype("Int64"))
    return [int(v) if v.__class__ is bool else v for v in _plain(series)]


def table_records(table: Table, frame: pd.DataFrame, sqlite: bool = False) -> list[tuple]:
    """The frame's rows as tuples in the table's column order (columns the table lacks are dropped); values
    for SQLite with ``sqlite`` (see :func:`_column_values`)."""
    if not len(frame):
        return []
    data = []
    for column in table.columns:
        if column.name in frame.columns:
            data.append(_column_values(column, frame[column.name], sqlite))
        else:
            default = column.default.arg if column.default is not None else None
            if sqlite and default.__class__ is bool:
                default = int(default)
            data.append([default] * len(frame))
    return list(zip(*data, strict=True))


def _copy_postgres(conn: Connection, table: Table, rows: list[tuple]) -> None:
    cursor = conn.connection.driver_connection.cursor()
    cols = ", ".join(f'"{c.name}"' for c in table.columns)
    with cursor.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def _insert(conn: Connection, table: Table, rows: list[tuple]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        _copy_postgres(conn, table, rows)
        return
    _insert_sqlite(conn, table, rows)


def _insert_sqlite(conn: Connection, table: Table, rows: list[tuple]) -> None:
    """The rows in statements of :data:`SQLITE_ROWS_PER_INSERT` rows each (``VALUES (…), (…), …``).

    One row per statement, SQLite's per-statement work (reset, step, the driver's loop) cost as much as
    storing the values: at 400 rows a statement the survey table's insert takes a fifth less time (issue 13).
    The values and their order are those of one row per statement, so the stored data are the same.
    """
    columns = ", ".join(f'"{c.name}"' for c in table.columns)
    one = "(" + ", ".join("?" for _ in table.columns) + ")"
    insert = f'INSERT INTO "{table.name}" ({columns}) VALUES '
    limit = conn.connection.driver_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(SQLITE_ROWS_PER_INSERT, limit // len(table.columns)))
    whole = len(rows) - len(rows) % per
    if whole:
        batches = [tuple(chain.from_iterable(rows[k : k + per])) for k in range(0, whole, per)]
        conn.exec_driver_sql(insert + ", ".join([one] * per), batches)
    if whole < len(rows):
        conn.exec_driver_sql(insert + one, rows[whole:])


def write_run(
    engine: Engine,
    frames: dict[str, pd.DataFrame],
    run: dict[str, object],
    files: pd.DataFrame,
    on_table: Callable[[str, int], None] | None = None,
    keep_runs: int | None = None,
) -> None:
    """Write ``frames`` as run ``run`` and append the run log, in one transaction: latest-only tables are
    replaced, the others get this run's rows; ``keep_runs`` (None: all) runs stay, older ones are pruned."""
    ensure_schema(engine)
    run_id = int(run["run_id"])  # type: ignore[call-overload]
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as conn:
        for table in reversed(DATA_TABLES):
            conn.execute(history.clear(table, run_id))
        for table in DATA_TABLES:
            frame = frames.get(table.name)
            if frame is None or frame.empty:
                continue
            # in slices: the rows as Python tuples take many times the frame's memory (a network's
            # survey table alone would need several hundred MB at once)
            frame = history.stamped(table, frame, run_id)
            for start in range(0, len(frame), LOAD_CHUNK):
                _insert(conn, table, table_records(table, frame.iloc[start : start + LOAD_CHUNK], sqlite))
            if on_table:
                on_table(table.name, len(frame))
        conn.execute(etl_runs.insert(), [run])
        _insert(conn, etl_run_files, table_records(etl_run_files, files, sqlite))
        history.prune(conn, keep_runs)
