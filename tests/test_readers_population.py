"""Population (brief §3.1): the canonical table, town totals from districts, and the Regionalstatistik layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures.readers.support import HERE, assert_counts, csv_bytes, read

REGIO = "12411-02-03-5_musterstadt.csv"


def test_canonical_table_with_mapping_rejects_and_district_totals(tmp_path: Path) -> None:
    rows = [
        ["Gemeinde", "Jahr", "Stadtteil", "Altersgruppe", "Geschlecht", "Anzahl"],
        ["09999001", "2024", "Nord", "0-13", "w", "100"],  # 2
        ["09999001", "2024", "Süd", "0-13", "w", "50,5"],  # 3
        ["09999001", "2024", "Nord", "0-13", "m", "90"],  # 4
        ["09999001", "2024", "Nord", "0-13", "w", "1"],  # 5 duplicate of 2
        ["9999001", "2024", "", "0-13", "w", "5"],  # 6 AGS without leading zero
        ["09999002", "2024", "", "0-13", "w", "5"],  # 7 not a manifest town
        ["09999001", "2024", "", "10-20", "w", "5"],  # 8 unknown band
        ["09999001", "2024", "", "65+", "d", "5"],  # 9 official statistics have no d
        ["09999001", "2024", "", "65+", "m", "-3"],  # 10 negative count
        ["09999001", "2023", "", "65+", "m", "700"],  # 11 town total of 2023
        ["09999001", "2023", "Nord", "65+", "m", "300"],  # 12 district of 2023 (total exists)
    ]
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
        (7, "Gemeinde"): "AGS '09999002' in Spalte 'Gemeinde' gehört zu keiner Stadt in engage.toml ([[towns]])",
        (8, "Altersgruppe"): "Wert '10-20' in Spalte 'Altersgruppe' ist nicht erlaubt "
        "(erlaubt: 0-13, 14-29, 30-49, 50-64, 65+)",
        (9, "Geschlecht"): "Wert 'd' in Spalte 'Geschlecht' ist nicht erlaubt (erlaubt: w, m)",
        (10, "Anzahl"): "Wert '-3' in Spalte 'Anzahl' ist keine Zahl ≥ 0",
    }
    frame = result.frames["population"]
    totals = frame[(frame["district"] == "") & (frame["year"] == 2024)].set_index("gender")
    assert totals.loc["w", "count"] == 150.5 and totals.loc["m", "count"] == 90
    assert totals.loc["w", "source_row"] == 2  # provenance: the first district row behind the sum
    # 2023 already has a town total: nothing is added
    assert len(frame[(frame["year"] == 2023) & (frame["district"] == "")]) == 1
    assert_counts(result)


def test_ags_and_year_from_the_manifest(tmp_path: Path) -> None:
    rows = [["age_band", "gender", "count"], ["14-29", "weiblich", "10"], ["14-29", "M", "12"]]
    result = read(tmp_path, "population", {"p.csv": csv_bytes(rows)}, year=2022)
    frame = result.frames["population"]
    assert list(frame["ags"]) == ["09999001"] * 2 and list(frame["year"]) == [2022, 2022]
    assert list(frame["gender"]) == ["w", "m"]


@pytest.mark.parametrize("fmt", ["regionalstatistik", None])
def test_regionalstatistik_layout_is_rebanded(tmp_path: Path, fmt: str | None) -> None:
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
    # '-' is "nothing": the first group of women in 2023 counts 0
    assert frame[(2023, "0-13", "w")] == pytest.approx(120 + 130 + 0.8 * 140)
    assert frame.groupby(level=0).sum()[2022] == pytest.approx(sum(100 + 10 * i + 110 + 10 * i for i in range(17)))
    assert set(result.frames["population"]["ags"]) == {"09999001"}
    assert set(result.frames["population"]["district"]) == {""}
    report = result.files[0]
    # 2 years x 2 regions x 18 lines; the neighbouring town (not in the manifest) is rejected, one reject per line
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (72, 36, 36)
    assert "1 Wert '-' oder '.'" in report.message
    assert result.rejects["reason"].iloc[0] == (
        "Region '09999002 Nachbardorf' gehört zu keiner Stadt in engage.toml ([[towns]])"
    )
    assert result.rejects["row"].iloc[0] == 24  # row = line of the file
    assert_counts(result)


def test_regionalstatistik_bad_values_and_wrong_layout(tmp_path: Path) -> None:
    text = (HERE / REGIO).read_bytes().decode("latin-1")
    text = text.replace(
        "31.12.2022;09999001;Musterstadt, Stadt;unter 3 Jahre;210;100;110",
        "31.12.2022;09999001;Musterstadt, Stadt;unter 3 Jahre;210;x;110",
    )
    (tmp_path / "r.csv").write_bytes(text.encode("latin-1"))
    result = read(tmp_path, "population", ["r.csv"], format="regionalstatistik")
    bad = result.rejects[result.rejects["column"] == "männlich"]
    assert bad[["row", "reason"]].values.tolist() == [[6, "Wert 'x' in Spalte 'männlich' ist keine Anzahl"]]
    (tmp_path / "plain.csv").write_bytes(b"a;b\n1;2\n")
    failed = read(tmp_path, "population", ["plain.csv"], format="regionalstatistik")
    assert failed.failed and "Regionalstatistik 12411-02-03-5" in failed.files[0].message
