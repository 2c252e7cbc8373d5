"""End to end in headless Chromium against the running app on a real demo warehouse (engage demo + run).

Every page renders without console errors (screenshots in tests/artifacts/), the numbers shown follow the
town and year selectors and equal the warehouse's values in German format, the language switch works,
a URL reproduces a view, and unknown towns or a missing warehouse give a German message.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from dash_settle import settle

from dashboard.formatting import fmt_value
from dashboard.state import NETWORK
from etl import warehouse

pytestmark = pytest.mark.browser

PAGES = {
    "overview": ("/", "Übersicht"),
    "engagement": ("/engagement", "Engagement & Beteiligung"),
    "zusammenarbeit": ("/zusammenarbeit", "Zusammenarbeit"),
    "ziele": ("/ziele", "Ziele & Maßnahmen"),
    "vergleich": ("/vergleich", "Städtevergleich"),
    "methodik": ("/methodik", "Daten & Methodik"),
}
VALUE = "#ov-engagement_rate-value"


def engagement(db: str, town: str, year: int) -> str:
    v = warehouse.indicators(town=town, indicator="engagement_rate", year=year, db=db)
    return fmt_value(v["value"].iloc[0], "share")


def test_every_page_renders_without_console_errors(app_url: str, demo_warehouse: str, page, artifacts: Path) -> None:  # noqa: ANN001
    """One browser page visits all six pages (town view) and saves a screenshot of each."""
    town = warehouse.towns(db=demo_warehouse)["ags"].iloc[0]
    for name, (path, heading) in PAGES.items():
        page.goto(f"{app_url}{path}?town={town}")
        settle(page)
        assert page.locator("h1").first.inner_text() == heading, name
        assert page.locator(".js-plotly-plot").count() >= (0 if name == "methodik" else 1), name
        assert "Traceback" not in page.content()
        page.screenshot(path=str(artifacts / f"dashboard_{name}.png"), full_page=True)
        assert page.errors == [], name


def test_town_and_year_selectors_change_the_numbers(app_url: str, demo_warehouse: str, page) -> None:  # noqa: ANN001
    towns = warehouse.towns(db=demo_warehouse)["ags"].tolist()
    years = sorted(set(warehouse.indicators(indicator="engagement_rate", db=demo_warehouse)["year"]))
    page.goto(app_url + "/")
    settle(page)
    page.select_option("#shell-town", towns[0])
    page.select_option("#shell-year", str(years[-1]))
    settle(page)
    assert page.inner_text(VALUE) == engagement(demo_warehouse, towns[0], years[-1])
    page.select_option("#shell-town", towns[1])
    settle(page)
    assert page.inner_text(VALUE) == engagement(demo_warehouse, towns[1], years[-1])
    page.select_option("#shell-year", str(years[0]))
    settle(page)
    assert page.inner_text(VALUE) == engagement(demo_warehouse, towns[1], years[0])
    assert f"town={towns[1]}" in page.url and f"year={years[0]}" in page.url
    page.select_option("#shell-town", NETWORK)
    settle(page)
    median = warehouse.comparison(indicator="engagement_rate", year=years[0], db=demo_warehouse)["network_median"]
    assert page.inner_text(VALUE) == fmt_value(median.iloc[0], "share")
    assert page.errors == []


def test_a_url_reproduces_the_view(app_url: str, demo_warehouse: str, browser) -> None:  # noqa: ANN001
    town = warehouse.towns(db=demo_warehouse)["ags"].iloc[-1]
    year = sorted(set(warehouse.indicators(indicator="engagement_rate", db=demo_warehouse)["year"]))[0]
    first = browser.new_page()
    first.goto(app_url + "/vergleich")
    settle(first)
    first.select_option("#shell-town", town)
    first.select_option("#shell-year", str(year))
    first.select_option("#cmp-indicator", "participation_rate")
    settle(first)
    name = warehouse.towns(db=demo_warehouse).set_index("ags").loc[town, "name"]
    # under load the last answer may come after a quiet moment: wait for the chosen town's line
    first.wait_for_function(
        "name => (document.querySelector('#cmp-chart-note')?.innerText || '').includes(name)", arg=name
    )
    link, shown = first.url, first.inner_text("#cmp-chart-note")
    first.close()
    second = browser.new_page()
    second.goto(link)
    settle(second)
    assert second.input_value("#shell-town") == town and second.input_value("#shell-year") == str(year)
    assert second.input_value("#cmp-indicator") == "participation_rate"
    assert second.inner_text("#cmp-chart-note") == shown
    second.close()


def test_language_switch(app_url: str, page) -> None:  # noqa: ANN001
    page.goto(app_url + "/zusammenarbeit")
    settle(page)
    page.click("#shell-lang-en")
    page.wait_for_url("**lang=en**")
    settle(page)
    assert page.locator("h1").first.inner_text() == "Collaboration"
    assert page.inner_text("#nav-overview") == "Overview"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("#shell-lang-de")
    page.wait_for_url("**lang=de**")
    settle(page)
    assert page.locator("h1").first.inner_text() == "Zusammenarbeit"
    assert page.errors == []


def test_unknown_town_and_year_give_a_german_message(app_url: str, page) -> None:  # noqa: ANN001
    page.goto(app_url + "/?town=12345678&year=1850")
    settle(page)
    alert = page.inner_text("#shell-alert")
    assert "Die Stadt „12345678“ aus dem Link gibt es im Warehouse nicht" in alert
    assert "Für das Jahr „1850“ aus dem Link liegen keine Daten vor" in alert
    assert page.input_value("#shell-town") == NETWORK
    assert page.errors == []


def test_missing_warehouse_gives_a_german_message(missing_url: tuple[str, Path], page, artifacts: Path) -> None:  # noqa: ANN001
    base, path = missing_url
    page.goto(base + "/engagement")
    settle(page)
    assert "gibt es noch nicht" in page.inner_text("#shell-alert")
    assert "gibt es noch nicht" in page.inner_text("#part-rates-note")
    page.screenshot(path=str(artifacts / "dashboard_missing_warehouse.png"), full_page=True)
    assert not path.exists()
    assert page.errors == []
