"""``engage run``: one source folder → one complete, consistent warehouse state.

read every source (each failure stops only its own source) → cross-source checks → the last good data of
failed sources carried over (:mod:`etl.kept`) → indicators (with suppression) → one transaction that
replaces the warehouse's data and appends the run log.

A run holds the warehouse's run lock from its first read of the warehouse to its commit (:func:`etl.db.run_lock`),
so two runs never take the same run id. It refuses, before reading anything, to write data pseudonymised
with the public demo key into a warehouse whose latest run holds real data. Reader processes (``jobs``)
die with the run: a killed ``engage run`` leaves no workers behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import queue
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from functools import partial
from multiprocessing import get_context
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, select

from etl import heap, history, tables
from etl.crosscheck import run_crosschecks
from etl.db import make_engine, run_lock
from etl.indicators.comparison import comparison_frame
from etl.indicators.compute import compute_indicators
from etl.kept import Kept, keep_last_good, merge
from etl.load import ensure_schema, next_run_id, write_run
from etl.manifest import load_manifest
from etl.messages import Msg, codes_of, parts_json
from etl.model import (
    REASON_COLUMNS,
    REJECT_COLUMNS,
    CleanData,
    FileReport,
    Manifest,
    ManifestError,
    Project,
    SourceResult,
    SourceSpec,
    Town,
)
from etl.pseudonymise import Pseudonymiser, resolve_key
from etl.readers import read_kind

Progress = Callable[[Msg, int, int], None]  # (what is happening, step done, steps in all); str(Msg) is German


@dataclass
class RunSummary:
    run_id: int
    manifest: Manifest
    files: list[FileReport]
    rejects: pd.DataFrame
    failed_sources: list[str]
    demo_key: bool
    rows_loaded: dict[str, int]
    warnings: list[str] = field(default_factory=list)  # German, also in the run log (file engage.toml)

    @property
    def exit_code(self) -> int:
        """0 all loaded, 1 a source was rejected (the rest loaded) — brief §7."""
        return 1 if self.failed_sources else 0


def gather(results: list[SourceResult], manifest: Manifest, as_of: dt.date, kept: Kept | None = None) -> CleanData:
    """Concatenate the accepted rows of all loaded sources (and ``kept`` rows) by table; add the manifest's towns."""
    by_table: dict[str, list[pd.DataFrame]] = {}
    source_files: dict[str, list[str]] = {}
    for result in results:
        if result.failed:
            continue
        source_files.setdefault(result.spec.kind, []).extend(r.file for r in result.files)
        for table, frame in result.frames.items():
            if frame is not None and not frame.empty:
                by_table.setdefault(table, []).append(frame)
    for table, parts in (kept.clean if kept else {}).items():
        by_table.setdefault(table, []).extend(parts)
    for kind, files in (kept.files if kept else {}).items():
        source_files.setdefault(kind, []).extend(files)
    frames = {table: pd.concat(parts, ignore_index=True) for table, parts in by_table.items()}
    frames["towns"] = pd.DataFrame({"ags": [t.ags for t in manifest.towns], "name": [t.name for t in manifest.towns]})
    return CleanData(manifest=manifest, frames=frames, source_files=source_files, as_of=as_of)


def _rejects_frame(results: list[SourceResult], run_id: int) -> pd.DataFrame:
    parts = [r.rejects for r in results if r.rejects is not None and not r.rejects.empty]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=REJECT_COLUMNS + REASON_COLUMNS)
    return frame.assign(run_id=run_id)


def _source_towns(results: list[SourceResult], run_id: int) -> pd.DataFrame:
    """Each source label with its town ('' for a source of several towns), for the read API's authorisation."""
    rows = [(r.spec.label, r.spec.town or "") for r in results]
    return pd.DataFrame(rows, columns=["source", "town_ags"]).drop_duplicates().assign(run_id=run_id)


# Sources of one kind validated together in one batch (etl.readers.batch); also the unit of work of a reader
# process. Fixed, so that neither the batches nor their results depend on --jobs.
BATCH_SIZE = 64


def batches(specs: tuple[SourceSpec, ...] | list[SourceSpec]) -> list[list[int]]:
    """Positions of the sources in batches of one kind, each at most :data:`BATCH_SIZE`, kinds in first-seen order."""
    by_kind: dict[str, list[int]] = {}
    for i, spec in enumerate(specs):
        by_kind.setdefault(spec.kind, []).append(i)
    return [members[k : k + BATCH_SIZE] for members in by_kind.values() for k in range(0, len(members), BATCH_SIZE)]


def _read_batch(
    specs: list[SourceSpec], project: Project, towns: tuple[Town, ...], pseudonymiser: Pseudonymiser
) -> list[SourceResult]:
    """One batch (in the run or a worker); afterwards the heap it freed goes back to the system."""
    try:
        return read_kind(specs, project, towns, pseudonymiser)
    finally:
        release_memory()


def batch_cost(specs: list[SourceSpec]) -> float:
    """A batch's expected reading time in seconds, only to order the batches (longest first).

    Measured on the demo network (issue 13): about 20 ms per source, 0,12 s per MB of CSV and 5 s per MB of
    XLSX (compressed XML, every cell an object in openpyxl). A wrong guess costs only a less even split.
    """
    csv = xlsx = 0
    for spec in specs:
        for path in spec.files:
            with contextlib.suppress(OSError):
                size = path.stat().st_size
                if path.suffix.lower() in (".xlsx", ".xlsm"):
                    xlsx += size
                else:
                    csv += size
    return 0.02 * len(specs) + 0.12e-6 * csv + 5e-6 * xlsx


def read_sources(
    manifest: Manifest, pseudonymiser: Pseudonymiser, jobs: int = 1, progress: Progress | None = None
) -> list[SourceResult]:
    """Every source of the manifest, read and validated, in manifest order.

    Sources of one kind are validated in batches (:func:`batches`; a network has about a thousand small
    sources, and pandas' cost per call, not the rows, is what reading costs). With ``jobs > 1`` the batches
    are read by ``jobs`` processes: the run itself and ``jobs - 1`` workers (:func:`_read_parallel`).
    The results do not depend on ``jobs``: a source's result is the same in any batch, read by any process.
    """
    specs = manifest.sources
    steps = len(specs) + 2
    groups = batches(specs)
    read = partial(_read_batch, project=manifest.project, towns=manifest.towns, pseudonymiser=pseudonymiser)
    results: list[SourceResult | None] = [None] * len(specs)
    done = 0

    def take(members: list[int], got: list[SourceResult], workers: int = 1) -> None:
        nonlocal done
        for i, result in zip(members, got, strict=True):
            results[i] = result
        heap.keep()
        done += len(members)
        if progress:
            last = got[-1].spec
            if workers > 1:
                progress(Msg("run_read_parallel", label=last.label, kind=last.kind, workers=workers), done, steps)
            else:
                progress(Msg("run_read", label=last.label, kind=last.kind), done, steps)

    if jobs <= 1 or len(groups) < 2:
        for members in groups:
            if progress:
                first = specs[members[0]]
                progress(Msg("run_reading", label=first.label, kind=first.kind, n=len(members)), done, steps)
            take(members, read([specs[i] for i in members]))
    else:
        batch_specs = [[specs[i] for i in members] for members in groups]
        workers = min(jobs, len(groups)) - 1
        for g, got in _read_parallel(batch_specs, read, workers):
            take(groups[g], got, workers + 1)
    return results  # type: ignore[return-value]


def _read_parallel(
    batch_specs: list[list[SourceSpec]], read: Callable[[list[SourceSpec]], list[SourceResult]], workers: int
) -> Iterator[tuple[int, list[SourceResult]]]:
    """(batch position, results) of every batch, as they are done: read by this process and ``workers``
    worker processes from one queue, the longest batches first (:func:`batch_cost`).

    The run reads batches too, beside the workers: one interpreter with its imports and heap fewer than
    ``jobs`` workers beside an idle parent (issue 13: memory at network scale). A feeder thread keeps two
    batches with each worker and hands it the next one the moment one is done, also while this process is
    busy with a long batch of its own (which had left the worker idle for seconds). Longest first, the
    processes finish together: the last batches are the short ones. Workers are spawned, not forked: the
    progress bar's thread must not be copied mid-lock into a child. They are started by the first
    submissions, made here and not in the feeder: the kernel ends a worker when the thread that started it
    ends (:func:`die_with_parent`), and the feeder ends before the pool.
    """
    pending = deque(sorted(range(len(batch_specs)), key=lambda g: -batch_cost(batch_specs[g])))
    finished: queue.SimpleQueue[tuple[int, Future[list[SourceResult]]]] = queue.SimpleQueue()
    lock = threading.Lock()
    stopped = False

    def claim() -> int | None:
        with lock:
            return pending.popleft() if pending and not stopped else None

    with ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=start_worker, initargs=(os.getpid(),)
    ) as pool:
        running: dict[Future[list[SourceResult]], int] = {}

        def submit() -> None:
            with lock:  # claimed and submitted together: nothing is submitted once the run has stopped
                while pending and not stopped and len(running) < 2 * workers:
                    g = pending.popleft()
                    running[pool.submit(read, batch_specs[g])] = g

        def feed() -> None:
            try:
                while running:
                    ready, _ = wait(list(running), return_when=FIRST_COMPLETED)
                    for future in ready:
                        finished.put((running.pop(future), future))
                    submit()
            except BaseException as error:  # noqa: BLE001 - e.g. a broken pool: raised by the run, not lost here
                failed: Future[list[SourceResult]] = Future()
                failed.set_exception(error)
                finished.put((-1, failed))

        submit()  # from this thread, which so starts the workers (see die_with_parent); then the feeder's
        feeder = threading.Thread(target=feed, name="engage-read-feeder", daemon=True)
        feeder.start()
        outstanding = len(batch_specs)
        try:
            while (g := claim()) is not None:
                yield g, read(batch_specs[g])
                outstanding -= 1
                while not finished.empty():
                    g, future = finished.get()
                    yield g, future.result()
                    outstanding -= 1
            while outstanding:
                g, future = finished.get()
                yield g, future.result()
                outstanding -= 1
        finally:
            with lock:
                stopped = True
            feeder.join()


def release_memory() -> None:
    """Give the memory a finished batch freed back to the operating system (glibc keeps it otherwise).

    A batch's frames are freed when it is done, but glibc's allocator keeps most of the pages for later
    ``malloc`` calls: a reader process would hold the high-water mark of its largest batch for the rest of
    the run. ``malloc_trim(0)`` returns the free pages. Elsewhere (other C libraries) it does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def start_worker(parent: int) -> None:
    """Worker initializer: die with the run (:func:`die_with_parent`), keep the imports (:mod:`etl.heap`)."""
    die_with_parent(parent)
    heap.keep_imports()


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this reader process as soon as the run that started it is gone.

    On Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``; strictly, when the
    parent's thread that started the worker ends: start workers from the run's main thread); everywhere a
    watchdog thread also checks once a second whether the parent still exists. A SIGKILLed run would
    otherwise leave its workers reading on (about 1 GB at network scale).
    """
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            threading.Event().wait(1.0)

    threading.Thread(target=watch, name="engage-parent-watchdog", daemon=True).start()


def min_cell_warnings(manifest: Manifest) -> list[Msg]:
    """min_cell 3–4 is allowed but weak (below 3 the manifest is refused): said in the CLI and the run log."""
    min_cell = manifest.project.min_cell
    if min_cell >= 5:
        return []
    return [Msg("manifest_warning_min_cell", min_cell=min_cell)]


def refuse_demo_into_real(engine: Engine, demo_key: bool) -> None:
    """Demo data (public key) must never replace a warehouse whose latest run holds real data."""
    if not demo_key:
        return
    runs = tables.etl_runs
    with engine.connect() as conn:
        latest = conn.execute(select(runs.c.run_id, runs.c.demo_key).order_by(runs.c.run_id.desc()).limit(1)).first()
    if latest is not None and not latest.demo_key:
        raise ManifestError(Msg("mf_demo_into_real", run=latest.run_id))


def _file_rows(files: list[FileReport], warnings: list[Msg], run_id: int) -> pd.DataFrame:
    """The run's file log (``etl_run_files``): each file's report with its message's codes and parameters."""
    rows = []
    for f in files:
        row = {k: v for k, v in vars(f).items() if k != "parts"}
        rows.append({**row, "message_code": codes_of(f.parts), "message_params": parts_json(f.parts)})
    rows += _warning_files(warnings, run_id)
    return pd.DataFrame(rows).assign(run_id=run_id)


def _warning_files(warnings: list[Msg], run_id: int) -> list[dict[str, object]]:
    return [
        {
            "run_id": run_id,
            "source": "engage.toml",
            "kind": "manifest",
            "file": "engage.toml",
            "rows_read": 0,
            "rows_accepted": 0,
            "rows_rejected": 0,
            "rows_skipped": 0,
            "status": "warning",
            "message": str(msg),
            "message_code": msg.code,
            "message_params": parts_json([msg]),
        }
        for msg in warnings
    ]


def run_pipeline(
    source_dir: Path,
    db_url: str | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    keep_runs: int | None = None,
) -> RunSummary:
    """Run the whole ETL on ``source_dir``; raises ManifestError before touching the warehouse.

    ``jobs``: worker processes for reading the sources (the result does not depend on it). ``keep_runs``:
    how many runs stay viewable (overrides ``[project] keep_runs``; None: the manifest's, else every run).
    """
    started = dt.datetime.now()
    as_of = as_of or dt.date.today()
    manifest = load_manifest(Path(source_dir))
    if keep_runs is not None:
        manifest = replace(manifest, project=replace(manifest.project, keep_runs=keep_runs))
    key, demo_key = resolve_key(manifest.project.demo, manifest.towns)
    warnings = min_cell_warnings(manifest)
    pseudonymiser = Pseudonymiser(key)
    engine = make_engine(db_url)
    try:
        with run_lock(engine), heap.kept_heap():
            keys = (pseudonymiser, demo_key)
            return _run(engine, manifest, source_dir, as_of, started, keys, warnings, progress, jobs)
    finally:
        engine.dispose()


def _run(
    engine: Engine,
    manifest: Manifest,
    source_dir: Path,
    as_of: dt.date,
    started: dt.datetime,
    keys: tuple[Pseudonymiser, bool],
    warnings: list[Msg],
    progress: Progress | None,
    jobs: int,
) -> RunSummary:
    """The run itself, inside the run lock."""
    pseudonymiser, demo_key = keys
    ensure_schema(engine)
    refuse_demo_into_real(engine, demo_key)
    run_id = next_run_id(engine)
    steps = len(manifest.sources) + 2

    results = read_sources(manifest, pseudonymiser, jobs, progress)
    run_crosschecks(results, manifest)
    kept = keep_last_good(engine, results, manifest)

    if progress:
        progress(Msg("run_computing"), len(manifest.sources), steps)
    clean = gather(results, manifest, as_of, kept)
    for result in results:
        # the sources' rows now live in the gathered tables: a second copy of every clean row less from here
        # to the commit (the run's peak memory at network scale); rejects and file reports stay
        result.frames = {}
    release_memory()
    heap.keep()
    marts = compute_indicators(clean, run_id)
    heap.keep()
    if kept.marts:
        # a kept partner survey: its previous results stand in for values that cannot be recomputed
        marts = merge(marts, kept.marts)
        marts["mart_comparison"] = comparison_frame(marts["mart_indicator_values"], clean)

    if progress:
        progress(Msg("run_writing"), len(manifest.sources) + 1, steps)
    files = [f for r in results for f in r.files]
    rejects = _rejects_frame(results, run_id)
    frames = {
        **merge(clean.frames, kept.stored),
        **marts,
        "etl_rejects": rejects,
        "etl_source_towns": _source_towns(results, run_id),
    }
    failed = [r.spec.label for r in results if r.failed]
    run = {
        "run_id": run_id,
        "started_at": started,
        "finished_at": dt.datetime.now(),
        "status": "partial" if failed else "ok",
        "source_dir": str(Path(source_dir).resolve()),
        "project_name": manifest.project.name,
        "min_cell": manifest.project.min_cell,
        "as_of": as_of,
        "demo_key": demo_key,
        "licence": manifest.project.licence,
    }
    files_frame = history.with_file_dates(_file_rows(files, warnings, run_id), source_dir)
    loaded: dict[str, int] = {}
    write_run(engine, frames, run, files_frame, on_table=loaded.__setitem__, keep_runs=manifest.project.keep_runs)
    if progress:
        progress(Msg("run_done"), steps, steps)
    return RunSummary(run_id, manifest, files, rejects, failed, demo_key, loaded, [str(w) for w in warnings])
