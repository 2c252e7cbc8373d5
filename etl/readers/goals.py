"""Reader for the ``goals`` source (brief §3.6): the steering group's goal plan as an XLSX workbook.

Sheets ``Ziele`` (goals), ``Massnahmen`` (measures) and, optionally, ``Messungen`` (measurements for
goals without a linked indicator). A goal that cannot be evaluated by §5.5 (target equal to baseline,
an indicator id that does not exist) is a rejected row, as the brief asks. All three sheets are counted
in one file report; a reject names its sheet in the column text, since row numbers repeat across sheets.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl import tables
from etl.indicators import catalogue
from etl.messages import Msg
from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.batch import Batch, Loaded, Part, read_batch
from etl.readers.canonical import SECTORS
from etl.readers.checks import check_fields, duplicates, select_table, table_frame
from etl.readers.fields import DATE, FLOAT, Field, category_field, code_field, quotable, scale_field, title_field
from etl.readers.organisations import SECTOR_CODES
from etl.readers.tabular import FileUnreadable, XlsxSheets, is_xlsx, ole_message, rows_table
from etl.tables import columns_of

PRINCIPLES = tuple(f"P{i}" for i in range(1, 6)) + tuple(f"W{i}" for i in range(1, 6))
STATUSES = ("geplant", "laufend", "umgesetzt", "verzögert", "abgebrochen")
STATUS_CODES = {**{s: s for s in STATUSES}, "verzoegert": "verzögert"}

GOAL_FIELDS = (
    Field("goal_id", required=True),
    title_field("title", required=True),  # free text: never quoted
    code_field("principle", {p: p for p in PRINCIPLES}, required=True, allowed="P1–P5, W1–W5"),
    Field("indicator"),
    Field("baseline", FLOAT, required=True),
    Field("baseline_date", DATE, required=True),
    Field("target", FLOAT, required=True),
    Field("target_date", DATE, required=True),
    category_field("unit"),
)
MEASURE_FIELDS = (
    Field("measure_id", required=True),
    Field("goal_id", required=True),
    title_field("title", required=True),
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
    return read_goals_batch([spec], project, towns, pseudonymiser)[0]


def read_goals_batch(
    specs: list[SourceSpec],
    project: Project,
    towns: tuple[Town, ...],
    pseudonymiser=None,  # noqa: ANN001
) -> list[SourceResult]:
    return read_batch(specs, _load, _validate)


def _load(spec: SourceSpec) -> Loaded:
    """Every workbook of the source: per sheet the rows' columns (``extra["sheets"]``) and its headers."""
    counts: dict[str, int] = {}
    sheets: dict[str, list[Part]] = {name: [] for name in SHEETS}
    headers: dict[str, dict[str, str]] = {}
    for path in spec.files:
        file = spec.relname(path)
        for sheet, (rows, columns, found) in _read_workbook(path, file, spec).items():
            sheets[sheet].append((file, rows, columns))
            headers.setdefault(sheet, found)
            counts[file] = counts.get(file, 0) + len(rows)
    return Loaded(parts=[], headers={}, counts=counts, extra={"sheets": sheets, "headers": headers})


def _read_workbook(path: Path, file: str, spec: SourceSpec) -> dict[str, tuple]:
    if not is_xlsx(path):
        with path.open("rb") as handle:
            if handle.read(4) == b"\xd0\xcf\x11\xe0":  # old .xls or a password-protected workbook
                raise FileUnreadable(file, ole_message(path.read_bytes(), file))
        raise FileUnreadable(file, Msg("goals_not_xlsx", file=file))
    with XlsxSheets(path, file, list(SHEETS)) as workbook:
        out = {}
        for sheet, fields in SHEETS.items():
            rows = workbook.rows(sheet, optional=sheet == "Messungen")
            if rows is None:
                continue
            table = rows_table(file, rows)
            required = [f.name for f in fields if f.required]
            optional = [f.name for f in fields if not f.required]
            try:
                columns, headers = select_table(table, spec.columns, required, optional)
            except FileUnreadable as exc:
                raise FileUnreadable(file, Msg("on_sheet", sheet=sheet, inner=exc.msg)) from None
            out[sheet] = (table.rows, columns, headers)
        return out


def _validate(batch: Batch) -> list[SourceResult]:
    log = batch.log
    goals = _check_sheet(batch, "Ziele")
    listed = set(zip(goals["_src"], goals["_raw_goal_id"], strict=True)) if len(goals) else set()
    goals = _check_goals(batch, goals)
    measures = _check_sheet(batch, "Massnahmen", listed)
    measurements = _check_sheet(batch, "Messungen", listed)
    log.headers = [{} for _ in batch.specs]
    return batch.results(
        {
            "stg_goals": _final(batch, goals, GOAL_COLUMNS),
            "stg_measures": _final(batch, measures, MEASURE_COLUMNS),
            "stg_measurements": _final(batch, measurements, MEASUREMENT_COLUMNS),
        }
    )


def _check_sheet(batch: Batch, sheet: str, listed: set[tuple[int, str]] | None = None) -> pd.DataFrame:
    """Field checks, unknown goal references and duplicates of one sheet over all workbooks of every source."""
    fields = SHEETS[sheet]
    log = batch.log
    parts = [item.extra["sheets"][sheet] for item in batch.loaded]
    # the headers of each source's first workbook with this sheet name the columns in its messages
    log.headers = [item.extra["headers"].get(sheet, {}) for item in batch.loaded]
    if not any(parts):
        empty = pd.DataFrame(columns=[*(f.name for f in fields), "source_file", "source_row"])
        return empty.assign(_src=pd.Series(dtype="int64"), _bad=pd.Series(dtype=bool), _raw_goal_id="")
    raw = table_frame([p for source in parts for p in source])
    raw["_src"] = np.repeat(np.arange(len(parts)), [sum(len(r) for _, r, _ in source) for source in parts])
    label = _column_label(sheet)
    unit = sheet  # rows are counted per sheet: row 2 of 'Ziele' and of 'Massnahmen' are two rows
    values, bad = check_fields(raw, fields, log.headers[0], log, column_label=label, unit=unit)
    values[["source_file", "source_row", "_src"]] = raw[["source_file", "source_row", "_src"]]

    def column(name: str) -> np.ndarray:
        return np.array([label(log.header(int(s), name)) for s in values["_src"]], dtype=object)

    if listed is not None:
        keys = zip(values["_src"], values["goal_id"].fillna(""), strict=True)
        orphan = ~bad & ~pd.Series([k in listed for k in keys], index=values.index, dtype=bool)
        reasons = values["goal_id"].fillna("").map(lambda g: Msg("goal_not_listed", value=g if quotable(g) else None))
        log.add(values, orphan, column("goal_id"), reasons, unit=unit)
        bad = bad | orphan
    key = {"Ziele": ["goal_id"], "Massnahmen": ["measure_id"], "Messungen": ["goal_id", "date"]}[sheet]
    dup, reason = duplicates(values, key, ~bad)
    log.add(values, dup, column(key[0]), reason, unit=unit)
    values["_bad"] = bad | dup
    if sheet == "Ziele":
        values["_raw_goal_id"] = raw["goal_id"].astype(str).str.strip().to_numpy(dtype=object)
    return values


def _check_goals(batch: Batch, goals: pd.DataFrame) -> pd.DataFrame:
    """The goal rules of §5.5: progress must be computable and a linked indicator must exist."""
    if goals.empty:
        return goals
    log = batch.log
    log.headers = [item.extra["headers"].get("Ziele", {}) for item in batch.loaded]
    label = _column_label("Ziele")
    src = goals["_src"].to_numpy()

    def column(name: str) -> np.ndarray:
        return np.array([label(log.header(int(s), name)) for s in src], dtype=object)

    ok = ~goals["_bad"]
    same = ok & (goals["target"] == goals["baseline"])
    log.add(goals, same, column("target"), Msg("target_equals_baseline"), unit="Ziele")
    order = ok & ~same & (goals["target_date"] <= goals["baseline_date"])
    log.add(goals, order, column("target_date"), Msg("target_date_order"), unit="Ziele")
    known = set(catalogue.BY_ID)
    named = goals["indicator"].notna()
    unknown = ok & ~same & ~order & named & ~goals["indicator"].isin(known)
    reason = [
        Msg("indicator_unknown", value=i if quotable(i) else None, header=log.header(int(s), "indicator"))
        for i, s in zip(goals["indicator"].fillna(""), src, strict=True)
    ]
    log.add(goals, unknown, column("indicator"), np.array(reason, dtype=object), unit="Ziele")
    goals["_bad"] = goals["_bad"] | same | order | unknown
    return goals


def _final(batch: Batch, values: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = values.loc[~values["_bad"].astype(bool)].copy()
    out["town_ags"] = batch.towns(out)
    out["source_row"] = out["source_row"].astype("int64")
    return out[[*columns, "_src"]].reset_index(drop=True)
