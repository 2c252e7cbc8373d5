"""The dashboard's "page not found" in the page's language (Dash Pages shows the module named
``not_found_404`` for a path no page has, e.g. after following a stale link inside the app; a stale link
opened directly gets the server's page of :func:`dashboard.auth.headers.not_found_page`, same texts)."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.components.titles import page_title
from dashboard.i18n import norm_lang, t
from dashboard.state import query_string

dash.register_page(__name__, path="/404", name="Seite nicht gefunden", title=page_title("notfound.title"))


def layout(lang: str = "de", town: str = "", year: str = "", **_query: str) -> html.Div:
    lang = norm_lang(lang)
    return html.Div(
        [
            html.H1(t("notfound.title", lang), className="h3"),
            html.P(t("notfound.text", lang)),
            html.P(dcc.Link(t("notfound.home", lang), href="/" + query_string(town or None, year or None, lang))),
        ]
    )
