"""String cells read through the shortcut give exactly openpyxl's own text (issue 13: openpyxl built a rich-text
object for every inline and shared string only to join its texts again; :mod:`etl.readers.openpyxl_speed` installs
:mod:`etl.readers.xlsx_text` in its place)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import fromstring

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.text import Text
from openpyxl.reader import strings
from openpyxl.worksheet import _reader

from etl.readers import xlsx_text
from etl.readers.tabular import xlsx_sheet_rows

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# XML-safe text, with what matters to a reader: spaces kept or not, umlauts, markup characters, empty
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12) | st.sampled_from(
    ["", " ", "  Müller ", "a&b", "<x>", "x005F_y", "Straße"]
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _t(text: str | None, prefix: str) -> str:
    if text is None:
        return f"<{prefix}t/>"
    return f'<{prefix}t xml:space="preserve">{_escape(text)}</{prefix}t>'


@st.composite
def string_items(draw: st.DrawFn) -> str:
    """An ``<is>``/``<si>`` item as Excel, LibreOffice and scripts write them: plain, runs, phonetic, prefixed."""
    prefix = draw(st.sampled_from(["", "x:"]))
    parts = []
    for kind in draw(st.lists(st.sampled_from(["t", "r", "rPh", "phoneticPr"]), max_size=5)):
        if kind == "t":
            parts.append(_t(draw(st.none() | TEXT), prefix))
        elif kind == "r":
            font = draw(st.sampled_from(["", f'<{prefix}rPr><{prefix}b/><{prefix}sz val="11"/></{prefix}rPr>']))
            texts = "".join(_t(x, prefix) for x in draw(st.lists(st.none() | TEXT, max_size=2)))
            parts.append(f"<{prefix}r>{font}{texts}</{prefix}r>")
        elif kind == "rPh":
            parts.append(f'<{prefix}rPh sb="0" eb="1">{_t(draw(TEXT), prefix)}</{prefix}rPh>')
        else:
            parts.append(f'<{prefix}phoneticPr fontId="1"/>')
    name = draw(st.sampled_from(["is", "si"]))
    xmlns = f'xmlns:x="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return f'<{prefix}{name} {xmlns} xmlns:xml="http://www.w3.org/XML/1998/namespace">{"".join(parts)}</{prefix}{name}>'


@settings(max_examples=400, deadline=None)
@given(string_items())
def test_the_text_of_any_string_item_is_openpyxls_text(item: str) -> None:
    node = fromstring(item)
    assert xlsx_text.text_content(node) == Text.from_tree(node).content


INLINE = (
    '<c r="A{n}" t="inlineStr"><is><t>Zeile {n}</t></is></c>'
    '<c r="B{n}" t="inlineStr"><is><r><rPr><b/></rPr><t xml:space="preserve">Ann </t></r><r><t>Müller</t></r>'
    '<rPh sb="0" eb="1"><t>ミュラー</t></rPh></is></c>'
    '<c r="C{n}" t="s"><v>{s}</v></c>'
    '<c r="D{n}" t="inlineStr"><is><t/></is></c>'
    '<c r="E{n}" t="inlineStr"/>'
)
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED = [
    "<si><t>Sport</t></si>",
    '<si><r><t xml:space="preserve">Kultur </t></r><r><rPr><i/></rPr><t>&amp; Bildung</t></r></si>',
    "<si><t>x005F_x000D_Umbruch</t></si>",  # openpyxl's own unescaping of shared strings stays in place
    "<si><t/></si>",
]


def _workbook(path: Path) -> Path:
    """A workbook with inline strings (plain, runs, phonetic, empty) and shared strings (plain, runs, empty)."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["x"])
    workbook.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    rows = "".join(f'<row r="{n}">{INLINE.format(n=n, s=n % len(SHARED))}</row>' for n in range(1, 7))
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    table = f'<sst xmlns="{MAIN}" count="{len(SHARED)}" uniqueCount="{len(SHARED)}">{"".join(SHARED)}</sst>'
    members["xl/sharedStrings.xml"] = table.encode()
    if b"sharedStrings" not in members["[Content_Types].xml"]:  # the content types openpyxl wrote need not list it
        override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>'
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", override.encode())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _rows(path: Path) -> list[list[str]]:
    return list(xlsx_sheet_rows(path, path.name, None) or [])


def test_a_sheet_of_inline_and_shared_strings_reads_as_openpyxl_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook(tmp_path / "texte.xlsx")
    fast = _rows(path)
    assert _reader.Text is not Text and strings.Text is not Text  # the shortcut is what read them
    monkeypatch.setattr(_reader, "Text", Text)
    monkeypatch.setattr(strings, "Text", Text)
    assert _rows(path) == fast
    assert fast[0] == ["Zeile 1", "Ann Müller", "Kultur & Bildung", "", ""]
    assert fast[1][2] == "x000D_Umbruch" and fast[2][2] == ""
