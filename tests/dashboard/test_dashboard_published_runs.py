"""Published runs stay (issue 17): after a second run with different inputs, ``?run=1`` still shows run 1's
figures in the browser with the banner "Stand von Lauf 1 (…)", the report of run 1 reproduces, run 1's data
package is the same bytes, and hostile ``run`` values are ignored with a German message.

One real warehouse: ``engage demo`` + ``engage run``, the app started on it and a page read, then half of a
town's events removed and ``engage run`` again while the app keeps running.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import start_app, stop_app
from dash_settle import settle
from pypdf import PdfReader

from dashboard.published import banner, parse_run
from etl import warehouse
from etl.package import package_files, zip_bytes

ENGAGE = Path(sys.executable).parent / "engage"


@dataclass
class TwoRuns:
    url: str
    base: str
    town: str
    first_page: str  # the Engagement page's main text after run 1, read before run 2
    first_report: str
    first_package: bytes


def _main_text(page, url: str) -> str:  # noqa: ANN001 - playwright Page
    page.goto(url)
    settle(page)
    return page.inner_text("main")


def _report_text(url: str, town: str, out: Path, *run: str) -> str:
    done = subprocess.run(
        [str(ENGAGE), "report", "--db", url, "--town", town, "--year", "2025", "--out", str(out), *run],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return "\n".join(p.extract_text() for p in PdfReader(out).pages)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory, browser) -> Iterator[TwoRuns]:  # noqa: ANN001
    base_dir = tmp_path_factory.mktemp("zwei-laeufe")
    url = f"sqlite:///{base_dir / 'wh.sqlite'}"
    subprocess.run(
        [str(ENGAGE), "demo", "--out", str(base_dir / "src"), "--towns", "2", "--years", "3"],
        check=True,
        capture_output=True,
    )
    first = subprocess.run([str(ENGAGE), "run", str(base_dir / "src"), "--db", url], capture_output=True, text=True)
    assert first.returncode in (0, 1), first.stderr[-2000:]
    town = sorted(warehouse.towns(db=url)["ags"])[0]
    proc, base = start_app(url, base_dir)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        first_page = _main_text(page, f"{base}/engagement?town={town}&year=2025")
        context.close()
        first_report = _report_text(url, town, base_dir / "r1.pdf")
        first_package = zip_bytes(package_files(town=town, db=url))
        events = next((base_dir / "src").glob("*/veranstaltungen.csv"))
        assert events.parent.name == "musterstadt"
        lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
        events.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")  # run 2: half the events
        second = subprocess.run(
            [str(ENGAGE), "run", str(base_dir / "src"), "--db", url], capture_output=True, text=True
        )
        assert second.returncode in (0, 1), second.stderr[-2000:]
        yield TwoRuns(url, base, town, first_page, first_report, first_package)
    finally:
        stop_app(proc)


def test_parse_run_takes_only_a_plain_run_number() -> None:
    assert parse_run("1") == 1 and parse_run(" 12 ") == 12
    for raw in (None, "", "0", "-1", "+1", "1.0", "1e3", "abc", "1 OR 1=1", "9" * 10, "١", 3):
        assert parse_run(raw) is None, raw


def test_two_runs_are_kept_and_differ(two_runs: TwoRuns) -> None:
    runs = warehouse.published_runs(db=two_runs.url)
    assert sorted(runs["run_id"]) == [1, 2]
    events = {}
    for run in (1, 2):
        with warehouse.at_run(run):
            frame = warehouse.indicators(town=two_runs.town, indicator="events", db=two_runs.url)
            events[run] = frame.set_index("year")["value"].to_dict()
    assert events[1] != events[2]  # the inputs differ, so do the figures


def test_the_older_report_and_package_reproduce(two_runs: TwoRuns, tmp_path: Path) -> None:
    assert _report_text(two_runs.url, two_runs.town, tmp_path / "r1.pdf", "--run", "1") == two_runs.first_report
    assert _report_text(two_runs.url, two_runs.town, tmp_path / "r2.pdf") != two_runs.first_report
    with warehouse.at_run(1):
        assert zip_bytes(package_files(town=two_runs.town, db=two_runs.url)) == two_runs.first_package


def test_banner_and_messages_for_the_run_of_a_link(two_runs: TwoRuns) -> None:
    finished = warehouse.published_runs(db=two_runs.url).set_index("run_id").loc[1, "finished_at"]
    text, message = banner("1", two_runs.url, "de")
    assert text.startswith(f"Stand von Lauf 1 ({finished:%d.%m.%Y})") and message == ""
    for raw in ("7", "abc", "<script>"):
        text, message = banner(raw, two_runs.url, "de")
        assert text == "" and "ist in diesem Warehouse nicht gespeichert (gespeichert: 1, 2)" in message
    assert banner(None, two_runs.url, "de") == ("", "")


@pytest.mark.browser
def test_run_1_still_shows_run_1s_figures_in_the_browser(two_runs: TwoRuns, page) -> None:  # noqa: ANN001
    url = f"{two_runs.base}/engagement?town={two_runs.town}&year=2025"
    latest = _main_text(page, url)
    assert latest != two_runs.first_page  # run 2 is shown by default
    assert not page.locator("#shell-run").is_visible()
    assert _main_text(page, url + "&run=1") == two_runs.first_page
    run_banner = page.locator("#shell-run")
    assert run_banner.is_visible() and run_banner.inner_text().startswith("Stand von Lauf 1 (")
    page.click("#nav-overview")  # the page links keep the run
    settle(page)
    assert "run=1" in page.url and page.locator("#shell-run").is_visible()
    assert _main_text(page, url + "&run=2") == latest
    assert page.errors == []


@pytest.mark.browser
def test_a_hostile_run_in_the_link_shows_the_latest_with_a_message(two_runs: TwoRuns, page) -> None:  # noqa: ANN001
    url = f"{two_runs.base}/engagement?town={two_runs.town}&year=2025"
    latest = _main_text(page, url)
    for raw in ("99", "abc", "%3Cscript%3E", "-1"):
        assert _main_text(page, f"{url}&run={raw}") == latest, raw
        assert not page.locator("#shell-run").is_visible(), raw
        assert "ist in diesem Warehouse nicht gespeichert" in page.inner_text("#shell-alert"), raw
    assert page.errors == []


@pytest.mark.browser
def test_methods_page_offers_the_runs_package_and_citation(two_runs: TwoRuns, page) -> None:  # noqa: ANN001
    _main_text(page, f"{two_runs.base}/methodik?town={two_runs.town}&year=2025&run=1")
    page.wait_for_selector("#citing-text")
    assert page.inner_text("#citing-text").endswith(", Lauf 1")
    assert page.get_attribute("#citing-download", "href") == f"/daten/lauf-1.zip?town={two_runs.town}"
    assert page.locator("#citing-runs li").count() == 2
    assert "Creative Commons Namensnennung 4.0" in page.inner_text("main")
    assert page.errors == []
