"""Reading all files of one source into a single frame of canonical text columns.

Duplicates are sought across all files of a source (brief §4), so the kind readers validate the files
together; this module does the shared part: read each file, map its headers, count its rows.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from etl.model import SourceSpec
from etl.readers.batch import Loaded
from etl.readers.checks import select
from etl.readers.tabular import RawTable, read_table


def read_all(spec: SourceSpec) -> list[RawTable]:
    """Every file of the source as a raw text table (stops at the first unreadable file)."""
    return [read_table(path, spec) for path in spec.files]


def read_canonical(
    spec: SourceSpec,
    required: Iterable[str],
    optional: Iterable[str],
    aliases: dict[str, tuple[str, ...]] | None = None,
) -> tuple[pd.DataFrame, dict[str, str], dict[str, int]]:
    """All files of ``spec`` with their columns renamed to canonical names.

    Returns the concatenated frame (canonical columns + ``source_file``/``source_row``), the export
    header of each canonical field (from the first file, for messages) and the rows read per file.
    """
    required, optional = list(required), list(optional)
    frames: list[pd.DataFrame] = []
    headers: dict[str, str] = {}
    counts: dict[str, int] = {}
    for table in read_all(spec):
        frame, found = select(table.frame, table.file, spec.columns, required, optional, aliases)
        for name, header in found.items():
            headers.setdefault(name, header)
        frames.append(frame)
        counts[table.file] = len(frame)
    if len(frames) == 1:
        combined = frames[0]
    else:
        combined = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*required, *optional])
    return combined, headers, counts


def load_canonical(
    spec: SourceSpec,
    required: Iterable[str],
    optional: Iterable[str],
    aliases: dict[str, tuple[str, ...]] | None = None,
) -> Loaded:
    """:func:`read_canonical` as a :class:`~etl.readers.batch.Loaded` for validating several sources at once."""
    frame, headers, counts = read_canonical(spec, required, optional, aliases)
    return Loaded(frame=frame, headers=headers, counts=counts)
