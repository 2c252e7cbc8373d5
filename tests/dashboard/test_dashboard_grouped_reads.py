"""The grouped reads behind the network views (issue 13): counted in the database, they give exactly what the
row-by-row reads give, and the views built from them show what they showed before. Real SQLite warehouses:
the synthetic one and one written by ``engage demo`` + ``engage run``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from synthetic import SyntheticInfo

from dashboard.headlines import finding, findings_of, headlines, statuses_of, sticking_rows
from dashboard.series import catalogue, trend
from dashboard.state import NETWORK, View, load_view
from dashboard.views import goals
from etl import warehouse


def view_of(db: str, town: str, year: int) -> View:
    v = load_view(town, year, "de", db=db)
    assert isinstance(v, View)
    return v


@pytest.fixture(scope="module")
def demo_run_twice(tmp_path_factory: pytest.TempPathFactory, demo_warehouse: str) -> str:
    """The demo warehouse after a second run: its marts keep both runs (issue 17), so a grouped read that
    forgot to ask for the run read counts every goal twice."""
    import datetime as dt
    import shutil

    from sqlalchemy.engine import make_url

    from etl.pipeline import run_pipeline

    copy = tmp_path_factory.mktemp("zwei-laeufe") / "warehouse.sqlite"
    shutil.copyfile(str(make_url(demo_warehouse).database), copy)
    url = f"sqlite:///{copy}"
    source = Path(warehouse.latest_run(db=demo_warehouse).source_dir)
    summary = run_pipeline(source, db_url=url, as_of=dt.date(2025, 6, 30))
    assert not summary.failed_sources
    assert len(warehouse.published_runs(db=url)) == 2
    return url


@pytest.fixture(params=["synthetic", "demo", "demo-run-twice"])
def db(request: pytest.FixtureRequest) -> str:
    if request.param == "synthetic":
        return request.getfixturevalue("synthetic").url
    if request.param == "demo-run-twice":
        return request.getfixturevalue("demo_run_twice")
    return request.getfixturevalue("demo_warehouse")


def test_goal_status_counts_count_the_goal_status_rows(db: str) -> None:
    rows = warehouse.goal_status(db=db)
    expected = (rows.groupby(["town_ags", "year", "status", "principle"]).size().rename("goals").reset_index()).astype(
        {"goals": "int64"}
    )
    counts = warehouse.goal_status_counts(db=db)
    assert len(rows) and counts["goals"].sum() == len(rows)
    key = ["town_ags", "year", "status", "principle"]
    got = (
        counts.sort_values(key).reset_index(drop=True).astype({c: object for c in ("town_ags", "status", "principle")})
    )
    want = (
        expected.sort_values(key)
        .reset_index(drop=True)
        .astype({c: object for c in ("town_ags", "status", "principle")})
    )
    pd.testing.assert_frame_equal(got, want)
    year = int(rows["year"].max())
    assert warehouse.goal_status_counts(year=year, db=db)["goals"].sum() == int((rows["year"] == year).sum())


def test_sticking_rows_from_counts_equal_those_from_the_goals(db: str) -> None:
    towns = warehouse.towns(db=db)
    for year in sorted(set(warehouse.goal_status(db=db)["year"])):
        net = view_of(db, NETWORK, year)
        from_rows = sticking_rows(warehouse.goal_status(year=year, db=db), towns, net)
        from_counts = sticking_rows(warehouse.goal_status_counts(year=year, db=db), towns, net)
        assert from_rows == from_counts and len(from_rows) == len(
            set(warehouse.goal_status(year=year, db=db)["town_ags"])
        )


def test_statuses_of_counts_repeat_each_status_by_its_count() -> None:
    counts = pd.DataFrame({"status": ["off_track", "achieved"], "goals": [2, 3]})
    assert statuses_of(counts) == ["off_track"] * 2 + ["achieved"] * 3
    assert statuses_of(pd.DataFrame({"status": ["at_risk"]})) == ["at_risk"]
    assert statuses_of(pd.DataFrame()) == []


def test_network_headlines_count_every_goal_of_the_year(db: str) -> None:
    rows = warehouse.goal_status(db=db)
    year = int(rows["year"].max())
    h = headlines(view_of(db, NETWORK, year))
    year_rows = rows[rows["year"] == year]
    assert h.goals.total == len(year_rows)
    assert h.goals.counts == {s: int((year_rows["status"] == s).sum()) for s in h.goals.counts}
    assert sum(sum(r.counts.values()) for r in h.sticking) == len(year_rows)


def test_measure_counts_and_the_network_measures_view(db: str) -> None:
    measures = warehouse.measures(db=db)
    counts = warehouse.measure_counts(db=db)
    assert counts["measures"].sum() == len(measures)
    assert counts["overdue"].sum() == int(measures["overdue"].sum())
    for (town, status), part in measures.groupby(["town_ags", "status"]):
        row = counts[(counts["town_ags"] == town) & (counts["status"] == status)]
        assert int(row["measures"].iloc[0]) == len(part)
    result = goals.measures(view_of(db, NETWORK, warehouse.years(db=db)[-1]), {})
    table = result.data
    assert set(table["town_ags"]) == set(measures["town_ags"])
    per_town = table.set_index("town_ags")[goals.MEASURE_ORDER].sum(axis=1)
    assert per_town.to_dict() == measures.groupby("town_ags").size().to_dict()
    bars = result.figure["data"][0]
    assert sum(v for v in bars["x" if bars.get("orientation") == "h" else "y"]) == len(measures)
    assert [c.key for c in result.columns][:2] == ["town_ags", "town_name"]
    assert len(result.data) <= warehouse.town_count(db=db)  # one row per town, not one per measure


def test_network_trend_is_the_comparisons_median_per_indicator_and_year(db: str) -> None:
    indicators = ("engagement_rate", "network_density", "registered_volunteers")
    medians = warehouse.network_trend(indicator=indicators, db=db)
    rows = warehouse.comparison(indicator=indicators, db=db)
    expected = rows.drop_duplicates(["indicator", "year"])[list(medians.columns)]
    key = ["indicator", "year"]
    pd.testing.assert_frame_equal(
        medians.sort_values(key).reset_index(drop=True), expected.sort_values(key).reset_index(drop=True)
    )
    keys = warehouse.comparison_keys(db=db)
    every = warehouse.comparison(db=db)
    pairs = set(zip(every["indicator"], every["peer_group"].fillna(""), strict=True))
    assert set(zip(keys["indicator"], keys["peer_group"].fillna(""), strict=True)) == pairs and len(keys) == len(pairs)


def test_findings_from_records_equal_findings_from_the_frame(synthetic: SyntheticInfo) -> None:
    for town in (synthetic.towns[0], NETWORK):
        v = view_of(synthetic.url, town, synthetic.years[-1])
        cat = catalogue(v)
        indicators = ["engagement_rate", "registered_volunteers", "network_density", "measures_overdue"]
        frame = trend(v, indicators)
        fast = findings_of(v, frame, cat, indicators, v.year, None)
        for f in fast:
            slow = finding(frame, f.indicator, v.year, f.name, f.unit, f.higher_is_better, network=v.is_network)
            assert f == slow
