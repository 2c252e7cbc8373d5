"""Where the intake writes and how much it accepts: one value the server, the page and the worker share."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_UPLOAD_MB = 50
STATE_DIR = ".engage-intake"  # inside the source folder: jobs, staged uploads, previews, backups (all 0700)


class IntakeConfigError(ValueError):
    """The intake cannot be set up as asked; German message."""


@dataclass(frozen=True)
class IntakeConfig:
    """The deployment's source folder (``engage serve --source-dir`` or ``ENGAGE_SOURCE_DIR``) and limits.

    ``etl_db``: the warehouse URL the worker writes with (``ENGAGE_ETL_DATABASE_URL``, else the dashboard's
    own): the dashboard's web processes may read through a read-only database role.
    """

    source_dir: Path
    etl_db: str
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 2**20

    @property
    def state_dir(self) -> Path:
        return self.source_dir / STATE_DIR

    @property
    def jobs_db(self) -> Path:
        return self.state_dir / "jobs.sqlite"

    @property
    def max_unpacked_bytes(self) -> int:
        """What an XLSX or ZIP may unpack to in all: ten times the upload limit, at least 200 MB."""
        return max(10 * self.max_upload_bytes, 200 * 2**20)

    @property
    def max_request_bytes(self) -> int:
        """Flask's MAX_CONTENT_LENGTH: an upload arrives base64-encoded (4/3) in a JSON callback body."""
        return self.max_upload_bytes * 4 // 3 + 2**20


def from_options(source_dir: str | Path | None, db_url: str, max_upload_mb: int | None = None) -> IntakeConfig | None:
    """The intake configuration of ``engage serve`` (None: no source folder named, the intake is off)."""
    folder = source_dir or os.environ.get("ENGAGE_SOURCE_DIR")
    if not folder:
        return None
    path = Path(folder).expanduser().resolve()
    if not (path / "engage.toml").is_file():
        raise IntakeConfigError(
            f"Der Quellordner {path} hat kein engage.toml: Daten einspielen braucht einen Quellordner mit Manifest "
            "(--source-dir oder ENGAGE_SOURCE_DIR)."
        )
    limit = max_upload_mb or int(os.environ.get("ENGAGE_MAX_UPLOAD_MB") or DEFAULT_MAX_UPLOAD_MB)
    if not 1 <= limit <= 2048:
        raise IntakeConfigError(f"Die Obergrenze für Uploads ({limit} MB) muss zwischen 1 und 2048 MB liegen.")
    etl_db = os.environ.get("ENGAGE_ETL_DATABASE_URL") or db_url
    return IntakeConfig(source_dir=path, etl_db=etl_db, max_upload_bytes=limit * 2**20)
