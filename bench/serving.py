"""What the dashboard benchmarks share: the production server, a benchmark account and its signed-in session.

The server is started as ``engage serve`` starts it (``python -m dashboard``: gunicorn, cores + 1 worker
processes, debug off), on loopback only. With :func:`bench_account` the warehouse gets a temporary account of
the role ``netzwerk`` (created with ``engage users add``, password on standard input, removed afterwards), so
every request passes the sign-in gate, the scope filter and the session check as a real user's does; the
:class:`Session` signs in through the German sign-in form (CSRF token and all) and keeps the cookie.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only: never point a benchmark at another machine
ENGAGE = Path(sys.executable).parent / "engage"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def production_server(db: str, workers: int | None = None) -> Iterator[str]:
    """The dashboard served by gunicorn as ``engage serve`` serves it; yields its base URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "dashboard", "--db", db, "--host", HOST, "--port", str(port)]
    if workers:
        cmd += ["--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ENGAGE_DATABASE_URL", None)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://{HOST}:{port}"
    try:
        for _ in range(600):
            if proc.poll() is not None:
                raise SystemExit(f"Der Server ist beendet (Exit-Code {proc.returncode}).")
            try:
                with socket.create_connection((HOST, port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("Der Server antwortet nicht.")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def bench_account(db: str, role: str = "netzwerk") -> Iterator[tuple[str, str]]:
    """A temporary account ``(name, password)`` in the warehouse, removed when the block ends."""
    name = f"bench-{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(18)
    subprocess.run(
        [str(ENGAGE), "users", "add", name, "--role", role, "--db", db],
        input=f"{password}\n{password}\n",
        text=True,
        check=True,
        capture_output=True,
    )
    try:
        yield name, password
    finally:
        subprocess.run([str(ENGAGE), "users", "remove", name, "--db", db], capture_output=True, check=False)


class Session:
    """One browser-like HTTP session: a cookie jar, signed in when an account is given."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def sign_in(self, name: str, password: str) -> None:
        with self.opener.open(self.base + "/anmelden", timeout=30) as response:
            page = response.read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', page
        )
        if token is None:
            raise SystemExit("Die Anmeldeseite enthält kein CSRF-Feld.")
        form = {"csrf_token": token.group(1), "name": name, "password": password, "next": "/", "lang": "de"}
        data = urllib.parse.urlencode(form).encode()
        with self.opener.open(self.base + "/anmelden", data=data, timeout=30) as response:
            response.read()
            if urllib.parse.urlsplit(response.geturl()).path.startswith("/anmelden"):
                raise SystemExit("Anmeldung des Benchmark-Kontos fehlgeschlagen.")

    def get(self, path: str) -> bytes:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read()

    def post_json(self, path: str, body: bytes) -> tuple[float, bytes, str]:
        """POST a JSON body; (milliseconds until the whole answer was read, the answer, X-Engage-Cache)."""
        request = urllib.request.Request(self.base + path, data=body, headers={"Content-Type": "application/json"})
        started = time.perf_counter()
        with self.opener.open(request, timeout=120) as response:
            answer = response.read()
            if response.status not in (200, 204):
                raise RuntimeError(f"HTTP {response.status} für {path}")
            cache = response.headers.get("X-Engage-Cache", "")
        return (time.perf_counter() - started) * 1000, answer, cache
