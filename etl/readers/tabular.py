"""Low-level reading of one export file into a frame of strings (brief §3, "every reader accepts …", §4).

Everything is read as text first and typed later, field by field (:mod:`etl.readers.fields`), so codes
keep their leading zeros and a bad cell becomes a reject with its row number instead of a parser crash.
The kind of file is recognised by its bytes, never by its name: XLSX by the ZIP signature, text by
decoding (UTF-16 with BOM, strict UTF-8 with or without BOM, else cp1252), separators by sniffing the
header line.

Nothing a file does may silently change a number, so the damage real files carry is caught here, for every
reader at once:

* A file that cannot be read as one table stops its source with a German message naming the file and the
  line: mixed encodings (valid UTF-8 next to cp1252 bytes, or mojibake such as ``Ã¼`` for ``ü``, which
  would otherwise be stored), a NUL byte or a byte-order mark inside the text (damaged or concatenated
  exports; both would shift row numbers or stay inside an id), an unclosed quote that swallows whole data
  lines into one field (the row count would silently shrink), JSON or HTML saved as ``.csv``, old
  ``.xls``, password-protected or ZIP-but-no-workbook files. A mixed file is stopped rather than decoded
  line by line: which bytes a line meant cannot be known for sure, and a stop tells the coordinator exactly
  what to fix.
* A row with more or fewer fields than the header (an unquoted ``;`` inside a name) is kept in the frame
  with every cell emptied and the row-level reason in ``source_problem`` ("Zeile hat 9 statt 8 Werte …"):
  the field checks then reject it as a whole without quoting any of its shifted values (see
  :class:`etl.readers.checks.RejectLog`). Trailing empty fields beyond the header (Excel's ``;;``) are no
  shift.
* A line break inside a field that a reader needs, in a kind whose exports have no multi-line fields, is
  named in the file's message (``source_note``); LimeSurvey exports may hold multi-line free text.
* Duplicate headers are kept apart (``Name (2)``) and listed in ``frame.attrs["duplicate_headers"]``, so
  :func:`etl.readers.checks.select` stops the file when a column it needs is ambiguous.

XLSX cells are turned into the text German Excel shows: numbers without a trailing ``.0``, dates as ISO
dates. A number cell that holds a code (a postcode typed as 1067) has lost its leading zero in Excel
itself; we restore it only where the cell's number format says how many digits it has (``00000``, the
format Excel's "Postleitzahl" uses) and otherwise leave the digits as they are, so the field check rejects
e.g. a 7-digit AGS with a hint to format the column as text, instead of silently guessing. A formula cell
without a saved value (files written by scripts, never opened in Excel) reads as no value at all; such a
cell in a column a reader needs rejects its row with a hint to open and save the file in Excel.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from etl.messages import Msg
from etl.model import SourceError, SourceSpec
from etl.readers import openpyxl_speed, xlsx_calamine

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # an OLE compound file: old .xls, or a password-protected .xlsx
SEPARATORS = (";", ",", "\t")
# Kinds whose exports may hold multi-line fields (LimeSurvey's free-text answers).
MULTILINE_KINDS = ("resident_survey", "partner_survey")
PROBLEM = "source_problem"  # row-level reason that rejects the row as a whole, without values
NOTE = "source_note"  # a remark for the file's message, on the file's first data row
_ZERO_FORMAT = re.compile(r"0+")

# Python's csv module refuses fields over 128 KiB; a long header or free-text answer is still a table.
csv.field_size_limit(2**31 - 1)


class FileUnreadable(SourceError):
    """A file that cannot be read as a table at all; stops its source. ``file`` is the relative name.

    ``message`` is an :class:`etl.messages.Msg`; the exception's text is its German rendering.
    """

    def __init__(self, file: str, message: Msg) -> None:
        if not isinstance(message, Msg):
            raise TypeError("FileUnreadable needs an etl.messages.Msg")
        super().__init__(str(message))
        self.file = file
        self.msg = message


@dataclass
class RawTable:
    """One sheet or CSV file as strings: columns named by the export's headers plus provenance.

    ``cells`` holds one column per (de-duplicated, stripped) header, ``""`` for empty cells; ``rows`` the
    row number a spreadsheet shows each row under (header = row 1); ``problems`` the row-level reasons
    (see the module docstring) or None; ``attrs`` what the checks need to know about the headers
    (``duplicate_headers``, ``formula_cells``, ``line_breaks``). Entirely empty lines are dropped: they are
    no data rows and are not counted. The readers take the columns they need as arrays
    (:func:`etl.readers.checks.select_table`): a network reads about two thousand such tables, and a frame
    per table costs more than its rows.
    """

    file: str
    headers: list[str]
    cells: np.ndarray
    rows: np.ndarray
    problems: np.ndarray | None = None
    attrs: dict[str, object] = field(default_factory=dict)

    def column(self, header: str) -> np.ndarray:
        return self.cells[:, self._position[header]]

    @cached_property
    def _position(self) -> dict[str, int]:
        return {h: j for j, h in enumerate(self.headers)}

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The table as a frame: its headers, ``source_file``, ``source_row`` and, for shifted rows,
        ``source_problem``; ``attrs`` as the frame's attrs."""
        data = pd.DataFrame(self.cells, columns=self.headers, dtype=object)
        data.insert(0, "source_file", self.file)
        data["source_row"] = self.rows
        if self.problems is not None:
            data[PROBLEM] = self.problems
        data.attrs.update(self.attrs)
        return data


def _head(path: Path, file: str, size: int = 8) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise FileUnreadable(file, Msg("cannot_open", file=file, why=_os_reason(exc))) from None


def _os_reason(exc: OSError) -> Msg:
    import errno

    reasons = {errno.EACCES: "os_no_permission", errno.ENOENT: "os_not_found", errno.EISDIR: "os_is_folder"}
    return Msg(reasons.get(exc.errno or 0, "os_read_error"))


def is_xlsx(path: Path) -> bool:
    return _head(path, path.name, 4) == XLSX_MAGIC


def line_of(text: str | bytes, position: int) -> int:
    """The line number (1 = first) of a character or byte position."""
    return text.count("\n" if isinstance(text, str) else b"\n", 0, position) + 1


# --- decoding ---------------------------------------------------------------------------------------------

# What the bytes of one UTF-8 continuation byte (0x80-0xBF) look like when decoded as cp1252 or latin-1.
_CONTINUATION = "\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
# UTF-8 text read once as cp1252 and saved again: "Ã¼" for "ü", "Ã–" for "Ö", "â€“" for "–", "Â°" for "°".
_MOJIBAKE = re.compile(f"Ã[{_CONTINUATION}]|â€[{_CONTINUATION}]|Â[\u00a0-\u00bf]")
_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")
# One UTF-8 sequence of two to four bytes: a line with bytes above 0x7F that decodes as UTF-8 holds one.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Characters real UTF-8 text in these exports has: Latin letters, typographic punctuation, the euro sign.
_TEXT_CHARS = re.compile("[\u0000-\u024f\u2000-\u206f\u20ac\u2122]*")


def decode(data: bytes, file: str, encoding: str | None = None, fallback: str = "cp1252") -> str:
    """Text of a file: the manifest's ``encoding`` if given, else UTF-16 (BOM), UTF-8 (BOM or not), else ``fallback``.

    Stops the file (:class:`FileUnreadable`) when it mixes UTF-8 and cp1252 lines or holds mojibake.
    """
    if encoding:
        try:
            text = data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise FileUnreadable(
                file, Msg("wrong_encoding", file=file, encoding=encoding, line=line_of(data, exc.start))
            ) from None
        check_mojibake(text, file)
        return text
    utf16 = _utf16(data)
    if utf16:
        try:
            text = data.decode(utf16).lstrip("\ufeff")
        except UnicodeDecodeError:
            raise FileUnreadable(file, Msg("bad_utf16", file=file)) from None
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            _refuse_mixed(data, file)
            try:
                text = data.decode(fallback)
            except UnicodeDecodeError:
                # cp1252 leaves five bytes undefined; latin-1 maps every byte, so the table still reads.
                text = data.decode("latin-1")
    check_mojibake(text, file)
    return text


def _utf16(data: bytes) -> str | None:
    """``utf-16`` for a file with a UTF-16 BOM (Excel's "Unicode-Text"), the byte order for one without."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    half = len(sample) // 2
    if half < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _refuse_mixed(data: bytes, file: str) -> None:
    """Stop a file that is not UTF-8 as a whole but has lines that are (two exports joined into one).

    A file without a single UTF-8 sequence has no UTF-8 line: one search over its bytes says so, where
    decoding it line by line took half a second for a cp1252 Regionalstatistik table (issue 13).
    """
    if _UTF8_SEQUENCE.search(data) is None:
        return
    utf8_line = other_line = None
    for match in _NON_ASCII_LINE.finditer(data):
        try:
            text = match.group().decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or line_of(data, match.start())
        else:
            if _TEXT_CHARS.fullmatch(text):
                utf8_line = utf8_line or line_of(data, match.start())
        if utf8_line and other_line:
            raise FileUnreadable(file, Msg("mixed_encodings", file=file, utf8=utf8_line, other=other_line))


def check_mojibake(text: str, file: str) -> None:
    """Stop a file whose umlauts were garbled by a wrong encoding once ("Ã¼" for "ü"): never store that."""
    if "Ã" not in text and "â" not in text and "Â" not in text:
        return  # every pattern of _MOJIBAKE starts with one of these
    match = _MOJIBAKE.search(text)
    if match is None:
        return
    found = match.group()
    try:
        meant: Msg | None = Msg("mojibake_meant", meant=found.encode("cp1252").decode("utf-8"))
    except UnicodeError:
        meant = None
    raise FileUnreadable(file, Msg("mojibake", file=file, line=line_of(text, match.start()), found=found, meant=meant))


def read_text(path: Path, spec: SourceSpec, fallback: str = "cp1252") -> str:
    """A text export decoded (see :func:`decode`), refusing binary and damaged files with a clear message."""
    file = spec.relname(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileUnreadable(file, Msg("cannot_open", file=file, why=_os_reason(exc))) from None
    if data.startswith(XLS_MAGIC):
        raise FileUnreadable(file, ole_message(data, file))
    if not data.strip():
        raise FileUnreadable(file, Msg("empty_no_header", file=file))
    text = decode(data, file, _encoding(spec), fallback)
    check_text(text, file)
    return text


def check_text(text: str, file: str) -> None:
    """Stop a decoded text with NUL bytes (binary or damaged) or a byte-order mark after its start."""
    nul = text.find("\x00")
    if 0 <= nul < 8192:
        raise FileUnreadable(file, Msg("binary_file", file=file))
    if nul >= 0:
        raise FileUnreadable(file, Msg("nul_byte", file=file, line=line_of(text, nul)))
    bom = text.find("\ufeff")
    if bom >= 0:
        raise FileUnreadable(file, Msg("bom_inside", file=file, line=line_of(text, bom)))


def ole_message(data: bytes, file: str) -> Msg:
    """What an OLE compound file is: a password-protected XLSX (an ``EncryptedPackage`` stream) or an old .xls."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return Msg("password_protected", file=file)
    return Msg("old_xls", file=file)


def _encoding(spec: SourceSpec) -> str | None:
    value = spec.options.get("encoding")
    return str(value) if value else None


def sniff_separator(header_line: str) -> str:
    """The separator that splits the header line into the most fields (``;`` wins ties, as in German Excel)."""
    best, best_count = ";", 0
    for sep in SEPARATORS:
        try:
            count = len(next(csv.reader([header_line], delimiter=sep), []))
        except csv.Error:
            count = header_line.count(sep) + 1
        if count > best_count:
            best, best_count = sep, count
    return best


def read_table(path: Path, spec: SourceSpec, sheet: str | None = None) -> RawTable:
    """Read one CSV or XLSX file of a source (XLSX: ``sheet``, else ``spec.sheet``, else the first)."""
    if is_xlsx(path):
        return read_xlsx(path, spec, sheet or spec.sheet)
    return read_csv(read_text(path, spec), spec.relname(path), multiline=spec.kind in MULTILINE_KINDS)


def _refuse_non_table(text: str, file: str) -> None:
    """JSON or HTML saved under a .csv name is no table: say what it is instead of a parser error."""
    head = text.lstrip()[:64].lower()
    if head[:1] in ("{", "["):
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            raise FileUnreadable(file, Msg("json_file", file=file))
    if head.startswith(("<!doctype", "<html", "<?xml", "<table")):
        raise FileUnreadable(file, Msg("html_file", file=file))


def read_csv(text: str, file: str, *, multiline: bool = True) -> RawTable:
    """Parse decoded CSV text: separator sniffed, quotes, CRLF and CR-only lines handled, all kept as text.

    ``multiline``: whether the kind's exports may hold multi-line fields (else such fields are noted).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # CRLF, and CR alone (old Mac Excel)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise FileUnreadable(file, Msg("no_header", file=file))
    _refuse_non_table(text, file)
    sep = sniff_separator(first_line)
    records, ends = _records(text, sep, file)
    widths = np.fromiter((len(r) for r in records), dtype=np.int64, count=len(records))
    cells = _cells(records, int(widths.max()))
    header, body = list(cells[0]), cells[1:]
    named = max((i + 1 for i, h in enumerate(header) if str(h).strip()), default=0)
    blank = blank_rows(body) if body.shape[1] else np.zeros(len(body), dtype=bool)
    problems = _shifted(body, widths[1:], named, int(widths[0]), blank)
    breaks = _multiline(file, header, body, ends, sep, named, blank) if ends is not None else {}
    table = _table(file, header, body, first_data_row=2, problems=problems, blank=blank)
    if breaks and not multiline:
        table.attrs["line_breaks"] = breaks
    return table


def _records(text: str, sep: str, file: str) -> tuple[list[list[str]], np.ndarray | None]:
    """The records' fields (header first) and, where quoted fields span lines, the last text line of each record.

    Text without a quotation mark is split at the separator line by line (all a CSV parser could do with
    it); quoted text goes through Python's csv module (doubled quotes, separators and line breaks inside
    quotes). Both give an empty line no field at all, so it reads as a blank row.
    """
    if '"' not in text:
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        return [line.split(sep) if line else [] for line in lines], None
    reader = csv.reader(io.StringIO(text), delimiter=sep, quotechar='"', doublequote=True)
    records: list[list[str]] = []
    ends: list[int] = []
    try:
        for row in reader:
            records.append(row)
            ends.append(reader.line_num)
    except csv.Error:
        raise FileUnreadable(file, Msg("csv_unreadable", file=file, line=reader.line_num)) from None
    last = np.asarray(ends, dtype=np.int64)
    spans = np.diff(last, prepend=0)
    return records, (last if (spans > 1).any() else None)


def _cells(records: list[list[str]], width: int) -> np.ndarray:
    """A (records, width) object array of the fields, ``""`` where a record is shorter."""
    if all(len(r) == width for r in records):
        cells = np.empty((len(records), width), dtype=object)
        cells[:] = records
        return cells
    cells = np.full((len(records), width), "", dtype=object)
    for i, row in enumerate(records):
        cells[i, : len(row)] = row
    return cells


def _shifted(body: np.ndarray, widths: np.ndarray, named: int, header_width: int, blank: np.ndarray) -> np.ndarray:
    """Row-level reasons for rows whose fields do not line up with the header ("" for the others).

    Fewer fields than named headers, or a non-empty field beyond the header's last field: the values
    have moved into other columns, so none of them can be trusted, or quoted.
    """
    problems = np.full(len(body), "", dtype=object)
    short = (widths < named) & ~blank
    long = (widths > header_width) & ~blank
    for i in np.flatnonzero(long):
        filled = [j for j in range(header_width, int(widths[i])) if str(body[i, j]).strip()]
        if filled:
            problems[i] = _shift_reason(filled[-1] + 1, named)
    for i in np.flatnonzero(short):
        problems[i] = _shift_reason(int(widths[i]), named)
    return problems


def _shift_reason(found: int, expected: int) -> Msg:
    return Msg("shifted_row", found=found, expected=expected)


def _multiline(
    file: str, header: list[object], body: np.ndarray, ends: np.ndarray, sep: str, named: int, blank: np.ndarray
) -> dict[str, list[int]]:
    """Check records whose quoted fields span text lines; returns header -> rows with a line break.

    A field holding a text line that is itself a whole data row (as many separators as the header) is
    an unclosed quote that swallowed rows: the row count would be wrong, so the file stops. Other line
    breaks are free text; in kinds without multi-line fields :func:`etl.readers.checks.select` names
    those in columns it reads in the file's message.
    """
    spans = np.diff(ends, prepend=0)
    looks_like_row = max(2, named - 1)
    found: dict[str, list[int]] = {}
    for i in np.flatnonzero(spans[1:] > 1):
        if blank[i]:
            continue
        for j, cell in enumerate(body[i]):
            if "\n" not in str(cell):
                continue
            if any(line.count(sep) >= looks_like_row for line in str(cell).split("\n")[1:]):
                start = int(ends[i]) + 1  # ends[i] is the header's or previous record's last line
                raise FileUnreadable(
                    file, Msg("unclosed_quote", file=file, row=i + 2, lines=int(spans[i + 1]), line=start)
                )
            if j < len(header):
                found.setdefault(str(header[j]).replace("\ufeff", "").strip(), []).append(i + 2)
    return found


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
            # whitespace as str.strip sees it, for the non-empty cells only
            filled[filled] = [str(c).strip() != "" for c in column[filled]]
            blank[rows[filled]] = False
            rows = rows[~filled]
    return blank


def _table(
    file: str,
    header: list[object],
    cells: np.ndarray,
    first_data_row: int,
    *,
    problems: np.ndarray | None = None,
    blank: np.ndarray | None = None,
    formulas: dict[tuple[int, int], str] | None = None,
) -> RawTable:
    """Name the columns by the header, drop unnamed empty columns and blank lines, add provenance.

    ``cells`` is the (rows, columns) object array of the body's text, row 1 of it being the sheet's
    ``first_data_row``; ``problems`` the row-level reasons of :func:`_shifted`; ``formulas`` maps
    (row, column index) of formula cells without a saved value to their cell name (``"D5"``).
    """
    names = [str(h).replace("\ufeff", "").strip() if h is not None else "" for h in header]
    if not any(names):
        raise FileUnreadable(file, Msg("no_header", file=file))
    keep: list[int] = []
    headers: list[str] = []
    seen: dict[str, int] = {}
    first: dict[str, str] = {}
    duplicates: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        if not name:
            continue  # an unnamed column (e.g. Excel's trailing ';') maps to no field
        seen[name] = seen.get(name, 0) + 1
        headers.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
        keep.append(i)
        folded = name.casefold()
        duplicates.setdefault(first.setdefault(folded, name), []).append(i + 1)
    rows = np.arange(first_data_row, first_data_row + cells.shape[0], dtype="int64")
    if problems is None:
        problems = np.full(cells.shape[0], "", dtype=object)
    if cells.shape[1]:
        filled = ~(blank if blank is not None else blank_rows(cells))
        cells, rows, problems = cells[filled], rows[filled], problems[filled]
    shifted = np.array([isinstance(p, Msg) for p in problems], dtype=bool)
    body = cells[:, keep] if len(keep) != cells.shape[1] else cells.copy()
    if shifted.any():
        body[shifted, :] = ""  # shifted values are in the wrong columns: none of them is read
    attrs: dict[str, object] = {"duplicate_headers": {name: cols for name, cols in duplicates.items() if len(cols) > 1}}
    if formulas:
        by_header: dict[str, dict[int, str]] = {}
        position = dict(zip(keep, headers, strict=True))
        for (row, col), cell in formulas.items():
            if col in position:
                by_header.setdefault(position[col], {})[row] = cell
        attrs["formula_cells"] = by_header
    return RawTable(
        file=file, headers=headers, cells=body, rows=rows, problems=problems if shifted.any() else None, attrs=attrs
    )


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


class SheetRows(list):
    """All rows of one sheet as text (row 1 first), a plain list to every caller, plus ``formulas``.

    ``formulas`` maps (row number, column index) of formula cells without a saved value to their cell
    name such as ``"D5"``.
    """

    def __init__(self, rows: list[list[str]], formulas: dict[tuple[int, int], str]) -> None:
        super().__init__(rows)
        self.formulas = formulas


def xlsx_sheet_rows(path: Path, file: str, sheet: str | None, *, optional: bool = False) -> SheetRows | None:
    """One sheet's rows (see :class:`SheetRows`); ``None`` for a missing optional sheet."""
    with XlsxSheets(path, file, [sheet]) as sheets:
        return sheets.rows(sheet, optional=optional)


class XlsxSheets:
    """The rows of some sheets of one workbook: all read at once by calamine where it gives the text openpyxl
    gives (:mod:`etl.readers.xlsx_calamine`, 15× faster), else by openpyxl, sheet by sheet, when asked for.

    Either way the same rows, the same messages, raised in the same order: a file that is no XLSX before
    anything is read, a sheet's own faults (mojibake, damage) when that sheet is asked for.
    """

    def __init__(self, path: Path, file: str, sheets: Sequence[str | None]) -> None:
        check_xlsx(path, file)
        self.path, self.file = path, file
        self._fast = xlsx_calamine.sheet_values(path, sheets)
        self._workbook = None

    def rows(self, sheet: str | None, *, optional: bool = False) -> SheetRows | None:
        """One sheet's rows (see :class:`SheetRows`); ``None`` for a missing optional sheet."""
        if self._fast is not None:
            values = self._fast.get(sheet)
            if values is not None:
                rows = [[v if v.__class__ is str else cell_text(v) for v in row] for row in values]
                check_mojibake(_non_ascii(rows), self.file)
                return SheetRows(rows, {})
            if optional:
                return None
            # a required sheet that is missing: openpyxl's message lists the sheets there are
        if self._workbook is None:
            self._workbook = _load_workbook(self.path, self.file)  # checked as an XLSX when made
        return sheet_rows(self._workbook, self.path, self.file, sheet, optional=optional)

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()

    def __enter__(self) -> XlsxSheets:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_xlsx(path: Path, file: str) -> None:
    """Raise the German message for every way a file is no readable XLSX that shows before parsing it."""
    head = _head(path, file)
    if head.startswith(XLS_MAGIC):
        raise FileUnreadable(file, ole_message(path.read_bytes(), file))
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError):
        raise FileUnreadable(file, Msg("xlsx_broken_zip", file=file)) from None
    if "xl/workbook.xml" not in names:
        if b"opendocument.spreadsheet" in mimetype:
            what = "xlsx_is_ods"
        elif "word/document.xml" in names:
            what = "xlsx_is_word"
        else:
            what = "xlsx_no_workbook"
        raise FileUnreadable(file, Msg(what, file=file))


def open_workbook(path: Path, file: str):  # noqa: ANN201 - openpyxl's Workbook
    """The workbook read-only with saved values; every way a file is no readable XLSX gets its own message."""
    check_xlsx(path, file)
    return _load_workbook(path, file)


def _load_workbook(path: Path, file: str):  # noqa: ANN202 - openpyxl's Workbook
    """openpyxl's read-only workbook of a file :func:`check_xlsx` let through; a parser error → German."""
    import openpyxl

    openpyxl_speed.install()
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any parser error of a damaged workbook becomes the same German message
        raise FileUnreadable(file, Msg("xlsx_damaged", file=file)) from None


def find_sheet(names: list[str], wanted: str) -> str | None:
    """A sheet by name, ignoring case, surrounding spaces and the ß/ss spelling (Maßnahmen = Massnahmen)."""

    def norm(name: str) -> str:
        return name.strip().casefold().replace("ß", "ss")

    return next((n for n in names if norm(n) == norm(wanted)), None)


def sheet_rows(workbook, path: Path, file: str, sheet: str | None, *, optional: bool = False) -> SheetRows | None:  # noqa: ANN001
    """Rows of one sheet of an open workbook (see :class:`SheetRows`)."""
    if sheet is None:
        worksheet = workbook.worksheets[0]
    else:
        name = find_sheet(workbook.sheetnames, sheet)
        if name is None:
            if optional:
                return None
            raise FileUnreadable(file, Msg("no_sheet", file=file, sheet=sheet, sheets=", ".join(workbook.sheetnames)))
        worksheet = workbook[name]
    rows: list[list[str]] = []
    try:
        for row in worksheet.iter_rows():
            cells = [cell_text(c.value, getattr(c, "number_format", None)) for c in row]
            # read-only sheets skip wholly empty rows at the top; keep row numbers honest
            number = next((c.row for c in row if getattr(c, "row", None)), None)
            while number is not None and len(rows) < number - 1:
                rows.append([])
            rows.append(cells)
    except Exception:  # noqa: BLE001 - a damaged sheet is one German message, not a parser traceback
        raise FileUnreadable(file, Msg("sheet_damaged", file=file, sheet=worksheet.title)) from None
    check_mojibake(_non_ascii(rows), file)
    formulas = _formulas_without_value(path, worksheet.title, rows) if xlsx_calamine.holds_formula(path) else {}
    return SheetRows(rows, formulas)


def _non_ascii(rows: list[list[str]]) -> str:
    """The cells with non-ASCII text, for the mojibake check."""
    return "\n".join(c for r in rows for c in r if c and not c.isascii())


def _formulas_without_value(path: Path, title: str, rows: list[list[str]]) -> dict[tuple[int, int], str]:
    """Formula cells whose saved value is missing (openpyxl's data_only gives None for them)."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        found: dict[tuple[int, int], str] = {}
        for row in workbook[title].iter_rows():
            for c in row:
                value = getattr(c, "value", None)
                if not (isinstance(value, str) and value.startswith("=")):
                    continue
                r, col = c.row, c.column - 1
                shown = rows[r - 1][col] if r - 1 < len(rows) and col < len(rows[r - 1]) else ""
                if shown == "":
                    found[(r, col)] = f"{get_column_letter(col + 1)}{r}"
        return found
    finally:
        workbook.close()


def rows_table(file: str, sheet: list[list[str]]) -> RawTable:
    """A :class:`RawTable` from sheet rows (row 1 = header; a :class:`SheetRows` also marks its formulas)."""
    rows, formulas = sheet, getattr(sheet, "formulas", {})
    if not rows or not any(str(c).strip() for c in rows[0]):
        raise FileUnreadable(file, Msg("no_header", file=file))
    width = max(len(r) for r in rows)
    body = np.empty((len(rows) - 1, width), dtype=object)
    body[:] = ""
    for i, row in enumerate(rows[1:]):
        body[i, : len(row)] = row
    header = rows[0] + [""] * (width - len(rows[0]))
    return _table(file, header, body, first_data_row=2, formulas=formulas)


def read_xlsx(path: Path, spec: SourceSpec, sheet: str | None) -> RawTable:
    file = spec.relname(path)
    rows = xlsx_sheet_rows(path, file, sheet)
    assert rows is not None
    return rows_table(file, rows)
