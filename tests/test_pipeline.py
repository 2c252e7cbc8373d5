"""`engage run` end to end on real files: counts, exit codes, idempotence, privacy, SQLite and PostgreSQL."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from etl.cli import main
from etl.db import make_engine
from etl.tables import DATA_TABLES, RUN_TABLES, etl_run_files, etl_runs, metadata

PERSONAL = [
    "anna.schmidt@example.org",
    "Anna Schmidt",
    "0170 1234567",
    "+49 30 9876543",
    "192.168.17.42",
    "tok3nSecret",
    "https://example.org/ref?mail=x",
    "Bitte rufen Sie mich an",
    "max.muster@example.net",
]


def write_source(folder: Path, extra_sources: str = "") -> Path:
    """A small source folder in exactly the brief's formats, with personal values that must never be stored."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "engage.toml").write_text(
        textwrap.dedent(
            """
            [project]
            name = "Testprojekt"
            min_cell = 3
            survey_min_age = 14

            [[towns]]
            ags = "99000001"
            name = "Musterstadt"

            [[sources]]
            kind = "population"
            path = "population.csv"

            [[sources]]
            kind = "resident_survey"
            path = "umfrage.csv"
            town = "99000001"
            year = 2024

            [[sources]]
            kind = "registrations"
            path = "freiwillige.csv"
            town = "99000001"
            [sources.columns]
            person_id = "E-Mail"
            registered_on = "Registriert am"
            gender = "Geschlecht"
            birth_year = "Geburtsjahr"
            """
        )
        + extra_sources,
        encoding="utf-8",
    )
    rows = ["ags;year;age_band;gender;count"]
    for band, count in [("0-13", 900), ("14-29", 1000), ("30-49", 1500), ("50-64", 1200), ("65+", 1100)]:
        for gender in ("w", "m"):
            rows.append(f"99000001;2024;{band};{gender};{count}")
    (folder / "population.csv").write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")

    areas = ",".join(f"ENG3[SQ{i:03d}]" for i in range(1, 15))
    header = (
        "id,submitdate,lastpage,startlanguage,seed,startdate,datestamp,ipaddr,refurl,token,"
        f"AGE,GENDER,DISTRICT,EDU,MIG,ENG1,ENG2,{areas},WILL,PART,EASE,INFO,RECOG,KNOW,COMMENT"
    )
    lines = [header]
    answers = [
        (1, 34, "w", "Y", "Bitte rufen Sie mich an: 0170 1234567"),
        (2, 51, "m", "N", "anna.schmidt@example.org"),
        (3, 27, "w", "Y", ""),
        (4, 70, "m", "N", ""),
        (5, 45, "w", "Y", ""),
        (6, 19, "m", "N", ""),
        (7, 150, "w", "Y", ""),  # impossible age: rejected
    ]
    for rid, age, gender, eng, comment in answers:
        engaged = eng == "Y"
        area_answers = ",".join("Y" if engaged and i in (1, 4) else "" for i in range(1, 15))
        lines.append(
            f"{rid},2024-05-0{rid} 10:00:00,5,de,123,2024-05-0{rid} 09:50:00,2024-05-0{rid} 10:00:00,"
            f"192.168.17.42,https://example.org/ref?mail=x,tok3nSecret,{age},{gender},01,2,N,{eng},"
            f'"{"4,5" if engaged else ""}",{area_answers},{"" if engaged else "2"},Y,4,3,5,Y,"{comment}"'
        )
    (folder / "umfrage.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    reg = [
        "E-Mail;Name;Telefon;Registriert am;Geschlecht;Geburtsjahr",
        "anna.schmidt@example.org;Anna Schmidt;0170 1234567;01.03.2023;weiblich;1980",
        "max.muster@example.net;Max Muster;+49 30 9876543;15.01.2024;männlich;1990",
        "max.muster@example.net;Max Muster;+49 30 9876543;31.02.2024;männlich;1990",
    ]
    (folder / "freiwillige.csv").write_bytes(("\r\n".join(reg) + "\r\n").encode("cp1252"))
    return folder


def _tables(url: str, run: int | None = None) -> dict[str, pd.DataFrame]:
    """Every table; of the tables that keep their runs the rows of ``run`` (None: the latest run)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(etl_runs.c.run_id))).scalar()
        out = {
            t.name: pd.read_sql(select(t).where(t.c.run_id == (run or latest)) if t in RUN_TABLES else select(t), conn)
            for t in metadata.sorted_tables
        }
    engine.dispose()
    return out


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real (non-demo) data needs a key from the environment."""
    monkeypatch.setenv("ENGAGE_PSEUDONYM_KEY", "test-schluessel-nur-fuer-tests-0123456789")


def _run(source: Path, url: str, *args: str) -> int:
    result = CliRunner().invoke(main, ["run", str(source), "--db", url, "--as-of", "2025-06-30", *args])
    if result.exit_code not in (0, 1):
        print(result.output)
    return result.exit_code


def test_real_data_without_pseudonym_key_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENGAGE_PSEUDONYM_KEY")
    result = CliRunner().invoke(main, ["run", str(write_source(tmp_path / "src")), "--db", f"sqlite:///{tmp_path}/w"])
    assert result.exit_code == 2
    assert "ENGAGE_PSEUDONYM_KEY" in result.output
    assert not (tmp_path / "w").exists()


def test_counts_add_up_and_rejects_are_german(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    assert _run(write_source(tmp_path / "src"), url) == 0
    tables = _tables(url)
    files = tables["etl_run_files"]
    assert (files["rows_read"] == files["rows_accepted"] + files["rows_rejected"] + files["rows_skipped"]).all()
    by_file = files.set_index("file")
    assert by_file.loc["umfrage.csv", ["rows_read", "rows_accepted", "rows_rejected"]].tolist() == [7, 6, 1]
    assert by_file.loc["freiwillige.csv", ["rows_read", "rows_accepted", "rows_rejected"]].tolist() == [3, 2, 1]
    rejects = tables["etl_rejects"]
    date_reject = rejects[rejects["file"] == "freiwillige.csv"].iloc[0]
    assert date_reject["row"] == 4
    assert "31.02.2024" in date_reject["reason"] and "Datum" in date_reject["reason"]
    age_reject = rejects[rejects["file"] == "umfrage.csv"].iloc[0]
    assert age_reject["row"] == 8


def test_personal_values_never_reach_the_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "wh.sqlite"
    assert _run(write_source(tmp_path / "src"), f"sqlite:///{db}") == 0
    content = db.read_bytes()
    for value in PERSONAL:
        assert value.encode("utf-8") not in content, value
        assert value.encode("utf-16-le") not in content, value
    tables = _tables(f"sqlite:///{db}")
    keys = tables["stg_registrations"]["person_key"]
    assert keys.str.fullmatch(r"[0-9a-f]{64}").all()
    assert keys.nunique() == 2


def test_second_run_gives_same_content(tmp_path: Path, demo_source: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    assert _run(demo_source, url) == 0
    first = _tables(url)
    assert _run(demo_source, url) == 0
    second = _tables(url)
    stamps = ["run_id", "computed_run"]
    for table in DATA_TABLES:
        a = first[table.name].drop(columns=stamps, errors="ignore")
        b = second[table.name].drop(columns=stamps, errors="ignore")
        pd.testing.assert_frame_equal(a, b, obj=table.name)
    assert len(second["etl_runs"]) == 2
    assert len(first["mart_indicator_values"]) > 0
    kept = _tables(url, run=1)  # run 1's published figures stay as they were (issue 17)
    for table in RUN_TABLES:
        pd.testing.assert_frame_equal(first[table.name], kept[table.name], obj=table.name)


def test_unreadable_file_stops_only_its_source(tmp_path: Path) -> None:
    extra = textwrap.dedent(
        """
        [[sources]]
        kind = "events"
        path = "veranstaltungen.csv"
        town = "99000001"
        """
    )
    source = write_source(tmp_path / "src", extra)
    (source / "veranstaltungen.csv").write_text("Das ist keine Tabelle\n\x00\x01", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    assert _run(source, url) == 1
    tables = _tables(url)
    failed = tables["etl_run_files"].set_index("file").loc["veranstaltungen.csv"]
    assert failed["status"] == "failed"
    assert "veranstaltungen.csv" in failed["message"]
    assert len(tables["stg_survey_responses"]) == 6  # the other sources still loaded
    assert len(tables["stg_events"]) == 0


def test_manifest_error_is_a_usage_error(tmp_path: Path) -> None:
    source = write_source(tmp_path / "src")
    toml = (source / "engage.toml").read_text(encoding="utf-8").replace('kind = "population"', 'kind = "umfrage"')
    (source / "engage.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(source), "--db", f"sqlite:///{tmp_path / 'wh.sqlite'}"])
    assert result.exit_code == 2
    assert "umfrage" in result.output and "engage.toml" in result.output
    assert not (tmp_path / "wh.sqlite").exists() or len(_tables(f"sqlite:///{tmp_path / 'wh.sqlite'}")["towns"]) == 0


def test_exports_of_the_run_log(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    assert _run(write_source(tmp_path / "src"), url) == 0
    runner = CliRunner()
    for what, header in [
        ("runs", "source,kind,file,rows_read,rows_accepted,rows_rejected,rows_skipped,status,message"),
        ("rejects", "source,file,row,column,reason"),
    ]:
        out = tmp_path / f"{what}.csv"
        result = runner.invoke(main, ["export", what, "--db", url, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8").splitlines()[0] == header
    runs = pd.read_csv(tmp_path / "runs.csv", dtype=str)
    assert set(runs["file"]) == {"population.csv", "umfrage.csv", "freiwillige.csv", "engage.toml"}
    warning = runs[runs["file"] == "engage.toml"].iloc[0]  # min_cell = 3 is allowed, with a warning in the log
    assert warning["status"] == "warning" and warning["message"].startswith("min_cell = 3: ")


@pytest.mark.postgres
def test_postgres_holds_the_same_warehouse_as_sqlite(tmp_path: Path, demo_source: Path, postgres_url: str) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    assert _run(demo_source, sqlite_url) == 0
    assert _run(demo_source, postgres_url) == 0
    lite, pg = _tables(sqlite_url), _tables(postgres_url)
    for name in ["towns", "stg_survey_responses", "stg_registrations", "mart_indicator_values", "etl_rejects"]:
        cols = [c for c in lite[name].columns if c != "run_id"]
        a = lite[name][cols].sort_values(cols[:6]).reset_index(drop=True)
        b = pg[name][cols].sort_values(cols[:6]).reset_index(drop=True)
        assert len(a) == len(b), name
        pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=name)
    engine = make_engine(postgres_url)
    with engine.connect() as conn:
        files = pd.read_sql(select(etl_run_files), conn)
    engine.dispose()
    assert (files["rows_read"] == files["rows_accepted"] + files["rows_rejected"] + files["rows_skipped"]).all()


def test_parallel_reading_gives_the_same_warehouse(tmp_path: Path, demo_source: Path) -> None:
    serial, parallel = f"sqlite:///{tmp_path / 'serial.sqlite'}", f"sqlite:///{tmp_path / 'parallel.sqlite'}"
    assert _run(demo_source, serial, "--jobs", "1") == 0
    assert _run(demo_source, parallel, "--jobs", "2") == 0
    a, b = _tables(serial), _tables(parallel)
    for table in [*DATA_TABLES, etl_run_files]:
        pd.testing.assert_frame_equal(a[table.name], b[table.name], obj=table.name)
