"""German (and English) number, percent, change, interval and date formats."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.formatting import (
    MINUS,
    NBSP,
    SUPPRESSED,
    fmt_change,
    fmt_date,
    fmt_datetime,
    fmt_interval,
    fmt_number,
    fmt_percent,
    fmt_value,
    plotly_separators,
)


def test_german_numbers_and_percent() -> None:
    assert fmt_number(1234.5) == "1.234,5"
    assert fmt_number(1234567.891, 2) == "1.234.567,89"
    assert fmt_number(1234.5, lang="en") == "1,234.5"
    assert fmt_percent(0.397) == f"39,7{NBSP}%"
    assert fmt_percent(0.397, lang="en") == "39.7%"
    assert fmt_number(-2.26, 1) == f"{MINUS}2,3"


def test_missing_and_suppressed_values_are_a_dash_not_zero() -> None:
    for missing in (None, float("nan")):
        assert fmt_number(missing) == SUPPRESSED
        assert fmt_percent(missing) == SUPPRESSED
        assert fmt_value(missing, "count") == SUPPRESSED
    assert fmt_interval(None, 0.4, "share") == SUPPRESSED


def test_values_by_catalogue_unit() -> None:
    assert fmt_value(0.5, "share") == f"50,0{NBSP}%"
    assert fmt_value(1234.0, "count") == "1.234"
    assert fmt_value(35.04, "per_1000") == "35,0"
    assert fmt_value(7.5, "hours") == f"7,5{NBSP}Std."
    assert fmt_value(0.964, "index") == "0,96"
    assert fmt_value(3.06, "score", "en") == "3.06"


def test_changes_in_percentage_points_with_sign() -> None:
    assert fmt_change(0.021, "share") == f"+2,1{NBSP}Pp."
    assert fmt_change(-0.021, "share") == f"{MINUS}2,1{NBSP}Pp."
    assert fmt_change(0.0, "count") == "±0"
    assert fmt_change(-3.4, "per_1000", "en") == f"{MINUS}3.4"


def test_intervals_and_dates() -> None:
    assert fmt_interval(0.351, 0.443, "share") == f"35,1–44,3{NBSP}%"
    assert fmt_date(dt.date(2024, 12, 31)) == "31.12.2024"
    assert fmt_date(dt.date(2024, 12, 31), "en") == "2024-12-31"
    assert fmt_datetime(dt.datetime(2025, 2, 14, 9, 30)) == "14.02.2025, 09:30 Uhr"
    assert fmt_date(None) == SUPPRESSED
    assert plotly_separators("de") == ",." and plotly_separators("en") == ".,"


@settings(max_examples=80, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_german_number_reads_back(value: float, decimals: int) -> None:
    """Removing the thousands dots and reading the comma as the decimal point gives the rounded value."""
    text = fmt_number(value, decimals)
    back = float(text.replace(MINUS, "-").replace("±", "").replace("+", "").replace(".", "").replace(",", "."))
    assert math.isclose(back, round(value, decimals), abs_tol=10 ** (-decimals) / 2 + 1e-9)
    assert "," not in text if decimals == 0 else text.count(",") == 1
