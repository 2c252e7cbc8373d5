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

from etl.messages import Msg
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
_VARIABLE = re.compile(r"\d+_variable_(?:attribute_)?code")


def matches(rows: list[tuple[int, list[str]]]) -> bool:
    """The flat file's header: ``value`` and numbered ``…_variable_attribute_code`` columns."""
    if not rows:
        return False
    names = {c.strip().casefold() for c in rows[0][1]}
    return "value" in names and any(_ATTRIBUTE.fullmatch(n) for n in names)


def _wanted(name: str) -> bool:
    name = str(name).strip().casefold()
    return name in ("time", "value", "value_q", "value_variable_code") or bool(_VARIABLE.fullmatch(name))


def _frame(sheet: Sheet) -> pd.DataFrame:
    """The columns the reader needs, as Python strings without surrounding spaces (a Germany-wide file
    has over half a million lines, so only these columns are parsed)."""
    if sheet.text is not None:
        frame = pd.read_csv(
            io.StringIO(sheet.text),
            sep=separator(sheet.text),
            dtype=object,
            usecols=_wanted,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
        )
    else:
        header, *body = [cells for _, cells in sheet.rows]
        width = len(header)
        frame = pd.DataFrame([(r + [""] * width)[:width] for r in body], columns=header, dtype=object)
        frame = frame[[c for c in frame.columns if _wanted(c)]]
    frame.columns = [str(c).strip().casefold() for c in frame.columns]
    # plain Python strings (object columns): pandas' string dtype would cost more than the whole parse here
    stripped = {c: np.array([str(v).strip() for v in frame[c].to_numpy(dtype=object)], dtype=object) for c in frame}
    return pd.DataFrame(stripped, index=frame.index, dtype=object)


def _roles(frame: pd.DataFrame, file: str) -> dict[str, str]:
    """Which numbered variable is the region, the gender and the age group: role -> attribute code column."""
    roles: dict[str, str] = {}
    others: list[str] = []
    for column in sorted((c for c in frame.columns if _ATTRIBUTE.fullmatch(c)), key=lambda c: int(c.split("_")[0])):
        number = column.split("_")[0]
        codes = set(pd.unique(frame[column])) - {""}
        names = sorted(set(pd.unique(frame.get(f"{number}_variable_code", pd.Series([""], dtype=object)))) - {""})
        name = ", ".join(names) or f"Merkmal {number}"
        if any(n.startswith("GES") for n in names) or (codes and codes <= set(GENDER_CODES)):
            role = "gender"
        elif any(n.startswith("ALT") for n in names) or (codes and all(c.startswith("ALT") for c in codes)):
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
    missing = [Msg(label) for role, label in _ROLE_LABELS.items() if role not in roles]
    if missing or others:
        found = Msg("flat_others", others=", ".join(others)) if others else None
        what = Msg("flat_missing", missing=missing) if missing else Msg("flat_unexpected")
        raise FileUnreadable(file, Msg("flat_not_table", file=file, table=TABLE_CODE, what=what, others=found))
    return roles


_ROLE_LABELS = {"region": "flat_role_region", "gender": "flat_role_gender", "age": "flat_role_age"}


def parse(sheet: Sheet, towns: frozenset[str]) -> Parsed:
    """The town lines and their figures; Insgesamt lines (empty gender or age code) give none."""
    file = sheet.file
    frame = _frame(sheet)
    for needed in ("time", "value"):
        if needed not in frame.columns:
            raise FileUnreadable(file, Msg("flat_column_missing", file=file, header=needed))
    values = sorted(set(pd.unique(frame.get("value_variable_code", pd.Series([""], dtype=object)))) - {""})
    if len(values) > 1:
        raise FileUnreadable(file, Msg("flat_several_values", file=file, values=", ".join(values), table=TABLE_CODE))
    if frame.empty:  # a download with the header only: no rows read, nothing to recognise the variables by
        return Parsed(
            file=file,
            read=0,
            skipped=0,
            rows=pd.DataFrame(columns=ROW_COLUMNS),
            cells=pd.DataFrame(columns=CELL_COLUMNS),
            problems=pd.DataFrame(columns=PROBLEM_COLUMNS),
        )
    roles = _roles(frame, file)
    frame.insert(0, "source_row", np.arange(2, len(frame) + 2, dtype="int64"))
    frame.insert(0, "source_file", file)
    code = frame[roles["region"]]
    # each code once: a Germany-wide file repeats every region's code 54 times per Stichtag
    unique = pd.Series(pd.unique(code), dtype=object)
    valid_code = unique.map(is_code).astype(bool)
    ags_of = dict(zip(unique[valid_code], unique[valid_code].map(town_ags), strict=True))
    valid = code.isin(set(unique[valid_code]))
    ags = code.map(ags_of)
    ours = valid & ags.isin(towns)
    digits = code[ours].map(lambda c: len(restore_code(c)))
    rows = frame.loc[ours | ~valid, ["source_file", "source_row"]].assign(ags=ags.where(ours, None), digits=digits)
    rows["digits"] = rows["digits"].fillna(0).astype("int64")
    problems = [_problems(frame, ~valid, roles["region"], code.map(lambda c: Msg("region_code_invalid", code=c)))]

    mine = frame.loc[ours]
    gender = mine[roles["gender"]]
    age = mine[roles["age"]]
    year = mine["time"].map(year_of_time)
    figure = (gender != "") & (age != "")  # a line with an empty code is that variable's Insgesamt
    unknown_gender = figure & ~gender.isin(list(GENDER_CODES))
    unknown_age = figure & ~unknown_gender & ~age.isin(list(GROUP_CODES))
    no_year = figure & ~unknown_gender & ~unknown_age & year.isna()
    problems += [
        _problems(
            mine,
            unknown_gender,
            roles["gender"],
            gender.map(lambda g: Msg("gender_not_table", code=g, table=TABLE_CODE)),
        ),
        _problems(
            mine, unknown_age, roles["age"], age.map(lambda a: Msg("age_code_not_table", code=a, table=TABLE_CODE))
        ),
        _problems(mine, no_year, "time", mine["time"].map(lambda t: Msg("time_not_date", value=t))),
    ]
    keep = figure & ~unknown_gender & ~unknown_age & ~no_year
    text = mine["value"]
    if "value_q" in mine.columns:
        flag = mine["value_q"]
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


def _problems(frame: pd.DataFrame, mask: pd.Series, column: str, reasons: pd.Series) -> pd.DataFrame:
    picked = frame.loc[mask, ["source_file", "source_row"]]
    return picked.assign(column=column, reason=reasons[mask])
