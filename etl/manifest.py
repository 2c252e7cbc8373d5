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

from etl.licences import DEFAULT_LICENCE, LICENCES
from etl.messages import Msg
from etl.model import SOURCE_KINDS, Manifest, ManifestError, Project, SourceSpec, Town
from etl.readers.canonical import CODES, COLUMNS
from etl.readers.questionnaire import QuestionnaireError, load_questionnaire

MANIFEST_NAME = "engage.toml"

_AGS = re.compile(r"\d{8}")
_SPEC_KEYS = {"kind", "name", "path", "town", "year", "columns", "codes", "sheet", "format"}

# The keys each block may have. Adding a key a reader needs is one entry here.
TOP_KEYS = ("project", "towns", "sources")
PROJECT_KEYS = ("name", "min_cell", "survey_min_age", "demo", "licence", "keep_runs")
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
        raise ManifestError(Msg("mf_no_folder", folder=source_dir.as_posix()))
    if not path.is_file():
        raise ManifestError(Msg("mf_missing", where=where, name=MANIFEST_NAME))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ManifestError(Msg("mf_not_utf8", where=where)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(Msg("mf_bad_toml", where=where, position=_toml_position(exc))) from None

    project = _project(data, where)
    towns = _towns(data, where)
    _known_keys(data, TOP_KEYS, where, Msg("mf_top_level"))
    raw_sources = data.get("sources")
    if raw_sources is None:
        raise ManifestError(Msg("mf_no_sources", where=where))
    if not isinstance(raw_sources, list) or not all(isinstance(s, dict) for s in raw_sources):
        raise ManifestError(Msg("mf_sources_not_blocks", where=where))
    sources = tuple(_source(block, i + 1, source_dir, towns, where) for i, block in enumerate(raw_sources))
    _read_once(sources, where)
    return Manifest(path=path, project=project, towns=towns, sources=sources)


def _known_keys(block: dict[str, Any], allowed: tuple[str, ...], where: str, what: Msg | str) -> None:
    """Refuse a key the block does not know, suggesting the nearest known one (difflib)."""
    for key in block:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key).casefold(), allowed, n=1, cutoff=0.6)
        hint = Msg("mf_did_you_mean", name=close[0]) if close else None
        raise ManifestError(
            Msg("mf_unknown_key", where=where, what=what, key=str(key), hint=hint, allowed=", ".join(allowed))
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
                    Msg(
                        "mf_read_twice",
                        where=where,
                        file=spec.relname(file),
                        first=first,
                        first_label=sources[first - 1].label,
                        number=number,
                        label=spec.label,
                    )
                )
            seen[key] = number


def _toml_position(exc: tomllib.TOMLDecodeError) -> Msg:
    """Turn tomllib's English error into a pointer to line and column."""
    text = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", text)
    detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", text)
    if match:
        return Msg("mf_toml_at", line=match.group(1), column=match.group(2), detail=detail)
    return Msg("mf_toml_end", detail=detail)


def _project(data: dict[str, Any], where: str) -> Project:
    block = data.get("project")
    if not isinstance(block, dict):
        close = difflib.get_close_matches("project", [str(k).casefold() for k in data], n=1, cutoff=0.6)
        hint = Msg("mf_project_hint", name=close[0]) if close else None
        raise ManifestError(Msg("mf_no_project", where=where, hint=hint))
    name = block.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ManifestError(Msg("mf_no_project_name", where=where))
    _known_keys(block, PROJECT_KEYS, where, "[project]")
    min_cell = _int(block, "min_cell", 5, 1, 1000, f"{where}, [project]")
    if min_cell < MIN_CELL_FLOOR:
        raise ManifestError(Msg("mf_min_cell_low", where=where, value=min_cell, floor=MIN_CELL_FLOOR))
    min_age = _int(block, "survey_min_age", 14, 0, 120, f"{where}, [project]")
    demo = block.get("demo", False)
    if not isinstance(demo, bool):
        raise ManifestError(Msg("mf_demo_not_bool", where=where, value=repr(demo)))
    keep_runs = block.get("keep_runs")  # None: every run stays viewable
    if keep_runs is not None:
        keep_runs = _int(block, "keep_runs", 1, 1, 100_000, f"{where}, [project]")
    return Project(
        name=name.strip(),
        min_cell=min_cell,
        survey_min_age=min_age,
        demo=demo,
        licence=_licence(block, where),
        keep_runs=keep_runs,
    )


def _licence(block: dict[str, Any], where: str) -> str:
    """``licence``: an SPDX id of :data:`etl.licences.LICENCES` (case as written there), default CC-BY-4.0."""
    value = block.get("licence", DEFAULT_LICENCE)
    known = {spdx.casefold(): spdx for spdx in LICENCES}
    if isinstance(value, str) and value.strip().casefold() in known:
        return known[value.strip().casefold()]
    close = difflib.get_close_matches(str(value).casefold(), list(known), n=1, cutoff=0.6)
    hint = Msg("mf_did_you_mean", name=known[close[0]]) if close else None
    raise ManifestError(
        Msg(
            "mf_licence",
            where=where,
            value=repr(value),
            hint=hint,
            allowed=", ".join(LICENCES),
            default=DEFAULT_LICENCE,
        )
    )


def _int(block: dict[str, Any], key: str, default: int, lo: int, hi: int, where: str) -> int:
    value = block.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ManifestError(Msg("mf_not_int", where=where, key=key, value=repr(value), lo=lo, hi=hi))
    return value


def _towns(data: dict[str, Any], where: str) -> tuple[Town, ...]:
    blocks = data.get("towns")
    if not isinstance(blocks, list) or not blocks or not all(isinstance(b, dict) for b in blocks):
        raise ManifestError(Msg("mf_no_towns", where=where))
    towns: list[Town] = []
    for i, block in enumerate(blocks, start=1):
        here = Msg("mf_town_block", where=where, n=i)
        _known_keys(block, TOWN_KEYS, where, Msg("mf_towns_nr", n=i))
        ags = block.get("ags")
        if isinstance(ags, int) and not isinstance(ags, bool):
            raise ManifestError(Msg("mf_ags_number", at=_key(here, "ags"), ags=ags, padded=f"{ags:08d}"))
        if not isinstance(ags, str) or not _AGS.fullmatch(ags.strip()):
            raise ManifestError(Msg("mf_ags_invalid", at=_key(here, "ags"), value=repr(ags)))
        name = block.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ManifestError(Msg("mf_town_name_missing", at=_key(here, "name")))
        if any(t.ags == ags.strip() for t in towns):
            raise ManifestError(Msg("mf_ags_twice", at=_key(here, "ags"), ags=ags.strip()))
        towns.append(Town(ags=ags.strip(), name=name.strip()))
    return tuple(towns)


def _source(block: dict[str, Any], number: int, source_dir: Path, towns: tuple[Town, ...], where: str) -> SourceSpec:
    here = Msg("mf_source_block", where=where, n=number)
    kind = block.get("kind")
    if kind not in SOURCE_KINDS:
        shown = Msg("mf_kind_missing") if kind is None else Msg("mf_kind_unknown", value=repr(kind))
        raise ManifestError(Msg("mf_kind", at=_key(here, "kind"), shown=shown, allowed=", ".join(SOURCE_KINDS)))
    _known_keys(block, SOURCE_KEYS[kind], where, Msg("mf_sources_nr", n=number, kind=kind))
    path = block.get("path")
    if not isinstance(path, str) or not path.strip():
        raise ManifestError(Msg("mf_path_missing", at=_key(here, "path")))
    path = path.strip()
    files = _resolve(path, source_dir, here)
    label = block.get("name", path)
    if not isinstance(label, str) or not label.strip():
        raise ManifestError(Msg("mf_label_not_text", at=_key(here, "name"), value=repr(label)))
    town = _town(block, kind, towns, here)
    year = block.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100):
        raise ManifestError(Msg("mf_year", at=_key(here, "year"), value=repr(year)))
    columns = _mapping(block, "columns", kind, here)
    codes = _mapping(block, "codes", kind, here)
    sheet = block.get("sheet")
    if sheet is not None and (not isinstance(sheet, str) or not sheet.strip()):
        raise ManifestError(Msg("mf_sheet", at=_key(here, "sheet"), value=repr(sheet)))
    fmt = block.get("format")
    if fmt is not None and fmt not in _FORMATS.get(kind, ()):
        allowed = ", ".join(_FORMATS.get(kind, ())) or Msg("mf_formats_none", kind=kind)
        raise ManifestError(Msg("mf_format", at=_key(here, "format"), value=repr(fmt), allowed=allowed))
    options = {k: v for k, v in block.items() if k not in _SPEC_KEYS}
    _survey_options(options, kind, source_dir, here)
    for key in _TEXT_OPTIONS:
        if key in options and (not isinstance(options[key], str) or not options[key].strip()):
            raise ManifestError(Msg("mf_geojson_property", at=_key(here, key), value=repr(options[key])))
    encoding = options.get("encoding")
    if encoding is not None:
        try:
            codecs.lookup(str(encoding))
        except LookupError:
            raise ManifestError(Msg("mf_encoding", at=_key(here, "encoding"), value=repr(encoding))) from None
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


def _survey_options(options: dict[str, Any], kind: str, source_dir: Path, here: Msg) -> None:
    """``questionnaire`` (the survey's own .lss, relative to the folder like ``path``) and ``yn_codes``.

    Both belong to the survey kinds (brief §3.2); the values are checked and normalised in ``options``.
    """
    if kind not in CODES:
        return
    name = options.get("questionnaire")
    if name is not None:
        at = _key(here, "questionnaire")
        if not isinstance(name, str) or not name.strip() or glob.has_magic(name):
            raise ManifestError(Msg("mf_questionnaire_name", at=at, value=repr(name)))
        name = name.strip()
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ManifestError(Msg("mf_outside", at=at, name=name))
        if not (source_dir / name).is_file():
            raise ManifestError(Msg("mf_file_absent", at=at, name=name))
        try:
            load_questionnaire(source_dir / name)
        except QuestionnaireError as exc:
            raise ManifestError(Msg("mf_questionnaire", at=at, problem=exc.msg)) from None
        options["questionnaire"] = name
    codes = options.get("yn_codes")
    if codes is not None:
        valid = isinstance(codes, list) and len(codes) == 2 and all(isinstance(c, str) and c.strip() for c in codes)
        if not valid or codes[0].strip() == codes[1].strip():
            raise ManifestError(Msg("mf_yn_codes", at=_key(here, "yn_codes"), value=repr(codes)))
        options["yn_codes"] = [c.strip() for c in codes]


def _resolve(path: str, source_dir: Path, here: Msg) -> tuple[Path, ...]:
    """Files named by ``path`` (a name or a glob) relative to the source folder, sorted."""
    at = _key(here, "path")
    if Path(path).is_absolute() or ".." in Path(path).parts:
        raise ManifestError(Msg("mf_outside", at=at, name=path))
    if glob.has_magic(path) and not (source_dir / path).is_file():  # a file named "[x]e.csv" is no pattern
        files = tuple(sorted(p for p in source_dir.glob(path) if p.is_file()))
        if not files:
            raise ManifestError(Msg("mf_no_match", at=at, path=path))
    else:
        file = source_dir / path
        if not file.is_file():
            raise ManifestError(Msg("mf_file_absent", at=at, name=path))
        files = (file,)
    root = source_dir.resolve()
    for file in files:
        if not file.resolve().is_relative_to(root):
            raise ManifestError(Msg("mf_symlink", at=at, name=file.relative_to(source_dir).as_posix()))
    return files


def _town(block: dict[str, Any], kind: str, towns: tuple[Town, ...], here: Msg) -> str | None:
    town = block.get("town")
    if town is None:
        if len(towns) == 1:
            return towns[0].ags
        if kind in _KINDS_WITH_AGS:
            return None
        raise ManifestError(Msg("mf_town_needed", at=_key(here, "town"), kind=kind))
    if not isinstance(town, str):
        raise ManifestError(Msg("mf_town_not_text", at=_key(here, "town"), value=repr(town)))
    town = town.strip()
    if town not in {t.ags for t in towns}:
        known = ", ".join(t.ags for t in towns)
        raise ManifestError(Msg("mf_town_unknown", at=_key(here, "town"), town=town, known=known))
    return town


def _mapping(block: dict[str, Any], key: str, kind: str, here: Msg) -> dict[str, str]:
    """``[sources.columns]`` / ``[sources.codes]``: canonical name -> export name, names checked."""
    raw = block.get(key)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ManifestError(Msg("mf_mapping_not_table", at=_key(here, key), key=key))
    if key == "codes" and kind not in CODES:
        raise ManifestError(Msg("mf_codes_kind", at=_key(here, "codes")))
    # Survey question codes may also be mapped under [sources.columns]: both are headers of the export.
    known = (*COLUMNS[kind], *CODES.get(kind, ()))
    folded = {k.casefold(): k for k in known}
    out: dict[str, str] = {}
    for canonical, export in raw.items():
        name = folded.get(canonical.strip().casefold())
        if name is None:
            close = difflib.get_close_matches(canonical.strip().casefold(), list(folded), n=1, cutoff=0.6)
            hint = Msg("mf_did_you_mean", name=folded[close[0]]) if close else None
            listed = ", ".join(known)
            raise ManifestError(
                Msg("mf_mapping_unknown", here=here, key=key, name=canonical, kind=kind, hint=hint, known=listed)
            )
        if not isinstance(export, str) or not export.strip():
            raise ManifestError(Msg("mf_mapping_export", here=here, key=key, name=canonical, value=repr(export)))
        out[name] = export.strip()
    return out


def _key(here: Msg, key: str) -> Msg:
    """``manifest, [[sources]] Nr. 3, Schlüssel 'path'``: where in the manifest a key's value is wrong."""
    return Msg("mf_key", here=here, key=key)
