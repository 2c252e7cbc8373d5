"""Every Sitzungsmodus screen fits a projector's window without scrolling, in headless Chromium.

For each of the six screens (the last „Stadtteile“), for a town and for „Gesamtes Netzwerk“, in German and English,
at 1366×768 and 1920×1080: the page scrolls neither down nor sideways, nothing of the shown screen runs past its
bottom (into the key line or out of the window), and the footer with data date and source (where the screen
has one) is inside the window.
The warehouse has twelve towns, so the network's "Wo hakt es?" has more towns than one screen holds (it shows the
ten with the most off-track goals and says so); the town is the one with the longest goal plan, longer than its
"Ziele" screen holds (it shows the seven furthest behind and says so).
Screenshots of every screen go to tests/artifacts/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import dash_settle
import pytest

from dashboard.views.meeting import GLANCE_ROWS, STICK_ROWS
from etl import warehouse

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TOWNS = 12
SIZES = [(1366, 768), (1920, 1080)]

MEASURE = """() => {
    const s = document.querySelector('.meeting-screen.is-active');
    const box = s.getBoundingClientRect();
    const out = [...s.querySelectorAll('*')].filter(e => {
        const r = e.getBoundingClientRect();
        return r.height > 0 && r.bottom > box.bottom + 1; }).map(e => e.tagName + '.' + e.className);
    const footer = s.querySelector('.meeting-footer').getBoundingClientRect();
    return {topic: s.querySelector('.meeting-topic').textContent,
            scrollHeight: document.documentElement.scrollHeight, scrollWidth: document.documentElement.scrollWidth,
            height: innerHeight, width: innerWidth, below: out, footer: footer.bottom};
}"""


@pytest.fixture(scope="module")
def twelve_towns(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A warehouse built by the real pipeline from the demo's twelve towns, two years."""
    from etl.demo import write_demo
    from etl.pipeline import run_pipeline

    folder = tmp_path_factory.mktemp("zwoelf")
    source = write_demo(folder / "quellen", towns=TOWNS, years=2, seed=7).parent
    url = f"sqlite:///{folder / 'warehouse.sqlite'}"
    summary = run_pipeline(source, db_url=url, as_of=dt.date(2025, 6, 30))
    assert not summary.failed_sources, summary.files
    return url


@pytest.fixture(scope="module")
def app(twelve_towns: str, serve, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: ANN001
    with serve(twelve_towns, tmp_path_factory.mktemp("fits-app")) as base:
        yield base


def settle(page) -> None:  # noqa: ANN001
    dash_settle.settle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.meeting-screen:not([hidden]) .meeting-heading')]"
        ".every(h => !/geladen|Loading/.test(h.textContent))"
    )


def drawn(page) -> None:  # noqa: ANN001
    """The shown screen's chart (if any) has been laid out at its column's width."""
    page.wait_for_function(
        "() => { const c = document.querySelector('.meeting-screen.is-active .meeting-graph');"
        " if (!c) { return true; } const g = c.querySelector('.main-svg');"
        " return g && Math.abs(g.getBoundingClientRect().width - c.getBoundingClientRect().width) < 4"
        " && Math.abs(g.getBoundingClientRect().height - c.getBoundingClientRect().height) < 4; }"
    )
    page.wait_for_timeout(250)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("where", ["town", "network"])
def test_every_meeting_screen_fits_without_scrolling(
    app: str,
    twelve_towns: str,
    browser,
    artifacts: Path,
    size,
    lang: str,
    where: str,  # noqa: ANN001
) -> None:
    plans = warehouse.goal_status(db=twelve_towns).groupby("town_ags")["goal_id"].nunique()
    town = str(plans.idxmax()) if where == "town" else "netzwerk"
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{app}/sitzung?town={town}&lang={lang}&screen=1")
        settle(page)
        screens = page.locator(".meeting-go").count()
        assert screens == 6  # the district map is the sixth
        seen = []
        for i in range(screens):
            if i:
                page.keyboard.press("ArrowRight")
            drawn(page)
            m = page.evaluate(MEASURE)
            seen.append(m["topic"])
            what = (where, lang, size, i + 1, m["topic"])
            page.screenshot(path=str(artifacts / f"meeting_fits_{where}_{lang}_{size[0]}x{size[1]}_{i + 1}.png"))
            assert m["scrollHeight"] <= m["height"], (what, m)  # no scrolling down
            assert m["scrollWidth"] <= m["width"], (what, m)  # nor sideways
            assert m["below"] == [], (what, m)  # nothing runs past the screen's bottom
            assert m["footer"] <= m["height"], (what, m)  # the data date and source line in the window
            if i == 3 and where == "network":
                rows = page.locator(".meeting-screen.is-active .sticking-table tbody tr").count()
                assert rows == STICK_ROWS < TOWNS
                notes = page.locator(".meeting-screen.is-active .meeting-notes").inner_text()
                assert f"{STICK_ROWS}" in notes and f"{TOWNS}" in notes
            if i == 3 and where == "town":
                rows = page.locator(".meeting-screen.is-active .glance-table tbody tr").count()
                assert rows == GLANCE_ROWS < plans.max()
                notes = page.locator(".meeting-screen.is-active .meeting-notes").inner_text()
                assert f"{GLANCE_ROWS}" in notes and f"{plans.max()}" in notes
        assert len(set(seen)) == screens
        assert errors == []
    finally:
        context.close()
