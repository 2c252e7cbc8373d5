"""Numbers and dates as the readers expect them: German by default (1.234,5 · 39,7 % · 31.12.2024).

Every figure, table and card formats through these functions so one value reads the same everywhere;
English (selected in the shell) uses 1,234.5 · 39.7 % · 2024-12-31. Rates are stored as fractions 0–1
(brief §7) and shown as percent; a suppressed value is shown as "–" (en dash), never as 0.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

import pandas as pd

SUPPRESSED = "–"
NBSP = "\u00a0"
MINUS = "\u2212"

# unit → decimals; units of the indicator catalogue (etl.indicators.catalogue)
_DECIMALS = {"share": 1, "count": 0, "per_1000": 1, "hours": 1, "index": 2, "score": 2, "difference": 2}


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def fmt_number(value: float | int | None, decimals: int = 1, lang: str = "de", sign: bool = False) -> str:
    """1234.5 → "1.234,5" (de) or "1,234.5" (en); missing → "–"; ``sign`` adds "+" and a true minus."""
    if _missing(value):
        return SUPPRESSED
    number = float(value)  # type: ignore[arg-type]
    if decimals == 0:
        number = round(number)
    text = f"{abs(number):,.{decimals}f}"
    if lang == "de":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    is_zero = float(text.replace(",", "").replace(".", "") or 0) == 0
    if number < 0 and not is_zero:
        text = MINUS + text
    elif sign and not is_zero:
        text = "+" + text
    elif sign:
        text = "±" + text
    return text


def fmt_int(value: float | int | None, lang: str = "de") -> str:
    return fmt_number(value, 0, lang)


def fmt_percent(share: float | None, decimals: int = 1, lang: str = "de") -> str:
    """A fraction as percent: 0.397 → "39,7 %" (German with a non-breaking space) or "39.7%"."""
    if _missing(share):
        return SUPPRESSED
    text = fmt_number(float(share) * 100, decimals, lang)  # type: ignore[arg-type]
    return f"{text}{NBSP}%" if lang == "de" else f"{text}%"


def decimals_for(unit: str) -> int:
    return _DECIMALS.get(unit, 2)


def fmt_value(value: float | None, unit: str, lang: str = "de") -> str:
    """A stored indicator value in the format of its catalogue unit (share → percent, count → integer …)."""
    if unit == "share":
        return fmt_percent(value, 1, lang)
    text = fmt_number(value, decimals_for(unit), lang)
    if unit == "hours" and text != SUPPRESSED:
        return f"{text}{NBSP}Std." if lang == "de" else f"{text}{NBSP}h"
    return text


def fmt_change(delta: float | None, unit: str, lang: str = "de") -> str:
    """A change against the previous year: shares in percentage points ("+2,1 Pp."), others in the unit."""
    if _missing(delta):
        return SUPPRESSED
    if unit == "share":
        text = fmt_number(float(delta) * 100, 1, lang, sign=True)  # type: ignore[arg-type]
        return f"{text}{NBSP}Pp." if lang == "de" else f"{text}{NBSP}pp"
    return fmt_number(delta, decimals_for(unit), lang, sign=True)


def fmt_interval(low: float | None, high: float | None, unit: str, lang: str = "de") -> str:
    """A 95 % interval as "35,1–44,3 %"; missing ends give "–"."""
    if _missing(low) or _missing(high):
        return SUPPRESSED
    if unit == "share":
        suffix = f"{NBSP}%" if lang == "de" else "%"
        return f"{fmt_number(float(low) * 100, 1, lang)}–{fmt_number(float(high) * 100, 1, lang)}{suffix}"  # type: ignore[arg-type]
    d = decimals_for(unit)
    return f"{fmt_number(low, d, lang)}–{fmt_number(high, d, lang)}"


def fmt_date(value: dt.date | dt.datetime | str | None, lang: str = "de") -> str:
    """31.12.2024 (de) or 2024-12-31 (en); missing → "–"."""
    if _missing(value) or value == "":
        return SUPPRESSED
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return stamp.strftime("%d.%m.%Y") if lang == "de" else stamp.strftime("%Y-%m-%d")


def fmt_datetime(value: dt.datetime | str | None, lang: str = "de") -> str:
    """31.12.2024, 09:30 Uhr (de) or 2024-12-31 09:30 (en)."""
    if _missing(value) or value == "":
        return SUPPRESSED
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return stamp.strftime("%d.%m.%Y, %H:%M Uhr") if lang == "de" else stamp.strftime("%Y-%m-%d %H:%M")


def fmt_values(values: Iterable[float | None], unit: str, lang: str = "de") -> list[str]:
    """Many values of one unit (table columns, hover texts)."""
    return [fmt_value(v, unit, lang) for v in values]


def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators``: decimal then thousands separator."""
    return ",." if lang == "de" else ".,"
