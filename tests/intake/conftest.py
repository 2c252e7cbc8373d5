"""Fixtures of the intake tests: a demo source folder, its warehouse with accounts, the real server with
``--source-dir`` (gunicorn + the intake worker), signed-in browser pages."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "hosting"))
sys.path.insert(0, str(HERE.parent / "dashboard"))  # axe_helpers: the accessibility checks every page shares

from hosting_helpers import ENGAGE, add_account, start_server, stop_server  # noqa: E402
from intake_helpers import TOWN_B, TOWN_C  # noqa: E402


@dataclass
class Intake:
    base: str
    db: str
    source: Path
    log: Path
    proc: subprocess.Popen


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Intake]:
    """A fresh demo folder (3 towns, 2 years), its run, four accounts and the server (per test module)."""
    base = tmp_path_factory.mktemp("intake")
    source = base / "quellen"
    subprocess.run(
        [str(ENGAGE), "demo", "--out", str(source), "--towns", "3", "--years", "2"], check=True, capture_output=True
    )
    db = f"sqlite:///{base / 'wh.sqlite'}"
    run = subprocess.run([str(ENGAGE), "run", str(source), "--db", db], capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    for name, role in [
        ("netz", "netzwerk"),
        ("koord-b", f"koordination:{TOWN_B}"),
        ("koord-c", f"koordination:{TOWN_C}"),
        ("leser-b", f"stadt:{TOWN_B}"),
    ]:
        done = add_account(db, name, role)
        assert done.returncode == 0, done.stderr
    proc, url, log = start_server(db, base, "--source-dir", str(source), "--max-upload-mb", "5")
    try:
        yield Intake(url, db, source, log, proc)
    finally:
        stop_server(proc)


@pytest.fixture
def page(browser) -> Iterator[object]:  # noqa: ANN001 - playwright Browser
    """A fresh browser page recording page errors in ``page.errors``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    try:
        yield pg
    finally:
        context.close()
