"""``engage users add|remove|list|set-password``: the dashboard's accounts (brief §7, issue 12).

The password is read twice: with ``getpass`` on a terminal, else as two lines of standard input, so a
script can create accounts (``printf '%s\\n%s\\n' "$PW" "$PW" | engage users add …``). It never appears
on the command line, where other users of the machine could read it in the process list.
"""

from __future__ import annotations

import getpass
import sys

import click

from dashboard.auth.roles import RoleError, parse_role, role_town

DB_HELP = "Warehouse-URL (sonst ENGAGE_DATABASE_URL, sonst sqlite:///data/warehouse.sqlite)"


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"Fehler: {message}", err=True)
    sys.exit(code)


class _GermanErrors(click.Group):
    """Database errors of any sub-command as one German sentence (exit 1; a malformed URL exit 2)."""

    def invoke(self, ctx: click.Context) -> object:
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

        try:
            return super().invoke(ctx)
        except (ArgumentError, NoSuchModuleError):
            _fail(
                "Die Warehouse-Adresse (--db) ist keine gültige Datenbank-URL (z. B. sqlite:///data/warehouse.sqlite)."
            )
        except SQLAlchemyError:
            _fail(
                "Das Warehouse ist nicht erreichbar oder beschädigt: Läuft der Datenbankserver, stimmen Adresse "
                "und Zugangsdaten, ist die Datei lesbar?",
                1,
            )


def read_password() -> str:
    """The new password, asked twice; the two must agree."""
    if sys.stdin.isatty():
        first = getpass.getpass("Neues Passwort: ")
        second = getpass.getpass("Passwort wiederholen: ")
    else:
        first = sys.stdin.readline().rstrip("\r\n")
        second = sys.stdin.readline().rstrip("\r\n")
    if not first:
        _fail("Kein Passwort angegeben (zweimal, je eine Zeile auf der Standardeingabe).")
    if first != second:
        _fail("Die beiden Passwörter stimmen nicht überein.")
    return first


def _unknown_town_note(db: str | None, role: str) -> str:
    """A note when a town role names an AGS the warehouse does not hold (yet): the account still works later."""
    town = role_town(role)
    if town is None:
        return ""
    from etl import warehouse

    if not warehouse.check(db).ok or town in set(warehouse.towns(db=db)["ags"]):
        return ""
    return (
        f" Hinweis: Die Stadt {town} ist (noch) nicht im Warehouse; das Konto sieht erst nach einem Lauf mit ihr etwas."
    )


@click.group(
    "users",
    cls=_GermanErrors,
    help="Konten für die Anmeldung am Dashboard (Rollen: netzwerk, stadt:<AGS>, oeffentlich) und Freigaben.",
)
def users_group() -> None:
    """The command group; registered in etl.cli."""


@users_group.command("add", help="Legt ein Konto an; das Passwort wird zweimal abgefragt (oder von stdin gelesen).")
@click.argument("name")
@click.option("--role", required=True, help="netzwerk (alle Städte), stadt:<AGS> (eine Stadt), oeffentlich (Freigaben)")
@click.option("--db", "db_url", default=None, help=DB_HELP)
def add_command(name: str, role: str, db_url: str | None) -> None:
    from dashboard.auth import users  # argon2 and the read API only when a command runs

    try:
        users.check_name(name)
        role = parse_role(role)
        password = read_password()
        account = users.add(db_url, name, role, password)
    except (users.AccountError, RoleError) as exc:
        _fail(str(exc))
    click.echo(f"Konto „{account.name}“ angelegt (Rolle {account.role}).{_unknown_town_note(db_url, account.role)}")


@users_group.command("remove", help="Löscht ein Konto; seine Sitzungen enden sofort.")
@click.argument("name")
@click.option("--db", "db_url", default=None, help=DB_HELP)
def remove_command(name: str, db_url: str | None) -> None:
    from dashboard.auth import users  # argon2 and the read API only when a command runs

    try:
        users.remove(db_url, name)
    except users.AccountError as exc:
        _fail(str(exc))
    click.echo(f"Konto „{name}“ gelöscht.")


@users_group.command("list", help="Zeigt alle Konten mit Rolle (ohne Passwörter).")
@click.option("--db", "db_url", default=None, help=DB_HELP)
def list_command(db_url: str | None) -> None:
    from dashboard.auth import users  # argon2 and the read API only when a command runs

    found = users.accounts(db_url)
    published = users.publications(db_url)
    if published:
        towns = sorted({town for town, _ in published})
        for town in towns:
            click.echo(f"Öffentlich für {town}: {', '.join(i for a, i in published if a == town)}")
    if not found:
        click.echo("Keine Konten: Das Dashboard ist nur auf 127.0.0.1 und ohne Anmeldung erreichbar.")
        return
    width = max(len("Konto"), *(len(a.name) for a in found))
    click.echo(f"{'Konto':<{width}}  {'Rolle':<15}  angelegt          Passwort gesetzt")
    for a in found:
        click.echo(
            f"{a.name:<{width}}  {a.role:<15}  {a.created_at:%d.%m.%Y %H:%M}  {a.password_set_at:%d.%m.%Y %H:%M}"
        )


@users_group.command("set-password", help="Setzt ein neues Passwort; alte Sitzungen des Kontos enden.")
@click.argument("name")
@click.option("--db", "db_url", default=None, help=DB_HELP)
def set_password_command(name: str, db_url: str | None) -> None:
    from dashboard.auth import users  # argon2 and the read API only when a command runs

    try:
        if users.get(db_url, name) is None:
            raise users.AccountError(f"Das Konto „{name}“ gibt es nicht (alle Konten: engage users list).")
        users.set_password(db_url, name, read_password())
    except users.AccountError as exc:
        _fail(str(exc))
    click.echo(f"Neues Passwort für „{name}“ gesetzt.")


@users_group.command(
    "publish", help="Gibt Kennzahlen einer Stadt für die öffentliche Ansicht (Rolle oeffentlich) frei."
)
@click.argument("town")
@click.argument("indicators", nargs=-1)
@click.option("--db", "db_url", default=None, help=DB_HELP)
def publish_command(town: str, indicators: tuple[str, ...], db_url: str | None) -> None:
    from dashboard.auth import users

    try:
        new = users.publish(db_url, town, list(indicators))
    except users.AccountError as exc:
        _fail(str(exc))
    click.echo(f"Öffentlich für {town}: {len(new)} Kennzahl(en) neu freigegeben ({', '.join(new) or '–'}).")


@users_group.command("unpublish", help="Nimmt Kennzahlen einer Stadt (ohne Angabe: alle) aus der öffentlichen Ansicht.")
@click.argument("town")
@click.argument("indicators", nargs=-1)
@click.option("--db", "db_url", default=None, help=DB_HELP)
def unpublish_command(town: str, indicators: tuple[str, ...], db_url: str | None) -> None:
    from dashboard.auth import users

    removed = users.unpublish(db_url, town, list(indicators))
    click.echo(f"Nicht mehr öffentlich für {town}: {removed} Kennzahl(en).")
