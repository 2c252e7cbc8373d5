"""The district map in headless Chromium (issue 16) against the running app on the demo warehouse.

Counts what the browser drew: one filled SVG path per district in the plot, plain for a shown value,
filled with an SVG hatch pattern for a suppressed one, exactly as the warehouse says; the legend and the
hover name the reason; CSV and PNG downloads work; the Sitzungsmodus has its district screen. Screenshots
go to tests/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dash_settle import settle
from test_dashboard_district_views import suppressed_case

from dashboard.views import districts
from etl import warehouse

pytestmark = pytest.mark.browser

GRAPH = "#part-map-graph"


def drawn(page, graph: str) -> dict[str, object]:  # noqa: ANN001
    """The district fills plotly drew in the plot area (not the legend's swatches) and the patterns defined."""
    return page.evaluate(
        """(graph) => {
            const root = document.querySelector(graph);
            const fills = Array.from(root.querySelectorAll('.cartesianlayer path.js-fill'));
            const ids = Array.from(root.querySelectorAll('defs pattern')).map(p => p.id);
            const hatched = fills.filter(p => p.classList.contains('pattern_filled'));
            return {
                plain: fills.length - hatched.length,
                white: fills.filter(p => !p.classList.contains('pattern_filled')
                                      && p.style.fill === 'rgb(255, 255, 255)').length,
                hatched: hatched.length,
                hatch_refs: hatched.map(p => p.style.fill.replace(/^url\\("?#/, '').replace(/"?\\)$/, '')),
                patterns: ids,
                legend: Array.from(root.querySelectorAll('.legend .traces')).map(t => t.textContent),
                labels: Array.from(root.querySelectorAll('.cartesianlayer .textpoint text')).map(t => t.textContent),
            };
        }""",
        graph,
    )


def expected(db: str, town: str, indicator: str, year: int) -> tuple[int, int, int]:
    """(shown, suppressed, without value) districts with a shape, from the warehouse."""
    codes = set(warehouse.districts(town=town, db=db)["code"])
    stored = warehouse.indicators(town=town, indicator=indicator, year=year, breakdown="district", db=db)
    stored = stored[stored["group"].isin(codes)]
    hidden = int(stored["suppressed"].sum())
    return len(stored) - hidden, hidden, len(codes) - len(stored)


def test_the_map_draws_a_fill_per_shown_district_and_a_hatch_per_suppressed_one(
    app_url: str,
    demo_warehouse: str,
    page,
    artifacts: Path,  # noqa: ANN001
) -> None:
    town, indicator, year = suppressed_case(demo_warehouse)
    page.goto(f"{app_url}/engagement?town={town}&year={year}&map={indicator}")
    settle(page)
    page.wait_for_selector(f"{GRAPH} .cartesianlayer path.js-fill")
    assert page.locator(f"#{districts.MAP_IND}").input_value() == indicator
    shown, hidden, empty = expected(demo_warehouse, town, indicator, year)
    assert hidden >= 1 and shown >= 1
    got = drawn(page, GRAPH)
    assert got["hatched"] == hidden
    assert got["plain"] == shown + empty and got["white"] == empty
    assert got["patterns"] and set(got["hatch_refs"]) <= set(got["patterns"])
    assert any("weniger als 5" in text for text in got["legend"]), got["legend"]
    names = warehouse.districts(town=town, db=demo_warehouse)["name"].tolist()
    assert all(any(t.startswith(n) for t in got["labels"]) for n in names), got["labels"]
    card = page.locator(GRAPH).locator("xpath=ancestor::div[contains(@class, 'chart-card')]")
    card.screenshot(path=str(artifacts / "dashboard_map_suppressed.png"))

    # the hover of a suppressed district names the reason
    vals = warehouse.indicators(town=town, indicator=indicator, year=year, breakdown="district", db=demo_warehouse)
    code = vals.loc[vals["suppressed"], "group"].iloc[0]
    name = warehouse.districts(town=town, db=demo_warehouse).set_index("code").at[code, "name"]
    label = page.locator(f"{GRAPH} .cartesianlayer .textpoint text", has_text=name).first
    box = label.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] + 4)
    page.wait_for_selector(f"{GRAPH} .hoverlayer .hovertext")
    hover = page.locator(f"{GRAPH} .hoverlayer .hovertext").first.text_content()
    assert name in hover and "nicht ausgewiesen" in hover and ("weniger als 5" in hover or "verborgen" in hover)
    card.screenshot(path=str(artifacts / "dashboard_map_hover.png"))

    # the table alternative beside the map, and the downloads
    table = card.locator("#part-map-table table")
    assert table.locator("tbody tr").count() == shown + hidden + empty
    with page.expect_download() as csv_download:
        card.get_by_role("button", name="CSV herunterladen").click()
    csv = Path(csv_download.value.path()).read_text(encoding="utf-8").splitlines()
    assert csv[0].startswith("code,label,value,n") and len(csv) == 1 + shown + hidden + empty
    with page.expect_download() as png_download:
        page.locator("#part-map-png").click()
    assert Path(png_download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.errors == []


def test_the_representation_map_and_a_town_without_suppression(
    app_url: str,
    demo_warehouse: str,
    page,
    artifacts: Path,  # noqa: ANN001
) -> None:
    town = str(warehouse.districts(db=demo_warehouse)["town_ags"].iloc[-1])
    rows = warehouse.indicators(town=town, indicator="representation_index", breakdown="district", db=demo_warehouse)
    year = int(rows["year"].max())
    page.goto(f"{app_url}/engagement?town={town}&year={year}&map=representation_index")
    settle(page)
    page.wait_for_selector(f"{GRAPH} .cartesianlayer path.js-fill")
    shown, hidden, empty = expected(demo_warehouse, town, "representation_index", year)
    got = drawn(page, GRAPH)
    assert (got["plain"], got["hatched"]) == (shown + empty, hidden)
    title = page.locator(f"{GRAPH} .colorbar .cbtitle").text_content()
    assert title == "Repräsentationsindex (1 = so viele wie ihr Bevölkerungsanteil)"
    ticks = page.locator(f"{GRAPH} .colorbar .cbaxis text").all_text_contents()
    assert "1,00" in ticks
    page.locator(GRAPH).locator("xpath=ancestor::div[contains(@class, 'chart-card')]").screenshot(
        path=str(artifacts / "dashboard_map_representation.png")
    )
    # switching the indicator redraws the map (the URL keeps it)
    page.select_option(f"#{districts.MAP_IND}", "engagement_rate")
    settle(page)
    assert "map=engagement_rate" in page.url
    title = page.locator(f"{GRAPH} .colorbar .cbtitle").text_content()
    assert title == "Engagementquote in %"
    assert page.errors == []


def test_the_sitzungsmodus_has_the_district_screen(
    app_url: str,
    demo_warehouse: str,
    browser,
    artifacts: Path,  # noqa: ANN001
) -> None:
    town, _, _ = suppressed_case(demo_warehouse)
    rates = warehouse.indicators(town=town, indicator="engagement_rate", breakdown="district", db=demo_warehouse)
    year = int(rates["year"].max())
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{app_url}/sitzung?town={town}&year={year}&screen=6")
        settle(page)
        page.wait_for_function(
            "() => { const h = document.querySelector('#meeting-districts-heading');"
            " return h && h.textContent.startsWith('Engagementquote'); }"
        )
        assert page.locator("#meeting-counter").inner_text() == "Seite 6 von 6: Stadtteile"
        graph = "#meeting-districts-graph"
        page.wait_for_selector(f"{graph} .cartesianlayer path.js-fill")
        shown, hidden, empty = expected(demo_warehouse, town, "engagement_rate", year)
        got = drawn(page, graph)
        assert (got["plain"], got["hatched"]) == (shown + empty, hidden)
        assert "Quelle:" in page.locator("#meeting-districts-footer").inner_text()
        # beside only two tiles the map fills what the screen leaves (at least the 58 % of the window it had
        # with a fixed height), and the screen still fits the window
        box = page.evaluate("document.querySelector('#meeting-districts-graph').getBoundingClientRect().toJSON()")
        assert box["height"] >= 0.58 * 900 - 2 and box["bottom"] <= 900
        assert page.evaluate("document.documentElement.scrollHeight") <= 900
        page.screenshot(path=str(artifacts / "dashboard_map_meeting.png"))
        assert errors == []
    finally:
        context.close()
