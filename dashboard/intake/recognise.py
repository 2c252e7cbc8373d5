"""What a dropped file is: its source kind, town, year and column mapping — read with the ETL's own readers.

The kind is recognised by the file's content and layout, never by its name, with the functions the ETL reads
it with (:mod:`etl.readers`): the Regionalstatistik layouts by ``regionalstatistik.looks_like`` (also a ZIP of
the GENESIS flat file), the goal workbook by its sheet ``Ziele``, LimeSurvey exports (any heading and answer
style) by running the resident and the partner survey reader — with the town's own questionnaire (``.lss``)
where its manifest names one — and keeping the kind whose reader accepts the file; the flat kinds by their
canonical headers (``etl.readers.canonical.COLUMNS``).

A registration export from any platform has headers of its own: the mapping onto the canonical fields is
proposed from the headers (German and English words platforms use) and the values (a column of e-mail
addresses is the person, a column of dates the registration date), unless the same town already published
an export of the same platform — recognised by its exact set of headers, :func:`platform_of` — whose
confirmed mapping is then proposed (:mod:`.mapping_memory`). The user confirms or corrects it on the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.intake.said import Said
from etl.messages import parts_json
from etl.model import Manifest, SourceSpec, Town
from etl.pseudonymise import Pseudonymiser
from etl.readers import read_source, regionalstatistik
from etl.readers.canonical import COLUMNS
from etl.readers.limesurvey import _CODE_TOKEN, _CODETEXT_SEPARATOR, META_LABELS, key
from etl.readers.tabular import FileUnreadable, find_sheet, is_xlsx, open_workbook, read_table

# Kinds whose headers map one to one onto canonical fields, and the fields each requires (as their readers do).
MAPPED_KINDS = {
    "registrations": ("person_id", "registered_on"),
    "events": ("event_id", "date"),
    "organisations": ("org_id", "name", "sector"),
}
SURVEY_KINDS = ("resident_survey", "partner_survey")
TOWN_KINDS = ("resident_survey", "partner_survey", "organisations", "registrations", "events", "goals")
# Words platforms use for the registration fields, normalised (lower case, letters and digits only). Words of
# up to five letters must match a whole header; longer ones may be part of it ("anmeldedatum" in
# "anmeldedatumplattform").
SYNONYMS: dict[str, tuple[str, ...]] = {
    "person_id": (
        "personid",
        "person",
        "email",
        "emailadresse",
        "mail",
        "mailadresse",
        "kennung",
        "mitgliedsnummer",
        "freiwilligennummer",
        "teilnehmerid",
        "nutzerid",
        "userid",
        "benutzerkennung",
        "freiwilligenid",
    ),
    "registered_on": (
        "registeredon",
        "registriertam",
        "registrierung",
        "registrierungsdatum",
        "anmeldedatum",
        "angemeldetam",
        "anmeldung",
        "eintritt",
        "eintrittsdatum",
        "beginn",
        "startdatum",
        "registrationdate",
        "signupdate",
        "dabeiseit",
        "mitgliedseit",
    ),
    "ended_on": ("endedon", "beendetam", "ende", "enddatum", "austritt", "austrittsdatum", "abgemeldetam", "enddate"),
    "organisation": (
        "organisation",
        "organization",
        "verein",
        "einrichtung",
        "traeger",
        "träger",
        "institution",
        "einsatzstelle",
        "organisationname",
    ),
    "area": ("area", "bereich", "engagementbereich", "einsatzbereich", "handlungsfeld", "themenfeld", "engagementfeld"),
    "activity": ("activity", "tätigkeit", "taetigkeit", "aufgabe", "einsatzart", "funktion"),
    "birth_year": ("birthyear", "geburtsjahr", "jahrgang", "geburtsjahrgang"),
    "gender": ("gender", "geschlecht", "geschl", "sex"),
    "district": ("district", "stadtteil", "ortsteil", "quartier", "stadtbezirk", "bezirk", "viertel", "wohnviertel"),
    "postcode": ("postcode", "plz", "postleitzahl", "zip", "zipcode"),
    "hours": ("hours", "stunden", "std", "stdmonat", "stundenmonat", "zeitaufwand", "stundenprowoche"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE = re.compile(r"^\s*(\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2})(\s.*)?$")


@dataclass
class Proposal:
    """What the page proposes for one file; the user may change kind, town, year and mapping."""

    file: str
    kind: str | None
    how: str  # German: how the kind was recognised, or why it was not (a Said while made; its text in JSON)
    headers: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # canonical -> export header (mapped kinds)
    platform: str = ""  # digest of the header set (mapped kinds)
    remembered: bool = False  # the mapping is the one this town confirmed before for this platform
    town: str | None = None
    year: int | None = None
    years: list[int] = field(default_factory=list)  # the years the data covers, for the page
    options: dict[str, object] = field(default_factory=dict)  # questionnaire, format, sheet for the manifest
    how_msg: dict = field(default_factory=dict)  # ``how`` as Said JSON, for a page in another language

    def __post_init__(self) -> None:
        if isinstance(self.how, Said):
            self.how_msg = self.how.as_json()

    def explain(self, said: Said) -> None:
        """Set ``how`` (German) and its message together."""
        self.how, self.how_msg = said, said.as_json()

    def to_dict(self) -> dict:
        return {**asdict(self), "how": str(self.how)}


def platform_of(headers: list[str]) -> str:
    """A platform is recognised by its set of headers (order and case aside): the digest names it."""
    names = sorted({h.strip().casefold() for h in headers if h.strip()})
    return hashlib.sha256("\x1f".join(names).encode("utf-8")).hexdigest()[:16]


def normalise(header: str) -> str:
    return re.sub(r"[^0-9a-zäöüß]", "", header.casefold())


def _spec(path: Path, kind: str, town: str | None, **extra: object) -> SourceSpec:
    return SourceSpec(
        kind=kind, label=path.name, path=path.name, files=(path,), base_dir=path.parent, town=town, **extra
    )


def _headers(path: Path) -> tuple[list[str], pd.DataFrame]:
    table = read_table(path, _spec(path, "registrations", None))
    return table.headers, table.frame


def recognise(path: Path, manifest: Manifest, towns: list[Town], memory: dict[str, dict]) -> Proposal:
    """The proposal for the staged file ``path``; ``towns``: those the user may bring data for."""
    name = path.name
    town = _town_of(name, towns)
    try:
        if not is_xlsx(path) and path.suffix == ".zip":
            if regionalstatistik.looks_like(path, _spec(path, "population", None)):
                return Proposal(name, "population", Said("intake.how.genesis_zip"), town=None)
            return Proposal(name, None, Said("intake.how.zip_unknown"))
        if regionalstatistik.looks_like(path, _spec(path, "population", None)):
            return Proposal(name, "population", Said("intake.how.population", code=regionalstatistik.TABLE_CODE))
        if is_xlsx(path) and _has_goal_sheet(path):
            return Proposal(name, "goals", Said("intake.how.goals"), town=town)
        headers, frame = _headers(path)
    except FileUnreadable as exc:
        return Proposal(name, None, Said("intake.how.etl", msg=exc.msg), town=town)
    if _looks_like_limesurvey(headers):
        return _survey(path, headers, manifest, town, towns)
    folded = {normalise(h) for h in headers}
    if {"ageband", "gender", "count"} <= folded:
        return Proposal(name, "population", Said("intake.how.population_std"), headers)
    proposal = Proposal(name, None, "", headers, town=town, platform=platform_of(headers))
    remembered = memory.get(proposal.platform)
    if remembered and all(h in headers for h in remembered["columns"].values()):
        proposal.kind, proposal.columns, proposal.remembered = remembered["kind"], dict(remembered["columns"]), True
        proposal.explain(Said("intake.how.remembered"))
    else:
        for kind in ("organisations", "events"):
            if {normalise(c) for c in MAPPED_KINDS[kind]} <= folded:
                proposal.kind = kind
                proposal.explain(Said("intake.how.standard", kind=kind))
                proposal.columns = propose_columns(kind, headers, frame)
                break
        else:
            proposal.kind = "registrations"
            proposal.columns = propose_columns("registrations", headers, frame)
            canonical = {normalise(c) for c in COLUMNS["registrations"]}
            proposal.explain(
                Said("intake.how.registrations")
                if {"personid", "registeredon"} <= folded and folded <= canonical | folded
                else Said("intake.how.platform")
            )
            if not all(f in proposal.columns for f in MAPPED_KINDS["registrations"]):
                proposal.explain(Said("intake.how.unsure"))
    proposal.years = _years(frame, proposal.columns.get("registered_on") or proposal.columns.get("date"))
    return proposal


def _town_of(name: str, towns: list[Town]) -> str | None:
    """The town the user may bring data for: the only one, else the one the file name names (AGS or name)."""
    if len(towns) == 1:
        return towns[0].ags
    folded = normalise(name)
    for town in towns:
        if town.ags in name or normalise(town.name) in folded:
            return town.ags
    return None


def _has_goal_sheet(path: Path) -> bool:
    workbook = open_workbook(path, path.name)
    try:
        return find_sheet(workbook.sheetnames, "Ziele") is not None
    finally:
        workbook.close()


def _heading_parts(header: str) -> set[str]:
    """A heading as LimeSurvey may write it: the code, the text, or "code. text" (any heading style)."""
    text = header.strip()
    parts = {key(text)}
    match = _CODE_TOKEN.match(text)
    if match and _CODETEXT_SEPARATOR.match(match.group(2)):
        parts |= {key(match.group(1)), key(_CODETEXT_SEPARATOR.sub("", match.group(2), count=1))}
    return parts


def _looks_like_limesurvey(headers: list[str]) -> bool:
    folded = set().union(*(_heading_parts(h) for h in headers)) if headers else set()
    ids = {"id", *(key(label) for label in META_LABELS["id"])}
    submitted = {"submitdate", *(key(label) for label in META_LABELS["submitdate"])}
    return bool(folded & ids) and bool(folded & submitted)


def _survey(path: Path, headers: list[str], manifest: Manifest, town: str | None, towns: list[Town]) -> Proposal:
    """Resident or partner survey: the kind whose reader (with the town's questionnaire) accepts more rows.

    A town's existing survey source of the kind is the template: its questionnaire (``.lss``), its code
    mapping (``[sources.codes]``) and its other reader options (``yn_codes`` …) are what make its next export
    readable, and the new entry gets them too. The town not yet known (the user may bring data for several),
    the templates of those towns are tried in turn.
    """
    pseudonymiser = Pseudonymiser(secrets.token_bytes(32))  # nothing of this read is kept
    best: tuple[int, str, dict[str, object]] | None = None
    problems: list[dict] = []  # the failed files' messages as stored (German, codes and parameters)
    for kind in SURVEY_KINDS:
        owners = [town] if town else [t.ags for t in towns]
        templates = list({s.path: s for s in (_template(manifest, kind, o) for o in owners) if s}.values())
        for template in templates or [None]:
            options = template_options(template)
            reading = {k: v for k, v in options.items() if k != "codes"}
            if "questionnaire" in reading:
                reading["questionnaire"] = str(manifest.path.parent / str(reading["questionnaire"]))
            codes = dict(template.codes) if template else {}
            spec = _spec(path, kind, town, options=reading, codes=codes)
            result = read_source(spec, manifest.project, manifest.towns, pseudonymiser)
            if result.failed:
                problems.extend(
                    {"message": r.message, "message_params": parts_json(r.parts) if r.parts else ""}
                    for r in result.files
                    if r.status == "failed"
                )
                continue
            accepted = sum(r.rows_accepted for r in result.files)
            if best is None or accepted > best[0]:
                best = (accepted, kind, options)
    if best is None:
        reason = problems[0] if problems else ""
        return Proposal(path.name, None, Said("intake.how.survey_unreadable", reason=reason), headers, town=town)
    _, kind, options = best
    years = _survey_years(path, headers)
    return Proposal(
        path.name,
        kind,
        Said("intake.how.survey", what=kind),
        headers,
        town=town,
        year=_mode(years),
        years=sorted(set(years)),
        options=options,
    )


def _template(manifest: Manifest, kind: str, town: str | None) -> SourceSpec | None:
    """The town's latest source of ``kind`` (by year): the one its next export is read like."""
    found = [s for s in manifest.sources if s.kind == kind and s.town == town]
    return max(found, key=lambda s: s.year or 0) if found else None


def template_options(template: SourceSpec | None) -> dict[str, object]:
    """The reader options a new survey entry takes over (JSON-ready): questionnaire, codes, the rest."""
    if template is None:
        return {}
    options: dict[str, object] = dict(template.options)
    if template.codes:
        options["codes"] = dict(template.codes)
    return options


def _survey_years(path: Path, headers: list[str]) -> list[int]:
    names = {"submitdate", *(key(label) for label in META_LABELS["submitdate"])}
    column = next((h for h in headers if _heading_parts(h) & names), None)
    if column is None:
        return []
    _, frame = _headers(path)
    return _year_values(frame[column])


def _year_values(values: pd.Series) -> list[int]:
    text = values.astype(str).str.strip()
    text = text[text != ""]
    german = pd.to_datetime(text, format="%d.%m.%Y", errors="coerce")
    parsed = german.fillna(pd.to_datetime(text.str[:10], format="%Y-%m-%d", errors="coerce"))
    years = parsed.dropna().dt.year.astype(int)
    return [int(y) for y in years if y != 1980 and 1990 <= y <= dt.date.today().year + 1]


def _years(frame: pd.DataFrame, column: str | None) -> list[int]:
    if not column or column not in frame.columns:
        return []
    years = _year_values(frame[column])
    return [min(years), max(years)] if years else []


def _mode(values: list[int]) -> int | None:
    return int(pd.Series(values).mode().iloc[0]) if values else None


def propose_columns(kind: str, headers: list[str], frame: pd.DataFrame) -> dict[str, str]:
    """canonical field -> header: same names first, then the platform words, then what the values look like."""
    fields = COLUMNS[kind]
    out: dict[str, str] = {}
    used: set[str] = set()
    by_norm = {normalise(h): h for h in headers}
    for name in fields:
        header = by_norm.get(normalise(name))
        if header:
            out[name] = header
            used.add(header)
    if kind != "registrations":
        return out
    for name in fields:
        if name in out:
            continue
        header = _by_words(name, headers, used)
        if header:
            out[name] = header
            used.add(header)
    sample = frame.head(200)
    if "person_id" not in out:
        header = _by_values(sample, headers, used, _EMAIL)
        if header:
            out["person_id"] = header
            used.add(header)
    if "registered_on" not in out:
        header = _by_values(sample, headers, used, _DATE)
        if header:
            out["registered_on"] = header
    return out


def _by_words(name: str, headers: list[str], used: set[str]) -> str | None:
    words = SYNONYMS.get(name, ())
    for header in headers:  # whole-header matches first
        if header not in used and normalise(header) in words:
            return header
    for header in headers:
        norm = normalise(header)
        if header not in used and any(len(w) > 5 and w in norm for w in words):
            return header
    return None


def _by_values(sample: pd.DataFrame, headers: list[str], used: set[str], shape: re.Pattern[str]) -> str | None:
    for header in headers:
        if header in used or header not in sample.columns:
            continue
        values = sample[header].astype(str).str.strip()
        values = values[values != ""]
        if len(values) and values.map(lambda v: bool(shape.match(v))).mean() > 0.8:
            return header
    return None
