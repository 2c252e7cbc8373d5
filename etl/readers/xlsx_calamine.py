"""XLSX sheets read by calamine when that gives exactly the text openpyxl gives (issue 13).

openpyxl builds Python objects for every cell and string of a sheet: the ten volunteer lists of a
hundred-town network took 4 s to read, calamine (Rust) reads them in 0,26 s. It knows less than openpyxl,
though, and the readers' quirks depend on what it does not know: the number format of each cell (the
zero-padded codes of :func:`etl.readers.tabular.cell_text`), error values (calamine gives them as empty
cells), formulas without a saved value, ISO date cells, ``_xHHHH_`` escapes in strings, the 1904 date system,
negative or too late dates, chart sheets, integers beyond a float's precision; and it trims white space
around a text. A workbook is read here only when none of these is in it (:func:`_number_limit`, found in
the raw XML, which costs a fraction of a parse) and every value calamine gives is one openpyxl would give as
the same text (:func:`_texts`); any other workbook goes to openpyxl as before.
``tests/test_readers_xlsx_calamine.py`` compares both readers on generated workbooks.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.etree import ElementTree

import numpy as np

# Each check as (hints, pattern): see _found. _SPACE: what ``\s`` matches in a bytes pattern.
_SPACE = (b" ", b"\t", b"\n", b"\r", b"\x0b", b"\x0c")
# Cells typed as errors (``t="e"``: calamine gives "") or ISO dates (``t="d"``: not parsed alike).
_ODD_CELLS = ((b'"e"', b"'e'", b'"d"', b"'d'"), re.compile(rb"""\st\s*=\s*["'][ed]["']"""))
_FORMULA = ((b"<f", b":f"), re.compile(rb"<(?:[\w.-]+:)?f[\s/>]"))
_ESCAPE = ((b"_x",), re.compile(rb"_x[0-9A-Fa-f]{4}_"))  # calamine unescapes it, openpyxl keeps the text
# A text that begins or ends with white space where the XML does not say xml:space="preserve" (calamine trims
# it, openpyxl keeps it), and a text with a carriage return (the two XML parsers treat it apart).
_TRIMMED = (
    (*(b">" + ws for ws in _SPACE), *(ws + b"</" for ws in _SPACE), b"\r"),
    re.compile(rb"<(?:[\w.-]+:)?t(?:\s(?![^>]*preserve)[^>]*)?>(?:\s|[^<]*\s</)|<(?:[\w.-]+:)?t[\s>][^<]*\r"),
)
_DATE1904 = re.compile(rb"""date1904\s*=\s*["'](?:1|true)["']""")
_NEGATIVE = ((b">-", *(b">" + ws for ws in _SPACE)), re.compile(rb"<(?:[\w.-]+:)?v>\s*-"))  # a negative date

# Number formats both readers treat alike (checked by the property test): openpyxl's built-in formats 0–22
# and 37–44, and custom codes that are plainly a number (no zero-padding: only ``cell_text`` knows it) or
# plainly a date, a time or both. Anything else (literal text, colours, locales, durations, AM/PM) → openpyxl.
_BUILTIN = frozenset(range(0, 23)) | frozenset(range(37, 45))
_BUILTIN_DATES = frozenset(range(14, 23))
_NUMBER_CODE = re.compile(r"(?:General|@|[#0?]*(?:[.,][#0?]*)*%?)")
_DATE_CODE = re.compile(r"(?i)[dmy]+(?:[./\- ][dmy]+)*(?: [hms]+(?::[hms]+)*)?|[hms]+(?::[hms]+)+")
_ZEROS = re.compile(r"00+")
_CUSTOM_FIRST = 164

# Floats beyond this lose integer digits openpyxl keeps (it reads "12345678901234567" as an int).
_EXACT = 1e15
_LAST_DATE = 2_958_465  # 31.12.9999, the last date openpyxl reads; calamine gives a later one as a number


def sheet_values(path: Path, wanted: Sequence[str | None]) -> dict[str | None, list[list[object]] | None] | None:
    """Each wanted sheet's cell values (row 1 first, each row from column A; ``None`` for the first
    sheet), ``None`` as the value of a sheet the workbook lacks; ``None`` in all when openpyxl must read it.

    Sheet names are found as :func:`etl.readers.tabular.find_sheet` finds them. Nothing is raised: a file
    calamine cannot read, or that is not plain, is left to openpyxl and its messages.
    """
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    from etl.readers.tabular import find_sheet

    try:
        with zipfile.ZipFile(path) as archive:
            limit = _number_limit(archive)
        if limit is None:
            return None
        book = CalamineWorkbook.from_path(str(path))
        try:
            if any(sheet.typ != SheetTypeEnum.WorkSheet for sheet in book.sheets_metadata):
                return None
            names = list(book.sheet_names)
            out: dict[str | None, list[list[object]] | None] = {}
            for want in wanted:
                name = find_sheet(names, want) if want is not None else names[0] if names else None
                if name is None:
                    out[want] = None
                    continue
                values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                if not _texts(values, limit):
                    return None
                out[want] = values
            return out
        finally:
            book.close()
    except Exception:  # noqa: BLE001 - whatever calamine refuses, openpyxl reads or names in German
        return None


def _number_limit(archive: zipfile.ZipFile) -> float | None:
    """The bound below which calamine gives a number as openpyxl does; ``None`` when the workbook holds
    something calamine reads otherwise (see the module's text)."""
    names = archive.namelist()
    if "xl/workbook.xml" not in names or _DATE1904.search(archive.read("xl/workbook.xml")):
        return None
    for data in _sheets(archive):
        if any(_found(data, check) for check in (_ODD_CELLS, _FORMULA, _NEGATIVE, _ESCAPE, _TRIMMED)):
            return None
    if "xl/sharedStrings.xml" in names:
        data = archive.read("xl/sharedStrings.xml")
        if _found(data, _ESCAPE) or _found(data, _TRIMMED):
            return None
    if "xl/styles.xml" not in names:
        return _EXACT
    dates = _date_formats(archive.read("xl/styles.xml"))
    return None if dates is None else _LAST_DATE if dates else _EXACT


def holds_formula(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula element, however the writer spelt its tag (a
    namespace prefix, white space or ``/`` after the name): ``_FORMULA``, the check that also keeps such a
    workbook from calamine, so the openpyxl path looks for the formulas calamine was refused for."""
    with zipfile.ZipFile(path) as archive:
        return any(_found(data, _FORMULA) for data in _sheets(archive))


def _sheets(archive: zipfile.ZipFile) -> Iterator[bytes]:
    """The XML of each worksheet in the archive."""
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            yield archive.read(name)


def _found(data: bytes, check: tuple[tuple[bytes, ...], re.Pattern[bytes]]) -> bool:
    """Whether the check's pattern is in the XML; searched for only where one of its hints, plain bytes
    every match contains, is there (a byte search is 20 times faster than the pattern's on a 1 MB sheet)."""
    hints, pattern = check
    return any(hint in data for hint in hints) and pattern.search(data) is not None


def _date_formats(styles: bytes) -> bool | None:
    """Whether the cells use a date format; ``None`` when they use one the two readers do not turn into the
    same value."""
    root = ElementTree.fromstring(styles)  # noqa: S314 - the standard parser refuses entity expansion bombs
    codes: dict[int, str] = {}
    used: set[int] = set()
    for node in root.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "numFmt":
            codes[int(node.get("numFmtId", "0"))] = node.get("formatCode", "")
        elif tag == "xf":
            used.add(int(node.get("numFmtId", "0")))
    dates = False
    for fmt in used:
        if fmt in codes:
            code = codes[fmt]
            is_date = _DATE_CODE.fullmatch(code) is not None
            if _ZEROS.fullmatch(code) or not (is_date or _NUMBER_CODE.fullmatch(code)):
                return None
            dates = dates or is_date
        elif fmt not in _BUILTIN or fmt >= _CUSTOM_FIRST:
            return None
        else:
            dates = dates or fmt in _BUILTIN_DATES
    return dates


def _texts(rows: list[list[object]], limit: float) -> bool:
    """Whether every value is one openpyxl gives as the same text: no float beyond ``limit`` (a float's
    integer precision; the last date, if a date format is used: openpyxl makes an error of a later one), no
    non-finite float, no datetime with microseconds (the two round fractions of a second differently), no
    duration (calamine and openpyxl do not agree on which formats make one)."""
    cells = [value for row in rows for value in row]
    kinds = set(map(type, cells))
    if dt.timedelta in kinds:
        return False
    if float in kinds and not (np.abs(np.array([v for v in cells if v.__class__ is float])) < limit).all():
        return False  # also NaN
    times = (dt.datetime, dt.time)
    return not (kinds & set(times)) or not any(v.microsecond for v in cells if v.__class__ in times)
