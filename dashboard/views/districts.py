"""Stadtteilkarte: where in town engagement is high, and whom we do not reach (issue 16).

The one place that reads district shapes and district values for the pages: the chart card of the
Engagement page (:func:`district_map_chart`, any indicator with a district breakdown), the Sitzungsmodus
screen (:func:`meeting_screen`) and the report (:func:`engagement_map`). The figure itself is built by
:mod:`dashboard.maps` from the stored frames; nothing is recomputed and a suppressed value stays hidden.
"""

from __future__ import annotations

import pandas as pd

from dashboard import series, weighting
from dashboard.components.chart_card import ChartResult, empty_result
from dashboard.formatting import SUPPRESSED, fmt_value
from dashboard.i18n import t
from dashboard.maps import NO_DATA, district_frame, district_map, map_texts, unshaped
from dashboard.state import View
from dashboard.tables import TableColumn
from dashboard.views.meeting import Screen, Tile, footer_line, run_source_names, source_line
from etl import warehouse

# The indicators with a district breakdown, in the order the map's selector lists them; any other
# catalogue indicator with a district breakdown is appended (read from the catalogue, not assumed).
MAP_INDICATORS = [
    "engagement_rate",
    "participation_rate",
    "ease_agree",
    "registered_volunteers",
    "registered_per_1000",
    "representation_index",
]
MAP_IND = "part-map-indicator"
HIDDEN = ("primary", "secondary", "suppressed")  # kinds of suppression (dashboard.maps.district_frame)
MAP_HEIGHT = 480

MAP_TABLE = [
    TableColumn("label", "col.district"),
    TableColumn("code", "col.code"),
    TableColumn("value", "col.value", "value"),
    TableColumn("n", "col.n", "int"),
    TableColumn("low", "col.ci", "interval"),
    TableColumn("note", "col.note"),
]
CSV_COLUMNS = ["code", "label", "value", "n", "low", "high", "suppressed", "suppression", "note"]


def map_indicators(cat: pd.DataFrame) -> list[str]:
    """Indicators the map can show: those whose catalogue entry lists the district breakdown."""
    if "breakdowns" not in cat.columns:
        return [i for i in MAP_INDICATORS if i in cat.index]
    with_district = [i for i in cat.index if "district" in str(cat.at[i, "breakdowns"]).split(",")]
    return [i for i in MAP_INDICATORS if i in with_district] + [i for i in with_district if i not in MAP_INDICATORS]


def has_shapes(view: View) -> bool:
    return not view.is_network and not warehouse.districts(town=view.town, db=view.db).empty


def _source_kind(cat: pd.DataFrame, indicator: str) -> str:
    return str(cat.at[indicator, "source_kind"]) if indicator in cat.index and "source_kind" in cat.columns else ""


def _fictional(view: View) -> bool:
    """Demo data (public pseudonym key): its district shapes are made up, and the page says so."""
    return warehouse.latest_run(db=view.db).demo_key


def map_table(frame: pd.DataFrame, values: pd.DataFrame, unit: str, reasons: dict[str, str], lang: str) -> pd.DataFrame:
    """The table alternative and CSV: every district of the map, then stored values without a shape."""
    rows = frame.drop(columns=["geometry", "label_lon", "label_lat"])
    extra = values[values["group"].astype(str).isin(unshaped(frame, values))]
    if len(extra):
        extra = district_frame(
            pd.DataFrame(
                {
                    "code": extra["group"].astype(str),
                    "name": pd.NA,
                    "geometry": "",
                    "label_lon": 0.0,
                    "label_lat": 0.0,
                }
            ),
            values,
            lang,
        ).drop(columns=["geometry", "label_lon", "label_lat"])
        rows = pd.concat([rows, extra], ignore_index=True)
    rows = rows.assign(unit=unit, note=[reasons.get(k, "") for k in rows["suppression"]])
    return rows.assign(n=rows["n"].astype("Int64"))


def _build(view: View, indicator: str, height: int, label_size: int) -> ChartResult:
    lang = view.lang
    if view.is_network:
        return empty_result(t("msg.town_only", lang), lang)
    cat = series.catalogue(view)
    name = series.name(cat, indicator, lang)
    shapes = warehouse.districts(town=view.town, db=view.db)
    if shapes.empty:
        return empty_result(t("map.no_shapes", lang, town=view.town_name), lang)
    values = warehouse.indicators(town=view.town, indicator=indicator, year=view.year, breakdown="district", db=view.db)
    if values.empty:
        return empty_result(t("map.no_values", lang, indicator=name, town=view.town_name, year=view.year), lang)
    unit = series.unit(cat, indicator)
    texts = map_texts(name, unit, _source_kind(cat, indicator), view.min_cell, lang)
    frame = district_frame(shapes, values, lang)
    figure = district_map(frame, unit, texts, lang, height=height, label_size=label_size)
    reasons = {k: texts.reason(k) for k in ("primary", "secondary", "suppressed", NO_DATA)}
    data = map_table(frame, values, unit, reasons, lang)
    hidden = [texts.reason(k) for k in HIDDEN if (frame["suppression"] == k).any()]
    notes = [t("map.hatched", lang, reasons="; ".join(hidden))] if hidden else []
    missing = unshaped(shapes, values)
    if missing:
        notes.append(t("map.unshaped", lang, codes=", ".join(missing)))
    if indicator == "representation_index":
        notes.insert(0, t("part.representation_note", lang))
    unweighted = weighting.notice(values, lang)
    if unweighted:
        notes.append(unweighted)
    if _fictional(view):
        notes.append(t("map.fictional", lang))
    return ChartResult(figure, data[[*CSV_COLUMNS, "unit"]], MAP_TABLE, notes)


def district_map_chart(view: View, controls: dict[str, object]) -> ChartResult:
    """The Engagement page's map of the chosen indicator by district (town only)."""
    return _build(view, str(controls.get(MAP_IND) or MAP_INDICATORS[0]), MAP_HEIGHT, 12)


def engagement_map(view: View, _controls: dict[str, object]) -> ChartResult:
    """The report's map: the engagement rate by district."""
    return _build(view, "engagement_rate", 520, 13)


def district_lines(result: ChartResult, lang: str) -> str:
    """The map's values as one line for print (a PDF has no hover): "Altstadt 41,2 % · Südstadt – (…)"."""
    data = result.data
    if data.empty or "label" not in data.columns:
        return ""
    parts = []
    for row in data.to_dict("records"):
        if row["suppression"]:
            parts.append(f"{row['label']} {SUPPRESSED} ({row['note']})")
        else:
            parts.append(f"{row['label']} {fmt_value(row['value'], row['unit'], lang)}")
    return " · ".join(parts)


# --- Sitzungsmodus --------------------------------------------------------------------------------------

_MEETING: dict[str, tuple[str, str]] = {
    "topic": ("Stadtteile", "Districts"),
    "heading": (
        "{name} {year} nach Stadtteil: am höchsten in {top} ({top_value}), am niedrigsten in {low} ({low_value})",
        "{name} {year} by district: highest in {top} ({top_value}), lowest in {low} ({low_value})",
    ),
    "heading_plain": ("{name} {year} nach Stadtteil", "{name} {year} by district"),
    "highest": ("Am höchsten", "Highest"),
    "lowest": ("Am niedrigsten", "Lowest"),
    "hidden": ("Nicht ausgewiesen", "Not shown"),
    "hidden_count": ("{n} von {total} Stadtteilen", "{n} of {total} districts"),
}
MEETING_INDICATOR = "engagement_rate"
PROJECTOR_FONT = 20


def meeting_text(key: str, lang: str, **values: object) -> str:
    text = _MEETING[key][1 if lang == "en" else 0]
    return text.format(**values) if values else text


def meeting_screen(view: View, height: int) -> Screen:
    """The Sitzungsmodus screen "Stadtteile": the engagement rate by district, its extremes as a sentence."""
    lang = view.lang
    result = _build(view, MEETING_INDICATOR, height, 18)
    cat = series.catalogue(view)
    name = series.name(cat, MEETING_INDICATOR, lang)
    topic = meeting_text("topic", lang)
    if result.data.empty:
        heading = result.notes[0] if result.notes else ""
        footer = "" if view.is_network else _footer(view)
        return Screen("districts", topic, heading, [], None, result.notes[1:], footer)
    data, unit = result.data, series.unit(cat, MEETING_INDICATOR)
    shown = data[data["suppression"] == ""].sort_values(["value", "code"], ascending=[False, True])
    if len(shown) >= 2:
        top, low = shown.iloc[0], shown.iloc[-1]
        heading = meeting_text(
            "heading",
            lang,
            name=name,
            year=view.year,
            top=top["label"],
            top_value=fmt_value(top["value"], unit, lang),
            low=low["label"],
            low_value=fmt_value(low["value"], unit, lang),
        )
        tiles = [
            Tile(meeting_text("highest", lang), fmt_value(top["value"], unit, lang), str(top["label"])),
            Tile(meeting_text("lowest", lang), fmt_value(low["value"], unit, lang), str(low["label"])),
        ]
    else:
        heading, tiles = meeting_text("heading_plain", lang, name=name, year=view.year), []
    suppressed = data["suppression"].isin(HIDDEN)
    hidden = int(suppressed.sum())
    if hidden:
        reasons = "; ".join(dict.fromkeys(data.loc[suppressed, "note"]))
        tiles.append(
            Tile(meeting_text("hidden", lang), meeting_text("hidden_count", lang, n=hidden, total=len(data)), reasons)
        )
    return Screen("districts", topic, heading, tiles, _projected(result.figure), result.notes, _footer(view))


def _projected(figure: dict) -> dict:
    """The map readable from the back of a meeting room: legend and colour bar in larger type."""
    layout = {**figure["layout"], "font": {**figure["layout"]["font"], "size": PROJECTOR_FONT}, "autosize": True}
    return {"data": figure["data"], "layout": layout}


def _footer(view: View) -> str:
    """ "Datenstand … · Quelle: …" of the map: the files behind its values and its shapes (run log names)."""
    values = warehouse.indicators(
        town=view.town, indicator=MEETING_INDICATOR, year=view.year, breakdown="district", db=view.db
    )
    shapes = warehouse.districts(town=view.town, db=view.db)
    cells = [*values["source_files"].dropna().astype(str), *shapes["source_file"].dropna().astype(str)]
    files = list(dict.fromkeys(f.strip() for cell in cells for f in cell.split(",") if f.strip()))
    run = warehouse.latest_run(db=view.db)
    names = run_source_names(view)
    return footer_line(run.finished_at, source_line(files, names, run.run_id, view.lang), view.lang)
