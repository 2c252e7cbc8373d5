"""The long layout of table 12411-02-03-5: one line per Stichtag, region and age group.

As regionalstatistik.de writes the table when the age groups stand in the rows::

    GENESIS-Tabelle: 12411-02-03-5                  title lines
    ;;;;Insgesamt;männlich;weiblich                 the header (sometimes a units line ';;;;Anzahl;…' below)
    31.12.2022;09999001;Musterstadt, Stadt;10 bis unter 15 Jahre;1234;630;604
    31.12.2022;01001;      Flensburg, Kreisfreie Stadt;Insgesamt;85942;42767;43175
    __________                                      the footer

A line ``Insgesamt`` per region repeats the sums and gives no figure. Region codes are as in every layout
(2, 5, 8 or 9 digits, :func:`etl.readers.regionalstatistik.table.town_ags`).
"""

from __future__ import annotations

from etl.messages import Msg
from etl.readers.regionalstatistik.parsed import Collector, Parsed
from etl.readers.regionalstatistik.sheet import Sheet
from etl.readers.regionalstatistik.table import GENDERS, GROUPS, TABLE_CODE, TOTAL, is_code, label_key, year_of_date


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column positions of männlich and weiblich when ``cells`` is the header line, else None."""
    keys = [label_key(c) for c in cells]
    if len(keys) < 7 or any(keys[:4]) or TOTAL not in keys[4:]:
        return None
    found = {g: keys.index(k) for k, g in GENDERS.items() if k in keys[4:]}
    return found if len(found) == len(GENDERS) else None


def matches(rows: list[tuple[int, list[str]]]) -> bool:
    return any(_header(cells) for _, cells in rows)


def parse(sheet: Sheet, towns: frozenset[str]) -> Parsed:
    """The town rows, two figures (men, women) per age-group line."""
    collect = Collector(sheet.file, towns)
    positions: dict[str, int] | None = None
    for number, cells in sheet.rows:
        first = cells[0].strip() if cells else ""
        if first.startswith("__"):
            break
        if positions is None:
            positions = _header(cells)
            continue
        year = year_of_date(first)
        if year is None or len(cells) < 4 or not any(c.strip() for c in cells[1:]):
            continue  # units line, a stray date, blank lines
        code = cells[1].strip()
        if not is_code(code):
            collect.bad_row(number, "Region", Msg("region_code_invalid", code=code))
            continue
        if collect.town_row(number, cells[1]) is None:
            continue
        group = label_key(cells[3])
        if group == TOTAL:
            continue
        if group not in GROUPS:
            collect.problem(number, "Altersgruppe", Msg("age_group_unknown", group=cells[3].strip(), table=TABLE_CODE))
            continue
        for gender, j in positions.items():
            label = "männlich" if gender == "m" else "weiblich"
            collect.cell(number, year, group, gender, cells[j] if j < len(cells) else "", label)
    return collect.result()
