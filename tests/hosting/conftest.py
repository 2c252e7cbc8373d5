"""Fixtures of the hosting tests: a demo warehouse with accounts and the real production server.

The helpers (server start, accounts, sign-in) live in ``hosting_helpers`` — a module name of its own, since
several test folders have a ``conftest``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hosting_helpers import ENGAGE, Hosted, add_account, start_server, stop_server


@pytest.fixture(scope="session")
def accounts_warehouse(demo_warehouse: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the session's demo warehouse with a network account and an account per town."""
    folder = tmp_path_factory.mktemp("konten")
    path = folder / "wh.sqlite"
    shutil.copy(demo_warehouse.removeprefix("sqlite:///"), path)
    db = f"sqlite:///{path}"
    from etl import warehouse

    ags = sorted(warehouse.towns(db=db)["ags"])
    accounts = [("netz", "netzwerk"), ("stadt-a", f"stadt:{ags[0]}"), ("stadt-b", f"stadt:{ags[1]}")]
    for name, role in [*accounts, ("publikum", "oeffentlich")]:
        done = add_account(db, name, role)
        assert done.returncode == 0, done.stderr
    published = subprocess.run(
        [str(ENGAGE), "users", "publish", ags[0], "engagement_rate", "--db", db], capture_output=True, text=True
    )
    assert published.returncode == 0, published.stderr  # the first town shows its engagement rate publicly
    return db


def _towns(db: str) -> tuple[str, str, str, str]:
    from etl import warehouse

    frame = warehouse.towns(db=db).sort_values("ags")
    (a, b), (na, nb) = frame["ags"].tolist()[:2], frame["name"].tolist()[:2]
    return a, na, b, nb


@pytest.fixture(scope="session")
def hosted(accounts_warehouse: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosted]:
    """The production server on a warehouse with accounts (sign-in required)."""
    folder = tmp_path_factory.mktemp("server")
    proc, base, log = start_server(accounts_warehouse, folder)
    own, own_name, other, other_name = _towns(accounts_warehouse)
    try:
        yield Hosted(base, log, accounts_warehouse, own, own_name, other, other_name, proc)
    finally:
        stop_server(proc)


@pytest.fixture
def app_and_db(demo_warehouse: str, tmp_path: Path) -> Iterator[tuple[object, str]]:
    """The app on a copy of the demo warehouse, in this process (Flask's test client), with its caches shared
    through a runtime folder as ``engage serve`` shares them; afterwards this process reads unscoped and
    unshared again."""
    shutil.copy(demo_warehouse.removeprefix("sqlite:///"), tmp_path / "wh.sqlite")
    db = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    from dashboard import memo
    from dashboard.app import create_app
    from etl import warehouse

    app = create_app(db, runtime_dir=tmp_path / "laufzeit", secret_key="x" * 40)
    try:
        yield app, db
    finally:
        warehouse.require_scope(False)
        warehouse.share_reads(None)
        memo.share(None)
