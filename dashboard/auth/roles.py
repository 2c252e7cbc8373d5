"""Roles of dashboard accounts and the towns each may see (issue 12, brief §7).

``netzwerk`` sees every town; ``stadt:<AGS>`` sees its own town in full and the network only as the
aggregates stored with its own rows (median, quartiles, its rank); ``oeffentlich`` sees the indicator values
(and their comparisons) each town published with ``engage users publish``, nothing else — nothing at all
until a town publishes. A role is turned into a :class:`etl.warehouse.Scope`, which the read API enforces
on every query.
"""

from __future__ import annotations

import re

from etl.warehouse import Scope

NETWORK = "netzwerk"
PUBLIC = "oeffentlich"
TOWN_PREFIX = "stadt:"
_TOWN_ROLE = re.compile(r"stadt:(\d{8})")


class RoleError(ValueError):
    """The role is not one of the known forms; German message."""


def parse_role(text: str) -> str:
    """The role in its stored form (``netzwerk`` or ``stadt:<8-digit AGS>``); raises :class:`RoleError`."""
    role = (text or "").strip().lower()
    if role in (NETWORK, PUBLIC) or _TOWN_ROLE.fullmatch(role):
        return role
    raise RoleError(
        f"Die Rolle „{text}“ gibt es nicht. Möglich sind „netzwerk“ (alle Städte), „stadt:<AGS>“ "
        "(eine Stadt, AGS mit 8 Ziffern, z. B. stadt:09999001) und „oeffentlich“ (veröffentlichte Kennzahlen)."
    )


def role_town(role: str) -> str | None:
    """The AGS of a town role, None for the network role."""
    match = _TOWN_ROLE.fullmatch(role)
    return match.group(1) if match else None


def role_scope(role: str, published: list[tuple[str, str]] | None = None) -> Scope:
    """What ``role`` may read (``published``: the towns' public (town, indicator) pairs, for ``oeffentlich``);
    an unknown stored role reads nothing (fail closed)."""
    if role == NETWORK:
        return Scope(None)
    if role == PUBLIC:
        return Scope.published(published or [])
    town = role_town(role)
    return Scope(frozenset({town}) if town else frozenset())
