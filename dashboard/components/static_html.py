"""A fixed html tree as one Dash component (issue 13): big tables without thousands of Dash components.

Dash 4's renderer runs the selectors of every mounted component on every store change (each callback answer
is several), so the cost of a page grows with components × updates. The network's "Wo hakt es?" table is about
1 000 html components, the measures table 900, the Methodik sources table 1 000: in Chromium, the overview
and the goals page then spent 5–20 s of main thread in the renderer before the last chart was drawn (CPU profile
of a link to the overview: about 6 s in ``notifyNestedSubs``/``useSelector``, 0,3 s in Plotly).

:func:`static` turns a tree of ``dash.html`` components (and ``dcc.Link``) into the plain data of one
:class:`StaticHtml`; ``assets/static-html.js`` draws it with React: the same elements, attributes and text
(React escapes it). A tree with any other component (a control, a graph) is returned unchanged, as are the
callbacks' smaller answers' shapes: the callers pass what they would have returned. Nothing in such a tree can
be a callback's input or output; the tables and the notes are only read.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

# attributes Dash's html components handle themselves rather than pass to the element
_DASH_ONLY = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state"}
_TAGS = {"ObjectEl": "object", "MapEl": "map"}  # html component names that are not their tag's name


class StaticHtml(Component):
    """One component drawing ``tree`` (see :func:`static`) in the browser (``window.engage_static``)."""

    _children_props: list[str] = []
    _base_nodes = ["children"]
    _namespace = "engage_static"
    _type = "StaticHtml"

    def __init__(self, tree: Any = None, **kwargs: Any) -> None:  # noqa: ANN401 - plain JSON data
        self._prop_names = ["id", "tree"]
        self._valid_wildcard_attributes: list[str] = []
        self.available_properties = ["id", "tree"]
        self.available_wildcard_properties: list[str] = []
        super().__init__(tree=tree, **kwargs)


class _NotStatic(Exception):
    """A component :func:`static` cannot draw without Dash (a control, a graph)."""


def _node(value: Any) -> Any:  # noqa: ANN401 - a component, text, number or a list of them
    if isinstance(value, list | tuple):
        return [_node(v) for v in value]
    if not isinstance(value, Component):
        return value
    props = {k: v for k, v in value.to_plotly_json()["props"].items() if k not in _DASH_ONLY and v is not None}
    if isinstance(value, dcc.Link):
        if props.pop("refresh", False):
            raise _NotStatic(value)
        children = value.children if value.children is not None else props.get("href")
        return {"t": "a", "p": props, "c": _node(children), "link": True}
    if value._namespace != html.Div._namespace:  # noqa: SLF001 - Dash's component namespace
        raise _NotStatic(value)
    if any(isinstance(v, Component) for v in props.values()):
        raise _NotStatic(value)
    tag = _TAGS.get(value._type, value._type.lower())  # noqa: SLF001
    return {"t": tag, "p": props, "c": _node(getattr(value, "children", None))}


def static(tree: Any) -> Any:  # noqa: ANN401 - what a callback returns as children
    """``tree`` as one :class:`StaticHtml` when it holds only html components and links; else ``tree``."""
    if not isinstance(tree, Component | list | tuple):
        return tree
    try:
        return StaticHtml(tree=_node(tree))
    except _NotStatic:
        return tree
