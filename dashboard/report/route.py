"""The report as a download from the dashboard: ``GET /bericht.pdf?town=AGS&year=YYYY[&as_of=YYYY-MM-DD][&lang=en]``.

The same :func:`dashboard.report.build_report` as ``engage report`` writes the PDF, so the download and
the agenda-pack print are one document, in the language of the page it was asked from (``lang``). Errors
(unknown town or year, missing warehouse, a malformed date) answer with the German message as plain text and
status 400/404, never a traceback. Without a town (the network view's link) it answers with a small page that
says the report exists per town and asks for one.

Building a report takes seconds of Chromium and CPU, so it never runs on a request thread (issue 12):

- finished PDFs are kept in the server's runtime folder, keyed on town, year, as-of date, language, the
  warehouse's run id and the reader's scope, and served from there to every worker process; a new ETL run
  retires them;
- each worker process has one builder thread; a lock file lets one build run at a time on the machine,
  and a build first looks whether another process has just written the same PDF;
- the request waits for its PDF up to :data:`WAIT_SECONDS`; after that it answers a German page that
  reloads itself until the PDF is there (the build goes on);
- one account has at most :data:`PENDING_PER_USER` different reports waiting (counted across processes).

The town is checked against the reader's scope like every other read: a town's account asking for another
town's report gets the same 404 as for a town the warehouse does not hold.
"""

from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import hashlib
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from pathlib import Path

import diskcache
import flask
from markupsafe import escape
from sqlalchemy import Engine

from dashboard.i18n import norm_lang, t
from dashboard.report import charts
from dashboard.report.build import ReportError, build_report, resolve_view
from dashboard.state import NETWORK
from etl import warehouse

PATH = "/bericht.pdf"
WAIT_SECONDS = 60
PENDING_PER_USER = 2
PENDING_TTL = 15 * 60  # a pending mark of a process that died is forgotten after this


def demo_prefix(db: str | Engine | None) -> str:
    """``demodaten_`` for a file downloaded from a warehouse built with the public demo key, else ''.

    The file name says so wherever the file ends up (the PDF itself says it on every page).
    """
    try:
        return "demodaten_" if warehouse.latest_run(db=db).demo_key else ""
    except warehouse.WarehouseError:
        return ""


def _text(message: str, status: int) -> flask.Response:
    return flask.Response(message + "\n", status=status, mimetype="text/plain")


def choose_town(db: str | Engine | None, year: str, lang: str) -> flask.Response:
    """The report exists per town: a small page in the reader's language that says so and asks for the town and year."""
    lang = norm_lang(lang)
    try:
        towns = warehouse.towns(db=db)
        years = warehouse.years(db=db)
    except warehouse.WarehouseError as exc:
        return _text(exc.text(lang), 404)
    chosen = year if year in {str(y) for y in years} else (str(years[-1]) if years else "")
    town_options = "".join(
        f'<option value="{escape(str(a))}">{escape(str(n))} ({escape(str(a))})</option>'
        for a, n in zip(towns["ags"], towns["name"], strict=True)
    )
    year_options = "".join(
        f'<option value="{y}"{" selected" if str(y) == chosen else ""}>{y}</option>' for y in reversed(years)
    )
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t("shell.report", lang))}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;color:#212529}}label{{margin-right:.5rem}}
select,button{{font-size:1rem;margin-right:1rem}}</style></head>
<body><main><h1>{escape(t("shell.report", lang))}</h1><p role="status">{escape(t("report.network", lang))}</p>
<form method="get" action="{PATH}">
<label for="town">{escape(t("shell.town", lang))}</label><select id="town" name="town">{town_options}</select>
<label for="year">{escape(t("shell.year", lang))}</label><select id="year" name="year">{year_options}</select>
<button type="submit">{escape(t("report.choose", lang))}</button></form>
<p><a href="/?town={NETWORK}&amp;lang={lang}">{escape(t("page.overview", lang))}</a></p></main></body></html>"""
    return flask.Response(page, status=200, mimetype="text/html")



@contextmanager
def _machine_lock(path: Path) -> Iterator[None]:
    """One holder across all processes of the machine (an advisory lock on ``path``)."""
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class ReportBuilds:
    """The PDF cache, the builder thread of this process and the per-account pending marks."""

    def __init__(self, db: str | Engine | None, folder: Path) -> None:
        self.db = db
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bericht")
        self._futures: dict[str, Future[Path]] = {}
        self._lock = threading.Lock()
        self._pending = diskcache.Cache(str(folder / "pending"), timeout=5)

    def pdf(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def key(
        self,
        town: str,
        year: int,
        as_of: dt.date | None,
        run: warehouse.RunKey,
        scope: warehouse.Scope,
        lang: str = "de",
    ) -> str:
        """The PDF's key: what it shows depends on the language and the reader's scope too (a town's role sees no
        network median over few towns, the public view only what was published), so one scope never gets
        another's PDF and an English page never gets the German one."""
        raw = f"{town}|{year}|{as_of.isoformat() if as_of else ''}|{lang}|{tuple(run)}|{scope.key}|{scope.public_key}"
        return hashlib.sha256(raw.encode()).hexdigest()[:40]

    def reserve(self, user: str, key: str) -> bool:
        """Mark ``key`` as waiting for ``user``; False when the account already waits for enough others (a
        locked mark store lets the request through: the machine-wide build lock still bounds the work)."""
        try:
            return self._reserve(user, key)
        except (diskcache.Timeout, OSError):
            return True

    def _reserve(self, user: str, key: str) -> bool:
        mark = f"pending:{user}"
        with self._pending.transact():
            waiting = {k: until for k, until in (self._pending.get(mark) or {}).items() if until > _now()}
            if key not in waiting and len(waiting) >= PENDING_PER_USER:
                return False
            waiting[key] = _now() + PENDING_TTL
            self._pending.set(mark, waiting, expire=PENDING_TTL)
        return True

    def release(self, user: str, key: str) -> None:
        mark = f"pending:{user}"
        try:
            with self._pending.transact():
                waiting = self._pending.get(mark) or {}
                waiting.pop(key, None)
                self._pending.set(mark, waiting, expire=PENDING_TTL)
        except (diskcache.Timeout, OSError):
            pass  # the mark expires after PENDING_TTL

    def submit(
        self,
        key: str,
        town: str,
        year: int,
        as_of: dt.date | None,
        scope: warehouse.Scope,
        run: int | None = None,
        lang: str = "de",
    ) -> Future[Path]:
        """The build of ``key`` (joined when this process already builds it); ``run``: a published run
        (``?run=N``, issue 17), None the latest; ``lang``: the report's language."""
        with self._lock:
            future = self._futures.get(key)
            if future is None or (future.done() and future.exception() is not None):
                future = self._pool.submit(self._build, key, town, year, as_of, scope, run, lang)
                self._futures[key] = future
                future.add_done_callback(lambda _f: self._forget(key))
            return future

    def _forget(self, key: str) -> None:
        with self._lock:
            future = self._futures.get(key)
            if future is not None and future.done() and future.exception() is None:
                del self._futures[key]

    def _build(
        self,
        key: str,
        town: str,
        year: int,
        as_of: dt.date | None,
        scope: warehouse.Scope,
        run: int | None,
        lang: str,
    ) -> Path:
        target = self.pdf(key)
        with _machine_lock(self.folder / "build.lock"):
            if target.exists():  # another process built it while this one waited
                return target
            partial = self.folder / f".{key}.{os.getpid()}.pdf"
            try:
                with warehouse.scoped(scope), warehouse.at_run(run):  # the request's scope and run, in this thread
                    build_report(town, year, partial, as_of=as_of, db=self.db, lang=lang)
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)  # a failed build leaves no half file behind
        return target


def _now() -> float:
    return time.time()


def _waiting_page(town_name: str, year: int, lang: str = "de") -> flask.Response:
    title = escape(t("report.waiting", lang))
    body = escape(t("report.waiting_text", lang, town=town_name, year=year))
    html = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {escape(t("app.title", lang))}</title>
<link rel="stylesheet" href="/assets/00-bootstrap-5.2.3.min.css"><link rel="stylesheet" href="/assets/10-style.css">
</head><body><main class="container py-4" id="main"><h1 class="h3">{title}</h1>
<p>{body}</p></main></body></html>"""
    response = flask.Response(html, status=202, mimetype="text/html")
    response.headers["Retry-After"] = "5"
    return response


def _send(path: Path, town: str, year: int, prefix: str = "") -> flask.Response:
    name = re.sub(r"[^A-Za-z0-9_-]", "_", f"{prefix}bericht_{town}_{year}") + ".pdf"
    response = flask.send_file(path, mimetype="application/pdf", as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def register_report_route(
    server: flask.Flask,
    db: str | Engine | None,
    folder: Path | None = None,
    user_of_request: Callable[[], str] | None = None,
    wait_seconds: float = WAIT_SECONDS,
) -> ReportBuilds:
    """Add ``GET /bericht.pdf`` to the dashboard's Flask ``server``, reading the warehouse ``db``.

    ``folder``: where finished PDFs are kept (the server's runtime folder; a fresh temporary one if None).
    ``user_of_request``: the name of the account asking (the per-account limit); None: one local user.
    ``wait_seconds``: how long a request waits for its PDF before it answers the self-reloading page.
    """
    charts.keep_running(True)
    atexit.register(charts.stop)
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="engage-berichte-"))
    builds = ReportBuilds(db, folder)

    @server.get(PATH)
    def report_pdf() -> flask.Response:
        args = flask.request.args
        town = (args.get("town") or "").strip()
        lang = norm_lang(args.get("lang", "de"))
        if not town or town == NETWORK:
            return choose_town(db, args.get("year", ""), lang)
        try:
            year = int(args.get("year", ""))
        except ValueError:
            return _text(t("report.err.year_param", lang, year=args.get("year", "")), 400)
        as_of = None
        if args.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(args["as_of"])
            except ValueError:
                return _text(t("report.err.as_of_param", lang, as_of=args["as_of"]), 400)
        try:
            with warehouse.same_run():
                view = resolve_view(town, year, db, lang)  # unknown town, year or warehouse; another town's scope
                run = warehouse.reading_run(db)  # the latest, or the published run of ?run=N
        except ReportError as exc:
            return _text(str(exc), 404)
        except warehouse.WarehouseError as exc:  # a ?run=N that is no longer kept
            return _text(exc.text(lang), 404)
        scope = warehouse.current_scope()
        key = builds.key(view.town or town, year, as_of, run, scope, lang)
        prefix = demo_prefix(db)
        if builds.pdf(key).exists():
            return _send(builds.pdf(key), view.town or town, year, prefix)
        user = user_of_request() if user_of_request else "lokal"
        if not builds.reserve(user, key):
            return _text(t("report.err.pending", lang, n=PENDING_PER_USER), 429)
        future = builds.submit(key, view.town or town, year, as_of, scope, warehouse.chosen_run(), lang)
        future.add_done_callback(lambda _f: builds.release(user, key))
        try:
            path = future.result(timeout=wait_seconds)
        except FutureTimeout:
            return _waiting_page(view.town_name, year, lang)
        except ReportError as exc:
            return _text(str(exc), 404)
        return _send(path, view.town or town, year, prefix)

    return builds
