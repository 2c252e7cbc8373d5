"""LimeSurvey's "Antworten exportieren → CSV", byte for byte, for the demo and the reader tests.

Follows LimeSurvey 5/6's export code (``CsvWriter``, ``Writer``, ``SurveyObj::getFullAnswer``): UTF-8 with
BOM; the heading line and every record end in CRLF, and the file with one more CRLF; every value in double
quotes (``"`` doubled, any line break inside written as ``\\n``) except NULL, which is written as nothing;
numbers with trailing zeros cut. The columns are LimeSurvey's own (``id, submitdate, lastpage,
startlanguage, seed``, ``token`` for a non-anonymous survey with participants, ``startdate, datestamp`` when
the survey records dates, ``ipaddr``/``refurl`` when switched on) and then the questions in the
questionnaire's order. An empty survey is written as LimeSurvey writes it: the heading and one record of
empty values.

A response is a frame of code-style values: the answer codes, ``""`` for a question shown but left
unanswered (a multiple-choice box shown but not ticked) and ``None`` for NULL (not shown, or on a page never
reached). :class:`ExportStyle` holds the choices of the export dialog. The headings are built from the
questionnaire's texts by the rules of LimeSurvey's writer, independently of how the readers match them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from etl.readers.questionnaire import ExportColumn, Questionnaire

# LimeSurvey's labels of its own columns (its translations of "Response ID" …), per interface language.
META_LABELS = {
    "de": {
        "id": "Antwort ID",
        "submitdate": "Datum Abgeschickt",
        "lastpage": "Letzte Seite",
        "startlanguage": "Start-Sprache",
        "seed": "Zufallsstartwert",
        "token": "Zugangsschlüssel",
        "startdate": "Datum gestartet",
        "datestamp": "Datum letzte Aktivität",
        "ipaddr": "IP-Adresse",
        "refurl": "Referrer-URL",
    },
    "en": {
        "id": "Response ID",
        "submitdate": "Date submitted",
        "lastpage": "Last page",
        "startlanguage": "Start language",
        "seed": "Seed",
        "token": "Access code",
        "startdate": "Date started",
        "datestamp": "Date last action",
        "ipaddr": "IP address",
        "refurl": "Referrer URL",
    },
}
# translate('Yes'), translate('No'), translate('N/A') in the export language
YES_NO = {"de": ("Ja", "Nein", "N/A"), "en": ("Yes", "No", "N/A")}
HEADINGS = ("code", "em", "codetext", "full")  # Fragecode, ExpressionScript-Code, Fragecode & Fragetext, Fragetext
ANSWERS = ("short", "long")  # Antwortcodes, Vollständige Antworten


@dataclass(frozen=True)
class ExportStyle:
    """The choices of LimeSurvey's export dialog that change the file."""

    heading: str = "code"
    answers: str = "short"
    separator: str = ","
    yn: tuple[str, str] | None = None  # "Y in 1 / N in 2 umwandeln": (yValue, nValue)
    language: str = "de"  # export language (texts); LimeSurvey's own labels follow the interface language
    codetext_separator: str = ". "  # "Trennzeichen zwischen Code und Text"

    def __post_init__(self) -> None:
        if self.heading not in HEADINGS or self.answers not in ANSWERS:
            raise ValueError(f"unknown export style {self.heading}/{self.answers}")

    @property
    def label(self) -> str:
        yn = "-yn" if self.yn else ""
        sep = {",": "comma", ";": "semicolon", "\t": "tab"}[self.separator]
        return f"{self.heading}-{self.answers}-{sep}{yn}-{self.language}"


_SCRIPT = re.compile(r"<script.*?</script>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")
_LINE_BREAK = re.compile(r"\r\n|\n|\r|\u2028|\u2029|\x0b|\x0c|\x85")


def flatten_text(text: str) -> str:
    """LimeSurvey's ``flattenText($s, false, true)``: tags stripped, line breaks to spaces, entities decoded."""
    text = _SCRIPT.sub("", text).replace("</td", " </td").replace("</th", " </th")
    text = _LINE_BREAK.sub(" ", _TAGS.sub("", text))
    return html.unescape(text.replace("&nbsp;", " ")).strip()


def export_columns(frame: pd.DataFrame, questionnaire: Questionnaire) -> list[str]:
    """The columns LimeSurvey writes for this survey: its own ones as the settings say, then the questions.

    ``token`` is written when the survey is not anonymous and the responses have one (a participant table).
    """
    meta = [m for m in questionnaire.meta() if m != "token" or m in frame.columns]
    meta_set = set(questionnaire.meta()) | {"token", "ipaddr", "refurl", "startdate", "datestamp"}
    return meta + [c for c in frame.columns if c not in meta_set]


def heading(name: str, questionnaire: Questionnaire, style: ExportStyle) -> str:
    """The heading LimeSurvey's writer gives a column (``Writer::write`` with the chosen heading format)."""
    column = questionnaire.column(name)
    if column is None:  # LimeSurvey's own column (or one the questionnaire does not know: written as named)
        label = META_LABELS["de"].get(name)
        if label is None or style.heading in ("code", "em"):
            return name
        return f"{name}{style.codetext_separator}{label}" if style.heading == "codetext" else label
    if style.heading == "code":
        return column.code
    if style.heading == "em":
        return column.em_code()
    text = _heading_text(column, style.language)
    return f"{column.code}{style.codetext_separator}{text}" if style.heading == "codetext" else text


def _heading_text(column: ExportColumn, language: str) -> str:
    question = flatten_text(column.question.texts.get(language, ""))
    if not column.sub:
        return question
    return f"{question} [{flatten_text(column.sub_texts.get(language, ''))}]"


def answer(value: str | None, column: ExportColumn | None, style: ExportStyle) -> str | None:
    """A stored value as the export writes it (``getShortAnswer``/``getFullAnswer``, then the Y/N option)."""
    if column is None:
        return value
    q = column.question
    if q.type in ("N", "K") and value not in (None, ""):
        value = _trim_number(value, whole=style.answers == "long" and q.attributes.get("num_value_int_only") == "1")
    if style.answers == "long":
        value = _full_answer(value, column, style.language)
    if style.yn and q.type in ("M", "P", "Y"):
        if value == "N" or value == "":  # a NULL stays NULL
            value = style.yn[1]
        elif value == "Y":
            value = style.yn[0]
    return value


def _trim_number(value: str, whole: bool) -> str:
    text = str(value)
    if text.startswith("."):
        text = "0" + text
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return str(round(float(text))) if whole else text


def _full_answer(value: str | None, column: ExportColumn, language: str) -> str | None:
    q = column.question
    yes, no, none = YES_NO[language]
    answers = {code: texts.get(language, "") for code, texts in q.answers}
    if q.type == "Y":
        return yes if value == "Y" else no if value == "N" else none
    if q.type in ("M", "P") and column.sub in {s for s, _ in q.subquestions}:
        return yes if value == "Y" else no if value in ("N", "") else none
    if q.type in ("L", "!"):
        return answers.get(value) if value is not None else None
    if q.type in ("F", "H"):
        return answers.get(value, "") if value is not None else ""
    if q.type in ("N", "K"):
        return value
    return "" if value is None else value  # texts and equations: PHP's null .= null is ""


def _escape(value: str | None) -> str:
    """``CsvWriter::csvEscape``: NULL as nothing, else quoted, quotes doubled, any line break as ``\\n``."""
    if value is None:
        return ""
    return '"' + _LINE_BREAK.sub("\n", str(value)).replace('"', '""') + '"'


def export_bytes(frame: pd.DataFrame, questionnaire: Questionnaire, style: ExportStyle = ExportStyle()) -> bytes:
    """The responses of ``frame`` (code-style values, ``None`` = NULL) as LimeSurvey's CSV export."""
    names = export_columns(frame, questionnaire)
    columns = [questionnaire.column(n) for n in names]
    lines = [style.separator.join(_escape(heading(n, questionnaire, style)) for n in names)]
    cells: list[Sequence[str | None]] = []
    for name, column in zip(names, columns, strict=True):
        values = frame[name].tolist() if name in frame.columns else [None] * len(frame)
        cells.append([answer(v if isinstance(v, str) or v is None else str(v), column, style) for v in values])
    rows = list(zip(*cells, strict=True)) if len(frame) else [[""] * len(names)]  # an empty survey
    lines += [style.separator.join(_escape(v) for v in row) for row in rows]
    return b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n" + "\r\n").encode("utf-8")
