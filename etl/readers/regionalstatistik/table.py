"""What every layout of table 12411-02-03-5 shares: its age groups, genders, missing-value marks, region codes.

The table "Bevölkerung nach Geschlecht und Altersgruppen (17)" comes as the wide CSV, the long CSV, the XLSX
download and the GENESIS flat file (brief §3.1); the layout modules only find the figures, this module says
what a label, a code or a cell means, so that all four read the same numbers the same way.

Region codes. regionalstatistik.de writes Deutschland as ``DG``, a Land with 2 digits, a Regierungsbezirk
with 3, a Kreis or kreisfreie Stadt with 5, a Gemeinde with 8 (the AGS), a Gemeindeverband with 9
(Kreis + 4-digit Verband key), older downloads a Gemeinde inside a Verband with 11 (Kreis + 3-digit Verband
+ Gemeinde), and flat files may use the 12-digit ARS (Kreis + 4-digit Verband + Gemeinde). A town of the
manifest (8-digit AGS ``LLRKKGGG``) is therefore found as

* ``LLRKKGGG`` itself (8 digits; the ``-B`` variant writes kreisfreie Städte so: ``01001000``);
* ``LLRKK`` when its Gemeinde key is ``000`` (a kreisfreie Stadt is listed as a Kreis: ``01001``);
* ``LL`` when it is ``LL000000`` (Hamburg ``02``, Berlin ``11`` are Länder);
* ``LLRKK0GGG`` (9 digits): a verbandsfreie Gemeinde is its own Gemeindeverband, whose key is ``0`` + GGG;
  any other 9-digit code is a real Gemeindeverband (Samtgemeinde, Verbandsgemeinde, Amt), no town;
* ``LLRKKVVVGGG`` / ``LLRKKVVVVGGG`` (11 / 12 digits): Kreis + Gemeinde, the Verband key dropped.

Spreadsheets lose leading zeros (the XLSX download and Excel store ``01001`` as the number 1001). No real
code has 1, 4, 7 or 10 digits, so a code of such a length lost its zero and gets it back (``2`` → ``02``,
``1001`` → ``01001``). A number cell of 8 or 11 digits whose first two are no Land code (01–16) is a 9- or
12-digit code without its zero (91840119 → ``091840119``); codes written as text keep such digits as they
are (the demo's fictional Land is 99). The one ambiguity left (a 9-/12-digit Schleswig-Holstein code as a
number reads like a Saarland code) is read as written.

Missing figures. GENESIS writes ``-`` (nothing), ``.`` (unknown or secret), ``x`` (not sensible) and ``/``
(not reliable enough). The brief reads all four as "no figure": never as 0, never as an error.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from etl.messages import Msg

TABLE_CODE = "12411-02-03-5"

# age group key (label in lower case without " Jahre") -> [(band, share)]; "10 bis unter 15" straddles 14
# and goes 1/5 to 14-29 and 4/5 to 0-13 (one year of age in five, brief §3.1)
GROUPS: dict[str, list[tuple[str, float]]] = {
    "unter 3": [("0-13", 1.0)],
    "3 bis unter 6": [("0-13", 1.0)],
    "6 bis unter 10": [("0-13", 1.0)],
    "10 bis unter 15": [("0-13", 0.8), ("14-29", 0.2)],
    "15 bis unter 18": [("14-29", 1.0)],
    "18 bis unter 20": [("14-29", 1.0)],
    "20 bis unter 25": [("14-29", 1.0)],
    "25 bis unter 30": [("14-29", 1.0)],
    "30 bis unter 35": [("30-49", 1.0)],
    "35 bis unter 40": [("30-49", 1.0)],
    "40 bis unter 45": [("30-49", 1.0)],
    "45 bis unter 50": [("30-49", 1.0)],
    "50 bis unter 55": [("50-64", 1.0)],
    "55 bis unter 60": [("50-64", 1.0)],
    "60 bis unter 65": [("50-64", 1.0)],
    "65 bis unter 75": [("65+", 1.0)],
    "75 und mehr": [("65+", 1.0)],
}
# the GENESIS attribute codes of the age variable ALTX20 (flat file), in the order of GROUPS
GROUP_CODES = dict(
    zip(
        (
            "ALT000B03",
            "ALT003B06",
            "ALT006B10",
            "ALT010B15",
            "ALT015B18",
            "ALT018B20",
            "ALT020B25",
            "ALT025B30",
            "ALT030B35",
            "ALT035B40",
            "ALT040B45",
            "ALT045B50",
            "ALT050B55",
            "ALT055B60",
            "ALT060B65",
            "ALT065B75",
            "ALT075UM",
        ),
        GROUPS,
        strict=True,
    )
)
TOTAL = "insgesamt"  # the label of the all-ages group and of both genders together
GENDERS = {"männlich": "m", "weiblich": "w"}
GENDER_CODES = {"GESM": "m", "GESW": "w"}  # GENESIS attribute codes of the variable GES
CELLS_PER_YEAR = len(GROUPS) * len(GENDERS)  # the 34 figures one town-year needs

MISSING = frozenset({"-", ".", "x", "/"})
MISSING_TEXT = "'-', '.', 'x' oder '/'"

_DATE = re.compile(r"(?:\d{1,2}\.\d{1,2}\.(\d{4})|(\d{4})-\d{2}-\d{2}(?:[ T][\d:]+)?)")
_YEAR = re.compile(r"\d{4}")
_CODE = re.compile(r"DG|\d{1,12}")
_GERMAN_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_PLAIN = re.compile(r"\d+(?:[.,]\d+)?")


def label_key(text: str) -> str:
    """An age-group or gender label as a key: ``' 75 Jahre und mehr'`` → ``'75 und mehr'``."""
    key = " ".join(str(text).split()).casefold().replace("maennlich", "männlich")
    return re.sub(r" jahren?\b", "", key)


def year_of_date(text: str) -> int | None:
    """The year of a reference date written ``31.12.2023`` or ``2023-12-31``; None for anything else."""
    match = _DATE.fullmatch(str(text).strip())
    if not match:
        return None
    return int(match.group(1) or match.group(2))


def year_of_time(text: str) -> int | None:
    """The year of a flat file's ``time`` cell: a date as above, or the year alone (``2023``)."""
    text = str(text).strip()
    return int(text) if _YEAR.fullmatch(text) else year_of_date(text)


def is_code(text: str) -> bool:
    """A region code as the table writes it (``DG`` or 1–12 digits, zeros possibly lost)."""
    return bool(_CODE.fullmatch(text))


def restore_code(code: str, number: bool = False) -> str:
    """The code with a leading zero a spreadsheet dropped put back; ``number``: the cell was a number."""
    n = len(code)
    if not code.isdigit():
        return code
    if n in (1, 4, 7, 10) or (number and n in (8, 11) and not 1 <= int(code[:2]) <= 16):
        return "0" + code
    return code


def town_ags(code: str, number: bool = False) -> str | None:
    """The 8-digit AGS a region code stands for when it can be a town, else None (module docstring)."""
    if not code.isdigit():
        return None  # DG
    code = restore_code(code, number)
    n = len(code)
    if n == 8:
        return code
    if n == 5:
        return code + "000"
    if n == 2:
        return code + "000000"
    if n == 9:
        return code[:5] + code[6:] if code[5] == "0" else None
    if n in (11, 12):
        return code[:5] + code[-3:]
    return None  # Regierungsbezirk


def counts(text: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Cell texts → (number, missing, bad): ``-``/``.``/``x``/``/`` are missing, not bad.

    Numbers are written plainly (``1234``), with a decimal comma (``1234,0``, flat files) or with German
    thousands points (``1.234``, a re-saved spreadsheet); anything else, an empty cell or a negative number
    is bad.
    """
    text = text.fillna("").astype(str).str.strip()
    missing = text.isin(MISSING)
    thousands = text.str.fullmatch(_GERMAN_THOUSANDS.pattern)
    plain = text.str.fullmatch(_PLAIN.pattern)
    cleaned = text.where(~thousands, text.str.replace(".", "", regex=False)).str.replace(",", ".", regex=False)
    number = pd.to_numeric(cleaned.where(thousands | plain), errors="coerce")
    bad = ~missing & number.isna()
    return number.astype("float64"), missing, bad


def bad_count_reason(text: pd.Series, column: pd.Series | str, bad: np.ndarray) -> np.ndarray:
    """'Wert 'abc' in Spalte 'weiblich: 75 Jahre und mehr' ist keine Anzahl' (or 'ist leer'), for ``bad`` cells."""
    text = text.fillna("").astype(str).str.strip().to_numpy(dtype=object)
    columns = np.full(len(text), column, dtype=object) if isinstance(column, str) else column.to_numpy(dtype=object)
    out = np.full(len(text), None, dtype=object)
    out[bad] = [
        Msg("count_empty", header=c, missing=MISSING_TEXT) if t == "" else Msg("count_invalid", value=t, header=c)
        for t, c in zip(text[bad], columns[bad], strict=True)
    ]
    return out
