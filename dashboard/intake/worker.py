"""The intake worker: the process ``engage serve --source-dir`` starts beside the web workers to run the jobs.

Why a job table plus a worker process rather than Dash's background callbacks: the web side runs in several
gunicorn processes, and a publish must wait for the one before it whichever process took the request — a
queue all processes share (:mod:`.store`, SQLite in the source folder) does that, survives a restart, and its
rows hold no file content. Dash's ``DiskcacheManager`` keeps one process per call and no queue, keeps its
results in the cache folder, and its polling requests resend the callback's inputs — a 50 MB upload each
second. The worker also is the only process that writes the warehouse and the only one holding the
pseudonym key: the web processes may read through a read-only database role, and ``serve`` drops the key
from their environment.

Two lanes, one thread each: previews one after the other, publishes and undos one after the other (so a
second publish waits in the queue until the first run has loaded), a preview never waits behind a long run.
Each job runs in a child process of its own (forked from a forkserver that has the ETL imported) with limits
on memory and CPU time: a file that makes a reader misbehave ends its job, not the worker. A job left
running by a stopped worker is marked failed at the next start (and a half-done publish put back).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from pathlib import Path

from dashboard.auth.roles import intake_towns
from dashboard.intake import store
from dashboard.intake.config import IntakeConfig
from dashboard.intake.said import Said

log = logging.getLogger("engagement_monitor.intake")
POLL_SECONDS = 0.3
SWEEP_SECONDS = 60
LIMITS = {  # lane -> (address space in bytes, CPU seconds, wall-clock seconds)
    "preview": (6 * 2**30, 1200, 1800),
    "publish": (12 * 2**30, 3600, 5400),
}
STOPPED = Said("intake.err.stopped")
KILLED = Said("intake.err.killed")


def run_job(config: IntakeConfig, job_id: int) -> None:
    """In the job's child process: limits, then the job; its end (done/failed) is written to the queue."""
    job = store.get(config, job_id)
    if job is None:
        return
    memory, cpu, _ = LIMITS[job.lane]
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    from dashboard.intake.preview import IntakeError, run_preview
    from dashboard.intake.publish import run_publish, run_undo

    def report(text: str, step: int, steps: int) -> None:
        store.report(config, job.id, text, step, steps)

    run = {"preview": run_preview, "publish": run_publish, "undo": run_undo}[job.action]
    try:
        result = run(config, job, intake_towns(job.role), report)
    except IntakeError as exc:
        store.finish(config, job.id, "failed", None, exc.args[0] if exc.args else Said("intake.err.unexpected"))
        return
    except MemoryError:
        store.finish(config, job.id, "failed", None, KILLED)
        return
    except Exception as exc:  # noqa: BLE001 - never a traceback or a value on the page or in the log
        log.error("Einspiel-Auftrag %s (%s) abgebrochen: %s", job.id, job.action, type(exc).__name__)
        store.finish(config, job.id, "failed", None, Said("intake.err.unexpected"))
        return
    message = result.get("message", "") if isinstance(result, dict) else ""
    store.finish(config, job.id, "done", result, message)


def _lane(config: IntakeConfig, lane: str, context: multiprocessing.context.BaseContext, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            job = store.claim(config, lane)
        except Exception as exc:  # noqa: BLE001 - a locked queue: try again shortly
            log.warning("Warteschlange nicht lesbar (%s)", type(exc).__name__)
            job = None
        if job is None:
            stop.wait(POLL_SECONDS)
            continue
        child = context.Process(target=run_job, args=(config, job.id), name=f"engage-intake-{job.id}")
        child.start()
        child.join(LIMITS[lane][2])
        if child.is_alive():
            child.kill()
            child.join()
        if child.exitcode != 0:
            store.finish(config, job.id, "failed", None, KILLED if not stop.is_set() else STOPPED)
            store.sweep(config)


def serve_forever(config: IntakeConfig, parent: int | None = None) -> None:
    """Run both lanes until SIGTERM or until the parent (``engage serve``) is gone."""
    store.ensure_state(config)
    store.fail_running(config, STOPPED)
    store.sweep(config)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["dashboard.intake.preview", "dashboard.intake.publish", "etl.pipeline"])
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threads = [
        threading.Thread(target=_lane, args=(config, lane, context, stop), name=f"intake-{lane}", daemon=True)
        for lane in store.LANES
    ]
    for thread in threads:
        thread.start()
    last_sweep = time.monotonic()
    while not stop.is_set():
        if parent is not None and os.getppid() != parent:
            stop.set()
            break
        if time.monotonic() - last_sweep > SWEEP_SECONDS:
            store.sweep(config)
            last_sweep = time.monotonic()
        stop.wait(1.0)
    for thread in threads:
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboard.intake.worker")
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--etl-db", required=True)
    parser.add_argument("--max-upload-bytes", type=int, required=True)
    parser.add_argument("--parent", type=int, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s intake %(levelname)s %(message)s")
    config = IntakeConfig(Path(args.source_dir), args.etl_db, args.max_upload_bytes)
    serve_forever(config, args.parent)


def start(config: IntakeConfig, env: dict[str, str]) -> "subprocess.Popen":  # noqa: F821, UP037
    """Start the worker process (with ``env``, which holds the pseudonym key the web workers do not get)."""
    import subprocess

    return subprocess.Popen(
        [
            sys.executable, "-m", "dashboard.intake.worker",
            "--source-dir", str(config.source_dir),
            "--etl-db", config.etl_db,
            "--max-upload-bytes", str(config.max_upload_bytes),
            "--parent", str(os.getpid()),
        ],
        env=env,
    )  # fmt: skip


if __name__ == "__main__":
    main()
