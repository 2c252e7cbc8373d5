"""Reject reasons and file messages in both languages (issue 15, point 4): the catalogue, its rendering, and an
audit that every reason and file message a run stores has a code whose German rendering is the stored German
text and whose English rendering is English (no German words, English number format)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import sqlite3
import string
import zipfile
from pathlib import Path

import pytest
from fixtures.readers.support import csv_bytes, read, write_xlsx

from etl import messages
from etl.messages import CATALOGUE, Msg, english, parts_from_json, render
from etl.model import SourceResult

GERMAN_WORDS = ("Zeile", "Spalte", "abgewiesen", "gelesen", "übernommen", "ist kein", "fehlt", "Wert ", "Datei ")
_QUOTED = re.compile(r"'[^']*'|“[^”]*”|\"[^\"]*\"|\([^()]*\.(?:csv|xlsx|lss|zip)[^()]*\)")
# German thousands (1.234) or a decimal comma (2,5); English thousands (1,234) are fine
_GERMAN_NUMBER = re.compile(r"\d\.\d{3}(?!\d)|\d,(?!\d{3}(?!\d))\d")


def assert_english(text: str) -> None:
    """No German word of the list and no German number outside quoted values, headers and file names."""
    bare = _QUOTED.sub("''", text)
    bare = re.sub(r"\S+\.(?:csv|xlsx|lss|zip)\b", "FILE", bare)
    for word in GERMAN_WORDS:
        assert word not in bare, (word, text)
    assert not _GERMAN_NUMBER.search(bare), text


def assert_stored(german: str, parts: list[Msg]) -> None:
    assert render(parts, "de") == german
    assert_english(render(parts, "en"))


def check_result(result: SourceResult) -> None:
    """Every reject and file message of a reader's result has its codes (the audit at reader level)."""
    for row in result.rejects.itertuples():
        msg = messages.from_json({"code": row.reason_code, "params": json.loads(row.reason_params)})
        assert_stored(row.reason, [msg])
    for report in result.files:
        assert report.parts, report
        assert_stored(report.message, report.parts)
        assert render(parts_from_json(messages.parts_json(report.parts)), "de") == report.message


# --- the catalogue -------------------------------------------------------------------------------------------


def _sample(name: str, spec: str) -> object:
    if spec in ("n", "x") or spec.startswith("p"):
        return 1234
    if spec in ("c", "g5"):
        return 9.5
    if spec == "d":
        return "2024-12-31"
    if spec in ("m", "o"):
        return Msg("os_not_found")
    if spec.startswith("j"):
        return [Msg("os_not_found"), Msg("listing_none")]
    if spec == "w":
        return "Wert" if name == "noun" else "w, m oder d"
    return "X"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_german_and_english_with_the_same_parameters(code: str) -> None:
    german, english_text = CATALOGUE[code]
    fields = [{(n, s) for _, n, s, _ in string.Formatter().parse(t) if n} for t in (german, english_text)]
    assert {n for n, _ in fields[0]} == {n for n, _ in fields[1]}, code
    params = {n: _sample(n, s) for n, s in fields[0] | fields[1]}
    msg = Msg(code, **params)
    assert msg.text("de") and msg.text("en")
    assert_english(msg.text("en"))


def test_numbers_are_formatted_per_language() -> None:
    msg = Msg("rows_read", read=1234, accepted=1200, rejected=34)
    assert msg.text("de") == "1.234 Zeilen gelesen, 1.200 übernommen, 34 abgewiesen"
    assert msg.text("en") == "1,234 rows read, 1,200 accepted, 34 rejected"
    assert Msg("rows_read", read=1, accepted=1, rejected=0).text("en") == "1 row read, 1 accepted, 0 rejected"
    bound = Msg("not_number_range", noun="Wert", value="3,5", header="Stunden", what="ganze Zahl", lo=0, hi=2.5)
    assert bound.text("de") == "Wert '3,5' in Spalte 'Stunden' ist keine ganze Zahl von 0 bis 2,5"
    assert bound.text("en") == "Value '3,5' in column 'Stunden' is no whole number from 0 to 2.5"


def test_an_unquotable_value_is_absent_from_text_and_parameters() -> None:
    msg = Msg("not_allowed", noun="Wert", value=None, header="Geschlecht", allowed="w, m, d")
    assert msg.text("de") == "Wert in Spalte 'Geschlecht' ist nicht erlaubt (erlaubt: w, m, d)"
    assert json.loads(messages.params_json(msg))["value"] is None


def test_parts_round_trip_through_json_and_render_joins_them() -> None:
    parts = [Msg("rows_read", read=3, accepted=2, rejected=1), Msg("kept", run=4, rows=1500)]
    stored = messages.parts_json(parts)
    assert parts_from_json(stored) == parts
    assert (
        render(stored, "de") == "3 Zeilen gelesen, 2 übernommen, 1 abgewiesen; Daten des letzten erfolgreichen "
        "Laufs 4 beibehalten (1.500 Zeilen)"
    )
    assert (
        english("", parts=stored) == "3 rows read, 2 accepted, 1 rejected; data of the last successful run 4 "
        "kept (1,500 rows)"
    )
    reason = Msg("duplicate_in_file", row=12, file="b.csv")
    assert english(reason.code, messages.params_json(reason)) == "duplicate of row 12 in b.csv"
    with pytest.raises(KeyError):
        Msg("no_such_code")


# --- the audit: readers on damaged files ---------------------------------------------------------------------

REG = {"person_id": "E-Mail", "registered_on": "Registriert am", "gender": "Geschlecht", "hours": "Stunden"}


def _damaged_text() -> dict[str, bytes]:
    return {
        "nul.csv": b"E-Mail,Registriert am\n" + b"a@b.de,2024-01-01\n" * 600 + b"x\x00y,2024-01-02\n",
        "bom.csv": b"E-Mail,Registriert am\na@b.de,2024-01-01\n\xef\xbb\xbfE-Mail,Registriert am\n",
        "mixed.csv": "E-Mail;Registriert am\nä@b.de;2024-01-01\n".encode() + "ö@b.de;2024-01-01\n".encode("cp1252"),
        "mojibake.csv": "E-Mail;Registriert am\nÃ¼@b.de;2024-01-01\n".encode(),
        "json.csv": b'{"a": 1}',
        "html.csv": b"<!doctype html><html></html>",
        "quote.csv": b'E-Mail,Registriert am,Stunden\n"a@b.de,2024-01-01,2\nc@d.de,2024-01-02,3\ne@f.de,2024-01-03,4\n',
        "empty.csv": b"   ",
        "noheader.csv": b"\nE-Mail,Registriert am\n",
        "old.xls": b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
        "locked.xlsx": b"\xd0\xcf\x11\xe0" + "EncryptedPackage".encode("utf-16-le"),
        "missing.csv": b"Mail,Datum\na@b.de,2024-01-01\n",
        "twice.csv": b"E-Mail,Registriert am,E-Mail\na@b.de,2024-01-01,c@d.de\n",
    }


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_every_stop_of_a_damaged_file_is_bilingual(tmp_path: Path) -> None:
    files = _damaged_text()
    files["ods.xlsx"] = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    files["word.xlsx"] = _zip({"word/document.xml": b"<w/>"})
    files["plain.xlsx"] = _zip({"a.txt": b"x"})
    stopped = 0
    for name, data in files.items():
        folder = tmp_path / name.replace(".", "_")
        folder.mkdir()
        result = read(folder, "registrations", {name: data}, columns=REG)
        assert result.failed, name
        check_result(result)
        stopped += 1
    assert stopped == len(files)
    folder = tmp_path / "utf8"
    folder.mkdir()
    wrong = read(folder, "registrations", {"r.csv": "E-Mail;Registriert am\nä@b.de;x\n".encode("cp1252")},
                 columns=REG, options={"encoding": "utf-8"})  # fmt: skip
    assert wrong.failed
    check_result(wrong)


def test_every_reject_reason_of_bad_rows_is_bilingual(tmp_path: Path) -> None:
    header = ["E-Mail", "Name", "Registriert am", "Beendet", "Geschlecht", "PLZ", "Stunden", "Geburtsjahr"]
    rows = [
        header,
        ["a@b.de", "A", "01.02.2024", "", "w", "01067", "2", "1980"],
        ["a@b.de", "A", "01.02.2024", "", "w", "01067", "2", "1980"],  # duplicate
        ["c@b.de", "C", "2024-02-30", "", "x", "1067", "1.234", "1850"],  # bad date, gender, short code, ambiguous
        ["d@b.de", "D", "01.03.2024", "", "m", "abc", "-1", "19x"],  # code, range, int
        ["g@b.de", "G", "01.03.2024", "01.01.2024", "m", "01067", "2", "1980"],  # ended before it began
        ["e@b.de", "E", "", "", "Schmidt Anna", "", "12,5,3", ""],  # required empty, unquotable
        ["f@b.de", "F; G", "01.03.2024", "", "m", "", "", "", "extra"],  # shifted
        *([f"ok{i}@b.de", "O", "01.02.2024", "", "d", "01067", "3", "1990"] for i in range(6)),  # no mapping mistake
    ]
    columns = {**REG, "ended_on": "Beendet", "postcode": "PLZ", "birth_year": "Geburtsjahr"}
    result = read(tmp_path, "registrations", {"r.csv": csv_bytes(rows, "utf8_bom")}, columns=columns)
    assert len(result.rejects) >= 10
    check_result(result)
    codes = set(result.rejects["reason_code"])
    assert {"duplicate", "not_date", "not_allowed", "not_digits_zero", "ambiguous_number", "required_empty"} <= codes
    assert {"ended_before_registered", "shifted_row", "not_number_range"} <= codes

    phones = [[f"p{i}@b.de", "N", "01.02.2024", "", f"0177 44{i:05d}"] for i in range(8)]
    mapped = read(tmp_path, "registrations", {"m.csv": csv_bytes([header[:5], *phones])},
                  columns={**REG, "ended_on": "Beendet"})  # fmt: skip
    assert set(mapped.rejects["reason_code"]) == {"mapping_mistake"}
    check_result(mapped)


def test_goal_workbook_and_population_reasons_are_bilingual(tmp_path: Path) -> None:
    goals = tmp_path / "ziele.xlsx"
    write_xlsx(
        goals,
        {
            "Ziele": [
                ["goal_id", "title", "principle", "indicator", "baseline", "baseline_date", "target", "target_date"],
                ["Z1", "Mehr", "P1", "", "1", "2024-01-01", "1", "2026-01-01"],
                ["Z2", "Mehr", "P9", "gibt_es_nicht", "1", "2024-01-01", "2", "2023-01-01"],
                ["Z3", "Mehr", "P1", "gibt_es_nicht", "1", "2024-01-01", "2", "2026-01-01"],
            ],
            "Massnahmen": [
                ["measure_id", "goal_id", "title", "status"],
                ["M1", "Z9", "Tun", "laufend"],
                ["M2", "Z1", "Tun", "vielleicht"],
            ],
        },
    )
    check_result(read(tmp_path, "goals", ["ziele.xlsx"]))
    check_result(read(tmp_path, "goals", {"kein.xlsx": b"a,b\n1,2\n"}))
    population = [
        ["ags", "year", "age_band", "gender", "count"],
        ["09999001", "2024", "0-13", "w", "10"],
        ["09999001", "2024", "0-13", "w", "10"],
        ["0999900", "20x4", "99+", "q", "-3"],
        ["01001000", "2024", "0-13", "w", "10"],
    ]
    check_result(read(tmp_path, "population", {"p.csv": csv_bytes(population)}))
    check_result(read(tmp_path, "population", {"plain.csv": b"a;b\n1;2\n"}, format="regionalstatistik"))


# --- the audit: a whole run, a failed source that keeps its data ----------------------------------------------


def _stored(db: Path) -> tuple[list[tuple], list[tuple]]:
    with sqlite3.connect(db) as conn:
        rejects = conn.execute("SELECT reason, reason_code, reason_params FROM etl_rejects").fetchall()
        files = conn.execute(
            "SELECT message, message_code, message_params FROM etl_run_files WHERE run_id = (SELECT max(run_id) "
            "FROM etl_runs)"
        ).fetchall()
    return rejects, files


def test_every_reason_and_message_of_a_run_is_bilingual(tmp_path: Path, demo_source: Path) -> None:
    from etl import warehouse
    from etl.pipeline import run_pipeline

    source = tmp_path / "quellen"
    shutil.copytree(demo_source, source)
    db = tmp_path / "w.sqlite"
    run_pipeline(source, db_url=f"sqlite:///{db}", as_of=dt.date(2025, 6, 30))
    # a damaged goal workbook: its source stops and keeps the data of the first run
    plan = next(source.rglob("zielplan.xlsx"))
    plan.write_bytes(plan.read_bytes()[:300])
    run_pipeline(source, db_url=f"sqlite:///{db}", as_of=dt.date(2025, 6, 30))
    rejects, files = _stored(db)
    assert rejects and files
    codes: set[str] = set()
    for reason, code, params in rejects:
        msg = messages.from_json({"code": code, "params": json.loads(params)})
        assert_stored(reason, [msg])
        codes.add(code)
    for message, code, params in files:
        parts = parts_from_json(params)
        assert code == ";".join(p.code for p in parts)
        assert_stored(message, parts)
        codes.update(p.code for p in parts)
    assert {"rows_read", "kept", "xlsx_broken_zip", "not_allowed", "org_not_listed", "unlisted_orgs_ignored"} <= codes
    assert {"rows_read_skipped", "not_loaded"} & codes

    url = f"sqlite:///{db}"
    runs = warehouse.runs(db=url)
    row = runs[runs["status"] == "kept"].iloc[0].to_dict()
    assert warehouse.message_text(row, "de") == row["message"]
    assert "data of the last successful run" in warehouse.message_text(row, "en")
    reject = warehouse.rejects(db=url).iloc[0].to_dict()
    assert warehouse.reason_text(reject, "de") == reject["reason"]
    assert_english(warehouse.reason_text(reject, "en"))


def test_a_run_of_an_older_version_shows_its_german_text() -> None:
    from etl import warehouse

    row = {"reason": "Duplikat von Zeile 3", "reason_code": None, "reason_params": None}
    assert warehouse.reason_text(row, "en") == "Duplikat von Zeile 3"


def test_district_shape_reasons_and_stops_are_bilingual(tmp_path: Path) -> None:
    def shape(code: object, coordinates: list) -> dict:
        return {
            "type": "Feature",
            "properties": {"code": code},
            "geometry": {"type": "Polygon", "coordinates": coordinates},
        }

    bow_tie = [[[10, 53], [10.01, 53.01], [10.01, 53], [10, 53.01], [10, 53]]]
    utm = [[[565_000.5, 5_933_000.0], [565_100.0, 5_933_000.0], [565_100.0, 5_933_100.0], [565_000.5, 5_933_000.0]]]
    data = {"type": "FeatureCollection", "features": [shape("01", bow_tie), shape("02", utm), shape(2.5, bow_tie)]}
    result = read(tmp_path, "districts", {"s.geojson": json.dumps(data).encode()})
    check_result(result)  # the name property is missing too: that note is in the file's message
    english_reasons = {row.row: english(row.reason_code, row.reason_params) for row in result.rejects.itertuples()}
    assert english_reasons == {
        1: "geometry invalid: the outline intersects itself (at 10.00500° E, 53.00500° N) – please correct it in "
        "the GIS",
        2: "coordinate (565000.5, 5933000) lies outside WGS 84 (longitude −180 to 180, latitude −90 to 90): the file "
        "is probably saved in another coordinate system (e.g. UTM, EPSG:25832); please export as WGS 84 (EPSG:4326)",
        3: "district code in property 'code' is a decimal number, not a code",
    }
    assert "565000,5" in result.rejects.loc[1, "reason"]  # German keeps its decimal comma
    (tmp_path / "stop").mkdir()
    stopped = read(tmp_path / "stop", "districts", {"s.geojson": b'{"type": "Topology"}'})
    check_result(stopped)
    assert (
        render(stopped.files[0].parts, "en") == "s.geojson is TopoJSON, not GeoJSON; a FeatureCollection is expected."
    )


def test_render_takes_a_stored_row_of_either_table(tmp_path: Path) -> None:
    """The one entry point of the pages (the Methodik tables): ``render(row, lang)``."""
    import pandas as pd

    reason = Msg("not_number_range", noun="Wert", value="3,5", header="Stunden", what="ganze Zahl", lo=0, hi=2.5)
    reject = {"reason": str(reason), "reason_code": reason.code, "reason_params": messages.params_json(reason)}
    assert render(reject, "de") == "Wert '3,5' in Spalte 'Stunden' ist keine ganze Zahl von 0 bis 2,5"
    assert render(reject, "en") == "Value '3,5' in column 'Stunden' is no whole number from 0 to 2.5"
    assert render(pd.Series(reject), "en") == render(reject, "en")
    parts = [Msg("rows_read", read=1234, accepted=1200, rejected=34)]
    message = {"message": render(parts), "message_code": "rows_read", "message_params": messages.parts_json(parts)}
    assert render(message, "en") == "1,234 rows read, 1,200 accepted, 34 rejected"
    older = {"message": "3 Zeilen gelesen", "message_code": None, "message_params": float("nan")}
    assert render(older, "en") == "3 Zeilen gelesen"
    with pytest.raises(ValueError):
        render(message, "fr")
