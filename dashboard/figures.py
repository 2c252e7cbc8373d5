"""Pure figure builders: a tidy DataFrame in, a Plotly figure (as a plain dict) out.

Figures are plain dicts rather than ``plotly.graph_objects.Figure`` because Dash serialises dicts as they
are, while building a ``Figure`` validates every property (several milliseconds per figure, the larger
part of a callback's time). Tests feed each dict through ``go.Figure`` to prove it is valid. Hover texts
and labels are pre-formatted with :mod:`dashboard.formatting`, so a chart reads like its table
(German numbers, "–" for suppressed values with the reason of their kind, :mod:`dashboard.suppression`).

Shares are drawn in percent (the stored fraction × 100, :func:`scale`) so that axis ticks read "40 %" with the
German separators and a space before the sign (plotly's own ``%`` format writes "40%"). No builder hides
data: more categories than colours get hatched colours (never an unfilled pattern), a goal bar beyond the
axis is cut with a visible break marker and its value written beside it, and every colour drawn has a
legend entry or is named on its axis.
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


PERCENT_SUFFIX = {"de": "\u00a0%", "en": "%"}


def scale(unit: str) -> float:
    """Factor from the stored value to the drawn one: shares are drawn in percent."""
    return 100.0 if unit == "share" else 1.0


def axis_format(unit: str, lang: str = "de") -> dict[str, Any]:
    """Tick format of a value axis for a catalogue unit (shares in percent: "40 %", German separators)."""
    if unit == "share":
        return {"tickformat": ".3~r", "ticksuffix": PERCENT_SUFFIX.get(lang, "%"), "rangemode": "tozero"}
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


def wrap(text: str, width: int = 46) -> str:
    """A message broken into lines of at most ``width`` characters (plotly annotations do not wrap, so a long
    message in a narrow card would be cut off)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def empty_figure(message: str, lang: str = "de", height: int = 200) -> Figure:
    """A blank figure that says why there is nothing to show (instead of empty axes)."""
    layout = base_layout(lang, height=height, legend=False)
    layout["xaxis"] = {"visible": False}
    layout["yaxis"] = {"visible": False}
    layout["annotations"] = [
        {
            "text": wrap(message),
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
    k = scale(unit)
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
                    "y": _nan_to_none(part["high"] * k) + _nan_to_none(part["low"] * k)[::-1],
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
                "y": _nan_to_none(part["value"] * k),
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
    layout["yaxis"] |= axis_format(unit, lang)
    if notes:
        layout["annotations"] = notes
    return {"data": data, "layout": layout}


def unit_panels(
    frame: pd.DataFrame, lang: str, titles: dict[str, str], height: int = 420, reason: str = ""
) -> Figure:
    """Series of different units over the years, one panel (own y axis) per unit, so every indicator keeps its
    one format (shares in percent, indices as numbers). Columns as :func:`trend_figure` with ``unit``."""
    units = list(dict.fromkeys(frame["unit"].astype(str)))
    if len(units) <= 1:
        return trend_figure(frame, units[0] if units else "index", lang, height, reason=reason)
    data: list[dict[str, Any]] = []
    layout = base_layout(lang, height=height)
    gap = 0.12
    size = (1.0 - gap * (len(units) - 1)) / len(units)
    colour_offset = 0
    axis = dict(layout["yaxis"])
    for i, unit in enumerate(units):
        part = frame[frame["unit"].astype(str) == unit]
        panel = trend_figure(part, unit, lang, reason=reason)
        layout.setdefault("annotations", []).extend(panel["layout"].get("annotations", []))
        ref = "y" if i == 0 else f"y{i + 1}"
        for trace in panel["data"]:
            trace = {**trace, "yaxis": ref}
            if trace.get("mode") == "lines+markers":
                colour = palette.SERIES[colour_offset % len(palette.SERIES)]
                colour_offset += 1
                trace["line"] = {**trace["line"], "color": colour}
                trace["marker"] = {**trace["marker"], "color": colour}
            data.append(trace)
        top = 1.0 - i * (size + gap)
        name = "yaxis" if i == 0 else f"yaxis{i + 1}"
        layout[name] = {
            **axis,
            **axis_format(unit, lang),
            "domain": [max(0.0, top - size), top],
            "title": {"text": titles.get(unit, ""), "font": {"size": 12}},
        }
        if i:
            layout[name]["anchor"] = "x"
    # the year axis under the lowest panel
    layout["xaxis"] |= {"dtick": 1, "tickformat": "d", "anchor": f"y{len(units)}"}
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
    font_size: int = 14,
) -> Figure:
    """Bars with 95 % error bars; a suppressed bar is shown as "–" with its reason, never as zero.

    Columns: ``label``, ``value``, ``low``, ``high`` (NaN where none), ``suppressed``, optionally
    ``suppression`` (the kind: ``reason`` is the primary reason, a ``secondary`` row gets its own).
    ``reference`` draws a line (e.g. 1 for the representation index: proportional). Horizontal bars with
    intervals write their values in a column right of the plot (an error bar would run through a label on
    the bar); ``font_size`` is that column's type size (the Sitzungsmodus draws larger).
    """
    k = scale(unit)
    values = frame["value"].astype("float64")
    suppressed = frame["suppressed"].astype(bool).to_numpy()
    shown = np.where(suppressed, 0.0, values.fillna(0).to_numpy()) * k
    why = [reason_for(kind, reason, lang) for kind in kinds(frame)]
    gone = [f"{SUPPRESSED} ({w})" if horizontal and w else SUPPRESSED for w in why]
    text = [g if s else fmt_value(v, unit, lang) for v, s, g in zip(values, suppressed, gone, strict=True)]
    hover = [f"{SUPPRESSED} ({w})" if s and w else t_ for s, w, t_ in zip(suppressed, why, text, strict=True)]
    # Values inside the bar at its base, away from the error bar, in white or near-black, whichever reaches
    # 4.5:1 on the bar's colour (:func:`palette.label_colour`); "–" outside.
    position = ["outside" if s else "inside" for s in suppressed]
    has_ci = frame["low"].notna().any()
    err = {}
    if has_ci:
        plus = (frame["high"] - values).clip(lower=0) * k
        minus = (values - frame["low"]).clip(lower=0) * k
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
        "insidetextfont": {"color": inside_colours(colours or palette.SERIES[0], len(frame))},
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
    layout[value_axis] |= axis_format(unit, lang)
    if unit == "share":
        top = float(np.nanmax(np.r_[frame["high"].to_numpy(dtype=float), values.to_numpy(), 0.0]))
        layout[value_axis]["range"] = [0, min(1.0, top * 1.25 + 0.05) * k]
    if horizontal:
        layout[label_axis] |= {"autorange": "reversed"}
        layout["margin"]["r"] = 120
        if has_ci:  # the value column beside the plot, one label per bar, clear of every error bar
            bar["textposition"] = "none"
            layout["annotations"] = [
                {
                    "xref": "paper",
                    "x": 1,
                    "xanchor": "left",
                    "xshift": 8,
                    "yref": "y",
                    "y": name,
                    "text": value,
                    "showarrow": False,
                    "font": {"size": font_size, "color": palette.TEXT},
                }
                for name, value in zip(labels, text, strict=True)
            ]
            layout["margin"]["r"] = int(max(len(x) for x in text) * font_size * 0.6) + 20
    if reference is not None:
        line = {"type": "line", "line": {"color": palette.TEXT, "dash": "dash", "width": 2}}
        ref = reference * k
        line |= (
            {"x0": ref, "x1": ref, "xref": "x", "y0": 0, "y1": 1, "yref": "paper"}
            if horizontal
            else {"y0": ref, "y1": ref, "yref": "y", "x0": 0, "x1": 1, "xref": "paper"}
        )
        layout["shapes"] = [line]
    return {"data": [bar], "layout": layout}


def inside_colours(colours: str | list[str], count: int) -> str | list[str]:
    """The colour of the value labels drawn inside bars of ``colours`` (one colour, or one per bar)."""
    if isinstance(colours, str):
        return palette.label_colour(colours)
    return [palette.label_colour(c) for c in colours[:count]]


def grouped_bar(frame: pd.DataFrame, unit: str, lang: str, reason: str) -> Figure:
    """Several series of bars per label (e.g. trust and value by sector). Columns as :func:`bar_figure`
    plus ``series``."""
    data = []
    for i, (name, part) in enumerate(frame.groupby("series", sort=False)):
        colour = palette.SERIES[i % len(palette.SERIES)]
        one = bar_figure(part, unit, lang, reason, horizontal=False, colours=[colour] * len(part))["data"][0]
        one |= {"name": str(name)}
        data.append(one)
    layout = base_layout(lang)
    layout["barmode"] = "group"
    layout["yaxis"] |= axis_format(unit, lang)
    if unit == "score":
        layout["yaxis"]["range"] = [0, 4.4]
    return {"data": data, "layout": layout}


def stacked_bar(frame: pd.DataFrame, unit: str, lang: str, other: str = "weitere") -> Figure:
    """Stacked bars over the years, one filled colour (beyond six: colour with a hatch) per ``group``.

    Columns: ``year``, ``group``, ``value``. Beyond :data:`palette.MAX_CATEGORIES` groups the smallest ones
    (by their total) are summed into one group ``other`` ("weitere (n)"), so the stack still adds up to the
    data. Every segment is filled, so the stacked total always equals the sum of the values.
    """
    frame = group_small(frame, palette.MAX_CATEGORIES, other)
    groups = sorted(frame["group"].astype(str).unique(), key=lambda g: (g.startswith(other), g))
    styles = palette.categorical(len(groups))
    data = []
    k = scale(unit)
    for name, (colour, shape) in zip(groups, styles, strict=True):
        part = frame[frame["group"].astype(str) == name]
        marker: dict[str, Any] = {"color": colour, "line": {"color": "#FFFFFF", "width": 1}}
        if shape:
            marker["pattern"] = {"shape": shape, "fillmode": "overlay", "fgcolor": "#FFFFFF", "size": 7}
        data.append(
            {
                "type": "bar",
                "name": str(name),
                "x": part["year"].astype(int).tolist(),
                "y": _nan_to_none(part["value"] * k),
                "marker": marker,
                "text": [fmt_value(v, unit, lang) for v in part["value"]],
                "textposition": "none",
                "hovertemplate": "%{x}: %{text}<extra>%{fullData.name}</extra>",
            }
        )
    layout = base_layout(lang)
    layout["barmode"] = "stack"
    layout["xaxis"] |= {"dtick": 1, "tickformat": "d"}
    layout["yaxis"] |= axis_format(unit, lang)
    layout["legend"] = {**layout["legend"], "traceorder": "normal"}
    layout["height"] = 340 + 24 * max(0, (len(groups) - 1) // 4)  # room for a legend of many groups
    return {"data": data, "layout": layout}


def group_small(frame: pd.DataFrame, keep: int, other: str = "weitere") -> pd.DataFrame:
    """At most ``keep`` groups: the smallest (by total value) summed into "{other} (n)" per year."""
    totals = frame.groupby("group")["value"].sum().sort_values(ascending=False)
    if len(totals) <= keep:
        return frame
    small = set(totals.index[keep - 1 :])
    rest = frame[frame["group"].isin(small)].groupby("year", as_index=False)["value"].sum(min_count=1)
    rest = rest.assign(group=f"{other} ({len(small)})")
    return pd.concat([frame[~frame["group"].isin(small)], rest], ignore_index=True)


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


GOAL_AXIS = (-100.0, 200.0)  # percent of the way to the target; beyond this a goal bar is cut with a break


def goal_progress(frame: pd.DataFrame, lang: str, *, label_limit: int = 0, font_size: int = 14) -> Figure:
    """Each goal's progress (percent of the way from baseline to target) as a bar coloured by status, its
    expected progress as a marker, and its value and status written in a column to the right.

    Columns: ``label``, ``progress`` and ``expected`` (fractions; progress NaN = no measurement), ``status``.
    The axis covers every bar within :data:`GOAL_AXIS`; a bar beyond is cut at the axis end with a break
    marker (trace "Achsenbruch") and its true value stays in its label. One bar trace per status, so the
    legend names every colour; the value labels sit in the right margin, one per row, where they can overlap
    neither a bar, the goal names nor each other.
    """
    progress = frame["progress"].astype("float64") * 100
    expected = frame["expected"].astype("float64") * 100
    labels = [short(x, label_limit) if label_limit else x for x in frame["label"].astype(str)]
    statuses = [str(s) for s in frame["status"]]
    low_cap, high_cap = GOAL_AXIS
    drawn = progress.clip(low_cap, high_cap)
    cut = progress.notna() & (progress != drawn)
    texts = [
        f"{_pct(p, lang)} · {label('status', s, lang)}" if not np.isnan(p) else label("status", s, lang)
        for p, s in zip(progress, statuses, strict=True)
    ]
    data: list[dict[str, Any]] = []
    for status in ("achieved", "on_track", "at_risk", "off_track", "no_data"):
        rows = [i for i, s in enumerate(statuses) if s == status]
        if not rows:
            continue
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": label("status", status, lang),
                "y": [labels[i] for i in rows],
                "x": [0.0 if np.isnan(drawn.iloc[i]) else float(drawn.iloc[i]) for i in rows],
                "marker": {"color": palette.STATUS.get(status, palette.STATUS["no_data"])},
                "text": [texts[i] for i in rows],
                "textposition": "none",
                "hovertemplate": "%{y}: %{text}<extra></extra>",
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "y": labels,
            "x": _nan_to_none(expected),
            "name": t("goals.expected", lang),
            "marker": {"symbol": "line-ns-open", "size": font_size * 1.9, "color": palette.TEXT, "line": {"width": 3}},
            "text": [_pct(v, lang) for v in expected],
            "hovertemplate": f"{t('goals.expected', lang)}: %{{text}}<extra></extra>",
        }
    )
    if cut.any():
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": t("goals.axis_break", lang),
                "y": [labels[i] for i in np.flatnonzero(cut.to_numpy())],
                "x": drawn[cut].tolist(),
                "marker": {
                    "symbol": "hourglass",
                    "size": font_size * 1.3,
                    "color": "#FFFFFF",
                    "line": {"color": palette.TEXT, "width": 2},
                },
                "hoverinfo": "skip",
            }
        )
    layout = base_layout(lang, height=max(240, round(font_size * 4) * len(frame) + 120))
    values = np.r_[drawn.dropna().to_numpy(), expected.dropna().to_numpy(), 0.0, 100.0]
    pad = 0.06 * (values.max() - values.min())
    layout["xaxis"] |= {
        "range": [float(values.min() - pad), float(values.max() + pad)],
        "tickformat": ".3~r",
        "ticksuffix": PERCENT_SUFFIX.get(lang, "%"),
        "zeroline": True,
        "zerolinecolor": palette.MUTED,
    }
    layout["yaxis"] |= {  # every goal named: explicit ticks, never thinned out by plotly when rows are dense
        "autorange": "reversed",
        "type": "category",
        "categoryorder": "array",
        "categoryarray": labels,
        "tickmode": "array",
        "tickvals": labels,
    }
    # the label column right of the plot: one annotation per goal in the margin, which is sized to the
    # longest label (a label inside the plot could run into a bar, the goal names or the next label)
    layout["annotations"] = [
        {
            "xref": "paper",
            "x": 1,
            "xanchor": "left",
            "xshift": 8,
            "yref": "y",
            "y": name,
            "text": text,
            "showarrow": False,
            "font": {"size": font_size, "color": palette.TEXT},
        }
        for name, text in zip(labels, texts, strict=True)
    ]
    layout["barmode"] = "overlay"
    widest = max((len(x) for x in texts), default=0)
    layout["margin"] = {**layout["margin"], "r": int(widest * font_size * 0.62) + 20, "t": 10}
    # the legend over the whole figure's width (not only the plot area's, which the two label columns narrow)
    # horizontal legend above the plot; plotly stacks a horizontal legend vertically when the right margin is
    # wide, so every entry gets the width of the longest one
    names = [str(d["name"]) for d in data if d.get("showlegend", True)]
    entry = int(max(len(n) for n in names) * font_size * 0.6) + font_size * 3
    layout["legend"] = {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": 1.0,
        "yanchor": "bottom",
        "entrywidth": entry,
        "entrywidthmode": "pixels",
    }
    layout["margin"]["t"] = int(font_size * 4.5)  # room for the legend above the plot
    return {"data": data, "layout": layout}


def _pct(value: float, lang: str) -> str:
    """A percent value as text ("−324,9 %"): goal progress is drawn in percent already."""
    return fmt_value(value / 100 if not np.isnan(value) else value, "share", lang)


def goal_trend(
    frame: pd.DataFrame,
    baseline: float,
    target: float,
    unit: str,
    lang: str,
    value_text: Any = None,
) -> Figure:
    """A goal's measured values over time with its baseline and target as lines. Columns: ``date``, ``value``.

    ``value_text`` formats a value with the goal's unit (default: the catalogue unit's format)."""
    if value_text is None:

        def value_text(v: float) -> str:
            return fmt_value(v, unit, lang)

    dates = pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d").tolist()
    date_format = "%d.%m.%Y" if lang == "de" else "%Y-%m-%d"  # as dashboard.formatting.fmt_date
    k = scale(unit)
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": dates,
            "y": _nan_to_none(frame["value"] * k),
            "name": t("col.value", lang),
            "line": {"color": palette.SERIES[0], "width": 3},
            "text": [value_text(v) for v in frame["value"]],
            "hovertemplate": f"%{{x|{date_format}}}: %{{text}}<extra></extra>",
        }
    ]
    layout = base_layout(lang)
    layout["yaxis"] |= axis_format(unit, lang)
    layout["xaxis"] |= {"tickvals": dates, "tickformat": date_format}
    layout["shapes"] = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": y * k,
            "y1": y * k,
            "line": {"color": colour, "dash": dash, "width": 2},
        }
        for y, colour, dash in ((baseline, palette.MUTED, "dot"), (target, palette.HIGHLIGHT, "dash"))
    ]
    # the baseline's label below its line at the left, the target's above its line at the right: the two
    # never collide, however close baseline and target are
    layout["annotations"] = [
        {
            "xref": "paper",
            "x": x,
            "xanchor": anchor,
            "yref": "y",
            "y": y * k,
            "yanchor": side,
            "showarrow": False,
            "text": f"{t(key, lang)}: {value_text(y)}",
            "font": {"color": palette.TEXT, "size": 12},
            "bgcolor": "rgba(255,255,255,0.85)",
        }
        for y, key, x, anchor, side in (
            (baseline, "goals.baseline", 0, "left", "top" if target >= baseline else "bottom"),
            (target, "goals.target", 1, "right", "bottom" if target >= baseline else "top"),
        )
    ]
    return {"data": data, "layout": layout}


def comparison_figure(
    frame: pd.DataFrame, unit: str, lang: str, median: float, q1: float, q3: float, town_label: str = ""
) -> Figure:
    """All towns' values as sorted bars, the chosen town highlighted, with the median line and quartile band.

    Columns: ``town_name``, ``value``, ``highlight`` (bool). The chosen town and the others are two traces and
    median and band have legend entries, so the legend names every colour.
    """
    part = frame.sort_values("value", ascending=False)
    k = scale(unit)
    names = part["town_name"].astype(str).tolist()
    chosen = part["highlight"].to_numpy(dtype=bool)
    data = []
    for mask, colour, name in (
        (~chosen, palette.OTHERS, t("cmp.others", lang)),
        (chosen, palette.HIGHLIGHT, town_label or t("cmp.chosen", lang)),
    ):
        if not mask.any():
            continue
        sub = part[mask]
        data.append(
            {
                "type": "bar",
                "x": sub["town_name"].astype(str).tolist(),
                "y": _nan_to_none(sub["value"] * k),
                "marker": {"color": colour},
                "text": [fmt_value(v, unit, lang) for v in sub["value"]],
                "textposition": "none",
                "hovertemplate": "%{x}: %{text}<extra></extra>",
                "name": name,
            }
        )
    median_text = f"{t('cmp.median', lang)}: {fmt_value(median, unit, lang)}"
    band_text = f"{t('cmp.quartiles', lang)}: {fmt_value(q1, unit, lang)}–{fmt_value(q3, unit, lang)}"
    data += [  # legend entries of the line and the band (drawn as shapes below, over the full width)
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "lines",
            "line": {"color": palette.TEXT, "dash": "dash", "width": 2},
            "name": median_text,
        },
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {"symbol": "square", "size": 14, "color": palette.BAND},
            "name": band_text,
        },
    ]
    layout = base_layout(lang, height=440)
    layout["barmode"] = "overlay"
    layout["yaxis"] |= axis_format(unit, lang)
    layout["xaxis"] |= {
        "tickangle": -45,
        "showticklabels": len(part) <= 40,
        "categoryorder": "array",
        "categoryarray": names,
    }
    layout["legend"] = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}
    layout["margin"] = {**layout["margin"], "t": 50}
    layout["shapes"] = [
        {
            "type": "rect",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": q1 * k,
            "y1": q3 * k,
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
            "y0": median * k,
            "y1": median * k,
            "line": {"color": palette.TEXT, "dash": "dash", "width": 2},
        },
    ]
    return {"data": data, "layout": layout}
