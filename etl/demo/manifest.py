"""The demo folder's ``engage.toml``, written as plain TOML text (the standard library only reads TOML)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from etl.demo.towns import DemoTown

PROJECT_NAME = "Demo-Netzwerk Engagierte Stadt (fiktiv)"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    # JSON string escapes (\" \\ \n \uXXXX) are valid in TOML basic strings
    return json.dumps(str(value), ensure_ascii=False)


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() else json.dumps(key)


def manifest_text(
    towns: Sequence[DemoTown], sources: Sequence[Mapping[str, object]], seed: int, min_cell: int = 5
) -> str:
    """``[project]``, one ``[[towns]]`` per town and the ``[[sources]]`` blocks in the given order.

    A source's dict values (``columns``, ``codes``) become ``[sources.columns]``/``[sources.codes]``.
    """
    lines = [
        "# Demo-Quellordner, erzeugt von `engage demo` (Seed " + str(seed) + ").",
        "# Alle Orte, Personen, Organisationen und Zahlen sind erfunden (Landesschlüssel 99 im AGS).",
        "",
        "[project]",
        f"name = {_value(PROJECT_NAME)}",
        f"min_cell = {min_cell}",
        "survey_min_age = 14",
        "demo = true",
        "",
    ]
    for town in towns:
        lines += ["[[towns]]", f"ags = {_value(town.ags)}", f"name = {_value(town.name)}", ""]
    for source in sources:
        lines.append("[[sources]]")
        tables = []
        for key, value in source.items():
            if isinstance(value, Mapping):
                tables.append((key, value))
            else:
                lines.append(f"{_key(key)} = {_value(value)}")
        for key, table in tables:
            lines.append(f"[sources.{key}]")
            lines += [f"{_key(k)} = {_value(v)}" for k, v in table.items()]
        lines.append("")
    return "\n".join(lines)
