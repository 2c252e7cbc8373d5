"""plotly.js asked for with the page's first HTML (issue 13).

Dash's renderer loads plotly.js (4,8 MB, about 1 MB compressed) only when the first chart of a page is mounted:
after the HTML, the scripts, the layout, the page content and the shell's URL callback, i.e. three round trips
into a first visit, and the charts wait for it. A ``<link rel="preload">`` in the page's head lets the browser
fetch it beside the other scripts; the renderer's own script element (same URL, the one Dash's renderer builds
for ``serve_locally``) then takes the preloaded answer. Only the fetch moves earlier: the script still runs
where Dash runs it, and its caching stays as :mod:`dashboard.caching` sets it (revalidated with its ETag).
"""

from __future__ import annotations

import dash

PLOTLY_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js"


def plotly_url(app: dash.Dash) -> str:
    """The URL Dash's renderer loads plotly.js from when it serves its scripts itself."""
    return f"{app.config.requests_pathname_prefix}{PLOTLY_PATH}"


def install(app: dash.Dash) -> None:
    """Every page's head names plotly.js for preloading."""
    original = app.interpolate_index
    link = f'<link rel="preload" href="{plotly_url(app)}" as="script">'

    def interpolate_index(**kwargs: str) -> str:
        kwargs["css"] = f"{kwargs.get('css', '')}\n{link}"
        return original(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]
