"""Writing files the way the real tools write them, byte for byte reproducible.

The demo must exercise the readers' tolerance (BOM, cp1252, ``;``, CRLF, fully quoted fields) and
must be deterministic for a seed, which openpyxl alone is not: it stamps the save time into the
workbook properties and into every zip entry. :func:`save_workbook` pins both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

FIXED_TIMESTAMP = dt.datetime(2025, 1, 1, 0, 0, 0)
ZIP_DATE = (2025, 1, 1, 0, 0, 0)


def write_csv(
    frame: pd.DataFrame,
    path: Path,
    *,
    sep: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
    crlf: bool = False,
    quote_all: bool = False,
    trailing_blank_line: bool = False,
) -> None:
    """Write ``frame`` (all columns already strings) with the given dialect and encoding."""
    newline = "\r\n" if crlf else "\n"
    text = frame.to_csv(
        index=False,
        sep=sep,
        lineterminator=newline,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    if trailing_blank_line:  # LimeSurvey closes its CSV export with an empty line
        text += newline
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_text(text: str, path: Path, *, encoding: str = "utf-8") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def save_workbook(workbook: Workbook, path: Path) -> None:
    """Save an openpyxl workbook with fixed document and zip timestamps (same content → same bytes)."""
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    workbook.properties.creator = "engage demo"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(item.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
