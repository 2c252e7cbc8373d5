"""Ziele & Maßnahmen: are we on track, where not, and why – goals at a glance, progress, trend, measures.

Everything shows the goals as they stood at the end of the selected year (the current year: as of the run's
as-of date), read from ``mart_goal_status`` and labelled "Stand: …". The glance table (one row per goal,
worst status first, status mark with its word, value and target with unit and date, progress against the
expected progress, change since the previous measurement, the reason in one line) is the same component on
the Übersicht, here and in the Sitzungsmodus; its rows come from :func:`dashboard.headlines.glance_rows`.
The network view shows "Wo hakt es?": towns × status with the principles of the goals that are behind.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dash import dcc, html

from dashboard import series
from dashboard.components.chart_card import ChartResult, ChartSpec, empty_result
from dashboard.figures import bar_figure, goal_progress, goal_trend
from dashboard.formatting import fmt_date, fmt_int, fmt_value
from dashboard.headlines import (
    STATUS_MARK,
    STATUS_ORDER,
    GlanceRow,
    Headlines,
    StickRow,
    glance_rows,
    percent,
    status_date_of,
    status_year,
    sticking_rows,
)
from dashboard.i18n import label, t
from dashboard.state import View
from dashboard.tables import TableColumn, table_region
from dashboard.wording import goal_value
from etl import warehouse

GOAL = "goals-choose"
MEASURE_ORDER = ["geplant", "laufend", "umgesetzt", "verzögert", "abgebrochen"]
MEASURE_FIGURES = ("measures_done_share", "measures_overdue")


def year_status(view: View) -> tuple[pd.DataFrame, str]:
    """The goals (town or network) as they stood at the view's year end, and the "Stand: …" label."""
    as_of = warehouse.latest_run(db=view.db).as_of
    year = status_year(view.year, as_of)
    # a town: one read of its goals for every year and page
    frame = warehouse.goal_status(year=year, db=view.db) if view.is_network else series.town_goal_status(view, year)
    return frame, as_of_label(view, as_of)


def as_of_label(view: View, as_of: dt.date) -> str:
    """ "Stand: 31.12.2024" for the view's year (the run's as-of date for its year and later)."""
    return t("goals.as_of", view.lang, date=fmt_date(status_date_of(view.year, as_of), view.lang))


def indicator_units(goals: pd.DataFrame, cat: pd.DataFrame) -> list[str | None]:
    """Each goal's linked indicator's catalogue unit (None for goals measured in the plan's own unit)."""
    return [
        series.unit(cat, str(i)) if isinstance(i, str) and i and i in cat.index else None for i in goals["indicator"]
    ]


# --- the glance and "Wo hakt es?" tables (HTML, shared by the Übersicht and the Sitzungsmodus) ---------------


def status_cell(row: GlanceRow | str, lang: str) -> html.Span:
    """The status as a mark and its word (the mark carries colour, the word the meaning)."""
    status = row.status if isinstance(row, GlanceRow) else row
    mark = row.mark if isinstance(row, GlanceRow) else STATUS_MARK.get(status, "")
    word = row.status_word if isinstance(row, GlanceRow) else label("status", status, lang)
    return html.Span(
        [html.Span(mark, className=f"status-mark status-{status}", **{"aria-hidden": "true"}), " ", word],
        className="status-cell",
    )


def caption_of(title: str, as_of: str) -> html.Caption:
    """A table caption: its name (read out; the card's heading shows it) and the visible "Stand: …" date."""
    return html.Caption(
        [html.Span(f"{title} · ", className="visually-hidden"), as_of],
        className="glance-caption",
    )


def region_name(caption: html.Caption) -> str:
    """The scroll region's name: the caption's text ("Ziele auf einen Blick · Stand: 31.12.2024")."""
    hidden, as_of = caption.children
    return f"{hidden.children}{as_of}".rstrip(" ·")


def glance_table(rows: list[GlanceRow], lang: str, caption: html.Caption, big: bool = False) -> html.Div:
    """The goals at a glance as an accessible table; each goal links to its detail on the Ziele page."""
    if not rows:
        return html.Div(html.P(t("glance.none", lang), className="chart-note"), className="glance")
    head = [
        ("col.status", ""),
        ("col.goal_reason", ""),
        ("col.current", "num"),
        ("col.target_by", "num"),
        ("col.progress_expected", "num"),
        ("col.change_since", "num"),
    ]
    body = []
    for r in rows:
        goal = html.Td(
            [
                dcc.Link(f"{r.goal_id} {r.title}", href=r.href, className="glance-goal"),
                html.Span(f" ({r.principle})", className="glance-principle") if r.principle else "",
                html.Div(r.reason, className="glance-reason"),
            ]
        )
        # data-label: on a phone the row reads as a block and each figure is preceded by its column's name
        figures = [
            html.Td(
                [html.Span(value, className="glance-value"), html.Span(note, className="glance-note")],
                className="num",
                **{"data-label": t(key, lang)},
            )
            for (value, note), (key, _c) in zip(r.cells, head[2:], strict=False)
        ]
        body.append(
            html.Tr(
                [html.Td(status_cell(r, lang)), goal, *figures],
                className=f"glance-row glance-{r.status}",
                **{"data-goal": r.goal_id, "data-status": r.status},
            )
        )
    table = html.Table(
        [
            caption,
            html.Thead(html.Tr([html.Th(t(k, lang), scope="col", className=c or None) for k, c in head])),
            html.Tbody(body),
        ],
        className="table table-sm data-table glance-table" + (" glance-big" if big else ""),
    )
    return table_region(table, region_name(caption), "glance")


def sticking_table(rows: list[StickRow], lang: str, caption: html.Caption, big: bool = False) -> html.Div:
    """Towns × status ("Wo hakt es?"): counts per status, worst first, and the principles behind."""
    if not rows:
        return html.Div(html.P(t("glance.none", lang), className="chart-note"), className="glance")
    head = [html.Th(t("col.town", lang), scope="col")]
    head += [html.Th(status_cell(s, lang), scope="col", className="num") for s in STATUS_ORDER]
    head += [html.Th(t("stick.off", lang), scope="col"), html.Th(t("stick.risk", lang), scope="col")]
    body = [
        html.Tr(
            [
                html.Th(dcc.Link(r.town_name, href=r.href), scope="row"),
                *[html.Td(fmt_int(r.counts[s], lang), className="num") for s in STATUS_ORDER],
                html.Td(r.off_principles or "–"),
                html.Td(r.risk_principles or "–"),
            ],
            **{"data-town": r.town},
        )
        for r in rows
    ]
    table = html.Table(
        [caption, html.Thead(html.Tr(head)), html.Tbody(body)],
        className="table table-sm data-table sticking-table" + (" glance-big" if big else ""),
    )
    return table_region(table, region_name(caption), "glance")


def at_a_glance(view: View, h: Headlines | None = None) -> tuple[html.Div, str]:
    """The glance table (town) or "Wo hakt es?" (network) of the view's year, and its "Stand" label.

    ``h``: the view's headlines (the overview cards' callback has them): their rows, built from the same stored
    statuses, instead of building them again."""
    if h is not None and h.as_of is not None:
        as_of = as_of_label(view, h.as_of)
        if view.is_network:
            return sticking_table(h.sticking, view.lang, caption_of(t("stick.title", view.lang), as_of)), as_of
        return glance_table(h.glance, view.lang, caption_of(t("glance.title", view.lang), as_of)), as_of
    if view.is_network:
        run_as_of = warehouse.latest_run(db=view.db).as_of
        counts = warehouse.goal_status_counts(year=status_year(view.year, run_as_of), db=view.db)
        as_of = as_of_label(view, run_as_of)
        rows = sticking_rows(counts, warehouse.towns(db=view.db), view)
        return sticking_table(rows, view.lang, caption_of(t("stick.title", view.lang), as_of)), as_of
    frame, as_of = year_status(view)
    rows = glance_rows(frame, series.catalogue(view), view)
    return glance_table(rows, view.lang, caption_of(t("glance.title", view.lang), as_of)), as_of


# --- charts --------------------------------------------------------------------------------------------------


def progress(view: View, _c: dict[str, object]) -> ChartResult:
    """Town: each goal's progress and expected progress at the year's end; network: goals by status."""
    goals, as_of = year_status(view)
    if goals.empty:
        return empty_result(t("glance.none", view.lang), view.lang)
    lang = view.lang
    if view.is_network:
        counts = goals["status"].value_counts().reindex(STATUS_ORDER, fill_value=0)
        frame = pd.DataFrame(
            {
                "status": counts.index,
                "label": [label("status", s, lang) for s in counts.index],
                "value": counts.to_numpy(dtype=float),
                "low": float("nan"),
                "high": float("nan"),
                "suppressed": False,
            }
        )
        figure = bar_figure(frame, "count", lang, view.reason)  # one colour: the axis names each status
        columns = [TableColumn("label", "col.status"), TableColumn("value", "col.count", "int")]
        notes = [f"{t('goals.status_counts', lang)}: {fmt_int(len(goals), lang)} · {as_of}"]
        return ChartResult(figure, frame[["status", "label", "value"]], columns, notes)
    cat = series.catalogue(view)
    units = indicator_units(goals, cat)
    plan_units = [u if isinstance(u, str) else None for u in goals["unit"]]
    unmeasured = label("status", "no_data", lang)
    frame = goals.sort_values("goal_id").assign(
        label=goals["goal_id"] + " " + goals["title"],
        status_label=[label("status", s, lang) for s in goals["status"]],
        baseline_text=[goal_value(v, u, g, lang) for v, u, g in zip(goals["baseline"], units, plan_units, strict=True)],
        current_text=[
            goal_value(v, u, g, lang) if pd.notna(v) else unmeasured
            for v, u, g in zip(goals["current"], units, plan_units, strict=True)
        ],
        target_text=[goal_value(v, u, g, lang) for v, u, g in zip(goals["target"], units, plan_units, strict=True)],
        # a goal without a measurement says so: a bare "–" would read as a suppressed value (fewer than n answers)
        progress_text=[percent(p, lang) if pd.notna(p) else unmeasured for p in goals["progress"]],
        expected_text=[percent(p, lang) for p in goals["expected"]],
    )
    columns = [
        TableColumn("goal_id", "col.goal"),
        TableColumn("title", "col.title"),
        TableColumn("principle", "col.principle"),
        TableColumn("baseline_text", "col.baseline"),
        TableColumn("current_text", "col.current"),
        TableColumn("target_text", "col.target"),
        TableColumn("target_date", "col.target_date", "date"),
        TableColumn("progress_text", "col.progress"),
        TableColumn("expected_text", "col.expected"),
        TableColumn("status_label", "col.status"),
    ]
    figure = goal_progress(frame, lang, label_limit=40)
    notes = [as_of]
    if any(d.get("name") == t("goals.axis_break", lang) for d in figure["data"]):
        notes.append(t("goals.break_note", lang))
    data = frame.drop(columns=["label"])
    return ChartResult(figure, data, columns, notes)


def trend(view: View, controls: dict[str, object]) -> ChartResult:
    """The chosen goal's values over time with baseline and target, in the goal's unit; town only."""
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
    values = values[pd.to_datetime(values["date"]).dt.year <= view.year]
    ind_unit = indicator_units(goals[goals["goal_id"] == chosen], series.catalogue(view))[0]
    plan_unit = goal["unit"] if isinstance(goal["unit"], str) else None
    title = f"{goal['goal_id']} {goal['title']}"
    if values.empty:
        return empty_result(f"{title}: {label('status', 'no_data', view.lang)}", view.lang)
    lang = view.lang
    data = values[["goal_id", "date", "value"]].assign(
        value_text=[goal_value(v, ind_unit, plan_unit, lang) for v in values["value"]]
    )
    columns = [TableColumn("date", "col.date", "date"), TableColumn("value_text", "col.value")]
    now, as_of = year_status(view)
    status = now.loc[now["goal_id"] == chosen, "status"]
    notes = [f"{title} · {label('status', status.iloc[0] if len(status) else 'no_data', lang)} ({as_of})"]
    figure = goal_trend(
        values,
        float(goal["baseline"]),
        float(goal["target"]),
        ind_unit if ind_unit == "share" else "number",
        lang,
        value_text=lambda v: goal_value(v, ind_unit, plan_unit, lang),
    )
    return ChartResult(figure, data, columns, notes)


def status_bars(counts: pd.Series, lang: str) -> pd.DataFrame:
    """The bar frame of measure counts by status (index: status), in :data:`MEASURE_ORDER`."""
    counts = counts.reindex(MEASURE_ORDER, fill_value=0)
    return pd.DataFrame(
        {
            "label": [label("measure_status", s, lang) for s in counts.index],
            "value": counts.to_numpy(dtype=float),
            "low": float("nan"),
            "high": float("nan"),
            "suppressed": False,
        }
    )


def measures_by_town(counts: pd.DataFrame, towns: pd.DataFrame) -> pd.DataFrame:
    """One row per town: its measures by status and how many are overdue, from
    :func:`etl.warehouse.measure_counts` (counted in the database), towns by name.

    One pass over plain lists: a hundred towns' counts through pandas' pivot and group-by cost a network
    view's first answer about 40 ms (issue 13)."""
    names = dict(zip(towns["ags"].astype(str).tolist(), towns["name"].astype(str).tolist(), strict=True))
    kinds = [*MEASURE_ORDER, "overdue"]
    rows: dict[str, dict[str, int]] = {}
    columns = (counts["town_ags"].astype(str).tolist(), counts["status"].astype(str).tolist())
    numbers = (counts["measures"].astype("int64").tolist(), counts["overdue"].astype("int64").tolist())
    for town, status, n, overdue in zip(*columns, *numbers, strict=True):
        row = rows.setdefault(town, dict.fromkeys(kinds, 0))
        if status in MEASURE_ORDER:
            row[status] += n
        row["overdue"] += overdue
    order = sorted(rows, key=lambda town: (names.get(town, town), town))
    frame = pd.DataFrame(
        {
            "town_ags": pd.array(order, dtype=counts["town_ags"].dtype),
            "town_name": [names.get(town, town) for town in order],
        }
    )
    for kind in kinds:
        frame[kind] = pd.array([rows[town][kind] for town in order], dtype="int64")
    return frame


def network_measures(view: View) -> ChartResult:
    """The network's measures: by status over every town (bars) and per town (table and CSV) — the hundreds of
    single measures of a network would make an unreadable list and an answer of half a megabyte."""
    counts = warehouse.measure_counts(db=view.db)
    if counts.empty:
        return empty_result(t("msg.no_data", view.lang), view.lang)
    lang = view.lang
    bars = status_bars(counts.groupby("status")["measures"].sum(), lang)
    figure = bar_figure(bars, "count", lang, view.reason, height=280)
    as_of = warehouse.latest_run(db=view.db).as_of
    notes = [t("goals.as_of", lang, date=fmt_date(as_of, lang)) + " (" + t("goals.measures", lang) + ")"]
    notes.append(t("goals.measures_by_town", lang))
    data = measures_by_town(counts, warehouse.towns(db=view.db))
    columns = [TableColumn("town_ags", "col.ags"), TableColumn("town_name", "col.town")]
    columns += [TableColumn(s, f"col.measures_{s}", "int") for s in MEASURE_ORDER]
    columns.append(TableColumn("overdue", "col.measures_overdue", "int"))
    return ChartResult(figure, data, columns, notes)


def measures(view: View, _c: dict[str, object]) -> ChartResult:
    """Measures by status (bars) and the list with due date, overdue flag and Wirkungstreppe level; the measure
    figures of the year ("Stand: 31.12.2024"). The network: :func:`network_measures`."""
    if view.is_network:
        return network_measures(view)
    frame = warehouse.measures(town=view.town, db=view.db)
    if frame.empty:
        return empty_result(t("msg.no_data", view.lang), view.lang)
    lang = view.lang
    bars = status_bars(frame["status"].value_counts(), lang)
    figure = bar_figure(bars, "count", lang, view.reason, height=280)
    as_of = warehouse.latest_run(db=view.db).as_of
    notes = [t("goals.as_of", lang, date=fmt_date(as_of, lang)) + " (" + t("goals.measures", lang) + ")"]
    cat = series.catalogue(view)
    stored = series.town_values(view, MEASURE_FIGURES, view.year)
    for row in stored.itertuples():
        date = fmt_date(status_date_of(int(row.year), as_of), lang)
        value = fmt_value(row.value, series.unit(cat, str(row.indicator)), lang)
        notes.append(f"{series.name(cat, str(row.indicator), lang)}: {value} ({t('goals.as_of', lang, date=date)})")
    data = frame.assign(
        level_label=[label("level", "" if pd.isna(v) else str(int(v)), lang) for v in frame["level"]],
        status_label=[label("measure_status", s, lang) for s in frame["status"]],
        sector_label=[label("sector", s, lang) for s in frame["lead_sector"].fillna("")],
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
    return ChartResult(figure, data, columns, notes)


SPECS = [
    ChartSpec("goals-progress", "goals.progress", progress),
    ChartSpec("goals-trend", "goals.trend", trend, controls=[(GOAL, "value")]),
    ChartSpec("goals-measures", "goals.measures", measures),
]
