"""Dashboard accounts, stored in the warehouse table ``app_users`` (kept across ETL runs).

Passwords are hashed with argon2id by argon2-cffi's ``PasswordHasher`` (its defaults follow RFC 9106);
neither this module nor the table ever holds a password. ``engage users`` writes the table, the
dashboard only reads it. A session is bound to the account's current hash (:func:`session_id`), so
changing a password or removing an account ends every session signed in with the old one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, inspect, select

from dashboard.auth.roles import parse_role
from etl import tables as t
from etl import warehouse
from etl.db import database_url, make_engine, sqlite_path

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_hasher = PasswordHasher()
# Verified when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("kein Konto – nur für gleich lange Prüfungen")


class AccountError(ValueError):
    """An account cannot be created or changed as asked; German message."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    created_at: dt.datetime
    password_set_at: dt.datetime
    password_hash: str

    @property
    def session_id(self) -> str:
        """What a session stores: the name and a digest of the current hash (not the hash itself)."""
        return session_id(self.name, self.password_hash)


def session_id(name: str, password_hash: str) -> str:
    return f"{name}|{hashlib.sha256(password_hash.encode()).hexdigest()[:32]}"


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not _NAME.fullmatch(name):
        raise AccountError(
            f"Der Kontoname „{name}“ ist nicht möglich: 1–64 Zeichen, Buchstaben ohne Umlaute, Ziffern und . _ @ -, "
            "beginnend mit einem Buchstaben oder einer Ziffer."
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Das Passwort ist zu kurz: mindestens {MIN_PASSWORD} Zeichen.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Das Passwort ist zu lang: höchstens {MAX_PASSWORD} Zeichen.")
    return password


def _writer(db: str | None) -> Engine:
    """An engine for ``engage users`` (creates the SQLite file and the table where they are missing)."""
    engine = make_engine(db)
    t.metadata.create_all(engine, tables=[t.app_users])  # SQLAlchemyError: the CLI says it in German
    return engine


def _reader(db: str | Engine | None) -> Engine | None:
    """The read API's engine for this warehouse, or None when the file or the table does not exist."""
    if not isinstance(db, Engine):
        path = sqlite_path(database_url(db))
        if path is not None and not path.exists():
            return None
    engine = warehouse._engine(db)  # noqa: SLF001 - one pool per URL and process, shared with the read API
    return engine if inspect(engine).has_table(t.app_users.name) else None


def _row_account(row) -> Account:  # noqa: ANN001 - a SQLAlchemy row
    return Account(row.name, row.role, row.created_at, row.password_set_at, row.password_hash)


def add(db: str | None, name: str, role: str, password: str) -> Account:
    name, role, password = check_name(name), parse_role(role), check_password(password)
    engine = _writer(db)
    now = dt.datetime.now().replace(microsecond=0)
    with engine.begin() as conn:
        if conn.execute(select(t.app_users.c.name).where(t.app_users.c.name == name)).first():
            raise AccountError(f"Das Konto „{name}“ gibt es schon (Passwort ändern: engage users set-password {name}).")
        conn.execute(
            t.app_users.insert().values(
                name=name, role=role, password_hash=_hasher.hash(password), created_at=now, password_set_at=now
            )
        )
    return get(engine, name)  # type: ignore[return-value]


def remove(db: str | None, name: str) -> None:
    engine = _writer(db)
    with engine.begin() as conn:
        if conn.execute(t.app_users.delete().where(t.app_users.c.name == name)).rowcount == 0:
            raise AccountError(f"Das Konto „{name}“ gibt es nicht (alle Konten: engage users list).")


def set_password(db: str | None, name: str, password: str) -> None:
    password = check_password(password)
    engine = _writer(db)
    now = dt.datetime.now().replace(microsecond=0)
    with engine.begin() as conn:
        changed = conn.execute(
            t.app_users.update()
            .where(t.app_users.c.name == name)
            .values(password_hash=_hasher.hash(password), password_set_at=now)
        ).rowcount
    if changed == 0:
        raise AccountError(f"Das Konto „{name}“ gibt es nicht (alle Konten: engage users list).")


def accounts(db: str | Engine | None) -> list[Account]:
    """Every account, by name (none for a missing warehouse or one without the table)."""
    engine = _reader(db)
    if engine is None:
        return []
    with engine.connect() as conn:
        rows = conn.execute(select(t.app_users).order_by(t.app_users.c.name)).fetchall()
    return [_row_account(r) for r in rows]


def count(db: str | Engine | None) -> int:
    """How many accounts the warehouse holds (0 without the file or table); never raises for a missing one."""
    engine = _reader(db)
    if engine is None:
        return 0
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.app_users)).scalar() or 0)


def get(db: str | Engine | None, name: str) -> Account | None:
    engine = _reader(db)
    if engine is None:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(t.app_users).where(t.app_users.c.name == name)).first()
    return _row_account(row) if row else None


def verify(db: str | Engine | None, name: str, password: str) -> Account | None:
    """The account if ``password`` is its password, else None (the same work for an unknown name)."""
    account = get(db, (name or "").strip()) if _NAME.fullmatch((name or "").strip()) else None
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    return account


# --- the public view: which indicators a town publishes ---------------------------------------------------

_AGS = re.compile(r"\d{8}")


def check_publication(db: str | None, town: str, indicators: list[str]) -> list[str]:
    """The indicator ids to publish for ``town``; raises :class:`AccountError` for an unknown AGS or id."""
    if not _AGS.fullmatch(town or ""):
        raise AccountError(f"„{town}“ ist kein Gemeindeschlüssel (AGS mit 8 Ziffern, z. B. 09999001).")
    if not indicators:
        raise AccountError("Bitte mindestens eine Kennzahl nennen (z. B. engagement_rate).")
    if warehouse.check(db).ok:
        with warehouse.scoped(warehouse.EVERY_TOWN):
            known = set(warehouse.towns(db=db)["ags"])
            catalogue = set(warehouse.catalogue(db=db)["indicator"])
        if town not in known:
            raise AccountError(f"Die Stadt {town} gibt es im Warehouse nicht (engage users publish nennt eine Stadt).")
        unknown = [i for i in indicators if i not in catalogue]
        if unknown:
            raise AccountError(
                f"Diese Kennzahlen gibt es nicht: {', '.join(unknown)} (alle Kennzahlen: Seite Daten & Methodik)."
            )
    return sorted(set(indicators))


def publish(db: str | None, town: str, indicators: list[str]) -> list[str]:
    chosen = check_publication(db, town, indicators)
    engine = make_engine(db)
    t.metadata.create_all(engine, tables=[t.app_public_indicators])
    now = dt.datetime.now().replace(microsecond=0)
    table = t.app_public_indicators
    with engine.begin() as conn:
        stored = {r[0] for r in conn.execute(select(table.c.indicator).where(table.c.town_ags == town))}
        new = [i for i in chosen if i not in stored]
        if new:
            conn.execute(table.insert(), [{"town_ags": town, "indicator": i, "published_at": now} for i in new])
    return new


def unpublish(db: str | None, town: str, indicators: list[str]) -> int:
    """Withdraw ``indicators`` of ``town`` from the public view (all of its indicators when none is named)."""
    engine = make_engine(db)
    t.metadata.create_all(engine, tables=[t.app_public_indicators])
    table = t.app_public_indicators
    stmt = table.delete().where(table.c.town_ags == town)
    if indicators:
        stmt = stmt.where(table.c.indicator.in_(indicators))
    with engine.begin() as conn:
        return int(conn.execute(stmt).rowcount or 0)


def publications(db: str | Engine | None) -> list[tuple[str, str]]:
    """Every published (town AGS, indicator) pair (none for a warehouse without the table)."""
    if not isinstance(db, Engine):
        path = sqlite_path(database_url(db))
        if path is not None and not path.exists():
            return []
    engine = warehouse._engine(db)  # noqa: SLF001 - shared pool
    if not inspect(engine).has_table(t.app_public_indicators.name):
        return []
    table = t.app_public_indicators
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.town_ags, table.c.indicator).order_by(table.c.town_ags, table.c.indicator))
        return [(str(a), str(i)) for a, i in rows]
