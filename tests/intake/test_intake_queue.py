"""Publishing through the real intake worker process: two publishes at once run one after the other, each is
recorded with its run, and "Letzten Import zurücknehmen" restores the file, the manifest entry and the figures.

The worker is started the way ``engage serve --source-dir`` starts it; the jobs are queued with the plain
functions the page's callbacks call (:mod:`dashboard.intake.actions`).
"""

from __future__ import annotations

import base64
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from intake_exports import platform_export
from sqlalchemy import create_engine, text

from dashboard.intake import actions, store, worker
from dashboard.intake.config import IntakeConfig
from etl.demo import write_demo
from etl.pipeline import run_pipeline

ROOT = Path(__file__).resolve().parents[2]
TOWN_B, TOWN_C = "99001012", "99001023"
WHO_B = actions.Who("koord-b", f"koordination:{TOWN_B}")
WHO_C = actions.Who("koord-c", f"koordination:{TOWN_C}")


@dataclass
class Running:
    config: IntakeConfig
    source: Path


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    base = tmp_path_factory.mktemp("warteschlange")
    source = write_demo(base / "quellen", towns=3, years=2, seed=42).parent
    db = f"sqlite:///{base / 'wh.sqlite'}"
    run_pipeline(source, db_url=db)
    config = IntakeConfig(source, db, 5 * 2**20)
    store.ensure_state(config)
    proc = worker.start(config, {**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        yield Running(config, source)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def _wait(config: IntakeConfig, job_id: int, seen: list[tuple[int, ...]] | None = None) -> store.Job:
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if seen is not None:
            seen.append(tuple(j.id for j in store.pending(config, "publish") if j.status == "running"))
        job = store.get(config, job_id)
        if job is not None and not job.pending:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not end")


def _value(db: str, town: str) -> float | None:
    engine = create_engine(db)
    with engine.connect() as conn:
        value = conn.execute(
            text(
                "SELECT value FROM mart_indicator_values WHERE town_ags = :t AND indicator = 'registered_volunteers' "
                "AND year = 2025 AND breakdown = '' "
                "AND run_id = (SELECT max(run_id) FROM mart_indicator_values)"  # the marts keep every run (issue 17)
            ),
            {"t": town},
        ).scalar()
    engine.dispose()
    return value


def _log(db: str) -> list[dict]:
    engine = create_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM app_intake_log ORDER BY intake_id")).mappings().all()
    engine.dispose()
    return [dict(r) for r in rows]


def _previewed(config: IntakeConfig, who: actions.Who, folder: str, source: Path) -> tuple[str, int]:
    data = platform_export(source / folder / "freiwillige.csv", new_rows=30)
    upload = {"name": f"Export {folder}.csv", "contents": "data:text/csv;base64," + base64.b64encode(data).decode()}
    sid, job_id, refusals = actions.receive(config, who, [upload])
    assert refusals == []
    job = _wait(config, job_id)
    assert job.status == "done" and job.result["publishable"], job.message
    return sid, job_id


def test_two_publishes_at_once_run_one_after_the_other_and_undo_restores(running: Running) -> None:
    config, source = running.config, running.source
    before = {TOWN_B: _value(config.etl_db, TOWN_B), TOWN_C: _value(config.etl_db, TOWN_C)}
    manifest_before = (source / "engage.toml").read_bytes()
    sid_b, preview_b = _previewed(config, WHO_B, "beispielhausen", source)
    sid_c, preview_c = _previewed(config, WHO_C, "fiktivingen", source)
    first = actions.request_publish(config, WHO_B, sid_b, preview_b)
    second = actions.request_publish(config, WHO_C, sid_c, preview_c)
    assert store.position(config, store.get(config, second)) == 1  # waits behind the first
    seen: list[tuple[int, ...]] = []
    done_first, done_second = _wait(config, first, seen), _wait(config, second, seen)
    assert (done_first.status, done_second.status) == ("done", "done"), (done_first.message, done_second.message)
    assert all(len(running_now) <= 1 for running_now in seen)  # never two publishes at once
    assert done_second.started >= done_first.finished
    log = _log(config.etl_db)
    assert [(r["action"], r["town_ags"], r["account"], r["status"]) for r in log] == [
        ("publish", TOWN_B, "koord-b", "ok"),
        ("publish", TOWN_C, "koord-c", "ok"),
    ]
    assert log[1]["run_id"] == log[0]["run_id"] + 1 and log[1]["started_at"] >= log[0]["finished_at"]
    after = {TOWN_B: _value(config.etl_db, TOWN_B), TOWN_C: _value(config.etl_db, TOWN_C)}
    assert after[TOWN_B] > before[TOWN_B] and after[TOWN_C] > before[TOWN_C]
    stored = source / log[0]["files"]
    assert stored.is_file() and stored.stat().st_mode & 0o777 == 0o600
    # the mapping is kept for the town's next export of the same platform
    assert "Mail-Adresse" in (config.state_dir / "zuordnungen.json").read_text(encoding="utf-8")

    undo = actions.request_undo(config, WHO_B, TOWN_B)
    done_undo = _wait(config, undo)
    assert done_undo.status == "done", done_undo.message
    assert _value(config.etl_db, TOWN_B) == before[TOWN_B] and _value(config.etl_db, TOWN_C) == after[TOWN_C]
    last = _log(config.etl_db)[-1]
    assert (last["action"], last["undoes"], last["status"]) == ("undo", log[0]["intake_id"], "ok")
    assert not stored.exists() and (source / "beispielhausen" / "freiwillige.csv").is_file()
    manifest = (source / "engage.toml").read_text(encoding="utf-8")
    assert 'path = "beispielhausen/freiwillige.csv"' in manifest  # B's entry as before
    assert manifest.startswith(manifest_before.decode("utf-8").splitlines()[0])  # the comments stay
    assert log[1]["files"] in manifest  # C's publish, made after B's, is untouched by B's undo
