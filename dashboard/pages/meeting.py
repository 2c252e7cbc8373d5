"""Page module (Dash Pages): the Sitzungsmodus at ``/sitzung``; the logic lives in dashboard.views.meeting.

All five screens are in the layout at once and ``assets/meeting.js`` shows one of them (arrow keys,
PageUp/PageDown, Home/End, the topic buttons): switching screens is instant and needs no server round
trip, which matters on a meeting-room laptop. The screen is kept in the URL (``screen=2``) next to town,
year and language, so a prepared link opens the right screen. One callback per screen fills it when town,
year or language change (issue 13: each builds only its screen, and the server answers them side by side);
they update props (texts, figures) instead of re-creating the sections.
"""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from dashboard.components import ids
from dashboard.components.static_html import static
from dashboard.components.titles import page_title
from dashboard.figures import empty_figure
from dashboard.state import Unavailable, load_view, query_string
from dashboard.views.districts import meeting_screen, meeting_text
from dashboard.views.meeting import (
    CHART_HEIGHT,
    SCREENS,
    WITHOUT_GRAPH,
    screen_of,
    screen_outputs,
    start_screen,
    topic_labels,
)
from etl import warehouse

dash.register_page(__name__, path="/sitzung", name="Sitzungsmodus", title=page_title("page.meeting"), order=6)

ROOT = "meeting-root"
COUNTER = "meeting-counter"
GRAPH_CONFIG = {"displayModeBar": False, "staticPlot": True, "responsive": True}

_UI: dict[str, tuple[str, str]] = {
    "nav": ("Themen der Sitzung", "Meeting topics"),
    "fullscreen": ("Vollbild (F)", "Full screen (F)"),
    "back": ("Zurück zum Dashboard", "Back to the dashboard"),
    "keys": (
        "Tasten: ← → oder Bild auf/ab wechseln die Seite, Pos1/Ende springen zur ersten/letzten.",
        "Keys: ← → or Page Up/Down change the screen, Home/End jump to the first/last.",
    ),
    "counter": ("Seite {i} von {n}: {topic}", "Screen {i} of {n}: {topic}"),
    "loading": ("Die Zahlen werden geladen …", "Loading the figures …"),
}


def ui(key: str, lang: str, **values: object) -> str:
    text = _UI[key][1 if lang == "en" else 0]
    return text.format(**values) if values else text


def element_id(key: str, part: str) -> str:
    return f"meeting-{key}-{part}"


def _section(index: int, key: str, topic: str, lang: str, active: bool) -> html.Section:
    parts: list = [
        html.P(topic, className="meeting-topic"),
        html.H1(ui("loading", lang), id=element_id(key, "heading"), className="meeting-heading", tabIndex="-1"),
    ]
    tiles = html.Div(id=element_id(key, "tiles"), className=f"meeting-tiles meeting-tiles-{key}")
    if key in WITHOUT_GRAPH:
        parts.append(tiles)
    else:
        graph = dcc.Graph(
            id=element_id(key, "graph"),
            figure=empty_figure("", lang, CHART_HEIGHT),
            config=GRAPH_CONFIG,
            responsive=True,  # follows its container (hidden screens have none until shown)
            className="meeting-graph",
        )
        parts.append(html.Div([tiles, graph], className=f"meeting-body meeting-body-{key}"))
    parts += [
        html.Div(id=element_id(key, "notes"), className="meeting-notes"),
        html.Footer(id=element_id(key, "footer"), className="meeting-footer"),
    ]
    return html.Section(
        parts,
        id=f"meeting-screen-{index}",
        className="meeting-screen is-active" if active else "meeting-screen",
        role="region",
        **{"aria-label": topic, "data-index": str(index)},
    )


# The district map screen (issue 16) follows the four screens when the warehouse has district shapes. Its
# section is always in the layout (the callback's outputs must exist), but without shapes it is not a
# screen: no navigation button, not shown, not printed.
DISTRICTS = "districts"


def _with_districts() -> bool:
    try:
        from dashboard.state import current_db
        from etl import warehouse

        return not warehouse.districts(db=current_db()).empty
    except Exception:  # noqa: BLE001 - the layout must render without a warehouse (validation layout)
        return False


def layout(lang: str = "de", screen: str = "1", town: str = "", year: str = "", **_query: str) -> html.Div:
    lang = "en" if lang == "en" else "de"
    districts = _with_districts()
    topics = [*topic_labels(lang), *([meeting_text("topic", lang)] if districts else [])]
    start = start_screen(screen)
    if districts and str(screen).strip() == str(len(SCREENS) + 1):
        start = len(SCREENS)
    nav = html.Nav(
        [
            html.Button(
                f"{i + 1} {topic}",
                type="button",
                className="meeting-go" + (" is-current" if i == start else ""),
                **{"data-meeting-go": str(i), "aria-current": "step" if i == start else "false"},
            )
            for i, topic in enumerate(topics)
        ],
        className="meeting-nav",
        **{"aria-label": ui("nav", lang)},
    )
    bar = html.Div(
        [
            nav,
            html.P(
                ui("counter", lang, i=start + 1, n=len(topics), topic=topics[start]),
                id=COUNTER,
                className="meeting-counter",
                **{"aria-live": "polite"},
            ),
            html.Button(
                ui("fullscreen", lang),
                type="button",
                className="meeting-fullscreen",
                **{"data-meeting-fullscreen": "1"},
            ),
            dcc.Link(
                ui("back", lang), href="/" + query_string(town or None, year or None, lang), className="meeting-back"
            ),
        ],
        className="meeting-bar",
    )
    sections = [_section(i, key, topics[i], lang, i == start) for i, key in enumerate(SCREENS)]
    district_section = _section(len(SCREENS), DISTRICTS, meeting_text("topic", lang), lang, start == len(SCREENS))
    if not districts:
        district_section.className = "meeting-screen-unused"
        district_section.hidden = True
    sections.append(district_section)
    return html.Div(
        [bar, *sections, html.P(ui("keys", lang), className="meeting-keys")],
        id=ROOT,
        className="meeting-root",
        lang=lang,
        **{
            "data-screen": str(start),
            "data-counter": ui("counter", lang, i="{i}", n="{n}", topic="{topic}"),
            "data-topics": "|".join(topics),
        },
    )


def screen_outputs_of(key: str) -> list[Output]:
    """The outputs of one screen: heading, tiles, (figure), notes, footer."""
    outs = [Output(element_id(key, "heading"), "children"), Output(element_id(key, "tiles"), "children")]
    if key not in WITHOUT_GRAPH:
        outs.append(Output(element_id(key, "graph"), "figure"))
    return [*outs, Output(element_id(key, "notes"), "children"), Output(element_id(key, "footer"), "children")]


def unavailable_outputs(key: str, message: str, lang: str = "de") -> list:
    """A screen that says why nothing can be shown."""
    out: list = [message, []]
    if key not in WITHOUT_GRAPH:
        out.append(empty_figure(message, lang, CHART_HEIGHT))
    return [*out, [], ""]


def update_screen(key: str, town: str | None, year: object, lang: str) -> list:
    """Fill one screen for the selected town, year and language (or say why nothing can be shown)."""
    view = load_view(town, year, lang)
    if isinstance(view, Unavailable):
        return unavailable_outputs(key, view.message, view.lang)
    with warehouse.same_run():
        return _drawn(screen_outputs(screen_of(view, key, CHART_HEIGHT), view.lang))


def _drawn(outputs: list) -> list:
    """The screen's tiles or table as one component, not one per cell (issue 13: the network's glance table)."""
    return [outputs[0], static(outputs[1]), *outputs[2:]]


def _register_screen(key: str) -> None:
    # one callback per screen: each builds one screen, and the server answers them side by side; they share the
    # view's kept trend and headlines (dashboard.memo), so the reads and the headlines are done once per view
    @callback(*screen_outputs_of(key), Input(ids.TOWN, "value"), Input(ids.YEAR, "value"), Input(ids.LANG, "data"))
    def _update(town: str | None, year: object, lang: str) -> list:
        return update_screen(key, town, year, lang)


for _key in SCREENS:
    _register_screen(_key)


DISTRICT_PARTS = (("heading", "children"), ("tiles", "children"), ("graph", "figure"), ("notes", "children"))


def _district_outputs() -> list[Output]:
    parts = (*DISTRICT_PARTS, ("footer", "children"))
    return [Output(element_id(DISTRICTS, part), prop) for part, prop in parts]


@callback(*_district_outputs(), Input(ids.TOWN, "value"), Input(ids.YEAR, "value"), Input(ids.LANG, "data"))
def update_district_screen(town: str | None, year: object, lang: str) -> list:
    """Fill the district map screen (engagement rate by district) for the selected town, year and language."""
    view = load_view(town, year, lang)
    if isinstance(view, Unavailable):
        return [view.message, [], empty_figure(view.message, view.lang, CHART_HEIGHT), [], ""]
    return _drawn(screen_outputs(meeting_screen(view, CHART_HEIGHT), view.lang))


__all__ = ["layout", "update_district_screen", "update_screen"]
