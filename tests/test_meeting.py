"""The Sitzungsmodus' screens, without a browser (issues 6 and 11).

The sentences a council member reads come from :mod:`dashboard.headlines` (tested in test_headlines.py);
the screens are built from the real demo warehouse and must state exactly the stored values in German
format, the goals of the year's end at a glance, the data date and the sources on every screen.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.formatting import fmt_datetime, fmt_value
from dashboard.state import load_view
from dashboard.views import meeting as m
from dashboard.views.meeting import screen_outputs, start_screen
from etl import warehouse

REASON = "weniger als 5 Antworten"
NAN = float("nan")


def trend(*rows: tuple) -> pd.DataFrame:
    """(year, value, low, high, n, suppressed) rows of engagement_rate."""
    frame = pd.DataFrame(rows, columns=["year", "value", "low", "high", "n", "suppressed"])
    return frame.assign(indicator="engagement_rate", weighted=True)


def rate(frame: pd.DataFrame, year: int = 2024, hib: bool | None = True) -> m.Finding:
    return m.finding(frame, "engagement_rate", year, "Engagementquote", "share", hib)


def test_target_line_names_the_linked_goal_and_its_status() -> None:
    f = rate(trend((2024, 0.412, NAN, NAN, 420, False)))
    goals = pd.DataFrame(
        {
            "goal_id": ["Z01"],
            "indicator": ["engagement_rate"],
            "target": [0.45],
            "target_date": [pd.Timestamp("2027-12-31").date()],
            "status": ["off_track"],
        }
    )
    assert m.target_line(f, goals) == "Ziel Z01: 45,0\u00a0% bis 31.12.2027 · nicht im Plan"
    assert m.target_line(f, goals.assign(indicator="network_density")) == ""


def test_short_labels_and_start_screen() -> None:
    assert m.short("Wartezeit bis zur Vermittlung ins Ehrenamt senken", 20) == "Wartezeit bis zur V…"
    assert m.short("Kurz") == "Kurz"
    assert [start_screen(s) for s in ("1", "5", "0", "9", "x", None)] == [0, 4, 0, 0, 0, 0]


@pytest.fixture(scope="module")
def demo_screens(demo_warehouse: str) -> tuple[str, int, list[m.Screen]]:
    town = warehouse.towns(db=demo_warehouse)["ags"].iloc[0]
    year = max(warehouse.indicators(town=town, indicator="engagement_rate", db=demo_warehouse)["year"])
    view = load_view(town, year, "de", demo_warehouse)
    return town, int(year), m.screens(m.collect(view))


def test_screens_state_the_stored_values(demo_warehouse: str, demo_screens) -> None:  # noqa: ANN001
    town, year, screens = demo_screens
    assert [s.key for s in screens] == list(m.SCREENS)
    stored = warehouse.indicators(town=town, indicator="engagement_rate", db=demo_warehouse).sort_values("year")
    now, before = stored.iloc[-1], stored.iloc[-2]
    state = m.finding(
        stored.rename(columns={"ci_low": "low", "ci_high": "high"}),
        "engagement_rate",
        year,
        "Engagementquote",
        "share",
        True,
    ).state
    word = {"up": "gestiegen", "down": "gesunken", "uncertain": "etwa gleich"}[state]
    engagement = screens[1]
    assert engagement.heading.startswith(f"Engagementquote {word}: {fmt_value(now['value'], 'share')} ")
    assert f"({int(before['year'])}: {fmt_value(before['value'], 'share')}" in engagement.heading
    assert engagement.tiles[0].value == fmt_value(now["value"], "share")
    assert engagement.figure is not None and engagement.figure["data"]
    date = fmt_datetime(warehouse.data_date(demo_warehouse))
    for screen in screens:
        assert screen.footer.startswith(f"Datenstand: {date} · Quelle: ")
        assert "ETL-Lauf Nr." in screen.footer
    as_of = warehouse.latest_run(db=demo_warehouse).as_of
    goals = warehouse.goal_status(town=town, year=min(year, as_of.year), db=demo_warehouse)
    ok = int(goals["status"].isin(["achieved", "on_track"]).sum())
    assert screens[3].heading == f"{ok} von {len(goals)} Zielen erreicht oder im Plan"
    assert screens[0].tiles[-1].value == f"{ok} von {len(goals)}"
    assert screens[3].table is not None  # the goals at a glance
    assert screens[4].figure is not None and screens[4].figure["data"]  # the progress chart
    # nothing suppressed is shown as a number
    for screen in screens:
        for tile in screen.tiles:
            assert "nan" not in tile.value.lower()
            assert not (tile.value == "–" and tile.detail and "Stand" not in tile.detail)


def test_screen_outputs_match_the_callback_outputs(demo_screens) -> None:  # noqa: ANN001
    _, _, screens = demo_screens
    assert len(screen_outputs(screens[0], "de")) == 4  # heading, tiles, notes, footer
    assert len(screen_outputs(screens[3], "de")) == 4  # heading, the glance table, notes, footer
    assert len(screen_outputs(screens[4], "de")) == 5  # heading, tiles, the progress chart, notes, footer
    outputs = screen_outputs(screens[1], "de")
    assert len(outputs) == 5 and outputs[2]["data"]
    assert not math.isnan(screens[1].figure["layout"]["font"]["size"])
    assert screens[1].figure["layout"]["font"]["size"] >= 20  # readable on a projector


def walk(component: object) -> list:
    """The component and everything below it."""
    kids = getattr(component, "children", None)
    kids = kids if isinstance(kids, list | tuple) else [kids] if kids is not None else []
    return [component, *(c for k in kids for c in walk(k))]


def test_a_goal_plan_longer_than_one_screen_shows_the_goals_furthest_behind(demo_warehouse: str) -> None:
    """The Ziele screen holds GLANCE_ROWS goals at 1366×768 (the browser test measures it): a town with more shows
    those, worst status first, and says how many of how many; the heading still counts every goal."""
    goals = warehouse.goal_status(db=demo_warehouse)
    most = goals.groupby("town_ags")["goal_id"].nunique()
    town = str(most.idxmax())
    year = int(goals["year"].max())
    assert most.max() > m.GLANCE_ROWS  # the demo's longest goal plan is longer than a screen
    screen = m.goals_screen(m.collect(load_view(town, year, "de", demo_warehouse), "goals"), 0)
    rows = [c for c in walk(screen.table) if "data-status" in getattr(c, "__dict__", {})]  # the goal rows
    total = len(warehouse.goal_status(town=town, year=year, db=demo_warehouse))
    assert len(rows) == m.GLANCE_ROWS < total
    statuses = [r.__dict__["data-status"] for r in rows]
    order = ["off_track", "at_risk", "no_data", "on_track", "achieved"]
    assert statuses == sorted(statuses, key=order.index)  # the furthest behind first
    assert f"Die {m.GLANCE_ROWS} von {total} Zielen, die am weitesten zurückliegen" in " ".join(screen.notes)
    assert screen.heading.endswith(f"von {total} Zielen erreicht oder im Plan")
