"""Fixtures of the Sitzungsmodus browser tests: the dashboard as a subprocess on the session's demo
warehouse and headless Debian Chromium through Playwright.

The same pattern as ``tests/dashboard/conftest.py`` (start on a free port, wait until it answers, always
terminate); that file is a conftest of a sibling folder and cannot be imported, so the few lines are here.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_dashboard(db: str, cwd: Path) -> Iterator[str]:
    """``python -m dashboard --db URL --port P`` on a free port, run in ``cwd``; yields its base URL once it
    answers, and always terminates it."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ENGAGE_DATABASE_URL", None)
    log = (cwd / "dashboard.log").open("wb")  # a file, not a pipe: a full pipe would stop the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "--db", db, "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"dashboard ended: {(cwd / 'dashboard.log').read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(base + "/sitzung", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError("dashboard did not answer within 60 s") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def serve() -> Callable[[str, Path], contextlib.AbstractContextManager[str]]:
    """:func:`serve_dashboard` for a test module's own warehouse (a conftest cannot be imported)."""
    return serve_dashboard


@pytest.fixture(scope="session")
def meeting_app(demo_warehouse: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on the demo warehouse; yields its base URL."""
    with serve_dashboard(demo_warehouse, tmp_path_factory.mktemp("meeting-app")) as base:
        yield base


@pytest.fixture
def projector(browser) -> Iterator[object]:  # noqa: ANN001 - playwright Browser
    """A 16:9 page (1600×900, like a projector) that records console and page errors in ``errors``."""
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    try:
        yield page
    finally:
        context.close()
