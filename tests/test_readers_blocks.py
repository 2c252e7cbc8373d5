"""Block checks equal column checks: converting many same-typed columns at once (and reusing conversions
across sources) must give exactly the values, bad cells and reasons of checking each column alone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.model import SourceSpec
from etl.readers.checks import RejectLog, check_fields
from etl.readers.fields import DATE, DATETIME, FLAG, FLOAT, GENDER, INT, YES_NO, Field, code_field, scale_field
from etl.readers.tabular import blank_rows

CELLS = st.sampled_from(
    ["", " ", "\u00a0", "1", " 3 ", "5", "0", "-1", "+3", "3,0", "3.000", "3,5", "1.234,5", "abc", "Y", "y", "N",
     "ja", "w", "weiblich", "x", "12.03.2020", "2020-02-30", "2020-03-12 10:11:12", "12.03.2020 10:11", "1067",
     "99999999999999", "1e3"]
)  # fmt: skip
FIELDS = [
    scale_field("S", 1, 4),
    scale_field("S", 1, 4, required=True),
    Field("I", INT, lo=0, hi=120, allowed="0–120", noun="Alter"),
    Field("F", FLOAT, lo=0),
    Field("D", DATE, required=True),
    Field("T", DATETIME, noun="Zeitpunkt"),
    Field("B", FLAG),
    code_field("G", GENDER, allowed="w, m, d"),
    code_field("Y", YES_NO, allowed="Y, N"),
    Field("X", required=True),
]


def _spec() -> SourceSpec:
    return SourceSpec(kind="events", label="Test", path="t.csv", files=(), base_dir=Path("."))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    template=st.sampled_from(FIELDS),
    columns=st.lists(st.lists(CELLS, min_size=6, max_size=6), min_size=1, max_size=4),
)
def test_block_of_columns_checks_like_each_column_alone(template: Field, columns: list[list[str]]) -> None:
    names = [f"{template.name}[{i}]" for i in range(len(columns))]
    fields = [replace(template, name=name) for name in names]
    raw = pd.DataFrame({name: pd.Series(cells, dtype=object) for name, cells in zip(names, columns, strict=True)})
    raw["source_file"], raw["source_row"] = "t.csv", np.arange(2, 8)
    headers = {name: f"Spalte {i}" for i, name in enumerate(names)}

    together = RejectLog(_spec())
    values, bad = check_fields(raw, fields, headers, together)
    alone = RejectLog(_spec())
    for f in fields:
        one, one_bad = check_fields(raw, [f], headers, alone)
        pd.testing.assert_series_equal(values[f.name], one[f.name])
    pd.testing.assert_frame_equal(together.frame(), alone.frame())
    assert bad.sum() == together.frame()["row"].nunique()


def test_blank_rows_are_rows_of_empty_or_whitespace_cells() -> None:
    cells = np.array([["", " "], ["a", ""], ["\t", "\u00a0"], ["", "b"]], dtype=object)
    assert blank_rows(cells).tolist() == [True, False, True, False]
