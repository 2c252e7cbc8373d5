"""The server's own HTML pages accessible in both languages (issue 15): sign-in, the report's town chooser
and the page a report shows while it is built.

These pages are plain HTML written by Flask routes, not Dash pages, so the dashboard's axe test does not
reach them. The same checks run over them (``tests/dashboard/axe_helpers.py``: the real axe-core engine, WCAG
2.0/2.1 A and AA), in German and English, at desktop and phone width, with the sign-in error shown; the
English pages show none of the German-only interface texts and the document says its language.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "dashboard"))

from axe_helpers import PAGE_TEXTS, PHONE, axe_source, german_only_texts, violations  # noqa: E402
from hosting_helpers import PASSWORD, start_server, stop_server  # noqa: E402

pytestmark = pytest.mark.browser

WIDTH = "() => document.scrollingElement.scrollWidth"
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": PHONE}


@pytest.fixture(scope="module")
def base(accounts_warehouse: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own: the failed sign-ins below must not use up the shared server's rate limit."""
    proc, url, _log = start_server(accounts_warehouse, tmp_path_factory.mktemp("plain-pages"))
    try:
        yield url
    finally:
        stop_server(proc)


def _check(page, lang: str, what: str) -> None:  # noqa: ANN001 - playwright Page
    """0 axe violations, the page's language, no sideways scrolling, no German on an English page."""
    assert page.evaluate("document.documentElement.lang").startswith(lang), what
    found = violations(page, axe_source())
    assert found == [], f"{what}: {found}"
    width = page.viewport_size["width"]
    assert page.evaluate(WIDTH) <= width, f"{what}: scrolls sideways at {width} px"
    if lang == "en":
        shown = set(page.evaluate(PAGE_TEXTS))
        assert not shown & german_only_texts(), f"{what}: {sorted(shown & german_only_texts())}"


def _sign_in(page, url: str, lang: str, name: str = "netz") -> None:  # noqa: ANN001
    page.goto(f"{url}/anmelden?lang={lang}")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/**")


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_sign_in_page_with_and_without_its_error(base: str, browser, lang: str, size: str) -> None:  # noqa: ANN001
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    try:
        page.goto(f"{base}/anmelden?lang={lang}")
        _check(page, lang, f"sign-in {lang} {size}")
        page.fill("#name", "netz")
        page.fill("#password", "falsch-falsch-falsch")
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
        assert page.locator("[role=alert]").count() == 1, page.content()[:800]
        _check(page, lang, f"sign-in failed {lang} {size}")
    finally:
        context.close()


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_report_town_chooser(base: str, browser, lang: str, size: str) -> None:  # noqa: ANN001
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    try:
        _sign_in(page, base, lang)
        page.goto(f"{base}/bericht.pdf?town=netzwerk&lang={lang}")
        assert page.locator("select#town option").count() >= 2
        _check(page, lang, f"report chooser {lang} {size}")
    finally:
        context.close()
