"""Demo volunteer registrations of one town, as a volunteer platform exports them.

Persons register with organisations of the town, some several times, many end after a few years.
The export has German headers (mapped in the manifest's ``[sources.columns]``) and carries the
personal columns real exports carry (names, e-mail, phone) which the reader must drop.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.demo.names import ACTIVITIES, ENGAGEMENT_AREAS
from etl.demo.survey import personal_text
from etl.demo.towns import DemoTown

# canonical field -> the export's header
COLUMNS = {
    "person_id": "E-Mail",
    "registered_on": "Registriert am",
    "ended_on": "Beendet am",
    "organisation": "Organisation",
    "area": "Bereich",
    "activity": "Tätigkeit",
    "birth_year": "Geburtsjahr",
    "gender": "Geschlecht",
    "district": "Stadtteil",
    "postcode": "PLZ",
    "hours": "Stunden",
}
HEADER_ORDER = (
    "Nr.",
    "Vorname",
    "Nachname",
    "E-Mail",
    "Telefon",
    "Registriert am",
    "Beendet am",
    "Organisation",
    "Bereich",
    "Tätigkeit",
    "Geburtsjahr",
    "Geschlecht",
    "Stadtteil",
    "PLZ",
    "Stunden",
    "Notiz",
)
GENDER_WORDS = np.array(["weiblich", "männlich", "divers", ""])


def postcode_base(town: DemoTown) -> int:
    """A town's first postcode; even-numbered towns get one with a leading zero."""
    return (1000 + 37 * town.index) % 9000 + (0 if town.index % 2 == 0 else 10_000)


def registrations(town: DemoTown, years: list[int], organisations: list[str], rng: np.random.Generator) -> pd.DataFrame:
    """Rows with Python dates in the date columns (``None`` when empty) and strings elsewhere."""
    adults = town.population * town.adult_share()
    persons = int(np.clip(adults * town.registration_rate * (0.8 + 0.1 * len(years)), 200, 6000))
    people = personal_text(rng, persons)
    birth = 2000 - np.clip(np.rint(rng.normal(28, 18, persons)), -10, 65).astype(int)
    gender = GENDER_WORDS[rng.choice(4, size=persons, p=[0.57, 0.39, 0.01, 0.03])]
    district_idx = rng.choice(len(town.districts), size=persons, p=town.district_shares)
    district = np.where(rng.random(persons) < 0.05, "", np.array(town.districts)[district_idx])
    postcode = np.char.zfill((postcode_base(town) + 10 * district_idx).astype(str), 5)

    per_person = 1 + rng.poisson(0.35, persons)
    person = np.repeat(np.arange(persons), per_person)
    m = len(person)
    start = np.datetime64(f"{years[0] - 3}-01-01")
    span = (np.datetime64(f"{years[-1]}-12-31") - start).astype(int)
    # registrations become more frequent over time (the platform grows)
    registered = start + (span * np.sqrt(rng.random(m))).astype(int).astype("timedelta64[D]")
    ends = rng.random(m) < 0.55
    ended = registered + (rng.exponential(700, m) + 30).astype(int).astype("timedelta64[D]")
    ended_ok = ends & (ended <= np.datetime64(f"{years[-1]}-12-31"))
    area = rng.choice(len(ENGAGEMENT_AREAS), size=m)
    frame = pd.DataFrame(
        {
            "Nr.": np.arange(1, m + 1).astype(str),
            "Vorname": people["first"][person],
            "Nachname": people["last"][person],
            "E-Mail": people["mail"][person],
            "Telefon": np.where(rng.random(m) < 0.7, people["phone"][person], ""),
            "Registriert am": registered,
            "Beendet am": np.where(ended_ok, ended, np.datetime64("NaT")),
            "Organisation": np.array(organisations)[rng.integers(0, len(organisations), m)],
            "Bereich": np.array(ENGAGEMENT_AREAS)[area],
            "Tätigkeit": np.array(ACTIVITIES)[rng.integers(0, len(ACTIVITIES), m)],
            "Geburtsjahr": np.where(rng.random(m) < 0.06, "", birth[person].astype(str)),
            "Geschlecht": gender[person],
            "Stadtteil": district[person],
            "PLZ": postcode[person],
            "Stunden": np.clip(np.round(rng.lognormal(np.log(6), 0.7, m) * 2) / 2, 0.5, 60),
            "Notiz": np.where(rng.random(m) < 0.05, "Rückruf erbeten: " + people["phone"][person], ""),
        }
    )
    frame = frame.sort_values("Registriert am", kind="stable", ignore_index=True)
    frame["Nr."] = np.arange(1, m + 1).astype(str)
    return frame


def add_registration_dirt(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """A duplicated registration (same person, organisation and date) and one impossible date."""
    frame = frame.copy()
    k = int(rng.integers(0, len(frame) - 1))
    frame = pd.concat([frame.iloc[: k + 1], frame.iloc[[k]], frame.iloc[k + 1 :]], ignore_index=True)
    frame["Nr."] = np.arange(1, len(frame) + 1).astype(str)
    return frame


def as_text(frame: pd.DataFrame, german_dates: bool, decimal_comma: bool) -> pd.DataFrame:
    """All columns as the strings a CSV export writes; with German dates one becomes ``31.02.YYYY``."""
    out = frame.copy()
    fmt = "%d.%m.%Y" if german_dates else "%Y-%m-%d"
    for col in ("Registriert am", "Beendet am"):
        out[col] = pd.to_datetime(out[col]).dt.strftime(fmt).fillna("")
    hours = out["Stunden"].map("{:g}".format)
    out["Stunden"] = hours.str.replace(".", ",", regex=False) if decimal_comma else hours
    if german_dates and len(out) > 10:
        # a typing error in the source system: an impossible date (31 February of the row's year)
        row = out.index[len(out) // 2]
        out.loc[row, "Registriert am"] = "31.02." + out.loc[row, "Registriert am"][-4:]
    return out.astype(str)
