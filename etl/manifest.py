"""Reading and checking a source folder's manifest ``engage.toml`` (brief §3).

The manifest is written by hand by a town's coordinator, so every mistake in it must stop the run with one
German sentence that names the file, the block and the key and says what would be right. Checks happen
here, before any data is read, so a typo never surfaces later as a confusing reader error.

Every key is checked against the keys its block allows (:data:`PROJECT_KEYS`, :data:`TOWN_KEYS`,
:data:`SOURCE_KEYS` per kind): an unknown key (``yaer``, ``[sources.colums]``) is an error with a
"meinten Sie …?" suggestion, since an ignored key silently changes what is read. Files must lie inside the
source folder after resolving symbolic links (a link to ``/etc/passwd`` is refused, for globs too), and no
file (sheet) may be read by two sources, which would count its rows twice.
"""

from __future__ import annotations

import codecs
import difflib
import glob
import re
import tomllib
from pathlib import Path
from typing import Any

from etl.model import SOURCE_KINDS, Manifest, ManifestError, Project, SourceSpec, Town
from etl.readers.canonical import CODES, COLUMNS
from etl.readers.questionnaire import QuestionnaireError, load_questionnaire

MANIFEST_NAME = "engage.toml"

_AGS = re.compile(r"\d{8}")
_SPEC_KEYS = {"kind", "name", "path", "town", "year", "columns", "codes", "sheet", "format"}

# The keys each block may have. Adding a key a reader needs is one entry here.
TOP_KEYS = ("project", "towns", "sources")
PROJECT_KEYS = ("name", "min_cell", "survey_min_age", "demo")
TOWN_KEYS = ("ags", "name")
_COMMON_SOURCE_KEYS = ("kind", "name", "path", "town", "year", "columns", "codes", "sheet", "format", "encoding")
SOURCE_KEYS: dict[str, tuple[str, ...]] = {
    "population": _COMMON_SOURCE_KEYS,
    "resident_survey": (*_COMMON_SOURCE_KEYS, "questionnaire", "yn_codes"),
    "partner_survey": (*_COMMON_SOURCE_KEYS, "questionnaire", "yn_codes"),
    "organisations": _COMMON_SOURCE_KEYS,
    "registrations": _COMMON_SOURCE_KEYS,
    "events": _COMMON_SOURCE_KEYS,
    "goals": _COMMON_SOURCE_KEYS,
    # GeoJSON: no columns, sheets or years; the properties holding code and name are named instead
    "districts": ("kind", "name", "path", "town", "encoding", "code_property", "name_property"),
}
_TEXT_OPTIONS = ("code_property", "name_property")  # option keys whose value must be a non-empty text
MIN_CELL_FLOOR = 3  # below this no small-cell protection is left (brief §6: default 5)
_FORMATS = {"population": ("regionalstatistik",)}
# Kinds whose rows carry the AGS themselves, so the source needs no ``town``.
_KINDS_WITH_AGS = ("population",)


def load_manifest(source_dir: Path) -> Manifest:
    """Read ``source_dir/engage.toml`` into a :class:`Manifest` with every source's files resolved.

    Raises :class:`ManifestError` (German, naming file and key) for any mistake.
    """
    source_dir = Path(source_dir)
    path = source_dir / MANIFEST_NAME
    where = path.as_posix()
    if not source_dir.is_dir():
        raise ManifestError(f"Der Quellordner {source_dir.as_posix()} existiert nicht.")
    if not path.is_file():
        raise ManifestError(
            f"{where} fehlt: Jeder Quellordner braucht ein Manifest {MANIFEST_NAME} mit [project], "
            "[[towns]] und [[sources]]."
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ManifestError(f"{where} ist nicht in UTF-8 gespeichert: bitte als UTF-8 speichern.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{where} ist kein gültiges TOML: {_toml_position(exc)}") from None

    project = _project(data, where)
    towns = _towns(data, where)
    _known_keys(data, TOP_KEYS, where, "auf oberster Ebene")
    raw_sources = data.get("sources")
    if raw_sources is None:
        raise ManifestError(f"{where}: Es fehlt mindestens ein Block [[sources]] (die zu lesenden Exporte).")
    if not isinstance(raw_sources, list) or not all(isinstance(s, dict) for s in raw_sources):
        raise ManifestError(f"{where}: 'sources' muss als Blöcke [[sources]] geschrieben werden.")
    sources = tuple(_source(block, i + 1, source_dir, towns, where) for i, block in enumerate(raw_sources))
    _read_once(sources, where)
    return Manifest(path=path, project=project, towns=towns, sources=sources)


def _known_keys(block: dict[str, Any], allowed: tuple[str, ...], where: str, what: str) -> None:
    """Refuse a key the block does not know, suggesting the nearest known one (difflib)."""
    for key in block:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key).casefold(), allowed, n=1, cutoff=0.6)
        hint = f"; meinten Sie '{close[0]}'?" if close else ""
        raise ManifestError(
            f"{where}, {what}: Schlüssel '{key}' ist unbekannt{hint} (erlaubt: {', '.join(allowed)})."
        )


def _read_once(sources: tuple[SourceSpec, ...], where: str) -> None:
    """No file (or sheet of a workbook) may be read by two sources: its rows would count twice."""
    seen: dict[tuple[Path, str | None], int] = {}
    for number, spec in enumerate(sources, start=1):
        for file in spec.files:
            key = (file.resolve(), spec.sheet.casefold() if spec.sheet else None)
            if key in seen:
                first = seen[key]
                raise ManifestError(
                    f"{where}: Die Datei '{spec.relname(file)}' wird von [[sources]] Nr. {first} "
                    f"({sources[first - 1].label}) und Nr. {number} ({spec.label}) gelesen – ihre Zeilen würden "
                    "doppelt gezählt. Bitte die Datei nur einer Quelle zuordnen (Muster wie \"*.csv\" prüfen)."
                )
            seen[key] = number


def _toml_position(exc: tomllib.TOMLDecodeError) -> str:
    """Turn tomllib's English error into a German pointer to line and column."""
    text = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", text)
    detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", text)
    if match:
        return f"Syntaxfehler in Zeile {match.group(1)}, Spalte {match.group(2)} ({detail})"
    return f"Syntaxfehler am Dateiende ({detail})"


def _project(data: dict[str, Any], where: str) -> Project:
    block = data.get("project")
    if not isinstance(block, dict):
        close = difflib.get_close_matches("project", [str(k).casefold() for k in data], n=1, cutoff=0.6)
        hint = f" (steht dort [{close[0]}]?)" if close else ""
        raise ManifestError(f'{where}: Der Abschnitt [project] fehlt{hint} (mindestens name = "…").')
    name = block.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ManifestError(f"{where}, [project], Schlüssel 'name': Es fehlt der Projektname als Text.")
    _known_keys(block, PROJECT_KEYS, where, "[project]")
    min_cell = _int(block, "min_cell", 5, 1, 1000, f"{where}, [project]")
    if min_cell < MIN_CELL_FLOOR:
        raise ManifestError(
            f"{where}, [project], Schlüssel 'min_cell': {min_cell} ist zu klein – unter {MIN_CELL_FLOOR} "
            "schützt die Unterdrückung kleiner Gruppen niemanden mehr (Standard und Empfehlung: 5)."
        )
    min_age = _int(block, "survey_min_age", 14, 0, 120, f"{where}, [project]")
    demo = block.get("demo", False)
    if not isinstance(demo, bool):
        raise ManifestError(f"{where}, [project], Schlüssel 'demo': {demo!r} ist nicht true oder false.")
    return Project(name=name.strip(), min_cell=min_cell, survey_min_age=min_age, demo=demo)


def _int(block: dict[str, Any], key: str, default: int, lo: int, hi: int, where: str) -> int:
    value = block.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ManifestError(f"{where}, Schlüssel '{key}': {value!r} ist keine ganze Zahl von {lo} bis {hi}.")
    return value


def _towns(data: dict[str, Any], where: str) -> tuple[Town, ...]:
    blocks = data.get("towns")
    if not isinstance(blocks, list) or not blocks or not all(isinstance(b, dict) for b in blocks):
        raise ManifestError(
            f'{where}: Es fehlt mindestens ein Block [[towns]] mit ags = "…" (8 Ziffern) und name = "…".'
        )
    towns: list[Town] = []
    for i, block in enumerate(blocks, start=1):
        here = f"{where}, [[towns]] Nr. {i}"
        _known_keys(block, TOWN_KEYS, where, f"[[towns]] Nr. {i}")
        ags = block.get("ags")
        if isinstance(ags, int) and not isinstance(ags, bool):
            raise ManifestError(
                f"{here}, Schlüssel 'ags': {ags} ist als Zahl geschrieben; der Gemeindeschlüssel muss "
                f'als Text in Anführungszeichen stehen (z. B. "{ags:08d}"), sonst gehen führende Nullen verloren.'
            )
        if not isinstance(ags, str) or not _AGS.fullmatch(ags.strip()):
            raise ManifestError(f"{here}, Schlüssel 'ags': {ags!r} ist kein Amtlicher Gemeindeschlüssel aus 8 Ziffern.")
        name = block.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ManifestError(f"{here}, Schlüssel 'name': Es fehlt der Name der Stadt.")
        if any(t.ags == ags.strip() for t in towns):
            raise ManifestError(f"{here}, Schlüssel 'ags': '{ags.strip()}' steht schon in einem früheren Block.")
        towns.append(Town(ags=ags.strip(), name=name.strip()))
    return tuple(towns)


def _source(block: dict[str, Any], number: int, source_dir: Path, towns: tuple[Town, ...], where: str) -> SourceSpec:
    here = f"{where}, [[sources]] Nr. {number}"
    kind = block.get("kind")
    if kind not in SOURCE_KINDS:
        shown = "fehlt" if kind is None else f"{kind!r} ist keine bekannte Quellenart"
        raise ManifestError(f"{here}, Schlüssel 'kind': {shown} (erlaubt: {', '.join(SOURCE_KINDS)}).")
    _known_keys(block, SOURCE_KEYS[kind], where, f"[[sources]] Nr. {number} ({kind})")
    path = block.get("path")
    if not isinstance(path, str) or not path.strip():
        raise ManifestError(f"{here}, Schlüssel 'path': Es fehlt der Dateiname (oder ein Muster wie \"*.csv\").")
    path = path.strip()
    files = _resolve(path, source_dir, here)
    label = block.get("name", path)
    if not isinstance(label, str) or not label.strip():
        raise ManifestError(f"{here}, Schlüssel 'name': {label!r} ist kein Text.")
    town = _town(block, kind, towns, here)
    year = block.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100):
        raise ManifestError(f"{here}, Schlüssel 'year': {year!r} ist keine Jahreszahl (1900–2100).")
    columns = _mapping(block, "columns", kind, here)
    codes = _mapping(block, "codes", kind, here)
    sheet = block.get("sheet")
    if sheet is not None and (not isinstance(sheet, str) or not sheet.strip()):
        raise ManifestError(f"{here}, Schlüssel 'sheet': {sheet!r} ist kein Tabellenblattname.")
    fmt = block.get("format")
    if fmt is not None and fmt not in _FORMATS.get(kind, ()):
        allowed = ", ".join(_FORMATS.get(kind, ())) or f"keine für {kind}"
        raise ManifestError(f"{here}, Schlüssel 'format': {fmt!r} ist kein bekanntes Format (erlaubt: {allowed}).")
    options = {k: v for k, v in block.items() if k not in _SPEC_KEYS}
    _survey_options(options, kind, source_dir, here)
    for key in _TEXT_OPTIONS:
        if key in options and (not isinstance(options[key], str) or not options[key].strip()):
            raise ManifestError(
                f"{here}, Schlüssel '{key}': {options[key]!r} ist kein Name einer GeoJSON-Eigenschaft "
                '(z. B. "STT_NR").'
            )
    encoding = options.get("encoding")
    if encoding is not None:
        try:
            codecs.lookup(str(encoding))
        except LookupError:
            raise ManifestError(
                f"{here}, Schlüssel 'encoding': {encoding!r} ist keine bekannte Zeichenkodierung "
                '(z. B. "utf-8", "cp1252", "latin-1").'
            ) from None
    return SourceSpec(
        kind=kind,
        label=label.strip(),
        path=path,
        files=files,
        base_dir=source_dir,
        town=town,
        year=year,
        columns=columns,
        codes=codes,
        sheet=sheet.strip() if sheet else None,
        format=fmt,
        options=options,
    )


def _survey_options(options: dict[str, Any], kind: str, source_dir: Path, here: str) -> None:
    """``questionnaire`` (the survey's own .lss, relative to the folder like ``path``) and ``yn_codes``.

    Both belong to the survey kinds (brief §3.2); the values are checked and normalised in ``options``.
    """
    if kind not in CODES:
        return
    name = options.get("questionnaire")
    if name is not None:
        where = f"{here}, Schlüssel 'questionnaire'"
        if not isinstance(name, str) or not name.strip() or glob.has_magic(name):
            raise ManifestError(f'{where}: {name!r} ist kein Dateiname eines Fragebogens (z. B. "umfrage.lss").')
        name = name.strip()
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ManifestError(
                f"{where}: '{name}' liegt nicht im Quellordner; Pfade sind relativ zum Ordner von engage.toml."
            )
        if not (source_dir / name).is_file():
            raise ManifestError(f"{where}: Die Datei '{name}' gibt es im Quellordner nicht.")
        try:
            load_questionnaire(source_dir / name)
        except QuestionnaireError as exc:
            raise ManifestError(f"{where}: {exc}") from None
        options["questionnaire"] = name
    codes = options.get("yn_codes")
    if codes is not None:
        valid = isinstance(codes, list) and len(codes) == 2 and all(isinstance(c, str) and c.strip() for c in codes)
        if not valid or codes[0].strip() == codes[1].strip():
            raise ManifestError(
                f"{here}, Schlüssel 'yn_codes': {codes!r} muss zwei verschiedene Codes nennen, erst den für „Ja“, "
                "dann den für „Nein“, wie sie der Export mit „Y in 1 / N in 2 umwandeln“ schreibt "
                '(yn_codes = ["1", "2"]).'
            )
        options["yn_codes"] = [c.strip() for c in codes]


def _resolve(path: str, source_dir: Path, here: str) -> tuple[Path, ...]:
    """Files named by ``path`` (a name or a glob) relative to the source folder, sorted."""
    if Path(path).is_absolute() or ".." in Path(path).parts:
        raise ManifestError(
            f"{here}, Schlüssel 'path': '{path}' liegt nicht im Quellordner; Pfade sind relativ zum Ordner "
            "von engage.toml."
        )
    if glob.has_magic(path) and not (source_dir / path).is_file():  # a file named "[x]e.csv" is no pattern
        files = tuple(sorted(p for p in source_dir.glob(path) if p.is_file()))
        if not files:
            raise ManifestError(f"{here}, Schlüssel 'path': Das Muster '{path}' passt auf keine Datei im Quellordner.")
    else:
        file = source_dir / path
        if not file.is_file():
            raise ManifestError(f"{here}, Schlüssel 'path': Die Datei '{path}' gibt es im Quellordner nicht.")
        files = (file,)
    root = source_dir.resolve()
    for file in files:
        if not file.resolve().is_relative_to(root):
            raise ManifestError(
                f"{here}, Schlüssel 'path': '{file.relative_to(source_dir).as_posix()}' ist ein Verweis (Symlink) "
                "auf eine Datei außerhalb des Quellordners; gelesen werden nur Dateien im Quellordner. Bitte die "
                "Datei selbst in den Ordner kopieren."
            )
    return files


def _town(block: dict[str, Any], kind: str, towns: tuple[Town, ...], here: str) -> str | None:
    town = block.get("town")
    if town is None:
        if len(towns) == 1:
            return towns[0].ags
        if kind in _KINDS_WITH_AGS:
            return None
        raise ManifestError(
            f"{here}, Schlüssel 'town': fehlt; bei mehreren Städten muss jede Quelle der Art {kind} "
            'den Gemeindeschlüssel ihrer Stadt nennen (town = "…").'
        )
    if not isinstance(town, str):
        raise ManifestError(
            f"{here}, Schlüssel 'town': {town!r} muss als Text in Anführungszeichen stehen (8 Ziffern)."
        )
    town = town.strip()
    if town not in {t.ags for t in towns}:
        known = ", ".join(t.ags for t in towns)
        raise ManifestError(f"{here}, Schlüssel 'town': '{town}' steht in keinem Block [[towns]] (bekannt: {known}).")
    return town


def _mapping(block: dict[str, Any], key: str, kind: str, here: str) -> dict[str, str]:
    """``[sources.columns]`` / ``[sources.codes]``: canonical name -> export name, names checked."""
    raw = block.get(key)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ManifestError(f"{here}, Schlüssel '{key}': muss eine Tabelle [sources.{key}] sein.")
    if key == "codes" and kind not in CODES:
        raise ManifestError(
            f"{here}, Schlüssel 'codes': [sources.codes] gibt es nur für resident_survey und partner_survey."
        )
    # Survey question codes may also be mapped under [sources.columns]: both are headers of the export.
    known = (*COLUMNS[kind], *CODES.get(kind, ()))
    folded = {k.casefold(): k for k in known}
    out: dict[str, str] = {}
    for canonical, export in raw.items():
        name = folded.get(canonical.strip().casefold())
        if name is None:
            close = difflib.get_close_matches(canonical.strip().casefold(), list(folded), n=1, cutoff=0.6)
            hint = f"; meinten Sie '{folded[close[0]]}'?" if close else ""
            raise ManifestError(
                f"{here}, [sources.{key}], Schlüssel '{canonical}': kein bekannter Name für {kind}{hint} "
                f"(bekannt: {', '.join(known)})."
            )
        if not isinstance(export, str) or not export.strip():
            raise ManifestError(
                f"{here}, [sources.{key}], Schlüssel '{canonical}': {export!r} ist kein Spaltenname der Exportdatei."
            )
        out[name] = export.strip()
    return out
