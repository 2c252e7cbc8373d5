"""A page's content comes with its charts drawn, exactly as their callbacks would draw them (issue 13).

Dash Pages' page-content answer carries each chart card's figure, table, notes and table summary for the
link's town, year and language (as the shell's URL callback resolves them) and the card's control values; the
store ``{key}-shown`` names that selection, and the card's update callback then answers "no update" (204) until
the selectors change. Checked on the real app in this process (Flask's test client, the demo warehouse): the
drawn cards against the callbacks' own answers for the same inputs, the callback's 204 and its redraw, the time
budget's fallback to the callbacks, and that the validation layout stays undrawn. That a town's account sees
only its own town in these answers too is checked with the other crafted requests in ``test_signin_roles``.
"""

from __future__ import annotations

import json

import pytest
from hosting_helpers import callback_body
from plotly.utils import PlotlyJSONEncoder

from dashboard.components import chart_card
from etl import warehouse

PAGES = ["/", "/engagement", "/zusammenarbeit", "/ziele", "/vergleich", "/methodik"]
CONTENT = "_pages_content.children"


def components(node: object, found: dict[str, dict] | None = None) -> dict[str, dict]:
    """id → props of every component with a string id in a serialised layout."""
    found = {} if found is None else found
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and isinstance(props.get("id"), str):
            found[props["id"]] = props
        for value in node.values():
            components(value, found)
    elif isinstance(node, list):
        for value in node:
            components(value, found)
    return found


def page_content(client, deps: list[dict], path: str, search: str) -> dict[str, dict]:  # noqa: ANN001 - test client
    values = {"_pages_location.pathname": path, "_pages_location.search": search}
    answer = client.post("/_dash-update-component", json=callback_body(deps, CONTENT, values))
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return components(answer.get_json()["response"]["_pages_content"]["children"])


def chart_answer(client, deps: list[dict], key: str, values: dict[str, object]):  # noqa: ANN001, ANN201
    """The card's update callback answered for ``values`` (by component id)."""
    spec, _update = chart_card._FILLERS[key]  # noqa: SLF001 - the registered cards
    first = f"{key}-graph.figure" if spec.graph else f"{key}-table.children"
    return client.post("/_dash-update-component", json=callback_body(deps, first, values))


def _selection(db: str) -> tuple[str, int]:
    with warehouse.scoped(warehouse.EVERY_TOWN):
        return sorted(warehouse.towns(db=db)["ags"])[0], max(warehouse.years(db=db))


@pytest.fixture
def client_and_deps(app_and_db, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    monkeypatch.setattr(chart_card, "PREFILL_BUDGET_S", 60.0)  # every card, however slow the machine
    app, db = app_and_db
    client = app.server.test_client()
    return client, client.get("/_dash-dependencies").get_json(), db


@pytest.mark.parametrize("town_of", ["town", "netzwerk", "unknown"])
def test_every_card_of_a_page_is_drawn_as_its_callback_draws_it(client_and_deps, town_of: str) -> None:  # noqa: ANN001
    client, deps, db = client_and_deps
    own, year = _selection(db)
    link_town = {"town": own, "netzwerk": "netzwerk", "unknown": "<script>alert(1)</script>"}[town_of]
    shown_town = own if town_of == "town" else "netzwerk"  # an unknown town: the network, as the shell shows
    drawn = 0
    for path in PAGES:
        found = page_content(client, deps, path, f"?town={link_town}&year={year}&lang=de")
        for cid, props in found.items():
            key = cid.removesuffix(chart_card.SHOWN)
            if not cid.endswith(chart_card.SHOWN) or key not in chart_card._FILLERS:  # noqa: SLF001
                continue
            spec, _update = chart_card._FILLERS[key]  # noqa: SLF001
            controls = [found[c][prop] for c, prop in spec.controls]
            if props.get("data") is None:
                assert None in controls, (path, key)  # only a card whose control a callback sets (the goal)
                continue
            assert props["data"] == [shown_town, str(year), "de", *controls]
            values = {"shell-town": shown_town, "shell-year": str(year), "shell-lang": "de"}
            values |= {c: v for (c, _), v in zip(spec.controls, controls, strict=True)}
            answer = chart_answer(client, deps, key, values)  # the store left empty: drawn anew
            assert answer.status_code == 200
            response = answer.get_json()["response"]
            assert response[f"{key}-shown"]["data"] == props["data"]
            assert json.dumps(response[f"{key}-table"]["children"]) == json.dumps(found[f"{key}-table"]["children"])
            assert response[f"{key}-note"]["children"] == found[f"{key}-note"]["children"]
            assert response[f"{key}-summary"]["children"] == found[f"{key}-summary"]["children"]
            if spec.graph:
                figure = found[f"{key}-graph"]["figure"]
                assert json.dumps(response[f"{key}-graph"]["figure"]) == json.dumps(figure)
                assert "…" not in [
                    a.get("text") for a in figure["layout"].get("annotations", [])
                ]  # not the placeholder
            drawn += 1
    assert drawn >= 15  # the pages' cards (the goal's chart waits for its selector)


def test_a_drawn_card_is_not_asked_again_until_the_selection_changes(client_and_deps) -> None:  # noqa: ANN001
    client, deps, db = client_and_deps
    own, year = _selection(db)
    found = page_content(client, deps, "/engagement", f"?town={own}&year={year}&lang=de")
    shown = found["part-rates-shown"]["data"]
    values = {"shell-town": own, "shell-year": str(year), "shell-lang": "de", "part-rates-shown": shown}
    assert chart_answer(client, deps, "part-rates", values).status_code == 204  # the page's own selection
    # a first visit: the card mounted before the shell's URL callback has filled the selectors
    empty = {**values, "shell-town": None, "shell-year": None}
    assert chart_answer(client, deps, "part-rates", empty).status_code == 204
    other = chart_answer(client, deps, "part-rates", {**values, "shell-town": "netzwerk"})
    assert other.status_code == 200
    assert other.get_json()["response"]["part-rates-shown"]["data"] == ["netzwerk", str(year), "de"]
    # a card that was not drawn with the page is drawn by its callback, also before the selectors are filled
    undrawn = chart_answer(client, deps, "part-rates", {**empty, "part-rates-shown": None})
    assert undrawn.status_code == 200


def test_past_the_time_budget_the_other_cards_are_left_to_their_callbacks(client_and_deps, monkeypatch) -> None:  # noqa: ANN001
    client, deps, db = client_and_deps
    own, year = _selection(db)
    monkeypatch.setattr(chart_card, "PREFILL_BUDGET_S", 0.0)
    found = page_content(client, deps, "/engagement", f"?town={own}&year={year}&lang=de")
    shown = [props.get("data") for cid, props in found.items() if cid.endswith(chart_card.SHOWN)]
    assert len(shown) == 8 and shown[0] == [own, str(year), "de"] and shown[1:] == [None] * 7  # the first only
    assert found["part-groups-graph"]["figure"]["layout"]["annotations"][0]["text"] == "…"  # its callback's


def test_a_layout_built_outside_a_callback_is_not_drawn(app_and_db) -> None:  # noqa: ANN001 - the app's pages
    import dash

    # the pages as Dash Pages registered them (importing their modules again would register them twice)
    layouts = [p["layout"] for p in dash.page_registry.values() if p["path"] in ("/engagement", "/zusammenarbeit")]
    assert len(layouts) == 2
    for layout in layouts:  # as the validation layout builds them, on any first request
        found = components(json.loads(json.dumps(layout(), cls=PlotlyJSONEncoder)))
        stores = [props for cid, props in found.items() if cid.endswith(chart_card.SHOWN)]
        assert stores and all(props.get("data") is None for props in stores)
