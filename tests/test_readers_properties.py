"""Property tests over generated exports: the CSV round trip in every quirk variant, and the counting rule
"rows read = accepted + rejected" with every reject pointing at a row that exists (brief §3, §4)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
from fixtures.readers.support import VARIANTS, csv_bytes, read
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TEXT = st.text(alphabet="abcxyzäöüßÄÖÜé 0123;,.\"'-\t", max_size=12).map(str.strip)
DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))
EVENT = st.tuples(TEXT, DATES, st.one_of(st.none(), st.integers(0, 100_000)), st.booleans())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=st.lists(EVENT, max_size=25), variant=st.sampled_from(sorted(VARIANTS)))
def test_valid_frame_round_trips_in_every_variant(events: list, variant: str) -> None:
    rows = [["event_id", "date", "format", "participants"]]
    for i, (fmt, date, participants, german) in enumerate(events):
        shown = date.strftime("%d.%m.%Y") if german else date.isoformat()
        rows.append([f"E{i:03d}", shown, fmt, "" if participants is None else str(participants)])
    with tempfile.TemporaryDirectory() as tmp:
        result = read(Path(tmp), "events", {"e.csv": csv_bytes(rows, variant)})
    assert not result.failed and result.rejects.empty
    frame = result.frames["stg_events"]
    assert list(frame["event_id"]) == [f"E{i:03d}" for i in range(len(events))]
    assert list(frame["date"].dt.date) == [e[1] for e in events]
    assert list(frame["format"].fillna("")) == [e[0] for e in events]
    assert [None if pd.isna(v) else int(v) for v in frame["participants"]] == [e[2] for e in events]
    assert list(frame["source_row"]) == list(range(2, len(events) + 2))


BAD_DATE = st.sampled_from(["31.02.2024", "2024-13-01", "gestern", "", "1.1.24"])
BAD_COUNT = st.sampled_from(["-1", "zwölf", "1,5", "1e3"])


@st.composite
def mixed_rows(draw: st.DrawFn) -> tuple[list[list[str]], set[int]]:
    """Rows of an events export, some invalid; returns them with the spreadsheet rows that must be rejected."""
    n = draw(st.integers(0, 30))
    rows, bad, seen = [], set(), set()
    for i in range(n):
        event_id = draw(st.sampled_from([f"E{i}", f"E{max(i - 1, 0)}", ""]))
        date = draw(st.one_of(DATES.map(lambda d: d.strftime("%d.%m.%Y")), BAD_DATE))
        count = draw(st.one_of(st.integers(0, 50).map(str), BAD_COUNT, st.just("")))
        if not (event_id or date or count):
            count = "1"  # a wholly empty line is no data row (not counted): keep every generated row a row
        row_ok_cells = event_id != "" and date not in {"31.02.2024", "2024-13-01", "gestern", "", "1.1.24"}
        row_ok_cells = row_ok_cells and count not in {"-1", "zwölf", "1,5", "1e3"}
        if not row_ok_cells:
            bad.add(i + 2)
        elif event_id in seen:
            bad.add(i + 2)  # duplicate of an earlier valid row
        else:
            seen.add(event_id)
        rows.append([event_id, date, count])
    return rows, bad


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mixed_rows(), variant=st.sampled_from(sorted(VARIANTS)), split=st.integers(0, 30))
def test_rows_read_equal_accepted_plus_rejected(
    data: tuple[list[list[str]], set[int]], variant: str, split: int
) -> None:
    rows, expected_bad = data
    header = ["event_id", "date", "participants"]
    first, second = rows[:split], rows[split:]
    with tempfile.TemporaryDirectory() as tmp:
        result = read(
            Path(tmp),
            "events",
            {"a.csv": csv_bytes([header, *first], variant), "b.csv": csv_bytes([header, *second], "utf8")},
        )
    reports = {r.file: r for r in result.files}
    assert sum(r.rows_read for r in reports.values()) == len(rows)
    for report in reports.values():
        assert report.rows_read == report.rows_accepted + report.rows_rejected
    rejected = {(f, int(r)) for f, r in zip(result.rejects["file"], result.rejects["row"], strict=True)}
    sizes = {"a.csv": len(first), "b.csv": len(second)}
    assert all(2 <= row <= sizes[file] + 1 for file, row in rejected)
    # the rows rejected are exactly the invalid ones (row numbers per file)
    expected = {("a.csv", r) if r - 2 < split else ("b.csv", r - len(first)) for r in expected_bad}
    assert rejected == expected
    assert len(result.frames["stg_events"]) == len(rows) - len(expected_bad)
