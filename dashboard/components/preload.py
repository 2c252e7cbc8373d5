"""plotly.js: the cartesian bundle only, asked for with the page's first HTML; no Babel polyfill (issue 13).

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
scripts (``id="plotly-preload"``). ``assets/plotly-page.js`` runs it from that preloaded answer in the page's
first idle moment (while the renderer waits for the layout and the page content; on a page without charts before
the reader follows a link) and hands it to dcc.Graph, which adds no script element of its own. Its caching stays
as :mod:`dashboard.caching` sets it (compressed once, revalidated with its ETag).

No Babel polyfill: Dash's renderer loads ``@babel/polyfill`` 7.12 (core-js 2 and regenerator-runtime, 100 KB)
before React, for browsers of 2015. Every browser that runs React 18 has what core-js 2 adds, yet core-js still
replaces some of their built-ins with its own JavaScript (``String.prototype.trim``, because it counts U+180E as
a space, which Unicode no longer does): in a CPU profile of a first visit to "Engagement", 109 ms of the main
thread were the polyfill's, of a reload 62 ms (bench/browser.py's pages, headless Chromium on the 2-core machine).
What Dash's bundles do need of it is the global ``regeneratorRuntime`` (dash-renderer, dcc and
dash-bootstrap-components call ``regeneratorRuntime.mark`` when a lazily loaded component such as the graph
arrives): the polyfill's URL answers with regenerator-runtime 0.14.1 alone (``dashboard/vendor/``, npm
``regenerator-runtime``, MIT, 25 KB), loaded where the polyfill was, before every bundle that uses it.
"""

from __future__ import annotations

from pathlib import Path

import dash
import flask
from dash._dash_renderer import _js_dist_dependencies
from dash.fingerprint import check_fingerprint

VENDOR = Path(__file__).resolve().parents[1] / "vendor"
PLOTLY_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js"
PLOTLY_PACKAGE, PLOTLY_FILE = "plotly", "package_data/plotly.min.js"
BUNDLE = VENDOR / "plotly-cartesian-4.1.1.min.js"
REGENERATOR = VENDOR / "regenerator-runtime-0.14.1.js"


def polyfill_file() -> str:
    """The Babel polyfill's file in the ``dash`` package, as this Dash's renderer names it."""
    paths = (p for dep in _js_dist_dependencies for p in dep["relative_package_path"]["prod"])
    return next(p for p in paths if "/polyfill@" in p)


# (package, file without fingerprint) -> what its URL answers with
REPLACED = {(PLOTLY_PACKAGE, PLOTLY_FILE): BUNDLE, ("dash", polyfill_file()): REGENERATOR}


def plotly_url(app: dash.Dash) -> str:
    """The URL Dash's renderer loads plotly.js from when it serves its scripts itself."""
    return f"{app.config.requests_pathname_prefix}{PLOTLY_PATH}"


def install(app: dash.Dash) -> None:
    """Every page's head names plotly.js for preloading; its URL answers with the cartesian bundle."""
    original = app.interpolate_index
    link = f'<link rel="preload" href="{plotly_url(app)}" as="script" id="plotly-preload">'

    def interpolate_index(**kwargs: str) -> str:
        kwargs["css"] = f"{kwargs.get('css', '')}\n{link}"
        return original(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]
    _serve_bundle(app.server)


def _serve_bundle(server: flask.Flask) -> None:
    """Dash's component-suite view, with the files of :data:`REPLACED` read from ``dashboard/vendor/``; every
    other file as Dash serves it.

    The view is replaced, not preceded by a hook, so the sign-in gate, the compressed and finished-answer caches
    and the cache headers treat the vendored files exactly as Dash's own answers: a fingerprinted URL (the
    polyfill's) may be kept for a year, an unfingerprinted one (plotly.js) is revalidated with its ETag (304 when
    unchanged)."""
    endpoint = next(r.endpoint for r in server.url_map.iter_rules() if "_dash-component-suites/" in r.rule)
    dash_view = server.view_functions[endpoint]
    bodies = {key: path.read_bytes() for key, path in REPLACED.items()}

    def component_suites(package_name: str, fingerprinted_path: str) -> flask.Response:
        path, fingerprinted = check_fingerprint(fingerprinted_path)
        body = bodies.get((package_name, path))
        if body is None:
            return dash_view(package_name=package_name, fingerprinted_path=fingerprinted_path)
        response = flask.Response(body, mimetype="application/javascript")  # as Dash sends .js files
        if fingerprinted:
            response.cache_control.max_age = 31536000  # as Dash: the URL changes with the file
            return response
        response.add_etag()
        return response.make_conditional(flask.request)

    server.view_functions[endpoint] = component_suites
