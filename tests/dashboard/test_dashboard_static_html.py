"""Big tables as one Dash component (issue 13): :func:`static` keeps the html tree's elements, attributes and
text, turns a dcc.Link into a link, and leaves a tree with any other component as it was."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard.components.static_html import StaticHtml, static
from dashboard.tables import TableColumn, html_table


def test_a_table_becomes_one_component_with_the_same_markup() -> None:
    frame = pd.DataFrame({"series": ["Ehrenamt <b>", "Sport"], "value": [0.397, None], "suppressed": [False, True]})
    columns = [TableColumn("series", "col.indicator"), TableColumn("value", "col.value", "value")]
    table = html_table(frame, columns, "de", caption="Quote", reason="weniger als 5 Antworten")
    flat = static(table)
    assert isinstance(flat, StaticHtml)
    region = flat.tree
    assert region["t"] == "div" and region["p"]["role"] == "region" and region["p"]["aria-label"] == "Quote"
    assert region["p"]["tabIndex"] == "0"
    tab = region["c"]
    assert tab["t"] == "table" and tab["p"]["className"] == "table table-sm table-striped data-table"
    caption, head, body = tab["c"]
    assert caption == {"t": "caption", "p": {}, "c": "Quote"}
    assert [th["p"]["scope"] for th in head["c"]["c"]] == ["col", "col"]
    first, second = body["c"]
    assert first["c"][0]["c"] == "Ehrenamt <b>"  # text, escaped by React in the browser, never markup
    cell = table.children.children[2].children[0].children[1]  # the html component the node stands for
    assert first["c"][1] == {"t": "td", "p": {"className": "num"}, "c": cell.children}
    hidden, told = second["c"][1]["c"]  # the suppressed cell: "–" with its reason for screen readers
    assert hidden["p"] == {"title": "weniger als 5 Antworten", "aria-hidden": "true"}
    assert told == {"t": "span", "p": {"className": "visually-hidden"}, "c": "weniger als 5 Antworten"}


def test_links_navigate_and_other_components_stay_dash_components() -> None:
    row = html.Th(dcc.Link("Musterstadt", href="/ziele?town=01001000", className="x"), scope="row")
    assert static(row).tree["c"] == {
        "t": "a",
        "p": {"href": "/ziele?town=01001000", "className": "x"},
        "c": "Musterstadt",
        "link": True,
    }
    for kept in (html.Div([html.P("a"), dcc.Graph(id="g")]), html.Div(dcc.Link("x", href="/", refresh=True))):
        assert static(kept) is kept
    assert static("kein Baum") == "kein Baum"
    assert static([html.P("a"), "b"]).tree == [{"t": "p", "p": {}, "c": "a"}, "b"]
