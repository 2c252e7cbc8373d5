"""Page module (Dash Pages): registration, layout and callbacks; the logic lives in dashboard.views.methods."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.chart_card import chart_card, register_chart
from dashboard.components.titles import page_title
from dashboard.i18n import t
from dashboard.views.methods import (
    SPECS,
)

dash.register_page(
    __name__, path="/methodik", name="Daten & Methodik", title=page_title("page.methods"), order=5
)


def layout(lang: str = "de", **_query: str) -> html.Div:
    lang = "en" if lang == "en" else "de"
    return html.Div(
        [
            html.H1(t("page.methods", lang), className="h3"),
            html.P(t("methods.lead", lang), className="lead-text"),
            dbc.Row([chart_card(s, lang) for s in SPECS]),
        ]
    )


for _spec in SPECS:
    register_chart(_spec)
