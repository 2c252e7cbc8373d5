"""Übersicht: the headline figures of the three families as cards for council members, and the goals at a
glance (town) or "Wo hakt es?" (network).

Each card shows the value of the chosen year (a year without a new measurement: the latest value with its
year), the change against the previous value worded by :func:`dashboard.headlines.change_state`, a small
trend line, the target where a goal links to the indicator, and n / interval on demand. For the whole
network the cards show the median over the towns (from ``mart_comparison``). Every statement comes from
:func:`dashboard.headlines.headlines`, the one source the Sitzungsmodus and the report use too.
"""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import series, weighting
from dashboard.components.chart_card import ChartResult, ChartSpec
from dashboard.figures import Figure, empty_figure, sparkline
from dashboard.formatting import SUPPRESSED
from dashboard.headlines import HEADLINE_INDICATORS, HeadlineFigure, Headlines, headlines
from dashboard.i18n import t
from dashboard.state import View
from dashboard.suppression import reason_for
from dashboard.tables import TableColumn
from etl import warehouse

GOALS_ON_TRACK = "goals_on_track"
HEADLINES = [*HEADLINE_INDICATORS, GOALS_ON_TRACK]
PARTS = ("value", "change", "spark", "target", "detail", "title", "summary")


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
    summary: str = ""  # the disclosure's text, naming the card ("n und Intervall zu Engagementquote")


def indicator_card(h: Headlines, figure: HeadlineFigure) -> Card:
    """The card of one stored indicator: the headline statement's value, change, target and detail, with the
    indicator's trend up to the year as a sparkline."""
    f = figure.finding
    rows = h.trend[h.trend["indicator"] == f.indicator]
    spark = sparkline(rows, f.unit, h.view.lang) if len(rows) else empty_figure("", h.view.lang, 70)
    detail = figure.detail if f.state != "suppressed" else reason_for(f.suppression, h.view.reason, h.view.lang)
    target = figure.target or t("overview.no_target", h.view.lang)
    summary = t("overview.details", h.view.lang, name=figure.name)
    return Card(figure.name, figure.value, figure.change, spark, target, detail, summary)


def goals_card(h: Headlines) -> Card:
    """Goals achieved or on track: "3 von 9" with the counts by status and the date they describe."""
    lang = h.view.lang
    g = h.goals
    blank = empty_figure("", lang, 70)
    title = t("overview.goals_title", lang)
    summary = t("overview.details_goals", lang, name=title)
    if not g.total:
        return Card(title, SUPPRESSED, g.heading, blank, "", "", summary)
    return Card(title, g.ratio, g.as_of_text, blank, g.counts_text, g.heading, summary)


def headline_cards(view: View, h: Headlines | None = None) -> list[Card]:
    """All headline cards of a view, in the order of :data:`HEADLINES`."""
    h = h or headlines(view)
    return [*(indicator_card(h, f) for f in h.figures), goals_card(h)]


def _table(view: View, _controls: dict[str, object]) -> ChartResult:
    data = series.trend(view, HEADLINE_INDICATORS)
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
                    # a figure, not a heading: a <div> (a large bold <p> reads as a heading to axe's p-as-heading)
                    html.Div(SUPPRESSED, id=card_id(indicator, "value"), className="headline-value"),
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
                            html.Summary(t("overview.details", lang, name=indicator), id=card_id(indicator, "summary")),
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


def glance_section(lang: str) -> dbc.Row:
    """The goals at a glance (town) / "Wo hakt es?" (network) below the cards, filled by the cards' callback."""
    return dbc.Row(
        dbc.Col(
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(t("glance.title", lang), id="ov-glance-title", className="h5 card-title"),
                        html.Div(id="ov-glance", **{"aria-live": "polite"}),
                    ]
                ),
                className="chart-card glance-card",
            ),
            lg=12,
            className="mb-4",
        )
    )


def overview_notes(view: View) -> list:
    """Notes above the cards: what the network view shows (and which towns' surveys are unweighted), or that
    the town's survey is unweighted and why."""
    if view.is_network:
        total = warehouse.town_count(db=view.db)
        notes = [html.P(t("msg.network_median", view.lang, n=total), className="chart-note")]
        rates = warehouse.indicators(town=None, indicator="engagement_rate", year=view.year, db=view.db)
        unweighted = weighting.network_notice(rates, view.year, total, view.lang)
        if unweighted:
            notes.append(dbc.Alert(unweighted, color="info", className="py-2"))
        return notes
    unweighted = weighting.notice(series.year_values(view, ["engagement_rate"]), view.lang)
    if unweighted:
        return [dbc.Alert(unweighted, color="info", className="py-2")]
    return []
