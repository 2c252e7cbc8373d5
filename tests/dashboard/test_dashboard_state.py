"""URL state: validation of town/year/lang with German messages, query strings, views."""

from __future__ import annotations

from pathlib import Path

from synthetic import SyntheticInfo

from dashboard.components.shell import selector_state
from dashboard.state import NETWORK, Unavailable, View, load_view, query_string, resolve

TOWNS = ["09999001", "09999002"]
YEARS = [2022, 2023, 2024]


def test_resolve_keeps_valid_values_and_defaults() -> None:
    r = resolve({"town": "09999002", "year": "2023", "lang": "en"}, TOWNS, YEARS)
    assert (r.town, r.year, r.lang, r.messages) == ("09999002", 2023, "en", [])
    r = resolve({}, TOWNS, YEARS)
    assert (r.town, r.year, r.lang) == (NETWORK, 2024, "de")
    assert resolve({}, TOWNS[:1], YEARS).town == TOWNS[0]  # a one-town warehouse opens on that town
    assert resolve({}, TOWNS, YEARS, default_year=2023).year == 2023
    assert resolve({"town": "stadt b"}, TOWNS, YEARS, {"09999002": "Stadt B"}).town == "09999002"


def test_unknown_town_and_year_give_german_messages() -> None:
    r = resolve({"town": "12345678", "year": "1999"}, TOWNS, YEARS)
    assert r.town == NETWORK and r.year == 2024
    assert r.messages[0].startswith("Die Stadt „12345678“ aus dem Link gibt es im Warehouse nicht")
    assert "Für das Jahr „1999“ aus dem Link liegen keine Daten vor (vorhanden: 2022–2024)" in r.messages[1]
    assert "„abc“" in resolve({"year": "abc"}, TOWNS, YEARS).messages[0]
    assert "is not in the warehouse" in resolve({"town": "x", "lang": "en"}, TOWNS, YEARS).messages[0]


def test_query_string() -> None:
    assert query_string("09999001", 2024, "de") == "?town=09999001&year=2024&lang=de"
    assert (
        query_string(NETWORK, None, "en", indicator="engagement_rate")
        == "?town=netzwerk&lang=en&indicator=engagement_rate"
    )


def test_load_view(synthetic: SyntheticInfo, tmp_path: Path) -> None:
    view = load_view(synthetic.towns[0], str(synthetic.years[0]), "de", db=synthetic.url)
    assert isinstance(view, View) and view.town_name == synthetic.names[0] and view.year == synthetic.years[0]
    assert view.reason == "weniger als 5 Antworten"
    network = load_view(NETWORK, None, "en", db=synthetic.url)
    assert isinstance(network, View) and network.is_network and network.town_name == "Whole network"
    missing = load_view(None, None, "de", db=f"sqlite:///{tmp_path / 'fehlt.sqlite'}")
    assert isinstance(missing, Unavailable) and "gibt es noch nicht" in missing.message
    assert not (tmp_path / "fehlt.sqlite").exists()


def test_shell_state_from_url(synthetic: SyntheticInfo, tmp_path: Path) -> None:
    s = selector_state(f"?town={synthetic.towns[1]}&year={synthetic.years[0]}", synthetic.url)
    assert s["town"] == synthetic.towns[1] and s["year"] == str(synthetic.years[0]) and s["messages"] == []
    assert s["town_options"][0] == {"label": "Gesamtes Netzwerk", "value": NETWORK}
    assert s["data_date"].startswith("Datenstand: 14.02.")
    bad = selector_state("?town=00000000&lang=en", synthetic.url)
    assert bad["town"] == NETWORK and bad["lang"] == "en" and "'00000000'" in bad["messages"][0]
    missing = selector_state("", f"sqlite:///{tmp_path / 'fehlt.sqlite'}")
    assert missing["town_options"] == [] and "gibt es noch nicht" in missing["messages"][0]
