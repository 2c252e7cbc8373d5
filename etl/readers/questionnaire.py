"""A LimeSurvey survey structure file (``.lss``), read with the standard library, as the survey readers need it.

LimeSurvey's "Antworten exportieren" writes each column heading as the question code (``ENG3[SQ001]``), as
ExpressionScript code (``ENG3_SQ001``), as code and text (``AGE. Wie alt …``) or as the full question text
(its default), and each answer as its code or as its text (its default). Only the survey's own structure
knows which text belongs to which code, so the readers map texts back through this file — the one shipped
in ``data/questionnaires`` or the town's own, named in the manifest (``questionnaire = "umfrage.lss"``) —
never through a hand-kept copy of the texts.

:class:`Questionnaire` lists the export's columns in LimeSurvey's order (groups, questions, subquestions),
each with its question type and texts in every language of the file, and the survey settings that decide
which of LimeSurvey's own columns (``token``, ``startdate``, ``ipaddr`` …) an export has. Texts stay as
stored (LimeSurvey's editor keeps HTML); :func:`plain` flattens them the way LimeSurvey's export does.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.messages import MessageError, Msg

QUESTIONNAIRE_DIR = Path(__file__).resolve().parents[2] / "data" / "questionnaires"
SHIPPED = {
    "resident_survey": QUESTIONNAIRE_DIR / "engagement_resident.lss",
    "partner_survey": QUESTIONNAIRE_DIR / "engagement_partner.lss",
}

# LimeSurvey's own columns before the questions, in export order (brief §3.2): the first five always,
# the others as the survey's settings say (see Questionnaire.meta).
FIXED_META = ("id", "submitdate", "lastpage", "startlanguage", "seed")

# Question types whose subquestions are the export's columns (one column per subquestion of scale 0).
ARRAY_TYPES = frozenset("ABCEFHKMQ")
# The texts LimeSurvey gives its extra columns ("Sonstiges", "Kommentar"), per export language.
OTHER = {"de": "Sonstiges", "en": "Other"}
COMMENT = {"de": "Kommentar", "en": "Comment"}

_SCRIPT = re.compile(r"<script.*?</script>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_NEWLINE = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85")


class QuestionnaireError(MessageError):
    """The .lss file cannot be used: a sentence naming the file."""


@dataclass(frozen=True, eq=False)
class Question:
    """One question (``parent_qid`` 0) with its answers and subquestions; texts by language, as stored."""

    qid: str
    title: str
    type: str
    other: bool
    texts: dict[str, str]
    answers: tuple[tuple[str, dict[str, str]], ...]  # (code, texts) of answer scale 0, in sort order
    subquestions: tuple[tuple[str, dict[str, str]], ...]  # (code, texts) of scale 0, in order
    attributes: dict[str, str]


@dataclass(frozen=True, eq=False)
class ExportColumn:
    """One column LimeSurvey writes for a question: its code heading and the subquestion part of its text."""

    code: str  # "AGE", "ENG3[SQ001]", "ORG[other]"
    question: Question
    sub: str  # subquestion code, "other", "comment" … ("" for a question without subquestions)
    sub_texts: dict[str, str]  # language -> text of the bracketed part of the full heading ("" for none)

    def em_code(self) -> str:
        """The heading in the style "ExpressionScript-Code": ``ENG3_SQ001``."""
        return f"{self.question.title}_{self.sub}" if self.sub else self.question.title


@dataclass(eq=False)
class Questionnaire:
    name: str  # the file name, for messages
    languages: tuple[str, ...]
    anonymized: bool
    datestamp: bool
    ipaddr: bool
    refurl: bool
    questions: tuple[Question, ...]  # in export order
    columns: tuple[ExportColumn, ...]  # in export order

    def __post_init__(self) -> None:
        self._index = {c.code.casefold(): c for c in reversed(self.columns)}

    def meta(self) -> tuple[str, ...]:
        """LimeSurvey's own columns of an export of this survey, in order (brief §3.2).

        ``token`` is there only for a non-anonymous survey with a participant table; the .lss does not say
        whether the table exists, so a non-anonymous survey may or may not have it.
        """
        out = list(FIXED_META)
        if not self.anonymized:
            out.append("token")
        if self.datestamp:
            out += ["startdate", "datestamp"]
        if self.ipaddr:
            out.append("ipaddr")
        if self.refurl:
            out.append("refurl")
        return tuple(out)

    def column(self, code: str) -> ExportColumn | None:
        """The column with this code heading (case-insensitive), or None."""
        return self._index.get(code.strip().casefold())

    def question(self, title: str) -> Question | None:
        return next((q for q in self.questions if q.title.casefold() == title.strip().casefold()), None)


def plain(text: str) -> str:
    """A stored text flattened as LimeSurvey's export flattens it: no tags, entities decoded, one line."""
    out = _SCRIPT.sub("", text or "")
    out = out.replace("</td", " </td").replace("</th", " </th")
    out = _TAG.sub("", out)
    out = _NEWLINE.sub(" ", out)
    out = html.unescape(out.replace("&nbsp;", " "))
    return out.strip()


def load_questionnaire(path: Path) -> Questionnaire:
    """Read a .lss file (cached per path and modification time: a network run reads many sources)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise QuestionnaireError(Msg("questionnaire_missing", name=path.name)) from None
    return _load(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def shipped(kind: str) -> Questionnaire:
    """The standard questionnaire the project ships for ``resident_survey`` or ``partner_survey``."""
    return load_questionnaire(SHIPPED[kind])


@lru_cache(maxsize=64)
def _load(path: str, mtime_ns: int, size: int) -> Questionnaire:
    name = Path(path).name
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise QuestionnaireError(Msg("questionnaire_unreadable", name=name, detail=str(exc))) from None
    if root.tag != "document" or (root.findtext("LimeSurveyDocType") or "").strip() != "Survey":
        raise QuestionnaireError(Msg("questionnaire_not_lss", name=name))
    survey = (_rows(root, "surveys") or [{}])[0]
    languages = [e.text.strip() for e in root.findall("languages/language") if e.text and e.text.strip()]
    if not languages:
        languages = [survey.get("language", "de"), *survey.get("additional_languages", "").split()]
    texts = _question_texts(root)
    answers = _answers(root)
    group_order = {g["gid"]: _number(g.get("group_order")) for g in _rows(root, "groups")}
    questions_rows = _unique(_rows(root, "questions"), "qid")
    questions_rows = [q for q in questions_rows if q.get("parent_qid", "0") in ("", "0")]
    questions_rows.sort(key=lambda q: (group_order.get(q.get("gid", ""), 0), _number(q.get("question_order"))))
    subs: dict[str, list[dict[str, str]]] = {}
    for row in _unique(_rows(root, "subquestions"), "qid"):
        subs.setdefault(row.get("parent_qid", ""), []).append(row)
    attributes: dict[str, dict[str, str]] = {}
    for row in _rows(root, "question_attributes"):
        attributes.setdefault(row.get("qid", ""), {})[row.get("attribute", "")] = row.get("value", "")

    questions = []
    for row in questions_rows:
        qid = row["qid"]
        children = sorted(subs.get(qid, []), key=lambda s: _number(s.get("question_order")))

        def scale(k: str, children: list[dict[str, str]] = children) -> tuple[tuple[str, dict[str, str]], ...]:
            return tuple((s["title"], texts.get(s["qid"], {})) for s in children if s.get("scale_id", "0") == k)

        questions.append(
            Question(
                qid=qid,
                title=row.get("title", ""),
                type=row.get("type", ""),
                other=row.get("other", "N") == "Y",
                texts=texts.get(qid, {}),
                answers=tuple(answers.get(qid, ())),
                subquestions=scale("0") or scale(""),
                attributes=attributes.get(qid, {}),
            )
        )
    return Questionnaire(
        name=name,
        languages=tuple(dict.fromkeys(languages)),
        anonymized=survey.get("anonymized", "N") == "Y",
        datestamp=survey.get("datestamp", "N") == "Y",
        ipaddr=survey.get("ipaddr", "N") == "Y",
        refurl=survey.get("refurl", "N") == "Y",
        questions=tuple(questions),
        columns=tuple(c for q in questions for c in _export_columns(q)),
    )


def _export_columns(q: Question) -> list[ExportColumn]:
    """The columns LimeSurvey's field map gives a question, in its order.

    Covers single questions (with "Sonstiges"/comment columns), multiple choice and the one-scale arrays;
    the columns of rarer types (ranking, dual-scale and text arrays) are not listed and so never placed —
    harmless unless a town maps one of them onto a field of the brief.
    """
    none: dict[str, str] = {}
    if q.type in ARRAY_TYPES:
        out = [ExportColumn(f"{q.title}[{code}]", q, code, texts) for code, texts in q.subquestions]
        if q.type == "M" and q.other:
            out.append(ExportColumn(f"{q.title}[other]", q, "other", OTHER))
        return out
    if q.type == "P":
        out = []
        for code, texts in q.subquestions:
            out.append(ExportColumn(f"{q.title}[{code}]", q, code, texts))
            out.append(ExportColumn(f"{q.title}[{code}comment]", q, f"{code}comment", texts))
        return out
    out = [ExportColumn(q.title, q, "", none)]
    if q.type in ("L", "!") and q.other:
        out.append(ExportColumn(f"{q.title}[other]", q, "other", OTHER))
    if q.type == "O":
        out.append(ExportColumn(f"{q.title}[comment]", q, "comment", COMMENT))
    return out


def _rows(root: ET.Element, table: str) -> list[dict[str, str]]:
    return [{child.tag: (child.text or "").strip() for child in row} for row in root.findall(f"{table}/rows/row")]


def _unique(rows: list[dict[str, str]], key: str) -> list[dict[str, str]]:
    """LimeSurvey 3 files repeat a question row per language: keep the first row of each id."""
    seen: dict[str, dict[str, str]] = {}
    for row in rows:
        seen.setdefault(row.get(key, ""), row)
    return list(seen.values())


def _number(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0


def _question_texts(root: ET.Element) -> dict[str, dict[str, str]]:
    """qid -> language -> text, from ``question_l10ns`` (LimeSurvey 4+) or the question rows (LimeSurvey 3)."""
    out: dict[str, dict[str, str]] = {}
    rows = _rows(root, "question_l10ns") or _rows(root, "questions") + _rows(root, "subquestions")
    for row in rows:
        if "question" in row:
            out.setdefault(row.get("qid", ""), {})[row.get("language", "")] = row["question"]
    return out


def _answers(root: ET.Element) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """qid -> [(code, language -> text)] of answer scale 0, in sort order."""
    l10n: dict[str, dict[str, str]] = {}
    for row in _rows(root, "answer_l10ns"):
        l10n.setdefault(row.get("aid", ""), {})[row.get("language", "")] = row.get("answer", "")
    grouped: dict[tuple[str, str], tuple[float, dict[str, str]]] = {}
    for row in _rows(root, "answers"):
        if row.get("scale_id", "0") not in ("0", ""):
            continue
        key = (row.get("qid", ""), row.get("code", ""))
        texts = l10n.get(row.get("aid", ""), {}) if "aid" in row else {}
        if "answer" in row:  # LimeSurvey 3: one row per language
            texts = {**grouped.get(key, (0.0, {}))[1], row.get("language", ""): row["answer"]}
        grouped[key] = (_number(row.get("sortorder")), texts)
    out: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for (qid, code), (_, texts) in sorted(grouped.items(), key=lambda item: (item[0][0], item[1][0])):
        out.setdefault(qid, []).append((code, texts))
    return out
