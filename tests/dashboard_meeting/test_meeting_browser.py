"""The Sitzungsmodus in headless Chromium against the running app on the demo warehouse.

Keyboard navigation (arrow keys, PageUp/PageDown, Home/End) moves between the screens and keeps
the screen in the URL; every screen shows its finding, the data date and the source line; the headline
equals the warehouse's value in German format. Screenshots of every screen go to tests/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import dash_settle
import pytest

from dashboard.formatting import fmt_value
from dashboard.views.meeting import GLANCE_ROWS
from etl import warehouse

pytestmark = pytest.mark.browser

# the demo towns have district shapes, so the district map screen follows the five screens (issue 16)
TOPICS = ["Überblick", "Engagement", "Zusammenarbeit", "Ziele", "Fortschritt", "Stadtteile"]


def settle(page) -> None:  # noqa: ANN001 - playwright Page
    dash_settle.settle(page)
    page.wait_for_function(
        "() => { const h = document.querySelector('#meeting-engagement-heading');"
        " return h && !h.textContent.includes('geladen'); }"
    )


def active(page) -> str:  # noqa: ANN001
    return page.locator(".meeting-screen.is-active .meeting-topic").inner_text()


def test_keyboard_moves_between_screens(meeting_app: str, demo_warehouse: str, projector, artifacts: Path) -> None:  # noqa: ANN001
    page = projector
    town = warehouse.towns(db=demo_warehouse)["ags"].iloc[0]
    year = max(warehouse.years(town=town, db=demo_warehouse))
    page.goto(f"{meeting_app}/sitzung?town={town}&year={year}")
    settle(page)
    assert page.locator(".shell-navbar").is_hidden()
    assert page.locator(".meeting-screen.is-active").count() == 1
    assert active(page).casefold() == TOPICS[0].casefold()
    page.screenshot(path=str(artifacts / "meeting_1_ueberblick.png"))

    for i, topic in enumerate(TOPICS[1:], start=2):
        page.keyboard.press("ArrowRight")
        assert active(page).casefold() == topic.casefold()
        assert f"screen={i}" in page.url
        assert page.locator("#meeting-counter").inner_text().startswith(f"Seite {i} von {len(TOPICS)}")
        screen = page.locator(".meeting-screen.is-active")
        assert "Datenstand:" in screen.locator(".meeting-footer").inner_text()
        assert "Quelle:" in screen.locator(".meeting-footer").inner_text()
        if topic not in ("Ziele",):  # the chart fills its column once its screen is shown (hidden while drawn)
            page.wait_for_function(
                "() => { const g = document.querySelector('.meeting-screen.is-active .meeting-graph .main-svg');"
                " const c = document.querySelector('.meeting-screen.is-active .meeting-graph');"
                " return g && c && Math.abs(g.getBoundingClientRect().width - c.getBoundingClientRect().width) < 4; }"
            )
        page.screenshot(path=str(artifacts / f"meeting_{i}_{topic.lower().replace('ü', 'ue')}.png"))

    page.keyboard.press("ArrowRight")  # past the last screen: stays
    assert active(page).casefold() == "stadtteile"
    page.keyboard.press("Home")
    assert active(page).casefold() == "überblick"
    page.keyboard.press("End")
    assert active(page).casefold() == "stadtteile"
    page.keyboard.press("PageUp")
    assert active(page).casefold() == "fortschritt"
    page.keyboard.press("PageUp")
    assert active(page).casefold() == "ziele"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowUp")
    assert active(page).casefold() == "engagement"
    page.keyboard.press("ArrowLeft")
    assert active(page).casefold() == "überblick"
    page.keyboard.press("PageDown")
    assert active(page).casefold() == "engagement"
    assert page.errors == []


def test_headline_states_the_warehouse_value(meeting_app: str, demo_warehouse: str, projector) -> None:  # noqa: ANN001
    page = projector
    town = warehouse.towns(db=demo_warehouse)["ags"].iloc[0]
    rates = warehouse.indicators(town=town, indicator="engagement_rate", db=demo_warehouse).sort_values("year")
    year = int(rates["year"].iloc[-1])
    page.goto(f"{meeting_app}/sitzung?town={town}&year={year}&screen=2")
    settle(page)
    assert active(page).casefold() == "engagement"
    heading = page.locator("#meeting-engagement-heading").inner_text()
    now = fmt_value(rates["value"].iloc[-1], "share").replace("\u00a0", " ")
    assert heading.startswith("Engagementquote")
    assert now in heading.replace("\u00a0", " ")
    if len(rates) > 1:
        before = fmt_value(rates["value"].iloc[-2], "share").replace("\u00a0", " ")
        assert f"({int(rates['year'].iloc[-2])}: {before}" in heading.replace("\u00a0", " ")
    # a topic button works as well as the keys, and the dashboard link keeps town and year
    page.get_by_role("button", name="4 Ziele").click()
    assert active(page).casefold() == "ziele"
    href = page.locator(".meeting-back").get_attribute("href")
    assert f"town={town}" in href and f"year={year}" in href
    assert page.errors == []


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_goals_at_a_glance_screen_fits_the_projector(
    meeting_app: str,
    demo_warehouse: str,
    browser,
    artifacts: Path,
    size,  # noqa: ANN001
) -> None:
    """Screen 4: one row per goal (at most GLANCE_ROWS, the furthest behind), worst first, status word, on one 16:9
    screen without scrolling; screen 3
    draws the 95 % intervals its note promises; screen 5 the progress chart."""
    town = warehouse.towns(db=demo_warehouse)["ags"].iloc[0]
    year = int(warehouse.indicators(town=town, indicator="engagement_rate", db=demo_warehouse)["year"].max())
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{meeting_app}/sitzung?town={town}&year={year}&screen=4")
    settle(page)
    assert active(page).casefold() == "ziele"
    rows = page.locator(".meeting-screen.is-active .glance-table tbody tr")
    rows.first.wait_for()
    as_of = warehouse.latest_run(db=demo_warehouse).as_of
    goals = warehouse.goal_status(town=town, year=min(year, as_of.year), db=demo_warehouse)
    assert rows.count() == min(len(goals), GLANCE_ROWS)
    bottom = page.evaluate(
        "() => document.querySelector('.meeting-screen.is-active .glance-table').getBoundingClientRect().bottom"
    )
    assert bottom <= size[1], "the glance table runs off the projected screen"
    page.screenshot(path=str(artifacts / f"meeting_glance_{size[0]}x{size[1]}.png"))
    page.keyboard.press("ArrowLeft")  # screen 3: equal footing by sector with its intervals
    page.wait_for_timeout(600)
    note = page.locator(".meeting-screen.is-active .meeting-notes").inner_text()
    if "95-%-Intervall" in note:
        assert page.locator(".meeting-screen.is-active .errorbar path").count() > 0
    page.screenshot(path=str(artifacts / f"meeting_collaboration_{size[0]}x{size[1]}.png"))
    page.keyboard.press("End")  # the district map is the last screen; the progress chart stands before it
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(600)
    assert page.locator(".meeting-screen.is-active .trace.bars").count() > 0
    page.screenshot(path=str(artifacts / f"meeting_progress_{size[0]}x{size[1]}.png"))
    context.close()
