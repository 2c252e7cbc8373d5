"""Städtevergleich: one indicator for all towns (P5), the chosen town highlighted, the network median and
middle half (1st–3rd quartile) as stored by the ETL in ``mart_comparison``, a peer-group filter by size
class, and the table with each town's rank. A town whose value is suppressed takes no part in the
comparison (the ETL ranks shown values only); chosen, it reads "–" with the reason.
"""

from __future__ import annotations

import pandas as pd

from dashboard import series
from dashboard.components.chart_card import (
    ChartResult,
    ChartSpec,
    empty_result,
)
from dashboard.figures import comparison_figure
from dashboard.formatting import SUPPRESSED, fmt_value
from dashboard.i18n import t
from dashboard.state import View, current_db
from dashboard.suppression import kind_of, reason_for
from dashboard.tables import TableColumn
from etl import warehouse

IND, PEER = "cmp-indicator", "cmp-peer"
ALL, OWN = "alle", "eigene"
DEFAULT_INDICATOR = "engagement_rate"


def peer_group(frame: pd.DataFrame, view: View, peer: str) -> tuple[str | None, list[str]]:
    """The size class the chart narrows to (None: all towns) and the notes that say which, or why none.

    ``peer`` comes from the page's control, i.e. from the browser: anything but "alle", "eigene" or a class
    that towns of this indicator and year have is answered with all towns and a note, never with an empty or
    failing chart. "eigene" for the network, or for a town without a class (no population of all ages for the
    year or earlier, :mod:`etl.indicators.comparison`), is all towns too, with the reason.
    """
    if peer == ALL:
        return None, []
    groups = set(frame["peer_group"].dropna().astype(str))
    if peer == OWN:
        if view.is_network:
            return None, [t("msg.town_only", view.lang)]
        own = frame.loc[frame["town_ags"] == view.town, "peer_group"].dropna()
        if own.empty:
            return None, [t("cmp.no_own_peer", view.lang, town=view.town_name, year=view.year)]
        peer = str(own.iloc[0])
    if peer not in groups:
        return None, [t("cmp.no_peer", view.lang, year=view.year)]
    return peer, [f"{t('cmp.peer', view.lang)}: {peer}"]


def compare(view: View, controls: dict[str, object]) -> ChartResult:
    """All towns' values of the indicator and year; the peer filter narrows to one size class."""
    indicator = str(controls.get(IND) or DEFAULT_INDICATOR)
    peer = str(controls.get(PEER) or ALL)
    frame = warehouse.comparison(indicator=indicator, year=view.year, db=view.db)
    cat = series.catalogue(view)
    name = series.name(cat, indicator, view.lang)
    if frame.empty:
        return empty_result(f"{name}: {t('msg.no_data', view.lang)} ({view.year})", view.lang)
    group, notes = peer_group(frame, view, peer)
    use_peer = group is not None
    if use_peer:
        frame = frame[frame["peer_group"] == group]
    prefix = "peer" if use_peer else "network"
    first = frame.iloc[0]
    median, q1, q3 = float(first[f"{prefix}_median"]), float(first[f"{prefix}_q1"]), float(first[f"{prefix}_q3"])
    unit = series.unit(cat, indicator)
    frame = frame.assign(
        highlight=frame["town_ags"] == (view.town or ""),
        unit=unit,
        rank=frame[f"{prefix}_rank"],
        towns=frame[f"{prefix}_towns"],
        rank_best=frame[f"{prefix}_rank_best"],
        rank_worst=frame[f"{prefix}_rank_worst"],
    )
    frame["rank_range"] = [rank_range_text(b, w) for b, w in zip(frame["rank_best"], frame["rank_worst"], strict=True)]
    mine = frame[frame["highlight"]]
    if len(mine):
        row = mine.iloc[0]
        shown = fmt_value(row["value"], unit, view.lang)
        notes.insert(0, f"{row['town_name']}: {shown} · {rank_text(row, view.lang)}")
    elif not view.is_network:
        hidden = _suppressed_reason(view, indicator)
        if hidden:
            notes.insert(0, f"{view.town_name}: {SUPPRESSED} ({hidden})")
    notes.append(t("cmp.rank_range_note", view.lang))
    notes.append(
        f"{t('cmp.median', view.lang)}: {fmt_value(median, unit, view.lang)} · {t('cmp.quartiles', view.lang)}: "
        f"{fmt_value(q1, unit, view.lang)}–{fmt_value(q3, unit, view.lang)}"
    )
    data = frame.sort_values("value", ascending=False)[
        ["town_ags", "town_name", "indicator", "year", "value", "rank", "rank_range", "towns", "peer_group", "unit"]
    ]
    columns = [
        TableColumn("rank", "col.rank"),
        TableColumn("rank_range", "col.rank_range"),
        TableColumn("town_name", "col.town"),
        TableColumn("town_ags", "col.ags"),
        TableColumn("value", "col.value", "value"),
        TableColumn("peer_group", "col.peer"),
    ]
    figure = comparison_figure(frame, unit, view.lang, median, q1, q3, view.town_name if len(mine) else "")
    return ChartResult(figure, data, columns, notes)


def rank_range_text(best: object, worst: object) -> str:
    """ "1–3" (a single rank when both ends agree; "–" where the run stored none)."""
    if pd.isna(best) or pd.isna(worst):  # type: ignore[arg-type]
        return "–"
    return str(int(best)) if int(best) == int(worst) else f"{int(best)}–{int(worst)}"  # type: ignore[call-overload]


def rank_text(row: pd.Series, lang: str) -> str:
    """ "Rang 2 von 3 (Rangbereich 1–3)": every rank with the ranks its interval allows."""
    best, worst = row["rank_best"], row["rank_worst"]
    if pd.isna(best) or pd.isna(worst):
        return t("cmp.rank", lang, rank=int(row["rank"]), towns=int(row["towns"]))
    return t("cmp.rank_range", lang, rank=int(row["rank"]), towns=int(row["towns"]), best=int(best), worst=int(worst))


def _suppressed_reason(view: View, indicator: str) -> str:
    """The reason the chosen town's stored total of the year is hidden, '' where it is not suppressed."""
    stored = series.town_values(view, [indicator], view.year)
    if stored.empty or not bool(stored["suppressed"].iloc[0]):
        return ""
    return reason_for(kind_of(True, stored["suppression"].iloc[0]), view.reason, view.lang)


SPEC = ChartSpec("cmp-chart", "cmp.chart", compare, controls=[(IND, "value"), (PEER, "value")], height=420)


def _options(lang: str) -> tuple[list[dict], list[dict]]:
    """Indicators that have a comparison (town level) and the stored size classes."""
    indicators: list[dict] = [{"label": DEFAULT_INDICATOR, "value": DEFAULT_INDICATOR}]
    peers = [{"label": t("cmp.peer_all", lang), "value": ALL}, {"label": t("cmp.peer_own", lang), "value": OWN}]
    db = current_db()
    if not warehouse.check(db).ok:
        return indicators, peers
    cat = warehouse.catalogue(db=db).set_index("indicator")
    stored = warehouse.comparison_keys(db=db)  # the distinct pairs, not the whole comparison
    ids_ = [i for i in cat.index if i in set(stored["indicator"])] or [DEFAULT_INDICATOR]
    indicators = [{"label": series.name(cat, i, lang), "value": i} for i in ids_]
    groups = sorted(str(g) for g in stored["peer_group"].dropna().unique())
    peers += [{"label": g, "value": g} for g in groups]
    return indicators, peers
