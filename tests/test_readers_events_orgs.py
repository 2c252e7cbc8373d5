"""Events (§3.5) and organisations (§3.3): typed fields, reject reasons, duplicates."""

from __future__ import annotations

from pathlib import Path

from fixtures.readers.support import assert_counts, csv_bytes, read

from etl.tables import stg_events, stg_organisations


def test_events(tmp_path: Path) -> None:
    rows = [
        [
            "event_id",
            "date",
            "format",
            "title",
            "participants",
            "civil_society",
            "politics",
            "administration",
            "business",
            "residents",
        ],
        ["E1", "12.03.2024", "Bürgerdialog", "Stadtteilgespräch", "45", "10", "3", "2", "", "30"],
        ["E2", "2024-02-30", "Netzwerktreffen", "", "12", "", "", "", "", ""],
        ["E3", "01.04.2024", "", "", "zwölf", "-1", "", "", "", ""],
        ["E1", "13.03.2024", "", "", "", "", "", "", "", ""],
        ["", "01.05.2023", "", "", "", "", "", "", "", ""],
    ]
    result = read(tmp_path, "events", {"events.csv": csv_bytes(rows, "cp1252_semicolon")})
    reasons = {(r.row, r.column): r.reason for r in result.rejects.itertuples()}
    assert reasons == {
        (3, "date"): "Datum '2024-02-30' in Spalte 'date' ist kein gültiges Datum",
        (4, "participants"): "Wert 'zwölf' in Spalte 'participants' ist keine ganze Zahl von 0 bis 1000000",
        (4, "civil_society"): "Wert '-1' in Spalte 'civil_society' ist keine ganze Zahl von 0 bis 1000000",
        (5, "event_id"): "Duplikat von Zeile 2",
        (6, "event_id"): "Pflichtfeld 'event_id' ist leer",
    }
    frame = result.frames["stg_events"]
    assert list(frame.columns) == [c.name for c in stg_events.columns]
    assert frame.iloc[0][["event_id", "year", "format", "participants", "residents"]].tolist() == [
        "E1",
        2024,
        "Bürgerdialog",
        45,
        30,
    ]
    assert result.files[0].message == "5 Zeilen gelesen, 1 übernommen, 4 abgewiesen"
    assert_counts(result)


def test_organisations(tmp_path: Path) -> None:
    rows = [
        ["Kennung", "Name", "Sektor"],
        ["o1", "Bürgerverein", " Zivilgesellschaft"],
        ["o2", "Stadtrat", "POLITICS"],
        ["o3", "", "business"],
        ["o4", "Firma", "Handel"],
        ["o1", "Doppelt", "business"],
    ]
    columns = {"org_id": "Kennung", "name": "Name", "sector": "Sektor"}
    result = read(tmp_path, "organisations", {"orgs.csv": csv_bytes(rows, "tab")}, columns=columns)
    reasons = {(r.row, r.column): r.reason for r in result.rejects.itertuples()}
    assert reasons == {
        (4, "Name"): "Pflichtfeld 'Name' ist leer",
        (5, "Sektor"): "Wert 'Handel' in Spalte 'Sektor' ist nicht erlaubt "
        "(erlaubt: civil_society, politics, administration, business)",
        (6, "Kennung"): "Duplikat von Zeile 2",
    }
    frame = result.frames["stg_organisations"]
    assert list(frame.columns) == [c.name for c in stg_organisations.columns]
    assert frame[["org_id", "sector"]].values.tolist() == [["o1", "civil_society"], ["o2", "politics"]]
    assert_counts(result)


def test_contact_data_in_an_event_title_or_format_rejects_its_row(tmp_path: Path) -> None:
    """Brief §6: a title may be any text, but an e-mail or IP address in it is contact data; a format is a
    category. Either rejects the row; the reason names the column only. Dates and URLs in titles stay."""
    header = ["event_id", "date", "format", "title", "participants"]
    rows = [
        header,
        ["E1", "12.03.2024", "Bürgerdialog", "Stadtteilgespräch am 12.03.2024, www.muster.de", "45"],
        ["E2", "13.03.2024", "Workshop", "Anmeldung bei anna.schmidt@example.de", "12"],
        ["E3", "14.03.2024", "0421 1234567", "Sprechstunde", "8"],
        ["E4", "15.03.2024", "Workshop", "Zukunftswerkstatt", "20"],
    ]
    result = read(tmp_path, "events", {"events.csv": csv_bytes(rows)})
    assert {(r.row, r.column) for r in result.rejects.itertuples()} == {(3, "title"), (4, "format")}
    assert all("Kontaktangabe" in r for r in result.rejects["reason"])
    assert list(result.frames["stg_events"]["event_id"]) == ["E1", "E4"]
    texts = [result.rejects.to_csv(), *(f.message for f in result.files), result.frames["stg_events"].to_csv()]
    assert all("anna.schmidt" not in text and "1234567" not in text for text in texts)
