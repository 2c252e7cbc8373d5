"""What a layout parser hands on: the rows of the manifest's towns, their figures, and what it could not place.

Each layout (wide, long, flat) finds its data rows and the figures in them; deciding whether a figure is a
number, missing, bad or a duplicate, and whether a town's year is complete, is the same for all layouts and
happens once (:mod:`etl.readers.regionalstatistik.assemble`). Rows of regions that are not towns of the
manifest are only counted (``skipped``): a Land-wide download has thousands of them (brief §3.1, §4).

One town may stand in a file at more than one level of the table: a kreisfreie Stadt as Kreis (``09162``)
and as Gemeinde (``09162000``), a verbandsfreie Gemeinde as Gemeinde and as its own Gemeindeverband
(``091840119``). Those rows are other regions of the table with the same figures, not duplicates: the
row of the most specific level (the Gemeinde) is read, the others are skipped (:func:`most_specific`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etl.readers.regionalstatistik.sheet import Number
from etl.readers.regionalstatistik.table import restore_code, town_ags

ROW_COLUMNS = ["source_file", "source_row", "ags", "digits"]  # digits: of the code, its zeros restored
CELL_COLUMNS = ["source_file", "source_row", "year", "group", "gender", "text", "column"]
PROBLEM_COLUMNS = ["source_file", "source_row", "column", "reason"]


@dataclass
class Parsed:
    """One file's result: ``read`` data rows, ``skipped`` of them of other regions, and three frames.

    ``rows``: the town rows (``ags``, ``digits`` of the code) and the rows whose region could not be read
    (``ags`` None, with a problem); ``cells``: one per figure of a town row (``group`` a key of ``GROUPS``,
    ``gender`` m/w, ``text`` as written, ``column`` how a reject names it); ``problems``: rejects found while
    parsing.
    """

    file: str
    read: int
    skipped: int
    rows: pd.DataFrame
    cells: pd.DataFrame
    problems: pd.DataFrame


class Collector:
    """Builds a :class:`Parsed` row by row (the wide and long layouts are read line by line)."""

    def __init__(self, file: str, towns: frozenset[str]) -> None:
        self.file = file
        self.towns = towns
        self.read = 0
        self.skipped = 0
        self._rows: list[tuple[int, str | None, int]] = []
        self._cells: list[tuple[int, int, str, str, str, str]] = []
        self._problems: list[tuple[int, str, str]] = []

    def town_row(self, number: int, code: str) -> str | None:
        """Count a data row; the town's AGS if its region is a town of the manifest, else None (skipped).

        ``code`` is the cell as read: a :class:`~etl.readers.regionalstatistik.sheet.Number` when the
        workbook stored it as a number.
        """
        self.read += 1
        number_cell = isinstance(code, Number)
        ags = town_ags(code.strip(), number_cell)
        if ags not in self.towns:
            self.skipped += 1
            return None
        self._rows.append((number, ags, len(restore_code(code.strip(), number_cell))))
        return ags

    def bad_row(self, number: int, column: str, reason: str) -> None:
        """Count a data row whose region cannot be read: it is rejected, never skipped unseen."""
        self.read += 1
        self._rows.append((number, None, 0))
        self.problem(number, column, reason)

    def cell(self, number: int, year: int, group: str, gender: str, text: str, column: str) -> None:
        self._cells.append((number, year, group, gender, text, column))

    def problem(self, number: int, column: str, reason: str) -> None:
        self._problems.append((number, column, reason))

    def result(self) -> Parsed:
        def frame(records: list[tuple], columns: list[str]) -> pd.DataFrame:
            out = pd.DataFrame.from_records(records, columns=columns[1:])
            out.insert(0, "source_file", self.file)
            return out.astype({"source_row": "int64"})

        return Parsed(
            file=self.file,
            read=self.read,
            skipped=self.skipped,
            rows=frame(self._rows, ROW_COLUMNS),
            cells=frame(self._cells, CELL_COLUMNS).astype({"year": "int64"}),
            problems=frame(self._problems, PROBLEM_COLUMNS),
        )


# the levels of the table from the most specific: Gemeinde, Gemeinde in a Verband (11/12), Gemeindeverband,
# Kreis, Land
LEVEL_ORDER = {8: 0, 12: 1, 11: 1, 9: 2, 5: 3, 2: 4}


def most_specific(parsed: Parsed) -> Parsed:
    """Keep, per town, only the rows of its most specific level in this file; skip the others."""
    rows = parsed.rows
    towns = rows["ags"].notna()
    level = rows["digits"].map(LEVEL_ORDER).where(towns)
    best = level.groupby(rows["ags"]).transform("min")
    other = towns & (level > best)
    if not other.any():
        return parsed
    dropped = pd.MultiIndex.from_frame(rows.loc[other, ["source_file", "source_row"]])

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        where = pd.MultiIndex.from_frame(frame[["source_file", "source_row"]])
        return frame.loc[~where.isin(dropped)].reset_index(drop=True)

    return Parsed(
        file=parsed.file,
        read=parsed.read,
        skipped=parsed.skipped + int(other.sum()),
        rows=keep(rows),
        cells=keep(parsed.cells),
        problems=keep(parsed.problems),
    )
