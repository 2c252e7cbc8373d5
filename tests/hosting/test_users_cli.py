"""``engage users`` (brief §7): accounts with argon2 hashes in the warehouse, passwords from standard input,
German messages and exit code 2 for mistakes, accounts kept across ETL runs, SQLite and PostgreSQL; and
``engage serve`` refusing to listen beyond loopback without an account (issue 12)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from dashboard.auth import users
from etl.cli import main

PW = "sehr-geheimes-passwort"


def run(*args: str, password: str | None = PW, repeat: str | None = None) -> object:
    given = None if password is None else f"{password}\n{repeat if repeat is not None else password}\n"
    return CliRunner().invoke(main, ["users", *args], input=given, catch_exceptions=False)


def test_add_list_set_password_remove(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    added = run("add", "koordination", "--role", "netzwerk", "--db", db)
    assert added.exit_code == 0 and "angelegt" in added.output
    assert run("add", "anna", "--role", "Stadt:09999001", "--db", db).exit_code == 0
    listed = CliRunner().invoke(main, ["users", "list", "--db", db])
    assert "koordination" in listed.output and "stadt:09999001" in listed.output and PW not in listed.output
    stored = sqlite3.connect(tmp_path / "wh.sqlite").execute("SELECT password_hash FROM app_users").fetchall()
    assert all(h.startswith("$argon2id$") for (h,) in stored) and PW not in str(stored)
    assert users.verify(db, "anna", PW) is not None and users.verify(db, "anna", "falsch-falsch") is None
    assert run("set-password", "anna", "--db", db, password="ein-neues-passwort").exit_code == 0
    assert users.verify(db, "anna", PW) is None and users.verify(db, "anna", "ein-neues-passwort") is not None
    removed = CliRunner().invoke(main, ["users", "remove", "anna", "--db", db])
    assert removed.exit_code == 0 and users.get(db, "anna") is None


@pytest.mark.parametrize(
    ("args", "password", "repeat", "message"),
    [
        (["add", "x", "--role", "netzwerk"], PW, "anders-als-vorher", "stimmen nicht überein"),
        (["add", "x", "--role", "netzwerk"], "kurz", None, "zu kurz"),
        (["add", "x", "--role", "stadt:123"], PW, None, "gibt es nicht"),
        (["add", "x", "--role", "öffentlich"], PW, None, "gibt es nicht"),
        (["add", "ä b", "--role", "netzwerk"], PW, None, "nicht möglich"),
        (["remove", "niemand"], None, None, "gibt es nicht"),
        (["set-password", "niemand"], PW, None, "gibt es nicht"),
    ],
)
def test_mistakes_exit_2_with_a_german_message(
    tmp_path: Path, args: list[str], password: str | None, repeat: str | None, message: str
) -> None:
    result = run(*args, "--db", f"sqlite:///{tmp_path / 'wh.sqlite'}", password=password, repeat=repeat)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_an_account_name_is_taken_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    assert run("add", "anna", "--role", "netzwerk", "--db", db).exit_code == 0
    again = run("add", "anna", "--role", "netzwerk", "--db", db)
    assert again.exit_code == 2 and "gibt es schon" in again.output


def test_accounts_outlive_etl_runs(demo_source: Path, tmp_path: Path) -> None:
    from etl.pipeline import run_pipeline

    db = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    run_pipeline(demo_source, db_url=db, as_of=dt.date(2025, 6, 30))
    assert run("add", "anna", "--role", "netzwerk", "--db", db).exit_code == 0
    run_pipeline(demo_source, db_url=db, as_of=dt.date(2025, 6, 30))
    assert users.verify(db, "anna", PW) is not None


@pytest.mark.postgres
def test_accounts_on_postgresql(postgres_url: str) -> None:
    assert run("add", "anna", "--role", "stadt:09999001", "--db", postgres_url).exit_code == 0
    account = users.verify(postgres_url, "anna", PW)
    assert account is not None and account.role == "stadt:09999001"
    with create_engine(postgres_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM app_users")).scalar() == 1


def test_serve_refuses_other_hosts_without_an_account(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    result = CliRunner().invoke(main, ["serve", "--db", db, "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "Ohne Konto ist das Dashboard nur auf diesem Rechner erreichbar" in result.output
    assert "engage users add" in result.output


def test_an_unreachable_or_malformed_warehouse_is_one_german_sentence() -> None:
    unreachable = run("add", "anna", "--role", "netzwerk", "--db", "postgresql://niemand:geheim@127.0.0.1:1/x")
    assert unreachable.exit_code == 1 and "nicht erreichbar" in unreachable.output
    assert "geheim" not in unreachable.output and "Connection refused" not in unreachable.output
    malformed = CliRunner().invoke(main, ["users", "list", "--db", "quatsch://"])
    assert malformed.exit_code == 2 and "keine gültige Datenbank-URL" in malformed.output


def test_publish_and_unpublish_indicators_for_the_public_view(demo_warehouse: str, tmp_path: Path) -> None:
    import shutil

    shutil.copy(demo_warehouse.removeprefix("sqlite:///"), tmp_path / "wh.sqlite")
    db = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    from etl import warehouse

    town = sorted(warehouse.towns(db=db)["ags"])[0]
    done = CliRunner().invoke(main, ["users", "publish", town, "engagement_rate", "ease_agree", "--db", db])
    assert done.exit_code == 0 and "2 Kennzahl(en)" in done.output
    assert users.publications(db) == [(town, "ease_agree"), (town, "engagement_rate")]
    listed = CliRunner().invoke(main, ["users", "list", "--db", db])
    assert f"Öffentlich für {town}: ease_agree, engagement_rate" in listed.output
    unknown = CliRunner().invoke(main, ["users", "publish", town, "gibt_es_nicht", "--db", db])
    assert unknown.exit_code == 2 and "gibt es nicht: gibt_es_nicht" in unknown.output
    nowhere = CliRunner().invoke(main, ["users", "publish", "00000000", "engagement_rate", "--db", db])
    assert nowhere.exit_code == 2 and "gibt es im Warehouse nicht" in nowhere.output
    removed = CliRunner().invoke(main, ["users", "unpublish", town, "--db", db])
    assert removed.exit_code == 0 and users.publications(db) == []
