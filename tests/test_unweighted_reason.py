"""Why a survey stays unweighted (brief §5.1), end to end: a real source folder in which each reason occurs, through
``engage run`` into SQLite and PostgreSQL, the stored ``mart_indicator_values.unweighted_reason``, the read API,
and the dashboard's notices and the council report naming the one reason that applies, in German and English."""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dashboard.i18n import t
from dashboard.report.content import report_content
from dashboard.state import NETWORK, View, load_view
from dashboard.views import overview, participation
from etl import warehouse
from etl.cli import main
from etl.db import make_engine
from etl.tables import mart_indicator_values

WEIGHTED = "99000001"  # 2024 weighted; 2023 no population (only 2024's figures, none earlier)
NO_POP = "99000002"  # no population rows at all
ZERO = "99000003"  # 2024: population of nobody aged 14+; 2023: no population (two reasons over the years)
NOBODY = "99000004"  # respondents only with gender d or none: nobody to rake
DIVERGES = "99000005"  # the young men stand for nearly everyone (the young) and nearly no one (the men)
TOWNS = {WEIGHTED: "Gewichtstadt", NO_POP: "Ohnezahl", ZERO: "Nullstadt", NOBODY: "Diversdorf", DIVERGES: "Kippstadt"}
SURVEYS = {
    (WEIGHTED, 2023): [(30, "w"), (45, "m"), (60, "w"), (25, "m")],
    (WEIGHTED, 2024): [(30, "w"), (45, "m"), (60, "w"), (25, "m"), (70, "w")],
    (NO_POP, 2024): [(30, "w"), (45, "m"), (60, "w"), (25, "m")],
    (ZERO, 2023): [(30, "w"), (45, "m"), (60, "w")],
    (ZERO, 2024): [(30, "w"), (45, "m"), (60, "w"), (25, "m")],
    (NOBODY, 2024): [(30, "d"), (45, ""), (60, "d"), (25, "")],
    (DIVERGES, 2024): [(20, "m"), (22, "m"), (70, "w"), (75, "w")],
}
EXPECTED = {
    (WEIGHTED, 2023): "no_population",
    (WEIGHTED, 2024): None,
    (NO_POP, 2024): "no_population",
    (ZERO, 2023): "no_population",
    (ZERO, 2024): "population_zero",
    (NOBODY, 2024): "no_raking_respondents",
    (DIVERGES, 2024): "no_finite_weights",
}
BANDS = ["0-13", "14-29", "30-49", "50-64", "65+"]


def _population() -> str:
    rows = ["ags;year;age_band;gender;count"]
    for band in BANDS:
        for gender in ("w", "m"):
            rows.append(f"{WEIGHTED};2024;{band};{gender};1000")
            rows.append(f"{ZERO};2024;{band};{gender};{500 if band == '0-13' else 0}")
            young_women, old_men = (band, gender) == ("14-29", "w"), (band, gender) == ("65+", "m")
            rows.append(f"{DIVERGES};2024;{band};{gender};{1000 if young_women else 1 if old_men else 0}")
            rows.append(f"{NOBODY};2024;{band};{gender};1000")  # a whole year: only the respondents lack
    return "\r\n".join(rows) + "\r\n"


def _survey(year: int, people: list[tuple[int, str]]) -> str:
    areas = ",".join(f"ENG3[SQ{i:03d}]" for i in range(1, 15))
    lines = [
        "id,submitdate,lastpage,startlanguage,seed,startdate,datestamp,"
        f"AGE,GENDER,DISTRICT,EDU,MIG,ENG1,ENG2,{areas},WILL,PART,EASE,INFO,RECOG,KNOW"
    ]
    for i, (age, gender) in enumerate(people, start=1):
        eng = "Y" if i % 2 else "N"
        when = f"{year}-05-0{i} 10:00:00"
        empty_areas = ",".join("" for _ in range(14))
        lines.append(
            f"{i},{when},5,de,123,{when},{when},{age},{gender},01,2,N,{eng},{'4' if eng == 'Y' else ''},"
            f"{empty_areas},{'' if eng == 'Y' else '2'},Y,4,3,5,Y"
        )
    return "\n".join(lines) + "\n"


def write_folder(folder: Path) -> Path:
    folder.mkdir(parents=True)
    towns = "".join(f'[[towns]]\nags = "{ags}"\nname = "{name}"\n\n' for ags, name in TOWNS.items())
    sources = "".join(
        f'[[sources]]\nkind = "resident_survey"\npath = "umfrage_{ags}_{year}.csv"\ntown = "{ags}"\nyear = {year}\n\n'
        for ags, year in SURVEYS
    )
    manifest = textwrap.dedent(
        """
        [project]
        name = "Gewichtungsprobe"
        min_cell = 3
        survey_min_age = 14

        """
    )
    manifest += towns + '[[sources]]\nkind = "population"\npath = "population.csv"\n\n' + sources
    (folder / "engage.toml").write_text(manifest, encoding="utf-8")
    (folder / "population.csv").write_text(_population(), encoding="utf-8")
    for (ags, year), people in SURVEYS.items():
        (folder / f"umfrage_{ags}_{year}.csv").write_text(_survey(year, people), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_folder(tmp_path_factory.mktemp("gewichtung") / "quelle")


def _run(source: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGE_PSEUDONYM_KEY", "test-schluessel-nur-fuer-tests-0123456789")
    result = CliRunner().invoke(main, ["run", str(source), "--db", url, "--as-of", "2025-06-30"])
    assert result.exit_code == 0, result.output


def _stored(url: str) -> dict[tuple[str, int], set[tuple[object, object]]]:
    """(weighted, unweighted_reason) pairs per town-year of the latest run's survey rates, as the table holds them."""
    v = mart_indicator_values.c
    engine = make_engine(url)
    with engine.connect() as conn:
        latest = select(func.max(v.run_id)).scalar_subquery()
        stmt = select(v.town_ags, v.year, v.weighted, v.unweighted_reason).where(v.weighted.is_not(None))
        rows = conn.execute(stmt.where(v.run_id == latest))
        out: dict[tuple[str, int], set[tuple[object, object]]] = {}
        for ags, year, weighted, reason in rows:
            out.setdefault((ags, int(year)), set()).add((bool(weighted), reason))
    engine.dispose()
    return out


def _check_stored(url: str) -> None:
    stored = _stored(url)
    assert stored == {key: {(reason is None, reason)} for key, reason in EXPECTED.items()}


@pytest.fixture(scope="module")
def sqlite_url(source: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('wh') / 'wh.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        _run(source, url, mp)
    return url


def test_each_reason_is_stored_with_the_rates_sqlite(sqlite_url: str) -> None:
    _check_stored(sqlite_url)


def test_each_reason_is_stored_with_the_rates_postgres(
    source: Path, sqlite_url: str, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(source, postgres_url, monkeypatch)
    _check_stored(postgres_url)
    lite = warehouse.indicators(town=None, breakdown=None, db=sqlite_url)
    pg = warehouse.indicators(town=None, breakdown=None, db=postgres_url)
    assert pg["unweighted_reason"].equals(lite["unweighted_reason"])


def test_the_read_api_gives_the_reason_where_weighted_is_false(sqlite_url: str) -> None:
    values = warehouse.indicators(town=None, breakdown=None, db=sqlite_url)
    assert values["unweighted_reason"].dtype == "string"
    survey = values[values["weighted"].notna()]
    got = survey.groupby(["town_ags", "year"])["unweighted_reason"].agg(lambda s: set(s.fillna("–")))
    assert got.to_dict() == {key: {reason or "–"} for key, reason in EXPECTED.items()}
    assert values.loc[values["weighted"].isna(), "unweighted_reason"].isna().all()  # other indicators


def view(url: str, town: str, year: int, lang: str = "de") -> View:
    v = load_view(town, year, lang, db=url)
    assert isinstance(v, View)
    return v


WORDS = {
    "no_population": ("keine vollständigen Bevölkerungsdaten der Stadt", "no complete population data of the town"),
    "population_zero": ("zählen niemanden ab 14 Jahren", "count nobody aged 14 or over"),
    "no_raking_respondents": ("keine befragte Person ab 14 Jahren", "no respondent aged 14 or over"),
    "no_finite_weights": ("die die Befragten nicht abbilden können", "the respondents cannot represent"),
}


def _notice(notes: list) -> str:
    found = [str(getattr(n, "children", n)) for n in notes]
    found = [n for n in found if n.startswith(("Ungewichtet", "Unweighted"))]
    assert len(found) == 1, notes
    return found[0]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(
    ("town", "reason"),
    [(NO_POP, "no_population"), (NOBODY, "no_raking_respondents"), (DIVERGES, "no_finite_weights")],
)
def test_the_overview_names_the_one_reason(sqlite_url: str, town: str, reason: str, lang: str) -> None:
    text = _notice(overview.overview_notes(view(sqlite_url, town, 2024, lang)))
    i = 1 if lang == "en" else 0
    assert WORDS[reason][i] in text
    assert all(words[i] not in text for other, words in WORDS.items() if other != reason)
    assert text.startswith(("Ungewichtet:", "Unweighted:")[i])


def test_a_weighted_year_has_no_notice_and_the_trend_names_the_unweighted_year(sqlite_url: str) -> None:
    assert overview.overview_notes(view(sqlite_url, WEIGHTED, 2024)) == []
    text = _notice(participation.rates(view(sqlite_url, WEIGHTED, 2024), {}).notes)
    assert text.startswith("Ungewichtet (2023): ") and WORDS["no_population"][0] in text
    text = _notice(participation.rates(view(sqlite_url, WEIGHTED, 2024, "en"), {}).notes)
    assert text.startswith("Unweighted (2023): ") and WORDS["no_population"][1] in text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_years_with_different_reasons_name_each_with_its_year(sqlite_url: str, lang: str) -> None:
    i = 1 if lang == "en" else 0
    text = _notice(participation.rates(view(sqlite_url, ZERO, 2024, lang), {}).notes)
    assert f"2023: {t('weighting.no_population', lang)}" in text
    assert f"2024: {t('weighting.population_zero', lang)}" in text
    # the year's own figures (a breakdown of 2024) name only 2024's reason
    groups = participation.groups(view(sqlite_url, ZERO, 2024, lang), {participation.IND: "engagement_rate"})
    one = _notice(groups.notes)
    assert WORDS["population_zero"][i] in one and WORDS["no_population"][i] not in one


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_report_names_the_years_reason(sqlite_url: str, lang: str) -> None:
    notes = report_content(view(sqlite_url, NOBODY, 2024, lang)).method_notes
    expected = t("report.m.unweighted", lang, reason=t("weighting.no_raking_respondents", lang))
    assert expected in notes
    assert t("report.m.weighted", lang) in report_content(view(sqlite_url, WEIGHTED, 2024, lang)).method_notes


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_network_view_names_the_towns_per_reason(sqlite_url: str, lang: str) -> None:
    notes = overview.overview_notes(view(sqlite_url, NETWORK, 2024, lang))
    text = _notice([n for n in notes if n.__class__.__name__ == "Alert"])
    head = ("Ungewichtet 2024 in 4 von 5 Städten", "Unweighted 2024 in 4 of 5 towns")[1 if lang == "en" else 0]
    assert text.startswith(head)
    for ags, reason in [(NO_POP, "no_population"), (ZERO, "population_zero"), (NOBODY, "no_raking_respondents")]:
        assert f"{t('weighting.' + reason, lang)}: {TOWNS[ags]}" in text
    assert f"{t('weighting.no_finite_weights', lang)}: {TOWNS[DIVERGES]}" in text
    assert TOWNS[WEIGHTED] not in text
    # 2023: the two towns with a survey, both without population
    text = _notice([n for n in overview.overview_notes(view(sqlite_url, NETWORK, 2023, lang)) if hasattr(n, "color")])
    assert f"{t('weighting.no_population', lang)}: {TOWNS[WEIGHTED]}, {TOWNS[ZERO]}" in text


def test_a_run_without_stored_reasons_names_both_causes(sqlite_url: str, tmp_path: Path) -> None:
    """A run of an older version kept in an upgraded warehouse: weighted False, reason NULL."""
    copy = tmp_path / "aelter.sqlite"
    shutil.copyfile(sqlite_url.removeprefix("sqlite:///"), copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE mart_indicator_values SET unweighted_reason = NULL")
    url = f"sqlite:///{copy}"
    assert warehouse.indicators(town=NO_POP, db=url)["unweighted_reason"].isna().all()
    for lang in ("de", "en"):
        text = _notice(overview.overview_notes(view(url, NO_POP, 2024, lang)))
        assert text == t("msg.unweighted", lang, years="", reason=t("weighting.unknown", lang))


def test_an_older_warehouse_gets_the_column_on_the_next_run(
    sqlite_url: str, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "ohne.sqlite"
    shutil.copyfile(sqlite_url.removeprefix("sqlite:///"), copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("ALTER TABLE mart_indicator_values DROP COLUMN unweighted_reason")
    url = f"sqlite:///{copy}"
    status = warehouse.check(url)
    assert status.state == "outdated" and "mart_indicator_values.unweighted_reason" in status.message
    _run(source, url, monkeypatch)
    assert warehouse.check(url).ok
    _check_stored(url)  # the latest run's rows
    with sqlite3.connect(copy) as conn:
        runs = dict(conn.execute("SELECT run_id, COUNT(unweighted_reason) FROM mart_indicator_values GROUP BY run_id"))
    assert len(runs) == 2 and runs[min(runs)] == 0  # the earlier run is kept, without reasons (NULL)


REGIO = Path(__file__).parent / "fixtures" / "readers" / "12411-02-03-5_musterstadt.csv"


@pytest.mark.parametrize("earlier_complete", [True, False])
def test_a_population_year_left_out_as_incomplete_agrees_with_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, earlier_complete: bool
) -> None:
    """The Regionalstatistik file's 2023 lacks a figure, so that year is left out and the message says the last
    complete earlier year applies, without one the survey stays unweighted: with 2022 complete the 2023 survey is
    weighted on it; with 2022 incomplete too it is unweighted for want of population, and says so."""
    folder = tmp_path / "quelle"
    folder.mkdir()
    text = REGIO.read_bytes().decode("latin-1")
    if not earlier_complete:
        line = "31.12.2022;09999001;Musterstadt, Stadt;unter 3 Jahre;210;100;110"
        assert line in text
        text = text.replace(line, line.replace(";100;", ";-;"))
    (folder / "bevoelkerung.csv").write_bytes(text.encode("latin-1"))
    (folder / "umfrage.csv").write_text(_survey(2023, SURVEYS[(WEIGHTED, 2024)]), encoding="utf-8")
    (folder / "engage.toml").write_text(
        '[project]\nname = "Probe"\nmin_cell = 3\n\n[[towns]]\nags = "09999001"\nname = "Musterstadt"\n\n'
        '[[sources]]\nkind = "population"\npath = "bevoelkerung.csv"\n\n'
        '[[sources]]\nkind = "resident_survey"\npath = "umfrage.csv"\ntown = "09999001"\nyear = 2023\n',
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    _run(folder, url, monkeypatch)
    files = warehouse.runs(db=url)
    message = files.loc[files["kind"] == "population", "message"].iloc[0]
    assert "Bevölkerung unvollständig, daher nicht übernommen: " in message
    assert "(ohne ein solches bleibt die Umfrage ungewichtet)" in message
    assert ("Musterstadt 2022" in message) is not earlier_complete and "Musterstadt 2023" in message
    values = warehouse.indicators(town="09999001", indicator="engagement_rate", db=url)
    assert values["weighted"].tolist() == [earlier_complete]
    assert values["unweighted_reason"].tolist() == [pd.NA if earlier_complete else "no_population"]
    notes = overview.overview_notes(view(url, "09999001", 2023))
    if earlier_complete:
        assert notes == []
    else:
        assert t("weighting.no_population", "de") in _notice(notes)
