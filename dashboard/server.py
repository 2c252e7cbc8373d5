"""Serving the dashboard in production: gunicorn with several worker processes (issue 5, issue 12).

One Python process runs one callback at a time on one core (the GIL): a single waitress process with
8 threads gave p95 1,2 s at 50 users and 21 s at 200. gunicorn's ``gthread`` workers — processes for the
cores, threads in each for the requests that wait on the database or a report — use every core. The app
is built once in the master process and forked (``preload``), so the workers share its memory; database
connections are never shared across the fork (:func:`etl.warehouse.forget_connections`).

The workers share one runtime folder (callback answers, compressed files, sign-in counters, PDFs), made
owner-only by the master and removed when it ends. Without any account the server refuses to listen
anywhere but loopback (:class:`ServeError`, ``engage serve`` exits 2); see docs/deployment.md.

With a source folder (``--source-dir`` or ``ENGAGE_SOURCE_DIR``) the page "Daten einspielen" is on, and the
master starts the intake worker (:mod:`dashboard.intake.worker`) beside gunicorn, with the environment as it
is — the worker runs the ETL and needs the pseudonym key — and then removes ``ENGAGE_PSEUDONYM_KEY`` from
its own environment before the web workers are forked: they never hold it.
"""

from __future__ import annotations

import gc
import ipaddress
import os
import shutil
import tempfile
from pathlib import Path

from gunicorn.app.base import BaseApplication

from dashboard.auth import users
from dashboard.auth.secret import SecretError, session_secret
from etl import warehouse
from etl.db import database_url


class ServeError(RuntimeError):
    """The dashboard cannot be served as asked; German message."""


def is_loopback(host: str) -> bool:
    if host.strip().lower() in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_workers() -> int:
    """One process per core plus one, so a core never idles while a process waits on the database."""
    return (os.cpu_count() or 1) + 1


class _Gunicorn(BaseApplication):
    def __init__(self, app: object, options: dict[str, object]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> object:
        return self._app


def freeze_startup_objects() -> None:
    """Keep the app's own objects out of every later garbage collection of the worker processes.

    The app built before the workers fork (``preload_app``: the pages, their layouts, Dash, Plotly and pandas)
    is a few hundred thousand objects that live as long as the process; each full collection of a worker walked
    all of them again, a pause of 100–250 ms in whichever callback happened to trigger it (bench/dashboard.py:
    the maxima of otherwise 20–60 ms callbacks, issue 13). Frozen, a collection looks only at what the worker
    made since; the forked workers also keep sharing those pages with the master (Python's gc docs: freeze
    right before fork).
    """
    gc.collect()
    gc.freeze()


def _post_fork(_server: object, _worker: object) -> None:
    warehouse.forget_connections()


def serve(
    db_url: str | None,
    host: str = "127.0.0.1",
    port: int = 8050,
    workers: int | None = None,
    threads: int = 8,
    behind_proxy: bool = False,
    source_dir: str | Path | None = None,
    max_upload_mb: int | None = None,
) -> None:
    """Serve the dashboard on ``host:port`` until interrupted; raises :class:`ServeError` (German).

    ``source_dir`` (else ``ENGAGE_SOURCE_DIR``): the source folder coordinators bring data into (issue 14);
    ``max_upload_mb`` (else ``ENGAGE_MAX_UPLOAD_MB``, else 50): the largest file accepted.
    """
    from dashboard.intake.config import IntakeConfigError, from_options

    db = database_url(db_url)
    try:
        intake = from_options(source_dir, db, max_upload_mb)
    except IntakeConfigError as exc:
        raise ServeError(str(exc)) from exc
    loopback = is_loopback(host)
    if not loopback and users.count(db) == 0:
        raise ServeError(
            f"Ohne Konto ist das Dashboard nur auf diesem Rechner erreichbar (127.0.0.1), nicht auf „{host}“: "
            "sonst sähe jeder im Netz alle Städte. Bitte zuerst ein Konto anlegen, z. B. "
            "engage users add koordination --role netzwerk"
        )
    try:
        secret = session_secret(db)
    except SecretError as exc:
        raise ServeError(str(exc)) from exc
    runtime = Path(tempfile.mkdtemp(prefix="engage-serve-"))
    worker = None
    try:
        from dashboard.app import create_app

        app = create_app(
            db, runtime_dir=runtime, open_allowed=loopback, behind_proxy=behind_proxy, secret_key=secret, intake=intake
        )
        if intake is not None:
            from dashboard.intake.worker import start as start_worker

            worker = start_worker(intake, dict(os.environ))
            os.environ.pop("ENGAGE_PSEUDONYM_KEY", None)  # the web workers never hold the pseudonym key
        warehouse.forget_connections()  # the account check's connection stays with the master
        bind = f"[{host.strip('[]')}]:{port}" if ":" in host.strip("[]") else f"{host}:{port}"
        options = {
            "bind": [bind],
            "workers": workers or default_workers(),
            "worker_class": "gthread",
            "threads": threads,
            "preload_app": True,
            "timeout": 120,  # a report request may wait up to a minute for its PDF
            "graceful_timeout": 10,
            "keepalive": 30,  # a reader pauses between clicks; a reverse proxy keeps its connections longer still
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "engagement-monitor",
            "post_fork": _post_fork,
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if behind_proxy else "",
        }
        where = f"http://{bind}/"
        print(f"Engagement-Monitor läuft auf {where} ({options['workers']} Prozesse; Beenden mit Strg+C)", flush=True)
        freeze_startup_objects()
        _Gunicorn(app.server, options).run()
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except Exception:  # noqa: BLE001 - a worker that does not end in time is killed
                worker.kill()
        shutil.rmtree(runtime, ignore_errors=True)
