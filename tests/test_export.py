"""The CSV exports of brief §7, byte for byte, from a real SQLite warehouse file."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, insert

from etl import tables as t
from etl.export import export_table, format_cell, neutralise

RUN = {
    "started_at": dt.datetime(2025, 3, 1, 10, 0),
    "finished_at": dt.datetime(2025, 3, 1, 10, 5),
    "status": "ok",
    "source_dir": "demo",
    "project_name": "Test",
    "min_cell": 5,
    "as_of": dt.date(2025, 3, 1),
    "demo_key": True,
}


def value_row(**kw: object) -> dict:
    row = {
        "town_ags": "09999001",
        "indicator": "engagement_rate",
        "year": 2024,
        "breakdown": "",
        "group": "",
        "value": None,
        "n": None,
        "ci_low": None,
        "ci_high": None,
        "suppressed": False,
        "weighted": None,
        "run_id": 2,
        "source_files": "umfrage.csv",
    }
    row.update(kw)
    return row


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{tmp_path / 'warehouse.sqlite'}")
    t.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(t.towns),
            [
                {"run_id": 2, "ags": "09999001", "name": "Musterstadt"},
                {"run_id": 2, "ags": "09999002", "name": '=Böse, "Stadt"'},
                {"run_id": 1, "ags": "09999001", "name": "Musterstadt (alt)"},
            ],
        )
        conn.execute(
            insert(t.mart_indicator_values),
            [
                value_row(value=0.4125, n=130, ci_low=0.33, ci_high=0.5, weighted=True),
                value_row(breakdown="gender", group="d", suppressed=True, weighted=True),
                value_row(indicator="events", value=12.0, n=12, town_ags="09999002"),
                value_row(indicator="equal_footing_gap", value=-0.75, n=20, breakdown="sector", group="-x"),
                value_row(value=0.99, n=50, run_id=1),  # run 1's figures stay in the warehouse, not in the export
            ],
        )
        conn.execute(insert(t.etl_runs), [{**RUN, "run_id": 1}, {**RUN, "run_id": 2}])
        conn.execute(
            insert(t.etl_run_files),
            [
                {
                    "run_id": run,
                    "source": "umfrage.csv",
                    "kind": "resident_survey",
                    "file": "umfrage.csv",
                    "rows_read": 10 * run,
                    "rows_accepted": 10 * run - 1,
                    "rows_rejected": 1,
                    "status": "rejects",
                    "message": "1 Zeile abgewiesen",
                }
                for run in (1, 2)
            ],
        )
        conn.execute(  # an insert without rows_skipped (above) gets its default 0
            insert(t.etl_run_files),
            [
                {
                    "run_id": 2,
                    "source": "Bevölkerung Land",
                    "kind": "population",
                    "file": "12411-02-03-5.csv",
                    "rows_read": 1900,
                    "rows_accepted": 27,
                    "rows_rejected": 0,
                    "rows_skipped": 1873,
                    "status": "ok",
                    "message": "1.900 Zeilen gelesen, 27 übernommen, 0 abgewiesen, "
                    "1.873 Zeilen anderer Gebiete übersprungen",
                }
            ],
        )
        conn.execute(
            insert(t.etl_rejects),
            [
                {
                    "run_id": 2,
                    "source": "umfrage.csv",
                    "file": "umfrage.csv",
                    "row": 7,
                    "column": "AGE",
                    "reason": "-5 ist kein gültiges Alter",
                },
                {
                    "run_id": 2,
                    "source": "umfrage.csv",
                    "file": "umfrage.csv",
                    "row": 3,
                    "column": "=cmd",
                    "reason": "@SUM(A1) ist kein Code",
                },
            ],
        )
        conn.execute(
            insert(t.mart_goals),
            [
                {
                    "run_id": 2,
                    "town_ags": "09999001",
                    "goal_id": "Z1",
                    "title": "+Mehr Engagement",
                    "principle": "P2",
                    "indicator": "engagement_rate",
                    "unit": "share",
                    "baseline": 0.35,
                    "baseline_date": dt.date(2023, 1, 1),
                    "target": 0.45,
                    "target_date": dt.date(2026, 12, 31),
                    "current": None,
                    "current_date": None,
                    "progress": None,
                    "expected": 0.5,
                    "status": "no_data",
                    "as_of": dt.date(2025, 3, 1),
                }
            ],
        )
    return engine


def test_indicator_export_exact(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "out" / "indikatoren.csv"
    assert export_table(engine, "indicators", out) == 4
    assert out.read_bytes().decode("utf-8") == (
        "town_ags,town_name,indicator,year,breakdown,group,value,n,ci_low,ci_high,suppressed\n"
        "09999001,Musterstadt,engagement_rate,2024,,,0.4125,130,0.33,0.5,false\n"
        "09999001,Musterstadt,engagement_rate,2024,gender,d,,,,,true\n"
        "09999001,Musterstadt,equal_footing_gap,2024,sector,'-x,-0.75,20,,,false\n"
        '09999002,"\'=Böse, ""Stadt""",events,2024,,,12,12,,,false\n'
    )
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["value"] == "0.4125" and rows[3]["town_name"] == '\'=Böse, "Stadt"'


def test_goal_export(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "ziele.csv"
    assert export_table(engine, "goals", out) == 1
    assert out.read_text(encoding="utf-8").splitlines() == [
        "town_ags,goal_id,title,principle,indicator,baseline,target,current,progress,expected,status,as_of",
        "09999001,Z1,'+Mehr Engagement,P2,engagement_rate,0.35,0.45,,,0.5,no_data,2025-03-01",
    ]


def test_runs_export_latest_run_only(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "lauf.csv"
    assert export_table(engine, "runs", out) == 2
    assert out.read_text(encoding="utf-8").splitlines() == [
        "source,kind,file,rows_read,rows_accepted,rows_rejected,rows_skipped,status,message",
        'Bevölkerung Land,population,12411-02-03-5.csv,1900,27,0,1873,ok,"1.900 Zeilen gelesen, 27 übernommen, '
        '0 abgewiesen, 1.873 Zeilen anderer Gebiete übersprungen"',
        "umfrage.csv,resident_survey,umfrage.csv,20,19,1,0,rejects,1 Zeile abgewiesen",
    ]


def test_rejects_export_neutralised(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "abgewiesen.csv"
    assert export_table(engine, "rejects", out) == 2
    assert out.read_text(encoding="utf-8").splitlines() == [
        "source,file,row,column,reason",
        "umfrage.csv,umfrage.csv,3,'=cmd,'@SUM(A1) ist kein Code",
        "umfrage.csv,umfrage.csv,7,AGE,'-5 ist kein gültiges Alter",
    ]


def test_empty_warehouse_writes_header_only(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    t.metadata.create_all(engine)
    for what, header in (("runs", "source,kind"), ("indicators", "town_ags,town_name")):
        out = tmp_path / f"{what}.csv"
        assert export_table(engine, what, out) == 0
        assert out.read_text(encoding="utf-8").startswith(header) and len(out.read_text().splitlines()) == 1


def test_unknown_export_is_a_german_error(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Unbekannter Export 'people'"):
        export_table(engine, "people", tmp_path / "x.csv")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-Stadt", "'-Stadt"),
        ("@foo", "'@foo"),
        ("\t=1+1", "'\t=1+1"),
        ("\rcmd", "'\rcmd"),
        ("-3", "-3"),
        ("+1.5", "+1.5"),
        ("-2e-3", "-2e-3"),
        ("Stadt", "Stadt"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_format_cell() -> None:
    assert format_cell(None) == "" and format_cell(float("nan")) == ""
    assert format_cell(True) == "true" and format_cell(False) == "false"
    assert format_cell(-0.5) == "-0.5" and format_cell(3.0) == "3" and format_cell(0.1 + 0.2) == "0.30000000000000004"
    assert format_cell(dt.date(2024, 12, 31)) == "2024-12-31" and format_cell(42) == "42"
