"""Resident and partner surveys as LimeSurvey exports (brief §3.2, §3.3, §4)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from fixtures.readers.support import assert_counts, csv_bytes, read

from etl.tables import stg_partner_responses, stg_survey_responses

META = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr", "refurl", "token"]
CODES = [
    "AGE",
    "GENDER",
    "DISTRICT",
    "EDU",
    "MIG",
    "ENG1",
    "ENG2",
    "ENG3[SQ001]",
    "ENG3[SQ002]",
    "WILL",
    "PART",
    "EASE",
    "INFO",
    "RECOG",
    "KNOW",
    "FREITEXT",
]


def response(rid: str, submit: str = "2024-05-03 10:11:12", **answers: str) -> list[str]:
    meta = [
        rid,
        submit,
        "5",
        "de",
        "123",
        "2024-05-03 10:00:00",
        "2024-05-03 10:11:12",
        "192.168.1.20",
        "https://intranet.example/umfrage",
        "tok123",
    ]
    base = {
        "AGE": "34",
        "GENDER": "w",
        "DISTRICT": "N01",
        "EDU": "2",
        "MIG": "N",
        "ENG1": "Y",
        "ENG2": "4,5",
        "ENG3[SQ001]": "Y",
        "ENG3[SQ002]": "",
        "WILL": "",
        "PART": "N",
        "EASE": "4",
        "INFO": "5",
        "RECOG": "3",
        "KNOW": "Y",
        "FREITEXT": "Ich heiße Erika Musterfrau",
        **answers,
    }
    return meta + [base[c] for c in CODES]


def test_resident_survey_rows_flags_and_rejects(tmp_path: Path) -> None:
    rows = [
        META + CODES,
        response("1"),  # 2 complete
        response("2", "", AGE="", GENDER=""),  # 3 incomplete without age: valid, flagged
        response("3", AGE="12"),  # 4 under age: valid, flagged
        response("4", AGE=""),  # 5 complete without age
        response("5", AGE="150"),  # 6 impossible age
        response("6", EASE="7"),  # 7 scale
        response("7", ENG1="vielleicht"),  # 8 Y/N
        response("8", **{"ENG3[SQ001]": "X"}),  # 9 checkbox
        response("1"),  # 10 duplicate id
        response("9", "2023-13-01 10:00:00"),  # 11 impossible timestamp
        response("10", "", EASE="9"),  # 12 incomplete: checked for the answers it has
        response("11", GENDER=" Weiblich ", MIG="n", AGE="40.0000000000"),  # 13 case, spaces, LimeSurvey decimals
    ]
    result = read(tmp_path, "resident_survey", {"umfrage.csv": csv_bytes(rows, "all_quoted_crlf")})
    reasons = {(r.row, r.column): r.reason for r in result.rejects.itertuples()}
    assert reasons == {
        (5, "AGE"): "Alter fehlt oder ist ungültig: Spalte 'AGE' ist leer",
        (6, "AGE"): "Alter '150' in Spalte 'AGE' ist nicht erlaubt (erlaubt: 0–120)",
        (7, "EASE"): "Wert '7' in Spalte 'EASE' ist nicht erlaubt (erlaubt: 1–5)",
        (8, "ENG1"): "Wert 'vielleicht' in Spalte 'ENG1' ist nicht erlaubt (erlaubt: Y, N)",
        (9, "ENG3[SQ001]"): "Wert 'X' in Spalte 'ENG3[SQ001]' ist nicht erlaubt (erlaubt: Y oder leer)",
        (10, "id"): "Duplikat von Zeile 2",
        (11, "submitdate"): "Zeitpunkt '2023-13-01 10:00:00' in Spalte 'submitdate' ist kein gültiger Zeitpunkt",
        (12, "EASE"): "Wert '9' in Spalte 'EASE' ist nicht erlaubt (erlaubt: 1–5)",
    }
    frame = result.frames["stg_survey_responses"]
    assert list(frame.columns) == [c.name for c in stg_survey_responses.columns]
    assert list(frame["response_id"]) == ["1", "2", "3", "11"]
    assert list(frame["complete"]) == [True, False, True, True]
    assert list(frame["below_min_age"]) == [False, False, True, False]
    assert list(frame["age_band"].fillna("")) == ["30-49", "", "0-13", "30-49"]
    assert list(frame["year"]) == [2024, 2024, 2024, 2024]  # from submitdate, else startdate
    first = frame.iloc[0]
    assert (first["eng2"], first["eng3_sq001"], first["eng3_sq002"], first["edu"], first["ease"]) == (
        4.5,
        True,
        False,
        2,
        4,
    )
    assert (frame.iloc[3]["gender"], frame.iloc[3]["mig"], frame.iloc[3]["age"]) == ("w", "N", 40)
    assert not frame["eng3_sq014"].any() and frame["weight"].isna().all()
    text = frame.to_csv()
    for private in ("192.168.1.20", "intranet.example", "tok123", "Musterfrau"):
        assert private not in text
    assert_counts(result)


def test_codes_mapping_and_year_rules(tmp_path: Path) -> None:
    header = ["Antwort-ID", "submitdate", "F_ALTER", "F01", "F3[a1]", "F3[SQ002]"]
    rows = [header, ["1", "01.06.2023 12:00", "30", "Y", "Y", "Y"], ["2", "1980-01-01 00:00:00", "40", "N", "", ""]]
    codes = {"AGE": "F_ALTER", "ENG1": "F01", "ENG3": "F3", "ENG3[SQ001]": "F3[a1]"}
    result = read(
        tmp_path, "resident_survey", {"u.csv": csv_bytes(rows, "tab")}, codes=codes, columns={"id": "Antwort-ID"}
    )
    frame = result.frames["stg_survey_responses"]
    assert list(frame["eng1"]) == ["Y"] and bool(frame["eng3_sq001"].iloc[0]) and bool(frame["eng3_sq002"].iloc[0])
    assert list(frame["year"]) == [2023]
    assert result.rejects["reason"].iloc[0].startswith("Jahr nicht bestimmbar: Spalte 'submitdate' enthält nur")
    with_year = read(tmp_path, "resident_survey", ["u.csv"], codes=codes, columns={"id": "Antwort-ID"}, year=2022)
    assert list(with_year.frames["stg_survey_responses"]["year"]) == [2022, 2022]


def test_missing_age_column_fails(tmp_path: Path) -> None:
    result = read(tmp_path, "resident_survey", {"u.csv": b"id,submitdate,ENG1\n1,2024-01-01 10:00:00,Y\n"})
    assert result.failed and "Pflichtspalte 'AGE' fehlt in u.csv" in result.files[0].message


PARTNER = [
    "id",
    "submitdate",
    "ORG",
    "SECTOR",
    "FREQ[o2]",
    "FREQ[o3]",
    "TRUST[o2]",
    "TRUST[o3]",
    "VALUE[o2]",
    "VALUE[o3]",
    "EYE",
    "HE",
    "ipaddr",
]


def test_partner_survey_responses_and_long_ratings(tmp_path: Path) -> None:
    rows = [
        PARTNER,
        ["1", "2024-03-01 09:00:00", "o1", "civil_society", "3", "0", "4", "", "", "", "5", "4", "10.0.0.1"],
        ["2", "2024-03-02 09:00:00", "o2", "Verwaltung", "", "2", "", "3", "", "2", "3", "", "10.0.0.2"],
        ["3", "2024-03-03 09:00:00", "o3", "business", "5", "", "", "", "", "", "", "", ""],  # FREQ 5
        ["4", "2024-03-04 09:00:00", "o1", "civil_society", "", "", "", "", "", "", "4", "4", ""],  # same org again
        ["5", "", "o4", "", "", "", "", "", "", "", "", "", ""],  # incomplete, no year: rejected
    ]
    result = read(tmp_path, "partner_survey", {"p.csv": csv_bytes(rows, "utf8_bom")})
    reasons = {(r.row, r.column): r.reason for r in result.rejects.itertuples()}
    assert reasons == {
        (4, "FREQ[o2]"): "Wert '5' in Spalte 'FREQ[o2]' ist nicht erlaubt (erlaubt: 0–4)",
        (5, "ORG"): "Duplikat von Zeile 2 (dieselbe Organisation hat schon geantwortet)",
        (6, "submitdate"): "Jahr nicht bestimmbar: Spalte 'submitdate' ist leer und engage.toml nennt für diese "
        "Quelle kein year",
    }
    responses = result.frames["stg_partner_responses"]
    assert list(responses.columns) == [c.name for c in stg_partner_responses.columns]
    assert list(responses["org_id"]) == ["o1", "o2"] and list(responses["sector"]) == [
        "civil_society",
        "administration",
    ]
    ratings = result.frames["partner_ratings"]
    got = ratings[["org_id", "about_org_id", "freq", "trust", "value"]].astype(object).where(ratings.notna(), None)
    assert got.values.tolist() == [
        ["o1", "o2", 3, 4, None],
        ["o1", "o3", 0, None, None],
        ["o2", "o3", 2, 3, 2],
    ]
    assert set(ratings["year"]) == {2024} and list(ratings["source_row"]) == [2, 2, 3]
    assert_counts(result)


def test_partner_codes_mapping_for_arrays(tmp_path: Path) -> None:
    rows = [["id", "submitdate", "Org", "Kontakt[o2]", "Augenhoehe"], ["1", "2024-01-01 00:00:00", "o1", "4", "5"]]
    codes = {"ORG": "Org", "FREQ": "Kontakt", "EYE": "Augenhoehe"}
    result = read(tmp_path, "partner_survey", {"p.csv": csv_bytes(rows)}, codes=codes)
    assert result.frames["partner_ratings"][["about_org_id", "freq"]].values.tolist() == [["o2", 4]]
    assert result.frames["stg_partner_responses"]["eye"].tolist() == [5]
    assert pd.isna(result.frames["stg_partner_responses"]["sector"].iloc[0])
