"""A warehouse built with the public demo key says so (issue 12): a banner on every dashboard page, in the
report, in the names of downloaded files and as a CLI warning next to every export; a warehouse of real
pseudonyms says nothing of the kind. The §7 export files keep their columns exactly.

The banner is checked in headless Chromium on every page (Sitzungsmodus included) against two running
apps: the demo warehouse of ``engage demo`` + ``engage run`` (demo key) and a synthetic warehouse whose
runs are logged without it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import flask
import pytest
from click.testing import CliRunner
from dash_settle import settle
from pypdf import PdfReader
from synthetic import SyntheticInfo

from dashboard.components.shell import demo_notice
from dashboard.report import build_report
from dashboard.report.route import register_report_route
from etl.cli import main
from etl.export import INDICATOR_COLUMNS

BANNER_DE = "Demodaten: Die Pseudonyme dieses Warehouse sind mit dem öffentlichen Demo-Schlüssel erzeugt"
BANNER_EN = "Demo data: the pseudonyms of this warehouse were made with the public demo key"
PAGES = ["/", "/engagement", "/zusammenarbeit", "/ziele", "/vergleich", "/methodik", "/sitzung"]


def test_banner_text_for_demo_and_real_warehouses(synthetic: SyntheticInfo, real_synthetic: SyntheticInfo) -> None:
    assert demo_notice(synthetic.url, "de").startswith(BANNER_DE)
    assert "keine echten Personendaten damit verwenden" in demo_notice(synthetic.url, "de")
    assert demo_notice(synthetic.url, "en").startswith(BANNER_EN)
    assert demo_notice(real_synthetic.url, "de") == ""
    assert demo_notice("sqlite:////nonexistent/wh.sqlite", "de") == ""  # the page says "missing" itself


@pytest.mark.browser
def test_banner_on_every_page_of_a_demo_warehouse(app_url: str, page, artifacts: Path) -> None:  # noqa: ANN001
    for path in PAGES:
        page.goto(f"{app_url}{path}")
        settle(page)
        banner = page.locator("#shell-demo")
        assert banner.is_visible(), path
        assert banner.inner_text().startswith(BANNER_DE), path
        assert page.errors == [], path
    page.screenshot(path=str(artifacts / "dashboard_demo_banner_meeting.png"))
    page.goto(f"{app_url}/engagement?lang=en")
    settle(page)
    assert page.locator("#shell-demo").inner_text().startswith(BANNER_EN)
    page.click("#nav-goals")  # within the app: the shell stays, the banner with it
    settle(page)
    assert page.locator("#shell-demo").is_visible()


@pytest.mark.browser
def test_no_banner_on_any_page_of_a_real_warehouse(real_app_url: str, page) -> None:  # noqa: ANN001
    for path in PAGES:
        page.goto(f"{real_app_url}{path}")
        settle(page)
        assert page.locator("h1").count() >= 1, path
        assert not page.locator("#shell-demo").is_visible(), path
        assert "Demodaten" not in page.inner_text("body"), path
        assert page.errors == [], path


def test_report_says_demo_data_on_every_page(
    synthetic: SyntheticInfo, real_synthetic: SyntheticInfo, tmp_path: Path
) -> None:
    for info, demo in ((synthetic, True), (real_synthetic, False)):
        out = build_report(info.towns[0], info.years[-1], tmp_path / f"bericht_{demo}.pdf", db=info.url)
        texts = [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(str(out)).pages]
        if demo:
            assert "Demodaten: Die Pseudonyme dieses Warehouse sind mit dem öffentlichen" in texts[0]
            assert all("DEMODATEN" in t for t in texts)
        else:
            assert not any("emodaten" in t.lower() for t in texts)


def test_report_download_name_says_demo_data(synthetic: SyntheticInfo, real_synthetic: SyntheticInfo) -> None:
    for info, name in ((synthetic, "demodaten_bericht_"), (real_synthetic, "bericht_")):
        server = flask.Flask(__name__)
        register_report_route(server, info.url)
        response = server.test_client().get(f"/bericht.pdf?town={info.towns[0]}&year={info.years[-1]}")
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"].replace('"', "")
        assert f"filename={name}{info.towns[0]}_{info.years[-1]}.pdf" in disposition


def test_cli_exports_warn_on_stderr_and_keep_their_format(
    synthetic: SyntheticInfo, real_synthetic: SyntheticInfo, tmp_path: Path
) -> None:
    runner = CliRunner()
    for info, demo in ((synthetic, True), (real_synthetic, False)):
        for what in ("indicators", "goals", "runs", "rejects"):
            out = tmp_path / f"{what}_{demo}.csv"
            result = runner.invoke(main, ["export", what, "--db", info.url, "--out", str(out)])
            assert result.exit_code == 0, result.output
            assert ("Demodaten" in result.stderr) is demo, (what, result.stderr)
            assert "Demodaten" not in result.stdout
            rows = list(csv.reader(out.open(encoding="utf-8")))
            assert not any("Demo" in cell for row in rows for cell in row)
            if what == "indicators":
                assert rows[0] == INDICATOR_COLUMNS
