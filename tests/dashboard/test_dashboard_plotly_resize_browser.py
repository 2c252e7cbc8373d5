"""A Plotly resize that would change nothing is not done (issue 13, ``assets/plotly-page.js``): a chart already
drawn at its box's size is not laid out again, and a chart whose box changed (a narrower window) still is."""

from __future__ import annotations

import pytest
from dash_settle import settle

pytestmark = pytest.mark.browser

# per chart: whether resize() started Plotly's own 100 ms relayout timer, and the size it is drawn at
RESIZE_ALL = """async () => {
  const charts = Array.from(document.querySelectorAll('.dash-graph .js-plotly-plot'));
  const before = charts.map(gd => gd._redrawTimer);
  await Promise.all(charts.map(gd => Plotly.Plots.resize(gd)));
  return charts.map((gd, i) => ({id: gd.parentElement.id, relaid: gd._redrawTimer !== before[i],
                                 width: gd._fullLayout.width, box: parseFloat(getComputedStyle(gd).width)}));
}"""


def test_a_chart_at_its_boxs_size_is_not_laid_out_again_and_a_changed_box_still_is(app_url: str, page) -> None:  # noqa: ANN001
    page.goto(f"{app_url}/engagement?town=netzwerk")
    settle(page)  # dcc.Graph's own resizes after the first draws are over too
    same = page.evaluate(RESIZE_ALL)
    assert same and [c["id"] for c in same if c["relaid"]] == [], same

    page.set_viewport_size({"width": 900, "height": 1000})  # Bootstrap's columns stack: every box is wider or narrower
    page.wait_for_timeout(300)
    changed = page.evaluate(RESIZE_ALL)
    assert [c["id"] for c in changed if abs(c["width"] - c["box"]) > 1] == [], changed  # drawn at the new size
    assert {c["id"]: c["width"] for c in changed} != {c["id"]: c["width"] for c in same}
    assert page.errors == []
