"""The column mappings a town confirmed, kept for its next export of the same platform (issue 14, point 1).

Stored server-side in the source folder's intake state (``zuordnungen.json``, 0600), next to the manifest
whose ``[sources.columns]`` they end up in: per town, per platform (the digest of the export's header set,
:func:`dashboard.intake.recognise.platform_of`), the kind and ``canonical -> header``. Only header names,
never a value. Written by the publish job once a mapping was confirmed and loaded.
"""

from __future__ import annotations

import datetime as dt
import json

from dashboard.intake.config import IntakeConfig
from dashboard.intake.store import write_private

FILE = "zuordnungen.json"


def _load_all(config: IntakeConfig) -> dict[str, dict[str, dict]]:
    path = config.state_dir / FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered(config: IntakeConfig, town: str) -> dict[str, dict]:
    """platform digest -> {"kind", "columns"} of the town's confirmed mappings."""
    found = _load_all(config).get(town, {})
    return found if isinstance(found, dict) else {}


def remember(config: IntakeConfig, town: str, platform: str, kind: str, columns: dict[str, str]) -> None:
    data = _load_all(config)
    data.setdefault(town, {})[platform] = {
        "kind": kind,
        "columns": dict(sorted(columns.items())),
        "saved": dt.datetime.now().isoformat(timespec="seconds"),
    }
    write_private(config.state_dir / FILE, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
