"""What the intake says, in the reader's language: a message key of ``dashboard.i18n`` (``intake.*``) plus its
parameters, rendered when a page shows it (issue 15, point 4).

The worker that runs a preview or a publish does not know who will read its progress and errors, nor in which
language; a refusal is made deep inside a check that knows no page. So every sentence the intake page can show
is made as a :class:`Said`: a ``str`` whose value is its German rendering — exactly the text the intake said
before, so logs, ``str(exc)``, the German tests and every caller that treats it as text stay as they were —
that also carries its key and parameters. Where it crosses the worker boundary it is stored as JSON
(:meth:`Said.as_json`, beside the German text) and the page renders it again in its own language
(:func:`text_of`). A German text stored by an older version (no key) is shown as it is, in both languages.

Parameters are plain values, nested :class:`Said`, and the ETL's own messages (an :class:`etl.messages.Msg`, or
a stored file message / reject reason row as :func:`etl.messages.render` takes it), so an ETL reason inside an
intake sentence is English on an English page too. They hold only what the German text shows (file names,
column headers, the ETL's quotable parameters): the quoting rules of the readers decide what a reason may
quote, and nothing here adds a value.

Template specs beyond :class:`string.Formatter`'s (one formatter per language):

* ``{n:n}`` an integer as :mod:`dashboard.formatting` writes it (German 1.234, English 1,234); ``{n:i}`` plain
  digits, for a German count the intake always wrote so ("mehr als 5000", which the tests know);
  ``{size:mb}`` a size in bytes as MB with one decimal (German 5,0 MB, English 5.0 MB);
* ``{part:m}`` a nested message (a :class:`Said`, an ETL message, or a text), ``{parts:j; }`` a list of them
  joined by the text after ``j``;
* ``{kind:k}`` a source kind's name in the language (:data:`dashboard.intake.plan.KIND_NAMES`).
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from dashboard.formatting import fmt_int, fmt_number
from dashboard.i18n import TEXT
from etl import messages
from etl.messages import Msg

LANGUAGES = ("de", "en")
KINDS_EN = {
    "population": "Population",
    "resident_survey": "Resident survey",
    "partner_survey": "Partner survey",
    "organisations": "Organisations",
    "registrations": "Volunteer registrations",
    "events": "Events",
    "goals": "Goal plan",
}


class Said(str):
    """An intake sentence: its German text (the ``str`` value), its ``intake.*`` key and its parameters."""

    key: str
    params: dict[str, object]

    def __new__(cls, key: str, /, **params: object) -> Said:
        if key not in TEXT or not key.startswith("intake."):
            raise KeyError(f"unknown intake message key {key!r}")
        made = super().__new__(cls, _render(key, params, "de"))
        made.key = key
        made.params = params
        return made

    def text(self, lang: str = "de") -> str:
        return _render(self.key, self.params, lang)

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "params": {k: messages.jsonable(v) for k, v in self.params.items()}}

    def __reduce__(self) -> tuple:  # a Said inside an exception or a result crosses process boundaries
        return (_rebuild, (self.key, self.params))


def _rebuild(key: str, params: dict[str, object]) -> Said:
    return Said(key, **params)


def from_json(data: Mapping[str, object]) -> Said:
    """The :class:`Said` of :meth:`Said.as_json` (nested sentences included; ETL messages stay JSON)."""

    def back(value: object) -> object:
        if isinstance(value, Mapping) and set(value) == {"key", "params"}:
            return from_json(value)
        if isinstance(value, list):
            return [back(v) for v in value]
        return value

    return Said(str(data["key"]), **{k: back(v) for k, v in dict(data["params"]).items()})  # type: ignore[call-overload]


def text_of(message: object, lang: str = "de") -> str:
    """Any message the page may show, in ``lang``: a :class:`Said`, its stored JSON, an ETL message or stored
    ETL row, or a plain (German) text of an older version, which stays as it is."""
    lang = lang if lang in LANGUAGES else "de"
    if isinstance(message, Said):
        return message.text(lang)
    if isinstance(message, Msg):
        return message.text(lang)
    if isinstance(message, Mapping):
        if set(message) == {"key", "params"}:
            return from_json(message).text(lang)
        if set(message) == {"code", "params"}:
            return messages.from_json(message).text(lang)
        if "message" in message or "reason" in message:
            return messages.render(dict(message), lang)
        return ""
    if isinstance(message, (list, tuple)):
        return " ".join(text_of(m, lang) for m in message)
    return "" if message is None else str(message)


def stored(text: str, message: object, lang: str) -> str:
    """A text stored with its message JSON beside it (a job's progress or error, a problem): the JSON rendered
    in ``lang`` when there is one, else the stored (German) text."""
    return text_of(message, lang) if message else text


def kind_name(kind: str | None, lang: str) -> str:
    from dashboard.intake.plan import KIND_NAMES

    if not kind:
        return TEXT["intake.kind_unknown"][LANGUAGES.index(lang)]
    return (KINDS_EN if lang == "en" else KIND_NAMES).get(kind, kind)


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value: object, spec: str) -> str:
        if spec == "n":
            return fmt_int(value, self.lang)  # type: ignore[arg-type]
        if spec == "i":
            return str(int(value))  # type: ignore[call-overload]
        if spec == "mb":  # German as the intake always wrote it (no thousands mark below 1.000 MB anyway)
            megabytes = int(value) / 2**20  # type: ignore[call-overload]
            return (
                f"{megabytes:.1f} MB".replace(".", ",") if self.lang == "de" else f"{fmt_number(megabytes, 1, 'en')} MB"
            )
        if spec == "m":
            return text_of(value, self.lang)
        if spec.startswith("j"):
            return spec[1:].join(text_of(v, self.lang) for v in value)  # type: ignore[attr-defined]
        if spec == "k":
            return kind_name(str(value) if value else None, self.lang)
        return super().format_field(value, spec)


_FORMATTERS = {lang: _Formatter(lang) for lang in LANGUAGES}


def _render(key: str, params: Mapping[str, object], lang: str) -> str:
    template = TEXT[key][LANGUAGES.index(lang)]
    return _FORMATTERS[lang].vformat(template, (), params)
