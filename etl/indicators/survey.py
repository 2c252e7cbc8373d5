"""Resident-survey indicators (brief §5.1, §5.2): raking weights, weighted rates with Wilson intervals.

Only complete responses of respondents aged at least ``survey_min_age`` count. They are raked to the
town's population aged 14+ so that an over-represented group (typically older women) does not decide the
rate; the weights are written back into the clean responses because researchers recompute from them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.indicators.catalogue import BY_ID
from etl.indicators.participation_common import (
    GENDERS,
    age_band,
    finish_values,
    known,
    population_14plus,
    population_year,
    source_files,
)
from etl.indicators.stats import grouped_weighted_median, kish_n_eff, rake, wilson_interval
from etl.indicators.values import empty_values
from etl.model import CleanData
from etl.readers.canonical import ADULT_BANDS
from etl.tables import ENG3_AREAS

KEYS = ["town_ags", "year"]
TABLE = "stg_survey_responses"
# Columns a respondent can be grouped by; labels are the stored codes as text.
GROUP_COLUMNS = ("age_band", "gender", "district", "edu", "mig")


def counted_mask(responses: pd.DataFrame) -> pd.Series:
    """Responses that enter the indicators: complete and not below the survey's minimum age (§4)."""
    complete = responses["complete"].fillna(False).astype(bool)
    below = responses["below_min_age"].fillna(False).astype(bool)
    return complete & ~below


def _band_of(responses: pd.DataFrame) -> pd.Series:
    """The respondent's age band: the stored one, else derived from the age."""
    if "age_band" not in responses.columns:
        return age_band(responses["age"])
    stored = known(responses["age_band"])
    # derived only where no band is stored (a few per cent of the rows): the fill aligns on the index
    return stored.fillna(age_band(responses.loc[stored.isna().to_numpy(), "age"]))


# Why a town-year's survey stays unweighted (``unweighted_reason`` of mart_indicator_values; None where weighted).
# In the order checked: the first that applies is the reason.
NO_POPULATION = "no_population"  # no population of the survey year nor of an earlier year (none, or left out)
POPULATION_ZERO = "population_zero"  # the population year used counts nobody aged 14+ (every age/gender cell 0)
NO_RAKING_RESPONDENTS = "no_raking_respondents"  # no counted respondent with gender w/m and an age band of 14+
NO_FINITE_WEIGHTS = "no_finite_weights"  # the respondents cannot represent the population's age/gender shares
UNWEIGHTED_REASONS = (NO_POPULATION, POPULATION_ZERO, NO_RAKING_RESPONDENTS, NO_FINITE_WEIGHTS)


def survey_weights(responses: pd.DataFrame, population: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Raking weights of §5.1 for every response: (weight, weighted), aligned with ``responses``.

    See :func:`survey_weighting`, which also gives why a town-year stays unweighted.
    """
    weight, weighted, _ = survey_weighting(responses, population)
    return weight, weighted


def survey_weighting(responses: pd.DataFrame, population: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Raking weights of §5.1 for every response: (weight, weighted, reason), aligned with ``responses``.

    Per town and survey year, respondents with gender w/m and an age band of 14+ are raked on the age-band
    and gender margins of the population aged 14+ of that year (else the latest earlier year); the targets
    are the population shares times the number of these respondents. A margin category without any
    respondent cannot be reached, so its share is spread proportionally over the other categories of that
    margin (otherwise raking could never converge). Respondents with gender d or none (and, with a minimum
    age below 14, those under 14) keep weight 1. Finally the weights of a town-year are scaled to mean 1.
    ``weight`` is NaN for responses that are not counted; ``weighted`` is False for the town-years that
    have no usable population (all weights 1); ``reason`` (object) is then why, one of
    :data:`UNWEIGHTED_REASONS` (the first that applies), and None for weighted town-years and for responses of
    town-years without any counted response.
    """
    weight = pd.Series(np.nan, index=responses.index, dtype="float64")
    weighted = pd.Series(False, index=responses.index, dtype="bool")
    reason = pd.Series(None, index=responses.index, dtype="object")
    counted = counted_mask(responses)
    if not counted.any():
        return weight, weighted, reason
    resp = pd.DataFrame(
        {
            "town_ags": responses.loc[counted, "town_ags"].astype(object),
            "year": pd.to_numeric(responses.loc[counted, "year"]).astype("int64"),
            "band": _band_of(responses.loc[counted, [c for c in ("age_band", "age") if c in responses.columns]]),
            "gender": known(responses.loc[counted, "gender"]),
        }
    )
    resp["g"] = resp.groupby(KEYS, sort=True).ngroup()
    groups = resp.drop_duplicates("g").sort_values("g")[["g", *KEYS]].reset_index(drop=True)
    n_groups = len(groups)
    # a respondent's margin categories as positions (−1: none of them, not raked)
    band_idx = pd.Index(ADULT_BANDS, dtype=object).get_indexer(resp["band"].astype(object)).astype(int)
    gender_idx = pd.Index(GENDERS, dtype=object).get_indexer(resp["gender"].astype(object)).astype(int)
    rk = (band_idx >= 0) & (gender_idx >= 0)
    nb, ng = len(ADULT_BANDS), len(GENDERS)
    raked_g = resp["g"].to_numpy()[rk]
    flat = raked_g * nb * ng + band_idx[rk] * ng + gender_idx[rk]
    counts = np.bincount(flat, minlength=n_groups * nb * ng).reshape(n_groups, nb, ng).astype(float)

    # Population margins of the matching year, town totals only.
    totals = population[population["district"] == ""] if not population.empty else population
    groups["pop_year"] = population_year(groups, totals)
    pop_band = np.zeros((n_groups, nb))
    pop_gender = np.zeros((n_groups, ng))
    with_pop = groups.dropna(subset=["pop_year"])
    if not with_pop.empty:
        cells = totals.groupby(["ags", "year", "age_band", "gender"], observed=True)["count"].sum().reset_index()
        cells = cells.rename(columns={"ags": "town_ags", "year": "pop_year"})
        cells["town_ags"] = cells["town_ags"].astype(object)
        merged = (
            with_pop[["g", "town_ags", "pop_year"]]
            .astype({"pop_year": "int64"})
            .merge(cells, on=["town_ags", "pop_year"])
        )
        b = merged["age_band"].map({x: i for i, x in enumerate(ADULT_BANDS)})
        s = merged["gender"].map({x: i for i, x in enumerate(GENDERS)})
        ok = b.notna() & s.notna()
        np.add.at(pop_band, (merged.loc[ok, "g"].to_numpy(), b[ok].astype(int).to_numpy()), merged.loc[ok, "count"])
        np.add.at(pop_gender, (merged.loc[ok, "g"].to_numpy(), s[ok].astype(int).to_numpy()), merged.loc[ok, "count"])

    n_raked = counts.sum(axis=(1, 2))
    band_reach = pop_band * (counts.sum(axis=2) > 0)
    gender_reach = pop_gender * (counts.sum(axis=1) > 0)
    band_tot = band_reach.sum(axis=1)
    gender_tot = gender_reach.sum(axis=1)
    usable = (n_raked > 0) & (band_tot > 0) & (gender_tot > 0)
    safe = np.where(usable, 1.0, 0.0)
    row_targets = band_reach / np.where(band_tot > 0, band_tot, 1.0)[:, None] * (n_raked * safe)[:, None]
    col_targets = gender_reach / np.where(gender_tot > 0, gender_tot, 1.0)[:, None] * (n_raked * safe)[:, None]
    with np.errstate(over="ignore", invalid="ignore"):
        result = rake(counts, row_targets, col_targets)
    # targets the respondents cannot reach (a margin with people but a population of almost none, beside one of
    # many) make the factors grow without bound: such a town-year stays unweighted, and says so, rather than
    # giving weights of infinity and rates without an interval
    usable &= np.isfinite(result.cell_weights).all(axis=(1, 2))
    cell_w = np.where(usable[:, None, None], result.cell_weights, 1.0)
    # why not usable, in the order of the conditions above: a population, persons in it, respondents to rake;
    # what is left (the respondents only where the population has nobody, or targets they cannot reach) is
    # raking that gives no finite weights
    why = np.select(
        [
            groups["pop_year"].isna().to_numpy(dtype=bool),
            pop_band.sum(axis=1) <= 0,
            n_raked <= 0,
        ],
        [NO_POPULATION, POPULATION_ZERO, NO_RAKING_RESPONDENTS],
        default=NO_FINITE_WEIGHTS,
    ).astype(object)
    why[usable] = None

    w = np.ones(len(resp))
    w[rk] = cell_w[raked_g, band_idx[rk], gender_idx[rk]]
    w_series = pd.Series(w, index=resp.index)
    w_series = w_series / w_series.groupby(resp["g"]).transform("mean")
    weight.loc[resp.index] = w_series
    flag_by_key = groups.assign(flag=usable).set_index(KEYS)["flag"]
    all_keys = pd.MultiIndex.from_arrays(
        [responses["town_ags"].astype(object), pd.to_numeric(responses["year"]).astype("int64")]
    )
    weighted[:] = flag_by_key.reindex(all_keys).fillna(False).astype(bool).to_numpy()
    why_by_key = pd.Series(why, index=flag_by_key.index, dtype="object")
    reason[:] = why_by_key.reindex(all_keys).to_numpy()
    reason = reason.where(reason.notna(), None)
    return weight, weighted, reason


ANSWER_COLUMNS = {
    "town_ags",
    "year",
    "weight",
    "age",
    "age_band",
    *GROUP_COLUMNS,
    "eng1",
    "eng2",
    "will",
    "part",
    "ease",
    "info",
    "recog",
    "know",
    *(f"eng3_{a}" for a in ENG3_AREAS),
}


def town_year_codes(frame: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """An integer code per (town_ags, year) of the rows, and the table of codes ``g`` → town_ags, year.

    The codes follow the (town, year) pairs in sorted order. The pair is one integer (town code × year span +
    year offset, which sorts as the pair does), so a one-dimensional unique finds them: ``np.unique`` over rows
    of a two-column array sorts them as structured records, many times slower at network scale.
    """
    town_codes, towns = pd.factorize(frame["town_ags"], sort=True)
    years = pd.to_numeric(frame["year"]).astype("int64").to_numpy()
    if not len(years):
        keys = pd.DataFrame({"town_ags": np.array([], dtype=object), "year": years, "g": np.arange(0)})
        return np.zeros(0, dtype=np.intp), keys
    first = int(years.min())
    span = int(years.max()) - first + 1
    pairs, codes = np.unique(town_codes.astype("int64") * span + (years - first), return_inverse=True)
    keys = pd.DataFrame(
        {
            "town_ags": np.asarray(towns, dtype=object)[pairs // span],
            "year": pairs % span + first,
            "g": np.arange(len(pairs)),
        }
    )
    return codes.reshape(-1), keys


def _respondents(responses: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counted responses with weight, answers and breakdown labels, keyed by an integer town-year code ``g``.

    Grouping on one integer code and categorical labels instead of text columns keeps the many groupbys
    of the survey indicators fast at network scale. Returns (respondents, town-years by ``g``).
    """
    needed = [c for c in responses.columns if c in ANSWER_COLUMNS]
    counted = responses.loc[responses["weight"].notna(), needed]
    codes, keys = town_year_codes(counted)
    resp = pd.DataFrame({"g": codes, "w": counted["weight"].astype(float).to_numpy()}, index=counted.index)
    resp["age_band"] = _band_of(counted).astype("category")
    for col in GROUP_COLUMNS[1:]:
        resp[col] = known(counted[col]).astype("category")
    for col in ("eng1", "part", "know"):
        resp[col] = known(counted[col]).str.upper()
    for col in ("will", "ease", "info", "recog", "eng2"):
        resp[col] = pd.to_numeric(counted[col], errors="coerce")
    for area in ENG3_AREAS:
        col = f"eng3_{area}"
        resp[col] = counted[col].fillna(False).astype(bool) if col in counted.columns else False
    return resp, keys


def _finish_rates(rows: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Value Σw·x/Σw and Wilson interval on Kish n_eff from the summed columns sw, swx, sw2."""
    rows = rows.loc[rows["sw"] > 0].copy()
    rows["value"] = np.clip(rows["swx"] / rows["sw"], 0.0, 1.0)
    n_eff = kish_n_eff(rows["sw"].to_numpy(), rows["sw2"].to_numpy())
    rows["ci_low"], rows["ci_high"] = wilson_interval(rows["value"].to_numpy(), n_eff)
    rows["indicator"] = indicator
    return rows.drop(columns=["sw", "swx", "sw2"])


def rate_answers(resp: pd.DataFrame) -> dict[str, tuple[pd.Series, pd.Series]]:
    """Per survey rate of §5.2: (valid answer, success) masks over the respondents."""
    eng1, will = resp["eng1"], resp["will"]
    answers = {
        "engagement_rate": (eng1.isin(["Y", "N"]), eng1 == "Y"),
        "willingness_rate": ((eng1 == "N") & will.isin([1, 2, 3]), will.isin([1, 2])),
        "participation_rate": (resp["part"].isin(["Y", "N"]), resp["part"] == "Y"),
        "office_awareness": (resp["know"].isin(["Y", "N"]), resp["know"] == "Y"),
    }
    for ind, col in (("ease_agree", "ease"), ("info_agree", "info"), ("recognition_agree", "recog")):
        answers[ind] = (resp[col].isin([1, 2, 3, 4, 5]), resp[col] >= 4)
    return answers


def _rate_rows(resp: pd.DataFrame, answers: dict[str, tuple[pd.Series, pd.Series]]) -> pd.DataFrame:
    """Weighted shares with n and interval for every rate, town-year total and breakdown group (§5.1).

    All rates are summed in one groupby per breakdown (columns Σw, Σw·x, Σw², n per indicator), then
    reshaped long; each indicator keeps only the breakdowns its catalogue entry lists.
    """
    w = resp["w"].to_numpy()
    names = list(answers)
    k = len(names)
    valid = np.vstack([answers[i][0].fillna(False).to_numpy(dtype=bool) for i in names])  # indicator × respondent
    success = np.vstack([answers[i][1].fillna(False).to_numpy(dtype=bool) for i in names]) & valid
    # one float block (sw, swx, sw2, n per indicator), laid out column by column as pandas keeps a block, filled
    # in place and taken as it is: grouping it never copies, transposes or re-stacks the ~90 MB
    block = np.empty((4 * k, len(w)))
    np.multiply(valid, w, out=block[:k])
    np.multiply(success, w, out=block[k : 2 * k])
    np.multiply(valid, w * w, out=block[2 * k : 3 * k])
    block[3 * k :] = valid
    stats = ("sw", "swx", "sw2", "n")
    wide = pd.DataFrame(block.T, index=resp.index, columns=[f"{s}|{i}" for s in stats for i in names], copy=False)
    parts = []
    for b in ("", *GROUP_COLUMNS):
        wanted = [ind for ind in names if b == "" or b in BY_ID[ind].breakdowns]
        if not wanted:
            continue
        by = [resp["g"], resp[b]] if b else [resp["g"]]
        agg = wide.groupby(by, observed=True, dropna=True).sum()
        index = agg.index.to_frame(index=False)
        for ind in wanted:
            long = pd.DataFrame({s: agg[f"{s}|{ind}"].to_numpy() for s in stats})
            long["g"] = index["g"].to_numpy()
            long["indicator"], long["breakdown"] = ind, b
            long["group"] = index[b].astype(object).to_numpy() if b else ""
            parts.append(long.loc[long["n"] > 0])
    rows = pd.concat(parts, ignore_index=True)
    indicators = rows.pop("indicator")
    out = _finish_rates(rows, "")
    out["indicator"] = indicators.loc[out.index].astype(object)
    return out


def _area_rows(resp: pd.DataFrame) -> pd.DataFrame:
    """engagement_area_share: per area SQ001…SQ014, the weighted share of engaged respondents naming it.

    All 14 areas share the denominator (the engaged), so one groupby sums w·x for every area at once.
    """
    engaged = resp.loc[resp["eng1"] == "Y"]
    if engaged.empty:
        return pd.DataFrame()
    w = engaged["w"].to_numpy()
    named = engaged[[f"eng3_{a}" for a in ENG3_AREAS]].to_numpy(dtype=float)
    sums = pd.DataFrame(named * w[:, None], columns=[a.upper() for a in ENG3_AREAS])
    sums["g"], sums["sw"], sums["sw2"], sums["n"] = engaged["g"].to_numpy(), w, w * w, 1
    agg = sums.groupby("g").sum().reset_index()
    long = agg.melt(id_vars=["g", "sw", "sw2", "n"], var_name="group", value_name="swx")
    long["breakdown"] = "area"
    return _finish_rates(long, "engagement_area_share")


def _median_rows(resp: pd.DataFrame) -> pd.DataFrame:
    """hours_per_month: weighted median of ENG2 among the engaged who answered it."""
    data = resp.loc[(resp["eng1"] == "Y") & resp["eng2"].notna()]
    if data.empty:
        return pd.DataFrame()
    med = grouped_weighted_median(data, ["g"], "eng2", "w").rename(columns={"median": "value"})
    med["indicator"] = "hours_per_month"
    return med


def survey_values(clean: CleanData) -> pd.DataFrame:
    """Every §5.2 indicator per town and survey year (long value frame); stores the weights (§5.1).

    Side effect by design: ``clean.frames["stg_survey_responses"]`` gets ``weight`` and ``weighted`` so
    the warehouse keeps them with the clean responses for researchers.
    """
    responses = clean.get(TABLE)
    if responses is None:
        return empty_values()
    weight, weighted, reason = survey_weighting(responses, population_14plus(clean))
    responses = responses.assign(weight=weight, weighted=weighted)
    clean.frames[TABLE] = responses
    if responses["weight"].notna().sum() == 0:
        return empty_values()
    resp, keys = _respondents(responses)

    parts = [_rate_rows(resp, rate_answers(resp))]
    parts += [_median_rows(resp), _area_rows(resp)]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return empty_values()
    rows = pd.concat(parts, ignore_index=True)

    provenance = [c for c in ("weighted", "source_file") if c in responses.columns]
    counted = responses.loc[responses["weight"].notna(), provenance].assign(g=resp["g"].to_numpy())
    flags = counted.groupby("g")["weighted"].first()
    keys["weighted"] = keys["g"].map(flags).fillna(False).astype(bool)
    # one reason per town-year (None where weighted: first() skips the Nones and leaves such a group out)
    reasons = reason[responses["weight"].notna()].groupby(counted["g"].to_numpy()).first()
    keys["unweighted_reason"] = keys["g"].map(reasons).astype(object)
    keys["unweighted_reason"] = keys["unweighted_reason"].where(keys["unweighted_reason"].notna(), None)
    files = source_files(counted, ["g"], clean.source_files.get("resident_survey", []))
    keys = keys.merge(files, on="g", how="left")
    return finish_values(rows.merge(keys, on="g").drop(columns=["g"]))
