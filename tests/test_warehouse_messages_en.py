"""What the warehouse and its database say reaches an English page in English (issue 15's siblings).

The warehouse status, the database's error sentences and the run lock spoke German only: an English page over a
missing warehouse said "Das Warehouse … gibt es noch nicht", an English intake page "Die Datenbank … hat eine
Abfrage … abgebrochen". They are messages of :mod:`etl.messages` now: the CLI prints the German text exactly as
before, a page renders the same message in its language. Every case here is a real file, lock or server.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from german_words import GERMAN
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from dashboard.components.shell import selector_state
from dashboard.intake.config import IntakeConfig
from dashboard.intake.publish import failure
from dashboard.intake.said import from_json, text_of
from dashboard.state import Unavailable, load_view
from etl import warehouse
from etl.db import WarehouseBusy, describe_error, explain_error, make_engine, run_lock


def _english(message: str) -> None:
    assert message and not GERMAN.search(message), message


def _error(url: str, sql: str = "SELECT 1") -> SQLAlchemyError:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text(sql)).fetchall()
    except SQLAlchemyError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError(f"{sql} on {url} raised nothing")


def test_a_missing_warehouse_is_named_in_the_pages_language(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fehlt.sqlite'}"
    status = warehouse.check(url)
    assert status.state == "missing"
    assert status.message == (
        f"Das Warehouse „{tmp_path / 'fehlt.sqlite'}“ gibt es noch nicht. Bitte zuerst einen ETL-Lauf starten: "
        f"engage run QUELLORDNER --db {url}"
    )
    english = status.text("en")
    _english(english)
    assert english.startswith("The warehouse “") and "engage run SOURCE_FOLDER --db" in english

    view = load_view(None, None, "en", db=url)
    assert isinstance(view, Unavailable) and view.lang == "en" and view.message == english
    assert load_view(None, None, "de", db=url).message == status.message  # type: ignore[union-attr]
    state = selector_state("?lang=en", url)
    assert state["lang"] == "en" and state["messages"] == [english]
    assert not (tmp_path / "fehlt.sqlite").exists()  # asking never creates the file


def test_an_empty_and_a_damaged_warehouse(tmp_path: Path) -> None:
    empty = tmp_path / "leer.sqlite"
    sqlite3.connect(empty).close()
    status = warehouse.check(f"sqlite:///{empty}")
    assert status.state == "empty" and "ist leer: es wurde noch kein ETL-Lauf geschrieben" in status.message
    _english(status.text("en"))
    assert "is empty: no ETL run has been written yet" in status.text("en")

    damaged = tmp_path / "kaputt.sqlite"
    damaged.write_text("Das ist keine Datenbank.\n" * 200, encoding="utf-8")
    status = warehouse.check(f"sqlite:///{damaged}")
    assert status.state == "error" and "ist kein (intaktes) Warehouse" in status.message
    _english(status.text("en"))
    with pytest.raises(warehouse.WarehouseError) as raised:
        warehouse.years(db=f"sqlite:///{damaged}")
    assert str(raised.value) == status.message and raised.value.text("en") == status.text("en")


def test_every_database_sentence_has_its_english(tmp_path: Path, demo_warehouse: str) -> None:
    file_url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    latin = tmp_path / "fremd.sqlite"
    shutil.copyfile(str(make_url(demo_warehouse).database), latin)
    with sqlite3.connect(latin) as conn:
        conn.execute("UPDATE towns SET name = CAST(X'4DFC6E73746572' AS TEXT)")
    damaged = tmp_path / "kaputt.sqlite"
    damaged.write_bytes(b"keine Datenbank\n" * 300)
    server = "postgresql+psycopg://engage@127.0.0.1:1/x"
    cases = {
        "db_query_failed": (_error(file_url, "SELECT keine_funktion(1)"), file_url),
        "db_not_utf8": (_error(f"sqlite:///{latin}", "SELECT name FROM towns"), f"sqlite:///{latin}"),
        "db_damaged": (_error(f"sqlite:///{damaged}", "SELECT * FROM sqlite_master"), f"sqlite:///{damaged}"),
        "db_unreachable": (_error(server), server),
        "db_unopenable": (_error(f"sqlite:///{tmp_path / 'kein' / 'ordner' / 'w.sqlite'}"), None),
        "wh_outdated": (_error(file_url, "SELECT towns.run_id FROM (SELECT 1) AS towns"), file_url),
    }
    for code, (exc, url) in cases.items():
        url = url or f"sqlite:///{tmp_path / 'kein' / 'ordner' / 'w.sqlite'}"
        msg = explain_error(exc, url)
        assert msg is not None and msg.code == code, (code, msg)
        assert describe_error(exc, url) == msg.text("de")  # the CLI's German sentence
        _english(msg.text("en"))
        assert "nster" not in msg.text("en") and "decode" not in msg.text("en")  # never the cell, never the driver


def test_a_busy_warehouse_says_since_when_in_both_languages(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wh.sqlite'}")
    with run_lock(engine), pytest.raises(WarehouseBusy) as busy, run_lock(engine):
        pass
    engine.dispose()
    german, english = str(busy.value), busy.value.msg.text("en")
    assert re.fullmatch(
        r"Ein anderer Lauf schreibt gerade in dieses Warehouse \(seit \d\d\.\d\d\.\d{4} \d\d:\d\d Uhr\)\. Bitte "
        r"warten, bis er fertig ist, und dann erneut starten\.",
        german,
    )
    assert re.fullmatch(
        r"Another run is writing into this warehouse \(since \d{4}-\d\d-\d\d \d\d:\d\d\)\. Please wait until it has "
        r"finished, then start again\.",
        english,
    )


def test_a_run_that_is_no_longer_kept(demo_warehouse: str) -> None:
    with warehouse.at_run(999), pytest.raises(warehouse.WarehouseError) as gone:
        warehouse.reading_run(demo_warehouse)
    assert str(gone.value).startswith("Lauf 999 ist in diesem Warehouse nicht (mehr) gespeichert; gespeichert sind")
    _english(gone.value.text("en"))
    assert gone.value.text("en").startswith("Run 999 is not (or no longer) stored in this warehouse")


def test_an_intake_publish_that_the_database_stopped(tmp_path: Path) -> None:
    """The intake's failure sentence carries the database's message, rendered in the page's language, also after
    it crossed the worker boundary as JSON."""
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    config = IntakeConfig(source_dir=tmp_path / "quellen", etl_db=url)
    said = failure(_error(url, "SELECT keine_funktion(1)"), config)
    assert str(said).startswith("Die Datenbank ") and "hat eine Abfrage mit einem Fehler abgebrochen" in said
    back = from_json(json.loads(json.dumps(said.as_json())))
    for message in (said, back):
        english = text_of(message, "en")
        assert english.startswith("The ETL run stopped: The database ") and "stopped a query with an error" in english
        _english(english)
