"""plotly.js: the cartesian bundle only, asked for with the page's first HTML (issue 13).

Smaller bundle: the dashboard draws only ``scatter`` and ``bar`` traces (lines, bands, bars, the network map's
points, the district map's filled polygons on hidden axes; shapes and annotations). Dash ships the full plotly.js
(4,8 MB, every trace type, maps and 3D), which each page load must parse and evaluate before the first chart is
drawn. The URL Dash's renderer loads plotly.js from (``…/plotly/package_data/plotly.min.js``, fixed in its
``dash_renderer`` for ``serve_locally``) answers here with plotly.js's own *cartesian* distribution of the same
version (``dashboard/vendor/plotly-cartesian-4.1.1.min.js``, npm ``plotly.js-cartesian-dist-min@4.1.1``, MIT,
its licence header kept, 1,5 MB: ``bar``, ``box``, ``contour``, ``heatmap``, ``histogram*``, ``image``, ``pie``,
``scatter``, ``scatterternary``, ``violin``). The graph component and ``Plotly.downloadImage`` (the PNG/SVG
buttons) use it as they used the full one; the full bundle is never sent. The PDF report is not affected: kaleido
draws with its own plotly.js. A new trace type outside that list needs a bigger bundle (the browser console then
says the type is unknown): ``tests/dashboard/test_dashboard_preload_browser.py`` draws every page.

Preload: Dash's renderer loads plotly.js only when the first chart of a page is mounted: after the HTML, the
scripts, the layout, the page content and the shell's URL callback, i.e. three round trips into a first visit, and
the charts wait for it. A ``<link rel="preload">`` in the page's head lets the browser fetch it beside the other
scripts; the renderer's own script element (same URL) then takes the preloaded answer. Only the fetch moves
earlier: the script still runs where Dash runs it, and its caching stays as :mod:`dashboard.caching` sets it
(compressed once, revalidated with its ETag).
"""

from __future__ import annotations

from pathlib import Path

import dash
import flask

PLOTLY_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js"
PLOTLY_PACKAGE, PLOTLY_FILE = "plotly", "package_data/plotly.min.js"
BUNDLE = Path(__file__).resolve().parents[1] / "vendor" / "plotly-cartesian-4.1.1.min.js"


def plotly_url(app: dash.Dash) -> str:
    """The URL Dash's renderer loads plotly.js from when it serves its scripts itself."""
    return f"{app.config.requests_pathname_prefix}{PLOTLY_PATH}"


def install(app: dash.Dash) -> None:
    """Every page's head names plotly.js for preloading; its URL answers with the cartesian bundle."""
    original = app.interpolate_index
    link = f'<link rel="preload" href="{plotly_url(app)}" as="script">'

    def interpolate_index(**kwargs: str) -> str:
        kwargs["css"] = f"{kwargs.get('css', '')}\n{link}"
        return original(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]
    _serve_bundle(app.server)


def _serve_bundle(server: flask.Flask) -> None:
    """Dash's component-suite view, with plotly.js read from :data:`BUNDLE`; every other file as Dash serves it.

    The view is replaced, not preceded by a hook, so the sign-in gate, the compressed and finished-answer caches
    and the cache headers treat the bundle exactly as Dash's own answer (the ETag as Dash sets it: 304 when
    unchanged)."""
    endpoint = next(r.endpoint for r in server.url_map.iter_rules() if "_dash-component-suites/" in r.rule)
    dash_view = server.view_functions[endpoint]
    body = BUNDLE.read_bytes()

    def component_suites(package_name: str, fingerprinted_path: str) -> flask.Response:
        if (package_name, fingerprinted_path) != (PLOTLY_PACKAGE, PLOTLY_FILE):
            return dash_view(package_name=package_name, fingerprinted_path=fingerprinted_path)
        response = flask.Response(body, mimetype="application/javascript")  # as Dash sends .js files
        response.add_etag()
        return response.make_conditional(flask.request)

    server.view_functions[endpoint] = component_suites
