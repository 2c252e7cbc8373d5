"""The pages' chart builders on the synthetic warehouse: stored numbers shown as stored, German formats,
suppression, unweighted notice, network view, and a message instead of a traceback where data is missing."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from synthetic import SyntheticInfo

from dashboard.components.chart_card import render
from dashboard.formatting import SUPPRESSED, fmt_value
from dashboard.state import NETWORK, Unavailable, View, load_view
from dashboard.views import collaboration, comparison, goals, methods, overview, participation
from etl import warehouse


def view(info: SyntheticInfo, town: int | None = 0, lang: str = "de", year: int | None = None) -> View:
    v = load_view(NETWORK if town is None else info.towns[town], year or info.years[-1], lang, db=info.url)
    assert isinstance(v, View)
    return v


def test_overview_cards_show_the_stored_value_change_and_target(synthetic: SyntheticInfo) -> None:
    v = view(synthetic)
    cards = dict(zip(overview.HEADLINES, overview.headline_cards(v), strict=True))
    stored = warehouse.indicators(town=v.town, indicator="engagement_rate", db=v.db).set_index("year")["value"]
    card = cards["engagement_rate"]
    assert card.value == fmt_value(stored[v.year], "share")
    delta = stored[v.year] - stored[v.year - 1]
    # "gestiegen: +2,3 Pp. zu 2023 (38,9 %)" or, where the intervals overlap, "etwa gleich (…): +0,3 Pp. …"
    word, rest = card.change.split(": ", 1)
    assert word in ("gestiegen", "gesunken", "etwa gleich (Unterschied im Rahmen der Unsicherheit)")
    assert rest.endswith(f"Pp. zu {v.year - 1} ({fmt_value(stored[v.year - 1], 'share')})")
    assert abs(float(rest.split("\u00a0")[0].replace("−", "-").replace(",", ".")) - delta * 100) < 0.051
    assert card.target.startswith("Ziel Z1: ")
    assert card.detail.startswith("n = ") and "95-%-Intervall" in card.detail
    assert f"zu {synthetic.waves[-2]} (" in cards["network_density"].change  # previous wave, not year
    goals = warehouse.goal_status(town=v.town, year=v.year, db=v.db)
    ok = int(goals["status"].isin(["achieved", "on_track"]).sum())
    assert cards["goals_on_track"].value == f"{ok} von {len(goals)}"
    assert cards["goals_on_track"].detail.endswith("Zielen erreicht oder im Plan")
    go.Figure(card.spark)


def test_a_year_without_a_survey_shows_the_latest_value_with_its_year(synthetic: SyntheticInfo) -> None:
    v = view(synthetic, year=synthetic.years[1])  # no partner-survey wave in this year
    density = dict(zip(overview.HEADLINES, overview.headline_cards(v), strict=True))["network_density"]
    stored = warehouse.indicators(town=v.town, indicator="network_density", year=synthetic.waves[0], db=v.db)
    assert density.value == fmt_value(stored["value"].iloc[0], "share")  # not "–"
    assert density.change == f"Stand: {synthetic.waves[0]} – für {synthetic.years[1]} keine neue Messung"


def test_overview_network_shows_medians(synthetic: SyntheticInfo) -> None:
    v = view(synthetic, None)
    card = overview.headline_cards(v)[0]
    cmp = warehouse.comparison(indicator="engagement_rate", year=v.year, db=v.db)
    assert card.value == fmt_value(cmp["network_median"].iloc[0], "share")
    assert card.detail.startswith(f"Median über {len(synthetic.towns)} Städte")


def test_groups_show_suppressed_cells_with_reason(synthetic: SyntheticInfo) -> None:
    v = view(synthetic)
    result = participation.groups(v, {participation.IND: "engagement_rate", participation.BY: "district"})
    go.Figure(result.figure)
    row = result.data[result.data["group"] == "04"].iloc[0]
    assert row["suppressed"] and row["label"] == "Stadtteil 04"
    assert f"{SUPPRESSED} (weniger als 5 Antworten)" in result.figure["data"][0]["text"]
    assert any("weniger als 5 Antworten" in n for n in result.notes)


def test_unweighted_survey_says_so(synthetic: SyntheticInfo) -> None:
    v = view(synthetic, 1)
    assert any(n.startswith("Ungewichtet") for n in participation.rates(v, {}).notes)
    assert not any(n.startswith("Ungewichtet") for n in participation.rates(view(synthetic, 0), {}).notes)


@pytest.mark.parametrize(
    "build",
    [
        participation.rates,
        participation.attitudes,
        participation.registrations,
        participation.representation,
        participation.areas,
        participation.events,
        collaboration.network,
        collaboration.figures,
        collaboration.ratings,
        collaboration.equal_footing,
        goals.progress,
        goals.measures,
        methods.sources,
        methods.rejects,
        methods.definitions,
        overview.TABLE.build,
    ],
)
@pytest.mark.parametrize("town", [0, None])
def test_every_chart_builds_for_a_town_and_the_network(synthetic: SyntheticInfo, build, town: int | None) -> None:  # noqa: ANN001
    result = build(view(synthetic, town), {})
    if result.figure:
        go.Figure(result.figure)
    assert result.notes or not result.data.empty


def test_town_only_charts_say_so_for_the_network(synthetic: SyntheticInfo) -> None:
    result = participation.representation(view(synthetic, None), {})
    assert result.notes == ["Diese Darstellung gibt es nur für eine einzelne Stadt. Bitte oben eine Stadt wählen."]
    assert collaboration.network(view(synthetic, None, "en"), {}).notes[0].startswith("This view exists per town")


def test_network_map_uses_the_latest_wave_up_to_the_year(synthetic: SyntheticInfo) -> None:
    v = view(synthetic, 0, year=synthetic.years[1])  # 2023: no wave, latest is 2022
    result = collaboration.network(v, {})
    assert result.notes[0] == f"Akteursbefragung: Welle {synthetic.waves[0]} (die letzte bis {synthetic.years[1]})."
    nodes = warehouse.network_nodes(town=v.town, year=synthetic.waves[0], db=v.db)
    assert len(result.data) == len(nodes)


def test_comparison_highlights_town_and_filters_peers(synthetic: SyntheticInfo) -> None:
    v = view(synthetic, 0)
    result = comparison.compare(v, {comparison.IND: "engagement_rate", comparison.PEER: comparison.ALL})
    assert len(result.data) == len(synthetic.towns)
    assert result.notes[0].startswith(f"{synthetic.names[0]}: ") and "Rang" in result.notes[0]
    own = comparison.compare(v, {comparison.IND: "engagement_rate", comparison.PEER: comparison.OWN})
    peer = warehouse.comparison(indicator="engagement_rate", year=v.year, town=v.town, db=v.db)["peer_group"].iloc[0]
    assert set(own.data["peer_group"]) == {peer}


@pytest.mark.parametrize("peer", ["xyz", "", "None", "nan", "≥100.000 ", "<script>", "eigene\x00", "50.000"])
def test_a_size_class_from_the_browser_that_no_town_has_shows_all_towns(synthetic: SyntheticInfo, peer: str) -> None:
    """The control's value comes from the browser: a crafted or stale class is all towns and a note, not an
    empty frame's IndexError (a failed callback), and the note never repeats what was sent."""
    v = view(synthetic, 0)
    result = comparison.compare(v, {comparison.IND: "engagement_rate", comparison.PEER: peer})
    assert len(result.data) == len(synthetic.towns)
    said = f"Diese Größenklasse hat für {v.year} keine Stadt mit einem Wert: gezeigt werden alle Städte."
    assert (said in result.notes) == bool(peer)  # "": the control's default, all towns
    assert not any(peer.strip() in n for n in result.notes[1:] if peer.strip())


def test_own_size_class_of_the_network_or_of_a_town_without_one(synthetic: SyntheticInfo) -> None:
    controls = {comparison.IND: "engagement_rate", comparison.PEER: comparison.OWN}
    network = comparison.compare(view(synthetic, None), controls)
    assert any(n.startswith("Diese Darstellung gibt es nur für eine einzelne Stadt") for n in network.notes)
    v = view(synthetic, 0)
    frame = warehouse.comparison(indicator="engagement_rate", year=v.year, db=v.db)
    frame.loc[frame["town_ags"] == v.town, "peer_group"] = None  # no population of all ages (etl comparison)
    assert comparison.peer_group(frame, v, comparison.OWN) == (
        None,
        [f"{v.town_name} hat für {v.year} keine Größenklasse (keine Einwohnerzahl aller Altersgruppen für {v.year} "
         "oder früher): gezeigt werden alle Städte."],
    )


def test_goal_trend_and_choice(synthetic: SyntheticInfo) -> None:
    v = view(synthetic, 0)
    result = goals.trend(v, {goals.GOAL: "Z2"})
    go.Figure(result.figure)
    assert set(result.data["goal_id"]) == {"Z2"}
    assert goals.trend(v, {goals.GOAL: "gibt-es-nicht"}).data["goal_id"].iloc[0] == "Z1"


def test_methods_tables_and_an_unavailable_warehouse(synthetic: SyntheticInfo) -> None:
    v = view(synthetic)
    rejects = methods.rejects(v, {})
    assert "Duplikat von Zeile 229" in set(rejects.data["reason"])
    sources = methods.sources(v, {})
    assert sources.notes[0].startswith("Letzter Lauf Nr. 2")
    spec = participation.SPECS[0]
    result = render(spec, Unavailable("Das Warehouse fehlt."), {})
    assert result.notes == ["Das Warehouse fehlt."]


def test_goal_table_says_keine_messung_not_the_suppression_reason(synthetic: SyntheticInfo) -> None:
    """A goal without a measurement reads "keine Messung" in every cell that has no number, so the table's
    suppression reason ("weniger als 5 Antworten") is never attached to it."""
    from dashboard.tables import table_rows

    for town in range(len(synthetic.towns)):
        result = goals.progress(view(synthetic, town), {})
        rows = table_rows(result.data, result.columns, "de")
        for row, status in zip(rows, result.data["status"], strict=True):
            if status == "no_data":
                assert row[4] == "keine Messung" and row[7] == "keine Messung"
                assert "–" not in row[3:6]


def test_network_goals_and_comparison_show_where_and_how_sure(synthetic: SyntheticInfo) -> None:
    from dashboard.views.goals import at_a_glance

    net = view(synthetic, None)
    table, as_of = at_a_glance(net)
    assert as_of.startswith("Stand: ")
    assert "sticking-table" in str(table)
    assert all(ags in str(table) for ags in synthetic.towns)  # one row per town
    controls = {comparison.IND: "engagement_rate", comparison.PEER: comparison.ALL}
    result = comparison.compare(view(synthetic, 0), controls)
    assert "Rangbereich" in result.notes[0]
    assert result.data["rank_range"].str.fullmatch(r"\d+(–\d+)?").all()
