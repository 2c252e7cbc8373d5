"""Declarative, vectorised field checks shared by all readers (brief §4).

A reader describes each canonical field once as a :class:`Field` (type, required, allowed codes, range);
:func:`convert` turns a column of raw strings into typed values plus a mask of bad cells and the German
reason for each. Conversions run on the *distinct* values of a column (``pd.factorize``) and are mapped
back, because exports repeat the same dates, codes and answers thousands of times: a million-row survey
costs a few thousand conversions per column, and there is no per-row Python loop anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

TEXT, CODE, DIGITS, INT, FLOAT, DATE, DATETIME, FLAG = (
    "text",
    "code",
    "digits",
    "int",
    "float",
    "date",
    "datetime",
    "flag",
)

YES_NO = {"y": "Y", "n": "N", "j": "Y", "ja": "Y", "nein": "N", "yes": "Y", "no": "N"}
GENDER = {
    "w": "w",
    "weiblich": "w",
    "f": "w",
    "female": "w",
    "frau": "w",
    "m": "m",
    "männlich": "m",
    "maennlich": "m",
    "male": "m",
    "mann": "m",
    "d": "d",
    "divers": "d",
}


@dataclass(frozen=True)
class Field:
    """One canonical field: how its text becomes a value and when the value is invalid.

    ``codes`` maps a case-folded answer to the stored value; ``allowed`` is how the message lists the
    permitted answers; ``lo``/``hi`` bound numbers (inclusive); ``digits`` is the length of a digit code;
    ``personal`` fields are never quoted in a reason (e-mails, names).
    """

    name: str
    kind: str = TEXT
    required: bool = False
    codes: Mapping[str, object] | None = None
    allowed: str = ""
    lo: float | None = None
    hi: float | None = None
    digits: int | None = None
    personal: bool = False
    noun: str = "Wert"  # how a reason names the value: "Wert", "Datum", "Alter"
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class Converted:
    values: pd.Series  # typed; missing where empty or bad
    bad: pd.Series  # bool: cell is invalid (row must be rejected)
    reason: pd.Series  # German reason where bad, else ""


def code_field(name: str, codes: Mapping[str, object], required: bool = False, allowed: str | None = None) -> Field:
    """A field whose answers must be one of ``codes`` (keys case-folded)."""
    shown = allowed if allowed is not None else ", ".join(dict.fromkeys(str(v) for v in codes.values()))
    return Field(name, CODE, required=required, codes={k.casefold(): v for k, v in codes.items()}, allowed=shown)


def scale_field(name: str, lo: int, hi: int, required: bool = False) -> Field:
    """An integer answer scale such as ``EASE`` 1–5: any other value is "nicht erlaubt"."""
    return Field(name, INT, required=required, lo=lo, hi=hi, allowed=f"{lo}–{hi}")


def _quote(value: str, f: Field) -> str:
    return "" if f.personal else f" '{value}'"


def convert(f: Field, raw: pd.Series, header: str) -> Converted:
    """Check and type one column. ``header`` is the export's column name used in the reasons."""
    text = raw.fillna("").astype(str)
    codes, uniques = pd.factorize(text, sort=False)
    u = pd.Series(uniques.astype(object), dtype=object).astype(str).str.strip()
    u = u.str.replace("\u00a0", " ", regex=False).str.strip()
    empty = (u == "").to_numpy()
    if empty.all():  # an optional column left empty (or absent): nothing to convert
        return _all_empty(f, raw, header)
    values_u, bad_u, reason_u = _CONVERTERS[f.kind](f, u, header)
    bad_u = np.asarray(bad_u, dtype=bool) & ~empty
    reason_u = np.where(bad_u, np.asarray(reason_u, dtype=object), "")
    if f.required:
        missing = empty
        reason_u = np.where(missing, f"Pflichtfeld '{header}' ist leer", reason_u)
        bad_u = bad_u | missing
    values_u = pd.Series(values_u).reset_index(drop=True)
    values_u = values_u.mask(pd.Series(bad_u | empty))
    if len(codes):
        values = values_u.take(codes)
        bad = bad_u[codes]
        reason = reason_u[codes]
    else:
        values, bad, reason = values_u.iloc[:0], np.zeros(0, bool), np.zeros(0, object)
    values.index = raw.index
    return Converted(
        values=_finish(f, values),
        bad=pd.Series(bad, index=raw.index, dtype=bool),
        reason=pd.Series(reason, index=raw.index, dtype=object),
    )


def _all_empty(f: Field, raw: pd.Series, header: str) -> Converted:
    n = len(raw)
    bad = np.full(n, f.required and n > 0, dtype=bool)
    reason = np.where(bad, f"Pflichtfeld '{header}' ist leer", "").astype(object)
    values = pd.Series([None] * n, index=raw.index, dtype=object)
    return Converted(
        values=_finish(f, values),
        bad=pd.Series(bad, index=raw.index, dtype=bool),
        reason=pd.Series(reason, index=raw.index, dtype=object),
    )


def _finish(f: Field, values: pd.Series) -> pd.Series:
    """Give each kind its column type: nullable Int64, float, datetime64, bool, or text."""
    if f.kind == INT:
        return values.astype("Int64")
    if f.kind == FLOAT:
        return values.astype("float64")
    if f.kind in (DATE, DATETIME):
        return pd.to_datetime(values)
    if f.kind == FLAG:
        return values.astype("boolean").fillna(False).astype(bool)
    if f.kind == CODE and f.codes and all(isinstance(v, int) for v in f.codes.values()):
        return values.astype("Int64")
    return values.astype("str")


# --- converters on distinct stripped values: return (values, bad, reason) ---------------------------------


def _text(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    return u, np.zeros(len(u), bool), np.full(len(u), "", object)


def _code(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    assert f.codes is not None
    mapped = u.str.casefold().map(dict(f.codes))
    bad = mapped.isna().to_numpy()
    reason = (
        f"{f.noun}" + u.map(lambda v: _quote(v, f)) + f" in Spalte '{header}' ist nicht erlaubt (erlaubt: {f.allowed})"
    )
    return mapped, bad, reason.to_numpy(dtype=object)


def _digits(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    n = f.digits
    ok = u.str.fullmatch(rf"\d{{{n}}}").fillna(False).to_numpy(dtype=bool)
    short = u.str.fullmatch(rf"\d{{{(n or 1) - 1}}}").fillna(False).to_numpy(dtype=bool)
    hint = np.where(short, " (führende Null verloren? In Excel die Spalte als Text formatieren)", "")
    reason = (
        f"{f.noun}" + u.map(lambda v: _quote(v, f)) + f" in Spalte '{header}' ist kein {n}-stelliger Code"
    ).to_numpy(dtype=object) + hint
    return u, ~ok, reason


def _range_reason(f: Field, u: pd.Series, header: str, what: str) -> np.ndarray:
    """Reason for a bad number: scales list what is allowed, other numbers say what they must be."""
    quoted = f"{f.noun}" + u.map(lambda v: _quote(v, f)) + f" in Spalte '{header}'"
    if f.allowed:
        return (quoted + f" ist nicht erlaubt (erlaubt: {f.allowed})").to_numpy(dtype=object)
    bounds = ""
    if f.lo is not None and f.hi is not None:
        bounds = f" von {_num(f.lo)} bis {_num(f.hi)}"
    elif f.lo is not None:
        bounds = f" ≥ {_num(f.lo)}"
    return (quoted + f" ist keine {what}{bounds}").to_numpy(dtype=object)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def _in_range(f: Field, num: pd.Series) -> np.ndarray:
    ok = num.notna().to_numpy() & np.isfinite(num.fillna(0).to_numpy(dtype=float))
    if f.lo is not None:
        ok &= (num >= f.lo).fillna(False).to_numpy(dtype=bool)
    if f.hi is not None:
        ok &= (num <= f.hi).fillna(False).to_numpy(dtype=bool)
    return ok


def _int(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    # "34", "+3", and LimeSurvey's "34.0000000000" / Excel's "34,0" are integers; "3,5" is not.
    shape = u.str.fullmatch(r"[+-]?\d{1,12}(?:[.,]0*)?").fillna(False).to_numpy(dtype=bool)
    num = pd.to_numeric(u.str.replace(r"[.,]0*$", "", regex=True).where(shape), errors="coerce")
    ok = shape & _in_range(f, num)
    return num, ~ok, _range_reason(f, u, header, "ganze Zahl")


def parse_decimal(u: pd.Series) -> pd.Series:
    """Numbers as German Excel and other tools write them: ``1.234,5``, ``1234,5``, ``1234.5``."""
    s = u.str.replace(" ", "", regex=False).str.replace("'", "", regex=False)
    german = s.str.contains(",", regex=False).fillna(False)
    s = s.where(~german, s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    ok = s.str.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?").fillna(False)
    return pd.to_numeric(s.where(ok), errors="coerce")


def _float(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    num = parse_decimal(u)
    ok = _in_range(f, num)
    return num, ~ok, _range_reason(f, u, header, "Zahl")


_DATE_PATTERN = (
    r"^(?:(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})|(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2}))"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?$"
)


_FAST_FORMATS = {False: ("%d.%m.%Y", "%Y-%m-%d"), True: ("%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M")}


def parse_dates(u: pd.Series, with_time: bool) -> pd.Series:
    """``dd.mm.yyyy`` or ISO ``yyyy-mm-dd``, optionally with ``hh:mm[:ss]``; impossible dates give NaT.

    The common exact formats go through pandas' C parser first (a survey has one distinct timestamp per
    response); only what they leave goes through the general pattern.
    """
    out = pd.Series(pd.NaT, index=u.index, dtype="datetime64[us]")
    todo = pd.Series(True, index=u.index)
    for fmt in _FAST_FORMATS[with_time]:
        if not todo.any():
            break
        parsed = pd.to_datetime(u[todo], format=fmt, errors="coerce")
        out.loc[parsed.index] = parsed
        todo &= out.isna()
    if todo.any():
        out.loc[todo] = _parse_dates_general(u[todo], with_time)
    in_range = (out.dt.year >= 1900) & (out.dt.year <= 2100)
    return out.where(in_range)


def _parse_dates_general(u: pd.Series, with_time: bool) -> pd.Series:
    parts = u.str.extract(_DATE_PATTERN)
    year = pd.to_numeric(parts["y"].fillna(parts["y2"]), errors="coerce")
    month = pd.to_numeric(parts["m"].fillna(parts["m2"]), errors="coerce")
    day = pd.to_numeric(parts["d"].fillna(parts["d2"]), errors="coerce")
    year = year.where((year >= 1900) & (year <= 2100))
    frame = pd.DataFrame({"year": year, "month": month, "day": day})
    if with_time:
        frame["hour"] = pd.to_numeric(parts["H"], errors="coerce").fillna(0)
        frame["minute"] = pd.to_numeric(parts["M"], errors="coerce").fillna(0)
        frame["second"] = pd.to_numeric(parts["S"], errors="coerce").fillna(0)
        valid_time = (frame["hour"] < 24) & (frame["minute"] < 60) & (frame["second"] < 60)
        frame.loc[~valid_time, "year"] = np.nan
    if frame.empty:
        return pd.Series(pd.NaT, index=u.index, dtype="datetime64[us]")
    out = pd.to_datetime(frame, errors="coerce")
    if not with_time:
        # a date column must not silently drop a time of day other than midnight (Excel's date cells)
        has_time = parts["H"].notna() & ((parts["H"].fillna("0").astype(int) > 0) | (parts["M"].fillna("0") != "00"))
        out = out.mask(has_time)
    return out


def _date(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    out = parse_dates(u, with_time=f.kind == DATETIME)
    bad = out.isna().to_numpy()
    what = "gültiger Zeitpunkt" if f.kind == DATETIME else "gültiges Datum"
    noun = "Datum" if f.noun == "Wert" else f.noun
    reason = (noun + u.map(lambda v: _quote(v, f)) + f" in Spalte '{header}' ist kein {what}").to_numpy(dtype=object)
    return out, bad, reason


def _flag(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    """A LimeSurvey multiple-choice box: ``Y`` ticked, empty (or ``N``) not ticked."""
    mapped = u.str.casefold().map({"y": True, "n": False, "1": True, "0": False, "ja": True, "nein": False})
    bad = mapped.isna().to_numpy()
    reason = (
        f"{f.noun}" + u.map(lambda v: _quote(v, f)) + f" in Spalte '{header}' ist nicht erlaubt (erlaubt: Y oder leer)"
    ).to_numpy(dtype=object)
    return mapped.astype("boolean"), bad, reason


_CONVERTERS = {
    TEXT: _text,
    CODE: _code,
    DIGITS: _digits,
    INT: _int,
    FLOAT: _float,
    DATE: _date,
    DATETIME: _date,
    FLAG: _flag,
}
