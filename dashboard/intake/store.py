"""The intake's state in the source folder: the job queue, staged uploads, private files.

Everything lives in ``<source folder>/.engage-intake/`` (owner-only, 0700; files 0600), because the raw
exports hold personal data and may be stored nowhere but the source folder — not in the warehouse, a log,
the dashboard's caches or a temporary folder that outlives its use:

* ``jobs.sqlite`` — the queue every process shares (the web workers enqueue and read, the intake worker
  claims and runs): metadata only (who, which town, which files by name, the mapping, progress, the preview's
  counts and German reasons, each with its message code beside it), never file contents; ``log_messages``
  holds the message (key and parameters) of each intake log row, whose warehouse table keeps the German text.
  SQLite in WAL mode serialises the writers of several processes; a claim is one ``BEGIN IMMEDIATE``
  transaction, so two lanes or workers never take one job.
* ``eingang/<id>/`` — an upload staged between drop and publish (or discard); removed when published,
  discarded, or after :data:`STAGING_HOURS` hours unused.
* ``vorschau/<job>/`` — the preview's temporary source folder and warehouse, removed when the preview ends.
* ``sicherung/<intake>/`` — what a publish replaced (the manifest and any file), for "Letzten Import
  zurücknehmen".
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.intake.config import IntakeConfig
from dashboard.intake.said import Said

STAGING_HOURS = 4
LANES = ("preview", "publish")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lane TEXT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    account TEXT NOT NULL,
    role TEXT NOT NULL,
    town TEXT NOT NULL,
    staging TEXT NOT NULL DEFAULT '',
    params TEXT NOT NULL DEFAULT '{}',
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    step INTEGER NOT NULL DEFAULT 0,
    steps INTEGER NOT NULL DEFAULT 0,
    progress TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    progress_msg TEXT NOT NULL DEFAULT '',
    message_msg TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS ix_jobs_lane_status ON jobs (lane, status, id);
CREATE TABLE IF NOT EXISTS staging (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    created REAL NOT NULL,
    files TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS log_messages (
    intake_id INTEGER PRIMARY KEY,
    message TEXT NOT NULL
);
"""
# columns a queue made by an earlier version lacks: (table, column, definition)
_ADDED = [
    ("jobs", "progress_msg", "TEXT NOT NULL DEFAULT ''"),
    ("jobs", "message_msg", "TEXT NOT NULL DEFAULT ''"),
]


@dataclass(frozen=True)
class Job:
    id: int
    lane: str
    action: str  # preview, publish, undo
    status: str  # queued, running, done, failed
    account: str
    role: str
    town: str
    staging: str
    params: dict
    created: float
    started: float | None
    finished: float | None
    step: int
    steps: int
    progress: str
    result: dict
    message: str
    # the progress and the message as Said JSON (dashboard.intake.said): what the page renders in its language
    progress_msg: dict = field(default_factory=dict)
    message_msg: dict = field(default_factory=dict)

    @property
    def pending(self) -> bool:
        return self.status in ("queued", "running")


@dataclass(frozen=True)
class Staged:
    """An upload kept between drop and publish: its owner and its files (name, content kind, size, digest)."""

    id: str
    account: str
    created: float
    files: list[dict]

    def folder(self, config: IntakeConfig) -> Path:
        return staging_dir(config) / self.id


def staging_dir(config: IntakeConfig) -> Path:
    return config.state_dir / "eingang"


def preview_dir(config: IntakeConfig) -> Path:
    return config.state_dir / "vorschau"


def backup_dir(config: IntakeConfig) -> Path:
    return config.state_dir / "sicherung"


def private_dir(path: Path) -> Path:
    """``path`` and its missing parents created owner-only (0700); an existing one made owner-only too."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file readable by the owner only (0600), never following a symbolic link.

    Written under a temporary name in the same folder and renamed, so a reader never sees half a file and an
    existing file (a replaced export) is swapped in one step.
    """
    if not path.parent.exists():
        private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.teil")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def ensure_state(config: IntakeConfig) -> None:
    """The state folder (0700) and the queue's tables."""
    for folder in (config.state_dir, staging_dir(config), preview_dir(config), backup_dir(config)):
        private_dir(folder)
    with _connect(config) as conn:
        conn.executescript(_SCHEMA)
        for table, column, definition in _ADDED:
            present = {r["name"] for r in conn.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")


@contextmanager
def _connect(config: IntakeConfig):  # noqa: ANN202 - a sqlite3 connection
    fresh = not config.jobs_db.exists()
    conn = sqlite3.connect(config.jobs_db, timeout=15, isolation_level=None)
    try:
        if fresh:
            os.chmod(config.jobs_db, 0o600)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=15000")
        conn.row_factory = sqlite3.Row
        yield conn
    finally:
        conn.close()


def _job(row: sqlite3.Row) -> Job:
    data = dict(row)
    data["params"] = json.loads(data["params"] or "{}")
    data["result"] = json.loads(data["result"] or "{}")
    data["progress_msg"] = json.loads(data.get("progress_msg") or "{}")
    data["message_msg"] = json.loads(data.get("message_msg") or "{}")
    return Job(**data)


def _said_json(text: str) -> str:
    return json.dumps(text.as_json(), ensure_ascii=False) if isinstance(text, Said) else ""


# --- staged uploads -------------------------------------------------------------------------------------------


def stage(config: IntakeConfig, account: str, files: list[tuple[dict, bytes]]) -> Staged:
    """Keep checked uploads (``(meta, bytes)``: meta with name, content, size, sha256, shown) until published."""
    sid = secrets.token_urlsafe(18)
    folder = private_dir(staging_dir(config) / sid)
    metas = []
    used: set[str] = set()
    for meta, data in files:
        name = meta["name"]
        stem, ext = name.rsplit(".", 1)
        number = 2
        while name in used:
            name = f"{stem}_{number}.{ext}"
            number += 1
        used.add(name)
        write_private(folder / name, data)
        metas.append({**meta, "name": name})
    staged = Staged(sid, account, time.time(), metas)
    with _connect(config) as conn:
        conn.execute(
            "INSERT INTO staging (id, account, created, files) VALUES (?, ?, ?, ?)",
            (sid, account, staged.created, json.dumps(metas)),
        )
    return staged


def staged(config: IntakeConfig, sid: str | None) -> Staged | None:
    if not sid or not isinstance(sid, str):
        return None
    with _connect(config) as conn:
        row = conn.execute("SELECT * FROM staging WHERE id = ?", (sid,)).fetchone()
    if row is None:
        return None
    return Staged(row["id"], row["account"], row["created"], json.loads(row["files"]))


def discard(config: IntakeConfig, sid: str) -> None:
    """Remove a staged upload and its files (published, discarded or expired)."""
    with _connect(config) as conn:
        conn.execute("DELETE FROM staging WHERE id = ?", (sid,))
    folder = staging_dir(config) / sid
    if folder.parent == staging_dir(config) and folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)


def sweep(config: IntakeConfig, now: float | None = None) -> None:
    """Remove staged uploads unused for :data:`STAGING_HOURS` hours and preview folders no running job owns."""
    now = now or time.time()
    cutoff = now - STAGING_HOURS * 3600
    with _connect(config) as conn:
        old = [r["id"] for r in conn.execute("SELECT id FROM staging WHERE created < ?", (cutoff,))]
        busy = {r["staging"] for r in conn.execute("SELECT staging FROM jobs WHERE status IN ('queued', 'running')")}
        known = {r["id"] for r in conn.execute("SELECT id FROM staging")}
        running = {str(r["id"]) for r in conn.execute("SELECT id FROM jobs WHERE status = 'running'")}
    for sid in old:
        if sid not in busy:
            discard(config, sid)
    for folder in staging_dir(config).iterdir() if staging_dir(config).is_dir() else []:
        if folder.name not in known:
            shutil.rmtree(folder, ignore_errors=True)
    for folder in preview_dir(config).iterdir() if preview_dir(config).is_dir() else []:
        if folder.name not in running:
            shutil.rmtree(folder, ignore_errors=True)


def touch(config: IntakeConfig, sid: str) -> None:
    """A staged upload in use again (a new preview): its expiry starts anew."""
    with _connect(config) as conn:
        conn.execute("UPDATE staging SET created = ? WHERE id = ?", (time.time(), sid))


# --- the job queue --------------------------------------------------------------------------------------------


def enqueue(
    config: IntakeConfig, lane: str, action: str, account: str, role: str, town: str, staging: str, params: dict
) -> int:
    assert lane in LANES
    with _connect(config) as conn:
        cursor = conn.execute(
            "INSERT INTO jobs (lane, action, status, account, role, town, staging, params, created) "
            "VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?)",
            (lane, action, account, role, town, staging, json.dumps(params), time.time()),
        )
        return int(cursor.lastrowid)


def claim(config: IntakeConfig, lane: str) -> Job | None:
    """The oldest queued job of ``lane``, marked running (one transaction: no two claimers get one job)."""
    with _connect(config) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute(
                "SELECT id FROM jobs WHERE lane = ? AND status = 'queued' ORDER BY id LIMIT 1", (lane,)
            ).fetchone()
            if row is None:
                conn.execute("COMMIT")
                return None
            conn.execute("UPDATE jobs SET status = 'running', started = ? WHERE id = ?", (time.time(), row["id"]))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return _job(conn.execute("SELECT * FROM jobs WHERE id = ?", (row["id"],)).fetchone())


def get(config: IntakeConfig, job_id: int) -> Job | None:
    with _connect(config) as conn:
        row = conn.execute("SELECT * FROM jobs WHERE id = ?", (int(job_id),)).fetchone()
    return _job(row) if row else None


def position(config: IntakeConfig, job: Job) -> int:
    """How many jobs of the same lane run or wait before ``job``."""
    with _connect(config) as conn:
        return int(
            conn.execute(
                "SELECT COUNT(*) FROM jobs WHERE lane = ? AND status IN ('queued', 'running') AND id < ?",
                (job.lane, job.id),
            ).fetchone()[0]
        )


def pending(config: IntakeConfig, lane: str, town: str | None = None) -> list[Job]:
    query = "SELECT * FROM jobs WHERE lane = ? AND status IN ('queued', 'running')"
    args: list[object] = [lane]
    if town is not None:
        query += " AND town = ?"
        args.append(town)
    with _connect(config) as conn:
        return [_job(r) for r in conn.execute(query + " ORDER BY id", args)]


def report(config: IntakeConfig, job_id: int, text: str, step: int, steps: int) -> None:
    """Progress of a running job, for the page's progress bar (a Said: German text and its message)."""
    with _connect(config) as conn:
        conn.execute(
            "UPDATE jobs SET progress = ?, progress_msg = ?, step = ?, steps = ? WHERE id = ?",
            (str(text), _said_json(text), step, steps, job_id),
        )


def finish(config: IntakeConfig, job_id: int, status: str, result: dict | None = None, message: str = "") -> None:
    """A job's end; ``message`` (a Said, or a plain German text) is stored as text and as its message."""
    with _connect(config) as conn:
        conn.execute(
            "UPDATE jobs SET status = ?, finished = ?, result = ?, message = ?, message_msg = ? "
            "WHERE id = ? AND status = 'running'",
            (status, time.time(), json.dumps(result or {}), str(message), _said_json(message), job_id),
        )


def note_log_message(config: IntakeConfig, intake_id: int, message: Said) -> None:
    """The message of an intake log row (``app_intake_log.message`` holds its German text only)."""
    with _connect(config) as conn:
        conn.execute(
            "INSERT OR REPLACE INTO log_messages (intake_id, message) VALUES (?, ?)", (intake_id, _said_json(message))
        )


def log_messages(config: IntakeConfig, intake_ids: list[int]) -> dict[int, dict]:
    """intake id -> its message (Said JSON) for the history; ids without one (an older version) are absent."""
    if not intake_ids:
        return {}
    marks = ",".join("?" * len(intake_ids))
    with _connect(config) as conn:
        rows = conn.execute(f"SELECT intake_id, message FROM log_messages WHERE intake_id IN ({marks})", intake_ids)
        return {int(r["intake_id"]): json.loads(r["message"]) for r in rows}


def fail_running(config: IntakeConfig, message: str) -> list[Job]:
    """Jobs a stopped worker left running: marked failed (returned, so a publish can be rolled back)."""
    with _connect(config) as conn:
        rows = [_job(r) for r in conn.execute("SELECT * FROM jobs WHERE status = 'running'")]
    for job in rows:
        finish(config, job.id, "failed", None, message)
    return rows
