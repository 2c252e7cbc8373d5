"""The canonical field names and question codes of every source kind (brief §3).

One list shared by the manifest check (an unknown name in ``[sources.columns]`` or ``[sources.codes]`` is a
manifest error) and by the readers (which look the mapped headers up in the files), so the two never drift.
"""

from __future__ import annotations

AGE_BANDS = ("0-13", "14-29", "30-49", "50-64", "65+")  # brief §3.1: survey answers, population figures
ADULT_BANDS = AGE_BANDS[1:]  # the population aged 14+ (brief §5.1, §5.3)
SECTORS = ("civil_society", "politics", "administration", "business")
ENG3_SUBQUESTIONS = tuple(f"SQ{i:03d}" for i in range(1, 15))

# Columns LimeSurvey writes into every response export (brief §3.2); the ones not listed in the clean
# tables (lastpage, startlanguage, seed, ipaddr, refurl, token) are read past and never stored.
LIMESURVEY_COLUMNS = (
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "token",
)

RESIDENT_CODES = (
    "AGE",
    "GENDER",
    "DISTRICT",
    "EDU",
    "MIG",
    "ENG1",
    "ENG2",
    "ENG3",  # prefix: maps every ENG3[SQxxx] at once
    *(f"ENG3[{sq}]" for sq in ENG3_SUBQUESTIONS),
    "WILL",
    "PART",
    "EASE",
    "INFO",
    "RECOG",
    "KNOW",
)

# FREQ, TRUST and VALUE are array prefixes: ``FREQ[<org_id>]`` per rated organisation.
PARTNER_CODES = ("ORG", "SECTOR", "FREQ", "TRUST", "VALUE", "EYE", "HE")

COLUMNS: dict[str, tuple[str, ...]] = {
    "population": ("ags", "year", "district", "age_band", "gender", "count"),
    "resident_survey": LIMESURVEY_COLUMNS,
    "partner_survey": LIMESURVEY_COLUMNS,
    "organisations": ("org_id", "name", "sector"),
    "registrations": (
        "person_id",
        "registered_on",
        "ended_on",
        "organisation",
        "area",
        "activity",
        "birth_year",
        "gender",
        "district",
        "postcode",
        "hours",
    ),
    "events": (
        "event_id",
        "date",
        "format",
        "title",
        "participants",
        "civil_society",
        "politics",
        "administration",
        "business",
        "residents",
    ),
    "goals": (
        # sheet Ziele
        "goal_id",
        "title",
        "principle",
        "indicator",
        "baseline",
        "baseline_date",
        "target",
        "target_date",
        "unit",
        # sheet Massnahmen
        "measure_id",
        "lead_sector",
        "start",
        "due",
        "status",
        "level",
        # sheet Messungen
        "date",
        "value",
    ),
    # GeoJSON features: the district code and name are properties named by code_property / name_property
    "districts": ("code", "name"),
}

CODES: dict[str, tuple[str, ...]] = {
    "resident_survey": RESIDENT_CODES,
    "partner_survey": PARTNER_CODES,
}


def header_for(mapping: dict[str, str], canonical: str) -> str:
    """The export's header for a canonical name: the manifest's mapping, else the canonical name itself."""
    return mapping.get(canonical, canonical)
