"""Why survey rates are unweighted, worded from the stored reasons (brief §5.1).

The ETL stores with every survey rate whether it is weighted (``weighted``) and, where not, why
(``unweighted_reason``, one per town-year: see :data:`etl.indicators.survey.UNWEIGHTED_REASONS`). The pages
name the reason that applies; a frame over several years with different reasons names each with its years,
and a run written before the reason was stored (NULL) names both possible causes, as the notice always did.
Nothing is recomputed here: the words follow the stored codes.
"""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import t

MAX_TOWNS = 5  # towns named per reason in the network view's notice, then "and N more"
UNKNOWN = "unknown"  # weighted False without a stored reason (a run of an older version)
# the stored codes this version words; any other (a newer ETL's) reads as UNKNOWN
REASONS = ("no_population", "population_zero", "no_raking_respondents", "no_finite_weights")


def unweighted_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` whose value was computed without weights (``weighted`` False)."""
    if "weighted" not in frame.columns or frame.empty:
        return frame.iloc[0:0]
    w = frame["weighted"].astype("boolean")
    return frame[(w == False).fillna(False).to_numpy(dtype=bool)]  # noqa: E712 - nullable boolean comparison


def _code(stored: object) -> str:
    """A stored reason as this version words it: its code, or UNKNOWN (NULL, or a code it does not know)."""
    return str(stored) if isinstance(stored, str) and stored in REASONS else UNKNOWN


def reasons(frame: pd.DataFrame) -> dict[str, list[int]]:
    """The reasons of the unweighted rows of ``frame`` with their years (ascending; empty list without a
    ``year`` column), in the order of :data:`REASONS` (UNKNOWN last)."""
    rows = unweighted_rows(frame)
    if rows.empty:
        return {}
    stored = rows["unweighted_reason"] if "unweighted_reason" in rows.columns else pd.Series(None, index=rows.index)
    codes = [_code(c) for c in stored.astype(object)]
    years = rows["year"].astype("int64").tolist() if "year" in rows.columns else [None] * len(rows)
    found: dict[str, set[int]] = {}
    for code, year in zip(codes, years, strict=True):
        found.setdefault(code, set())
        if year is not None:
            found[code].add(int(year))
    order = [*REASONS, UNKNOWN]
    return {code: sorted(found[code]) for code in order if code in found}


def reason_text(code: str, lang: str) -> str:
    """The words of one reason (a stored code or UNKNOWN), to go inside the notice's parentheses."""
    return t(f"weighting.{code if code in REASONS else UNKNOWN}", lang)


def reason_words(frame: pd.DataFrame, lang: str) -> str:
    """The reasons of the unweighted rows of ``frame`` worded, '; '-joined (one for one town-year)."""
    return "; ".join(reason_text(code, lang) for code in reasons(frame))


def _years(years: list[int]) -> str:
    return ", ".join(str(y) for y in years)


def notice(frame: pd.DataFrame, lang: str) -> str | None:
    """The page's notice that (and why) the town's survey rates in ``frame`` are unweighted; None when all
    are weighted (or not survey rates).

    One reason: that reason; over several years of which only some are unweighted, with those years. Several
    reasons (different years): each with its years."""
    found = reasons(frame)
    if not found:
        return None
    if len(found) == 1:
        ((code, years),) = found.items()
        all_years = sorted({int(y) for y in frame["year"]}) if "year" in frame.columns else []
        which = f" ({_years(years)})" if years and years != all_years else ""
        return t("msg.unweighted", lang, years=which, reason=reason_text(code, lang))
    items = [t("msg.unweighted_item", lang, years=_years(y), reason=reason_text(c, lang)) for c, y in found.items()]
    return t("msg.unweighted_several", lang, items="; ".join(items))


def network_notice(values: pd.DataFrame, year: int, total: int, lang: str) -> str | None:
    """The network view's notice: which towns' surveys of ``year`` are unweighted, and why (towns per reason,
    the first :data:`MAX_TOWNS` by name). ``values``: the towns' stored totals of one survey rate of that year
    (``town_name``, ``weighted``, ``unweighted_reason``); ``total``: the towns of the network. None when
    every town's survey is weighted."""
    rows = unweighted_rows(values)
    if rows.empty:
        return None
    items = []
    for code in reasons(rows):
        of = rows[[_code(c) == code for c in rows["unweighted_reason"].astype(object)]]
        names = sorted(str(n) for n in of["town_name"].fillna(of["town_ags"]).unique())
        more = t("msg.and_more", lang, n=len(names) - MAX_TOWNS) if len(names) > MAX_TOWNS else ""
        towns = ", ".join(names[:MAX_TOWNS]) + more
        items.append(t("msg.unweighted_towns", lang, reason=reason_text(code, lang), towns=towns))
    n = int(rows["town_ags"].nunique())
    return t("msg.unweighted_network", lang, year=year, n=n, total=total, items="; ".join(items))
