"""Roles of dashboard accounts and the towns each may see (issue 12, brief §7).

``netzwerk`` sees every town; ``stadt:<AGS>`` sees its own town in full and the network only as the
aggregates stored with its own rows (median, quartiles, its rank); ``oeffentlich`` sees the indicator values
(and their comparisons) each town published with ``engage users publish``, nothing else — nothing at all
until a town publishes. A role is turned into a :class:`etl.warehouse.Scope`, which the read API enforces
on every query.

Bringing data in the browser (issue 14, :mod:`dashboard.intake`) is for the offices that hold the exports:
``koordination:<AGS>`` is that town's coordination office — it reads exactly like ``stadt:<AGS>`` and may
also bring data for its town; ``netzwerk`` is the network office and may bring data for every town. A
``stadt:<AGS>`` account (a steering group member, a council member) only reads. :func:`intake_towns` is the
one place that says who may.
"""

from __future__ import annotations

import re

from etl.warehouse import Scope

NETWORK = "netzwerk"
PUBLIC = "oeffentlich"
TOWN_PREFIX = "stadt:"
COORDINATION_PREFIX = "koordination:"
_TOWN_ROLE = re.compile(r"(?:stadt|koordination):(\d{8})")
_COORDINATION_ROLE = re.compile(r"koordination:(\d{8})")


class RoleError(ValueError):
    """The role is not one of the known forms; German message."""


def parse_role(text: str) -> str:
    """The role in its stored form (``netzwerk`` or ``stadt:<8-digit AGS>``); raises :class:`RoleError`."""
    role = (text or "").strip().lower()
    if role in (NETWORK, PUBLIC) or _TOWN_ROLE.fullmatch(role):
        return role
    raise RoleError(
        f"Die Rolle „{text}“ gibt es nicht. Möglich sind „netzwerk“ (alle Städte), „stadt:<AGS>“ "
        "(eine Stadt, AGS mit 8 Ziffern, z. B. stadt:09999001), „koordination:<AGS>“ (die Koordinierungsstelle "
        "einer Stadt: liest wie stadt:<AGS> und darf Daten einspielen) und „oeffentlich“ (veröffentlichte "
        "Kennzahlen)."
    )


def role_town(role: str) -> str | None:
    """The AGS of a town role (``stadt:`` or ``koordination:``), None for the network role."""
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


def intake_towns(role: str) -> frozenset[str] | None:
    """The towns ``role`` may bring data for: None = every town (the network office), an empty set = none.

    Only the offices that hold the exports may: ``koordination:<AGS>`` for its town, ``netzwerk`` for all.
    """
    if role == NETWORK:
        return None
    match = _COORDINATION_ROLE.fullmatch(role)
    return frozenset({match.group(1)}) if match else frozenset()


def may_bring_data(role: str, town: str | None = None) -> bool:
    """Whether ``role`` may bring data at all (``town`` None) or for the town ``town``."""
    towns = intake_towns(role)
    if towns is None:
        return True
    return bool(towns) if town is None else town in towns
