"""Page module (Dash Pages): registration, layout and callbacks; the logic lives in dashboard.views.methods
and, for the "Daten & Zitieren" panel (issue 17), dashboard.views.citing."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard.components import ids
from dashboard.components.chart_card import chart_card, prefilled, register_chart
from dashboard.components.titles import page_title
from dashboard.i18n import norm_lang, t
from dashboard.state import Unavailable, current_db, load_view
from dashboard.views.citing import Citing, citing
from dashboard.views.methods import (
    SPECS,
)
from etl import warehouse

CITING = "methods-citing"

dash.register_page(__name__, path="/methodik", name="Daten & Methodik", title=page_title("page.methods"), order=5)


def layout(lang: str = "de", **_query: str) -> html.Div:
    lang = "en" if lang == "en" else "de"
    page = html.Div(
        [
            html.H1(t("page.methods", lang), className="h3"),
            html.P(t("methods.lead", lang), className="lead-text"),
            dbc.Card(dbc.CardBody(html.Div(id=CITING)), className="mb-3 citing-card"),
            dbc.Row([chart_card(s, lang) for s in SPECS]),
        ]
    )
    return prefilled(page, {**_query, "lang": lang})


def citing_panel(data: Citing, lang: str) -> list:
    """The panel's content: title, package download, citation, licence, the kept runs with their links."""
    runs = [
        html.Li(
            [
                t("citing.run", lang, run=r.run_id, date=r.date),
                " – ",
                html.A(t("citing.view", lang), href=r.view),
                " · ",
                html.A(t("citing.package", lang), href=r.package, download=""),
            ]
        )
        for r in data.runs
    ]
    return [
        html.H2(t("citing.title", lang), className="h5 card-title"),
        html.P(t("citing.lead", lang)),
        html.P(
            html.A(t("citing.download", lang, run=data.run_id), href=data.package, download="", id="citing-download")
        ),
        html.P([html.Strong(t("citing.cite", lang) + ": "), html.Span(data.citation, id="citing-text")]),
        html.P(
            [
                html.Strong(t("citing.licence", lang) + ": "),
                html.A(f"{data.licence_title} ({data.licence_spdx})", href=data.licence_url, rel="license noopener"),
            ]
        ),
        html.H3(t("citing.runs", lang), className="h6"),
        html.Ul(runs, id="citing-runs"),
    ]


@callback(Output(CITING, "children"), Input(ids.TOWN, "value"), Input(ids.YEAR, "value"), Input(ids.LANG, "data"))
def update_citing(town: str | None, year: str | None, lang: str | None) -> list:
    lang = norm_lang(lang)
    view = load_view(town, year, lang)
    if isinstance(view, Unavailable):
        return [html.P(view.message)]
    try:
        data = citing(view.town, None if view.is_network else view.town_name, lang, current_db(), view.year)
    except warehouse.WarehouseError as exc:
        return [html.P(exc.text(lang))]
    return citing_panel(data, lang)


for _spec in SPECS:
    register_chart(_spec)
