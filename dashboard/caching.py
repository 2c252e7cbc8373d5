"""Caches shared by every worker process of one server, and the cache headers of the static files.

Callback answers: a page load fires a dozen callbacks whose answers depend only on their arguments
(which callback, which town, year, language and controls), the reader's towns (scope) and the warehouse's
latest run. They are kept in a diskcache folder of the server's runtime directory, keyed on exactly these
(the run's number and start time are read from the warehouse for every request, :class:`etl.warehouse.RunKey`),
so a new ETL run — also the run 1 of a warehouse built anew — is never answered with numbers of the previous
one, and a town's account never gets an answer computed for another scope. Callbacks whose answer names the
signed-in person (:data:`PER_USER_OUTPUTS`) are never cached.

Compressed bodies (flask-compress, brotli or gzip): compressing plotly.js (1.5 MB) costs more than serving
it, so compressed static files and cached callback answers are compressed once and kept, keyed on their
fingerprinted URL or on the callback key; other answers (pages, sign-in) are compressed per request.

Finished static answers and page shells (the HTML of a page URL, the same for every user) are also kept
whole in each worker's memory, per URL and Accept-Encoding: Dash would otherwise read plotly.js (1.5 MB) from
its file and render the 100 KB page HTML anew for every first visit of every user.

Static files: Dash's fingerprinted component bundles and the ``/assets/`` files (their URLs carry the
file's modification time, ``?m=…``) may be kept by browsers for a year; Dash's unfingerprinted chunks
(plotly.min.js, async-*.js) are revalidated with their ETag (304 when unchanged), so an upgrade never
mixes two versions.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

import diskcache
import flask
from flask_compress import Compress

from dashboard import memo
from etl import warehouse

log = logging.getLogger("engagement_monitor")
CACHE_ERRORS = (diskcache.Timeout, sqlite3.Error, OSError)

UPDATE = "/_dash-update-component"
# the user area names the person; the intake page's answers are per account and carry its CSRF token
PER_USER_OUTPUTS = ("shell-user.", "intake-")
YEAR = 31536000
CALLBACK_CACHE_BYTES = 512 * 2**20
COMPRESSED_CACHE_BYTES = 256 * 2**20
_NO_CACHE = "-"


class _CompressedStore:
    """flask-compress's cache backend: keeps what :func:`_compress_key` names, skips the rest."""

    def __init__(self, directory: Path) -> None:
        self._cache = diskcache.Cache(str(directory), size_limit=COMPRESSED_CACHE_BYTES, timeout=5)
        self._stored: set[str] = set()  # flask-compress sets after every get, hit or not: write once per key

    def get(self, key: str) -> bytes | None:
        return None if key.endswith(";" + _NO_CACHE) else cache_get(self._cache, key)

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";" + _NO_CACHE) or key in self._stored:
            return
        if not cache_set(self._cache, key, value):
            return
        if len(self._stored) > 100_000:
            self._stored.clear()
        self._stored.add(key)


def cache_get(cache: diskcache.Cache, key: str) -> object | None:
    """A cache read that never fails a request: a locked or damaged cache is a miss (and a log line)."""
    try:
        return cache.get(key)
    except CACHE_ERRORS as exc:
        log.warning("Zwischenspeicher nicht lesbar (%s): wird neu berechnet", type(exc).__name__)
        return None


def cache_set(cache: diskcache.Cache, key: str, value: object) -> bool:
    """A cache write that never fails a request; False when it could not be kept."""
    try:
        cache.set(key, value)
    except CACHE_ERRORS as exc:
        log.warning("Zwischenspeicher nicht beschreibbar (%s): Antwort nicht aufbewahrt", type(exc).__name__)
        return False
    return True


def _compress_key(request: flask.Request) -> str:
    """The key a compressed body is kept under, or the no-cache marker."""
    callback_key = flask.g.get("engage_callback_key")
    if callback_key:
        return "cb:" + callback_key
    path = request.path
    if path.startswith("/_dash-component-suites/") or (path.startswith("/assets/") and "m" in request.args):
        return "static:" + request.full_path + ":" + flask.current_app.config["ENGAGE_INSTANCE"]
    if path in ("/_dash-layout", "/_dash-dependencies"):  # the same for every user of one server start
        return "app:" + path + ":" + flask.current_app.config["ENGAGE_INSTANCE"]
    return _NO_CACHE


def _static_cache_control(response: flask.Response) -> None:
    request = flask.request
    path = request.path
    if response.status_code not in (200, 304):
        return
    if path.startswith("/_dash-component-suites/"):
        if response.cache_control.max_age:  # Dash set it: the URL is fingerprinted
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"  # revalidate with the ETag
    elif path.startswith("/assets/"):
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable" if "m" in request.args else "no-cache"
    elif path == "/_favicon.ico":
        response.headers["Cache-Control"] = "public, max-age=604800"
    elif "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"  # pages and data: never kept by a browser or proxy


class _Finished:
    """Finished answers (status 200, compressed as sent) of static files and page shells, per worker."""

    KEPT_HEADERS = ("Content-Type", "Content-Encoding", "ETag", "Vary", "Cache-Control", "Content-Disposition")

    def __init__(self, limit: int = 256) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, str], tuple[bytes, list[tuple[str, str]]]] = OrderedDict()
        self._limit = limit

    @staticmethod
    def key(request: flask.Request) -> tuple[str, str] | None:
        path = request.path
        static = path.startswith("/_dash-component-suites/") or (path.startswith("/assets/") and "m" in request.args)
        shell = request.url_rule is not None and request.url_rule.rule in ("/", "/<path:path>")
        shell = shell or path in ("/_dash-layout", "/_dash-dependencies")  # the same for every user
        if request.method != "GET" or not (static or shell):
            return None
        return request.full_path, request.headers.get("Accept-Encoding", "")

    def get(self, key: tuple[str, str]) -> flask.Response | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
        if hit is None:
            return None
        response = flask.Response(hit[0], status=200)
        for name, value in hit[1]:
            response.headers[name] = value
        return response.make_conditional(flask.request)

    def put(self, key: tuple[str, str], response: flask.Response) -> None:
        if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
            return
        kept = [(h, response.headers[h]) for h in self.KEPT_HEADERS if h in response.headers]
        with self._lock:
            self._items[key] = (response.get_data(), kept)
            while len(self._items) > self._limit:
                self._items.popitem(last=False)


def install(server: flask.Flask, db: str, runtime_dir: Path) -> None:
    """Compression, static cache headers and the shared callback cache on ``server``.

    Register it after the sign-in and the callback check: their ``before_request`` hooks must run first.
    """
    server.config.setdefault("ENGAGE_INSTANCE", secrets.token_hex(4))
    server.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_BR_LEVEL=5,
        COMPRESS_LEVEL=6,
        COMPRESS_CACHE_BACKEND=lambda: _CompressedStore(runtime_dir / "compressed"),
        COMPRESS_CACHE_KEY=_compress_key,
    )
    finished = _Finished()

    @server.before_request
    def finished_answer() -> flask.Response | None:
        key = _Finished.key(flask.request)
        hit = finished.get(key) if key else None
        flask.g.engage_finished_key = key if hit is None else None
        return hit

    @server.after_request  # registered before Compress, so it runs after it: keeps the compressed body
    def keep_finished(response: flask.Response) -> flask.Response:
        key = flask.g.get("engage_finished_key")
        if key:
            finished.put(key, response)
        return response

    Compress(server)
    memo.share(runtime_dir / "results")  # results built from reads (headlines, Methodik tables), every worker
    answers = diskcache.Cache(str(runtime_dir / "callbacks"), size_limit=CALLBACK_CACHE_BYTES, timeout=5)

    @server.before_request
    def cached_answer() -> flask.Response | None:
        request = flask.request
        if request.path != UPDATE or request.method != "POST":
            return None
        parsed = request.get_json(silent=True)  # parsed once per request by Flask, kept for Dash
        output = parsed.get("output", "") if isinstance(parsed, dict) else ""
        if not isinstance(output, str) or any(marker in output for marker in PER_USER_OUTPUTS):
            return None
        status = warehouse.check(db)
        if not status.ok:
            return None
        scope = warehouse.current_scope()
        scope = (scope.key, scope.public_key)  # the whole scope: a town's role and the public view differ
        # The callback's arguments (inputs and states), not changedPropIds: which input fired changes no answer
        # here, as no server callback of the app reads callback_context.triggered (test_caching checks this).
        arguments = json.dumps([output, parsed.get("inputs"), parsed.get("state")], sort_keys=True, default=str)
        # the latest run (number and start: a warehouse built anew starts again at run 1), and a published one
        # read instead (?run=N)
        run = (status.run_key, warehouse.chosen_run())
        key = hashlib.sha256(repr((run, scope, arguments)).encode()).hexdigest()
        flask.g.engage_callback_key = key
        hit = cache_get(answers, key)
        if hit is None:
            return None
        flask.g.engage_callback_hit = True
        response = flask.Response(hit, mimetype="application/json")
        response.headers["X-Engage-Cache"] = "hit"
        return response

    @server.after_request
    def keep_answer(response: flask.Response) -> flask.Response:
        key = flask.g.get("engage_callback_key")
        if key and not flask.g.get("engage_callback_hit") and response.status_code == 200:
            cache_set(answers, key, response.get_data())
            response.headers["X-Engage-Cache"] = "miss"
        _static_cache_control(response)
        return response
