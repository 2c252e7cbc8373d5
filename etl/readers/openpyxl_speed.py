"""Two shortcuts in openpyxl's read-only reading, each giving exactly the cells openpyxl gives (issue 13).

openpyxl is the XLSX reader (it knows number formats, dates, formulas and damaged files); at network scale
two of its steps cost more than the cells: the search for a missing ``<dimension>`` (:func:`_skip_missing_dimensions`)
and the text of a string cell (:func:`_plain_texts`). Each shortcut is installed only on the openpyxl version
whose code it replaces step for step (:data:`KNOWN`); any other version reads unpatched, as before.
"""

from __future__ import annotations

import re

KNOWN = ("3.1.",)  # the versions whose Text.from_tree and ReadOnlyWorksheet._get_size these replace

# The first tags of a sheet's XML up to its cell data: whether it says its dimensions (``<dimension>`` comes
# before ``<sheetData>`` in every valid sheet).
_SHEET_HEAD = re.compile(rb"<(?:[\w.-]+:)?(dimension|sheetData)[\s/>]")
_HEAD_BYTES = 65536
_installed = False


def install() -> None:
    """Install both shortcuts once per process (a no-op on an openpyxl they were not written for)."""
    global _installed
    if _installed:
        return
    _installed = True
    import openpyxl

    if not openpyxl.__version__.startswith(KNOWN):
        return
    _skip_missing_dimensions()
    _plain_texts()


def _skip_missing_dimensions() -> None:
    """Make openpyxl's read-only sheets skip the search for a ``<dimension>`` that is not there.

    Opening a sheet read-only, openpyxl looks for the sheet's dimensions by parsing its XML up to the end of
    ``<sheetData>``, i.e. the whole sheet, when the file has none (files written by scripts and openpyxl's
    write-only mode): every such sheet was parsed twice, a fifth of reading a network's volunteer lists.
    The first bytes of the XML tell whether the element is there; only then does openpyxl parse for it.
    Without it, the sheet has no dimensions either way, so the cells read are the same.
    """
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    parse = ReadOnlyWorksheet._get_size

    def get_size(sheet: ReadOnlyWorksheet) -> None:
        with sheet._get_source() as src:
            head = src.read(_HEAD_BYTES)
        found = _SHEET_HEAD.search(head)
        if found is not None and found.group(1) == b"sheetData":
            return  # no <dimension> before the cells: what openpyxl finds after parsing them all
        parse(sheet)

    ReadOnlyWorksheet._get_size = get_size


def _plain_texts() -> None:
    """Read the text of string cells without building openpyxl's rich-text objects.

    openpyxl turns every inline string (``t="inlineStr"``, how exports written by scripts and web tools
    store text) and every shared string into a ``Text`` object with its runs and fonts, only to join the
    texts again: two thirds of reading an XLSX volunteer list went into these objects. The two readers
    use ``Text`` for nothing else (their rich-text mode uses ``CellRichText``, not used here), so their
    module's name ``Text`` is pointed at :class:`~etl.readers.xlsx_text.PlainText`, which gives the same text.
    """
    from openpyxl.reader import strings
    from openpyxl.worksheet import _reader

    from etl.readers.xlsx_text import PlainText

    _reader.Text = PlainText
    strings.Text = PlainText
