"""The researchers' read API (etl.records) on a real demo warehouse: SQLite and PostgreSQL.

Every function is checked for its filters, its dtypes and for the two privacy promises of brief §6: no
column or value looks personal, and no suppressed value is ever returned. The survey test recomputes the
stored engagement rate from the returned responses and weights, which pins down "counted by default".
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import create_engine

from etl import records, warehouse
from etl.pipeline import run_pipeline

# Every public read with the arguments a notebook would use first.
READS: dict[str, Callable[..., pd.DataFrame]] = {
    "survey_responses": lambda db: records.survey_responses(include_uncounted=True, db=db),
    "registrations": lambda db: records.registrations(db=db),
    "events": lambda db: records.events(db=db),
    "organisations": lambda db: records.organisations(db=db),
    "partner_responses": lambda db: records.partner_responses(db=db),
    "population": lambda db: records.population(db=db),
    "indicators_wide": lambda db: records.indicators_wide(db=db),
    "ties": lambda db: records.ties(db=db),
}

# Column names that would mean personal data got through (brief §6); organisation names are not personal.
PERSONAL_COLUMN = re.compile(
    r"mail|phone|telefon|ipaddr|refurl|token|vorname|nachname|first_?name|last_?name|person_id|address|adresse|"
    r"free_?text|comment|kommentar"
)
E_MAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
IP_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


@pytest.fixture(scope="module")
def db(demo_warehouse: str) -> str:
    warehouse.clear_cache()
    return demo_warehouse


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c]) and not frame[c].dropna().empty]


# --- every function ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(READS))
def test_every_read_returns_rows_without_personal_data(db: str, name: str) -> None:
    frame = READS[name](db)
    assert len(frame) > 0, f"{name}: no rows on the demo warehouse"
    assert frame.columns.is_unique
    assert not [c for c in frame.columns if PERSONAL_COLUMN.search(str(c).lower())], frame.columns
    if "name" in frame.columns or "name_a" in frame.columns:
        assert name in ("organisations", "ties"), "only organisations carry a name"
    for column in _text_columns(frame):
        values = frame[column].dropna().astype(str)
        assert not values.str.contains(E_MAIL).any(), f"{name}.{column} holds an e-mail address"
        assert not values.str.contains(IP_ADDRESS).any(), f"{name}.{column} holds an IP address"


def test_persons_appear_only_as_keyed_pseudonyms(db: str) -> None:
    regs = records.registrations(db=db)
    assert regs["person_key"].str.fullmatch(r"[0-9a-f]{64}").all()


def test_default_connection_is_engage_database_url(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGE_DATABASE_URL", db)
    pd.testing.assert_frame_equal(records.events(), records.events(db=db))
    engine = create_engine(db)
    try:
        pd.testing.assert_frame_equal(records.organisations(db=engine), records.organisations(db=db))
    finally:
        engine.dispose()


def test_missing_warehouse_raises_german_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "fehlt" / "warehouse.sqlite"
    with pytest.raises(warehouse.WarehouseError, match="gibt es noch nicht"):
        records.survey_responses(db=f"sqlite:///{missing}")
    assert not missing.exists()


# --- survey ---------------------------------------------------------------------------------------------


def test_survey_responses_counted_by_default(db: str) -> None:
    counted = records.survey_responses(db=db)
    every = records.survey_responses(include_uncounted=True, db=db)
    assert counted["complete"].all() and not counted["below_min_age"].any()
    assert counted["weight"].notna().all() and counted["weighted"].notna().all()
    uncounted = every[~every["complete"] | every["below_min_age"]]
    assert len(uncounted) > 0, "the demo has incomplete and under-age responses"
    assert uncounted["weight"].isna().all()
    assert len(every) == len(counted) + len(uncounted)
    means = counted.groupby(["town_ags", "year"])["weight"].mean()
    np.testing.assert_allclose(means.to_numpy(), 1.0, rtol=1e-9)


def test_engagement_rate_recomputed_from_responses_equals_mart(db: str) -> None:
    """Σw·x/Σw over the returned responses is the stored value for every town-year (brief §5.1)."""
    resp = records.survey_responses(db=db)
    valid = resp[resp["eng1"].isin(["Y", "N"])]
    valid = valid.assign(wx=valid["weight"] * (valid["eng1"] == "Y"))
    sums = valid.groupby(["town_ags", "year"]).agg(sw=("weight", "sum"), swx=("wx", "sum"), answers=("wx", "size"))
    stored = warehouse.indicators(indicator="engagement_rate", db=db).set_index(["town_ags", "year"])
    stored = stored[~stored["suppressed"]]
    assert len(stored) > 0
    joined = stored.join(sums, how="left")
    np.testing.assert_allclose(joined["swx"] / joined["sw"], joined["value"], rtol=0, atol=1e-9)
    assert (joined["answers"] == joined["n"]).all()


def test_survey_filters(db: str) -> None:
    every = records.survey_responses(db=db)
    town = str(every["town_ags"].iloc[0])
    year = int(every["year"].max())
    one = records.survey_responses(town=town, year=np.int64(year), db=db)
    assert len(one) == ((every["town_ags"] == town) & (every["year"] == year)).sum() > 0
    years = sorted(int(y) for y in every["year"].unique())
    both = records.survey_responses(year=years, db=db)
    assert len(both) == len(every)
    none = records.survey_responses(year=[], db=db)
    assert none.empty and list(none.columns) == list(every.columns)
    assert records.survey_responses(town="00000000", db=db).empty


def test_survey_dtypes_suit_weighted_arithmetic(db: str) -> None:
    resp = records.survey_responses(db=db)
    assert resp["weight"].dtype == "float64"
    assert resp["age"].dtype == "Int64" and resp["ease"].dtype == "Int64"
    assert resp["complete"].dtype == bool and resp["eng3_sq001"].dtype == bool
    # A comparison on a code column gives booleans usable in arithmetic (no Arrow-backed surprises).
    assert float((resp["weight"] * (resp["eng1"] == "Y")).sum()) > 0


# --- registrations, events, organisations, partner survey, population ------------------------------------


def test_registrations_year_means_active_in_year(db: str) -> None:
    every = records.registrations(db=db)
    registered, ended = pd.to_datetime(every["registered_on"]), pd.to_datetime(every["ended_on"])
    year = int(registered.dt.year.max()) - 1
    expected = (registered <= pd.Timestamp(year, 12, 31)) & (ended.isna() | (ended >= pd.Timestamp(year, 1, 1)))
    active = records.registrations(year=year, db=db)
    assert 0 < len(active) == int(expected.sum()) < len(every)
    two = records.registrations(year=[year, year + 1], db=db)
    assert len(active) <= len(two) <= len(every)
    town = str(every["town_ags"].iloc[0])
    assert set(records.registrations(town=town, db=db)["town_ags"]) == {town}


def test_events_organisations_partner_population_filters(db: str) -> None:
    ev = records.events(db=db)
    year = int(ev["year"].max())
    ev_year = records.events(year=year, db=db)
    assert 0 < len(ev_year) < len(ev) and set(ev_year["year"]) == {year}
    assert all(d.year == year for d in ev_year["date"])

    orgs = records.organisations(db=db)
    town = str(orgs["town_ags"].iloc[0])
    assert set(records.organisations(town=town, db=db)["town_ags"]) == {town}
    assert set(orgs["sector"]) <= {"civil_society", "politics", "administration", "business"}

    partner = records.partner_responses(town=town, db=db)
    assert len(partner) > 0 and set(partner["town_ags"]) == {town}
    assert set(partner["org_id"]) <= set(orgs.loc[orgs["town_ags"] == town, "org_id"])
    everyone = records.partner_responses(include_uncounted=True, db=db)
    assert partner["complete"].all() and not everyone["complete"].all()  # the demo has organisations that quit

    pop = records.population(db=db)
    totals = records.population(totals_only=True, db=db)
    assert (totals["district"] == "").all() and len(totals) <= len(pop)
    pyear = int(pop["year"].max())
    assert set(records.population(year=pyear, db=db)["year"]) == {pyear}


# --- indicators_wide: never a suppressed value ---------------------------------------------------------


def test_indicators_wide_matches_shown_town_totals(db: str) -> None:
    wide = records.indicators_wide(db=db)
    long = warehouse.indicators(db=db)
    assert list(wide.columns[:3]) == ["town_ags", "town_name", "year"]
    assert not wide.duplicated(["town_ags", "year"]).any()
    assert len(wide) == len(long[["town_ags", "year"]].drop_duplicates())
    melted = wide.melt(id_vars=["town_ags", "town_name", "year"], var_name="indicator", value_name="wide")
    merged = long.merge(melted, on=["town_ags", "year", "indicator"], how="left")
    shown = merged[~merged["suppressed"]]
    np.testing.assert_allclose(shown["wide"], shown["value"], equal_nan=True)
    assert merged.loc[merged["suppressed"], "wide"].isna().all()
    # Catalogue order: participation first (brief §5.2), as the catalogue defines it.
    assert wide.columns[3] == "engagement_rate"


def test_indicators_wide_filters(db: str) -> None:
    wide = records.indicators_wide(db=db)
    town, year = str(wide["town_ags"].iloc[0]), int(wide["year"].iloc[-1])
    one = records.indicators_wide(town=town, year=[year], db=db)
    assert len(one) == 1 and one["town_ags"].iloc[0] == town and one["year"].iloc[0] == year
    empty = records.indicators_wide(town="00000000", db=db)
    assert empty.empty and list(empty.columns) == ["town_ags", "town_name", "year"]


def test_indicators_wide_never_returns_a_suppressed_value(db: str, tmp_path: Path) -> None:
    """Suppress town totals in a copy of the warehouse — also one whose value was (wrongly) kept."""
    path = tmp_path / "unterdrueckt.sqlite"
    shutil.copy(db.removeprefix("sqlite:///"), path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE mart_indicator_values SET suppressed = 1, value = NULL, n = NULL, ci_low = NULL, ci_high = NULL "
            "WHERE indicator = 'engagement_rate' AND breakdown = ''"
        )
        conn.execute("UPDATE mart_indicator_values SET suppressed = 1 WHERE indicator = 'events' AND breakdown = ''")
    url = f"sqlite:///{path}"
    wide = records.indicators_wide(db=url)
    assert wide["engagement_rate"].isna().all()
    assert wide["events"].isna().all()
    assert wide["participation_rate"].notna().any()


# --- ties ----------------------------------------------------------------------------------------------


def test_ties_have_names_and_cross_sector_flag(db: str) -> None:
    ties = records.ties(db=db)
    assert len(ties) == len(warehouse.network_ties(db=db))
    assert ties[["name_a", "name_b"]].notna().all().all()
    assert (ties["org_a"] < ties["org_b"]).all()
    assert (ties["freq"] >= 2).all()
    assert (ties["cross_sector"] == (ties["sector_a"] != ties["sector_b"])).all()
    town, year = str(ties["town_ags"].iloc[0]), int(ties["year"].iloc[0])
    one = records.ties(town=town, year=year, db=db)
    assert len(one) > 0 and set(one["town_ags"]) == {town} and set(one["year"]) == {year}


# --- PostgreSQL -----------------------------------------------------------------------------------------


# Text order in SQL depends on the server's collation: compare the two backends in one pandas order.
KEYS: dict[str, list[str]] = {
    "survey_responses": ["town_ags", "year", "source_file", "source_row"],
    "registrations": ["town_ags", "source_file", "source_row"],
    "events": ["town_ags", "event_id"],
    "organisations": ["town_ags", "org_id"],
    "partner_responses": ["town_ags", "year", "org_id"],
    "population": ["ags", "year", "district", "age_band", "gender"],
    "indicators_wide": ["town_ags", "year"],
    "ties": ["town_ags", "year", "org_a", "org_b"],
}


def _ordered(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame.sort_values(KEYS[name], ignore_index=True)


@pytest.mark.postgres
def test_every_read_on_postgresql_equals_sqlite(db: str, demo_source: Path, postgres_url: str) -> None:
    summary = run_pipeline(demo_source, db_url=postgres_url, as_of=dt.date(2025, 6, 30))
    assert not summary.failed_sources
    for name, read in READS.items():
        on_pg, on_sqlite = _ordered(read(postgres_url), name), _ordered(read(db), name)
        pd.testing.assert_frame_equal(on_pg, on_sqlite, check_exact=False, rtol=1e-12, obj=name)
    towns = records.organisations(db=db)["town_ags"].unique()
    town, year = str(towns[0]), int(records.survey_responses(db=db)["year"].max())
    filtered = {
        "survey_responses": lambda url: records.survey_responses(town=town, year=year, db=url),
        "registrations": lambda url: records.registrations(town=[town], year=year - 1, db=url),
        "indicators_wide": lambda url: records.indicators_wide(year=year, db=url),
        "ties": lambda url: records.ties(town=town, db=url),
    }
    for name, read in filtered.items():
        on_pg, on_sqlite = _ordered(read(postgres_url), name), _ordered(read(db), name)
        assert len(on_pg) > 0, name
        pd.testing.assert_frame_equal(on_pg, on_sqlite, check_exact=False, rtol=1e-12, obj=f"{name} (gefiltert)")


@pytest.mark.parametrize("first", ["from etl import records", "from etl import warehouse", "import etl.records"])
def test_record_reads_are_served_by_warehouse_whatever_is_imported_first(first: str) -> None:
    """A fresh interpreter (as a notebook kernel is): the two modules must not import each other circularly."""
    import subprocess
    import sys

    code = f"{first}\nfrom etl import warehouse\nprint(warehouse.survey_responses.__module__)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "etl.records"
