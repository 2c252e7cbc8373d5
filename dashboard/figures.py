"""Pure figure builders: a tidy DataFrame in, a Plotly figure (as a plain dict) out.

Figures are plain dicts rather than ``plotly.graph_objects.Figure`` because Dash serialises dicts as they
are, while building a ``Figure`` validates every property (several milliseconds per figure, the larger
part of a callback's time). Tests feed each dict through ``go.Figure`` to prove it is valid. Hover texts
and labels are pre-formatted with :mod:`dashboard.formatting`, so a chart reads like its table
(German numbers, "–" for suppressed values with the reason of their kind, :mod:`dashboard.suppression`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dashboard import palette
from dashboard.formatting import SUPPRESSED, fmt_value, plotly_separators
from dashboard.i18n import label, t
from dashboard.suppression import kinds, reason_for

Figure = dict[str, Any]

_FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 14, "color": palette.TEXT}


def axis_format(unit: str) -> dict[str, Any]:
    """Tick format of a value axis for a catalogue unit (shares as percent)."""
    if unit == "share":
        return {"tickformat": ".0%", "rangemode": "tozero"}
    if unit == "count":
        return {"tickformat": ",d", "rangemode": "tozero"}
    if unit in ("index", "score", "difference"):
        return {"tickformat": ".1f"}
    return {"tickformat": ",.0f", "rangemode": "tozero"}


def base_layout(lang: str, *, height: int = 340, legend: bool = True) -> dict[str, Any]:
    return {
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 20, "b": 50},
        "font": _FONT,
        "separators": plotly_separators(lang),
        "paper_bgcolor": palette.BACKGROUND,
        "plot_bgcolor": palette.BACKGROUND,
        "showlegend": legend,
        "legend": {"orientation": "h", "y": -0.2, "x": 0},
        "xaxis": {"gridcolor": palette.GRID, "linecolor": palette.MUTED, "automargin": True},
        "yaxis": {"gridcolor": palette.GRID, "linecolor": palette.MUTED, "automargin": True},
        "hoverlabel": {"bgcolor": "#FFFFFF", "font": {"color": palette.TEXT}},
    }


def empty_figure(message: str, lang: str = "de", height: int = 200) -> Figure:
    """A blank figure that says why there is nothing to show (instead of empty axes)."""
    layout = base_layout(lang, height=height, legend=False)
    layout["xaxis"] = {"visible": False}
    layout["yaxis"] = {"visible": False}
    layout["annotations"] = [
        {
            "text": message,
            "showarrow": False,
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
            "font": {"size": 15, "color": palette.MUTED},
        }
    ]
    return {"data": [], "layout": layout}


def _nan_to_none(values: pd.Series | np.ndarray) -> list[Any]:
    arr = pd.Series(values, dtype="float64").to_numpy()
    return [None if np.isnan(v) else float(v) for v in arr]


def trend_figure(frame: pd.DataFrame, unit: str, lang: str, height: int = 340, reason: str = "") -> Figure:
    """Lines over the years, one per ``series``, each with its band (``low``–``high``) where there is one.

    Columns: ``series`` (label), ``year``, ``value`` (NaN = suppressed, the line breaks), ``low``, ``high``,
    optionally ``unit`` per row (hover texts), ``suppressed``/``suppression``; ``unit`` formats the value
    axis. A suppressed year gets a "–" at the foot of the chart in the series' colour whose hover says why
    (``reason``: the primary reason; the secondary one is told apart by the row's kind).
    """
    data: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for i, (name, part) in enumerate(frame.groupby("series", sort=False)):
        colour = palette.SERIES[i % len(palette.SERIES)]
        part = part.sort_values("year")
        years = part["year"].astype(int).tolist()
        units = part["unit"].astype(str).tolist() if "unit" in part.columns else [unit] * len(part)
        if part["low"].notna().any():
            data.append(
                {
                    "type": "scatter",
                    "x": years + years[::-1],
                    "y": _nan_to_none(part["high"]) + _nan_to_none(part["low"])[::-1],
                    "fill": "toself",
                    "mode": "lines",
                    "fillcolor": _band(colour),
                    "line": {"width": 0},
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "legendgroup": str(name),
                    "name": str(name),
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": str(name),
                "legendgroup": str(name),
                "x": years,
                "y": _nan_to_none(part["value"]),
                "line": {"color": colour, "width": 3},
                "marker": {"size": 8, "color": colour},
                "text": [fmt_value(v, u, lang) for v, u in zip(part["value"], units, strict=True)],
                "hovertemplate": "%{x}: %{text}<extra>%{fullData.name}</extra>",
            }
        )
        for year, kind in zip(years, kinds(part), strict=True):
            if kind:
                notes.append(_suppressed_mark(str(name), year, reason_for(kind, reason, lang), colour, i))
    layout = base_layout(lang, height=height)
    layout["xaxis"] |= {"dtick": 1, "tickformat": "d"}
    layout["yaxis"] |= axis_format(unit)
    if notes:
        layout["annotations"] = notes
    return {"data": data, "layout": layout}


def _suppressed_mark(series: str, year: int, why: str, colour: str, index: int) -> dict[str, Any]:
    """A "–" at the foot of a trend chart for a suppressed year; its hover names series, year and reason."""
    return {
        "text": SUPPRESSED,
        "x": year,
        "xref": "x",
        "y": 0.02 + 0.07 * index,
        "yref": "paper",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"color": colour, "size": 18},
        "hovertext": f"{series} {year}: {SUPPRESSED} ({why})" if why else f"{series} {year}: {SUPPRESSED}",
        "captureevents": True,
    }


def _band(hex_colour: str, alpha: float = 0.15) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha})"


def sparkline(frame: pd.DataFrame, unit: str, lang: str) -> Figure:
    """A small trend line without axes for a headline card. Columns: ``year``, ``value``."""
    part = frame.sort_values("year")
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": part["year"].astype(int).tolist(),
            "y": _nan_to_none(part["value"]),
            "line": {"color": palette.SERIES[0], "width": 2},
            "marker": {"size": 5},
            "text": [fmt_value(v, unit, lang) for v in part["value"]],
            "hovertemplate": "%{x}: %{text}<extra></extra>",
        }
    ]
    layout = base_layout(lang, height=70, legend=False)
    layout["margin"] = {"l": 4, "r": 4, "t": 4, "b": 4}
    layout["xaxis"] = {"visible": False, "fixedrange": True}
    layout["yaxis"] = {"visible": False, "fixedrange": True}
    return {"data": data, "layout": layout}


def short(text: str, limit: int = 32) -> str:
    """An axis label cut to ``limit`` characters (the full text is in the hover and the table)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_figure(
    frame: pd.DataFrame,
    unit: str,
    lang: str,
    reason: str,
    *,
    reference: float | None = None,
    horizontal: bool = True,
    colours: list[str] | None = None,
    height: int | None = None,
) -> Figure:
    """Bars with 95 % error bars; a suppressed bar is shown as "–" with its reason, never as zero.

    Columns: ``label``, ``value``, ``low``, ``high`` (NaN where none), ``suppressed``, optionally
    ``suppression`` (the kind: ``reason`` is the primary reason, a ``secondary`` row gets its own).
    ``reference`` draws a line (e.g. 1 for the representation index: proportional).
    """
    values = frame["value"].astype("float64")
    suppressed = frame["suppressed"].astype(bool).to_numpy()
    shown = np.where(suppressed, 0.0, values.fillna(0).to_numpy())
    why = [reason_for(kind, reason, lang) for kind in kinds(frame)]
    gone = [f"{SUPPRESSED} ({w})" if horizontal and w else SUPPRESSED for w in why]
    text = [g if s else fmt_value(v, unit, lang) for v, s, g in zip(values, suppressed, gone, strict=True)]
    hover = [f"{SUPPRESSED} ({w})" if s and w else t_ for s, w, t_ in zip(suppressed, why, text, strict=True)]
    # Values inside the bar at its base (white on the bar colour, 5:1), away from the error bar; "–" outside.
    position = ["outside" if s else "inside" for s in suppressed]
    has_ci = frame["low"].notna().any()
    err = {}
    if has_ci:
        plus = (frame["high"] - values).clip(lower=0)
        minus = (values - frame["low"]).clip(lower=0)
        err = {
            "type": "data",
            "symmetric": False,
            "array": _nan_to_none(plus),
            "arrayminus": _nan_to_none(minus),
            "color": palette.TEXT,
            "thickness": 1.5,
        }
    labels = [short(x) for x in frame["label"].astype(str)]
    bar: dict[str, Any] = {
        "type": "bar",
        "text": text,
        "textposition": position,
        "insidetextanchor": "start",
        "insidetextfont": {"color": "#FFFFFF"},
        "outsidetextfont": {"color": palette.TEXT},
        "cliponaxis": False,
        "marker": {"color": colours or palette.SERIES[0]},
        "hovertext": hover,
        "hovertemplate": "%{y}: %{hovertext}<extra></extra>" if horizontal else "%{x}: %{hovertext}<extra></extra>",
    }
    if horizontal:
        bar |= {"orientation": "h", "y": labels, "x": shown.tolist()}
        if err:
            bar["error_x"] = err
    else:
        bar |= {"x": labels, "y": shown.tolist()}
        if err:
            bar["error_y"] = err
    layout = base_layout(lang, height=height or max(220, 48 * len(frame) + 80), legend=False)
    value_axis, label_axis = ("xaxis", "yaxis") if horizontal else ("yaxis", "xaxis")
    layout[value_axis] |= axis_format(unit)
    if unit == "share":
        top = float(np.nanmax(np.r_[frame["high"].to_numpy(dtype=float), values.to_numpy(), 0.0]))
        layout[value_axis]["range"] = [0, min(1.0, top * 1.25 + 0.05)]
    if horizontal:
        layout[label_axis] |= {"autorange": "reversed"}
        layout["margin"]["r"] = 120
    if reference is not None:
        line = {"type": "line", "line": {"color": palette.TEXT, "dash": "dash", "width": 2}}
        line |= (
            {"x0": reference, "x1": reference, "xref": "x", "y0": 0, "y1": 1, "yref": "paper"}
            if horizontal
            else {"y0": reference, "y1": reference, "yref": "y", "x0": 0, "x1": 1, "xref": "paper"}
        )
        layout["shapes"] = [line]
    return {"data": [bar], "layout": layout}


def grouped_bar(frame: pd.DataFrame, unit: str, lang: str, reason: str) -> Figure:
    """Several series of bars per label (e.g. trust and value by sector). Columns as :func:`bar_figure`
    plus ``series``."""
    data = []
    for i, (name, part) in enumerate(frame.groupby("series", sort=False)):
        one = bar_figure(part, unit, lang, reason, horizontal=False)["data"][0]
        one |= {"name": str(name), "marker": {"color": palette.SERIES[i % len(palette.SERIES)]}}
        data.append(one)
    layout = base_layout(lang)
    layout["barmode"] = "group"
    layout["yaxis"] |= axis_format(unit)
    if unit == "score":
        layout["yaxis"]["range"] = [0, 4.4]
    return {"data": data, "layout": layout}


def stacked_bar(frame: pd.DataFrame, unit: str, lang: str) -> Figure:
    """Stacked bars over the years, one colour per ``group``. Columns: ``year``, ``group``, ``value``."""
    data = []
    for i, (name, part) in enumerate(frame.groupby("group", sort=True)):
        # Beyond the six palette colours, repeat them with a hatch pattern so no two groups look alike.
        pattern = {"shape": "/" if i >= len(palette.SERIES) else "", "fgcolor": "#FFFFFF"}
        data.append(
            {
                "type": "bar",
                "name": str(name),
                "x": part["year"].astype(int).tolist(),
                "y": _nan_to_none(part["value"]),
                "marker": {"color": palette.SERIES[i % len(palette.SERIES)], "pattern": pattern},
                "text": [fmt_value(v, unit, lang) for v in part["value"]],
                "textposition": "none",
                "hovertemplate": "%{x}: %{text}<extra>%{fullData.name}</extra>",
            }
        )
    layout = base_layout(lang)
    layout["barmode"] = "stack"
    layout["xaxis"] |= {"dtick": 1, "tickformat": "d"}
    layout["yaxis"] |= axis_format(unit)
    return {"data": data, "layout": layout}


def network_map(nodes: pd.DataFrame, ties: pd.DataFrame, lang: str) -> Figure:
    """Organisations at their stored x/y, coloured and shaped by sector, ties as grey lines.

    ``nodes``: ``org_id``, ``name``, ``sector``, ``degree``, ``x``, ``y``; ``ties``: ``org_a``, ``org_b``.
    The ties are one trace (segments separated by gaps), so thousands of ties stay one SVG path.
    """
    pos = nodes.set_index("org_id")[["x", "y"]].astype("float64")
    a = pos.reindex(ties["org_a"]).to_numpy()
    b = pos.reindex(ties["org_b"]).to_numpy()
    gap = np.full((len(ties), 1), np.nan)
    xs = np.hstack([a[:, :1], b[:, :1], gap]).ravel()
    ys = np.hstack([a[:, 1:], b[:, 1:], gap]).ravel()
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": _nan_to_none(xs),
            "y": _nan_to_none(ys),
            "hoverinfo": "skip",
            "line": {"color": palette.TIE, "width": 1},
            "showlegend": False,
            "name": "ties",
        }
    ]
    for sector, colour in palette.SECTOR.items():
        part = nodes[nodes["sector"] == sector]
        if part.empty:
            continue
        size = (10 + 2.5 * np.sqrt(part["degree"].to_numpy(dtype=float))).round(1).tolist()
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": label("sector", sector, lang),
                "x": part["x"].astype(float).tolist(),
                "y": part["y"].astype(float).tolist(),
                "marker": {
                    "color": colour,
                    "size": size,
                    "symbol": palette.SECTOR_SYMBOL[sector],
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                "text": (
                    part["name"].astype(str) + " · " + t("col.degree", lang) + ": " + part["degree"].astype(str)
                ).tolist(),
                "hovertemplate": "%{text}<extra>%{fullData.name}</extra>",
            }
        )
    layout = base_layout(lang, height=480)
    layout["xaxis"] = {"visible": False}
    layout["yaxis"] = {"visible": False, "scaleanchor": "x"}
    return {"data": data, "layout": layout}


def goal_progress(frame: pd.DataFrame, lang: str) -> Figure:
    """Each goal's progress as a bar coloured by status, with its expected progress as a marker.

    Columns: ``label``, ``progress`` and ``expected`` (fractions; progress NaN = no data), ``status``.
    """
    progress = frame["progress"].astype("float64")
    status_text = [label("status", s, lang) for s in frame["status"]]
    text = [
        f"{fmt_value(p, 'share', lang)} · {s}" if not np.isnan(p) else s
        for p, s in zip(progress, status_text, strict=True)
    ]
    labels = frame["label"].astype(str).tolist()
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": _nan_to_none(progress.fillna(0).clip(-0.5, 1.5)),
            "marker": {"color": [palette.STATUS.get(s, palette.STATUS["no_data"]) for s in frame["status"]]},
            "text": text,
            "textposition": "outside",
            "cliponaxis": False,
            "name": t("col.progress", lang),
            "hovertemplate": "%{y}: %{text}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "y": labels,
            "x": _nan_to_none(frame["expected"]),
            "name": t("goals.expected", lang),
            "marker": {"symbol": "line-ns-open", "size": 26, "color": palette.TEXT, "line": {"width": 3}},
            "text": [fmt_value(v, "share", lang) for v in frame["expected"]],
            "hovertemplate": f"{t('goals.expected', lang)}: %{{text}}<extra></extra>",
        },
    ]
    layout = base_layout(lang, height=max(220, 56 * len(frame) + 90))
    # Room beside the bars for their labels: left of negative progress, right of progress beyond 100 %.
    low = -1.1 if (progress < 0).any() else 0.0
    high = 2.2 if (progress > 1).any() else 1.6
    layout["xaxis"] |= {"tickformat": ".0%", "range": [low, high]}
    layout["yaxis"] |= {"autorange": "reversed"}
    layout["margin"]["r"] = 40
    return {"data": data, "layout": layout}


def goal_trend(frame: pd.DataFrame, baseline: float, target: float, unit: str, lang: str) -> Figure:
    """A goal's measured values over time with its baseline and target as lines. Columns: ``date``, ``value``."""
    dates = pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d").tolist()
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": dates,
            "y": _nan_to_none(frame["value"]),
            "name": t("col.value", lang),
            "line": {"color": palette.SERIES[0], "width": 3},
            "text": [fmt_value(v, unit, lang) for v in frame["value"]],
            "hovertemplate": "%{x|%d.%m.%Y}: %{text}<extra></extra>",
        }
    ]
    layout = base_layout(lang)
    layout["yaxis"] |= axis_format(unit)
    layout["xaxis"] |= {"tickvals": dates, "tickformat": "%d.%m.%Y" if lang == "de" else "%Y-%m-%d"}
    layout["shapes"] = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": y,
            "y1": y,
            "line": {"color": colour, "dash": dash, "width": 2},
        }
        for y, colour, dash in ((baseline, palette.MUTED, "dot"), (target, palette.HIGHLIGHT, "dash"))
    ]
    layout["annotations"] = [
        {
            "xref": "paper",
            "x": 1,
            "xanchor": "right",
            "yref": "y",
            "y": y,
            "yanchor": "bottom",
            "showarrow": False,
            "text": f"{t(key, lang)}: {fmt_value(y, unit, lang)}",
            "font": {"color": palette.TEXT, "size": 12},
        }
        for y, key in ((baseline, "goals.baseline"), (target, "goals.target"))
    ]
    return {"data": data, "layout": layout}


def comparison_figure(frame: pd.DataFrame, unit: str, lang: str, median: float, q1: float, q3: float) -> Figure:
    """All towns' values as sorted bars, the chosen town highlighted, with the median line and quartile band.

    Columns: ``town_name``, ``value``, ``highlight`` (bool).
    """
    part = frame.sort_values("value", ascending=False)
    colours = np.where(part["highlight"].to_numpy(dtype=bool), palette.HIGHLIGHT, palette.OTHERS).tolist()
    names = part["town_name"].astype(str).tolist()
    data = [
        {
            "type": "bar",
            "x": names,
            "y": _nan_to_none(part["value"]),
            "marker": {"color": colours},
            "text": [fmt_value(v, unit, lang) for v in part["value"]],
            "textposition": "none",
            "hovertemplate": "%{x}: %{text}<extra></extra>",
            "name": t("col.value", lang),
        }
    ]
    layout = base_layout(lang, height=420, legend=False)
    layout["yaxis"] |= axis_format(unit)
    layout["xaxis"] |= {"tickangle": -45, "showticklabels": len(part) <= 40}
    layout["shapes"] = [
        {
            "type": "rect",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": q1,
            "y1": q3,
            "layer": "below",
            "fillcolor": palette.BAND,
            "line": {"width": 0},
        },
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": median,
            "y1": median,
            "line": {"color": palette.TEXT, "dash": "dash", "width": 2},
        },
    ]
    layout["annotations"] = [
        {
            "xref": "paper",
            "x": 1,
            "xanchor": "right",
            "yref": "y",
            "y": median,
            "yanchor": "bottom",
            "showarrow": False,
            "text": f"{t('cmp.median', lang)}: {fmt_value(median, unit, lang)}",
            "font": {"color": palette.TEXT, "size": 12},
            "bgcolor": "rgba(255,255,255,0.8)",
        }
    ]
    return {"data": data, "layout": layout}
