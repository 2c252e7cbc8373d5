"""The district map in the council report (issue 16), read back from the PDF with pypdf: the page with the
map's caption holds its picture (rendered by kaleido through Chromium), the values by district are in the
text (print has no hover), and a warehouse without district shapes gives the report without a map."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from dashboard.formatting import fmt_value
from dashboard.report import build_report, charts
from etl import warehouse


def texts(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text() or "").replace("\u00a0", " ") for p in PdfReader(str(path)).pages]


@pytest.fixture(scope="module")
def town_year(demo_warehouse: str) -> tuple[str, int]:
    town = str(warehouse.districts(db=demo_warehouse)["town_ags"].iloc[0])
    year = int(
        warehouse.indicators(town=town, indicator="engagement_rate", breakdown="district", db=demo_warehouse)[
            "year"
        ].max()
    )
    return town, year


def test_the_report_has_the_map_page_with_its_picture_and_caption(
    demo_warehouse: str, town_year: tuple[str, int], tmp_path: Path
) -> None:
    town, year = town_year
    out = build_report(town, year, tmp_path / "bericht.pdf", db=demo_warehouse)
    pages = texts(out)
    caption = f"Karte: Engagementquote {year} nach Stadtteil"
    (page,) = [i for i, text in enumerate(pages) if caption in text]
    assert pages[page].startswith("Engagement & Beteiligung")  # on the participation family's page
    reader = PdfReader(str(out))
    images = reader.pages[page].images
    sizes = {(img.image.width, img.image.height) for img in images}
    assert (charts.WIDTH * charts.SCALE, 520 * charts.SCALE) in sizes  # the map, 900 × 520 px at scale 2
    # the values by district as text, as stored, in German format
    everything = " ".join(pages)
    stored = warehouse.indicators(
        town=town, indicator="engagement_rate", year=year, breakdown="district", db=demo_warehouse
    )
    names = warehouse.districts(town=town, db=demo_warehouse).set_index("code")["name"]
    assert f"Engagementquote {year} nach Stadtteil: " in everything
    for row in stored.itertuples():
        if row.suppressed:
            assert f"{names[row.group]} – (" in everything
        else:
            assert f"{names[row.group]} {fmt_value(row.value, 'share').replace(chr(160), ' ')}" in everything
    assert "Die Stadtteil-Umrisse sind erfunden (Demodaten)." in everything


def test_without_district_shapes_the_report_has_no_map(
    demo_warehouse: str, town_year: tuple[str, int], tmp_path: Path
) -> None:
    town, year = town_year
    copy = tmp_path / "ohne_karte.sqlite"
    shutil.copy(Path(demo_warehouse.removeprefix("sqlite:///")), copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("DELETE FROM mart_districts")
    out = build_report(town, year, tmp_path / "bericht.pdf", db=f"sqlite:///{copy}")
    everything = " ".join(texts(out))
    assert "Karte:" not in everything and "nach Stadtteil:" not in everything
    assert len(PdfReader(str(out)).pages[1].images) == 1  # the registrations chart, no map (the rates: page 1)
