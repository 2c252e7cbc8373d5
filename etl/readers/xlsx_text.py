"""The plain text of an XLSX string item, as openpyxl gives it, without its rich-text objects (issue 13).

Imported only where openpyxl is already loaded (:func:`etl.readers.openpyxl_speed.install`), so openpyxl's
``localname`` is bound once here instead of being looked up for each of a sheet's hundred thousand strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.xml.functions import localname

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


def text_content(node: Element) -> str:
    """The text of a string item (``<is>`` of an inline string, ``<si>`` of the shared strings), unformatted.

    What ``openpyxl.cell.text.Text.from_tree(node).content`` gives: the text of the item's last ``<t>``,
    then the text of the last ``<t>`` of each run ``<r>``, elements matched by local name as openpyxl does;
    phonetic runs and formatting are left out.
    """
    plain = None
    runs = []
    for child in node:
        tag = localname(child)
        if tag == "t":
            plain = child.text
        elif tag == "r":
            run = None
            for part in child:
                if localname(part) == "t":
                    run = part.text
            if run is not None:
                runs.append(run)
    return "".join(runs) if plain is None else plain + "".join(runs)


class PlainText:
    """Stands for openpyxl's ``Text`` where its readers call ``Text.from_tree(node).content``, and only there."""

    __slots__ = ("content",)

    def __init__(self, content: str) -> None:
        self.content = content

    @classmethod
    def from_tree(cls, node: Element) -> PlainText:
        return cls(text_content(node))
