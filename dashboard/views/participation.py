"""Engagement & Beteiligung: survey rates with intervals, groups, registrations, representation, events.

Answers "who do we (not) reach?": the representation index per group (1 = proportional) sits next to
the survey's group rates. Breakdowns exist per town only; the network view shows medians where the ETL
compared towns and says so where a figure exists per town only.
"""

from __future__ import annotations

from dashboard import series, weighting
from dashboard.components.chart_card import (
    ChartResult,
    ChartSpec,
    empty_result,
)
from dashboard.figures import bar_figure, stacked_bar, trend_figure
from dashboard.formatting import fmt_value
from dashboard.i18n import label, t
from dashboard.state import View
from dashboard.suppression import kinds
from dashboard.suppression import notes as suppression_notes
from dashboard.tables import TableColumn
from dashboard.views.districts import MAP_IND, district_map_chart

RATES = ["engagement_rate", "participation_rate"]
ATTITUDES = ["willingness_rate", "ease_agree", "info_agree", "recognition_agree", "office_awareness"]
BREAKDOWN_INDICATORS = [
    "engagement_rate",
    "participation_rate",
    "ease_agree",
    "willingness_rate",
    "info_agree",
    "office_awareness",
]
BREAKDOWNS = ["age_band", "gender", "district", "edu", "mig"]
REGISTRATIONS = ["registered_volunteers", "new_volunteers"]
IND, BY = "part-indicator", "part-by"

TREND_COLUMNS = [
    TableColumn("series", "col.indicator"),
    TableColumn("year", "col.year"),
    TableColumn("value", "col.value", "value"),
    TableColumn("n", "col.n", "int"),
    TableColumn("low", "col.ci", "interval"),
]
NETWORK_TREND_COLUMNS = [
    *TREND_COLUMNS[:3],
    TableColumn("n", "col.towns", "int"),
    TableColumn("low", "cmp.quartiles", "interval"),
]
GROUP_COLUMNS = [
    TableColumn("label", "col.group"),
    TableColumn("value", "col.value", "value"),
    TableColumn("n", "col.n", "int"),
    TableColumn("low", "col.ci", "interval"),
]


def _survey_notes(view: View, frame) -> list[str]:  # noqa: ANN001 - a DataFrame
    notes = []
    if view.is_network and len(frame):
        notes.append(t("msg.network_median", view.lang, n=int(frame["n"].max())))
    unweighted = weighting.notice(frame, view.lang)
    if unweighted:
        notes.append(unweighted)
    return notes + suppression_notes(kinds(frame), view.lang, view.min_cell)


def _trend(view: View, indicators: list[str], unit: str) -> ChartResult:
    frame = series.trend(view, indicators)
    frame = frame[frame["year"] <= view.year]
    if frame.empty:
        return empty_result(t("msg.no_data", view.lang), view.lang)
    columns = NETWORK_TREND_COLUMNS if view.is_network else TREND_COLUMNS
    figure = trend_figure(frame, unit, view.lang, reason=view.reason)
    return ChartResult(figure, frame, columns, _survey_notes(view, frame))


def rates(view: View, _c: dict[str, object]) -> ChartResult:
    """Engagement and participation rate over the years with 95 % bands (network: quartile bands)."""
    return _trend(view, RATES, "share")


def registrations(view: View, _c: dict[str, object]) -> ChartResult:
    """Registered and new volunteers over the years."""
    return _trend(view, REGISTRATIONS, "count")


def groups(view: View, controls: dict[str, object]) -> ChartResult:
    """A survey rate by the chosen group (bars with 95 % error bars); town only."""
    if view.is_network:
        return empty_result(t("msg.town_only", view.lang), view.lang)
    indicator = str(controls.get(IND) or RATES[0])
    by = str(controls.get(BY) or BREAKDOWNS[0])
    frame = series.breakdown(view, indicator, [by])
    cat = series.catalogue(view)
    if frame.empty:
        what = f"{series.name(cat, indicator, view.lang)} / {label('breakdown', by, view.lang)}"
        return empty_result(f"{t('msg.no_data', view.lang)} ({what}, {view.year})", view.lang)
    unit = series.unit(cat, indicator)
    figure = bar_figure(frame, unit, view.lang, view.reason)
    return ChartResult(figure, frame.assign(unit=unit), GROUP_COLUMNS, _survey_notes(view, frame))


def attitudes(view: View, _c: dict[str, object]) -> ChartResult:
    """Willingness, ease, information, recognition and office awareness of the year."""
    frame = series.year_values(view, ATTITUDES)
    if frame.empty:
        return empty_result(t("msg.no_year_data", view.lang, town=view.town_name, year=view.year), view.lang)
    frame = frame.assign(label=frame["series"])
    figure = bar_figure(frame, "share", view.lang, view.reason)
    columns = [
        TableColumn("label", "col.indicator"),
        *(NETWORK_TREND_COLUMNS if view.is_network else TREND_COLUMNS)[2:],
    ]
    return ChartResult(figure, frame, columns, _survey_notes(view, frame))


def areas(view: View, _c: dict[str, object]) -> ChartResult:
    """Registered volunteers by engagement area; town only."""
    if view.is_network:
        return empty_result(t("msg.town_only", view.lang), view.lang)
    frame = series.breakdown(view, "registered_volunteers", ["area"])
    if frame.empty:
        return empty_result(t("msg.no_year_data", view.lang, town=view.town_name, year=view.year), view.lang)
    frame = frame.sort_values("value", ascending=False, na_position="last")
    return ChartResult(
        bar_figure(frame, "count", view.lang, view.reason),
        frame.assign(unit="count"),
        GROUP_COLUMNS[:3],
        _survey_notes(view, frame),
    )


def representation(view: View, _c: dict[str, object]) -> ChartResult:
    """Representation index per group with the line at 1 (proportional); town only."""
    if view.is_network:
        return empty_result(t("msg.town_only", view.lang), view.lang)
    frame = series.breakdown(view, "representation_index", ["age_band", "gender", "district"])
    if frame.empty:
        return empty_result(t("msg.no_year_data", view.lang, town=view.town_name, year=view.year), view.lang)
    figure = bar_figure(frame, "index", view.lang, view.reason, reference=1.0)
    notes = [t("part.representation_note", view.lang), *_survey_notes(view, frame)]
    return ChartResult(figure, frame.assign(unit="index"), GROUP_COLUMNS[:3], notes)


def events(view: View, _c: dict[str, object]) -> ChartResult:
    """Events per year by format, with the share of multi-sector events of the year; town only."""
    if view.is_network:
        return empty_result(t("msg.town_only", view.lang), view.lang)
    from etl import warehouse

    frame = warehouse.indicators(town=view.town, indicator="events", breakdown="format", db=view.db)
    frame = frame[frame["year"] <= view.year]
    if frame.empty:
        return empty_result(t("msg.no_data", view.lang), view.lang)
    share = series.year_values(view, ["multi_sector_event_share"])
    notes = []
    if len(share):
        notes.append(
            f"{t('part.multi_sector', view.lang)} {view.year}: {fmt_value(share['value'].iloc[0], 'share', view.lang)}"
        )
    data = frame[["year", "group", "value", "n"]].assign(unit="count")  # the CSV keeps the stored formats
    columns = [
        TableColumn("year", "col.year"),
        TableColumn("group", "col.group", "label", label_kind="format"),
        TableColumn("value", "col.count", "value"),
    ]
    named = data.assign(group=[label("format", g, view.lang) for g in data["group"]])
    figure = stacked_bar(named, "count", view.lang, other=t("chart.others", view.lang))
    return ChartResult(figure, data, columns, notes)


SPECS = [
    ChartSpec("part-rates", "part.rates", rates),
    ChartSpec("part-groups", "part.breakdown", groups, controls=[(IND, "value"), (BY, "value")]),
    ChartSpec("part-attitudes", "part.attitudes", attitudes),
    ChartSpec("part-representation", "part.representation", representation),
    ChartSpec("part-registrations", "part.registrations", registrations),
    ChartSpec("part-areas", "part.areas", areas),
    ChartSpec("part-events", "part.events", events),
    ChartSpec(
        "part-map", "part.map", district_map_chart, controls=[(MAP_IND, "value")], height=480, table_beside=True
    ),
]
MAP_SPEC = SPECS[-1]
