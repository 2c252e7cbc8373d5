"""A storage for Flask-Limiter's counters that every worker process of one server shares.

``limits`` ships memory (one process), Redis, Memcached, MongoDB and etcd storages; a dashboard on one
machine has none of those servers, so the counters live in a diskcache directory (SQLite underneath,
atomic across processes) in the server's runtime folder. Registered with ``limits`` under the scheme
``engage-dir`` (``engage-dir:///path/to/folder``); only the fixed-window strategy is offered.
"""

from __future__ import annotations

import sqlite3
import time
import urllib.parse

import diskcache
from limits.storage import Storage


class DirectoryStorage(Storage):
    STORAGE_SCHEME = ["engage-dir"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: float | str | bool) -> None:
        path = urllib.parse.unquote(urllib.parse.urlparse(uri).path)
        self._cache = diskcache.Cache(path, timeout=5)
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return (diskcache.Timeout, sqlite3.Error, OSError)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        with self._cache.transact():
            if self._cache.add(key, amount, expire=expiry):
                return amount
            try:
                return int(self._cache.incr(key, amount, default=None))
            except KeyError:  # expired between add and incr
                self._cache.set(key, amount, expire=expiry)
                return amount

    def get(self, key: str) -> int:
        return int(self._cache.get(key, default=0))

    def get_expiry(self, key: str) -> float:
        _value, expire_time = self._cache.get(key, default=None, expire_time=True)
        return float(expire_time) if expire_time else time.time()

    def check(self) -> bool:
        try:
            self._cache.get("__check__")
        except self.base_exceptions:
            return False
        return True

    def reset(self) -> int | None:
        return self._cache.clear()

    def clear(self, key: str) -> None:
        self._cache.delete(key)
