"""The key that signs session cookies, one for every worker process and every restart.

``ENGAGE_SECRET_KEY`` (at least 32 characters) wins: the way to go for PostgreSQL and several hosts.
Without it a random key is generated once and kept in a file only its owner may read: beside a SQLite
warehouse (``warehouse.sqlite.session-key``), else in ``$XDG_STATE_HOME/engagement-monitor/`` (default
``~/.local/state``). The key is read before the worker processes start, so they all share it. It is
never kept in the warehouse: whoever can read the warehouse (notebooks) must not be able to forge a
session of a town role.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from pathlib import Path

from etl.db import database_url, sqlite_path

ENV = "ENGAGE_SECRET_KEY"
MIN_LENGTH = 32


class SecretError(RuntimeError):
    """The session key cannot be used; German message (``engage serve`` exits 2 with it)."""


def key_file(db: str | None) -> Path:
    """Where the generated key of warehouse ``db`` lives."""
    url = database_url(db)
    path = sqlite_path(url)
    if path is not None:
        return path.with_name(path.name + ".session-key")
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "engagement-monitor"
    return state / f"session-key-{hashlib.sha256(url.encode()).hexdigest()[:12]}"


def session_secret(db: str | None) -> str:
    """The key from the environment, else from (or newly into) the owner-only key file."""
    given = os.environ.get(ENV)
    if given is not None:
        if len(given) < MIN_LENGTH:
            raise SecretError(f"{ENV} ist zu kurz: mindestens {MIN_LENGTH} Zeichen (z. B. openssl rand -hex 32).")
        return given
    path = key_file(db)
    try:
        if path.exists():
            return _read(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a temporary name, then linked into place: a second process starting at the same
        # moment either wins the link or reads the complete key of the first, never a half-written file.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
        return _read(path)
    except OSError as exc:
        raise SecretError(
            f"Der Sitzungsschlüssel {path} kann nicht angelegt werden ({exc.strerror}). "
            f"Bitte {ENV} setzen oder den Ordner beschreibbar machen."
        ) from exc


def _read(path: Path) -> str:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(
            f"Der Sitzungsschlüssel {path} ist für andere lesbar (Rechte {stat.filemode(mode)}). "
            f"Bitte chmod 600 {path} ausführen."
        )
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_LENGTH:
        raise SecretError(f"Der Sitzungsschlüssel {path} ist zu kurz oder leer. Bitte die Datei löschen (neu erzeugt).")
    return key
