"""Benchmark of "Daten einspielen" (issue 14): a 10,000-row registration export from drop to preview and from
confirm to the updated warehouse the dashboard reads.

Writes a demo source folder (3 towns, 2 years), loads it with the real pipeline, and starts the real intake
worker process (the one ``engage serve --source-dir`` starts). The export is Beispielhausen's, rewritten with
another platform's headers and grown to ``--rows`` rows (new persons). Timed as the page does it, minus the
browser: the upload callback's work (content checks, staging, queueing: :func:`dashboard.intake.actions.receive`)
until the preview job is done, then the publish callback's work until the publish job is done and the
warehouse's latest run is the new one (the dashboard's reads follow the latest run). The page polls every
0.8 s on top of this; sending the file from the browser over loopback is not included.

    .venv/bin/python bench/intake.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from dashboard.intake import actions, store, worker  # noqa: E402
from dashboard.intake.config import IntakeConfig  # noqa: E402
from etl.demo import write_demo  # noqa: E402
from etl.pipeline import run_pipeline  # noqa: E402

TOWN = "99001012"
HEADERS = {
    "Nr.": "Lfd. Nr.",
    "Vorname": "Vorname",
    "Nachname": "Familienname",
    "E-Mail": "Mail-Adresse",
    "Telefon": "Mobil",
    "Registriert am": "Anmeldedatum",
    "Beendet am": "Austritt",
    "Organisation": "Einrichtung",
    "Bereich": "Engagementfeld",
    "Tätigkeit": "Aufgabe",
    "Geburtsjahr": "Jahrgang",
    "Geschlecht": "Geschl.",
    "Stadtteil": "Ortsteil",
    "PLZ": "Postleitzahl",
    "Stunden": "Std./Monat",
    "Notiz": "Bemerkung",
}


def export(demo_csv: Path, rows: int) -> bytes:
    """The town's export with the other platform's headers, grown to ``rows`` rows of distinct persons."""
    table = list(csv.reader(io.StringIO(demo_csv.read_bytes().decode("utf-8-sig")), delimiter=";"))
    header, body = table[0], table[1:]
    index = {name: i for i, name in enumerate(header)}
    out = [[HEADERS[h] for h in header], *body]
    k = 0
    while len(out) - 1 < rows:
        row = list(body[k % len(body)])
        row[index["Nr."]] = str(100_000 + k)
        row[index["E-Mail"]] = f"bench.person{k}@example.org"
        row[index["Registriert am"]] = f"{1 + k % 28:02d}.{1 + k % 12:02d}.{2021 + k % 5}"
        out.append(row)
        k += 1
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(out)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def wait(config: IntakeConfig, job_id: int) -> store.Job:
    while True:
        job = store.get(config, job_id)
        if job is not None and not job.pending:
            return job
        time.sleep(0.05)


def latest_run(db: str) -> int:
    engine = create_engine(db)
    with engine.connect() as conn:
        run = conn.execute(text("SELECT max(run_id) FROM etl_runs")).scalar()
    engine.dispose()
    return int(run)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="engage-bench-intake-"))
    proc = None
    try:
        source = write_demo(base / "quellen", towns=3, years=2, seed=42).parent
        db = f"sqlite:///{base / 'wh.sqlite'}"
        run_pipeline(source, db_url=db)
        config = IntakeConfig(source, db, 50 * 2**20)
        store.ensure_state(config)
        proc = worker.start(config, dict(os.environ))
        data = export(source / "beispielhausen" / "freiwillige.csv", args.rows)
        user = actions.Who("koord-b", f"koordination:{TOWN}")
        upload = {"name": "Export Plattform.csv", "contents": "data:text/csv;base64," + base64.b64encode(data).decode()}
        before = latest_run(db)

        start = time.perf_counter()
        sid, job_id, refusals = actions.receive(config, user, [upload])
        staged = time.perf_counter()
        preview = wait(config, job_id)
        shown = time.perf_counter()
        assert preview.status == "done" and preview.result.get("publishable"), (preview.message, refusals)
        (entry,) = preview.result["files"]

        confirm = time.perf_counter()
        publish_id = actions.request_publish(config, user, sid, job_id)
        published = wait(config, publish_id)
        loaded = time.perf_counter()
        assert published.status == "done", published.message
        assert latest_run(db) == before + 1

        print(
            f"Export: {args.rows} Zeilen, {len(data) / 2**20:.1f} MB; gelesen {entry['rows_read']}, "
            f"übernommen {entry['rows_accepted']}, abgewiesen {entry['rows_rejected']}"
        )
        print(f"Ablegen → Vorschau:      {shown - start:6.1f} s (Prüfen und Ablegen {staged - start:.2f} s)")
        print(f"Bestätigen → neuer Lauf: {loaded - confirm:6.1f} s (Lauf {before} → {before + 1})")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
