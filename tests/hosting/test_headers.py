"""Security headers, compressed and cacheable static files, malformed callbacks, the German 404 — on the real
server; and every page in headless Chromium under the CSP without a single console error (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from dash_settle import settle
from hosting_helpers import PASSWORD, Hosted, sign_in

from dashboard.components.preload import REGENERATOR

PAGES = ["/", "/engagement", "/zusammenarbeit", "/ziele", "/vergleich", "/methodik", "/sitzung"]
UPDATE = "/_dash-update-component"


def test_security_headers_on_pages_data_and_errors(hosted: Hosted) -> None:
    session = sign_in(hosted.base, "netz")
    for path in ["/", "/_dash-layout", "/anmelden", "/nicht-da"]:
        answer = session.get(hosted.base + path, timeout=30)
        h = answer.headers
        csp = h["Content-Security-Policy"]
        script = next(d for d in csp.split("; ") if d.startswith("script-src "))
        assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
        assert len(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", script)) >= 10  # Dash's inline scripts, by hash
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY"
        assert h["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in h  # plain HTTP: no HSTS
    assert session.get(hosted.base + "/_dash-layout", timeout=30).headers["Cache-Control"] == "no-store"


def test_static_files_are_compressed_and_cacheable(hosted: Hosted) -> None:
    session = sign_in(hosted.base, "netz")
    index = session.get(hosted.base + "/", timeout=30).text
    bundles = re.findall(r'src="(/_dash-component-suites/[^"]+\.v[^"]+\.js)"', index)
    assets = re.findall(r'href="(/assets/[^"]+\?m=[^"]+)"', index)
    assert bundles and assets
    for url in [bundles[0], assets[0]]:
        answer = requests.get(hosted.base + url, headers={"Accept-Encoding": "br, gzip"}, timeout=30, stream=True)
        assert answer.headers["Content-Encoding"] == "br", url
        assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
    plotly = "/_dash-component-suites/plotly/package_data/plotly.min.js"
    first = requests.get(hosted.base + plotly, headers={"Accept-Encoding": "gzip"}, timeout=60, stream=True)
    raw = first.raw.read()
    assert first.headers["Content-Encoding"] == "gzip" and len(raw) < 1_000_000  # the cartesian bundle: 1.5 MB
    assert first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"]
    again = requests.get(
        hosted.base + plotly, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}, timeout=60
    )
    assert again.status_code == 304
    polyfill = next(url for url in re.findall(r'src="([^"]+)"', index) if "/dash/deps/polyfill@" in url)
    runtime = requests.get(hosted.base + polyfill, headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert runtime.content == REGENERATOR.read_bytes()  # regenerator-runtime in the polyfill's place (issue 13)
    assert runtime.headers["Cache-Control"] == "public, max-age=31536000, immutable"  # a fingerprinted URL


def _posted(session: requests.Session, base: str, data: bytes | str, content_type: str = "application/json"):
    return session.post(base + UPDATE, data=data, headers={"Content-Type": content_type}, timeout=30)


MALFORMED = [
    b"{kein json",
    b"[]",
    b'"text"',
    b'{"output": 5}',
    b'{"output": "gibt.es.nicht", "outputs": {"id": "x", "property": "y"}, "inputs": []}',
    b'{"output": "shell-user.children", "outputs": "x", "inputs": []}',
    b'{"output": "shell-user.children", "outputs": {"id": "shell-user", "property": "children"}, "inputs": "nein"}',
    b'{"output": "shell-user.children", "outputs": {"id": "shell-user", "property": "children"}, "inputs": [5]}',
    b'{"output": "shell-user.children", "outputs": {"id": "shell-user", "property": "children"}, "inputs": [],'
    b' "changedPropIds": [{"a": 1}]}',
]


def test_malformed_callbacks_answer_400_without_traceback_or_payload_in_the_log(hosted: Hosted) -> None:
    session = sign_in(hosted.base, "netz")
    marker = "NUTZLAST-7f3a"
    for body in MALFORMED:
        answer = _posted(session, hosted.base, body.replace(b"nein", marker.encode()))
        assert answer.status_code == 400, body
        assert "Anfrage an das Dashboard war fehlerhaft" in answer.text and "Traceback" not in answer.text
    # a well-formed request whose values make the callback fail (a dict where the year goes)
    deps = session.get(hosted.base + "/_dash-dependencies", timeout=30).json()
    cards = next(d for d in deps if d["output"].startswith("..ov-engagement_rate-value"))
    body = {
        "output": cards["output"],
        "outputs": [
            dict(zip(("id", "property"), p.rsplit(".", 1), strict=True))
            for p in cards["output"].strip(".").split("...")
        ],
        "inputs": [{**i, "value": {marker: [marker]}} for i in cards["inputs"]],
        "changedPropIds": [],
    }
    answer = session.post(hosted.base + UPDATE, json=body, timeout=30)
    assert answer.status_code == 400 and "Traceback" not in answer.text and marker not in answer.text
    log = hosted.log_text()
    assert "Traceback" not in log and marker not in log
    assert "Abgewiesene Callback-Anfrage" in log


def test_unknown_paths_get_a_german_or_english_404_page(hosted: Hosted) -> None:
    session = sign_in(hosted.base, "netz")
    german = session.get(hosted.base + "/gibt-es-nicht", timeout=30)
    assert german.status_code == 404 and "Seite nicht gefunden" in german.text and 'lang="de"' in german.text
    assert "404 - Page not found" not in german.text
    english = session.get(hosted.base + "/gibt-es-nicht?lang=en", timeout=30)
    assert english.status_code == 404 and "Page not found" in english.text and 'lang="en"' in english.text
    for path in PAGES:
        assert session.get(hosted.base + path, timeout=30).status_code == 200, path


@pytest.mark.browser
def test_every_page_renders_under_the_csp_without_console_errors(hosted: Hosted, browser, artifacts: Path) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(hosted.base + "/ziele")
        assert page.url.startswith(hosted.base + "/anmelden")
        assert page.locator("h1").inner_text() == "Anmelden"
        page.fill("#name", "stadt-a")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(hosted.base + "/ziele*")
        page.wait_for_selector("#shell-user:has-text('stadt-a')")
        options = [o for o in page.locator("#shell-town option").all_inner_texts() if o.strip()]
        assert len(options) == 2 and any(hosted.own in o for o in options)
        for path in PAGES:
            page.goto(hosted.base + path + f"?town={hosted.own}")
            settle(page)
            assert page.locator("main").inner_text().strip(), path
            assert hosted.other_name not in page.content(), path
            page.screenshot(path=str(artifacts / f"hosting{path.replace('/', '_') or '_start'}.png"))
        assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
        assert not problems, problems
        page.goto(hosted.base + "/")  # the meeting mode hides the shell
        page.click("#shell-signout")
        page.wait_for_url(hosted.base + "/anmelden*")
    finally:
        context.close()
