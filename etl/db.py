"""Where the warehouse is: one rule for the CLI, the dashboard and the notebooks (brief §7).

``--db URL`` wins, then ``ENGAGE_DATABASE_URL``, then the SQLite file ``data/warehouse.sqlite`` below the
current directory. PostgreSQL URLs are given the psycopg 3 driver when they name none.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url, text

from etl.messages import MessageError, Msg

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
    if path.startswith("file:"):  # SQLite URI filenames: sqlite:///file:/path/w.sqlite?mode=ro&uri=true
        path = path[len("file:") :].split("?", 1)[0]
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


# --- one run at a time ----------------------------------------------------------------------------------------

# The key of the PostgreSQL advisory lock every `engage run` takes ("enga" in ASCII, below 2**31).
ADVISORY_KEY = 0x656E6761


class WarehouseBusy(MessageError):
    """Another run is writing into the same warehouse (the message says since when)."""


@contextmanager
def run_lock(engine: Engine) -> Iterator[None]:
    """Hold the warehouse's run lock while the block runs; :class:`WarehouseBusy` when another run holds it.

    Two runs on one warehouse would take the same run id and overwrite each other's tables. The lock is
    one the operating system or the database server drops when its holder dies, so a killed run (SIGKILL)
    never blocks the next one: SQLite files get an ``fcntl`` lock on ``<file>.lock`` (which also notes
    since when), PostgreSQL a session advisory lock on a connection of its own. In-memory SQLite has no
    second writer and needs no lock.
    """
    if engine.dialect.name == "postgresql":
        with _postgres_lock(engine):
            yield
        return
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        yield
        return
    with _file_lock(path.with_name(path.name + ".lock")):
        yield


def _busy(since: dt.datetime | None) -> WarehouseBusy:
    when = Msg("db_busy_since", day=since.date().isoformat(), time=f"{since:%H:%M}") if since else None
    return WarehouseBusy(Msg("db_busy", since=when))


@contextmanager
def _file_lock(lock: Path) -> Iterator[None]:
    import fcntl

    handle = lock.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            try:
                since = dt.datetime.fromisoformat(json.loads(handle.read() or "{}").get("since", ""))
            except ValueError:
                since = None
            raise _busy(since) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "since": dt.datetime.now().isoformat(timespec="seconds")}))
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock; a killed process releases it the same way


@contextmanager
def _postgres_lock(engine: Engine) -> Iterator[None]:
    with engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar()
        conn.commit()
        if not got:
            since = conn.execute(
                text(
                    "SELECT a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = :k "
                    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                ),
                {"k": ADVISORY_KEY},
            ).scalar()
            raise _busy(since.astimezone().replace(tzinfo=None) if since else None)
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            conn.commit()


# --- what went wrong, in German --------------------------------------------------------------------------------


def describe_error(exc: BaseException, url: str | None = None) -> str | None:
    """A German sentence for a database or file-system error a coordinator can act on (None: not one of those).

    The drivers' own texts are English and name internals; the CLI shows this sentence instead of a traceback.
    """
    explained = explain_error(exc, url)
    return None if explained is None else explained.text("de")


def explain_error(exc: BaseException, url: str | None = None) -> Msg | None:
    """:func:`describe_error`'s sentence as a message of :mod:`etl.messages`, so a page shows it in its language."""
    from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError, ProgrammingError

    where = _shown(url)
    detail = str(getattr(exc, "orig", exc)).lower()
    if isinstance(exc, (ArgumentError, NoSuchModuleError)):
        return Msg("db_bad_url", where=where)
    path = sqlite_path(url) if url else None
    read_only = "readonly" in detail or "read-only" in detail or "permission denied" in detail
    if read_only or (path is not None and _not_writable(path)):
        return Msg("db_read_only", where=where)
    if isinstance(exc, OSError) or "disk" in detail or "no space" in detail:
        return _os_sentence(exc, where, detail)
    if isinstance(exc, (OperationalError, ProgrammingError)) and _schema_gap(detail):
        from etl.warehouse import outdated

        return outdated(where, [_schema_gap(detail)])
    if isinstance(exc, OperationalError):
        if "unable to open" in detail:
            return Msg("db_unopenable", where=where)
        if "locked" in detail:
            return Msg("db_locked", where=where)
        undecodable = _UNDECODABLE.search(detail)
        if undecodable:
            # the driver's text quotes the cell; only the column is named (it may hold anything)
            return Msg("db_not_utf8", where=where, column=undecodable.group(1))
        if path is None and _CONNECTION.search(detail):
            return Msg("db_unreachable", where=where)
        # any other error of a query: a SQLite file has no server to reach, and a server that answers is reachable
        return Msg("db_query_failed", where=where)
    if isinstance(exc, DatabaseError):
        if "not a database" in detail or "malformed" in detail or "file is encrypted" in detail:
            return Msg("db_damaged", where=where)
        return Msg("db_error", where=where)
    return None


# Python's sqlite3 on a TEXT cell that is not UTF-8: "Could not decode to UTF-8 column 'name' with text '…'"
_UNDECODABLE = re.compile(r"could not decode to utf-8 column '([^']*)'")
# What the PostgreSQL driver says when no connection came about (and only then is the server "unreachable")
_CONNECTION = re.compile(
    r"connect|connection|could not translate host|name or service not known|no route to host|timeout expired|"
    r'password authentication|authentication failed|no password supplied|role "[^"]*" does not exist|'
    r'database "[^"]*" does not exist|server closed|terminating connection|ssl'
)


def _schema_gap(detail: str) -> str:
    """The table or column a driver says is missing ('' when the error is another): SQLite "no such column: x",
    "no such table: x"; PostgreSQL 'column "x" does not exist', 'relation "x" does not exist'."""
    found = re.search(r"no such (?:column|table): ([\w.]+)", detail) or re.search(
        r'(?:column|relation) "([\w.]+)"(?: of relation "\w+")? does not exist', detail
    )
    return found.group(1) if found else ""


def _not_writable(path: Path) -> bool:
    """Whether the SQLite file (or, before it exists, its folder) cannot be written (also on a read-only mount)."""
    target = path if path.exists() else path.parent
    return target.exists() and not os.access(target, os.W_OK)


def _os_sentence(exc: BaseException, where: str, detail: str) -> Msg:
    import errno

    number = getattr(exc, "errno", None)
    name = str(getattr(exc, "filename", None) or where)
    if number == errno.ENOSPC or "full" in detail or "no space" in detail:
        return Msg("db_no_space", where=name)
    if number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Msg("db_no_permission", where=name)
    if "disk" in detail:
        return Msg("db_disk_error", where=name)
    return Msg("db_file_io", where=name)


def _shown(url: str | None) -> str:
    """The warehouse as a person recognises it: the SQLite file, or the URL without its password."""
    if not url:
        return "(Warehouse)"
    path = sqlite_path(url)
    if path is not None:
        return path.as_posix()
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as given, without anything after '@'
        return url.split("@")[-1]
