"""Goal progress and measures (brief §5.5) with a fixed as-of date.

Every goal runs from 1 January 2024 for 200 days, and the as-of date lies exactly 100 days in, so the
expected progress is exactly 0.5 and the status thresholds sit at 0.4 (on_track ≥ 0.5 − 0.10) and 0.25
(at_risk ≥ 0.5 − 0.25). Each status is checked on and just below its threshold.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.indicators.goals import GOAL_COLUMNS, MEASURE_COLUMNS, STATUS_COLUMNS, expected_progress, goal_frames
from etl.indicators.values import VALUE_COLUMNS
from etl.model import CleanData, Manifest, Project, Town

TOWN = "09999001"
START = dt.date(2024, 1, 1)
END = START + dt.timedelta(days=200)
AS_OF = START + dt.timedelta(days=100)


def make_clean(frames: dict[str, pd.DataFrame], as_of: dt.date = AS_OF) -> CleanData:
    manifest = Manifest(Path("engage.toml"), Project(name="Test"), (Town(TOWN, "Musterstadt"),), ())
    return CleanData(manifest=manifest, frames=frames, source_files={}, as_of=as_of)


def goal(goal_id: str, baseline: float = 0.0, target: float = 100.0, indicator: str | None = None) -> dict:
    return {
        "town_ags": TOWN,
        "goal_id": goal_id,
        "title": f"Ziel {goal_id}",
        "principle": "W2",
        "indicator": indicator,
        "baseline": baseline,
        "baseline_date": START,
        "target": target,
        "target_date": END,
        "unit": None,
        "source_file": "ziele.xlsx",
        "source_row": 2,
    }


def measurement(goal_id: str, value: float, date: dt.date = AS_OF) -> dict:
    return {"town_ags": TOWN, "goal_id": goal_id, "date": date, "value": value, "source_file": "ziele.xlsx"}


def empty_values() -> pd.DataFrame:
    return pd.DataFrame(columns=VALUE_COLUMNS)


def run(goals: list[dict], measurements: list[dict], values: pd.DataFrame | None = None, **frames) -> pd.DataFrame:
    clean = make_clean({"stg_goals": pd.DataFrame(goals), "stg_measurements": pd.DataFrame(measurements), **frames})
    return goal_frames(clean, empty_values() if values is None else values).goals.set_index("goal_id")


def test_each_status_on_and_below_its_threshold() -> None:
    cases = {
        "achieved_exactly": (100.0, "achieved"),
        "beyond_target": (120.0, "achieved"),
        "just_below_target": (99.0, "on_track"),
        "on_track_boundary": (40.0, "on_track"),  # 0.4 = 0.5 − 0.10
        "below_on_track": (39.0, "at_risk"),
        "at_risk_boundary": (25.0, "at_risk"),  # 0.25 = 0.5 − 0.25
        "below_at_risk": (24.0, "off_track"),
        "went_backwards": (-10.0, "off_track"),
    }
    goals = run([goal(g) for g in cases], [measurement(g, v) for g, (v, _) in cases.items()])
    for goal_id, (current, status) in cases.items():
        row = goals.loc[goal_id]
        assert row["status"] == status, goal_id
        assert row["current"] == current
        assert row["progress"] == pytest.approx(current / 100)
        assert row["expected"] == pytest.approx(0.5)
        assert row["as_of"] == AS_OF and row["current_date"] == AS_OF


def test_boundaries_survive_decimal_rounding() -> None:
    # (0.7 − 0.3) / (1.3 − 0.3) is 0.39999999999999997 in binary floating point: still the 0.4 threshold
    goals = run([goal("g", baseline=0.3, target=1.3)], [measurement("g", 0.7)])
    assert goals.loc["g", "status"] == "on_track"


def test_decreasing_target() -> None:
    """'Fewer overdue measures': baseline 10, target 2; going down is progress."""
    goals = run(
        [goal("halfway", 10, 2), goal("worse", 10, 2), goal("done", 10, 2)],
        [measurement("halfway", 6), measurement("worse", 12), measurement("done", 1)],
    )
    assert goals.loc["halfway", "progress"] == pytest.approx(0.5)
    assert goals.loc["halfway", "status"] == "on_track"
    assert goals.loc["worse", "progress"] == pytest.approx(-0.25)
    assert goals.loc["worse", "status"] == "off_track"
    assert goals.loc["done", "status"] == "achieved"


def test_latest_value_at_or_before_as_of_and_no_data() -> None:
    goals = run(
        [goal("series"), goal("only_later"), goal("none")],
        [
            measurement("series", 10, START + dt.timedelta(days=50)),
            measurement("series", 45, AS_OF),  # on the as-of date: counts
            measurement("series", 100, AS_OF + dt.timedelta(days=1)),  # after: does not
            measurement("only_later", 100, AS_OF + dt.timedelta(days=1)),
        ],
    )
    assert goals.loc["series", "current"] == 45 and goals.loc["series", "status"] == "on_track"
    for goal_id in ("only_later", "none"):
        row = goals.loc[goal_id]
        assert row["status"] == "no_data"
        assert math.isnan(row["current"]) and math.isnan(row["progress"])
        assert row["current_date"] is None
        assert row["expected"] == pytest.approx(0.5)


def test_linked_indicator_uses_shown_town_totals_dated_31_december() -> None:
    values = pd.DataFrame(
        [
            (TOWN, "engagement_rate", 2022, "", "", 0.30, 200, False),
            (TOWN, "engagement_rate", 2023, "", "", np.nan, None, True),  # suppressed: never a current value
            (TOWN, "engagement_rate", 2023, "gender", "w", 0.90, 100, False),  # a breakdown, not the total
            (TOWN, "engagement_rate", 2024, "", "", 0.50, 200, False),  # dated 31.12.2024, after as-of
            ("09999002", "engagement_rate", 2023, "", "", 0.70, 200, False),  # another town
        ],
        columns=["town_ags", "indicator", "year", "breakdown", "group", "value", "n", "suppressed"],
    )
    clean = make_clean(
        {
            "stg_goals": pd.DataFrame([goal("linked", baseline=0.25, target=0.35, indicator="engagement_rate")]),
            "stg_measurements": pd.DataFrame([measurement("linked", 0.99)]),  # ignored: the indicator wins
        }
    )
    result = goal_frames(clean, values)
    row = result.goals.set_index("goal_id").loc["linked"]
    assert row["current"] == pytest.approx(0.30)
    assert row["current_date"] == dt.date(2022, 12, 31)
    assert row["progress"] == pytest.approx(0.5)
    series = result.goal_values
    assert list(series.columns) == ["town_ags", "goal_id", "date", "value"]
    assert series["date"].tolist() == [dt.date(2022, 12, 31), dt.date(2024, 12, 31)]
    assert series["value"].tolist() == pytest.approx([0.30, 0.50])


def test_expected_progress_is_clipped() -> None:
    starts = pd.Series([START, START, START, START])
    ends = pd.Series([END, END, END, START])
    before = expected_progress(starts, ends, START - dt.timedelta(days=10))
    after = expected_progress(starts, ends, END + dt.timedelta(days=10))
    assert before.tolist()[:3] == [0.0, 0.0, 0.0] and after.tolist() == [1.0, 1.0, 1.0, 1.0]
    assert before.iloc[3] == 0.0  # a goal with no time span is expected done from its target date on


MEASURES = [
    ("M1", "umgesetzt", AS_OF - dt.timedelta(days=30), False),
    ("M2", "laufend", AS_OF - dt.timedelta(days=1), True),
    ("M3", "verzögert", AS_OF - dt.timedelta(days=60), True),
    ("M4", "geplant", AS_OF + dt.timedelta(days=30), False),
    ("M5", "abgebrochen", AS_OF - dt.timedelta(days=30), False),
    ("M6", "laufend", None, False),  # no due date: cannot be overdue
    ("M7", "laufend", AS_OF, False),  # due today: not yet overdue
]


def measures_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "town_ags": TOWN,
            "measure_id": [m[0] for m in MEASURES],
            "goal_id": "g",
            "title": [f"Maßnahme {m[0]}" for m in MEASURES],
            "lead_sector": "administration",
            "start": START,
            "due": [m[2] for m in MEASURES],
            "status": [m[1] for m in MEASURES],
            "level": range(1, 8),
            "source_file": "ziele.xlsx",
            "source_row": range(2, 9),
        }
    )


def test_measures_overdue_flag_and_values() -> None:
    clean = make_clean({"stg_measures": measures_frame()})
    result = goal_frames(clean, empty_values())
    measures = result.measures
    assert list(measures.columns) == MEASURE_COLUMNS
    assert dict(zip(measures["measure_id"], measures["overdue"], strict=True)) == {m[0]: m[3] for m in MEASURES}
    assert (measures["as_of"] == AS_OF).all()
    values = result.values.set_index("indicator")
    assert list(result.values.columns) == VALUE_COLUMNS
    done = values.loc["measures_done_share"]
    assert done["value"] == pytest.approx(1 / 6) and done["n"] == 6  # 7 measures − 1 abgebrochen
    overdue = values.loc["measures_overdue"]
    assert overdue["value"] == 2 and overdue["n"] == 7
    assert (result.values["year"] == AS_OF.year).all()
    assert (result.values["breakdown"] == "").all() and not result.values["suppressed"].any()
    assert (result.values["source_files"] == "ziele.xlsx").all()


def test_goal_linked_to_overdue_measures_reads_the_as_of_count() -> None:
    clean = make_clean(
        {
            "stg_goals": pd.DataFrame([goal("fewer_overdue", baseline=6, target=0, indicator="measures_overdue")]),
            "stg_measures": measures_frame(),
        }
    )
    row = goal_frames(clean, empty_values()).goals.set_index("goal_id").loc["fewer_overdue"]
    assert row["current"] == 2 and row["current_date"] == AS_OF
    assert row["progress"] == pytest.approx(4 / 6)
    assert row["status"] == "on_track"


def test_all_cancelled_gives_no_done_share() -> None:
    frame = measures_frame()
    frame["status"] = "abgebrochen"
    values = goal_frames(make_clean({"stg_measures": frame}), empty_values()).values
    assert values["indicator"].tolist() == ["measures_overdue"]
    assert values["value"].tolist() == [0.0]


def test_missing_inputs_give_empty_frames() -> None:
    result = goal_frames(make_clean({}), empty_values())
    assert list(result.goals.columns) == GOAL_COLUMNS and result.goals.empty
    assert list(result.measures.columns) == MEASURE_COLUMNS and result.measures.empty
    assert list(result.values.columns) == VALUE_COLUMNS and result.values.empty
    assert list(result.goal_values.columns) == ["town_ags", "goal_id", "date", "value"]


# --- status history (brief §5.5, issue 11) ------------------------------------------------------------------

HIST_START = dt.date(2022, 1, 1)
HIST_END = dt.date(2026, 1, 1)
HIST_AS_OF = dt.date(2024, 6, 30)


def history_goal(goal_id: str = "h") -> dict:
    return goal(goal_id, 0, 100) | {"baseline_date": HIST_START, "target_date": HIST_END}


def test_status_history_has_every_year_end_and_the_as_of_date() -> None:
    clean = make_clean(
        {
            "stg_goals": pd.DataFrame([history_goal()]),
            "stg_measurements": pd.DataFrame(
                [measurement("h", 10, dt.date(2022, 12, 31)), measurement("h", 45, dt.date(2023, 12, 31))]
                + [measurement("h", 90, dt.date(2024, 12, 31))]  # after the as-of date: never counts
            ),
        },
        as_of=HIST_AS_OF,
    )
    result = goal_frames(clean, empty_values())
    history = result.status.set_index("year")
    assert list(result.status.columns) == STATUS_COLUMNS
    assert history.index.tolist() == [2022, 2023, 2024]
    assert history["status_date"].tolist() == [dt.date(2022, 12, 31), dt.date(2023, 12, 31), HIST_AS_OF]
    assert history["current"].tolist() == [10, 45, 45]
    assert history.loc[2022, "previous_date"] is None and math.isnan(history.loc[2022, "previous"])
    assert history.loc[2023, "previous"] == 10 and history.loc[2023, "previous_date"] == dt.date(2022, 12, 31)
    span = (HIST_END - HIST_START).days
    for year, row in history.iterrows():
        elapsed = (pd.Timestamp(row["status_date"]) - pd.Timestamp(HIST_START)).days
        assert row["expected"] == pytest.approx(elapsed / span), year
    # expected 0.249, 0.499, 0.624: 0.10 is at risk, 0.45 on track at the end of 2023, at risk by mid-2024
    assert history["status"].tolist() == ["at_risk", "on_track", "at_risk"]
    now = result.goals.set_index("goal_id").loc["h"]  # mart_goals is the as-of row
    assert now["status"] == history.loc[2024, "status"] and now["current"] == history.loc[2024, "current"]
    assert now["expected"] == pytest.approx(history.loc[2024, "expected"])


def test_a_year_before_the_first_measurement_has_no_data() -> None:
    clean = make_clean(
        {"stg_goals": pd.DataFrame([history_goal()]), "stg_measurements": pd.DataFrame([measurement("h", 50)])},
        as_of=HIST_AS_OF,
    )
    history = goal_frames(clean, empty_values()).status.set_index("year")
    assert history.loc[2022, "status"] == "no_data" and history.loc[2023, "status"] == "no_data"
    assert math.isnan(history.loc[2023, "current"]) and history.loc[2023, "current_date"] is None


def history_measures() -> pd.DataFrame:
    rows = [
        # id, status, start, due, lead
        ("M1", "umgesetzt", dt.date(2022, 3, 1), dt.date(2023, 3, 1), "politics"),  # done from 1.3.2023
        ("M2", "laufend", dt.date(2022, 3, 1), dt.date(2023, 5, 1), "administration"),  # overdue from 2.5.2023
        ("M3", "verzögert", dt.date(2023, 1, 1), dt.date(2025, 1, 1), "administration"),  # delayed, not yet due
        ("M4", "abgebrochen", dt.date(2022, 3, 1), dt.date(2022, 6, 1), "business"),  # never counts
        ("M5", "umgesetzt", dt.date(2023, 2, 1), None, "civil_society"),  # done, date unknown: from as-of on
        ("M6", "geplant", dt.date(2022, 5, 1), dt.date(2022, 9, 1), "administration"),  # overdue since 2.9.2022
    ]
    return pd.DataFrame(
        {
            "town_ags": TOWN,
            "measure_id": [r[0] for r in rows],
            "goal_id": "h",
            "title": [f"Maßnahme {r[0]}" for r in rows],
            "lead_sector": [r[4] for r in rows],
            "start": [r[2] for r in rows],
            "due": [r[3] for r in rows],
            "status": [r[1] for r in rows],
            "level": 1,
            "source_file": "ziele.xlsx",
            "source_row": range(2, 2 + len(rows)),
        }
    )


def test_measures_of_past_year_ends_from_due_date_and_todays_status() -> None:
    clean = make_clean(
        {"stg_goals": pd.DataFrame([history_goal()]), "stg_measures": history_measures()}, as_of=HIST_AS_OF
    )
    result = goal_frames(clean, empty_values())
    history = result.status.set_index("year")
    assert history["measures"].tolist() == [5, 5, 5]  # M4 cancelled: counted at no date
    assert history["measures_done"].tolist() == [0, 1, 2]  # M1 from its due date, M5 only as of the as-of date
    assert history["measures_overdue"].tolist() == [1, 2, 2]  # M6 from 2022, M2 from 2023
    assert pd.isna(history.loc[2022, "measures_delayed"]) and pd.isna(history.loc[2023, "measures_delayed"])
    assert history.loc[2024, "measures_delayed"] == 1  # M3: verzögert, not yet due (known today only)
    assert history.loc[2022, "late_lead_sectors"] == "administration"
    assert history.loc[2024, "late_lead_sectors"] == "administration"  # M2, M3, M6 all administration
    values = result.values.set_index(["indicator", "year"])
    # the town's figures per year end from the first start year (2022), then as of the as-of date
    assert values.loc["measures_done_share", "value"].to_dict() == pytest.approx({2022: 0.0, 2023: 0.2, 2024: 0.4})
    assert values.loc["measures_overdue", "value"].to_dict() == {2022: 1.0, 2023: 2.0, 2024: 2.0}
    assert (values.loc["measures_overdue", "n"] == 6).all() and (values.loc["measures_done_share", "n"] == 5).all()
    # on the as-of date the rules are those of §5.5: the flag of mart_measures agrees
    flags = result.measures.set_index("measure_id")["overdue"]
    assert int(flags.sum()) == values.loc[("measures_overdue", 2024), "value"]


def test_late_lead_sectors_most_first() -> None:
    frame = history_measures()
    frame.loc[frame["measure_id"] == "M6", "lead_sector"] = "politics"
    frame.loc[frame["measure_id"] == "M3", "lead_sector"] = "politics"
    clean = make_clean({"stg_goals": pd.DataFrame([history_goal()]), "stg_measures": frame}, as_of=HIST_AS_OF)
    history = goal_frames(clean, empty_values()).status.set_index("year")
    assert history.loc[2024, "late_lead_sectors"] == "politics,administration"  # 2 politics, 1 administration


def test_goal_linked_to_measures_reads_year_end_figures() -> None:
    clean = make_clean(
        {
            "stg_goals": pd.DataFrame([history_goal() | {"indicator": "measures_overdue", "baseline": 3, "target": 0}]),
            "stg_measures": history_measures(),
        },
        as_of=HIST_AS_OF,
    )
    result = goal_frames(clean, empty_values())
    series = result.goal_values
    assert series["date"].tolist() == [dt.date(2022, 12, 31), dt.date(2023, 12, 31), HIST_AS_OF]
    assert result.status.set_index("year")["current"].tolist() == [1.0, 2.0, 2.0]
