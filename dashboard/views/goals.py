"""Ziele & Maßnahmen: each goal's progress against the expected progress, its trend and its measures.

Status colours follow :mod:`dashboard.palette` and every bar also names its status in words. The
network view counts the goals of all towns by status (from the stored statuses, nothing recomputed).
"""

from __future__ import annotations

import pandas as pd

from dashboard.components.chart_card import (
    ChartResult,
    ChartSpec,
    empty_result,
)
from dashboard.figures import bar_figure, goal_progress, goal_trend
from dashboard.formatting import fmt_int, fmt_value
from dashboard.i18n import label, t
from dashboard.palette import STATUS
from dashboard.state import View
from dashboard.tables import TableColumn
from etl import warehouse

GOAL = "goals-choose"
STATUS_ORDER = ["achieved", "on_track", "at_risk", "off_track", "no_data"]
MEASURE_ORDER = ["geplant", "laufend", "umgesetzt", "verzögert", "abgebrochen"]


def _goal_unit(goal: pd.Series, cat: pd.DataFrame) -> str:
    indicator = goal.get("indicator")
    if isinstance(indicator, str) and indicator in cat.index:
        return str(cat.at[indicator, "unit"])
    return "index"


def progress(view: View, _c: dict[str, object]) -> ChartResult:
    """Town: each goal's progress and expected progress; network: goals of all towns by status."""
    goals = warehouse.goals(town=view.town, db=view.db)
    if goals.empty:
        return empty_result(t("msg.no_data", view.lang), view.lang)
    if view.is_network:
        counts = goals["status"].value_counts().reindex(STATUS_ORDER, fill_value=0)
        frame = pd.DataFrame(
            {
                "status": counts.index,
                "label": [label("status", s, view.lang) for s in counts.index],
                "value": counts.to_numpy(dtype=float),
                "low": float("nan"),
                "high": float("nan"),
                "suppressed": False,
            }
        )
        figure = bar_figure(frame, "count", view.lang, view.reason, colours=[STATUS[s] for s in frame["status"]])
        columns = [TableColumn("label", "col.status"), TableColumn("value", "col.count", "int")]
        return ChartResult(
            figure,
            frame[["status", "label", "value"]],
            columns,
            [t("goals.status_counts", view.lang) + f": {fmt_int(len(goals), view.lang)}"],
        )
    cat = series_catalogue(view)
    frame = goals.assign(
        label=goals["goal_id"] + " " + goals["title"],
        unit=[_goal_unit(g, cat) for _, g in goals.iterrows()],
        status_label=[label("status", s, view.lang) for s in goals["status"]],
    )
    columns = [
        TableColumn("goal_id", "col.goal"),
        TableColumn("title", "col.title"),
        TableColumn("principle", "col.principle"),
        TableColumn("baseline", "col.baseline", "value"),
        TableColumn("current", "col.current", "value"),
        TableColumn("target", "col.target", "value"),
        TableColumn("target_date", "col.target_date", "date"),
        TableColumn("progress", "col.progress", "share"),
        TableColumn("expected", "col.expected", "share"),
        TableColumn("status_label", "col.status"),
    ]
    notes = [t("goals.as_of", view.lang, date=_date(goals["as_of"].iloc[0], view.lang))]
    return ChartResult(goal_progress(frame, view.lang), frame.drop(columns=["label"]), columns, notes)


def series_catalogue(view: View) -> pd.DataFrame:
    return warehouse.catalogue(db=view.db).set_index("indicator")


def _date(value: object, lang: str) -> str:
    from dashboard.formatting import fmt_date

    return fmt_date(value, lang)  # type: ignore[arg-type]


def trend(view: View, controls: dict[str, object]) -> ChartResult:
    """The chosen goal's values over time with baseline and target; town only."""
    if view.is_network:
        return empty_result(t("msg.town_only", view.lang), view.lang)
    goals = warehouse.goals(town=view.town, db=view.db)
    if goals.empty:
        return empty_result(t("msg.no_data", view.lang), view.lang)
    chosen = str(controls.get(GOAL) or "")
    if chosen not in set(goals["goal_id"]):
        chosen = str(goals["goal_id"].iloc[0])
    goal = goals[goals["goal_id"] == chosen].iloc[0]
    values = warehouse.goal_values(town=view.town, goal=chosen, db=view.db)
    unit = _goal_unit(goal, series_catalogue(view))
    title = f"{goal['goal_id']} {goal['title']}"
    if values.empty:
        return empty_result(f"{title}: {t('msg.no_data', view.lang)}", view.lang)
    columns = [TableColumn("date", "col.date", "date"), TableColumn("value", "col.value", "value", unit=unit)]
    notes = [f"{title} · {label('status', goal['status'], view.lang)}"]
    return ChartResult(
        goal_trend(values, float(goal["baseline"]), float(goal["target"]), unit, view.lang),
        values[["goal_id", "date", "value"]],
        columns,
        notes,
    )


def measures(view: View, _c: dict[str, object]) -> ChartResult:
    """Measures by status (bars) and the list with due date, overdue flag and Wirkungstreppe level."""
    frame = warehouse.measures(town=view.town, db=view.db)
    if frame.empty:
        return empty_result(t("msg.no_data", view.lang), view.lang)
    counts = frame["status"].value_counts().reindex(MEASURE_ORDER, fill_value=0)
    bars = pd.DataFrame(
        {
            "label": [label("measure_status", s, view.lang) for s in counts.index],
            "value": counts.to_numpy(dtype=float),
            "low": float("nan"),
            "high": float("nan"),
            "suppressed": False,
        }
    )
    figure = bar_figure(bars, "count", view.lang, view.reason, height=280)
    notes = []
    for indicator in ("measures_done_share", "measures_overdue"):
        if not view.is_network:
            stored = warehouse.indicators(town=view.town, indicator=indicator, year=view.year, db=view.db)
            if len(stored):
                cat = series_catalogue(view)
                name = (
                    str(cat.at[indicator, "name_en" if view.lang == "en" else "name_de"])
                    if indicator in cat.index
                    else indicator
                )
                unit = "share" if indicator == "measures_done_share" else "count"
                notes.append(f"{name} {view.year}: {fmt_value(stored['value'].iloc[0], unit, view.lang)}")
    data = frame.assign(
        level_label=[label("level", "" if pd.isna(v) else str(int(v)), view.lang) for v in frame["level"]],
        status_label=[label("measure_status", s, view.lang) for s in frame["status"]],
        sector_label=[label("sector", s, view.lang) for s in frame["lead_sector"].fillna("")],
    )
    columns = [
        TableColumn("measure_id", "col.measure"),
        TableColumn("goal_id", "col.goal"),
        TableColumn("title", "col.title"),
        TableColumn("sector_label", "col.lead_sector"),
        TableColumn("status_label", "col.status"),
        TableColumn("due", "col.due", "date"),
        TableColumn("overdue", "col.overdue", "bool"),
        TableColumn("level_label", "col.level"),
    ]
    if view.is_network:
        columns.insert(0, TableColumn("town_ags", "col.ags"))
    return ChartResult(figure, data, columns, notes)


SPECS = [
    ChartSpec("goals-progress", "goals.progress", progress),
    ChartSpec("goals-trend", "goals.trend", trend, controls=[(GOAL, "value")]),
    ChartSpec("goals-measures", "goals.measures", measures),
]
