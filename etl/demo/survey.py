"""Demo resident survey waves: the responses LimeSurvey stores, exported in the styles towns use.

Answers follow the patterns of the Freiwilligensurvey 2019 so that the indicators look plausible:
about 40 % volunteer, most in the ages 30–49, fewest from 65 on and at 80+, more with higher
education, fewer with a migration background; each town has its own level and trend. The sample is
skewed against the population (older people and women answer more often) so that raking matters.
Everything is drawn column-wise with numpy; no loop runs over respondents.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from etl.demo.limesurvey import ExportStyle
from etl.demo.names import COMMENT_TEMPLATES, FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS
from etl.demo.towns import FEMALE_SHARE_BY_BAND, DemoTown

META_COLUMNS = (
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
ENG3_COLUMNS = tuple(f"ENG3[SQ{i:03d}]" for i in range(1, 15))
ANSWER_COLUMNS = (
    "AGE",
    "GENDER",
    "DISTRICT",
    "EDU",
    "MIG",
    "ENG1",
    "ENG2",
    *ENG3_COLUMNS,
    "WILL",
    "PART",
    "EASE",
    "INFO",
    "RECOG",
    "KNOW",
    "COMMENT",
)
# Questionnaire pages: an incomplete response stops after page ``lastpage``.
PAGES = (
    ("AGE", "GENDER", "DISTRICT", "EDU", "MIG"),
    ("ENG1", "ENG2", *ENG3_COLUMNS, "WILL"),
    ("PART", "EASE", "INFO", "RECOG", "KNOW"),
    ("COMMENT",),
)

# How the towns export their residents' survey from LimeSurvey (etl.demo roles): the town with its own
# questionnaire as code & text with Y/N as 1/2 and semicolons; the others one style per wave, starting with
# LimeSurvey's defaults (full question texts, full answers).
OWN_STYLE = ExportStyle("codetext", "short", ";", yn=("1", "2"))
STYLES = (
    ExportStyle("full", "long", ","),
    ExportStyle("em", "short", "\t", yn=("1", "2")),
    ExportStyle("codetext", "long", ";", language="en"),
    ExportStyle("full", "short", ";"),
    ExportStyle("code", "long", "\t"),
)

# A town with its own questionnaire (mapped back in the manifest's [sources.codes]).
OWN_CODES = {
    "AGE": "ALTER",
    "GENDER": "GESCHL",
    "DISTRICT": "STADTTEIL",
    "EDU": "BILDUNG",
    "MIG": "MIGHG",
    "ENG1": "ENGAGIERT",
    "ENG2": "STUNDEN",
    "ENG3": "BEREICH",
    "WILL": "BEREIT",
    "PART": "BETEILIGT",
    "EASE": "EINFACH",
    "INFO": "INFORMIERT",
    "RECOG": "ANERKANNT",
    "KNOW": "KOORD",
}

# Sample skew: relative response propensity of the adult bands 14-29, 30-49, 50-64, 65+.
RESPONSE_PROPENSITY = np.array([0.65, 0.95, 1.25, 1.15])
# Effects on the logit of volunteering (Freiwilligensurvey 2019 pattern).
BASE_LOGIT = -0.2
AGE_EFFECT = np.array([0.05, 0.18, 0.0, -0.35])
OVER_80_EFFECT = -0.6
EDU_EFFECT = np.array([-0.6, -0.1, 0.4])
MIG_EFFECT = -0.35
EDU_BY_BAND = np.array([[0.2, 0.4, 0.4], [0.15, 0.4, 0.45], [0.25, 0.45, 0.3], [0.4, 0.4, 0.2]])
MIG_BY_BAND = np.array([0.32, 0.30, 0.20, 0.12])
WILL_BY_BAND = np.array([[0.22, 0.5, 0.28], [0.15, 0.47, 0.38], [0.1, 0.42, 0.48], [0.06, 0.3, 0.64]])
# Share of the engaged naming each area SQ001…SQ014 (order of names.ENGAGEMENT_AREAS).
AREA_SHARES = np.array([0.34, 0.21, 0.15, 0.21, 0.06, 0.20, 0.08, 0.10, 0.085, 0.055, 0.17, 0.015, 0.065, 0.05])


def wave_size(town: DemoTown, rng: np.random.Generator) -> int:
    """300 respondents in a town of 10,000, about 800 in one of 250,000."""
    scale = (np.log10(town.population) - 4.0) / (np.log10(260_000) - 4.0)
    return int(np.clip((300 + 500 * scale) * rng.uniform(0.9, 1.1), 250, 850))


def _choose(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category index per row of ``probs`` (rows sum to 1), vectorised."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs))[:, None]
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def _likert(rng: np.random.Generator, latent: np.ndarray) -> np.ndarray:
    """Answers 1–5 from a latent agreement score (0 ≈ neutral)."""
    noisy = latent + rng.logistic(0.0, 0.9, size=len(latent))
    return np.digitize(noisy, [-2.2, -0.9, 0.0, 1.6]) + 1


def _yn(flags: np.ndarray) -> np.ndarray:
    return np.where(flags, "Y", "N")


def _blank(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Shown but not answered: LimeSurvey stores ""."""
    out = values.astype(object)
    out[mask] = ""
    return out


def _null(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Not shown (filtered out, or a page never reached): LimeSurvey stores NULL."""
    out = values.astype(object)
    out[mask] = None
    return out


def _timestamps(base: np.datetime64, seconds: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(base + seconds.astype("timedelta64[s]"), unit="s")
    return np.char.replace(text, "T", " ")


def _tokens(rng: np.random.Generator, n: int, length: int = 15) -> np.ndarray:
    alphabet = np.frombuffer(b"abcdefghijkmnpqrstuvwxyz23456789ABCDEFGHJKLMNPQRSTUVWXYZ", dtype=np.uint8)
    codes = alphabet[rng.integers(0, len(alphabet), size=(n, length))]
    return np.ascontiguousarray(codes).view(f"S{length}").ravel().astype(str)


def personal_text(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Fake first and last names, e-mail addresses and phone numbers (reserved domains only)."""
    first = np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES)[rng.integers(0, len(LAST_NAMES), n)]
    domain = np.array(MAIL_DOMAINS)[rng.integers(0, len(MAIL_DOMAINS), n)]
    local = np.char.add(np.char.add(np.char.lower(first), "."), np.char.lower(last))
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ı", "i"), ("ş", "s")):
        local = np.char.replace(local, umlaut, plain)
    mail = _concat(local, rng.integers(1, 999, n).astype(str), "@", domain)
    phone = _concat("0", rng.integers(151, 179, n).astype(str), " ", rng.integers(1_000_000, 9_999_999, n).astype(str))
    return {"first": first, "last": last, "mail": mail, "phone": phone}


def _concat(*parts: str | np.ndarray) -> np.ndarray:
    """Element-wise string concatenation of arrays and constants (numpy, no loop over rows)."""
    out = np.asarray(parts[0])
    for part in parts[1:]:
        out = np.char.add(out, part)
    return out


def _fill(template: str, values: dict[str, np.ndarray]) -> np.ndarray:
    """``template`` with each ``{key}`` replaced by the row's value of ``values[key]``."""
    pieces = re.split(r"\{(\w+)\}", template)  # literal, key, literal, key, …, literal
    return _concat(*[values[piece] if k % 2 else piece for k, piece in enumerate(pieces)])


def _comments(rng: np.random.Generator, n: int, share: float = 0.07) -> np.ndarray:
    """Free-text answers for a few respondents, many naming people, e-mails or phone numbers."""
    out = np.full(n, "", dtype=object)
    rows = np.flatnonzero(rng.random(n) < share)
    if not len(rows):  # numpy's string functions refuse empty arrays
        return out
    people = personal_text(rng, len(rows))
    template = rng.integers(0, len(COMMENT_TEMPLATES), len(rows))
    for k, text in enumerate(COMMENT_TEMPLATES):  # a loop over the templates, not over rows
        chosen = template == k
        if chosen.any():
            out[rows[chosen]] = _fill(text, {key: v[chosen] for key, v in people.items()})
    return out


def simulate_wave(
    town: DemoTown,
    year: int,
    first_year: int,
    rng: np.random.Generator,
    first_id: int = 1,
    n: int | None = None,
) -> pd.DataFrame:
    """One survey wave as the export's string columns (canonical question codes)."""
    n = wave_size(town, rng) if n is None else n
    ages = np.array(town.age_shares[1:])
    band_p = ages * RESPONSE_PROPENSITY
    band = rng.choice(4, size=n, p=band_p / band_p.sum())
    low = np.array([14, 30, 50, 65])[band]
    high = np.array([29, 49, 64, 65])[band]
    age = rng.integers(low, high + 1)
    age = np.where(band == 3, 65 + np.minimum(rng.exponential(9.0, n).astype(int), 30), age)
    under_14 = rng.random(n) < 0.006
    age = np.where(under_14, rng.integers(10, 14, n), age)

    female_p = np.clip(FEMALE_SHARE_BY_BAND[1:][band] + 0.06, 0, 1)
    g_idx = _choose(
        rng, np.column_stack([female_p * 0.975, (1 - female_p) * 0.975, np.full(n, 0.01), np.full(n, 0.015)])
    )
    gender = np.array(["w", "m", "d", ""])[g_idx]
    district = np.array(town.districts)[rng.choice(len(town.districts), size=n, p=town.district_shares)]
    edu = _choose(rng, EDU_BY_BAND[band]) + 1
    mig = rng.random(n) < MIG_BY_BAND[band]

    t = year - first_year
    logit = (
        BASE_LOGIT
        + town.engagement_logit
        + town.engagement_trend * t
        + AGE_EFFECT[band]
        + np.where(age >= 80, OVER_80_EFFECT, 0.0)
        + EDU_EFFECT[edu - 1]
        + np.where(mig, MIG_EFFECT, 0.0)
    )
    engaged = rng.random(n) < 1.0 / (1.0 + np.exp(-logit))
    hours = np.clip(np.round(rng.lognormal(np.log(7.0), 0.8, n) * 2) / 2, 0.5, 80)
    areas = rng.random((n, 14)) < AREA_SHARES[None, :]
    none = ~areas.any(axis=1)
    fallback = rng.choice(14, size=n, p=AREA_SHARES / AREA_SHARES.sum())
    areas[np.flatnonzero(none), fallback[none]] = True
    areas &= engaged[:, None]
    will = _choose(rng, WILL_BY_BAND[band]) + 1
    part = rng.random(n) < 0.12 + 0.12 * engaged + 0.04 * (edu == 3)
    climate = town.engagement_logit + 0.04 * t
    ease = _likert(rng, 0.1 + climate + 0.5 * engaged)
    info = _likert(rng, -0.2 + 0.08 * t + 0.6 * engaged)
    recog = _likert(rng, 0.3 + climate + 0.3 * engaged)
    know = rng.random(n) < np.clip(0.18 + 0.03 * t + 0.2 * engaged, 0, 0.9)

    def missing(p: float) -> np.ndarray:
        return rng.random(n) < p

    # "" = shown but not answered (a box shown but not ticked); None = NULL, the question was not shown:
    # its filter (ENG1) excluded it, or the respondent never reached its page
    eng1 = _blank(_yn(engaged), missing(0.01))
    yes, no = eng1 == "Y", eng1 == "N"
    cols: dict[str, np.ndarray] = {
        "AGE": age.astype(str),
        "GENDER": gender,
        "DISTRICT": _blank(district, missing(0.03)),
        "EDU": _blank(edu.astype(str), missing(0.02)),
        "MIG": _blank(_yn(mig), missing(0.02)),
        "ENG1": eng1,
        "ENG2": _null(_blank(np.char.mod("%g", hours), missing(0.04)), ~yes),
    }
    for k, name in enumerate(ENG3_COLUMNS):
        cols[name] = _null(np.where(areas[:, k], "Y", ""), ~yes)
    cols.update(
        {
            "WILL": _null(_blank(will.astype(str), missing(0.04)), ~no),
            "PART": _blank(_yn(part), missing(0.02)),
            "EASE": _blank(ease.astype(str), missing(0.03)),
            "INFO": _blank(info.astype(str), missing(0.03)),
            "RECOG": _blank(recog.astype(str), missing(0.03)),
            "KNOW": _blank(_yn(know), missing(0.02)),
            "COMMENT": _comments(rng, n),
        }
    )
    # Incomplete responses (~5 %): no submitdate, the answers of the pages after the last one seen are NULL.
    incomplete = rng.random(n) < 0.05
    lastpage = np.where(incomplete, rng.integers(0, 4, n), len(PAGES))
    for page, names in enumerate(PAGES, start=1):
        cut = lastpage < page
        for name in names:
            cols[name] = _null(np.asarray(cols[name], dtype=object), cut)

    # fieldwork: ten weeks from mid-April, answers between 7:00 and 23:00; ids follow the start time
    start_s = np.sort(rng.integers(0, 70, n) * 86400 + rng.integers(7 * 3600, 23 * 3600, n))
    duration = rng.integers(240, 1500, n)
    base = np.datetime64(f"{year}-04-15T00:00:00")
    start = _timestamps(base, start_s)
    submit = _timestamps(base, start_s + duration)
    datestamp = np.where(incomplete, _timestamps(base, start_s + duration // 3), submit)
    ids = first_id + np.cumsum(1 + (rng.random(n) < 0.03)) - 1
    meta = {
        "id": ids.astype(str),
        "submitdate": _null(submit, incomplete),
        "lastpage": lastpage.astype(str),
        "startlanguage": np.where(rng.random(n) < 0.03, "en", "de"),
        "seed": rng.integers(10_000_000, 2_147_483_647, n).astype(str),
        "startdate": start,
        "datestamp": datestamp,
        "ipaddr": np.char.add(
            np.array(["192.0.2.", "198.51.100.", "203.0.113."])[rng.integers(0, 3, n)],
            rng.integers(1, 255, n).astype(str),
        ),
        "refurl": np.where(rng.random(n) < 0.4, f"https://www.{town.slug}.example/mitmachen", ""),
        "token": _tokens(rng, n),  # written only where the survey is not anonymous (a participant table)
    }
    return pd.DataFrame({**meta, **{name: cols[name] for name in ANSWER_COLUMNS}}, dtype=object)


def add_dirt(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Three bad rows: an age of 150, an education code 4 and a duplicated LimeSurvey id."""
    frame = frame.copy()
    complete = np.flatnonzero(frame["submitdate"].notna().to_numpy())
    a, b, c = rng.choice(complete, size=3, replace=False)
    frame.loc[frame.index[a], "AGE"] = "150"
    frame.loc[frame.index[b], "EDU"] = "4"
    duplicate = frame.iloc[[c]]
    return pd.concat([frame.iloc[: c + 1], duplicate, frame.iloc[c + 1 :]], ignore_index=True)


def rename_to_own_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Headers of a town questionnaire with its own question codes (subquestion codes kept)."""
    mapping = {}
    for column in frame.columns:
        stem, _, rest = column.partition("[")
        if stem in OWN_CODES:
            mapping[column] = OWN_CODES[stem] + ("[" + rest if rest else "")
    return frame.rename(columns=mapping)
