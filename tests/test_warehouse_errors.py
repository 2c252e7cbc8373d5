"""A database error is described as what it is, never as an unreachable server (issue 13, the export of the
100 × 10 warehouse).

`engage export indicators` stopped with "Die Datenbank … ist nicht erreichbar: Läuft der Server …" against
a SQLite file that `engage export runs` read fine: every driver error the CLI did not recognise became the
server sentence, although a SQLite file has no server. Here a real warehouse file gets a town name that is
not UTF-8 (as another program writing into the file leaves it): only the exports that read the name fail,
with a German sentence naming the column (never the cell's text), and the next run makes it readable again.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from etl import warehouse
from etl.db import describe_error
from etl.pipeline import run_pipeline

ENGAGE = Path(sys.executable).with_name("engage")
NOT_UTF8 = "4DFC6E73746572"  # 'Münster' in cp1252: ü is the byte FC, no UTF-8


@pytest.fixture
def latin1_name(demo_warehouse: str, tmp_path: Path) -> str:
    copy = tmp_path / "fremd.sqlite"
    shutil.copyfile(str(make_url(demo_warehouse).database), copy)
    with sqlite3.connect(copy) as conn:
        last = "(SELECT MAX(rowid) FROM towns)"  # a town of the latest run
        conn.execute(f"UPDATE towns SET name = CAST(X'{NOT_UTF8}' AS TEXT) WHERE rowid = {last}")
    return f"sqlite:///{copy}"


def _export(what: str, url: str, out: Path) -> subprocess.CompletedProcess[str]:
    cmd = [str(ENGAGE), "export", what, "--db", url, "--out", str(out)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def test_text_that_is_not_utf8_is_named_not_an_unreachable_server(latin1_name: str, tmp_path: Path) -> None:
    assert warehouse.check(latin1_name).ok  # the status check reads no town name
    runs = _export("runs", latin1_name, tmp_path / "laeufe.csv")
    assert runs.returncode == 0 and (tmp_path / "laeufe.csv").exists()

    failed = _export("indicators", latin1_name, tmp_path / "indikatoren.csv")
    message = " ".join(failed.stderr.split())
    assert failed.returncode == 1
    assert "Spalte „name“" in message and "kein UTF-8" in message and "engage run QUELLORDNER" in message
    assert "nicht erreichbar" not in message and "Server" not in message
    assert "Traceback" not in failed.stderr and "decode" not in message and "nster" not in message
    assert not (tmp_path / "indikatoren.csv").exists()


def test_the_next_run_makes_it_readable(latin1_name: str, demo_warehouse: str, tmp_path: Path) -> None:
    source = Path(warehouse.latest_run(db=demo_warehouse).source_dir)
    run_pipeline(source, db_url=latin1_name, as_of=dt.date(2025, 6, 30))
    done = _export("indicators", latin1_name, tmp_path / "indikatoren.csv")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "indikatoren.csv").read_text(encoding="utf-8").count("\n") > 1


def test_another_query_error_of_a_sqlite_file_names_no_server(tmp_path: Path) -> None:
    """Any other error SQLite stops a query with: the file's error, not a server to check."""
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    engine = create_engine(url)
    with engine.connect() as conn, pytest.raises(OperationalError) as caught:
        conn.execute(text("SELECT keine_funktion(1)"))
    engine.dispose()
    message = describe_error(caught.value, url)
    assert message is not None and "w.sqlite" in message
    assert "nicht erreichbar" not in message and "Server" not in message and "function" not in message


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_or_missing_postgres_database_is_a_german_sentence(postgres_server: str) -> None:
    """The status the dashboard and the CLI show: German, with the server sentence, never the driver's text
    (English, naming the host, the port and the user)."""
    nobody = f"postgresql+psycopg://engage@127.0.0.1:{_free_port()}/warehouse"
    missing = postgres_server.rsplit("/", 1)[0] + "/gibt_es_nicht"
    for url in (nobody, missing):
        status = warehouse.check(url)
        assert status.state == "error" and not status.ok, status
        assert "ist nicht erreichbar: Läuft der Server" in status.message, status.message
        lowered = status.message.lower()
        for english in ("connection", "refused", "fatal", "does not exist", "failed", "server at"):
            assert english not in lowered, status.message
