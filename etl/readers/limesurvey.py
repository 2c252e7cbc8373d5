"""What the resident and partner survey readers share: LimeSurvey's own columns and the response year.

LimeSurvey's "Export responses" (heading style "question code", answers as codes) writes ``id``,
``submitdate`` and friends into every export; a survey without ``year`` in the manifest takes each
response's year from its ``submitdate`` (an incomplete one from ``startdate`` or ``datestamp``).
Anonymised surveys without date stamps write the placeholder ``1980-01-01 00:00:00`` instead of a date:
such a response has no year of its own, and the reader says the manifest must give one.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from etl.model import SourceSpec
from etl.readers.checks import RejectLog
from etl.readers.fields import DATETIME, Field

META_FIELDS = (
    Field("id", required=True),
    Field("submitdate", DATETIME, noun="Zeitpunkt"),
    Field("startdate", DATETIME, noun="Zeitpunkt"),
    Field("datestamp", DATETIME, noun="Zeitpunkt"),
)
PLACEHOLDER = pd.Timestamp("1980-01-01 00:00:00")


def mapping(spec: SourceSpec, prefixes: tuple[str, ...] = ()) -> dict[str, str]:
    """``[sources.columns]`` and ``[sources.codes]`` merged: canonical name -> export header."""
    return {**spec.columns, **spec.codes}


def prefixed_columns(columns: list[str], prefix: str) -> dict[str, str]:
    """Array columns ``PREFIX[sub]`` (or LimeSurvey's older ``PREFIX_sub``) of a header: sub -> header."""
    pattern = re.compile(rf"^{re.escape(prefix)}(?:\[(?P<a>[^\]]+)\]|_(?P<b>.+))$", re.IGNORECASE)
    found: dict[str, str] = {}
    for column in columns:
        match = pattern.match(column.strip())
        if match:
            found.setdefault((match.group("a") or match.group("b")).strip(), column)
    return found


def response_year(
    spec: SourceSpec, meta: pd.DataFrame, valid: pd.Series, log: RejectLog, frame: pd.DataFrame, headers: dict[str, str]
) -> tuple[pd.Series, pd.Series]:
    """Year of each response (manifest ``year``, else from its dates) and the rows whose year is unknown."""
    if spec.year is not None:
        return pd.Series(spec.year, index=meta.index, dtype="Int64"), pd.Series(False, index=meta.index)
    submit = meta["submitdate"].where(meta["submitdate"] != PLACEHOLDER)
    when = submit.fillna(meta["startdate"].where(meta["startdate"] != PLACEHOLDER))
    when = when.fillna(meta["datestamp"].where(meta["datestamp"] != PLACEHOLDER))
    year = when.dt.year.astype("Int64")
    unknown = year.isna().to_numpy() & valid.to_numpy()
    placeholder = (meta["submitdate"] == PLACEHOLDER).fillna(False).to_numpy()
    reason = np.where(
        placeholder,
        f"Jahr nicht bestimmbar: Spalte '{headers['submitdate']}' enthält nur LimeSurveys Platzhalter "
        "'1980-01-01 00:00:00' (anonyme Umfrage); bitte year = … für diese Quelle in engage.toml angeben",
        f"Jahr nicht bestimmbar: Spalte '{headers['submitdate']}' ist leer und engage.toml nennt für diese "
        "Quelle kein year",
    )
    log.add(frame, unknown, headers["submitdate"], reason)
    return year, pd.Series(unknown, index=meta.index)
