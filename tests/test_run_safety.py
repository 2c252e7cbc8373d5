"""`engage run`, `export` and `report` under attack and accident (issue 12): kept data of failed sources, one
run at a time, workers that die with the run, German messages instead of tracebacks, escaped output, safe
configuration and no personal value anywhere in the warehouse file, the exports or the CLI output."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dashboard.views.methods import file_status
from etl import tables as t
from etl.cli import main
from etl.db import make_engine, run_lock

ROOT = Path(__file__).resolve().parents[1]
KEY = "schluessel-fuer-die-tests-0123456789abcdef"


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENGAGE_PSEUDONYM_KEY", raising=False)


def invoke(*args: str) -> object:
    """The CLI as a coordinator runs it, on a terminal wide enough that no message is wrapped."""
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "3000"})


def read_table(url: str, table) -> pd.DataFrame:  # noqa: ANN001
    """The table's rows; of a table that keeps its runs (issue 17), those of the latest run."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = select(table)
            if table in t.RUN_TABLES:
                query = query.where(table.c.run_id == select(func.max(t.etl_runs.c.run_id)).scalar_subquery())
            return pd.read_sql(query, conn)
    finally:
        engine.dispose()


# --- a failed source keeps its last good data ------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wh.sqlite'}"
    return request.getfixturevalue("postgres_url")


def test_failed_sources_keep_their_last_good_data(tmp_path: Path, demo_source: Path, warehouse_url: str) -> None:
    source = shutil.copytree(demo_source, tmp_path / "quellen")
    run = ("run", str(source), "--db", warehouse_url, "--as-of", "2025-06-30", "--jobs", "1")
    assert invoke(*run).exit_code == 0
    goals = read_table(warehouse_url, t.stg_goals)
    mart_goals = read_table(warehouse_url, t.mart_goals)
    values = read_table(warehouse_url, t.mart_indicator_values)
    ties = read_table(warehouse_url, t.mart_network_ties)
    partner = sorted(source.glob("*/akteure/akteursbefragung_*.csv"))[0]
    responses = read_table(warehouse_url, t.stg_partner_responses)
    partner_town = responses.loc[responses["source_file"] == partner.relative_to(source).as_posix(), "town_ags"].iloc[0]

    workbook = next(source.glob("*/zielplan.xlsx"))
    workbook.write_bytes(workbook.read_bytes()[:2000])  # a truncated goal workbook
    partner.write_text("kaputt\n", encoding="utf-8")  # the partner survey's ratings are never stored
    for attempt in (2, 3):  # a second failure still keeps the data of run 1
        result = invoke(*run)
        assert result.exit_code == 1, result.output
        assert "Daten des letzten erfolgreichen Laufs 1 beibehalten" in result.output
        assert len(read_table(warehouse_url, t.stg_goals)) == len(goals)
        kept_goals = read_table(warehouse_url, t.mart_goals)
        assert sorted(kept_goals["goal_id"]) == sorted(mart_goals["goal_id"])
        log = read_table(warehouse_url, t.etl_run_files)
        runs = log[log["run_id"] == attempt]
        for file in (workbook, partner):
            row = runs[runs["file"] == file.relative_to(source).as_posix()].iloc[0]
            assert row["status"] == "kept"
            assert "Daten des letzten erfolgreichen Laufs 1 beibehalten" in row["message"]
        collab = ["network_density", "trust_mean", "equal_footing_agree"]
        before = values[(values["town_ags"] == partner_town) & values["indicator"].isin(collab)]
        after = read_table(warehouse_url, t.mart_indicator_values)
        after = after[(after["town_ags"] == partner_town) & after["indicator"].isin(collab)]
        assert len(before) and len(after) == len(before)
        assert after["computed_run"].eq(1).all() and after["run_id"].eq(attempt).all()  # computed by run 1, kept
        kept_ties = read_table(warehouse_url, t.mart_network_ties)
        assert len(kept_ties[kept_ties["town_ags"] == partner_town]) == len(ties[ties["town_ags"] == partner_town])
    assert file_status("kept", "de") == "fehlgeschlagen – Daten des letzten erfolgreichen Laufs beibehalten"


def test_failed_source_without_earlier_data_stays_failed(tmp_path: Path, demo_source: Path) -> None:
    source = shutil.copytree(demo_source, tmp_path / "quellen")
    next(source.glob("*/zielplan.xlsx")).write_bytes(b"PK\x03\x04kaputt")
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    assert invoke("run", str(source), "--db", url, "--jobs", "1").exit_code == 1
    files = read_table(url, t.etl_run_files)
    assert set(files.loc[files["kind"] == "goals", "status"]) >= {"failed"}


# --- one run at a time -------------------------------------------------------------------------------------------


def test_second_run_on_a_locked_sqlite_warehouse_is_refused(tmp_path: Path, demo_source: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    engine = make_engine(url)
    with run_lock(engine):
        result = invoke("run", str(demo_source), "--db", url)
    engine.dispose()
    assert result.exit_code == 1
    assert "Ein anderer Lauf schreibt gerade in dieses Warehouse (seit " in result.output
    assert not (tmp_path / "wh.sqlite").exists() or read_table(url, t.etl_runs).empty


@pytest.mark.postgres
def test_second_run_on_a_locked_postgres_warehouse_is_refused(demo_source: Path, postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    with run_lock(engine):
        result = invoke("run", str(demo_source), "--db", postgres_url)
    engine.dispose()
    assert result.exit_code == 1 and "Ein anderer Lauf schreibt gerade in dieses Warehouse (seit " in result.output


def test_lock_of_a_killed_run_does_not_block(tmp_path: Path, demo_source: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from etl.db import make_engine, run_lock\n"
            f"with run_lock(make_engine({url!r})):\n    print('locked', flush=True); time.sleep(600)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    assert "Ein anderer Lauf" in invoke("run", str(demo_source), "--db", url).output
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (tmp_path / "wh.sqlite.lock").exists()  # the stale lock file is still there ...
    assert invoke("run", str(demo_source), "--db", url, "--jobs", "1").exit_code == 0  # ... and blocks nothing


# --- reader workers die with a killed run ------------------------------------------------------------------------


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_run(tmp_path: Path) -> None:
    from etl.demo import write_demo

    source = write_demo(tmp_path / "quellen", towns=6, years=3, seed=1).parent
    run = subprocess.Popen(
        [str(ROOT / ".venv/bin/engage"), "run", str(source), "--db", f"sqlite:///{tmp_path / 'w.db'}", "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and run.poll() is None:
        workers |= {pid for pid in _children(run.pid) if "multiprocessing" in Path(f"/proc/{pid}/cmdline").read_text()}
        time.sleep(0.05)
    assert len(workers) >= 2, "the run ended before its workers were seen"
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]


# --- German messages instead of tracebacks ----------------------------------------------------------------------


DISK = 8 * 1024 * 1024


@pytest.fixture
def tiny_disk(tmp_path: Path):  # noqa: ANN201
    """A real 8 MiB file system (tmpfs), to fill up or to remount read-only."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK}", "tmpfs", str(mount)], capture_output=True)
    if mounted.returncode:
        pytest.skip("tmpfs kann hier nicht eingehängt werden (mount braucht Root-Rechte)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_unusable_warehouses_give_german_messages(tmp_path: Path, demo_source: Path) -> None:
    bad_url = invoke("run", str(demo_source), "--db", "foo://nirgends")
    assert bad_url.exit_code == 2 and "ist keine gültige Datenbank-URL" in bad_url.output
    (tmp_path / "kaputt.sqlite").write_text("Das ist keine Datenbank.\n" * 200, encoding="utf-8")
    corrupt = invoke("run", str(demo_source), "--db", f"sqlite:///{tmp_path / 'kaputt.sqlite'}")
    assert corrupt.exit_code == 1 and "ist kein (intaktes) Warehouse" in corrupt.output
    nowhere = "postgresql://engage@127.0.0.1:1/x"
    unreachable = invoke("export", "runs", "--db", nowhere, "--out", str(tmp_path / "r.csv"))
    assert unreachable.exit_code == 1 and "ist nicht erreichbar" in unreachable.output
    for result in (bad_url, corrupt, unreachable):
        assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_full_disk_and_read_only_warehouse(tiny_disk: Path, demo_source: Path, demo_warehouse: str) -> None:
    out = tiny_disk / "indikatoren.csv"
    out.write_text("die vorige Datei\n", encoding="utf-8")
    (tiny_disk / "fuellung").write_bytes(b"x" * (DISK - 16 * 1024))
    full = invoke("export", "indicators", "--db", demo_warehouse, "--out", str(out))
    assert full.exit_code == 1 and "Kein Speicherplatz mehr frei" in full.output, full.output
    assert out.read_text(encoding="utf-8") == "die vorige Datei\n"  # never a 0-byte or half file
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["fuellung", "indikatoren.csv"]

    run_full = invoke("run", str(demo_source), "--db", f"sqlite:///{tiny_disk / 'wh.sqlite'}", "--jobs", "1")
    assert run_full.exit_code == 1 and "Kein Speicherplatz mehr frei" in run_full.output, run_full.output

    (tiny_disk / "fuellung").unlink()
    (tiny_disk / "wh.sqlite").unlink(missing_ok=True)
    shutil.copy(demo_warehouse.removeprefix("sqlite:///"), tiny_disk / "wh.sqlite")
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    read_only = invoke("run", str(demo_source), "--db", f"sqlite:///{tiny_disk / 'wh.sqlite'}", "--jobs", "1")
    assert read_only.exit_code == 1 and "schreibgeschützt" in read_only.output, read_only.output


# --- user text is printed as it is -----------------------------------------------------------------------------


def _folder(tmp_path: Path, manifest: str, files: dict[str, str]) -> Path:
    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    (folder / "engage.toml").write_text(textwrap.dedent(manifest), encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


HEAD = """
[project]
name = "Test [b]Projekt[/b]"

[[towns]]
ags = "99000001"
name = "Musterstadt"
"""


def test_markup_in_user_text_is_printed_verbatim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGE_PSEUDONYM_KEY", KEY)
    folder = _folder(tmp_path, HEAD + '\n[[sources]]\nkind = "[/x]"\npath = "a.csv"\n', {"a.csv": "x\n"})
    result = invoke("run", str(folder), "--db", f"sqlite:///{tmp_path / 'w.sqlite'}")
    assert result.exit_code == 2 and "'[/x]' ist keine bekannte Quellenart" in result.output
    assert "[[sources]] Nr. 1" in result.output

    manifest = HEAD + '\n[[sources]]\nkind = "events"\nname = "[/red]Termine [b]"\npath = "[x]e.csv"\n'
    folder = _folder(tmp_path, manifest, {"[x]e.csv": "[/red]ID;date\ne1;01.03.2024\n"})
    result = invoke("run", str(folder), "--db", f"sqlite:///{tmp_path / 'w2.sqlite'}", "--jobs", "1")
    assert result.exit_code == 1, result.output
    flat = result.output
    assert "[/red]Termine [b]" in flat and "[x]e.csv" in flat and "[/red]ID" in flat
    assert "Test [b]Projekt[/b]" in flat


# --- safe configuration ---------------------------------------------------------------------------------------------


def test_safe_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_source: Path) -> None:
    events = {"e.csv": "event_id;date\ne1;01.03.2024\n"}
    source = '\n[[sources]]\nkind = "events"\npath = "e.csv"\n'
    url = f"sqlite:///{tmp_path / 'real.sqlite'}"

    demo_head = HEAD.replace("99000001", "09162000").replace('"\n\n[[towns]]', '"\ndemo = true\n\n[[towns]]')
    demo_real = _folder(tmp_path, demo_head + source, events)
    refused = invoke("run", str(demo_real), "--db", url)
    assert refused.exit_code == 2 and "demo = true gilt nur für synthetische Demodaten" in refused.output

    monkeypatch.setenv("ENGAGE_PSEUDONYM_KEY", "kurz")
    short = invoke("run", str(_folder(tmp_path, HEAD + source, events)), "--db", url)
    assert short.exit_code == 2 and "ENGAGE_PSEUDONYM_KEY ist zu kurz (4 Zeichen" in short.output

    monkeypatch.setenv("ENGAGE_PSEUDONYM_KEY", KEY)
    low = HEAD.replace('"\n\n[[towns]]', '"\nmin_cell = 2\n\n[[towns]]')
    too_low = invoke("run", str(_folder(tmp_path, low + source, events)), "--db", url)
    assert too_low.exit_code == 2 and "min_cell': 2 ist zu klein" in too_low.output
    weak = _folder(tmp_path, HEAD.replace('"\n\n[[towns]]', '"\nmin_cell = 4\n\n[[towns]]') + source, events)
    warned = invoke("run", str(weak), "--db", url, "--jobs", "1")
    assert warned.exit_code == 0 and "Warnung: min_cell = 4" in warned.output
    log = read_table(url, t.etl_run_files)
    assert log.loc[log["status"] == "warning", "message"].str.startswith("min_cell = 4").all()

    monkeypatch.delenv("ENGAGE_PSEUDONYM_KEY")
    into_real = invoke("run", str(demo_source), "--db", url)
    assert into_real.exit_code == 2 and "Dieses Warehouse enthält echte Daten" in into_real.output
    assert read_table(url, t.etl_runs)["demo_key"].tolist() == [False]


# --- no personal value anywhere -------------------------------------------------------------------------------------

PERSONAL = ["0177 4456168", "0171 2233445", "Bernd", "Jana.Klein@example.org", "Schmidt-Weber", "030 9988776"]


def test_no_personal_value_reaches_warehouse_exports_or_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGE_PSEUDONYM_KEY", KEY)
    registrations = "E-Mail;Name;Telefon;Registriert am;Geschlecht;Stunden\n" + "".join(
        f"p{i}@example.org;Person {i};0{170 + i} 55{i:05d};01.02.2024;w;{i}\n" for i in range(8)
    )
    registrations += "bernd@example.org;Müller; Bernd;0177 4456168;02.02.2024;m;3\n"  # shifted: phone under the date
    registrations += "Jana.Klein@example.org;Schmidt-Weber;0171 2233445;31.02.2024;w;1\n"  # invalid date
    wrong_map = "E-Mail;Telefon;Registriert am\n" + "".join(
        f"q{i}@example.org;030 99887{i:02d};01.02.2024\n" for i in range(6)
    ) + "x@example.org;030 9988776;01.02.2024\n"
    manifest = (
        HEAD
        + '\n[[sources]]\nkind = "registrations"\npath = "reg.csv"\n[sources.columns]\nperson_id = "E-Mail"\n'
        'registered_on = "Registriert am"\ngender = "Geschlecht"\nhours = "Stunden"\n'
        '\n[[sources]]\nkind = "registrations"\nname = "Falsch zugeordnet"\npath = "map.csv"\n[sources.columns]\n'
        'person_id = "E-Mail"\nregistered_on = "Registriert am"\ngender = "Telefon"\n'
    )
    folder = _folder(tmp_path, manifest, {"reg.csv": registrations, "map.csv": wrong_map})
    wh = tmp_path / "wh.sqlite"
    run = invoke("run", str(folder), "--db", f"sqlite:///{wh}", "--jobs", "1")
    assert run.exit_code == 0, run.output
    outputs = [run.output]
    for what in ("rejects", "runs", "indicators"):
        export = invoke("export", what, "--db", f"sqlite:///{wh}", "--out", str(tmp_path / f"{what}.csv"))
        outputs += [export.output, (tmp_path / f"{what}.csv").read_text(encoding="utf-8")]
    rejects = pd.read_csv(tmp_path / "rejects.csv")
    assert len(rejects) == 9  # the shifted row, the impossible date, seven wrongly mapped phone numbers
    warehouse_bytes = wh.read_bytes()
    for value in PERSONAL:
        assert value.encode() not in warehouse_bytes, value
        assert all(value not in text for text in outputs), value
    for i in range(8):
        assert f"55{i:05d}".encode() not in warehouse_bytes
    assert not list(tmp_path.glob("*.tmp*"))
    assert os.path.getsize(tmp_path / "runs.csv") > 0
