"""Demo organisations list and partner survey (Akteursbefragung) waves of one town.

The network is drawn from a latent model: ties are likelier within a sector than across, the
coordination office and the mayor's office are hubs, and the network densifies a little from wave to
wave. Each responding organisation reports a contact frequency about every other one (with some
disagreement between the two sides, as in real surveys), trust and value ratings for those it knows,
and its agreement with the two statements EYE and HE.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.demo.limesurvey import ExportStyle
from etl.demo.names import ORGANISATIONS
from etl.demo.towns import DemoTown

SECTORS = ("civil_society", "politics", "administration", "business")
# Export styles of the towns with their own partner questionnaire (town 0 exports codes): LimeSurvey's
# defaults first, then the other heading and answer styles.
STYLES = (
    ExportStyle("full", "long", ","),
    ExportStyle("em", "short", ";"),
    ExportStyle("codetext", "long", "\t"),
    ExportStyle("full", "short", ",", language="en"),
)
# Mean agreement (latent) with "Wir arbeiten auf Augenhöhe" by sector: politics and business lower.
EYE_LEVEL = {"civil_society": 0.6, "politics": -0.2, "administration": 0.9, "business": 0.2}


def organisations(town: DemoTown, rng: np.random.Generator) -> pd.DataFrame:
    """20–30 organisations from all four sectors; ORG01 is the coordination office, ORG02 the mayor's office."""
    n = int(rng.integers(20, 31))
    counts = {
        "politics": int(rng.integers(3, 5)),
        "business": int(rng.integers(4, 7)),
        "administration": int(rng.integers(5, 8)),
    }
    counts["civil_society"] = n - sum(counts.values())
    names, sectors = [f"Koordinierungsstelle Engagierte Stadt {town.name}"], ["civil_society"]
    names.append(ORGANISATIONS["administration"][0].format(town=town.name))
    sectors.append("administration")
    counts["civil_society"] -= 1
    counts["administration"] -= 1
    for sector in SECTORS:
        pool = list(ORGANISATIONS[sector][1:] if sector == "administration" else ORGANISATIONS[sector])
        pick = rng.choice(len(pool), size=min(counts[sector], len(pool)), replace=False)
        chosen = [pool[k].format(town=town.name) for k in sorted(pick)]
        while len(chosen) < counts[sector]:  # more than templates: numbered initiatives
            chosen.append(f"Initiative {len(chosen) + 1} ({town.name})")
        names += chosen
        sectors += [sector] * counts[sector]
    return pd.DataFrame({"org_id": [f"ORG{k + 1:02d}" for k in range(n)], "name": names, "sector": sectors})


def _latent_ties(orgs: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Symmetric matrix of tie propensities (higher: more contact)."""
    sector = orgs["sector"].to_numpy()
    n = len(sector)
    same = sector[:, None] == sector[None, :]
    hub = np.zeros(n)
    hub[:2] = 1.6  # coordination office and mayor's office
    activity = rng.normal(0.0, 0.5, n) + hub
    score = rng.normal(0.0, 1.0, (n, n))
    score = (score + score.T) / 2 + 0.9 * same + activity[:, None] + activity[None, :]
    np.fill_diagonal(score, -np.inf)
    return score


# SECTSEL's answer codes (LimeSurvey allows five characters; the equation SECTOR turns them into the words)
SECTOR_CHOICES = {"civil_society": "A1", "politics": "A2", "administration": "A3", "business": "A4"}
QUIT_SHARE = 0.35  # chance that one organisation that did not answer started and stopped before the end


def partner_wave(
    orgs: pd.DataFrame, wave: int, year: int, rng: np.random.Generator, latent: np.ndarray
) -> pd.DataFrame:
    """One wave's responses: meta columns, ORG, SECTSEL, SECTOR, FREQ/TRUST/VALUE[<org_id>], EYE, HE.

    Values as LimeSurvey stores them: ``""`` for a rating shown but skipped, ``None`` (NULL) where the
    question was not shown (an organisation's row about itself, TRUST and VALUE about organisations it has
    no contact with) or its page never reached. Now and then an organisation that did not answer started
    and stopped after the network page: an incomplete response (no ``submitdate``) with ratings but no EYE/HE.
    """
    ids = orgs["org_id"].to_numpy()
    sector = orgs["sector"].to_numpy()
    n = len(ids)
    # true contact level 0–4, densifying a little from wave to wave
    level = latent + 0.07 * wave + rng.normal(0.0, 0.35, (n, n))
    level = (level + level.T) / 2
    freq_true = np.digitize(level, [0.6, 1.85, 2.4, 3.0])
    respond = rng.random(n) < 0.85
    respond[:2] = True
    quitter = np.flatnonzero(~respond)[:1] if rng.random() < QUIT_SHARE else np.array([], dtype=int)
    rows = np.concatenate([np.flatnonzero(respond), quitter])
    incomplete = np.isin(rows, quitter)
    reported = np.clip(freq_true[rows] + rng.choice([-1, 0, 0, 0, 1], size=(len(rows), n)), 0, 4)
    skipped = rng.random((len(rows), n)) < 0.04
    trust = np.clip(np.rint(1.6 + 0.45 * reported + rng.normal(0, 0.6, reported.shape)), 1, 4).astype(int)
    value = np.clip(np.rint(1.5 + 0.5 * reported + rng.normal(0, 0.6, reported.shape)), 1, 4).astype(int)
    knows = reported >= 1
    own = rows[:, None] == np.arange(n)[None, :]

    def cells(values: np.ndarray, shown: np.ndarray) -> np.ndarray:
        out = values.astype(str).astype(object)
        out[skipped] = ""
        out[~shown | own] = None
        return out

    freq_cells = cells(reported, np.ones_like(skipped))
    # TRUST and VALUE are shown about organisations with some contact (FREQ ≥ 1), as the .lss relevance says
    trust_cells = cells(trust, knows & ~skipped)
    value_cells = cells(value, knows & ~skipped)
    value_cells[(rng.random(reported.shape) < 0.05) & knows & ~skipped & ~own] = ""
    eye_latent = np.array([EYE_LEVEL[s] for s in sector[rows]]) + 0.1 * wave
    eye = np.digitize(eye_latent + rng.logistic(0, 0.8, len(rows)), [-2.0, -0.8, 0.2, 1.5]) + 1
    he = np.digitize(0.7 + rng.logistic(0, 0.9, len(rows)), [-2.0, -0.8, 0.2, 1.5]) + 1
    k = len(rows)
    start = np.datetime64(f"{year}-09-01T09:00:00") + (np.sort(rng.integers(0, 40 * 86400, k)).astype("timedelta64[s]"))
    submit = start + rng.integers(600, 2400, k).astype("timedelta64[s]")
    fmt = lambda a: np.char.replace(np.datetime_as_string(a, unit="s"), "T", " ")  # noqa: E731

    def unless_incomplete(values: np.ndarray) -> np.ndarray:
        out = values.astype(object)
        out[incomplete] = None
        return out

    order = np.argsort(start, kind="stable")  # LimeSurvey's ids follow the start of the response
    data: dict[str, object] = {
        "id": np.arange(1, k + 1).astype(str),
        "submitdate": unless_incomplete(fmt(submit)),
        "lastpage": np.where(incomplete, "2", "3"),
        "startlanguage": np.full(k, "de"),
        "seed": rng.integers(10_000_000, 2_147_483_647, k).astype(str),
        "startdate": fmt(start),
        "datestamp": fmt(submit),
        "ORG": ids[rows],
        "SECTSEL": np.array([SECTOR_CHOICES[s] for s in sector[rows]], dtype=object),
        "SECTOR": sector[rows],
    }
    for j, org in enumerate(ids):
        data[f"FREQ[{org}]"] = freq_cells[:, j]
    for j, org in enumerate(ids):
        data[f"TRUST[{org}]"] = trust_cells[:, j]
    for j, org in enumerate(ids):
        data[f"VALUE[{org}]"] = value_cells[:, j]
    data["EYE"] = unless_incomplete(eye.astype(str))
    data["HE"] = unless_incomplete(he.astype(str))
    frame = pd.DataFrame(data, dtype=object).iloc[order].reset_index(drop=True)
    frame["id"] = np.arange(1, k + 1).astype(str)
    return frame


def add_partner_dirt(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """An answer by an organisation missing from the list (ORG99), a column about one (ORG98),
    and a respondent whose SECTOR disagrees with the list (the list wins)."""
    frame = frame.copy()
    frame.insert(frame.columns.get_loc("TRUST[ORG01]"), "FREQ[ORG98]", None)
    frame.loc[frame.index[: min(4, len(frame))], "FREQ[ORG98]"] = "2"
    extra = frame[frame["submitdate"].notna()].iloc[[-1]].copy()
    extra["id"] = str(int(frame["id"].astype(int).max()) + 1)
    extra["ORG"] = "ORG99"
    extra["SECTOR"] = "business"
    frame = pd.concat([frame, extra], ignore_index=True)
    row = int(rng.integers(2, len(frame) - 1))
    frame.loc[row, "SECTOR"] = "business" if frame.loc[row, "SECTOR"] != "business" else "politics"
    return frame
