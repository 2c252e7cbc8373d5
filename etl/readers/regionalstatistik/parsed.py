"""What a layout parser hands on: the rows of the manifest's towns, their figures, and what it could not place.

Each layout (wide, long, flat) finds its data rows and the figures in them; deciding whether a figure is a
number, missing, bad or a duplicate, and whether a town's year is complete, is the same for all layouts and
happens once (:mod:`etl.readers.regionalstatistik.assemble`). Rows of regions that are not towns of the
manifest are only counted (``skipped``): a Land-wide download has thousands of them (brief §3.1, §4).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etl.readers.regionalstatistik.sheet import Number
from etl.readers.regionalstatistik.table import town_ags

ROW_COLUMNS = ["source_file", "source_row", "ags"]
CELL_COLUMNS = ["source_file", "source_row", "year", "group", "gender", "text", "column"]
PROBLEM_COLUMNS = ["source_file", "source_row", "column", "reason"]


@dataclass
class Parsed:
    """One file's result: ``read`` data rows, ``skipped`` of them of other regions, and three frames.

    ``rows``: the town rows (``ags``) and the rows whose region could not be read (``ags`` None, with a
    problem); ``cells``: one per figure of a town row (``group`` a key of ``GROUPS``, ``gender`` m/w,
    ``text`` as written, ``column`` how a reject names it); ``problems``: rejects found while parsing.
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
        self._rows: list[tuple[int, str | None]] = []
        self._cells: list[tuple[int, int, str, str, str, str]] = []
        self._problems: list[tuple[int, str, str]] = []

    def town_row(self, number: int, code: str) -> str | None:
        """Count a data row; the town's AGS if its region is a town of the manifest, else None (skipped).

        ``code`` is the cell as read: a :class:`~etl.readers.regionalstatistik.sheet.Number` when the
        workbook stored it as a number.
        """
        self.read += 1
        ags = town_ags(code.strip(), isinstance(code, Number))
        if ags not in self.towns:
            self.skipped += 1
            return None
        self._rows.append((number, ags))
        return ags

    def bad_row(self, number: int, column: str, reason: str) -> None:
        """Count a data row whose region cannot be read: it is rejected, never skipped unseen."""
        self.read += 1
        self._rows.append((number, None))
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
