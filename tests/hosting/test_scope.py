"""Authorisation in the read API (etl.warehouse): every read of a scoped reader holds its towns only, the run
log and rejects only its own sources, small networks no aggregates; unscoped reads are refused where a scope
is required. Plain function calls on a real SQLite warehouse (issue 12)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import warehouse


@pytest.fixture(scope="module")
def ags(demo_warehouse: str) -> list[str]:
    return sorted(warehouse.towns(db=demo_warehouse)["ags"])


def _reads(db: str) -> dict[str, object]:
    return {
        "towns": warehouse.towns(db=db),
        "indicators": warehouse.indicators(breakdown=None, db=db),
        "comparison": warehouse.comparison(db=db),
        "nodes": warehouse.network_nodes(db=db),
        "ties": warehouse.network_ties(db=db),
        "goals": warehouse.goals(db=db),
        "goal_values": warehouse.goal_values(db=db),
        "measures": warehouse.measures(db=db),
        "goal_status_counts": warehouse.goal_status_counts(db=db),
        "measure_counts": warehouse.measure_counts(db=db),
        "districts": warehouse.districts(db=db),  # issue 16: the shapes of another town are its own data too
    }


def _towns_of(name: str, frame) -> set[str]:  # noqa: ANN001 - a DataFrame
    return set(frame["ags" if name == "towns" else "town_ags"])


def test_a_town_scope_reads_its_town_only_even_when_asking_for_another(demo_warehouse: str, ags: list[str]) -> None:
    own, other = ags
    with warehouse.scoped(warehouse.Scope.of([own])):
        for name, frame in _reads(demo_warehouse).items():
            assert len(frame), name
            assert _towns_of(name, frame) == {own}, name
        assert warehouse.indicators(town=other, db=demo_warehouse).empty
        assert warehouse.goals(town=[own, other], db=demo_warehouse)["town_ags"].eq(own).all()
        assert warehouse.years(town=other, db=demo_warehouse) == []
        assert warehouse.town_count(db=demo_warehouse) == 2  # the network's size is an aggregate
    everything = _reads(demo_warehouse)
    assert _towns_of("goals", everything["goals"]) == {own, other}  # no scope: notebooks and the CLI see all


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pick=st.lists(st.sampled_from([0, 1, 2]), max_size=3, unique=True))
def test_any_scope_is_a_filter_of_the_full_reads(demo_warehouse: str, ags: list[str], pick: list[int]) -> None:
    towns = [([*ags, "00000000"])[i] for i in pick]
    full = _reads(demo_warehouse)
    with warehouse.scoped(warehouse.Scope.of(towns)):
        scoped = _reads(demo_warehouse)
    for name, frame in scoped.items():
        column = "ags" if name == "towns" else "town_ags"
        expected = full[name][full[name][column].isin(towns)]
        assert len(frame) == len(expected), name
        assert _towns_of(name, frame) <= set(towns)


def test_run_files_and_rejects_of_a_town_are_its_own_sources(demo_warehouse: str, ags: list[str]) -> None:
    names = warehouse.towns(db=demo_warehouse).set_index("ags")["name"]
    all_files, all_rejects = warehouse.runs(db=demo_warehouse), warehouse.rejects(db=demo_warehouse)
    for town in ags:
        with warehouse.scoped(warehouse.Scope.of([town])):
            files, rejects = warehouse.runs(db=demo_warehouse), warehouse.rejects(db=demo_warehouse)
        assert len(files) and files["source"].str.contains(names[town]).all()
        assert set(rejects["source"]) <= set(files["source"])
        others = [n for a, n in names.items() if a != town]
        assert not files["source"].str.contains("|".join(others)).any()
    # sources of no single town (the population table of all towns) are the network's only
    shared = set(all_files["source"]) - {s for s in all_files["source"] if any(n in s for n in names)}
    assert shared and len(all_rejects) >= len(rejects)


def test_small_networks_show_a_town_no_median(demo_warehouse: str, ags: list[str]) -> None:
    full = warehouse.comparison(db=demo_warehouse)
    assert full["network_median"].notna().all() and (full["network_towns"] < warehouse.MIN_TOWNS_FOR_AGGREGATES).all()
    with warehouse.scoped(warehouse.Scope.of([ags[0]])):
        mine = warehouse.comparison(db=demo_warehouse)
    assert len(mine) and all(math.isnan(v) for v in mine["network_median"])
    assert mine["value"].notna().any()  # its own values stay


def test_reads_without_a_scope_are_refused_where_one_is_required(demo_warehouse: str) -> None:
    warehouse.require_scope()
    try:
        with pytest.raises(warehouse.WarehouseError, match="Keine Berechtigung"):
            warehouse.indicators(db=demo_warehouse)
        with pytest.raises(warehouse.WarehouseError):
            warehouse.town_count(db=demo_warehouse)
        with warehouse.scoped(warehouse.EVERY_TOWN):
            assert len(warehouse.indicators(db=demo_warehouse))
    finally:
        warehouse.require_scope(False)


def test_the_public_view_reads_only_published_values(demo_warehouse: str, ags: list[str]) -> None:
    own, other = ags
    with warehouse.scoped(warehouse.Scope.published([(own, "engagement_rate"), (own, "ease_agree")])):
        reads = _reads(demo_warehouse)
        years = warehouse.years(db=demo_warehouse)
        files, rejects = warehouse.runs(db=demo_warehouse), warehouse.rejects(db=demo_warehouse)
    values = reads["indicators"]
    assert len(values) and set(zip(values["town_ags"], values["indicator"], strict=True)) == {
        (own, "engagement_rate"),
        (own, "ease_agree"),
    }
    assert set(reads["comparison"]["indicator"]) <= {"engagement_rate", "ease_agree"}
    assert set(reads["towns"]["ags"]) == {own}
    assert set(years) == set(values["year"])
    for name in ("nodes", "ties", "goals", "goal_values", "measures"):
        assert reads[name].empty, name
    assert files.empty and rejects.empty
    with warehouse.scoped(warehouse.Scope.published([])):  # nothing published: nothing shown (off by default)
        assert warehouse.indicators(db=demo_warehouse).empty and warehouse.towns(db=demo_warehouse).empty
