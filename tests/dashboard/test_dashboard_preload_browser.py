"""plotly.js is asked for with the page's first HTML and fetched once (issue 13): the preload's URL is the one
Dash's renderer loads, so the chart takes the preloaded answer instead of a second download."""

from __future__ import annotations

import pytest

from dashboard.components.preload import PLOTLY_PATH

pytestmark = pytest.mark.browser


def test_plotly_is_preloaded_and_fetched_once(app_url: str, page) -> None:  # noqa: ANN001
    fetched: list[tuple[float, str]] = []
    page.on("request", lambda r: fetched.append((r.timing["startTime"], r.url)))
    page.goto(f"{app_url}/engagement")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_load_state("networkidle")
    head = page.evaluate("() => document.head.innerHTML")
    assert f'rel="preload" href="/{PLOTLY_PATH}" as="script"' in head
    urls = [url for _t, url in fetched]
    assert sum(url.endswith("/" + PLOTLY_PATH) for url in urls) == 1, urls
    layout = next(i for i, url in enumerate(urls) if "/_dash-layout" in url)
    assert next(i for i, url in enumerate(urls) if url.endswith("/" + PLOTLY_PATH)) < layout  # beside the scripts
    assert page.evaluate("() => typeof window.Plotly") == "object"
    assert page.errors == []
