"""Editing ``engage.toml`` for an intake: add or update one ``[[sources]]`` entry, keep everything else.

tomlkit keeps the comments, the order and the spelling of the hand-written manifest; only the entry of the
published file changes. An entry is found by its ``path`` (the manifest never reads one file twice). The
text of an entry before it changed is kept with the intake, so an undo restores exactly that entry and leaves
whatever other towns published since untouched. The manifest is replaced in one step (written beside it,
then renamed), so a run never reads half of it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import tomlkit
from tomlkit.items import AoT, Table
from tomlkit.toml_document import TOMLDocument

from etl.manifest import MANIFEST_NAME


def read(source_dir: Path) -> TOMLDocument:
    return tomlkit.parse((source_dir / MANIFEST_NAME).read_text(encoding="utf-8-sig"))


def write(source_dir: Path, doc: TOMLDocument) -> None:
    """Replace the manifest in one step, keeping its file mode."""
    path = source_dir / MANIFEST_NAME
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    temporary = path.with_name(f".{MANIFEST_NAME}.{secrets.token_hex(4)}.teil")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(tomlkit.dumps(doc))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def sources(doc: TOMLDocument) -> AoT | list:
    found = doc.get("sources")
    return found if found is not None else []


def find(doc: TOMLDocument, path: str) -> int | None:
    """The index of the ``[[sources]]`` entry whose ``path`` is ``path``."""
    for i, entry in enumerate(sources(doc)):
        if str(entry.get("path", "")).strip() == path:
            return i
    return None


def entry_text(entry: Table) -> str:
    """One entry as TOML text (a document with just that ``[[sources]]`` block), for the undo."""
    holder = tomlkit.document()
    block = tomlkit.aot()
    block.append(entry)
    holder["sources"] = block
    return tomlkit.dumps(holder)


def entry_from_text(text: str) -> Table:
    return tomlkit.parse(text)["sources"][0]


def new_entry(
    kind: str, name: str, path: str, town: str | None, year: int | None, columns: dict[str, str], options: dict
) -> Table:
    """A ``[[sources]]`` block as the manifest documents it (brief §3)."""
    entry = tomlkit.table()
    entry["kind"] = kind
    entry["name"] = name
    entry["path"] = path
    if town:
        entry["town"] = town
    if year is not None:
        entry["year"] = int(year)
    # what the reader needs: questionnaire, format, sheet, yn_codes …, then the sub-tables (codes) after them
    for key, value in sorted(options.items(), key=lambda item: isinstance(item[1], dict)):
        if key in entry or value in (None, "", [], {}):
            continue
        if isinstance(value, dict):
            table = tomlkit.table()
            for sub, item in value.items():
                table[str(sub)] = item
            entry[key] = table
        else:
            entry[key] = value
    if columns:
        mapping = tomlkit.table()
        for canonical, header in columns.items():
            mapping[canonical] = header
        entry["columns"] = mapping
    return entry


def update_entry(entry: Table, path: str, year: int | None, columns: dict[str, str] | None) -> None:
    """The entry now reads the new file (its name, town and other keys stay)."""
    entry["path"] = path
    if year is not None:
        entry["year"] = int(year)
    if columns is not None:
        if "columns" in entry:
            del entry["columns"]
        if columns:
            mapping = tomlkit.table()
            for canonical, header in columns.items():
                mapping[canonical] = header
            entry["columns"] = mapping


def add(doc: TOMLDocument, entry: Table) -> None:
    if "sources" not in doc:
        doc["sources"] = tomlkit.aot()
    doc["sources"].append(entry)


def remove(doc: TOMLDocument, index: int) -> None:
    del doc["sources"][index]


def replace(doc: TOMLDocument, index: int, entry: Table) -> None:
    doc["sources"][index] = entry


def restricted(doc: TOMLDocument, keep: list[int]) -> TOMLDocument:
    """A copy of the manifest with only the ``[[sources]]`` entries at ``keep`` (and all else as it is)."""
    copy = tomlkit.parse(tomlkit.dumps(doc))
    block = sources(copy)
    for i in sorted(set(range(len(block))) - set(keep), reverse=True):
        del block[i]
    return copy


def restricted_towns(doc: TOMLDocument, towns: list[str]) -> None:
    """Keep only the ``[[towns]]`` blocks of ``towns`` (a preview computes only the towns it changes)."""
    block = doc.get("towns")
    if block is None:
        return
    for i in reversed(range(len(block))):
        if str(block[i].get("ags", "")).strip() not in towns:
            del block[i]
