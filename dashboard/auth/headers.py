"""Security headers, malformed callback requests and the German error pages (issue 12).

A small ``after_request`` hook rather than flask-talisman: Talisman's HTTPS redirect and its fixed
Secure-cookie setting do not fit a server that answers plain HTTP on loopback and TLS behind a proxy.

The Content-Security-Policy allows scripts only from this server plus the SHA-256 hashes of Dash's
inline scripts (``app.csp_hashes()``: the renderer start and the clientside callbacks), never
``'unsafe-inline'`` or ``'unsafe-eval'`` for scripts. Styles need ``'unsafe-inline'``: plotly.js writes
its chart styles into ``<style>`` elements at run time. Images allow ``data:`` and ``blob:`` (the
modebar icons and the PNG/SVG downloads Plotly builds in the browser). ``frame-ancestors 'none'`` (and
X-Frame-Options for old browsers) forbids framing. HSTS is sent only on requests that came over TLS.

A callback request (``POST /_dash-update-component``) that is not what Dash's renderer sends — junk
JSON, wrong types, an output no callback has — answers 400 with a German sentence; so does a callback
that fails on the values it was sent. Neither the answer nor the log line carries a traceback or any
of the request's values. Unknown paths answer a German (or English) 404 page.
"""

from __future__ import annotations

import logging
from collections.abc import Container

import dash
import flask

from dashboard.i18n import norm_lang, t

UPDATE = "/_dash-update-component"
log = logging.getLogger("engagement_monitor")


def content_security_policy(script_hashes: list[str]) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _plain(message: str, status: int) -> flask.Response:
    return flask.Response(message + "\n", status=status, mimetype="text/plain")


def _is_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, dict) and all(isinstance(k, str) for k in value))


def _deps_ok(items: object, with_value: bool) -> bool:
    if not isinstance(items, list):
        return False
    for item in items:
        if isinstance(item, list):  # pattern-matching (ALL) inputs arrive as lists
            if not _deps_ok(item, with_value):
                return False
            continue
        if not isinstance(item, dict) or not _is_id(item.get("id")) or not isinstance(item.get("property"), str):
            return False
    return True


def callback_problem(body: object, known_outputs: Container[str]) -> str | None:
    """Why ``body`` is not a callback request of this app (None: it is well-formed)."""
    if not isinstance(body, dict):
        return "kein JSON-Objekt"
    output = body.get("output")
    if not isinstance(output, str) or output not in known_outputs:
        return "unbekannte Ausgabe"
    outputs = body.get("outputs")
    if not (isinstance(outputs, dict) or _deps_ok(outputs, False)):
        return "Ausgaben fehlerhaft"
    if isinstance(outputs, dict) and not (_is_id(outputs.get("id")) and isinstance(outputs.get("property"), str)):
        return "Ausgaben fehlerhaft"
    if not _deps_ok(body.get("inputs"), True) or not _deps_ok(body.get("state", []), True):
        return "Eingaben fehlerhaft"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds fehlerhaft"
    return None


def _page_paths() -> set[str]:
    paths = {"/"}
    for page in dash.page_registry.values():
        for path in [page.get("path"), *(page.get("redirect_from") or [])]:
            if path:
                paths.add(path.rstrip("/") or "/")
    return paths


def not_found_page(lang: str) -> flask.Response:
    html = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t("notfound.title", lang)} – {t("app.title", lang)}</title>
<link rel="stylesheet" href="/assets/00-bootstrap-5.2.3.min.css"><link rel="stylesheet" href="/assets/10-style.css">
</head><body><header class="shell-navbar navbar navbar-dark"><div class="container-fluid">
<a class="navbar-brand fw-bold" href="/?lang={lang}">{t("app.title", lang)}</a></div></header>
<main class="container py-4" id="main"><h1 class="h3">{t("notfound.title", lang)}</h1>
<p>{t("notfound.text", lang)}</p><p><a href="/?lang={lang}">{t("notfound.home", lang)}</a></p></main></body></html>"""
    return flask.Response(html, status=404, mimetype="text/html")


def install(app: dash.Dash) -> None:
    """Headers on every answer, the callback check, the 404 and the error answers of ``app``'s server."""
    server = app.server
    policies: dict[tuple[str, ...], str] = {}

    def csp() -> str:
        """The policy for the app's inline scripts as they are now: Dash adds the pages' title script when
        it sets itself up on the first signed-in request, so the hashes are taken per answer (cheap)."""
        hashes = tuple(dict.fromkeys(app.csp_hashes()))
        if hashes not in policies:
            policies[hashes] = content_security_policy(list(hashes))
        return policies[hashes]

    @server.after_request
    def security_headers(response: flask.Response) -> flask.Response:
        headers = response.headers
        headers["Content-Security-Policy"] = csp()
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        if flask.request.is_secure:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response

    @server.before_request
    def check_callback() -> flask.Response | None:
        request = flask.request
        if request.path != UPDATE:
            rule = request.url_rule.rule if request.url_rule is not None else ""
            if request.method in ("GET", "HEAD") and rule == "/<path:path>":
                path = request.path.rstrip("/") or "/"
                if path not in _page_paths():
                    return not_found_page(norm_lang(request.args.get("lang")))
            return None
        body = request.get_json(silent=True)
        problem = callback_problem(body, app.callback_map)
        if problem:
            log.warning("Abgewiesene Callback-Anfrage: %s", problem)
            return _plain(t("error.bad_callback", "de"), 400)
        return None

    @server.errorhandler(Exception)
    def failed(error: Exception) -> flask.Response:
        """No traceback and no request values in an answer; callbacks failing on their input are 400."""
        from werkzeug.exceptions import HTTPException

        if isinstance(error, HTTPException):
            if error.code == 404:
                return not_found_page(norm_lang(flask.request.args.get("lang")))
            return _plain(t("error.http", "de", code=error.code or 500), error.code or 500)
        if flask.request.path == UPDATE:
            body = flask.request.get_json(silent=True)
            output = body.get("output", "") if isinstance(body, dict) else ""
            log.warning(
                "Callback %s abgebrochen: %s",
                output if output in app.callback_map else "?",
                type(error).__name__,
            )
            return _plain(t("error.bad_callback", "de"), 400)
        log.error(
            "Fehler bei %s %s: %s", flask.request.method, flask.request.path, type(error).__name__, exc_info=error
        )
        return _plain(t("error.internal", "de"), 500)
