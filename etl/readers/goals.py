"""Reader for the ``goals`` source (brief §3.6): the steering group's goal plan as an XLSX workbook.

Sheets ``Ziele`` (goals), ``Massnahmen`` (measures) and, optionally, ``Messungen`` (measurements for
goals without a linked indicator). A goal that cannot be evaluated by §5.5 (target equal to baseline,
an indicator id that does not exist) is a rejected row, as the brief asks. All three sheets are counted
in one file report; a reject names its sheet in the column text, since row numbers repeat across sheets.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl import tables
from etl.indicators import catalogue
from etl.messages import Msg
from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.canonical import SECTORS
from etl.readers.checks import RejectLog, check_fields, duplicates, finish, select
from etl.readers.fields import DATE, FLOAT, Field, code_field, quotable, scale_field
from etl.readers.organisations import SECTOR_CODES
from etl.readers.tabular import FileUnreadable, is_xlsx, ole_message, open_workbook, rows_table, sheet_rows
from etl.tables import columns_of

PRINCIPLES = tuple(f"P{i}" for i in range(1, 6)) + tuple(f"W{i}" for i in range(1, 6))
STATUSES = ("geplant", "laufend", "umgesetzt", "verzögert", "abgebrochen")
STATUS_CODES = {**{s: s for s in STATUSES}, "verzoegert": "verzögert"}

GOAL_FIELDS = (
    Field("goal_id", required=True),
    Field("title", required=True, personal=True),  # free text: never quoted (it is not checked anyway)
    code_field("principle", {p: p for p in PRINCIPLES}, required=True, allowed="P1–P5, W1–W5"),
    Field("indicator"),
    Field("baseline", FLOAT, required=True),
    Field("baseline_date", DATE, required=True),
    Field("target", FLOAT, required=True),
    Field("target_date", DATE, required=True),
    Field("unit"),
)
MEASURE_FIELDS = (
    Field("measure_id", required=True),
    Field("goal_id", required=True),
    Field("title", required=True, personal=True),
    code_field("lead_sector", SECTOR_CODES, allowed=", ".join(SECTORS)),
    Field("start", DATE),
    Field("due", DATE),
    code_field("status", STATUS_CODES, required=True, allowed=", ".join(STATUSES)),
    scale_field("level", 1, 7),
)
MEASUREMENT_FIELDS = (
    Field("goal_id", required=True),
    Field("date", DATE, required=True),
    Field("value", FLOAT, required=True),
)

GOAL_COLUMNS = columns_of(tables.stg_goals)
MEASURE_COLUMNS = columns_of(tables.stg_measures)
MEASUREMENT_COLUMNS = columns_of(tables.stg_measurements)

SHEETS = {"Ziele": GOAL_FIELDS, "Massnahmen": MEASURE_FIELDS, "Messungen": MEASUREMENT_FIELDS}


def _column_label(sheet: str):  # noqa: ANN202
    return lambda header: f"Blatt '{sheet}', Spalte '{header}'"


def read_goals(spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser=None) -> SourceResult:  # noqa: ANN001
    log = RejectLog(spec)
    counts: dict[str, int] = {}
    sheets: dict[str, list[tuple[pd.DataFrame, dict[str, str], str]]] = {name: [] for name in SHEETS}
    for path in spec.files:
        file = spec.relname(path)
        for sheet, (frame, headers) in _read_workbook(path, file, spec).items():
            sheets[sheet].append((frame, headers, file))
            counts[file] = counts.get(file, 0) + len(frame)
    goals = _check_sheet(spec, log, "Ziele", sheets["Ziele"])
    listed = set(pd.concat([f["goal_id"] for f, _, _ in sheets["Ziele"]]).str.strip()) if sheets["Ziele"] else set()
    goals = _check_goals(goals, log)
    measures = _check_sheet(spec, log, "Massnahmen", sheets["Massnahmen"], listed)
    measurements = _check_sheet(spec, log, "Messungen", sheets["Messungen"], listed)
    frames = {
        "stg_goals": _final(goals, GOAL_COLUMNS, spec),
        "stg_measures": _final(measures, MEASURE_COLUMNS, spec),
        "stg_measurements": _final(measurements, MEASUREMENT_COLUMNS, spec),
    }
    return finish(spec, frames, counts, log)


def _read_workbook(path: Path, file: str, spec: SourceSpec) -> dict[str, tuple[pd.DataFrame, dict[str, str]]]:
    if not is_xlsx(path):
        with path.open("rb") as handle:
            if handle.read(4) == b"\xd0\xcf\x11\xe0":  # old .xls or a password-protected workbook
                raise FileUnreadable(file, ole_message(path.read_bytes(), file))
        raise FileUnreadable(file, Msg("goals_not_xlsx", file=file))
    workbook = open_workbook(path, file)
    try:
        out = {}
        for sheet, fields in SHEETS.items():
            rows = sheet_rows(workbook, path, file, sheet, optional=sheet == "Messungen")
            if rows is None:
                continue
            table = rows_table(file, rows)
            required = [f.name for f in fields if f.required]
            optional = [f.name for f in fields if not f.required]
            try:
                frame, headers = select(table, file, spec.columns, required, optional)
            except FileUnreadable as exc:
                raise FileUnreadable(file, Msg("on_sheet", sheet=sheet, inner=exc.msg)) from None
            frame["sheet"] = sheet
            out[sheet] = (frame, headers)
        return out
    finally:
        workbook.close()


def _check_sheet(
    spec: SourceSpec,
    log: RejectLog,
    sheet: str,
    parts: list[tuple[pd.DataFrame, dict[str, str], str]],
    listed: set[str] | None = None,
) -> pd.DataFrame:
    """Field checks, unknown goal references and duplicates of one sheet over all workbooks."""
    fields = SHEETS[sheet]
    if not parts:
        return pd.DataFrame(columns=[*(f.name for f in fields), "source_file", "source_row"])
    raw = pd.concat([p for p, _, _ in parts], ignore_index=True)
    headers = parts[0][1]
    label = _column_label(sheet)
    unit = sheet  # rows are counted per sheet: row 2 of 'Ziele' and of 'Massnahmen' are two rows
    values, bad = check_fields(raw, fields, headers, log, column_label=label, unit=unit)
    values[["source_file", "source_row"]] = raw[["source_file", "source_row"]]
    if listed is not None:
        orphan = ~bad & ~values["goal_id"].isin(listed)
        log.add(
            values,
            orphan,
            label(headers["goal_id"]),
            values["goal_id"].fillna("").map(lambda g: Msg("goal_not_listed", value=g if quotable(g) else None)),
            unit=unit,
        )
        bad = bad | orphan
    key = {"Ziele": ["goal_id"], "Massnahmen": ["measure_id"], "Messungen": ["goal_id", "date"]}[sheet]
    dup, reason = duplicates(values, key, ~bad)
    log.add(values, dup, label(headers[key[0]]), reason, unit=unit)
    values["_bad"] = bad | dup
    values.attrs["headers"] = headers
    return values


def _check_goals(goals: pd.DataFrame, log: RejectLog) -> pd.DataFrame:
    """The goal rules of §5.5: progress must be computable and a linked indicator must exist."""
    if goals.empty:
        return goals
    headers = goals.attrs.get("headers", {})
    label = _column_label("Ziele")
    ok = ~goals["_bad"]
    same = ok & (goals["target"] == goals["baseline"])
    log.add(
        goals,
        same,
        label(headers.get("target", "target")),
        Msg("target_equals_baseline"),
        unit="Ziele",
    )
    order = ok & ~same & (goals["target_date"] <= goals["baseline_date"])
    log.add(
        goals,
        order,
        label(headers.get("target_date", "target_date")),
        Msg("target_date_order"),
        unit="Ziele",
    )
    known = set(catalogue.BY_ID)
    named = goals["indicator"].notna()
    unknown = ok & ~same & ~order & named & ~goals["indicator"].isin(known)
    header = headers.get("indicator", "indicator")
    reason = goals["indicator"].fillna("").map(
        lambda i: Msg("indicator_unknown", value=i if quotable(i) else None, header=header)
    )
    log.add(goals, unknown, label(headers.get("indicator", "indicator")), reason, unit="Ziele")
    goals["_bad"] = goals["_bad"] | same | order | unknown
    return goals


def _final(values: pd.DataFrame, columns: list[str], spec: SourceSpec) -> pd.DataFrame:
    out = values.loc[~values["_bad"].astype(bool)].copy() if "_bad" in values else values.copy()
    out["town_ags"] = spec.town
    out["source_row"] = out["source_row"].astype("int64")
    return out[columns].reset_index(drop=True)
