"""The read API of the warehouse: what the dashboard and the researchers' notebooks read (brief §2, §7).

``from etl import warehouse`` gives one function per mart (``indicators()``, ``comparison()``,
``network_nodes()`` …) returning pandas DataFrames with proper dtypes. Every function takes an optional
``db`` (a SQLAlchemy URL or Engine); without it the CLI's rule holds: ``ENGAGE_DATABASE_URL``, else the
SQLite file ``data/warehouse.sqlite``. Nothing here computes an indicator: the ETL wrote every number,
this module only filters and joins what is stored, so every number keeps one definition and one run.

Reads are cached per process, keyed on the filter values AND the ``run_id`` read: as soon as a new ETL
run is committed, the next read sees the new run and never returns numbers of a previous one. A server with
several worker processes also shares them through a folder (:func:`share_reads`), under the same keys.

Published runs stay (issue 17): the marts keep one set of rows per run (:data:`etl.tables.RUN_TABLES`), and
every read of them filters on the run it reads — the latest, or inside :func:`at_run` an earlier one that
the warehouse still keeps (:func:`published_runs`; a dashboard link ``?run=N``, ``engage report --run N``,
a data package of run N). Reads of a new mart table filter on ``run_id`` the same way (see the queries).

Authorisation lives here too (issue 12): a :class:`Scope` names the towns a reader may see. The dashboard
sets the signed-in user's scope for each request (:func:`scoped`), and every read filters on it in SQL,
so no callback payload, URL or page can read another town's rows: towns, indicator values, comparison
rows (which carry the network median and quartiles, so a town sees the network only as aggregates),
network, goals, measures, and the run files and rejects of the sources that belong to those towns (and
no median or quartile over fewer than :data:`MIN_TOWNS_FOR_AGGREGATES` towns). The public view
(:meth:`Scope.published`) reads only the indicator values and comparisons a town published. A
process that serves users calls :func:`require_scope`: a read without a scope is then refused rather than
answered with every town. Notebooks and the CLI read without a scope: all towns.
:func:`check` tells "missing", "empty" or "ok" without creating a SQLite file (connecting to a missing
SQLite file would create an empty one).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

import diskcache
import numpy as np
import pandas as pd
from sqlalchemy import Engine, Select, case, func, inspect, select, tuple_
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError

from etl import tables as t
from etl.db import database_url, explain_error, make_engine, sqlite_path
from etl.licences import DEFAULT_LICENCE
from etl.messages import MessageError, Msg

DbArg = str | Engine | None
Filter = str | int | Sequence[str] | Sequence[int] | None

__all__ = [
    "RunInfo",
    "RunKey",
    "Scope",
    "WarehouseError",
    "WarehouseStatus",
    "catalogue",
    "check",
    "comparison",
    "data_date",
    "goal_status",
    "goal_status_counts",
    "comparison_keys",
    "districts",
    "goal_values",
    "goals",
    "indicators",
    "latest_run",
    "measure_counts",
    "measures",
    "network_nodes",
    "network_ties",
    "message_text",
    "network_trend",
    "reason_text",
    "rejects",
    "require_scope",
    "published_runs",
    "runs",
    "same_run",
    "at_run",
    "reading_run",
    "scoped",
    "town_count",
    "towns",
    "years",
]


class WarehouseError(MessageError, RuntimeError):
    """The warehouse cannot be read (missing file, no run yet, unreachable server)."""


class RunKey(NamedTuple):
    """A run as every cache names it: its number and when it started (microseconds).

    The number alone does not name a run: a warehouse built anew (file deleted, ``engage run`` again) starts
    again at run 1 while a server keeps running, and a result kept for the old run 1 (another town set, even
    another scope's data) would be answered for the new one. The start time tells them apart.
    """

    run_id: int
    started_at: str  # ISO 8601, as etl_runs stores it


def _stamp(value: object) -> str:
    """A stored start time as the text keys carry (the same for the run check's and the run list's reads)."""
    return pd.Timestamp(value).isoformat()


@dataclass(frozen=True)
class WarehouseStatus:
    """Whether the warehouse can be shown: ``state`` is ``ok``, ``missing``, ``empty``, ``outdated`` (written
    by an older version: tables or columns this version reads are missing until the next ``engage run``) or
    ``error``."""

    state: Literal["ok", "missing", "empty", "outdated", "error"]
    msg: Msg | None  # why it cannot be shown; None when ok
    url: str  # the URL with any password hidden
    run_id: int | None = None
    run_key: RunKey | None = None  # the latest run, named beyond its number (cache keys)

    @property
    def ok(self) -> bool:
        return self.state == "ok"

    @property
    def message(self) -> str:
        """The German sentence, for coordinators (the CLI); empty when ok."""
        return self.text("de")

    def text(self, lang: str = "de") -> str:
        return "" if self.msg is None else self.msg.text(lang)

    def error(self) -> WarehouseError:
        """The error a read raises when the warehouse cannot be shown."""
        return WarehouseError(self.msg or Msg("wh_unreachable", where=self.url))


@dataclass(frozen=True)
class RunInfo:
    """The metadata of one ETL run (``etl_runs``)."""

    run_id: int
    started_at: dt.datetime
    finished_at: dt.datetime
    status: str  # ok, partial (a source was rejected)
    source_dir: str
    project_name: str
    min_cell: int  # privacy threshold the run suppressed with (brief §6)
    as_of: dt.date  # goal status date
    demo_key: bool  # pseudonyms made with the public demo key
    licence: str = DEFAULT_LICENCE  # SPDX id the run's aggregates are published under (issue 17)


# --- connection ------------------------------------------------------------------------------------------

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _hidden(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as given
        return url


def _engine(db: DbArg) -> Engine:
    """One engine per URL and process, so connection pools are shared between reads."""
    if isinstance(db, Engine):
        return db
    url = database_url(db)
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url)
            _engines[url] = engine
    return engine


def forget_connections() -> None:
    """In a freshly forked worker process: drop the pooled connections inherited from the parent (never
    share a database connection across processes) without closing them under the parent's feet."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose(close=False)


def check(db: DbArg = None) -> WarehouseStatus:
    """Can the warehouse be shown? Never creates a SQLite file; never raises."""
    url = db.url.render_as_string(hide_password=False) if isinstance(db, Engine) else database_url(db)
    shown = _hidden(url)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return WarehouseStatus("missing", Msg("wh_missing", path=str(path), where=shown), shown)
    try:
        engine = _engine(db)
        if path is not None:
            _forget_replaced_file(url, path, engine)
        r = t.etl_runs.c
        with engine.connect() as conn:
            try:  # one query in the common case; the table check only when it fails
                latest = conn.execute(select(r.run_id, r.started_at).order_by(r.run_id.desc()).limit(1)).first()
            except (OperationalError, ProgrammingError):
                conn.rollback()
                if inspect(conn).has_table(t.etl_runs.name):
                    raise
                latest = None
    except SQLAlchemyError as exc:
        # the driver's own text is English and may name the host, the user or a cell: shown as our own sentence
        return WarehouseStatus("error", explain_error(exc, url) or Msg("wh_unreachable", where=shown), shown)
    if latest is None:
        return WarehouseStatus("empty", Msg("wh_empty", where=shown), shown)
    key = RunKey(int(latest[0]), _stamp(latest[1]))
    missing = _missing_columns(url, key, engine)
    if missing:
        return WarehouseStatus("outdated", outdated(shown, missing), shown, key.run_id, key)
    return WarehouseStatus("ok", None, shown, key.run_id, key)


_file_ids: dict[str, tuple[int, int]] = {}


def _forget_replaced_file(url: str, path: Path, engine: Engine) -> None:
    """Drop the pooled connections of a SQLite file that was replaced since they were opened.

    An open SQLite connection keeps reading the file it opened, also after that file was deleted and a new
    warehouse written under its name (``engage run`` on a fresh file while the server runs): the pool would
    serve the old warehouse for ever. The file's identity (device, inode) tells; one ``stat`` per check.
    """
    try:
        info = path.stat()
    except OSError:
        return
    ident = (info.st_dev, info.st_ino)
    with _engines_lock:
        before = _file_ids.get(url)
        _file_ids[url] = ident
    if before is not None and before != ident:
        engine.dispose()


def outdated(shown: str, missing: Sequence[str]) -> Msg:
    """The sentence for a warehouse an older version wrote (also :func:`etl.db.explain_error`'s)."""
    named = ", ".join(missing[:3]) + (" …" if len(missing) > 3 else "")
    return Msg("wh_outdated", where=shown, missing=named)


_schema_checked: dict[tuple[str, RunKey], tuple[str, ...]] = {}
# tables an older warehouse may lack and the reads then treat as empty (district maps, the source→town list)
_READ_WITHOUT = frozenset({t.mart_districts.name, t.stg_districts.name, t.etl_source_towns.name})


def _missing_columns(url: str, run: RunKey, engine: Engine) -> tuple[str, ...]:
    """The tables and columns this version reads that the warehouse lacks (``table`` or ``table.column``).

    A new version adds columns (and keeps runs) only when it writes: ``engage run`` upgrades the schema in its
    transaction. Until then every read would fail with a driver error, so :func:`check` names the gap instead.
    Asked once per warehouse and run (a run upgrades it), so a page costs no schema query.
    """
    key = (url, run)
    if key not in _schema_checked:
        with engine.connect() as conn:
            inspector = inspect(conn)
            present = set(inspector.get_table_names())
            gaps: list[str] = []
            for table in [*t.DATA_TABLES, t.etl_runs, t.etl_run_files]:
                if table.name not in present:
                    if table.name not in _READ_WITHOUT:
                        gaps.append(table.name)
                    continue
                have = {c["name"] for c in inspector.get_columns(table.name)}
                gaps += [f"{table.name}.{c.name}" for c in table.columns if c.name not in have]
        _schema_checked[key] = tuple(gaps)
    return _schema_checked[key]


_pinned: contextvars.ContextVar[dict[tuple[str, int | None], RunKey] | None] = contextvars.ContextVar(
    "warehouse_pinned", default=None
)
_chosen: contextvars.ContextVar[int | None] = contextvars.ContextVar("warehouse_run", default=None)


@contextmanager
def at_run(run_id: int | None) -> Iterator[None]:
    """Within this block every read reads run ``run_id`` as it was published (None: the latest run).

    A run the warehouse no longer keeps (pruned, ``[project] keep_runs``) or never had makes the reads raise
    :class:`WarehouseError` with a German message; :func:`published_runs` lists the runs that can be read.
    """
    token = _chosen.set(None if run_id is None else int(run_id))
    try:
        yield
    finally:
        _chosen.reset(token)


def set_run(run_id: int | None) -> contextvars.Token:
    """Read run ``run_id`` until :func:`reset_run` (for request hooks that open and close in two functions)."""
    return _chosen.set(None if run_id is None else int(run_id))


def reset_run(token: contextvars.Token) -> None:
    _chosen.reset(token)


def chosen_run() -> int | None:
    """The run asked for with :func:`at_run` / :func:`set_run`; None: the latest."""
    return _chosen.get()


@contextmanager
def same_run() -> Iterator[None]:
    """Within this block every read asks for the latest run once per database and then reuses it.

    The dashboard wraps each callback in it: one request shows one run (never a mix of two runs) and
    does not ask the database for the run id before every single read.
    """
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def _run_key(engine: Engine) -> RunKey:
    """The run every read reads and is keyed on: the chosen one (:func:`at_run`), else the latest; raises
    WarehouseError with the German status message, or when the chosen run is not kept."""
    pinned = _pinned.get()
    chosen = _chosen.get()
    key = (engine.url.render_as_string(hide_password=False), chosen)
    if pinned is not None and key in pinned:
        return pinned[key]
    status = check(engine)
    if not status.ok or status.run_key is None:
        raise status.error()
    run = status.run_key
    if chosen is not None and chosen != run.run_id:
        kept = _cached(engine, run, "published", (("scope", None),))
        started = dict(zip(kept["run_id"].tolist(), kept["started_at"].tolist(), strict=True))
        if chosen not in started:
            shown = ", ".join(str(r) for r in sorted(started)) or Msg("wh_runs_none")
            raise WarehouseError(Msg("wh_run_gone", run=chosen, kept=shown))
        run = RunKey(chosen, _stamp(started[chosen]))
    if pinned is not None:
        pinned[key] = run
    return run


def reading_run(db: DbArg = None) -> RunKey:
    """The run reads read now (the chosen one, else the latest), named beyond its number (:class:`RunKey`):
    for keys of anything built from them."""
    return _run_key(_engine(db))


# --- authorisation ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The towns a reader may see: ``towns=None`` every town (network role, notebooks, the CLI), else the
    AGS in ``towns`` only (a town's role: its own rows plus the network aggregates stored on them)."""

    towns: frozenset[str] | None = None
    # The public view: only these (town AGS, indicator) pairs of indicator values and comparisons, and nothing
    # of goals, measures, the partner network, run files or rejects. None: not the public view.
    public: frozenset[tuple[str, str]] | None = None

    @classmethod
    def of(cls, towns: Sequence[str] | None) -> Scope:
        return cls(None if towns is None else frozenset(str(t) for t in towns))

    @classmethod
    def published(cls, pairs: Sequence[tuple[str, str]]) -> Scope:
        """The public view of the (town, indicator) pairs the towns published."""
        marks = frozenset((str(town), str(indicator)) for town, indicator in pairs)
        return cls(frozenset(town for town, _ in marks), marks)

    @property
    def key(self) -> tuple[str, ...] | None:
        """The scope as a sorted tuple (cache keys, SQL ``IN``); None = every town."""
        return None if self.towns is None else tuple(sorted(self.towns))

    @property
    def public_key(self) -> tuple[tuple[str, str], ...] | None:
        return None if self.public is None else tuple(sorted(self.public))


EVERY_TOWN = Scope()
# A town's reader sees a network (or peer-group) median and quartiles only over at least this many towns: with
# two towns the median and the own value give the other's value away, with three the rank and the median do.
MIN_TOWNS_FOR_AGGREGATES = 5
_scope: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("warehouse_scope", default=None)
_scope_required = False


def require_scope(required: bool = True) -> None:
    """In a process that serves users: refuse every read made without :func:`scoped` (fail closed)."""
    global _scope_required
    _scope_required = required


@contextmanager
def scoped(scope: Scope) -> Iterator[None]:
    """Every read inside this block sees only ``scope``'s towns (the dashboard: one block per request)."""
    token = _scope.set(scope)
    try:
        yield
    finally:
        _scope.reset(token)


def set_scope(scope: Scope) -> contextvars.Token:
    """Set the scope until :func:`reset_scope` (for request hooks that open and close in two functions)."""
    return _scope.set(scope)


def reset_scope(token: contextvars.Token) -> None:
    _scope.reset(token)


def current_scope() -> Scope:
    """The scope reads are filtered by now; raises :class:`WarehouseError` where a scope is required."""
    scope = _scope.get()
    if scope is None:
        if _scope_required:
            raise WarehouseError(Msg("wh_no_account"))
        return EVERY_TOWN
    return scope


# --- cached reading --------------------------------------------------------------------------------------


def _key(value: Filter) -> tuple | str | int | None:
    if value is None or isinstance(value, (str, int)):
        return value
    return tuple(value)


def _where(stmt: Select, column, value) -> Select:
    if value is None:
        return stmt
    if isinstance(value, tuple):
        return stmt.where(column.in_(value))
    return stmt.where(column == value)


_shared: diskcache.Cache | None = None


def share_reads(directory: Path | None) -> None:
    """Keep read results also in ``directory`` (a diskcache), for every process that names the same folder:
    the dashboard's worker processes then run each query once per run instead of once each. None: off."""
    global _shared
    _shared = diskcache.Cache(str(directory), size_limit=512 * 2**20, timeout=5) if directory else None
    _cached.cache_clear()


@lru_cache(maxsize=512)
def _cached(engine: Engine, run: RunKey, name: str, params: tuple) -> pd.DataFrame:
    """One read per (engine, run, query, filters, scope); the run in the key (its number and start, so also a
    warehouse built anew under the same URL) retires a previous run's data."""
    shared, key = _shared, ""
    if shared is not None:
        where = engine.url.render_as_string(hide_password=False)
        key = hashlib.sha256(repr((where, tuple(run), name, params)).encode()).hexdigest()
        try:
            found = shared.get(key)
        except (diskcache.Timeout, OSError, sqlite3.Error):  # a locked or damaged cache is a miss
            found = None
        if found is not None:
            return found
    frame = _QUERIES[name](engine, run.run_id, **dict(params))
    if shared is not None:
        with suppress(diskcache.Timeout, OSError, sqlite3.Error):
            shared.set(key, frame)
    return frame


# what the public view filters by (town, indicator)
_VALUE_QUERIES = ("indicators", "years", "comparison", "comparison_keys", "network_trend")
# the rest (goals, network, run log) the public view never reads
_OPEN_QUERIES = ("towns", "catalogue", "run", "published")


def _read(db: DbArg, name: str, **params: object) -> pd.DataFrame:
    """A cached query; the reader's scope is one of its parameters, so it is part of the SQL and the key."""
    scope = current_scope()
    towns = scope.key
    if scope.public is not None:
        if name in _VALUE_QUERIES:
            params["public"] = scope.public_key
        elif name not in _OPEN_QUERIES:
            towns = ()  # no town's details
    engine = _engine(db)
    run = _run_key(engine)
    key = tuple(sorted((k, _key(v)) for k, v in params.items())) + (("scope", towns),)  # type: ignore[arg-type]
    frame = _cached(engine, run, name, key)
    return frame.copy(deep=False)


def _published(stmt: Select, town, indicator, public) -> Select:  # noqa: ANN001 - columns
    return stmt if public is None else stmt.where(tuple_(town, indicator).in_(list(public)))


def _frame(engine: Engine, stmt: Select, dtypes: dict[str, str]) -> pd.DataFrame:
    """The statement's rows as a frame, each column of ``dtypes`` in its type.

    Built column by column and put together once: converting the columns of a frame built from the rows
    costs pandas' block bookkeeping per column, about two thirds of a small read (a town's totals, its goals),
    and a page's first view of a town makes a few such reads (issue 13)."""
    with engine.connect() as conn:
        result = conn.execute(stmt)
        keys = list(result.keys())
        rows = [tuple(row) for row in result.fetchall()]  # plain tuples: pandas probes a Row's attributes
    values = list(zip(*rows, strict=True)) if rows else [() for _ in keys]
    columns = {key: _column(column, dtypes.get(key)) for key, column in zip(keys, values, strict=True)}
    return pd.DataFrame(columns, columns=keys)


def _column(values: Sequence[object], dtype: str | None) -> pd.Series:
    """One read column's values in the type its read names (None: as pandas infers it).

    Numbers go straight into a numpy array and the nullable types into their pandas array, each in one step: a
    Series of the Python values converted afterwards first looks at every value for a type it then drops, which
    was about two thirds of a town's read of its totals (17 columns, 220 rows: 8,8 → 3,5 ms; the Sitzungsmodus
    and the headlines make a few such reads on a town's first view, issue 13). The same values and dtypes as
    ``pd.Series(list(values)).astype(dtype)``; tests/test_warehouse_columns.py checks it."""
    if dtype in ("float64", "int64") or (dtype == "bool" and None not in values):
        return pd.Series(np.array(values, dtype=dtype))
    if dtype in ("Int64", "boolean", _STR):
        return pd.Series(pd.array(list(values), dtype=dtype))
    column = pd.Series(list(values))
    if dtype is None:
        return column
    if dtype == "date":
        # The drivers return datetime.date already (SQLite through SQLAlchemy's Date, psycopg natively).
        present = column.dropna()
        if len(present) and not isinstance(present.iloc[0], dt.date):
            column = pd.to_datetime(column).dt.date
        return column.astype("object")
    if dtype == "datetime":
        return pd.to_datetime(column)
    if dtype == "bool":  # with a None (without one: the numpy array above)
        return column.astype("boolean")
    return column.astype(dtype)


_STR = "string[python]"  # python storage: cheaper than Arrow for the many small filters of a page

# --- queries (private, cached through _read) --------------------------------------------------------------
# Every query of a table that keeps its runs reads the rows of ``run_id`` only (``.where(table.c.run_id ==
# run_id)``, joins on the run too); the run column itself is left out of what is returned (:func:`_published_columns`).


def _published_columns(table):  # noqa: ANN001, ANN202 - a Table; its columns
    """The table's columns without its run stamp: a read gives one run, named by the caller."""
    return [c for c in table.columns if c.name != "run_id"]


def _q_published(engine: Engine, run_id: int, scope=None) -> pd.DataFrame:  # noqa: ARG001 - every run
    """The runs whose marts the warehouse still keeps (those with towns), newest first."""
    r = t.etl_runs.c
    shown = [c for c in t.etl_runs.c if c.name != "source_dir"]  # a server path says nothing a reader needs
    stmt = select(*shown).where(r.run_id.in_(select(t.towns.c.run_id).distinct())).order_by(r.run_id.desc())
    dtypes = {"run_id": "int64", "status": _STR, "project_name": _STR, "min_cell": "int64", "licence": _STR}
    dtypes |= {"started_at": "datetime", "finished_at": "datetime", "as_of": "date", "demo_key": "bool"}
    return _frame(engine, stmt, dtypes)


def _q_towns(engine: Engine, run_id: int, scope=None) -> pd.DataFrame:
    stmt = select(t.towns.c.ags, t.towns.c.name).where(t.towns.c.run_id == run_id)
    stmt = _where(stmt, t.towns.c.ags, scope).order_by(t.towns.c.name)
    return _frame(engine, stmt, {"ags": _STR, "name": _STR})


def _q_catalogue(engine: Engine, run_id: int, scope=None) -> pd.DataFrame:  # noqa: ARG001 - same for every town
    c = t.mart_indicator_catalogue.c
    stmt = select(*_published_columns(t.mart_indicator_catalogue)).where(c.run_id == run_id)
    stmt = stmt.order_by(c.family, c.indicator)
    dtypes = {col.name: _STR for col in _published_columns(t.mart_indicator_catalogue)}
    dtypes["higher_is_better"] = "boolean"
    return _frame(engine, stmt, dtypes)


def _town_names(table):  # noqa: ANN001, ANN202 - a Table with town_ags and run_id; the join
    """``table`` joined to the town names of the same run."""
    return table.outerjoin(t.towns, (t.towns.c.ags == table.c.town_ags) & (t.towns.c.run_id == table.c.run_id))


_VALUE_DTYPES = {
    "town_ags": _STR,
    "town_name": _STR,
    "indicator": _STR,
    "year": "int64",
    "breakdown": _STR,
    "group": _STR,
    "value": "float64",
    "n": "Int64",
    "ci_low": "float64",
    "ci_high": "float64",
    "suppressed": "bool",
    "suppression": _STR,
    "weighted": "boolean",
    "unweighted_reason": _STR,
    "run_id": "int64",
    "source_files": _STR,
    "computed_run": "Int64",
}


def _q_indicators(
    engine: Engine, run_id: int, town=None, indicator=None, year=None, breakdown=None, scope=None, public=None
) -> pd.DataFrame:
    v = t.mart_indicator_values.c
    stmt = select(
        v.town_ags,
        t.towns.c.name.label("town_name"),
        v.indicator,
        v.year,
        v.breakdown,
        v.group,
        v.value,
        v.n,
        v.ci_low,
        v.ci_high,
        v.suppressed,
        v.suppression,
        v.weighted,
        v.unweighted_reason,
        v.run_id,
        v.source_files,
        v.computed_run,
    ).select_from(_town_names(t.mart_indicator_values))
    stmt = stmt.where(v.run_id == run_id)
    stmt = _published(_where(_where(stmt, v.town_ags, scope), v.town_ags, town), v.town_ags, v.indicator, public)
    stmt = _where(stmt, v.indicator, indicator)
    stmt = _where(stmt, v.year, year)
    stmt = _where(stmt, v.breakdown, breakdown)
    stmt = stmt.order_by(v.town_ags, v.indicator, v.year, v.breakdown, v.group)
    return _frame(engine, stmt, _VALUE_DTYPES)


def _q_years(engine: Engine, run_id: int, town=None, scope=None, public=None) -> pd.DataFrame:
    v = t.mart_indicator_values.c
    stmt = _where(_where(select(v.year).distinct().where(v.run_id == run_id), v.town_ags, scope), v.town_ags, town)
    stmt = _published(stmt, v.town_ags, v.indicator, public).order_by(v.year)
    return _frame(engine, stmt, {"year": "int64"})


def _q_comparison(
    engine: Engine, run_id: int, indicator=None, year=None, town=None, peer_group=None, scope=None, public=None
) -> pd.DataFrame:
    c = t.mart_comparison.c
    stmt = select(*_published_columns(t.mart_comparison), t.towns.c.name.label("town_name")).select_from(
        _town_names(t.mart_comparison)
    )
    stmt = _where(stmt.where(c.run_id == run_id), c.indicator, indicator)
    stmt = _where(stmt, c.year, year)
    stmt = _published(_where(_where(stmt, c.town_ags, scope), c.town_ags, town), c.town_ags, c.indicator, public)
    stmt = _where(stmt, c.peer_group, peer_group)
    stmt = stmt.order_by(c.indicator, c.year, c.network_rank, c.town_ags)
    ints = ["year", "network_rank", "network_towns"]
    floats = ["value", "network_median", "network_q1", "network_q3", "peer_median", "peer_q1", "peer_q3"]
    dtypes = {"town_ags": _STR, "town_name": _STR, "indicator": _STR, "peer_group": _STR}
    dtypes |= {c_: "int64" for c_ in ints} | {c_: "float64" for c_ in floats}
    dtypes |= {c_: "Int64" for c_ in ("peer_rank", "peer_towns", "peer_rank_best", "peer_rank_worst")}
    dtypes |= {"network_rank_best": "Int64", "network_rank_worst": "Int64"}
    frame = _frame(engine, stmt, dtypes)
    if scope is not None:  # a town's reader: no aggregate over so few towns that it gives away their values
        for prefix in ("network", "peer"):
            few = (frame[f"{prefix}_towns"].fillna(0) < MIN_TOWNS_FOR_AGGREGATES).to_numpy(dtype=bool)
            frame.loc[few, [f"{prefix}_median", f"{prefix}_q1", f"{prefix}_q3"]] = float("nan")
    return frame


def _q_nodes(engine: Engine, run_id: int, town=None, year=None, scope=None) -> pd.DataFrame:
    c = t.mart_network_nodes.c
    stmt = select(*_published_columns(t.mart_network_nodes)).where(c.run_id == run_id)
    stmt = _where(_where(_where(stmt, c.town_ags, scope), c.town_ags, town), c.year, year)
    stmt = stmt.order_by(c.town_ags, c.year, c.org_id)
    dtypes = {"town_ags": _STR, "year": "int64", "org_id": _STR, "name": _STR, "sector": _STR}
    return _frame(engine, stmt, dtypes | {"degree": "int64", "x": "float64", "y": "float64"})


def _q_ties(engine: Engine, run_id: int, town=None, year=None, scope=None) -> pd.DataFrame:
    c = t.mart_network_ties.c
    stmt = select(*_published_columns(t.mart_network_ties)).where(c.run_id == run_id)
    stmt = _where(_where(_where(stmt, c.town_ags, scope), c.town_ags, town), c.year, year)
    stmt = stmt.order_by(c.town_ags, c.year, c.org_a, c.org_b)
    dtypes = {"town_ags": _STR, "year": "int64", "org_a": _STR, "org_b": _STR}
    return _frame(engine, stmt, dtypes | {"sector_a": _STR, "sector_b": _STR, "freq": "int64"})


def _q_goals(engine: Engine, run_id: int, town=None, scope=None) -> pd.DataFrame:
    c = t.mart_goals.c
    stmt = select(*_published_columns(t.mart_goals)).where(c.run_id == run_id)
    stmt = _where(_where(stmt, c.town_ags, scope), c.town_ags, town).order_by(c.town_ags, c.goal_id)
    dtypes = {n: _STR for n in ("town_ags", "goal_id", "title", "principle", "indicator", "unit", "status")}
    dtypes |= {n: "float64" for n in ("baseline", "target", "current", "progress", "expected")}
    dtypes |= {n: "date" for n in ("baseline_date", "target_date", "current_date", "as_of")}
    return _frame(engine, stmt, dtypes)


def _q_goal_status(engine: Engine, run_id: int, town=None, year=None, scope=None) -> pd.DataFrame:
    s, g = t.mart_goal_status.c, t.mart_goals.c
    described = [g.title, g.principle, g.indicator, g.unit, g.baseline, g.baseline_date, g.target, g.target_date]
    on = (g.town_ags == s.town_ags) & (g.goal_id == s.goal_id) & (g.run_id == s.run_id)
    stmt = select(*_published_columns(t.mart_goal_status), *described).select_from(
        t.mart_goal_status.join(t.mart_goals, on)
    )
    stmt = _where(stmt.where(s.run_id == run_id), s.town_ags, scope)
    stmt = _where(_where(stmt, s.town_ags, town), s.year, year)
    stmt = stmt.order_by(s.town_ags, s.goal_id, s.year)
    dtypes = {n: _STR for n in ("town_ags", "goal_id", "title", "principle", "indicator", "unit", "status")}
    dtypes |= {n: "float64" for n in ("baseline", "target", "current", "previous", "progress", "expected")}
    dtypes |= {n: "date" for n in ("baseline_date", "target_date", "status_date", "current_date", "previous_date")}
    dtypes |= {n: "int64" for n in ("year", "measures", "measures_done", "measures_overdue")}
    dtypes |= {"measures_delayed": "Int64", "late_lead_sectors": _STR}
    return _frame(engine, stmt, dtypes)


def _q_goal_status_counts(engine: Engine, run_id: int, town=None, year=None, scope=None) -> pd.DataFrame:
    s, g = t.mart_goal_status.c, t.mart_goals.c
    stmt = (
        select(s.town_ags, s.year, s.status, g.principle, func.count().label("goals"))
        .select_from(
            t.mart_goal_status.join(
                t.mart_goals, (g.town_ags == s.town_ags) & (g.goal_id == s.goal_id) & (g.run_id == s.run_id)
            )
        )
        .where(s.run_id == run_id)
        .group_by(s.town_ags, s.year, s.status, g.principle)
    )
    stmt = _where(_where(_where(stmt, s.town_ags, scope), s.town_ags, town), s.year, year)
    stmt = stmt.order_by(s.town_ags, s.year, s.status, g.principle)
    dtypes = {"town_ags": _STR, "year": "int64", "status": _STR, "principle": _STR, "goals": "int64"}
    return _frame(engine, stmt, dtypes)


def _q_measure_counts(engine: Engine, run_id: int, town=None, scope=None) -> pd.DataFrame:
    c = t.mart_measures.c
    overdue = func.sum(case((c.overdue, 1), else_=0)).label("overdue")
    stmt = select(c.town_ags, c.status, func.count().label("measures"), overdue).where(c.run_id == run_id)
    stmt = stmt.group_by(c.town_ags, c.status)
    stmt = _where(_where(stmt, c.town_ags, scope), c.town_ags, town).order_by(c.town_ags, c.status)
    return _frame(engine, stmt, {"town_ags": _STR, "status": _STR, "measures": "int64", "overdue": "int64"})


def _q_network_trend(engine: Engine, run_id: int, indicator=None, scope=None, public=None) -> pd.DataFrame:
    c = t.mart_comparison.c
    columns = (c.indicator, c.year, c.network_median, c.network_q1, c.network_q3, c.network_towns)
    stmt = select(*columns).distinct().where(c.run_id == run_id)
    stmt = _published(_where(stmt, c.town_ags, scope), c.town_ags, c.indicator, public)
    stmt = _where(stmt, c.indicator, indicator).order_by(c.indicator, c.year)
    dtypes = {"indicator": _STR, "year": "int64", "network_towns": "int64"}
    frame = _frame(engine, stmt, dtypes | {n: "float64" for n in ("network_median", "network_q1", "network_q3")})
    frame = frame.drop_duplicates(["indicator", "year"]).reset_index(drop=True)
    if scope is not None:  # as in comparison(): no aggregate over so few towns that it gives their values away
        few = (frame["network_towns"] < MIN_TOWNS_FOR_AGGREGATES).to_numpy(dtype=bool)
        frame.loc[few, ["network_median", "network_q1", "network_q3"]] = float("nan")
    return frame


def _q_comparison_keys(engine: Engine, run_id: int, scope=None, public=None) -> pd.DataFrame:
    c = t.mart_comparison.c
    stmt = _published(
        _where(select(c.indicator, c.peer_group).distinct().where(c.run_id == run_id), c.town_ags, scope),
        c.town_ags,
        c.indicator,
        public,
    )
    return _frame(engine, stmt.order_by(c.indicator, c.peer_group), {"indicator": _STR, "peer_group": _STR})


def _q_goal_values(engine: Engine, run_id: int, town=None, goal=None, scope=None) -> pd.DataFrame:
    c = t.mart_goal_values.c
    stmt = select(*_published_columns(t.mart_goal_values)).where(c.run_id == run_id)
    stmt = _where(_where(_where(stmt, c.town_ags, scope), c.town_ags, town), c.goal_id, goal)
    stmt = stmt.order_by(c.town_ags, c.goal_id, c.date)
    return _frame(engine, stmt, {"town_ags": _STR, "goal_id": _STR, "date": "date", "value": "float64"})


def _q_measures(engine: Engine, run_id: int, town=None, goal=None, scope=None) -> pd.DataFrame:
    c = t.mart_measures.c
    stmt = select(*_published_columns(t.mart_measures)).where(c.run_id == run_id)
    stmt = _where(_where(_where(stmt, c.town_ags, scope), c.town_ags, town), c.goal_id, goal)
    stmt = stmt.order_by(c.town_ags, c.goal_id, c.measure_id)
    dtypes = {n: _STR for n in ("town_ags", "measure_id", "goal_id", "title", "lead_sector", "status")}
    dtypes |= {n: "date" for n in ("start", "due", "as_of")} | {"level": "Int64", "overdue": "bool"}
    return _frame(engine, stmt, dtypes)


def _q_districts(engine: Engine, run_id: int, town=None, scope=None) -> pd.DataFrame:
    c = t.mart_districts.c
    stmt = select(*_published_columns(t.mart_districts)).where(c.run_id == run_id)
    stmt = _where(_where(stmt, c.town_ags, scope), c.town_ags, town)
    stmt = stmt.order_by(c.town_ags, c.code)
    dtypes = {n: _STR for n in ("town_ags", "code", "name", "geometry", "source_file")}
    dtypes |= {n: "float64" for n in ("label_lon", "label_lat", "area_km2")}
    if not inspect(engine).has_table(t.mart_districts.name):  # a warehouse written before district maps
        return pd.DataFrame({n: pd.Series(dtype=d) for n, d in dtypes.items()})
    return _frame(engine, stmt, dtypes)


def _sources_of(run_id: int, scope: tuple[str, ...]):
    """Source labels of ``run_id`` that belong to the scope's towns only (a source without a town, such as a
    network-wide population table, or one whose label also names another town's source, belongs to none)."""
    s = t.etl_source_towns.c
    inside = select(s.source).where(s.run_id == run_id, s.town_ags.in_(scope))
    outside = select(s.source).where(s.run_id == run_id, s.town_ags.not_in(scope))
    return inside.except_(outside)


def _scoped_log(engine: Engine, stmt: Select, column, run_id: int, scope, dtypes: dict[str, str]) -> pd.DataFrame:
    """Run-log rows (files, rejects) of the scope's sources; a warehouse written before the source→town
    table existed shows a town none (its rows cannot be told apart)."""
    if scope is None:
        return _frame(engine, stmt, dtypes)
    if not inspect(engine).has_table(t.etl_source_towns.name):
        return _frame(engine, stmt.where(column.is_(None)), dtypes)
    return _frame(engine, stmt.where(column.in_(_sources_of(run_id, scope))), dtypes)


def _q_runs(engine: Engine, run_id: int, scope=None) -> pd.DataFrame:
    f, r = t.etl_run_files.c, t.etl_runs.c
    stmt = (
        select(
            f.run_id,
            f.source,
            f.kind,
            f.file,
            f.rows_read,
            f.rows_accepted,
            f.rows_rejected,
            f.rows_skipped,
            f.status,
            f.message,
            f.message_code,
            f.message_params,
            r.started_at,
            r.finished_at,
            r.status.label("run_status"),
            r.project_name,
            r.min_cell,
            r.as_of,
            r.demo_key,
            f.file_modified,
        )
        .select_from(t.etl_run_files.join(t.etl_runs, r.run_id == f.run_id))
        .where(f.run_id == run_id)
        .order_by(f.source, f.file)
    )
    dtypes = {n: _STR for n in ("source", "kind", "file", "status", "message", "run_status", "project_name")}
    dtypes |= {"message_code": _STR, "message_params": _STR}
    counts = ("rows_read", "rows_accepted", "rows_rejected", "rows_skipped")
    dtypes |= {n: "int64" for n in ("run_id", *counts, "min_cell")}
    dtypes |= {"started_at": "datetime", "finished_at": "datetime", "as_of": "date", "demo_key": "bool"}
    dtypes |= {"file_modified": "datetime"}
    return _scoped_log(engine, stmt, f.source, run_id, scope, dtypes)


def _q_run(engine: Engine, run_id: int, scope=None) -> pd.DataFrame:  # noqa: ARG001 - run metadata only
    stmt = select(t.etl_runs).where(t.etl_runs.c.run_id == run_id)
    return _frame(engine, stmt, {})


def _q_rejects(engine: Engine, run_id: int, source=None, file=None, scope=None) -> pd.DataFrame:
    c = t.etl_rejects.c
    stmt = select(c.source, c.file, c.row, c.column, c.reason, c.reason_code, c.reason_params).where(c.run_id == run_id)
    stmt = _where(_where(stmt, c.source, source), c.file, file).order_by(c.source, c.file, c.row, c.column)
    dtypes = {"source": _STR, "file": _STR, "row": "int64", "column": _STR, "reason": _STR}
    dtypes |= {"reason_code": _STR, "reason_params": _STR}
    return _scoped_log(engine, stmt, c.source, run_id, scope, dtypes)


_QUERIES: dict[str, Callable[..., pd.DataFrame]] = {
    "towns": _q_towns,
    "catalogue": _q_catalogue,
    "indicators": _q_indicators,
    "years": _q_years,
    "comparison": _q_comparison,
    "nodes": _q_nodes,
    "ties": _q_ties,
    "goals": _q_goals,
    "goal_status": _q_goal_status,
    "goal_values": _q_goal_values,
    "goal_status_counts": _q_goal_status_counts,
    "measure_counts": _q_measure_counts,
    "comparison_keys": _q_comparison_keys,
    "network_trend": _q_network_trend,
    "measures": _q_measures,
    "districts": _q_districts,
    "runs": _q_runs,
    "run": _q_run,
    "rejects": _q_rejects,
    "published": _q_published,
}

# --- public API ------------------------------------------------------------------------------------------


def towns(db: DbArg = None) -> pd.DataFrame:
    """The towns of the warehouse, by name. Columns: ``ags`` (8-digit AGS, string), ``name``."""
    return _read(db, "towns")


def town_count(db: DbArg = None) -> int:
    """How many towns the warehouse holds — the network's size, an aggregate every reader may see (a town's
    reader sees only its own row of :func:`towns`)."""
    current_scope()  # refused without a scope where one is required, like every read
    engine = _engine(db)
    return len(_cached(engine, _run_key(engine), "towns", (("scope", None),)))


def catalogue(db: DbArg = None) -> pd.DataFrame:
    """Every indicator's definition (``mart_indicator_catalogue``).

    Columns: ``indicator`` (id), ``family`` (participation, collaboration, goals), ``name_de``/``name_en``,
    ``description_*``, ``formula_*``, ``unit`` (share 0–1, count, per_1000, hours, index, score,
    difference), ``principle`` (e.g. "P2, W1"), ``source_kind``, ``breakdowns`` (comma-separated),
    ``higher_is_better`` (nullable boolean).
    """
    return _read(db, "catalogue")


def indicators(
    town: Filter = None,
    indicator: Filter = None,
    year: Filter = None,
    breakdown: Filter = "",
    db: DbArg = None,
) -> pd.DataFrame:
    """Stored indicator values (``mart_indicator_values``) with the town's name.

    ``breakdown=""`` (the default) gives town totals only, ``None`` every breakdown, a name (``"gender"``)
    or a list that breakdown. Each filter takes one value or a list. Columns: ``town_ags``, ``town_name``,
    ``indicator``, ``year``, ``breakdown`` and ``group`` ('' for the town total), ``value`` (rates as
    fractions 0–1; NaN when suppressed), ``n`` (unweighted persons/organisations/events behind it, <NA>
    when suppressed), ``ci_low``/``ci_high`` (95 % interval where there is one), ``suppressed`` (bool),
    ``suppression`` (why: '' shown, ``primary`` fewer than min_cell behind it, ``secondary`` hidden so that a
    small group cannot be computed from the numbers shown), ``weighted`` (survey rates: True weighted,
    False unweighted; <NA> for other indicators), ``unweighted_reason`` (where ``weighted`` is False, why the
    town-year's survey is unweighted: ``no_population`` no population of the town for that year nor an earlier
    one, ``population_zero`` the population year used counts nobody aged 14+, ``no_raking_respondents`` no
    respondent with gender w/m and an age band of 14+, ``no_finite_weights`` raking gives no finite weights
    because the respondents cannot represent the population's age/gender shares; <NA> where weighted, for other
    indicators, and in runs written before the reason was stored), ``run_id``, ``source_files`` (provenance).
    """
    return _read(db, "indicators", town=town, indicator=indicator, year=year, breakdown=breakdown)


def years(town: str | None = None, db: DbArg = None) -> list[int]:
    """The years with any indicator value (of ``town``, or of any town), ascending."""
    return [int(y) for y in _read(db, "years", town=town)["year"]]


def comparison(
    indicator: Filter = None,
    year: Filter = None,
    town: Filter = None,
    peer_group: Filter = None,
    db: DbArg = None,
) -> pd.DataFrame:
    """The cross-town comparison (``mart_comparison``, brief §5.6) with the town's name.

    One row per town, town-level indicator and year with a (shown) value: ``value``, ``network_median``,
    ``network_q1``/``network_q3`` (quartiles over the towns with a value), ``network_rank`` (1 = highest),
    ``network_towns``, ``network_rank_best``/``network_rank_worst`` (the ranks the town could take given
    the 95 % intervals), ``peer_group`` (population class) and the same figures within it (``peer_*``).
    """
    return _read(db, "comparison", indicator=indicator, year=year, town=town, peer_group=peer_group)


def network_nodes(town: Filter = None, year: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """Organisations of the collaboration network per wave (``mart_network_nodes``).

    Columns: ``town_ags``, ``year`` (survey wave), ``org_id``, ``name``, ``sector`` (civil_society,
    politics, administration, business), ``degree`` (number of ties), ``x``/``y`` (stable layout).
    """
    return _read(db, "nodes", town=town, year=year)


def network_ties(town: Filter = None, year: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """Undirected ties (``mart_network_ties``): ``org_a``, ``org_b``, their sectors and ``freq`` (0–4)."""
    return _read(db, "ties", town=town, year=year)


def goals(town: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """Each goal with its state as of the run's as-of date (``mart_goals``, brief §5.5).

    Columns: ``goal_id``, ``title``, ``principle``, ``indicator`` (linked indicator or <NA>), ``unit``,
    ``baseline``/``baseline_date``, ``target``/``target_date``, ``current``/``current_date``,
    ``progress`` and ``expected`` (fractions), ``status`` (achieved, on_track, at_risk, off_track,
    no_data), ``as_of``. Dates are ``datetime.date`` objects.
    """
    return _read(db, "goals", town=town)


def goal_status(town: Filter = None, year: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """Each goal's status at the end of each year (``mart_goal_status`` with the goal's plan, brief §5.5).

    One row per goal and ``year``: the status as of ``status_date`` = 31.12. of that year, or, for the year
    of the run's as-of date, as of that date. Columns: ``goal_id``, ``year``, ``status_date``,
    ``current``/``current_date``, ``previous``/``previous_date`` (the measurement before), ``progress``,
    ``expected``, ``status``, the goal's measures on that date (``measures`` without cancelled ones,
    ``measures_done``, ``measures_overdue``, ``measures_delayed`` – known on the as-of date only,
    ``late_lead_sectors``), and from the plan ``title``, ``principle``, ``indicator``, ``unit``,
    ``baseline``/``baseline_date``, ``target``/``target_date``.
    """
    return _read(db, "goal_status", town=town, year=year)


def goal_status_counts(town: Filter = None, year: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """How many goals had each status at the end of each year, per town and principle — one grouped query over
    ``mart_goal_status``, for the network's "Wo hakt es?" (towns × status) without reading every goal.

    Columns: ``town_ags``, ``year``, ``status``, ``principle`` (of the goals), ``goals`` (how many).
    """
    return _read(db, "goal_status_counts", town=town, year=year)


def measure_counts(town: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """The measures of each town by status (``mart_measures``, one grouped query): ``town_ags``, ``status``,
    ``measures`` (how many), ``overdue`` (how many of them are overdue)."""
    return _read(db, "measure_counts", town=town)


def network_trend(indicator: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """The network's median and quartiles per indicator and year (``mart_comparison``, one row per pair rather
    than one per town): ``indicator``, ``year``, ``network_median``, ``network_q1``, ``network_q3``,
    ``network_towns``."""
    return _read(db, "network_trend", indicator=indicator)


def comparison_keys(db: DbArg = None) -> pd.DataFrame:
    """The indicators and peer groups ``mart_comparison`` holds (distinct pairs: ``indicator``, ``peer_group``),
    for the comparison page's selectors without reading the whole comparison."""
    return _read(db, "comparison_keys")


def goal_values(town: Filter = None, goal: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """A goal's measured values over time (``mart_goal_values``): ``goal_id``, ``date``, ``value``."""
    return _read(db, "goal_values", town=town, goal=goal)


def measures(town: Filter = None, goal: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """The measures of the goal plans (``mart_measures``).

    Columns: ``measure_id``, ``goal_id``, ``title``, ``lead_sector``, ``start``, ``due``, ``status``
    (geplant, laufend, umgesetzt, verzögert, abgebrochen), ``level`` (Wirkungstreppe 1–7),
    ``overdue`` (not done nor cancelled and due before the as-of date), ``as_of``.
    """
    return _read(db, "measures", town=town, goal=goal)


def districts(town: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """District shapes for maps (``mart_districts``), by town and code; empty where a town has none.

    Columns: ``town_ags``, ``code`` (the district code the breakdowns use, a string with its leading
    zeros), ``name`` (<NA> when the file names none), ``geometry`` (GeoJSON Polygon/MultiPolygon text,
    WGS 84 longitude/latitude, simplified for display), ``label_lon``/``label_lat`` (a point inside the
    district for its label), ``area_km2`` (of the shape as read), ``source_file``.
    """
    return _read(db, "districts", town=town)


def runs(db: DbArg = None) -> pd.DataFrame:
    """The run read (the latest, or the one of :func:`at_run`), one row per file read (``etl_run_files``)
    with the run's metadata (``etl_runs``).

    Columns: ``run_id``, ``source``, ``kind``, ``file``, ``rows_read``, ``rows_accepted``, ``rows_rejected``,
    ``rows_skipped`` (population rows of regions outside the manifest), ``status`` (ok, rejects, failed),
    ``message`` (German), ``message_code`` and ``message_params`` (the message's parts in
    :mod:`etl.messages`; :func:`message_text` renders them in either language; missing for runs of older
    versions), ``started_at``, ``finished_at``, ``run_status`` (ok, partial), ``project_name``, ``min_cell``,
    ``as_of``, ``demo_key``, ``file_modified`` (the file's time stamp when it was read).
    """
    return _read(db, "runs")


def latest_run(db: DbArg = None) -> RunInfo:
    """The metadata of the run the reads show: the latest, or inside :func:`at_run` the run chosen there (a
    ``?run=N`` link shows run N's threshold, date and demo flag). Raises :class:`WarehouseError` without one."""
    row = _read(db, "run").iloc[0]
    licence = row.get("licence")
    return RunInfo(
        run_id=int(row["run_id"]),
        started_at=pd.Timestamp(row["started_at"]).to_pydatetime(),
        finished_at=pd.Timestamp(row["finished_at"]).to_pydatetime(),
        status=str(row["status"]),
        source_dir=str(row["source_dir"]),
        project_name=str(row["project_name"]),
        min_cell=int(row["min_cell"]),
        as_of=pd.Timestamp(row["as_of"]).date(),
        demo_key=bool(row["demo_key"]),
        licence=str(licence) if isinstance(licence, str) and licence else DEFAULT_LICENCE,
    )


def published_runs(db: DbArg = None) -> pd.DataFrame:
    """The runs whose published figures the warehouse keeps (each readable with :func:`at_run`), newest
    first: ``run_id``, ``started_at``, ``finished_at`` (the "Datenstand"), ``status`` (ok, partial),
    ``project_name``, ``min_cell``, ``as_of``, ``demo_key``, ``licence`` (None: runs of an older version,
    counted as CC-BY-4.0). Older runs are pruned by ``[project] keep_runs``; their run log stays."""
    return _read(db, "published")


def rejects(source: Filter = None, file: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """The rejected rows of the run read (``etl_rejects``): ``source``, ``file``, ``row`` (as the
    spreadsheet numbers it, header = 1), ``column``, the German ``reason``, and ``reason_code`` and
    ``reason_params`` (the reason in :mod:`etl.messages`; :func:`reason_text` renders it in either language)."""
    return _read(db, "rejects", source=source, file=file)


def reason_text(row: Mapping[str, object], lang: str = "de") -> str:
    """A reject's reason (a row of :func:`rejects`) in ``lang`` (``de`` or ``en``): :func:`etl.messages.render`.

    German is the stored text; English is rendered from ``reason_code``/``reason_params``; a run of an older
    version without codes shows its German text in both languages.
    """
    from etl import messages

    return messages.render({k: row.get(k) for k in ("reason", "reason_code", "reason_params")}, lang)


def message_text(row: Mapping[str, object], lang: str = "de") -> str:
    """A file's message (a row of :func:`runs`) in ``lang`` (``de`` or ``en``), like :func:`reason_text`."""
    from etl import messages

    return messages.render({k: row.get(k) for k in ("message", "message_code", "message_params")}, lang)


def data_date(db: DbArg = None) -> dt.datetime | None:
    """When the data shown was written ("Datenstand"): ``finished_at`` of the run read (the latest, or the
    one of :func:`at_run`), None without one."""
    if not check(db).ok:
        return None
    return latest_run(db).finished_at


def clear_cache() -> None:
    """Forget every cached read (tests; a new run needs no call: reads are keyed on the run, :class:`RunKey`)."""
    _cached.cache_clear()


# Record-level and wide reads for researchers (issue 7) live in etl.records, which builds on this module;
# they are served from here too, so that ``from etl import warehouse`` stays the one entry point. Resolved on
# first use (PEP 562): a plain import here would be circular whichever of the two modules is imported first.
_RECORD_READS = (
    "events",
    "indicators_wide",
    "organisations",
    "partner_responses",
    "population",
    "registrations",
    "survey_responses",
    "ties",
)
__all__ += list(_RECORD_READS)


def __getattr__(name: str) -> object:
    if name in _RECORD_READS:
        from etl import records

        return getattr(records, name)
    raise AttributeError(f"module 'etl.warehouse' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_RECORD_READS])
