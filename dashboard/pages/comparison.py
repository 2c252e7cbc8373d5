"""Page module (Dash Pages): registration, layout and callbacks; the logic lives in dashboard.views.comparison."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.chart_card import (
    chart_card,
    prefilled,
    register_chart,
    select,
    url_param_sync,
)
from dashboard.components.titles import page_title
from dashboard.i18n import t
from dashboard.views.comparison import (
    ALL,
    DEFAULT_INDICATOR,
    IND,
    PEER,
    SPEC,
    _options,
)
from etl import warehouse

dash.register_page(__name__, path="/vergleich", name="Städtevergleich", title=page_title("page.comparison"), order=4)


_ind_store, _register_ind = url_param_sync(IND, "indicator")


_peer_store, _register_peer = url_param_sync(PEER, "peer")


def layout(lang: str = "de", indicator: str = "", peer: str = "", **_query: str) -> html.Div:
    lang = "en" if lang == "en" else "de"
    try:
        indicators, peers = _options(lang)
    except warehouse.WarehouseError:
        indicators, peers = [{"label": DEFAULT_INDICATOR, "value": DEFAULT_INDICATOR}], []
    values = {o["value"] for o in indicators}
    chosen = (
        indicator
        if indicator in values
        else (DEFAULT_INDICATOR if DEFAULT_INDICATOR in values else indicators[0]["value"])
    )
    peer_values = {o["value"] for o in peers}
    controls = [
        select(IND, t("part.indicator", lang), indicators, chosen),
        select(PEER, t("cmp.peer", lang), peers, peer if peer in peer_values else ALL),
        _ind_store,
        _peer_store,
    ]
    page = html.Div(
        [
            html.H1(t("page.comparison", lang), className="h3"),
            html.P(t("cmp.lead", lang), className="lead-text"),
            dbc.Row([chart_card(SPEC, lang, controls=controls)]),
        ]
    )
    return prefilled(page, {**_query, "lang": lang})


register_chart(SPEC)


_register_ind()


_register_peer()
