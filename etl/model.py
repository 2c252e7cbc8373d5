"""The values passed between the ETL's steps: source specs, per-file reports, rejects, clean and mart data.

Readers turn one manifest source into a :class:`SourceResult`; the pipeline gathers those into
:class:`CleanData`; the indicator steps turn that into :class:`MartData`; the loader writes both.
Each frame's columns are those of the table of the same name in :mod:`etl.tables` (plus, for clean
frames, ``source_file`` and ``source_row`` so a row can be rejected later with its provenance).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.messages import MessageError

SOURCE_KINDS = (
    "population",
    "resident_survey",
    "partner_survey",
    "organisations",
    "registrations",
    "events",
    "goals",
    "districts",
)

REJECT_COLUMNS = ["source", "file", "row", "column", "reason"]
# beside the German reason: its code and parameters (JSON) in etl.messages, for showing it in English
REASON_COLUMNS = ["reason_code", "reason_params"]


class SourceError(Exception):
    """A file of a source cannot be read at all: stops that source with this (German) message."""


class ManifestError(MessageError):
    """The manifest (or the run's set-up) is wrong: one message naming the file and the key."""


@dataclass(frozen=True)
class Town:
    ags: str
    name: str


@dataclass(frozen=True)
class Project:
    name: str
    min_cell: int = 5
    survey_min_age: int = 14
    demo: bool = False  # written by `engage demo`: pseudonyms may use the public demo key
    licence: str = "CC-BY-4.0"  # SPDX id the aggregates are published under (etl.licences, issue 17)
    keep_runs: int | None = None  # how many runs the warehouse keeps viewable (None: every run; etl.history)


@dataclass(frozen=True)
class SourceSpec:
    """One ``[[sources]]`` block of the manifest, with its glob resolved to files."""

    kind: str
    label: str  # how the run log names the source: the manifest's ``name`` or its ``path``
    path: str  # as written in the manifest (may be a glob)
    files: tuple[Path, ...]  # resolved, sorted
    base_dir: Path  # the source folder; file names in logs are relative to it
    town: str | None = None
    year: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> export header
    codes: dict[str, str] = field(default_factory=dict)  # canonical question code -> export code
    sheet: str | None = None
    format: str | None = None  # e.g. "regionalstatistik"
    options: dict[str, object] = field(default_factory=dict)  # any other key of the block

    def relname(self, path: Path) -> str:
        try:
            return path.relative_to(self.base_dir).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass(frozen=True)
class Manifest:
    path: Path
    project: Project
    towns: tuple[Town, ...]
    sources: tuple[SourceSpec, ...]


@dataclass
class FileReport:
    source: str
    kind: str
    file: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    status: str  # ok, rejects, failed
    message: str  # German, shown in the run summary and the Daten & Methodik page
    # population rows of regions outside the manifest (brief §3.1, §4); 0 for every other kind
    rows_skipped: int = 0
    # the message as etl.messages parts (code + parameters), ``message`` is their German rendering
    parts: list = field(default_factory=list)

    def set_parts(self, parts: list) -> None:
        """Replace the message's parts and its German text together."""
        from etl.messages import render

        self.parts = list(parts)
        self.message = render(self.parts)

    def add_part(self, part: object) -> None:
        self.set_parts([*self.parts, part])


@dataclass
class SourceResult:
    """What a reader returns for one source: accepted rows, rejects and one report per file.

    ``frames`` maps a clean table name (e.g. ``"stg_registrations"``) to its accepted rows; a reader may
    fill several (the goal workbook fills goals, measures and measurements; the partner survey fills
    ``stg_partner_responses`` and the in-memory ``partner_ratings``).
    """

    spec: SourceSpec
    frames: dict[str, pd.DataFrame]
    rejects: pd.DataFrame  # columns REJECT_COLUMNS
    files: list[FileReport]
    failed: bool = False

    def reject_rows(self, table: str, mask: pd.Series, column: str, reasons: pd.Series) -> None:
        """Move the rows of ``frames[table]`` selected by ``mask`` to the rejects, keeping counts right.

        ``reasons`` holds an :class:`etl.messages.Msg` per row. Used by checks that need another source
        (answers by unknown organisations): rows read = accepted + rejected + skipped must hold after them too.
        """
        from etl.messages import params_json
        from etl.readers.checks import count_message  # the readers own the wording of the count sentence

        frame = self.frames[table]
        mask = mask.reindex(frame.index, fill_value=False).astype(bool)
        if not mask.any():
            return
        moved = frame.loc[mask]
        picked = reasons[mask].to_numpy(dtype=object)
        new = pd.DataFrame(
            {
                "source": self.spec.label,
                "file": moved["source_file"].to_numpy(),
                "row": moved["source_row"].to_numpy(),
                "column": column,
                "reason": [str(m) for m in picked],
                "reason_code": [m.code for m in picked],
                "reason_params": [params_json(m) for m in picked],
            }
        )
        self.rejects = pd.concat([self.rejects, new], ignore_index=True)
        self.frames[table] = frame.loc[~mask]
        counts = moved.groupby("source_file").size()
        for report in self.files:
            k = int(counts.get(report.file, 0))
            if k:
                read, skipped = report.rows_read, report.rows_skipped
                before = count_message(read, report.rows_accepted, report.rows_rejected, skipped)
                report.rows_accepted -= k
                report.rows_rejected += k
                after = count_message(read, report.rows_accepted, report.rows_rejected, skipped)
                report.set_parts([after if p == before else p for p in report.parts])
                if report.status == "ok":
                    report.status = "rejects"


def empty_rejects() -> pd.DataFrame:
    columns = REJECT_COLUMNS + REASON_COLUMNS
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}).astype({"row": "int64"})


@dataclass
class CleanData:
    """All accepted rows of one run, by clean table name (see :mod:`etl.tables`)."""

    manifest: Manifest
    frames: dict[str, pd.DataFrame]
    source_files: dict[str, list[str]]  # kind -> file names read, for indicator provenance
    as_of: dt.date

    def get(self, table: str) -> pd.DataFrame | None:
        return self.frames.get(table)
