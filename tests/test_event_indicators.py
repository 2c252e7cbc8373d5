"""Event indicators of brief §5.3 on a hand-made event list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from etl.indicators.events import event_values
from etl.indicators.suppression import suppress
from etl.model import CleanData, Manifest, Project, Town

TOWN = "09999001"


def event(year: int, fmt: str | None, participants: int | None, cs=None, pol=None, adm=None, bus=None) -> dict:
    return {
        "town_ags": TOWN,
        "event_id": f"e{year}{fmt}{participants}",
        "date": dt.date(year, 6, 1),
        "year": year,
        "format": fmt,
        "title": "Treffen",
        "participants": participants,
        "civil_society": cs,
        "politics": pol,
        "administration": adm,
        "business": bus,
        "residents": None,
        "source_file": f"veranstaltungen_{year}.csv",
        "source_row": 2,
    }


def clean_data(rows: list[dict]) -> CleanData:
    frame = pd.DataFrame(rows)
    for col in ("participants", "civil_society", "politics", "administration", "business", "residents"):
        frame[col] = frame[col].astype("Int64")
    manifest = Manifest(Path("engage.toml"), Project("Test"), (Town(TOWN, "Musterstadt"),), ())
    return CleanData(manifest, {"stg_events": frame}, {"events": ["veranstaltungen.csv"]}, dt.date(2025, 1, 1))


EVENTS = [
    event(2024, "Dialog", 20, cs=5, pol=2, adm=1, bus=None),  # 3 sectors (empty business = 0): multi-sector
    event(2024, "Workshop", None, cs=3, pol=0),  # 1 sector, participants unknown
    event(2024, None, 10, cs=1, pol=1, adm=0, bus=1),  # 3 sectors, no format
    event(2023, "Dialog", None),
]


def rows(values: pd.DataFrame, indicator: str) -> dict:
    sel = values[values["indicator"] == indicator]
    return {(r.year, r.breakdown, r.group): (r.value, r.n) for r in sel.itertuples()}


def test_event_counts_participants_and_multi_sector_share() -> None:
    values = event_values(clean_data(EVENTS))
    assert rows(values, "events") == {
        (2024, "", ""): (3, 3),
        (2024, "format", "Dialog"): (1, 1),
        (2024, "format", "Workshop"): (1, 1),
        (2023, "", ""): (1, 1),
        (2023, "format", "Dialog"): (1, 1),
    }
    # 20 + 10 (the Workshop's count is unknown); no row where no event has a count (2023, Workshop)
    assert rows(values, "event_participants") == {(2024, "", ""): (30, 3), (2024, "format", "Dialog"): (20, 1)}
    assert rows(values, "multi_sector_event_share") == {(2024, "", ""): (2 / 3, 3), (2023, "", ""): (0.0, 1)}
    assert set(values["source_files"]) == {"veranstaltungen_2024.csv", "veranstaltungen_2023.csv"}
    assert values["weighted"].isna().all()


def test_events_are_never_suppressed() -> None:
    values = suppress(event_values(clean_data(EVENTS)), 5)
    assert not values["suppressed"].any()
    assert values["value"].notna().all()


def test_missing_frame_gives_empty_values() -> None:
    manifest = Manifest(Path("engage.toml"), Project("Test"), (Town(TOWN, "Musterstadt"),), ())
    assert event_values(CleanData(manifest, {}, {}, dt.date(2025, 1, 1))).empty
