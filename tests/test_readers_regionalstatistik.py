"""Table 12411-02-03-5 as regionalstatistik.de and GENESIS write it (brief §3.1, issue 10).

Every layout is written by the fixtures from one truth (:mod:`fixtures.readers.regionalstatistik`): the wide
CSV (normal and ``-B``, latin-1 and UTF-8, several Stichtage), the long CSV, the XLSX download and the flat
file (plain and zipped). The population the indicators use must equal the file's figures, re-banded with
the 1/5 split of "10 bis unter 15"; rows of other regions are skipped and counted; a missing figure makes
its town-year unknown (named in the message), never zero; rows read = accepted + rejected + skipped.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from fixtures.readers import regionalstatistik as rs
from fixtures.readers.support import PROJECT, PSEUDO, assert_counts, make_spec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.model import SourceResult, Town
from etl.readers import read_source
from etl.readers.regionalstatistik.table import restore_code, town_ags

MUENCHEN = Town("09162000", "München")  # a kreisfreie Stadt: 09162 in the normal table, 09162000 in -B
GEMEINDE = Town("09184119", "Unterschleißheim")
YEARS = [2023]


def read(base: Path, files: dict[str, bytes], towns: tuple[Town, ...], **kw: object) -> SourceResult:
    for name, data in files.items():
        (base / name).write_bytes(data)
    spec = make_spec(base, "population", list(files), town=None, **kw)
    return read_source(spec, PROJECT, towns, PSEUDO)


def check(result: SourceResult, regions: list[rs.Region], ags_of: dict[str, str], years: list[int]) -> None:
    """The population equals the figures of the file, and every file's counts add up."""
    assert not result.failed, result.files
    got = rs.population_of(result.frames["population"])
    pd.testing.assert_frame_equal(got, rs.expected(regions, ags_of, years), check_dtype=False)
    assert_counts(result)


def towns_in_land(years: list[int]) -> tuple[list[rs.Region], dict[str, str]]:
    munich = rs.region("09162", "München, Landeshauptstadt, Kreisfreie Stadt", years, seed=5, level=2)
    gemeinde = rs.region("09184119", "Unterschleißheim, St", years, seed=9)
    return [munich, gemeinde], {"09162": MUENCHEN.ags, "09184119": GEMEINDE.ags}


def test_wide_land_download_reads_the_towns_and_skips_every_other_region(tmp_path: Path) -> None:
    """The usual download for a whole Land: latin-1, title and footer (with date-like footnote lines)."""
    towns, ags_of = towns_in_land(YEARS)
    regions = rs.land_download(YEARS, towns, others=1873)
    data = rs.wide_csv(regions, YEARS)
    assert b"\n01.01.2009\n" in data.replace(b"\r\n", b"\n") and data.decode("latin-1").count("\n") > 1880
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = read(tmp_path, {"12411-02-03-5.csv": data}, (MUENCHEN, GEMEINDE))
    check(result, regions, ags_of, YEARS)
    report = result.files[0]
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.rows_skipped) == (1875, 2, 0, 1873)
    assert (
        report.message == "1.875 Zeilen gelesen, 2 übernommen, 0 abgewiesen, 1.873 Zeilen anderer Gebiete übersprungen"
    )
    assert result.rejects.empty
    frame = result.frames["population"]
    assert set(frame["source_row"]) <= {r for r in range(10, 1900)}  # rows are lines of the file, past the header
    # the 14+ population: all of 14-29 … 65+, which holds one fifth of "10 bis unter 15"
    munich = regions[6]
    men_14_plus = sum(int(munich.text(2023, "m", i)) for i in range(4, 17)) + 0.2 * int(munich.text(2023, "m", 3))
    adults = frame[(frame["ags"] == MUENCHEN.ags) & (frame["gender"] == "m") & (frame["age_band"] != "0-13")]
    assert adults["count"].sum() == pytest.approx(men_14_plus)


def test_b_variant_in_utf8_gives_the_same_population(tmp_path: Path) -> None:
    """``-B``: kreisfreie Städte with 8 digits and no indentation; UTF-8 with BOM as a re-saved file has."""
    towns, _ = towns_in_land(YEARS)
    towns[0].code = "09162000"
    regions = [rs.region("09184118", "Oberschleißheim", YEARS, seed=3), *towns]
    data = rs.wide_csv(regions, YEARS, variant="B", encoding="utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbfGENESIS-Tabelle: 12411-02-03-5-B")
    result = read(tmp_path, {"b.csv": data}, (MUENCHEN, GEMEINDE))
    check(result, regions, {"09162000": MUENCHEN.ags, "09184119": GEMEINDE.ags}, YEARS)
    assert result.files[0].rows_skipped == 1


@pytest.mark.parametrize("dates", ["blocks", "bare_blocks", "header"])
def test_several_stichtage_in_the_wide_layout(tmp_path: Path, dates: str) -> None:
    """Blocks headed by their date line (with or without the header again), or dates over every column."""
    years = [2021, 2022, 2023]
    towns, ags_of = towns_in_land(years)
    regions = rs.land_download(years, towns, others=40)
    result = read(tmp_path, {"w.csv": rs.wide_csv(regions, years, dates=dates)}, (MUENCHEN, GEMEINDE))
    check(result, regions, ags_of, years)
    per_line = 1 if dates == "header" else len(years)  # a line holds one year, or all of them
    assert result.files[0].rows_skipped == 40 * per_line
    assert set(result.frames["population"]["year"]) == set(years)


def test_missing_marks_make_a_town_year_unknown_never_zero(tmp_path: Path) -> None:
    """'-', '.', 'x', '/' are no figure: the year is left out and named, the other years stay; no reject."""
    years = [2022, 2023]
    towns, ags_of = towns_in_land(years)
    towns[0].figures[(2023, "w", 16)] = "x"
    towns[1].figures[(2022, "m", 0)] = "/"
    towns[1].figures[(2022, "w", 3)] = "."
    regions = rs.land_download(years, towns, others=30)  # includes rows of '-' and of 'x' (other regions)
    result = read(tmp_path, {"w.csv": rs.wide_csv(regions, years)}, (MUENCHEN, GEMEINDE))
    check(result, regions, ags_of, years)
    frame = result.frames["population"]
    assert set(zip(frame["ags"], frame["year"], strict=True)) == {(MUENCHEN.ags, 2022), (GEMEINDE.ags, 2023)}
    assert result.rejects.empty
    message = result.files[0].message
    assert "Bevölkerung unvollständig, daher nicht übernommen: " in message
    assert "München 2023 (1 von 34 Werten '-', '.', 'x' oder '/')" in message
    assert "Unterschleißheim 2022 (2 von 34 Werten '-', '.', 'x' oder '/')" in message


def test_a_dissolved_town_and_bad_or_duplicate_rows(tmp_path: Path) -> None:
    towns, _ = towns_in_land(YEARS)
    dissolved = rs.region("09184120", "Aufgelöst", YEARS, seed=1, mark="-")
    towns[1].figures[(2023, "w", 16)] = "12a"
    copy = rs.region("09162", "München (noch einmal)", YEARS, seed=6)
    regions = [*towns, dissolved, copy]
    extra = Town("09184120", "Aufgelöst")
    result = read(tmp_path, {"w.csv": rs.wide_csv(regions, YEARS)}, (MUENCHEN, GEMEINDE, extra))
    reasons = result.rejects[["row", "column", "reason"]].values.tolist()
    assert reasons == [
        [12, "weiblich: 75 Jahre und mehr", "Wert '12a' in Spalte 'weiblich: 75 Jahre und mehr' ist keine Anzahl"],
        [14, "Region", "Duplikat von Zeile 11"],
    ]
    assert set(result.frames["population"]["ags"]) == {MUENCHEN.ags}
    assert "Aufgelöst 2023 (34 von 34 Werten '-', '.', 'x' oder '/')" in result.files[0].message
    report = result.files[0]
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.rows_skipped) == (4, 2, 2, 0)
    assert_counts(result)


def test_a_town_at_two_levels_of_the_table_is_read_at_the_gemeinde_level(tmp_path: Path) -> None:
    """Kreis 09162 and Gemeinde 09162000, Gemeindeverband 091840119 and Gemeinde 09184119: same town, no
    duplicate; the Gemeinde rows are read, the other levels' rows skipped (in one file, whatever the order)."""
    towns, _ = towns_in_land(YEARS)
    as_gemeinde = rs.region("09162000", "München, Landeshauptstadt", YEARS, seed=5)
    as_verband = rs.region("091840119", "Unterschleißheim (verbandsfrei)", YEARS, seed=9)
    regions = [towns[0], as_verband, as_gemeinde, towns[1]]
    for name, data in {"w.csv": rs.wide_csv(regions, YEARS), "f.csv": rs.flat_csv(regions, YEARS)}.items():
        result = read(tmp_path, {name: data}, (MUENCHEN, GEMEINDE))
        check(result, [as_gemeinde, towns[1]], {"09162000": MUENCHEN.ags, "09184119": GEMEINDE.ags}, YEARS)
        report = result.files[0]
        assert result.rejects.empty and report.rows_skipped == report.rows_read // 2, report
        assert report.message.endswith("Zeilen anderer Gebiete übersprungen")


@pytest.mark.parametrize("split_footer", [False, True])
def test_xlsx_download_with_numeric_codes_and_merged_header(tmp_path: Path, split_footer: bool) -> None:
    """The XLSX download: header and footer rows; Hamburg 2, Berlin 11, 9162 (= 09162), 9184119 as numbers."""
    hamburg, berlin = Town("02000000", "Hamburg"), Town("11000000", "Berlin")
    towns, ags_of = towns_in_land(YEARS)
    city_states = [
        rs.region("02", "Hamburg", YEARS, seed=2, level=1),
        rs.region("11", "Berlin", YEARS, seed=4, level=1),
    ]
    regions = rs.land_download(YEARS, [*city_states, *towns], others=25)
    path = rs.wide_xlsx(tmp_path / "12411-02-03-5.xlsx", regions, YEARS, split_footer=split_footer)
    spec = make_spec(tmp_path, "population", [path.name], town=None)
    result = read_source(spec, PROJECT, (MUENCHEN, GEMEINDE, hamburg, berlin), PSEUDO)
    check(result, regions, {**ags_of, "02": hamburg.ags, "11": berlin.ags}, YEARS)
    assert result.files[0].rows_skipped == 25
    # the same figures as the CSV download
    csv_result = read(tmp_path, {"same.csv": rs.wide_csv(regions, YEARS)}, (MUENCHEN, GEMEINDE, hamburg, berlin))
    pd.testing.assert_frame_equal(
        rs.population_of(result.frames["population"]), rs.population_of(csv_result.frames["population"])
    )


def test_long_csv_with_five_digit_codes(tmp_path: Path) -> None:
    years = [2022, 2023]
    towns, ags_of = towns_in_land(years)
    regions = rs.land_download(years, towns, others=12)
    data = rs.long_csv(regions, years)
    result = read(tmp_path, {"lang.csv": data}, (MUENCHEN, GEMEINDE))
    check(result, regions, ags_of, years)
    report = result.files[0]
    # a line per Stichtag, region and group, plus the Insgesamt line: 18 per region and year
    assert (report.rows_read, report.rows_skipped) == (18 * 14 * 2, 18 * 12 * 2)
    assert report.rows_accepted == 18 * 2 * 2


@pytest.mark.parametrize("zipped", [False, True])
@pytest.mark.parametrize("order", ["region-gender-age", "gender-region-age", "age-gender-region"])
def test_genesis_flat_file(tmp_path: Path, zipped: bool, order: str) -> None:
    """ffcsv: the variables in any order, Insgesamt lines with empty codes, decimal commas, value_q."""
    years = [2022, 2023]
    towns, ags_of = towns_in_land(years)
    towns[1].figures[(2022, "w", 5)] = "."
    regions = rs.land_download(years, towns, others=10)
    data = rs.flat_csv(regions, years, order=order, iso=order != "age-gender-region", q_only=zipped)
    files = {"12411-02-03-5_flat.zip": rs.zipped("12411-02-03-5_de_flat.csv", data)} if zipped else {"f.csv": data}
    result = read(tmp_path, files, (MUENCHEN, GEMEINDE))
    check(result, regions, ags_of, years)
    report = result.files[0]
    assert (report.rows_read, report.rows_skipped) == (54 * 12 * 2, 54 * 10 * 2)
    assert "Unterschleißheim 2022 (1 von 34 Werten" in report.message


def test_flat_file_with_twelve_digit_ars_and_nine_digit_codes(tmp_path: Path) -> None:
    """A town found by its ARS (Kreis + Verband + Gemeinde) or as a verbandsfreie Gemeinde (LLRKK0GGG)."""
    towns = [rs.region("091840119119", "Unterschleißheim", YEARS, seed=3), rs.region("091620000", "München", YEARS, 8)]
    regions = [*towns, rs.region("091845001", "Verwaltungsgemeinschaft", YEARS, seed=1, level=2)]
    result = read(tmp_path, {"f.csv": rs.flat_csv(regions, YEARS)}, (MUENCHEN, GEMEINDE))
    check(result, regions, {"091840119119": GEMEINDE.ags, "091620000": MUENCHEN.ags}, YEARS)
    assert result.files[0].rows_skipped == 54


def test_every_layout_gives_the_same_population(tmp_path: Path) -> None:
    years = [2022, 2023]
    towns, ags_of = towns_in_land(years)
    regions = rs.land_download(years, towns, others=20)
    files = {
        "wide.csv": rs.wide_csv(regions, years),
        "wide_header_dates.csv": rs.wide_csv(regions, years, dates="header", encoding="utf-8"),
        "long.csv": rs.long_csv(regions, years, units=False),
        "flat.csv": rs.flat_csv(regions, years),
        "flat.zip": rs.zipped("flat.csv", rs.flat_csv(regions, years, iso=False)),
    }
    rs.wide_xlsx(tmp_path / "wide.xlsx", regions, years)
    frames = []
    for name in [*files, "wide.xlsx"]:
        if name in files:
            (tmp_path / name).write_bytes(files[name])
        result = read_source(
            make_spec(tmp_path, "population", [name], town=None), PROJECT, (MUENCHEN, GEMEINDE), PSEUDO
        )
        check(result, regions, ags_of, years)
        frames.append(rs.population_of(result.frames["population"]))
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame, frames[0])


def test_a_source_of_several_files_and_duplicates_across_them(tmp_path: Path) -> None:
    towns, ags_of = towns_in_land([2022, 2023])
    files = {
        "2022.csv": rs.wide_csv(towns, [2022]),
        "2023.zip": rs.zipped("x.csv", rs.flat_csv(towns, [2023])),
        "again.csv": rs.long_csv(towns[:1], [2023]),
    }
    result = read(tmp_path, files, (MUENCHEN, GEMEINDE))
    check(result, towns, ags_of, [2022, 2023])
    # the long file repeats München 2023 of the flat file: its 17 group lines are duplicates (first one counts);
    # the flat file's lines 2-19 are München's totals over both genders, 20-36 its men by age group
    again = result.rejects[result.rejects["file"] == "again.csv"]
    assert again["row"].tolist() == list(range(7, 24))
    assert again["reason"].tolist() == [f"Duplikat von Zeile {20 + i} in 2023.zip" for i in range(17)]
    assert set(result.rejects["file"]) == {"again.csv"}


@pytest.mark.parametrize(
    ("code", "number", "ags"),
    [
        ("09162", False, "09162000"),  # kreisfreie Stadt as a Kreis
        ("09162000", False, "09162000"),  # -B
        ("02", False, "02000000"),  # Hamburg, a Land
        ("2", True, "02000000"),  # … as an Excel number
        ("11", False, "11000000"),  # Berlin
        ("9162", True, "09162000"),  # a kreisfreie Stadt as a number
        ("9184119", True, "09184119"),  # a Gemeinde as a number
        ("9184119", False, "09184119"),  # … in a CSV re-saved by Excel: no real code has 7 digits
        ("091840119", False, "09184119"),  # verbandsfreie Gemeinde as its own Gemeindeverband
        ("91840119", True, "09184119"),  # … as a number
        ("091845001", False, None),  # a Gemeindeverband
        ("03154403021", False, "03154021"),  # a Samtgemeinde's member, 11 digits (older downloads)
        ("091840119119", False, "09184119"),  # ARS
        ("91840119119", True, "09184119"),  # ARS as a number
        ("10041100", True, "10041100"),  # Saarland: 8 digits starting with a Land code, kept
        ("99001012", False, "99001012"),  # the demo's fictional Land 99, written as text
        ("091", False, None),  # Regierungsbezirk
        ("DG", False, None),
    ],
)
def test_region_codes_map_onto_the_manifest_ags(code: str, number: bool, ags: str | None) -> None:
    assert town_ags(code, number) == ags
    assert restore_code(restore_code(code, number), number) == restore_code(code, number)


@pytest.mark.parametrize(
    ("name", "data", "start"),
    [
        (
            "plain.csv",
            b"Gemeinde;Einwohner\n09162000;1500000\n",
            "plain.csv hat nicht das Format der Regionalstatistik",
        ),
        ("leer.csv", b"", "leer.csv ist leer."),
        (
            "two.zip",
            "zip2",
            "two.zip ist ein ZIP-Archiv, das genau eine CSV-Datei enthalten muss (enthalten: a.csv, b.csv).",
        ),
        ("alt.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 64, "alt.xls ist eine alte Excel-Datei (.xls)"),
        (
            "flat.csv",
            "flat-no-gender",
            "flat.csv ist eine GENESIS-Flatfile, aber nicht die Tabelle 12411-02-03-5: es fehlt das Merkmal "
            "Geschlecht (GES)",
        ),
        ("nodate.csv", "no-date", "nodate.csv: Der Stichtag fehlt"),
        (
            "cols.csv",
            "other-groups",
            "cols.csv: Spalte 3 ('Insgesamt: unter 1 Jahr') gehört nicht zur Tabelle 12411-02-03-5",
        ),
    ],
)
def test_files_that_are_none_of_the_layouts_get_one_german_message(
    tmp_path: Path, name: str, data: bytes | str, start: str
) -> None:
    towns, _ = towns_in_land(YEARS)
    if data == "zip2":
        data = _two_csv_zip()
    elif data == "flat-no-gender":
        lines = rs.flat_csv(towns, YEARS).decode().splitlines()
        data = (
            "\n".join(";".join(c for j, c in enumerate(line.split(";")) if j not in range(9, 13)) for line in lines)
        ).encode()
    elif data == "no-date":
        text = rs.wide_csv(towns, YEARS).decode("latin-1").replace("31.12.2023;", "Stichtag;", 1)
        data = text.encode("latin-1")
    elif data == "other-groups":
        data = (
            rs.wide_csv(towns, YEARS)
            .decode("latin-1")
            .replace(";unter 3 Jahre;", ";unter 1 Jahr;", 1)
            .encode("latin-1")
        )
    result = read(tmp_path, {name: data}, (MUENCHEN, GEMEINDE), format="regionalstatistik")
    assert result.failed
    message = result.files[0].message
    assert message.startswith(start), message
    assert "Traceback" not in message and "Error" not in message


def _two_csv_zip() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", "x")
        archive.writestr("b.csv", "y")
    return buffer.getvalue()


def test_a_missing_stichtag_is_taken_from_the_manifest_year(tmp_path: Path) -> None:
    towns, ags_of = towns_in_land(YEARS)
    text = rs.wide_csv(towns, YEARS).decode("latin-1").replace("31.12.2023;", "Stichtag;", 1)
    result = read(tmp_path, {"w.csv": text.encode("latin-1")}, (MUENCHEN, GEMEINDE), year=2023)
    check(result, towns, ags_of, YEARS)


LAYOUT_NAMES = ["wide", "wide_b", "wide_header", "long", "flat", "flat_zip", "xlsx"]


@st.composite
def downloads(draw: st.DrawFn) -> tuple[list[rs.Region], dict[str, str], list[int], str]:
    years = draw(st.lists(st.integers(2011, 2024), min_size=1, max_size=3, unique=True).map(sorted))
    n_towns = draw(st.integers(0, 3))
    n_others = draw(st.integers(0, 30))
    regions, ags_of = [], {}
    for k in range(n_towns + n_others):
        town = k < n_towns
        code = f"09{180 + k:03d}" if town and k % 2 else f"09{190 + k // 40:03d}{k % 40 + 100:03d}"
        reg = rs.region(code, f"Ort {k}", years, seed=draw(st.integers(0, 10_000)))
        for key in draw(st.lists(st.sampled_from(sorted(reg.figures)), max_size=3)):
            reg.figures[key] = draw(st.sampled_from(rs.MISSING))
        regions.append(reg)
        if town:
            ags_of[code] = town_ags(code)
    order = draw(st.permutations(regions))
    return list(order), ags_of, years, draw(st.sampled_from(LAYOUT_NAMES))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(downloads())
def test_property_counts_add_up_and_the_population_is_the_files(case: tuple) -> None:
    regions, ags_of, years, layout = case
    towns = tuple(Town(a, f"Stadt {a}") for a in sorted(set(ags_of.values())))
    writers = {
        "wide": lambda: rs.wide_csv(regions, years),
        "wide_b": lambda: rs.wide_csv(regions, years, variant="B", encoding="utf-8"),
        "wide_header": lambda: rs.wide_csv(regions, years, dates="header"),
        "long": lambda: rs.long_csv(regions, years),
        "flat": lambda: rs.flat_csv(regions, years),
        "flat_zip": lambda: rs.zipped("f.csv", rs.flat_csv(regions, years)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        if layout == "xlsx":
            rs.wide_xlsx(base / "t.xlsx", regions, years)
            name = "t.xlsx"
        else:
            name = "t.zip" if layout == "flat_zip" else "t.csv"
            (base / name).write_bytes(writers[layout]())
        result = read_source(make_spec(base, "population", [name], town=None), PROJECT, towns, PSEUDO)
    check(result, regions, ags_of, years)
    report = result.files[0]
    per_region = {"long": 18 * len(years), "flat": 54 * len(years), "flat_zip": 54 * len(years)}
    per_region |= {"wide_header": 1}
    lines = per_region.get(layout, len(years))
    assert report.rows_read == lines * len(regions)
    assert report.rows_skipped == lines * (len(regions) - len(ags_of))
    assert report.rows_rejected == 0


def test_a_flat_file_with_only_its_header_reads_no_rows(tmp_path: Path) -> None:
    """A GENESIS flat file without data lines (a query that matched no region) is 0 rows read, not a failure."""
    result = read(tmp_path, {"f.csv": rs.flat_csv([], [2023])}, (MUENCHEN,))
    assert not result.failed, result.files
    assert result.frames["population"].empty
    assert [(f.rows_read, f.rows_accepted, f.rows_rejected, f.rows_skipped) for f in result.files] == [(0, 0, 0, 0)]
