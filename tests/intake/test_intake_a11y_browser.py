"""The page "Daten einspielen" accessible and English (issue 15): the real axe-core engine (WCAG 2.0/2.1 A, AA) over
the page in German and English — empty, with the preview of a dropped export (rejects, duplicates, the first
rejected rows and the column mapping), and with an upload refused —, no German left on the English page, and
no sideways scrolling at 390 × 844 with the page empty and with the preview.

Headless Chromium against the real server (gunicorn + the intake worker of ``conftest.intake``), real files,
the real ETL behind the preview. The checks are those of every other page (``tests/dashboard/axe_helpers.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_helpers import PAGE_TEXTS, PHONE, axe_source, german_fragments, german_only_texts, violations
from dash_settle import settle
from intake_exports import platform_export
from intake_helpers import browser_sign_in, drop, wait_preview

pytestmark = pytest.mark.browser

PATH = "/daten-einspielen"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100  # an image named .csv: refused by content
WIDTH = "() => document.scrollingElement.scrollWidth"


def _open(page, base: str, lang: str) -> None:  # noqa: ANN001
    page.goto(f"{base}{PATH}?lang={lang}")
    page.wait_for_selector("#intake-form:not([hidden])")
    page.wait_for_selector("#intake-history > *")
    settle(page)
    assert page.evaluate("document.documentElement.lang") == lang


def _preview(page, export: bytes) -> None:  # noqa: ANN001
    drop(page, "Export Plattform.csv", export)
    wait_preview(page)
    page.wait_for_selector(".intake-rejects")
    page.wait_for_selector(".intake-mapping select")
    settle(page)


def _refused(page) -> None:  # noqa: ANN001
    drop(page, "bild.csv", PNG)
    page.wait_for_selector("#intake-upload-msg .alert", timeout=60_000)
    settle(page)


def _german_left(page, german: set[str], fragments: set[str]) -> list[str]:  # noqa: ANN001
    """Texts of the page that are German interface texts, or hold the fixed words of a German message."""
    texts = page.evaluate(PAGE_TEXTS)
    return sorted({s for s in texts if s in german} | {f"{f} in {s!r}" for s in texts for f in fragments if f in s})


@pytest.mark.parametrize("lang", ["de", "en"])
def test_intake_page_has_no_axe_violations_and_no_german_in_english(intake, browser, artifacts: Path, lang: str) -> None:  # noqa: ANN001,E501
    source = axe_source()
    german, fragments = german_only_texts(), german_fragments()
    assert len(german) > 200 and len(fragments) > 100  # the checks have something to find
    assert "Duplikat von Zeile" in fragments and "Erkenne die Dateien" in german
    export = platform_export(intake.source / "beispielhausen" / "freiwillige.csv")
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    found: dict[str, list[str]] = {}
    try:
        browser_sign_in(page, intake.base, "koord-b")
        _open(page, intake.base, lang)
        states = {"empty": None, "preview": lambda: _preview(page, export), "refused": lambda: _refused(page)}
        for state, step in states.items():
            if step:
                step()
            found[state] = violations(page, source)
            if lang == "en":
                found[f"{state}: German"] = _german_left(page, german, fragments)
            elif state == "preview":  # the check finds German where there is German: on the German page
                assert len(_german_left(page, german, fragments)) > 5
            page.screenshot(path=str(artifacts / f"intake_{lang}_{state}_1366.png"), full_page=True)
        shown = page.locator("#intake-upload-msg").inner_text()
        assert ("ein Bild (PNG), keine Tabelle" if lang == "de" else "an image (PNG), not a table") in shown
    finally:
        context.close()
    assert {state: v for state, v in found.items() if v} == {}
    assert len(found) == (6 if lang == "en" else 3)
    assert page.errors == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_intake_page_does_not_scroll_sideways_on_a_phone(intake, browser, artifacts: Path, lang: str) -> None:  # noqa: ANN001
    """At 390 × 844 the page fits its width empty and with a preview: the wide tables (first rejected rows,
    reasons, history) scroll inside their own named, keyboard-reachable region; axe checks that too."""
    source = axe_source()
    export = platform_export(intake.source / "beispielhausen" / "freiwillige.csv")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    widths: dict[str, int] = {}
    found: dict[str, list[str]] = {}
    try:
        browser_sign_in(page, intake.base, "koord-b")
        _open(page, intake.base, lang)
        widths["empty"] = page.evaluate(WIDTH)
        page.screenshot(path=str(artifacts / f"intake_{lang}_empty_390.png"), full_page=True)
        _preview(page, export)
        widths["preview"] = page.evaluate(WIDTH)
        found["preview"] = violations(page, source)
        page.screenshot(path=str(artifacts / f"intake_{lang}_preview_390.png"), full_page=True)
        regions = page.locator(".intake-file .table-region")
        assert regions.count() >= 2 and all(r.get_attribute("tabindex") == "0" for r in regions.all())
    finally:
        context.close()
    assert {state: w for state, w in widths.items() if w > PHONE["width"]} == {}
    assert {state: v for state, v in found.items() if v} == {}
