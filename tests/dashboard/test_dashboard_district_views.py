"""The district map's view functions (issue 16) on real warehouses: the demo (shapes for every town) and the
synthetic one (no shapes). Stored values shown as stored, suppressed ones hidden, a message where a map
cannot be drawn, the Sitzungsmodus screen and the report's content item."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from synthetic import SyntheticInfo

from dashboard.formatting import fmt_value
from dashboard.report.content import district_map as report_map
from dashboard.state import NETWORK, View, load_view
from dashboard.tables import csv_text
from dashboard.views import districts
from etl import warehouse


def town_view(db: str, town: str, year: int, lang: str = "de") -> View:
    v = load_view(town, year, lang, db=db)
    assert isinstance(v, View)
    return v


def suppressed_case(db: str) -> tuple[str, str, int]:
    """A town, indicator and year of the demo whose district map has shown and suppressed districts."""
    vals = warehouse.indicators(breakdown="district", db=db)
    vals = vals[vals["indicator"].isin(districts.MAP_INDICATORS)]
    per_map = vals.groupby(["town_ags", "indicator", "year"])["suppressed"].agg(["any", "all"])
    mixed = per_map[per_map["any"] & ~per_map["all"]].reset_index()
    assert len(mixed), "the demo has a small district in every town: some district cell must be suppressed"
    row = mixed.iloc[0]
    return str(row["town_ags"]), str(row["indicator"]), int(row["year"])


def test_the_map_shows_the_stored_district_values(demo_warehouse: str) -> None:
    town, indicator, year = suppressed_case(demo_warehouse)
    v = town_view(demo_warehouse, town, year)
    result = districts.district_map_chart(v, {districts.MAP_IND: indicator})
    go.Figure(result.figure)
    stored = warehouse.indicators(town=town, indicator=indicator, year=year, breakdown="district", db=demo_warehouse)
    shapes = warehouse.districts(town=town, db=demo_warehouse)
    filled = [t for t in result.figure["data"] if t.get("fill") == "toself"]
    assert len(filled) == len(shapes)
    by_code = stored.set_index("group")
    unit = str(warehouse.catalogue(db=demo_warehouse).set_index("indicator").at[indicator, "unit"])
    for trace in filled:
        code = trace["meta"]["district"]
        if bool(by_code.at[code, "suppressed"]):
            assert "fillpattern" in trace and "nicht ausgewiesen" in trace["text"]
        else:
            assert fmt_value(by_code.at[code, "value"], unit) in trace["text"]
    # the table alternative and the CSV hold the same rows, suppressed ones without any number
    data = result.data
    assert data["code"].tolist() == sorted(shapes["code"])
    hidden = data[data["suppressed"]]
    assert len(hidden) and hidden[["value", "n", "low", "high"]].isna().all().all()
    assert (hidden["note"].str.len() > 10).all()
    csv = csv_text(data)
    assert csv.splitlines()[0] == "code,label,value,n,low,high,suppressed,suppression,note,unit"
    assert "Die Stadtteil-Umrisse sind erfunden (Demodaten)." in result.notes
    assert any(n.startswith("Schraffiert: nicht ausgewiesen (") for n in result.notes)


def test_every_indicator_with_a_district_breakdown_is_on_the_map(demo_warehouse: str) -> None:
    cat = warehouse.catalogue(db=demo_warehouse).set_index("indicator")
    assert districts.map_indicators(cat) == [
        "engagement_rate",
        "participation_rate",
        "ease_agree",
        "registered_volunteers",
        "registered_per_1000",
        "representation_index",
    ]
    town = str(warehouse.districts(db=demo_warehouse)["town_ags"].iloc[0])
    for indicator in districts.map_indicators(cat):
        years = warehouse.indicators(town=town, indicator=indicator, breakdown="district", db=demo_warehouse)["year"]
        v = town_view(demo_warehouse, town, int(years.max()))
        result = districts.district_map_chart(v, {districts.MAP_IND: indicator})
        assert any(t.get("fill") == "toself" for t in result.figure["data"]), indicator
        scale = next(t for t in result.figure["data"] if t.get("name") == "scale")["marker"]
        assert (scale["colorscale"][3][1] == "#f7f7f7") == (indicator == "representation_index")


def test_without_shapes_or_for_the_network_a_message(synthetic: SyntheticInfo, demo_warehouse: str) -> None:
    v = town_view(synthetic.url, synthetic.towns[0], synthetic.years[-1])
    result = districts.district_map_chart(v, {})
    assert result.figure["data"] == [] and result.notes == [
        f"Für {v.town_name} sind keine Stadtteil-Umrisse hinterlegt (Quelle der Art districts in engage.toml)."
    ]
    assert report_map(v) == ([], [])  # the report leaves the map out without shapes
    network = load_view(NETWORK, None, "de", db=demo_warehouse)
    assert districts.district_map_chart(network, {}).notes[0].startswith("Diese Darstellung gibt es nur für eine")
    town = str(warehouse.districts(db=demo_warehouse)["town_ags"].iloc[0])
    surveyed = warehouse.indicators(town=town, indicator="engagement_rate", breakdown="district", db=demo_warehouse)
    other = sorted(set(warehouse.years(town=town, db=demo_warehouse)) - set(surveyed["year"]))
    assert other  # registrations reach further back than the surveys
    empty = districts.district_map_chart(town_view(demo_warehouse, town, other[0]), {})
    assert empty.figure["data"] == []  # said so, not an empty map
    assert (
        empty.notes[0]
        == f"Engagementquote: für {empty_name(demo_warehouse, town)} liegen {other[0]} keine Werte nach Stadtteil vor."
    )


def empty_name(db: str, town: str) -> str:
    return str(warehouse.towns(db=db).set_index("ags").at[town, "name"])


def test_meeting_screen_and_report_item(demo_warehouse: str) -> None:
    town = str(warehouse.districts(db=demo_warehouse)["town_ags"].iloc[0])
    rates = warehouse.indicators(town=town, indicator="engagement_rate", breakdown="district", db=demo_warehouse)
    year = int(rates["year"].max())
    shown = rates[(rates["year"] == year) & ~rates["suppressed"]].sort_values("value")
    names = warehouse.districts(town=town, db=demo_warehouse).set_index("code")["name"]
    v = town_view(demo_warehouse, town, year)
    screen = districts.meeting_screen(v, 470)
    assert screen.heading == (
        f"Engagementquote {year} nach Stadtteil: am höchsten in {names[shown['group'].iloc[-1]]} "
        f"({fmt_value(shown['value'].iloc[-1], 'share')}), am niedrigsten in {names[shown['group'].iloc[0]]} "
        f"({fmt_value(shown['value'].iloc[0], 'share')})"
    )
    assert [t.label for t in screen.tiles][:2] == ["Am höchsten", "Am niedrigsten"]
    assert screen.figure["layout"]["font"]["size"] == districts.PROJECTOR_FONT
    assert screen.footer.startswith("Datenstand: ") and "Stadtteile " in screen.footer
    english = districts.meeting_screen(town_view(demo_warehouse, town, year, "en"), 470)
    assert english.heading.startswith(f"Engagement rate {year} by district: highest in ")
    charts, notes = report_map(v)
    assert [c.title for c in charts] == [f"Karte: Engagementquote {year} nach Stadtteil"]
    line = notes[0]
    assert line.startswith(f"Engagementquote {year} nach Stadtteil: ")
    for code, value in zip(shown["group"], shown["value"], strict=True):
        assert f"{names[code]} {fmt_value(value, 'share')}" in line


@pytest.mark.parametrize("lang", ["de", "en"])
def test_map_texts_in_both_languages(demo_warehouse: str, lang: str) -> None:
    town, indicator, year = suppressed_case(demo_warehouse)
    result = districts.district_map_chart(town_view(demo_warehouse, town, year, lang), {districts.MAP_IND: indicator})
    hatched = [t for t in result.figure["data"] if "fillpattern" in t]
    word = "not shown" if lang == "en" else "nicht ausgewiesen"
    assert hatched and all(word in t["text"] for t in hatched)
