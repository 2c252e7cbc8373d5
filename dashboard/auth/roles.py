"""Roles of dashboard accounts and the towns each may see (issue 12, brief §7).

``netzwerk`` sees every town; ``stadt:<AGS>`` sees its own town in full and the network only as the
aggregates stored with its own rows (median, quartiles, its rank); ``oeffentlich`` is not offered yet
(see docs/deployment.md). A role is turned into a :class:`etl.warehouse.Scope`, which the read API
enforces on every query.
"""

from __future__ import annotations

import re

from etl.warehouse import Scope

NETWORK = "netzwerk"
TOWN_PREFIX = "stadt:"
_TOWN_ROLE = re.compile(r"stadt:(\d{8})")


class RoleError(ValueError):
    """The role is not one of the known forms; German message."""


def parse_role(text: str) -> str:
    """The role in its stored form (``netzwerk`` or ``stadt:<8-digit AGS>``); raises :class:`RoleError`."""
    role = (text or "").strip().lower()
    if role == NETWORK or _TOWN_ROLE.fullmatch(role):
        return role
    if role == "oeffentlich":
        raise RoleError(
            "Die Rolle „oeffentlich“ (öffentliche Ansicht) gibt es noch nicht: Noch kann keine Stadt Kennzahlen "
            "als öffentlich markieren. Bitte „netzwerk“ oder „stadt:<AGS>“ wählen."
        )
    raise RoleError(
        f"Die Rolle „{text}“ gibt es nicht. Möglich sind „netzwerk“ (alle Städte) und „stadt:<AGS>“ "
        "(eine Stadt, AGS mit 8 Ziffern, z. B. stadt:09999001)."
    )


def role_town(role: str) -> str | None:
    """The AGS of a town role, None for the network role."""
    match = _TOWN_ROLE.fullmatch(role)
    return match.group(1) if match else None


def role_scope(role: str) -> Scope:
    """The towns ``role`` may read; an unknown stored role reads nothing (fail closed)."""
    if role == NETWORK:
        return Scope(None)
    town = role_town(role)
    return Scope(frozenset({town}) if town else frozenset())
