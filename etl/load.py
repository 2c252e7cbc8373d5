"""Writing one run into the warehouse: all or nothing.

The data tables are emptied and refilled inside a single transaction, and the run log is appended in the
same transaction, so a run that fails (or a process killed with SIGKILL) leaves the previous warehouse as
it was, and running twice on the same folder gives the same content. PostgreSQL is filled with COPY,
SQLite with executemany: both inside the one transaction.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd
from sqlalchemy import Connection, Date, DateTime, Engine, Table, func, select

from etl.tables import DATA_TABLES, etl_run_files, etl_runs, metadata


def ensure_schema(engine: Engine) -> None:
    metadata.create_all(engine)


def next_run_id(engine: Engine) -> int:
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(etl_runs.c.run_id))).scalar()
    return int(latest or 0) + 1


def _python_value(value: object) -> object:
    """pandas/numpy scalars → plain Python values the drivers accept; every kind of missing → None."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def table_records(table: Table, frame: pd.DataFrame) -> list[tuple]:
    """The frame's rows as tuples in the table's column order (columns the table lacks are dropped)."""
    names = [c.name for c in table.columns]
    data = {}
    for column in table.columns:
        if column.name not in frame.columns:
            data[column.name] = [column.default.arg if column.default is not None else None] * len(frame)
            continue
        series = frame[column.name]
        if isinstance(column.type, Date) and not isinstance(column.type, DateTime):
            series = pd.to_datetime(series, errors="coerce").dt.date
        elif isinstance(column.type, DateTime):
            series = pd.to_datetime(series, errors="coerce").dt.to_pydatetime()
            series = pd.Series(series, dtype=object)
        data[column.name] = [_python_value(v) for v in series.astype(object).tolist()]
    return list(zip(*(data[n] for n in names), strict=True)) if len(frame) else []


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
    names = [c.name for c in table.columns]
    chunk = 50_000
    for start in range(0, len(rows), chunk):
        conn.execute(table.insert(), [dict(zip(names, r, strict=True)) for r in rows[start : start + chunk]])


def write_run(
    engine: Engine,
    frames: dict[str, pd.DataFrame],
    run: dict[str, object],
    files: pd.DataFrame,
    on_table: Callable[[str, int], None] | None = None,
) -> None:
    """Replace every data table with ``frames`` and append the run log, in one transaction."""
    ensure_schema(engine)
    with engine.begin() as conn:
        for table in reversed(DATA_TABLES):
            conn.execute(table.delete())
        for table in DATA_TABLES:
            frame = frames.get(table.name)
            if frame is None or frame.empty:
                continue
            rows = table_records(table, frame)
            _insert(conn, table, rows)
            if on_table:
                on_table(table.name, len(rows))
        conn.execute(etl_runs.insert(), [run])
        _insert(conn, etl_run_files, table_records(etl_run_files, files))
