"""The view a page shows: which town (or the whole network), which year, which language.

The state lives in the URL query string (``?town=09999001&year=2024&lang=de``) so a link reproduces a
view. :func:`resolve` turns a query (possibly hand-edited, possibly stale) into a valid state plus German
(or English) messages for what it had to correct; :func:`load_view` gives the callbacks everything they
need to read the warehouse, or an :class:`Unavailable` with the message to show instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import flask

from dashboard.i18n import norm_lang, t
from etl import warehouse

NETWORK = "netzwerk"  # the town selector's value (and URL value) for the whole network


@dataclass(frozen=True)
class Resolved:
    """A query string made valid: selector values and the messages about what was corrected."""

    town: str  # an AGS or NETWORK
    year: int | None
    lang: str
    messages: list[str] = field(default_factory=list)


def resolve(
    query: dict[str, str],
    towns: list[str],
    years: list[int],
    names: dict[str, str] | None = None,
    default_year: int | None = None,
) -> Resolved:
    """Validate ``town``, ``year`` and ``lang`` of a URL query against the warehouse's towns and years.

    An unknown town falls back to the whole network, an unknown or malformed year to the latest year;
    each fallback adds a message naming the value from the link. One town only → that town by default.
    ``default_year`` (the latest year with headline figures) is shown when the link names no year.
    """
    lang = norm_lang(query.get("lang"))
    messages: list[str] = []
    raw_town = (query.get("town") or "").strip()
    default_town = towns[0] if len(towns) == 1 else NETWORK
    if not raw_town:
        town = default_town
    elif raw_town == NETWORK or raw_town in towns:
        town = raw_town
    else:
        by_name = {v.casefold(): k for k, v in (names or {}).items()}
        town = by_name.get(raw_town.casefold(), "")
        if not town:
            town = NETWORK
            messages.append(t("msg.unknown_town", lang, town=raw_town))
    raw_year = (query.get("year") or "").strip()
    latest = default_year if default_year in years else (years[-1] if years else None)
    year = latest
    if raw_year:
        try:
            asked = int(raw_year)
        except ValueError:
            asked = None
        if asked in years:
            year = asked
        else:
            span = f"{years[0]}–{years[-1]}" if years else "–"
            messages.append(t("msg.unknown_year", lang, year=raw_year, years=span, shown=latest if latest else "–"))
    return Resolved(town, year, lang, messages)


def query_string(town: str | None, year: int | str | None, lang: str, **extra: object) -> str:
    """``?town=…&year=…&lang=…`` (empty values left out) for links that reproduce a view."""
    params = {"town": town, "year": year, "lang": lang, **extra}
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def current_db() -> str | None:
    """The warehouse URL the running app was created with (None: the default rule of etl.db)."""
    try:
        return flask.current_app.config.get("ENGAGE_DB_URL")
    except RuntimeError:  # outside a request (pure tests)
        return None


@dataclass(frozen=True)
class View:
    """Everything a chart builder needs: the selection, the run's privacy threshold and the database."""

    town: str | None  # AGS, None = whole network
    town_name: str
    year: int
    lang: str
    min_cell: int
    years: tuple[int, ...]
    db: str | None = None

    @property
    def is_network(self) -> bool:
        return self.town is None

    @property
    def reason(self) -> str:
        """Why a value is shown as "–" (brief §6), with the run's threshold."""
        return t("msg.suppressed", self.lang, min_cell=self.min_cell)


@dataclass(frozen=True)
class Unavailable:
    """Nothing can be shown; ``message`` says why (missing or empty warehouse, no selection yet), in ``lang``."""

    message: str
    lang: str = "de"


def load_view(town: str | None, year: object, lang: object, db: str | None = None) -> View | Unavailable:
    """The :class:`View` for selector values, or :class:`Unavailable` with a message in ``lang``."""
    lang = norm_lang(lang)
    db = db if db is not None else current_db()
    status = warehouse.check(db)
    if not status.ok:
        return Unavailable(status.text(lang), lang)
    try:
        years = warehouse.years(db=db)
        town_frame = warehouse.towns(db=db)
        min_cell = warehouse.latest_run(db=db).min_cell
    except warehouse.WarehouseError as exc:
        return Unavailable(exc.text(lang), lang)
    if not years:
        return Unavailable(t("msg.no_data", lang), lang)
    names = dict(zip(town_frame["ags"].astype(str), town_frame["name"].astype(str), strict=True))
    try:
        year_i = int(year) if year not in (None, "") else (default_year(db) or years[-1])  # type: ignore[call-overload]
    except (TypeError, ValueError):
        year_i = default_year(db) or years[-1]
    if not town or town == NETWORK:
        return View(None, t("shell.network", lang), year_i, lang, min_cell, tuple(years), db)
    if town not in names:
        return Unavailable(t("msg.unknown_town", lang, town=town), lang)
    return View(town, names[town], year_i, lang, min_cell, tuple(years), db)


HEADLINE_INDICATORS = ("engagement_rate", "registered_volunteers", "network_density")


def default_year(db: str | None) -> int | None:
    """The latest year with a headline figure (survey, registrations or network): later years may hold only
    goal figures of the as-of date, which would open the dashboard on a nearly empty year."""
    frame = warehouse.indicators(indicator=HEADLINE_INDICATORS, db=db)
    return int(frame["year"].max()) if len(frame) else None
