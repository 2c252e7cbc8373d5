"""Why a value is "–": every view and the report give the reason of its kind (issue 12), as pure functions.

Primary: "weniger als 5 Antworten" (with the run's min_cell); secondary: "verborgen, damit eine kleine
Gruppe nicht errechenbar ist"; English via dashboard.i18n. Checked on cards, tables, bar and trend charts,
the Sitzungsmodus sentences, the report rows and the CSV downloads, with hand-made frames and on the
synthetic warehouse (whose first town has engagement by district 04 primary and 03 secondary).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from synthetic import SyntheticInfo

from dashboard import headlines, suppression
from dashboard.components.chart_card import _filename
from dashboard.figures import bar_figure, trend_figure
from dashboard.formatting import SUPPRESSED
from dashboard.report.content import value_row
from dashboard.state import View, load_view
from dashboard.tables import TableColumn, csv_text, html_table
from dashboard.views import collaboration, comparison, overview, participation
from dashboard.views import meeting as m

PRIMARY_DE = "weniger als 5 Antworten"
SECONDARY_DE = "verborgen, damit eine kleine Gruppe nicht errechenbar ist"
SECONDARY_EN = "hidden so that a small group cannot be computed"
NAN = float("nan")


def groups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label": ["Frauen", "Männer", "divers"],
            "value": [0.41, NAN, NAN],
            "low": [0.38, NAN, NAN],
            "high": [0.44, NAN, NAN],
            "n": pd.array([300, pd.NA, pd.NA], dtype="Int64"),
            "suppressed": [False, True, True],
            "suppression": ["", "secondary", "primary"],
        }
    )


def test_reason_per_kind_in_both_languages() -> None:
    assert suppression.reason("primary", "de", 5) == PRIMARY_DE
    assert suppression.reason("primary", "en", 3) == "fewer than 3 responses"
    assert suppression.reason("secondary", "de", 5) == SECONDARY_DE
    assert suppression.reason("secondary", "en", 5) == SECONDARY_EN
    assert suppression.kinds(groups()) == ["", "secondary", "primary"]
    # a warehouse written before the kind was stored: suppressed reads as primary
    assert suppression.kinds(groups().drop(columns="suppression")) == ["", "primary", "primary"]
    notes = suppression.notes(["", "secondary", "primary"], "de", 5)
    assert notes[0].startswith("„–“: nicht gezeigt, weniger als 5 Antworten")
    assert notes[1].startswith("„–“ (verborgen): nicht gezeigt, damit sich eine kleine Gruppe nicht")
    assert suppression.notes(["", ""], "de", 5) == []


def test_bar_chart_text_and_hover_give_the_reason_of_each_bar() -> None:
    fig = bar_figure(groups(), "share", "de", PRIMARY_DE)
    go.Figure(fig)
    bar = fig["data"][0]
    assert bar["text"] == ["41,0\u00a0%", f"{SUPPRESSED} ({SECONDARY_DE})", f"{SUPPRESSED} ({PRIMARY_DE})"]
    assert bar["hovertext"][1:] == [f"{SUPPRESSED} ({SECONDARY_DE})", f"{SUPPRESSED} ({PRIMARY_DE})"]
    assert bar["x"][1:] == [0.0, 0.0]  # drawn as nothing, never as a value
    vertical = bar_figure(groups(), "share", "en", "fewer than 5 responses", horizontal=False)["data"][0]
    assert vertical["text"][1:] == [SUPPRESSED, SUPPRESSED]  # no room on the axis: the hover says why
    assert vertical["hovertext"][1] == f"{SUPPRESSED} ({SECONDARY_EN})"


def test_trend_chart_marks_a_suppressed_year_with_its_reason() -> None:
    frame = pd.DataFrame(
        {
            "series": ["Engagementquote"] * 3,
            "year": [2022, 2023, 2024],
            "value": [0.40, NAN, 0.42],
            "low": [0.37, NAN, 0.39],
            "high": [0.43, NAN, 0.45],
            "suppressed": [False, True, False],
            "suppression": ["", "secondary", ""],
            "unit": "share",
        }
    )
    fig = trend_figure(frame, "share", "de", reason=PRIMARY_DE)
    go.Figure(fig)
    (mark,) = fig["layout"]["annotations"]
    assert mark["text"] == SUPPRESSED and mark["x"] == 2023
    assert mark["hovertext"] == f"Engagementquote 2023: {SUPPRESSED} ({SECONDARY_DE})"
    assert "annotations" not in trend_figure(frame.assign(suppressed=False), "share", "de")["layout"]


def test_table_cells_carry_the_reason_of_their_row() -> None:
    columns = [TableColumn("label", "col.group"), TableColumn("value", "col.value", "share")]
    table = html_table(groups(), columns, "de", caption="Test", reason=PRIMARY_DE)
    body = table.children.children[2].children
    titles = [row.children[1].children[0].title if row.children[1].children != "41,0\u00a0%" else "" for row in body]
    assert titles == ["", SECONDARY_DE, PRIMARY_DE]
    hidden_text = body[1].children[1].children[1]
    assert hidden_text.children == SECONDARY_DE and hidden_text.className == "visually-hidden"


def test_csv_download_keeps_cells_empty_and_carries_the_kind() -> None:
    text = csv_text(groups())
    header, first, second, third = text.strip().split("\n")
    assert header.split(",")[-1] == "suppression"
    assert second == "Männer,,,,,True,secondary" and third == "divers,,,,,True,primary"
    assert first.endswith(",False,")


def test_meeting_sentences_and_report_rows_per_kind() -> None:
    frame = pd.DataFrame(
        [
            (2022, 0.38, NAN, NAN, 400, False, ""),
            (2023, NAN, NAN, NAN, pd.NA, True, "secondary"),
            (2024, NAN, NAN, NAN, pd.NA, True, "primary"),
        ],
        columns=["year", "value", "low", "high", "n", "suppressed", "suppression"],
    ).assign(indicator="engagement_rate", weighted=True)
    f = m.finding(frame[frame["year"] <= 2023], "engagement_rate", 2023, "Engagementquote", "share", True)
    assert f.state == "suppressed" and f.suppression == "secondary"
    assert m.heading(f, PRIMARY_DE) == f"Engagementquote 2023: nicht ausgewiesen – {SECONDARY_DE}"
    assert m.change_line(f, PRIMARY_DE) == f"nicht ausgewiesen: {SECONDARY_DE}"
    assert m.value_text(f) == SUPPRESSED
    assert value_row(f, PRIMARY_DE)[1] == f"{SUPPRESSED} ({SECONDARY_DE})"
    g = m.finding(frame, "engagement_rate", 2024, "Engagementquote", "share", True)
    assert m.heading(g, PRIMARY_DE) == f"Engagementquote 2024: nicht ausgewiesen – {PRIMARY_DE}"
    assert value_row(g, PRIMARY_DE)[1] == f"{SUPPRESSED} ({PRIMARY_DE})"
    shown = frame.assign(value=[0.38, NAN, 0.41], suppressed=[False, True, False], suppression=["", "secondary", ""])
    h = m.finding(shown, "engagement_rate", 2024, "Engagementquote", "share", True)
    assert h.previous_suppressed and h.previous_suppression == "secondary"
    assert m.heading(h, PRIMARY_DE, "en").endswith(f"(2023: not shown, {SECONDARY_EN})")
    assert value_row(h, PRIMARY_DE)[2] == f"2023: nicht ausgewiesen, {SECONDARY_DE}"  # the change column


def _view(info: SyntheticInfo, lang: str = "de") -> View:
    v = load_view(info.towns[0], info.years[-1], lang, db=info.url)
    assert isinstance(v, View)
    return v


def test_group_chart_and_table_on_the_warehouse(synthetic: SyntheticInfo) -> None:
    v = _view(synthetic)
    result = participation.groups(v, {participation.IND: "engagement_rate", participation.BY: "district"})
    by_group = dict(zip(result.data["group"], result.figure["data"][0]["text"], strict=True))
    assert by_group["04"] == f"{SUPPRESSED} ({PRIMARY_DE})"
    assert by_group["03"] == f"{SUPPRESSED} ({SECONDARY_DE})"
    assert any(n.startswith("„–“ (verborgen)") for n in result.notes)
    assert any("weniger als 5 Antworten" in n for n in result.notes)
    en = participation.groups(
        _view(synthetic, "en"), {participation.IND: "engagement_rate", participation.BY: "district"}
    )
    assert f"{SUPPRESSED} ({SECONDARY_EN})" in en.figure["data"][0]["text"]


def test_card_says_why_its_value_is_hidden(synthetic: SyntheticInfo) -> None:
    v = _view(synthetic)
    rows = pd.DataFrame(
        {
            "indicator": "engagement_rate",
            "year": [v.year - 1, v.year],
            "value": [0.4, NAN],
            "low": [NAN, NAN],
            "high": [NAN, NAN],
            "n": pd.array([100, pd.NA], dtype="Int64"),
            "suppressed": [False, True],
            "suppression": ["", "secondary"],
            "weighted": [True, True],
        }
    )
    h = headlines.headlines(v)

    def card(frame: pd.DataFrame) -> overview.Card:
        f = headlines.finding(frame, "engagement_rate", v.year, "Engagementquote", "share", True)
        change = headlines.change_line(f, v.reason)
        figure = headlines.HeadlineFigure(f, f.name, headlines.value_text(f), change, "", "", "")
        return overview.indicator_card(h, figure)

    secondary = card(rows)
    assert secondary.value == SUPPRESSED and secondary.detail == SECONDARY_DE
    assert secondary.change == f"nicht ausgewiesen: {SECONDARY_DE}"
    primary = card(rows.assign(suppression=["", "primary"]))
    assert primary.change == f"nicht ausgewiesen: {PRIMARY_DE}" and primary.detail == PRIMARY_DE


def test_network_map_left_out_by_the_etl_says_why(synthetic: SyntheticInfo, tmp_path: Path) -> None:
    copy = tmp_path / "wh.sqlite"
    shutil.copy(synthetic.url.removeprefix("sqlite:///"), copy)
    with sqlite3.connect(copy) as conn:  # as the ETL writes a town whose list has fewer than min_cell orgs
        conn.execute("DELETE FROM mart_network_nodes WHERE town_ags = ?", (synthetic.towns[0],))
        conn.execute("DELETE FROM mart_network_ties WHERE town_ags = ?", (synthetic.towns[0],))
    v = load_view(synthetic.towns[0], synthetic.years[-1], "de", db=f"sqlite:///{copy}")
    assert isinstance(v, View)
    result = collaboration.network(v, {})
    assert result.notes == ["Die Netzwerkkarte wird nicht gezeigt: weniger als 5 Organisationen (Datenschutz)."]
    assert collaboration.equal_footing(v, {}).figure["data"]  # the wave's other figures are still there


def test_comparison_says_why_the_chosen_town_has_no_value(synthetic: SyntheticInfo, tmp_path: Path) -> None:
    copy = tmp_path / "wh.sqlite"
    shutil.copy(synthetic.url.removeprefix("sqlite:///"), copy)
    town, year = synthetic.towns[0], synthetic.years[-1]
    with sqlite3.connect(copy) as conn:  # as the ETL stores a hidden total: no value, no comparison row
        conn.execute(
            "UPDATE mart_indicator_values SET value = NULL, n = NULL, ci_low = NULL, ci_high = NULL, "
            "suppressed = 1, suppression = 'secondary' WHERE town_ags = ? AND year = ? "
            "AND indicator = 'engagement_rate' AND breakdown = ''",
            (town, year),
        )
        conn.execute(
            "DELETE FROM mart_comparison WHERE town_ags = ? AND year = ? AND indicator = 'engagement_rate'",
            (town, year),
        )
    v = load_view(town, year, "de", db=f"sqlite:///{copy}")
    assert isinstance(v, View)
    result = comparison.compare(v, {comparison.IND: "engagement_rate"})
    assert result.notes[0] == f"{v.town_name}: {SUPPRESSED} ({SECONDARY_DE})"
    assert town not in set(result.data["town_ags"])


def test_csv_file_name_says_demo_data() -> None:
    v = View("09999001", "Musterstadt", 2024, "de", 5, (2024,))
    assert _filename("part-rates", v, demo=True) == "demodaten_part-rates_09999001_2024.csv"
    assert _filename("part-rates", v, demo=False) == "part-rates_09999001_2024.csv"
    network_en = View(None, "", 2024, "en", 5, (2024,))  # an English page's file is named in English
    assert _filename("part-rates", network_en, demo=True) == "demo_data_part-rates_network_2024.csv"
