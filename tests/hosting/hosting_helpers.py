"""Helpers of the hosting tests: start/stop the real production server, accounts, signed-in clients.

The server is started the way ``engage serve`` starts it (``python -m dashboard``: gunicorn, several worker
processes) on a free loopback port and always terminated (datasette's pattern); its output goes to a file
the tests read (no tracebacks, no payload in the log). Accounts are created with the real ``engage users``
command, the password on standard input.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
ENGAGE = Path(sys.executable).parent / "engage"
PASSWORD = "ein-langes-testpasswort"


@dataclass
class Hosted:
    """A running server: its base URL, the log file, the warehouse and its two towns."""

    base: str
    log: Path
    db: str
    own: str  # AGS of the town account's town
    own_name: str
    other: str  # AGS of the other town
    other_name: str
    proc: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def add_account(db: str, name: str, role: str, password: str = PASSWORD) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ENGAGE), "users", "add", name, "--role", role, "--db", db],
        input=f"{password}\n{password}\n",
        capture_output=True,
        text=True,
        check=False,
    )


def start_server(
    db: str, folder: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str, Path]:
    """``python -m dashboard`` (gunicorn, 2 workers) on a free port; the process, its URL and its log file."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log = folder / f"server-{port}.log"
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    environment.pop("ENGAGE_DATABASE_URL", None)
    handle = log.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "--db", db, "--port", str(port), "--workers", "2", *extra],
        cwd=folder,
        env=environment,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server ended: {log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/anmelden", timeout=2) as response:
                if response.status == 200:
                    return proc, base, log
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise TimeoutError("server did not answer within 90 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def sign_in(base: str, name: str, password: str = PASSWORD, **headers: str) -> requests.Session:
    """A session signed in through the real form (CSRF token from the page)."""
    session = requests.Session()
    session.headers.update(headers)
    page = session.get(base + "/anmelden", timeout=30)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    answer = session.post(
        base + "/anmelden",
        data={"csrf_token": token.group(1), "name": name, "password": password, "next": "/"},
        allow_redirects=False,
        timeout=30,
    )
    session.last_signin = answer  # type: ignore[attr-defined]
    return session


def signed_in_client(app, name: str, password: str = PASSWORD):  # noqa: ANN001, ANN201 - a Dash app, its Flask client
    """A Flask test client of ``app`` signed in through the real form as ``name`` (CSRF token from the page)."""
    client = app.server.test_client()
    page = client.get("/anmelden").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    done = client.post("/anmelden", data={"csrf_token": token, "name": name, "password": password, "next": "/"})
    assert done.status_code == 302
    return client


def _outputs(output: str) -> list[dict[str, str]] | dict[str, str]:
    if output.startswith(".."):
        parts = [p for p in output.strip(".").split("...") if p]
        return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    cid, prop = output.rsplit(".", 1)
    return {"id": cid, "property": prop}


def callback_body(deps: list[dict], output: str, values: dict[str, object]) -> dict:
    """The body the browser posts to ``/_dash-update-component`` for the callback (of ``/_dash-dependencies``'
    ``deps``) whose output contains ``output``, with component values by id or "id.prop"."""
    dep = next(d for d in deps if output in d["output"])

    def value(item: dict) -> object:
        return values.get(f"{item['id']}.{item['property']}", values.get(item["id"]))

    return {
        "output": dep["output"],
        "outputs": _outputs(dep["output"]),
        "inputs": [{**i, "value": value(i)} for i in dep["inputs"]],
        "state": [{**s, "value": value(s)} for s in dep.get("state", [])],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }
