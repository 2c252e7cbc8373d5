"""Pure figure and table builders: DataFrames in, valid Plotly figures and formatted tables out."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import figures, palette
from dashboard.formatting import NBSP, SUPPRESSED
from dashboard.tables import TableColumn, csv_text, html_table, neutralise, table_rows

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
    assert bar["x"][2] == 0.0 and bar["textposition"][2] == "outside"
    assert bar["error_x"]["array"][0] == pytest.approx(0.038)
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
    assert lines[0]["y"] == [0.40, 0.42, None]
    assert lines[0]["text"][2] == SUPPRESSED
    assert fig["layout"]["yaxis"]["tickformat"] == ".0%"


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
    fig = figures.comparison_figure(frame, "share", "de", 0.4, 0.35, 0.45)
    go.Figure(fig)
    bar = fig["data"][0]
    assert bar["x"] == ["B", "C", "A"]
    assert bar["marker"]["color"] == [palette.OTHERS, palette.HIGHLIGHT, palette.OTHERS]
    rect, line = fig["layout"]["shapes"]
    assert (rect["y0"], rect["y1"], line["y0"]) == (0.35, 0.45, 0.4)


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
    assert fig["data"][0]["marker"]["color"] == [palette.STATUS["at_risk"], palette.STATUS["no_data"]]
    assert fig["data"][0]["text"] == [f"40,0{NBSP}% · gefährdet", "keine Daten"]
    values = pd.DataFrame({"date": pd.to_datetime(["2023-12-31", "2024-12-31"]).date, "value": [0.4, 0.42]})
    trend_fig = figures.goal_trend(values, 0.39, 0.44, "share", "de")
    go.Figure(trend_fig)
    assert [s["y0"] for s in trend_fig["layout"]["shapes"]] == [0.39, 0.44]
    empty = figures.empty_figure("Keine Daten", "de")
    go.Figure(empty)
    assert empty["layout"]["annotations"][0]["text"] == "Keine Daten"
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
