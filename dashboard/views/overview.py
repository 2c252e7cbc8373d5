"""Übersicht: the headline figures of the three families as cards for council members.

Each card shows the value of the chosen year, the change against the previous year, a small trend line,
the target where a goal links to the indicator, and n / interval on demand. For the whole network the
cards show the median over the towns (from ``mart_comparison``).
"""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import series
from dashboard.components.chart_card import ChartResult, ChartSpec
from dashboard.figures import Figure, empty_figure, sparkline
from dashboard.formatting import SUPPRESSED, fmt_change, fmt_date, fmt_int, fmt_interval, fmt_value
from dashboard.i18n import t
from dashboard.state import View
from dashboard.tables import TableColumn, plain_records
from etl import warehouse

HEADLINES = [
    "engagement_rate",
    "registered_per_1000",
    "network_density",
    "equal_footing_agree",
    "goals_on_track",
    "measures_done_share",
]
GOALS_ON_TRACK = "goals_on_track"
AS_OF_INDICATORS = {"measures_done_share"}  # stored for the as-of year only
OK_STATUSES = ("achieved", "on_track")
PARTS = ("value", "change", "spark", "target", "detail", "title")


def card_id(indicator: str, part: str) -> str:
    return f"ov-{indicator}-{part}"


@dataclass
class Card:
    """What one headline card shows (all text pre-formatted)."""

    title: str
    value: str
    change: str
    spark: Figure
    target: str
    detail: str


def _goal_targets(view: View) -> pd.DataFrame:
    if view.is_network:
        return pd.DataFrame(columns=["indicator"])
    return warehouse.goals(town=view.town, db=view.db)


def indicator_card(view: View, indicator: str, rows: pd.DataFrame, goal: dict | None, cat: pd.DataFrame) -> Card:
    """The card of one stored indicator (value, change, sparkline, target, n and interval).

    ``rows``: the indicator's values over the years (:func:`dashboard.series.trend`); ``goal``: the first
    goal linked to it, if any. Works on plain records: a card is a handful of numbers, and per-row pandas
    filtering would cost more than the figure itself.
    """
    lang = view.lang
    unit = series.unit(cat, indicator)
    title = series.name(cat, indicator, lang)
    shown = rows[rows["year"] <= view.year]
    spark = sparkline(shown, unit, lang) if len(shown) else empty_figure("", lang, 70)
    records = plain_records(shown, ["year", "value", "low", "high", "n", "suppressed", "weighted"])
    now = [r for r in records if r["year"] == view.year]
    if not now and indicator in AS_OF_INDICATORS and len(rows):
        # Measures are counted as of the run's date (brief §5.5): show that figure, named by its year.
        latest = plain_records(rows.tail(1), ["year", "value", "n", "suppressed"])[0]
        return Card(
            title,
            SUPPRESSED if latest["suppressed"] else fmt_value(latest["value"], unit, lang),
            t("goals.as_of", lang, date=latest["year"]),
            spark,
            "",
            "",
        )
    if not now:
        return Card(title, SUPPRESSED, t("msg.no_data", lang), spark, "", "")
    row = now[0]
    if row["suppressed"]:
        return Card(title, SUPPRESSED, view.reason, spark, "", view.reason)
    value = fmt_value(row["value"], unit, lang)
    before = [r for r in records if r["year"] < view.year and r["value"] is not None]  # previous year or wave
    if not before:
        change = t("overview.no_change", lang)
    else:
        prev = before[-1]
        since = (
            t("overview.change", lang)
            if prev["year"] == view.year - 1
            else t("overview.since", lang, year=prev["year"])
        )
        change = f"{fmt_change(row['value'] - prev['value'], unit, lang)} {since}"
    if goal is not None:
        target = t(
            "overview.target",
            lang,
            goal=goal["goal_id"],
            target=fmt_value(goal["target"], unit, lang),
            date=fmt_date(goal["target_date"], lang),
        )
    else:
        target = t("overview.no_target", lang)
    if view.is_network:
        detail = (
            t("overview.median_of", lang, n=fmt_int(row["n"], lang))
            + " · "
            + t("cmp.quartiles", lang)
            + ": "
            + fmt_interval(row["low"], row["high"], unit, lang)
        )
    else:
        detail = t("overview.n", lang, n=fmt_int(row["n"], lang))
        if row["low"] is not None:
            detail += " · " + t("overview.ci", lang, ci=fmt_interval(row["low"], row["high"], unit, lang))
        if row["weighted"] is not None and not bool(row["weighted"]):
            detail += " · " + t("msg.unweighted", lang).split(":")[0]
    return Card(title, value, change, spark, target, detail)


def goals_card(view: View) -> Card:
    """Goals achieved or on track (share of the town's goals; network: of all towns' goals)."""
    lang = view.lang
    goals = warehouse.goals(town=view.town, db=view.db)
    title = t("overview.goals_on_track", lang)
    blank = empty_figure("", lang, 70)
    if goals.empty:
        return Card(title, SUPPRESSED, t("msg.no_data", lang), blank, "", "")
    ok = int(goals["status"].isin(OK_STATUSES).sum())
    total = len(goals)
    as_of = fmt_date(goals["as_of"].iloc[0], lang)
    return Card(
        title,
        fmt_value(ok / total, "share", lang),
        t("goals.as_of", lang, date=as_of),
        blank,
        "",
        t("overview.goals_detail", lang, ok=ok, all=total),
    )


def headline_cards(view: View) -> list[Card]:
    """All headline cards of a view, in the order of :data:`HEADLINES`."""
    cat = series.catalogue(view)
    stored = [i for i in HEADLINES if i != GOALS_ON_TRACK]
    trend = series.trend(view, stored)
    parts = {str(ind): part for ind, part in trend.groupby("indicator", sort=False)}
    goals = _goal_targets(view)
    linked = (
        {}
        if goals.empty
        else {str(r["indicator"]): r for r in goals.dropna(subset=["indicator"]).iloc[::-1].to_dict("records")}
    )
    return [
        goals_card(view)
        if i == GOALS_ON_TRACK
        else indicator_card(view, i, parts.get(i, trend.iloc[0:0]), linked.get(i), cat)
        for i in HEADLINES
    ]


def _table(view: View, _controls: dict[str, object]) -> ChartResult:
    data = series.trend(view, [i for i in HEADLINES if i != GOALS_ON_TRACK])
    data = data[data["year"] <= view.year]
    columns = [
        TableColumn("series", "col.indicator"),
        TableColumn("year", "col.year"),
        TableColumn("value", "col.value", "value"),
        TableColumn("n", "col.towns" if view.is_network else "col.n", "int"),
        TableColumn("low", "cmp.quartiles" if view.is_network else "col.ci", "interval"),
    ]
    notes = [t("msg.network_median", view.lang, n=int(data["n"].max()))] if view.is_network and len(data) else []
    return ChartResult({}, data, columns, notes)


TABLE = ChartSpec("ov-table", "overview.table_title", _table, graph=False)


def headline_card(indicator: str, lang: str) -> dbc.Col:
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.H2(indicator, id=card_id(indicator, "title"), className="h6 card-kicker"),
                    html.P(SUPPRESSED, id=card_id(indicator, "value"), className="headline-value"),
                    html.P("", id=card_id(indicator, "change"), className="headline-change"),
                    dcc.Graph(
                        id=card_id(indicator, "spark"),
                        figure=empty_figure("", lang, 70),
                        config={"displayModeBar": False, "staticPlot": False},
                        style={"height": "70px"},
                    ),
                    html.P("", id=card_id(indicator, "target"), className="headline-target"),
                    html.Details(
                        [
                            html.Summary(t("overview.details", lang)),
                            html.P("", id=card_id(indicator, "detail"), className="mb-0"),
                        ]
                    ),
                ]
            ),
            className="headline-card h-100",
        ),
        md=6,
        xl=4,
        className="mb-4",
    )


def overview_notes(view: View) -> list:
    """Notes above the cards: what the network view shows, or that the town's survey is unweighted."""
    if view.is_network:
        return [html.P(t("msg.network_median", view.lang, n=warehouse.town_count(db=view.db)), className="chart-note")]
    if series.unweighted(series.year_values(view, ["engagement_rate"])):
        return [dbc.Alert(t("msg.unweighted", view.lang), color="info", className="py-2")]
    return []
