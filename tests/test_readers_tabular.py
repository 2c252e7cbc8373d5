"""Reading files as real tools write them (brief §3) and stopping a source on an unreadable file (§4).

Registrations and events serve as the vehicle: every quirk variant must give the same clean rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from fixtures.readers.support import PSEUDO, VARIANTS, assert_counts, csv_bytes, read, write_xlsx

COLUMNS = {"person_id": "E-Mail", "registered_on": "Registriert am", "gender": "Geschlecht", "hours": "Stunden"}
ROWS = [
    ["E-Mail", "Registriert am", "Geschlecht", "Stunden", "Organisation", "Bemerkung"],
    ["jürgen.müller@example.de", "01.02.2024", "Männlich ", "1,5", "Tafel Süd", 'Größe egal; "ok"'],
    ["anna@example.de", "2024-03-15", "weiblich", "12", "Heimatverein", ""],
    ["bo@example.de", "5.4.2023", "d", "1.234,5", "", "mehrzeilig\nNotiz"],
]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_csv_variant_reads_the_same(tmp_path: Path, variant: str) -> None:
    result = read(tmp_path, "registrations", {"f.csv": csv_bytes(ROWS, variant)}, columns=COLUMNS)
    assert not result.failed, result.files
    frame = result.frames["stg_registrations"]
    assert list(frame["gender"]) == ["m", "w", "d"]
    assert list(frame["hours"]) == [1.5, 12.0, 1234.5]
    assert list(frame["registered_on"].dt.date) == [dt.date(2024, 2, 1), dt.date(2024, 3, 15), dt.date(2023, 4, 5)]
    assert list(frame["organisation"].fillna("")) == ["Tafel Süd", "Heimatverein", ""]
    assert list(frame["source_row"]) == [2, 3, 4]
    assert list(frame["person_key"]) == list(PSEUDO(pd.Series([r[0] for r in ROWS[1:]])))
    assert "Bemerkung" not in frame and "person_id" not in frame
    assert result.files[0].message == "3 Zeilen gelesen, 3 übernommen, 0 abgewiesen"
    assert_counts(result)


def test_cp1252_is_detected_by_content_not_name(tmp_path: Path) -> None:
    data = "org_id;name;sector\no1;Bürgerstiftung Größe;Zivilgesellschaft\n".encode("cp1252")
    result = read(tmp_path, "organisations", {"orgs_utf8.csv": data})
    assert result.frames["stg_organisations"]["name"].iloc[0] == "Bürgerstiftung Größe"


def test_manifest_encoding_overrides_detection(tmp_path: Path) -> None:
    data = "org_id;name;sector\no1;Ärzte;politics\n".encode("latin-1")
    result = read(tmp_path, "organisations", {"o.csv": data}, options={"encoding": "latin-1"})
    assert result.frames["stg_organisations"]["name"].iloc[0] == "Ärzte"


def test_blank_lines_are_skipped_but_rows_keep_spreadsheet_numbers(tmp_path: Path) -> None:
    text = "event_id;date;participants\r\ne1;01.03.2024;5\r\n\r\n;;\r\ne2;02.03.2024;7\r\n"
    result = read(tmp_path, "events", {"e.csv": text.encode()})
    frame = result.frames["stg_events"]
    assert list(frame["source_row"]) == [2, 5] and result.files[0].rows_read == 2
    assert list(frame["participants"]) == [5, 7] and list(frame["year"]) == [2024, 2024]


def test_trailing_empty_separators_are_tolerated(tmp_path: Path) -> None:
    text = "event_id;date\ne1;01.03.2024;;\ne2;02.03.2024\n"
    result = read(tmp_path, "events", {"e.csv": text.encode()})
    assert not result.failed and len(result.frames["stg_events"]) == 2


def test_xlsx_first_sheet_named_sheet_and_excel_types(tmp_path: Path) -> None:
    rows = [
        ["E-Mail", "Registriert am", "PLZ", "Geburtsjahr", "Stunden"],
        ["a@example.de", dt.datetime(2024, 2, 1), 1067, 1980, 2.5],
        ["b@example.de", "03.02.2024", "01067", 1990.0, 3],
    ]
    write_xlsx(tmp_path / "reg.xlsx", {"Info": [["nur Text"]], "Export": rows}, formats={"C2": "00000"})
    columns = {"person_id": "E-Mail", "registered_on": "Registriert am", "postcode": "PLZ", "birth_year": "Geburtsjahr"}
    result = read(tmp_path, "registrations", ["reg.xlsx"], columns={**columns, "hours": "Stunden"}, sheet="export")
    frame = result.frames["stg_registrations"]
    assert list(frame["postcode"]) == ["01067", "01067"]  # the zero format restores the lost zero
    assert list(frame["birth_year"]) == [1980, 1990] and list(frame["hours"]) == [2.5, 3.0]
    assert list(frame["registered_on"].dt.day) == [1, 3]
    first = read(tmp_path, "registrations", ["reg.xlsx"], columns=columns)
    assert first.failed and "Pflichtspalte 'E-Mail'" in first.files[0].message


def test_glob_over_two_files_with_cross_file_duplicate(tmp_path: Path) -> None:
    a = csv_bytes([["event_id", "date"], ["e1", "01.01.2024"], ["e2", "02.01.2024"]], "utf8")
    b = csv_bytes([["event_id", "date"], ["e3", "03.01.2024"], ["e1", "04.01.2024"]], "cp1252_semicolon")
    result = read(tmp_path, "events", {"a.csv": a, "b.csv": b})
    assert list(result.frames["stg_events"]["event_id"]) == ["e1", "e2", "e3"]
    rejects = result.rejects
    assert rejects[["file", "row", "column", "reason"]].values.tolist() == [
        ["b.csv", 3, "event_id", "Duplikat von Zeile 2 in a.csv"]
    ]
    assert [(f.file, f.rows_read, f.rows_accepted, f.rows_rejected, f.status) for f in result.files] == [
        ("a.csv", 2, 2, 0, "ok"),
        ("b.csv", 2, 1, 1, "rejects"),
    ]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("missing.csv", b"E-Mail;Datum\nx@y.de;01.01.2024\n", "Pflichtspalte 'Registriert am' fehlt in missing.csv"),
        ("old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xls ist eine alte Excel-Datei"),
        ("empty.csv", b"", "empty.csv ist leer"),
        ("binary.csv", b"\x00\x01\x02binary\x00" * 20, "binary.csv ist keine Tabelle"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "broken.xlsx ist keine lesbare XLSX-Datei"),
        ("data.csv", b'[{"E-Mail": "x@y.de"}]', "data.csv ist eine JSON-Datei"),
        ("page.csv", b"<!DOCTYPE html><html><body>Fehler</body></html>", "page.csv ist eine HTML- oder XML-Datei"),
        ("noheader.csv", b"\n\nx;y\n", "noheader.csv hat keine Kopfzeile"),
    ],
)
def test_unreadable_file_stops_the_whole_source(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    good = csv_bytes([["E-Mail", "Registriert am"], ["a@example.de", "01.01.2024"]])
    result = read(tmp_path, "registrations", {"a_good.csv": good, name: data}, columns=COLUMNS)
    assert result.failed and result.frames == {}
    failed = {f.file: f for f in result.files}
    assert expected in failed[name].message
    assert failed[name].status == "failed" and failed["a_good.csv"].status == "failed"
    assert "nicht geladen" in failed["a_good.csv"].message
    assert all(f.rows_read == f.rows_accepted + f.rows_rejected == 0 for f in result.files)


def test_goals_source_that_is_not_a_workbook_fails(tmp_path: Path) -> None:
    result = read(tmp_path, "goals", {"ziele.csv": b"goal_id;title\nZ1;x\n"})
    assert result.failed and "keine XLSX-Arbeitsmappe" in result.files[0].message
