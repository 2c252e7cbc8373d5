"""Every mistake in engage.toml (and in the run's set-up) is one message in German and in English.

The CLI prints the German sentence exactly as before; the intake page shows the same message in the page's
language. Each case below is a real folder with a real broken manifest; together they reach every manifest code
of the catalogue, so a new sentence without its English (or one written as a German f-string again) fails here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from german_words import GERMAN

from dashboard.intake.said import Said, text_of
from etl import messages
from etl.manifest import load_manifest
from etl.messages import Msg
from etl.model import ManifestError, Town
from etl.pseudonymise import KEY_VARIABLE, resolve_key

PROJECT = '[project]\nname = "P"\ndemo = true\n'
TWO_TOWNS = '[[towns]]\nags = "09999001"\nname = "A"\n\n[[towns]]\nags = "09999002"\nname = "B"\n'
EVENTS = '[[sources]]\nkind = "events"\npath = "e.csv"\ntown = "09999001"\n'
SURVEY = '[[sources]]\nkind = "resident_survey"\npath = "e.csv"\ntown = "09999001"\n'


def _source(extra: str, kind: str = "events") -> str:
    return f'{PROJECT}{TWO_TOWNS}[[sources]]\nkind = "{kind}"\npath = "e.csv"\ntown = "09999001"\n{extra}\n'


CASES: dict[str, str] = {
    "syntax": '[project\nname = "P"\n',
    "project_typo": '[projekt]\nname = "P"\n' + TWO_TOWNS + EVENTS,
    "project_name": "[project]\ndemo = true\n" + TWO_TOWNS + EVENTS,
    "min_cell": '[project]\nname = "P"\nmin_cell = 2\n' + TWO_TOWNS + EVENTS,
    "demo": '[project]\nname = "P"\ndemo = "ja"\n' + TWO_TOWNS + EVENTS,
    "licence": '[project]\nname = "P"\nlicence = "CC-BY-4"\n' + TWO_TOWNS + EVENTS,
    "int": '[project]\nname = "P"\nsurvey_min_age = 500\n' + TWO_TOWNS + EVENTS,
    "no_towns": PROJECT + EVENTS,
    "ags_number": PROJECT + "[[towns]]\nags = 9999001\nname = 'A'\n" + EVENTS,
    "ags_invalid": PROJECT + "[[towns]]\nags = '123'\nname = 'A'\n" + EVENTS,
    "town_name": PROJECT + "[[towns]]\nags = '09999001'\n" + EVENTS,
    "ags_twice": PROJECT + TWO_TOWNS.replace("09999002", "09999001") + EVENTS,
    "top_key": "sourcs = 1\n" + PROJECT + TWO_TOWNS + EVENTS,
    "town_key": PROJECT + "[[towns]]\nags = '09999001'\nname = 'A'\nnmae = 'x'\n" + EVENTS,
    "source_key": _source("yaer = 2024"),
    "no_sources": PROJECT + TWO_TOWNS,
    "sources_not_blocks": 'sources = "x"\n' + PROJECT + TWO_TOWNS,
    "kind_missing": PROJECT + TWO_TOWNS + '[[sources]]\npath = "e.csv"\n',
    "kind_unknown": PROJECT + TWO_TOWNS + '[[sources]]\nkind = "ereignisse"\npath = "e.csv"\n',
    "path_missing": PROJECT + TWO_TOWNS + '[[sources]]\nkind = "events"\n',
    "label": _source("name = 3"),
    "year": _source("year = 3000"),
    "sheet": _source('sheet = ""'),
    "format": _source('format = "genesis"', kind="population").replace('town = "09999001"\n', ""),
    "format_none": _source('format = "x"'),
    "geojson": PROJECT + TWO_TOWNS + '[[sources]]\nkind = "districts"\npath = "e.csv"\ntown = "09999001"\n'
    'code_property = ""\n',
    "encoding": _source('encoding = "klingonisch"'),
    "questionnaire_name": _source('questionnaire = "*.lss"', kind="resident_survey"),
    "questionnaire_outside": _source('questionnaire = "../q.lss"', kind="resident_survey"),
    "questionnaire_absent": _source('questionnaire = "fehlt.lss"', kind="resident_survey"),
    "questionnaire_broken": _source('questionnaire = "kaputt.lss"', kind="resident_survey"),
    "yn_codes": _source('yn_codes = ["1"]', kind="resident_survey"),
    "no_match": PROJECT + TWO_TOWNS + '[[sources]]\nkind = "events"\npath = "nix_*.csv"\ntown = "09999001"\n',
    "path_outside": PROJECT + TWO_TOWNS + '[[sources]]\nkind = "events"\npath = "../e.csv"\ntown = "09999001"\n',
    "file_absent": PROJECT + TWO_TOWNS + '[[sources]]\nkind = "events"\npath = "fehlt.csv"\ntown = "09999001"\n',
    "symlink": PROJECT + TWO_TOWNS + '[[sources]]\nkind = "events"\npath = "link.csv"\ntown = "09999001"\n',
    "town_needed": PROJECT + TWO_TOWNS + '[[sources]]\nkind = "events"\npath = "e.csv"\n',
    "town_not_text": PROJECT + TWO_TOWNS + '[[sources]]\nkind = "events"\npath = "e.csv"\ntown = 9999001\n',
    "town_unknown": PROJECT + TWO_TOWNS + '[[sources]]\nkind = "events"\npath = "e.csv"\ntown = "09999009"\n',
    "mapping_table": _source('columns = "x"'),
    "codes_kind": _source('[sources.codes]\nENG1 = "F1"'),
    "mapping_unknown": _source('[sources.columns]\ndatum = "Beginn"'),
    "mapping_export": _source('[sources.columns]\ndate = ""'),
    "read_twice": PROJECT + TWO_TOWNS + EVENTS + EVENTS.replace('"events"', '"registrations"'),
}


def _codes(msg: object) -> set[str]:
    """The codes of a message and of every message nested in it."""
    if isinstance(msg, Msg):
        found = {msg.code}
        for value in msg.params.values():
            found |= _codes(value)
        return found
    if isinstance(msg, (list, tuple)):
        return set().union(*(_codes(v) for v in msg)) if msg else set()
    return set()


def _refused(tmp_path: Path, name: str, manifest: str) -> ManifestError:
    folder = tmp_path / name / "quellen"
    folder.mkdir(parents=True)
    (folder / "engage.toml").write_text(manifest, encoding="utf-8")
    (folder / "e.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    (folder / "kaputt.lss").write_text("kein XML", encoding="utf-8")
    (folder.parent / "q.lss").write_text("<document/>", encoding="utf-8")
    (folder.parent / "draussen.csv").write_text("a\n1\n", encoding="utf-8")
    os.symlink(folder.parent / "draussen.csv", folder / "link.csv")
    with pytest.raises(ManifestError) as refused:
        load_manifest(folder)
    return refused.value


def _bilingual(error: ManifestError) -> None:
    german, english = str(error), error.text("en")
    assert german == error.msg.text("de") and german != english
    assert not GERMAN.search(english), english
    # through the intake: the page's language, also after the message crossed the worker boundary as JSON
    said = Said("intake.err.manifest", detail=error.msg)
    assert str(said) == f"engage.toml des Quellordners ist fehlerhaft: {german}"
    assert text_of(said.as_json(), "en") == f"The source folder's engage.toml is faulty: {english}"


def test_every_manifest_mistake_is_said_in_both_languages(tmp_path: Path) -> None:
    seen: set[str] = set()
    for name, manifest in CASES.items():
        error = _refused(tmp_path, name, manifest)
        _bilingual(error)
        seen |= _codes(error.msg)
    missing_folder = pytest.raises(ManifestError, load_manifest, tmp_path / "absent")
    (tmp_path / "leer").mkdir()
    no_manifest = pytest.raises(ManifestError, load_manifest, tmp_path / "leer")
    (tmp_path / "latin").mkdir()
    (tmp_path / "latin" / "engage.toml").write_bytes('[project]\nname = "Gärten"\n'.encode("cp1252"))
    not_utf8 = pytest.raises(ManifestError, load_manifest, tmp_path / "latin")
    for raised in (missing_folder, no_manifest, not_utf8):
        _bilingual(raised.value)
        seen |= _codes(raised.value.msg)
    run_only = {"mf_demo_into_real", "mf_key_short", "mf_demo_real_towns", "mf_no_towns_shown", "mf_key_missing"}
    manifest_codes = {c for c in messages.CATALOGUE if c.startswith("mf_")} - run_only - {"mf_toml_end"}
    assert manifest_codes - seen == set()


def test_the_key_checks_before_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_VARIABLE, "kurz")
    with pytest.raises(ManifestError) as short:
        resolve_key(False)
    monkeypatch.delenv(KEY_VARIABLE)
    with pytest.raises(ManifestError) as unset:
        resolve_key(False)
    with pytest.raises(ManifestError) as real_towns:
        resolve_key(True, [Town("05315000", "Köln")])
    with pytest.raises(ManifestError) as no_towns:
        resolve_key(True, [])
    for error in (short.value, unset.value, real_towns.value, no_towns.value):
        _bilingual(error)
    assert "(4 Zeichen, nötig sind mindestens" in str(short.value)
    assert "(4 characters, at least" in short.value.text("en")
    assert "(05315000)" in str(real_towns.value) and "(keine Städte)" in str(no_towns.value)
    assert "(no towns)" in no_towns.value.text("en")
