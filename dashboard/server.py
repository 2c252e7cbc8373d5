"""Serving the dashboard with a production WSGI server (waitress), debug off (issue 5, brief §7)."""

from __future__ import annotations

import logging

from waitress import serve as waitress_serve

from dashboard.app import create_app


def serve(db_url: str | None, host: str = "127.0.0.1", port: int = 8050, threads: int = 8) -> None:
    """Serve the dashboard on ``host:port`` (127.0.0.1 unless told otherwise) until interrupted."""
    app = create_app(db_url)
    logging.getLogger("waitress").setLevel(logging.WARNING)
    print(f"Engagement-Monitor läuft auf http://{host}:{port}/ (Beenden mit Strg+C)", flush=True)
    waitress_serve(app.server, host=host, port=port, threads=threads, ident="engagement-monitor")
