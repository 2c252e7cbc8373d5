"""The district map's pure builders (issue 16), without Dash: one filled trace per district, hatches for the
suppressed ones with their reason, German numbers, colour-blind-safe scales, readable labels, offline."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import palette
from dashboard.maps import (
    DIVERGING,
    HATCH_BG,
    HATCH_FG,
    LABEL_DARK,
    NO_DATA,
    SEQUENTIAL,
    Projection,
    Scale,
    district_frame,
    district_map,
    label_colour,
    map_texts,
    outline,
    scale_for,
    unshaped,
)


def square(lon: float, lat: float, size: float = 0.02) -> list:
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def shapes() -> pd.DataFrame:
    polygons = {
        "01": {"type": "Polygon", "coordinates": [square(9.90, 53.5)]},
        "02": {"type": "Polygon", "coordinates": [square(9.92, 53.5)]},
        "03": {"type": "MultiPolygon", "coordinates": [[square(9.94, 53.5)], [square(9.97, 53.5, 0.005)]]},
        "04": {"type": "Polygon", "coordinates": [square(9.90, 53.52)]},
        "05": {
            "type": "Polygon",  # with a hole, its ring written in the same direction as the shell
            "coordinates": [square(9.92, 53.52), square(9.925, 53.525, 0.005)],
        },
    }
    return pd.DataFrame(
        {
            "town_ags": "09999001",
            "code": list(polygons),
            "name": ["Altstadt", "Nordviertel", "Hafen", None, "Südstadt"],
            "geometry": [json.dumps(g) for g in polygons.values()],
            "label_lon": [9.91, 9.93, 9.95, 9.91, 9.93],
            "label_lat": [53.51, 53.51, 53.51, 53.53, 53.53],
        }
    )


def values(suppression: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "group": ["01", "02", "03", "05", "09"],
            "value": [0.397, 0.452, np.nan, np.nan, 0.3],
            "ci_low": [0.35, 0.40, np.nan, np.nan, 0.2],
            "ci_high": [0.44, 0.50, np.nan, np.nan, 0.4],
            "n": pd.array([120, 88, pd.NA, pd.NA, 40], dtype="Int64"),
            "suppressed": [False, False, True, True, False],
        }
    )
    if suppression:
        frame["suppression"] = ["", "", "primary", "secondary", ""]
    return frame


TEXTS = map_texts("Engagementquote", "share", "resident_survey", 5, "de")


def traces(figure: dict, kind: str) -> list[dict]:
    return [t for t in figure["data"] if t.get("meta", {}).get("suppression") == kind]


def test_one_filled_trace_per_district_hatches_for_suppressed_and_reasons() -> None:
    frame = district_frame(shapes(), values(), "de")
    assert frame["code"].tolist() == ["01", "02", "03", "04", "05"]
    assert frame["label"].tolist() == ["Altstadt", "Nordviertel", "Hafen", "Stadtteil 04", "Südstadt"]
    assert frame["suppression"].tolist() == ["", "", "primary", NO_DATA, "secondary"]
    figure = district_map(frame, "share", TEXTS, "de")
    go.Figure(figure)  # a valid plotly figure
    districts = [t for t in figure["data"] if t.get("fill") == "toself"]
    assert len(districts) == 5 and all(t["hoveron"] == "fills" for t in districts)
    shown = traces(figure, "")
    assert [t["meta"]["district"] for t in shown] == ["01", "02"]
    assert all("fillpattern" not in t and t["fillcolor"].startswith("#") for t in shown)
    assert shown[0]["text"] == "<b>Altstadt</b><br>39,7\u00a0% · n = 120 · 95-%-Intervall 35,0–44,0\u00a0%"
    (primary,) = traces(figure, "primary")
    (secondary,) = traces(figure, "secondary")
    assert primary["fillpattern"]["shape"] == "/" and secondary["fillpattern"]["shape"] == "x"
    assert primary["fillpattern"]["bgcolor"] == HATCH_BG and primary["fillpattern"]["fgcolor"] == HATCH_FG
    assert primary["text"] == "<b>Hafen</b><br>– nicht ausgewiesen: weniger als 5 Antworten"
    assert secondary["text"].endswith("nicht ausgewiesen: verborgen, damit eine kleine Gruppe nicht errechenbar ist")
    # the legend names each kind once, with its reason
    legend = [t["name"] for t in figure["data"] if t.get("showlegend")]
    assert legend == [
        "– weniger als 5 Antworten",
        "keine Angaben",
        "– verborgen, damit eine kleine Gruppe nicht errechenbar ist",
    ]
    (none,) = traces(figure, NO_DATA)
    assert "fillpattern" not in none and none["line"]["dash"] == "dot"
    labels = next(t for t in figure["data"] if t.get("name") == "labels")
    assert labels["text"] == [
        "Altstadt<br>39,7\u00a0%",
        "Nordviertel<br>45,2\u00a0%",
        "Hafen<br>–",
        "Stadtteil 04<br>–",
        "Südstadt<br>–",
    ]
    # no base map, no tiles, no geo: cartesian scatter only, equal scale on both axes
    assert {t["type"] for t in figure["data"]} == {"scatter"}
    assert "mapbox" not in figure["layout"] and "geo" not in figure["layout"] and "map" not in figure["layout"]
    assert figure["layout"]["yaxis"]["scaleanchor"] == "x"


def test_an_older_warehouse_without_the_kind_says_both_reasons() -> None:
    frame = district_frame(shapes(), values(suppression=False), "de")
    assert frame["suppression"].tolist() == ["", "", "suppressed", NO_DATA, "suppressed"]
    figure = district_map(frame, "share", TEXTS, "de")
    hatched = traces(figure, "suppressed")
    assert len(hatched) == 2 and all(t["fillpattern"]["shape"] == "/" for t in hatched)
    assert hatched[0]["text"].endswith(
        "nicht ausgewiesen: weniger als 5 Antworten oder verborgen, damit eine kleine Gruppe nicht errechenbar ist"
    )
    assert sum(1 for t in hatched if t.get("showlegend")) == 1


def test_values_without_a_shape_are_named() -> None:
    assert unshaped(shapes(), values()) == ["09"]


def test_colour_bar_in_german_format_with_the_unit() -> None:
    figure = district_map(district_frame(shapes(), values(), "de"), "share", TEXTS, "de")
    bar = next(t for t in figure["data"] if t.get("name") == "scale")["marker"]
    assert bar["colorbar"]["title"]["text"] == "Engagementquote in %"
    assert bar["colorbar"]["ticktext"] == ["35\u00a0%", "40\u00a0%", "45\u00a0%", "50\u00a0%"]
    assert bar["colorscale"] == SEQUENTIAL
    english = map_texts("Engagement rate", "share", "resident_survey", 5, "en")
    bar_en = next(
        t
        for t in district_map(district_frame(shapes(), values(), "en"), "share", english, "en")["data"]
        if t.get("name") == "scale"
    )["marker"]
    assert bar_en["colorbar"]["ticktext"][0] == "35%"
    per = map_texts("Registrierte Freiwillige je 1.000 Einwohner", "per_1000", "registrations, population", 5, "de")
    assert per.primary == "weniger als 5 Personen"
    assert per.title == "Registrierte Freiwillige je 1.000 Einwohner (Einwohner ab 14 Jahren)"


def test_representation_index_diverges_around_one_on_a_log_scale() -> None:
    scale = scale_for(pd.Series([0.5, 0.9, 1.0, 1.6]), "index")
    assert scale.log and scale.colours == DIVERGING
    assert scale.position(1.0) == pytest.approx(0.5)
    assert scale.position(0.5) == pytest.approx(1 - scale.position(2.0))
    assert scale.colour(1.0) == "#F7F7F7"  # the neutral centre: "so viele wie ihr Bevölkerungsanteil"
    assert scale.colour(0.5) != scale.colour(2.0)
    assert 1.0 in scale.ticks and 0.5 in scale.ticks and 2.0 in scale.ticks
    texts = map_texts("Repräsentationsindex", "index", "registrations, population", 5, "de")
    assert texts.title == "Repräsentationsindex (1 = so viele wie ihr Bevölkerungsanteil)"
    zero = scale_for(pd.Series([0.0, 1.2]), "index")
    assert zero.position(0.0) == 0.0 and zero.lo == pytest.approx(0.25)  # an index of 0: the scale's orange end


def test_scales_are_colour_blind_safe_and_readable_in_grey() -> None:
    """Cividis (and PuOr) keep their order in lightness, so the map reads in greyscale and with every common
    colour-vision deficiency; the sequential scale's lightness falls steadily (darker = more)."""
    seq = Scale(SEQUENTIAL, 0.0, 1.0, ())
    lum = [palette.relative_luminance(seq.colour(v)) for v in np.linspace(0, 1, 41)]
    assert all(a > b for a, b in zip(lum, lum[1:], strict=False))
    div = Scale(DIVERGING, 0.25, 4.0, (), log=True)
    lows = [palette.relative_luminance(div.colour(v)) for v in np.geomspace(0.25, 1, 15)]
    highs = [palette.relative_luminance(div.colour(v)) for v in np.geomspace(1, 4, 15)]
    assert all(a <= b for a, b in zip(lows, lows[1:], strict=False))  # lighter towards 1
    assert all(a >= b for a, b in zip(highs, highs[1:], strict=False))  # darker away from 1


@pytest.mark.parametrize("colours", [SEQUENTIAL, DIVERGING], ids=["sequential", "diverging"])
def test_labels_contrast_at_least_4_5_to_1_on_every_fill(colours: list) -> None:
    scale = Scale(colours, 0.0, 1.0, ())
    fills = [scale.colour(v) for v in np.linspace(0, 1, 201)] + [HATCH_BG, "#FFFFFF"]
    for fill in fills:
        assert palette.contrast_ratio(label_colour(fill), fill) >= 4.5, fill
    # the hatch lines under a label on a suppressed district are light enough too
    assert palette.contrast_ratio(LABEL_DARK, HATCH_FG) >= 4.5 and label_colour(HATCH_BG) == LABEL_DARK


def test_rings_are_drawn_so_holes_stay_holes() -> None:
    geometry = shapes()["geometry"].iloc[4]
    xs, ys = outline(geometry, Projection(9.93, 53.53))
    assert xs.count(None) == 1  # shell, gap, hole
    cut = xs.index(None)
    shell = np.array(list(zip(xs[:cut], ys[:cut], strict=True)))
    hole = np.array(list(zip(xs[cut + 1 :], ys[cut + 1 :], strict=True)))

    def area(r: np.ndarray) -> float:
        return float(np.sum(r[:-1, 0] * r[1:, 1] - r[1:, 0] * r[:-1, 1]) / 2)

    assert area(shell) > 0 > area(hole)  # opposite directions: filled with a hole under either fill rule
    # kilometres: 0.02° of longitude at 53.5° N are about 1.3 km, of latitude about 2.2 km
    assert max(x for x in xs[:cut]) - min(x for x in xs[:cut]) == pytest.approx(
        0.02 * 111.32 * np.cos(np.radians(53.53)), rel=1e-3
    )
