"""Registrations (brief §3.4): every reject reason, duplicates on (person, organisation, date), privacy."""

from __future__ import annotations

from pathlib import Path

from fixtures.readers.support import assert_counts, csv_bytes, read, write_xlsx

COLUMNS = {
    "person_id": "E-Mail",
    "registered_on": "Registriert am",
    "ended_on": "Beendet am",
    "gender": "Geschlecht",
    "postcode": "PLZ",
    "birth_year": "Jahrgang",
    "hours": "Stunden",
    "organisation": "Organisation",
    "district": "Stadtteil",
    "area": "Bereich",
}
HEADER = [
    "E-Mail",
    "Registriert am",
    "Beendet am",
    "Geschlecht",
    "PLZ",
    "Jahrgang",
    "Stunden",
    "Organisation",
    "Stadtteil",
    "Bereich",
    "Telefon",
    "Name",
]


def row(email: str = "a@example.de", registered: str = "01.02.2024", **kw: str) -> list[str]:
    values = {
        "Beendet am": "",
        "Geschlecht": "w",
        "PLZ": "01067",
        "Jahrgang": "1980",
        "Stunden": "2",
        "Organisation": "Tafel",
        "Stadtteil": "Nord",
        "Bereich": "Soziales",
        "Telefon": "0351 123456",
        "Name": "Erika Musterfrau",
        **kw,
    }
    return [email, registered, *(values[h] for h in HEADER[2:])]


def test_every_reject_reason(tmp_path: Path) -> None:
    rows = [
        HEADER,
        row(),  # 2 ok
        row("", "01.02.2024"),  # 3 empty person
        row("b@example.de", "31.02.2024"),  # 4 impossible date
        row("c@example.de", Geschlecht="x"),  # 5 gender
        row("d@example.de", PLZ="1067"),  # 6 postcode lost its zero
        row("e@example.de", Jahrgang="18"),  # 7 birth year
        row("f@example.de", Stunden="viel"),  # 8 hours
        row("g@example.de", **{"Beendet am": "01.01.2024"}),  # 9 ended before registered
        row("A@Example.de ", "2024-02-01"),  # 10 duplicate of 2 (same person, organisation, date)
        row("a@example.de", "01.02.2024", Organisation="Chor"),  # 11 other organisation: ok
        row("h@example.de", "", Geschlecht="?"),  # 12 two bad cells -> two rejects, one row
    ]
    result = read(tmp_path, "registrations", {"reg.csv": csv_bytes(rows, "cp1252_semicolon")}, columns=COLUMNS)
    rejects = result.rejects
    reasons = {(r.row, r.column): r.reason for r in rejects.itertuples()}
    assert reasons == {
        (3, "E-Mail"): "Pflichtfeld 'E-Mail' ist leer",
        (4, "Registriert am"): "Datum '31.02.2024' in Spalte 'Registriert am' ist kein gültiges Datum",
        (5, "Geschlecht"): "Wert 'x' in Spalte 'Geschlecht' ist nicht erlaubt "
        "(erlaubt: w, m, d (auch weiblich, männlich, divers, f))",
        (6, "PLZ"): "Wert '1067' in Spalte 'PLZ' ist kein 5-stelliger Code "
        "(führende Null verloren? In Excel die Spalte als Text formatieren)",
        (7, "Jahrgang"): reasons[(7, "Jahrgang")],
        (8, "Stunden"): "Wert 'viel' in Spalte 'Stunden' ist keine Zahl von 0 bis 10000",
        (9, "Beendet am"): "Enddatum '01.01.2024' in Spalte 'Beendet am' liegt vor dem Registrierungsdatum "
        "(Spalte 'Registriert am')",
        (10, "E-Mail"): "Duplikat von Zeile 2",
        (12, "Registriert am"): "Pflichtfeld 'Registriert am' ist leer",
        (12, "Geschlecht"): "Wert '?' in Spalte 'Geschlecht' ist nicht erlaubt "
        "(erlaubt: w, m, d (auch weiblich, männlich, divers, f))",
    }
    assert reasons[(7, "Jahrgang")].startswith("Wert '18' in Spalte 'Jahrgang' ist keine ganze Zahl von 1900 bis")
    frame = result.frames["stg_registrations"]
    assert list(frame["source_row"]) == [2, 11]
    assert frame["person_key"].nunique() == 1  # same person in two organisations
    report = result.files[0]
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (11, 2, 9)
    assert report.message == "11 Zeilen gelesen, 2 übernommen, 9 abgewiesen"
    assert_counts(result)


def test_personal_values_never_leave_the_reader(tmp_path: Path) -> None:
    """No returned frame, reject or message contains the e-mails, names or phone numbers of the export."""
    rows = [
        HEADER,
        row("geheim.person@example.de"),
        row("geheim.person@example.de"),
        row("zweite@example.de", "kaputt"),
    ]
    write_xlsx(tmp_path / "reg.xlsx", {"Blatt1": rows})
    result = read(tmp_path, "registrations", ["reg.xlsx"], columns=COLUMNS)
    assert len(result.frames["stg_registrations"]) == 1 and len(result.rejects) == 2
    texts = [result.rejects.to_csv(), *(f.message for f in result.files)]
    texts += [frame.to_csv() for frame in result.frames.values()]
    for secret in ("geheim.person", "zweite@example.de", "Musterfrau", "0351 123456", "@"):
        assert all(secret not in text for text in texts), secret
    assert set(result.frames["stg_registrations"].columns) >= {"person_key", "postcode", "hours"}
    assert "Telefon" not in result.frames["stg_registrations"]


def test_gender_words_and_optional_empty_fields(tmp_path: Path) -> None:
    rows = [
        ["E-Mail", "Registriert am", "Geschlecht"],
        ["a@x.de", "01.01.2024", " Weiblich "],
        ["b@x.de", "01.01.2024", "F"],
        ["c@x.de", "01.01.2024", "männlich"],
        ["d@x.de", "01.01.2024", ""],
        ["e@x.de", "01.01.2024", "Divers"],
    ]
    result = read(tmp_path, "registrations", {"r.csv": csv_bytes(rows)}, columns=COLUMNS)
    assert list(result.frames["stg_registrations"]["gender"].fillna("")) == ["w", "w", "m", "", "d"]
    assert result.rejects.empty


def test_contact_data_in_a_category_column_rejects_its_row(tmp_path: Path) -> None:
    """Brief §6: the category columns (district, area, organisation) reach the warehouse and the pages as
    groups; an e-mail address, phone number, IP or web address typed into one is contact data — the row is
    rejected and the reason names the column, never the value. Ordinary categories, codes and dates stay."""
    contacts = ["max.muster@example.de", "0421 1234567", "+49 421 12345", "192.168.10.7", "www.muster.de"]
    contacts.append("04211234567")
    ordinary = [row(f"g{i}@example.de", Stadtteil=f"Nord {i}") for i in range(8)]
    rows = [HEADER, *ordinary, row("z1@example.de", Stadtteil="010203"), row("z2@example.de", Bereich="Sport 2025")]
    rows += [row(f"k{i}@example.de", Stadtteil=c) for i, c in enumerate(contacts)]
    rows += [row("o@example.de", Organisation="Tafel, Tel. 0421 1234567")]
    result = read(tmp_path, "registrations", {"reg.csv": csv_bytes(rows)}, columns=COLUMNS)
    reasons = {(r.row, r.column): r.reason for r in result.rejects.itertuples()}
    first = len(ordinary) + 4
    assert sorted(reasons) == [
        *((first + i, "Stadtteil") for i in range(len(contacts))),
        (first + len(contacts), "Organisation"),
    ], reasons
    assert reasons[(first, "Stadtteil")] == (
        "Spalte 'Stadtteil' enthält eine Kontaktangabe (E-Mail-Adresse, Telefonnummer, IP- oder Internetadresse); "
        "solche Angaben werden nicht übernommen – bitte ohne sie exportieren"
    )
    assert list(result.frames["stg_registrations"]["source_row"]) == list(range(2, first))
    texts = [result.rejects.to_csv(), *(f.message for f in result.files), result.frames["stg_registrations"].to_csv()]
    for secret in [*contacts, "1234567"]:
        assert all(secret not in text for text in texts), secret
    assert_counts(result)
