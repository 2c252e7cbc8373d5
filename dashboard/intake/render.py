"""The page's pieces as plain functions of the job and preview data: progress, the preview, the history.

Everything in the page's language: the interface texts from :mod:`dashboard.i18n`, what the worker and the
ETL said (progress, errors, problems, file messages, reject reasons, the history's results) rendered from the
message keys and codes stored beside their German text (:mod:`dashboard.intake.said`, :mod:`etl.messages`),
numbers as :mod:`dashboard.formatting` writes them. An indicator change reads "Engagementquote 2025: neu
41,3 % (bisher –)"; a suppressed value is written as "unterdrückt", never as a number (the preview holds none).
Every control has a visible label; the choices per file are pattern-matching ids ``{"type": …, "index": i}``;
tables have header cells and scroll inside their own named, keyboard-reachable region (never the page
sideways on a phone); progress is a status live region with a named progress bar.
"""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.formatting import fmt_datetime, fmt_int, fmt_percent, fmt_value
from dashboard.i18n import t
from dashboard.intake.plan import KIND_NAMES
from dashboard.intake.preview import etl_message
from dashboard.intake.recognise import MAPPED_KINDS, SURVEY_KINDS, TOWN_KINDS
from dashboard.intake.said import kind_name, stored, text_of
from dashboard.tables import table_region
from etl.readers.canonical import COLUMNS

NOT_MAPPED = "__none__"


def progress(job, position: int, lang: str) -> list:  # noqa: ANN001 - a store.Job
    """Progress bar and sentence of a job that waits or runs; the message of a failed one (page's language)."""
    if job.status == "failed":
        # dbc.Alert takes no ARIA role: the live region is the Div around it
        message = stored(job.message, job.message_msg, lang) or t("intake.failed", lang)
        alert = dbc.Alert(message, color="danger", id="intake-failed")
        return [html.Div(alert, role="alert")]
    if job.status == "queued":
        text = t("intake.queued", lang, position=position + 1) if position else t("intake.starting", lang)
        return [html.P(text, id="intake-progress-text", role="status"), _bar(0, lang)]
    if job.status == "running":
        value = int(100 * job.step / job.steps) if job.steps else 5
        text = stored(job.progress, job.progress_msg, lang) or t("intake.running", lang)
        return [html.P(text, id="intake-progress-text", role="status"), _bar(value, lang)]
    return []


def _bar(value: int, lang: str) -> html.Div:
    """Bootstrap's progress bar, named by the sentence above it (axe's aria-progressbar-name: dbc.Progress takes
    no ARIA attributes), its label a percentage in the page's language."""
    return html.Div(
        html.Div(
            fmt_percent(value / 100, 0, lang) if value else "",
            className="progress-bar progress-bar-striped progress-bar-animated",
            role="progressbar",
            style={"width": f"{max(value, 5) if value else 0}%"},
            **{
                "aria-valuenow": str(value),
                "aria-valuemin": "0",
                "aria-valuemax": "100",
                "aria-labelledby": "intake-progress-text",
            },
        ),
        className="progress",
    )


def _value(state: str, value: float | None, unit: str, lang: str) -> str:
    if state == "missing":
        return "–"
    if state == "suppressed" or value is None:
        return t("intake.suppressed", lang)
    return fmt_value(value, unit, lang)


def change_text(change: dict, lang: str, town_names: dict[str, str]) -> str:
    name = change["name_en" if lang == "en" else "name_de"]
    town = town_names.get(change["town"], change["town"])
    new = _value(change["new_state"], change["new"], change["unit"], lang)
    old = _value(change["old_state"], change["old"], change["unit"], lang)
    return t("intake.change", lang, name=name, year=change["year"], new=new, old=old, town=town)


def _dropdown(kind: str, index: int, options: list[dict], value: object, label: str) -> html.Div:
    """A native select (keyboard operable) inside its label; the pattern id carries the file's index."""
    options = [{"label": o["label"], "value": str(o["value"])} for o in options]
    return html.Div(
        html.Label(
            [
                html.Span(label, className="d-block mb-1"),
                dbc.Select(
                    id={"type": kind, "index": index}, options=options, value=None if value is None else str(value)
                ),
            ],
            className="w-100",
        ),
        className="mb-2 intake-control",
        id=f"{kind}-{index}",
    )


def file_card(index: int, entry: dict, towns: list[dict], lang: str) -> dbc.Card:
    """One file: what it was recognised as, the choices, the counts, the rejects."""
    proposal, choice = entry["proposal"], entry["choice"]
    kind = choice["kind"]
    kind_options = [{"label": kind_name(k, lang), "value": k} for k in KIND_NAMES]
    parts: list = [
        html.H3(entry["shown"], className="h5"),
        html.P(stored(proposal["how"], proposal.get("how_msg"), lang), className="text-muted"),
        _dropdown("intake-kind", index, kind_options, kind, t("intake.kind", lang)),
    ]
    if kind in TOWN_KINDS or not kind:
        parts.append(_dropdown("intake-town", index, towns, choice["town"], t("intake.town", lang)))
    if kind in SURVEY_KINDS:
        years = [{"label": str(y), "value": y} for y in range(dt.date.today().year + 1, 1999, -1)]
        parts.append(_dropdown("intake-year", index, years, choice["year"], t("intake.year", lang)))
    elif proposal.get("years"):
        first, last = proposal["years"][0], proposal["years"][-1]
        parts.append(html.P(t("intake.years", lang, first=first, last=last)))
    replace = [{"label": t("intake.new_source", lang), "value": ""}] + [
        {"label": t("intake.replace", lang, label=o["label"], path=o["path"]), "value": o["path"]}
        for o in entry.get("replace_options", [])
    ]
    parts.append(_dropdown("intake-replace", index, replace, choice["replace"], t("intake.replace_label", lang)))
    parts.append(html.P(t("intake.target", lang, path=entry["target"], label=entry["label"]), className="small"))
    if kind in MAPPED_KINDS:
        parts.append(mapping_table(index, kind, proposal, choice, lang))
    parts.extend(counts(entry, lang))
    return dbc.Card(dbc.CardBody(parts), className="mb-3 intake-file", id=f"intake-file-{index}")


def mapping_table(index: int, kind: str, proposal: dict, choice: dict, lang: str) -> html.Div:
    headers = [{"label": h, "value": h} for h in proposal["headers"]]
    options = [{"label": t("intake.not_mapped", lang), "value": NOT_MAPPED}, *headers]
    required = MAPPED_KINDS[kind]
    rows = []
    for field in COLUMNS[kind]:
        value = choice["columns"].get(field, NOT_MAPPED)
        label = f"{field} ({t('intake.required', lang)})" if field in required else field
        control = {"type": "intake-col", "index": index, "field": field}
        rows.append(
            html.Label(
                [
                    html.Span(label, className="intake-field"),
                    dbc.Select(id=control, options=options, value=value, className="intake-col"),
                ],
                className="d-flex align-items-center gap-2 mb-1 intake-map-row",
                id=f"intake-col-{index}-{field}",
            )
        )
    note = t("intake.remembered", lang) if proposal.get("remembered") else t("intake.mapping_lead", lang)
    return html.Div(
        [html.H4(t("intake.mapping", lang), className="h6 mt-3"), html.P(note, className="small"), *rows],
        className="intake-mapping",
    )


def counts(entry: dict, lang: str) -> list:
    if not entry.get("status"):
        return []
    keys = ("rows_read", "rows_accepted", "rows_rejected", "rows_skipped")
    summary = html.Ul(
        [html.Li(f"{t('intake.' + k, lang)}: {fmt_int(entry.get(k, 0), lang)}", className=f"intake-{k}") for k in keys],
        className="intake-counts",
    )
    parts: list = [
        html.H4(t("intake.check", lang), className="h6 mt-3"),
        summary,
        html.P(text_of(etl_message(entry), lang)),
    ]
    if entry.get("rejects"):
        rows = [
            html.Tr([html.Td(fmt_int(r["row"], lang)), html.Td(r["column"]), html.Td(text_of(r, lang))])
            for r in entry["rejects"]
        ]
        head = html.Thead(
            html.Tr(
                [
                    html.Th(t("intake.row", lang), scope="col"),
                    html.Th(t("intake.column", lang), scope="col"),
                    html.Th(t("intake.reason", lang), scope="col"),
                ]
            )
        )
        title = t("intake.rejects", lang, n=fmt_int(entry["rejects_total"], lang))
        table = html.Table([head, html.Tbody(rows)], className="table table-sm table-bordered intake-rejects")
        parts += [html.H5(title, className="h6"), table_region(table, f"{title}: {entry['shown']}")]
    if entry.get("duplicates"):
        parts += [
            html.H5(t("intake.duplicates", lang, n=fmt_int(entry["duplicates_total"], lang)), className="h6"),
            html.Ul(
                [
                    html.Li(f"{t('intake.row', lang)} {fmt_int(d['row'], lang)}: {text_of(d, lang)}")
                    for d in entry["duplicates"]
                ],
                className="intake-duplicates",
            ),
        ]
    if entry.get("rows"):
        fields = list(entry["rows"][0]["values"])
        head = html.Thead(
            html.Tr([html.Th(t("intake.row", lang), scope="col"), *[html.Th(f, scope="col") for f in fields]])
        )
        body = [
            html.Tr(
                [
                    html.Td(fmt_int(r["row"], lang)),
                    *[html.Td(v if v is not None else t("intake.hidden", lang)) for v in r["values"].values()],
                ]
            )
            for r in entry["rows"]
        ]
        title = t("intake.first_rows", lang)
        table = html.Table([head, html.Tbody(body)], className="table table-sm intake-first-rows")
        parts += [
            html.H5(title, className="h6"),
            html.P(t("intake.first_rows_note", lang), className="small"),
            table_region(table, f"{title}: {entry['shown']}"),
        ]
    return parts


def preview(result: dict, towns: list[dict], town_names: dict[str, str], lang: str, job: int = 0) -> list:
    parts: list = [
        html.H2(t("intake.preview", lang), className="h4", id="intake-preview-title", **{"data-job": str(job)})
    ]
    if result.get("problems"):
        problems = result.get("problem_msgs") or result["problems"]  # a result of an older version: German only
        parts.append(
            html.Div(
                dbc.Alert(
                    [html.P(text_of(p, lang), className="mb-1") for p in problems],
                    color="warning",
                    id="intake-problems",
                ),
                role="alert",
            )
        )
    parts += [file_card(i, entry, towns, lang) for i, entry in enumerate(result["files"])]
    if result.get("publishable") or result.get("changes"):
        changes = result.get("changes", [])
        items = [html.Li(change_text(c, lang, town_names)) for c in changes] or [html.Li(t("intake.no_change", lang))]
        parts += [html.H3(t("intake.changes", lang), className="h5"), html.Ul(items, id="intake-changes")]
        if result.get("breakdown_changes"):
            parts.append(html.P(t("intake.breakdown_changes", lang, n=fmt_int(result["breakdown_changes"], lang))))
    return parts


def history(frame: pd.DataFrame, town_names: dict[str, str], lang: str, said: dict[int, dict] | None = None) -> list:
    """The intake log; ``said``: intake id -> its result message (Said JSON), else the German text stored."""
    if frame.empty:
        return [html.P(t("intake.no_history", lang))]
    said = said or {}
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(f"intake.h_{k}", lang), scope="col")
                for k in ("when", "action", "town", "account", "files", "run", "status")
            ]
        )
    )
    rows = []
    for r in frame.itertuples():
        action = (
            t("intake.action_undo", lang, id=int(r.undoes)) if r.action == "undo" else t("intake.action_publish", lang)
        )
        result = stored(r.message, said.get(int(r.intake_id)), lang)
        rows.append(
            html.Tr(
                [
                    html.Td(fmt_datetime(r.finished_at, lang)),
                    html.Td(f"{int(r.intake_id)}: {action}"),
                    html.Td(town_names.get(r.town_ags, r.town_ags)),
                    html.Td(r.account),
                    html.Td(html.Ul([html.Li(f) for f in str(r.files).splitlines()], className="mb-0")),
                    html.Td("" if pd.isna(r.run_id) else str(int(r.run_id))),
                    html.Td(f"{t('intake.status_' + r.status, lang)} – {result}"),
                ]
            )
        )
    table = html.Table([head, html.Tbody(rows)], className="table table-sm table-striped intake-history-table")
    return [table_region(table, t("intake.history", lang))]
