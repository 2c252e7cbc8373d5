"""What the page's callbacks do, as plain typed functions (tested without Dash): who may, check, stage, enqueue.

Every action first asks who is signed in and whether the role may bring data (:func:`may_act`), then checks
the CSRF token the page got from the server (Flask-WTF's, bound to the session), and acts only on the
user's own staged upload and jobs. The town is checked here (a crafted request naming another town is
refused at once) and again in the job. Answers are :class:`~dashboard.intake.said.Said` sentences (German text,
shown in the page's language), never a traceback.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from dashboard.auth.roles import intake_towns, may_bring_data
from dashboard.intake import store
from dashboard.intake.config import IntakeConfig
from dashboard.intake.guards import UploadRefused, bare_name, check_upload
from dashboard.intake.recognise import SURVEY_KINDS, TOWN_KINDS
from dashboard.intake.said import Said
from etl.model import SOURCE_KINDS


class ActionRefused(Exception):
    """The action is not done; a :class:`~dashboard.intake.said.Said` for the page (German text)."""


@dataclass(frozen=True)
class Who:
    name: str
    role: str


def current_user() -> Who | None:
    from dashboard.auth.signin import signed_in

    user = signed_in()
    return Who(user.name, user.role) if user else None


def may_act(user: Who | None) -> Who:
    if user is None or not may_bring_data(user.role):
        raise ActionRefused(Said("intake.no_access"))
    return user


def check_token(token: object) -> None:
    """The page's CSRF token (Flask-WTF, bound to this session); refused when missing or not this session's."""
    from flask_wtf.csrf import ValidationError, validate_csrf

    try:
        validate_csrf(token if isinstance(token, str) else "")
    except ValidationError:
        raise ActionRefused(Said("intake.act.expired")) from None


def decode(contents: str) -> bytes:
    """The bytes of a ``data:…;base64,…`` URL as dcc.Upload sends it."""
    if not isinstance(contents, str) or "," not in contents:
        raise UploadRefused(Said("intake.up.incomplete"))
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        raise UploadRefused(Said("intake.up.incomplete")) from None


def receive(config: IntakeConfig, user: Who, files: list[dict]) -> tuple[str | None, int | None, list[Said]]:
    """Check and stage the dropped files and queue their preview: (staging id, job id, refusals)."""
    refusals: list[Said] = []
    accepted: list[tuple[dict, bytes]] = []
    for item in files or []:
        name = str(item.get("name") or "")
        if item.get("too_large"):
            refusals.append(Said("intake.up.not_sent", file=bare_name(name), mb=config.max_upload_bytes // 2**20))
            continue
        try:
            data = decode(item.get("contents"))
            checked = check_upload(name, data, config.max_upload_bytes, config.max_unpacked_bytes)
        except UploadRefused as exc:
            refusals.append(exc.args[0])
            continue
        meta = {
            "name": checked.name,
            "content": checked.content,
            "size": checked.size,
            "sha256": hashlib.sha256(data).hexdigest(),
            "shown": bare_name(name),
        }
        accepted.append((meta, data))
    if not accepted:
        return None, None, refusals or [Said("intake.up.nothing")]
    box = store.stage(config, user.name, accepted)
    job = store.enqueue(config, "preview", "preview", user.name, user.role, _one_town(user), box.id, {"overrides": {}})
    return box.id, job, refusals


def _one_town(user: Who) -> str:
    towns = intake_towns(user.role)
    return next(iter(towns)) if towns and len(towns) == 1 else ""


def clean_overrides(user: Who, overrides: dict) -> dict:
    """The page's choices per file, type-checked; a town the user may not bring data for is refused here."""
    out: dict[str, dict] = {}
    allowed = intake_towns(user.role)
    for name, asked in (overrides or {}).items():
        if not isinstance(name, str) or not isinstance(asked, dict):
            continue
        kind = asked.get("kind")
        town = asked.get("town")
        if kind is not None and kind not in SOURCE_KINDS:
            raise ActionRefused(Said("intake.act.unknown_kind", kind=bare_name(str(kind))))
        if town and allowed is not None and town not in allowed:
            raise ActionRefused(Said("intake.act.town_refused_named", town=bare_name(str(town))))
        year = asked.get("year")
        try:
            year = int(year) if year not in (None, "") else None
        except (TypeError, ValueError):
            raise ActionRefused(Said("intake.act.year")) from None
        columns = asked.get("columns")
        if columns is not None:
            columns = {str(k): str(v) for k, v in columns.items() if isinstance(v, str) and v}
        entry = {"kind": kind, "town": town or None, "year": year, "columns": columns}
        if "replace" in asked:
            entry["replace"] = asked["replace"] if isinstance(asked["replace"], str) else None
        out[name] = entry
    return out


def own_box(config: IntakeConfig, user: Who, sid: str | None) -> store.Staged:
    box = store.staged(config, sid)
    if box is None or box.account != user.name:
        raise ActionRefused(Said("intake.act.no_box"))
    return box


def own_job(config: IntakeConfig, user: Who, job_id: object) -> store.Job:
    try:
        job = store.get(config, int(job_id))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        job = None
    if job is None or job.account != user.name:
        raise ActionRefused(Said("intake.act.no_job"))
    return job


def request_preview(config: IntakeConfig, user: Who, sid: str | None, overrides: dict) -> int:
    box = own_box(config, user, sid)
    store.touch(config, box.id)
    params = {"overrides": clean_overrides(user, overrides)}
    return store.enqueue(config, "preview", "preview", user.name, user.role, _one_town(user), box.id, params)


def request_publish(config: IntakeConfig, user: Who, sid: str | None, preview_job: object) -> int:
    """Publish exactly what the preview showed: its files, proposals and choices, checked again by the job."""
    box = own_box(config, user, sid)
    job = own_job(config, user, preview_job)
    result = job.result
    if job.action != "preview" or job.status != "done" or job.staging != box.id or not result.get("publishable"):
        raise ActionRefused(Said("intake.act.clean_preview_only"))
    towns = {f["choice"]["town"] for f in result["files"] if f["choice"]["kind"] in TOWN_KINDS}
    for town in towns:
        if not may_bring_data(user.role, town):
            raise ActionRefused(Said("intake.act.town_refused", town=town))
    params = {
        "overrides": {
            f["file"]: {
                **f["choice"],
                "year": f["choice"]["year"] if f["choice"]["kind"] in SURVEY_KINDS else None,
            }
            for f in result["files"]
        },
        "proposals": {f["file"]: f["proposal"] for f in result["files"]},
        "digests": {m["name"]: m["sha256"] for m in box.files},
        "preview": job.id,
    }
    town = sorted(t for t in towns if t)[0] if any(towns) else ""
    return store.enqueue(config, "publish", "publish", user.name, user.role, town, box.id, params)


def request_undo(config: IntakeConfig, user: Who, town: str | None) -> int:
    if not town or not may_bring_data(user.role, town):
        raise ActionRefused(Said("intake.act.undo_refused"))
    return store.enqueue(config, "publish", "undo", user.name, user.role, town, "", {})


def discard(config: IntakeConfig, user: Who, sid: str | None) -> None:
    box = own_box(config, user, sid)
    if any(j.staging == box.id for j in store.pending(config, "publish")):
        raise ActionRefused(Said("intake.act.publishing"))
    store.discard(config, box.id)
