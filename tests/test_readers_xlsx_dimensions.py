"""XLSX sheets with and without a ``<dimension>`` element read the same cells (issue 13: the read-only sheets
no longer parse a whole sheet looking for a dimension that is not there)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl

from etl.model import SourceSpec
from etl.readers.tabular import open_workbook, read_xlsx, sheet_rows

ROWS = [
    ["Nr.", "E-Mail", "Registriert am", "PLZ"],
    [1, "a@example.de", dt.datetime(2024, 2, 1), "01067"],
    [2, "b@example.de"],
    [3, "c@example.de", dt.datetime(2024, 3, 5, 14, 30), 1067.0],
]
SHOWN = [
    ["Nr.", "E-Mail", "Registriert am", "PLZ"],
    ["1", "a@example.de", "2024-02-01", "01067"],
    ["2", "b@example.de"],
    ["3", "c@example.de", "2024-03-05 14:30:00", "1067"],
]


def _write(path: Path, write_only: bool) -> Path:
    workbook = openpyxl.Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Export") if write_only else workbook.active
    for row in ROWS:
        sheet.append(row)
    workbook.save(path)
    return path


def _sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return next(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def _read(path: Path) -> tuple[list[list[str]], int | None]:
    workbook = open_workbook(path, path.name)
    try:
        rows = sheet_rows(workbook, path, path.name, None)
        return [list(r[: len(s)]) for r, s in zip(rows, SHOWN, strict=True)], workbook.worksheets[0].max_row
    finally:
        workbook.close()


def test_a_sheet_without_dimension_reads_every_row(tmp_path: Path) -> None:
    path = _write(tmp_path / "ohne.xlsx", write_only=True)
    assert b"<dimension" not in _sheet_xml(path)  # the case of script-written files (and the demo's)
    rows, max_row = _read(path)
    assert rows == SHOWN
    assert max_row is None  # as openpyxl itself gives it for a sheet that says no dimensions


def test_a_sheet_with_dimension_still_has_it(tmp_path: Path) -> None:
    path = _write(tmp_path / "mit.xlsx", write_only=False)
    assert b"<dimension" in _sheet_xml(path)
    rows, max_row = _read(path)
    assert rows == SHOWN
    assert max_row == len(ROWS)


def test_both_read_alike_through_a_reader(tmp_path: Path) -> None:
    tables = []
    for name, write_only in (("ohne.xlsx", True), ("mit.xlsx", False)):
        path = _write(tmp_path / name, write_only)
        spec = SourceSpec(kind="registrations", label=name, path=name, files=(path,), base_dir=tmp_path)
        tables.append(read_xlsx(path, spec, None))
    assert tables[0].headers == tables[1].headers
    assert tables[0].cells.tolist() == tables[1].cells.tolist()
    assert tables[0].rows.tolist() == tables[1].rows.tolist() == [2, 3, 4]
