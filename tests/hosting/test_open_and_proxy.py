"""A warehouse without accounts is open on loopback only and never through a proxy; behind a TLS proxy the
cookies are Secure and HSTS is sent; failed sign-ins are rate limited with counters every worker process
shares (issue 12)."""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from hosting_helpers import PASSWORD, sign_in, start_server, stop_server
from ratelimit_probe import hit


@pytest.fixture(scope="module")
def open_server(demo_warehouse: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("offen")
    shutil.copy(demo_warehouse.removeprefix("sqlite:///"), folder / "wh.sqlite")
    proc, base, _log = start_server(f"sqlite:///{folder / 'wh.sqlite'}", folder)
    try:
        yield base
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def proxied(accounts_warehouse: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("proxy")
    proc, base, _log = start_server(accounts_warehouse, folder, "--behind-proxy")
    try:
        yield base
    finally:
        stop_server(proc)


def test_without_accounts_the_dashboard_is_open_to_this_machine(open_server: str) -> None:
    start = requests.get(open_server + "/", allow_redirects=False, timeout=30)
    assert start.status_code == 200
    assert requests.get(open_server + "/_dash-layout", timeout=30).status_code == 200
    page = requests.get(open_server + "/anmelden", timeout=30)
    assert "noch kein Konto" not in page.text  # open on loopback: nothing to sign in to


def test_without_accounts_a_proxied_request_is_not_open(open_server: str) -> None:
    for header in ("X-Forwarded-For", "X-Real-IP", "Forwarded"):
        answer = requests.get(open_server + "/_dash-layout", headers={header: "203.0.113.9"}, timeout=30)
        assert answer.status_code == 401, header
        page = requests.get(open_server + "/", headers={header: "203.0.113.9"}, allow_redirects=False, timeout=30)
        assert page.status_code == 302 and page.headers["Location"].startswith("/anmelden"), header


def test_behind_a_tls_proxy_cookies_are_secure_and_hsts_is_sent(proxied: str) -> None:
    import re

    host = proxied.removeprefix("http://")
    # as the proxy passes a browser's HTTPS request on: its header, the browser's Referer and (Secure) cookie
    tls = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1", "Referer": f"https://{host}/anmelden"}
    page = requests.get(proxied + "/anmelden", headers=tls, timeout=30)
    assert "Secure" in page.headers["Set-Cookie"]
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    answer = requests.post(
        proxied + "/anmelden",
        data={"csrf_token": token, "name": "netz", "password": PASSWORD, "next": "/"},
        headers={**tls, "Cookie": cookie},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:300]
    assert "Secure" in answer.headers["Set-Cookie"] and "HttpOnly" in answer.headers["Set-Cookie"]
    plain = requests.get(proxied + "/anmelden", headers={"X-Forwarded-For": "198.51.100.2"}, timeout=30)
    assert "Strict-Transport-Security" not in plain.headers


def test_failed_sign_ins_are_limited_per_address(proxied: str) -> None:
    client = {"X-Forwarded-For": "198.51.100.77"}
    statuses = [sign_in(proxied, "netz", "falsches-passwort", **client).last_signin.status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    blocked = sign_in(proxied, "netz", PASSWORD, **client).last_signin
    assert blocked.status_code == 429 and "Zu viele fehlgeschlagene Anmeldungen" in blocked.text
    other = sign_in(proxied, "netz", PASSWORD, **{"X-Forwarded-For": "198.51.100.78"}).last_signin
    assert other.status_code == 302  # another address is not affected


def test_the_counters_are_shared_by_processes() -> None:
    folder = tempfile.mkdtemp()
    try:
        queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
        procs = [multiprocessing.get_context("spawn").Process(target=hit, args=(folder, 8, queue)) for _ in range(2)]
        for p in procs:
            p.start()
        results = [queue.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        allowed = sum(sum(r) for r in results)
        assert allowed == 10  # 16 attempts in two processes, one shared limit of 10
    finally:
        shutil.rmtree(Path(folder), ignore_errors=True)
