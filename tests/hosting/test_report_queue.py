"""The report download (issue 12): PDFs built off the request threads, one build at a time on the machine,
kept per town, year, as-of date, language and run, a limit of waiting reports per account; and the report's
Chromium without the flags that switch off the same-origin policy."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from pathlib import Path

import flask
import pytest

from dashboard.report import charts
from dashboard.report.route import PENDING_PER_USER, register_report_route
from etl import warehouse


@pytest.fixture
def no_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_browser(figures, **_kw):  # noqa: ANN001, ANN202 - the pictures are not what these tests are about
        raise charts.ChartError("kein Browser (Test).")

    monkeypatch.setattr(charts, "render_png", no_browser)


@pytest.fixture
def own_warehouse(demo_warehouse: str, tmp_path: Path) -> str:
    shutil.copy(demo_warehouse.removeprefix("sqlite:///"), tmp_path / "wh.sqlite")
    return f"sqlite:///{tmp_path / 'wh.sqlite'}"


def _client(db: str, folder: Path, user: str = "anna", wait: float = 60):  # noqa: ANN202
    server = flask.Flask("test")
    builds = register_report_route(server, db, folder, user_of_request=lambda: user, wait_seconds=wait)
    charts.keep_running(False)
    return server.test_client(), builds


def test_a_finished_report_is_served_from_the_cache_until_the_next_run(
    own_warehouse: str, tmp_path: Path, no_pictures: None, demo_source: Path
) -> None:
    town = sorted(warehouse.towns(db=own_warehouse)["ags"])[0]
    year = max(warehouse.years(town=town, db=own_warehouse))
    client, builds = _client(own_warehouse, tmp_path / "berichte")
    first = client.get(f"/bericht.pdf?town={town}&year={year}")
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    kept = list((tmp_path / "berichte").glob("*.pdf"))
    assert len(kept) == 1
    stamp = kept[0].stat().st_mtime_ns
    again = client.get(f"/bericht.pdf?town={town}&year={year}")
    assert again.data == first.data and kept[0].stat().st_mtime_ns == stamp  # not built again
    client.get(f"/bericht.pdf?town={town}&year={year}&as_of=2025-01-31")
    assert len(list((tmp_path / "berichte").glob("*.pdf"))) == 2  # another as-of date, another PDF
    from etl.pipeline import run_pipeline

    run_pipeline(demo_source, db_url=own_warehouse, as_of=dt.date(2025, 6, 30))  # a new run retires the PDFs
    client.get(f"/bericht.pdf?town={town}&year={year}")
    assert len(list((tmp_path / "berichte").glob("*.pdf"))) == 3


def test_builds_wait_their_turn_and_an_account_has_few_waiting(
    own_warehouse: str, tmp_path: Path, no_pictures: None
) -> None:
    towns = sorted(warehouse.towns(db=own_warehouse)["ags"])
    year = max(warehouse.years(db=own_warehouse))
    folder = tmp_path / "berichte"
    client, _builds = _client(own_warehouse, folder, wait=0.5)
    with open(folder / "build.lock", "a+b") as lock:  # another process is building: everything waits
        fcntl.flock(lock, fcntl.LOCK_EX)
        waiting = [client.get(f"/bericht.pdf?town={t}&year={year}") for t in towns[:PENDING_PER_USER]]
        assert [w.status_code for w in waiting] == [202] * PENDING_PER_USER
        assert "wird gerade erstellt" in waiting[0].get_data(as_text=True)
        assert waiting[0].headers["Retry-After"] == "5"
        third = client.get(f"/bericht.pdf?town={towns[0]}&year={year}&as_of=2024-12-31")
        assert third.status_code == 429 and "schon 2 Berichte" in third.get_data(as_text=True)
        again = client.get(f"/bericht.pdf?town={towns[0]}&year={year}")
        assert again.status_code == 202  # the same report again is no new build
        fcntl.flock(lock, fcntl.LOCK_UN)
    client, _ = _client(own_warehouse, folder, wait=60)
    done = client.get(f"/bericht.pdf?town={towns[0]}&year={year}")
    assert done.status_code == 200 and done.data.startswith(b"%PDF")


def test_the_report_chromium_runs_without_disabled_web_security() -> None:
    if charts.browser_path() is None:
        pytest.skip("Chromium fehlt (/usr/bin/chromium): apt-get install chromium")
    figure = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], "layout": {"height": 200}}
    charts.keep_running(True)
    try:
        images = charts.render_png([figure], width=300, scale=1)
        assert images[0].startswith(b"\x89PNG")
        mine = str(os.getpid())
        command_lines = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                stat = (proc / "stat").read_text()
                cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[1] == mine and any(b"chrom" in part for part in cmdline):
                command_lines.append(cmdline)
        assert command_lines  # the browser this process started
        for cmdline in command_lines:
            assert b"--disable-web-security" not in cmdline and b"--allow-file-access-from-files" not in cmdline
    finally:
        charts.keep_running(False)
        charts.stop()
