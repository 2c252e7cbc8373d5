"""Accessibility and reflow in headless Chromium with the real axe-core engine (issue 15).

axe-core 4.x is the file the ``axe-playwright-python`` package ships (installed by ``make test-deps``, read
from disk here, never fetched). It is injected with ``page.evaluate``, which the app's Content-Security-Policy
does not block (no inline ``<script>`` is added to the page). Rules: the WCAG 2.0/2.1 A and AA tags.

Every page in German and English, for a town and for the network, with every disclosure and table open;
every Sitzungsmodus screen; the 404 page. Then the phone layout: at 390 × 844 no page scrolls sideways and
the folded menu opens by keyboard.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl import warehouse

pytestmark = pytest.mark.browser

PAGES = ["/", "/engagement", "/zusammenarbeit", "/ziele", "/vergleich", "/methodik"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PHONE = {"width": 390, "height": 844}


def axe_source() -> str:
    from axe_playwright_python.base import AXE_FILE_PATH

    source = Path(AXE_FILE_PATH).read_text(encoding="utf-8")
    assert source.startswith("/*! axe v4."), source[:40]
    return source


def german_only_texts() -> set[str]:
    """Every interface text whose German wording differs from its English one (texts, labels, headlines,
    Sitzungsmodus): none of them may be a text of an English page. Texts with placeholders are left out
    (their filled forms are checked through the fixed words around them elsewhere)."""
    from dashboard import headlines
    from dashboard.i18n import LABELS, TEXT
    from dashboard.views import districts, meeting

    pairs = [*TEXT.values(), *(p for kind in LABELS.values() for p in kind.values())]
    pairs += [*headlines._TEXT.values(), *meeting._TEXT.values(), *districts._MEETING.values()]
    english = {en for _de, en in pairs}
    return {de for de, en in pairs if de != en and "{" not in de and de not in english}


# each text node, the names and titles of elements, the tab title: what a reader sees or hears
PAGE_TEXTS = """() => { const out = [document.title];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) { const s = walk.currentNode.textContent.trim(); if (s) out.push(s); }
  document.querySelectorAll('[aria-label],[title],[alt]').forEach(e => ['aria-label', 'title', 'alt'].forEach(a => {
    const v = e.getAttribute(a); if (v) out.push(v.trim()); }));
  return out; }"""


def settle(page) -> None:  # noqa: ANN001 - playwright Page
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')")
    page.wait_for_timeout(300)


def open_everything(page) -> None:  # noqa: ANN001
    """Every disclosure open (table alternatives, "n und Intervall", notes), so axe sees their content."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    settle(page)


def violations(page, source: str) -> list[str]:  # noqa: ANN001
    """axe-core's violations of the page as it is now: "rule (impact): targets" per rule."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    result = page.evaluate("options => axe.run(document, options)", WCAG)
    assert result["testEngine"]["version"].startswith("4."), result["testEngine"]
    assert result["passes"], "axe checked nothing"
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in result["violations"]]


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
