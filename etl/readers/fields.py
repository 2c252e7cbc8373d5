"""Declarative, vectorised field checks shared by all readers (brief §4).

A reader describes each canonical field once as a :class:`Field` (type, required, allowed codes, range);
:func:`convert` turns a column of raw strings into typed values plus a mask of bad cells and the German
reason for each. Conversions run on the *distinct* values of a column (``pd.factorize``) and are mapped
back, because exports repeat the same dates, codes and answers thousands of times: a million-row survey
costs a few thousand conversions per column, and there is no per-row Python loop anywhere.

A network run reads about a thousand small sources, where pandas' fixed cost per call dominates: columns
sharing one definition are therefore converted as one block (:func:`convert_block`), and small sets of
distinct texts (answer scales, flags) and number texts are converted once per run and remembered.

What a reason quotes (brief §4): a reason names the column and the problem, and quotes the offending value
only where it cannot be personal data (:func:`quotable`): never for a ``personal`` field (person ids,
names, titles, free text) and never a value that looks like an e-mail address, URL, IP address, phone number
or a long digit string (10 digits or more); dates are quoted only when they consist of date characters,
numbers only when they consist of number characters (both also when they are one short word that is not
capitalised like a name: "gestern", "viel", not "Schmidt"), codes only when they are short and code-like
(one word of at most 12 characters, a snake_case identifier, or two words of which not both are
capitalised: "keine Angabe", not "Anna Schmidt"). Free-text (TEXT) fields are never checked beyond
"required", so they are never quoted. Values of shifted rows and of wrongly mapped columns are never
quoted either (see :mod:`etl.readers.checks`).

Numbers (brief §3: decimal comma allowed) are read as the export means them or rejected, never with a
shifted decimal: ``1.234,5`` (German) and ``1,234.5`` (English) both are 1234,5; ``1.234.567`` and
``1,234,567`` are thousands; one separator followed by exactly three digits after a leading 1–3 digit
group (``1.234``, ``12,500``) could be either and is rejected with the advice to write it without a
thousands separator; any other single ``,`` or ``.`` is the decimal separator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl.messages import Msg

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


# e-mail addresses, URLs, IP addresses: never quoted whatever the field
_PERSONAL_SHAPE = re.compile(r"@|://|www\.|\b\d{1,3}(?:\.\d{1,3}){3}\b")
_PHONE_SHAPE = re.compile(r"^(?:\+|0)[\d\s/()\-.]{5,}$")
_DATE_CHARS = re.compile(r"^[\d.:/\- T]{1,26}$")
_DATE_SHAPE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:[ T].*)?$")
_NUMBER_CHARS = re.compile(r"^[\d\s.,'+\-eE%]{1,20}$")
_DIGIT_CHARS = re.compile(r"^[\d\s]{1,12}$")
_CODE_WORD = re.compile(r"^[\w+\-./?!*#&%()]{1,12}$")
_IDENTIFIER = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")  # an indicator id such as registered_per_1000
_CAPITALISED = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+$")


def quotable(value: str, f: Field | None = None) -> bool:
    """Whether a reason may quote ``value`` of field ``f`` (the rule of the module docstring)."""
    if (f is not None and f.personal) or not value or len(value) > 26:
        return False
    if _contact_value(value):
        return False  # "0177 445616", "+49 30 12345", e-mails, IPs; a bare 8-digit AGS stays quotable
    kind = f.kind if f is not None else CODE
    word = bool(_CODE_WORD.match(value)) and not _CAPITALISED.match(value)  # "viel", not "Schmidt"
    if kind in (DATE, DATETIME):
        return bool(_DATE_CHARS.match(value)) or word
    if kind in (INT, FLOAT):
        return bool(_NUMBER_CHARS.match(value)) or word
    if kind == DIGITS:
        return bool(_DIGIT_CHARS.match(value))
    if kind in (CODE, FLAG):
        words = value.split()
        if len(words) == 1:
            return bool(_CODE_WORD.match(value) or _IDENTIFIER.match(value))
        return (
            len(words) == 2
            and len(value) <= 16
            and all(_CODE_WORD.match(w) for w in words)
            and not all(_CAPITALISED.match(w) for w in words)
        )
    return False


def quote(value: object, f: Field | None = None) -> str:
    """`` 'value'`` where :func:`quotable`, else ``""``: the piece a reason puts after its noun."""
    text = "" if value is None else str(value)
    return f" '{text}'" if quotable(text, f) else ""


def convert(f: Field, raw: pd.Series, header: str) -> Converted:
    """Check and type one column. ``header`` is the export's column name used in the reasons."""
    block = convert_block(f, raw.to_numpy(dtype=object).reshape(-1, 1), [header])
    bad = block.bad()[:, 0]
    reasons = [
        str(r.with_params(header=header)) if isinstance(r, Msg) else ""
        for r in block.reasons(0, np.ones(len(raw), bool))
    ]
    return Converted(
        values=block.column(0, raw.index),
        bad=pd.Series(bad, index=raw.index, dtype=bool),
        reason=pd.Series(reasons, index=raw.index, dtype=object),
    )


# Stands for the header in reasons built once for a whole block; replaced per column where a cell is bad.
HEADER = _HEADER = "\x00header\x00"
_REQUIRED_EMPTY = Msg("required_empty", header=_HEADER)


@dataclass
class Block:
    """The checked cells of several columns that share one field definition (all ``FREQ[..]`` items).

    Reading a network means about a thousand small sources with up to a hundred same-typed columns each;
    pandas costs a fixed overhead per call, so the cells of all those columns are factorised together and
    each distinct text is converted once (:func:`convert_block`). ``codes`` points every cell at its
    distinct value; values, badness and reasons are held per distinct value and expanded on demand.
    """

    field: Field
    headers: list[str]
    codes: np.ndarray  # (rows, columns) index into the per-distinct-value arrays
    values_u: pd.Series  # typed value per distinct text, missing where empty or bad
    bad_u: np.ndarray  # bool per distinct text
    reason_u: np.ndarray  # reason per distinct text with the placeholder _HEADER
    empty_cols: np.ndarray  # bool per column: every cell empty (typed like an absent column)
    empty_u: np.ndarray  # bool per distinct text: empty after stripping

    def filled(self, j: int, rows: np.ndarray | None = None) -> int:
        """How many cells of column ``j`` (among ``rows``, a bool mask) hold any text."""
        if self.empty_cols[j] or not len(self.empty_u):
            return 0
        codes = self.codes[:, j] if rows is None else self.codes[rows, j]
        return int((~self.empty_u[codes]).sum())

    def bad(self) -> np.ndarray:
        """(rows, columns) bool: the cell is invalid and its row must be rejected."""
        out = self.bad_u[self.codes]
        if self.empty_cols.any():
            out[:, self.empty_cols] = self.field.required
        return out

    def reasons(self, j: int, mask: np.ndarray) -> np.ndarray:
        """Reasons of column ``j`` for the rows in ``mask`` (object array over all rows, "" elsewhere).

        Each reason is a :class:`~etl.messages.Msg` whose ``header`` parameter is still the placeholder
        :data:`HEADER`: the caller puts in the header of each row's source.
        """
        n = self.codes.shape[0]
        out = np.full(n, "", dtype=object)
        if self.empty_cols[j]:
            out[mask] = _REQUIRED_EMPTY if self.field.required else ""
            return out
        out[mask] = self.reason_u[self.codes[mask, j]]
        return out

    def column(self, j: int, index: pd.Index) -> pd.Series:
        """Typed values of column ``j`` (as :func:`convert` gives them)."""
        if self.empty_cols[j]:
            return _empty_values(self.field, index)
        values = self.values_u.take(self.codes[:, j])
        values.index = index
        return _finish(self.field, values)

    def frame(self, index: pd.Index, names: list[str], columns: list[int] | None = None) -> pd.DataFrame:
        """Typed values of the block's ``columns`` (default: all) at once, named ``names``."""
        columns = list(range(self.codes.shape[1])) if columns is None else columns
        bulk = _BULK.get(self._finish_kind())
        if bulk is None or self.empty_cols[columns].all():
            return pd.DataFrame(
                {name: self.column(j, index) for j, name in zip(columns, names, strict=True)}, index=index
            )
        out = bulk(self.values_u, self.codes[:, columns], index, names)
        for name, j in zip(names, columns, strict=True):
            if self.empty_cols[j]:
                out[name] = _empty_values(self.field, index)
        return out

    def numbers(self) -> np.ndarray:
        """(rows, columns) float values of a numeric block, NaN where empty or bad."""
        values = self.values_u.to_numpy(dtype="float64", na_value=np.nan)
        out = values[self.codes] if len(values) else np.full(self.codes.shape, np.nan)
        out[:, self.empty_cols] = np.nan
        return out

    def _finish_kind(self) -> str:
        f = self.field
        if f.kind == CODE and f.codes and all(isinstance(v, int) for v in f.codes.values()):
            return INT
        return f.kind


def _int_frame(values_u: pd.Series, codes: np.ndarray, index: pd.Index, names: list[str]) -> pd.DataFrame:
    numbers = values_u.to_numpy(dtype="float64", na_value=np.nan)[codes]
    missing = np.isnan(numbers)
    whole = np.where(missing, 0, numbers).astype("int64")
    arrays = {name: pd.arrays.IntegerArray(whole[:, j], missing[:, j]) for j, name in enumerate(names)}
    return pd.DataFrame(arrays, index=index)


def _float_frame(values_u: pd.Series, codes: np.ndarray, index: pd.Index, names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(values_u.to_numpy(dtype="float64", na_value=np.nan)[codes], index=index, columns=names)


def _flag_frame(values_u: pd.Series, codes: np.ndarray, index: pd.Index, names: list[str]) -> pd.DataFrame:
    ticked = values_u.astype("boolean").fillna(False).to_numpy(dtype=bool)
    return pd.DataFrame(ticked[codes], index=index, columns=names)


def _text_frame(values_u: pd.Series, codes: np.ndarray, index: pd.Index, names: list[str]) -> pd.DataFrame:
    return pd.DataFrame(values_u.to_numpy(dtype=object)[codes], index=index, columns=names).astype("str")


# Frame-wide equivalents of :func:`_finish` for kinds whose typing does not depend on the column.
_BULK = {
    INT: _int_frame,
    FLOAT: _float_frame,
    FLAG: _flag_frame,
    TEXT: _text_frame,
    CODE: _text_frame,
    DIGITS: _text_frame,
}


def convert_block(f: Field, cells: np.ndarray, headers: list[str]) -> Block:
    """Check and type a (rows, columns) object array of raw text whose columns all follow ``f``.

    Missing cells (``None``/NaN) count as empty text. Every distinct text is stripped and converted
    once for the whole block, exactly as :func:`convert` would do it for each column alone.
    """
    n, k = cells.shape
    codes, uniques = pd.factorize(cells.ravel(order="F"), use_na_sentinel=True)
    texts = list(uniques)
    if (codes < 0).any():
        codes = np.where(codes < 0, len(texts), codes)
        texts.append("")
    if len(texts) <= _MEMO_DISTINCT and all(type(t) is str for t in texts):
        # answer scales, codes and flags: the same few texts in every source, converted once per run
        ordered = sorted(texts)
        rank = {t: i for i, t in enumerate(ordered)}
        codes = np.asarray([rank[t] for t in texts], dtype=np.intp)[codes] if len(codes) else codes
        key = (definition(f), tuple(ordered))
        distinct = _MEMO.get(key)
        if distinct is None:
            distinct = _MEMO[key] = _convert_distinct(f, ordered)
            if len(_MEMO) > _MEMO_SIZE:
                del _MEMO[next(iter(_MEMO))]
    elif f.kind in (INT, FLOAT) and all(type(t) is str for t in texts):
        distinct = _convert_numbers(f, texts)
    else:
        distinct = _convert_distinct(f, texts)
    codes = codes.reshape((n, k), order="F")
    values_u, bad_u, reason_u, empty = distinct
    empty_cols = empty[codes].all(axis=0) if n and len(empty) else np.ones(k, dtype=bool)
    return Block(f, headers, codes, values_u, bad_u, reason_u, empty_cols, empty)


# Memo of :func:`_convert_distinct` for small sets of distinct texts (oldest entries dropped first).
_MEMO: dict[tuple[object, tuple[str, ...]], tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]] = {}
_MEMO_DISTINCT = 64
_MEMO_SIZE = 4096


# Per field definition: number text -> (value, bad, reason, empty), for ages, hours and counts whose set of
# distinct texts differs from source to source while the texts themselves recur.
_NUMBER_MEMO: dict[object, dict[str, tuple[float, bool, str, bool]]] = {}
_NUMBER_MEMO_SIZE = 50_000


def _convert_numbers(f: Field, texts: list[str]) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_convert_distinct` for an INT or FLOAT field, each text converted once per run.

    The values come back as float64 with NaN, which types to the same Int64/float64 column.
    """
    memo = _NUMBER_MEMO.setdefault(definition(f), {})
    new = [t for t in dict.fromkeys(texts) if t not in memo]
    if len(memo) + len(new) > _NUMBER_MEMO_SIZE:
        return _convert_distinct(f, texts)
    if new:
        values, bad, reason, empty = _convert_distinct(f, new)
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        for i, text in enumerate(new):
            memo[text] = (numbers[i], bool(bad[i]), reason[i], bool(empty[i]))
    known = [memo[t] for t in texts]
    return (
        pd.Series(np.array([k[0] for k in known], dtype="float64")),
        np.array([k[1] for k in known], dtype=bool),
        np.array([k[2] for k in known], dtype=object),
        np.array([k[3] for k in known], dtype=bool),
    )


def definition(f: Field) -> object:
    """Everything of a field but its name: fields with equal definitions convert alike."""
    key = (f.kind, f.required, f.allowed, f.lo, f.hi, f.digits, f.personal, f.noun)
    try:
        codes = tuple(f.codes.items()) if f.codes is not None else None
        extra = tuple(sorted(f.extra.items()))
        hash((codes, extra))
    except TypeError:
        return (*key, id(f))
    return (*key, codes, extra)


def _convert_distinct(f: Field, texts: list[object]) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
    """Convert distinct raw texts: typed value (missing where empty or bad), bad, reason, empty.

    Reasons hold the placeholder ``_HEADER`` for the column's header. The arrays are shared through the
    memo and must not be changed in place.
    """
    u = pd.Series(np.asarray(texts, dtype=object), dtype=object).astype(str).str.strip()
    u = u.str.replace("\u00a0", " ", regex=False).str.strip()
    empty = (u == "").to_numpy(dtype=bool)
    if empty.all():  # optional columns left empty (or absent): nothing to convert
        none = pd.Series([None] * len(u), dtype=object)
        return none, np.zeros(len(u), bool), np.full(len(u), "", object), empty
    values_u, bad_u, reason_u = _CONVERTERS[f.kind](f, u, _HEADER)
    bad_u = np.asarray(bad_u, dtype=bool) & ~empty
    reason_u = np.where(bad_u, np.asarray(reason_u, dtype=object), "")
    if f.required:
        reason_u = np.where(empty, _REQUIRED_EMPTY, reason_u)
        bad_u = bad_u | empty
    values_u = pd.Series(values_u).reset_index(drop=True)
    values_u = values_u.mask(pd.Series(bad_u | empty))
    return values_u, bad_u, reason_u, empty


def _empty_values(f: Field, index: pd.Index) -> pd.Series:
    """The typed values of a column without any text (as for an absent optional column)."""
    return _finish(f, pd.Series([None] * len(index), index=index, dtype=object))


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
    if f.extra.get("category"):
        bad = np.fromiter((_contact_value(v) for v in u), dtype=bool, count=len(u))
    elif f.extra.get("free_text"):
        bad = (u.str.contains(_EMAIL) | u.str.contains(_IPV4)).to_numpy(dtype=bool)
    else:
        return u, np.zeros(len(u), bool), np.full(len(u), "", object)
    return u, bad, np.where(bad, Msg("contact_data", header=header), "")


# Brief §6: e-mail addresses, phone numbers and IP addresses never enter the warehouse. The person column is
# hashed and free-text answers are dropped; what a reader keeps as text is a category (an engagement area,
# a district, a format, a unit) or a title. A category that *is* contact data, or a title that holds an
# e-mail or IP address, is an export mistake: its row is rejected, and the reason names only the column.
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


def _contact_value(value: str) -> bool:
    """Whether a value is an e-mail address, IP address, URL, phone number or long digit string (never a date):
    what :func:`quotable` never quotes and what a category column must not hold."""
    if not value or _PERSONAL_SHAPE.search(value):
        return bool(value)
    digits = sum(c.isdigit() for c in value)
    if _DATE_SHAPE.match(value):
        return False
    return digits >= 10 or (digits >= 6 and not value.isdigit() and bool(_PHONE_SHAPE.match(value)))


def category_field(name: str) -> Field:
    """A text field whose values are categories (shown as groups or labels): contact data in it rejects the row."""
    return Field(name, extra={"category": True})


def title_field(name: str, required: bool = False) -> Field:
    """A free-text title (never quoted): an e-mail or IP address in it rejects the row."""
    return Field(name, required=required, personal=True, extra={"free_text": True})


def _code(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    assert f.codes is not None
    mapped = u.str.casefold().map(dict(f.codes))
    bad = mapped.isna().to_numpy()
    reason = _bad_reasons(
        u, bad, lambda x: Msg("not_allowed", noun=f.noun, value=_q(x, f), header=header, allowed=f.allowed)
    )
    return mapped, bad, reason


def _digits(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    n = f.digits
    ok = u.str.fullmatch(rf"\d{{{n}}}").fillna(False).to_numpy(dtype=bool)
    short = u.str.fullmatch(rf"\d{{{(n or 1) - 1}}}").fillna(False).to_numpy(dtype=bool)
    code = pd.Series(np.where(short, "not_digits_zero", "not_digits"), index=u.index)
    reason = _bad_reasons(u, ~ok, lambda x, c: Msg(c, noun=f.noun, value=_q(x, f), header=header, digits=n), extra=code)
    return u, ~ok, reason


def _bad_reasons(
    u: pd.Series, bad: np.ndarray, build: Callable[..., Msg], extra: pd.Series | None = None
) -> np.ndarray:
    """Reasons built by ``build`` (from a bad text, and its ``extra`` value) for the bad texts only ("" for the
    others, whose reason is never shown).

    A survey has one distinct timestamp per response and nearly all are valid: building a message for
    each would cost more than parsing them.
    """
    texts = u.to_numpy(dtype=object)
    out = np.full(len(u), "", dtype=object)
    bad = bad & (texts != "")  # an empty text's reason is never shown either
    if bad.any():
        if extra is None:
            out[bad] = [build(x) for x in texts[bad]]
        else:
            out[bad] = [build(x, e) for x, e in zip(texts[bad], extra.to_numpy(dtype=object)[bad], strict=True)]
    return out


def _q(value: object, f: Field) -> str | None:
    """The value for a reason's ``value`` parameter: the text where :func:`quotable`, else None (not quoted)."""
    text = "" if value is None else str(value)
    return text if quotable(text, f) else None


def _range_reason(f: Field, u: pd.Series, header: str, what: str, bad: np.ndarray) -> np.ndarray:
    """Reason for a bad number: scales list what is allowed, other numbers say what they must be."""
    if f.allowed:
        return _bad_reasons(
            u, bad, lambda x: Msg("not_allowed", noun=f.noun, value=_q(x, f), header=header, allowed=f.allowed)
        )
    if f.lo is not None and f.hi is not None:
        code, bounds = "not_number_range", {"lo": f.lo, "hi": f.hi}
    elif f.lo is not None:
        code, bounds = "not_number_min", {"lo": f.lo}
    else:
        code, bounds = "not_number", {}
    return _bad_reasons(u, bad, lambda x: Msg(code, noun=f.noun, value=_q(x, f), header=header, what=what, **bounds))


def _in_range(f: Field, num: pd.Series) -> np.ndarray:
    ok = num.notna().to_numpy() & np.isfinite(num.fillna(0).to_numpy(dtype=float))
    if f.lo is not None:
        ok &= (num >= f.lo).fillna(False).to_numpy(dtype=bool)
    if f.hi is not None:
        ok &= (num <= f.hi).fillna(False).to_numpy(dtype=bool)
    return ok


def _int(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    # "34", "+3", and LimeSurvey's "34.0000000000" / Excel's "34,0" are integers; "3,5" and "1e3" are not.
    num, ambiguous = _decimal(u.where(~u.str.contains(r"[eE]", regex=True).fillna(False)))
    whole = num.notna() & (num == np.floor(num.fillna(0)))
    num = num.where(whole)
    ok = _in_range(f, num)
    return num, ~ok, _number_reasons(f, u, header, "ganze Zahl", ~ok, ambiguous)


_GROUPED = (
    # (pattern, thousands separator, decimal separator): German 1.234,5 and English 1,234.5
    (re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?"), ".", ","),
    (re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?"), ",", "."),
)
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def _decimal(u: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Numbers as the export means them (see the module docstring) and the mask of ambiguous texts."""
    s = u.str.replace(r"[\s\u202f']", "", regex=True)
    out = pd.Series(np.nan, index=u.index, dtype="float64")
    ambiguous = s.str.fullmatch(_AMBIGUOUS).fillna(False).to_numpy(dtype=bool)
    todo = ~ambiguous & s.notna().to_numpy(dtype=bool)
    for pattern, thousands, decimal in _GROUPED:
        hit = todo & s.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
        if hit.any():
            text = s[hit].str.replace(thousands, "", regex=False).str.replace(decimal, ".", regex=False)
            out[hit] = pd.to_numeric(text, errors="coerce")
            todo &= ~hit
    plain = todo & s.str.fullmatch(_PLAIN).fillna(False).to_numpy(dtype=bool)
    if plain.any():
        out[plain] = pd.to_numeric(s[plain].str.replace(",", ".", regex=False), errors="coerce")
    return out, ambiguous


def parse_decimal(u: pd.Series) -> pd.Series:
    """Numbers as German Excel and other tools write them: ``1.234,5``, ``1,234.5``, ``1234,5``, ``1234.5``.

    Ambiguous texts (``1.234``) and anything else that is no number give NaN.
    """
    return _decimal(u)[0]


def _number_reasons(
    f: Field, u: pd.Series, header: str, what: str, bad: np.ndarray, ambiguous: np.ndarray
) -> np.ndarray:
    reasons = np.asarray(_range_reason(f, u, header, what, bad), dtype=object)
    unclear = bad & ambiguous
    if unclear.any():
        reasons = reasons.copy()
        texts = u.to_numpy(dtype=object)
        for i in np.flatnonzero(unclear):
            reasons[i] = Msg("ambiguous_number", value=_q(texts[i], f), header=header)
    return reasons


def _float(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    num, ambiguous = _decimal(u)
    ok = _in_range(f, num)
    return num, ~ok, _number_reasons(f, u, header, "Zahl", ~ok, ambiguous)


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
    todo = u != ""  # an empty text is no date in any format
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
    reason = _bad_reasons(u, bad, lambda x: Msg("not_date", noun=noun, value=_q(x, f), header=header, what=what))
    return out, bad, reason


def _flag(f: Field, u: pd.Series, header: str):  # noqa: ANN202
    """A LimeSurvey multiple-choice box: ``Y`` ticked, empty (or ``N``) not ticked."""
    mapped = u.str.casefold().map({"y": True, "n": False, "1": True, "0": False, "ja": True, "nein": False})
    bad = mapped.isna().to_numpy()
    reason = _bad_reasons(
        u, bad, lambda x: Msg("not_allowed", noun=f.noun, value=_q(x, f), header=header, allowed="Y oder leer")
    )
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
