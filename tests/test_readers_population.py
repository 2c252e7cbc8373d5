"""Population (brief §3.1): the canonical table, town totals from districts, rows of other regions skipped.

The Regionalstatistik table 12411-02-03-5 in its four layouts: ``test_readers_regionalstatistik.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures.readers.support import HERE, assert_counts, csv_bytes, read

REGIO = "12411-02-03-5_musterstadt.csv"
BANDS = ("0-13", "14-29", "30-49", "50-64", "65+")


def year_rows(ags: str, year: int, district: str | None = "", skip: set = frozenset(), count: str = "10") -> list:
    """The ten rows of a whole year (five bands × w, m) but ``skip``; ``district=None``: no district column."""
    lead = [ags, str(year)] + ([] if district is None else [district])
    return [[*lead, b, g, count] for b in BANDS for g in ("w", "m") if (b, g) not in skip]


def test_canonical_table_with_mapping_rejects_and_district_totals(tmp_path: Path) -> None:
    rows = [
        ["Gemeinde", "Jahr", "Stadtteil", "Altersgruppe", "Geschlecht", "Anzahl"],
        ["09999001", "2024", "Nord", "0-13", "w", "100"],  # 2
        ["09999001", "2024", "Süd", "0-13", "w", "50,5"],  # 3
        ["09999001", "2024", "Nord", "0-13", "m", "90"],  # 4
        ["09999001", "2024", "Nord", "0-13", "w", "1"],  # 5 duplicate of 2
        ["9999001", "2024", "", "0-13", "w", "5"],  # 6 AGS without leading zero
        ["09999002", "2024", "", "0-13", "w", "5"],  # 7 not a manifest town: skipped, not rejected
        ["09999001", "2024", "", "10-20", "w", "5"],  # 8 unknown band
        ["09999001", "2024", "", "65+", "d", "5"],  # 9 official statistics have no d
        ["09999001", "2024", "", "65+", "m", "-3"],  # 10 negative count
        ["09999001", "2023", "", "65+", "m", "700"],  # 11 town total of 2023
        ["09999001", "2023", "Nord", "65+", "m", "300"],  # 12 district of 2023 (total exists)
    ]
    # the rest of each year, so that every year is whole (an incomplete one is not taken over: test below)
    rows += year_rows("09999001", 2024, "Nord", {("0-13", "w"), ("0-13", "m")})
    rows += year_rows("09999001", 2024, "Süd", {("0-13", "w")})
    rows += year_rows("09999001", 2023, "", {("65+", "m")})
    rows += year_rows("09999001", 2023, "Nord", {("65+", "m")})
    columns = {
        "ags": "Gemeinde",
        "year": "Jahr",
        "district": "Stadtteil",
        "age_band": "Altersgruppe",
        "gender": "Geschlecht",
        "count": "Anzahl",
    }
    result = read(tmp_path, "population", {"pop.csv": csv_bytes(rows, "utf8_bom")}, columns=columns, town=None)
    reasons = {(r.row, r.column): r.reason for r in result.rejects.itertuples()}
    assert reasons == {
        (5, "Anzahl"): "Duplikat von Zeile 2",
        (6, "Gemeinde"): "Wert '9999001' in Spalte 'Gemeinde' ist kein 8-stelliger Code "
        "(führende Null verloren? In Excel die Spalte als Text formatieren)",
        (8, "Altersgruppe"): "Wert '10-20' in Spalte 'Altersgruppe' ist nicht erlaubt "
        "(erlaubt: 0-13, 14-29, 30-49, 50-64, 65+)",
        (9, "Geschlecht"): "Wert 'd' in Spalte 'Geschlecht' ist nicht erlaubt (erlaubt: w, m)",
        (10, "Anzahl"): "Wert '-3' in Spalte 'Anzahl' ist keine Zahl ≥ 0",
    }
    frame = result.frames["population"]
    town = frame[(frame["district"] == "") & (frame["year"] == 2024)]
    totals = town[town["age_band"] == "0-13"].set_index("gender")
    assert totals.loc["w", "count"] == 150.5 and totals.loc["m", "count"] == 100
    assert totals.loc["w", "source_row"] == 2  # provenance: the first district row behind the sum
    assert len(town) == 10 and town.loc[town["age_band"] == "65+", "count"].tolist() == [20, 20]
    # 2023 already has a town total: nothing is added
    assert len(frame[(frame["year"] == 2023) & (frame["district"] == "")]) == 10
    assert "09999002" not in set(frame["ags"])
    report = result.files[0]
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.rows_skipped) == (46, 40, 5, 1)
    assert report.message == "46 Zeilen gelesen, 40 übernommen, 5 abgewiesen, 1 Zeile anderer Gebiete übersprungen"
    assert_counts(result)


def test_canonical_rows_of_other_regions_are_skipped_unchecked(tmp_path: Path) -> None:
    """A Kreis-wide table: the neighbours' rows are counted as skipped, their cells are not judged."""
    rows = [["ags", "year", "age_band", "gender", "count"], *year_rows("09999001", 2024, None)]
    rows += [[f"09{k:06d}", "2024", "65+", "w", "x" if k % 2 else "7"] for k in range(2, 1875)]
    result = read(tmp_path, "population", {"kreis.csv": csv_bytes(rows)}, town=None)
    report = result.files[0]
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.rows_skipped) == (1883, 10, 0, 1873)
    assert report.message.endswith("1.873 Zeilen anderer Gebiete übersprungen")
    assert result.rejects.empty and list(result.frames["population"]["ags"]) == ["09999001"] * 10


def test_ags_and_year_from_the_manifest(tmp_path: Path) -> None:
    rows = [["age_band", "gender", "count"], ["14-29", "weiblich", "10"], ["14-29", "M", "12"]]
    rows += [r[2:] for r in year_rows("", 0, None, {("14-29", "w"), ("14-29", "m")})]
    result = read(tmp_path, "population", {"p.csv": csv_bytes(rows)}, year=2022)
    frame = result.frames["population"]
    assert list(frame["ags"]) == ["09999001"] * 10 and set(frame["year"]) == {2022}
    assert list(frame["gender"][:2]) == ["w", "m"] and list(frame["count"][:2]) == [10, 12]


def test_a_year_with_figures_absent_or_rejected_is_not_taken_over(tmp_path: Path) -> None:
    """A missing or rejected row makes the year unknown, not smaller (weighting on a zero the town does not have
    would be silently wrong): the year is left out and named; the whole years stay."""
    rows = [["ags", "year", "district", "age_band", "gender", "count"]]
    rows += year_rows("09999001", 2021)  # whole
    rows += year_rows("09999001", 2022, skip={("65+", "w")})  # a row absent
    rows += year_rows("09999001", 2023)[:-1] + [["09999001", "2023", "", "65+", "m", "viele"]]  # a row rejected
    rows += year_rows("09999001", 2024)  # a whole total, and one of two districts incomplete
    rows += year_rows("09999001", 2024, "Nord") + year_rows("09999001", 2024, "Süd", {("0-13", "m")})
    rows += year_rows("09999001", 2025, "Nord", {("30-49", "w"), ("30-49", "m")})  # only districts, one short
    rows += year_rows("09999001", 2026, skip={("0-13", "w"), ("0-13", "m")})  # aged 14+ only: whole
    rows += year_rows("09999001", 2027, skip={("0-13", "m")})  # half of 0-13: not whole
    result = read(tmp_path, "population", {"pop.csv": csv_bytes(rows)}, town=None)
    frame = result.frames["population"]
    kept = frame.groupby(["year", "district"]).size().to_dict()
    assert kept == {(2021, ""): 10, (2024, ""): 10, (2026, ""): 8}
    assert list(result.rejects["row"]) == [30]
    report = result.files[0]
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (83, 82, 1)
    assert report.message == (
        "83 Zeilen gelesen, 82 übernommen, 1 abgewiesen; Bevölkerung unvollständig, daher nicht übernommen: "
        "Musterstadt 2022 (1 von 10 Werten fehlen); Musterstadt 2023 (1 von 10 Werten fehlen); "
        "Musterstadt 2024 (1 Stadtteil unvollständig, die Stadtteilzeilen des Jahres fehlen); "
        "Musterstadt 2025 (1 Stadtteil unvollständig, die Stadtteilzeilen des Jahres fehlen); "
        "Musterstadt 2027 (1 von 10 Werten fehlen); für diese Jahre gilt "
        "die Bevölkerung des letzten vollständigen früheren Jahres (ohne ein solches bleibt die Umfrage ungewichtet)"
    )
    assert_counts(result)


@pytest.mark.parametrize("fmt", ["regionalstatistik", None])
def test_long_layout_fixture_is_rebanded(tmp_path: Path, fmt: str | None) -> None:
    """The hand-written long-layout file: a units line, a neighbour with '.', a '-' in Musterstadt 2023."""
    shutil.copy(HERE / REGIO, tmp_path / REGIO)
    result = read(tmp_path, "population", [REGIO], format=fmt, town=None)
    assert not result.failed, result.files
    frame = result.frames["population"].set_index(["year", "age_band", "gender"])["count"]
    # men 2022: group i has 100 + 10 i; 10-15 (i = 3, 130) splits 4/5 -> 0-13 and 1/5 -> 14-29
    assert frame[(2022, "0-13", "m")] == pytest.approx(100 + 110 + 120 + 0.8 * 130)
    assert frame[(2022, "14-29", "m")] == pytest.approx(0.2 * 130 + 140 + 150 + 160 + 170)
    assert frame[(2022, "30-49", "m")] == pytest.approx(180 + 190 + 200 + 210)
    assert frame[(2022, "50-64", "m")] == pytest.approx(220 + 230 + 240)
    assert frame[(2022, "65+", "w")] == pytest.approx(260 + 270)
    assert frame.groupby(level=0).sum()[2022] == pytest.approx(sum(100 + 10 * i + 110 + 10 * i for i in range(17)))
    # '-' is "no figure": Musterstadt's 2023 is unknown, not smaller, and is left out (never weighted on a 0)
    assert set(frame.index.get_level_values(0)) == {2022}
    assert set(result.frames["population"]["ags"]) == {"09999001"}
    assert set(result.frames["population"]["district"]) == {""}
    report = result.files[0]
    # 2 years x 2 regions x 18 lines; the neighbouring town (not in the manifest) is skipped, not rejected
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.rows_skipped) == (72, 36, 0, 36)
    assert report.message == (
        "72 Zeilen gelesen, 36 übernommen, 0 abgewiesen, 36 Zeilen anderer Gebiete übersprungen; "
        "Bevölkerung unvollständig, daher nicht übernommen: Musterstadt 2023 (1 von 34 Werten '-', '.', 'x' oder "
        "'/'); für diese Jahre gilt die Bevölkerung des letzten vollständigen früheren Jahres (ohne ein solches "
        "bleibt die Umfrage ungewichtet)"
    )
    assert result.rejects.empty
    assert_counts(result)


def test_long_layout_bad_values_and_files_of_no_layout(tmp_path: Path) -> None:
    text = (HERE / REGIO).read_bytes().decode("latin-1")
    text = text.replace(
        "31.12.2022;09999001;Musterstadt, Stadt;unter 3 Jahre;210;100;110",
        "31.12.2022;09999001;Musterstadt, Stadt;unter 3 Jahre;210;1O0;110",
    )
    (tmp_path / "r.csv").write_bytes(text.encode("latin-1"))
    result = read(tmp_path, "population", ["r.csv"], format="regionalstatistik")
    assert result.rejects[["row", "column", "reason"]].values.tolist() == [
        [6, "männlich", "Wert '1O0' in Spalte 'männlich' ist keine Anzahl"]
    ]
    assert "Musterstadt 2022 (2 von 34 Werten fehlen)" in result.files[0].message  # the rejected line's two
    assert_counts(result)
    (tmp_path / "plain.csv").write_bytes(b"a;b\n1;2\n")
    failed = read(tmp_path, "population", ["plain.csv"], format="regionalstatistik")
    assert failed.failed
    assert failed.files[0].message.startswith("plain.csv hat nicht das Format der Regionalstatistik 12411-02-03-5:")
    # without format = "regionalstatistik" the file is taken for the canonical table; the message names both
    failed = read(tmp_path, "population", ["plain.csv"])
    message = failed.files[0].message
    assert message.startswith("Pflichtspalte 'year' fehlt in plain.csv (vorhandene Spalten: a, b).")
    assert "Standardtabelle" in message and "12411-02-03-5 der Regionalstatistik" in message
