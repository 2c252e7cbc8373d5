"""A view's first build reads the warehouse once per kind of figure (issue 13, cold paths).

The headlines, the five Sitzungsmodus screens and the overview's glance ask for other indicators and years of
the same town; they filter one read of all the town's totals and one of all its goal statuses
(:func:`dashboard.series.town_values`, :func:`dashboard.series.town_goal_status`) instead of querying per list.
Counted on the real SQLite file, every statement the engine executes; and the filtered frames are the ones the
warehouse API returns for the same filters.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import pytest
from sqlalchemy import event

from dashboard import memo, series
from dashboard.headlines import headlines
from dashboard.state import View, load_view
from dashboard.views import meeting
from dashboard.views.goals import at_a_glance
from etl import warehouse


@contextmanager
def statements(db: str) -> Iterator[list[str]]:
    """The SQL statements executed on ``db``'s engine inside the block."""
    seen: list[str] = []
    engine = warehouse._engine(db)  # noqa: SLF001 - the engine every read uses

    def keep(_conn, _cursor, statement, _params, _context, _many) -> None:  # noqa: ANN001 - SQLAlchemy's hook
        seen.append(" ".join(statement.split()))  # one line: the compiler breaks lines before WHERE

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def _filters(statement: str) -> str:
    return statement.split(" WHERE ", 1)[1].split(" ORDER BY ", 1)[0]


def _town_view(db: str, year: int | None = None, lang: str = "de") -> View:
    towns = warehouse.towns(db=db)["ags"].tolist()
    view = load_view(towns[0], year if year is not None else warehouse.years(db=db)[-1], lang, db)
    assert isinstance(view, View)
    return view


def test_a_towns_first_view_reads_its_totals_and_goals_once(demo_warehouse: str) -> None:
    view = _town_view(demo_warehouse)
    warehouse.latest_run(db=demo_warehouse), series.catalogue(view), meeting.run_source_names(view)  # per run
    warehouse.clear_cache()
    memo.clear()
    with warehouse.same_run(), statements(demo_warehouse) as seen:
        headlines(view)
        for key in meeting.SCREENS:
            meeting.screen_of(view, key, meeting.CHART_HEIGHT)
        at_a_glance(view)
    # the filters (WHERE, without ORDER BY) of every read of the town's values and goal statuses
    values = [_filters(s) for s in seen if "FROM mart_indicator_values" in s]
    goals = [_filters(s) for s in seen if "FROM mart_goal_status" in s]
    # the town's totals of every indicator and year once (no indicator or year filter) …
    every = [w for w in values if ".indicator" not in w and ".year" not in w]
    assert len(every) == 1 and ".town_ags = ?" in every[0], values
    # … and the partner survey's sectors of the latest wave once (one indicator, one year, a breakdown)
    assert len(values) == 2, values
    # the town's goal statuses of every year once
    assert len(goals) == 1 and ".town_ags = ?" in goals[0] and ".year" not in goals[0], goals


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_filtered_reads_are_the_warehouse_reads_of_the_same_filters(demo_warehouse: str, lang: str) -> None:
    for year in warehouse.years(db=demo_warehouse):
        view = _town_view(demo_warehouse, year, lang)
        for indicators in (meeting.ALL_INDICATORS, ["engagement_rate"], ["no_such_indicator"]):
            for filtered_year in (None, year):
                direct = warehouse.indicators(
                    town=view.town, indicator=tuple(indicators), year=filtered_year, db=demo_warehouse
                )
                pd.testing.assert_frame_equal(
                    series.town_values(view, indicators, filtered_year), direct.reset_index(drop=True)
                )
        direct_goals = warehouse.goal_status(town=view.town, year=year, db=demo_warehouse)
        pd.testing.assert_frame_equal(series.town_goal_status(view, year), direct_goals.reset_index(drop=True))
        pd.testing.assert_frame_equal(
            series.town_goal_status(view), warehouse.goal_status(town=view.town, db=demo_warehouse)
        )


def test_the_filtered_reads_are_for_one_town(demo_warehouse: str) -> None:
    network = load_view("netzwerk", warehouse.years(db=demo_warehouse)[-1], "de", demo_warehouse)
    assert isinstance(network, View) and network.is_network
    with pytest.raises(ValueError):
        series.town_values(network, ["engagement_rate"])
    with pytest.raises(ValueError):
        series.town_goal_status(network)
