"""Damaged and unusual files (issue 12): every kind of damage ends as a German reject or file message, never
as a silently different number, a crash or a quoted personal value (brief §3, §4)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fixtures.readers.support import assert_counts, csv_bytes, read, write_xlsx

from etl.readers.fields import FLOAT, Field, parse_decimal, quotable

REG = {"person_id": "E-Mail", "registered_on": "Registriert am", "gender": "Geschlecht", "hours": "Stunden"}
HEADER = ["E-Mail", "Name", "Registriert am", "Geschlecht", "Stunden"]
PHONES = [f"0177 44{i:05d}" for i in range(30)]


def registrations(tmp_path: Path, text: str, **kw: object):  # noqa: ANN201
    return read(tmp_path, "registrations", {"r.csv": text.encode("utf-8")}, columns=kw.pop("columns", REG), **kw)


def all_text(result) -> str:  # noqa: ANN001
    """Everything a reader hands on that may reach the warehouse: rejects and file messages."""
    rejects = result.rejects.astype(str).to_csv(index=False)
    return rejects + "\n".join(f.message for f in result.files)


# --- privacy of reasons --------------------------------------------------------------------------------------


def test_rows_with_more_or_fewer_fields_are_rejected_whole_without_values(tmp_path: Path) -> None:
    text = (
        "E-Mail;Name;Registriert am;Geschlecht;Stunden\n"
        "anna@example.org;Schmidt, Anna;01.02.2024;w;2\n"
        "bernd@example.org;Müller; Bernd;0177 4456168;m;3\n"  # an unquoted ';' in the name: 6 fields
        "carla@example.org;Klein;03.02.2024\n"  # too few: the counts would read as empty
        "dora@example.org;Weber;04.02.2024;w;1,5;;\n"  # Excel's trailing separators: no shift
    )
    result = registrations(tmp_path, text)
    assert_counts(result)
    rejects = result.rejects[["row", "column", "reason"]].values.tolist()
    assert rejects == [
        [3, "(ganze Zeile)", "Zeile hat 6 statt 5 Werte: Trennzeichen im Text? Werte verschoben"],
        [4, "(ganze Zeile)", "Zeile hat 3 statt 5 Werte: Trennzeichen im Text? Werte verschoben"],
    ]
    assert list(result.frames["stg_registrations"]["source_row"]) == [2, 5]
    assert list(result.frames["stg_registrations"]["hours"]) == [2.0, 1.5]
    assert "0177" not in all_text(result) and "Bernd" not in all_text(result)


def test_shifted_rows_in_quoted_exports_and_other_kinds(tmp_path: Path) -> None:
    rows = [["event_id", "date", "title", "participants"], ["e1", "01.03.2024", "Fest", "5"]]
    text = csv_bytes(rows, "all_quoted_crlf").decode() + '"e2","02.03.2024","Lauf","am See","7"\r\n'
    result = read(tmp_path, "events", {"e.csv": text.encode()})
    assert result.rejects[["row", "reason"]].values.tolist() == [
        [3, "Zeile hat 5 statt 4 Werte: Trennzeichen im Text? Werte verschoben"]
    ]
    assert result.files[0].rows_read == 2 and result.files[0].rows_accepted == 1


def test_resident_survey_inherits_the_shift_check(tmp_path: Path) -> None:
    text = "id,submitdate,AGE,GENDER\n1,2024-05-01 10:00:00,34,w\n2,2024-05-02 10:00:00,Meier,Jana,41,w\n"
    result = read(tmp_path, "resident_survey", {"u.csv": text.encode()}, year=2024)
    assert result.rejects[["row", "column"]].values.tolist() == [[3, "(ganze Zeile)"]]
    assert "Meier" not in all_text(result) and "Jana" not in all_text(result)


def test_code_field_mapped_onto_phone_column_is_a_mapping_mistake(tmp_path: Path) -> None:
    lines = ["E-Mail;Name;Registriert am;Telefon;Stunden"]
    lines += [f"p{i}@example.org;Name{i};01.02.2024;{PHONES[i]};1" for i in range(30)]
    result = registrations(tmp_path, "\n".join(lines) + "\n", columns={**REG, "gender": "Telefon"})
    assert_counts(result)
    assert result.files[0].rows_rejected == 30
    assert set(result.rejects["reason"]) == {
        "Spalte 'Telefon' passt nicht zum Feld gender (30 von 30 Werten ungültig): Zuordnung in engage.toml prüfen"
    }
    assert 'vermutlich falsch zugeordnet (gender = "Telefon")' in result.files[0].message
    assert not any(p in all_text(result) for p in PHONES)


def test_surnames_mapped_onto_a_date_are_not_quoted(tmp_path: Path) -> None:
    names = ["Schmidt", "Müller", "Schneider", "Fischer", "Weber", "Meyer"]
    lines = ["E-Mail;Nachname;Eintritt"] + [f"p{i}@example.org;{n};01.01.2024" for i, n in enumerate(names)]
    result = registrations(
        tmp_path, "\n".join(lines) + "\n", columns={"person_id": "E-Mail", "registered_on": "Nachname"}
    )
    assert result.files[0].rows_rejected == len(names)
    assert not any(n in all_text(result) for n in names)


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("31.02.2024", "date", True),
        ("2023-13-01 10:00:00", "datetime", True),
        ("gestern", "date", True),
        ("Schmidt", "date", False),
        ("0177 4456168", "date", False),
        ("+49 30 123456", "int", False),
        ("01774456168", "digits", False),
        ("9999001", "digits", True),
        ("anna@example.org", "code", False),
        ("https://example.org/x", "code", False),
        ("192.168.17.42", "float", False),
        ("viel", "float", True),
        ("1.234", "float", True),
        ("?", "code", True),
        ("keine Angabe", "code", True),
        ("Anna Schmidt", "code", False),
        ("registered_per_1000", "code", True),
    ],
)
def test_which_values_a_reason_may_quote(value: str, kind: str, expected: bool) -> None:
    assert quotable(value, Field("x", kind)) is expected


def test_personal_fields_are_never_quoted() -> None:
    assert not quotable("12", Field("person_id", personal=True))


# --- silent loss ---------------------------------------------------------------------------------------------


def test_unclosed_quote_swallowing_rows_stops_the_file(tmp_path: Path) -> None:
    lines = ["event_id;date;title;participants"] + [f"e{i};0{1 + i % 9}.03.2024;Treffen {i};{i}" for i in range(46)]
    lines[10] = 'e9;01.03.2024;"Sommerfest;5'  # a stray quote opens a field ...
    lines[20] = 'e19;02.03.2024;Herbst";7'  # ... and a second one, ten lines later, closes it
    result = read(tmp_path, "events", {"e.csv": ("\n".join(lines) + "\n").encode()})
    assert result.failed
    message = result.files[0].message
    assert message.startswith("e.csv, Zeile 11: Ein Anführungszeichen öffnet ein Feld, das über 11 Textzeilen reicht")
    assert "Bitte Textzeile 11 prüfen" in message


def test_unclosed_quote_at_the_end_stops_the_file(tmp_path: Path) -> None:
    text = 'event_id;date;title\ne1;01.03.2024;"Fest\ne2;02.03.2024;Lauf\ne3;03.03.2024;Tanz\n'
    result = read(tmp_path, "events", {"e.csv": text.encode()})
    assert result.failed and "Ein Anführungszeichen öffnet ein Feld" in result.files[0].message


def test_line_break_in_a_field_is_named_in_the_file_message(tmp_path: Path) -> None:
    rows = [["event_id", "date", "title"], ["e1", "01.03.2024", "Sommer\nfest"], ["e2", "02.03.2024", "Lauf"]]
    result = read(tmp_path, "events", {"e.csv": csv_bytes(rows)})
    assert not result.failed and len(result.frames["stg_events"]) == 2
    assert "Zeilenumbruch innerhalb eines Feldes (Spalte 'title' Zeile 2)" in result.files[0].message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            "org_id;name;sector\no1;Bürgerdialog;politics\n".encode() + "o2;Größe;politics\n".encode("cp1252"),
            "o.csv mischt zwei Zeichenkodierungen: Textzeile 2 ist UTF-8, Textzeile 3 Windows-1252",
        ),
        (
            "org_id;name;sector\no1;BÃ¼rgerdialog;politics\n".encode(),
            "o.csv, Textzeile 2: falsch kodierte Zeichen ('Ã¼' statt 'ü')",
        ),
        (
            b"org_id;name;sector\no1;Verein;politics\n" + b"\xef\xbb\xbforg_id;name;sector\no2;Club;politics\n",
            "o.csv, Textzeile 3: enthält ein Byte-Order-Mark (BOM) mitten in der Datei",
        ),
        (
            b"org_id;name;sector\n" + b"o1;Verein;politics\n" * 600 + b"o2;Cl\x00ub;politics\n",
            "o.csv, Textzeile 602: enthält ein NUL-Zeichen (Byte 0)",
        ),
    ],
)
def test_damaged_text_stops_the_file(tmp_path: Path, data: bytes, expected: str) -> None:
    result = read(tmp_path, "organisations", {"o.csv": data})
    assert result.failed and expected in result.files[0].message, result.files[0].message


def test_utf16_exports_are_read(tmp_path: Path) -> None:
    text = "org_id\tname\tsector\r\no1\tBürgerstiftung\tpolitics\r\n"
    for i, data in enumerate([text.encode("utf-16"), text.encode("utf-16-le")]):
        result = read(tmp_path, "organisations", {f"o{i}.csv": data})
        assert result.frames["stg_organisations"]["name"].tolist() == ["Bürgerstiftung"], result.files


def test_duplicate_header_that_matters_stops_the_file(tmp_path: Path) -> None:
    text = "E-Mail;Registriert am;Registriert am;Notiz;Notiz\na@example.org;01.02.2024;02.02.2024;x;y\n"
    result = registrations(tmp_path, text)
    assert result.failed
    assert result.files[0].message == (
        "Spalte 'Registriert am' steht mehrfach in der Kopfzeile von r.csv (Spalten 2 und 3; Feld registered_on): "
        "unklar, welche gilt. Bitte eine davon umbenennen oder löschen."
    )
    unused = registrations(tmp_path, "E-Mail;Registriert am;Notiz;notiz\na@example.org;01.02.2024;x;y\n")
    assert not unused.failed and len(unused.frames["stg_registrations"]) == 1


def test_numbers_with_both_separators_keep_their_decimal() -> None:
    texts = ["1,234.5", "1.234,5", "1.234.567", "1,234,567", "1234,5", "1234.5", "0.250", "34.0000000000", "1.234"]
    values = parse_decimal(pd.Series(texts, dtype=object)).tolist()
    assert values[:8] == [1234.5, 1234.5, 1234567.0, 1234567.0, 1234.5, 1234.5, 0.25, 34.0]
    assert pd.isna(values[8])  # 1.234: thousands or decimals? rejected, never guessed


def test_ambiguous_hours_are_rejected_with_advice(tmp_path: Path) -> None:
    text = "E-Mail;Registriert am;Stunden\na@example.org;01.02.2024;1,234.5\nb@example.org;01.02.2024;1.250\n"
    result = registrations(tmp_path, text)
    assert result.frames["stg_registrations"]["hours"].tolist() == [1234.5]
    assert result.rejects["reason"].tolist() == [
        "Zahl '1.250' in Spalte 'Stunden' ist mehrdeutig (Tausender- oder Dezimaltrennzeichen?): bitte ohne "
        "Tausendertrennzeichen schreiben, z. B. 1234 oder 1,5"
    ]
    assert Field("h", FLOAT).kind == FLOAT


# --- files that crashed the parser ---------------------------------------------------------------------------


def test_long_header_and_field_cr_only_lines_read(tmp_path: Path) -> None:
    long = "x" * 200_000
    text = f"event_id;date;title;{long}\ne1;01.03.2024;{long};\n"
    assert len(read(tmp_path, "events", {"a.csv": text.encode()}).frames["stg_events"]) == 1
    quoted = f'event_id;date;title\ne1;01.03.2024;"{long};"\n'
    assert read(tmp_path, "events", {"b.csv": quoted.encode()}).frames["stg_events"]["title"][0] == long + ";"
    cr_only = "event_id;date\re1;01.03.2024\re2;02.03.2024\r"
    result = read(tmp_path, "events", {"c.csv": cr_only.encode()})
    assert result.frames["stg_events"]["source_row"].tolist() == [2, 3]


# --- XLSX ----------------------------------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_password_protected_xlsx_is_named_as_such(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_xlsx(tmp_path / "plain.xlsx", {"Ziele": [["goal_id"]]})
    with plain.open("rb") as source, (tmp_path / "ziele.xlsx").open("wb") as target:
        OOXMLFile(source).encrypt("geheim", target)
    for kind in ("goals", "registrations"):
        result = read(tmp_path, kind, ["ziele.xlsx"], columns=REG if kind == "registrations" else {})
        assert result.failed and "ziele.xlsx ist kennwortgeschützt" in result.files[0].message


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"docProps/app.xml": b"<x/>"}, "ein ZIP-Archiv ohne Excel-Arbeitsmappe (es fehlt xl/workbook.xml)"),
        ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "eine OpenDocument-Tabelle (.ods)"),
        ({"xl/workbook.xml": b"<kaputt"}, "Die Arbeitsmappe ist beschädigt"),
    ],
)
def test_zip_without_a_workbook_is_named_as_such(tmp_path: Path, members: dict[str, bytes], expected: str) -> None:
    _zip(tmp_path / "r.xlsx", members)
    result = read(tmp_path, "registrations", ["r.xlsx"], columns=REG)
    assert result.failed and expected in result.files[0].message
    assert "KeyError" not in result.files[0].message


def test_truncated_xlsx_is_named_as_damaged(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "full.xlsx", {"Export": [HEADER, ["a@example.org", "A", "01.02.2024", "w", 1]]})
    (tmp_path / "r.xlsx").write_bytes(path.read_bytes()[:-200])
    result = read(tmp_path, "registrations", ["r.xlsx"], columns=REG)
    assert result.failed and "r.xlsx ist keine lesbare XLSX-Datei: Sie ist beschädigt" in result.files[0].message


# how the formula element is written: openpyxl's own; white space after the element's name, as XML allows it and
# other writers do; a namespace prefix
NS_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
FORMULA_TAGS = [(b"<f>", b"</f>"), (b"<f\n>", b"</f>"), (b"<f\t>", b"</f\t>"), (b"<x:f>", b"</x:f>")]


@pytest.mark.parametrize(("start", "end"), FORMULA_TAGS)
def test_formula_cells_without_saved_value_reject_their_rows(tmp_path: Path, start: bytes, end: bytes) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["E-Mail", "Registriert am", "Stunden", "Summe"])
    sheet.append(["a@example.org", "01.02.2024", 2, "=C2*2"])  # unused column: no harm
    sheet.append(["b@example.org", "01.02.2024", "=1+1", 4])
    workbook.save(tmp_path / "saved.xlsx")  # openpyxl saves formulas without a computed value, like scripts do
    _rewrite_sheet(tmp_path / "saved.xlsx", tmp_path / "r.xlsx", start, end)
    result = read(tmp_path, "registrations", ["r.xlsx"], columns=REG)
    assert_counts(result)
    assert result.rejects[["row", "column", "reason"]].values.tolist() == [
        [
            3,
            "(ganze Zeile)",
            "Zelle C3 (Spalte 'Stunden'): Formel ohne gespeicherten Wert – Datei in Excel öffnen und speichern",
        ]
    ]
    assert result.frames["stg_registrations"]["hours"].tolist() == [2.0]


def _rewrite_sheet(source: Path, target: Path, start: bytes, end: bytes) -> None:
    """The workbook again, its sheet's formula elements written as ``start``…``end`` (the ``x`` prefix declared)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert data.count(b"<f>") == 2
                data = data.replace(b"<f>", start).replace(b"</f>", end)
                if start.startswith(b"<x:"):
                    data = data.replace(b"<worksheet ", b'<worksheet xmlns:x="%s" ' % NS_MAIN, 1)
            new.writestr(info, data)


def test_damaged_csv_parser_text_never_reaches_a_message(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    for i in range(3):
        buffer.write(f'e{i};01.03.2024;"a""b"c;{i}\n'.encode())
    data = b"event_id;date;title;participants\n" + buffer.getvalue()
    result = read(tmp_path, "events", {"e.csv": data})
    assert not result.failed and result.frames["stg_events"]["title"].tolist() == ['a"bc'] * 3
