"""One set of figures (issue 11, point 3): the overview cards, the Sitzungsmodus' Überblick and the report's
summary state the same figures and the same "x von y" counts for every town and year of the demo.

The three outputs are built as the dashboard and ``engage report`` build them (the overview's card builder,
the meeting's screens from :func:`dashboard.views.meeting.collect`, the report's content), on the real demo
warehouse of ``tests/conftest.py``; the test compares what each one would show.
"""

from __future__ import annotations

import re

import pytest

from dashboard.headlines import HEADLINE_INDICATORS
from dashboard.report.content import report_content
from dashboard.state import NETWORK, View, load_view
from dashboard.views import meeting, overview
from etl import warehouse

RATIO = re.compile(r"(\d+) von (\d+)")


def goal_rows(component: object) -> list[str]:
    """The ``data-goal`` of every row of a Dash table component, in order."""
    found: list[str] = []

    def walk(node: object) -> None:
        if hasattr(node, "to_plotly_json"):
            node = node.to_plotly_json()
        if isinstance(node, dict):
            props = node.get("props", {})
            if "data-goal" in props:
                found.append(props["data-goal"])
            walk(props.get("children"))
        elif isinstance(node, (list, tuple)):
            for child in node:
                walk(child)

    walk(component)
    return found


def views(db: str) -> list[View]:
    towns = [NETWORK, *warehouse.towns(db=db)["ags"].astype(str)]
    out = []
    for town in towns:
        for year in warehouse.years(db=db):
            view = load_view(town, year, "de", db)
            assert isinstance(view, View)
            out.append(view)
    return out


def test_every_town_and_year_states_the_same_figures_in_all_three_outputs(demo_warehouse: str) -> None:
    checked = 0
    for view in views(demo_warehouse):
        cards = overview.headline_cards(view)
        screens = meeting.screens(meeting.collect(view))
        tiles = screens[0].tiles
        assert len(cards) == len(tiles) == len(HEADLINE_INDICATORS) + 1
        for card, tile in zip(cards[:-1], tiles[:-1], strict=True):
            assert (card.title, card.value, card.change) == (tile.label, tile.value, tile.change), (view, card)
            assert card.detail == tile.detail or card.value == "–"
        goals_card, goals_tile = cards[-1], tiles[-1]
        assert goals_card.value == goals_tile.value  # "3 von 9"
        statement = screens[0].heading
        assert screens[3].heading == goals_card.detail or not goals_card.detail
        if not view.is_network:
            content = report_content(view)
            summary = content.summary
            assert summary.statement == statement, view
            assert summary.goals_ratio == goals_card.value and summary.goals_heading == screens[3].heading
            for card, fig in zip(cards[:-1], summary.figures, strict=True):
                assert (card.title, card.value, card.change) == (fig.name, fig.value, fig.change), (view, card)
            # the report's table names its value column with the year: a value of an earlier year adds "(Stand: …)"
            assert all(r[1].startswith(c.value) for r, c in zip(summary.rows, cards[:-1], strict=True))
            # the goals at a glance of the report are the Ziele screen's rows, in the same (worst-first) order; the
            # screen holds the first GLANCE_ROWS of them (and says so), the report every goal
            shown = [r.goal_id for r in summary.glance][: meeting.GLANCE_ROWS]
            assert shown == goal_rows(screens[3].table)
            if len(summary.glance) > meeting.GLANCE_ROWS:
                assert any(f"{meeting.GLANCE_ROWS} von {len(summary.glance)} Zielen" in n for n in screens[3].notes)
        # the "x von y" counts are the same numbers wherever they appear
        found = RATIO.search(statement)
        judged = [c for c in cards[:-1] if c.change.startswith(("gestiegen", "gesunken", "etwa gleich", "unverändert"))]
        if found:  # every headline indicator is "higher is better": improved = a supported rise
            better, compared = map(int, found.groups())
            assert compared == len(judged), (view, statement)
            assert better == sum(1 for c in judged if c.change.startswith("gestiegen")), (view, statement)
        else:
            assert not judged and statement.endswith("die Kennzahlen im Überblick")
        checked += 1
    assert checked >= 6


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_goal_counts_are_those_of_the_years_end(demo_warehouse: str, lang: str) -> None:
    as_of = warehouse.latest_run(db=demo_warehouse).as_of
    town = str(warehouse.towns(db=demo_warehouse)["ags"].iloc[0])
    for year in warehouse.years(db=demo_warehouse):
        view = load_view(town, year, lang, demo_warehouse)
        stored = warehouse.goal_status(town=town, year=min(year, as_of.year), db=demo_warehouse)
        ok = int(stored["status"].isin(["achieved", "on_track"]).sum())
        card = overview.headline_cards(view)[-1]
        if len(stored):
            assert card.value == (f"{ok} von {len(stored)}" if lang == "de" else f"{ok} of {len(stored)}")
            date = f"31.12.{year}" if year < as_of.year else as_of.strftime("%d.%m.%Y")
            if lang == "de":
                assert card.change == f"Stand: {date}"
