"""The council report (issue 6): a German A4 PDF generated for a demo town, read back as text (the tagged
structure and the English report: ``test_report_tagged.py``).

Checks the page count, the headline values exactly as stored (German format), the data date on every
page, the goal table, that a suppressed value reads "–" with its reason and its number appears nowhere,
the as-of note, the chart fallback, clear German errors for an unknown town or year, and the download
route. Text is extracted with pypdf (test dependency).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import sqlite3
from pathlib import Path

import flask
import pytest
from pypdf import PdfReader

from dashboard.formatting import fmt_datetime, fmt_value
from dashboard.headlines import HEADLINE_INDICATORS
from dashboard.i18n import label
from dashboard.report import ReportError, build_report, charts
from dashboard.report.route import register_report_route
from etl import warehouse


def pages(path: Path) -> list[str]:
    """Each page's text with non-breaking spaces and runs of blanks made single spaces."""
    return [re.sub(r"[ \u00a0]+", " ", p.extract_text() or "") for p in PdfReader(str(path)).pages]


def norm(text: str) -> str:
    return re.sub(r"[ \u00a0]+", " ", text)


@pytest.fixture(scope="module")
def report(demo_warehouse: str, town_year: tuple[str, int], tmp_path_factory: pytest.TempPathFactory) -> Path:
    town, year = town_year
    return build_report(town, year, tmp_path_factory.mktemp("bericht") / "bericht.pdf", db=demo_warehouse)


def test_report_has_summary_three_family_pages_and_methods(report: Path) -> None:
    text = pages(report)
    # issue 16: the demo towns have district shapes, so the participation family gets its district map and
    # runs over two pages (charts and map, then its table)
    assert len(text) == 6
    assert "Bericht für den Rat".upper() in text[0]
    # (issue 15: each family page starts with its H2, the former capitals kicker line is gone)
    assert text[1].startswith("Engagement & Beteiligung")
    assert text[3].startswith("Zusammenarbeit")
    assert text[4].startswith("Ziele & Maßnahmen")
    assert text[5].startswith("Methodik und Quellen")
    assert all(f"Seite {i} von 6" in page for i, page in enumerate(text, start=1))
    assert PdfReader(str(report)).pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4 portrait
    # issue 15: page 1 has the rate chart (kaleido PNG); the participation page the registrations and the map
    assert len(PdfReader(str(report)).pages[0].images) == 1
    assert len(PdfReader(str(report)).pages[1].images) == 2


def test_headline_values_are_the_stored_values(report: Path, demo_warehouse: str, town_year) -> None:  # noqa: ANN001
    town, year = town_year
    first = pages(report)[0]
    flat = first.replace("\n", " ")
    cat = warehouse.catalogue(db=demo_warehouse).set_index("indicator")
    stored = warehouse.indicators(town=town, indicator=tuple(HEADLINE_INDICATORS), year=year, db=demo_warehouse)
    assert len(stored) >= 4
    for row in stored.itertuples():
        name = str(cat.at[row.indicator, "name_de"])
        shown = norm(fmt_value(row.value, str(cat.at[row.indicator, "unit"])))
        # the table row of the indicator: its name, then the stored value (a long name may wrap)
        assert f"{name} {shown} " in flat, (name, shown)
    assert f"Wert {year}" in flat and "Vorjahr" not in flat  # the column says the actual year
    rate = stored[stored["indicator"] == "engagement_rate"].iloc[0]
    before = warehouse.indicators(town=town, indicator="engagement_rate", year=year - 1, db=demo_warehouse).iloc[0]
    apart = rate["ci_low"] > before["ci_high"] or rate["ci_high"] < before["ci_low"]
    word = ("gestiegen" if rate["value"] > before["value"] else "gesunken") if apart else "etwa gleich"
    assert norm(f"{word}") in flat
    assert norm(f"zu {year - 1} ({fmt_value(before['value'], 'share')})") in flat
    # the goals of the year's end at a glance, worst status first
    as_of = warehouse.latest_run(db=demo_warehouse).as_of
    goals = warehouse.goal_status(town=town, year=min(year, as_of.year), db=demo_warehouse)
    ok = int(goals["status"].isin(["achieved", "on_track"]).sum())
    assert f"{ok} von {len(goals)} Zielen erreicht oder im Plan" in flat
    for g in goals.itertuples():
        assert f"{g.goal_id} " in flat and label("status", g.status) in flat


@pytest.mark.parametrize("lang", ["de", "en"])
def test_page_one_is_left_aligned_and_rendered(
    report: Path, demo_warehouse: str, town_year, lang: str, artifacts: Path, tmp_path: Path  # noqa: ANN001
) -> None:
    """The title is not justified (no stretched word spacing in the page's content stream); page 1 of each
    language is saved as a picture for looking at (pypdfium2); page 1 holds the whole summary (the next page
    starts with the first family, so nothing of page 1 spills over onto a half-empty page)."""
    import pypdfium2 as pdfium

    path = report if lang == "de" else build_report(*town_year, tmp_path / "en.pdf", db=demo_warehouse, lang=lang)
    content = PdfReader(str(path)).pages[0].get_contents().get_data()
    assert b" Tw" not in content  # justified text would set a word spacing (Tw)
    second = pages(path)[1]
    assert second.startswith("Engagement & Beteiligung" if lang == "de" else "Engagement & participation")
    pdf = pdfium.PdfDocument(str(path))
    for scale, name in ((1.6, f"report_page1_{lang}.png"), (2.4, f"report_page1_{lang}_large.png")):
        pdf[0].render(scale=scale).to_pil().save(artifacts / name)
    assert (artifacts / f"report_page1_{lang}.png").stat().st_size > 20_000


def test_data_date_and_goal_table(report: Path, demo_warehouse: str, town_year) -> None:  # noqa: ANN001
    town, _ = town_year
    text = pages(report)
    date = fmt_datetime(warehouse.data_date(demo_warehouse))
    assert all(f"Datenstand: {date}" in page for page in text)
    as_of = warehouse.latest_run(db=demo_warehouse).as_of
    goals = warehouse.goal_status(town=town, year=min(town_year[1], as_of.year), db=demo_warehouse)
    goal_page = text[4].replace("\n", " ")
    for g in goals.itertuples():
        assert f"{g.goal_id} " in goal_page
        assert label("status", g.status) in goal_page
    ok = int(goals["status"].isin(["achieved", "on_track"]).sum())
    assert f"{ok} von {len(goals)} Zielen erreicht oder im Plan" in text[4]
    assert "Der Zielstatus bezieht sich auf den Stichtag 30.06.2025." in text[4]
    sources = warehouse.runs(db=demo_warehouse)
    town_dir = text[5].replace("\n", " ")
    assert any(str(f) in town_dir for f in sources["file"])
    # issue 15: the goal plan and the population table are among the sources
    measures = warehouse.indicators(town=town, indicator="measures_done_share", db=demo_warehouse)
    plan_files = {f for cell in measures["source_files"].dropna() for f in str(cell).split(",") if f}
    plans = sources[(sources["kind"] == "goals") & sources["file"].isin(plan_files)]
    assert len(plans) == 1
    assert f"{plans['source'].iloc[0]} {plans['file'].iloc[0]}" in town_dir
    population = sources[sources["kind"] == "population"]
    assert len(population) and all(f"{r.source} {r.file}" in town_dir for r in population.itertuples())
    assert "Mindest" in text[5] or "weniger als 5" in text[5]


def test_suppressed_value_reads_dash_with_reason_and_never_its_number(
    demo_warehouse: str,
    town_year,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    town, year = town_year
    source = Path(demo_warehouse.removeprefix("sqlite:///"))
    copy = tmp_path / "wh.sqlite"
    shutil.copy(source, copy)
    db = f"sqlite:///{copy}"
    stored = warehouse.indicators(town=town, indicator="participation_rate", year=year, db=demo_warehouse).iloc[0]
    secret = norm(fmt_value(stored["value"], "share"))
    with sqlite3.connect(copy) as conn:  # what the ETL writes for a suppressed cell (brief §6)
        changed = conn.execute(
            "UPDATE mart_indicator_values SET value = NULL, n = NULL, ci_low = NULL, ci_high = NULL, suppressed = 1 "
            "WHERE town_ags = ? AND indicator = 'participation_rate' AND year = ?",
            (town, year),
        ).rowcount
    assert changed >= 1

    def no_browser(figures, **_kw):  # noqa: ANN001, ANN202 - the fallback without charts
        raise charts.ChartError("Die Diagramme konnten nicht erzeugt werden: kein Browser (Test).")

    monkeypatch.setattr(charts, "render_png", no_browser)
    out = build_report(town, year, tmp_path / "b.pdf", as_of=dt.date(2025, 9, 30), db=db)
    text = pages(out)
    everything = " ".join(text).replace("\n", " ")
    assert "Beteiligungsquote – (weniger als 5 Antworten)" in everything
    assert secret not in everything
    assert "Die Diagramme konnten nicht erzeugt werden; die Tabellen enthalten alle Werte." in everything
    assert "Angefragt wurde der Stichtag 30.09.2025" in everything
    assert "für den Stichtag 30.06.2025 berechnet" in everything
    assert all(len(PdfReader(str(out)).pages[i].images) == 0 for i in range(len(text)))


def test_unknown_town_year_or_warehouse_give_german_errors(demo_warehouse: str, town_year, tmp_path: Path) -> None:  # noqa: ANN001
    town, _ = town_year
    with pytest.raises(ReportError, match=r"Die Stadt „00000000“ gibt es im Warehouse nicht.*AGS"):
        build_report("00000000", 2025, tmp_path / "x.pdf", db=demo_warehouse)
    with pytest.raises(ReportError, match=r"liegen für das Jahr 1999 keine Werte vor; vorhanden: \d{4}–\d{4}"):
        build_report(town, 1999, tmp_path / "x.pdf", db=demo_warehouse)
    missing = tmp_path / "fehlt" / "wh.sqlite"
    with pytest.raises(ReportError, match="gibt es noch nicht"):
        build_report(town, 2025, tmp_path / "x.pdf", db=f"sqlite:///{missing}")
    assert not missing.exists() and not (tmp_path / "x.pdf").exists()


def test_download_route(demo_warehouse: str, town_year, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    town, year = town_year

    def no_browser(figures, **_kw):  # noqa: ANN001, ANN202 - pictures are not what this test is about
        raise charts.ChartError("kein Browser (Test).")

    monkeypatch.setattr(charts, "render_png", no_browser)
    monkeypatch.setattr(charts, "_keep_running", False)
    server = flask.Flask("test")
    register_report_route(server, demo_warehouse)
    monkeypatch.setattr(charts, "_keep_running", False)
    client = server.test_client()
    ok = client.get(f"/bericht.pdf?town={town}&year={year}")
    assert ok.status_code == 200 and ok.mimetype == "application/pdf"
    assert ok.data.startswith(b"%PDF")
    assert f"bericht_{town}_{year}.pdf" in ok.headers["Content-Disposition"]
    # issue 15: the page's language gives the report in that language (its own cached PDF)
    english = client.get(f"/bericht.pdf?town={town}&year={year}&lang=en")
    assert english.status_code == 200 and english.data != ok.data
    reader = PdfReader(io.BytesIO(english.data))
    assert str(reader.trailer["/Root"]["/Lang"]) == "en-GB" and reader.metadata.title.startswith("Engagement Monitor")
    assert "Page 1 of" in (reader.pages[0].extract_text() or "")
    assert str(PdfReader(io.BytesIO(ok.data)).trailer["/Root"]["/Lang"]) == "de-DE"
    unknown = client.get(f"/bericht.pdf?town=00000000&year={year}")
    assert unknown.status_code == 404 and "gibt es im Warehouse nicht" in unknown.get_data(as_text=True)
    bad = client.get(f"/bericht.pdf?town={town}&year=abc")
    assert bad.status_code == 400 and "keine Jahreszahl" in bad.get_data(as_text=True)
    unknown_en = client.get(f"/bericht.pdf?town=00000000&year={year}&lang=en")
    assert unknown_en.status_code == 404 and "is not in the warehouse" in unknown_en.get_data(as_text=True)
    bad_en = client.get(f"/bericht.pdf?town={town}&year=abc&lang=en")
    assert bad_en.status_code == 400 and "is not a year" in bad_en.get_data(as_text=True)
    network = client.get(f"/bericht.pdf?town=netzwerk&year={year}")  # asks for a town instead of failing
    page = network.get_data(as_text=True)
    assert network.status_code == 200 and network.mimetype == "text/html"
    assert "Den Bericht gibt es je Stadt: bitte oben eine Stadt wählen." in page
    assert f'<option value="{town}">' in page and f'<option value="{year}" selected>' in page
    assert client.get("/bericht.pdf").status_code == 200


def test_source_table_accounts_for_every_row_read(demo_warehouse: str) -> None:
    """Brief §4: read = accepted + rejected + skipped, so the report's source table carries the skipped column.

    The demo gives every fifth town its population as a Land-wide Regionalstatistik download whose other
    regions are skipped; that town's report must show those rows rather than lose them from the sum.
    """
    from dashboard.report.build import resolve_view
    from dashboard.report.content import report_content, source_header

    runs = warehouse.runs(db=demo_warehouse)
    skipped = runs[runs["rows_skipped"] > 0]
    assert len(skipped), "the demo has a population download with other regions"
    towns = warehouse.towns(db=demo_warehouse)
    seen_skipped = 0
    for town in towns["ags"].astype(str):
        year = max(warehouse.years(town=town, db=demo_warehouse))
        content = report_content(resolve_view(town, year, demo_warehouse))
        assert source_header("de")[-1] == "übersprungen"
        for row in content.source_rows:
            assert len(row) == len(source_header("de"))
            read, accepted, rejected, skip = (int(c.replace(".", "")) for c in row[2:])
            assert read == accepted + rejected + skip, row
            seen_skipped += skip
    assert seen_skipped > 0
