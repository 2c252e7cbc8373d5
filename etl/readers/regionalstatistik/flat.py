"""The GENESIS flat file ("ffcsv") of table 12411-02-03-5: one line per figure.

GENESIS-Online and regionalstatistik.de deliver it as a ZIP with one CSV (UTF-8, ``;``, decimal comma)::

    statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;
        1_variable_attribute_code;1_variable_attribute_label;2_variable_code;…;value;value_unit;
        value_variable_code;value_variable_label;value_q
    12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;2023-12-31;GEMEIN;Gemeinden;09999001;
        Musterstadt;GES;Geschlecht;GESW;weiblich;ALTX20;Altersgruppen;ALT075UM;75 Jahre und mehr;
        1234;Anzahl;BEVSTD;Bevölkerungsstand;e

The numbered variables are the region (``DLAND``, ``KREISE``, ``GEMEIN``, … with the region code as
attribute code, 2 to 12 digits or ``DG``), the gender (``GES``: ``GESM``, ``GESW``) and the age group
(``ALTX20``: ``ALT000B03`` … ``ALT075UM``); an empty attribute code is that variable's "Insgesamt". Their
order is not fixed and the region variable changes from line to line (Land, Kreis, Gemeinde), so each
numbered variable is recognised by its codes. ``time`` is ``2023-12-31``, ``31.12.2023`` or ``2023``; a
missing figure stands in ``value`` (or, with an empty ``value``, in the quality column ``value_q``).
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from etl.readers.regionalstatistik.parsed import CELL_COLUMNS, PROBLEM_COLUMNS, ROW_COLUMNS, Parsed
from etl.readers.regionalstatistik.sheet import Sheet, separator
from etl.readers.regionalstatistik.table import (
    GENDER_CODES,
    GROUP_CODES,
    MISSING,
    TABLE_CODE,
    is_code,
    restore_code,
    town_ags,
    year_of_time,
)
from etl.readers.tabular import FileUnreadable

_ATTRIBUTE = re.compile(r"(\d+)_variable_attribute_code")


def matches(rows: list[tuple[int, list[str]]]) -> bool:
    """The flat file's header: ``value`` and numbered ``…_variable_attribute_code`` columns."""
    if not rows:
        return False
    names = {c.strip().casefold() for c in rows[0][1]}
    return "value" in names and any(_ATTRIBUTE.fullmatch(n) for n in names)


def _frame(sheet: Sheet) -> pd.DataFrame:
    if sheet.text is not None:
        frame = pd.read_csv(
            io.StringIO(sheet.text),
            sep=separator(sheet.text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
        )
    else:
        header, *body = [cells for _, cells in sheet.rows]
        width = len(header)
        frame = pd.DataFrame([(r + [""] * width)[:width] for r in body], columns=header, dtype=object)
    frame.columns = [str(c).strip().casefold() for c in frame.columns]
    return frame


def _roles(frame: pd.DataFrame, file: str) -> dict[str, str]:
    """Which numbered variable is the region, the gender and the age group: role -> attribute code column."""
    roles: dict[str, str] = {}
    others: list[str] = []
    for column in sorted((c for c in frame.columns if _ATTRIBUTE.fullmatch(c)), key=lambda c: int(c.split("_")[0])):
        number = column.split("_")[0]
        codes = set(frame[column].astype(str).str.strip()) - {""}
        variable = frame.get(f"{number}_variable_code", pd.Series([""], dtype=object)).astype(str).str.strip()
        name = variable[variable != ""].mode().iloc[0] if (variable != "").any() else f"Merkmal {number}"
        if name.startswith("GES") or (codes and codes <= set(GENDER_CODES)):
            role = "gender"
        elif name.startswith("ALT") or (codes and all(c.startswith("ALT") for c in codes)):
            role = "age"
        elif codes and all(is_code(c) for c in codes):
            role = "region"
        else:
            others.append(name)
            continue
        if role in roles:
            others.append(name)
            continue
        roles[role] = column
    missing = [label for role, label in _ROLE_LABELS.items() if role not in roles]
    if missing or others:
        found = f"; außerdem: {', '.join(others)}" if others else ""
        raise FileUnreadable(
            file,
            f"{file} ist eine GENESIS-Flatfile, aber nicht die Tabelle {TABLE_CODE}: "
            f"{'es fehlt ' + ' und '.join(missing) if missing else 'unerwartete Merkmale'}{found}.",
        )
    return roles


_ROLE_LABELS = {
    "region": "das Merkmal Region (Regionalschlüssel)",
    "gender": "das Merkmal Geschlecht (GES)",
    "age": "das Merkmal Altersgruppen (ALTX20)",
}


def parse(sheet: Sheet, towns: frozenset[str]) -> Parsed:
    """The town lines and their figures; Insgesamt lines (empty gender or age code) give none."""
    file = sheet.file
    frame = _frame(sheet)
    for needed in ("time", "value"):
        if needed not in frame.columns:
            raise FileUnreadable(file, f"{file}: Pflichtspalte '{needed}' der GENESIS-Flatfile fehlt.")
    values = frame.get("value_variable_code", pd.Series(dtype=object)).astype(str).str.strip()
    if values[values != ""].nunique() > 1:
        raise FileUnreadable(
            file,
            f"{file} enthält mehrere Wertmerkmale ({', '.join(sorted(values[values != ''].unique()))}); "
            f"bitte nur die Bevölkerung (Tabelle {TABLE_CODE}) herunterladen.",
        )
    roles = _roles(frame, file)
    frame.insert(0, "source_row", np.arange(2, len(frame) + 2, dtype="int64"))
    frame.insert(0, "source_file", file)
    code = frame[roles["region"]].astype(str).str.strip()
    valid = code.map(is_code).astype(bool)
    unique = {c: town_ags(c) for c in code[valid].unique()}  # a Germany-wide file repeats each code 54 times
    ags = code.map(unique).where(valid, None)
    ours = valid & ags.isin(towns)
    digits = code.where(ours, "").map(lambda c: len(restore_code(c)))
    rows = frame.loc[ours | ~valid, ["source_file", "source_row"]].assign(ags=ags.where(ours, None), digits=digits)
    problems = [_problems(frame, ~valid, roles["region"], "Regionalschlüssel '" + code + f"' {_NO_REGION}")]

    mine = frame.loc[ours]
    gender = mine[roles["gender"]].astype(str).str.strip()
    age = mine[roles["age"]].astype(str).str.strip()
    year = mine["time"].map(year_of_time)
    figure = (gender != "") & (age != "")  # a line with an empty code is that variable's Insgesamt
    unknown_gender = figure & ~gender.isin(list(GENDER_CODES))
    unknown_age = figure & ~unknown_gender & ~age.isin(list(GROUP_CODES))
    no_year = figure & ~unknown_gender & ~unknown_age & year.isna()
    problems += [
        _problems(mine, unknown_gender, roles["gender"], "Geschlecht '" + gender + f"' {_NOT_TABLE}"),
        _problems(mine, unknown_age, roles["age"], "Altersgruppe '" + age + f"' {_NOT_TABLE}"),
        _problems(mine, no_year, "time", "Wert '" + mine["time"] + "' in Spalte 'time' ist kein Stichtag"),
    ]
    keep = figure & ~unknown_gender & ~unknown_age & ~no_year
    text = mine["value"].astype(str).str.strip()
    if "value_q" in mine.columns:
        flag = mine["value_q"].astype(str).str.strip()
        text = text.mask((text == "") & flag.isin(MISSING), flag)
    cells = mine.loc[keep, ["source_file", "source_row"]].assign(
        year=year[keep].astype("int64"),
        group=age[keep].map(GROUP_CODES),
        gender=gender[keep].map(GENDER_CODES),
        text=text[keep],
        column="value",
    )
    return Parsed(
        file=file,
        read=len(frame),
        skipped=int((valid & ~ours).sum()),
        rows=rows[ROW_COLUMNS].reset_index(drop=True),
        cells=cells[CELL_COLUMNS].reset_index(drop=True),
        problems=pd.concat(problems, ignore_index=True)[PROBLEM_COLUMNS],
    )


_NO_REGION = "ist kein Gebietsschlüssel (DG oder 2 bis 12 Ziffern)"
_NOT_TABLE = f"gehört nicht zur Tabelle {TABLE_CODE}"


def _problems(frame: pd.DataFrame, mask: pd.Series, column: str, reason: pd.Series) -> pd.DataFrame:
    picked = frame.loc[mask, ["source_file", "source_row"]]
    return picked.assign(column=column, reason=reason[mask])
