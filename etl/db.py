"""Where the warehouse is: one rule for the CLI, the dashboard and the notebooks (brief §7).

``--db URL`` wins, then ``ENGAGE_DATABASE_URL``, then the SQLite file ``data/warehouse.sqlite`` below the
current directory. PostgreSQL URLs are given the psycopg 3 driver when they name none.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

DEFAULT_SQLITE = Path("data") / "warehouse.sqlite"


def database_url(url: str | None = None) -> str:
    url = url or os.environ.get("ENGAGE_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///") :]
    return Path(path) if path and path != ":memory:" else None


def make_engine(url: str | None = None) -> Engine:
    """An engine for the warehouse.

    SQLite files get their folder and a busy timeout, since the dashboard may read while a run writes.
    """
    resolved = database_url(url)
    path = sqlite_path(resolved)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(resolved, future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 10000")
            cursor.close()

    return engine
