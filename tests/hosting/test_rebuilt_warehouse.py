"""A warehouse built anew under the same name while the server runs (issue 13): the file is deleted and
``engage run`` writes it again, so its first run is run 1 again — with other towns and other numbers. Nothing
kept for the old run 1 may be answered then: not the callback answers, not the results kept by
``dashboard.memo`` (Methodik tables, headlines), not the cached reads, and no pooled connection may keep
reading the deleted file. Every cache names a run by its number and its start (``etl.warehouse.RunKey``).

Through the app with real SQLite files: in this process with Flask's test client and the caches shared
through the runtime folder, and on the real production server (gunicorn, two workers)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
import requests
from hosting_helpers import callback_body, start_server, stop_server

from etl.demo import write_demo
from etl.pipeline import run_pipeline

URL_SYNC = "shell-town.options"
SOURCES = "..methods-sources-table"
OVERVIEW = "ov-statement.children"


@pytest.fixture(scope="module")
def other_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo sources of three towns with other numbers (another seed): Fiktivingen is only in these."""
    return write_demo(tmp_path_factory.mktemp("andere") / "quellen", towns=3, years=2, seed=11).parent


def _stored(path: Path) -> tuple[list[str], str]:
    """The towns and the start of run 1 as the file holds them, read without the app's caches."""
    with sqlite3.connect(path) as conn:
        towns = [r[0] for r in conn.execute("SELECT ags FROM towns WHERE run_id = 1 ORDER BY ags")]
        started = conn.execute("SELECT started_at FROM etl_runs WHERE run_id = 1").fetchone()[0]
    return towns, started


def _answers(post, deps: list[dict], town: str, year: int) -> dict[str, str]:  # noqa: ANN001 - a post function
    """The town selector's options, the Methodik sources table and the overview statement, as answered."""
    link = {"url.search": f"?town={town}&year={year}", "shell-lang": "de"}
    shell = {"shell-town": town, "shell-year": str(year), "shell-lang": "de"}
    return {
        "towns": post(callback_body(deps, URL_SYNC, link)),
        "sources": post(callback_body(deps, SOURCES, shell)),
        "overview": post(callback_body(deps, OVERVIEW, shell)),
    }


def _rebuild(path: Path, source: Path) -> None:
    """Delete the warehouse and write it anew from ``source`` (its first run: run 1 again)."""
    path.unlink()
    summary = run_pipeline(source, db_url=f"sqlite:///{path}", as_of=dt.date(2025, 6, 30))
    assert not summary.failed_sources, summary.files


def _check_rebuilt(before: dict[str, str], after: dict[str, str], towns: list[str]) -> None:
    new_town = "fiktivingen/"
    assert new_town not in before["sources"] and new_town in after["sources"]  # the new run's files
    assert all(town in after["towns"] for town in towns) and towns[-1] not in before["towns"]
    assert after["overview"] != before["overview"]  # other numbers (another seed)


def test_a_warehouse_built_anew_is_read_anew_in_process(app_and_db, other_source: Path) -> None:  # noqa: ANN001
    app, db = app_and_db
    path = Path(db.removeprefix("sqlite:///"))
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    old_towns, old_started = _stored(path)
    year = 2025

    def post(body: dict) -> str:
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200
        return json.dumps(response.get_json(), ensure_ascii=False)

    before = _answers(post, deps, old_towns[0], year)
    assert _answers(post, deps, old_towns[0], year) == before  # answered again from the caches
    _rebuild(path, other_source)
    new_towns, new_started = _stored(path)
    assert new_started != old_started and set(old_towns) < set(new_towns)
    after = _answers(post, deps, old_towns[0], year)
    _check_rebuilt(before, after, new_towns)


def test_a_warehouse_built_anew_is_read_anew_by_the_production_server(
    demo_warehouse: str, other_source: Path, tmp_path: Path
) -> None:
    path = tmp_path / "wh.sqlite"
    path.write_bytes(Path(demo_warehouse.removeprefix("sqlite:///")).read_bytes())
    old_towns, _started = _stored(path)
    proc, base, _log = start_server(f"sqlite:///{path}", tmp_path)
    try:
        session = requests.Session()
        deps = session.get(base + "/_dash-dependencies", timeout=60).json()

        def post(body: dict) -> str:
            response = session.post(base + "/_dash-update-component", json=body, timeout=60)
            assert response.status_code == 200, response.text[:300]
            return json.dumps(response.json(), ensure_ascii=False)

        before = _answers(post, deps, old_towns[0], 2025)
        for _ in range(3):  # both workers have read (and kept) the old run 1
            assert _answers(post, deps, old_towns[0], 2025) == before
        _rebuild(path, other_source)
        new_towns, _started = _stored(path)
        for _ in range(3):  # whichever worker answers
            _check_rebuilt(before, _answers(post, deps, old_towns[0], 2025), new_towns)
    finally:
        stop_server(proc)
