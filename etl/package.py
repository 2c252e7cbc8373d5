"""A citable data package of one run (issue 17): Frictionless Data Package, CSV and Parquet.

Researchers cite numbers and councils decide on them, so a download must carry what the bare CSV exports of
brief §7 do not: each column's type, unit and allowed values, the keys, what ``suppressed`` means, the licence,
the sources and the run the figures belong to, and a citation text. The Frictionless Data Package standard
(``datapackage.json`` with a Table Schema per resource) is what other tools read (frictionless, R, CKAN).

Everything is read through :mod:`etl.warehouse`, never from the tables directly: the package holds exactly
what the dashboard may show the reader, in the reader's sign-in scope (:class:`etl.warehouse.Scope`), of the
run chosen with :func:`etl.warehouse.at_run` (a link ``/daten/lauf-N.zip``, ``engage export package --run N``).
Suppressed cells are empty, as in the CSV export. Sources are named by their kind and the date of the file,
never by their content or path.

CSV files follow the format of :mod:`etl.export` (UTF-8, comma, ``.`` decimal point, ``true``/``false``,
formula-like text neutralised with ``'``); the Parquet copies hold the same rows typed, with text as it is
(a spreadsheet never runs a Parquet file). A ZIP is written with fixed time stamps, so the package of one
run and scope is the same bytes every time it is built.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl import warehouse
from etl.export import INDICATOR_COLUMNS, atomic_path, format_cell
from etl.indicators.catalogue import BY_ID
from etl.licences import licence_of
from etl.messages import MessageError, Msg
from etl.model import SOURCE_KINDS
from etl.readers.canonical import SECTORS
from etl.readers.goals import STATUSES as MEASURE_STATUSES

GOAL_STATUSES = ("achieved", "on_track", "at_risk", "off_track", "no_data")
FILE_STATUSES = ("ok", "rejects", "failed", "kept", "warning")
UNITS = tuple(sorted({i.unit for i in BY_ID.values()}))
FAMILIES = tuple(sorted({i.family for i in BY_ID.values()}))
BREAKDOWNS = ("", *sorted({b for i in BY_ID.values() for b in i.breakdowns}))

UNIT_MEANING = (
    "Einheit des Indikators (Katalog, Spalte unit): share = Anteil 0–1 (0.397 = 39,7 %), count = Anzahl, "
    "per_1000 = je 1.000 Einwohner*innen, hours = Stunden, index = Index, score = mittlere Bewertung, "
    "difference = Differenz zweier Werte."
)
SUPPRESSED_MEANING = (
    "true: Der Wert ist zum Schutz der Befragten unterdrückt – weniger Personen als die Mindestzellgröße "
    "(min_cell des Laufs) stehen dahinter, oder er ist sekundär unterdrückt, damit sich ein kleiner Wert nicht "
    "aus den gezeigten errechnen lässt. value, n, ci_low und ci_high sind dann leer. false: Wert gezeigt."
)


class PackageError(MessageError):
    """A package that cannot be built (the download route answers in the page's language)."""


@dataclass(frozen=True)
class Resource:
    """One table of the package: its name, the frame and its Table Schema."""

    name: str
    title: str
    frame: pd.DataFrame
    schema: dict


def _field(name: str, kind: str, description: str, **constraints: object) -> dict:
    out: dict = {"name": name, "type": kind, "description": description}
    if constraints:
        out["constraints"] = constraints
    return out


def _enum(values: tuple[str, ...] | list[str]) -> dict:
    return {"enum": list(values)}


def _indicator_resource(town: str | None, db: warehouse.DbArg) -> Resource:
    values = warehouse.indicators(town=town, breakdown=None, db=db)
    units = warehouse.catalogue(db=db).set_index("indicator")["unit"]
    frame = values.reindex(columns=[*INDICATOR_COLUMNS]).copy()
    frame["suppressed"] = frame["suppressed"].astype(bool)
    for column in ("value", "n", "ci_low", "ci_high"):  # empty where suppressed, whatever the mart holds
        frame[column] = frame[column].astype("Float64" if column != "n" else "Int64").mask(frame["suppressed"])
    frame.insert(frame.columns.get_loc("value"), "unit", frame["indicator"].map(units).astype("string"))
    frame = frame.sort_values(["town_ags", "indicator", "year", "breakdown", "group"], ignore_index=True)
    fields = [
        _field(
            "town_ags", "string", "Amtlicher Gemeindeschlüssel der Stadt (8 Ziffern)", required=True, pattern="[0-9]{8}"
        ),
        _field("town_name", "string", "Name der Stadt"),
        _field(
            "indicator", "string", "Kennung des Indikators (Ressource catalogue)", required=True, **_enum(sorted(BY_ID))
        ),
        _field("year", "integer", "Jahr", required=True),
        _field("breakdown", "string", "Aufgliederung; leer = Wert der ganzen Stadt", **_enum(BREAKDOWNS)),
        _field("group", "string", "Gruppe der Aufgliederung; leer = Wert der ganzen Stadt"),
        _field("unit", "string", UNIT_MEANING, **_enum(UNITS)),
        _field("value", "number", "Wert in der Einheit unit; leer, wenn unterdrückt"),
        _field(
            "n",
            "integer",
            "Ungewichtete Zahl der Personen, Organisationen oder Veranstaltungen dahinter; leer, wenn unterdrückt",
            minimum=0,
        ),
        _field("ci_low", "number", "Untere Grenze des 95-%-Intervalls (wo es eines gibt); leer, wenn unterdrückt"),
        _field("ci_high", "number", "Obere Grenze des 95-%-Intervalls (wo es eines gibt); leer, wenn unterdrückt"),
        _field("suppressed", "boolean", SUPPRESSED_MEANING, required=True),
    ]
    schema = {
        "fields": fields,
        "primaryKey": ["town_ags", "indicator", "year", "breakdown", "group"],
        "foreignKeys": [{"fields": "indicator", "reference": {"resource": "catalogue", "fields": "indicator"}}],
        "missingValues": [""],
    }
    return Resource("indicator_values", "Indikatorwerte (lang: eine Zeile je Wert)", frame, schema)


CATALOGUE_COLUMNS = [
    "indicator",
    "family",
    "name_de",
    "name_en",
    "description_de",
    "description_en",
    "formula_de",
    "formula_en",
    "unit",
    "principle",
    "source_kind",
    "breakdowns",
    "higher_is_better",
]


def _catalogue_resource(db: warehouse.DbArg) -> Resource:
    frame = warehouse.catalogue(db=db).reindex(columns=CATALOGUE_COLUMNS).sort_values("indicator", ignore_index=True)
    texts = {
        "name_de": "Name (deutsch)",
        "name_en": "Name (englisch)",
        "description_de": "Beschreibung (deutsch)",
        "description_en": "Beschreibung (englisch)",
        "formula_de": "Berechnung (deutsch)",
        "formula_en": "Berechnung (englisch)",
    }
    fields = [
        _field("indicator", "string", "Kennung des Indikators", required=True, unique=True),
        _field("family", "string", "Familie: Beteiligung, Zusammenarbeit, Ziele", required=True, **_enum(FAMILIES)),
        *(_field(name, "string", description) for name, description in texts.items()),
        _field("unit", "string", UNIT_MEANING, required=True, **_enum(UNITS)),
        _field("principle", "string", "Prinzipien des Netzwerks, denen er dient (z. B. P2, W1)"),
        _field("source_kind", "string", "Art der Quelle, aus der er berechnet wird"),
        _field("breakdowns", "string", "Mögliche Aufgliederungen, durch Komma getrennt"),
        _field("higher_is_better", "boolean", "true: höher ist besser; false: niedriger ist besser; leer: weder noch"),
    ]
    schema = {"fields": fields, "primaryKey": ["indicator"], "missingValues": [""]}
    return Resource("catalogue", "Indikatorkatalog: Definitionen, Einheiten, Berechnung", frame, schema)


GOAL_COLUMNS = [
    "town_ags",
    "goal_id",
    "title",
    "principle",
    "indicator",
    "unit",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "current",
    "current_date",
    "progress",
    "expected",
    "status",
    "as_of",
]


def _goal_resource(town: str | None, db: warehouse.DbArg) -> Resource:
    frame = (
        warehouse.goals(town=town, db=db)
        .reindex(columns=GOAL_COLUMNS)
        .sort_values(["town_ags", "goal_id"], ignore_index=True)
    )
    fields = [
        _field("town_ags", "string", "AGS der Stadt", required=True),
        _field("goal_id", "string", "Kennung des Ziels in der Stadt", required=True),
        _field("title", "string", "Ziel"),
        _field("principle", "string", "Prinzip des Netzwerks"),
        _field("indicator", "string", "Verknüpfter Indikator (leer: eigene Messgröße)"),
        _field("unit", "string", "Einheit von baseline, target und current"),
        _field("baseline", "number", "Ausgangswert"),
        _field("baseline_date", "date", "Datum des Ausgangswerts"),
        _field("target", "number", "Zielwert"),
        _field("target_date", "date", "Zieldatum"),
        _field("current", "number", "Letzter Messwert bis zum Stichtag"),
        _field("current_date", "date", "Datum des letzten Messwerts"),
        _field("progress", "number", "Fortschritt als Anteil 0–1 des Wegs vom Ausgangs- zum Zielwert"),
        _field("expected", "number", "Erwarteter Fortschritt (Anteil 0–1 der Zeit bis zum Zieldatum)"),
        _field(
            "status",
            "string",
            "Stand zum Stichtag: achieved = erreicht, on_track = im Plan, at_risk = "
            "gefährdet, off_track = nicht im Plan, no_data = keine Messung",
            required=True,
            **_enum(GOAL_STATUSES),
        ),
        _field("as_of", "date", "Stichtag des Laufs"),
    ]
    schema = {"fields": fields, "primaryKey": ["town_ags", "goal_id"], "missingValues": [""]}
    return Resource("goals", "Ziele der Städte mit Stand zum Stichtag", frame, schema)


MEASURE_COLUMNS = [
    "town_ags",
    "measure_id",
    "goal_id",
    "title",
    "lead_sector",
    "start",
    "due",
    "status",
    "level",
    "overdue",
    "as_of",
]


def _measure_resource(town: str | None, db: warehouse.DbArg) -> Resource:
    frame = warehouse.measures(town=town, db=db).reindex(columns=MEASURE_COLUMNS)
    frame = frame.sort_values(["town_ags", "goal_id", "measure_id"], ignore_index=True)
    fields = [
        _field("town_ags", "string", "AGS der Stadt", required=True),
        _field("measure_id", "string", "Kennung der Maßnahme in der Stadt", required=True),
        _field("goal_id", "string", "Ziel, dem sie dient (Ressource goals)", required=True),
        _field("title", "string", "Maßnahme"),
        _field("lead_sector", "string", "Federführender Sektor", **_enum(SECTORS)),
        _field("start", "date", "Beginn"),
        _field("due", "date", "Fälligkeit"),
        _field("status", "string", "Umsetzungsstand", **_enum(MEASURE_STATUSES)),
        _field("level", "integer", "Stufe der Wirkungstreppe (1–7)", minimum=1, maximum=7),
        _field("overdue", "boolean", "true: weder umgesetzt noch abgebrochen und vor dem Stichtag fällig"),
        _field("as_of", "date", "Stichtag des Laufs"),
    ]
    schema = {
        "fields": fields,
        "primaryKey": ["town_ags", "measure_id"],
        "foreignKeys": [
            {"fields": ["town_ags", "goal_id"], "reference": {"resource": "goals", "fields": ["town_ags", "goal_id"]}}
        ],
        "missingValues": [""],
    }
    return Resource("measures", "Maßnahmen der Zielpläne", frame, schema)


RUN_LOG_COLUMNS = [
    "source",
    "kind",
    "rows_read",
    "rows_accepted",
    "rows_rejected",
    "rows_skipped",
    "status",
    "file_modified",
]


def _run_log_resource(files: pd.DataFrame) -> Resource:
    frame = files.reindex(columns=RUN_LOG_COLUMNS).sort_values(["source", "kind"], ignore_index=True)
    frame["file_modified"] = pd.to_datetime(frame["file_modified"]).dt.date
    fields = [
        _field("source", "string", "Bezeichnung der Quelle im Manifest", required=True),
        _field("kind", "string", "Art der Quelle", **_enum([*SOURCE_KINDS, "manifest"])),
        _field("rows_read", "integer", "Gelesene Zeilen", minimum=0),
        _field("rows_accepted", "integer", "Übernommene Zeilen", minimum=0),
        _field("rows_rejected", "integer", "Abgewiesene Zeilen", minimum=0),
        _field("rows_skipped", "integer", "Übersprungene Zeilen (Regionen außerhalb des Netzwerks)", minimum=0),
        _field(
            "status",
            "string",
            "ok, rejects = Zeilen abgewiesen, failed = fehlgeschlagen, kept = fehlgeschlagen "
            "und Daten des letzten erfolgreichen Laufs beibehalten, warning = Hinweis zum Manifest",
            **_enum(FILE_STATUSES),
        ),
        _field("file_modified", "date", "Datum der Datei, als der Lauf sie las"),
    ]
    return Resource(
        "run_log", "Laufprotokoll: gelesene Quellen und Zeilen", frame, {"fields": fields, "missingValues": [""]}
    )


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for row in frame.astype(object).itertuples(index=False):
        writer.writerow([format_cell(None if _missing(v) else v) for v in row])
    return buffer.getvalue().encode("utf-8")


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    typed = frame.copy()
    for column in typed.columns:
        if typed[column].dtype == object:
            typed[column] = typed[column].astype("string")
    typed.to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()


def citation(project: str, town_name: str | None, finished: object, run_id: int) -> str:
    """The text to cite the package by: "Engagement-Monitor, Engagierte Stadt Musterstadt, Datenstand
    01.12.2026, Lauf 12" (the network's package names the project instead of a town)."""
    who = f"Engagierte Stadt {town_name}" if town_name else project
    return f"Engagement-Monitor, {who}, Datenstand {pd.Timestamp(finished):%d.%m.%Y}, Lauf {run_id}"


def package_files(town: str | None = None, db: warehouse.DbArg = None) -> dict[str, bytes]:
    """The package's files (path inside the package → bytes) of the run and scope reads see now.

    ``town``: one town's package (within the reader's scope: its values, goals, measures and the run log of
    its own sources); None: every town the reader may see. Raises :class:`PackageError` (German) for a town
    the reader cannot see, or :class:`etl.warehouse.WarehouseError`.
    """
    if town is None:
        return _package_files(None, None, db)
    towns = warehouse.towns(db=db)
    match = towns[towns["ags"] == str(town)]
    if match.empty:
        raise PackageError(Msg("pkg_town_unknown", town=str(town)))
    current = warehouse.current_scope()
    public = None if current.public is None else frozenset(p for p in current.public if p[0] == str(town))
    with warehouse.scoped(warehouse.Scope(frozenset({str(town)}), public)):
        return _package_files(str(town), str(match["name"].iloc[0]), db)


def _package_files(town: str | None, town_name: str | None, db: warehouse.DbArg) -> dict[str, bytes]:
    run = warehouse.latest_run(db=db)
    files = warehouse.runs(db=db)
    resources = [
        _indicator_resource(town, db),
        _catalogue_resource(db),
        _goal_resource(town, db),
        _measure_resource(town, db),
        _run_log_resource(files),
    ]
    licence = licence_of(run.licence)
    cite = citation(run.project_name, town_name, run.finished_at, run.run_id)
    out: dict[str, bytes] = {}
    described = []
    for resource in resources:
        csv_path, parquet_path = f"data/{resource.name}.csv", f"data/{resource.name}.parquet"
        out[csv_path] = _csv_bytes(resource.frame)
        out[parquet_path] = _parquet_bytes(resource.frame)
        described.append(
            {
                "name": resource.name,
                "title": resource.title,
                "path": csv_path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "schema": resource.schema,
                # The same rows typed, for pandas, R and DuckDB (Table Schema above applies to both files).
                "alternates": [
                    {"path": parquet_path, "format": "parquet", "mediatype": "application/vnd.apache.parquet"}
                ],
            }
        )
    sources = _sources(files)
    name = f"engagement-monitor-lauf-{run.run_id}" + (f"-{town}" if town else "")
    descriptor = {
        "profile": "tabular-data-package",
        "name": name,
        "title": f"Engagement-Monitor: {town_name or run.project_name}, Lauf {run.run_id}",
        "description": (
            "Indikatorwerte, Katalog, Ziele, Maßnahmen und Laufprotokoll des Engagement-Monitors, so wie das "
            f"Dashboard sie nach Lauf {run.run_id} zeigt. {SUPPRESSED_MEANING}"
            + (" Achtung: Demodaten (fiktive Städte), keine echte Auswertung." if run.demo_key else "")
        ),
        "version": str(run.run_id),
        "created": pd.Timestamp(run.finished_at).isoformat(),
        "licenses": [{"name": licence.spdx, "path": licence.url, "title": licence.title_de}],
        "sources": sources,
        "citation": cite,
        "run": {
            "id": run.run_id,
            "started": pd.Timestamp(run.started_at).isoformat(),
            "finished": pd.Timestamp(run.finished_at).isoformat(),
            "as_of": run.as_of.isoformat(),
            "min_cell": run.min_cell,
            "status": run.status,
            "demo": run.demo_key,
        },
        "scope": {"town_ags": town, "town_name": town_name} if town else {"town_ags": None, "network": True},
        "resources": described,
    }
    out["datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out["README.txt"] = _readme(descriptor).encode("utf-8")
    return out


def _sources(files: pd.DataFrame) -> list[dict]:
    """Each input's kind and file date (never its content or path), one entry per kind and date."""
    seen: list[dict] = []
    for _, row in files.sort_values(["kind", "file_modified"]).iterrows():
        kind = str(row["kind"])
        if kind == "manifest" or kind not in SOURCE_KINDS:
            continue
        modified = row.get("file_modified")
        date = None if _missing(modified) else pd.Timestamp(modified).date().isoformat()
        entry = {"title": f"{kind} ({date or 'Datum unbekannt'})", "kind": kind, "date": date}
        if entry not in seen:
            seen.append(entry)
    return seen


def _readme(descriptor: dict) -> str:
    licence = descriptor["licenses"][0]
    lines = [
        descriptor["title"],
        "",
        f"Zitieren als: {descriptor['citation']}",
        f"Lizenz: {licence['title']} ({licence['name']}), {licence['path']}",
        "",
        descriptor["description"],
        "",
        "Dateien (je als CSV und Parquet; Beschreibung der Spalten in datapackage.json):",
        *(f"- {r['path']}: {r['title']}" for r in descriptor["resources"]),
        "",
    ]
    return "\n".join(lines)


_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same run and scope give the same bytes


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """The package as one ZIP (``datapackage.json`` at its top), the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[path])
    return buffer.getvalue()


def write_package(out: Path, town: str | None = None, db: warehouse.DbArg = None) -> str:
    """Write the package to ``out``: a ``.zip`` file, else a folder (created; its package files replaced).
    Returns the citation text."""
    files = package_files(town=town, db=db)
    cite = str(json.loads(files["datapackage.json"])["citation"])
    out = Path(out)
    if out.suffix.lower() == ".zip":
        _atomic_write(out, lambda p: p.write_bytes(zip_bytes(files)))
        return cite
    if out.exists() and not out.is_dir():
        raise PackageError(Msg("pkg_out_is_file", out=str(out)))
    for path, data in files.items():
        target = out / path
        _atomic_write(target, lambda p, data=data: p.write_bytes(data))
    return cite


def _atomic_write(out: Path, write: Callable[[Path], object]) -> None:
    with atomic_path(out) as temp:
        write(temp)
