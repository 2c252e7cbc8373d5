"""LimeSurvey response exports exactly as the tool writes them (brief §3.2, §3.3, §4; issue 10).

The files are made here from the shipped questionnaires (``data/questionnaires/*.lss``) by the export
emulation of :mod:`etl.demo.limesurvey`, never typed by hand: the same responses in every heading × answer ×
separator × "Y in 1 / N in 2" style, German and English, must give the same clean table and the same
indicator values; what cannot be read gets one German message saying what to do in LimeSurvey.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from fixtures.readers.support import PROJECT, PSEUDO, TOWN, TOWNS, assert_counts, make_spec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.cli import main
from etl.crosscheck import check_partner_organisations
from etl.demo.limesurvey import ExportStyle, export_bytes
from etl.demo.partners import organisations, partner_wave
from etl.demo.questionnaires import build_lss, partner_survey, resident_survey
from etl.demo.survey import OWN_CODES, rename_to_own_codes, simulate_wave
from etl.demo.towns import plan_towns, rng_for
from etl.indicators.network import network_frames
from etl.indicators.survey import survey_values
from etl.model import CleanData, Manifest, SourceResult
from etl.readers import read_source
from etl.readers.limesurvey import place_headings
from etl.readers.questionnaire import Questionnaire, load_questionnaire, shipped

HEADINGS = ("code", "em", "codetext", "full")
ANSWER_STYLES = ("short", "long")
SEPARATORS = (",", ";", "\t")
YN = (None, ("1", "2"))
LANGUAGES = ("de", "en")
STYLES = [ExportStyle(*combo) for combo in itertools.product(HEADINGS, ANSWER_STYLES, SEPARATORS, YN, LANGUAGES)]
YES_NO_QUESTIONS = ("MIG", "ENG1", "PART", "KNOW")
DEMO_TOWN = plan_towns(3, 42)[2]
AGS = TOWN.ags
COMMENT = 'Rufen Sie mich an: 0170 5550123,\nich bin "Erika M."; Grüße'


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def resident_answers(n: int = 240, seed: int = 5) -> pd.DataFrame:
    """Realistic responses (NULL and shown-but-empty kept apart), with a comment of quotes and a line break.

    A Yes/No question shown but left unanswered is NULL here: the 1/2 option would make it "Nein" (see
    :func:`test_yes_no_as_1_2_cannot_tell_no_from_no_answer`), so such answers would differ between styles.
    """
    frame = simulate_wave(DEMO_TOWN, 2024, 2023, rng_for(seed, 0, 1), n=n)
    for code in YES_NO_QUESTIONS:
        frame[code] = frame[code].where(frame[code] != "", None)
    frame.loc[frame.index[0], "COMMENT"] = COMMENT
    frame.loc[frame.index[0], "submitdate"] = frame.loc[frame.index[0], "datestamp"]
    return frame


def population() -> pd.DataFrame:
    counts = {"14-29": 1800, "30-49": 2600, "50-64": 2300, "65+": 2400, "0-13": 1500}
    return pd.DataFrame(
        [
            {
                "ags": AGS,
                "year": 2024,
                "district": "",
                "age_band": b,
                "gender": g,
                "count": c * (1.04 if g == "w" else 1),
            }
            for b, c in counts.items()
            for g in ("w", "m")
        ]
    )


def read_export(
    folder: Path,
    frame: pd.DataFrame,
    style: ExportStyle,
    questionnaire: Questionnaire | None = None,
    kind: str = "resident_survey",
    **spec: object,
) -> SourceResult:
    """Write ``frame`` as LimeSurvey exports it in ``style`` and read it as the pipeline does."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "export.csv").write_bytes(export_bytes(frame, questionnaire or shipped(kind), style))
    spec.setdefault("year", 2024)
    return read_source(make_spec(folder, kind, ["export.csv"], **spec), PROJECT, TOWNS, PSEUDO)


def survey_indicators(responses: pd.DataFrame) -> pd.DataFrame:
    frames = {"stg_survey_responses": responses.copy(), "population": population()}
    manifest = Manifest(Path("engage.toml"), PROJECT, TOWNS, ())
    clean = CleanData(manifest, frames, {"resident_survey": ["export.csv"]}, dt.date(2025, 1, 1))
    values = survey_values(clean)
    return values.sort_values(["indicator", "breakdown", "group"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    return resident_answers()


@pytest.fixture(scope="module")
def reference(answers: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> SourceResult:
    """The brief's own style: question codes, answer codes, comma."""
    return read_export(tmp_path_factory.mktemp("reference"), answers, ExportStyle())


def test_the_reference_reads_every_response(answers: pd.DataFrame, reference: SourceResult) -> None:
    frame = reference.frames["stg_survey_responses"]
    assert reference.rejects.empty and len(frame) == len(answers)
    assert not frame["complete"].all() and frame["below_min_age"].any() and frame["eng3_sq001"].any()
    assert frame["mig"].isna().any() and frame["will"].notna().any() and frame["district"].isna().any()
    assert_counts(reference)


def test_every_export_style_gives_the_same_clean_table_and_indicators(
    answers: pd.DataFrame, reference: SourceResult, tmp_path: Path
) -> None:
    expected = reference.frames["stg_survey_responses"]
    expected_values = survey_indicators(expected)
    assert {"engagement_rate", "engagement_area_share", "ease_agree", "willingness_rate"} <= set(
        expected_values["indicator"]
    )
    lss = shipped("resident_survey")
    for style in STYLES:
        if style.language == "en" and style.heading in ("code", "em") and style.answers == "short":
            # codes are the same in every language: the file is the German one, byte for byte
            assert export_bytes(answers, lss, style) == export_bytes(answers, lss, replace(style, language="de"))
            continue
        result = read_export(tmp_path / style.label, answers, style)
        assert not result.failed and result.rejects.empty, (style.label, result.files[0].message)
        got = result.frames["stg_survey_responses"]
        pd.testing.assert_frame_equal(got, expected, obj=style.label)
        pd.testing.assert_frame_equal(survey_indicators(got), expected_values, obj=style.label)
        assert_counts(result)
        note = result.files[0].message
        assert ("Y in 1 / N in 2" in note) == (style.yn is not None and style.answers == "short"), style.label


def test_the_files_are_limesurvey_bytes(answers: pd.DataFrame) -> None:
    """BOM, CRLF, every value quoted, NULL as nothing, the comment's line break as \\n and its quotes doubled."""
    data = export_bytes(answers, shipped("resident_survey"), ExportStyle("full", "long", ";"))
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b'"\r\n\r\n')
    assert '"Rufen Sie mich an: 0170 5550123,\nich bin ""Erika M.""; Grüße"'.encode() in data
    header = data[3:].split(b"\r\n", 1)[0].decode()
    assert header.startswith('"Antwort ID";"Datum Abgeschickt";"Letzte Seite";"Start-Sprache";"Zufallsstartwert"')
    assert '"In welchen Bereichen engagieren Sie sich? (Mehrfachnennung möglich) [Sport und Bewegung]"' in header
    assert ";;" in data.decode("utf-8-sig")  # NULL: a question that was not shown
    code = export_bytes(answers, shipped("resident_survey"), ExportStyle("codetext", "short", ",", ("1", "2")))
    assert code[3:].startswith(b'"id. Antwort ID","submitdate. Datum Abgeschickt"')
    assert b'"AGE. Wie alt sind Sie (in Jahren)?"' in code and b'"ENG3[SQ014]. In welchen Bereichen' in code


def test_the_comment_never_reaches_the_warehouse(answers: pd.DataFrame, tmp_path: Path) -> None:
    """A non-anonymous survey (token, IP address, referrer) as LimeSurvey's default export, read end to end."""
    lss = tmp_path / "src" / "umfrage.lss"
    lss.parent.mkdir()
    lss.write_text(build_lss(resident_survey(anonymized=False, ipaddr=True, refurl=True)), encoding="utf-8")
    frame = answers.assign(ipaddr="192.0.2.77", refurl="https://www.example.org/geheim", token="tokGeheim42")
    (tmp_path / "src" / "umfrage.csv").write_bytes(
        export_bytes(frame, load_questionnaire(lss), ExportStyle("full", "long"))
    )
    (tmp_path / "src" / "engage.toml").write_text(
        f'[project]\nname = "Test"\n\n[[towns]]\nags = "{AGS}"\nname = "Musterstadt"\n\n'
        '[[sources]]\nkind = "resident_survey"\npath = "umfrage.csv"\nyear = 2024\nquestionnaire = "umfrage.lss"\n',
        encoding="utf-8",
    )
    db = tmp_path / "warehouse.sqlite"
    result = CliRunner(env={"ENGAGE_PSEUDONYM_KEY": "test-schluessel-nur-fuer-tests-0123456789"}).invoke(
        main, ["run", str(tmp_path / "src"), "--db", f"sqlite:///{db}"]
    )
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        stored = conn.execute("select count(*) from stg_survey_responses").fetchone()[0]
        (message,) = conn.execute("select message from etl_run_files").fetchone()
    assert stored == len(answers) and message.startswith(f"{len(answers)} Zeilen gelesen, {len(answers)} übernommen")
    warehouse = db.read_bytes()
    for private in ("0170 5550123", "Erika", "Rufen Sie mich an", "192.0.2.77", "example.org/geheim", "tokGeheim42"):
        assert private.encode() not in warehouse and private not in result.output, private


def test_an_empty_survey_has_no_response(tmp_path: Path) -> None:
    """LimeSurvey writes the heading and one record of empty values: no response, so no row (0 = 0 + 0)."""
    for kind, style in (("resident_survey", ExportStyle("full", "long")), ("partner_survey", ExportStyle())):
        lss = shipped(kind)
        empty = pd.DataFrame(columns=[*lss.meta(), *(c.code for c in lss.columns)], dtype=object)
        data = export_bytes(empty, lss, style)
        assert data.count(b"\r\n") == 3 and b'\r\n"",""' in data
        result = read_export(tmp_path / kind, empty, style, kind=kind)
        assert not result.failed and result.rejects.empty
        report = result.files[0]
        assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (0, 0, 0)
        assert "keine Antworten (leere Umfrage)" in report.message
        assert all(frame.empty for frame in result.frames.values())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 12),
    style=st.sampled_from(STYLES),
    blank=st.sampled_from(["GENDER", "EDU", "DISTRICT", "EASE", "ENG3[SQ002]", "AGE"]),
)
def test_any_responses_read_alike_in_any_style(tmp_path: Path, seed: int, n: int, style: ExportStyle, blank: str):
    """Small random waves (one row, a column never shown, all under age …) read alike in any style."""
    frame = resident_answers(n=n, seed=seed)
    frame[blank] = None
    folder = tmp_path / f"{seed}-{n}-{blank}-{style.label}"
    expected = read_export(folder / "code", frame, ExportStyle())
    got = read_export(folder / "style", frame, style)
    pd.testing.assert_frame_equal(got.frames["stg_survey_responses"], expected.frames["stg_survey_responses"])
    pd.testing.assert_frame_equal(got.rejects[["file", "row"]], expected.rejects[["file", "row"]])


def test_yes_no_as_1_2_cannot_tell_no_from_no_answer(tmp_path: Path) -> None:
    """With the option LimeSurvey writes a shown-but-unanswered Yes/No question as 2: it reads as N, and the
    file's report says so; EDU and WILL keep their codes 1–3, multiple-choice boxes their ticks."""
    frame = resident_answers(n=60)
    frame.loc[frame.index[:5], "ENG1"] = ""
    frame.loc[frame.index[:5], ["ENG2", "WILL", *[f"ENG3[SQ{k:03d}]" for k in range(1, 15)]]] = None
    plain = read_export(tmp_path / "plain", frame, ExportStyle()).frames["stg_survey_responses"]
    converted = read_export(tmp_path / "yn", frame, ExportStyle(yn=("1", "2")))
    got = converted.frames["stg_survey_responses"]
    assert plain["eng1"].iloc[:5].isna().all() and (got["eng1"].iloc[:5] == "N").all()
    same = [c for c in got.columns if c != "eng1"]
    pd.testing.assert_frame_equal(got[same], plain[same])
    assert set(got["edu"].dropna()) == {1, 2, 3} and set(got["will"].dropna()) <= {1, 2, 3}
    assert "unbeantwortete Ja/Nein-Fragen als 2" in converted.files[0].message


def test_yn_codes_in_the_manifest_forces_other_codes(tmp_path: Path, answers: pd.DataFrame) -> None:
    """LimeSurvey lets the export use any pair (say 1/0); the manifest names it, detection is not needed."""
    expected = read_export(tmp_path / "code", answers, ExportStyle()).frames["stg_survey_responses"]
    style = ExportStyle("code", "short", ";", yn=("1", "0"))
    got = read_export(tmp_path / "10", answers, style, options={"yn_codes": ["1", "0"]})
    pd.testing.assert_frame_equal(got.frames["stg_survey_responses"], expected)


def test_an_own_questionnaire_named_in_the_manifest(tmp_path: Path, answers: pd.DataFrame) -> None:
    """A town with its own codes and texts: unreadable without its .lss (one message saying what to do),
    the same as the code export with ``[sources.codes]`` once the manifest names the .lss."""
    own = resident_survey(codes=OWN_CODES, html=True)
    copied = load_questionnaire(_write(tmp_path / "kopie.lss", build_lss(own)))
    own.groups = tuple(
        (name, tuple(replace(q, text=(f"{q.text[0]} (Beispielhausen)", q.text[1])) for q in questions))
        for name, questions in own.groups
    )
    lss = load_questionnaire(_write(tmp_path / "umfrage.lss", build_lss(own)))
    frame = rename_to_own_codes(answers)
    codes = read_export(tmp_path / "codes", frame, ExportStyle(), lss, codes=dict(OWN_CODES))
    expected = codes.frames["stg_survey_responses"]
    assert len(expected) == len(answers) and codes.rejects.empty
    # ExpressionScript codes need no .lss either: BEREICH_SQ001 is the mapped BEREICH[SQ001]
    em = read_export(tmp_path / "em", frame, ExportStyle("em", "short", "\t"), lss, codes=dict(OWN_CODES))
    pd.testing.assert_frame_equal(em.frames["stg_survey_responses"], expected)
    assert "nicht im Export" not in em.files[0].message
    # own codes, the standard texts kept: the shipped questionnaire places the texts, [sources.codes] the codes
    kept = read_export(tmp_path / "kopie", frame, ExportStyle("full", "long"), copied, codes=dict(OWN_CODES))
    pd.testing.assert_frame_equal(kept.frames["stg_survey_responses"], expected)

    folder = tmp_path / "texts"
    failed = read_export(folder, frame, ExportStyle("full", "long"), lss, codes=dict(OWN_CODES))
    assert failed.failed
    message = failed.files[0].message
    assert message.startswith("Pflichtspalten 'ALTER', 'submitdate' fehlen in export.csv") or message.startswith(
        "Pflichtspalte 'ALTER' fehlt in export.csv"
    )
    assert "'Wie alt sind Sie (in Jahren)? (Beispielhausen)'" in message
    assert "Fragebogens engagement_resident.lss" in message
    assert "Überschrift: Fragecode“ und „Antworten: Antwortcodes" in message and "questionnaire = " in message
    assert "Traceback" not in message

    (folder / "umfrage.lss").write_bytes((tmp_path / "umfrage.lss").read_bytes())
    for style in (ExportStyle("full", "long"), ExportStyle("codetext", "short", ";", ("1", "2"), "en")):
        result = read_export(folder, frame, style, lss, codes=dict(OWN_CODES), options={"questionnaire": "umfrage.lss"})
        assert result.rejects.empty, result.files[0].message
        pd.testing.assert_frame_equal(result.frames["stg_survey_responses"], expected)


def test_an_answer_text_of_no_answer_rejects_its_row(tmp_path: Path) -> None:
    """The town renamed its districts in LimeSurvey but the manifest names no .lss: those rows are rejected."""
    frame = resident_answers(n=30)
    data = export_bytes(frame, shipped("resident_survey"), ExportStyle("full", "long"))
    renamed = data.replace(b'"Stadtteil 02"', b'"Altstadt"')
    (tmp_path / "export.csv").write_bytes(renamed)
    result = read_source(make_spec(tmp_path, "resident_survey", ["export.csv"], year=2024), PROJECT, TOWNS, PSEUDO)
    rows = frame.index[frame["DISTRICT"] == "02"] + 2
    assert len(rows) and set(result.rejects["row"]) == set(rows)
    reason = result.rejects["reason"].iloc[0]
    assert reason.startswith(
        "Antwort 'Altstadt' in Spalte 'In welchem Stadtteil wohnen Sie?' gehört zu keiner Antwort der Frage "
        "DISTRICT im Fragebogen engagement_resident.lss"
    )
    assert "questionnaire = " in reason and (result.rejects["column"] == "In welchem Stadtteil wohnen Sie?").all()
    assert_counts(result)


def test_a_glob_of_files_in_different_styles(tmp_path: Path) -> None:
    """Yearly files exported differently: each is read in its own style, each reject names its own heading."""
    first, second = resident_answers(n=20, seed=1), resident_answers(n=20, seed=2)
    second["id"] = (second["id"].astype(int) + 1000).astype(str)  # ids go on across the waves
    second.loc[second.index[3], "AGE"] = "150"
    second.loc[second.index[4], "id"] = first["id"].iloc[2]  # the same LimeSurvey id as in the first file
    lss = shipped("resident_survey")
    (tmp_path / "export_2023.csv").write_bytes(export_bytes(first, lss, ExportStyle()))
    (tmp_path / "export_2024.csv").write_bytes(export_bytes(second, lss, ExportStyle("full", "long", ";", None, "en")))
    spec = make_spec(tmp_path, "resident_survey", ["export_2023.csv", "export_2024.csv"])
    result = read_source(spec, PROJECT, TOWNS, PSEUDO)
    assert {(r.file, r.row, r.column): r.reason for r in result.rejects.itertuples()} == {
        ("export_2024.csv", 5, "How old are you (in years)?"): "Alter '150' in Spalte 'How old are you (in years)?' "
        "ist nicht erlaubt (erlaubt: 0–120)",
        ("export_2024.csv", 6, "Antwort ID"): "Duplikat von Zeile 4 in export_2023.csv",
    }
    assert len(result.frames["stg_survey_responses"]) == 38
    assert_counts(result)


def test_limesurvey_columns_in_an_unknown_interface_language(tmp_path: Path, answers: pd.DataFrame) -> None:
    """LimeSurvey labels its own columns in the interface language: unknown labels are placed by position."""
    data = export_bytes(answers, shipped("resident_survey"), ExportStyle("full", "long"))
    french = ["ID de la réponse", "Date de soumission", "Dernière page", "Langue de départ", "Tête de série"]
    german = ["Antwort ID", "Datum Abgeschickt", "Letzte Seite", "Start-Sprache", "Zufallsstartwert"]
    for de, fr in zip(german, french, strict=True):
        data = data.replace(f'"{de}"'.encode(), f'"{fr}"'.encode(), 1)
    (tmp_path / "export.csv").write_bytes(data)
    result = read_source(make_spec(tmp_path, "resident_survey", ["export.csv"]), PROJECT, TOWNS, PSEUDO)
    assert result.rejects.empty and len(result.frames["stg_survey_responses"]) == len(answers)
    assert set(result.frames["stg_survey_responses"]["year"]) == {2024}  # from submitdate, placed by position


def test_headings_are_placed_by_code_text_or_both() -> None:
    lss = shipped("resident_survey")
    headers = [
        "id",
        "ENG3_SQ004",
        "ENG1. Haben Sie sich in den letzten 12 Monaten freiwillig oder ehrenamtlich engagiert?",
        "How old are you (in years)?",
        "In_welchen_Bereichen_engagieren_Sie_sich?_(Mehrfachnennung_möglich)_[Kultur_und_Musik]",
        "Alter laut Melderegister",
        "F_ALTER",
    ]
    placement = place_headings(headers, lss, keep={"F_ALTER"})
    assert placement.codes == {
        "ENG3_SQ004": "ENG3[SQ004]",
        headers[2]: "ENG1",
        headers[3]: "AGE",
        headers[4]: "ENG3[SQ002]",
    }
    assert placement.unplaced == ["Alter laut Melderegister"] and placement.by_text


# --- partner survey ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def partner_town(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame, Path]:
    """A town's organisations, one wave of answers and its own .lss with the organisations' names."""
    town = plan_towns(3, 42)[1]
    orgs = organisations(town, rng_for(42, 1, 2))
    latent = np.zeros((len(orgs), len(orgs))) + 1.8
    np.fill_diagonal(latent, -np.inf)
    wave = partner_wave(orgs, 0, 2024, rng_for(42, 1, 3), latent)
    wave = wave[wave["submitdate"].notna()].reset_index(drop=True)
    folder = tmp_path_factory.mktemp("partner")
    (folder / "akteure.lss").write_text(
        build_lss(partner_survey(list(zip(orgs["org_id"], orgs["name"], strict=True)))), encoding="utf-8"
    )
    return (
        orgs.assign(town_ags=AGS, source_file="organisationen.csv", source_row=range(2, 2 + len(orgs))),
        wave,
        folder,
    )


def network_of(result: SourceResult, orgs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Values, nodes and ties of the wave, after the organisations cross-check, as the pipeline computes them."""
    listed = SourceResult(
        spec=make_spec(Path("."), "organisations", []), frames={"stg_organisations": orgs}, rejects=None, files=[]
    )
    check_partner_organisations([listed, result])
    frames = {**result.frames, "stg_organisations": orgs}
    manifest = Manifest(Path("engage.toml"), PROJECT, TOWNS, ())
    network = network_frames(CleanData(manifest, frames, {}, dt.date(2025, 1, 1)))
    return network.values.drop(columns="source_files"), network.nodes, network.ties


def test_partner_styles_read_alike(partner_town: tuple[pd.DataFrame, pd.DataFrame, Path], tmp_path: Path) -> None:
    orgs, wave, folder = partner_town
    lss = load_questionnaire(folder / "akteure.lss")
    options = {"questionnaire": "akteure.lss"}
    expected = read_export(folder / "code", wave, ExportStyle(), lss, kind="partner_survey")
    figures = network_of(expected, orgs)
    assert expected.rejects.empty and len(figures[2]) > 10
    for k, (heading, answers, sep) in enumerate(itertools.product(HEADINGS, ANSWER_STYLES, SEPARATORS)):
        style = ExportStyle(heading, answers, sep)
        target = tmp_path / style.label
        target.mkdir()
        (target / "akteure.lss").write_bytes((folder / "akteure.lss").read_bytes())
        got = read_export(target, wave, style, lss, kind="partner_survey", options=options)
        assert got.rejects.empty, (style.label, got.files[0].message)
        for name in ("stg_partner_responses", "partner_ratings"):
            pd.testing.assert_frame_equal(got.frames[name], expected.frames[name], obj=f"{style.label} {name}")
        if k % len(SEPARATORS) == k // len(SEPARATORS) % len(SEPARATORS):  # the figures once per heading × answers
            for a, b in zip(network_of(got, orgs), figures, strict=True):
                pd.testing.assert_frame_equal(a, b, obj=style.label)


def test_an_incomplete_partner_response_changes_no_network_figure_and_no_rating(
    partner_town: tuple[pd.DataFrame, pd.DataFrame, Path], tmp_path: Path
) -> None:
    """An organisation that stopped before the end (with ratings and EYE/HE given) is an accepted, flagged
    row that counts nowhere; nor does an earlier attempt of an organisation that completed later."""
    orgs, wave, _ = partner_town
    before = read_export(tmp_path / "before", wave, ExportStyle(), kind="partner_survey")
    silent = sorted(set(orgs["org_id"]) - set(wave["ORG"]))[0]
    quit_row = wave.iloc[[0]].assign(
        id="900", submitdate=None, lastpage="2", ORG=silent, EYE="1", HE="1", **{c: "4" for c in wave if "[" in c}
    )
    quit_row[f"FREQ[{silent}]"] = None
    retry = wave.iloc[[1]].assign(
        id="901", submitdate=None, lastpage="1", EYE="5", **{c: "1" for c in wave if "[" in c}
    )
    with_quitters = pd.concat([retry, wave, quit_row], ignore_index=True)
    after = read_export(tmp_path / "after", with_quitters, ExportStyle("full", "long"), kind="partner_survey")
    assert after.rejects.empty
    responses = after.frames["stg_partner_responses"]
    assert list(responses.loc[~responses["complete"], "org_id"]) == [wave["ORG"].iloc[1], silent]
    assert responses["complete"].sum() == len(wave)
    assert set(after.frames["partner_ratings"]["source_row"]) == set(range(3, 3 + len(wave)))
    for got, expected in zip(network_of(after, orgs), network_of(before, orgs), strict=True):
        pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))
    indicators = set(network_of(before, orgs)[0]["indicator"])
    assert {"network_density", "trust_mean", "value_mean", "equal_footing_agree"} <= indicators
    assert {"paid_volunteer_cooperation_agree", "degree_centralization", "sector_balance"} <= indicators


def test_an_incomplete_partner_response_is_checked_only_for_its_answers(tmp_path: Path) -> None:
    rows = [
        ["id", "submitdate", "startdate", "ORG", "FREQ[o2]", "EYE"],
        ["1", "2024-03-01 09:00:00", "2024-03-01 08:50:00", "o1", "3", "4"],
        ["2", "", "2024-03-02 08:50:00", "", "", ""],  # stopped on the first page: no organisation yet
        ["3", "", "2024-03-03 08:50:00", "o3", "7", ""],  # an answer it has is wrong
        ["4", "2024-03-04 09:00:00", "2024-03-04 08:50:00", "", "2", "4"],  # complete without ORG
    ]
    (tmp_path / "p.csv").write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    result = read_source(make_spec(tmp_path, "partner_survey", ["p.csv"]), PROJECT, TOWNS, PSEUDO)
    assert {(r.row, r.column): r.reason for r in result.rejects.itertuples()} == {
        (4, "FREQ[o2]"): "Wert '7' in Spalte 'FREQ[o2]' ist nicht erlaubt (erlaubt: 0–4)",
        (5, "ORG"): "Pflichtfeld 'ORG' ist leer",
    }
    responses = result.frames["stg_partner_responses"]
    assert responses[["org_id", "complete", "sector"]].values.tolist()[1] == ["", False, ""]
    assert list(result.frames["partner_ratings"]["source_row"]) == [2]
    assert_counts(result)


# --- manifest -------------------------------------------------------------------------------------------


def _manifest(folder: Path, extra: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "u.csv").write_text("id,submitdate,AGE\n", encoding="utf-8")
    (folder / "engage.toml").write_text(
        f'[project]\nname = "T"\n[[towns]]\nags = "{AGS}"\nname = "M"\n'
        f'[[sources]]\nkind = "resident_survey"\npath = "u.csv"\n{extra}\n',
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            'questionnaire = "fehlt.lss"',
            "Schlüssel 'questionnaire': Die Datei 'fehlt.lss' gibt es im Quellordner nicht",
        ),
        ('questionnaire = "../x.lss"', "Schlüssel 'questionnaire': '../x.lss' liegt nicht im Quellordner"),
        ('questionnaire = "u.csv"', "Schlüssel 'questionnaire': Der Fragebogen u.csv ist keine lesbare .lss-Datei"),
        ('yn_codes = ["1"]', "Schlüssel 'yn_codes': ['1'] muss zwei verschiedene Codes nennen"),
        ('yn_codes = ["1", "1"]', "Schlüssel 'yn_codes': ['1', '1'] muss zwei verschiedene Codes nennen"),
    ],
)
def test_manifest_checks_the_survey_keys(tmp_path: Path, extra: str, expected: str) -> None:
    from etl.manifest import load_manifest
    from etl.model import ManifestError

    with pytest.raises(ManifestError) as error:
        load_manifest(_manifest(tmp_path, extra))
    assert expected in str(error.value)


def test_manifest_accepts_the_survey_keys(tmp_path: Path) -> None:
    from etl.manifest import load_manifest

    folder = _manifest(tmp_path, 'questionnaire = "fragebogen/u.lss"\nyn_codes = [" J ", "N"]')
    (folder / "fragebogen").mkdir()
    (folder / "fragebogen" / "u.lss").write_text(build_lss(resident_survey()), encoding="utf-8")
    spec = load_manifest(folder).sources[0]
    assert spec.options == {"questionnaire": "fragebogen/u.lss", "yn_codes": ["J", "N"]}
