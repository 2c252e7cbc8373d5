"""CSV exports of brief §7: indicators, goals, the latest run log and the rejected rows.

Other programs read these files, so the format is fixed here: UTF-8 without BOM, comma separated, a
header line, ``.`` as decimal point, empty fields for missing values, ``true``/``false`` for flags. Only
what the dashboard may show is exported (suppressed rows carry no value), and text cells that a
spreadsheet would run as a formula are neutralised with a leading apostrophe.

Every file is written to a temporary file in the target's folder and renamed onto the target only when it
is complete (:func:`atomic_path`): a full disk or a killed process leaves the previous file, never a
truncated or empty one.

A warehouse built with the public demo key must say so in every export, but a notice row or column would
break the fixed format for the programs that read it: :func:`demo_warning` gives the warning that the CLI
prints (on standard error, next to the file it writes) instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, func, select

from etl import tables as t

EXPORTS = ("indicators", "goals", "runs", "rejects")

INDICATOR_COLUMNS = [
    "town_ags",
    "town_name",
    "indicator",
    "year",
    "breakdown",
    "group",
    "value",
    "n",
    "ci_low",
    "ci_high",
    "suppressed",
]
GOAL_COLUMNS = [
    "town_ags",
    "goal_id",
    "title",
    "principle",
    "indicator",
    "baseline",
    "target",
    "current",
    "progress",
    "expected",
    "status",
    "as_of",
]
RUN_COLUMNS = [
    "source",
    "kind",
    "file",
    "rows_read",
    "rows_accepted",
    "rows_rejected",
    "rows_skipped",
    "status",
    "message",
]
REJECT_COLUMNS = ["source", "file", "row", "column", "reason"]

# what a spreadsheet may run as a formula: = + - @ and, as OWASP lists them, a leading tab or carriage return
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise(text: str) -> str:
    """Prefix ``'`` to a text cell starting with = + - @ (or a tab or carriage return) so spreadsheets show it
    instead of running it. The one rule for every CSV we write: the §7 exports, the data package and the
    dashboard's downloads (:func:`dashboard.tables.neutralise`).

    A cell that is a plain number (``-3``, ``+1.5``, ``-2e-3``) is left alone: it is data, not a formula.
    """
    if text.startswith(FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def format_cell(value: object) -> str:
    """One value as CSV text: '' for missing, true/false, ISO dates, shortest round-trip floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return neutralise(str(value))


@contextmanager
def atomic_path(out: Path) -> Iterator[Path]:
    """A temporary path next to ``out`` to write to; renamed onto ``out`` when the block ends without error."""
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.stem}.{os.getpid()}.tmp{out.suffix}")
    try:
        yield temp
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)


def _write(out: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    count = 0
    with atomic_path(out) as temp, temp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([format_cell(v) for v in row])
            count += 1
        handle.flush()
        os.fsync(handle.fileno())
    return count


def _latest_run(conn) -> int:  # noqa: ANN001 - a Connection
    """The run the exports show: the latest (the marts keep earlier runs too, issue 17)."""
    return int(conn.execute(select(func.max(t.etl_runs.c.run_id))).scalar() or 0)


def _indicator_rows(engine: Engine) -> list[tuple]:
    v, towns = t.mart_indicator_values, t.towns
    query = (
        select(
            v.c.town_ags,
            towns.c.name,
            v.c.indicator,
            v.c.year,
            v.c.breakdown,
            v.c.group,
            v.c.value,
            v.c.n,
            v.c.ci_low,
            v.c.ci_high,
            v.c.suppressed,
        )
        .select_from(v.outerjoin(towns, (towns.c.ags == v.c.town_ags) & (towns.c.run_id == v.c.run_id)))
        .order_by(v.c.town_ags, v.c.indicator, v.c.year, v.c.breakdown, v.c.group)
    )
    with engine.connect() as conn:
        rows = conn.execute(query.where(v.c.run_id == _latest_run(conn))).all()
    out = []
    for row in rows:
        suppressed = bool(row.suppressed)
        hidden = (None, None, None, None) if suppressed else (row.value, row.n, row.ci_low, row.ci_high)
        out.append((row.town_ags, row.name, row.indicator, row.year, row.breakdown, row.group, *hidden, suppressed))
    return out


def _goal_rows(engine: Engine) -> list[tuple]:
    g = t.mart_goals
    with engine.connect() as conn:
        query = select(*(g.c[c] for c in GOAL_COLUMNS)).where(g.c.run_id == _latest_run(conn))
        return [tuple(r) for r in conn.execute(query.order_by(g.c.town_ags, g.c.goal_id)).all()]


def _run_rows(engine: Engine) -> list[tuple]:
    f = t.etl_run_files
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(t.etl_runs.c.run_id))).scalar()
        if latest is None:
            latest = conn.execute(select(func.max(f.c.run_id))).scalar()
        if latest is None:
            return []
        query = select(*(f.c[c] for c in RUN_COLUMNS)).where(f.c.run_id == latest).order_by(f.c.source, f.c.file)
        return [tuple(r) for r in conn.execute(query).all()]


def _reject_rows(engine: Engine) -> list[tuple]:
    r = t.etl_rejects
    with engine.connect() as conn:
        query = select(*(r.c[c] for c in REJECT_COLUMNS)).where(r.c.run_id == _latest_run(conn))
        query = query.order_by(r.c.source, r.c.file, r.c.row, r.c.column)
        return [tuple(x) for x in conn.execute(query).all()]


def demo_warning(engine: Engine) -> str:
    """The German warning for exports of a warehouse whose latest run used the public demo key, else ''."""
    with engine.connect() as conn:
        latest = conn.execute(
            select(t.etl_runs.c.demo_key).order_by(t.etl_runs.c.run_id.desc()).limit(1)
        ).scalar()
    if not latest:
        return ""
    return (
        "Achtung: Demodaten – die Pseudonyme dieses Warehouse sind mit dem öffentlichen Demo-Schlüssel "
        "erzeugt. Die Datei nicht als echte Auswertung weitergeben und keine echten Personendaten damit verwenden."
    )


def export_table(engine: Engine, what: str, out: Path) -> int:
    """Write one export of §7 (``indicators``, ``goals``, ``runs`` or ``rejects``) to ``out``; rows written.

    Each shows the latest run (the warehouse keeps earlier runs' marts too: their data package,
    ``engage export package --run N``): ``runs`` is its file log, ``rejects`` its rejected rows.
    """
    builders = {
        "indicators": (INDICATOR_COLUMNS, _indicator_rows),
        "goals": (GOAL_COLUMNS, _goal_rows),
        "runs": (RUN_COLUMNS, _run_rows),
        "rejects": (REJECT_COLUMNS, _reject_rows),
    }
    if what not in builders:
        raise ValueError(f"Unbekannter Export '{what}': möglich sind {', '.join(EXPORTS)}.")
    header, build = builders[what]
    return _write(Path(out), header, build(engine))
