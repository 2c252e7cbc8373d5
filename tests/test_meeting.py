"""The Sitzungsmodus' findings and screens, without a browser (issue 6).

The sentences a council member reads ("Engagementquote gestiegen: 41,2 % (2023: 38,9 %)") come from pure
functions over stored values; the screens are built from the real demo warehouse and must state exactly
the stored values in German format, the data date and the sources on every screen.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_heading_states_a_rise_with_the_previous_year() -> None:
    f = rate(trend((2023, 0.389, 0.36, 0.42, 400, False), (2024, 0.412, 0.38, 0.44, 420, False)))
    assert f.state == "up"
    assert m.heading(f, REASON) == "Engagementquote gestiegen: 41,2\u00a0% (2023: 38,9\u00a0%)"
    assert m.change_line(f, REASON) == "gestiegen, 2023: 38,9\u00a0% (+2,3\u00a0Pp.)"
    assert m.detail_line(f) == "n = 420 · 95-%-Intervall 38,0–44,0\u00a0%"
    assert f.improved is True
    assert m.uncertain(f)  # 0.38–0.44 overlaps 0.36–0.42


def test_heading_states_a_fall_and_an_unchanged_value() -> None:
    down = rate(trend((2022, 0.45, 0.44, 0.46, 900, False), (2024, 0.40, 0.39, 0.41, 900, False)))
    assert m.heading(down, REASON) == "Engagementquote gesunken: 40,0\u00a0% (2022: 45,0\u00a0%)"
    assert down.improved is False
    assert not m.uncertain(down)  # the intervals do not overlap
    same = rate(trend((2023, 0.400, NAN, NAN, 400, False), (2024, 0.404, NAN, NAN, 400, False)))
    assert same.state == "same"
    assert m.heading(same, REASON) == "Engagementquote unverändert: 40,4\u00a0% (2023: 40,0\u00a0%)"
    assert m.change_line(same, REASON) == "unverändert, 2023: 40,0\u00a0%"


def test_suppressed_missing_and_first_values_are_said_plainly() -> None:
    suppressed = rate(trend((2023, 0.389, NAN, NAN, 400, False), (2024, NAN, NAN, NAN, pd.NA, True)))
    assert suppressed.state == "suppressed"
    assert m.value_text(suppressed) == "–"
    assert m.heading(suppressed, REASON) == "Engagementquote 2024: nicht ausgewiesen – weniger als 5 Antworten"
    assert m.detail_line(suppressed) == ""
    missing = rate(trend((2023, 0.389, NAN, NAN, 400, False)))
    assert m.heading(missing, REASON) == "Engagementquote: für 2024 liegen keine Daten vor"
    first = rate(trend((2024, 0.412, NAN, NAN, 420, False)))
    assert m.heading(first, REASON) == "Engagementquote 2024: 41,2\u00a0% – erster Messwert"
    after_suppressed = rate(trend((2023, NAN, NAN, NAN, pd.NA, True), (2024, 0.412, NAN, NAN, 420, False)))
    assert after_suppressed.previous is None
    assert m.heading(after_suppressed, REASON) == (
        "Engagementquote 2024: 41,2\u00a0% (2023: nicht ausgewiesen, weniger als 5 Antworten)"
    )


def test_compare_uses_the_unit_tolerance() -> None:
    assert m.compare(0.404, 0.400, "share") == "same"
    assert m.compare(0.406, 0.400, "share") == "up"
    assert m.compare(0.394, 0.400, "share") == "down"
    assert m.compare(91, 90, "count") == "up"
    assert m.compare(2.31, 2.29, "score") == "same"


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.sampled_from(sorted(m.TOLERANCE)))
def test_compare_is_antisymmetric(a: float, b: float, unit: str) -> None:
    forward, backward = m.compare(a, b, unit), m.compare(b, a, unit)
    assert {forward, backward} in ({"same"}, {"up", "down"})
    assert (forward == "same") == (abs(a - b) < m.TOLERANCE[unit] - 1e-12)


def test_overview_and_goal_headings() -> None:
    up = rate(trend((2023, 0.30, NAN, NAN, 400, False), (2024, 0.35, NAN, NAN, 400, False)))
    overdue = m.finding(
        pd.DataFrame(
            {
                "indicator": "measures_overdue",
                "year": [2023, 2024],
                "value": [1.0, 3.0],
                "low": NAN,
                "high": NAN,
                "n": [9, 9],
                "suppressed": False,
                "weighted": pd.NA,
            }
        ),
        "measures_overdue",
        2024,
        "Überfällige Maßnahmen",
        "count",
        higher_is_better=False,
    )
    assert overdue.state == "up" and overdue.improved is False
    assert m.overview_heading([up, overdue], "Musterstadt", 2024) == (
        "Musterstadt 2024: 1 von 2 Kennzahlen hat sich verbessert"
    )
    assert m.overview_heading([], "Musterstadt", 2024) == "Musterstadt 2024: die Kennzahlen im Überblick"
    goals = pd.DataFrame({"status": ["achieved", "on_track", "at_risk", "no_data"]})
    assert m.goals_heading(goals, "Musterstadt") == "2 von 4 Zielen erreicht oder im Plan"
    assert m.status_counts(goals) == "1 erreicht · 1 im Plan · 1 gefährdet · 1 keine Daten"
    assert m.goals_heading(goals.iloc[0:0], "Musterstadt") == "Für Musterstadt ist kein Zielplan hinterlegt"


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
    assert [start_screen(s) for s in ("1", "4", "0", "9", "x", None)] == [0, 3, 0, 0, 0, 0]


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
    direction = m.compare(now["value"], before["value"], "share")
    word = {"up": "gestiegen", "down": "gesunken", "same": "unverändert"}[direction]
    expected = (
        f"Engagementquote {word}: {fmt_value(now['value'], 'share')} "
        f"({int(before['year'])}: {fmt_value(before['value'], 'share')})"
    )
    engagement = screens[1]
    assert engagement.heading == expected
    assert engagement.tiles[0].value == fmt_value(now["value"], "share")
    assert engagement.figure is not None and engagement.figure["data"]
    date = fmt_datetime(warehouse.data_date(demo_warehouse))
    for screen in screens:
        assert screen.footer.startswith(f"Datenstand: {date} · Quelle: ")
        assert "ETL-Lauf Nr." in screen.footer
    goals = warehouse.goals(town=town, db=demo_warehouse)
    ok = int(goals["status"].isin(["achieved", "on_track"]).sum())
    assert screens[3].heading == f"{ok} von {len(goals)} Zielen erreicht oder im Plan"
    assert screens[0].tiles[-1].value == f"{ok} / {len(goals)}"
    # nothing suppressed is shown as a number
    for screen in screens:
        for tile in screen.tiles:
            assert "nan" not in tile.value.lower()
            assert not (tile.value == "–" and tile.detail)


def test_screen_outputs_match_the_callback_outputs(demo_screens) -> None:  # noqa: ANN001
    _, _, screens = demo_screens
    assert len(screen_outputs(screens[0], "de")) == 4  # heading, tiles, notes, footer
    outputs = screen_outputs(screens[1], "de")
    assert len(outputs) == 5 and outputs[2]["data"]
    assert not math.isnan(screens[1].figure["layout"]["font"]["size"])
    assert screens[1].figure["layout"]["font"]["size"] >= 20  # readable on a projector
