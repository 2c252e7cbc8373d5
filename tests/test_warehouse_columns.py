"""A read column's values become the same Series as before the one-step conversion (issue 13): for every dtype a
read names, ``etl.warehouse._column`` gives exactly what ``pd.Series(list(values)).astype(dtype)`` gave, for the
values a driver returns (SQLite and PostgreSQL: ints, floats, Decimals, bools, strings, None)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.warehouse import _STR, _column

FLOATS = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.integers(-(2**53), 2**53),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-1e9, max_value=1e9),
)
INTS = st.one_of(st.integers(-(2**62), 2**62), st.decimals(places=0, min_value=-1e12, max_value=1e12))
# with a None, pandas used to infer float64 first: exact up to 2**53 only (the one-step array is exact beyond it;
# a count, a run or a year in the warehouse is far below)
NULLABLE_INTS = st.one_of(st.none(), st.integers(-(2**53), 2**53))
TEXT = st.one_of(st.none(), st.text(max_size=12))
BOOLS = st.one_of(st.booleans(), st.sampled_from([0, 1]))
NULLABLE_BOOLS = st.one_of(st.none(), st.booleans())

CASES = [
    ("float64", FLOATS),
    ("int64", INTS),
    ("Int64", NULLABLE_INTS),
    (_STR, TEXT),
    ("boolean", NULLABLE_BOOLS),
    ("bool", BOOLS),
    ("bool", NULLABLE_BOOLS),
]


def reference(values: list[object], dtype: str) -> pd.Series:
    """The conversion before: a Series of the Python values, then astype (bool: boolean where a value is None)."""
    column = pd.Series(list(values))
    if dtype == "bool":
        return column.astype("boolean" if column.isna().any() else "bool")
    return column.astype(dtype)


@pytest.mark.parametrize(("dtype", "values"), CASES, ids=[f"{d}-{i}" for i, (d, _) in enumerate(CASES)])
def test_one_step_conversion_equals_the_series_astype(dtype: str, values: st.SearchStrategy) -> None:
    @settings(deadline=None)  # the first call builds pandas' arrays' machinery: seconds on a loaded machine
    @given(st.lists(values, max_size=30))
    def check(column: list[object]) -> None:
        pd.testing.assert_series_equal(_column(tuple(column), dtype), reference(column, dtype))

    check()


def test_empty_columns_keep_their_dtype() -> None:
    for dtype in ("float64", "int64", "Int64", _STR, "boolean", "bool"):
        assert str(_column((), dtype).dtype) == str(reference([], dtype).dtype), dtype


def test_a_value_that_does_not_fit_its_dtype_still_fails() -> None:
    """A bug upstream (None in an integer column) is not turned into a number."""
    with pytest.raises((TypeError, ValueError)):
        _column((1, None), "int64")
    with pytest.raises((TypeError, ValueError)):
        reference([1, None], "int64")
    assert _column((Decimal("2.50"),), "float64").iloc[0] == 2.5
