"""The shell around every page: skip link, navbar with page links, town and year selectors, data date,
methods link and language switch, plus the message area for unknown towns/years or a missing warehouse.

A warehouse built with the public demo key (``etl_runs.demo_key``) says so in a banner above every page,
the Sitzungsmodus included (:func:`demo_notice`).

The URL is the source of truth: :func:`sync_from_url` (server) turns the query string into selector
values and messages; a clientside callback writes selector changes back into the query string with
``history.replaceState`` (no page reload, no re-render of the page) and keeps the page links carrying
the state. The language switch reloads the page with ``lang`` changed, so every static text re-renders.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from dashboard import published
from dashboard.components import ids
from dashboard.formatting import fmt_datetime
from dashboard.i18n import norm_lang, t
from dashboard.state import NETWORK, current_db, default_year, resolve
from etl import warehouse

PAGES = [
    ("overview", "/"),
    ("participation", "/engagement"),
    ("collaboration", "/zusammenarbeit"),
    ("goals", "/ziele"),
    ("comparison", "/vergleich"),
    ("methods", "/methodik"),
    ("meeting", "/sitzung"),
]


def nav_id(page: str) -> str:
    return f"nav-{page}"


def layout(page_container: object) -> html.Div:
    """The app's layout: shell plus Dash Pages' container. Built without touching the warehouse."""
    nav = dbc.Nav(
        [dbc.NavItem(dbc.NavLink(t(f"page.{p}"), href=path, id=nav_id(p), active="exact")) for p, path in PAGES],
        navbar=True,
        className="me-auto",
    )
    controls = html.Div(
        [
            html.Div(
                [
                    dbc.Label(t("shell.town"), html_for=ids.TOWN, id=ids.TOWN_LABEL, className="me-2 mb-0"),
                    dbc.Select(id=ids.TOWN, options=[], className="shell-select"),
                ],
                className="d-flex align-items-center me-3 my-1",
            ),
            html.Div(
                [
                    dbc.Label(t("shell.year"), html_for=ids.YEAR, id=ids.YEAR_LABEL, className="me-2 mb-0"),
                    dbc.Select(id=ids.YEAR, options=[], className="shell-select shell-year"),
                ],
                className="d-flex align-items-center me-3 my-1",
            ),
            html.Div(
                [
                    # the name starts with the visible text (WCAG 2.5.3: "DE", then what it means)
                    html.Button(
                        "DE",
                        id=ids.LANG_DE,
                        lang="de",
                        title="Deutsch",
                        type="button",
                        className="btn btn-sm shell-lang",
                        **{"aria-label": "DE: Deutsch"},
                    ),
                    html.Button(
                        "EN",
                        id=ids.LANG_EN,
                        lang="en",
                        title="English",
                        type="button",
                        className="btn btn-sm shell-lang",
                        **{"aria-label": "EN: English"},
                    ),
                ],
                className="btn-group my-1",
                role="group",
                **{"aria-label": "Sprache / Language"},
            ),
        ],
        className="shell-controls d-flex flex-wrap align-items-center",
    )
    navbar = dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(t("app.title"), href="/", className="fw-bold", id=ids.BRAND),
                # the menu button of narrow screens (below Bootstrap's lg, 992 px): a real <button> that says
                # whether the menu is open (aria-expanded), operable by keyboard like every button
                html.Button(
                    html.Span(className="navbar-toggler-icon"),
                    id=ids.TOGGLER,
                    type="button",
                    className="navbar-toggler",
                    **{"aria-controls": ids.COLLAPSE, "aria-expanded": "false", "aria-label": t("shell.menu")},
                ),
                dbc.Collapse(nav, id=ids.COLLAPSE, navbar=True, is_open=False),
            ],
            fluid=True,
        ),
        color="#1f3a5f",
        dark=True,
        expand="xl",
        className="shell-navbar",
    )
    # the status line under the navbar: data date, methods, report, who is signed in, and the view's town, year and
    # language; the navbar keeps only the app's name and the page links, so it stays one line from 1200 px up
    status = html.Div(
        [
            html.Div(
                [
                    html.Span(id=ids.DATA_DATE, className="me-3"),
                    dcc.Link(t("shell.methods"), href="/methodik", id=ids.METHODS, className="me-3"),
                    html.A(t("shell.report"), href="/bericht.pdf", id=ids.REPORT, target="_blank", rel="noopener"),
                    html.Span(id=ids.USER, className="ms-3 shell-user"),
                ],
                className="shell-facts me-3",
            ),
            controls,
        ],
        className="shell-status container-fluid",
    )
    return html.Div(
        [
            dcc.Location(id=ids.URL),
            dcc.Store(id=ids.LANG, data="de"),
            dcc.Store(id=ids.URL_SYNC),
            html.A(t("shell.skip"), href="#main", className="skip-link", id=ids.SKIP),
            html.Header(navbar, role="banner"),
            html.Div(id=ids.DEMO_BANNER, className="demo-banner", role="status", hidden=True),
            html.Div(id=ids.RUN_BANNER, className="run-banner", role="status", hidden=True),
            status,
            dbc.Container(dbc.Alert(id=ids.ALERT, is_open=False, color="warning", className="mt-3"), fluid=True),
            html.Main(dbc.Container(page_container, fluid=True, className="py-3"), id="main", tabIndex="-1"),
        ]
    )


def shell_texts(lang: str) -> list[str]:
    """Texts of the shell in ``lang``: town label, year label, methods and report links, skip link, the app's
    name, the menu button's name, page links."""
    fixed = ["shell.town", "shell.year", "shell.methods", "shell.report", "shell.skip", "app.title", "shell.menu"]
    return [t(key, lang) for key in fixed] + [t(f"page.{p}", lang) for p, _ in PAGES]


def selector_state(search: str | None, db: str | None) -> dict[str, object]:
    """What the shell shows for a URL query: options, values, language, messages, data date (pure logic
    of :func:`sync_from_url`, testable without a browser)."""
    query = _query(search)
    status = warehouse.check(db)
    if not status.ok:
        lang = resolve(query, [], []).lang
        return {
            "town_options": [],
            "town": None,
            "year_options": [],
            "year": None,
            "lang": lang,
            "messages": [status.text(lang)],
            "data_date": "",
            "color": "danger",
        }
    town_frame = warehouse.towns(db=db)
    years = warehouse.years(db=db)
    names = dict(zip(town_frame["ags"].astype(str), town_frame["name"].astype(str), strict=True))
    state = resolve(query, list(names), years, names, default_year(db))
    lang = state.lang
    town_options = [{"label": t("shell.network", lang), "value": NETWORK}] + [
        {"label": f"{name} ({ags})", "value": ags} for ags, name in names.items()
    ]
    year_options = [{"label": str(y), "value": str(y)} for y in reversed(years)]
    finished = warehouse.data_date(db)
    _banner, run_message = published.banner(query.get("run"), db, lang)
    messages = (state.messages if years else [t("msg.no_data", lang)]) + ([run_message] if run_message else [])
    return {
        "town_options": town_options,
        "town": state.town,
        "year_options": year_options,
        "year": str(state.year) if state.year is not None else None,
        "lang": lang,
        "messages": messages,
        "data_date": f"{t('shell.data_date', lang)}: {fmt_datetime(finished, lang)}" if finished else "",
        "color": "warning",
    }


def _query(search: str | None) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}


def demo_notice(db: str | None, lang: str) -> str:
    """The banner text when the latest run pseudonymised with the public demo key, else '' (also without
    a readable warehouse: the page says that itself)."""
    if not warehouse.check(db).ok:
        return ""
    try:
        return t("shell.demo", lang) if warehouse.latest_run(db=db).demo_key else ""
    except warehouse.WarehouseError:
        return ""


def register_callbacks(app: dash.Dash) -> None:
    """Wire the shell to ``app`` (per app, so several apps in one process each get their own)."""

    @app.callback(
        Output(ids.DEMO_BANNER, "children"),
        Output(ids.DEMO_BANNER, "hidden"),
        Input(ids.URL, "pathname"),
        Input(ids.LANG, "data"),
    )
    def demo_banner(_path: str | None, lang: str | None) -> tuple[str, bool]:
        """The demo banner on every page (the shell stays while pages change; asked again on each)."""
        text = demo_notice(current_db(), norm_lang(lang))
        return text, not text

    @app.callback(
        Output(ids.RUN_BANNER, "children"),
        Output(ids.RUN_BANNER, "hidden"),
        Input(ids.URL, "search"),
        Input(ids.LANG, "data"),
    )
    def run_banner(search: str | None, lang: str | None) -> tuple[str, bool]:
        """"Stand von Lauf N (dd.mm.yyyy)" while the link names a kept run (``?run=N``, issue 17)."""
        text, _message = published.banner(_query(search).get("run"), current_db(), norm_lang(lang))
        return text, not text

    @app.callback(
        Output(ids.TOWN, "options"),
        Output(ids.TOWN, "value"),
        Output(ids.YEAR, "options"),
        Output(ids.YEAR, "value"),
        Output(ids.LANG, "data"),
        Output(ids.ALERT, "children"),
        Output(ids.ALERT, "is_open"),
        Output(ids.ALERT, "color"),
        Output(ids.DATA_DATE, "children"),
        Output(ids.TOWN_LABEL, "children"),
        Output(ids.YEAR_LABEL, "children"),
        Output(ids.METHODS, "children"),
        Output(ids.REPORT, "children"),
        Output(ids.SKIP, "children"),
        Output(ids.BRAND, "children"),
        Output(ids.TOGGLER, "aria-label"),
        *[Output(nav_id(p), "children") for p, _ in PAGES],
        Input(ids.URL, "search"),
        State(ids.TOWN, "value"),
        State(ids.YEAR, "value"),
        State(ids.LANG, "data"),
    )
    def sync_from_url(search: str | None, town: str | None, year: str | None, lang: str | None) -> tuple:
        """URL → selectors (on load and on every page link or back/forward); unchanged values are not re-sent,
        so the page's charts are not asked twice."""
        with warehouse.same_run():
            s = selector_state(search, current_db())
        messages = s["messages"]
        alert = [html.P(m, className="mb-0") for m in messages]  # type: ignore[union-attr]
        return (
            s["town_options"],
            no_update if s["town"] == town and town is not None else s["town"],
            s["year_options"],
            no_update if s["year"] == year and year is not None else s["year"],
            no_update if s["lang"] == lang else s["lang"],
            alert,
            bool(messages),
            s["color"],
            s["data_date"],
            *shell_texts(str(s["lang"])),
        )

    # Selector changes → URL (replaceState: no reload, no page re-render) and page links carrying the state.
    app.clientside_callback(
        f"""
        function(town, year, lang) {{
            const p = new URLSearchParams(window.location.search);
            if (town) {{ p.set('town', town); }}
            if (year) {{ p.set('year', year); }}
            if (lang) {{ p.set('lang', lang); document.documentElement.lang = lang; }}
            window.history.replaceState(null, '', window.location.pathname + '?' + p.toString());
            const q = new URLSearchParams();
            if (town) {{ q.set('town', town); }}
            if (year) {{ q.set('year', year); }}
            if (lang) {{ q.set('lang', lang); }}
            if (p.get('run')) {{ q.set('run', p.get('run')); }}  // a published run's view stays on every page
            const s = '?' + q.toString();
            const paths = {[path for _, path in PAGES]!r};
            // the report exists per town: for the network the link opens the page that asks for a town
            const perTown = town && town !== '{NETWORK}';
            return [town, ...paths.map(x => x + s), '/methodik' + s, '/bericht.pdf' + s, perTown ? '' : null];
        }}
        """,
        Output(ids.URL_SYNC, "data"),
        *[Output(nav_id(p), "href") for p, _ in PAGES],
        Output(ids.METHODS, "href"),
        Output(ids.REPORT, "href"),
        Output(ids.REPORT, "download"),
        Input(ids.TOWN, "value"),
        Input(ids.YEAR, "value"),
        Input(ids.LANG, "data"),
    )

    # The menu button of narrow screens opens and closes the menu and says so (aria-expanded).
    app.clientside_callback(
        """
        function(clicks, open) {
            const next = clicks ? !open : false;
            return [next, next ? 'true' : 'false'];
        }
        """,
        Output(ids.COLLAPSE, "is_open"),
        Output(ids.TOGGLER, "aria-expanded"),
        Input(ids.TOGGLER, "n_clicks"),
        State(ids.COLLAPSE, "is_open"),
        prevent_initial_call=True,
    )

    # Language switch: reload with lang changed, so every text of shell and page is rendered in it.
    app.clientside_callback(
        """
        function(de, en) {
            const trig = window.dash_clientside.callback_context.triggered_id;
            if (!trig) { return window.dash_clientside.no_update; }
            const p = new URLSearchParams(window.location.search);
            p.set('lang', trig.endsWith('-en') ? 'en' : 'de');
            window.location.assign(window.location.pathname + '?' + p.toString());
            return window.dash_clientside.no_update;
        }
        """,
        Output(ids.LANG_DE, "className"),
        Input(ids.LANG_DE, "n_clicks"),
        Input(ids.LANG_EN, "n_clicks"),
        prevent_initial_call=True,
    )
