"""Why a value is shown as "–": the reason for each kind of suppression the ETL stored (brief §6, issue 12).

The ETL keeps the kind with every value (``mart_indicator_values.suppression``): ``primary`` – too few
answers behind it; ``secondary`` – hidden so that a small group cannot be computed from the other numbers.
Cards, tables, chart hovers, the Sitzungsmodus and the report all word the reason through this module, so
a "–" reads the same everywhere. A suppressed value without a stored kind (a warehouse written before the
column existed) counts as primary, the reason it had then.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dashboard.i18n import t

PRIMARY, SECONDARY = "primary", "secondary"


def kind_of(suppressed: object, suppression: object = None) -> str:
    """'' for a shown value, else the stored kind (``primary`` where none is stored)."""
    if suppressed is None or suppressed is pd.NA or not bool(suppressed):
        return ""
    return SECONDARY if suppression == SECONDARY else PRIMARY


def kinds(frame: pd.DataFrame) -> list[str]:
    """The kind of every row of a frame with ``suppressed`` (and, where read from the warehouse, ``suppression``)."""
    if "suppressed" not in frame.columns:
        return [""] * len(frame)
    stored = frame["suppression"].tolist() if "suppression" in frame.columns else [None] * len(frame)
    return [kind_of(s, k) for s, k in zip(frame["suppressed"].tolist(), stored, strict=True)]


def reason(kind: str, lang: str, min_cell: int) -> str:
    """The reason for a kind: "weniger als 5 Antworten" or "verborgen, damit eine kleine Gruppe …"."""
    if kind == SECONDARY:
        return t("msg.suppressed_secondary", lang)
    return t("msg.suppressed", lang, min_cell=min_cell)


def reason_for(kind: str, primary: str, lang: str) -> str:
    """The reason for a kind, where the caller holds the primary reason with the run's min_cell already
    (``View.reason``): figures and tables get it passed and need only tell the secondary case apart."""
    return t("msg.suppressed_secondary", lang) if kind == SECONDARY else primary


def notes(found: Iterable[str], lang: str, min_cell: int) -> list[str]:
    """The notes under a chart or table that has "–" cells: one per kind present, primary first."""
    present = set(found)
    out = []
    if PRIMARY in present:
        out.append(t("msg.suppressed_note", lang, min_cell=min_cell))
    if SECONDARY in present:
        out.append(t("msg.suppressed_secondary_note", lang))
    return out
