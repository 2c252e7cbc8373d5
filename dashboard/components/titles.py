"""The browser tab's title and the document language, in the language of the page (issue 15).

Dash Pages calls a page's ``title`` with the path variables only, once for the first HTML (on the GET of
the page) and again in its router callback on every page change. :func:`page_title` gives a page a title
function that reads the language from where each of the two carries it: the GET's ``?lang=``, or the
router callback's ``search`` input. :func:`install` makes the first HTML itself say ``<html lang="en">``
and the English title for ``?lang=en`` (the shell's clientside callback keeps ``lang`` in step later).

A new page gets both languages by registering with ``title=page_title("page.KEY")`` and a ``page.KEY``
entry in :data:`dashboard.i18n.TEXT`.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

import dash
import flask

from dashboard.i18n import norm_lang, t

ROUTER_SEARCH = "_pages_location.search"  # the router callback's input that holds the query string


def request_lang() -> str:
    """The language of the request being answered: the router callback's query string, else ``?lang=``."""
    try:
        search = dash.callback_context.inputs.get(ROUTER_SEARCH)
    except Exception:  # noqa: BLE001 - outside a callback Dash raises its own exception type
        search = None
    if isinstance(search, str):
        return norm_lang(parse_qs(search.lstrip("?")).get("lang", [""])[0])
    try:
        return norm_lang(flask.request.args.get("lang"))
    except RuntimeError:  # no request (validation layout, tests)
        return "de"


def title_text(key: str, lang: str) -> str:
    """ "Ziele & Maßnahmen – Engagement-Monitor" / "Goals & measures – Engagement Monitor"."""
    return f"{t(key, lang)} – {t('app.title', lang)}"


def page_title(key: str) -> Callable[..., str]:
    """A Dash Pages ``title`` function for the page named by the i18n key ``key``."""

    def title(**_path_variables: str) -> str:
        return title_text(key, request_lang())

    return title


def install(app: dash.Dash) -> None:
    """Serve the first HTML of every page with ``lang`` and the title of the page in the asked language."""
    original = app.interpolate_index

    def interpolate_index(**kwargs: str) -> str:
        lang = request_lang()
        path = flask.request.path.rstrip("/") or "/"
        for page in dash.page_registry.values():
            if page.get("path") == path and callable(page.get("title")):
                kwargs["title"] = page["title"]()
                break
        else:
            kwargs["title"] = t("app.title", lang)
        html = original(**kwargs)
        return html.replace("<html>", f'<html lang="{lang}">', 1)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]
