"""The preview: what publishing the dropped files would do, computed by the real ETL before anything is stored.

The intake job builds a temporary source folder in the intake state (``vorschau/<job>/``, 0700): the manifest
restricted to the towns the files are for (the whole manifest for a population table, which belongs to
several towns) with the planned entries applied (:mod:`.plan`), the town's files as hard links (same folder
tree, no copy), the staged files at their planned paths. :func:`etl.pipeline.run_pipeline` runs on it into a
temporary SQLite warehouse; the folder and warehouse are removed when the preview ends, whatever happens.

From that run the preview takes, per file, rows read / accepted / rejected / skipped and the file's German
message, the rejects with row numbers and reasons (the readers' quoting rules already keep personal values
out of every reason; each message and reason keeps the ETL's code and parameters beside its German text, so the
page shows it in its own language), duplicates with the row they repeat, and the first rejected rows — only
their mapped, non-personal fields, and only values the readers would quote themselves
(:func:`etl.readers.fields.quotable`); columns the manifest does not map (names, e-mails, phones, notes) are
never shown. The indicator changes are the town totals of the new run against the current warehouse, both
after suppression: a suppressed value is ``NULL`` in both, so it cannot be shown.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, func, select

from dashboard.intake import manifest_edit, mapping_memory
from dashboard.intake.config import IntakeConfig
from dashboard.intake.plan import Choice, Placement, candidates, place
from dashboard.intake.recognise import MAPPED_KINDS, TOWN_KINDS, Proposal, recognise
from dashboard.intake.said import Said
from dashboard.intake.said import from_json as said_from_json
from dashboard.intake.store import Job, Staged, preview_dir, private_dir, staged
from etl import messages, tables
from etl.db import make_engine
from etl.manifest import MANIFEST_NAME, load_manifest
from etl.model import Manifest, ManifestError, Town
from etl.pipeline import run_pipeline
from etl.readers.canonical import COLUMNS
from etl.readers.fields import Field, quotable
from etl.readers.tabular import FileUnreadable, read_table

Report = Callable[[str, int, int], None]  # the text is a Said: German, with its key for the page's language
MAX_REJECTS = 50
DUPLICATE_CODES = ("duplicate", "duplicate_in_file", "duplicate_org")  # etl.messages codes of a repeated row
MAX_ROWS = 10


class IntakeError(Exception):
    """The intake cannot go on; a :class:`~dashboard.intake.said.Said` for the page (German text; the worker
    stores its key and parameters on the job, so the page shows it in its own language)."""


def problem_fields(problems: list[Said]) -> dict:
    """The result's problems: German texts (what they always were) and, beside them, their messages."""
    return {"problems": [str(p) for p in problems], "problem_msgs": [p.as_json() for p in problems]}


def etl_message(entry: dict) -> object:
    """A file entry's message as :func:`dashboard.intake.said.text_of` renders it: the intake's own
    (``message_said``) or the ETL's file message as stored (German text, codes and parameters)."""
    if entry.get("message_said"):
        return said_from_json(entry["message_said"])
    return {k: entry.get(k, "") for k in ("message", "message_code", "message_params")}


def _reason(row: object) -> dict:
    """A reject's German reason with the ETL's code and parameters beside it (an older run: none)."""
    code, params = getattr(row, "reason_code", ""), getattr(row, "reason_params", "")
    return {
        "reason": str(row.reason),  # type: ignore[attr-defined]
        "reason_code": code if isinstance(code, str) else "",
        "reason_params": params if isinstance(params, str) else "",
    }


def manifest_of(config: IntakeConfig) -> Manifest:
    """The source folder's manifest, or the intake's error naming what the ETL found wrong with it."""
    try:
        return load_manifest(config.source_dir)
    except ManifestError as exc:
        raise IntakeError(Said("intake.err.manifest", detail=exc.msg)) from None


def reader_fields(kind: str) -> dict[str, Field]:
    """The field definitions the kind's reader checks with (for the quoting rule of shown values)."""
    from etl.readers import events, organisations, registrations

    found = {"registrations": registrations.FIELDS, "events": events.FIELDS, "organisations": organisations.FIELDS}
    return {f.name: f for f in found.get(kind, ())}


def allowed_towns(manifest: Manifest, allowed: frozenset[str] | None) -> list[Town]:
    return [t for t in manifest.towns if allowed is None or t.ags in allowed]


def refuse_patterns_into_state(manifest: Manifest) -> None:
    """A manifest pattern reaching into the intake state (``**/*.csv``) would read staged uploads: refused."""
    for spec in manifest.sources:
        for file in spec.files:
            if ".engage-intake" in file.relative_to(spec.base_dir).parts:
                raise IntakeError(Said("intake.err.pattern_state", label=spec.label, pattern=spec.path))


def choices_for(files: list[dict], proposals: dict[str, Proposal], overrides: dict[str, dict]) -> list[Choice]:
    """The user's choices per file: the proposal, with what the user changed on the page."""
    out = []
    for meta in files:
        name = meta["name"]
        proposal = proposals[name]
        asked = overrides.get(name, {})
        kind = asked.get("kind") or proposal.kind
        columns = asked.get("columns")
        if columns is None:
            columns = proposal.columns if kind == proposal.kind else {}
        columns = {k: v for k, v in columns.items() if kind in MAPPED_KINDS and k in COLUMNS[kind]}
        year = asked.get("year", proposal.year)
        out.append(
            Choice(
                file=name,
                kind=kind,
                town=asked.get("town") or proposal.town,
                year=int(year) if year not in (None, "") and kind in ("resident_survey", "partner_survey") else None,
                columns={k: v for k, v in columns.items() if v} if kind in MAPPED_KINDS else {},
                options=proposal.options if kind == proposal.kind else {},
                replace=asked.get("replace"),
            )
        )
    return out


def problems_of(choice: Choice, allowed: frozenset[str] | None, manifest: Manifest) -> list[Said]:
    """Why this file cannot be published as chosen ("„file“: …" sentences), before any run."""
    found: list[Said] = []
    if not choice.kind:
        found.append(Said("intake.p.kind"))
    elif choice.kind in TOWN_KINDS:
        if not choice.town:
            found.append(Said("intake.p.town"))
        elif choice.town not in {t.ags for t in manifest.towns}:
            found.append(Said("intake.p.town_unknown", town=choice.town))
        elif allowed is not None and choice.town not in allowed:
            found.append(Said("intake.act.town_refused", town=choice.town))
    elif allowed is not None:
        found.append(Said("intake.p.population"))
    if choice.kind in MAPPED_KINDS:
        missing = [f for f in MAPPED_KINDS[choice.kind] if not choice.columns.get(f)]
        if missing:
            found.append(Said("intake.p.columns", fields=", ".join(missing)))
        headers = list(choice.columns.values())
        doubled = sorted({h for h in headers if headers.count(h) > 1})
        if doubled:
            found.append(Said("intake.p.doubled", column=doubled[0]))
    if choice.kind in ("resident_survey", "partner_survey") and choice.year is None:
        found.append(Said("intake.p.year"))
    return [Said("intake.problem", file=choice.file, what=p) for p in found]


def build_folder(
    config: IntakeConfig, manifest: Manifest, folder: Path, box: Staged, plans: list[tuple[Choice, Placement]]
) -> None:
    """The preview's source folder: the restricted manifest with the plan applied, hard links, staged files."""
    doc = manifest_edit.read(config.source_dir)
    towns = sorted({c.town for c, _ in plans if c.town})
    whole = any(c.kind == "population" for c, _ in plans) or not towns
    replaced = {p.replace for _, p in plans if p.replace}
    keep = [
        i
        for i, spec in enumerate(manifest.sources)
        if whole or spec.town in towns or (spec.kind == "population" and spec.town is None)
    ]
    copy = manifest_edit.restricted(doc, keep)
    if not whole:
        manifest_edit.restricted_towns(copy, towns)
    for i in keep:
        spec = manifest.sources[i]
        links = [] if spec.path in replaced else list(spec.files)
        if spec.options.get("questionnaire"):
            links.append(config.source_dir / str(spec.options["questionnaire"]))
        for file in links:
            target = folder / file.relative_to(config.source_dir)
            if target.exists():
                continue
            private_dir(target.parent)
            _link(file, target)
    for choice, placement in plans:
        target = folder / placement.target
        private_dir(target.parent)
        _link(box.folder(config) / choice.file, target)
        apply(copy, choice, placement)
    (folder / MANIFEST_NAME).write_text(manifest_edit.tomlkit.dumps(copy), encoding="utf-8")


def apply(doc, choice: Choice, placement: Placement) -> str:  # noqa: ANN001 - a tomlkit document
    """Put the plan into ``doc``; returns the replaced entry's TOML text ('' for a new entry)."""
    if placement.replace:
        index = manifest_edit.find(doc, placement.replace)
        if index is None:
            raise IntakeError(Said("intake.err.entry_gone", path=placement.replace))
        entry = manifest_edit.sources(doc)[index]
        before = manifest_edit.entry_text(entry)
        columns = choice.columns if choice.kind in MAPPED_KINDS else None
        manifest_edit.update_entry(entry, placement.target, choice.year, columns)
        return before
    town = choice.town if choice.kind != "population" else None
    entry = manifest_edit.new_entry(
        choice.kind, placement.label, placement.target, town, choice.year, choice.columns, choice.options
    )
    manifest_edit.add(doc, entry)
    return ""


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system: a private copy (removed with the preview folder)
        shutil.copyfile(source, target)
        os.chmod(target, 0o600)


def plan_all(manifest: Manifest, choices: list[Choice]) -> list[tuple[Choice, Placement]]:
    taken: set[str] = set()
    plans = []
    for choice in choices:
        placement = place(manifest, choice, taken)
        taken.add(placement.target)
        plans.append((choice, placement))
    return plans


def run_preview(config: IntakeConfig, job: Job, allowed: frozenset[str] | None, report: Report) -> dict:
    """The preview result for ``job`` (JSON-ready: counts, reasons, changes; no personal value).

    Every text of it is German, with what renders it in another language beside it: ``problem_msgs`` (the
    problems as :meth:`Said.as_json`), per file ``message_code``/``message_params`` and per reject
    ``reason_code``/``reason_params`` (the ETL's own, :mod:`etl.messages`), ``proposal.how_msg``.
    """
    box = staged(config, job.staging)
    if box is None or box.account != job.account:
        raise IntakeError(Said("intake.err.upload_gone"))
    manifest = manifest_of(config)
    refuse_patterns_into_state(manifest)
    towns = allowed_towns(manifest, allowed)
    report(Said("intake.step.recognise"), 0, 4)
    proposals: dict[str, Proposal] = {}
    for meta in box.files:
        first = recognise(box.folder(config) / meta["name"], manifest, towns, {})
        memory = mapping_memory.remembered(config, first.town) if first.town else {}
        proposals[meta["name"]] = (
            recognise(box.folder(config) / meta["name"], manifest, towns, memory) if memory else first
        )
    choices = choices_for(box.files, proposals, job.params.get("overrides", {}))
    plans = plan_all(manifest, choices)
    problems = [p for c in choices for p in problems_of(c, allowed, manifest)]
    files = [
        _file_entry(manifest, meta, proposals[meta["name"]], c, p)
        for meta, (c, p) in zip(box.files, plans, strict=True)
    ]
    result = {"files": files, "changes": [], "breakdown_changes": 0, "publishable": False}
    result.update(problem_fields(problems))
    if problems:
        return result
    folder = private_dir(preview_dir(config) / str(job.id))
    try:
        report(Said("intake.step.build"), 1, 4)
        build_folder(config, manifest, folder, box, plans)
        db = f"sqlite:///{folder / 'vorschau.sqlite'}"

        def step(text: messages.Msg, done: int, steps: int) -> None:
            report(Said("intake.step.preview_etl", text=text), 1 + done, steps + 2)

        try:
            summary = run_pipeline(folder, db_url=db, progress=step)
        except ManifestError as exc:
            raise IntakeError(Said("intake.err.mapping_manifest", detail=exc.msg)) from None
        report(Said("intake.step.compare"), 3, 4)
        rejects = summary.rejects
        for entry, (choice, placement) in zip(files, plans, strict=True):
            _add_run(entry, summary, rejects, placement.target, box.folder(config) / choice.file, choice)
        towns_changed = sorted({c.town for c, _ in plans if c.town} or {t.ags for t in manifest.towns})
        result["changes"], result["breakdown_changes"] = indicator_changes(config.etl_db, db, towns_changed)
        result["publishable"] = all(f["status"] != "failed" for f in files)
        if not result["publishable"]:
            failed = [
                Said("intake.problem", file=f["file"], what=etl_message(f)) for f in files if f["status"] == "failed"
            ]
            result.update(problem_fields(failed))
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _file_entry(manifest: Manifest, meta: dict, proposal: Proposal, choice: Choice, placement: Placement) -> dict:
    options = candidates(manifest, choice.kind, choice.town, choice.year) if choice.kind else []
    return {
        "file": meta["name"],
        "shown": meta.get("shown", meta["name"]),
        "size": meta.get("size", 0),
        "proposal": proposal.to_dict(),
        "choice": {
            "kind": choice.kind,
            "town": choice.town,
            "year": choice.year,
            "columns": choice.columns,
            "replace": placement.replace,
        },
        "replace_options": [{"path": s.path, "label": s.label} for s in options],
        "target": placement.target,
        "label": placement.label,
        "status": "",
        "message": "",
        "message_code": "",
        "message_params": "",
    }


def _add_run(entry: dict, summary, rejects: pd.DataFrame, target: str, path: Path, choice: Choice) -> None:  # noqa: ANN001
    found = [f for f in summary.files if f.file == target]
    if not found:
        said = Said("intake.err.not_read")
        entry.update(status="failed", message=str(said), message_said=said.as_json())
        return
    report = found[0]
    entry.update(
        status=report.status,
        message=report.message,
        message_code=messages.codes_of(report.parts),
        message_params=messages.parts_json(report.parts) if report.parts else "",
        rows_read=report.rows_read,
        rows_accepted=report.rows_accepted,
        rows_rejected=report.rows_rejected,
        rows_skipped=report.rows_skipped,
    )
    mine = rejects[rejects["file"] == target].sort_values(["row"], kind="stable")
    duplicate = mine["reason_code"].isin(DUPLICATE_CODES) if "reason_code" in mine.columns else mine["row"] < 0
    entry["rejects_total"] = int(len(mine))
    entry["rejects"] = [
        {"row": int(r.row), "column": str(r.column), **_reason(r)} for r in mine.head(MAX_REJECTS).itertuples()
    ]
    entry["duplicates"] = [{"row": int(r.row), **_reason(r)} for r in mine[duplicate].head(MAX_REJECTS).itertuples()]
    entry["duplicates_total"] = int(duplicate.sum())
    entry["rows"] = first_rejected_rows(path, choice, sorted(set(mine["row"].astype(int)))[:MAX_ROWS])


def first_rejected_rows(path: Path, choice: Choice, rows: list[int]) -> list[dict]:
    """The first rejected rows: row number and the mapped fields' values where the readers would quote them.

    Unmapped columns are never shown; a personal field (the person, names, free text) and any value the
    quoting rule refuses show as ``None`` (the page writes "nicht gezeigt").
    """
    if not rows or choice.kind not in MAPPED_KINDS:
        return []
    fields = reader_fields(choice.kind)
    try:
        from etl.model import SourceSpec

        spec = SourceSpec(choice.kind, path.name, path.name, (path,), path.parent, choice.town)
        frame = read_table(path, spec).frame
    except FileUnreadable:
        return []
    shifted = frame["source_problem"] if "source_problem" in frame.columns else pd.Series("", index=frame.index)
    out = []
    for row in rows:
        picked = frame.index[frame["source_row"] == row]
        if not len(picked):
            continue
        i = picked[0]
        values: dict[str, str | None] = {}
        for name, header in choice.columns.items():
            value = str(frame.at[i, header]).strip() if header in frame.columns else ""
            definition = fields.get(name)
            safe = definition is not None and not definition.personal and not str(shifted.at[i] or "")
            values[name] = value if safe and (value == "" or quotable(value, definition)) else None
        out.append({"row": int(row), "values": values})
    return out


def indicator_changes(current_db: str, preview_db: str, towns: list[str]) -> tuple[list[dict], int]:
    """Town totals whose shown value would change (after suppression), and how many breakdown cells change."""
    table = tables.mart_indicator_values
    columns = [
        table.c.town_ags,
        table.c.indicator,
        table.c.year,
        table.c.breakdown,
        table.c.group,
        table.c.value,
        table.c.n,
        table.c.suppressed,
    ]
    # the latest run's rows only: a warehouse keeps the marts of earlier runs (issue 17), each run all of its rows
    latest = select(func.max(table.c.run_id)).scalar_subquery()
    query = select(*columns).where(table.c.town_ags.in_(towns), table.c.run_id == latest)
    cat = tables.mart_indicator_catalogue
    new_engine = create_engine(preview_db)
    try:
        with new_engine.connect() as conn:
            new = pd.read_sql(query, conn)
            catalogue = pd.read_sql(
                select(cat).where(cat.c.run_id == select(func.max(cat.c.run_id)).scalar_subquery()), conn
            )
    finally:
        new_engine.dispose()
    old_engine = make_engine(current_db)
    try:
        with old_engine.connect() as conn:
            old = pd.read_sql(query, conn)
    except Exception:  # noqa: BLE001 - no warehouse yet (or not readable): everything is new
        old = new.iloc[0:0]
    finally:
        old_engine.dispose()
    key = ["town_ags", "indicator", "year", "breakdown", "group"]
    merged = old.merge(new, on=key, how="outer", suffixes=("_old", "_new"), indicator=True)

    def shown(value: object, suppressed: object) -> float | None:
        if pd.isna(value) or (not pd.isna(suppressed) and bool(suppressed)):
            return None
        return float(value)

    def equal(old: float | None, new: float | None) -> bool:
        if old is None or new is None:
            return old is None and new is None
        return abs(old - new) < 1e-9

    # plain lists, not frame columns: a column of None would turn into NaN, and NaN equals nothing
    olds = [shown(v, s) for v, s in zip(merged["value_old"], merged["suppressed_old"], strict=True)]
    news = [shown(v, s) for v, s in zip(merged["value_new"], merged["suppressed_new"], strict=True)]
    old_suppressed = merged["suppressed_old"].fillna(False).astype(bool).tolist()
    new_suppressed = merged["suppressed_new"].fillna(False).astype(bool).tolist()
    old_missing = (merged["_merge"] == "right_only").tolist()
    new_missing = (merged["_merge"] == "left_only").tolist()
    same = pd.Series(
        [
            old_missing[i] == new_missing[i] and old_suppressed[i] == new_suppressed[i] and equal(olds[i], news[i])
            for i in range(len(merged))
        ],
        index=merged.index,
        dtype=bool,
    )
    merged["old"] = pd.Series(olds, index=merged.index, dtype=object)
    merged["new"] = pd.Series(news, index=merged.index, dtype=object)
    merged["old_suppressed"], merged["new_suppressed"] = old_suppressed, new_suppressed
    merged["old_missing"], merged["new_missing"] = old_missing, new_missing
    changed = merged[~same]
    totals = changed[changed["breakdown"] == ""].sort_values(["town_ags", "indicator", "year"])
    names = catalogue.set_index("indicator")
    out = []
    for r in totals.itertuples():
        meta = names.loc[r.indicator] if r.indicator in names.index else None
        out.append(
            {
                "town": r.town_ags,
                "indicator": r.indicator,
                "name_de": str(meta["name_de"]) if meta is not None else r.indicator,
                "name_en": str(meta["name_en"]) if meta is not None else r.indicator,
                "unit": str(meta["unit"]) if meta is not None else "",
                "year": int(r.year),
                "old": r.old,
                "new": r.new,
                "old_state": "missing" if r.old_missing else ("suppressed" if r.old_suppressed else "shown"),
                "new_state": "missing" if r.new_missing else ("suppressed" if r.new_suppressed else "shown"),
            }
        )
    return out, int((changed["breakdown"] != "").sum()) if len(changed) else 0
