"""The navbar in headless Chromium, signed in, on the production server: one line at 1920 and 1366 px on every page
in German and English (it wrapped to a second line at 1920 px), the menu folded behind Bootstrap's button below
1200 px, and no sideways scrolling at 390 px. Screenshots of the top of a page go to tests/artifacts/.

"One line": the app's name and every page link stand on the same row, and the navbar is no higher than the one row
it has when folded (the name and the menu button).
"""

from __future__ import annotations

from pathlib import Path

import dash_settle
import pytest
from hosting_helpers import PASSWORD, Hosted

pytestmark = pytest.mark.browser

PAGES = ["/", "/engagement", "/zusammenarbeit", "/ziele", "/vergleich", "/methodik"]

ROWS = """() => {
    const bar = document.querySelector('.shell-navbar');
    const items = [...bar.querySelectorAll('.navbar-brand, .nav-link')].filter(e => e.offsetParent !== null);
    const middles = items.map(e => { const r = e.getBoundingClientRect(); return (r.top + r.bottom) / 2; });
    return {height: bar.getBoundingClientRect().height, items: items.length,
            spread: Math.max(...middles) - Math.min(...middles),
            user: document.querySelector('#shell-user').innerText,
            width: document.documentElement.scrollWidth};
}"""


def settle(page) -> None:  # noqa: ANN001
    dash_settle.settle(page)
    page.wait_for_function("() => document.querySelector('#shell-user').innerText.trim() !== ''")


def signed_in_page(browser, hosted: Hosted, size: tuple[int, int], name: str):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{hosted.base}/anmelden")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{hosted.base}/**")
    return context, page


def folded_height(browser, hosted: Hosted, name: str) -> float:  # noqa: ANN001
    """The navbar's height with one row: folded on a phone (the name and the menu button)."""
    context, page = signed_in_page(browser, hosted, (390, 844), name)
    try:
        page.goto(f"{hosted.base}/?town={hosted.own}")
        settle(page)
        assert page.locator(".shell-navbar .navbar-toggler").is_visible()
        assert page.locator("#nav-overview").is_hidden()
        return float(page.evaluate(ROWS)["height"])
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", ["netz", "stadt-a"])
def test_the_navbar_is_one_line_on_every_page(browser, hosted: Hosted, artifacts: Path, size, name: str) -> None:  # noqa: ANN001
    one_row = folded_height(browser, hosted, name)
    context, page = signed_in_page(browser, hosted, size, name)
    seen = {}
    try:
        for lang in ["de", "en"]:
            for town in [hosted.own, "netzwerk"] if name == "netz" else [hosted.own]:
                for path in PAGES:
                    page.goto(f"{hosted.base}{path}?town={town}&lang={lang}")
                    settle(page)
                    m = page.evaluate(ROWS)
                    seen[(lang, town, path)] = m
                    assert m["items"] == 8, (path, m)  # the name and the seven page links, none folded away
                    assert m["user"].strip(), (path, m)  # signed in: the user area is filled
                    assert m["spread"] <= 2, (lang, town, path, m)  # all on one row
                    assert m["height"] <= one_row + 1, (lang, town, path, m, one_row)
                    assert m["width"] <= size[0], (lang, town, path, m)
            page.goto(f"{hosted.base}/?town={hosted.own}&lang={lang}")
            settle(page)
            page.screenshot(
                path=str(artifacts / f"navbar_{name}_{lang}_{size[0]}.png"),
                clip={"x": 0, "y": 0, "width": size[0], "height": 180},
            )
    finally:
        context.close()
    assert len(seen) == 2 * len(PAGES) * (2 if name == "netz" else 1)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_below_the_breakpoint_the_menu_folds_and_a_phone_does_not_scroll_sideways(
    browser,
    hosted: Hosted,
    artifacts: Path,
    lang: str,  # noqa: ANN001
) -> None:
    for size in [(1199, 800), (390, 844)]:
        context, page = signed_in_page(browser, hosted, size, "stadt-a")
        try:
            for path in PAGES:
                page.goto(f"{hosted.base}{path}?town={hosted.own}&lang={lang}")
                settle(page)
                toggler = page.locator(".shell-navbar .navbar-toggler")
                assert toggler.is_visible(), (size, path)
                assert page.locator("#nav-overview").is_hidden(), (size, path)
                assert page.locator("#shell-town").is_visible(), (size, path)  # the view's town without the menu
                assert page.evaluate("document.documentElement.scrollWidth") <= size[0], (size, path)
            toggler.click()
            page.locator("#nav-overview").wait_for(state="visible")
            assert toggler.get_attribute("aria-expanded") == "true"
            assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
            page.screenshot(path=str(artifacts / f"navbar_open_{lang}_{size[0]}.png"))
        finally:
            context.close()
