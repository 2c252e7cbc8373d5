"""The loader's promises on real databases: replace-all, idempotent, atomic (failure and SIGKILL)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, func, select, text

import etl.load as loader
from etl.db import make_engine
from etl.load import write_run
from etl.tables import etl_run_files, etl_runs, mart_indicator_values, metadata, stg_events, towns


def _run_row(run_id: int) -> dict[str, object]:
    now = dt.datetime(2025, 1, 1, 12, 0)
    return {
        "run_id": run_id,
        "started_at": now,
        "finished_at": now,
        "status": "ok",
        "source_dir": "/quellen",
        "project_name": "Test",
        "min_cell": 5,
        "as_of": dt.date(2025, 1, 1),
        "demo_key": True,
    }


def _files(run_id: int) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "run_id": run_id,
                "source": "events.csv",
                "kind": "events",
                "file": "events.csv",
                "rows_read": 3,
                "rows_accepted": 3,
                "rows_rejected": 0,
                "status": "ok",
                "message": "3 Zeilen gelesen",
            }
        ]
    )


def _frames(n_events: int, title: str = "Bürgerdialog") -> dict[str, pd.DataFrame]:
    events = pd.DataFrame(
        {
            "town_ags": "99000001",
            "event_id": [f"E{i}" for i in range(n_events)],
            "date": pd.Timestamp("2024-05-01"),
            "year": 2024,
            "format": "Bürgerdialog",
            "title": title,
            "participants": pd.array([10] * n_events, dtype="Int64"),
            "source_file": "events.csv",
            "source_row": range(2, n_events + 2),
        }
    )
    return {"towns": pd.DataFrame({"ags": ["99000001"], "name": ["Musterstadt"]}), "stg_events": events}


def _counts(url: str) -> tuple[int, int, int, list[str]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        result = (
            conn.execute(select(func.count()).select_from(stg_events)).scalar_one(),
            conn.execute(select(func.count()).select_from(towns)).scalar_one(),
            conn.execute(select(func.count()).select_from(etl_runs)).scalar_one(),
            sorted(conn.execute(select(stg_events.c.title).distinct()).scalars()),
        )
    engine.dispose()
    return result


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wh.sqlite'}"
    return request.getfixturevalue("postgres_url")


def test_write_replaces_and_is_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    write_run(engine, _frames(3), _run_row(1), _files(1))
    write_run(engine, _frames(3), _run_row(2), _files(2))
    assert _counts(db_url) == (3, 2, 2, ["Bürgerdialog"])  # records replaced; the towns kept per run (issue 17)
    with engine.connect() as conn:
        files = pd.read_sql(select(etl_run_files), conn)
    assert sorted(files["run_id"]) == [1, 2]
    engine.dispose()


def test_failure_midway_leaves_previous_state(db_url: str) -> None:
    engine = make_engine(db_url)
    write_run(engine, _frames(3), _run_row(1), _files(1))
    broken = _frames(5, title="neu")
    broken["stg_events"].loc[4, "event_id"] = None  # NOT NULL violated after other rows were inserted
    with pytest.raises(Exception):  # noqa: B017 - the driver's IntegrityError class differs per database
        write_run(engine, broken, _run_row(2), _files(2))
    assert _counts(db_url) == (3, 1, 1, ["Bürgerdialog"])
    engine.dispose()


KILL_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from test_load import _frames, _run_row, _files
    from etl.db import make_engine
    from etl.load import write_run

    def hold(table, rows):
        if table == "stg_events":
            Path({flag!r}).write_text("inserted")
            time.sleep(120)

    write_run(make_engine({url!r}), _frames(20000, title="halb"), _run_row(2), _files(2), on_table=hold)
    """
)


def test_sigkill_during_load_leaves_previous_state(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    write_run(engine, _frames(3), _run_row(1), _files(1))
    engine.dispose()
    flag = tmp_path / "inserted.flag"
    script = KILL_SCRIPT.format(tests=str(Path(__file__).parent), flag=str(flag), url=db_url)
    proc = subprocess.Popen([sys.executable, "-c", script], env={**os.environ})
    deadline = time.monotonic() + 60
    while not flag.exists():
        assert proc.poll() is None, "loader ended before it was killed"
        assert time.monotonic() < deadline, "loader never reached the insert"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.2)  # PostgreSQL notices the dropped connection and rolls back
    assert _counts(db_url) == (3, 1, 1, ["Bürgerdialog"])


def test_a_warehouse_of_an_older_version_gets_the_new_run_log_column(db_url: str) -> None:
    """An etl_run_files table from before ``rows_skipped``: the next run adds the column, old rows read 0."""
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            'CREATE TABLE "etl_run_files" (run_id INTEGER NOT NULL, source TEXT NOT NULL, kind VARCHAR(24) NOT NULL, '
            "file TEXT NOT NULL, rows_read INTEGER NOT NULL, rows_accepted INTEGER NOT NULL, "
            "rows_rejected INTEGER NOT NULL, status VARCHAR(16) NOT NULL, message TEXT NOT NULL)"
        )
        conn.exec_driver_sql(
            "INSERT INTO etl_run_files VALUES (1, 'alt.csv', 'events', 'alt.csv', 3, 3, 0, 'ok', '3 Zeilen gelesen')"
        )
    files = _files(2).assign(kind="population", rows_read=5, rows_accepted=2, rows_skipped=3)
    write_run(engine, _frames(3), _run_row(2), files)
    with engine.connect() as conn:
        log = pd.read_sql(select(etl_run_files).order_by(etl_run_files.c.run_id), conn)
    engine.dispose()
    assert log[["run_id", "rows_read", "rows_accepted", "rows_rejected", "rows_skipped"]].values.tolist() == [
        [1, 3, 3, 0, 0],
        [2, 5, 2, 0, 3],
    ]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_older_warehouse_gets_the_new_columns(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """A warehouse made before ``mart_indicator_values.suppression`` existed: the next run adds the column."""
    url = f"sqlite:///{tmp_path / 'alt.sqlite'}" if backend == "sqlite" else request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text('ALTER TABLE mart_indicator_values DROP COLUMN "suppression"'))
    frame = pd.DataFrame(
        {
            "town_ags": ["09999001"],
            "indicator": ["engagement_rate"],
            "year": [2024],
            "breakdown": [""],
            "group": [""],
            "value": [None],
            "n": [None],
            "suppressed": [True],
            "suppression": ["secondary"],
            "run_id": [1],
            "source_files": ["x.csv"],
        }
    )
    write_run(engine, {"mart_indicator_values": frame}, _run_row(1), _files(1))
    with engine.connect() as conn:
        stored = conn.execute(select(mart_indicator_values.c.suppression)).scalars().all()
    assert stored == ["secondary"]
    engine.dispose()


def test_a_warehouse_of_an_older_version_gets_the_new_nullable_columns(tmp_path: Path) -> None:
    """A column added to a table later (e.g. the rank range of mart_comparison) is added by ALTER TABLE, so
    the next run writes into the existing warehouse instead of failing."""
    import sqlite3

    from sqlalchemy import create_engine

    from etl.load import ensure_schema
    from etl.tables import metadata

    path = tmp_path / "alt.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    engine.dispose()
    with sqlite3.connect(path) as conn:  # the table as an older version wrote it, with one row
        for column in ("network_rank_best", "network_rank_worst", "peer_rank_best", "peer_rank_worst"):
            conn.execute(f"ALTER TABLE mart_comparison DROP COLUMN {column}")
        conn.execute(
            "INSERT INTO mart_comparison (town_ags, indicator, year, value, network_median, network_q1, network_q3, "
            "network_rank, network_towns, run_id) VALUES ('09999001', 'events', 2024, 3, 3, 3, 3, 1, 1, 1)"
        )
    ensure_schema(create_engine(f"sqlite:///{path}"))
    with sqlite3.connect(path) as conn:
        names = [row[1] for row in conn.execute("PRAGMA table_info(mart_comparison)")]
        rows = conn.execute("SELECT town_ags, network_rank_best FROM mart_comparison").fetchall()
    assert "network_rank_best" in names and "peer_rank_worst" in names
    assert rows == [("09999001", None)]  # the previous run's row stays readable


def test_runs_beyond_keep_runs_are_pruned_and_say_so_in_german(db_url: str) -> None:
    from etl import warehouse

    engine = make_engine(db_url)
    for run_id in (1, 2, 3):
        write_run(engine, _frames(2, title=f"Lauf {run_id}"), _run_row(run_id), _files(run_id), keep_runs=2)
    with engine.connect() as conn:
        kept = sorted(conn.execute(select(towns.c.run_id)).scalars())
        logged = sorted(conn.execute(select(etl_runs.c.run_id)).scalars())
    assert (kept, logged) == ([2, 3], [1, 2, 3])  # the marts of run 1 are gone, its run log stays
    assert list(warehouse.published_runs(db=engine)["run_id"]) == [3, 2]
    with warehouse.at_run(2):
        assert list(warehouse.towns(db=engine)["name"]) == ["Musterstadt"]
    gone = "Lauf 1 ist in diesem Warehouse nicht \\(mehr\\) gespeichert"
    with pytest.raises(warehouse.WarehouseError, match=gone), warehouse.at_run(1):
        warehouse.towns(db=engine)
    engine.dispose()


@pytest.mark.parametrize("per", [1, 3, 400])
def test_rows_in_many_row_inserts_are_stored_as_one_row_inserts_store_them(
    tmp_path: Path, per: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite gets several rows per INSERT: every value, its storage class and the rows' order stay the same."""
    table = Table("t", MetaData(), Column("a", Integer), Column("b", String), Column("c", Float))
    rows = [(i, None if i % 4 else f"x{i}", i / 3 if i % 5 else None) for i in range(1003)]
    stored = {}
    for name, rows_per in (("one", 1), ("many", per)):
        engine = make_engine(f"sqlite:///{tmp_path / name}.sqlite")
        table.metadata.create_all(engine)
        monkeypatch.setattr(loader, "SQLITE_ROWS_PER_INSERT", rows_per)
        with engine.begin() as conn:
            loader._insert(conn, table, rows)
        with engine.connect() as conn:
            stored[name] = conn.exec_driver_sql("SELECT rowid, a, typeof(b), b, typeof(c), c FROM t").all()
        engine.dispose()
    assert len(stored["many"]) == len(rows) and stored["many"] == stored["one"]
