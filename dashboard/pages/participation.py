"""Page module (Dash Pages): registration, layout and callbacks; the logic lives in dashboard.views.participation."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import series
from dashboard.components.chart_card import (
    chart_card,
    prefilled,
    register_chart,
    select,
    url_param_sync,
)
from dashboard.components.titles import page_title
from dashboard.i18n import label, t
from dashboard.views.districts import MAP_IND, MAP_INDICATORS, map_indicators
from dashboard.views.participation import (
    BREAKDOWN_INDICATORS,
    BREAKDOWNS,
    BY,
    IND,
    MAP_SPEC,
    RATES,
    SPECS,
)

dash.register_page(
    __name__,
    path="/engagement",
    name="Engagement & Beteiligung",
    title=page_title("page.participation"),
    order=1,
)


_ind_store, _register_ind = url_param_sync(IND, "indicator")


_by_store, _register_by = url_param_sync(BY, "by")


_map_store, _register_map = url_param_sync(MAP_IND, "map")


def layout(lang: str = "de", indicator: str = "", by: str = "", **query: str) -> html.Div:
    lang = "en" if lang == "en" else "de"
    chosen_map = query.get("map", "")
    names = {i: i for i in [*BREAKDOWN_INDICATORS, *MAP_INDICATORS]}
    on_map = list(MAP_INDICATORS)
    try:
        from dashboard.state import current_db
        from etl import warehouse

        cat = warehouse.catalogue(db=current_db()).set_index("indicator")
        on_map = map_indicators(cat)
        names = {i: series.name(cat, i, lang) for i in [*BREAKDOWN_INDICATORS, *on_map]}
    except Exception:  # noqa: BLE001 - the layout must render even without a warehouse (validation layout)
        pass
    controls = [
        select(
            IND,
            t("part.indicator", lang),
            [{"label": names[i], "value": i} for i in BREAKDOWN_INDICATORS],
            indicator if indicator in BREAKDOWN_INDICATORS else RATES[0],
        ),
        select(
            BY,
            t("part.by", lang),
            [{"label": label("breakdown", b, lang), "value": b} for b in BREAKDOWNS],
            by if by in BREAKDOWNS else BREAKDOWNS[0],
        ),
        _ind_store,
        _by_store,
    ]
    map_controls = [
        select(
            MAP_IND,
            t("part.map_indicator", lang),
            [{"label": names[i], "value": i} for i in on_map],
            chosen_map if chosen_map in on_map else on_map[0],
        ),
        _map_store,
    ]
    cards = [chart_card(SPECS[0], lang, width=6), chart_card(SPECS[1], lang, controls=controls, width=6)]
    cards += [chart_card(s, lang, width=6) for s in SPECS[2:] if s is not MAP_SPEC]
    cards.append(chart_card(MAP_SPEC, lang, controls=map_controls, width=12))
    page = html.Div(
        [
            html.H1(t("page.participation", lang), className="h3"),
            html.P(t("part.lead", lang), className="lead-text"),
            dbc.Row(cards),
        ]
    )
    return prefilled(page, {**query, "lang": lang})


for _spec in SPECS:
    register_chart(_spec)


_register_ind()


_register_by()


_register_map()
