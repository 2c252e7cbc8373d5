"""Sign-in in front of the whole Dash app: Flask-Login, one gate, rate limit, CSRF, the user's scope.

One ``before_request`` hook (:func:`gate`) lets through only the sign-in page and the static files
(``/assets/``, Dash's ``/_dash-component-suites/``, the favicon: code and styles, no data). Everything
else — every page, ``/_dash-layout``, ``/_dash-dependencies``, ``/_dash-update-component``,
``/bericht.pdf`` and any route added later — needs a signed-in account; pages redirect to the sign-in,
Dash's background requests get 401 (``assets/auth.js`` then reloads to the sign-in). The same hook sets
the account's :class:`~etl.warehouse.Scope` for the request, so every warehouse read of the request is
filtered to the towns of its role; ``teardown_request`` resets it.

A warehouse without accounts is served open (as the role ``netzwerk``) only while the server listens on
loopback and the request comes straight from this machine (no proxy header): single-user use on one's
own computer and the benchmarks. Accounts added while the server runs take effect within seconds.

Sessions are Flask's signed cookies (``engage_session``: HttpOnly, SameSite=Lax, Secure whenever the
request came over TLS, also behind a proxy that says so), signed with the key of :mod:`.secret`. The
sign-in form carries a CSRF token (Flask-WTF); failed sign-ins are limited per address and per account
name by Flask-Limiter, with counters shared by all worker processes (:mod:`.ratelimit`).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import flask
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from markupsafe import escape
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

import dashboard.auth.ratelimit  # noqa: F401 - registers the engage-dir:// storage with limits
from dashboard.auth import users
from dashboard.auth.roles import NETWORK, PUBLIC, role_scope, role_town
from dashboard.i18n import norm_lang, t
from etl import warehouse

SIGNIN = "/anmelden"
SIGNOUT = "/abmelden"
PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
PUBLIC_PATHS = frozenset({SIGNIN, "/_favicon.ico"})
BACKGROUND_PREFIX = "/_dash-"  # requests of the running page: 401 rather than a redirect
FAILED_PER_ADDRESS = "5 per minute;30 per hour"
FAILED_PER_NAME = "10 per 15 minutes"
SESSION_HOURS = 8
ACCOUNT_TTL = 5.0  # seconds an account lookup is reused by a worker (removal takes effect within this)


@dataclass(frozen=True)
class SignedIn:
    """Who is asking: an account of the warehouse, or the local user of a warehouse without accounts."""

    name: str
    role: str
    session_id: str = ""
    local: bool = False

    # Flask-Login's user protocol
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.session_id


LOCAL = SignedIn("lokal", NETWORK, local=True)


class _Accounts:
    """Account lookups and the account count, reused for :data:`ACCOUNT_TTL` seconds per process."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._by_name: dict[str, tuple[float, users.Account | None]] = {}
        self._count: tuple[float, int] = (0.0, 0)
        self._published: tuple[float, list[tuple[str, str]]] = (0.0, [])

    def get(self, name: str) -> users.Account | None:
        now = time.monotonic()
        with self._lock:
            hit = self._by_name.get(name)
        if hit and now - hit[0] < ACCOUNT_TTL:
            return hit[1]
        account = users.get(self.db, name)
        with self._lock:
            self._by_name[name] = (now, account)
        return account

    def scope(self, user: SignedIn) -> warehouse.Scope:
        """What ``user``'s role may read now (the public view: the publications of the last seconds)."""
        if user.role != PUBLIC:
            return role_scope(user.role)
        now = time.monotonic()
        if now - self._published[0] >= ACCOUNT_TTL:
            self._published = (now, users.publications(self.db))
        return role_scope(user.role, self._published[1])

    def count(self) -> int:
        now = time.monotonic()
        if now - self._count[0] < ACCOUNT_TTL:
            return self._count[1]
        found = users.count(self.db)
        self._count = (now, found)
        return found


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with the Secure flag set on every request that came over TLS."""

    def get_cookie_secure(self, app: flask.Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (flask.has_request_context() and flask.request.is_secure)


class SigninForm(FlaskForm):
    name = StringField(validators=[DataRequired(), Length(max=64)])
    password = PasswordField(validators=[DataRequired(), Length(max=users.MAX_PASSWORD)])
    next = HiddenField()
    lang = HiddenField()


def _is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%")[0]).is_loopback
    except ValueError:
        return False


def _safe_next(target: str | None) -> str:
    """Only a path of this server (no scheme, no host, no ``//``) is followed after signing in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path.startswith(SIGNIN):
        return "/"
    return target


def _page(lang: str, form: SigninForm, message: str = "", status: int = 200) -> flask.Response:
    """The sign-in page: plain HTML (no script), German unless ``lang=en``."""

    def field(key: str) -> str:
        return str(escape(t(key, lang)))

    alert = f'<div class="alert alert-danger" role="alert">{escape(message)}</div>' if message else ""
    other = "en" if lang == "de" else "de"
    switch = f'<a href="{SIGNIN}?{escape(urlencode({"lang": other, "next": form.next.data or "/"}))}" lang="{other}">'
    switch += f"{'English' if other == 'en' else 'Deutsch'}</a>"
    html = f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{field("signin.title")} – {field("app.title")}</title>
<link rel="stylesheet" href="/assets/00-bootstrap-5.2.3.min.css"><link rel="stylesheet" href="/assets/10-style.css">
<link rel="icon" href="/_favicon.ico"></head>
<body>
<header class="shell-navbar navbar navbar-dark"><div class="container-fluid">
<span class="navbar-brand fw-bold">{field("app.title")}</span></div></header>
<main class="container py-4 signin" id="main">
<h1 class="h3">{field("signin.title")}</h1>
<p class="lead-text">{field("signin.lead")}</p>
{alert}
<form method="post" action="{SIGNIN}" class="signin-form">
{form.csrf_token()}
<input type="hidden" name="next" value="{escape(form.next.data or "/")}">
<input type="hidden" name="lang" value="{lang}">
<div class="mb-3"><label class="form-label" for="name">{field("signin.name")}</label>
<input class="form-control" id="name" name="name" autocomplete="username" required maxlength="64"
 value="{escape(form.name.data or "")}" autofocus></div>
<div class="mb-3"><label class="form-label" for="password">{field("signin.password")}</label>
<input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required>
</div>
<button class="btn btn-primary" type="submit">{field("signin.submit")}</button>
</form>
<p class="mt-4">{switch}</p>
</main></body></html>"""
    response = flask.Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def install(server: flask.Flask, db: str, runtime_dir: Path, open_allowed: bool, secret_key: str) -> Limiter:
    """Put sign-in in front of everything ``server`` serves; returns the limiter (for tests and other routes).

    ``open_allowed``: the server listens on loopback only, so a warehouse without accounts may be served
    without sign-in to requests from this machine.
    """
    server.config.update(
        SECRET_KEY=secret_key,
        SESSION_COOKIE_NAME="engage_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,  # per request, see _SessionInterface
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        RATELIMIT_HEADERS_ENABLED=False,
        RATELIMIT_SWALLOW_ERRORS=True,  # a locked counter store must not make the sign-in fail (logged)
    )
    server.session_interface = _SessionInterface()
    accounts = _Accounts(db)
    server.extensions["engage_accounts"] = accounts

    manager = LoginManager()
    manager.init_app(server)

    @manager.user_loader
    def load_user(session_id: str) -> SignedIn | None:
        name = session_id.split("|", 1)[0]
        account = accounts.get(name)
        if account is None or account.session_id != session_id:
            return None  # removed, or the password changed since this session signed in
        return SignedIn(account.name, account.role, account.session_id)

    limiter = Limiter(
        get_remote_address,
        app=server,
        storage_uri=f"engage-dir://{runtime_dir / 'ratelimit'}",
        strategy="fixed-window",
    )

    def who() -> SignedIn | None:
        """The signed-in account; the local user while the warehouse has no account and this may be open."""
        if current_user.is_authenticated:
            return current_user  # type: ignore[return-value]
        if open_allowed and accounts.count() == 0 and _direct_local_request():
            return LOCAL
        return None

    server.extensions["engage_who"] = who

    @server.before_request
    def gate() -> flask.Response | None:
        """The one hook every request passes: static files and the sign-in page, or a signed-in account."""
        path = flask.request.path
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            return None
        user = who()
        if user is None:
            lang = norm_lang(flask.request.args.get("lang"))
            if path.startswith(BACKGROUND_PREFIX):
                return flask.Response(t("signin.required", lang) + "\n", status=401, mimetype="text/plain")
            if path == SIGNOUT:  # already signed out (the session ended): straight to the sign-in page
                return flask.redirect(f"{SIGNIN}?lang={lang}", code=302)
            query = urlencode({"next": flask.request.full_path.rstrip("?"), "lang": lang})
            return flask.redirect(f"{SIGNIN}?{query}", code=302)
        flask.g.engage_scope_token = warehouse.set_scope(accounts.scope(user))
        return None

    @server.teardown_request
    def _reset_scope(_exc: BaseException | None) -> None:
        token = flask.g.pop("engage_scope_token", None)
        if token is not None:
            warehouse.reset_scope(token)

    failed = lambda response: response.status_code != 302  # noqa: E731 - only failed attempts count

    @server.route(SIGNIN, methods=["GET", "POST"])
    @limiter.limit(FAILED_PER_ADDRESS, methods=["POST"], deduct_when=failed)
    @limiter.limit(
        FAILED_PER_NAME,
        methods=["POST"],
        key_func=lambda: "name:" + (flask.request.form.get("name") or "").strip().lower()[:64],
        deduct_when=failed,
    )
    def signin() -> flask.Response:
        form = SigninForm(meta={"csrf": True})
        lang = norm_lang(flask.request.values.get("lang"))
        if flask.request.method == "GET":
            form.next.data = _safe_next(flask.request.args.get("next"))
            note = "" if accounts.count() or open_allowed else t("signin.no_accounts", lang)
            return _page(lang, form, note)
        if not form.validate():
            message = t("signin.csrf", lang) if "csrf_token" in form.errors else t("signin.failed", lang)
            return _page(lang, form, message, 400)
        account = users.verify(db, form.name.data, form.password.data)
        if account is None:
            form.password.data = ""
            return _page(lang, form, t("signin.failed", lang), 401)
        flask.session.clear()
        flask.session.permanent = True
        login_user(SignedIn(account.name, account.role, account.session_id))
        return flask.redirect(_safe_next(form.next.data), code=302)

    @server.route(SIGNOUT, methods=["GET"])
    def signout() -> flask.Response:
        lang = norm_lang(flask.request.args.get("lang"))
        logout_user()
        flask.session.clear()
        return flask.redirect(f"{SIGNIN}?lang={lang}", code=302)

    @server.errorhandler(429)
    def too_many(_error: Exception) -> flask.Response:
        lang = norm_lang(flask.request.values.get("lang"))
        form = SigninForm(meta={"csrf": True})
        form.next.data = _safe_next(flask.request.values.get("next"))
        return _page(lang, form, t("signin.too_many", lang), 429)

    return limiter


def _direct_local_request() -> bool:
    """From this machine and not passed on by a proxy (a proxy on the same host would open it to everyone)."""
    request = flask.request
    proxied = any(h in request.headers for h in ("X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP", "Forwarded"))
    return not proxied and _is_loopback(request.remote_addr)


def signed_in() -> SignedIn | None:
    """Who the current request belongs to (None outside a request or when nobody is signed in)."""
    if not flask.has_request_context():
        return None
    who = flask.current_app.extensions.get("engage_who")
    return who() if who else None


def account_name() -> str:
    """The name of the account asking ("lokal" without accounts); used by the per-account report limit."""
    user = signed_in()
    return user.name if user else ""


def run_gate_first(server: flask.Flask) -> None:
    """Move :func:`gate` in front of every other ``before_request`` hook (Dash registers its own before ours):
    nothing of the app runs for a request that is not signed in."""
    funcs = server.before_request_funcs.setdefault(None, [])
    gate = next(f for f in funcs if f.__name__ == "gate")
    funcs.remove(gate)
    funcs.insert(0, gate)


def user_area(lang: str) -> list:
    """Who is signed in and the sign-out link (the shell's status line)."""
    from dash import html

    user = signed_in()
    if user is None:
        return []
    if user.local:
        return [html.Span(t("shell.local", lang))]
    town = role_town(user.role)
    role = t("role.stadt", lang, town=town) if town else t(f"role.{user.role}", lang)
    return [
        html.Span(t("shell.signed_in", lang, name=user.name, role=role), className="me-2"),
        html.A(t("shell.signout", lang), href=f"{SIGNOUT}?lang={lang}", id="shell-signout"),
    ]


def register_user_area(app) -> None:  # noqa: ANN001 - a dash.Dash
    """Fill the shell's user area for the signed-in account (never cached: see dashboard.caching)."""
    from dash import Input, Output

    from dashboard.components import ids

    @app.callback(Output(ids.USER, "children"), Input(ids.LANG, "data"))
    def _user_area(lang: str | None) -> list:
        return user_area(norm_lang(lang))
