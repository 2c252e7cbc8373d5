"""Session fixtures shared by the whole suite: a real PostgreSQL server and a small demo source folder.

PostgreSQL is started from Debian's binaries on a free port in a temporary folder and stopped at the end;
as root, ``initdb`` refuses to run, so the server runs as the ``postgres`` user. Where the binaries are
absent the PostgreSQL tests are skipped with that reason (``.ci/run`` installs them, so CI runs them).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# The property tests draw the same examples on every run: CI on a clean clone runs exactly the examples that
# passed here. To look for faults beyond them, draw new ones: `pytest --hypothesis-profile=explore` (with
# `--hypothesis-seed=N` for another set each time); a failure prints the example to keep as a regression test.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots of the browser tests (git-ignored)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running PostgreSQL server; yields a SQLAlchemy URL of an empty maintenance database."""
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL-Binärdateien fehlen (/usr/lib/postgresql/*/bin): apt-get install postgresql")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("runuser fehlt: PostgreSQL kann als root nicht gestartet werden")
    base = Path(tempfile.mkdtemp(prefix="engage-pg-"))
    datadir, sockdir = base / "data", base / "sock"
    sockdir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sockdir, "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres([str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres", "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(datadir),
                "-l",
                str(base / "server.log"),
                "-w",
                "-o",
                f"-p {port} -k {sockdir} -c listen_addresses=127.0.0.1 -c fsync=off",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


_db_counter = iter(range(1, 10_000))


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the session's server for one test."""
    import psycopg

    name = f"engage_{os.getpid()}_{next(_db_counter)}"
    dsn = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo source folder (2 towns, 2 years), written once per session by ``engage demo``'s code."""
    from etl.demo import write_demo

    return write_demo(tmp_path_factory.mktemp("demo") / "quellen", towns=2, years=2, seed=7).parent


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory, demo_source: Path) -> str:
    """SQLAlchemy URL of a SQLite warehouse built by the real pipeline from ``demo_source`` (as-of 30.06.2025)."""
    import datetime as dt

    from etl.pipeline import run_pipeline

    url = f"sqlite:///{tmp_path_factory.mktemp('warehouse') / 'warehouse.sqlite'}"
    summary = run_pipeline(demo_source, db_url=url, as_of=dt.date(2025, 6, 30))
    assert not summary.failed_sources, summary.files
    return url


@pytest.fixture(scope="session")
def town_year(demo_warehouse: str) -> tuple[str, int]:
    """The report tests' town and year: the demo warehouse's first town and its latest engagement-rate year."""
    from etl import warehouse

    town = str(warehouse.towns(db=demo_warehouse)["ags"].iloc[0])
    year = int(warehouse.indicators(town=town, indicator="engagement_rate", db=demo_warehouse)["year"].max())
    return town, year


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's headless Chromium through Playwright, one per session (Playwright's sync API allows one)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium fehlt (/usr/bin/chromium): apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")
