"""The council report as a tagged PDF in German and English (issue 15, point 3), read back with pdfinfo and pypdf.

Built for a demo town by the real pipeline (Chromium prints the HTML layout): ``pdfinfo`` says "Tagged: yes";
the catalog has /MarkInfo Marked, /Lang (de-DE, en-GB), /Title shown as the window title; the structure tree
has one H1, an H2 per family, tables whose header cells carry /Scope and whose data cells name their headers,
and one Figure with a non-empty /Alt per chart naming the chart's values. Page 1 is the summary (headline
figures, goals at a glance with status marks, the actual years). The English report has none of the German
interface texts, the German one has them; hostile strings from the warehouse print as text and fetch nothing;
the print page loads nothing from the network or the file system; no personal data of the sources appears.
"""

from __future__ import annotations

import http.server
import io
import re
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject

from dashboard.formatting import fmt_value
from dashboard.headlines import HEADLINE_INDICATORS, STATUS_MARK, Finding
from dashboard.i18n import label
from dashboard.report import build_report
from dashboard.report.build import resolve_view
from dashboard.report.content import dated_value, report_content
from dashboard.report.layout import document
from dashboard.report.printer import print_pdf
from etl import warehouse

LANGS = ("de", "en")
# interface texts of the report in German; none may appear in the English report once the warehouse's own
# texts (goal titles, plan units, source and file names, project, town and district names) are taken out
GERMAN = [
    "Bericht für den Rat",
    "Kennzahl",
    "Seite ",
    "Datenstand",
    "Berichtsjahr",
    "ETL-Lauf",
    "Veränderung",
    "Ziel und Status",
    "Ziele auf einen Blick",
    "gestiegen",
    "gesunken",
    "etwa gleich",
    "erster Messwert",
    "nicht im Plan",
    "gefährdet",
    "keine Messung",
    "erreicht",
    "Zielwert",
    "Fortschritt",
    "erwartet",
    "übernommen",
    "abgewiesen",
    "übersprungen",
    "Methodik",
    "Quellen",
    "Stand:",
    "Diagramm",
    "Werte:",
    "Gewichtung",
    "Datenschutz",
    "Unsicherheit",
    "Engagementquote",
    "Beteiligungsquote",
    "Freiwillige",
    "Zusammenarbeit",
    "Augenhöhe",
    "Stadtteil",
    "Demodaten",
    "DEMODATEN",
    " Uhr",
    " Pp.",
    "Statuszeichen",
]
ENGLISH = ["Report for the council", "Page 1 of", "Goals at a glance", "Indicator", "Status marks", "Chart:"]


def nodes(path: Path) -> list[DictionaryObject]:
    """Every structure element of the PDF, in reading order (depth first)."""
    root = PdfReader(str(path)).trailer["/Root"]
    found: list[DictionaryObject] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            found.append(node)
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, DictionaryObject) and "/K" in node:  # the StructTreeRoot
            walk(node["/K"])

    walk(root["/StructTreeRoot"])
    return found


def attributes(node: DictionaryObject) -> dict[str, object]:
    attrs = node.get("/A")
    attrs = attrs.get_object() if attrs is not None else []
    merged: dict[str, object] = {}
    for a in attrs if isinstance(attrs, ArrayObject) else [attrs]:
        merged.update({str(k): v for k, v in a.get_object().items()})
    return merged


def kind(node: DictionaryObject) -> str:
    return str(node["/S"])


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def page_texts(path: Path) -> list[str]:
    return [flat(p.extract_text() or "") for p in PdfReader(str(path)).pages]


@pytest.fixture(scope="module")
def reports(demo_warehouse: str, town_year: tuple[str, int], tmp_path_factory: pytest.TempPathFactory) -> dict:
    town, year = town_year
    folder = tmp_path_factory.mktemp("berichte")
    return {
        lang: build_report(town, year, folder / f"bericht_{lang}.pdf", db=demo_warehouse, lang=lang) for lang in LANGS
    }


@pytest.fixture(scope="module")
def contents(demo_warehouse: str, town_year: tuple[str, int]) -> dict:
    town, year = town_year
    return {lang: report_content(resolve_view(town, year, demo_warehouse, lang)) for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_pdfinfo_says_tagged_with_title_and_a4(reports: dict, contents: dict, lang: str) -> None:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo fehlt: apt-get install poppler-utils")
    info = subprocess.run(["pdfinfo", str(reports[lang])], capture_output=True, text=True, check=True).stdout
    fields = dict(re.findall(r"^([^:]+):\s*(.*)$", info, flags=re.MULTILINE))
    assert fields["Tagged"] == "yes"
    assert fields["Title"] == contents[lang].title
    assert fields["Page size"].endswith("(A4)")


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_language_title_and_structure(reports: dict, contents: dict, demo_warehouse: str, lang: str) -> None:
    reader = PdfReader(str(reports[lang]))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] is True or catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert str(catalog["/Lang"]) == ("en-GB" if lang == "en" else "de-DE")
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 - a PDF boolean
    assert reader.metadata.title == contents[lang].title
    assert "/Outlines" in catalog  # bookmarks from the headings

    tree = nodes(reports[lang])
    kinds = [kind(n) for n in tree]
    content = contents[lang]
    assert kinds.count("/H1") == 1
    assert kinds.index("/H1") < kinds.index("/H2")  # the report's title comes first in reading order
    assert kinds.count("/H2") >= 3 + len(content.sections)  # statement, goals, each family, methods
    tables = [n for n in tree if kind(n) == "/Table"]
    # page 1: figures and goals; one value table per family; the sources
    assert len(tables) == 2 + len(content.sections) + 1
    header_cells = [n for n in tree if kind(n) == "/TH"]
    assert {str(attributes(n).get("/Scope")) for n in header_cells} == {"/Column", "/Row"}
    column_headers = sum(1 for n in header_cells if str(attributes(n).get("/Scope")) == "/Column")
    assert column_headers >= sum(len(s.header) for s in content.sections)
    data_cells = [n for n in tree if kind(n) == "/TD"]
    assert data_cells and all(attributes(n).get("/Headers") for n in data_cells)  # each names its header cells
    assert kinds.count("/Caption") == len(tables)  # every table is named

    # page furniture (the footer, the kicker line) is an artifact: no text is shown outside marked content
    for page in reader.pages:
        depth, loose = 0, 0
        for _operands, operator in ContentStream(page.get_contents(), reader).operations:
            depth += {b"BDC": 1, b"BMC": 1, b"EMC": -1}.get(operator, 0)
            loose += depth == 0 and operator in (b"Tj", b"TJ", b"'", b'"', b"Do")
        assert loose == 0
    assert b"/Artifact" in reader.pages[0].get_contents().get_data()

    charts = [content.summary.chart, *(c for s in content.sections for c in s.charts)]
    figures = [n for n in tree if kind(n) == "/Figure"]
    assert len(figures) == len(charts) >= 5  # page 1's chart, registrations, map, two collaboration, goals
    alts = [str(n.get("/Alt", "")) for n in figures]
    assert alts == [c.alt for c in charts]
    assert all(len(a) > 40 for a in alts)
    # an alternative text names the values the chart draws
    town, year = content.town, content.year
    rate = warehouse.indicators(town=town, indicator="engagement_rate", year=year, db=demo_warehouse)
    assert fmt_value(rate["value"].iloc[0], "share", lang) in alts[0]
    goal_alt = next(a for a in alts if content.sections[-1].charts[0].title in a)
    assert all(g[0] in goal_alt for g in content.sections[-1].rows)  # every goal id in the goal chart's text


@pytest.mark.parametrize("lang", LANGS)
def test_page_one_is_the_summary_with_the_actual_years(
    reports: dict, contents: dict, demo_warehouse: str, town_year, lang: str  # noqa: ANN001
) -> None:
    town, year = town_year
    first = page_texts(reports[lang])[0]
    content = contents[lang]
    summary = content.summary
    assert summary.statement in first
    assert (f"Wert {year}" if lang == "de" else f"Value {year}") in first
    assert "Vorjahr" not in first and "previous year" not in first.lower()
    cat = warehouse.catalogue(db=demo_warehouse).set_index("indicator")
    stored = warehouse.indicators(town=town, indicator=tuple(HEADLINE_INDICATORS), year=year, db=demo_warehouse)
    assert len(stored) >= 4
    for row in stored.itertuples():
        name = str(cat.at[row.indicator, "name_en" if lang == "en" else "name_de"])
        assert f"{name} {flat(fmt_value(row.value, str(cat.at[row.indicator, 'unit']), lang))}" in first, name
    before = warehouse.indicators(town=town, indicator="engagement_rate", year=year - 1, db=demo_warehouse).iloc[0]
    linker = "zu" if lang == "de" else "vs."
    assert f"{linker} {year - 1} ({flat(fmt_value(before['value'], 'share', lang))})" in first  # the earlier year
    # goals at a glance: each goal with its mark and status word, and the count
    goals = warehouse.goal_status(town=town, year=min(year, content.stored_as_of.year), db=demo_warehouse)
    assert ("Ziele auf einen Blick" if lang == "de" else "Goals at a glance") in first
    assert flat(summary.goals_heading) in first
    for g in goals.itertuples():
        assert f"{STATUS_MARK[g.status]} {label('status', g.status, lang)}" in first
        assert f"{g.goal_id} " in first
    assert flat(summary.marks) in first
    assert len(PdfReader(str(reports[lang])).pages[0].images) == 1  # the one chart of page 1


def test_cli_writes_the_english_report(demo_warehouse: str, town_year, tmp_path: Path) -> None:  # noqa: ANN001
    from click.testing import CliRunner

    from etl.cli import main

    town, year = town_year
    out = tmp_path / "report.pdf"
    args = ["report", "--db", demo_warehouse, "--town", town, "--year", str(year), "--lang", "en", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(out))
    assert str(reader.trailer["/Root"]["/Lang"]) == "en-GB"
    assert "Page 1 of" in (reader.pages[0].extract_text() or "")
    wrong = CliRunner().invoke(main, [*args[:-4], "--lang", "fr", "--out", str(out)])
    assert wrong.exit_code == 2


def test_a_value_of_another_year_says_its_year() -> None:
    """The column is named with the report's year; a value carried over from an earlier survey says its year."""
    stale = Finding("network_density", "Netzwerkdichte", "index", 2025, "stale", value=0.21, value_year=2023, n=30)
    assert dated_value(stale, "de") == "0,21 (Stand: 2023)"
    assert dated_value(stale, "en") == "0.21 (as of 2023)"
    fresh = Finding("network_density", "Netzwerkdichte", "index", 2025, "first", value=0.21, value_year=2025, n=30)
    assert dated_value(fresh, "de") == "0,21"


def _without_warehouse_texts(text: str, content, db: str) -> str:  # noqa: ANN001
    """The text without what the warehouse itself says (user data, in whatever language it was written)."""
    goals = warehouse.goal_status(town=content.town, db=db)
    runs = warehouse.runs(db=db)
    own = [
        *goals["title"].astype(str),
        *goals["unit"].dropna().astype(str),
        *runs["source"].astype(str),
        *runs["file"].astype(str),
        *warehouse.towns(db=db)["name"].astype(str),
        *warehouse.districts(db=db)["name"].astype(str),
        content.project,
    ]
    for value in sorted({flat(v) for v in own if v}, key=len, reverse=True):
        text = text.replace(value, " ")
    return text


def test_english_report_has_no_german_interface_texts(reports: dict, contents: dict, demo_warehouse: str) -> None:
    alts = {lang: " ".join(str(n.get("/Alt", "")) for n in nodes(reports[lang])) for lang in LANGS}
    texts = {lang: " ".join(page_texts(reports[lang])) + " " + flat(alts[lang]) for lang in LANGS}
    english = _without_warehouse_texts(texts["en"], contents["en"], demo_warehouse)
    german = _without_warehouse_texts(texts["de"], contents["de"], demo_warehouse)
    english, german = english.casefold(), german.casefold()  # the kicker line is in capitals
    assert [w for w in GERMAN if w.casefold() in english] == []
    assert [w for w in GERMAN if w.casefold() not in german] == []
    assert [w for w in ENGLISH if w.casefold() not in english] == []
    assert [w for w in ENGLISH if w.casefold() in german] == []
    # number and date formats of the language
    data_date = contents["en"].data_date
    assert data_date.strftime("%Y-%m-%d %H:%M") in texts["en"]
    assert data_date.strftime("%d.%m.%Y, %H:%M Uhr") in texts["de"]


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        _Recorder.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[str]:
    """A real HTTP server on localhost that records every request (nothing may reach it)."""
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_hostile_strings_print_as_text_and_fetch_nothing(
    demo_warehouse: str, town_year, tmp_path: Path, listener: str  # noqa: ANN001
) -> None:
    town, year = town_year
    copy = tmp_path / "wh.sqlite"
    shutil.copy(Path(demo_warehouse.removeprefix("sqlite:///")), copy)
    name = f'Muster<img src="{listener}/town.png">&amp;<script>alert(1)</script>'
    title = f'<iframe src="file:///etc/hostname"></iframe><b>Ziel</b> <img src="{listener}/goal.png">'
    with sqlite3.connect(copy) as conn:
        assert conn.execute("UPDATE towns SET name = ? WHERE ags = ?", (name, town)).rowcount >= 1
        assert conn.execute("UPDATE mart_goals SET title = ? WHERE town_ags = ?", (title, town)).rowcount >= 1
    out = build_report(town, year, tmp_path / "b.pdf", db=f"sqlite:///{copy}", lang="en")
    text = " ".join(page_texts(out))
    assert flat(name) in text  # shown as the characters it is made of, markup and all
    assert "<b>Ziel</b>" in text and "<iframe" in text
    assert PdfReader(str(out)).metadata.title == f"Engagement Monitor – report {name} {year}"
    assert _Recorder.seen == []


def test_the_print_page_loads_nothing_from_network_or_files(listener: str) -> None:
    """Even markup that got in unescaped cannot fetch: the document's policy allows only data: images, and
    JavaScript is off."""
    body = (
        f'<h1>Probe</h1><img src="{listener}/img.png" alt="x"><link rel="stylesheet" href="{listener}/style.css">'
        f'<iframe src="file:///etc/hostname"></iframe><object data="{listener}/object"></object>'
        f'<div style="background:url({listener}/bg.png)">x</div>'
        f"<script>fetch('{listener}/script'); document.title = 'script ran';</script>"
    )
    pdf = print_pdf(document("de", "Probe", body), "<span></span>")
    assert pdf.startswith(b"%PDF")
    assert _Recorder.seen == []
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    assert reader.metadata.title == "Probe"  # the script did not run
    hostname = Path("/etc/hostname").read_text().strip()
    assert hostname and hostname not in text


def test_printing_works_where_an_event_loop_runs_already() -> None:
    """A Jupyter kernel, Playwright's sync API or an async server runs an event loop in the caller's thread;
    the report is printed all the same (the full suite found ``asyncio.run`` refusing inside such a loop)."""
    import asyncio

    async def inside_a_loop() -> bytes:
        return print_pdf(document("de", "Probe", "<h1>Probe</h1><p>Text</p>"), "<span></span>")

    got: list[bytes] = []  # a thread of its own, whatever loop the test process runs in its main thread
    caller = threading.Thread(target=lambda: got.append(asyncio.run(inside_a_loop())))
    caller.start()
    caller.join(timeout=120)
    assert got and got[0].startswith(b"%PDF") and PdfReader(io.BytesIO(got[0])).metadata.title == "Probe"


def test_no_personal_data_of_the_sources(reports: dict, demo_source: Path) -> None:
    texts = " ".join(" ".join(page_texts(reports[lang])) for lang in LANGS)
    alts = " ".join(str(n.get("/Alt", "")) for lang in LANGS for n in nodes(reports[lang]))
    everything = texts + " " + alts
    people = pd.concat(
        [pd.read_csv(f, sep=";", dtype=str, encoding="utf-8-sig") for f in demo_source.glob("*/freiwillige.csv")]
    )
    assert len(people) > 10
    for first, last, mail, phone in people[["Vorname", "Nachname", "E-Mail", "Telefon"]].head(300).itertuples(
        index=False
    ):
        assert f"{first} {last}" not in everything
        assert str(mail) not in everything and str(phone) not in everything
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", everything)  # no e-mail address at all
    assert not re.search(r"\b(?:\d{1,3}\.){3}\d{1,3}\b", everything)  # no IP address
