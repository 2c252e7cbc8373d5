"""Publishing and taking back an intake: files and manifest into the source folder, a real ETL run, the log.

A publish job (run by the intake worker, one at a time: :mod:`.worker`) does, for the files of one upload:
backup of ``engage.toml`` and of every file it replaces (``sicherung/<intake>/``, 0700/0600, inside the source
folder); the staged files moved to their planned paths (0600); the entries added or updated
(:mod:`.manifest_edit`); the manifest checked by the ETL's own :func:`etl.manifest.load_manifest`; then
:func:`etl.pipeline.run_pipeline` into the warehouse, waiting while another run holds the run lock. If
anything fails before the run has committed, files and manifest are put back as they were. Every publish,
whatever its end, is a row of ``app_intake_log`` (a kept table) with who, when, which files and the run id.

"Letzten Import zurücknehmen" (an undo job) takes the town's latest publish that was not taken back: its new
files removed, the files it replaced restored from the backup, each entry restored to its text before (or
removed, if the publish added it), checked, and the ETL run again. Other towns' later publishes stay.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.intake import manifest_edit, mapping_memory, store
from dashboard.intake.config import IntakeConfig
from dashboard.intake.plan import Choice, Placement
from dashboard.intake.preview import (
    IntakeError,
    apply,
    choices_for,
    manifest_of,
    plan_all,
    problems_of,
    refuse_patterns_into_state,
)
from dashboard.intake.recognise import MAPPED_KINDS, Proposal
from dashboard.intake.said import Said
from dashboard.intake.store import Job, backup_dir, discard, private_dir, staged
from etl import tables
from etl.db import WarehouseBusy, explain_error, make_engine
from etl.load import ensure_schema
from etl.manifest import MANIFEST_NAME, load_manifest
from etl.model import ManifestError
from etl.pipeline import run_pipeline

Report = Callable[[str, int, int], None]  # the text is a Said (dashboard.intake.said)
BUSY_WAIT_SECONDS = 1800  # how long a publish waits for a run someone else started (engage run, a timer)


def _engine(config: IntakeConfig) -> Engine:
    engine = make_engine(config.etl_db)
    ensure_schema(engine)
    return engine


def _next_id(engine: Engine) -> int:
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(tables.app_intake_log.c.intake_id))).scalar()
    return int(latest or 0) + 1


def _record(config: IntakeConfig, engine: Engine, row: dict) -> None:
    """A row of the intake log (its message German, as the table holds it); the message's key and parameters
    go to the intake state beside it (:func:`store.note_log_message`), so the history shows it in either
    language."""
    message = row["message"]
    with engine.begin() as conn:
        conn.execute(tables.app_intake_log.insert(), [{**row, "message": str(message)}])
    if isinstance(message, Said):
        store.note_log_message(config, int(row["intake_id"]), message)


def failure(exc: BaseException, config: IntakeConfig) -> Said:
    """What a publish or undo that did not load says: its own refusal, else the database's or file system's
    sentence (:func:`etl.db.explain_error`, in the page's language), else that the run stopped."""
    if isinstance(exc, IntakeError) and isinstance(exc.args[0], Said):
        return exc.args[0]
    if isinstance(exc, IntakeError):
        return Said("intake.err.etl", detail=str(exc))
    if isinstance(exc, (ManifestError, WarehouseBusy)):  # the run refused to start (demo into real data, no key)
        return Said("intake.err.etl", detail=exc.msg)
    explained = explain_error(exc, config.etl_db)
    return Said("intake.err.etl", detail=explained) if explained else Said("intake.err.etl_stopped")


def history(db: str, towns: frozenset[str] | None, limit: int = 20) -> pd.DataFrame:
    """The intake log of ``towns`` (None: all), newest first; empty when the table does not exist yet."""
    log = tables.app_intake_log
    engine = make_engine(db)
    try:
        query = select(log).order_by(log.c.intake_id.desc()).limit(limit)
        if towns is not None:
            query = query.where(log.c.town_ags.in_(sorted(towns)))
        with engine.connect() as conn:
            return pd.read_sql(query, conn)
    except Exception:  # noqa: BLE001 - no table yet (a warehouse from before the intake): no history
        return pd.DataFrame(columns=[c.name for c in log.columns])
    finally:
        engine.dispose()


def undoable(frame: pd.DataFrame, town: str) -> dict | None:
    """The town's latest publish that loaded and was not taken back (the one "zurücknehmen" takes back)."""
    if frame.empty:
        return None
    undone = set(frame["undoes"].dropna().astype(int))
    mine = frame[(frame["town_ags"] == town) & (frame["action"] == "publish") & (frame["status"] != "failed")]
    mine = mine[~mine["intake_id"].astype(int).isin(undone)]
    return mine.sort_values("intake_id").iloc[-1].to_dict() if len(mine) else None


def _run(config: IntakeConfig, report: Report, first: int, steps: int):  # noqa: ANN202 - a RunSummary
    """The ETL on the source folder, waiting while another run holds the lock."""
    waited = 0.0
    while True:
        try:
            return run_pipeline(
                config.source_dir,
                db_url=config.etl_db,
                progress=lambda text, done, total: report(
                    Said("intake.step.etl", text=text),
                    first + done * (steps - first) // max(total, 1),
                    steps,
                ),
            )
        except WarehouseBusy as exc:
            if waited >= BUSY_WAIT_SECONDS:
                raise IntakeError(Said("intake.err.busy", detail=str(exc))) from None
            report(Said("intake.step.waiting"), first, steps)
            time.sleep(3)
            waited += 3


def run_publish(config: IntakeConfig, job: Job, allowed: frozenset[str] | None, report: Report) -> dict:
    requested = dt.datetime.fromtimestamp(job.created)
    started = dt.datetime.now()
    box = staged(config, job.staging)
    if box is None or box.account != job.account:
        raise IntakeError(Said("intake.err.upload_gone"))
    expected = job.params.get("digests", {})
    if any(meta.get("sha256") != expected.get(meta["name"]) for meta in box.files):
        raise IntakeError(Said("intake.err.digests"))
    manifest = manifest_of(config)
    refuse_patterns_into_state(manifest)
    proposals = {name: Proposal(**data) for name, data in job.params["proposals"].items()}
    choices = choices_for(box.files, proposals, job.params.get("overrides", {}))
    problems = [p for c in choices for p in problems_of(c, allowed, manifest)]
    if problems:
        raise IntakeError(Said("intake.problems", problems=problems))
    plans = plan_all(manifest, choices)
    towns = sorted({c.town for c in choices if c.town}) or [""]
    engine = _engine(config)
    intake_id = _next_id(engine)
    report(Said("intake.step.store"), 1, 10)
    backup = private_dir(backup_dir(config) / str(intake_id))
    undo_steps: list[Callable[[], None]] = []
    changes: list[dict] = []
    row = {
        "intake_id": intake_id,
        "action": "publish",
        "town_ags": towns[0],
        "account": job.account,
        "requested_at": requested,
        "started_at": started,
        "files": "\n".join(p.target for _, p in plans),
        "kinds": "\n".join(c.kind for c, _ in plans),
        "undoes": None,
    }
    try:
        changes.extend(_write(config, box, plans, backup, undo_steps))
        try:
            load_manifest(config.source_dir)
        except ManifestError as exc:
            raise IntakeError(Said("intake.err.new_manifest", detail=exc.msg)) from None
        summary = _run(config, report, 2, 10)
    except BaseException as exc:
        for step in reversed(undo_steps):
            step()
        message = failure(exc, config)
        _record(
            config,
            engine,
            {
                **row,
                "finished_at": dt.datetime.now(),
                "run_id": None,
                "status": "failed",
                "message": message,
                "changes": "[]",
            },
        )
        shutil.rmtree(backup, ignore_errors=True)
        engine.dispose()
        if isinstance(exc, Exception):
            raise IntakeError(message) from None
        raise
    status = "partial" if summary.failed_sources else "ok"
    message = (
        Said("intake.log.loaded_failed", run=summary.run_id, sources=", ".join(summary.failed_sources))
        if summary.failed_sources
        else Said("intake.log.loaded", run=summary.run_id)
    )
    _record(
        config,
        engine,
        {
            **row,
            "finished_at": dt.datetime.now(),
            "run_id": summary.run_id,
            "status": status,
            "message": message,
            "changes": json.dumps(changes, ensure_ascii=False),
        },
    )
    engine.dispose()
    for choice, _ in plans:
        platform = proposals[choice.file].platform
        if choice.kind in MAPPED_KINDS and choice.town and platform:
            mapping_memory.remember(config, choice.town, platform, choice.kind, choice.columns)
    discard(config, box.id)
    report(Said("intake.step.done"), 10, 10)
    return {
        "intake_id": intake_id,
        "run_id": summary.run_id,
        "status": status,
        "message": message,
        "message_said": message.as_json(),
        "files": [p.target for _, p in plans],
    }


def _write(
    config: IntakeConfig,
    box,  # noqa: ANN001 - a Staged
    plans: list[tuple[Choice, Placement]],
    backup: Path,
    steps: list[Callable[[], None]],
) -> list[dict]:
    """Files and manifest as planned; returns the changes (for the log and the undo), appends rollback steps."""
    source = config.source_dir
    manifest_path = source / MANIFEST_NAME
    shutil.copy2(manifest_path, backup / MANIFEST_NAME)
    os.chmod(backup / MANIFEST_NAME, 0o600)
    original = manifest_path.read_bytes()
    steps.append(lambda: manifest_path.write_bytes(original))
    doc = manifest_edit.read(source)
    changes = []
    for number, (choice, placement) in enumerate(plans):
        target = source / placement.target
        saved = ""
        old_path = ""
        if placement.replace:
            old_path = placement.replace
            old = source / old_path
            if old.is_file():
                saved = f"{number}_{old.name}"
                os.replace(old, backup / saved)
                os.chmod(backup / saved, 0o600)
                steps.append(lambda old=old, saved=saved: os.replace(backup / saved, old))
        if target.exists():  # the same name as the file it replaces was moved away above; anything else: no
            raise IntakeError(Said("intake.err.file_exists", path=placement.target))
        created = [
            p for p in reversed(target.relative_to(source).parents) if p != Path(".") and not (source / p).exists()
        ]
        private_dir(target.parent)
        kept = box.folder(config) / choice.file
        os.replace(kept, target)
        os.chmod(target, 0o600)
        steps.append(lambda target=target, kept=kept: os.replace(target, kept))
        for folder in reversed(created):
            steps.append(
                lambda folder=source / folder: folder.rmdir() if folder.is_dir() and not any(folder.iterdir()) else None
            )
        before = apply(doc, choice, placement)
        changes.append(
            {
                "path": placement.target,
                "replaced": old_path,
                "backup_file": saved,
                "entry_before": before,
                "kind": choice.kind,
            }
        )
    manifest_edit.write(source, doc)
    return changes


def run_undo(config: IntakeConfig, job: Job, allowed: frozenset[str] | None, report: Report) -> dict:
    requested = dt.datetime.fromtimestamp(job.created)
    started = dt.datetime.now()
    if allowed is not None and job.town not in allowed:
        raise IntakeError(Said("intake.act.undo_town_refused", town=job.town))
    engine = _engine(config)
    last = undoable(history(config.etl_db, frozenset({job.town}), limit=1000), job.town)
    if last is None:
        raise IntakeError(Said("intake.err.nothing_to_undo"))
    backup = backup_dir(config) / str(int(last["intake_id"]))
    changes = json.loads(last["changes"])
    source = config.source_dir
    manifest_path = source / MANIFEST_NAME
    original = manifest_path.read_bytes()
    doc = manifest_edit.read(source)
    report(Said("intake.step.restore"), 1, 10)
    moved: list[Callable[[], None]] = [lambda: manifest_path.write_bytes(original)]
    removed_dir = private_dir(backup / "zurueckgenommen")
    for change in reversed(changes):
        index = manifest_edit.find(doc, change["path"])
        if index is None:
            raise IntakeError(Said("intake.err.undo_entry_gone", path=change["path"]))
        if change["entry_before"]:
            manifest_edit.replace(doc, index, manifest_edit.entry_from_text(change["entry_before"]))
        else:
            manifest_edit.remove(doc, index)
        new = source / change["path"]
        if new.is_file():
            parked = removed_dir / Path(change["path"]).name
            os.replace(new, parked)
            moved.append(lambda new=new, parked=parked: os.replace(parked, new))
        if change["backup_file"]:
            old = source / change["replaced"]
            os.replace(backup / change["backup_file"], old)
            moved.append(lambda old=old, name=change["backup_file"]: os.replace(old, backup / name))
    manifest_edit.write(source, doc)
    row = {
        "intake_id": _next_id(engine),
        "action": "undo",
        "town_ags": job.town,
        "account": job.account,
        "requested_at": requested,
        "started_at": started,
        "files": "\n".join(c["replaced"] or c["path"] for c in changes),
        "kinds": "\n".join(c["kind"] for c in changes),
        "undoes": int(last["intake_id"]),
        "changes": json.dumps(changes, ensure_ascii=False),
    }
    try:
        try:
            load_manifest(source)
        except ManifestError as exc:
            raise IntakeError(Said("intake.err.undo_manifest", detail=exc.msg)) from None
        summary = _run(config, report, 2, 10)
    except BaseException as exc:
        for step in reversed(moved):
            step()
        message = failure(exc, config)
        _record(
            config,
            engine,
            {**row, "finished_at": dt.datetime.now(), "run_id": None, "status": "failed", "message": message},
        )
        engine.dispose()
        if isinstance(exc, Exception):
            raise IntakeError(message) from None
        raise
    message = Said("intake.log.undone", id=int(last["intake_id"]), run=summary.run_id)
    _record(
        config,
        engine,
        {
            **row,
            "finished_at": dt.datetime.now(),
            "run_id": summary.run_id,
            "status": "partial" if summary.failed_sources else "ok",
            "message": message,
        },
    )
    engine.dispose()
    shutil.rmtree(removed_dir, ignore_errors=True)  # the taken-back files hold personal data: not kept
    report(Said("intake.step.done"), 10, 10)
    return {
        "run_id": summary.run_id,
        "undone": int(last["intake_id"]),
        "message": message,
        "message_said": message.as_json(),
    }
