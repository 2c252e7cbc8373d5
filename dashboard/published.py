"""Published runs in the dashboard (issue 17): ``?run=N`` on any URL, its banner, and ``/daten/lauf-N.zip``.

A council decided on the figures of a date; a researcher cited them. A link with ``?run=N`` shows the
dashboard exactly as after run N: one ``before_request`` hook reads N (from the page's query string, or for
Dash's background requests from the ``X-Engage-Run`` header that ``assets/run.js`` adds from the page's URL)
and makes every warehouse read of the request read run N (:func:`etl.warehouse.set_run`), so no view needs
to know. The hook runs after the sign-in gate and before the callback cache, whose keys name the run read.

The number comes from a link anyone can edit: only 1–9 digits naming a run the warehouse still keeps count;
anything else is ignored (the latest run is shown, and the shell says which run was asked for). The package
download answers a German 404 instead. The package is built in the reader's sign-in scope: a town's account
gets its own town only, whatever the link asks for.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from pathlib import Path

import diskcache
import flask

from dashboard.caching import CACHE_ERRORS
from dashboard.formatting import fmt_date
from dashboard.i18n import t
from etl import warehouse
from etl.messages import Msg
from etl.package import PackageError, package_files, zip_bytes

RUN_HEADER = "X-Engage-Run"
_RUN = re.compile(r"[0-9]{1,9}")


def parse_run(raw: object) -> int | None:
    """The run number of a link (``"3"`` → 3), None for anything else (empty, signs, letters, huge)."""
    if not isinstance(raw, str) or not _RUN.fullmatch(raw.strip()):
        return None
    number = int(raw.strip())
    return number if number >= 1 else None


def kept_runs(db: str | None) -> dict[int, object]:
    """The runs whose figures the warehouse keeps → their "Datenstand" (finished_at); {} without a warehouse."""
    if not warehouse.check(db).ok:
        return {}
    try:
        with warehouse.at_run(None):
            frame = warehouse.published_runs(db=db)
    except warehouse.WarehouseError:
        return {}
    return {int(r): f for r, f in zip(frame["run_id"], frame["finished_at"], strict=True)}


def banner(raw: object, db: str | None, lang: str) -> tuple[str, str]:
    """(banner, message) for a link's ``run`` value: "Stand von Lauf N (dd.mm.yyyy)" for a kept run, else a
    message that the latest run is shown ('' and '' without ``run``)."""
    if raw in (None, ""):
        return "", ""
    runs = kept_runs(db)
    number = parse_run(raw)
    if number in runs:
        return t("run.banner", lang, run=number, date=fmt_date(runs[number], lang)), ""
    kept = ", ".join(str(r) for r in sorted(runs)) or "–"
    return "", t("run.unknown", lang, run=str(raw)[:20], runs=kept)


PACKAGE_CACHE_BYTES = 1024 * 2**20


def install(server: flask.Flask, db: str | None, cache_dir: Path) -> None:
    """The run hook and the package route on ``server`` (after the sign-in gate, before the callback cache).

    A kept run's package never changes, so each (run, scope, town) is built once and kept in ``cache_dir``
    (shared by the worker processes): at network scale a build reads every indicator value of the run.
    """
    packages = diskcache.Cache(str(cache_dir), size_limit=PACKAGE_CACHE_BYTES, timeout=5)

    @server.before_request
    def choose_run() -> None:
        request = flask.request
        raw = request.headers.get(RUN_HEADER) if request.path.startswith("/_dash-") else request.args.get("run")
        number = parse_run(raw)
        if number is not None and number in kept_runs(db):
            flask.g.engage_run_token = warehouse.set_run(number)

    @server.teardown_request
    def _reset_run(_exc: BaseException | None) -> None:
        token = flask.g.pop("engage_run_token", None)
        if token is not None:
            warehouse.reset_run(token)

    @server.route("/daten/lauf-<raw>.zip")
    def run_package(raw: str) -> flask.Response:
        """Run N's data package (``?town=AGS``: one town's) in the reader's scope; German 404 otherwise."""
        lang = "en" if flask.request.args.get("lang") == "en" else "de"
        number, runs = parse_run(raw), kept_runs(db)
        if number is None or number not in runs:
            return _not_found(t("run.no_package", lang, run=raw[:20]))
        town = flask.request.args.get("town") or None
        if town == "netzwerk":
            town = None
        if town is not None and not re.fullmatch(r"[0-9]{8}", town):
            return _not_found(Msg("pkg_town_unknown", town=town[:20]).text(lang))
        scope = warehouse.current_scope()
        # the run's end names it beyond its number: a warehouse built anew starts again at run 1
        stamp = (db, number, str(runs[number]), scope.key, scope.public_key, town)
        key = hashlib.sha256(repr(stamp).encode()).hexdigest()
        body = _cache_get(packages, key)
        if body is None:
            try:
                with warehouse.at_run(number):
                    body = zip_bytes(package_files(town=town, db=db))
            except (PackageError, warehouse.WarehouseError) as exc:
                return _not_found(exc.text(lang))
            _cache_set(packages, key, body)
        name = f"engagement-monitor-lauf-{number}" + (f"-{town}" if town else "") + ".zip"
        response = flask.Response(body, mimetype="application/zip")
        response.headers["Content-Disposition"] = f"attachment; filename={name}"
        response.headers["Cache-Control"] = "private, no-store"
        return response


def _cache_get(cache: diskcache.Cache, key: str) -> bytes | None:
    try:
        return cache.get(key)
    except CACHE_ERRORS:  # a locked or damaged cache is a miss
        return None


def _cache_set(cache: diskcache.Cache, key: str, body: bytes) -> None:
    with contextlib.suppress(*CACHE_ERRORS):
        cache.set(key, body)


def _not_found(message: str) -> flask.Response:
    return flask.Response(message + "\n", status=404, mimetype="text/plain; charset=utf-8")
