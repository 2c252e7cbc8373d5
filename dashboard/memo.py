"""Results built from warehouse reads, kept per run, reader's scope and arguments (issue 13).

Some results cost more to build than to read and are asked for by several callbacks of the same view: the
headline statements (:func:`dashboard.headlines.headlines`) by the overview cards, every Sitzungsmodus screen
and the report; the Methodik tables by every town and year, as they depend only on the run, the reader and the
language. :func:`remembered` builds such a result once and keeps it, in this process and — after
:func:`share` (the server's runtime folder, :func:`dashboard.caching.install`) — for every worker process.

The key is what the result depends on and nothing can be answered across it: the warehouse, the run the reads
read (latest or a published one, :func:`etl.warehouse.reading_run`), the reader's whole scope (towns and the
public view's pairs) and the caller's arguments (the :class:`~dashboard.state.View` carries town, year and
language). A new ETL run changes the run key (its number and start time, :class:`etl.warehouse.RunKey`: a
warehouse built anew under the same URL starts again at run 1), so a result of a previous run is never returned.
Nothing is computed here that the warehouse did not store: the kept results are the same functions' results.
Callers must treat a kept result as read-only (it is shared between requests).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

import diskcache

from etl import warehouse

log = logging.getLogger("engagement_monitor")
T = TypeVar("T")
LOCAL_ITEMS = 256  # results kept in each process (a Headlines is a few KB)
SHARED_BYTES = 256 * 2**20
_ERRORS = (diskcache.Timeout, sqlite3.Error, OSError, pickle.PickleError, AttributeError, EOFError)

_lock = threading.Lock()
_local: OrderedDict[str, object] = OrderedDict()
_building: dict[str, threading.Lock] = {}
_shared: diskcache.Cache | None = None


def share(directory: Path | None) -> None:
    """Keep results also in ``directory`` for every process that names it (None: this process only)."""
    global _shared
    _shared = diskcache.Cache(str(directory), size_limit=SHARED_BYTES, timeout=5) if directory else None
    clear()


def clear() -> None:
    """Forget the results of this process (tests; the shared folder keys on the run anyway)."""
    with _lock:
        _local.clear()


def key_of(name: str, db: warehouse.DbArg, args: tuple[Hashable, ...]) -> str:
    """The key of a result: warehouse, run read, the reader's scope, the function and its arguments."""
    scope = warehouse.current_scope()
    where = db if isinstance(db, str) or db is None else db.url.render_as_string(hide_password=False)
    parts = (where, warehouse.reading_run(db), warehouse.chosen_run(), scope.key, scope.public_key, name, args)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _get_shared(key: str) -> object | None:
    if _shared is None:
        return None
    try:
        return _shared.get(key)
    except _ERRORS as exc:  # a locked or damaged cache is a miss
        log.warning("Ergebnis-Zwischenspeicher nicht lesbar (%s): wird neu berechnet", type(exc).__name__)
        return None


def _keep(key: str, value: object, shared: bool) -> None:
    with _lock:
        _local[key] = value
        _local.move_to_end(key)
        while len(_local) > LOCAL_ITEMS:
            _local.popitem(last=False)
    if shared and _shared is not None:
        try:
            _shared.set(key, value)
        except _ERRORS as exc:
            log.warning("Ergebnis-Zwischenspeicher nicht beschreibbar (%s)", type(exc).__name__)


def remembered(name: str, db: warehouse.DbArg, args: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """``build()``'s result for ``name`` and ``args`` in the current run and scope, built once.

    Concurrent requests of one process for the same key wait for the first one's result instead of building
    it again (a page's callbacks arrive together). Raises what ``build`` or the run lookup raises.
    """
    key = key_of(name, db, args)
    with _lock:
        if key in _local:
            _local.move_to_end(key)
            return _local[key]  # type: ignore[return-value]
        building = _building.setdefault(key, threading.Lock())
    with building:
        with _lock:
            if key in _local:
                return _local[key]  # type: ignore[return-value]
        found = _get_shared(key)
        value: T = found if found is not None else build()  # type: ignore[assignment]
        _keep(key, value, shared=found is None)
    with _lock:
        _building.pop(key, None)
    return value
