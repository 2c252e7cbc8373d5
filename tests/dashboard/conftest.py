"""Fixtures of the dashboard tests: a synthetic warehouse, a real demo warehouse, a running app, a browser.

The synthetic warehouse (``synthetic.py``) is fast and has known edge cases (a suppressed group, an
unweighted town); the demo warehouse is built once per session by the real ``engage demo`` and
``engage run``. The app runs as a subprocess on a free port (datasette's pattern: start, wait until it
answers, always terminate) and is driven by Playwright with Debian's Chromium.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import SyntheticInfo, write_synthetic  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ENGAGE = Path(sys.executable).parent / "engage"


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> SyntheticInfo:
    path = tmp_path_factory.mktemp("synthetic") / "wh.sqlite"
    return write_synthetic(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A warehouse written by the real pipeline: ``engage demo --towns 3 --years 3`` + ``engage run``."""
    if not ENGAGE.exists() or not (ROOT / "etl" / "pipeline.py").exists() or not (ROOT / "etl" / "demo").exists():
        pytest.skip("engage demo/run gibt es noch nicht (etl/pipeline.py, etl/demo fehlen)")
    base = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{base / 'wh.sqlite'}"
    subprocess.run(
        [str(ENGAGE), "demo", "--out", str(base / "src"), "--towns", "3", "--years", "3"],
        check=True,
        capture_output=True,
        cwd=base,
    )
    run = subprocess.run([str(ENGAGE), "run", str(base / "src"), "--db", url], capture_output=True, cwd=base, text=True)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(db_url: str, cwd: Path) -> tuple[subprocess.Popen, str]:
    """``python -m dashboard`` on a free port; returns the process and its base URL once it answers."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ENGAGE_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "--db", db_url, "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dashboard ended: {proc.stdout.read().decode() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as response:
                if response.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise TimeoutError("dashboard did not answer within 60 s")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def app_url(demo_warehouse: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, base = start_app(demo_warehouse, tmp_path_factory.mktemp("app"))
    try:
        yield base
    finally:
        stop_app(proc)


@pytest.fixture(scope="session")
def real_synthetic(tmp_path_factory: pytest.TempPathFactory) -> SyntheticInfo:
    """The synthetic warehouse with its runs logged as made with a real pseudonym key (no demo banner)."""
    path = tmp_path_factory.mktemp("real") / "wh.sqlite"
    return write_synthetic(f"sqlite:///{path}", demo_key=False)


@pytest.fixture(scope="session")
def real_app_url(real_synthetic: SyntheticInfo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, base = start_app(real_synthetic.url, tmp_path_factory.mktemp("real-app"))
    try:
        yield base
    finally:
        stop_app(proc)


@pytest.fixture(scope="session")
def missing_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """An app whose warehouse file does not exist (yields its URL and the path that must stay absent)."""
    base_dir = tmp_path_factory.mktemp("missing")
    path = base_dir / "fehlt" / "wh.sqlite"
    proc, base = start_app(f"sqlite:///{path}", base_dir)
    try:
        yield base, path
    finally:
        stop_app(proc)


@pytest.fixture
def page(browser) -> Iterator[object]:  # noqa: ANN001 - playwright Browser
    """A fresh page that records console errors and page errors in ``page.errors``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    try:
        yield pg
    finally:
        context.close()


EXTRA_FORMATS = ("Erzählcafé", "Lesung")  # with the demo's eight: ten event formats for one town


@pytest.fixture(scope="session")
def ten_formats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """A running app on a demo warehouse whose first town has events in ten formats (the demo's eight plus
    two appended to its events file before ``engage run``). Yields (base URL, db URL, town AGS)."""
    if not ENGAGE.exists():
        pytest.skip("engage fehlt")
    import csv
    import tomllib

    base = tmp_path_factory.mktemp("ten-formats")
    src = base / "src"
    subprocess.run([str(ENGAGE), "demo", "--out", str(src), "--towns", "1", "--years", "2"], check=True, cwd=base)
    manifest = tomllib.loads((src / "engage.toml").read_text(encoding="utf-8"))
    events = next(s for s in manifest["sources"] if s["kind"] == "events")
    path = src / events["path"]
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    years = sorted({r["date"][:4] for r in rows})
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        for year in years:
            for k, fmt in enumerate(EXTRA_FORMATS, start=1):
                writer.writerow(
                    {key: "" for key in rows[0]}
                    | {
                        "event_id": f"X{year}-{k}",
                        "date": f"{year}-06-1{k}",
                        "format": fmt,
                        "title": f"{fmt} im Quartier",
                        "participants": "12",
                        "residents": "12",
                    }
                )
    url = f"sqlite:///{base / 'wh.sqlite'}"
    run = subprocess.run([str(ENGAGE), "run", str(src), "--db", url], capture_output=True, cwd=base, text=True)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    town = str(events["town"])
    proc, app = start_app(url, base)
    try:
        yield app, url, town
    finally:
        stop_app(proc)
