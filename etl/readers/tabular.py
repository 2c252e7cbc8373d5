"""Low-level reading of one export file into a frame of strings (brief §3, "every reader accepts …").

Everything is read as text first and typed later, field by field (:mod:`etl.readers.fields`), so codes
keep their leading zeros and a bad cell becomes a reject with its row number instead of a parser crash.
The kind of file is recognised by its bytes, never by its name: XLSX by the ZIP signature, text by
decoding (strict UTF-8 with or without BOM first, else cp1252), separators by sniffing the header line.

XLSX cells are turned into the text German Excel shows: numbers without a trailing ``.0``, dates as ISO
dates. A number cell that holds a code (a postcode typed as 1067) has lost its leading zero in Excel
itself; we restore it only where the cell's number format says how many digits it has (``00000``, the
format Excel's "Postleitzahl" uses) and otherwise leave the digits as they are, so the field check rejects
e.g. a 7-digit AGS with a hint to format the column as text, instead of silently guessing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from etl.model import SourceError, SourceSpec

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
SEPARATORS = (";", ",", "\t")
_ZERO_FORMAT = re.compile(r"0+")


class FileUnreadable(SourceError):
    """A file that cannot be read as a table at all; stops its source. ``file`` is the relative name."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(message)
        self.file = file


@dataclass
class RawTable:
    """One sheet or CSV file as strings: columns named by the export's headers plus provenance.

    ``frame`` has one column per (de-duplicated, stripped) header, ``""`` for empty cells, and the
    columns ``source_file`` and ``source_row`` (the row number a spreadsheet shows; header = row 1).
    Entirely empty lines are dropped: they are no data rows and are not counted.
    """

    file: str
    frame: pd.DataFrame
    headers: list[str]


def is_xlsx(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == XLSX_MAGIC


def decode(data: bytes, file: str, encoding: str | None = None, fallback: str = "cp1252") -> str:
    """Text of a file: the manifest's ``encoding`` if given, else UTF-8 (BOM or not), else ``fallback``."""
    if encoding:
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise FileUnreadable(
                file,
                f"{file} lässt sich nicht mit der Kodierung '{encoding}' aus engage.toml lesen (Byte {exc.start}).",
            ) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode(fallback)
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so the table still reads.
        return data.decode("latin-1")


def read_text(path: Path, spec: SourceSpec, fallback: str = "cp1252") -> str:
    """A text export decoded (see :func:`decode`), refusing binary files with a clear message."""
    file = spec.relname(path)
    data = path.read_bytes()
    if data.startswith(XLS_MAGIC):
        raise FileUnreadable(
            file, f"{file} ist eine alte Excel-Datei (.xls): bitte in Excel als .xlsx oder als CSV speichern."
        )
    if not data.strip():
        raise FileUnreadable(file, f"{file} ist leer: Es fehlt die Kopfzeile.")
    text = decode(data, file, _encoding(spec), fallback)
    if "\x00" in text[:8192]:
        raise FileUnreadable(file, f"{file} ist keine Tabelle (CSV oder XLSX), sondern eine Binärdatei.")
    return text


def _encoding(spec: SourceSpec) -> str | None:
    value = spec.options.get("encoding")
    return str(value) if value else None


def sniff_separator(header_line: str) -> str:
    """The separator that splits the header line into the most fields (``;`` wins ties, as in German Excel)."""
    best, best_count = ";", 0
    for sep in SEPARATORS:
        count = len(next(csv.reader([header_line], delimiter=sep), []))
        if count > best_count:
            best, best_count = sep, count
    return best


def read_table(path: Path, spec: SourceSpec, sheet: str | None = None) -> RawTable:
    """Read one CSV or XLSX file of a source (XLSX: ``sheet``, else ``spec.sheet``, else the first)."""
    if is_xlsx(path):
        return read_xlsx(path, spec, sheet or spec.sheet)
    return read_csv(read_text(path, spec), spec.relname(path))


def read_csv(text: str, file: str) -> RawTable:
    """Parse decoded CSV text: separator sniffed, quotes and CRLF handled, everything kept as text."""
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if not first_line.strip():
        raise FileUnreadable(file, f"{file} hat keine Kopfzeile: Zeile 1 ist leer.")
    sep = sniff_separator(first_line)
    try:
        cells = _parse_csv(text, sep, None).to_numpy(dtype=object)
    except pd.errors.ParserError:
        # Some rows are longer than the header. Harmless when the extra fields are empty (Excel's trailing
        # separators); otherwise values would have no column, so the file is not a proper table.
        widths = [len(r) for r in csv.reader(io.StringIO(text), delimiter=sep)]
        try:
            frame = _parse_csv(text, sep, max(widths))
        except pd.errors.ParserError as exc:
            raise FileUnreadable(file, f"{file} ist keine lesbare CSV-Tabelle ({exc}).") from None
        cells = frame.fillna("").to_numpy(dtype=object)
        width = widths[0]
        filled = ~blank_rows(cells[1:, width:])
        if filled.any():
            record = int(filled.nonzero()[0][0]) + 2
            raise FileUnreadable(
                file,
                f"{file}: Zeile {record} hat mehr Werte als die Kopfzeile Spalten ({width}); die Datei ist "
                "keine gleichmäßige Tabelle (Trennzeichen oder Anführungszeichen prüfen).",
            ) from None
        cells = cells[:, :width]
    header = list(cells[0]) if len(cells) else []
    return _table(file, header, cells[1:], first_data_row=2)


def _parse_csv(text: str, sep: str, width: int | None) -> pd.DataFrame:
    # object columns: the cells are needed as Python strings anyway (see _table), and converting the
    # parser's strings to pandas' string dtype and back costs more than parsing
    return pd.read_csv(
        io.StringIO(text),
        sep=sep,
        header=None,
        names=range(width) if width else None,
        dtype=object,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        quotechar='"',
        doublequote=True,
        engine="c",
    )


def blank_rows(cells: np.ndarray) -> np.ndarray:
    """Rows of a (rows, columns) text array whose cells are all empty or whitespace.

    Column by column, only the rows still blank so far are looked at; the first filled column (an id
    in every real export) settles almost every row, so a wide table costs about one column.
    """
    blank = np.ones(cells.shape[0], dtype=bool)
    rows = np.arange(cells.shape[0])
    for j in range(cells.shape[1]):
        if not rows.size:
            break
        column = cells[rows, j]
        filled = column != ""
        if filled.any():
            # the same whitespace rule as pandas' string strip, applied to the non-empty cells only
            text = pd.Series(column[filled], dtype=object).astype(str).str.strip()
            filled[filled] = (text != "").to_numpy(dtype=bool)
            blank[rows[filled]] = False
            rows = rows[~filled]
    return blank


def _table(file: str, header: list[object], cells: np.ndarray, first_data_row: int) -> RawTable:
    """Name the columns by the header, drop unnamed empty columns and blank lines, add provenance.

    ``cells`` is the (rows, columns) object array of the body's text, row 1 of it being the sheet's
    ``first_data_row``.
    """
    names = [str(h).replace("\ufeff", "").strip() if h is not None else "" for h in header]
    if not any(names):
        raise FileUnreadable(file, f"{file} hat keine Kopfzeile: Zeile 1 ist leer.")
    keep: list[int] = []
    headers: list[str] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            continue  # an unnamed column (e.g. Excel's trailing ';') maps to no field
        seen[name] = seen.get(name, 0) + 1
        headers.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
        keep.append(i)
    rows = np.arange(first_data_row, first_data_row + cells.shape[0], dtype="int64")
    if cells.shape[1]:
        filled = ~blank_rows(cells)
        cells, rows = cells[filled], rows[filled]
    # dtype=object keeps the cells as they are; pandas would otherwise convert each column to its string dtype
    data = pd.DataFrame(cells[:, keep], columns=headers, dtype=object)
    data.insert(0, "source_file", file)
    data["source_row"] = rows
    return RawTable(file=file, frame=data, headers=headers)


# --- XLSX ---------------------------------------------------------------------------------------------------


def cell_text(value: object, number_format: str | None = None) -> str:
    """The text a cell shows: ints without ``.0``, dates ISO, zero-padded where the format says so."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    text = str(value)
    if isinstance(value, int) and number_format and _ZERO_FORMAT.fullmatch(number_format) and value >= 0:
        text = text.zfill(len(number_format))
    return text


def xlsx_sheet_rows(path: Path, file: str, sheet: str | None, *, optional: bool = False) -> list[list[str]] | None:
    """All rows of one sheet as text (row 1 first); ``None`` for a missing optional sheet."""
    workbook = open_workbook(path, file)
    try:
        return _sheet_rows(workbook, file, sheet, optional=optional)
    finally:
        workbook.close()


def open_workbook(path: Path, file: str):  # noqa: ANN201 - openpyxl's Workbook
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileUnreadable(file, f"{file} ist keine lesbare XLSX-Datei ({type(exc).__name__}).") from None


def find_sheet(names: list[str], wanted: str) -> str | None:
    """A sheet by name, ignoring case, surrounding spaces and the ß/ss spelling (Maßnahmen = Massnahmen)."""

    def norm(name: str) -> str:
        return name.strip().casefold().replace("ß", "ss")

    return next((n for n in names if norm(n) == norm(wanted)), None)


def _sheet_rows(workbook, file: str, sheet: str | None, *, optional: bool = False) -> list[list[str]] | None:  # noqa: ANN001
    if sheet is None:
        worksheet = workbook.worksheets[0]
    else:
        name = find_sheet(workbook.sheetnames, sheet)
        if name is None:
            if optional:
                return None
            raise FileUnreadable(
                file, f"{file} hat kein Tabellenblatt '{sheet}' (vorhanden: {', '.join(workbook.sheetnames)})."
            )
        worksheet = workbook[name]
    rows: list[list[str]] = []
    for row in worksheet.iter_rows():
        cells = [cell_text(c.value, getattr(c, "number_format", None)) for c in row]
        # read-only sheets skip wholly empty rows at the top; keep row numbers honest
        number = next((c.row for c in row if getattr(c, "row", None)), None)
        while number is not None and len(rows) < number - 1:
            rows.append([])
        rows.append(cells)
    return rows


def rows_table(file: str, rows: list[list[str]]) -> RawTable:
    """A :class:`RawTable` from sheet rows (row 1 = header)."""
    if not rows or not any(str(c).strip() for c in rows[0]):
        raise FileUnreadable(file, f"{file} hat keine Kopfzeile: Zeile 1 ist leer.")
    width = max(len(r) for r in rows)
    body = np.empty((len(rows) - 1, width), dtype=object)
    body[:] = ""
    for i, row in enumerate(rows[1:]):
        body[i, : len(row)] = row
    header = rows[0] + [""] * (width - len(rows[0]))
    return _table(file, header, body, first_data_row=2)


def read_xlsx(path: Path, spec: SourceSpec, sheet: str | None) -> RawTable:
    file = spec.relname(path)
    rows = xlsx_sheet_rows(path, file, sheet)
    assert rows is not None
    return rows_table(file, rows)
