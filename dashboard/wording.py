"""German (and English) wording of counts and goal values: singular and plural, the goal plan's own units.

A coordinator reads "1 Jahr", "28 Tage", "27 Organisationen", "500 Karten" – never "1 Jahre", "28,00" or
"27 Organisation". Goal values take their format from the linked indicator's catalogue unit (a share reads
"41,2 %") and otherwise from the goal plan's ``unit`` column, in the singular where the shown number is
exactly 1. Formatting of the numbers themselves stays in :mod:`dashboard.formatting`.
"""

from __future__ import annotations

import math

from dashboard.formatting import NBSP, SUPPRESSED, fmt_change, fmt_number, fmt_value

# Plural → singular of the units goal plans use (the workbook names them in the plural, as a column header
# would). Units not listed read the same in both (e.g. "je 1.000", "Teilnehmende", "Prozent").
SINGULAR = {
    "Jahre": "Jahr",
    "Monate": "Monat",
    "Wochen": "Woche",
    "Tage": "Tag",
    "Stunden": "Stunde",
    "Personen": "Person",
    "Organisationen": "Organisation",
    "Karten": "Karte",
    "Angebote": "Angebot",
    "Veranstaltungen": "Veranstaltung",
    "Maßnahmen": "Maßnahme",
    "Vereine": "Verein",
    "Projekte": "Projekt",
    "Stellen": "Stelle",
    "Kontakte": "Kontakt",
    "years": "year",
    "days": "day",
    "months": "month",
    "persons": "person",
    "people": "person",
    "organisations": "organisation",
    "cards": "card",
    "events": "event",
    "measures": "measure",
}
# The same usual units in English, for English pages (a unit not listed is shown as the plan writes it).
ENGLISH = {
    "Jahre": "years",
    "Monate": "months",
    "Wochen": "weeks",
    "Tage": "days",
    "Stunden": "hours",
    "Personen": "people",
    "Organisationen": "organisations",
    "Karten": "cards",
    "Angebote": "offers",
    "Veranstaltungen": "events",
    "Maßnahmen": "measures",
    "Vereine": "associations",
    "Projekte": "projects",
    "Stellen": "positions",
    "Kontakte": "contacts",
    "Teilnehmende": "participants",
}
SINGULAR |= {"weeks": "week", "hours": "hour", "offers": "offer", "associations": "association"}
SINGULAR |= {"projects": "project", "positions": "position", "contacts": "contact", "participants": "participant"}
# Units that say "this is a share": the value is shown as percent, with no unit word.
SHARE_WORDS = {"anteil", "quote", "share", "rate"}
PERCENT_WORDS = {"%", "prozent", "percent"}


def counted(n: int | float | None, singular: str, plural: str, lang: str = "de") -> str:
    """ "1 Organisation", "27 Organisationen", "1.234 Organisationen" (missing: "–")."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return SUPPRESSED
    text = fmt_number(n, 0, lang)
    return f"{text} {singular if text == '1' else plural}"


def unit_word(unit: str | None, shown: str, lang: str = "de") -> str:
    """The goal plan's unit for a shown number: singular where the number reads exactly "1" (or "−1"); on an
    English page the usual German units in English ("28 days", "1 year")."""
    word = (unit or "").strip()
    if lang == "en":
        word = ENGLISH.get(word, word)
    if shown.lstrip("+−-±") in ("1", "1,0", "1.0"):
        return SINGULAR.get(word, word)
    return word


def _decimals(value: float) -> int:
    return 0 if float(value) == round(float(value)) else 1


def _kind(indicator_unit: str | None, goal_unit: str | None) -> str:
    """How a goal's numbers read: ``share`` (percent of a fraction), ``percent`` (already in percent),
    ``indicator`` (the linked indicator's catalogue unit) or ``plain`` (number plus the plan's unit)."""
    word = (goal_unit or "").strip().casefold()
    if indicator_unit == "share" or (not indicator_unit and word in SHARE_WORDS):
        return "share"
    if word in PERCENT_WORDS:
        return "percent"
    if indicator_unit and indicator_unit != "index":
        return "indicator"
    return "plain"


def goal_value(value: float | None, indicator_unit: str | None, goal_unit: str | None, lang: str = "de") -> str:
    """A goal's baseline, current value or target with its unit: "41,2 %", "24,0 je 1.000", "1 Jahr"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return SUPPRESSED
    kind = _kind(indicator_unit, goal_unit)
    if kind == "share":
        return fmt_value(value, "share", lang)
    if kind == "percent":
        text = fmt_number(value, _decimals(value), lang)
        return f"{text}{NBSP}%" if lang == "de" else f"{text}%"
    if kind == "indicator":
        text = fmt_value(value, str(indicator_unit), lang)
        if indicator_unit == "hours":
            return text  # fmt_value names the hours itself
    else:
        text = fmt_number(value, _decimals(value), lang)
    word = unit_word(goal_unit, text, lang)
    if not word or word.casefold() in SHARE_WORDS:
        return text
    return f"{text}{NBSP}{word}"


def goal_change(delta: float | None, indicator_unit: str | None, goal_unit: str | None, lang: str = "de") -> str:
    """A change of a goal's value: "+3,8 Pp." for shares, "−2,6 Tage", "+1 Jahr" otherwise."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return SUPPRESSED
    kind = _kind(indicator_unit, goal_unit)
    if kind == "share":
        return fmt_change(delta, "share", lang)
    if kind == "percent":
        text = fmt_number(delta, _decimals(delta), lang, sign=True)
        return f"{text}{NBSP}Pp." if lang == "de" else f"{text}{NBSP}pp"
    decimals = 1 if kind == "indicator" and indicator_unit in ("per_1000", "hours") else _decimals(delta)
    text = fmt_number(delta, decimals, lang, sign=True)
    word = unit_word(goal_unit, text, lang)
    if not word or word.casefold() in SHARE_WORDS:
        return text
    return f"{text}{NBSP}{word}"
