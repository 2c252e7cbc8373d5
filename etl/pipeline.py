"""``engage run``: one source folder → one complete, consistent warehouse state.

read every source (each failure stops only its own source) → cross-source checks → indicators (with
suppression) → one transaction that replaces the warehouse's data and appends the run log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from etl.crosscheck import run_crosschecks
from etl.db import make_engine
from etl.indicators.compute import compute_indicators
from etl.load import ensure_schema, next_run_id, write_run
from etl.manifest import load_manifest
from etl.model import REJECT_COLUMNS, CleanData, FileReport, Manifest, SourceResult
from etl.pseudonymise import Pseudonymiser, resolve_key
from etl.readers import read_source

Progress = Callable[[str, int, int], None]  # (what is happening, step done, steps in all)


@dataclass
class RunSummary:
    run_id: int
    manifest: Manifest
    files: list[FileReport]
    rejects: pd.DataFrame
    failed_sources: list[str]
    demo_key: bool
    rows_loaded: dict[str, int]

    @property
    def exit_code(self) -> int:
        """0 all loaded, 1 a source was rejected (the rest loaded) — brief §7."""
        return 1 if self.failed_sources else 0


def gather(results: list[SourceResult], manifest: Manifest, as_of: dt.date) -> CleanData:
    """Concatenate the accepted rows of all loaded sources by table; add the towns of the manifest."""
    by_table: dict[str, list[pd.DataFrame]] = {}
    source_files: dict[str, list[str]] = {}
    for result in results:
        if result.failed:
            continue
        source_files.setdefault(result.spec.kind, []).extend(r.file for r in result.files)
        for table, frame in result.frames.items():
            if frame is not None and not frame.empty:
                by_table.setdefault(table, []).append(frame)
    frames = {table: pd.concat(parts, ignore_index=True) for table, parts in by_table.items()}
    frames["towns"] = pd.DataFrame({"ags": [t.ags for t in manifest.towns], "name": [t.name for t in manifest.towns]})
    return CleanData(manifest=manifest, frames=frames, source_files=source_files, as_of=as_of)


def _rejects_frame(results: list[SourceResult], run_id: int) -> pd.DataFrame:
    parts = [r.rejects for r in results if r.rejects is not None and not r.rejects.empty]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=REJECT_COLUMNS)
    return frame.assign(run_id=run_id)


def _source_towns(results: list[SourceResult], run_id: int) -> pd.DataFrame:
    """Each source label with its town ('' for a source of several towns), for the read API's authorisation."""
    rows = [(r.spec.label, r.spec.town or "") for r in results]
    return pd.DataFrame(rows, columns=["source", "town_ags"]).drop_duplicates().assign(run_id=run_id)


def read_sources(
    manifest: Manifest, pseudonymiser: Pseudonymiser, jobs: int = 1, progress: Progress | None = None
) -> list[SourceResult]:
    """Every source of the manifest, read and validated, in manifest order.

    Sources are independent, so with ``jobs > 1`` they are read in that many worker processes (a network
    folder has well over a thousand small files, and reading is the run's longest step). Workers are
    spawned, not forked: the progress bar's thread must not be copied mid-lock into a child.
    """
    specs = manifest.sources
    steps = len(specs) + 2
    read = partial(read_source, project=manifest.project, towns=manifest.towns, pseudonymiser=pseudonymiser)
    if jobs <= 1 or len(specs) < 2:
        results = []
        for i, spec in enumerate(specs):
            if progress:
                progress(f"Lese {spec.label} ({spec.kind}, {len(spec.files)} Datei(en))", i, steps)
            results.append(read(spec))
        return results
    workers = min(jobs, len(specs))
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        results = []
        for i, result in enumerate(pool.map(read, specs, chunksize=max(1, len(specs) // (workers * 20)))):
            results.append(result)
            if progress:
                progress(f"Gelesen: {result.spec.label} ({workers} Prozesse)", i + 1, steps)
        return results


def run_pipeline(
    source_dir: Path,
    db_url: str | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> RunSummary:
    """Run the whole ETL on ``source_dir``; raises ManifestError before touching the warehouse.

    ``jobs``: worker processes for reading the sources (the result does not depend on it).
    """
    started = dt.datetime.now()
    as_of = as_of or dt.date.today()
    manifest = load_manifest(Path(source_dir))
    key, demo_key = resolve_key(manifest.project.demo)
    pseudonymiser = Pseudonymiser(key)
    engine = make_engine(db_url)
    try:
        ensure_schema(engine)
        run_id = next_run_id(engine)
        steps = len(manifest.sources) + 2

        results = read_sources(manifest, pseudonymiser, jobs, progress)
        run_crosschecks(results, manifest)

        if progress:
            progress("Berechne Indikatoren", len(manifest.sources), steps)
        clean = gather(results, manifest, as_of)
        marts = compute_indicators(clean, run_id)

        if progress:
            progress("Schreibe Warehouse", len(manifest.sources) + 1, steps)
        files = [f for r in results for f in r.files]
        rejects = _rejects_frame(results, run_id)
        frames = {**clean.frames, **marts, "etl_rejects": rejects, "etl_source_towns": _source_towns(results, run_id)}
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
        }
        files_frame = pd.DataFrame([vars(f) for f in files]).assign(run_id=run_id)
        loaded: dict[str, int] = {}
        write_run(engine, frames, run, files_frame, on_table=loaded.__setitem__)
        if progress:
            progress("Fertig", steps, steps)
        return RunSummary(run_id, manifest, files, rejects, failed, demo_key, loaded)
    finally:
        engine.dispose()
