"""plotly.js (issue 13): the cartesian bundle only, asked for with the page's first HTML and fetched once; no
Babel polyfill, only the regenerator-runtime Dash's bundles call.

The preload's URL is the one Dash's renderer loads, so the chart takes the preloaded answer instead of a second
download; that URL answers with the vendored cartesian bundle, never with Dash's full plotly.js, and every chart of
every page (town and network, Sitzungsmodus) is drawn with trace types that bundle has. The polyfill's URL answers
with regenerator-runtime: the lazily loaded graph, which needs it, is drawn on every page without an error.

plotly.js runs once per page load, in the first idle moment (``assets/plotly-page.js``): a page without charts
(Methodik) has it before the reader clicks on, so the link to a page of charts neither fetches nor runs it again,
and dcc.Graph never adds a script element of its own beside it."""

from __future__ import annotations

import pytest
from dash_settle import settle

from dashboard.components.preload import BUNDLE, PLOTLY_PATH, REGENERATOR, polyfill_file
from dashboard.state import NETWORK
from etl import warehouse

pytestmark = pytest.mark.browser

PAGES = ["/", "/engagement", "/zusammenarbeit", "/ziele", "/vergleich", "/sitzung"]
# every graph of the page: drawn by Plotly (its SVG is there), and each trace's type one the loaded bundle knows
GRAPHS = """() => {
  const known = new Set(Object.keys(Plotly.PlotSchema.get().traces));
  return Array.from(document.querySelectorAll('.dash-graph')).map(g => {
    const gd = g.querySelector('.js-plotly-plot');
    return {id: g.id, drawn: Boolean(gd && gd.querySelector('.main-svg')),
            unknown: gd ? (gd.data || []).map(t => t.type || 'scatter').filter(t => !known.has(t)) : []};
  });
}"""


def test_plotly_is_preloaded_and_fetched_once(app_url: str, page) -> None:  # noqa: ANN001
    fetched: list[tuple[float, str]] = []
    page.on("request", lambda r: fetched.append((r.timing["startTime"], r.url)))
    bodies: list[bytes] = []
    page.on("response", lambda r: bodies.append(r.body()) if r.url.endswith("/" + PLOTLY_PATH) else None)
    page.goto(f"{app_url}/engagement")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_load_state("networkidle")
    head = page.evaluate("() => document.head.innerHTML")
    assert f'rel="preload" href="/{PLOTLY_PATH}" as="script"' in head
    urls = [url for _t, url in fetched]
    assert sum(url.endswith("/" + PLOTLY_PATH) for url in urls) == 1, urls
    layout = next(i for i, url in enumerate(urls) if "/_dash-layout" in url)
    assert next(i for i, url in enumerate(urls) if url.endswith("/" + PLOTLY_PATH)) < layout  # beside the scripts
    assert bodies == [BUNDLE.read_bytes()]  # the cartesian bundle (1,5 MB), not Dash's full plotly.js (4,8 MB)
    assert bodies[0].startswith(b"/**\n* plotly.js (cartesian - minified) v4.1.1")  # its licence header kept
    assert page.evaluate("() => typeof window.Plotly") == "object"
    assert page.errors == []


# the script elements that load plotly.js, and whether it has run (the real plotly.js, not the page's thenable)
PLOTLY_STATE = f"""() => ({{
  scripts: document.querySelectorAll('script[src$="/{PLOTLY_PATH}"]').length,
  ran: typeof window.Plotly.newPlot === 'function',
}})"""


def test_plotly_runs_on_a_page_without_charts_before_the_link_to_one(app_url: str, page) -> None:  # noqa: ANN001
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith("/" + PLOTLY_PATH) else None)
    page.goto(f"{app_url}/methodik")
    page.wait_for_function("() => typeof window.Plotly.newPlot === 'function'")  # no chart asked for it
    assert page.evaluate("() => document.querySelectorAll('.dash-graph').length") == 0
    assert page.evaluate(PLOTLY_STATE) == {"scripts": 1, "ran": True}
    page.click("#nav-participation")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    settle(page)
    assert page.evaluate(PLOTLY_STATE) == {"scripts": 1, "ran": True}  # dcc.Graph took the one that had run
    assert len(fetched) == 1, fetched
    assert page.errors == []


def test_a_page_of_charts_loads_plotly_through_one_script_element(app_url: str, page) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/engagement")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    settle(page)
    assert page.evaluate(PLOTLY_STATE) == {"scripts": 1, "ran": True}
    assert page.errors == []


def test_the_babel_polyfill_is_not_loaded_only_regenerator_runtime(app_url: str, page) -> None:  # noqa: ANN001
    polyfill = polyfill_file()  # deps/polyfill@7.12.1.min.js: Dash's URL carries a fingerprint inside the name
    stem = polyfill.rsplit("@", 1)[0]
    bodies: dict[str, bytes] = {}
    page.on("response", lambda r: bodies.update({r.url: r.body()}) if f"/dash/{stem}@" in r.url else None)
    page.goto(f"{app_url}/engagement")
    page.wait_for_selector(".js-plotly-plot .main-svg")  # the graph arrived lazily, with regeneratorRuntime
    page.wait_for_load_state("networkidle")
    [body] = bodies.values()  # the renderer's own script element, loaded before React
    assert body == REGENERATOR.read_bytes() and b"core-js" not in body  # 25 KB, not the polyfill's 100 KB
    state = page.evaluate("() => [typeof regeneratorRuntime.mark, typeof window._babelPolyfill]")
    assert state == ["function", "undefined"]  # the polyfill never ran: the built-ins are the browser's
    assert page.evaluate("() => String.prototype.trim.toString()").endswith("{ [native code] }")
    assert page.errors == []


@pytest.mark.parametrize("who", ["town", "network"])
def test_every_chart_of_every_page_is_drawn_by_the_cartesian_bundle(
    app_url: str, demo_warehouse: str, page, who: str  # noqa: ANN001
) -> None:
    town = warehouse.towns(db=demo_warehouse)["ags"].iloc[0] if who == "town" else NETWORK
    for path in PAGES:
        page.goto(f"{app_url}{path}?town={town}")
        settle(page)
        graphs = page.evaluate(GRAPHS)
        assert graphs, path
        assert [g["id"] for g in graphs if not g["drawn"] or g["unknown"]] == [], (path, graphs)
        assert page.evaluate("() => Plotly.version") == "4.1.1"
        assert page.errors == [], path
