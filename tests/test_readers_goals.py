"""The goal workbook (brief §3.6, §5.5): three sheets, one file report, sheet-aware rejects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fixtures.readers.support import assert_counts, read, write_xlsx

from etl.indicators import catalogue

GOALS = [
    ["goal_id", "title", "principle", "indicator", "baseline", "baseline_date", "target", "target_date", "unit"],
    ["Z1", "Mehr Engagement", "P2", "engagement_rate", 0.35, dt.datetime(2023, 1, 1), 0.45, "31.12.2026", "Anteil"],
    ["Z2", "Bessere Info", "W3", "", "10", "2023-01-01", "20", "2025-12-31", ""],
    ["Z3", "Gleich", "W1", "", 5, "01.01.2023", 5, "01.01.2025", ""],  # target == baseline
    ["Z4", "Falscher Indikator", "W2", "gibt_es_nicht", 1, "01.01.2023", 2, "01.01.2025", ""],
    ["Z5", "Prinzip", "X9", "", 1, "01.01.2023", 2, "01.01.2025", ""],
    ["Z6", "Zeit rückwärts", "P1", "", 1, "01.01.2025", 2, "01.01.2023", ""],
]
MEASURES = [
    ["measure_id", "goal_id", "title", "lead_sector", "start", "due", "status", "level"],
    ["M1", "Z1", "Freiwilligenbörse", "Verwaltung", "01.02.2024", "30.06.2024", "umgesetzt", 2],
    ["M2", "Z1", "Ehrenamtskarte", "", "", "", "Verzoegert", ""],
    ["M3", "Z9", "Ohne Ziel", "", "", "", "geplant", 1],
    ["M4", "Z2", "Stufe", "", "", "", "laufend", 8],
    ["M5", "Z2", "Status", "", "", "", "fertig", 1],
]
MEASUREMENTS = [["goal_id", "date", "value"], ["Z2", "31.12.2023", "12,5"], ["Z2", "31.12.2023", "13"]]


@pytest.fixture
def known_indicator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue, "BY_ID", {"engagement_rate": object()})


def test_goal_workbook(tmp_path: Path, known_indicator: None) -> None:
    write_xlsx(tmp_path / "ziele.xlsx", {"Ziele": GOALS, "Maßnahmen": MEASURES, "Messungen": MEASUREMENTS})
    result = read(tmp_path, "goals", ["ziele.xlsx"])
    reasons = {(r.row, r.column): r.reason for r in result.rejects.itertuples()}
    assert reasons == {
        (4, "Blatt 'Ziele', Spalte 'target'"): "Zielwert gleich Ausgangswert: Fortschritt nicht berechenbar",
        (5, "Blatt 'Ziele', Spalte 'indicator'"): "Indikator 'gibt_es_nicht' in Spalte 'indicator' gibt es nicht "
        "im Indikatorkatalog",
        (6, "Blatt 'Ziele', Spalte 'principle'"): "Wert 'X9' in Spalte 'principle' ist nicht erlaubt "
        "(erlaubt: P1–P5, W1–W5)",
        (7, "Blatt 'Ziele', Spalte 'target_date'"): "Zieldatum liegt nicht nach dem Datum des Ausgangswerts: "
        "erwarteter Fortschritt nicht berechenbar",
        (4, "Blatt 'Massnahmen', Spalte 'goal_id'"): "Ziel 'Z9' steht nicht im Blatt 'Ziele'",
        (5, "Blatt 'Massnahmen', Spalte 'level'"): "Wert '8' in Spalte 'level' ist nicht erlaubt (erlaubt: 1–7)",
        (6, "Blatt 'Massnahmen', Spalte 'status'"): "Wert 'fertig' in Spalte 'status' ist nicht erlaubt "
        "(erlaubt: geplant, laufend, umgesetzt, verzögert, abgebrochen)",
        (3, "Blatt 'Messungen', Spalte 'goal_id'"): "Duplikat von Zeile 2",
    }
    goals = result.frames["stg_goals"]
    assert list(goals["goal_id"]) == ["Z1", "Z2"]
    assert goals["indicator"].iloc[0] == "engagement_rate" and goals["baseline_date"].iloc[0].year == 2023
    measures = result.frames["stg_measures"]
    assert list(measures["status"]) == ["umgesetzt", "verzögert"]
    assert list(measures["lead_sector"].fillna("")) == ["administration", ""]
    assert list(result.frames["stg_measurements"]["value"]) == [12.5]
    report = result.files[0]
    # 6 goals + 5 measures + 2 measurements, 8 rejected rows (row 4 of Ziele and row 4 of Massnahmen are two rows)
    assert (report.file, report.rows_read, report.rows_accepted, report.rows_rejected) == ("ziele.xlsx", 13, 5, 8)
    assert_counts(result)


def test_measurements_sheet_is_optional_but_measures_are_not(tmp_path: Path, known_indicator: None) -> None:
    write_xlsx(tmp_path / "a.xlsx", {"Ziele": GOALS[:3], "Massnahmen": MEASURES[:2]})
    result = read(tmp_path, "goals", ["a.xlsx"])
    assert not result.failed and result.frames["stg_measurements"].empty
    write_xlsx(tmp_path / "b.xlsx", {"Ziele": GOALS[:3]})
    failed = read(tmp_path, "goals", ["b.xlsx"])
    assert failed.failed and "b.xlsx hat kein Tabellenblatt 'Massnahmen'" in failed.files[0].message
    write_xlsx(tmp_path / "c.xlsx", {"Ziele": [["goal_id", "title"], ["Z1", "x"]], "Massnahmen": MEASURES[:1]})
    failed = read(tmp_path, "goals", ["c.xlsx"])
    assert failed.failed and failed.files[0].message.startswith("Blatt 'Ziele': Pflichtspalte 'principle' fehlt")
