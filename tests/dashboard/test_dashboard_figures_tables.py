"""Pure figure and table builders: DataFrames in, valid Plotly figures and formatted tables out."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import figures, palette
from dashboard.formatting import MINUS, NBSP, SUPPRESSED
from dashboard.tables import TableColumn, csv_text, html_table, neutralise, table_rows
from etl.export import neutralise as export_neutralise

REASON = "weniger als 5 Antworten"


def groups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Frauen", "Männer", "divers"],
            "value": [0.412, 0.389, float("nan")],
            "low": [0.37, 0.35, float("nan")],
            "high": [0.45, 0.43, float("nan")],
            "suppressed": [False, False, True],
            "n": pd.array([210, 198, pd.NA], dtype="Int64"),
        }
    )


def trend() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "series": ["Engagementquote"] * 3 + ["Beteiligungsquote"] * 3,
            "year": [2022, 2023, 2024] * 2,
            "value": [0.40, 0.42, float("nan"), 0.2, 0.21, 0.25],
            "low": [0.36, 0.38, None, 0.17, 0.18, 0.2],
            "high": [0.44, 0.46, None, 0.23, 0.24, 0.3],
            "unit": "share",
        }
    )


def test_bar_figure_shows_suppressed_as_dash_with_reason_not_as_a_value() -> None:
    fig = figures.bar_figure(groups(), "share", "de", REASON)
    go.Figure(fig)  # valid Plotly
    bar = fig["data"][0]
    assert bar["text"] == [f"41,2{NBSP}%", f"38,9{NBSP}%", f"{SUPPRESSED} ({REASON})"]
    # with intervals the values stand in a column beside the plot, where no error bar can run through them
    column = [a["text"] for a in fig["layout"]["annotations"]]
    assert column == bar["text"] and bar["textposition"] == "none"
    assert bar["x"][2] == 0.0
    assert bar["x"][0] == pytest.approx(41.2)  # shares drawn in percent, so ticks read "40 %"
    assert bar["error_x"]["array"][0] == pytest.approx(3.8)
    assert bar["error_x"]["array"][2] is None
    assert fig["layout"]["separators"] == ",."


def test_bar_figure_reference_line_and_vertical_variant() -> None:
    fig = figures.bar_figure(groups(), "index", "en", REASON, reference=1.0, horizontal=False)
    go.Figure(fig)
    assert fig["layout"]["shapes"][0]["y0"] == 1.0
    assert fig["data"][0]["text"][2] == SUPPRESSED


def test_trend_figure_draws_bands_and_breaks_at_suppressed_years() -> None:
    fig = figures.trend_figure(trend(), "share", "de")
    go.Figure(fig)
    bands = [d for d in fig["data"] if d.get("fill") == "toself"]
    lines = [d for d in fig["data"] if d.get("mode") == "lines+markers"]
    assert len(bands) == 2 and len(lines) == 2
    assert lines[0]["y"] == pytest.approx([40.0, 42.0, None])
    assert lines[0]["text"][2] == SUPPRESSED
    # German ticks: "40 %" with a space, from numbers in percent (plotly's own "%" format writes "40%")
    assert fig["layout"]["yaxis"]["ticksuffix"] == f"{NBSP}%" and "%" not in fig["layout"]["yaxis"]["tickformat"]
    assert figures.trend_figure(trend(), "share", "en")["layout"]["yaxis"]["ticksuffix"] == "%"


def test_network_map_places_nodes_at_stored_positions_and_draws_every_tie() -> None:
    nodes = pd.DataFrame(
        {
            "org_id": ["a", "b", "c"],
            "name": ["A", "B", "C"],
            "sector": ["politics", "business", "politics"],
            "degree": [2, 1, 1],
            "x": [0.0, 1.0, 0.5],
            "y": [0.0, 0.0, 1.0],
        }
    )
    ties = pd.DataFrame({"org_a": ["a", "a"], "org_b": ["b", "c"]})
    fig = figures.network_map(nodes, ties, "de")
    go.Figure(fig)
    edge = fig["data"][0]
    assert edge["x"] == [0.0, 1.0, None, 0.0, 0.5, None]
    politics = next(d for d in fig["data"] if d.get("name") == "Politik")
    assert politics["x"] == [0.0, 0.5] and politics["marker"]["color"] == palette.SECTOR["politics"]
    assert politics["marker"]["symbol"] == palette.SECTOR_SYMBOL["politics"]


def test_comparison_highlights_the_town_and_draws_median_and_quartiles() -> None:
    frame = pd.DataFrame({"town_name": ["A", "B", "C"], "value": [0.3, 0.5, 0.4], "highlight": [False, False, True]})
    fig = figures.comparison_figure(frame, "share", "de", 0.4, 0.35, 0.45, "C-Stadt")
    go.Figure(fig)
    others, chosen = fig["data"][0], fig["data"][1]
    assert fig["layout"]["xaxis"]["categoryarray"] == ["B", "C", "A"]
    assert others["x"] == ["B", "A"] and others["marker"]["color"] == palette.OTHERS
    assert chosen["x"] == ["C"] and chosen["marker"]["color"] == palette.HIGHLIGHT and chosen["name"] == "C-Stadt"
    rect, line = fig["layout"]["shapes"]
    assert (rect["y0"], rect["y1"], line["y0"]) == pytest.approx((35.0, 45.0, 40.0))
    # every colour drawn has a legend entry: the two bar colours, the median line and the quartile band
    names = [d["name"] for d in fig["data"]]
    assert names[:2] == ["andere Städte", "C-Stadt"] and names[2].startswith("Median") and "Quartil" in names[3]


def test_goal_figures_and_empty_figure() -> None:
    goals = pd.DataFrame(
        {
            "label": ["Z1", "Z2"],
            "progress": [0.4, float("nan")],
            "expected": [0.5, 0.5],
            "status": ["at_risk", "no_data"],
        }
    )
    fig = figures.goal_progress(goals, "de")
    go.Figure(fig)
    bars = [d for d in fig["data"] if d["type"] == "bar"]  # one trace per status: the legend names each colour
    assert [(b["name"], b["marker"]["color"]) for b in bars] == [
        ("gefährdet", palette.STATUS["at_risk"]),
        ("keine Messung", palette.STATUS["no_data"]),
    ]
    labels = [a["text"] for a in fig["layout"]["annotations"]]  # the value column right of the plot
    assert labels == [f"40,0{NBSP}% · gefährdet", "keine Messung"]
    assert bars[0]["x"] == [pytest.approx(40.0)]
    values = pd.DataFrame({"date": pd.to_datetime(["2023-12-31", "2024-12-31"]).date, "value": [0.4, 0.42]})
    trend_fig = figures.goal_trend(values, 0.39, 0.44, "share", "de")
    go.Figure(trend_fig)
    assert [s["y0"] for s in trend_fig["layout"]["shapes"]] == pytest.approx([39.0, 44.0])
    base, target = trend_fig["layout"]["annotations"]  # below-left and above-right: they cannot collide
    assert (base["xanchor"], base["yanchor"]) == ("left", "top")
    assert (target["xanchor"], target["yanchor"]) == ("right", "bottom")
    assert trend_fig["data"][0]["hovertemplate"].startswith("%{x|%d.%m.%Y}")
    english = figures.goal_trend(values, 0.39, 0.44, "share", "en")  # English dates as fmt_date writes them
    assert english["data"][0]["hovertemplate"].startswith("%{x|%Y-%m-%d}")
    assert english["layout"]["xaxis"]["tickformat"] == "%Y-%m-%d"
    empty = figures.empty_figure("Keine Daten", "de")
    go.Figure(empty)
    assert empty["layout"]["annotations"][0]["text"] == "Keine Daten"
    long = figures.empty_figure("Diese Darstellung gibt es nur für eine einzelne Stadt. Bitte oben eine Stadt wählen.")
    assert long["layout"]["annotations"][0]["text"].count("<br>") >= 1  # wrapped, not cut off in a narrow card
    stacked = figures.stacked_bar(
        pd.DataFrame({"year": [2023, 2023], "group": ["a", "b"], "value": [3.0, 4.0]}), "count", "de"
    )
    go.Figure(stacked)
    assert stacked["layout"]["barmode"] == "stack"
    spark = figures.sparkline(pd.DataFrame({"year": [2023, 2024], "value": [1.0, 2.0]}), "count", "de")
    go.Figure(spark)


def test_table_rows_format_german_and_mark_suppressed_cells() -> None:
    columns = [
        TableColumn("label", "col.group"),
        TableColumn("value", "col.value", "value", unit="share"),
        TableColumn("n", "col.n", "int"),
        TableColumn("low", "col.ci", "interval", unit="share"),
    ]
    rows = table_rows(groups(), columns, "de")
    assert rows[0] == ["Frauen", f"41,2{NBSP}%", "210", f"37,0–45,0{NBSP}%"]
    assert rows[2] == ["divers", SUPPRESSED, SUPPRESSED, SUPPRESSED]
    en = table_rows(groups(), columns, "en")
    assert en[0][1] == "41.2%"


def test_html_table_has_caption_headers_and_explains_dashes() -> None:
    columns = [TableColumn("label", "col.group"), TableColumn("value", "col.value", "value", unit="share")]
    table = html_table(groups(), columns, "de", caption="Engagementquote nach Geschlecht", reason=REASON)
    tbl = table.children
    caption, head, body = tbl.children
    assert caption.children == "Engagementquote nach Geschlecht"
    assert [th.children for th in head.children.children] == ["Gruppe", "Wert"]
    assert head.children.children[1].className == "num"
    dash_cell = body.children[2].children[1]
    assert dash_cell.children[0].children == SUPPRESSED and dash_cell.children[1].children == REASON


def test_csv_keeps_raw_values_and_neutralises_formulas() -> None:
    frame = pd.DataFrame({"reason": ["=SUMME(A1)", "ok", "-x", "@cmd"], "value": [0.5, float("nan"), -1.0, 2.0]})
    text = csv_text(frame)
    lines = text.splitlines()
    assert lines[0] == "reason,value"
    assert lines[1] == "'=SUMME(A1),0.5"
    assert lines[2] == "ok,"
    assert lines[3] == "'-x,-1.0"
    assert neutralise(frame)["value"].tolist()[2] == -1.0
    assert math.isnan(neutralise(frame)["value"].tolist()[1])


@given(st.lists(st.text(alphabet=st.sampled_from("=+-@\t\r 1.e3aZ;"), max_size=6), min_size=1, max_size=8))
def test_downloads_neutralise_as_the_exports_do(cells: list[str]) -> None:
    """A chart's CSV download and the §7 export of the same text agree cell for cell (one rule, etl.export)."""
    frame = pd.DataFrame({"text": cells})
    assert neutralise(frame)["text"].tolist() == [export_neutralise(c) for c in cells]


def test_goal_bars_beyond_the_axis_are_cut_with_a_break_marker() -> None:
    goals = pd.DataFrame(
        {
            "label": ["Z1", "Z2", "Z3"],
            "progress": [-3.249, 2.4, 0.5],
            "expected": [0.7, 0.7, 0.7],
            "status": ["off_track", "achieved", "on_track"],
        }
    )
    fig = figures.goal_progress(goals, "de")
    go.Figure(fig)
    low, high = fig["layout"]["xaxis"]["range"]
    drawn = {y: x for d in fig["data"] if d["type"] == "bar" for y, x in zip(d["y"], d["x"], strict=True)}
    assert drawn == {"Z1": -100.0, "Z2": 200.0, "Z3": pytest.approx(50.0)}
    assert low < -100 and high > 200  # the axis covers every drawn bar
    breaks = next(d for d in fig["data"] if d["name"] == "Achsenbruch (Wert rechts)")
    assert breaks["y"] == ["Z1", "Z2"] and breaks["x"] == [-100.0, 200.0]
    labels = [a["text"] for a in fig["layout"]["annotations"]]
    assert labels[0] == f"{MINUS}324,9{NBSP}% · nicht im Plan" and labels[1] == f"240,0{NBSP}% · erreicht"
    assert fig["layout"]["yaxis"]["tickvals"] == ["Z1", "Z2", "Z3"]  # every goal named, none thinned out


def test_many_categories_are_all_filled_and_the_stack_adds_up() -> None:
    formats = [f"Format {i:02d}" for i in range(10)]
    frame = pd.DataFrame({"year": 2024, "group": formats, "value": [float(i + 1) for i in range(10)]})
    fig = figures.stacked_bar(frame, "count", "de")
    go.Figure(fig)
    assert len(fig["data"]) == 10
    assert sum(d["y"][0] for d in fig["data"]) == frame["value"].sum()
    for trace in fig["data"]:
        assert trace["marker"]["color"].startswith("#")  # a fill colour on every segment
        pattern = trace["marker"].get("pattern")
        assert pattern is None or pattern["fillmode"] == "overlay"  # hatch drawn over the colour, never instead
    styles = {(d["marker"]["color"], (d["marker"].get("pattern") or {}).get("shape", "")) for d in fig["data"]}
    assert len(styles) == 10  # no two formats look alike
    many = pd.DataFrame({"year": 2024, "group": [f"F{i:02d}" for i in range(30)], "value": 1.0})
    grouped = figures.stacked_bar(many, "count", "de")
    assert len(grouped["data"]) == palette.MAX_CATEGORIES
    assert grouped["data"][-1]["name"] == f"weitere ({30 - palette.MAX_CATEGORIES + 1})"
    assert sum(d["y"][0] for d in grouped["data"]) == 30.0


def test_unit_panels_keep_each_indicator_in_its_one_format() -> None:
    frame = pd.DataFrame(
        {
            "series": ["Netzwerkdichte", "Netzwerkdichte", "Ausgewogenheit", "Ausgewogenheit"],
            "year": [2023, 2025, 2023, 2025],
            "value": [0.21, 0.16, 0.9, 0.88],
            "low": float("nan"),
            "high": float("nan"),
            "unit": ["share", "share", "index", "index"],
        }
    )
    fig = figures.unit_panels(frame, "de", {"share": "Anteil", "index": "Index"})
    go.Figure(fig)
    density = next(d for d in fig["data"] if d["name"] == "Netzwerkdichte")
    balance = next(d for d in fig["data"] if d["name"] == "Ausgewogenheit")
    assert density["y"] == pytest.approx([21.0, 16.0]) and density["text"] == [f"21,0{NBSP}%", f"16,0{NBSP}%"]
    assert balance["yaxis"] == "y2" and balance["y"] == pytest.approx([0.9, 0.88])
    assert fig["layout"]["yaxis"]["ticksuffix"] == f"{NBSP}%" and "ticksuffix" not in fig["layout"]["yaxis2"]
