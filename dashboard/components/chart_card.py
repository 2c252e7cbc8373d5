"""A chart card: title, figure, notes, its table alternative and a CSV download of its data.

A page declares its charts as :class:`ChartSpec` (an id prefix, a title and a pure ``build`` function
from a :class:`~dashboard.state.View` and the page's control values to a :class:`ChartResult`);
:func:`chart_card` lays one out and :func:`register_chart` wires its two thin callbacks (update on a
filter change, download on a click). The figure, the table and the CSV all come from one ``ChartResult``,
so they cannot disagree. Callbacks update props (figure, table, note) rather than re-creating the card,
which keeps Dash 4.4's remounting cheap.

A page's layout comes with its charts drawn (:func:`prefilled`, issue 13): the page-content answer carries each
card's figure, table and notes for the selection of the page's URL, and a store ``{key}-shown`` says which
selection (town, year, language, control values) the card shows. The update callback still fires when the card
is mounted, as Dash does, but answers "nothing to do" (no update) while the selectors hold that selection, and
draws again once they change. Without this a page cost one more round of requests after its content arrived
(eight on "Engagement"), each answer another pass of Dash's renderer over the page before Plotly drew it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from dash.development.base_component import Component
from dash.exceptions import MissingCallbackContextException, PreventUpdate

from dashboard import memo
from dashboard.components import ids
from dashboard.components.shell import selector_state
from dashboard.components.static_html import static
from dashboard.figures import Figure, empty_figure
from dashboard.formatting import fmt_int
from dashboard.i18n import norm_lang, t
from dashboard.state import Unavailable, View, current_db, load_view
from dashboard.tables import TableColumn, csv_text, html_table
from dashboard.wording import counted
from etl import warehouse


@dataclass
class ChartResult:
    """What a chart shows: the figure, its data (raw values, suppressed = empty), table columns, notes."""

    figure: Figure
    data: pd.DataFrame
    columns: list[TableColumn]
    notes: list[str] = field(default_factory=list)


Build = Callable[[View, dict[str, object]], ChartResult]


@dataclass(frozen=True)
class ChartSpec:
    """A chart of a page: ``key`` prefixes its component ids; ``controls`` are (id, prop) of page controls
    its data depends on (passed to ``build`` as ``{id: value}``)."""

    key: str
    title: str  # i18n key
    build: Build
    controls: Sequence[tuple[str, str]] = ()
    graph: bool = True
    height: int = 340
    max_rows: int = 500  # rows of the table alternative (the CSV download always has all)
    table_open: bool | None = None  # the table alternative open at first (None: open when there is no chart)
    table_beside: bool = False  # the table open beside the graph (maps: the numbers next to the places)
    # False: the chart shows the same for every town and year (the run log, the catalogue): its callback's
    # answer is built once per run, reader's scope, language and controls (dashboard.memo) for all of them
    per_view: bool = True


def empty_result(message: str, lang: str) -> ChartResult:
    return ChartResult(empty_figure(message, lang), pd.DataFrame(), [], [message])


def _notes(notes: list[str]) -> list:
    return [html.P(n, className="chart-note") for n in notes]


def chart_card(spec: ChartSpec, lang: str, controls: object = None, width: int = 12) -> dbc.Col:
    """The card of one chart; the graph, table and notes are filled by the callbacks."""
    title = t(spec.title, lang)
    body: list = [html.H2(title, className="h5 card-title", id=f"{spec.key}-title")]
    if controls is not None:
        body.append(html.Div(controls, className="chart-controls"))
    body.append(html.Div(id=f"{spec.key}-note", className="chart-notes", **{"aria-live": "polite"}))
    graph = None
    if spec.graph:
        graph = dcc.Graph(
            id=f"{spec.key}-graph",
            figure=empty_figure("…", lang),
            config={
                "displaylogo": False,
                "modeBarButtonsToRemove": ["lasso2d", "select2d"],
            },
            style={"minHeight": f"{min(spec.height, 220)}px"},
        )
    opened = (not spec.graph or spec.table_beside) if spec.table_open is None else spec.table_open
    table = html.Details(
        [html.Summary(t("chart.table", lang, title=title), id=f"{spec.key}-summary"), html.Div(id=f"{spec.key}-table")],
        className="table-alternative",
        open=opened,
    )
    if graph is not None and spec.table_beside:
        body.append(dbc.Row([dbc.Col(graph, lg=7), dbc.Col(table, lg=5)], className="g-3"))
    else:
        body += [graph, table] if graph is not None else [table]
    body.append(
        html.Div(
            [
                html.Button(
                    t("chart.csv", lang),
                    id=f"{spec.key}-csv",
                    type="button",
                    className="btn btn-sm btn-outline-primary",
                    title=named(t("chart.csv", lang), title),
                    **{"aria-label": named(t("chart.csv", lang), title)},
                ),
                dcc.Download(id=f"{spec.key}-download"),
                *(_image_buttons(spec.key, title, lang) if spec.graph else []),
                dcc.Store(id=shown_id(spec.key)),
            ],
            className="chart-actions",
        )
    )
    return dbc.Col(dbc.Card(dbc.CardBody(body), className="chart-card h-100"), lg=width, className="mb-4")


IMAGE_FORMATS = ("png", "svg")


def named(visible: str, what: str) -> str:
    """An accessible name that starts with the control's visible text (WCAG 2.5.3, axe's
    label-content-name-mismatch) and says what it acts on, so a screen reader's list of controls tells the
    page's ten "CSV herunterladen" buttons apart: "CSV herunterladen: Engagementquote nach Alter"."""
    return f"{visible}: {what}"


def table_summary(title: str, shown: int, total: int, lang: str) -> str:
    """The table toggle's text with the table's size: "Tabelle zu Quellen anzeigen (37 Zeilen)"; a table cut
    to its first rows says "500 von 1.234 Zeilen"."""
    rows = counted(total, t("word.row", lang), t("word.rows", lang), lang)
    if shown < total:
        rows = t("chart.rows_of", lang, shown=fmt_int(shown, lang), rows=rows)
    return f"{t('chart.table', lang, title=title)} ({rows})"


def _image_buttons(key: str, title: str, lang: str) -> list:
    """PNG (for slides) and SVG (vector, for print) downloads of the chart as it is shown."""
    buttons: list = [
        html.Button(
            fmt.upper(),
            id=f"{key}-{fmt}",
            type="button",
            className="btn btn-sm btn-outline-secondary ms-2",
            title=named(fmt.upper(), t("chart.image_label", lang, title=title)),
            **{"aria-label": named(fmt.upper(), t("chart.image_label", lang, title=title))},
        )
        for fmt in IMAGE_FORMATS
    ]
    return [*buttons, dcc.Store(id=f"{key}-image")]


def render(spec: ChartSpec, view: View | Unavailable, controls: dict[str, object]) -> ChartResult:
    """The chart for a view; an unavailable warehouse or a failing selection becomes a message."""
    if isinstance(view, Unavailable):
        return empty_result(view.message, view.lang)
    return spec.build(view, controls)


def _filename(key: str, view: View | Unavailable, demo: bool = False) -> str:
    """The CSV's name: chart, town, year; ``demodaten_`` first for a warehouse built with the public demo
    key, so a downloaded file says so without a notice row that would break the CSV for other programs."""
    if isinstance(view, Unavailable):
        return f"{key}.csv"
    en = view.lang == "en"  # an English page's file is named in English: network, demo_data_
    where = view.town or ("network" if en else "netzwerk")
    prefix = ("demo_data_" if en else "demodaten_") if demo else ""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", f"{prefix}{key}_{where}_{view.year}.csv")


def _demo(view: View | Unavailable) -> bool:
    return isinstance(view, View) and warehouse.latest_run(db=view.db).demo_key


SHOWN = "-shown"


def shown_id(key: str) -> str:
    """The store of the selection a card shows (see the module's docstring)."""
    return f"{key}{SHOWN}"


def shown_key(town: object, year: object, lang: object, values: Sequence[object]) -> list:
    """A selection as the browser sends it back (JSON): selectors' town, year, language and the controls."""
    return json.loads(json.dumps([town, year, lang, *values]))


def unchanged(key: list, shown: object) -> bool:
    """Whether the update callback has nothing to draw: the card shows ``key``'s selection, or it was drawn
    with the page and the shell has not yet put the URL's town and year into the selectors (on a first visit
    the selectors are empty until the shell's URL callback answers; it then sets them, which asks again)."""
    if shown is None:
        return False
    return key == shown or (key[0] is None and key[1] is None)


def drawn_props(spec: ChartSpec) -> list[tuple[str, str]]:
    """(id, prop) a card's update callback draws, in the order of its outputs (the store comes after them)."""
    props = [(f"{spec.key}-table", "children"), (f"{spec.key}-note", "children"), (f"{spec.key}-summary", "children")]
    return [(f"{spec.key}-graph", "figure"), *props] if spec.graph else props


# chart key -> (spec, the update callback's work: (view, control values, lang) -> its outputs but the store)
_FILLERS: dict[str, tuple[ChartSpec, Callable[..., tuple]]] = {}


def register_chart(spec: ChartSpec) -> None:
    """Register the chart's update and download callbacks (thin: load the view, call ``build``)."""
    control_inputs = [Input(cid, prop) for cid, prop in spec.controls]
    control_states = [State(cid, prop) for cid, prop in spec.controls]
    outputs = [*(Output(cid, prop) for cid, prop in drawn_props(spec)), Output(shown_id(spec.key), "data")]

    @callback(
        *outputs,
        Input(ids.TOWN, "value"),
        Input(ids.YEAR, "value"),
        Input(ids.LANG, "data"),
        *control_inputs,
        State(shown_id(spec.key), "data"),
    )
    def _update(town: str | None, year: object, lang: str, *rest: object) -> tuple:
        *values, shown = rest
        key = shown_key(town, year, lang, values)
        if unchanged(key, shown):
            raise PreventUpdate
        with warehouse.same_run():
            return (*_shown(load_view(town, year, lang), tuple(values), lang), key)

    def _shown(view: View | Unavailable, values: tuple, lang: object) -> tuple:
        """The callback's outputs for ``view`` (but the store): built, or kept for all views (``per_view``)."""
        if isinstance(view, View) and not spec.per_view:
            args = (spec.key, view.lang, view.min_cell, values)
            return memo.remembered("chart", view.db, args, lambda: _answer(view, values))
        return _answer(view, values, lang)

    def _answer(view: View | Unavailable, values: tuple, lang: object = None) -> tuple:
        controls = {cid: v for (cid, _), v in zip(spec.controls, values, strict=True)}
        result = render(spec, view, controls)
        lang_ = view.lang if isinstance(view, View) else norm_lang(lang)
        title = t(spec.title, lang_)
        if result.data.empty or not result.columns:
            table: object = html.P(result.notes[0] if result.notes else t("msg.no_data", lang_))
            summary = t("chart.table", lang_, title=title)
        else:
            reason = view.reason if isinstance(view, View) else ""
            table = html_table(result.data, result.columns, lang_, caption=title, reason=reason, max_rows=spec.max_rows)
            summary = table_summary(title, min(len(result.data), spec.max_rows), len(result.data), lang_)
        out = (static(table), _notes(result.notes), summary)  # one component, not one per cell (issue 13)
        return (result.figure, *out) if spec.graph else out

    _FILLERS[spec.key] = (spec, _shown)

    if spec.graph:
        # Clientside: the browser already holds the rendered figure; Plotly writes the image file itself. The
        # image carries the chart's title, town and year (a slide or a printed page must say what it shows),
        # and the file name says them too.
        clientside_callback(
            f"""
            function(png, svg) {{
                const trig = window.dash_clientside.callback_context.triggered_id;
                if (!trig) {{ return window.dash_clientside.no_update; }}
                const gd = document.querySelector('#{spec.key}-graph .js-plotly-plot');
                const format = trig.endsWith('-svg') ? 'svg' : 'png';
                if (!gd) {{ return format; }}
                const title = (document.getElementById('{spec.key}-title') || {{}}).textContent || '{spec.key}';
                const sel = document.getElementById('{ids.TOWN}');
                const town = sel && sel.selectedIndex >= 0 ? sel.options[sel.selectedIndex].text : '';
                const year = (document.getElementById('{ids.YEAR}') || {{}}).value || '';
                const where = [town, year].filter(Boolean).join(' ');
                const heading = where ? title + ' – ' + where : title;
                const full = gd._fullLayout || {{}};
                const margin = Object.assign({{}}, gd.layout.margin || {{}});
                margin.t = (margin.t || 0) + 50;
                const layout = Object.assign({{}}, gd.layout, {{
                    title: {{text: heading, x: 0.01, xanchor: 'left', y: 0.98, yanchor: 'top', font: {{size: 16}}}},
                    margin: margin, width: full.width || 900, height: (full.height || 340) + 50,
                }});
                const slug = (title + '_' + where).replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue')
                    .replace(/Ä/g, 'Ae').replace(/Ö/g, 'Oe').replace(/Ü/g, 'Ue').replace(/ß/g, 'ss')
                    .replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
                Plotly.downloadImage({{data: gd.data, layout: layout}}, {{
                    format: format, scale: 2, filename: slug || '{spec.key}',
                    width: layout.width, height: layout.height,
                }});
                return format;
            }}
            """,
            Output(f"{spec.key}-image", "data"),
            *[Input(f"{spec.key}-{fmt}", "n_clicks") for fmt in IMAGE_FORMATS],
            prevent_initial_call=True,
        )

    @callback(
        Output(f"{spec.key}-download", "data"),
        Input(f"{spec.key}-csv", "n_clicks"),
        State(ids.TOWN, "value"),
        State(ids.YEAR, "value"),
        State(ids.LANG, "data"),
        *control_states,
        prevent_initial_call=True,
    )
    def _download(_clicks: int | None, town: str | None, year: object, lang: str, *values: object) -> dict:
        with warehouse.same_run():
            view = load_view(town, year, lang)
            controls = {cid: v for (cid, _), v in zip(spec.controls, values, strict=True)}
            result = render(spec, view, controls)
            name = _filename(spec.key, view, _demo(view))
        note = "note" if isinstance(view, View) and view.lang == "en" else "hinweis"
        data = result.data if not result.data.empty else pd.DataFrame({note: result.notes[:1]})
        return {"content": csv_text(data), "filename": name, "type": "text/csv"}


# Building a page's charts in its page-content answer makes that answer as slow as all of them together: on
# "Engagement" of the 100-town warehouse (eight charts, towns and years not yet in the caches) p50 102 ms and p95
# 120 ms over HTTP against 11 and 16 ms without (bench/dashboard.py), above the 100 ms every callback is to keep.
# So the cards are drawn in page order until this much time is spent (the first always), the rest by their
# callbacks as before, which the browser asks for while it draws the first ones: with 40 ms that page's content
# took p95 60 ms, with 60 ms 95 ms.
PREFILL_BUDGET_S = 0.05


def prefilled(tree: Component, query: dict[str, str]) -> Component:
    """``tree`` (a page's layout) with its chart cards drawn for the URL's ``query`` (see the module's
    docstring), in page order within :data:`PREFILL_BUDGET_S` (the first card always): for the selection the
    shell's URL callback will put into the selectors, each card's control values as the layout sets them.

    Only while answering a callback (Dash Pages' page content): the validation layout Dash Pages builds from
    every page's layout on the first request (any request, the sign-in form's too: no reader, no scope) stays
    as it is, and so does a card whose control has no value in ``tree`` (set by a callback of its own, as the
    goal selector: the card is drawn by its callback as before)."""
    if not _in_callback():
        return tree
    found: dict[str, Component] = {}
    _collect(tree, found)
    cards = [key for key in (cid.removesuffix(SHOWN) for cid in found if cid.endswith(SHOWN)) if key in _FILLERS]
    if not cards:
        return tree
    wanted = {k: v for k, v in query.items() if k in ("town", "year", "lang", "run")}
    started = time.perf_counter()
    with warehouse.same_run():
        state = selector_state("?" + urlencode(wanted), current_db())
        town, year, lang = state["town"], state["year"], state["lang"]
        view = load_view(town, year, lang)  # one for every card (each callback loads its own)
        for n, key in enumerate(cards):
            if n and time.perf_counter() - started > PREFILL_BUDGET_S:
                break
            spec, fill = _FILLERS[key]
            values = [getattr(found[cid], prop, None) if cid in found else None for cid, prop in spec.controls]
            if any(v is None for v in values):  # a control its own callback sets first (the goal): as before
                continue
            answer = fill(view, tuple(values), lang)
            for (cid, prop), value in zip(drawn_props(spec), answer, strict=True):
                setattr(found[cid], prop, value)
            found[shown_id(key)].data = shown_key(town, year, lang, values)
    return tree


def _in_callback() -> bool:
    """Whether a Dash callback is being answered (Dash raises outside one; LookupError in a thread where none
    ran yet, as the validation layout's first request)."""
    try:
        dash.ctx.outputs_list  # noqa: B018 - raises outside a callback
    except (MissingCallbackContextException, LookupError):
        return False
    return True


def _collect(node: object, found: dict[str, Component]) -> None:
    """Every component of ``node``'s tree (through ``children``) with a string id, by id."""
    if isinstance(node, list | tuple):
        for child in node:
            _collect(child, found)
    elif isinstance(node, Component):
        cid = getattr(node, "id", None)
        if isinstance(cid, str):
            found[cid] = node
        _collect(getattr(node, "children", None), found)


def url_param_sync(control_id: str, param: str) -> tuple[object, Callable[[], None]]:
    """A hidden store plus a registration function: the control's value is mirrored into the URL query
    parameter ``param`` (history.replaceState), so a copied link reproduces the page's controls too."""
    store = dcc.Store(id=f"{control_id}-urlsync")

    def register() -> None:
        from dash import clientside_callback

        clientside_callback(
            f"""
            function(value) {{
                const p = new URLSearchParams(window.location.search);
                if (value === null || value === undefined || value === '') {{ p.delete('{param}'); }}
                else {{ p.set('{param}', value); }}
                window.history.replaceState(null, '', window.location.pathname + '?' + p.toString());
                return value;
            }}
            """,
            Output(f"{control_id}-urlsync", "data"),
            Input(control_id, "value"),
        )

    return store, register


def select(control_id: str, label_text: str, options: list[dict], value: object) -> html.Div:
    """A labelled native select (keyboard and screen-reader friendly)."""
    return html.Div(
        [
            dbc.Label(label_text, html_for=control_id, className="me-2 mb-0"),
            dbc.Select(id=control_id, options=options, value=value, className="w-auto d-inline-block"),
        ],
        className="d-flex align-items-center me-3 mb-2",
    )
