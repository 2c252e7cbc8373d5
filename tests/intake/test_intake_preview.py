"""Recognition, mapping, plan and preview of :mod:`dashboard.intake` as plain functions on real files.

A real demo source folder and its warehouse (built by the real pipeline), real uploads staged in the real
state folder; the preview runs the real ETL. No Dash, no browser.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import tomlkit
from intake_exports import BAD_DATE, SECRET_MAIL, SECRET_NAME, SECRET_PHONE, platform_export
from intake_helpers import texts, upload
from sqlalchemy import create_engine

from dashboard.intake import actions, manifest_edit, render, store
from dashboard.intake.config import IntakeConfig
from dashboard.intake.plan import NEW, Choice, place
from dashboard.intake.preview import (
    choices_for,
    first_rejected_rows,
    indicator_changes,
    problems_of,
    run_preview,
)
from dashboard.intake.recognise import normalise, platform_of, propose_columns, recognise
from etl import tables
from etl.demo import write_demo
from etl.manifest import load_manifest
from etl.model import Manifest
from etl.pipeline import run_pipeline

TOWN = "99001012"  # Beispielhausen (its registrations come as CSV)
OTHER = "99001001"  # Musterstadt
COORDINATOR = actions.Who("koord-b", f"koordination:{TOWN}")


@dataclass
class Folder:
    config: IntakeConfig
    manifest: Manifest
    export: bytes  # the other platform's export of Beispielhausen


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Folder]:
    base = tmp_path_factory.mktemp("vorschau")
    source = write_demo(base / "quellen", towns=2, years=2, seed=7).parent
    db = f"sqlite:///{base / 'wh.sqlite'}"
    summary = run_pipeline(source, db_url=db)
    assert not summary.failed_sources
    config = IntakeConfig(source, db, 5 * 2**20)
    store.ensure_state(config)
    manifest = load_manifest(source)
    assert {t.ags for t in manifest.towns} == {TOWN, OTHER}
    yield Folder(config, manifest, platform_export(source / "beispielhausen" / "freiwillige.csv"))
    shutil.rmtree(base, ignore_errors=True)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- recognition and mapping -------------------------------------------------------------------------------


def test_platform_export_recognised_and_mapped_from_its_words_and_values(folder: Folder, tmp_path: Path) -> None:
    path = _write(tmp_path / "Export.csv", folder.export)
    proposal = recognise(path, folder.manifest, [t for t in folder.manifest.towns if t.ags == TOWN], {})
    assert proposal.kind == "registrations" and proposal.town == TOWN
    assert "eigenen Spaltennamen" in proposal.how
    assert proposal.columns["person_id"] == "Mail-Adresse"
    assert proposal.columns["registered_on"] == "Anmeldedatum"
    assert proposal.columns["gender"] == "Geschl." and proposal.columns["birth_year"] == "Jahrgang"
    assert "ended_on" not in proposal.columns  # "Abschluss" is no platform word: the user maps it
    assert proposal.years[-1] == 2025


def test_mapping_by_values_when_headers_say_nothing() -> None:
    headers = ["Spalte 1", "Spalte 2", "Spalte 3"]
    frame = pd.DataFrame(
        {"Spalte 1": ["a@b.de", "c@d.org"] * 5, "Spalte 2": ["x"] * 10, "Spalte 3": ["01.02.2025", "2024-03-04"] * 5}
    )
    assert propose_columns("registrations", headers, frame) == {"person_id": "Spalte 1", "registered_on": "Spalte 3"}


def test_short_words_match_whole_headers_only() -> None:
    frame = pd.DataFrame({"Standort": ["x"], "Std.": ["2"], "Stadtteilname": ["Nord"]})
    mapped = propose_columns("registrations", list(frame.columns), frame)
    assert mapped.get("hours") == "Std." and mapped.get("district") == "Stadtteilname"
    assert "Standort" not in mapped.values()


def test_platform_is_its_header_set() -> None:
    assert platform_of(["B", "a ", "C"]) == platform_of(["c", "A", "b"]) != platform_of(["a", "b"])
    assert normalise("Std./Monat") == "stdmonat"


def test_remembered_mapping_is_proposed_for_the_same_platform(folder: Folder, tmp_path: Path) -> None:
    path = _write(tmp_path / "Export.csv", folder.export)
    towns = [t for t in folder.manifest.towns if t.ags == TOWN]
    first = recognise(path, folder.manifest, towns, {})
    confirmed = {**first.columns, "ended_on": "Abschluss"}
    memory = {first.platform: {"kind": "registrations", "columns": confirmed}}
    again = recognise(path, folder.manifest, towns, memory)
    assert again.remembered and again.columns == confirmed


def test_other_kinds_recognised_by_content_not_name(folder: Folder, tmp_path: Path) -> None:
    source = folder.config.source_dir
    towns = list(folder.manifest.towns)
    survey = recognise(
        _write(tmp_path / "freiwillige.csv", (source / "beispielhausen" / "einwohnerbefragung_2025.csv").read_bytes()),
        folder.manifest,
        towns,
        {},
    )
    assert survey.kind == "resident_survey" and survey.year == 2025
    # read like the town's own survey: its questionnaire and its code mapping, which the new entry takes over
    assert survey.options["questionnaire"] == "beispielhausen/einwohnerbefragung.lss"
    assert survey.options["codes"]["AGE"] == "ALTER"
    entry = tomlkit.parse(
        manifest_edit.entry_text(
            manifest_edit.new_entry("resident_survey", "E", "b/e.csv", TOWN, 2026, {}, survey.options)
        )
    )["sources"][0]
    assert entry["codes"]["AGE"] == "ALTER" and entry["questionnaire"] == survey.options["questionnaire"]
    goals = recognise(
        _write(tmp_path / "tabelle.xlsx", (source / "beispielhausen" / "zielplan.xlsx").read_bytes()),
        folder.manifest,
        towns,
        {},
    )
    assert goals.kind == "goals" and goals.town is None  # two towns allowed, the name names none
    flat = recognise(
        _write(tmp_path / "daten.zip", (source / "bevoelkerung" / "12411-02-03-5_2024_flat.zip").read_bytes()),
        folder.manifest,
        towns,
        {},
    )
    assert flat.kind == "population"


# --- choices, problems, plan -------------------------------------------------------------------------------------


def _choice(**changes: object) -> Choice:
    base = {
        "file": "Export.csv",
        "kind": "registrations",
        "town": TOWN,
        "year": None,
        "columns": {"person_id": "Mail-Adresse", "registered_on": "Anmeldedatum"},
        "options": {},
        "replace": None,
    }
    return Choice(**{**base, **changes})


def test_problems_before_any_run(folder: Folder) -> None:
    allowed = frozenset({TOWN})
    assert problems_of(_choice(), allowed, folder.manifest) == []
    no_kind = problems_of(_choice(kind=None), allowed, folder.manifest)
    assert no_kind == ["„Export.csv“: Bitte die Art der Daten wählen."]
    assert "darf dieses Konto keine Daten einspielen" in problems_of(_choice(town=OTHER), allowed, folder.manifest)[0]
    assert (
        "Bitte eine Spalte zuordnen für: registered_on"
        in problems_of(_choice(columns={"person_id": "Mail-Adresse"}), allowed, folder.manifest)[0]
    )
    doubled = _choice(columns={"person_id": "Mail-Adresse", "registered_on": "Mail-Adresse"})
    assert "mehreren Feldern" in problems_of(doubled, allowed, folder.manifest)[0]
    assert "Netzwerkstelle" in problems_of(_choice(kind="population", town=None), allowed, folder.manifest)[0]
    assert problems_of(_choice(kind="population", town=None, columns={}), None, folder.manifest) == []
    assert "Jahr der Befragung" in problems_of(_choice(kind="resident_survey", columns={}), allowed, folder.manifest)[0]


def test_choices_take_the_users_corrections() -> None:
    from dashboard.intake.recognise import Proposal

    proposal = Proposal("a.csv", "registrations", "", ["X", "Y"], columns={"person_id": "X"}, town=TOWN)
    files = [{"name": "a.csv"}]
    kept = choices_for(files, {"a.csv": proposal}, {})[0]
    assert kept.columns == {"person_id": "X"} and kept.town == TOWN
    changed = choices_for(
        files, {"a.csv": proposal}, {"a.csv": {"columns": {"person_id": "X", "registered_on": "Y", "bogus": "Y"}}}
    )[0]
    assert changed.columns == {"person_id": "X", "registered_on": "Y"}  # no field the kind does not have
    other_kind = choices_for(files, {"a.csv": proposal}, {"a.csv": {"kind": "events"}})[0]
    assert other_kind.kind == "events" and other_kind.columns == {}


def test_plan_replaces_the_towns_export_or_adds_a_source(folder: Folder) -> None:
    placed = place(folder.manifest, _choice(), set())
    assert placed.replace == "beispielhausen/freiwillige.csv"
    assert placed.target == "beispielhausen/Export.csv" and placed.label == "Freiwilligenregistrierungen Beispielhausen"
    new = place(folder.manifest, _choice(replace=NEW), set())
    assert new.replace == NEW and new.label == "Freiwilligenregistrierungen Beispielhausen (Export.csv)"
    taken = place(folder.manifest, _choice(replace=NEW), {"beispielhausen/Export.csv"})
    assert taken.target == "beispielhausen/Export_2.csv"
    same_name = place(folder.manifest, _choice(file="freiwillige.csv"), set())
    assert same_name.target == "beispielhausen/freiwillige.csv"  # replaces the file it is named like
    crafted = place(folder.manifest, _choice(replace="musterstadt/freiwillige.xlsx"), set())
    assert crafted.replace == NEW  # another town's entry is never a candidate


# --- the preview's comparison -------------------------------------------------------------------------------


def _mart(path: Path, rows: list[dict]) -> str:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    tables.mart_indicator_values.create(engine)
    tables.mart_indicator_catalogue.create(engine)
    base = {"breakdown": "", "group": "", "n": 50, "suppressed": False, "suppression": "", "run_id": 1}
    with engine.begin() as conn:
        conn.execute(
            tables.mart_indicator_values.insert(),
            [{**base, "source_files": "x", **r} for r in rows],
        )
        conn.execute(
            tables.mart_indicator_catalogue.insert(),
            [
                {
                    "indicator": name, "family": "participation", "name_de": label, "name_en": label,
                    "description_de": "", "description_en": "", "formula_de": "", "formula_en": "",
                    "unit": "share", "principle": "", "source_kind": "", "breakdowns": "", "run_id": 1,
                }
                for name, label in (("quote", "Engagementquote"), ("anzahl", "Registrierte Freiwillige"))
            ],
        )  # fmt: skip
    engine.dispose()
    return url


def test_changes_compare_shown_values_only(tmp_path: Path) -> None:
    old = _mart(
        tmp_path / "alt.sqlite",
        [
            {"town_ags": TOWN, "indicator": "quote", "year": 2024, "value": 0.40},
            {"town_ags": TOWN, "indicator": "anzahl", "year": 2024, "value": 300.0},
            {"town_ags": TOWN, "indicator": "anzahl", "year": 2023, "value": None, "n": None, "suppressed": True},
            {"town_ags": TOWN, "indicator": "quote", "year": 2024, "breakdown": "gender", "group": "w", "value": 0.5},
            {"town_ags": OTHER, "indicator": "quote", "year": 2024, "value": 0.1},
        ],
    )
    new = _mart(
        tmp_path / "neu.sqlite",
        [
            {"town_ags": TOWN, "indicator": "quote", "year": 2024, "value": 0.40},
            {"town_ags": TOWN, "indicator": "anzahl", "year": 2024, "value": 340.0},
            {"town_ags": TOWN, "indicator": "anzahl", "year": 2023, "value": None, "n": None, "suppressed": True},
            {"town_ags": TOWN, "indicator": "quote", "year": 2025, "value": 0.413},
            {"town_ags": TOWN, "indicator": "quote", "year": 2024, "breakdown": "gender", "group": "w", "value": 0.6},
            {"town_ags": OTHER, "indicator": "quote", "year": 2024, "value": 0.9},
        ],
    )
    changes, breakdowns = indicator_changes(old, new, [TOWN])
    seen = {(c["indicator"], c["year"]): (c["old"], c["new"], c["old_state"], c["new_state"]) for c in changes}
    assert seen == {
        ("anzahl", 2024): (300.0, 340.0, "shown", "shown"),
        ("quote", 2025): (None, 0.413, "missing", "shown"),
    }
    assert breakdowns == 1  # the other town is not compared; the unchanged and the suppressed are not listed
    assert {c["name_de"] for c in changes} == {"Registrierte Freiwillige", "Engagementquote"}


def test_a_suppressed_new_value_is_never_shown(tmp_path: Path) -> None:
    old = _mart(tmp_path / "alt.sqlite", [{"town_ags": TOWN, "indicator": "quote", "year": 2024, "value": 0.4}])
    new = _mart(
        tmp_path / "neu.sqlite",
        [{"town_ags": TOWN, "indicator": "quote", "year": 2024, "value": 0.37, "n": 3, "suppressed": True}],
    )
    (change,), _ = indicator_changes(old, new, [TOWN])
    assert change["new"] is None and change["new_state"] == "suppressed" and change["old"] == 0.4


# --- the whole preview on the real ETL, and what it never holds ------------------------------------------------


def test_preview_counts_reasons_and_no_personal_value_anywhere(folder: Folder) -> None:
    config = folder.config
    sid, job_id, refusals = actions.receive(config, COORDINATOR, [upload("Export Plattform.csv", folder.export)])
    assert refusals == [] and sid and job_id
    job = store.get(config, job_id)
    assert job.town == TOWN and job.status == "queued"
    steps: list[str] = []
    result = run_preview(config, job, frozenset({TOWN}), lambda text, done, total: steps.append(text))
    store.finish(config, job_id, "done", result)
    (entry,) = result["files"]
    assert entry["status"] == "rejects" and entry["rows_read"] == entry["rows_accepted"] + entry["rows_rejected"]
    reasons = [r["reason"] for r in entry["rejects"]]
    assert any(f"'{BAD_DATE}'" in r and "kein gültiges Datum" in r for r in reasons)
    assert any(r.startswith("Duplikat von Zeile") for r in reasons) and entry["duplicates_total"] >= 1
    assert any("Geschl." in r and "nicht erlaubt" in r for r in reasons)
    assert all(r["row"] >= 2 for r in entry["rejects"])
    shown_rows = entry["rows"]
    assert shown_rows and all(r["values"]["person_id"] is None for r in shown_rows)  # the person: never shown
    assert entry["choice"]["replace"] == "beispielhausen/freiwillige.csv"
    counts = [c for c in result["changes"] if c["indicator"] == "registered_volunteers" and c["year"] == 2025]
    assert counts and counts[0]["new"] > (counts[0]["old"] or 0)
    assert result["publishable"] is True and steps[0] == "Erkenne die Dateien"
    # byte for byte: no e-mail, name or phone of the file in the result, the queue, or the preview's leftovers
    secrets = [SECRET_MAIL, SECRET_NAME, SECRET_PHONE, "@example.org"]
    dumped = json.dumps(result, ensure_ascii=False).encode()
    queue = b"".join(p.read_bytes() for p in config.state_dir.glob("jobs.sqlite*"))
    for secret in secrets:
        assert secret.encode() not in dumped and secret.encode() not in queue, secret
    assert not any(store.preview_dir(config).iterdir())  # the preview's folder and warehouse are gone
    staged = store.staging_dir(config) / sid
    assert staged.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in staged.iterdir())
    assert config.state_dir.stat().st_mode & 0o777 == 0o700
    # the page's rendering of it: counts, German reasons, the change line; "nicht gezeigt" for the person
    towns = [{"label": "Beispielhausen (99001012)", "value": TOWN}]
    shown = texts(render.preview(result, towns, {TOWN: "Beispielhausen"}, "de", job_id))
    assert "abgewiesen" in shown and "kein gültiges Datum" in shown and "nicht gezeigt" in shown
    assert (
        "Registrierte Freiwillige 2025 (Beispielhausen (99001012)): neu" in shown
        or "Registrierte Freiwillige 2025" in shown
    )
    for secret in secrets:
        assert secret not in shown
    # nothing was published: the manifest and the warehouse's run are as before
    assert load_manifest(config.source_dir).sources == folder.manifest.sources


def test_first_rejected_rows_show_no_formula_or_personal_value(folder: Folder, tmp_path: Path) -> None:
    """A formula-shaped or personal value in a rejected row is "nicht gezeigt" (None), never echoed."""
    path = tmp_path / "formeln.csv"
    path.write_text(
        "Mail-Adresse;Anmeldedatum;Einrichtung;Geschl.\n"
        f'{SECRET_MAIL};31.02.2025;=HYPERLINK("http://x.example");w\n'
        "b@example.org;=1+2;TSV;@SUMME(A1)\n",
        encoding="utf-8",
    )
    choice = _choice(
        file=path.name,
        columns={
            "person_id": "Mail-Adresse", "registered_on": "Anmeldedatum", "organisation": "Einrichtung",
            "gender": "Geschl.",
        },
    )  # fmt: skip
    rows = first_rejected_rows(path, choice, [2, 3])
    assert [r["row"] for r in rows] == [2, 3]
    assert rows[0]["values"] == {"person_id": None, "registered_on": "31.02.2025", "organisation": None, "gender": "w"}
    assert rows[1]["values"]["registered_on"] is None and rows[1]["values"]["gender"] is None
    assert "=" not in json.dumps(rows) and "@" not in json.dumps(rows)


def test_formula_cells_without_saved_value_reject_their_rows_with_a_hint(folder: Folder, tmp_path: Path) -> None:
    """An XLSX written by a script: formulas are never evaluated; a formula cell without a value rejects its row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mail-Adresse", "Anmeldedatum", "Geschl."])
    sheet.append(["a@example.org", "=DATE(2025,2,1)", "w"])
    sheet.append(["b@example.org", "01.02.2025", "m"])
    path = tmp_path / "formeln.xlsx"
    book.save(path)
    from etl.model import SourceSpec
    from etl.pseudonymise import Pseudonymiser
    from etl.readers import read_source

    spec = SourceSpec(
        "registrations", "Formeln", path.name, (path,), tmp_path, TOWN,
        columns={"person_id": "Mail-Adresse", "registered_on": "Anmeldedatum", "gender": "Geschl."},
    )  # fmt: skip
    result = read_source(spec, folder.manifest.project, folder.manifest.towns, Pseudonymiser(b"k" * 32))
    (report,) = result.files
    assert (report.rows_accepted, report.rows_rejected) == (1, 1)
    (reason,) = list(result.rejects["reason"])
    assert "Formel" in reason and "B2" in reason and "DATE" not in reason


def test_a_bad_file_gets_german_problems_and_is_not_publishable(folder: Folder) -> None:
    config = folder.config
    sid, job_id, _ = actions.receive(config, COORDINATOR, [upload("kaputt.csv", b"Spalte A;Spalte B\n1;2\n")])
    result = run_preview(config, store.get(config, job_id), frozenset({TOWN}), lambda *_: None)
    assert result["publishable"] is False
    assert any("Bitte eine Spalte zuordnen" in p or "Art der Daten" in p for p in result["problems"])
    shown = texts(render.preview(result, [{"label": "Beispielhausen", "value": TOWN}], {}, "de", job_id))
    assert "Bitte eine Spalte zuordnen für: person_id, registered_on" in shown
    failed = store.Job(**{**store.get(config, job_id).__dict__, "status": "failed", "message": "Kaputt."})
    assert texts(render.progress(failed, 0, "de")) == "Kaputt."
    store.finish(config, job_id, "done", result)
    with pytest.raises(actions.ActionRefused, match="fehlerfreie, aktuelle Vorschau"):
        actions.request_publish(config, COORDINATOR, sid, job_id)


def test_another_towns_coordinator_cannot_use_this_upload_or_town(folder: Folder) -> None:
    config = folder.config
    sid, job_id, _ = actions.receive(config, COORDINATOR, [upload("Export.csv", folder.export)])
    stranger = actions.Who("koord-m", f"koordination:{OTHER}")
    reader = actions.Who("leser-b", f"stadt:{TOWN}")
    with pytest.raises(actions.ActionRefused, match="nicht \\(mehr\\) für dieses Konto"):
        actions.request_preview(config, stranger, sid, {})
    with pytest.raises(actions.ActionRefused, match="gibt es nicht für dieses Konto"):
        actions.own_job(config, stranger, job_id)
    with pytest.raises(actions.ActionRefused, match="keine Daten einspielen"):
        actions.clean_overrides(stranger, {"Export.csv": {"town": TOWN}})
    with pytest.raises(actions.ActionRefused, match="keine Importe zurücknehmen"):
        actions.request_undo(config, stranger, TOWN)
    with pytest.raises(actions.ActionRefused, match="Koordinierungsstellen"):
        actions.may_act(reader)
