"""District maps: the stored shapes and one indicator's district values in, a Plotly figure (dict) out.

No base map and no tiles: the dashboard must work offline (and a council projector has no internet). The
districts are drawn as filled polygons (``scatter`` traces with ``fill="toself"``) on hidden axes in a
local equirectangular projection (kilometres east and north of the town's centre, x scaled by the cosine
of the latitude), so they keep their shape; plotly's scatter fills also take hatch patterns, which the
choropleth trace cannot. One trace per district:

* a shown value fills its district with the colour of the scale (cividis, darker = more, readable with
  every common colour-vision deficiency); the representation index uses a diverging scale (PuOr,
  orange = fewer, purple = more) on a logarithmic axis centred on 1 ("so viele wie ihr
  Bevölkerungsanteil"), so 0.5 and 2 are equally far from the centre;
* a suppressed value is a neutral grey with a hatch ("/" too few behind it, "x" hidden so that a small
  group cannot be computed), named in the legend and in the hover with its reason;
* a district without any stored value is white with a dotted border ("keine Angaben").

Labels (name and value) sit at the stored label point in black or white, whichever contrasts more with the
fill (at least 4.5:1, tested). The colour bar states the unit with German numbers. Everything here is a
pure function of two frames, tested without Dash; :mod:`dashboard.views.districts` reads the warehouse.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from plotly.colors import sample_colorscale, sequential

from dashboard import palette
from dashboard.figures import Figure, base_layout
from dashboard.formatting import SUPPRESSED, fmt_int, fmt_interval, fmt_number, fmt_percent, fmt_value
from dashboard.i18n import label, t

KM_PER_DEGREE = 111.32
SEQUENTIAL = [[i / (len(sequential.Cividis) - 1), c] for i, c in enumerate(reversed(sequential.Cividis))]
# ColorBrewer PuOr (colour-blind safe), orange = under-represented, purple = over-represented
DIVERGING = [
    [0.0, "#b35806"],
    [0.2, "#f1a340"],
    [0.4, "#fee0b6"],
    [0.5, "#f7f7f7"],
    [0.6, "#d8daeb"],
    [0.8, "#998ec3"],
    [1.0, "#542788"],
]
BORDER = "#3A3A3A"  # 11:1 on white: district borders stay visible on the palest fill and the page
HATCH_BG, HATCH_FG = "#EEEEEE", "#7A7A7A"
HATCH = {"primary": "/", "secondary": "x", "suppressed": "/"}
NO_DATA = "none"
LABEL_DARK, LABEL_LIGHT = "#000000", "#FFFFFF"
INDEX_TICKS = (0.25, 1 / 3, 0.5, 2 / 3, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
MAP_COLUMNS = [
    "code",
    "label",
    "value",
    "low",
    "high",
    "n",
    "suppressed",
    "suppression",
    "geometry",
    "label_lon",
    "label_lat",
]


def district_frame(shapes: pd.DataFrame, values: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per district with a shape: its label, the stored value (or why there is none) and geometry.

    ``shapes``: rows of ``warehouse.districts`` (``code``, ``name``, ``geometry``, ``label_lon``,
    ``label_lat``); ``values``: the indicator's district rows (``group`` = code, ``value``, ``ci_low``/
    ``ci_high`` or ``low``/``high``, ``n``, ``suppressed``, optionally ``suppression``). ``suppression`` is
    ``primary``/``secondary`` where the warehouse says which, ``suppressed`` where it does not (an older
    warehouse), '' for a shown value and ``none`` for a district without a stored value.
    """
    vals = values.rename(columns={"ci_low": "low", "ci_high": "high"})
    vals = vals.assign(code=vals["group"].astype(str))
    if "suppression" not in vals.columns:
        vals["suppression"] = np.where(vals["suppressed"].astype(bool), "suppressed", "")
    vals["suppression"] = vals["suppression"].fillna("").astype(str)
    hidden_unknown = vals["suppressed"].astype(bool) & (vals["suppression"] == "")
    vals.loc[hidden_unknown, "suppression"] = "suppressed"
    keep = ["code", "value", "low", "high", "n", "suppressed", "suppression"]
    for column in ("low", "high"):
        if column not in vals.columns:
            vals[column] = np.nan
    frame = shapes.assign(code=shapes["code"].astype(str)).merge(vals[keep], on="code", how="left")
    names = frame["name"].astype(object).where(frame["name"].notna(), None)
    frame["label"] = [str(n) if n else label("district", c, lang) for n, c in zip(names, frame["code"], strict=True)]
    frame["suppression"] = frame["suppression"].fillna(NO_DATA)
    frame["suppressed"] = frame["suppressed"].fillna(False).astype(bool)
    frame["value"] = frame["value"].astype("float64")
    return frame.sort_values("code", kind="stable").reset_index(drop=True)[MAP_COLUMNS]


def unshaped(shapes: pd.DataFrame, values: pd.DataFrame) -> list[str]:
    """District codes with a stored value but no shape (they cannot be drawn; the table still lists them)."""
    return sorted(set(values["group"].astype(str)) - set(shapes["code"].astype(str)))


# --- colour ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """How values map onto colours: positions 0–1 on ``colours``; ``log`` for the representation index."""

    colours: list[list[Any]]
    lo: float
    hi: float
    ticks: tuple[float, ...]
    log: bool = False

    def axis(self, value: float) -> float:
        """The value on the colour bar's axis (log2 for the index)."""
        return math.log2(max(value, 1e-9)) if self.log else value  # an index of 0 sits at the scale's end

    def position(self, value: float) -> float:
        lo, hi = self.axis(self.lo), self.axis(self.hi)
        return float(min(1.0, max(0.0, (self.axis(value) - lo) / (hi - lo)))) if hi > lo else 0.5

    def colour(self, value: float) -> str:
        """The fill of ``value`` as ``#RRGGBB``."""
        rgb = sample_colorscale(self.colours, [self.position(value)], colortype="tuple")[0]
        return "#" + "".join(f"{round(c * 255 if max(rgb) <= 1 else c):02X}" for c in rgb)


def _nice_step(span: float) -> float:
    """A 1-2-5 step giving about four to six ticks over ``span``."""
    raw = span / 5 if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def scale_for(values: pd.Series, unit: str) -> Scale:
    """The colour scale for the shown values of one map (``index``: diverging around 1)."""
    shown = values.dropna().astype("float64")
    if unit == "index":
        positive = shown[shown > 0]
        extreme = float(np.abs(np.log2(positive)).max()) if len(positive) else 0.0
        if (shown <= 0).any():
            extreme = max(extreme, 2.0)  # an index of 0 sits at the scale's end (a quarter and below)
        extreme = max(extreme, math.log2(1.25))
        lo, hi = 2.0**-extreme, 2.0**extreme
        ticks = tuple(v for v in INDEX_TICKS if lo * 0.999 <= v <= hi * 1.001)
        return Scale(DIVERGING, lo, hi, ticks, log=True)
    top = float(shown.max()) if len(shown) else 1.0
    bottom = float(shown.min()) if len(shown) else 0.0
    if unit == "share":
        lo = math.floor(bottom * 20) / 20
        hi = math.ceil(top * 20) / 20
        if hi - lo < 0.1:
            lo, hi = max(0.0, lo - 0.05), min(1.0, max(hi, lo + 0.1) + 0.05)
    else:
        lo, hi = 0.0, top if top > 0 else 1.0
    step = _nice_step(hi - lo)
    lo = math.floor(lo / step + 1e-9) * step
    hi = math.ceil(hi / step - 1e-9) * step
    ticks = tuple(round(lo + k * step, 10) for k in range(int(round((hi - lo) / step)) + 1))
    return Scale(SEQUENTIAL, lo, hi, ticks)


def tick_text(value: float, unit: str, lang: str) -> str:
    """A colour-bar tick in German format: whole percents without decimals ("40 %"), else the unit's format."""
    if unit == "share":
        whole = abs(value * 100 - round(value * 100)) < 1e-9
        return fmt_percent(value, 0 if whole else 1, lang)
    if unit == "index":
        return fmt_value(value, "index", lang)
    return fmt_number(value, 0 if float(value).is_integer() else 1, lang)


def label_colour(fill: str) -> str:
    """Black or white text, whichever contrasts more with ``fill`` (always ≥ 4.5:1 for #RRGGBB fills)."""
    dark, light = palette.contrast_ratio(LABEL_DARK, fill), palette.contrast_ratio(LABEL_LIGHT, fill)
    return LABEL_DARK if dark >= light else LABEL_LIGHT


# --- geometry -------------------------------------------------------------------------------------------


def _rings(geometry: str) -> list[list[list[float]]]:
    """The rings of a GeoJSON Polygon/MultiPolygon text: exteriors counter-clockwise, holes clockwise."""
    shape = json.loads(geometry)
    polygons = [shape["coordinates"]] if shape["type"] == "Polygon" else shape["coordinates"]
    rings = []
    for polygon in polygons:
        for k, ring in enumerate(polygon):
            ccw = _signed_area(ring) > 0
            rings.append(ring if ccw == (k == 0) else ring[::-1])
    return rings


def _signed_area(ring: list[list[float]]) -> float:
    xy = np.asarray(ring, dtype="float64")[:, :2]
    return float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]) / 2)


@dataclass(frozen=True)
class Projection:
    """Longitude/latitude → kilometres east/north of the town's centre (equirectangular)."""

    lon0: float
    lat0: float

    @classmethod
    def around(cls, frame: pd.DataFrame) -> Projection:
        rings = [np.asarray(r)[:, :2] for g in frame["geometry"] for r in _rings(g)]
        points = np.vstack(rings) if rings else np.zeros((1, 2))
        lo, hi = points.min(axis=0), points.max(axis=0)
        return cls(float((lo[0] + hi[0]) / 2), float((lo[1] + hi[1]) / 2))

    def xy(self, lon: np.ndarray | float, lat: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        kx = KM_PER_DEGREE * math.cos(math.radians(self.lat0))
        return (np.asarray(lon) - self.lon0) * kx, (np.asarray(lat) - self.lat0) * KM_PER_DEGREE


def outline(geometry: str, projection: Projection) -> tuple[list[float | None], list[float | None]]:
    """x and y of every ring, rings separated by ``None`` (plotly closes and fills each one)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in _rings(geometry):
        arr = np.asarray(ring, dtype="float64")
        x, y = projection.xy(arr[:, 0], arr[:, 1])
        if xs:
            xs.append(None)
            ys.append(None)
        xs += np.round(x, 4).tolist()
        ys += np.round(y, 4).tolist()
    return xs, ys


# --- the figure -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapText:
    """The texts a map needs besides the data: what the value is, and why a value is not shown."""

    title: str  # colour-bar title with the unit, e.g. "Engagementquote in %"
    primary: str  # "weniger als 5 Antworten"
    secondary: str  # "verborgen, damit eine kleine Gruppe nicht errechenbar ist"
    no_data: str  # "keine Angaben"
    either: str  # an older warehouse does not say which of the two: "weniger als 5 Antworten oder verborgen, …"

    def reason(self, kind: str) -> str:
        """Why a district shows no value (``kind``: primary, secondary, suppressed, none); '' when shown."""
        return {"primary": self.primary, "secondary": self.secondary, NO_DATA: self.no_data}.get(
            kind, self.either if kind == "suppressed" else ""
        )


def map_texts(indicator_name: str, unit: str, source_kind: str, min_cell: int, lang: str) -> MapText:
    """The legend and hover texts of a map in ``lang`` (survey values: answers; others: persons)."""
    survey = source_kind.startswith("resident_survey")
    primary = t("msg.suppressed" if survey else "map.primary_persons", lang, min_cell=min_cell)
    suffix = {"share": "map.unit_share", "per_1000": "map.unit_per_1000", "count": "map.unit_count"}.get(unit)
    title = f"{indicator_name} {t(suffix, lang)}" if suffix else indicator_name
    if unit == "index":
        title = f"{indicator_name} ({t('map.index_centre', lang)})"
    secondary = t("map.secondary", lang)
    either = t("map.either", lang, primary=primary, secondary=secondary)
    return MapText(title, primary, secondary, t("map.no_data", lang), either)


def hover_text(row: dict[str, Any], unit: str, texts: MapText, lang: str) -> str:
    """ "Nordviertel: 39,7 % · n = 120 · 95-%-Intervall 33,1–46,5 %" or the reason a value is missing."""
    head = f"<b>{row['label']}</b>"
    kind = row["suppression"]
    if kind:
        return f"{head}<br>{SUPPRESSED} {t('map.not_shown', lang)}: {texts.reason(kind)}"
    parts = [fmt_value(row["value"], unit, lang), f"n = {fmt_int(row['n'], lang)}"]
    if row.get("low") is not None and not pd.isna(row.get("low")):
        parts.append(f"{t('map.ci', lang)} {fmt_interval(row['low'], row['high'], unit, lang)}")
    return f"{head}<br>" + " · ".join(parts)


def district_map(
    frame: pd.DataFrame, unit: str, texts: MapText, lang: str, height: int = 460, label_size: int = 12
) -> Figure:
    """The map of :func:`district_frame`'s rows: one filled trace per district, labels, legend, colour bar.

    ``label_size`` (px) of the district labels: larger on a projector (Sitzungsmodus) and in print."""
    projection = Projection.around(frame)
    scale = scale_for(frame.loc[frame["suppression"] == "", "value"], unit)
    data: list[dict[str, Any]] = []
    legend_done: set[str] = set()
    label_x, label_y, label_text, label_colours, hovers = [], [], [], [], []
    for row in frame.to_dict("records"):
        xs, ys = outline(row["geometry"], projection)
        kind = row["suppression"]
        hover = hover_text(row, unit, texts, lang)
        trace: dict[str, Any] = {
            "type": "scatter",
            "mode": "lines",
            "x": xs,
            "y": ys,
            "fill": "toself",
            "line": {"color": BORDER, "width": 1.2},
            "hoveron": "fills",
            "hoverinfo": "text",
            "text": hover,
            "name": row["label"],
            "showlegend": False,
            "meta": {"district": row["code"], "suppression": kind},
        }
        if kind == "":
            fill = scale.colour(row["value"])
            trace["fillcolor"] = fill
            shown = fmt_value(row["value"], unit, lang)
        elif kind == NO_DATA:
            fill = "#FFFFFF"
            trace["fillcolor"] = fill
            trace["line"] = {"color": BORDER, "width": 1.2, "dash": "dot"}
            shown = SUPPRESSED
        else:
            fill = HATCH_BG
            trace["fillcolor"] = HATCH_BG
            trace["fillpattern"] = {
                "shape": HATCH[kind],
                "bgcolor": HATCH_BG,
                "fgcolor": HATCH_FG,
                "size": 9,
                "solidity": 0.25,
            }
            shown = SUPPRESSED
        if kind != "":
            group = "hatch-" + kind if kind != NO_DATA else NO_DATA
            trace["legendgroup"] = group
            if group not in legend_done:
                legend_done.add(group)
                trace["showlegend"] = True
                trace["name"] = f"{SUPPRESSED} {texts.reason(kind)}" if kind != NO_DATA else texts.no_data
        data.append(trace)
        x, y = projection.xy(row["label_lon"], row["label_lat"])
        label_x.append(round(float(x), 4))
        label_y.append(round(float(y), 4))
        label_text.append(f"{row['label']}<br>{shown}")
        label_colours.append(label_colour(fill))
        hovers.append(hover)
    data.append(
        {
            "type": "scatter",
            "mode": "text",
            "x": label_x,
            "y": label_y,
            "text": label_text,
            "textfont": {"color": label_colours, "size": label_size},
            "hovertext": hovers,
            "hoverinfo": "text",
            "showlegend": False,
            "name": "labels",
        }
    )
    data.append(_colour_bar(scale, unit, texts.title, lang, label_x[:1] or [0.0], label_y[:1] or [0.0]))
    layout = base_layout(lang, height=height)
    # legend (hatch, no data) above the map, colour bar with its unit below it: both span the width, so
    # long German titles fit; constrain="domain" shrinks the plot area to the town's shape
    layout["margin"] = {"l": 10, "r": 10, "t": 36 if legend_done else 10, "b": 70}
    layout["xaxis"] = {"visible": False, "constrain": "domain"}
    layout["yaxis"] = {"visible": False, "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"}
    layout["legend"] = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"}
    layout["hovermode"] = "closest"
    layout["dragmode"] = "pan"
    return {"data": data, "layout": layout}


def _colour_bar(scale: Scale, unit: str, title: str, lang: str, x: list[float], y: list[float]) -> dict[str, Any]:
    """An invisible marker trace that carries the colour bar (the polygons' fills are set one by one)."""
    return {
        "type": "scatter",
        "mode": "markers",
        "x": x,
        "y": y,
        "marker": {
            "size": 0.1,
            "opacity": 0,
            "color": [scale.axis(scale.lo)],
            "cmin": scale.axis(scale.lo),
            "cmax": scale.axis(scale.hi),
            "colorscale": scale.colours,
            "showscale": True,
            "colorbar": {
                "title": {"text": title, "side": "top"},
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": 0,
                "yanchor": "top",
                "yref": "paper",
                "tickvals": [scale.axis(v) for v in scale.ticks],
                "ticktext": [tick_text(v, unit, lang) for v in scale.ticks],
                "outlinewidth": 0,
                "thickness": 14,
                "len": 0.7,
            },
        },
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "scale",
    }
