"""The ``engage`` command (brief §7): run, demo, serve, export.

Exit codes: 0 ok; 1 a source was rejected (the rest still loaded), or the warehouse could not be used
(unreachable, damaged, read-only, disk full, another run writing); 2 usage errors (bad options, a broken
manifest, a missing or short pseudonym key, a malformed ``--db`` URL, demo data aimed at a real
warehouse). Messages are German: the people running this are coordinators; no traceback reaches them.

Everything printed that holds user text (file names, source names, messages quoting the manifest) goes
through :func:`rich.markup.escape` or :class:`rich.text.Text`, so ``[/x]`` in a manifest is shown as it is
instead of crashing the output or disappearing.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from dashboard.auth.cli import users_group
from etl.db import WarehouseBusy, describe_error
from etl.model import FileReport, ManifestError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from etl.messages import Msg
    from etl.pipeline import RunSummary

err = Console(stderr=True)
out = Console()

DB_HELP = "Warehouse-URL (sonst ENGAGE_DATABASE_URL, sonst sqlite:///data/warehouse.sqlite)"


def _de_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _fail(message: str, code: int) -> None:
    err.print(f"[red]Fehler:[/red] {escape(message)}")
    sys.exit(code)


def _database_failure(exc: BaseException, db_url: str | None) -> None:
    """Exit with the German sentence for a database or file-system error; re-raise what is neither."""
    from etl.db import database_url

    message = describe_error(exc, database_url(db_url))
    if message is None:
        raise exc
    _fail(message, 2 if isinstance(exc, (ArgumentError, NoSuchModuleError)) else 1)


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' ist kein Datum im Format JJJJ-MM-TT (z. B. 2024-12-31)") from None


@click.group(help="Engagement-Monitor: Daten der Engagierten Stadt einlesen, auswerten und zeigen.")
def main() -> None:
    """The command group; each sub-command is one job of brief §7."""


main.add_command(users_group)


@main.command("run", help="Liest einen Quellordner (mit engage.toml) ein und schreibt das Warehouse.")
@click.argument("source_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--db", "db_url", default=None, help=DB_HELP)
@click.option("--as-of", "as_of", default=None, callback=_parse_date, help="Stichtag für Zielstatus (JJJJ-MM-TT)")
@click.option(
    "--jobs",
    default=lambda: os.cpu_count() or 1,
    show_default="Anzahl Prozessorkerne",
    type=click.IntRange(1, 64),
    help="Prozesse zum Lesen der Quellen",
)
def run_command(source_dir: Path, db_url: str | None, as_of: dt.date | None, jobs: int) -> None:

    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task("Starte …", total=1)

        def progress(what: Msg, done: int, total: int) -> None:
            bar.update(task, description=escape(str(what)), completed=done, total=total)

        from etl.pipeline import run_pipeline

        try:
            summary = run_pipeline(source_dir, db_url=db_url, as_of=as_of, progress=progress, jobs=jobs)
        except ManifestError as exc:
            bar.stop()
            _fail(str(exc), 2)
        except WarehouseBusy as exc:
            bar.stop()
            _fail(str(exc), 1)
        except (SQLAlchemyError, OSError) as exc:
            bar.stop()
            _database_failure(exc, db_url)

    for warning in summary.warnings:
        out.print(Text.assemble(("Warnung: ", "yellow"), warning))
    out.print(_summary_table(summary))
    for f in summary.files:
        if f.status in ("failed", "kept"):
            out.print(Text.assemble((f"{f.file}: ", "red"), f.message))
    read = sum(f.rows_read for f in summary.files)
    rejected = sum(f.rows_rejected for f in summary.files)
    skipped = sum(f.rows_skipped for f in summary.files)
    skipped_text = f", {_de_int(skipped)} anderer Gebiete übersprungen" if skipped else ""
    out.print(
        f"{_de_int(read)} Zeilen gelesen, {_de_int(read - rejected - skipped)} übernommen, {_de_int(rejected)} "
        f"abgewiesen{skipped_text} (Details: engage export rejects)."
    )
    if summary.demo_key:
        out.print("Hinweis: Pseudonyme mit dem öffentlichen Demo-Schlüssel erzeugt (nur für Demodaten).")
    if summary.failed_sources:
        out.print(
            Text.assemble(
                ("Nicht geladen: ", "red"), ", ".join(summary.failed_sources), "; alle anderen Quellen sind geladen."
            )
        )
    sys.exit(summary.exit_code)


def _summary_table(summary: RunSummary) -> Table:
    """One line per source (a network run has hundreds of files): files, rows and the worst status."""
    table = Table(title=Text(f"Lauf {summary.run_id}: {summary.manifest.project.name}"), title_justify="left")
    table.add_column("Quelle", overflow="fold")
    for name in ("Dateien", "gelesen", "übernommen", "abgewiesen", "übersprungen"):
        table.add_column(name, justify="right")
    table.add_column("Status")
    status_de = {
        "ok": Text("ok", "green"),
        "rejects": Text("mit Fehlern", "yellow"),
        "kept": Text("abgelehnt, alte Daten beibehalten", "red"),
        "failed": Text("abgelehnt", "red"),
    }
    order = {"ok": 0, "rejects": 1, "kept": 2, "failed": 3}
    sources: dict[str, list[FileReport]] = {}
    for f in summary.files:
        sources.setdefault(f.source, []).append(f)
    for source, files in sources.items():
        read = sum(f.rows_read for f in files)
        rejected = sum(f.rows_rejected for f in files)
        skipped = sum(f.rows_skipped for f in files)
        worst = max((f.status for f in files), key=lambda s: order.get(s, 0))
        counts = (read, read - rejected - skipped, rejected, skipped)
        table.add_row(Text(source), str(len(files)), *(_de_int(n) for n in counts), status_de.get(worst, Text(worst)))
    return table


@main.command("demo", help="Schreibt einen synthetischen Quellordner (fiktive Städte) in den Formaten des Briefs.")
@click.option("--towns", default=3, show_default=True, type=click.IntRange(1, 500), help="Anzahl Städte")
@click.option("--years", default=3, show_default=True, type=click.IntRange(1, 30), help="Anzahl Jahre")
@click.option("--out", "out_dir", default=Path("data/demo"), show_default=True, type=click.Path(path_type=Path))
@click.option(
    "--seed",
    default=42,
    show_default=True,
    type=int,
    help="Zufallsstartwert (gleicher Wert, gleiche Dateien)",
)
def demo_command(towns: int, years: int, out_dir: Path, seed: int) -> None:
    from etl.demo import write_demo

    try:
        manifest = write_demo(out_dir, towns=towns, years=years, seed=seed)
    except OSError as exc:
        _fail(f"Der Demo-Ordner {out_dir} lässt sich nicht schreiben ({exc.strerror or 'Schreibfehler'}).", 1)
    out.print(
        Text(f"Demo-Quellordner geschrieben: {manifest.parent} ({towns} Städte, {years} Jahre, Startwert {seed}).")
    )
    out.print(Text(f"Weiter mit: engage run {manifest.parent} --db sqlite:///data/demo.sqlite"))


@main.command("serve", help="Startet das Dashboard (nur lesend; mit Konten und Anmeldung, siehe docs/deployment.md).")
@click.option("--db", "db_url", default=None, help=DB_HELP)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Adresse, auf der das Dashboard lauscht (andere als 127.0.0.1 nur mit Konten: engage users add)",
)
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=None, type=click.IntRange(1, 64), help="Prozesse (Standard: Kerne + 1)")
@click.option("--behind-proxy", is_flag=True, help="Hinter einem Reverse-Proxy mit TLS (X-Forwarded-For/-Proto)")
@click.option(
    "--source-dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Quellordner, in den Koordinierungsstellen Daten einspielen (sonst ENGAGE_SOURCE_DIR; ohne: aus)",
)
@click.option(
    "--max-upload-mb", default=None, type=click.IntRange(1, 2048), help="größte Datei beim Einspielen (Standard 50)"
)
def serve_command(
    db_url: str | None,
    host: str,
    port: int,
    workers: int | None,
    behind_proxy: bool,
    source_dir: Path | None,
    max_upload_mb: int | None,
) -> None:
    from dashboard.server import ServeError, serve

    try:
        serve(
            db_url,
            host=host,
            port=port,
            workers=workers,
            behind_proxy=behind_proxy,
            source_dir=source_dir,
            max_upload_mb=max_upload_mb,
        )
    except ServeError as exc:
        err.print(f"Fehler: {exc}", markup=False, highlight=False)
        sys.exit(2)


@main.command(
    "export",
    help="Schreibt Indikatoren, Ziele, Laufprotokoll oder abgewiesene Zeilen als CSV, oder mit 'package' das "
    "zitierfähige Datenpaket eines Laufs (Frictionless Data Package: Ordner oder .zip).",
)
@click.argument("what", type=click.Choice(["indicators", "goals", "runs", "rejects", "package"]))
@click.option("--db", "db_url", default=None, help=DB_HELP)
@click.option(
    "--out", "out_file", required=True, type=click.Path(path_type=Path), help="Datei (package: Ordner oder .zip)"
)
@click.option("--town", default=None, help="Nur package: Datenpaket einer Stadt (AGS); sonst das ganze Netzwerk")
@click.option("--run", "run_id", default=None, type=click.IntRange(1), help="Nur package: ein früherer Lauf (Nr.)")
def export_command(what: str, db_url: str | None, out_file: Path, town: str | None, run_id: int | None) -> None:
    from etl.db import database_url, make_engine, sqlite_path
    from etl.export import demo_warning, export_table

    if what != "package" and (town is not None or run_id is not None):
        _fail("--town und --run gibt es nur für das Datenpaket: engage export package …", 2)
    if what != "package" and out_file.is_dir():
        _fail(f"{out_file} ist ein Ordner: bitte eine Datei angeben.", 2)
    try:
        path = sqlite_path(database_url(db_url))
        if path is not None and not path.exists():
            _fail(f"Warehouse {path} gibt es nicht. Zuerst: engage run QUELLORDNER", 2)
        engine = make_engine(db_url)
        try:
            if what == "package":
                _export_package(engine, out_file, town, run_id)
                rows = None
            else:
                rows = export_table(engine, what, out_file)
            warning = demo_warning(engine)
        finally:
            engine.dispose()
    except (SQLAlchemyError, OSError) as exc:
        _database_failure(exc, db_url)
    if rows is not None:
        out.print(Text(f"{_de_int(rows)} Zeilen nach {out_file} geschrieben."))
    if warning:
        err.print(Text(warning))


def _export_package(engine: Engine, out_file: Path, town: str | None, run_id: int | None) -> None:
    from etl import warehouse
    from etl.package import PackageError, write_package

    try:
        with warehouse.at_run(run_id):
            cite = write_package(out_file, town=town, db=engine)
    except (PackageError, warehouse.WarehouseError) as exc:
        _fail(str(exc), 2)
    out.print(Text(f"Datenpaket nach {out_file} geschrieben. Zitieren als: {cite}"))


@main.command(
    "report",
    help="Schreibt den Bericht für den Rat (getaggtes A4-PDF, Deutsch oder Englisch) für eine Stadt und ein Jahr.",
)
@click.option("--db", "db_url", default=None, help=DB_HELP)
@click.option("--town", required=True, help="AGS der Stadt (8 Ziffern)")
@click.option("--year", required=True, type=click.IntRange(1990, 2100), help="Berichtsjahr")
@click.option("--as-of", "as_of", default=None, callback=_parse_date, help="Stichtag für Zielstatus (JJJJ-MM-TT)")
@click.option("--run", "run_id", default=None, type=click.IntRange(1), help="Bericht eines früheren Laufs (Nr.)")
@click.option(
    "--lang", "lang", default="de", show_default=True, type=click.Choice(["de", "en"]), help="Sprache des Berichts"
)
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
def report_command(
    db_url: str | None,
    town: str,
    year: int,
    as_of: dt.date | None,
    run_id: int | None,
    lang: str,
    out_file: Path,
) -> None:
    from dashboard.report import ReportError, build_report
    from etl import warehouse
    from etl.export import atomic_path

    try:
        with atomic_path(out_file) as temp, warehouse.at_run(run_id):
            build_report(town=town, year=year, out=temp, as_of=as_of, db=db_url, lang=lang)
    except (ReportError, warehouse.WarehouseError) as exc:
        _fail(str(exc), 2)
    except (SQLAlchemyError, OSError) as exc:
        _database_failure(exc, db_url)
    out.print(Text(f"Bericht geschrieben: {out_file}"))
