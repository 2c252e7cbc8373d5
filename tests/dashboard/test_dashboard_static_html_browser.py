"""Big tables as one Dash component (issue 13), in Chromium: the pages show their tables' cells while Dash's
layout holds no html.Td/html.Tr component (each table is one StaticHtml), and a town's link in the network's
"Wo hakt es?" table still navigates inside the app (no page reload), as a dcc.Link does."""

from __future__ import annotations

import pytest
from dash_settle import settle

from etl import warehouse

pytestmark = pytest.mark.browser

# Dash components in the renderer's layout, by type
TYPES = """() => {
  const n = {};
  const walk = c => {
    if (Array.isArray(c)) { c.forEach(walk); return; }
    if (!c || typeof c !== 'object' || !c.type) { return; }
    n[c.type] = (n[c.type] || 0) + 1;
    Object.values(c.props || {}).forEach(v => { if (v && typeof v === 'object') { walk(v); } });
  };
  walk(window.store.getState().layout.components);
  return n;
}"""


@pytest.mark.parametrize("path", ["/", "/engagement", "/ziele", "/vergleich", "/methodik"])
def test_tables_are_drawn_without_a_dash_component_per_cell(app_url: str, page, path: str) -> None:  # noqa: ANN001
    page.goto(f"{app_url}{path}?town=netzwerk")
    settle(page)
    page.wait_for_selector(".table-region td", state="attached")
    cells = page.locator(".table-region td").count()
    types = page.evaluate(TYPES)
    assert cells > 0 and types.get("StaticHtml", 0) > 0, types
    assert not {"Td", "Tr", "Th", "Table"} & set(types), types
    assert page.errors == []


def test_a_town_link_in_the_network_table_navigates_inside_the_app(app_url: str, demo_warehouse: str, page) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/ziele?town=netzwerk")
    settle(page)
    page.evaluate("() => { window.__same_document = true; }")
    link = page.locator(".sticking-table tbody tr th a").first
    href = link.get_attribute("href")
    town = page.locator(".sticking-table tbody tr").first.get_attribute("data-town")
    assert town in set(warehouse.towns(db=demo_warehouse)["ags"]) and f"town={town}" in href
    link.click()
    page.wait_for_function(f"() => document.getElementById('shell-town').value === '{town}'")
    settle(page)
    assert f"town={town}" in page.url
    assert page.evaluate("() => window.__same_document === true")  # pushState, not a reload
    assert page.locator(".glance-table").count() == 1  # the town's glance replaced the network's table
    assert page.errors == []


HOSTILE = """() => {
  const host = document.createElement('div');
  document.body.appendChild(host);
  const tree = {t: 'div', p: {}, c: [
    {t: 'a', p: {href: 'java\\tscript:window.__ran = 1', onClick: 'window.__ran = 2', onmouseover: 'x'}, c: 'a'},
    {t: 'a', p: {href: 'JavaScript:window.__ran = 3'}, c: 'b', link: true},
    {t: 'a', p: {href: '/ziele?town=netzwerk'}, c: 'c'},
    {t: 'img', p: {src: 'data:image/svg+xml,<svg onload=window.__ran=4>', alt: ''}},
    {t: 'td', p: {dangerouslySetInnerHTML: {__html: '<b id=evil>x</b>'}}},
    '<script>window.__ran = 5</script>',
  ]};
  ReactDOM.render(React.createElement(window.engage_static.StaticHtml, {tree: tree}), host);
  return {html: host.innerHTML, hrefs: [...host.querySelectorAll('a')].map(a => a.getAttribute('href')),
          src: host.querySelector('img').getAttribute('src'), ran: window.__ran || 0};
}"""


def test_the_tree_never_carries_script(app_url: str, page) -> None:  # noqa: ANN001
    """Whatever text reaches a tree's attributes, no URL runs script, no handler or raw HTML is set, and text stays
    text (defence in depth: the trees are built on the server from html components)."""
    page.goto(f"{app_url}/methodik?town=netzwerk")
    settle(page)
    drawn = page.evaluate(HOSTILE)
    assert drawn["hrefs"][:2] == ["about:blank", "about:blank"] and drawn["src"] == "about:blank"
    assert drawn["hrefs"][2] == "/ziele?town=netzwerk"
    assert drawn["ran"] == 0
    assert "evil" not in drawn["html"] and "onmouseover" not in drawn["html"].lower()
    assert "&lt;script&gt;" in drawn["html"]


def test_the_meeting_screens_draw_their_table_as_one_component(app_url: str, demo_warehouse: str, page) -> None:  # noqa: ANN001
    """The Sitzungsmodus's "Wo hakt es?" (network) and glance (town) tables, like the pages' tables."""
    for town in ("netzwerk", str(warehouse.towns(db=demo_warehouse)["ags"].iloc[0])):
        page.goto(f"{app_url}/sitzung?town={town}&screen=4")
        settle(page)
        page.wait_for_selector("#meeting-goals-tiles table td", state="attached")
        types = page.evaluate(TYPES)
        assert types.get("StaticHtml", 0) > 0 and not {"Td", "Tr", "Th", "Table"} & set(types), (town, types)
        assert page.errors == []
