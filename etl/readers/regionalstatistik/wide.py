"""The wide layout of table 12411-02-03-5: the usual CSV download, and the XLSX download of the same table.

As regionalstatistik.de writes it (latin-1 or UTF-8, ``;``)::

    GENESIS-Tabelle: 12411-02-03-5
    Bevölkerungsstand: Bevölkerung nach Geschlecht;;;;…          title lines, padded with ';'
    31.12.2023;;;;…                                              the reference date (Stichtag)
    ;;Insgesamt;…;männlich;…;weiblich;…                          18 columns each
    ;;Altersgruppen (unter 3 bis 75 u.m.);…
    ;;unter 3 Jahre;3 bis unter 6 Jahre;…;75 Jahre und mehr;Insgesamt   (three times)
    01001;      Flensburg, Kreisfreie Stadt;2264;2240;…          code;name;54 counts
    01051040;        Hägen;-;-;…                                 a dissolved Gemeinde
    __________
    "zu ""gesamte Tabelle"" …01.01.2009 …"                        quoted multi-line footnotes
    "© Statistische Ämter des Bundes und der Länder, …"
    Stand: 10.10.2017 / 18:42:14

The ``-B`` variant writes kreisfreie Städte with 8 digits and no indentation; the XLSX download has the same
rows in a sheet (merged header cells, so a label may stand only over the first of its columns, and codes
may be numbers). Several Stichtage come either as blocks, each headed by its date line (and possibly by the
header lines again), or as one more header line with a date over every column (``;;31.12.2022;…``). Both
are read: header lines (first two cells empty) set the meaning of every column, a line holding only a date
sets the date of the rows below it. Title lines are no rows; the footer starts at ``__________``.
"""

from __future__ import annotations

from etl.messages import Msg
from etl.readers.regionalstatistik.parsed import Collector, Parsed
from etl.readers.regionalstatistik.sheet import Sheet
from etl.readers.regionalstatistik.table import GENDERS, GROUPS, TABLE_CODE, TOTAL, is_code, label_key, year_of_date
from etl.readers.tabular import FileUnreadable


def matches(rows: list[tuple[int, list[str]]]) -> bool:
    """A header line naming the 17 age groups (each gender repeats them)."""
    return any(_header_kind(cells) == "group" for _, cells in rows)


def _filled(cells: list[str]) -> list[str]:
    """The labels of a header line from column 3 on, each empty cell taking the label on its left (merged cells)."""
    out, last = [], ""
    for cell in cells[2:]:
        last = cell.strip() or last
        out.append(last)
    return out


def _header_kind(cells: list[str]) -> str | None:
    if len(cells) < 3 or cells[0].strip() or cells[1].strip():
        return None
    keys = [label_key(c) for c in cells[2:] if c.strip()]
    if not keys:
        return None
    if any(k in GENDERS for k in keys):
        return "gender"
    if sum(k in GROUPS for k in keys) >= len(GROUPS):
        return "group"
    if all(year_of_date(c) for c in cells[2:] if c.strip()):
        return "date"
    return None  # "Altersgruppen (unter 3 bis 75 u.m.)", units


class _Header:
    """The meaning of every value column, from the header lines seen so far."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[str, list[str]] = {}
        self.columns: list[tuple[int, str, str, int | None, str]] = []  # (index, gender, group, year, label)

    def add(self, kind: str, cells: list[str]) -> None:
        self.lines[kind] = _filled(cells)
        if "gender" in self.lines and "group" in self.lines:
            self.columns = self._columns()

    @property
    def complete(self) -> bool:
        return bool(self.columns)

    def _columns(self) -> list[tuple[int, str, str, int | None, str]]:
        genders, groups, dates = self.lines["gender"], self.lines["group"], self.lines.get("date", [])
        out = []
        for j, (gender, group) in enumerate(zip(genders, groups, strict=False)):
            g, a = label_key(gender), label_key(group)
            if g not in (*GENDERS, TOTAL) or a not in (*GROUPS, TOTAL):
                raise FileUnreadable(
                    self.file,
                    Msg("wide_column_not_table", file=self.file, n=j + 3, label=f"{gender}: {group}", table=TABLE_CODE),
                )
            if TOTAL in (g, a):
                continue  # the totals repeat the figures of the groups
            date = dates[j] if j < len(dates) else ""
            label = f"{gender}: {group}" + (f" ({date})" if date else "")
            out.append((j + 2, GENDERS[g], a, year_of_date(date) if date else None, label))
        if not out:
            raise FileUnreadable(self.file, Msg("wide_no_genders", file=self.file, table=TABLE_CODE))
        return out


def parse(sheet: Sheet, towns: frozenset[str], fallback_year: int | None) -> Parsed:
    """The town rows and their 34 figures per Stichtag (``fallback_year``: the manifest's ``year``)."""
    header = _Header(sheet.file)
    collect = Collector(sheet.file, towns)
    block_year: int | None = None
    for number, cells in sheet.rows:
        first = cells[0].strip() if cells else ""
        if first.startswith("__"):
            break  # the footer: footnotes (with date-like lines), licence, "Stand: …"
        kind = _header_kind(cells)
        if kind:
            header.add(kind, cells)
            continue
        if header.complete and is_code(first) and any(c.strip() for c in cells[1:]):
            ags = collect.town_row(number, cells[0])
            if ags is None:
                continue
            for j, gender, group, year, label in header.columns:
                year = year or block_year or fallback_year
                if year is None:
                    raise FileUnreadable(sheet.file, Msg("wide_no_date", file=sheet.file))
                collect.cell(number, year, group, gender, cells[j] if j < len(cells) else "", label)
            continue
        year = year_of_date(first)
        if year and not any(c.strip() for c in cells[1:]):
            block_year = year  # the date line of a block (title lines are no rows)
    return collect.result()
