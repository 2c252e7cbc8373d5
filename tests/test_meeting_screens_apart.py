"""One callback per Sitzungsmodus screen and kept results (issue 13), without a browser.

Each screen's callback builds only its screen (:func:`dashboard.views.meeting.screen_of`); it must
show exactly what the screen of all five read together shows, for towns and the network, every year. The kept
headlines (:mod:`dashboard.memo`) are the same as freshly built ones and are kept apart per language, scope and
run.
"""

from __future__ import annotations

import pytest
from dash._utils import to_json

from dashboard import memo
from dashboard.headlines import _headlines, headlines
from dashboard.state import View, load_view
from dashboard.views import meeting as m
from etl import warehouse


def _views(db: str) -> list[View]:
    towns = warehouse.towns(db=db)["ags"].tolist()
    years = warehouse.years(db=db)
    views = [load_view(town, year, lang, db) for town in [towns[0], "netzwerk"] for year in years for lang in ("de",)]
    views.append(load_view(towns[-1], years[-1], "en", db))
    return [v for v in views if isinstance(v, View)]


def test_each_screen_alone_shows_what_all_five_show(demo_warehouse: str) -> None:
    views = _views(demo_warehouse)
    assert any(v.is_network for v in views) and any(not v.is_network for v in views)
    for view in views:
        together = m.screens(m.collect(view), m.CHART_HEIGHT)
        for screen in together:
            alone = m.screen_of(view, screen.key, m.CHART_HEIGHT)
            assert to_json(m.screen_outputs(alone, view.lang)) == to_json(m.screen_outputs(screen, view.lang)), (
                view.town,
                view.year,
                screen.key,
            )


def test_kept_headlines_equal_fresh_ones_and_are_kept_per_view(demo_warehouse: str) -> None:
    memo.clear()
    for view in _views(demo_warehouse):
        kept = headlines(view)
        assert headlines(view) is kept  # built once
        fresh = _headlines(view, None, None)
        # repr: a missing value (NaN) equals itself only so
        assert repr((kept.statement, kept.figures, kept.goals, kept.glance, kept.sticking)) == repr(
            (fresh.statement, fresh.figures, fresh.goals, fresh.glance, fresh.sticking)
        )
        assert kept.view == view  # town, year and language are part of the key


def test_kept_results_are_apart_per_scope(demo_warehouse: str) -> None:
    memo.clear()
    towns = warehouse.towns(db=demo_warehouse)["ags"].tolist()
    built: list[str] = []

    def build() -> str:
        built.append(str(sorted(warehouse.towns(db=demo_warehouse)["ags"])))
        return built[-1]

    whole = memo.remembered("towns", demo_warehouse, (), build)
    with warehouse.scoped(warehouse.Scope.of([towns[0]])):
        one = memo.remembered("towns", demo_warehouse, (), build)
    assert memo.remembered("towns", demo_warehouse, (), build) == whole
    assert whole != one and one == str([towns[0]])
    assert len(built) == 2


def test_a_screen_read_alone_holds_no_other_screens_data(demo_warehouse: str) -> None:
    town = warehouse.towns(db=demo_warehouse)["ags"].iloc[0]
    view = load_view(town, warehouse.years(db=demo_warehouse)[-1], "de", demo_warehouse)
    assert isinstance(view, View)
    data = m.collect(view, "engagement")
    assert data.headlines is None and data.wave is None
    assert m.collect(view, "overview").goals.empty
    with pytest.raises(ValueError):
        m.overview_screen(data, m.CHART_HEIGHT)


def test_kept_trends_equal_fresh_ones_and_a_callers_change_stays_its_own(demo_warehouse: str) -> None:
    import pandas as pd

    from dashboard import series

    memo.clear()
    for view in _views(demo_warehouse):
        for indicators in (m.ALL_INDICATORS, m.ENGAGEMENT):
            kept = series.trend(view, indicators)
            pd.testing.assert_frame_equal(kept, series._trend(view, indicators))
            kept["value"] = -1.0  # a caller's own copy
            assert (series.trend(view, indicators)["value"] != -1.0).all()
