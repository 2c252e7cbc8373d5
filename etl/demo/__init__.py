"""``engage demo``: a synthetic, fully fictional source folder in exactly the formats of brief §3.

The folder lets anyone run the whole pipeline (``engage run``) and see every indicator, the
comparison across towns and the rejects view without real data. It is deterministic for a seed
(byte-identical files), scales from the default three towns to ``--towns 100 --years 10``, and
carries the quirks real exports have (LimeSurvey's exports in its different styles, a German-Excel
cp1252 file, a semicolon file with decimal commas, German dates, an official statistics table) plus a
few bad rows, so that validation has something to show.

The survey files are written exactly as LimeSurvey 5/6 exports them (:mod:`etl.demo.limesurvey`) for the
questionnaire's settings, and the towns use the export styles coordinators do, so every reading path runs:

Roles of the first towns (later towns cycle through the same variants):

* town 0 (Musterstadt): registrations as XLSX, one bad survey file (age 150, education code 4,
  duplicated LimeSurvey id), partner survey answers by and about unknown organisations, a goal whose
  target equals its baseline, a district shape whose border crosses itself; both surveys exported with
  question codes and answer codes (brief §3.2);
* town 1 (Beispielhausen): a residents' questionnaire of its own (own question codes in
  ``[sources.codes]``, its ``.lss`` named by ``questionnaire``; not anonymous, with IP address and referrer
  URL) exported as "Fragecode & Fragetext" with "Y in 1 / N in 2 umwandeln" and ``;`` (``yn_codes``);
  its partner survey with LimeSurvey's defaults (full question texts, full answers) through its own
  ``.lss`` with its organisations' names; population from the Regionalstatistik table 12411-02-03-5 as
  downloaded (a Land-wide wide CSV, the XLSX download and a zipped GENESIS flat file; see
  :mod:`etl.demo.population`), registrations as German Excel "CSV UTF-8" (BOM, ``;``, decimal comma,
  ``dd.mm.yyyy``, an impossible date, a duplicate), events as cp1252 ``;`` CRLF file with German dates;
* town 2 (Fiktivingen): one survey source as a glob over yearly files (ids continue, years from
  ``submitdate``), one style per year: LimeSurvey's defaults, ExpressionScript codes with tabs and 1/2
  (detected, not named), English texts and answers; population only as district rows.

Every town has fictional district shapes (GeoJSON, :mod:`etl.demo.districts`) in the North Sea; towns 1, 4,
7 … name their code and name properties differently (``code_property``/``name_property``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from etl.demo import events as ev
from etl.demo import partners as pt
from etl.demo import registrations as rg
from etl.demo import survey as sv
from etl.demo.districts import districts_geojson, districts_source
from etl.demo.files import save_workbook, write_csv, write_text
from etl.demo.goals import write_goals
from etl.demo.limesurvey import ExportStyle, export_bytes
from etl.demo.manifest import manifest_text
from etl.demo.population import population_sources
from etl.demo.questionnaires import Survey, build_lss, partner_survey, resident_survey
from etl.demo.towns import DemoTown, demo_years, partner_waves, plan_towns, rng_for, survey_years
from etl.readers.questionnaire import Questionnaire, load_questionnaire, shipped

__all__ = ["write_demo"]

# random stream ids per purpose (see towns.rng_for)
_SURVEY, _ORGS, _PARTNER, _REGISTRATIONS, _EVENTS, _GOALS, _DIRT, _DISTRICTS = range(1, 9)
OWN_CODES_TOWN, GLOB_TOWN = 1, 2


def _write_bytes(data: bytes, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _own_questionnaire(survey: Survey, out: Path, rel: str) -> Questionnaire:
    """Write a town's own questionnaire (.lss) into its folder and read it back as the export's structure."""
    write_text(build_lss(survey), out / rel)
    return load_questionnaire(out / rel)


def _resident_style(town: DemoTown, wave: int) -> ExportStyle:
    """How a town exports its residents' survey from LimeSurvey (see the roles in the module docstring)."""
    if town.index == 0:
        return ExportStyle()  # the brief's style: question codes, answer codes, comma
    if town.index == OWN_CODES_TOWN:
        return sv.OWN_STYLE
    return sv.STYLES[(town.index - GLOB_TOWN + wave) % len(sv.STYLES)]


def _survey_sources(town: DemoTown, years: list[int], seed: int, out: Path) -> list[dict[str, object]]:
    sources: list[dict[str, object]] = []
    waves = survey_years(town, years)
    own = town.index == OWN_CODES_TOWN
    questionnaire = shipped("resident_survey")
    needs: dict[str, object] = {}
    if own:  # its own question codes, a non-anonymous survey that records IP address and referrer
        rel = f"{town.slug}/einwohnerbefragung.lss"
        survey = resident_survey(codes=sv.OWN_CODES, html=True, anonymized=False, ipaddr=True, refurl=True)
        questionnaire = _own_questionnaire(survey, out, rel)
        needs = {"questionnaire": rel, "yn_codes": list(sv.OWN_STYLE.yn or ()), "codes": dict(sv.OWN_CODES)}
    glob = town.index == GLOB_TOWN
    if glob:
        folder = out / town.slug / "einwohnerbefragung"
        for stale in sorted(folder.glob("export_*.csv")):  # files of an earlier demo with other years
            stale.unlink()
    next_id = 1
    for k, year in enumerate(waves):
        rng = rng_for(seed, town.index, _SURVEY * 10_000 + year)
        frame = sv.simulate_wave(town, year, years[0], rng, first_id=next_id if glob else 1)
        if glob:
            next_id = int(frame["id"].astype(int).max()) + 1
        if town.index == 0 and year == waves[-1]:
            frame = sv.add_dirt(frame, rng_for(seed, town.index, _DIRT))
        if own:
            frame = sv.rename_to_own_codes(frame)
        if glob:
            rel = f"{town.slug}/einwohnerbefragung/export_{year}.csv"
        else:
            rel = f"{town.slug}/einwohnerbefragung_{year}.csv"
        _write_bytes(export_bytes(frame, questionnaire, _resident_style(town, k)), out / rel)
        if not glob:
            sources.append(
                {
                    "name": f"Einwohnerbefragung {town.name} {year}",
                    "kind": "resident_survey",
                    "path": rel,
                    "town": town.ags,
                    "year": year,
                    **needs,
                }
            )
    if glob:
        sources.append(
            {
                "name": f"Einwohnerbefragungen {town.name}",
                "kind": "resident_survey",
                "path": f"{town.slug}/einwohnerbefragung/export_*.csv",
                "town": town.ags,
            }
        )
    return sources


def _partner_sources(
    town: DemoTown, years: list[int], seed: int, out: Path
) -> tuple[list[dict[str, object]], pd.DataFrame]:
    orgs = pt.organisations(town, rng_for(seed, town.index, _ORGS))
    rel = f"{town.slug}/akteure/organisationen.csv"
    write_csv(orgs, out / rel)
    sources: list[dict[str, object]] = [
        {"name": f"Organisationen {town.name}", "kind": "organisations", "path": rel, "town": town.ags}
    ]
    questionnaire, style, needs = shipped("partner_survey"), ExportStyle(), {}
    if town.index > 0:  # the town filled its organisations into the questionnaire; exports in its texts
        rel = f"{town.slug}/akteure/akteursbefragung.lss"
        organisations = list(zip(orgs["org_id"], orgs["name"], strict=True))
        questionnaire = _own_questionnaire(partner_survey(organisations), out, rel)
        style = pt.STYLES[(town.index - 1) % len(pt.STYLES)]
        needs = {"questionnaire": rel}
    latent = pt._latent_ties(orgs, rng_for(seed, town.index, _PARTNER))
    waves = partner_waves(years)
    for k, year in enumerate(waves):
        frame = pt.partner_wave(orgs, k, year, rng_for(seed, town.index, _PARTNER * 10_000 + year), latent)
        if town.index == 0 and year == waves[-1]:
            frame = pt.add_partner_dirt(frame, rng_for(seed, town.index, _DIRT + 100))
        rel = f"{town.slug}/akteure/akteursbefragung_{year}.csv"
        _write_bytes(export_bytes(frame, questionnaire, style), out / rel)
        sources.append(
            {
                "name": f"Akteursbefragung {town.name} {year}",
                "kind": "partner_survey",
                "path": rel,
                "town": town.ags,
                "year": year,
                **needs,
            }
        )
    return sources, orgs


def _write_registrations_xlsx(frame: pd.DataFrame, path: Path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Freiwillige")
    sheet.append(list(frame.columns))
    columns = []
    for name in frame.columns:
        col = frame[name]
        if name in ("Registriert am", "Beendet am"):
            dates = pd.to_datetime(col)
            columns.append([None if pd.isna(d) else d.date() for d in dates])
        elif name == "Stunden":
            columns.append(col.astype(float).tolist())
        elif name == "Geburtsjahr":
            values = pd.to_numeric(col, errors="coerce")
            columns.append([None if pd.isna(v) else int(v) for v in values])
        else:
            columns.append([v if v != "" else None for v in col.astype(str)])
    for row in zip(*columns, strict=True):  # openpyxl writes cell by cell; there is no bulk API
        sheet.append(row)
    save_workbook(workbook, path)


def _registration_source(
    town: DemoTown, years: list[int], orgs: pd.DataFrame, seed: int, out: Path
) -> tuple[dict[str, object], float]:
    """The registrations file and its first year's registered volunteers per 1,000 aged 14+ (goal baseline)."""
    names = orgs.loc[orgs["sector"] == "civil_society", "name"].tolist()
    frame = rg.registrations(town, years, names, rng_for(seed, town.index, _REGISTRATIONS))
    xlsx = town.index % 10 == 0  # openpyxl writes ~50k cells/s: XLSX for every tenth town only
    german = town.index == OWN_CODES_TOWN
    if german or town.index == 0:
        frame = rg.add_registration_dirt(frame, rng_for(seed, town.index, _DIRT + 200))
    source: dict[str, object] = {"name": f"Freiwilligenregistrierungen {town.name}", "kind": "registrations"}
    if xlsx:
        rel = f"{town.slug}/freiwillige.xlsx"
        _write_registrations_xlsx(frame, out / rel)
        source["sheet"] = "Freiwillige"
    else:
        rel = f"{town.slug}/freiwillige.csv"
        text = rg.as_text(frame, german_dates=german, decimal_comma=german)
        if german:  # German Excel "CSV UTF-8": BOM, semicolon, CRLF
            write_csv(text, out / rel, sep=";", bom=True, crlf=True)
        else:
            write_csv(text, out / rel)
    source.update({"path": rel, "town": town.ags, "columns": dict(rg.COLUMNS)})
    first = years[0]
    registered, ended = pd.to_datetime(frame["Registriert am"]), pd.to_datetime(frame["Beendet am"])
    active = (registered.dt.year <= first) & (ended.isna() | (ended.dt.year >= first))
    adults = town.population * town.adult_share()
    return source, float(frame.loc[active, "E-Mail"].nunique() / adults * 1000)


def _event_source(town: DemoTown, years: list[int], seed: int, out: Path) -> tuple[dict[str, object], float]:
    frame = ev.events(town, years, rng_for(seed, town.index, _EVENTS))
    rel = f"{town.slug}/veranstaltungen.csv"
    if town.index == 1:  # German Excel "CSV (Trennzeichen-getrennt)": cp1252, semicolon, CRLF
        write_csv(ev.as_text(frame, german_dates=True), out / rel, sep=";", encoding="cp1252", crlf=True)
    elif town.index % 7 == 3:
        write_csv(ev.as_text(frame, german_dates=True), out / rel, sep=";")
    else:
        write_csv(ev.as_text(frame, german_dates=False), out / rel)
    first_year = pd.to_datetime(frame["date"]).dt.year == years[0]
    participants = float(frame.loc[first_year, "participants"].sum())
    return {"name": f"Veranstaltungen {town.name}", "kind": "events", "path": rel, "town": town.ags}, participants


def write_demo(out: Path, towns: int = 3, years: int = 3, seed: int = 42, last_year: int = 2025) -> Path:
    """Write the demo source folder into ``out`` and return the path of its ``engage.toml``.

    Existing demo files in ``out`` are overwritten; other files are left alone (only stale yearly
    exports under a globbed survey folder are removed, since the glob would pick them up).
    """
    if towns < 1 or years < 1:
        raise ValueError("--towns und --years müssen mindestens 1 sein")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    plan = plan_towns(towns, seed)
    calendar = demo_years(years, last_year)
    sources = population_sources(plan, calendar, out)
    for town in plan:
        sources += _survey_sources(town, calendar, seed, out)
        partner, orgs = _partner_sources(town, calendar, seed, out)
        sources += partner
        registration_source, per_1000 = _registration_source(town, calendar, orgs, seed, out)
        sources.append(registration_source)
        event_source, participants = _event_source(town, calendar, seed, out)
        sources.append(event_source)
        rel = f"{town.slug}/zielplan.xlsx"
        write_goals(
            town,
            calendar,
            {"registered_per_1000": per_1000, "event_participants": participants},
            rng_for(seed, town.index, _GOALS),
            out / rel,
            dirt=town.index == 0,
        )
        sources.append({"name": f"Zielplan {town.name}", "kind": "goals", "path": rel, "town": town.ags})
        rel = f"{town.slug}/stadtteile.geojson"
        shapes = districts_geojson(town, rng_for(seed, town.index, _DISTRICTS), dirt=town.index == 0)
        write_text(shapes, out / rel)
        sources.append(districts_source(town, rel))
    manifest = out / "engage.toml"
    write_text(manifest_text(plan, sources, seed), manifest)
    return manifest


def folder_size(path: Path) -> int:
    """Total bytes of all files under ``path`` (for the report of a network-scale demo)."""
    return int(np.sum([p.stat().st_size for p in Path(path).rglob("*") if p.is_file()] or [0]))
