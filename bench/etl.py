"""ETL benchmark at network scale: prints figures, asserts nothing (performance is tracked in the issues).

    .venv/bin/python bench/etl.py [--towns 100] [--years 10] [--out bench/out] [--source DIR] [--jobs N]

1. writes the demo source folder (`engage demo --towns N --years Y`; ``--source`` takes an existing one)
   and counts its input rows;
2. runs `engage run` on it as a separate process: wall time, and peak memory of the whole process tree
   (the run and its ``--jobs`` reader processes, sampled every 20 ms with psutil): the sum of their
   resident set sizes (shared pages counted once per process: errs on the high side) and the sum of their
   proportional set sizes (each shared page split among the processes sharing it: the memory the tree
   really takes);
3. the floor any reader could reach, in the same run: a bare pyarrow parse of the same CSV files plus an
   openpyxl read-only pass over every cell of the XLSX files (one process, one file after the other);
   the ratio run / floor is the target of issue 13 (≤ 3), given for the wall time and for the CPU time
   (user + system of the whole tree; on a machine other work loads, the CPU ratio is the steadier one);
4. repeats the run in-process step by step (one process) to time reading, each indicator step and the load
   (the steps of :func:`etl.indicators.compute.compute_indicators`, timed one by one).

``--engage`` runs another build of the command (e.g. the code before a change) for a before/after figure.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _count_rows(folder: Path) -> tuple[int, int, list[Path], list[Path]]:
    import openpyxl

    csv_rows = xlsx_rows = 0
    csvs, xlsxs = [], []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() == ".csv":
            csvs.append(path)
            with path.open("rb") as fh:
                csv_rows += max(sum(1 for _ in fh) - 1, 0)
        elif path.suffix.lower() == ".xlsx":
            xlsxs.append(path)
            wb = openpyxl.load_workbook(path, read_only=True)
            # read-only sheets may carry no dimension: count the rows that hold a value
            for ws in wb.worksheets:
                filled = sum(1 for row in ws.iter_rows(values_only=True) if any(v is not None for v in row))
                xlsx_rows += max(filled - 1, 0)
            wb.close()
    return csv_rows, xlsx_rows, csvs, xlsxs


def _bare_parse(csvs: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds of parsing every CSV with pyarrow (its own threads included in the CPU time)."""
    import pyarrow.csv as pacsv

    start, cpu = time.perf_counter(), time.process_time()
    for path in csvs:
        raw = path.read_bytes()
        head = raw[:4096]
        try:
            head.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
        first = head.split(b"\n", 1)[0]
        delimiter = max([",", ";", "\t"], key=lambda d: first.count(d.encode()))
        # a layout pyarrow cannot parse (the Regionalstatistik table) is simply skipped
        with contextlib.suppress(Exception):
            pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(encoding=encoding),
                parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=lambda _row: "skip"),
            )
    return time.perf_counter() - start, time.process_time() - cpu


def _bare_xlsx(xlsxs: list[Path]) -> tuple[float, float]:
    """openpyxl read-only over every cell of every sheet (with saved values): the floor of reading workbooks."""
    import openpyxl

    start, cpu = time.perf_counter(), time.process_time()
    for path in xlsxs:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _row in ws.iter_rows(values_only=True):
                pass
        wb.close()
    return time.perf_counter() - start, time.process_time() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed_tree(cmd: list[str], interval: float = 0.02) -> tuple[float, float, float, float, int]:
    """Wall time, CPU time (user + system of the process and every descendant it waited for: the reader
    processes too), peak summed RSS and peak summed PSS of the process and all its descendants (MB), exit code.

    On a machine shared with other work the wall time grows with the load; the CPU time hardly does."""
    import psutil

    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = psutil.Process(proc.pid)
    peak = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        while not done.is_set():
            total = pss = 0
            try:
                members = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for member in members:
                with contextlib.suppress(psutil.Error):
                    info = member.memory_full_info()
                    total += info.rss
                    pss += info.pss
            peak = max(peak, total)
            peak_pss = max(peak_pss, pss)
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    return wall, _children_cpu() - cpu, peak / 2**20, peak_pss / 2**20, code


def _steps(source: Path, db: Path) -> list[tuple[str, float]]:
    """The run again, in-process, with every step timed on its own."""
    import datetime as dt

    import pandas as pd

    from etl.crosscheck import run_crosschecks
    from etl.db import make_engine
    from etl.indicators.catalogue import catalogue_frame
    from etl.indicators.comparison import comparison_frame
    from etl.indicators.districts import district_shapes
    from etl.indicators.events import event_values
    from etl.indicators.goals import goal_frames
    from etl.indicators.network import network_frames
    from etl.indicators.registrations import registration_values
    from etl.indicators.suppression import suppress
    from etl.indicators.survey import survey_values
    from etl.load import write_run
    from etl.manifest import load_manifest
    from etl.pipeline import gather, read_sources
    from etl.pseudonymise import Pseudonymiser, resolve_key

    timings: list[tuple[str, float]] = []

    def step(name, fn, *args):
        start = time.perf_counter()
        result = fn(*args)
        timings.append((name, time.perf_counter() - start))
        return result

    def read_all():
        manifest = load_manifest(source)
        pseudonymiser = Pseudonymiser(resolve_key(manifest.project.demo, manifest.towns)[0])
        results = read_sources(manifest, pseudonymiser, jobs=1)
        run_crosschecks(results, manifest)
        return manifest, results

    manifest, results = step("Lesen + Prüfen (alle Quellen)", read_all)
    clean = step("Zusammenführen", gather, results, manifest, dt.date(2025, 12, 31))
    raw = [
        step("Umfrage: Gewichtung + Quoten", survey_values, clean),
        step("Registrierungen", registration_values, clean),
        step("Veranstaltungen", event_values, clean),
    ]
    network = step("Netzwerk", network_frames, clean)
    values = step(
        "Unterdrückung", suppress, pd.concat([*raw, network.values], ignore_index=True), manifest.project.min_cell
    )
    goals = step("Ziele + Maßnahmen", goal_frames, clean, values)
    values = pd.concat([values, goals.values], ignore_index=True).assign(run_id=1)
    comparison = step("Städtevergleich", comparison_frame, values, clean)
    districts = step("Stadtteile (Umrisse)", district_shapes, clean)
    frames = {
        **clean.frames,
        "mart_indicator_catalogue": catalogue_frame(),
        "mart_indicator_values": values,
        "mart_comparison": comparison,
        "mart_network_nodes": network.nodes,
        "mart_network_ties": network.ties,
        "mart_goals": goals.goals,
        "mart_goal_status": goals.status,
        "mart_goal_values": goals.goal_values,
        "mart_measures": goals.measures,
        "mart_districts": districts,
    }
    run = {
        "run_id": 1,
        "started_at": dt.datetime.now(),
        "finished_at": dt.datetime.now(),
        "status": "ok",
        "source_dir": str(source),
        "project_name": "bench",
        "min_cell": 5,
        "as_of": dt.date(2025, 12, 31),
        "demo_key": True,
    }
    files = pd.DataFrame([vars(f) for r in results for f in r.files]).assign(run_id=1)
    step("Laden (SQLite, eine Transaktion)", write_run, make_engine(f"sqlite:///{db}"), frames, run, files)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--towns", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--source", type=Path, default=None, help="an existing demo folder (not rewritten)")
    parser.add_argument("--engage", default=str(Path(sys.executable).parent / "engage"), help="the command to time")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs of engage run (default: its own)")
    parser.add_argument("--as-of", default="2025-12-31")
    parser.add_argument("--no-steps", action="store_true", help="skip the in-process step timings")
    args = parser.parse_args()
    engage = shlex.split(args.engage)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    db = out / "warehouse.sqlite"
    db.unlink(missing_ok=True)

    demo_time = None
    if args.source is None:
        source = out / "demo"
        shutil.rmtree(source, ignore_errors=True)
        start = time.perf_counter()
        demo = [*engage, "demo", "--towns", str(args.towns), "--years", str(args.years), "--out", str(source)]
        subprocess.run(demo, check=True, stdout=subprocess.DEVNULL)
        demo_time = time.perf_counter() - start
    else:
        source = args.source
    csv_rows, xlsx_rows, csvs, xlsxs = _count_rows(source)
    size_mb = sum(p.stat().st_size for p in source.rglob("*") if p.is_file()) / 1e6
    sources = (source / "engage.toml").read_text(encoding="utf-8").count("[[sources]]")

    run = [*engage, "run", str(source), "--db", f"sqlite:///{db}", "--as-of", args.as_of]
    if args.jobs:
        run += ["--jobs", str(args.jobs)]
    wall, cpu, peak_mb, peak_pss_mb, code = _timed_tree(run)
    bare_csv, bare_csv_cpu = _bare_parse(csvs)
    bare_xlsx, bare_xlsx_cpu = _bare_xlsx(xlsxs)
    floor, floor_cpu = bare_csv + bare_xlsx, bare_csv_cpu + bare_xlsx_cpu

    written = f", geschrieben in {demo_time:.1f} s" if demo_time is not None else ""
    print(
        f"Quellordner {source}: {sources} Quellen, {len(csvs)} CSV + {len(xlsxs)} XLSX, {size_mb:.1f} MB{written}"
    )
    print(f"Eingabezeilen:             {csv_rows + xlsx_rows:>12,} (CSV {csv_rows:,}, XLSX {xlsx_rows:,})")
    print(f"engage run Laufzeit:       {wall:>12.1f} s (Exit-Code {code}, --jobs {args.jobs or 'Standard'})")
    print(f"engage run CPU-Zeit:       {cpu:>12.1f} s (Lauf und Leseprozesse, user + system)")
    print(f"Spitzenspeicher Prozessbaum:{peak_mb:>11.0f} MB (Summe RSS von Lauf und Leseprozessen)")
    print(f"  davon wirklich belegt:    {peak_pss_mb:>11.0f} MB (Summe PSS: geteilte Seiten anteilig)")
    print(f"pyarrow CSV-Parse:         {bare_csv:>12.2f} s (CPU {bare_csv_cpu:.2f} s)")
    print(f"openpyxl XLSX (read-only): {bare_xlsx:>12.2f} s (CPU {bare_xlsx_cpu:.2f} s)")
    print(f"Untergrenze zusammen:      {floor:>12.2f} s (CPU {floor_cpu:.2f} s)")
    print(f"Verhältnis run / Untergrenze:{wall / floor:>10.1f} × (Laufzeit), {cpu / floor_cpu:.1f} × (CPU-Zeit)")
    if db.exists():
        print(f"Warehouse-Datei:           {db.stat().st_size / 1e6:>12.1f} MB")
    if not args.no_steps:
        print("\nSchritte (im Prozess gemessen, ein Prozess):")
        steps_db = out / "steps.sqlite"
        steps_db.unlink(missing_ok=True)
        for name, seconds in _steps(source, steps_db):
            print(f"  {name:<34} {seconds:>8.2f} s")


if __name__ == "__main__":
    main()
