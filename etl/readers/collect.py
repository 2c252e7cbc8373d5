"""Reading all files of one source into canonical text columns.

Duplicates are sought across all files of a source (brief §4), so the kind readers validate the files
together; this module does the shared part: read each file, map its headers, count its rows. The columns
stay arrays until the rows of a whole batch of sources become one frame (:mod:`etl.readers.batch`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from etl.model import SourceSpec
from etl.readers.batch import Loaded
from etl.readers.checks import select_table
from etl.readers.tabular import RawTable, read_table


def read_all(spec: SourceSpec) -> list[RawTable]:
    """Every file of the source as a raw text table (stops at the first unreadable file)."""
    return [read_table(path, spec) for path in spec.files]


def load_canonical(
    spec: SourceSpec,
    required: Iterable[str],
    optional: Iterable[str],
    aliases: dict[str, tuple[str, ...]] | None = None,
) -> Loaded:
    """All files of ``spec`` with their columns picked by canonical names, as a :class:`Loaded`.

    ``headers`` are the export headers of the first file (for messages), ``counts`` the rows read per file.
    """
    required, optional = list(required), list(optional)
    parts = []
    headers: dict[str, str] = {}
    counts: dict[str, int] = {}
    for table in read_all(spec):
        columns, found = select_table(table, spec.columns, required, optional, aliases)
        for name, header in found.items():
            headers.setdefault(name, header)
        parts.append((table.file, table.rows, columns))
        counts[table.file] = len(table.rows)
    return Loaded(parts=parts, headers=headers, counts=counts)


def read_canonical(
    spec: SourceSpec,
    required: Iterable[str],
    optional: Iterable[str],
    aliases: dict[str, tuple[str, ...]] | None = None,
) -> tuple[pd.DataFrame, dict[str, str], dict[str, int]]:
    """:func:`load_canonical` as one frame (canonical columns + ``source_file``/``source_row``)."""
    loaded = load_canonical(spec, required, optional, aliases)
    return loaded.frame, loaded.headers, loaded.counts
