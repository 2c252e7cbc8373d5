"""``engage demo``: deterministic, in exactly the §3 formats, with the quirks and bad rows it promises."""

from __future__ import annotations

import hashlib
import re
import tomllib
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from etl.demo import write_demo
from etl.demo.events import EVENT_COLUMNS
from etl.demo.goals import GOAL_HEADER, MEASURE_HEADER, MEASUREMENT_HEADER, STATUSES
from etl.demo.partners import SECTORS
from etl.demo.population import REGIO_GROUPS, district_population, group_figures
from etl.demo.towns import PEER_RANGES, plan_towns
from etl.manifest import load_manifest
from etl.model import SOURCE_KINDS
from etl.pseudonymise import Pseudonymiser
from etl.readers import read_source
from etl.readers.checks import RejectLog
from etl.readers.partner_survey import partner_exports
from etl.readers.questionnaire import QUESTIONNAIRE_DIR, load_questionnaire
from etl.readers.resident_survey import resident_exports


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo"), towns=3, years=3).parent


@pytest.fixture(scope="module")
def manifest(demo: Path) -> dict:
    return tomllib.loads((demo / "engage.toml").read_text(encoding="utf-8"))


def _sources(manifest: dict, kind: str) -> list[dict]:
    return [s for s in manifest["sources"] if s["kind"] == kind]


def _files(demo: Path, source: dict) -> list[Path]:
    return sorted(demo.glob(source["path"]))


def _read_limesurvey(path: Path) -> pd.DataFrame:
    """As a notebook would: BOM-aware UTF-8, the separator sniffed from the header, all as text."""
    head = path.read_bytes()[:400].decode("utf-8-sig")
    sep = max(";", ",", "\t", key=head.count)
    return pd.read_csv(path, sep=sep, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _specs(demo: Path, kind: str) -> list:
    return [s for s in load_manifest(demo).sources if s.kind == kind]


def _surveys(demo: Path, manifest: dict) -> pd.DataFrame:
    """All resident survey responses in code style, as the reader sees them before its field checks."""
    frames = []
    for spec in _specs(demo, "resident_survey"):
        exports = resident_exports(spec, RejectLog(spec))
        assert not exports.bad.any()  # every answer text of the demo belongs to an answer of its question
        frames.append(exports.frame.assign(town=spec.town))
    return pd.concat(frames, ignore_index=True)


def _fields(line: str, sep: str) -> list[str]:
    """A record's fields as written, quotes kept: tells LimeSurvey's quoted values from NULL."""
    return re.findall(rf'(?:^|{re.escape(sep)})((?:"(?:[^"]|"")*")|[^{re.escape(sep)}"]*)', line)


def _records(path: Path) -> tuple[str, list[list[str]]]:
    """The separator and the raw fields of every record (line breaks inside quoted values kept)."""
    text = path.read_bytes().decode("utf-8-sig")
    sep = max(";", ",", "\t", key=text.split("\r\n", 1)[0].count)
    records = [r for r in text.split("\r\n") if r]
    return sep, [_fields(r, sep) for r in records]


def test_same_seed_same_bytes_other_seed_other_bytes(demo: Path, tmp_path: Path) -> None:
    again = write_demo(tmp_path / "again", towns=3, years=3).parent
    assert _digests(again) == _digests(demo)
    other = _digests(write_demo(tmp_path / "other", towns=3, years=3, seed=7).parent)
    assert other.keys() == _digests(demo).keys()
    changed = {k for k, v in other.items() if v != _digests(demo)[k]}
    assert any("einwohnerbefragung" in k for k in changed)
    assert any(k.endswith(".xlsx") for k in changed)


def test_rewriting_into_the_same_folder_overwrites(demo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "twice"
    write_demo(folder, towns=3, years=3, seed=3)
    write_demo(folder, towns=3, years=3)
    assert _digests(folder) == _digests(demo)


def test_manifest_is_valid_toml_with_the_keys_of_section_3(demo: Path, manifest: dict) -> None:
    project = manifest["project"]
    assert project == {
        "name": "Demo-Netzwerk Engagierte Stadt (fiktiv)",
        "min_cell": 5,
        "survey_min_age": 14,
        "demo": True,
    }
    agss = [t["ags"] for t in manifest["towns"]]
    assert all(re.fullmatch(r"99\d{6}", a) for a in agss) and len(set(agss)) == len(agss)
    kinds = {s["kind"] for s in manifest["sources"]}
    assert kinds == set(SOURCE_KINDS)
    for source in manifest["sources"]:
        assert _files(demo, source), source["path"]
        if source["kind"] not in ("population",):
            assert source["town"] in agss
        if source["kind"] == "partner_survey":
            assert isinstance(source["year"], int)
    paths = [s["path"] for s in _sources(manifest, "population")]
    # 3 years: the canonical table, the Land-wide wide CSV (latest year), the XLSX download (second year),
    # the zipped flat file (first year)
    assert paths == [
        "bevoelkerung/bevoelkerung.csv",
        "bevoelkerung/12411-02-03-5_land99_2025.csv",
        "bevoelkerung/12411-02-03-5_2024.xlsx",
        "bevoelkerung/12411-02-03-5_2023_flat.zip",
    ]


def test_population_formats(demo: Path, manifest: dict) -> None:
    canonical = pd.read_csv(demo / "bevoelkerung/bevoelkerung.csv", dtype=str, keep_default_na=False)
    assert list(canonical.columns) == ["ags", "year", "district", "age_band", "gender", "count"]
    assert set(canonical["age_band"]) == {"0-13", "14-29", "30-49", "50-64", "65+"}
    assert set(canonical["gender"]) == {"w", "m"}
    districts = canonical.loc[canonical["district"] != "", "district"]
    assert districts.str.fullmatch(r"0[1-8]").all()
    # town totals, where given, are the sums of the district rows
    counts = canonical.assign(count=canonical["count"].astype(int))
    totals = counts[counts["district"] == ""].groupby(["ags", "year"])["count"].sum()
    sums = counts[counts["district"] != ""].groupby(["ags", "year"])["count"].sum()
    assert (totals == sums.loc[totals.index]).all()
    land = (demo / "bevoelkerung/12411-02-03-5_land99_2025.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        land.decode("utf-8")  # latin-1, as regionalstatistik.de writes it
    lines = land.decode("latin-1").split("\r\n")
    assert lines[0] == "GENESIS-Tabelle: 12411-02-03-5" and lines[6].startswith("31.12.2025;;")
    labels = lines[9].split(";")
    assert labels[:2] == ["", ""] and labels[2:] == [*REGIO_GROUPS, "Insgesamt"] * 3
    data = [line.split(";") for line in lines[10 : lines.index("__________")]]
    assert all(len(cells) == 56 for cells in data)
    codes = [cells[0] for cells in data]
    assert codes[:2] == ["DG", "99"] and "99001012" in codes  # Beispielhausen among the Land's regions
    assert {len(c) for c in codes} == {2, 5, 8, 9}
    assert any(set(cells[2:]) == {"-"} for cells in data) and any("x" in cells for cells in data)
    town = data[codes.index("99001012")]
    assert all(c.isdigit() for c in town[2:])  # the town's own figures are all there
    flat = zipfile.ZipFile(demo / "bevoelkerung/12411-02-03-5_2023_flat.zip")
    assert flat.namelist() == ["12411-02-03-5_de_flat.csv"]
    header = flat.read("12411-02-03-5_de_flat.csv").decode("utf-8").split("\n")[0].split(";")
    assert header[:5] == ["statistics_code", "statistics_label", "time_code", "time_label", "time"]
    assert header[-5:] == ["value", "value_unit", "value_variable_code", "value_variable_label", "value_q"]


def test_population_is_the_same_whatever_the_layout(tmp_path: Path) -> None:
    """Beispielhausen's population of every year, read from the flat file, the XLSX and the wide CSV, is
    its 17-group figures re-banded (1/5 of "10 bis unter 15" to 14-29)."""
    manifest_path = write_demo(tmp_path, towns=2, years=4, last_year=2024)
    manifest = load_manifest(manifest_path.parent)
    town = plan_towns(2, 42)[1]
    districts = district_population(plan_towns(2, 42), [2021, 2022, 2023, 2024])
    specs = [s for s in manifest.sources if s.kind == "population"]
    assert [Path(s.path).suffix for s in specs] == [".csv", ".csv", ".xlsx", ".zip"]
    frames = []
    for spec in specs[1:]:
        result = read_source(spec, manifest.project, manifest.towns, Pseudonymiser(b"k"))
        assert not result.failed and result.rejects.empty, result.files
        assert all(f.rows_skipped > 0 for f in result.files)
        frames.append(result.frames["population"])
    population = pd.concat(frames).set_index(["year", "age_band", "gender"])["count"]
    assert sorted(set(population.index.get_level_values(0))) == [2021, 2022, 2023, 2024]
    split = {"0-13": [(i, 1.0) for i in range(3)] + [(3, 0.8)], "14-29": [(3, 0.2)] + [(i, 1.0) for i in range(4, 8)]}
    split |= {"30-49": [(i, 1.0) for i in range(8, 12)], "50-64": [(i, 1.0) for i in range(12, 15)]}
    split |= {"65+": [(15, 1.0), (16, 1.0)]}
    for year in [2021, 2022, 2023, 2024]:
        groups = group_figures(town, districts, year)
        for band, parts in split.items():
            for gender in ("m", "w"):
                want = sum(groups[gender][i] * share for i, share in parts)
                assert population[(year, band, gender)] == pytest.approx(want)


def test_survey_files_are_written_as_limesurvey_writes_them(demo: Path, manifest: dict) -> None:
    styles = set()
    for source in _sources(manifest, "resident_survey") + _sources(manifest, "partner_survey"):
        for path in _files(demo, source):
            raw = path.read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf")  # LimeSurvey writes a BOM …
            unquoted = re.sub(rb'"(?:[^"]|"")*"', b"", raw)  # line breaks inside values are \n …
            assert b"\r\n" in raw and unquoted.count(b"\n") == unquoted.count(b"\r\n")  # … records end in CRLF …
            assert raw.endswith(b"\r\n\r\n")  # … and a final empty line
            sep, records = _records(path)
            widths = {len(r) for r in records}
            assert len(widths) == 1, path  # no line break outside a quoted value
            fields = [f for r in records for f in r]
            # every value quoted, NULL written as nothing
            assert all(f == "" or (f.startswith('"') and f.endswith('"')) for f in fields)
            assert "" in fields and '""' in fields  # both NULL and shown-but-empty occur
            styles.add(sep)
    assert styles == {",", ";", "\t"}


def test_survey_columns_follow_the_questionnaire_settings(demo: Path, manifest: dict) -> None:
    for source in _sources(manifest, "resident_survey"):
        lss = load_questionnaire(demo / source["questionnaire"]) if "questionnaire" in source else None
        for path in _files(demo, source):
            frame = _read_limesurvey(path)
            if lss is None:  # the standard questionnaire: anonymous, with date stamps
                meta = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
            else:  # the town's own: not anonymous (token after seed), IP address and referrer recorded
                assert (lss.anonymized, lss.ipaddr, lss.refurl) == (False, True, True)
                meta = list(lss.meta())
                assert meta[5] == "token"
            first = [c.split(".")[0] for c in frame.columns[: len(meta)]]
            labels = ["Antwort ID", "Datum Abgeschickt", "Letzte Seite", "Start-Sprache", "Zufallsstartwert"]
            assert first == meta or first[:5] == labels, (path, first)
            questions = (lss or load_questionnaire(QUESTIONNAIRE_DIR / "engagement_resident.lss")).columns
            assert len(frame.columns) == len(meta) + len(questions)  # no ipaddr, refurl, token where not recorded
    own = [s for s in _sources(manifest, "resident_survey") if s.get("codes")]
    assert own and own[0]["questionnaire"].endswith(".lss") and own[0]["yn_codes"] == ["1", "2"]


def test_survey_answers_use_the_brief_codes(demo: Path, manifest: dict) -> None:
    data = _surveys(demo, manifest)
    allowed = {
        "GENDER": {"w", "m", "d", ""},
        "EDU": {"1", "2", "3", ""},
        "MIG": {"Y", "N", ""},
        "ENG1": {"Y", "N", ""},
        "WILL": {"1", "2", "3", ""},
        "PART": {"Y", "N", ""},
        "EASE": {"1", "2", "3", "4", "5", ""},
        "INFO": {"1", "2", "3", "4", "5", ""},
        "RECOG": {"1", "2", "3", "4", "5", ""},
        "KNOW": {"Y", "N", ""},
    }
    for column, codes in allowed.items():
        outside = set(data[column]) - codes
        assert outside <= ({"4"} if column == "EDU" else set()), (column, outside)
    for k in range(1, 15):
        assert set(data[f"ENG3[SQ{k:03d}]"]) <= {"Y", ""}
    hours = pd.to_numeric(data["ENG2"], errors="coerce")
    assert hours.dropna().between(0.5, 80).all()
    assert not data["ENG2"].str.contains(",").any()  # LimeSurvey writes a decimal point, trailing zeros cut
    assert not data["ENG2"].str.fullmatch(r".*\.\d*0").any()
    own = next(s for s in _sources(manifest, "resident_survey") if s.get("codes"))
    raw = _read_limesurvey(_files(demo, own)[0])
    assert raw["ipaddr. IP-Adresse"].str.match(r"^(192\.0\.2|198\.51\.100|203\.0\.113)\.").all()
    comments = pd.concat(
        [
            _read_limesurvey(p).filter(like="etwas mitteilen")
            for s in _sources(manifest, "resident_survey")
            for p in _files(demo, s)
        ],
        ignore_index=True,
    ).stack()
    assert comments.str.contains("@example", regex=False).any()
    assert comments.str.contains('"Fest der Vereine" war toll.\n', regex=False).any()  # quotes and a line break


def test_engagement_rate_about_forty_percent_and_sample_skewed(demo: Path, manifest: dict) -> None:
    data = _surveys(demo, manifest)
    age = pd.to_numeric(data["AGE"], errors="coerce")
    counted = data[(data["submitdate"] != "") & (age >= 14) & (age <= 120) & data["ENG1"].isin(["Y", "N"])]
    rate = (counted["ENG1"] == "Y").mean()
    assert 0.35 <= rate <= 0.45
    by_band = counted.groupby(pd.cut(age[counted.index], [13, 29, 49, 64, 79, 120]), observed=True)["ENG1"]
    shares = by_band.apply(lambda s: (s == "Y").mean())
    assert shares.iloc[1] > shares.iloc[3] > shares.iloc[4]  # 30–49 highest, 65–79 lower, 80+ lowest
    incomplete = (data["submitdate"] == "").mean()
    assert 0.02 < incomplete < 0.09
    assert ((age < 14) & (data["submitdate"] != "")).any()
    # older respondents answer more often than their population share: raking has work to do
    pop = pd.read_csv(demo / "bevoelkerung/bevoelkerung.csv", dtype={"count": int}, keep_default_na=False)
    adults = pop[(pop["district"] != "") & (pop["age_band"] != "0-13")]
    pop_old = adults.loc[adults["age_band"] == "65+", "count"].sum() / adults["count"].sum()
    assert (age[counted.index] >= 65).mean() > pop_old
    assert (counted["GENDER"] == "w").mean() > 0.52


def test_partner_surveys_and_organisations(demo: Path, manifest: dict) -> None:
    incomplete = 0
    for source in _sources(manifest, "organisations"):
        orgs = pd.read_csv(_files(demo, source)[0], dtype=str)
        assert list(orgs.columns) == ["org_id", "name", "sector"]
        assert 20 <= len(orgs) <= 30 and set(orgs["sector"]) == set(SECTORS)
        waves = [s for s in _specs(demo, "partner_survey") if s.town == source["town"]]
        assert waves
        for wave in waves:
            answers = partner_exports(wave, RejectLog(wave)).frame
            for prefix in ("FREQ", "TRUST", "VALUE"):
                assert {f"{prefix}[{o}]" for o in orgs["org_id"]} <= set(answers.columns)
            freq = answers[[f"FREQ[{o}]" for o in orgs["org_id"]]]
            assert set(np.unique(freq.to_numpy())) <= {"", "0", "1", "2", "3", "4"}
            complete = answers["submitdate"] != ""
            assert set(answers.loc[complete, "EYE"]) <= {"1", "2", "3", "4", "5"}
            assert set(answers["SECTOR"]) <= set(SECTORS)
            assert set(answers["ORG"]) <= set(orgs["org_id"]) | {"ORG99"}
            incomplete += int((~complete).sum())
            if wave.options.get("questionnaire"):  # the town's own .lss carries its organisations' names
                lss = load_questionnaire(demo / wave.options["questionnaire"])
                assert [t["de"] for _, t in lss.question("ORG").answers] == orgs["name"].tolist()
    assert incomplete >= 1  # an organisation that stopped before the end


def test_registrations_with_mapped_german_headers(demo: Path, manifest: dict) -> None:
    kinds = set()
    for source in _sources(manifest, "registrations"):
        path = _files(demo, source)[0]
        if path.suffix == ".xlsx":
            frame = pd.read_excel(
                path, engine="openpyxl", sheet_name=source["sheet"], dtype={"PLZ": str, "Stadtteil": str}
            )
            kinds.add("xlsx")
        else:
            frame = pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig", dtype=str)
            kinds.add("csv")
        assert set(source["columns"].values()) <= set(frame.columns)
        assert {"Vorname", "Nachname", "Telefon"} <= set(frame.columns)  # personal columns to drop
        mails = frame[source["columns"]["person_id"]]
        assert mails.duplicated().any()  # persons with several registrations
        assert frame[source["columns"]["ended_on"]].notna().any()
        assert set(frame["Geschlecht"].dropna()) <= {"weiblich", "männlich", "divers"}
        assert 200 <= len(frame) <= 8000
    assert kinds == {"xlsx", "csv"}


def test_events_and_goal_plans(demo: Path, manifest: dict) -> None:
    for source in _sources(manifest, "events"):
        path = _files(demo, source)[0]
        raw = path.read_bytes()
        encoding = "utf-8" if raw.decode("utf-8", errors="ignore").encode() == raw else "cp1252"
        frame = pd.read_csv(path, sep=None, engine="python", encoding=encoding, dtype=str)
        assert tuple(frame.columns) == EVENT_COLUMNS
        per_year = frame["date"].str[-4:].where(frame["date"].str[2] == ".", frame["date"].str[:4])
        assert per_year.value_counts().between(20, 80).all()
    for source in _sources(manifest, "goals"):
        workbook = load_workbook(_files(demo, source)[0], read_only=True)
        assert workbook.sheetnames == ["Ziele", "Massnahmen", "Messungen"]
        headers = {name: next(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}
        assert headers == {"Ziele": GOAL_HEADER, "Massnahmen": MEASURE_HEADER, "Messungen": MEASUREMENT_HEADER}
        goals = pd.read_excel(_files(demo, source)[0], engine="openpyxl", sheet_name="Ziele")
        measures = pd.read_excel(_files(demo, source)[0], engine="openpyxl", sheet_name="Massnahmen")
        assert set(measures["status"]) == set(STATUSES) and measures["level"].between(1, 7).all()
        assert {
            "engagement_rate",
            "registered_per_1000",
            "network_density",
            "equal_footing_agree",
            "event_participants",
        } <= set(goals["indicator"].dropna())
        assert (goals["target"] < goals["baseline"]).any()  # a decreasing target
        assert goals["indicator"].isna().any()
        assert set(goals["principle"]) <= {"P1", "P2", "P3", "P4", "P5", "W1", "W2", "W3", "W4", "W5"}


def test_each_quirk_file_has_its_quirk(demo: Path, manifest: dict) -> None:
    events = {Path(s["path"]).parent.name: demo / s["path"] for s in _sources(manifest, "events")}
    cp1252 = events["beispielhausen"].read_bytes()
    assert "Bürgerdialog Süd".encode("cp1252") in cp1252
    with pytest.raises(UnicodeDecodeError):
        cp1252.decode("utf-8")
    assert b"\r\n" in cp1252 and cp1252.split(b"\r\n")[0].count(b";") == 9
    assert re.search(rb"\n[^;]+;\d\d\.\d\d\.\d{4};", cp1252)  # German dates
    assert "Bürgerdialog Süd" in events["musterstadt"].read_text(encoding="utf-8")
    registrations = demo / next(s["path"] for s in _sources(manifest, "registrations") if s["path"].endswith(".csv"))
    raw = registrations.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    frame = pd.read_csv(registrations, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert frame["Stunden"].str.fullmatch(r"\d+,\d").any()  # decimal comma
    assert frame["PLZ"].str.fullmatch(r"\d{5}").all()


def test_the_dirt_rows_exist_and_stay_few(demo: Path, manifest: dict) -> None:
    data = _surveys(demo, manifest)
    assert (data["AGE"] == "150").sum() == 1
    assert (data["EDU"] == "4").sum() == 1
    duplicated = data[data["id"] != ""].duplicated(subset=["source_file", "id"])
    assert duplicated.sum() == 1
    registrations = next(s for s in _sources(manifest, "registrations") if s["path"].endswith(".csv"))
    frame = pd.read_csv(demo / registrations["path"], sep=";", encoding="utf-8-sig", dtype=str)
    assert (frame["Registriert am"].str.startswith("31.02.")).sum() == 1
    for source in _sources(manifest, "registrations"):
        path = demo / source["path"]
        regs = (
            pd.read_excel(path, engine="openpyxl")
            if path.suffix == ".xlsx"
            else pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig", dtype=str)
        )
        dupes = regs.duplicated(subset=["E-Mail", "Organisation", "Registriert am"]).sum()
        assert dupes <= 1
    musterstadt = [s for s in _sources(manifest, "partner_survey") if s["path"].startswith("musterstadt/")]
    partner = _read_limesurvey(demo / musterstadt[-1]["path"])
    assert "ORG99" in set(partner["ORG"]) and "FREQ[ORG98]" in partner.columns
    goals = pd.read_excel(demo / "musterstadt/zielplan.xlsx", engine="openpyxl", sheet_name="Ziele")
    assert (goals["target"] == goals["baseline"]).sum() == 1
    assert len(data) > 100 * 3  # the three bad survey rows are a small fraction


def test_ten_towns_cover_all_peer_groups(tmp_path: Path) -> None:
    manifest_path = write_demo(tmp_path, towns=10, years=3, last_year=2024)
    manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    assert len(manifest["towns"]) == 10
    assert len({t["name"] for t in manifest["towns"]}) == 10
    assert [t["name"] for t in manifest["towns"][:3]] == ["Musterstadt", "Beispielhausen", "Fiktivingen"]
    population = pd.read_csv(
        tmp_path / "bevoelkerung/bevoelkerung.csv", dtype={"ags": str, "district": str}, keep_default_na=False
    )
    latest = population[(population["year"] == 2024) & (population["district"] != "")]
    sizes = latest.groupby("ags")["count"].sum()
    groups = {next(k for k, (low, high) in enumerate(PEER_RANGES) if low * 0.9 <= v <= high * 1.1) for v in sizes}
    assert groups == {0, 1, 2, 3}
    district_counts = latest.groupby("ags")["district"].nunique()
    assert district_counts.between(3, 8).all()
    kinds = pd.Series([s["kind"] for s in manifest["sources"]]).value_counts()
    assert kinds["goals"] == kinds["events"] == kinds["registrations"] == kinds["organisations"] == 10
    assert all(sorted(tmp_path.glob(s["path"])) for s in manifest["sources"])
