"""Daten & Methodik: where the numbers come from.

The latest run's sources with rows read / accepted / rejected / skipped per file, the rejected rows with their
German reasons (so a coordinator can fix the export and re-run), and every indicator's definition from
the catalogue. Tables only; each with its CSV download.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.components.chart_card import ChartResult, ChartSpec, empty_result
from dashboard.formatting import fmt_date, fmt_datetime
from dashboard.i18n import label, t
from dashboard.state import View
from dashboard.tables import TableColumn, plain_records
from etl import messages, warehouse

MAX_REJECTS = 500
MAX_FILES = 100  # a network run reads well over a thousand files: problems first, the CSV has all
# the statuses the run log holds (etl_runs.status), worst first; labels in dashboard.i18n.LABELS["run_status"]
# what a stored message or reason is rendered from (etl.messages): the German text, its codes, their parameters
MESSAGE_KEYS = ["message", "message_code", "message_params"]
REASON_KEYS = ["reason", "reason_code", "reason_params"]
STATUS_ORDER = {"failed": 0, "kept": 1, "warning": 2, "rejects": 3, "ok": 4}


def file_status(status: str, lang: str) -> str:
    """A file's status in the page's language ("mit abgewiesenen Zeilen", "fehlgeschlagen – … beibehalten")."""
    return label("run_status", status, lang)


def run_status(status: str, files: pd.DataFrame) -> str:
    """The run's status as the page states it: a run the log calls "ok" whose sources rejected rows reads
    "mit abgewiesenen Zeilen" (the run log's own word for a file that did), never a bare "ok"."""
    if status == "ok" and len(files) and int(pd.to_numeric(files["rows_rejected"], errors="coerce").fillna(0).sum()):
        return "rejects"
    return status


def message_text(row: Mapping[str, object], lang: str, column: str = "message") -> str:
    """The text of a run-log message (``column="message"``) or a reject reason (``column="reason"``) in ``lang``.

    The one place the Methodik page words stored messages: German is the text the ETL stored, English is
    rendered from the codes and parameters stored beside it (:func:`etl.messages.render`); a run of an older
    version without codes shows its German text in both languages.
    """
    stored = {k: row.get(k) for k in (column, f"{column}_code", f"{column}_params")}
    return messages.render(stored, lang)


def sources(view: View, _c: dict[str, object]) -> ChartResult:
    """The latest run: metadata as a note, one row per file read."""
    runs = warehouse.runs(db=view.db)
    run = warehouse.latest_run(db=view.db)
    notes = [
        t(
            "methods.run",
            view.lang,
            run_id=run.run_id,
            project=run.project_name,
            started=fmt_datetime(run.started_at, view.lang),
            finished=fmt_datetime(run.finished_at, view.lang),
            status=label("run_status", run_status(run.status, runs), view.lang),
            min_cell=run.min_cell,
            as_of=fmt_date(run.as_of, view.lang),
        ),
        t("methods.privacy", view.lang, min_cell=run.min_cell),
        t("methods.privacy_secondary", view.lang),
    ]
    if run.demo_key:
        notes.append(t("methods.demo_key", view.lang))
    if runs.empty:
        return ChartResult({}, runs, [], [*notes, t("msg.no_data", view.lang)])
    data = runs[
        ["source", "kind", "file", "rows_read", "rows_accepted", "rows_rejected", "rows_skipped", "status", "message"]
    ]
    data = data.assign(
        kind_label=[label("source_kind", k, view.lang) for k in data["kind"]],
        status_label=[file_status(s, view.lang) for s in data["status"]],
        message_text=[message_text(r, view.lang) for r in plain_records(runs, MESSAGE_KEYS)],
        _order=data["status"].map(STATUS_ORDER).fillna(len(STATUS_ORDER)),
    )
    data = data.sort_values(["_order", "source", "file"], kind="stable").drop(columns="_order")
    if len(data) > MAX_FILES:
        problems = int((data["status"] != "ok").sum())
        notes.append(t("msg.files_limited", view.lang, shown=MAX_FILES, total=len(data), problems=problems))
    columns = [
        TableColumn("source", "col.source"),
        TableColumn("kind_label", "col.kind"),
        TableColumn("file", "col.file"),
        TableColumn("rows_read", "col.rows_read", "int"),
        TableColumn("rows_accepted", "col.rows_accepted", "int"),
        TableColumn("rows_rejected", "col.rows_rejected", "int"),
        TableColumn("rows_skipped", "col.rows_skipped", "int"),
        TableColumn("status_label", "col.status"),
        TableColumn("message_text", "col.message"),
    ]
    return ChartResult({}, data, columns, notes)


def rejects(view: View, _c: dict[str, object]) -> ChartResult:
    """Every rejected row of the latest run (the table shows the first 500; the CSV has all)."""
    data = warehouse.rejects(db=view.db)
    if data.empty:
        return empty_result(t("methods.no_rejects", view.lang), view.lang)
    notes = []
    if len(data) > MAX_REJECTS:
        notes.append(t("msg.rejects_limited", view.lang, shown=MAX_REJECTS, total=len(data)))
    columns = [
        TableColumn("file", "col.file"),
        TableColumn("row", "col.row"),
        TableColumn("column", "col.column"),
        TableColumn("reason_text", "col.reason"),
    ]
    texts = [message_text(r, view.lang, "reason") for r in plain_records(data, REASON_KEYS)]
    return ChartResult({}, data.assign(reason_text=texts), columns, notes)


def definitions(view: View, _c: dict[str, object]) -> ChartResult:
    """Every indicator's name, meaning, computation, unit, principles and breakdowns."""
    cat = warehouse.catalogue(db=view.db)
    if cat.empty:
        return empty_result(t("msg.no_data", view.lang), view.lang)
    suffix = "en" if view.lang == "en" else "de"
    data = cat.assign(
        name=cat[f"name_{suffix}"],
        description=cat[f"description_{suffix}"],
        formula=cat[f"formula_{suffix}"],
        breakdown_labels=[
            ", ".join(label("breakdown", b, view.lang) for b in str(s).split(",") if b) for s in cat["breakdowns"]
        ],
    )
    columns = [
        TableColumn("name", "col.name"),
        TableColumn("indicator", "col.indicator"),
        TableColumn("family", "col.family", "label", label_kind="family"),
        TableColumn("description", "col.description"),
        TableColumn("formula", "col.formula"),
        TableColumn("unit", "col.unit", "label", label_kind="unit"),
        TableColumn("principle", "col.principle"),
        TableColumn("breakdown_labels", "col.breakdowns"),
    ]
    keep = [
        "indicator",
        "family",
        "name",
        "description",
        "formula",
        "unit",
        "principle",
        "breakdowns",
        "breakdown_labels",
    ]
    return ChartResult({}, data[keep], columns, [])


# Long tables start closed, their toggles say how many rows they hold; open, each scrolls inside its own
# keyboard-reachable region (dashboard.tables.table_region), so the page stays short. They show the same for
# every town and year of a reader (the run log and the catalogue): built once per run, scope and language.
SPECS = [
    ChartSpec(
        "methods-sources", "methods.sources", sources, graph=False, max_rows=MAX_FILES, table_open=False, per_view=False
    ),
    ChartSpec(
        "methods-rejects",
        "methods.rejects",
        rejects,
        graph=False,
        max_rows=MAX_REJECTS,
        table_open=False,
        per_view=False,
    ),
    ChartSpec("methods-catalogue", "methods.catalogue", definitions, graph=False, table_open=False, per_view=False),
]
