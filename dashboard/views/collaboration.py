"""Zusammenarbeit: the network map, the network figures over the survey waves, ratings by sector.

The map draws the organisations at the layout positions the ETL stored (so it does not jump between
visits), coloured and shaped by sector, with the stored tie list. Waves: the latest partner survey up to
the chosen year.
"""

from __future__ import annotations

import pandas as pd

from dashboard import series
from dashboard.components.chart_card import ChartResult, ChartSpec, empty_result
from dashboard.figures import bar_figure, grouped_bar, network_map, unit_panels
from dashboard.formatting import SUPPRESSED, fmt_value
from dashboard.i18n import label, t
from dashboard.state import View
from dashboard.suppression import kind_of, kinds, reason_for
from dashboard.suppression import notes as suppression_notes
from dashboard.tables import TableColumn
from dashboard.wording import counted
from etl import warehouse

NETWORK_FIGURES = ["network_density", "cross_sector_tie_share", "sector_balance", "degree_centralization"]
RATINGS = ["trust_mean", "value_mean"]


def _wave(view: View) -> tuple[int | None, list[str]]:
    wave = series.latest_wave(view)
    if wave is None:
        return None, [t("msg.no_wave", view.lang, town=view.town_name, year=view.year)]
    return wave, [t("msg.wave", view.lang, wave=wave, year=view.year)]


def network(view: View, _c: dict[str, object]) -> ChartResult:
    """The network map of the wave; town only."""
    if view.is_network:
        return empty_result(t("msg.town_only", view.lang), view.lang)
    wave, notes = _wave(view)
    if wave is None:
        return empty_result(notes[0], view.lang)
    nodes = warehouse.network_nodes(town=view.town, year=wave, db=view.db)
    if nodes.empty:  # the ETL leaves the map out where its figures are suppressed (too few organisations)
        return empty_result(t("collab.map_hidden", view.lang, min_cell=view.min_cell), view.lang)
    ties = warehouse.network_ties(town=view.town, year=wave, db=view.db)
    data = nodes[["org_id", "name", "sector", "degree"]]
    columns = [
        TableColumn("name", "col.organisation"),
        TableColumn("sector", "col.sector", "label", label_kind="sector"),
        TableColumn("degree", "col.degree", "int"),
    ]
    lang = view.lang
    orgs = counted(len(nodes), t("word.organisation", lang), t("word.organisations", lang), lang)
    links = counted(len(ties), t("word.tie", lang), t("word.ties", lang), lang)
    notes.append(t("collab.counts", lang, orgs=orgs, ties=links))
    return ChartResult(network_map(nodes, ties, view.lang), data, columns, notes)


def figures(view: View, _c: dict[str, object]) -> ChartResult:
    """Density, cross-sector ties, sector balance and centralisation over the waves."""
    frame = series.trend(view, NETWORK_FIGURES)
    frame = frame[frame["year"] <= view.year]
    if frame.empty:
        return empty_result(t("msg.no_data", view.lang), view.lang)
    columns = [
        TableColumn("series", "col.indicator"),
        TableColumn("year", "col.year"),
        TableColumn("value", "col.value", "value"),
        TableColumn("n", "col.towns" if view.is_network else "col.n", "int"),
    ]
    notes = [t("msg.network_median", view.lang, n=int(frame["n"].max()))] if view.is_network else []
    notes += suppression_notes(kinds(frame), view.lang, view.min_cell)
    plot = frame.assign(low=float("nan"), high=float("nan")) if not view.is_network else frame
    # shares (density, cross-sector ties) in percent, indices (balance, centralisation) as numbers: one panel
    # each, so an indicator reads in the same format here as on every other page
    titles = {"share": t("collab.panel_share", view.lang), "index": t("collab.panel_index", view.lang)}
    return ChartResult(unit_panels(plot, view.lang, titles, reason=view.reason), frame, columns, notes)


def _by_sector(view: View, indicators: list[str], wave: int) -> pd.DataFrame:
    frame = warehouse.indicators(town=view.town, indicator=tuple(indicators), year=wave, breakdown="sector", db=view.db)
    cat = series.catalogue(view)
    out = frame.rename(columns={"ci_low": "low", "ci_high": "high"})
    out = out.assign(
        series=out["indicator"].map(lambda i: series.name(cat, i, view.lang)),
        label=[label("sector", g, view.lang) for g in out["group"]],
    )
    return out[["indicator", "series", "group", "label", "value", "low", "high", "n", "suppressed", "suppression"]]


def ratings(view: View, _c: dict[str, object]) -> ChartResult:
    """Trust and value (1–4) by the sector of the rated organisation; town only."""
    if view.is_network:
        return empty_result(t("msg.town_only", view.lang), view.lang)
    wave, notes = _wave(view)
    if wave is None:
        return empty_result(notes[0], view.lang)
    frame = _by_sector(view, RATINGS, wave)
    if frame.empty:
        return empty_result(t("msg.no_data", view.lang), view.lang)
    notes += suppression_notes(kinds(frame), view.lang, view.min_cell)
    columns = [
        TableColumn("series", "col.indicator"),
        TableColumn("label", "col.sector"),
        TableColumn("value", "col.value", "value", unit="score"),
        TableColumn("n", "col.n", "int"),
    ]
    return ChartResult(grouped_bar(frame, "score", view.lang, view.reason), frame, columns, notes)


def equal_footing(view: View, _c: dict[str, object]) -> ChartResult:
    """Share agreeing "Wir arbeiten auf Augenhöhe" by sector, with the gap between the sectors."""
    if view.is_network:
        return empty_result(t("msg.town_only", view.lang), view.lang)
    wave, notes = _wave(view)
    if wave is None:
        return empty_result(notes[0], view.lang)
    frame = _by_sector(view, ["equal_footing_agree"], wave)
    if frame.empty:
        return empty_result(t("msg.no_data", view.lang), view.lang)
    gap = series.town_values(view, ["equal_footing_gap"], wave)
    gap_kinds = kinds(gap)
    if len(gap):
        row = gap.iloc[0]
        why = reason_for(kind_of(row["suppressed"], row["suppression"]), view.reason, view.lang)
        shown = f"{SUPPRESSED} ({why})" if row["suppressed"] else fmt_value(row["value"], "difference", view.lang)
        notes.append(t("collab.gap", view.lang, gap=shown))
    notes += suppression_notes(kinds(frame) + gap_kinds, view.lang, view.min_cell)
    columns = [
        TableColumn("label", "col.sector"),
        TableColumn("value", "col.value", "share"),
        TableColumn("n", "col.n", "int"),
        TableColumn("low", "col.ci", "interval", unit="share"),
    ]
    return ChartResult(bar_figure(frame, "share", view.lang, view.reason), frame, columns, notes)


SPECS = [
    ChartSpec("collab-map", "collab.map", network, height=480),
    ChartSpec("collab-figures", "collab.figures", figures),
    ChartSpec("collab-ratings", "collab.ratings", ratings),
    ChartSpec("collab-equal", "collab.equal", equal_footing),
]
