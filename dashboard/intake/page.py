"""The page "Daten einspielen" (``/daten-einspielen``): layout, callbacks, nav link, request checks.

Registered by :func:`install` (Dash Pages, outside ``dashboard/pages`` so no read-only page imports it). The
layout is the same for everyone (the page shell is cached per scope, and a town's readers and coordinators
share a scope): whether the form shows, the CSRF token, the history and every answer come from callbacks
whose outputs start with ``intake-`` — never kept by the callback cache (``dashboard.caching``), and each
checked here for the signed-in role.

CSRF: the session cookie is SameSite=Lax (a cross-site request carries no session), Dash's callbacks take
only ``application/json`` bodies (no plain form can send one cross-site without a CORS preflight this server
never answers), every intake callback must come with an ``Origin`` (else ``Referer``) of this server
(:func:`same_origin`), and every action carries the session's Flask-WTF token, which the page gets from a
callback and the server checks (:func:`dashboard.intake.actions.check_token`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, dcc, html, no_update

from dashboard.auth.roles import may_bring_data
from dashboard.components import ids
from dashboard.i18n import norm_lang, t
from dashboard.intake import actions, render, store
from dashboard.intake.actions import ActionRefused
from dashboard.intake.config import IntakeConfig
from dashboard.intake.guards import UploadRefused
from dashboard.intake.publish import history, undoable
from dashboard.intake.render import NOT_MAPPED
from dashboard.intake.said import text_of
from etl import warehouse

PATH = "/daten-einspielen"
UPDATE = "/_dash-update-component"
MARKER = "intake-"


def layout(lang: str = "de", **_query: str) -> html.Div:
    lang = norm_lang(lang)
    config: IntakeConfig | None = _config_or_none()
    limit = config.max_upload_bytes if config else 0
    # The zone is the label of react-dropzone's (invisible) file input, which is what a keyboard reaches: the
    # input is named by the zone's text (axe: label), and a click on the zone opens the dialog through the
    # label alone (the zone's own click handler is off, else it would open twice).
    upload = html.Label(
        dcc.Upload(
            id="intake-upload",
            multiple=True,
            accept=".csv,.xlsx,.zip,.txt",
            disable_click=True,
            children=html.Div(
                [
                    html.Strong(t("intake.drop", lang)),
                    html.Br(),
                    html.Span(t("intake.drop_hint", lang, mb=limit // 2**20)),
                ]
            ),
            className="intake-drop",
            style={"border": "2px dashed #1f3a5f", "borderRadius": "6px", "padding": "1.5rem", "textAlign": "center"},
        ),
        className="intake-drop-label",
    )
    return html.Div(
        [
            html.H1(t("intake.title", lang), className="h3"),
            html.P(t("intake.lead", lang), className="lead-text"),
            dcc.Store(id="intake-csrf"),
            dcc.Store(id="intake-limit", data=limit),
            dcc.Store(id="intake-files"),
            dcc.Store(id="intake-staging"),
            dcc.Store(id="intake-job"),
            dcc.Store(id="intake-preview-job"),
            dcc.Interval(id="intake-poll", interval=800, disabled=True),
            html.Div(id="intake-access", role="status"),
            html.Div(
                [
                    html.H2(t("intake.step_drop", lang), className="h4", id="intake-drop-title"),
                    html.Div(upload, role="group", **{"aria-labelledby": "intake-drop-title"}),
                    html.Div(id="intake-upload-msg", role="alert", className="mt-2"),
                    html.Div(id="intake-progress", className="mt-3"),
                    html.Div(id="intake-preview", className="mt-3"),
                    html.Div(
                        [
                            html.Button(
                                t("intake.refresh", lang),
                                id="intake-refresh",
                                type="button",
                                className="btn btn-outline-primary me-2",
                                disabled=True,
                            ),
                            html.Button(
                                t("intake.publish", lang),
                                id="intake-publish",
                                type="button",
                                className="btn btn-primary me-2",
                                disabled=True,
                            ),
                            html.Button(
                                t("intake.discard", lang),
                                id="intake-discard",
                                type="button",
                                className="btn btn-outline-secondary",
                                disabled=True,
                            ),
                        ],
                        className="my-3",
                    ),
                    html.Div(id="intake-result", role="status"),
                    html.H2(t("intake.history", lang), className="h4 mt-4"),
                    html.Div(id="intake-history"),
                    html.Div(
                        [
                            dbc.Label(t("intake.undo_town", lang), html_for="intake-undo-town", className="me-2"),
                            dbc.Select(id="intake-undo-town", options=[], className="intake-undo-town me-2"),
                            html.Button(
                                t("intake.undo", lang),
                                id="intake-undo",
                                type="button",
                                className="btn btn-outline-danger me-2",
                                disabled=True,
                            ),
                            html.Button(
                                t("intake.undo_yes", lang),
                                id="intake-undo-yes",
                                type="button",
                                className="btn btn-danger",
                                hidden=True,
                            ),
                        ],
                        className="d-flex flex-wrap align-items-center my-2",
                    ),
                ],
                id="intake-form",
                hidden=True,
            ),
        ],
        className="intake-page",
    )


def _config_or_none() -> IntakeConfig | None:
    if not flask.has_app_context():
        return None
    return flask.current_app.config.get("ENGAGE_INTAKE")


def same_origin(request: flask.Request) -> bool:
    """Whether the request says it comes from a page of this server (Origin, else Referer; Fetch metadata)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site and site not in ("same-origin", "none"):
        return False
    claimed = request.headers.get("Origin") or request.headers.get("Referer")
    if not claimed or claimed == "null":
        return False
    return urlsplit(claimed).netloc == request.host


def _town_names(db: str) -> dict[str, str]:
    try:
        with warehouse.scoped(warehouse.Scope(None)):
            frame = warehouse.towns(db=db)
        return dict(zip(frame["ags"].astype(str), frame["name"].astype(str), strict=True))
    except warehouse.WarehouseError:
        return {}


def _towns_for(config: IntakeConfig, role: str, db: str) -> list[dict]:
    from dashboard.auth.roles import intake_towns
    from etl.manifest import load_manifest

    allowed = intake_towns(role)
    try:
        towns = load_manifest(config.source_dir).towns
    except Exception:  # noqa: BLE001 - a broken manifest: the preview says what is wrong
        names = _town_names(db)
        return [{"label": f"{n} ({a})", "value": a} for a, n in names.items() if allowed is None or a in allowed]
    return [{"label": f"{t.name} ({t.ags})", "value": t.ags} for t in towns if allowed is None or t.ags in allowed]


def install(app: dash.Dash, config: IntakeConfig) -> None:
    server = app.server
    server.config["ENGAGE_INTAKE"] = config
    server.config["MAX_CONTENT_LENGTH"] = config.max_request_bytes
    store.ensure_state(config)
    read_db = server.config["ENGAGE_DB_URL"]
    dash.register_page(
        "dashboard.intake.page",
        path=PATH,
        name=t("intake.title"),
        title=f"{t('intake.title')} – Engagement-Monitor",
        layout=layout,
        order=8,
    )
    _add_nav(app)

    @server.before_request
    def intake_origin() -> flask.Response | None:
        request = flask.request
        if request.path != UPDATE or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        output = body.get("output", "") if isinstance(body, dict) else ""
        if isinstance(output, str) and MARKER in output and not same_origin(request):
            return flask.Response(t("intake.cross_site", "de") + "\n", status=403, mimetype="text/plain")
        return None

    @server.before_request
    def intake_csrf_seed() -> None:
        """Put the CSRF secret into the session with the page itself, before any callback runs.

        Signing in clears the session, and a signed-in session is refreshed by every response: a token first
        made inside a callback would be overwritten by the callbacks that run beside it (their responses carry
        the session as it was when they started), and the next upload would be refused as "abgelaufen".
        """
        request = flask.request
        if request.method != "GET" or request.path.startswith(("/_dash", "/assets", "/_favicon", "/_reload")):
            return
        user = actions.current_user()
        if user is not None and may_bring_data(user.role):
            from flask_wtf.csrf import generate_csrf

            generate_csrf()

    _callbacks(app, config, read_db)


def _add_nav(app: dash.Dash) -> None:
    """The nav link, hidden until the callback knows the user may bring data (absent for readers)."""
    for component in app.layout._traverse():  # noqa: SLF001 - Dash's documented component tree walk
        if isinstance(component, dbc.Nav):
            component.children.append(
                dbc.NavItem(
                    dbc.NavLink(t("intake.nav"), href=PATH, id="intake-nav-link", active="exact"),
                    id="intake-nav",
                    style={"display": "none"},
                )
            )
            return


def _callbacks(app: dash.Dash, config: IntakeConfig, db: str) -> None:
    @app.callback(
        Output("intake-nav", "style"),
        Output("intake-nav-link", "children"),
        Output("intake-nav-link", "href"),
        Input(ids.URL, "pathname"),
        Input(ids.LANG, "data"),
    )
    def intake_nav(_path: str | None, lang: str | None) -> tuple:
        user = actions.current_user()
        lang = norm_lang(lang)
        try:
            actions.may_act(user)
        except ActionRefused:
            return {"display": "none"}, t("intake.nav", lang), PATH
        return {}, t("intake.nav", lang), f"{PATH}?lang={lang}"

    @app.callback(
        Output("intake-csrf", "data"),
        Output("intake-access", "children"),
        Output("intake-form", "hidden"),
        Output("intake-history", "children"),
        Output("intake-undo-town", "options"),
        Output("intake-undo-town", "value"),
        Output("intake-undo", "disabled"),
        Input("intake-limit", "data"),
        Input("intake-job", "data"),
        Input(ids.LANG, "data"),  # an Input: the language of a ?lang= link arrives after the page
    )
    def intake_init(_limit: object, _job: object, lang: str | None) -> tuple:
        from flask_wtf.csrf import generate_csrf

        lang = norm_lang(lang)
        user = actions.current_user()
        try:
            user = actions.may_act(user)
        except ActionRefused as exc:
            return (
                None,
                dbc.Alert(text_of(exc.args[0], lang), color="info"),
                True,
                [],
                [],
                None,
                True,
            )
        towns = _towns_for(config, user.role, db)
        allowed = {o["value"] for o in towns}
        frame = history(db, frozenset(allowed))
        names = {o["value"]: o["label"] for o in towns}
        undo = [o for o in towns if undoable(frame, o["value"]) is not None]
        who = t("intake.who", lang, name=user.name, towns=", ".join(o["label"] for o in towns) or "–")
        return (
            generate_csrf(),
            html.P(who),
            False,
            render.history(frame, names, lang, store.log_messages(config, [int(i) for i in frame["intake_id"]])),
            undo,
            undo[0]["value"] if undo else None,
            not undo,
        )

    app.clientside_callback(
        """
        function(contents, names, limit) {
            if (!contents) { return window.dash_clientside.no_update; }
            const files = [];
            for (let i = 0; i < contents.length; i++) {
                const body = contents[i] || '';
                const size = Math.floor((body.length - body.indexOf(',') - 1) * 3 / 4);
                if (limit && size > limit) { files.push({name: names[i], too_large: true, size: size}); }
                else { files.push({name: names[i], contents: body, size: size}); }
            }
            return files;
        }
        """,
        Output("intake-files", "data"),
        Input("intake-upload", "contents"),
        State("intake-upload", "filename"),
        State("intake-limit", "data"),
    )

    @app.callback(
        Output("intake-staging", "data"),
        Output("intake-job", "data", allow_duplicate=True),
        Output("intake-upload-msg", "children"),
        Output("intake-poll", "disabled", allow_duplicate=True),
        Output("intake-preview", "children", allow_duplicate=True),
        Output("intake-result", "children", allow_duplicate=True),
        Input("intake-files", "data"),
        State("intake-csrf", "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def intake_receive(files: list | None, token: str | None, lang: str | None) -> tuple:
        lang = norm_lang(lang)
        try:
            user = actions.may_act(actions.current_user())
            actions.check_token(token)
            sid, job, refusals = actions.receive(config, user, files if isinstance(files, list) else [])
        except (ActionRefused, UploadRefused) as exc:
            return no_update, no_update, _refused(exc, lang), no_update, no_update, no_update
        alert = (
            dbc.Alert([html.P(text_of(r, lang), className="mb-1") for r in refusals], color="danger")
            if refusals
            else ""
        )
        if sid is None:
            return None, no_update, alert, True, [], ""
        return sid, {"id": job}, alert, False, [], ""

    @app.callback(
        Output("intake-job", "data", allow_duplicate=True),
        Output("intake-poll", "disabled", allow_duplicate=True),
        Output("intake-upload-msg", "children", allow_duplicate=True),
        Input("intake-refresh", "n_clicks"),
        State("intake-staging", "data"),
        State("intake-preview-job", "data"),
        State({"type": "intake-kind", "index": ALL}, "value"),
        State({"type": "intake-town", "index": ALL}, "value"),
        State({"type": "intake-town", "index": ALL}, "id"),
        State({"type": "intake-year", "index": ALL}, "value"),
        State({"type": "intake-year", "index": ALL}, "id"),
        State({"type": "intake-replace", "index": ALL}, "value"),
        State({"type": "intake-col", "index": ALL, "field": ALL}, "value"),
        State({"type": "intake-col", "index": ALL, "field": ALL}, "id"),
        State("intake-csrf", "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def intake_refresh(
        _n: int | None,
        sid: str | None,
        preview_job: dict | None,
        kinds: list,
        towns: list,
        town_ids: list,
        years: list,
        year_ids: list,
        replaces: list,
        columns: list,
        column_ids: list,
        token: str | None,
        lang: str | None,
    ) -> tuple:
        try:
            user = actions.may_act(actions.current_user())
            actions.check_token(token)
            job = actions.own_job(config, user, (preview_job or {}).get("id"))
            names = [f["file"] for f in job.result.get("files", [])]
            overrides = collect(names, kinds, towns, town_ids, years, year_ids, replaces, columns, column_ids)
            new = actions.request_preview(config, user, sid, overrides)
        except ActionRefused as exc:
            return no_update, no_update, _refused(exc, lang)
        return {"id": new}, False, ""

    @app.callback(
        Output("intake-job", "data", allow_duplicate=True),
        Output("intake-poll", "disabled", allow_duplicate=True),
        Output("intake-upload-msg", "children", allow_duplicate=True),
        Output("intake-publish", "disabled", allow_duplicate=True),
        Input("intake-publish", "n_clicks"),
        State("intake-staging", "data"),
        State("intake-preview-job", "data"),
        State("intake-csrf", "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def intake_publish(
        _n: int | None, sid: str | None, preview_job: dict | None, token: str | None, lang: str | None
    ) -> tuple:
        try:
            user = actions.may_act(actions.current_user())
            actions.check_token(token)
            job = actions.request_publish(config, user, sid, (preview_job or {}).get("id"))
        except ActionRefused as exc:
            return no_update, no_update, _refused(exc, lang), no_update
        return {"id": job}, False, "", True

    @app.callback(
        Output("intake-undo-yes", "hidden"),
        Input("intake-undo", "n_clicks"),
        prevent_initial_call=True,
    )
    def intake_undo_ask(_n: int | None) -> bool:
        return False

    @app.callback(
        Output("intake-job", "data", allow_duplicate=True),
        Output("intake-poll", "disabled", allow_duplicate=True),
        Output("intake-upload-msg", "children", allow_duplicate=True),
        Output("intake-undo-yes", "hidden", allow_duplicate=True),
        Input("intake-undo-yes", "n_clicks"),
        State("intake-undo-town", "value"),
        State("intake-csrf", "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def intake_undo(_n: int | None, town: str | None, token: str | None, lang: str | None) -> tuple:
        try:
            user = actions.may_act(actions.current_user())
            actions.check_token(token)
            job = actions.request_undo(config, user, town)
        except ActionRefused as exc:
            return no_update, no_update, _refused(exc, lang), True
        return {"id": job}, False, "", True

    @app.callback(
        Output("intake-staging", "data", allow_duplicate=True),
        Output("intake-preview", "children", allow_duplicate=True),
        Output("intake-upload-msg", "children", allow_duplicate=True),
        Output("intake-discard", "disabled", allow_duplicate=True),
        Output("intake-publish", "disabled", allow_duplicate=True),
        Output("intake-refresh", "disabled", allow_duplicate=True),
        Input("intake-discard", "n_clicks"),
        State("intake-staging", "data"),
        State("intake-csrf", "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def intake_discard(_n: int | None, sid: str | None, token: str | None, lang: str | None) -> tuple:
        try:
            user = actions.may_act(actions.current_user())
            actions.check_token(token)
            actions.discard(config, user, sid)
        except ActionRefused as exc:
            return no_update, no_update, _refused(exc, lang), no_update, no_update, no_update
        return None, [], dbc.Alert(t("intake.discarded", norm_lang(lang)), color="secondary"), True, True, True

    @app.callback(
        Output("intake-progress", "children"),
        Output("intake-poll", "disabled"),
        Output("intake-preview", "children"),
        Output("intake-preview-job", "data"),
        Output("intake-result", "children"),
        Output("intake-publish", "disabled"),
        Output("intake-refresh", "disabled"),
        Output("intake-discard", "disabled"),
        Input("intake-poll", "n_intervals"),
        Input("intake-job", "data"),
        State(ids.LANG, "data"),
        prevent_initial_call=True,
    )
    def intake_poll(_n: int | None, job_ref: dict | None, lang: str | None) -> tuple:
        lang = norm_lang(lang)
        keep = (no_update,) * 6
        try:
            user = actions.may_act(actions.current_user())
            job = actions.own_job(config, user, (job_ref or {}).get("id"))
        except ActionRefused:
            return [], True, *keep
        if job.pending:
            return render.progress(job, store.position(config, job), lang), False, *keep
        if job.status == "failed":
            return render.progress(job, 0, lang), True, no_update, no_update, "", True, job.action != "preview", False
        if job.action == "preview":
            towns = _towns_for(config, user.role, db)
            names = _town_names(db)
            parts = render.preview(job.result, towns, names, lang, job.id)
            publishable = bool(job.result.get("publishable"))
            return [], True, parts, {"id": job.id}, "", not publishable, False, False
        town = job.town
        if job.action == "undo":
            done = t("intake.undone", lang, run=job.result.get("run_id"), id=job.result.get("undone"))
        else:
            done = t("intake.published", lang, run=job.result.get("run_id"))
        link = dcc.Link(t("intake.to_dashboard", lang), href=f"/?town={town}&lang={lang}", id="intake-to-dashboard")
        result = dbc.Alert([html.P(done, id="intake-done"), link], color="success")
        return [], True, [] if job.action == "publish" else no_update, no_update, result, True, True, True


def _refused(exc: Exception, lang: str | None) -> dbc.Alert:
    """A refused action's message in the page's language (it shows in a live region: ``intake-upload-msg``)."""
    return dbc.Alert(text_of(exc.args[0] if exc.args else "", norm_lang(lang)), color="danger")


def collect(
    names: list[str],
    kinds: list,
    towns: list,
    town_ids: list,
    years: list,
    year_ids: list,
    replaces: list,
    columns: list,
    column_ids: list,
) -> dict[str, dict]:
    """The choices of the rendered preview's controls per file name (pattern ids carry the file's index)."""
    out: dict[str, dict] = {}
    for i, name in enumerate(names):
        entry: dict = {"kind": kinds[i] if i < len(kinds) else None}
        if i < len(replaces):
            entry["replace"] = replaces[i]
        out[name] = entry
    for value, ident in zip(towns, town_ids, strict=False):
        if ident["index"] < len(names):
            out[names[ident["index"]]]["town"] = value
    for value, ident in zip(years, year_ids, strict=False):
        if ident["index"] < len(names):
            out[names[ident["index"]]]["year"] = value
    for value, ident in zip(columns, column_ids, strict=False):
        if ident["index"] < len(names):
            mapping = out[names[ident["index"]]].setdefault("columns", {})
            if value and value != NOT_MAPPED:
                mapping[ident["field"]] = value
    return out
