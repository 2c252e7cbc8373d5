"""What "Daten einspielen" says, in both languages (issue 15, point 4): every message key of the intake exists
in German and English and renders with its parameters; the German renderings are the texts the intake said
before; a preview of a real export by the real ETL, rendered for an English page, holds no German reason or
message; progress, errors and the history cross the worker boundary as keys and come back in either language.

Real files, the real ETL, the real job queue in a real state folder; no Dash, no browser.
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import json
import re
import sqlite3
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from intake_exports import BAD_DATE, SECRET_MAIL, platform_export
from intake_helpers import texts, upload

from dashboard.i18n import TEXT
from dashboard.intake import actions, render, store
from dashboard.intake.config import IntakeConfig
from dashboard.intake.guards import UploadRefused, check_upload
from dashboard.intake.plan import Choice
from dashboard.intake.preview import IntakeError, problems_of, run_preview
from dashboard.intake.said import Said, from_json, stored, text_of
from etl.demo import write_demo
from etl.manifest import load_manifest
from etl.messages import Msg
from etl.pipeline import run_pipeline

INTAKE = Path(__file__).resolve().parents[2] / "dashboard" / "intake"
TOWN = "99001012"  # Beispielhausen
COORDINATOR = actions.Who("koord-b", f"koordination:{TOWN}")
SPECS = {"", "s", "n", "i", "mb", "m", "k"}  # dashboard.intake.said's template specs ("j…" joins)
# keys whose languages use different parameters on purpose: English says the busy lock in its own sentence
OWN_PARAMETERS = {"intake.err.busy"}
# German words of the intake's and the ETL's sentences; none may be on an English page
GERMAN = re.compile(r"Zeile|abgewiesen|gültig|Duplikat|übernommen|gelesen|Bitte|Datei|Spalte|nicht|wurde|Vorschau")


def _intake_keys() -> dict[str, tuple[str, str]]:
    return {k: v for k, v in TEXT.items() if k.startswith("intake.")}


def _fields(template: str) -> dict[str, str]:
    return {name: spec for _lit, name, spec, _conv in string.Formatter().parse(template) if name is not None}


def _sample(spec: str) -> object:
    if spec in ("n", "i"):
        return 12345
    if spec == "mb":
        return 5 * 2**20
    if spec == "m":
        return Said("intake.p.kind")
    if spec.startswith("j"):
        return [Said("intake.p.kind"), Said("intake.p.year")]
    if spec == "k":
        return "registrations"
    return "x"


def test_every_intake_key_has_both_languages_the_same_parameters_and_renders() -> None:
    keys = _intake_keys()
    assert len(keys) > 150
    for key, (de, en) in keys.items():
        assert de.strip() and en.strip(), key
        de_fields, en_fields = _fields(de), _fields(en)
        assert (set(de_fields) == set(en_fields)) != (key in OWN_PARAMETERS), key
        for spec in [*de_fields.values(), *en_fields.values()]:
            assert spec in SPECS or spec.startswith("j"), (key, spec)
        fields = {**de_fields, **{k: v for k, v in en_fields.items() if v or k not in de_fields}}
        params = {name: _sample(spec) for name, spec in fields.items()}
        said = Said(key, **params)
        for lang in ("de", "en"):
            text = said.text(lang)
            assert text.strip() and "{" not in text and "}" not in text, (key, lang, text)
        assert str(said) == said.text("de")
        assert from_json(json.loads(json.dumps(said.as_json()))).text("en") == said.text("en")
        assert copy.deepcopy(said).text("en") == said.text("en")  # the preview's asdict() copies its Saids


def _said_keys_in_code() -> set[str]:
    """Every literal key the intake's code makes a Said (or an upload guard's kind) of."""
    found: set[str] = set()
    for path in INTAKE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            said = isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Said" and node.args
            if said and isinstance(node.args[0], ast.Constant):  # the others: a guard's kind below, stored JSON
                found.add(node.args[0].value)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("intake.bin."):
                found.add(node.value)
    return found


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    used = _said_keys_in_code()
    assert len(used) > 80
    assert used <= set(_intake_keys()), sorted(used - set(_intake_keys()))


def _refusal(name: str, data: bytes, limit: int = 5 * 2**20) -> Said:
    with pytest.raises(UploadRefused) as caught:
        check_upload(name, data, limit, 50 * 2**20)
    said = caught.value.args[0]
    assert isinstance(said, Said)
    return said


def test_german_is_as_before_and_english_is_english_with_its_own_number_format(tmp_path: Path) -> None:
    png = _refusal("Bild.png", b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    assert png == "„Bild.png“ ist ein Bild (PNG), keine Tabelle: bitte als CSV oder XLSX speichern."
    assert png.text("en") == "“Bild.png” is an image (PNG), not a table: please save it as CSV or XLSX."
    big = _refusal("Export.csv", b"a;b\n" * (2 * 2**20), limit=int(1.5 * 2**20))
    assert big == (
        "„Export.csv“ ist 8,0 MB groß; erlaubt sind höchstens 1,5 MB je Datei. Bitte den Export aufteilen "
        "(z. B. je Jahr) oder die Betreiber um eine höhere Grenze bitten."
    )
    assert big.text("en").startswith("“Export.csv” is 8.0 MB; at most 1.5 MB per file are allowed.")
    members = Said("intake.up.members", file="viele.zip", n=5001, max=5000)
    assert members == "„viele.zip“ enthält 5001 Dateien; mehr als 5000 werden nicht geöffnet."
    assert members.text("en") == "“viele.zip” holds 5,001 files; more than 5,000 are not opened."
    choice = Choice("Export.csv", None, TOWN, None, {}, {}, None)  # type: ignore[arg-type]
    manifest = load_manifest(write_demo(tmp_path / "quellen", towns=1, years=1).parent)
    (no_kind,) = problems_of(choice, frozenset({TOWN}), manifest)
    assert no_kind == "„Export.csv“: Bitte die Art der Daten wählen."
    assert no_kind.text("en") == "“Export.csv”: Please choose the kind of data."
    reading = Msg("run_reading", label="Freiwillige", kind="registrations", n=1)
    step = Said("intake.step.preview_etl", text=reading)
    assert step == "Vorschau: Lese Freiwillige (registrations, 1 Quelle(n))"
    assert step.text("en") == "Preview: Reading Freiwillige (registrations, 1 source)"
    assert from_json(step.as_json()).text("en") == step.text("en")  # as the page renders it after the worker
    loaded = Said("intake.log.loaded_failed", run=12, sources="Umfrage A, Umfrage B")
    assert loaded == "Lauf 12 geladen; Quellen mit Fehlern: Umfrage A, Umfrage B"
    assert loaded.text("en") == "Run 12 loaded; sources with errors: Umfrage A, Umfrage B"
    undone = Said("intake.log.undone", id=3, run=14)
    assert undone == "Import 3 zurückgenommen; Lauf 14 geladen"
    assert undone.text("en") == "Intake 3 taken back; run 14 loaded"
    assert str(IntakeError(Said("intake.err.upload_gone"))) == (
        "Die hochgeladenen Dateien sind nicht mehr da (verworfen oder abgelaufen): bitte neu ablegen."
    )
    # a text an older version stored without its key stays as it is, in both languages
    assert stored("Kaputt.", {}, "en") == "Kaputt." and text_of("Kaputt.", "en") == "Kaputt."


@dataclass
class Folder:
    config: IntakeConfig
    export: bytes


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Folder]:
    base = tmp_path_factory.mktemp("englisch")
    source = write_demo(base / "quellen", towns=2, years=2, seed=7).parent
    db = f"sqlite:///{base / 'wh.sqlite'}"
    assert not run_pipeline(source, db_url=db).failed_sources
    config = IntakeConfig(source, db, 5 * 2**20)
    store.ensure_state(config)
    yield Folder(config, platform_export(source / "beispielhausen" / "freiwillige.csv"))


def test_an_english_preview_of_a_real_export_has_no_german_reason_or_message(folder: Folder) -> None:
    config = folder.config
    _sid, job_id, refusals = actions.receive(config, COORDINATOR, [upload("Export Plattform.csv", folder.export)])
    assert refusals == []
    job = store.claim(config, "preview")
    assert job is not None and job.id == job_id

    def report(text: str, done: int, total: int) -> None:  # as the worker reports: into the real queue
        store.report(config, job.id, text, done, total)

    result = run_preview(config, job, frozenset({TOWN}), report)
    running = store.get(config, job_id)
    assert running.progress == "Vergleiche mit dem Warehouse"  # German text as before, its key beside it
    assert render.progress(running, 0, "en")[0].children == "Comparing with the warehouse"
    store.finish(config, job_id, "done", result)
    result = store.get(config, job_id).result  # as the page reads it: through the queue's JSON
    (entry,) = result["files"]
    assert entry["duplicates_total"] >= 1 and all(d["reason_code"] for d in entry["duplicates"])
    assert any(r["reason"].startswith("Duplikat von Zeile") for r in entry["rejects"])  # German as stored
    towns = [{"label": "Beispielhausen (99001012)", "value": TOWN}]
    english = texts(render.preview(result, towns, {TOWN: "Beispielhausen"}, "en", job_id))
    german = texts(render.preview(result, towns, {TOWN: "Beispielhausen"}, "de", job_id))
    assert "Duplikat von Zeile" in german and "kein gültiges Datum" in german and "abgewiesen" in german
    assert "duplicate of row" in english and f"'{BAD_DATE}'" in english and "rejected" in english
    assert "platform with column names of its own" in english  # how the kind was recognised
    assert "Registered volunteers 2025" in english
    leftovers = sorted({m.group(0) for m in GERMAN.finditer(english)})
    assert leftovers == [], [line for line in english.splitlines() if GERMAN.search(line)][:10]
    assert SECRET_MAIL not in english and "@" not in english


def test_problems_refusals_and_errors_in_english(folder: Folder) -> None:
    config = folder.config
    _sid, job_id, _ = actions.receive(config, COORDINATOR, [upload("kaputt.csv", b"Spalte A;Spalte B\n1;2\n")])
    result = run_preview(config, store.get(config, job_id), frozenset({TOWN}), lambda *_: None)
    assert "„kaputt.csv“: Bitte eine Spalte zuordnen für: person_id, registered_on." in result["problems"]
    english = texts(render.preview(json.loads(json.dumps(result)), [], {}, "en", job_id))
    assert "“kaputt.csv”: Please map a column for: person_id, registered_on." in english
    _, none, refusals = actions.receive(
        config, COORDINATOR, [upload("bild.png", b"\x89PNG\r\n\x1a\nxxxx"), {"name": "gross.csv", "too_large": True}]
    )
    assert none is None
    assert [text_of(r, "en") for r in refusals] == [
        "“bild.png” is an image (PNG), not a table: please save it as CSV or XLSX.",
        "“gross.csv” is larger than 5 MB and was not sent.",
    ]
    assert refusals[1] == "„gross.csv“ ist größer als 5 MB und wurde nicht gesendet."
    with pytest.raises(actions.ActionRefused) as caught:
        actions.request_undo(config, actions.Who("koord-m", "koordination:99001001"), TOWN)
    assert text_of(caught.value.args[0], "en") == "This account may not take back intakes for this town."
    # a job's error crosses the worker boundary as its key: stored by finish, shown in the page's language
    job = store.enqueue(config, "publish", "undo", "koord-b", COORDINATOR.role, TOWN, "", {})
    assert store.claim(config, "publish").id == job
    store.finish(config, job, "failed", None, Said("intake.err.nothing_to_undo"))
    failed = store.get(config, job)
    assert failed.message == "Es gibt keinen Import dieser Stadt, der zurückgenommen werden kann."
    assert texts(render.progress(failed, 0, "en")) == "This town has no intake that can be taken back."
    assert texts(render.progress(failed, 0, "de")) == failed.message


def test_history_in_english_from_the_stored_messages(folder: Folder) -> None:
    config = folder.config
    store.note_log_message(config, 7, Said("intake.log.loaded_failed", run=3, sources="Umfrage"))
    frame = pd.DataFrame(
        [
            {
                "intake_id": 7, "action": "publish", "town_ags": TOWN, "account": "koord-b",
                "finished_at": dt.datetime(2025, 3, 4, 9, 30), "files": "b/Export.csv", "run_id": 3,
                "status": "partial", "message": "Lauf 3 geladen; Quellen mit Fehlern: Umfrage", "undoes": None,
            },
            {
                "intake_id": 6, "action": "publish", "town_ags": TOWN, "account": "koord-b",
                "finished_at": dt.datetime(2025, 3, 3, 9, 30), "files": "b/alt.csv", "run_id": 2,
                "status": "ok", "message": "Lauf 2 geladen", "undoes": None,
            },
        ]
    )  # fmt: skip
    said = store.log_messages(config, [7, 6])
    assert set(said) == {7}  # the older row has no stored message: its German text is shown as it is
    english = texts(render.history(frame, {TOWN: "Beispielhausen"}, "en", said))
    assert "partial – Run 3 loaded; sources with errors: Umfrage" in english and "2025-03-04 09:30" in english
    german = texts(render.history(frame, {TOWN: "Beispielhausen"}, "de", said))
    assert "teilweise – Lauf 3 geladen; Quellen mit Fehlern: Umfrage" in german and "04.03.2025, 09:30 Uhr" in german


def test_a_queue_of_an_earlier_version_gets_the_message_columns(tmp_path: Path) -> None:
    source = tmp_path / "quellen"
    (source / ".engage-intake").mkdir(parents=True)
    config = IntakeConfig(source, f"sqlite:///{tmp_path / 'wh.sqlite'}")
    conn = sqlite3.connect(config.jobs_db)
    conn.executescript(
        "CREATE TABLE jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, lane TEXT NOT NULL, action TEXT NOT NULL, "
        "status TEXT NOT NULL, account TEXT NOT NULL, role TEXT NOT NULL, town TEXT NOT NULL, staging TEXT NOT NULL "
        "DEFAULT '', params TEXT NOT NULL DEFAULT '{}', created REAL NOT NULL, started REAL, finished REAL, step "
        "INTEGER NOT NULL DEFAULT 0, steps INTEGER NOT NULL DEFAULT 0, progress TEXT NOT NULL DEFAULT '', result "
        "TEXT NOT NULL DEFAULT '', message TEXT NOT NULL DEFAULT '');"
        "INSERT INTO jobs (lane, action, status, account, role, town, created, message) VALUES "
        "('preview', 'preview', 'failed', 'a', 'netzwerk', '', 0, 'Alter Text.');"
    )
    conn.commit()
    conn.close()
    store.ensure_state(config)
    old = store.get(config, 1)
    assert old.message == "Alter Text." and old.message_msg == {}
    assert texts(render.progress(old, 0, "en")) == "Alter Text."
    job = store.enqueue(config, "preview", "preview", "a", "netzwerk", "", "", {})
    store.claim(config, "preview")
    store.report(config, job, Said("intake.step.recognise"), 0, 4)
    assert store.get(config, job).progress_msg == {"key": "intake.step.recognise", "params": {}}
