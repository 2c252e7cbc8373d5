"""Where a published file goes and which manifest entry it adds or updates: one plan for preview and publish.

A new export of something the town already has (its registration export, the survey of the same year, its
event list, its goal workbook) replaces that source: the entry keeps its name (so the run log and the "kept
data" of :mod:`etl.kept` go on under the same source), reads the new file, and the old file moves to the
intake's backup. Anything else becomes a new entry. The user may choose "als neue Quelle" instead. A source
whose path is a pattern (``export_*.csv``) is never replaced: the new file gets an entry of its own.

The file lies in the town's folder of the source folder (the folder its other sources share, else its AGS),
under its checked name; a name already taken gets ``_2``, ``_3`` … The preview runs the ETL on exactly this
plan, so what it shows is what publishing does.
"""

from __future__ import annotations

import glob
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath

from etl.model import Manifest, SourceSpec

KIND_NAMES = {
    "population": "Bevölkerung",
    "resident_survey": "Einwohnerbefragung",
    "partner_survey": "Akteursbefragung",
    "organisations": "Organisationen",
    "registrations": "Freiwilligenregistrierungen",
    "events": "Veranstaltungen",
    "goals": "Zielplan",
}
NEW = ""  # the choice "als neue Quelle"


@dataclass(frozen=True)
class Choice:
    """What the user confirmed for one file (kind, town, year, mapping, which source it replaces)."""

    file: str  # the staged file's name
    kind: str
    town: str | None
    year: int | None
    columns: dict[str, str]
    options: dict[str, object]
    replace: str | None  # the path of the entry to replace, NEW for a new entry, None: the default


@dataclass(frozen=True)
class Placement:
    target: str  # the file's path in the source folder
    replace: str  # the path of the replaced entry ('' = new entry)
    label: str  # the entry's name

    def to_dict(self) -> dict:
        return asdict(self)


def candidates(manifest: Manifest, kind: str, town: str | None, year: int | None) -> list[SourceSpec]:
    """Entries a new file of ``kind`` for ``town`` could replace (no patterns; surveys of the same year)."""
    found = []
    for spec in manifest.sources:
        if spec.kind != kind or glob.has_magic(spec.path):
            continue
        if kind != "population" and spec.town != town:
            continue
        if kind in ("resident_survey", "partner_survey") and spec.year != year:
            continue
        found.append(spec)
    return found


def town_folder(manifest: Manifest, town: str | None, kind: str) -> str:
    """The folder the town's sources share (first path part), else the AGS; population: its existing folder."""
    specs = [s for s in manifest.sources if (s.kind == kind if kind == "population" else s.town == town)]
    heads = {PurePosixPath(s.path).parts[0] for s in specs if len(PurePosixPath(s.path).parts) > 1}
    if len(heads) == 1:
        return heads.pop()
    return town or "bevoelkerung"


def place(manifest: Manifest, choice: Choice, taken: set[str]) -> Placement:
    """The plan for one file; ``taken``: paths already planned for other files of the same upload."""
    options = candidates(manifest, choice.kind, choice.town, choice.year)
    if choice.replace is None:
        replace = options[0].path if len(options) == 1 else NEW
    else:
        replace = choice.replace if choice.replace in {s.path for s in options} else NEW
    replaced = next((s for s in options if s.path == replace), None)
    folder = str(PurePosixPath(replace).parent) if replaced else town_folder(manifest, choice.town, choice.kind)
    folder = "" if folder == "." else folder
    existing = {spec.relname(f) for spec in manifest.sources for f in spec.files} | taken
    stem, ext = choice.file.rsplit(".", 1)
    target = str(PurePosixPath(folder, choice.file)) if folder else choice.file
    number = 2
    while target in existing and target != replace:
        name = f"{stem}_{number}.{ext}"
        target = str(PurePosixPath(folder, name)) if folder else name
        number += 1
    if replaced:
        label = replaced.label
    else:
        town = next((t.name for t in manifest.towns if t.ags == choice.town), choice.town or "")
        label = " ".join(str(p) for p in (KIND_NAMES[choice.kind], town, choice.year or "") if p).strip()
        labels = {s.label for s in manifest.sources}
        if label in labels:
            label = f"{label} ({PurePosixPath(target).name})"
    return Placement(target=target, replace=replace if replaced else NEW, label=label)
