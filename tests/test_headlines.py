"""The headline statements (issue 11): the change statement, the reason line of a goal, units and plurals.

Pure functions over stored values, tested without a warehouse: a change is "gestiegen"/"gesunken" only when
the two 95 % intervals do not overlap (touching counts as overlapping, the boundary), otherwise "etwa
gleich (Unterschied im Rahmen der Unsicherheit)"; values without an interval follow the tolerance rule.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import headlines as h
from dashboard.state import View
from dashboard.wording import counted, goal_change, goal_value

NB = "\u00a0"
REASON = "weniger als 5 Antworten"
NAN = float("nan")


def trend(*rows: tuple, indicator: str = "engagement_rate") -> pd.DataFrame:
    """(year, value, low, high, n, suppressed) rows of one indicator."""
    frame = pd.DataFrame(rows, columns=["year", "value", "low", "high", "n", "suppressed"])
    return frame.assign(indicator=indicator, weighted=True)


def rate(frame: pd.DataFrame, year: int = 2024, hib: bool | None = True) -> h.Finding:
    return h.finding(frame, "engagement_rate", year, "Engagementquote", "share", hib)


# --- the change statement -------------------------------------------------------------------------------------


def test_supported_change_reads_gestiegen_and_overlap_reads_etwa_gleich() -> None:
    up = rate(trend((2023, 0.389, 0.36, 0.38, 400, False), (2024, 0.412, 0.39, 0.44, 420, False)))
    assert up.state == "up" and up.improved is True
    assert h.heading(up, REASON) == f"Engagementquote gestiegen: 41,2{NB}% (2023: 38,9{NB}%)"
    assert h.change_line(up, REASON) == f"gestiegen: +2,3{NB}Pp. zu 2023 (38,9{NB}%)"
    assert h.detail_line(up) == f"n = 420 · 95-%-Intervall 39,0–44,0{NB}%"
    within = rate(trend((2023, 0.389, 0.36, 0.42, 400, False), (2024, 0.412, 0.38, 0.44, 420, False)))
    assert within.state == "uncertain"
    assert within.improved is False and within.judged  # counts in "x von y", not as an improvement
    assert h.change_line(within, REASON) == (
        f"etwa gleich (Unterschied im Rahmen der Unsicherheit): +2,3{NB}Pp. zu 2023 (38,9{NB}%)"
    )
    assert "gestiegen" not in h.heading(within, REASON) and "etwa gleich" in h.heading(within, REASON)
    down = rate(trend((2022, 0.45, 0.44, 0.46, 900, False), (2024, 0.40, 0.39, 0.41, 900, False)))
    assert down.state == "down" and down.improved is False
    assert h.heading(down, REASON) == f"Engagementquote gesunken: 40,0{NB}% (2022: 45,0{NB}%)"


def test_the_boundary_touching_intervals_are_not_a_change() -> None:
    assert h.change_state(0.45, 0.40, "share", 0.42, 0.48, 0.37, 0.42) == "uncertain"  # low == previous high
    assert h.change_state(0.45, 0.40, "share", 0.4201, 0.48, 0.37, 0.42) == "up"  # just apart
    assert h.change_state(0.35, 0.40, "share", 0.30, 0.37, 0.37, 0.43) == "uncertain"  # high == previous low
    assert h.change_state(0.35, 0.40, "share", 0.30, 0.3699, 0.37, 0.43) == "down"
    assert h.change_state(0.45, 0.40, "share", 0.43, 0.47, None, None) == "uncertain"  # one side lacks it


def test_values_without_interval_follow_the_display_precision() -> None:
    assert h.change_state(0.4004, 0.4000, "share") == "same"  # 0,04 Pp.: the shown 40,0 % does not move
    assert h.change_state(0.4006, 0.4000, "share") == "up"
    assert h.change_state(91, 90, "count") == "up"
    assert h.change_state(2.304, 2.300, "score") == "same"
    same = rate(trend((2023, 0.400, NAN, NAN, 400, False), (2024, 0.4004, NAN, NAN, 400, False)))
    assert h.heading(same, REASON) == f"Engagementquote unverändert: 40,0{NB}% (2023: 40,0{NB}%)"
    assert h.change_line(same, REASON) == f"unverändert zu 2023 (40,0{NB}%)"


def test_the_network_median_is_compared_without_its_quartile_band() -> None:
    frame = trend((2023, 0.38, 0.30, 0.45, 3, False), (2024, 0.40, 0.32, 0.47, 3, False))
    f = h.finding(frame, "engagement_rate", 2024, "Engagementquote", "share", True, network=True)
    assert f.state == "up"  # the band is the quartiles over towns, not an interval of the median
    assert h.detail_line(f) == "Median über 3 Städte"


@settings(max_examples=80, deadline=None)
@given(
    st.floats(0.01, 0.99),
    st.floats(0.01, 0.99),
    st.floats(0.0, 0.2),
    st.floats(0.0, 0.2),
)
def test_change_state_is_antisymmetric_and_needs_separate_intervals(a: float, b: float, wa: float, wb: float) -> None:
    forward = h.change_state(a, b, "share", a - wa, a + wa, b - wb, b + wb)
    backward = h.change_state(b, a, "share", b - wb, b + wb, a - wa, a + wa)
    assert {forward, backward} in ({"uncertain"}, {"up", "down"})
    assert (forward != "uncertain") == (a - wa > b + wb or a + wa < b - wb)


def test_first_stale_suppressed_and_missing_values_are_said_plainly() -> None:
    first = rate(trend((2024, 0.412, NAN, NAN, 420, False)))
    assert h.heading(first, REASON) == f"Engagementquote 2024: 41,2{NB}% – erster Messwert"
    stale = rate(trend((2022, 0.40, NAN, NAN, 400, False), (2023, 0.412, NAN, NAN, 420, False)), year=2025)
    assert stale.state == "stale" and stale.value_year == 2023 and stale.value == pytest.approx(0.412)
    assert h.value_text(stale) == f"41,2{NB}%"  # the latest value, not "–"
    assert h.change_line(stale, REASON) == "Stand: 2023 – für 2025 keine neue Messung"
    assert not stale.judged
    suppressed = rate(trend((2023, 0.389, NAN, NAN, 400, False), (2024, NAN, NAN, NAN, pd.NA, True)))
    assert h.value_text(suppressed) == "–"
    assert h.heading(suppressed, REASON) == f"Engagementquote 2024: nicht ausgewiesen – {REASON}"
    missing = rate(trend((2025, 0.389, NAN, NAN, 400, False)))
    assert h.heading(missing, REASON) == "Engagementquote: für 2024 liegen keine Daten vor"
    after = rate(trend((2023, NAN, NAN, NAN, pd.NA, True), (2024, 0.412, NAN, NAN, 420, False)))
    assert h.heading(after, REASON) == f"Engagementquote 2024: 41,2{NB}% (2023: nicht ausgewiesen, {REASON})"


def test_goal_family_figures_name_their_date() -> None:
    frame = trend((2023, 0.1, NAN, NAN, 10, False), (2024, 0.2, NAN, NAN, 10, False), indicator="measures_done_share")
    as_of = dt.date(2024, 6, 30)
    now = h.finding(frame, "measures_done_share", 2024, "Anteil umgesetzter Maßnahmen", "share", True, as_of=as_of)
    past = h.finding(frame, "measures_done_share", 2023, "Anteil umgesetzter Maßnahmen", "share", True, as_of=as_of)
    assert h.detail_line(now) == "Stand: 30.06.2024 · n = 10"
    assert h.detail_line(past) == "Stand: 31.12.2023 · n = 10"


def test_x_von_y_counts_judged_changes_only() -> None:
    up = rate(trend((2023, 0.30, 0.28, 0.32, 900, False), (2024, 0.35, 0.33, 0.37, 900, False)))
    within = rate(trend((2023, 0.30, 0.25, 0.35, 90, False), (2024, 0.31, 0.26, 0.36, 90, False)))
    first = rate(trend((2024, 0.31, 0.26, 0.36, 90, False)))
    text, better, judged = h.overview_heading([up, within, first], "Musterstadt", 2024)
    assert (better, judged) == (1, 2)
    assert text == "Musterstadt 2024: 1 von 2 Kennzahlen hat sich verbessert"
    assert h.overview_heading([up], "Musterstadt", 2024)[0] == "Musterstadt 2024: 1 von 1 Kennzahl hat sich verbessert"
    assert h.overview_heading([first], "Musterstadt", 2024)[0] == "Musterstadt 2024: die Kennzahlen im Überblick"


# --- the reason line of a goal --------------------------------------------------------------------------------


def test_reason_line_of_a_goal_behind_with_late_measures() -> None:
    line = h.reason_line("off_track", 0.46, 0.75, measures=5, overdue=1, delayed=2, leads=["administration"])
    assert line == (
        f"Fortschritt 46{NB}% statt erwartet 75{NB}%; 2 Maßnahmen verzögert, 1 überfällig (Federführung: Verwaltung)"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("at_risk", 0.40, 0.60, 3, 1, 0, ["politics"]),
            "Fortschritt 40 % statt erwartet 60 %; 1 Maßnahme überfällig (Federführung: Politik)",
        ),
        (
            ("at_risk", 0.40, 0.60, 3, 2, 0, ["politics", "business"]),
            "Fortschritt 40 % statt erwartet 60 %; 2 Maßnahmen überfällig (Federführung: Politik, Wirtschaft)",
        ),
        (
            ("off_track", -0.25, 0.50, 2, 0, 1, ["civil_society"]),
            "Fortschritt −25 % statt erwartet 50 % (weiter vom Ziel als zu Beginn); "
            "1 Maßnahme verzögert (Federführung: Zivilgesellschaft)",
        ),
        (
            ("on_track", 0.45, 0.50, 2, 0, 0, []),
            "Fortschritt 45 %, erwartet 50 %; keine Maßnahme verzögert oder überfällig",
        ),
        (
            ("on_track", 0.45, 0.50, 2, 0, None, []),
            "Fortschritt 45 %, erwartet 50 %; keine Maßnahme überfällig",
        ),  # past: delays unknown
        (("achieved", 1.04, 0.50, 0, 0, 0, []), "Ziel erreicht (Fortschritt 104 %); keine Maßnahmen hinterlegt"),
        (("no_data", None, 0.50, 1, 0, 0, []), "noch keine Messung; keine Maßnahme verzögert oder überfällig"),
    ],
)
def test_reason_line_cases(args: tuple, expected: str) -> None:
    status, progress, expected_progress, measures, overdue, delayed, leads = args
    line = h.reason_line(status, progress, expected_progress, measures, overdue, delayed, leads)
    assert line == expected.replace(" %", f"{NB}%")


def test_reason_line_in_english() -> None:
    line = h.reason_line("off_track", 0.46, 0.75, 5, 1, 2, ["administration"], lang="en")
    assert line == "progress 46% instead of 75%; 2 measures delayed, 1 overdue (lead: Administration)"


# --- units and plurals ----------------------------------------------------------------------------------------


def test_goal_values_carry_their_unit_in_singular_and_plural() -> None:
    assert goal_value(1.0, None, "Jahre") == f"1{NB}Jahr"
    assert goal_value(4.0, None, "Jahre") == f"4{NB}Jahre"
    assert goal_value(28.0, None, "Tage") == f"28{NB}Tage"
    assert goal_value(22.1, None, "Tage") == f"22,1{NB}Tage"
    assert goal_value(500.0, None, "Karten") == f"500{NB}Karten"
    assert goal_value(0.412, "share", "Anteil") == f"41,2{NB}%"
    assert goal_value(0.412, None, "Anteil") == f"41,2{NB}%"  # a hand-measured share
    assert goal_value(40.0, None, "%") == f"40{NB}%"
    assert goal_value(24.0, "per_1000", "je 1.000") == f"24,0{NB}je 1.000"
    assert goal_value(1878.0, "count", "Personen") == f"1.878{NB}Personen"
    assert goal_value(float("nan"), None, "Tage") == "–"
    assert goal_change(-2.6, None, "Tage") == f"−2,6{NB}Tage"
    assert goal_change(1.0, None, "Jahre") == f"+1{NB}Jahr"
    assert goal_change(-1.0, None, "Tage") == f"−1{NB}Tag"
    assert goal_change(0.038, "share", "Anteil") == f"+3,8{NB}Pp."


def test_english_pages_name_the_usual_goal_units_in_english() -> None:
    """Issue 15: an English page reads "28 days", "1 year", "1,878 people"; an unusual unit stays as written."""
    assert goal_value(28.0, None, "Tage", "en") == f"28{NB}days"
    assert goal_value(1.0, None, "Jahre", "en") == f"1{NB}year"
    assert goal_value(1878.0, "count", "Personen", "en") == f"1,878{NB}people"
    assert goal_value(1.0, "count", "Personen", "en") == f"1{NB}person"
    assert goal_change(-68.0, "count", "Personen", "en") == f"−68{NB}people"
    assert goal_value(3.0, None, "Lotsenteams", "en") == f"3{NB}Lotsenteams"
    assert counted(27, "Organisation", "Organisationen") == "27 Organisationen"
    assert counted(1, "Organisation", "Organisationen") == "1 Organisation"
    assert counted(1234, "Verbindung", "Verbindungen") == "1.234 Verbindungen"


def test_glance_rows_worst_first_with_units_dates_and_links() -> None:
    cat = pd.DataFrame({"unit": ["share"], "name_de": ["Engagementquote"], "name_en": ["x"]}, index=["engagement_rate"])
    rows = pd.DataFrame(
        [
            (
                "Z1",
                "Quote steigern",
                "P2",
                "engagement_rate",
                "Anteil",
                0.41,
                dt.date(2024, 12, 31),
                0.38,
                dt.date(2023, 12, 31),
                0.6,
                0.5,
                "on_track",
                2,
                0,
                0,
                0,
                "",
            ),
            (
                "Z2",
                "Wartezeit senken",
                "W1",
                None,
                "Tage",
                22.1,
                dt.date(2024, 12, 31),
                24.7,
                dt.date(2023, 12, 31),
                0.2,
                0.5,
                "off_track",
                3,
                0,
                1,
                2,
                "administration,politics",
            ),
            ("Z3", "Karte einführen", "W3", None, "Karten", NAN, None, NAN, None, NAN, 0.5, "no_data", 0, 0, 0, 0, ""),
        ],
        columns=[
            "goal_id",
            "title",
            "principle",
            "indicator",
            "unit",
            "current",
            "current_date",
            "previous",
            "previous_date",
            "progress",
            "expected",
            "status",
            "measures",
            "measures_done",
            "measures_overdue",
            "measures_delayed",
            "late_lead_sectors",
        ],
    ).assign(target=[0.45, 14.0, 500.0], target_date=dt.date(2026, 12, 31))
    view = View("09999001", "Musterstadt", 2024, "de", 5, (2024,))
    glance = h.glance_rows(rows, cat, view)
    assert [r.goal_id for r in glance] == ["Z2", "Z3", "Z1"]  # off track, no measurement, on track
    z2 = glance[0]
    assert (z2.mark, z2.status_word) == ("✖", "nicht im Plan")
    assert z2.current == f"22,1{NB}Tage (31.12.2024)" and z2.target == f"14{NB}Tage bis 31.12.2026"
    assert z2.progress == f"20{NB}% (erwartet 50{NB}%)"
    assert z2.change == f"−2,6{NB}Tage seit 31.12.2023"
    assert z2.reason == (
        f"Fortschritt 20{NB}% statt erwartet 50{NB}%; 2 Maßnahmen verzögert, 1 überfällig "
        "(Federführung: Verwaltung, Politik)"
    )
    assert z2.href == "/ziele?town=09999001&year=2024&lang=de&goal=Z2"
    assert glance[1].current == "keine Messung" and glance[1].status_word == "keine Messung"
    assert glance[2].change == f"+3,0{NB}Pp. seit 31.12.2023"
