"""The manifest engage.toml (brief §3): a valid one is read completely; each mistake is one German message
naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.manifest import load_manifest
from etl.model import ManifestError

HEAD = """
[project]
name = "Engagierte Stadt Musterstadt"
min_cell = 7
survey_min_age = 16
demo = true

[[towns]]
ags = "09999001"
name = "Musterstadt"

[[towns]]
ags = "09999002"
name = "Nachbarstadt"
"""

VALID = (
    HEAD
    + """
[[sources]]
kind = "population"
path = "population.csv"

[[sources]]
kind = "resident_survey"
name = "Umfrage 2024"
path = "umfrage_*.csv"
town = "09999001"
year = 2024
encoding = "cp1252"
[sources.codes]
ENG1 = "F01"
"ENG3[SQ001]" = "F3[a1]"

[[sources]]
kind = "registrations"
path = "freiwillige.xlsx"
town = "09999002"
sheet = "Export"
[sources.columns]
person_id = "E-Mail"
registered_on = "Registriert am"
"""
)


def folder(tmp_path: Path, manifest: str, files: tuple[str, ...] = ()) -> Path:
    (tmp_path / "engage.toml").write_text(manifest, encoding="utf-8")
    for name in files:
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    return tmp_path


FILES = ("population.csv", "umfrage_b.csv", "umfrage_a.csv", "freiwillige.xlsx")


def test_valid_manifest(tmp_path: Path) -> None:
    m = load_manifest(folder(tmp_path, VALID, FILES))
    assert m.project.name == "Engagierte Stadt Musterstadt"
    assert (m.project.min_cell, m.project.survey_min_age, m.project.demo) == (7, 16, True)
    assert [t.ags for t in m.towns] == ["09999001", "09999002"]
    pop, survey, reg = m.sources
    assert pop.town is None and pop.label == "population.csv"
    assert survey.label == "Umfrage 2024" and survey.year == 2024
    assert [f.name for f in survey.files] == ["umfrage_a.csv", "umfrage_b.csv"]
    assert survey.codes == {"ENG1": "F01", "ENG3[SQ001]": "F3[a1]"}
    assert survey.options == {"encoding": "cp1252"}
    assert reg.sheet == "Export" and reg.columns["person_id"] == "E-Mail"
    assert reg.relname(reg.files[0]) == "freiwillige.xlsx"


def test_single_town_is_used_for_sources_without_town(tmp_path: Path) -> None:
    text = """[project]\nname = "X"\n[[towns]]\nags = "09999001"\nname = "M"\n
[[sources]]\nkind = "events"\npath = "e.csv"\n"""
    m = load_manifest(folder(tmp_path, text, ("e.csv",)))
    assert m.sources[0].town == "09999001" and m.project.demo is False


def error(tmp_path: Path, manifest: str, files: tuple[str, ...] = FILES) -> str:
    with pytest.raises(ManifestError) as info:
        load_manifest(folder(tmp_path, manifest, files))
    return str(info.value)


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r"engage\.toml fehlt"):
        load_manifest(tmp_path)


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    msg = error(tmp_path, HEAD + "\n[[sources]]\nkind = population\n")
    assert "engage.toml ist kein gültiges TOML" in msg and "Zeile 17, Spalte 8" in msg


def test_unknown_kind(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID + '\n[[sources]]\nkind = "umfrage"\npath = "population.csv"\n')
    assert "engage.toml, [[sources]] Nr. 4, Schlüssel 'kind': 'umfrage' ist keine bekannte Quellenart" in msg
    assert "population, resident_survey" in msg


def test_missing_path(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID + '\n[[sources]]\nkind = "events"\ntown = "09999001"\n')
    assert "[[sources]] Nr. 4, Schlüssel 'path'" in msg


def test_path_matching_no_file(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID, ("population.csv", "freiwillige.xlsx"))
    assert "[[sources]] Nr. 2, Schlüssel 'path': Das Muster 'umfrage_*.csv' passt auf keine Datei" in msg
    (tmp_path / "other").mkdir()
    msg = error(tmp_path / "other", VALID, ("umfrage_a.csv", "freiwillige.xlsx"))
    assert "[[sources]] Nr. 1, Schlüssel 'path': Die Datei 'population.csv' gibt es im Quellordner nicht" in msg


def test_bad_ags(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID.replace('ags = "09999002"', 'ags = "9999002"'))
    assert "engage.toml, [[towns]] Nr. 2, Schlüssel 'ags': '9999002' ist kein Amtlicher Gemeindeschlüssel" in msg
    msg = error(tmp_path, VALID.replace('ags = "09999002"', "ags = 9999002"))
    assert "[[towns]] Nr. 2, Schlüssel 'ags'" in msg and '"09999002"' in msg


def test_source_naming_unknown_town(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID.replace('town = "09999002"', 'town = "09999003"'))
    assert "[[sources]] Nr. 3, Schlüssel 'town': '09999003' steht in keinem Block [[towns]]" in msg


def test_source_without_town_among_several(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID.replace('town = "09999002"\n', ""))
    assert "[[sources]] Nr. 3, Schlüssel 'town': fehlt" in msg


def test_unknown_canonical_column(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID.replace('person_id = "E-Mail"', 'email = "E-Mail"'))
    assert "[[sources]] Nr. 3, [sources.columns], Schlüssel 'email': kein bekannter Name für registrations" in msg


def test_unknown_code(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID.replace('ENG1 = "F01"', 'ENGX = "F01"'))
    assert "[[sources]] Nr. 2, [sources.codes], Schlüssel 'ENGX': kein bekannter Name für resident_survey" in msg


def test_bad_year(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID.replace("year = 2024", 'year = "2024"'))
    assert "[[sources]] Nr. 2, Schlüssel 'year': '2024' ist keine Jahreszahl" in msg


def test_bad_min_cell(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID.replace("min_cell = 7", "min_cell = 0"))
    assert "engage.toml, [project], Schlüssel 'min_cell': 0 ist keine ganze Zahl von 1 bis 1000" in msg


def test_bad_format_and_encoding(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID.replace('path = "population.csv"', 'path = "population.csv"\nformat = "genesis"'))
    assert "[[sources]] Nr. 1, Schlüssel 'format': 'genesis' ist kein bekanntes Format" in msg
    msg = error(tmp_path, VALID.replace('encoding = "cp1252"', 'encoding = "klingonisch"'))
    assert "[[sources]] Nr. 2, Schlüssel 'encoding'" in msg


def test_missing_towns_and_sources(tmp_path: Path) -> None:
    assert "[[towns]]" in error(tmp_path, '[project]\nname = "X"\n')
    assert "[[sources]]" in error(tmp_path, HEAD)
    assert "[project]" in error(tmp_path, VALID.replace('[project]\nname = "Engagierte Stadt Musterstadt"', "[x]"))


def test_path_outside_folder(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID.replace('path = "population.csv"', 'path = "../population.csv"'))
    assert "Schlüssel 'path'" in msg and "nicht im Quellordner" in msg


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("year = 2024", "yaer = 2024"), "Schlüssel 'yaer' ist unbekannt; meinten Sie 'year'?"),
        (("[sources.columns]", "[sources.colums]"), "Schlüssel 'colums' ist unbekannt; meinten Sie 'columns'?"),
        (("min_cell = 7", "min_cell = 7\nmincell = 5"), "[project]: Schlüssel 'mincell' ist unbekannt; meinten Sie"),
        (('name = "Nachbarstadt"', 'name = "Nachbarstadt"\nnmae = "x"'), "[[towns]] Nr. 2: Schlüssel 'nmae'"),
        (("ENG1 = ", "ENG11 = "), "Schlüssel 'ENG11': kein bekannter Name für resident_survey; meinten Sie 'ENG1'?"),
        (("min_cell = 7", "min_cell = 2"), "'min_cell': 2 ist zu klein"),
    ],
)
def test_typo_keys_are_errors_with_a_suggestion(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    assert expected in error(tmp_path, VALID.replace(*change, 1))


def test_questionnaire_keys_are_known_for_surveys_only(tmp_path: Path) -> None:
    files = ("population.csv", "umfrage_1.csv", "freiwillige.xlsx")
    keys = 'encoding = "cp1252"\nquestionnaire = "f.lss"\nyn_codes = ["1", "2"]'
    manifest = VALID.replace('encoding = "cp1252"', keys)
    shipped = Path(__file__).resolve().parents[1] / "data" / "questionnaires" / "engagement_resident.lss"
    (tmp_path / "f.lss").write_bytes(shipped.read_bytes())
    assert len(load_manifest(folder(tmp_path, manifest, files)).sources) == 3
    wrong = VALID.replace('sheet = "Export"', 'sheet = "Export"\nquestionnaire = "f.lss"')
    assert "[[sources]] Nr. 3 (registrations): Schlüssel 'questionnaire' ist unbekannt" in error(tmp_path, wrong)


def test_same_file_for_two_sources_is_refused(tmp_path: Path) -> None:
    twice = VALID + '\n[[sources]]\nkind = "events"\nname = "Nochmal"\npath = "*.csv"\ntown = "09999001"\n'
    message = error(tmp_path, twice)
    assert "Datei 'population.csv' wird von [[sources]] Nr. 1 (population.csv) und Nr. 4 (Nochmal) gelesen" in message
    sheets = VALID + '\n[[sources]]\nkind = "events"\npath = "freiwillige.xlsx"\ntown = "09999001"\nsheet = "Termine"\n'
    files = ("population.csv", "umfrage_1.csv", "freiwillige.xlsx")
    assert len(load_manifest(folder(tmp_path, sheets, files)).sources) == 4  # two sheets of one workbook


def test_symlinks_out_of_the_folder_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "geheim.csv"
    outside.write_text("ags;year\n", encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    (src / "umfrage_1.csv").write_text("id\n", encoding="utf-8")
    (src / "freiwillige.xlsx").write_bytes(b"")
    (src / "population.csv").symlink_to(outside)
    (src / "engage.toml").write_text(VALID, encoding="utf-8")
    with pytest.raises(ManifestError, match="'population.csv' ist ein Verweis \\(Symlink\\) auf eine Datei außerhalb"):
        load_manifest(src)
    (src / "population.csv").unlink()
    (src / "population.csv").write_text("ags\n", encoding="utf-8")
    (src / "umfrage_2.csv").symlink_to("/etc/passwd")  # reached through the glob umfrage_*.csv
    with pytest.raises(ManifestError, match="'umfrage_2.csv' ist ein Verweis"):
        load_manifest(src)
    (src / "umfrage_2.csv").unlink()
    (src / "umfrage_2.csv").symlink_to(src / "umfrage_1.csv")  # a link inside the folder is fine ...
    with pytest.raises(ManifestError, match="wird von \\[\\[sources\\]\\] Nr. 2 .* und Nr. 2"):
        load_manifest(src)  # ... but both names are the same file, read twice


def test_licence_and_kept_runs(tmp_path: Path) -> None:
    m = load_manifest(folder(tmp_path, VALID, FILES))
    assert (m.project.licence, m.project.keep_runs) == ("CC-BY-4.0", None)  # defaults: CC BY 4.0, every run
    text = VALID.replace("demo = true", 'demo = true\nlicence = "dl-de-by-2.0"\nkeep_runs = 3')
    m = load_manifest(folder(tmp_path, text, FILES))
    assert (m.project.licence, m.project.keep_runs) == ("DL-DE-BY-2.0", 3)


def test_unknown_licence_and_bad_kept_runs(tmp_path: Path) -> None:
    msg = error(tmp_path, VALID.replace("demo = true", 'demo = true\nlicence = "CC-BY-4"'))
    assert "Schlüssel 'licence': 'CC-BY-4' ist keine der offenen Lizenzen; meinten Sie 'CC-BY-4.0'?" in msg
    msg = error(tmp_path, VALID.replace("demo = true", "demo = true\nkeep_runs = 0"))
    assert "Schlüssel 'keep_runs': 0 ist keine ganze Zahl von 1 bis" in msg
