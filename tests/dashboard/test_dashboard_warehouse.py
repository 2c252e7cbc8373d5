"""The read API: status without side effects, dtypes, filters, and caching keyed on the latest run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, insert, update
from synthetic import SyntheticInfo, write_synthetic

from etl import tables, warehouse


def test_missing_warehouse_is_reported_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nichts" / "wh.sqlite"
    status = warehouse.check(f"sqlite:///{path}")
    assert status.state == "missing" and not status.ok
    assert str(path) in status.message and "engage run" in status.message
    assert not path.exists()
    with pytest.raises(warehouse.WarehouseError, match="gibt es noch nicht"):
        warehouse.indicators(db=f"sqlite:///{path}")
    assert not path.exists()
    assert warehouse.data_date(f"sqlite:///{path}") is None


def test_empty_warehouse_without_a_run(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'leer.sqlite'}"
    (tmp_path / "leer.sqlite").touch()
    assert warehouse.check(url).state == "empty"
    tables.metadata.create_all(create_engine(url))
    status = warehouse.check(url)
    assert status.state == "empty" and "noch kein ETL-Lauf" in status.message


def test_indicators_have_proper_dtypes_and_filters(synthetic: SyntheticInfo) -> None:
    url = synthetic.url
    town = synthetic.towns[0]
    totals = warehouse.indicators(town=town, db=url)
    assert set(totals["breakdown"]) == {""} and set(totals["town_ags"]) == {town}
    assert str(totals["town_ags"].dtype) == "string" and totals["year"].dtype == "int64"
    assert totals["value"].dtype == "float64" and str(totals["n"].dtype) == "Int64"
    assert totals["suppressed"].dtype == bool
    assert totals["town_name"].iloc[0] == synthetic.names[0]
    everything = warehouse.indicators(town=town, indicator="engagement_rate", db=url, breakdown=None)
    assert {"", "age_band", "district"} <= set(everything["breakdown"])
    two = warehouse.indicators(indicator=["engagement_rate", "network_density"], year=synthetic.years[-1], db=url)
    assert set(two["indicator"]) == {"engagement_rate", "network_density"}
    suppressed = everything[everything["suppressed"]]
    assert len(suppressed) and suppressed["value"].isna().all() and suppressed["n"].isna().all()
    assert town.startswith("0") and town in set(warehouse.towns(db=url)["ags"])  # leading zeros kept


def test_marts_and_run_log(synthetic: SyntheticInfo) -> None:
    url = synthetic.url
    cmp = warehouse.comparison(indicator="engagement_rate", year=synthetic.years[-1], db=url)
    assert len(cmp) == len(synthetic.towns) and cmp["network_rank"].min() == 1
    nodes = warehouse.network_nodes(town=synthetic.towns[0], year=synthetic.waves[0], db=url)
    ties = warehouse.network_ties(town=synthetic.towns[0], year=synthetic.waves[0], db=url)
    assert len(nodes) and set(ties["org_a"]) <= set(nodes["org_id"])
    goals = warehouse.goals(town=synthetic.towns[0], db=url)
    assert isinstance(goals["target_date"].iloc[0], dt.date)
    assert warehouse.measures(town=synthetic.towns[0], db=url)["overdue"].dtype == bool
    runs = warehouse.runs(db=url)
    assert set(runs["run_id"]) == {2} and {"rows_read", "min_cell", "finished_at"} <= set(runs.columns)
    assert (runs["rows_read"] == runs["rows_accepted"] + runs["rows_rejected"] + runs["rows_skipped"]).all()
    assert warehouse.latest_run(db=url).min_cell == synthetic.min_cell
    assert warehouse.data_date(url) == dt.datetime(synthetic.years[-1] + 1, 2, 14, 9, 30)
    assert len(warehouse.rejects(db=url)) == 7
    assert warehouse.years(db=url) == synthetic.years
    assert set(warehouse.catalogue(db=url)["unit"]) <= {
        "share",
        "count",
        "per_1000",
        "hours",
        "index",
        "score",
        "difference",
    }


def test_cache_never_returns_a_previous_runs_numbers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    info = write_synthetic(url, towns=2, years=2)
    before = warehouse.indicators(town=info.towns[0], indicator="engagement_rate", db=url)
    again = warehouse.indicators(town=info.towns[0], indicator="engagement_rate", db=url)
    pd.testing.assert_frame_equal(before, again)
    engine = create_engine(url)
    with engine.begin() as conn:  # a new run rewrites the values and appends its log
        conn.execute(update(tables.mart_indicator_values).values(value=0.123, run_id=3))
        conn.execute(
            insert(tables.etl_runs).values(
                run_id=3,
                started_at=dt.datetime(2030, 1, 1),
                finished_at=dt.datetime(2030, 1, 1, 0, 5),
                status="ok",
                source_dir="x",
                project_name="p",
                min_cell=7,
                as_of=dt.date(2030, 1, 1),
                demo_key=False,
            )
        )
    after = warehouse.indicators(town=info.towns[0], indicator="engagement_rate", db=url)
    assert (after["value"].dropna() == 0.123).all() and set(after["run_id"]) == {3}
    assert warehouse.latest_run(db=url).min_cell == 7
    assert warehouse.runs(db=url).empty  # the new run has no file rows yet: nothing of run 2 is shown
