"""The Regionalstatistik table 12411-02-03-5 ("Bevölkerung nach Geschlecht und Altersgruppen (17)").

regionalstatistik.de and GENESIS-Online write it in four layouts, all read here and recognised by their
content, not by the file name (brief §3.1): the wide CSV (the usual download, :mod:`.wide`), the same
table as XLSX (:mod:`.wide` too), the long CSV with the age groups in the rows (:mod:`.long`) and the
GENESIS flat file, also zipped (:mod:`.flat`). Files are read into rows (:mod:`.sheet`), the layout's
parser picks the rows of the manifest's towns and their figures, and :mod:`.assemble` checks them and
re-bands the 17 age groups to the five bands of §3.1. Rows of other regions are skipped and counted:
a download for a whole Land or for Germany is normal. Title, header and footer lines are no rows; a
row is numbered by its line (its row in a spreadsheet).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from etl.messages import Msg
from etl.model import SourceSpec, Town
from etl.readers.checks import RejectLog
from etl.readers.regionalstatistik import flat, long, wide
from etl.readers.regionalstatistik.assemble import assemble
from etl.readers.regionalstatistik.parsed import Parsed, most_specific
from etl.readers.regionalstatistik.sheet import Sheet, load
from etl.readers.regionalstatistik.table import TABLE_CODE
from etl.readers.tabular import FileUnreadable

Rows = list[tuple[int, list[str]]]
LAYOUTS: dict[str, Callable[[Rows], bool]] = {"flat": flat.matches, "wide": wide.matches, "long": long.matches}


def layout(rows: Rows) -> str | None:
    """The layout of a file from its first rows: ``flat``, ``wide``, ``long``, or None (not this table)."""
    return next((name for name, matches in LAYOUTS.items() if matches(rows)), None)


def looks_like(path: Path, spec: SourceSpec) -> bool:
    """Whether ``path`` is table 12411-02-03-5 in one of its layouts (read from the file's head only)."""
    try:
        return layout(load(path, spec, head=True).head()) is not None
    except FileUnreadable:
        return False  # the reader that takes the file says what is wrong with it


def not_this_table(file: str) -> Msg:
    """The message for a file that is none of the layouts."""
    return Msg("not_regionalstatistik", file=file, table=TABLE_CODE)


def _parse(sheet: Sheet, spec: SourceSpec, towns: frozenset[str]) -> Parsed:
    found = layout(sheet.head())
    if found == "flat":
        return flat.parse(sheet, towns)
    if found == "wide":
        return wide.parse(sheet, towns, spec.year)
    if found == "long":
        return long.parse(sheet, towns)
    raise FileUnreadable(sheet.file, not_this_table(sheet.file))


def read(
    spec: SourceSpec, towns: tuple[Town, ...]
) -> tuple[pd.DataFrame, dict[str, int], dict[str, int], RejectLog, dict[str, str]]:
    """Population rows (canonical columns) of all files: rows read and skipped per file, rejects, file notes."""
    ags = frozenset(t.ags for t in towns)
    parsed = [most_specific(_parse(load(path, spec), spec, ags)) for path in spec.files]
    return assemble(parsed, spec, towns)
