"""Pure table builders: the data behind a chart as an accessible HTML table and as a CSV download.

Every chart has a table alternative (screen readers, print, exact numbers) built here from the same
DataFrame the figure was drawn from, so chart, table and CSV always agree. Tables format with
:mod:`dashboard.formatting`; a suppressed cell shows "–" and carries the reason of its kind
(:mod:`dashboard.suppression`) for screen readers and as a tooltip. CSV downloads keep raw values ('.'
decimal, rates as fractions, like the indicator export of brief §7; suppressed cells empty, the kind in a
``suppression`` column) and neutralise cells that a spreadsheet would run as a formula (§6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd
from dash import html

from dashboard.formatting import SUPPRESSED, fmt_date, fmt_datetime, fmt_int, fmt_interval, fmt_number, fmt_value
from dashboard.i18n import label, t
from dashboard.suppression import kinds, reason_for
from etl.export import FORMULA_START
from etl.export import neutralise as neutralise_text

Kind = Literal["text", "value", "int", "date", "datetime", "interval", "share", "label", "bool"]


@dataclass(frozen=True)
class TableColumn:
    """One column of a table: ``key`` in the frame, ``header`` an i18n key, ``kind`` how cells read.

    ``value``/``interval`` cells use the unit in the frame's ``unit`` column (or ``unit`` given here);
    ``label`` cells translate codes with :func:`dashboard.i18n.label` of ``label_kind``.
    """

    key: str
    header: str
    kind: Kind = "text"
    unit: str | None = None
    label_kind: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind in ("value", "int", "interval", "share")


def format_cell(row: dict, column: TableColumn, lang: str) -> str:
    value = row.get(column.key)
    unit = column.unit or row.get("unit") or ""
    if column.kind == "value":
        return fmt_value(value, str(unit), lang)
    if column.kind == "share":
        return fmt_value(value, "share", lang)
    if column.kind == "int":
        return fmt_int(value, lang)
    if column.kind == "interval":
        low = row.get("low", row.get("ci_low"))
        if low is None and not row.get("suppressed"):
            return ""  # no interval for this value (counts, medians): blank, not "–" (which means suppressed)
        return fmt_interval(row.get("low", row.get("ci_low")), row.get("high", row.get("ci_high")), str(unit), lang)
    if column.kind == "date":
        return fmt_date(value, lang)
    if column.kind == "datetime":
        return fmt_datetime(value, lang)
    if column.kind == "bool":
        return t("yes", lang) if bool(value) else t("no", lang)
    if column.kind == "label":
        return label(column.label_kind, value, lang)
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return fmt_number(value, 2, lang)
    return str(value)


def _plain(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def plain_records(frame: pd.DataFrame, keys: list[str] | None = None) -> list[dict]:
    """Rows as dicts of plain Python values, every kind of missing as None.

    Column by column (``tolist``), which for the small frames of a page is ten times cheaper than
    ``astype(object).where(notna)``.
    """
    names = [k for k in (keys or list(frame.columns)) if k in frame.columns]
    columns = [[_plain(v) for v in frame[k].tolist()] for k in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def table_rows(frame: pd.DataFrame, columns: list[TableColumn], lang: str) -> list[list[str]]:
    """The formatted cell texts, row by row (what the HTML table shows; tested without Dash)."""
    keys = {c.key for c in columns} | {"unit", "low", "high", "ci_low", "ci_high", "suppressed"}
    records = plain_records(frame, [k for k in frame.columns if k in keys])
    return [[format_cell(r, c, lang) for c in columns] for r in records]


def _cell(text: str, numeric: bool, reason: str) -> html.Td:
    cls = "num" if numeric else None
    if text == SUPPRESSED and reason:
        return html.Td(
            [
                html.Span(SUPPRESSED, title=reason, **{"aria-hidden": "true"}),
                html.Span(reason, className="visually-hidden"),
            ],
            className=cls,
        )
    return html.Td(text, className=cls)


def html_table(
    frame: pd.DataFrame,
    columns: list[TableColumn],
    lang: str,
    *,
    caption: str,
    reason: str = "",
    max_rows: int | None = None,
) -> html.Div:
    """An accessible HTML table (caption, column headers with scope) of ``frame``.

    ``reason`` explains "–" cells of primary suppression (e.g. "weniger als 5 Antworten"); a row whose
    ``suppression`` is ``secondary`` gets that kind's reason instead. ``max_rows`` limits long tables.
    """
    shown = frame if max_rows is None else frame.head(max_rows)
    rows = table_rows(shown, columns, lang)
    if reason and "suppressed" in shown.columns:  # only a suppressed row's "–" is for privacy
        reasons = [reason_for(kind, reason, lang) if kind else "" for kind in kinds(shown)]
    else:
        reasons = [reason] * len(shown)
    head = html.Thead(
        html.Tr([html.Th(t(c.header, lang), scope="col", className="num" if c.numeric else None) for c in columns])
    )
    body = html.Tbody(
        [
            html.Tr([_cell(text, c.numeric, why) for text, c in zip(row, columns, strict=True)])
            for row, why in zip(rows, reasons, strict=True)
        ]
    )
    table = html.Table([html.Caption(caption), head, body], className="table table-sm table-striped data-table")
    return table_region(table, caption)


def table_region(table: html.Table, name: str, class_name: str = "") -> html.Div:
    """The scroll container of a table: a table wider or longer than its card scrolls inside it (never the
    page sideways, e.g. at 390 px), and it is a named region in the tab order, so it can be scrolled by
    keyboard (WCAG 2.1.1, axe's scrollable-region-focusable). Every table of the dashboard goes through
    here; a new one (another page, a map's table) gets the same by calling it."""
    return html.Div(
        table,
        className=f"table-responsive table-region {class_name}".strip(),
        tabIndex="0",
        role="region",
        **{"aria-label": name},
    )


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula get a leading apostrophe, so it shows them as text: the
    rule of the §7 exports (:func:`etl.export.neutralise`), so a download and an export of the same rows agree."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_string_dtype(out[column]) or out[column].dtype == object:
            s = out[column].astype("string")
            risky = s.str.startswith(FORMULA_START).fillna(False).astype(bool)
            if risky.any():
                out[column] = s.mask(risky, s[risky].map(neutralise_text))
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """UTF-8 CSV (comma, '.' decimal, empty for suppressed/missing), formula cells neutralised."""
    return neutralise(frame).to_csv(index=False, lineterminator="\n")
