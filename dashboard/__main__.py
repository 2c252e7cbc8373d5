"""``python -m dashboard --db URL --host H --port P``: serve the dashboard (as ``engage serve`` does)."""

from __future__ import annotations

import argparse
import sys

from dashboard.server import ServeError, serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Engagement-Monitor-Dashboard starten")
    parser.add_argument(
        "--db", default=None, help="Warehouse-URL (sonst ENGAGE_DATABASE_URL bzw. data/warehouse.sqlite)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="Adresse (Standard: 127.0.0.1, nur dieser Rechner)")
    parser.add_argument("--port", type=int, default=8050, help="Port (Standard: 8050)")
    parser.add_argument("--workers", type=int, default=None, help="Prozesse (Standard: Kerne + 1)")
    parser.add_argument("--behind-proxy", action="store_true", help="hinter einem Reverse-Proxy (X-Forwarded-*)")
    parser.add_argument("--source-dir", default=None, help="Quellordner für „Daten einspielen“ (ENGAGE_SOURCE_DIR)")
    parser.add_argument("--max-upload-mb", type=int, default=None, help="größte Datei beim Einspielen (Standard 50)")
    args = parser.parse_args(argv)
    try:
        serve(
            args.db,
            host=args.host,
            port=args.port,
            workers=args.workers,
            behind_proxy=args.behind_proxy,
            source_dir=args.source_dir,
            max_upload_mb=args.max_upload_mb,
        )
    except ServeError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
