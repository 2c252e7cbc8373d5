"""Page module (Dash Pages): registration, layout and callbacks; the logic lives in dashboard.views.overview."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard.components import ids
from dashboard.components.chart_card import chart_card, prefilled, register_chart
from dashboard.components.static_html import static
from dashboard.components.titles import page_title
from dashboard.figures import empty_figure
from dashboard.formatting import SUPPRESSED
from dashboard.headlines import headlines
from dashboard.i18n import t
from dashboard.state import Unavailable, load_view
from dashboard.views.goals import at_a_glance
from dashboard.views.overview import (
    HEADLINES,
    PARTS,
    TABLE,
    card_id,
    glance_section,
    headline_card,
    headline_cards,
    overview_notes,
)
from etl import warehouse

dash.register_page(__name__, path="/", name="Übersicht", title=page_title("page.overview"), order=0)


def layout(lang: str = "de", **_query: str) -> html.Div:
    lang = "en" if lang == "en" else "de"
    page = html.Div(
        [
            html.H1(t("page.overview", lang), className="h3"),
            html.P(t("overview.lead", lang), className="lead-text"),
            html.Div(id="ov-note", **{"aria-live": "polite"}),
            html.P("", id="ov-statement", className="headline-statement"),
            dbc.Row([headline_card(i, lang) for i in HEADLINES]),
            glance_section(lang),
            dbc.Row([chart_card(TABLE, lang)]),
        ]
    )
    return prefilled(page, {**_query, "lang": lang})


@callback(
    *[Output(card_id(i, part), "figure" if part == "spark" else "children") for i in HEADLINES for part in PARTS],
    Output("ov-note", "children"),
    Output("ov-glance", "children"),
    Output("ov-glance-title", "children"),
    Output("ov-statement", "children"),
    Input(ids.TOWN, "value"),
    Input(ids.YEAR, "value"),
    Input(ids.LANG, "data"),
)
def update_cards(town: str | None, year: object, lang: str) -> tuple:
    with warehouse.same_run():
        return _cards(town, year, lang)


def _cards(town: str | None, year: object, lang: str) -> tuple:
    view = load_view(town, year, lang)
    if isinstance(view, Unavailable):
        blank = empty_figure("", view.lang, 70)
        details = [t("overview.details", view.lang, name=i) for i in HEADLINES]
        cards = [v for d in details for v in (SUPPRESSED, "", blank, "", "", "", d)]
        return (*cards, dbc.Alert(view.message, color="danger"), [], "", "")
    out: list = []
    h = headlines(view)
    for card in headline_cards(view, h):
        out += [card.value, card.change, card.spark, card.target, card.detail, card.title, card.summary]
    table, _as_of = at_a_glance(view, h)  # the rows the headlines built
    title = t("stick.title" if view.is_network else "glance.title", view.lang)
    return (*out, overview_notes(view), static(table), title, h.statement)  # one component (issue 13)


register_chart(TABLE)
