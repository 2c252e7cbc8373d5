"""Record-level and wide reads for researchers' notebooks (brief §1, §2, §7).

:mod:`etl.warehouse` reads the aggregates the dashboard shows; researchers also need the clean records
behind them (to recompute a rate from the stored survey weights, to re-analyse registrations, to rebuild
the partner network) and the indicators as one wide table (town × year, one column per indicator) for
regressions and scatter plots. Those reads live here and are re-exported by :mod:`etl.warehouse`.

Connection as everywhere: the ``db`` argument (SQLAlchemy URL or Engine), else ``ENGAGE_DATABASE_URL``,
else the SQLite file ``data/warehouse.sqlite``; the engine handling (one engine per URL, German error
message for a missing or empty warehouse) is :mod:`etl.warehouse`'s.

Privacy (brief §6): the warehouse holds no personal data — names, e-mail addresses, IP addresses and
free texts never enter it, persons appear only as the keyed pseudonym ``person_key`` — and this module
only returns stored columns. Suppressed indicator values are never returned: :func:`indicators_wide`
leaves such a cell empty (NaN), exactly like the value the ETL stored (none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import Boolean, Column, Date, DateTime, Engine, Float, Integer, Select, Table, and_, false, or_, select
from sqlalchemy.sql.elements import ColumnElement

from etl import tables as t
from etl import warehouse
from etl.indicators.catalogue import CATALOGUE

# From etl.warehouse only the module object at import time: it re-exports this module's functions, and
# importing names from it here would fail while it is still being imported.
if TYPE_CHECKING:
    from etl.warehouse import DbArg, Filter

__all__ = [
    "events",
    "indicators_wide",
    "organisations",
    "partner_responses",
    "population",
    "registrations",
    "survey_responses",
    "ties",
]

WIDE_KEYS = ["town_ags", "town_name", "year"]

# Texts and codes in pandas' default string dtype: missing values are NaN and comparisons give plain
# numpy booleans, so ``w * (frame["eng1"] == "Y")`` works in a notebook (pandas 2 lacks it: "string").
TEXT = "str" if int(pd.__version__.split(".")[0]) >= 3 else "string"

# --- reading ---------------------------------------------------------------------------------------------


def _connect(db: DbArg) -> Engine:
    """The warehouse's engine; raises :class:`WarehouseError` (German) when it is missing or empty.

    The status is checked before an engine is made, because connecting to a missing SQLite file would
    create an empty one.
    """
    status = warehouse.check(db)
    if not status.ok:
        raise status.error()
    return warehouse._engine(db)


def _values(value: Filter) -> tuple | None:
    """A filter as a tuple of plain Python values (one value, a list, numpy scalars alike); None = no filter."""
    if value is None:
        return None
    if isinstance(value, (str, int, np.integer)):
        items: Sequence = [value]
    else:
        items = list(value)  # type: ignore[arg-type]
    return tuple(v.item() if isinstance(v, np.generic) else v for v in items)


def _where(stmt: Select, column: ColumnElement, value: Filter) -> Select:
    values = _values(value)
    return stmt if values is None else stmt.where(column.in_(values))


def _dtype(column: Column) -> str:
    """The pandas dtype of a schema column: codes and texts as strings, nullable ints as ``Int64``."""
    kind = column.type
    if isinstance(kind, Boolean):
        return "boolean" if column.nullable else "bool"
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Integer):
        return "Int64" if column.nullable else "int64"
    if isinstance(kind, Float):
        return "float64"
    return TEXT


def _frame(engine: Engine, stmt: Select, table: Table) -> pd.DataFrame:
    """Run ``stmt`` and type its columns by the schema of ``table`` (same dtypes on SQLite and PostgreSQL)."""
    with engine.connect() as conn:
        result = conn.execute(stmt)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for column in table.columns:
        if column.name not in frame.columns:
            continue
        dtype = _dtype(column)
        values = frame[column.name]
        if dtype == "date":
            frame[column.name] = pd.to_datetime(values).dt.date.astype("object") if len(frame) else values
        elif dtype == "datetime":
            frame[column.name] = pd.to_datetime(values)
        else:
            frame[column.name] = values.astype(dtype)
    return frame


def _read(table: Table, db: DbArg, filters: dict[str, Filter], order_by: Sequence[str]) -> pd.DataFrame:
    """All stored columns of ``table``, filtered by equality/membership on the named columns."""
    engine = _connect(db)
    stmt = select(table)
    for name, value in filters.items():
        stmt = _where(stmt, table.c[name], value)
    stmt = stmt.order_by(*(table.c[name] for name in order_by))
    return _frame(engine, stmt, table)


# --- clean records ---------------------------------------------------------------------------------------


def survey_responses(
    town: Filter = None,
    year: Filter = None,
    include_uncounted: bool = False,
    db: DbArg = None,
) -> pd.DataFrame:
    """The clean resident-survey responses (``stg_survey_responses``) with their raking weights (§5.1).

    By default only the responses that enter the indicators: complete (``submitdate`` given) and of
    respondents aged at least ``survey_min_age``. ``include_uncounted=True`` adds the incomplete and
    under-age ones (flags ``complete`` and ``below_min_age``; their ``weight`` is empty), e.g. to study
    drop-out. ``weight`` is the stored raking weight (mean 1 per town and year), ``weighted`` False where
    the town-year had no population data (all weights 1). A rate recomputed as Σw·x/Σw over these rows
    equals the stored indicator value. One row per response; answer codes as in the questionnaire
    (``eng1`` Y/N, ``ease`` 1–5, ``eng3_sq001``… True where the area was named).
    """
    table = t.stg_survey_responses
    engine = _connect(db)
    stmt = _where(_where(select(table), table.c.town_ags, town), table.c.year, year)
    if not include_uncounted:
        stmt = stmt.where(and_(table.c.complete.is_(True), table.c.below_min_age.is_(False)))
    stmt = stmt.order_by(table.c.town_ags, table.c.year, table.c.source_file, table.c.source_row)
    return _frame(engine, stmt, table)


def registrations(town: Filter = None, year: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """Clean volunteer registrations (``stg_registrations``), one row per registration.

    ``year`` keeps the registrations active in that year (or in any of several years) by the rule of
    §5.3: registered on or before 31 December and not ended before 1 January. Persons appear only as
    ``person_key``, the keyed pseudonym (HMAC-SHA256) made on read; count distinct keys for persons.
    """
    table = t.stg_registrations
    engine = _connect(db)
    stmt = _where(select(table), table.c.town_ags, town)
    years = _values(year)
    if years is not None:
        active = [
            and_(
                table.c.registered_on <= dt.date(int(y), 12, 31),
                or_(table.c.ended_on.is_(None), table.c.ended_on >= dt.date(int(y), 1, 1)),
            )
            for y in years
        ]
        stmt = stmt.where(or_(*active)) if active else stmt.where(false())
    stmt = stmt.order_by(table.c.town_ags, table.c.registered_on, table.c.source_file, table.c.source_row)
    return _frame(engine, stmt, table)


def events(town: Filter = None, year: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """Clean events (``stg_events``): date, format, participants and the participants per sector group."""
    return _read(t.stg_events, db, {"town_ags": town, "year": year}, ["town_ags", "date", "event_id"])


def organisations(town: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """The towns' organisations lists (``stg_organisations``): ``org_id``, ``name`` and ``sector``.

    These are the nodes of the partner network (§5.4), including organisations without any tie.
    """
    return _read(t.stg_organisations, db, {"town_ags": town}, ["town_ags", "org_id"])


def partner_responses(
    town: Filter = None, year: Filter = None, include_uncounted: bool = False, db: DbArg = None
) -> pd.DataFrame:
    """Clean partner-survey responses (``stg_partner_responses``), one row per organisation and wave.

    Holds the organisation's own answers ``eye`` (equal footing) and ``he`` (paid/volunteer cooperation),
    1–5; ``sector`` is the one of the organisations list. By default only the complete responses, the ones
    behind the indicators; ``include_uncounted=True`` adds those that stopped before the end (``complete``
    False, empty ``submitdate``: kept, but counted in no network figure and no rating). Ratings about single
    organisations (TRUST, VALUE) are not stored (only their aggregates); the contact frequencies live on as
    :func:`ties`.
    """
    table = t.stg_partner_responses
    engine = _connect(db)
    stmt = _where(_where(select(table), table.c.town_ags, town), table.c.year, year)
    if not include_uncounted:
        stmt = stmt.where(table.c.complete.is_(True))
    stmt = stmt.order_by(table.c.town_ags, table.c.year, table.c.org_id)
    return _frame(engine, stmt, table)


def population(town: Filter = None, year: Filter = None, totals_only: bool = False, db: DbArg = None) -> pd.DataFrame:
    """Population by age band and gender (``population``), as the ETL read it (§3.1).

    ``ags`` is the town, ``district`` '' for town totals (the ETL fills them from the district rows where a
    town has only those); ``totals_only=True`` drops the district rows. ``year`` selects exactly the
    stored years; the indicators use year Y, else the latest earlier year.
    """
    table = t.population
    engine = _connect(db)
    stmt = _where(_where(select(table), table.c.ags, town), table.c.year, year)
    if totals_only:
        stmt = stmt.where(table.c.district == "")
    stmt = stmt.order_by(table.c.ags, table.c.year, table.c.district, table.c.age_band, table.c.gender)
    return _frame(engine, stmt, table)


# --- aggregates in the shapes researchers need -----------------------------------------------------------


def indicators_wide(town: Filter = None, year: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """Town totals as one row per town and year and one column per indicator (in the order of brief §5).

    Columns ``town_ags``, ``town_name``, ``year``, then the indicator ids. A suppressed value (§6) is an
    empty cell (NaN), never a number; so is an indicator without a value for that town and year. Only
    town totals: breakdowns, intervals and n stay in :func:`etl.warehouse.indicators`.
    """
    long = warehouse.indicators(town=_list(town), year=_list(year), breakdown="", db=db)
    present = set(long["indicator"])
    order = [i.id for i in CATALOGUE if i.id in present]
    order += sorted(present - set(order))
    if long.empty:
        return pd.DataFrame({"town_ags": pd.Series(dtype=TEXT), "town_name": pd.Series(dtype=TEXT), "year": []}).astype(
            {"year": "int64"}
        )
    long = long.assign(value=long["value"].where(~long["suppressed"].astype(bool)))
    wide = long.pivot(index=WIDE_KEYS, columns="indicator", values="value").reindex(columns=order)
    wide = _texts(wide.reset_index())
    wide.columns.name = None
    return wide.sort_values(["town_ags", "year"], ignore_index=True)


def ties(town: Filter = None, year: Filter = None, db: DbArg = None) -> pd.DataFrame:
    """The partner network's tie list per wave with the organisations' names and a cross-sector flag.

    One row per undirected tie (``org_a`` < ``org_b``) of ``mart_network_ties``: ``freq`` is the highest
    contact frequency either side reported (≥ 2, §5.4), ``name_a``/``name_b`` come from the wave's nodes,
    ``cross_sector`` is True where the two sectors differ. Ready for ``networkx.from_pandas_edgelist``.
    """
    edges = warehouse.network_ties(town=_list(town), year=_list(year), db=db)
    nodes = warehouse.network_nodes(town=_list(town), year=_list(year), db=db)
    names = nodes[["town_ags", "year", "org_id", "name"]]
    for side in ("a", "b"):
        edges = edges.merge(
            names.rename(columns={"org_id": f"org_{side}", "name": f"name_{side}"}),
            on=["town_ags", "year", f"org_{side}"],
            how="left",
        )
    edges["cross_sector"] = (edges["sector_a"] != edges["sector_b"]).astype(bool)
    columns = ["town_ags", "year", "org_a", "name_a", "sector_a", "org_b", "name_b", "sector_b", "freq"]
    edges = _texts(edges[[*columns, "cross_sector"]])
    return edges.sort_values(["town_ags", "year", "org_a", "org_b"], ignore_index=True)


def _texts(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns read through :mod:`etl.warehouse` in this module's :data:`TEXT` dtype."""
    texts = [c for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype) or frame[c].dtype == object]
    return frame.astype(dict.fromkeys(texts, TEXT))


def _list(value: Filter) -> Filter:
    """A filter in the form :mod:`etl.warehouse` caches on: a plain scalar or a list of plain values."""
    values = _values(value)
    if values is None:
        return None
    return values[0] if len(values) == 1 else list(values)
