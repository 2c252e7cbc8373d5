"""Page module (Dash Pages): registration, layout and callbacks; the logic lives in dashboard.views.goals."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard.components import ids
from dashboard.components.chart_card import (
    chart_card,
    prefilled,
    register_chart,
    select,
    url_param_sync,
)
from dashboard.components.static_html import static
from dashboard.components.titles import page_title
from dashboard.i18n import t
from dashboard.state import Unavailable, load_view
from dashboard.views.goals import (
    GOAL,
    SPECS,
    at_a_glance,
)
from etl import warehouse

dash.register_page(__name__, path="/ziele", name="Ziele & Maßnahmen", title=page_title("page.goals"), order=3)


_goal_store, _register_goal = url_param_sync(GOAL, "goal")


GLANCE = "goals-glance"


def glance_card(lang: str, prefix: str) -> dbc.Col:
    """The card of the goals at a glance (town) or "Wo hakt es?" (network), filled by a callback."""
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.H2(t("glance.title", lang), id=f"{prefix}-title", className="h5 card-title"),
                    html.P(t("glance.lead", lang), id=f"{prefix}-lead", className="chart-note"),
                    html.Div(id=prefix, **{"aria-live": "polite"}),
                ]
            ),
            className="chart-card glance-card",
        ),
        lg=12,
        className="mb-4",
    )


def layout(lang: str = "de", goal: str = "", **_query: str) -> html.Div:
    lang = "en" if lang == "en" else "de"
    controls = [
        select(GOAL, t("goals.choose", lang), [{"label": goal, "value": goal}] if goal else [], goal or None),
        _goal_store,
    ]
    cards = [
        glance_card(lang, GLANCE),
        chart_card(SPECS[0], lang, width=12),
        chart_card(SPECS[1], lang, controls=controls, width=6),
        chart_card(SPECS[2], lang, width=6),
    ]
    page = html.Div(
        [
            html.H1(t("page.goals", lang), className="h3"),
            html.P(t("goals.lead", lang), className="lead-text"),
            dbc.Row(cards),
        ]
    )
    return prefilled(page, {**_query, "lang": lang})


@callback(
    Output(GOAL, "options"),
    Output(GOAL, "value"),
    Input(ids.TOWN, "value"),
    Input(ids.YEAR, "value"),
    Input(ids.LANG, "data"),
    Input(GOAL, "value"),
)
def goal_options(town: str | None, year: object, lang: str, current: str | None) -> tuple[list[dict], str | None]:
    """The goal selector lists the town's goals; a goal from the URL is kept when the town has it."""
    view = load_view(town, year, lang)
    if isinstance(view, Unavailable) or view.is_network:
        return [], None
    goals = warehouse.goals(town=view.town, db=view.db)
    options = [{"label": f"{g} {title}", "value": g} for g, title in zip(goals["goal_id"], goals["title"], strict=True)]
    keep = current if current in set(goals["goal_id"]) else (options[0]["value"] if options else None)
    return options, keep


@callback(
    Output(GLANCE, "children"),
    Output(f"{GLANCE}-title", "children"),
    Output(f"{GLANCE}-lead", "children"),
    Input(ids.TOWN, "value"),
    Input(ids.YEAR, "value"),
    Input(ids.LANG, "data"),
)
def update_glance(town: str | None, year: object, lang: str) -> tuple:
    """The goals of the selected town at a glance, or the network's "Wo hakt es?", of the selected year."""
    with warehouse.same_run():
        return glance_outputs(town, year, lang)


def glance_outputs(town: str | None, year: object, lang: str) -> tuple:
    view = load_view(town, year, lang)
    if isinstance(view, Unavailable):
        return html.P(view.message), t("glance.title", view.lang), ""
    table, _as_of = at_a_glance(view)
    table = static(table)  # one component, not one per cell (issue 13)
    if view.is_network:
        return table, t("stick.title", view.lang), t("stick.lead", view.lang)
    return table, t("glance.title", view.lang), t("glance.lead", view.lang)


for _spec in SPECS:
    register_chart(_spec)


_register_goal()
