"""Page module (Dash Pages): registration, layout and callbacks; the logic lives in dashboard.views.collaboration."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.chart_card import chart_card, prefilled, register_chart
from dashboard.components.titles import page_title
from dashboard.i18n import t
from dashboard.views.collaboration import (
    SPECS,
)

dash.register_page(
    __name__, path="/zusammenarbeit", name="Zusammenarbeit", title=page_title("page.collaboration"), order=2
)


def layout(lang: str = "de", **_query: str) -> html.Div:
    lang = "en" if lang == "en" else "de"
    cards = [chart_card(SPECS[0], lang, width=7), chart_card(SPECS[1], lang, width=5)]
    cards += [chart_card(s, lang, width=6) for s in SPECS[2:]]
    page = html.Div(
        [
            html.H1(t("page.collaboration", lang), className="h3"),
            html.P(t("collab.lead", lang), className="lead-text"),
            dbc.Row(cards),
        ]
    )
    return prefilled(page, {**_query, "lang": lang})


for _spec in SPECS:
    register_chart(_spec)
