"""One downloaded file as rows of text cells, whatever it came as: CSV, XLSX, or a ZIP holding one CSV.

The layouts of table 12411-02-03-5 are recognised by their content (brief §3.1), so every file is first
turned into the same thing: its rows, each with the row number a spreadsheet shows (a CSV record that
spans lines, like the quoted multi-line footnotes, is numbered by its first line). CSV text is decoded as
:func:`etl.readers.tabular.decode` does (UTF-8 with or without BOM, else latin-1, which regionalstatistik.de
writes), its separator is the one the head uses most (``;`` as regionalstatistik.de writes it); XLSX cells
read as German Excel shows them (:func:`etl.readers.tabular.cell_text`). GENESIS delivers its flat file as
a ZIP with one CSV, which is read from the archive directly.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from etl.messages import Msg
from etl.model import SourceSpec
from etl.readers.tabular import XLS_MAGIC, XLSX_MAGIC, FileUnreadable, cell_text, decode, find_sheet, open_workbook

HEAD_BYTES = 65_536
HEAD_ROWS = 60


class Number(str):
    """The text of an XLSX cell that holds a number: a region code there may have lost its leading zero."""


@dataclass
class Sheet:
    """One file: ``text`` the decoded CSV (None for XLSX), ``cells`` the XLSX rows (None for CSV)."""

    file: str
    text: str | None
    cells: list[tuple[int, list[str]]] | None = None

    @cached_property
    def rows(self) -> list[tuple[int, list[str]]]:
        """All rows as ``(row number, cells)``; a flat file is parsed from ``text`` instead, all at once."""
        return self.cells if self.text is None else csv_rows(self.text)

    def head(self) -> list[tuple[int, list[str]]]:
        """The first rows, enough to recognise the layout."""
        return self.rows[:HEAD_ROWS] if self.text is None else csv_rows(self.text, HEAD_ROWS)


def load(path: Path, spec: SourceSpec, head: bool = False) -> Sheet:
    """Read ``path``; ``head``: only its first bytes or rows, enough to recognise the layout."""
    file = spec.relname(path)
    with path.open("rb") as handle:
        data = handle.read(HEAD_BYTES) if head else handle.read()
    if data.startswith(XLS_MAGIC):
        raise FileUnreadable(file, Msg("old_xls", file=file))
    if data.startswith(XLSX_MAGIC):
        archive = _archive(path, file)
        if "xl/workbook.xml" in archive.namelist():
            archive.close()
            return Sheet(file, None, _xlsx_rows(path, file, spec.sheet, HEAD_ROWS if head else None))
        data = _zipped_csv(archive, file, HEAD_BYTES if head else None)
    if not data.strip():
        raise FileUnreadable(file, Msg("empty_file", file=file))
    text = _decode_head(data) if head else decode(data, file, _encoding(spec), fallback="latin-1")
    if "\x00" in text[:8192]:
        raise FileUnreadable(file, Msg("binary_file", file=file))
    return Sheet(file, text)


def separator(text: str) -> str:
    """The separator the head of ``text`` uses most: ``;`` (regionalstatistik.de, GENESIS), ``,`` or tab."""
    head = text[:8192]
    return max((";", "\t", ","), key=head.count)


def csv_rows(text: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """CSV records with the line number each starts on (quotes, doubled quotes and CRLF handled)."""
    reader = csv.reader(io.StringIO(text), delimiter=separator(text))
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for record in reader:
        rows.append((start, record))
        start = reader.line_num + 1
        if limit is not None and len(rows) >= limit:
            break
    return rows


def _encoding(spec: SourceSpec) -> str | None:
    value = spec.options.get("encoding")
    return str(value) if value else None


def _decode_head(data: bytes) -> str:
    """The head of a file decoded for recognising it: UTF-8 unless it is not (a cut last character aside)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8")
        return data.decode("latin-1")


def _archive(path: Path, file: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise FileUnreadable(file, Msg("neither_xlsx_nor_zip", file=file)) from None


def _zipped_csv(archive: zipfile.ZipFile, file: str, limit: int | None) -> bytes:
    """The one CSV inside a ZIP (GENESIS delivers its flat file so)."""
    with archive:
        members = [n for n in archive.namelist() if n.casefold().endswith(".csv") and not n.endswith("/")]
        if len(members) != 1:
            found = ", ".join(members) if members else Msg("listing_none")
            raise FileUnreadable(file, Msg("zip_one_csv", file=file, found=found))
        with archive.open(members[0]) as member:
            return member.read(limit) if limit else member.read()


def _xlsx_rows(path: Path, file: str, sheet: str | None, limit: int | None) -> list[tuple[int, list[str]]]:
    """The rows of the first sheet (or the one named ``sheet``) as text, numbered as Excel numbers them."""
    workbook = open_workbook(path, file)
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        else:
            name = find_sheet(workbook.sheetnames, sheet)
            if name is None:
                raise FileUnreadable(
                    file, Msg("no_sheet", file=file, sheet=sheet, sheets=", ".join(workbook.sheetnames))
                )
            worksheet = workbook[name]
        rows: list[tuple[int, list[str]]] = []
        for i, row in enumerate(worksheet.iter_rows(max_row=limit), start=1):
            number = next((c.row for c in row if getattr(c, "row", None)), i)
            rows.append((number, [_text(c) for c in row]))
        return rows
    finally:
        workbook.close()


def _text(cell) -> str:  # noqa: ANN001 - an openpyxl cell
    text = cell_text(cell.value, getattr(cell, "number_format", None))
    numeric = isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
    return Number(text) if numeric else text
