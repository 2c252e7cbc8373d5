"""calamine reads a sheet only where it gives exactly the rows openpyxl gives (etl.readers.xlsx_calamine).

The property test writes workbooks with every kind of cell the readers meet (texts with spaces, line breaks
and escapes, integers up to beyond a float's precision, floats, booleans, dates, times, errors, formulas,
empty rows and columns) in plain and tricky number formats, and compares the rows of the reader
(:class:`etl.readers.tabular.XlsxSheets`: calamine or openpyxl) with openpyxl's rows. The other tests say which
workbooks calamine reads, so the fast way is known to be taken for the files of a real network.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.readers import xlsx_calamine
from etl.readers.tabular import XlsxSheets, open_workbook, rows_table, sheet_rows

FORMATS = [
    "General", "0", "0.00", "#,##0", "#,##0.00", "0%", "0.0%", "@", "00000", "000", "DD.MM.YYYY",
    "dd.mm.yyyy hh:mm", "yyyy-mm-dd", "hh:mm", "hh:mm:ss", "mm:ss", "d/m/yy", "mm-dd-yy", "[h]:mm",
    "[$-407]DD.MM.YYYY", '"Jahr "0', '0 "h"', "[Red]0.00", "#,##0 €", "d-mmm-yy", "h:mm AM/PM", "mmm yyyy",
    "dddd", "yyyy", "0.00E+00", "# ?/?", "TT.MM.JJJJ",
]  # fmt: skip

TEXTS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12) | st.sampled_from(
    ["", " ", " a ", "a\nb", "01067", "1,5", "31.12.2024", "a_x000D_b", "#N/A", "=1+1", "Grüße", "ß"]
)
NUMBERS = (
    st.integers(-(10**6), 10**6)
    | st.integers(10**14, 10**17)
    | st.floats(-1e6, 1e6, allow_nan=False)
    | st.floats(0, 1, allow_nan=False)
)
DATES = (
    st.dates(dt.date(1901, 1, 1), dt.date(2100, 1, 1))
    | st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2100, 1, 1))
    | st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2030, 1, 1)).map(lambda d: d.replace(microsecond=0))
    | st.times().map(lambda t: t.replace(microsecond=0))
)
CELLS = st.tuples(st.none() | TEXTS | NUMBERS | st.booleans() | DATES, st.sampled_from(FORMATS) | st.none())


def _write(path: Path, rows: list[list[tuple]], offset: tuple[int, int] = (0, 0)) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for r, row in enumerate(rows, start=1 + offset[0]):
        for c, (value, fmt) in enumerate(row, start=1 + offset[1]):
            if value is None:
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if fmt is not None:
                cell.number_format = fmt
    workbook.save(path)
    return path


SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
INLINE = re.compile(rb'<c ([^>]*?)t="inlineStr"><is>(.*?)</is></c>', re.S)


def _shared(path: Path) -> Path:
    """The workbook with its texts as shared strings (as Excel writes them; openpyxl writes inline strings)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    items: list[bytes] = []

    def share(found: re.Match) -> bytes:
        items.append(b"<si>" + found.group(2) + b"</si>")
        return b"<c " + found.group(1) + b't="s"><v>' + str(len(items) - 1).encode() + b"</v></c>"

    members["xl/worksheets/sheet1.xml"] = INLINE.sub(share, members["xl/worksheets/sheet1.xml"])
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    members["xl/sharedStrings.xml"] = b'<sst xmlns="' + main + b'">' + b"".join(items) + b"</sst>"
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>'.encode()
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", override)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _openpyxl_rows(path: Path) -> list[list[str]]:
    workbook = open_workbook(path, path.name)
    try:
        return list(sheet_rows(workbook, path, path.name, None) or [])
    finally:
        workbook.close()


def _reader_rows(path: Path) -> list[list[str]]:
    with XlsxSheets(path, path.name, [None]) as sheets:
        return list(sheets.rows(None) or [])


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Rows without trailing empty cells and rows: calamine pads to the used range, openpyxl to a row's end."""
    out = [list(row) for row in rows]
    for row in out:
        while row and row[-1] == "":
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def _same_table(path: Path) -> None:
    ours, theirs = _reader_rows(path), _openpyxl_rows(path)
    assert _trimmed(ours) == _trimmed(theirs)
    if theirs and any(str(c).strip() for c in theirs[0]):
        a, b = rows_table(path.name, ours), rows_table(path.name, theirs)
        assert (a.headers, a.rows.tolist(), a.cells.tolist()) == (b.headers, b.rows.tolist(), b.cells.tolist())


# openpyxl warns of a date beyond 31.12.9999 that it reads as an error: such dates are among the examples
@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=1, max_size=6),
    offset=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    shared=st.booleans(),
)
def test_the_reader_gives_openpyxls_rows_for_any_workbook(
    tmp_path: Path, rows: list[list[tuple]], offset: tuple[int, int], shared: bool
) -> None:
    path = _write(tmp_path / "mappe.xlsx", rows, offset)
    _same_table(_shared(path) if shared else path)


def _plain_list(path: Path) -> Path:
    rows = [[("Nr.", None), ("Vorname", None), ("Registriert am", None), ("Stunden", None), ("PLZ", None)]]
    rows += [
        [(i, None), (f"Name {i}", None), (dt.date(2024, 1, i), "DD.MM.YYYY"), (i * 1.5, "0.0"), ("01067", None)]
        for i in range(1, 20)
    ]
    return _write(path, rows)


@pytest.mark.parametrize("shared", [False, True], ids=["inline", "shared"])
def test_a_plain_volunteer_list_is_read_by_calamine(tmp_path: Path, shared: bool) -> None:
    path = _plain_list(tmp_path / "freiwillige.xlsx")
    path = _shared(path) if shared else path
    fast = xlsx_calamine.sheet_values(path, [None])
    assert fast is not None and len(fast[None]) == 20
    assert fast[None][1][:3] == [1.0, "Name 1", dt.date(2024, 1, 1)]
    _same_table(path)


def test_the_demo_networks_workbooks_are_read_by_calamine(tmp_path: Path) -> None:
    from etl.demo import write_demo

    write_demo(tmp_path, towns=10, years=2)
    workbooks = sorted(tmp_path.rglob("*.xlsx"))
    assert workbooks
    for path in workbooks:
        assert xlsx_calamine.sheet_values(path, [None]) is not None, path.name
        _same_table(path)


def _edited(path: Path, part: str, old: bytes, new: bytes) -> Path:
    """A copy of the workbook with one of its XML parts changed."""
    out = path.with_name("geaendert.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == part:
                assert old in data, data[:400]
                data = data.replace(old, new, 1)
            dst.writestr(name, data)
    return out


@pytest.mark.parametrize(
    "cells",
    [
        [("#DIV/0!", None)],  # an error value: calamine gives an empty cell
        [("=A2*2", None)],  # a formula without a saved value
        [(1067, "00000")],  # a zero-padded code: only the cell's format says how many digits
        [(12345678901234567, None)],  # an integer beyond a float's precision
        [(dt.datetime(2024, 5, 1, 12, 0, 0, 1234), None)],  # fractions of a second
        [(dt.timedelta(hours=30), "[h]:mm")],  # a duration
        [(5, '"Jahr "0')],  # a format with literal text
        [("a_x000D_b", None)],  # an escape calamine would resolve
    ],
    ids=["error", "formula", "zero-format", "big-int", "microseconds", "duration", "literal-format", "escape"],
)
def test_what_calamine_reads_otherwise_goes_to_openpyxl(tmp_path: Path, cells: list[tuple]) -> None:
    path = _write(tmp_path / "mappe.xlsx", [[("Wert", None)], cells])
    assert xlsx_calamine.sheet_values(path, [None]) is None
    _same_table(path)


def test_the_1904_date_system_goes_to_openpyxl(tmp_path: Path) -> None:
    path = _write(tmp_path / "mappe.xlsx", [[("Datum", None)], [(dt.date(2024, 5, 1), "DD.MM.YYYY")]])
    path = _edited(path, "xl/workbook.xml", b"<workbookPr", b'<workbookPr date1904="1"')
    assert xlsx_calamine.sheet_values(path, [None]) is None
    _same_table(path)


def test_iso_date_cells_go_to_openpyxl(tmp_path: Path) -> None:
    path = _write(tmp_path / "mappe.xlsx", [[("Datum", None)], [(7, None)]])
    path = _edited(path, "xl/worksheets/sheet1.xml", b'<c r="A2" t="n"><v>7</v>', b'<c r="A2" t="d"><v>2024-05-01</v>')
    assert xlsx_calamine.sheet_values(path, [None]) is None
    _same_table(path)


def test_a_missing_sheet_keeps_openpyxls_message(tmp_path: Path) -> None:
    from etl.readers.tabular import FileUnreadable

    path = _plain_list(tmp_path / "zielplan.xlsx")
    with XlsxSheets(path, path.name, ["Ziele", "Messungen"]) as sheets:
        assert sheets.rows("Messungen", optional=True) is None
        with pytest.raises(FileUnreadable) as caught:
            sheets.rows("Ziele")
    assert "Ziele" in str(caught.value) and "Sheet" in str(caught.value)


CHECKS = ["_ODD_CELLS", "_FORMULA", "_ESCAPE", "_TRIMMED", "_NEGATIVE"]
XML_BITS = st.sampled_from(
    [b"<", b">", b"</", b"<t>", b"</t>", b"<x:t>", b'<t xml:space="preserve">', b"<v>", b"<f>", b"<f/>", b"x:f ",
     b' t="e"', b" t='d'", b'\tt = "e"', b"_x000D_", b"_x00", b"-", b" ", b"\t", b"\n", b"\r", b"\x0b", b"a", b"1"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(XML_BITS, max_size=12), name=st.sampled_from(CHECKS))
def test_a_checks_hints_never_hide_a_match(parts: list[bytes], name: str) -> None:
    """The byte search for a check's hints only saves time: the check finds what its pattern finds."""
    data = b"".join(parts)
    check = getattr(xlsx_calamine, name)
    assert xlsx_calamine._found(data, check) == (check[1].search(data) is not None)
