"""A warehouse an older version wrote (issue 17 added run columns, issue 15 message codes): this version reads
it only after the next ``engage run`` upgraded it, and until then says so in German — in the dashboard's status
check and in every CLI command — instead of "Die Datenbank … ist nicht erreichbar". A real SQLite warehouse
with a column taken away as an older version would lack it."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from etl import warehouse
from etl.pipeline import run_pipeline

ENGAGE = Path(sys.executable).with_name("engage")


@pytest.fixture
def older(demo_warehouse: str, tmp_path: Path) -> str:
    copy = tmp_path / "aelter.sqlite"
    shutil.copyfile(str(make_url(demo_warehouse).database), copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("ALTER TABLE etl_run_files DROP COLUMN file_modified")
        conn.execute("ALTER TABLE etl_rejects DROP COLUMN reason_code")
        # the towns as a version before kept runs held them: no run column
        conn.execute("CREATE TABLE towns_old AS SELECT ags, name FROM towns")
        conn.execute("DROP TABLE towns")
        conn.execute("ALTER TABLE towns_old RENAME TO towns")
    return f"sqlite:///{copy}"


def test_the_status_names_what_is_missing_and_the_fix(older: str) -> None:
    status = warehouse.check(older)
    assert status.state == "outdated" and not status.ok
    assert "älteren Version" in status.message
    assert "towns.run_id" in status.message and "etl_run_files.file_modified" in status.message
    assert "engage run QUELLORDNER" in status.message


def test_the_cli_says_it_too(older: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(ENGAGE), "export", "indicators", "--db", older, "--out", str(tmp_path / "i.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    message = " ".join(done.stderr.split())
    assert "älteren Version" in message and "nicht erreichbar" not in message
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "i.csv").exists()


def test_the_next_run_upgrades_it(older: str, demo_warehouse: str) -> None:
    source = Path(warehouse.latest_run(db=demo_warehouse).source_dir)
    summary = run_pipeline(source, db_url=older, as_of=dt.date(2025, 6, 30))
    assert not summary.failed_sources
    assert warehouse.check(older).ok
    assert len(warehouse.rejects(db=older)) == len(warehouse.rejects(db=demo_warehouse))
