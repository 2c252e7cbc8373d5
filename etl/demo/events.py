"""Demo events (participation formats and network meetings) of one town, §3.5.

20–80 events a year; network meetings bring the four institutional sectors together, citizens'
dialogues mostly residents, so the share of multi-sector events varies by format. Not every
organiser records where participants came from: some group counts stay empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.demo.names import EVENT_FORMATS, EVENT_TITLE_PARTS
from etl.demo.towns import DemoTown

EVENT_COLUMNS = (
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
)
# Expected shares of participants per group (civil_society, politics, administration, business,
# residents) by format, in the order of names.EVENT_FORMATS.
GROUP_MIX = np.array(
    [
        [0.15, 0.05, 0.06, 0.02, 0.72],  # Bürgerdialog
        [0.45, 0.12, 0.2, 0.13, 0.10],  # Netzwerktreffen
        [0.45, 0.03, 0.07, 0.1, 0.35],  # Engagementmesse
        [0.5, 0.03, 0.15, 0.05, 0.27],  # Workshop
        [0.6, 0.1, 0.1, 0.08, 0.12],  # Ehrenamtsempfang
        [0.3, 0.08, 0.12, 0.1, 0.4],  # Zukunftswerkstatt
        [0.2, 0.04, 0.06, 0.0, 0.7],  # Quartiersspaziergang
        [0.7, 0.0, 0.1, 0.02, 0.18],  # Fortbildung
    ]
)
SIZE_BY_FORMAT = np.array([60, 35, 180, 20, 90, 40, 25, 15])


def events(town: DemoTown, years: list[int], rng: np.random.Generator) -> pd.DataFrame:
    """All events of the town, with ``date`` as numpy dates and counts as floats (NaN = empty)."""
    # more events from year to year as the network grows
    growth = 1.0 + 0.05 * np.arange(len(years))
    counts = np.clip(rng.poisson((20 + 30 * (np.log10(town.population) - 4)) * growth), 20, 80)
    year = np.repeat(np.array(years), counts)
    n = len(year)
    fmt = rng.choice(len(EVENT_FORMATS), size=n, p=[0.22, 0.2, 0.05, 0.18, 0.05, 0.1, 0.1, 0.1])
    day = rng.integers(0, 365, n)
    date = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + day.astype("timedelta64[D]")
    order = np.lexsort((fmt, date))
    year, fmt, date = year[order], fmt[order], date[order]
    participants = np.maximum(3, rng.poisson(SIZE_BY_FORMAT[fmt] * rng.uniform(0.5, 1.5, n)))
    mix = rng.dirichlet(np.ones(5), size=n) * 0.3 + GROUP_MIX[fmt] * 0.7
    groups = rng.multinomial(participants, mix).astype(float)
    recorded = rng.random((n, 5)) < 0.92
    groups = np.where(recorded, groups, np.nan)
    sequence = pd.Series(year).groupby(year).cumcount().to_numpy() + 1
    title_part = np.array(EVENT_TITLE_PARTS)[rng.integers(0, len(EVENT_TITLE_PARTS), n)]
    frame = pd.DataFrame(
        {
            "event_id": np.char.add(
                np.char.add("V", year.astype(str)), np.char.add("-", np.char.zfill(sequence.astype(str), 3))
            ),
            "date": date,
            "format": np.array(EVENT_FORMATS)[fmt],
            "title": np.char.add(np.char.add(np.array(EVENT_FORMATS)[fmt], " "), title_part),
            "participants": participants.astype(float),
            "civil_society": groups[:, 0],
            "politics": groups[:, 1],
            "administration": groups[:, 2],
            "business": groups[:, 3],
            "residents": groups[:, 4],
        }
    )
    # the citizens' dialogue that every demo shows with umlauts
    first_dialogue = np.flatnonzero(fmt == 0)
    if len(first_dialogue):
        frame.loc[first_dialogue[0], "title"] = "Bürgerdialog Süd"
    return frame


def as_text(frame: pd.DataFrame, german_dates: bool) -> pd.DataFrame:
    out = frame.copy()
    out["date"] = pd.to_datetime(out["date"]).dt.strftime("%d.%m.%Y" if german_dates else "%Y-%m-%d")
    for col in EVENT_COLUMNS[4:]:
        values = out[col].to_numpy(dtype=float)
        out[col] = np.where(np.isnan(values), "", np.nan_to_num(values).astype(np.int64).astype(str))
    return out.astype(str)
