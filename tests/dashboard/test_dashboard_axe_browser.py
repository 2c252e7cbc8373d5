"""Accessibility and reflow in headless Chromium with the real axe-core engine (issue 15; the engine, its
rules and the German-leftover check are in ``axe_helpers.py``, shared with the intake page's test).

Every page in German and English, for a town and for the network, with every disclosure and table open;
every Sitzungsmodus screen; the 404 page. Then the phone layout: at 390 × 844 no page scrolls sideways and
the folded menu opens by keyboard.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_helpers import PAGE_TEXTS, PHONE, axe_source, german_only_texts, open_everything, violations
from dash_settle import settle

from etl import warehouse

pytestmark = pytest.mark.browser

PAGES = ["/", "/engagement", "/zusammenarbeit", "/ziele", "/vergleich", "/methodik"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_page_has_no_axe_violations(app_url: str, demo_warehouse: str, browser, lang: str) -> None:  # noqa: ANN001
    """12 page views per language (six pages × town/network) and the 404 page: 0 violations each; on English
    pages no German interface text is left (tab title, texts, labels, chart texts, accessible names)."""
    source = axe_source()
    german = german_only_texts()
    assert len(german) > 200  # the check has something to find
    leftovers: dict[str, set[str]] = {}
    town = warehouse.towns(db=demo_warehouse)["ags"].iloc[0]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    found: dict[str, list[str]] = {}
    try:
        for path in PAGES:
            for scope in (f"&town={town}", ""):
                url = f"{app_url}{path}?lang={lang}{scope}"
                page.goto(url)
                settle(page)
                assert page.evaluate("document.documentElement.lang") == lang, url
                open_everything(page)
                found[url] = violations(page, source)
                leftovers[url] = set(page.evaluate(PAGE_TEXTS)) & german if lang == "en" else set()
        for url in (f"{app_url}/gibt-es-nicht?lang={lang}", f"{app_url}/404?lang={lang}"):
            page.goto(url)
            settle(page)
            found[url] = violations(page, source)
            leftovers[url] = set(page.evaluate(PAGE_TEXTS)) & german if lang == "en" else set()
    finally:
        context.close()
    assert {url: v for url, v in found.items() if v} == {}
    assert {url: v for url, v in leftovers.items() if v} == {}
    assert len(found) == 2 * len(PAGES) + 2


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_meeting_screen_has_no_axe_violations(app_url: str, demo_warehouse: str, browser, lang: str) -> None:  # noqa: ANN001
    """The Sitzungsmodus at projector size, screen by screen (axe checks what is shown: the active screen)."""
    source = axe_source()
    town = warehouse.towns(db=demo_warehouse)["ags"].iloc[0]
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    found: dict[str, list[str]] = {}
    german = german_only_texts()
    try:
        page.goto(f"{app_url}/sitzung?lang={lang}&town={town}")
        settle(page)
        screens = page.locator(".meeting-screen").count()
        assert screens >= 5
        for i in range(screens):
            topic = page.locator(".meeting-screen.is-active .meeting-topic").inner_text()
            found[f"{i + 1} {topic}"] = violations(page, source)
            if lang == "en":
                found[f"{i + 1} {topic} German"] = sorted(set(page.evaluate(PAGE_TEXTS)) & german)
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(300)
    finally:
        context.close()
    assert {screen: v for screen, v in found.items() if v} == {}
    assert len(found) == screens * (2 if lang == "en" else 1)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_page_scrolls_sideways_on_a_phone(app_url: str, demo_warehouse: str, browser, artifacts: Path, lang: str) -> None:  # noqa: ANN001,E501
    """At 390 px every page of a town fits its width with every table open (wide tables scroll in their own
    keyboard-reachable region, which the axe test above checks) and the menu starts folded."""
    town = warehouse.towns(db=demo_warehouse)["ags"].iloc[0]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    widths: dict[str, int] = {}
    try:
        for path in [*PAGES, "/sitzung"]:
            url = f"{app_url}{path}?lang={lang}&town={town}"
            page.goto(url)
            settle(page)
            if path != "/sitzung":
                assert page.locator(".shell-navbar .navbar-toggler").is_visible(), url
                assert page.locator("#nav-overview").is_hidden(), url  # the menu starts folded
            open_everything(page)
            widths[url] = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(artifacts / f"phone_{lang}_{path.strip('/') or 'overview'}.png"), full_page=True)
    finally:
        context.close()
    assert {url: w for url, w in widths.items() if w > PHONE["width"]} == {}
    assert len(widths) == len(PAGES) + 1


def test_the_phone_menu_opens_by_keyboard(app_url: str, browser) -> None:  # noqa: ANN001
    """The folded menu's button is reached with Tab, opens with Enter and says so (aria-expanded)."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/ziele")
        settle(page)
        toggler = page.locator(".shell-navbar .navbar-toggler")
        assert toggler.get_attribute("aria-expanded") == "false"
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('navbar-toggler')"):
                break
        assert page.evaluate("document.activeElement.classList.contains('navbar-toggler')")
        page.keyboard.press("Enter")
        page.locator("#nav-overview").wait_for(state="visible")
        page.wait_for_function("() => document.querySelector('.navbar-toggler').ariaExpanded === 'true'")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
