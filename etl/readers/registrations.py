"""Reader for the ``registrations`` source (brief §3.4): volunteer registrations from any platform export.

The person identifier (an e-mail, a name or a platform id) is replaced by its keyed hash right after the
checks and the raw column is dropped, so no frame this reader returns holds it; reasons about it never
quote it. Every column the manifest does not map onto a canonical field is dropped unread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from etl import tables
from etl.messages import Msg
from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.batch import Batch, read_batch
from etl.readers.checks import Header, check_fields, duplicates
from etl.readers.collect import load_canonical
from etl.readers.fields import DATE, DIGITS, FLOAT, GENDER, INT, Field, category_field, code_field
from etl.tables import columns_of

OPTIONAL = ("ended_on", "organisation", "area", "activity", "birth_year", "gender", "district", "postcode", "hours")

FIELDS = (
    Field("person_id", required=True, personal=True),
    Field("registered_on", DATE, required=True),
    Field("ended_on", DATE),
    category_field("organisation"),
    category_field("area"),
    category_field("activity"),
    Field("birth_year", INT, lo=1900, hi=dt.date.today().year),
    code_field("gender", GENDER, allowed="w, m, d (auch weiblich, männlich, divers, f)"),
    category_field("district"),
    Field("postcode", DIGITS, digits=5),
    Field("hours", FLOAT, lo=0, hi=10_000),
)

COLUMNS = columns_of(tables.stg_registrations)


def read_registrations(
    spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser: Callable[[pd.Series], pd.Series]
) -> SourceResult:
    return read_registrations_batch([spec], project, towns, pseudonymiser)[0]


def read_registrations_batch(
    specs: list[SourceSpec],
    project: Project,
    towns: tuple[Town, ...],
    pseudonymiser: Callable[[pd.Series], pd.Series],
) -> list[SourceResult]:
    return read_batch(
        specs,
        lambda s: load_canonical(s, ["person_id", "registered_on"], OPTIONAL),
        lambda batch: _validate(batch, pseudonymiser),
    )


def _validate(batch: Batch, pseudonymiser: Callable[[pd.Series], pd.Series]) -> list[SourceResult]:
    raw, log = batch.frame, batch.log
    values, bad = check_fields(raw, FIELDS, batch.headers, log)
    values["person_key"] = pseudonymiser(values.pop("person_id"))
    values[["source_file", "source_row", "_src"]] = raw[["source_file", "source_row", "_src"]]
    del raw
    ended_early = (values["ended_on"] < values["registered_on"]).fillna(False).astype(bool) & ~bad
    if ended_early.any():
        dates = values["ended_on"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        reasons = np.full(len(values), None, dtype=object)
        reasons[ended_early.to_numpy()] = [
            Msg("ended_before_registered", date=d, header=Header("ended_on"), registered=Header("registered_on"))
            for d in dates[ended_early.to_numpy()]
        ]
        log.add(values, ended_early, Header("ended_on"), reasons)
    bad = bad | ended_early
    # organisation is optional: an empty one is a value of the key, not a missing key
    keyed = values.assign(organisation=values["organisation"].fillna(""))
    dup, reason = duplicates(keyed, ["person_key", "organisation", "registered_on"], ~bad)
    log.add(values, dup, Header("person_id"), reason)
    ok = values.loc[~(bad | dup)].copy()
    ok["town_ags"] = batch.towns(ok)
    return batch.results({"stg_registrations": ok[[*COLUMNS, "_src"]]})
