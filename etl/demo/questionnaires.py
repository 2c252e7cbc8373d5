"""The standard questionnaires as LimeSurvey 6 survey structure files (``.lss``), brief §3.2 and §3.3.

A town imports ``data/questionnaires/engagement_resident.lss`` or ``engagement_partner.lss`` into
LimeSurvey (Umfragen → Importieren); the question codes and answer codes are exactly those of the brief,
so a "question code / answer code" export loads without any ``[sources.codes]`` mapping.

LimeSurvey limits answer codes to five letters or digits, so the partner survey's SECTOR (values
``civil_society`` …) is an equation question computed from the visible choice SECTSEL; the exported
SECTOR column then holds the brief's words. The organisations of the partner survey are the answer
options of ORG and the subquestions of FREQ, TRUST and VALUE: the file ships the slots ORG01…ORG30;
a town replaces their texts with its organisations' names (keeping codes = the ``org_id`` of its
organisations list) and deletes the slots it does not need.

The files are generated here rather than written by hand so that they stay consistent; run
``python -m etl.demo.questionnaires`` to rewrite them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from etl.demo.names import ENGAGEMENT_AREAS

DB_VERSION = "640"  # LimeSurvey 6.x
LANGUAGE = "de"
QUESTIONNAIRE_DIR = Path(__file__).resolve().parents[2] / "data" / "questionnaires"
ORG_SLOTS = 30

QUESTION_FIELDS = (
    "qid",
    "parent_qid",
    "sid",
    "gid",
    "type",
    "title",
    "preg",
    "other",
    "mandatory",
    "encrypted",
    "question_order",
    "scale_id",
    "same_default",
    "relevance",
    "question_theme_name",
    "modulename",
    "same_script",
)
THEMES = {
    "N": "numerical",
    "L": "listradio",
    "!": "list_dropdown",
    "Y": "yesno",
    "M": "multiplechoice",
    "T": "longfreetext",
    "F": "arrays/array",
    "*": "equation",
}
AGREE = (
    ("1", "1 – stimme überhaupt nicht zu"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 – stimme voll und ganz zu"),
)


@dataclass
class Question:
    title: str
    type: str
    text: str
    answers: tuple[tuple[str, str], ...] = ()
    subquestions: tuple[tuple[str, str, str], ...] = ()  # code, text, relevance
    relevance: str = "1"
    help: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class Survey:
    sid: int
    title: str
    description: str
    welcome: str
    end: str
    groups: tuple[tuple[str, tuple[Question, ...]], ...]
    note: str = ""  # written as an XML comment at the top, for whoever opens the file


def _table(parent: ET.Element, name: str, fields: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    table = ET.SubElement(parent, name)
    names = ET.SubElement(table, "fields")
    for f in fields:
        ET.SubElement(names, "fieldname").text = f
    body = ET.SubElement(table, "rows")
    for row in rows:
        element = ET.SubElement(body, "row")
        for f in fields:
            value = row.get(f, "")
            child = ET.SubElement(element, f)
            if value != "":
                child.text = str(value)


def build_lss(survey: Survey) -> str:
    """The survey as LimeSurvey 6 structure XML (``LimeSurveyDocType`` Survey)."""
    root = ET.Element("document")
    if survey.note:
        root.append(ET.Comment(" " + survey.note + " "))
    ET.SubElement(root, "LimeSurveyDocType").text = "Survey"
    ET.SubElement(root, "DBVersion").text = DB_VERSION
    ET.SubElement(ET.SubElement(root, "languages"), "language").text = LANGUAGE
    answers, answer_l10ns, groups, group_l10ns = [], [], [], []
    questions, subquestions, question_l10ns, attributes = [], [], [], []
    qid, aid = 100, 1000
    for g, (group_name, items) in enumerate(survey.groups, start=1):
        gid = survey.sid % 1000 * 10 + g
        groups.append({"gid": gid, "sid": survey.sid, "group_order": g, "grelevance": "1"})
        group_l10ns.append({"id": g, "gid": gid, "group_name": group_name, "language": LANGUAGE})
        for order, q in enumerate(items, start=1):
            qid += 1
            parent = qid
            questions.append(
                {
                    "qid": parent,
                    "parent_qid": 0,
                    "sid": survey.sid,
                    "gid": gid,
                    "type": q.type,
                    "title": q.title,
                    "other": "N",
                    "mandatory": "N",
                    "encrypted": "N",
                    "question_order": order,
                    "scale_id": 0,
                    "same_default": 0,
                    "relevance": q.relevance,
                    "question_theme_name": THEMES[q.type],
                    "same_script": 0,
                }
            )
            question_l10ns.append(
                {"id": parent, "qid": parent, "question": q.text, "help": q.help, "language": LANGUAGE}
            )
            for attribute, value in q.attributes.items():
                attributes.append({"qid": parent, "attribute": attribute, "value": value})
            for s_order, (code, text, relevance) in enumerate(q.subquestions, start=1):
                qid += 1
                subquestions.append(
                    {
                        "qid": qid,
                        "parent_qid": parent,
                        "sid": survey.sid,
                        "gid": gid,
                        "type": "T",
                        "title": code,
                        "other": "N",
                        "mandatory": "",
                        "encrypted": "N",
                        "question_order": s_order,
                        "scale_id": 0,
                        "same_default": 0,
                        "relevance": relevance,
                        "question_theme_name": "",
                        "same_script": 0,
                    }
                )
                question_l10ns.append({"id": qid, "qid": qid, "question": text, "language": LANGUAGE})
            for a_order, (code, text) in enumerate(q.answers, start=1):
                aid += 1
                answers.append(
                    {
                        "aid": aid,
                        "qid": parent,
                        "code": code,
                        "sortorder": a_order,
                        "assessment_value": 0,
                        "scale_id": 0,
                    }
                )
                answer_l10ns.append({"id": aid, "aid": aid, "answer": text, "language": LANGUAGE})
    _table(root, "answers", ("aid", "qid", "code", "sortorder", "assessment_value", "scale_id"), answers)
    _table(root, "answer_l10ns", ("id", "aid", "answer", "language"), answer_l10ns)
    _table(root, "groups", ("gid", "sid", "group_order", "randomization_group", "grelevance"), groups)
    _table(root, "group_l10ns", ("id", "gid", "group_name", "description", "language"), group_l10ns)
    _table(root, "questions", QUESTION_FIELDS, questions)
    _table(root, "subquestions", QUESTION_FIELDS, subquestions)
    _table(root, "question_attributes", ("qid", "attribute", "value", "language"), attributes)
    _table(root, "question_l10ns", ("id", "qid", "question", "help", "script", "language"), question_l10ns)
    _table(
        root,
        "surveys",
        (
            "sid",
            "gsid",
            "admin",
            "adminemail",
            "anonymized",
            "format",
            "language",
            "additional_languages",
            "datestamp",
            "ipaddr",
            "refurl",
            "usecookie",
            "allowsave",
            "allowprev",
            "showprogress",
            "showqnumcode",
            "showwelcome",
            "questionindex",
            "tokenlength",
        ),
        [
            {
                "sid": survey.sid,
                "gsid": 1,
                "admin": "Koordinierungsstelle",
                "adminemail": "koordination@example.org",
                "anonymized": "Y",
                "format": "G",
                "language": LANGUAGE,
                "datestamp": "Y",
                "ipaddr": "N",
                "refurl": "N",
                "usecookie": "N",
                "allowsave": "Y",
                "allowprev": "Y",
                "showprogress": "Y",
                "showqnumcode": "X",
                "showwelcome": "Y",
                "questionindex": 0,
                "tokenlength": 15,
            }
        ],
    )
    _table(
        root,
        "surveys_languagesettings",
        (
            "surveyls_survey_id",
            "surveyls_language",
            "surveyls_title",
            "surveyls_description",
            "surveyls_welcometext",
            "surveyls_endtext",
            "surveyls_dateformat",
            "surveyls_numberformat",
        ),
        [
            {
                "surveyls_survey_id": survey.sid,
                "surveyls_language": LANGUAGE,
                "surveyls_title": survey.title,
                "surveyls_description": survey.description,
                "surveyls_welcometext": survey.welcome,
                "surveyls_endtext": survey.end,
                "surveyls_dateformat": 1,
                "surveyls_numberformat": 1,
            }
        ],
    )
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def resident_survey() -> Survey:
    """Einwohnerbefragung: the codes and answer codes of brief §3.2."""
    engaged, not_engaged = 'ENG1.NAOK == "Y"', 'ENG1.NAOK == "N"'
    person = (
        Question(
            "AGE",
            "N",
            "Wie alt sind Sie (in Jahren)?",
            attributes={"min_num_value_n": "0", "max_num_value_n": "120", "num_value_int_only": "1"},
        ),
        Question(
            "GENDER",
            "L",
            "Welches Geschlecht haben Sie?",
            answers=(("w", "weiblich"), ("m", "männlich"), ("d", "divers")),
        ),
        Question(
            "DISTRICT",
            "!",
            "In welchem Stadtteil wohnen Sie?",
            answers=tuple((f"{k:02d}", f"Stadtteil {k:02d}") for k in range(1, 9)),
            help="Die Stadt ersetzt die Antworttexte durch ihre Stadtteile; die Codes (01, 02, …) sind "
            "die Stadtteil-Codes ihrer Bevölkerungsdaten.",
        ),
        Question(
            "EDU",
            "L",
            "Welchen höchsten Bildungsabschluss haben Sie?",
            answers=(
                ("1", "niedrig (kein Abschluss, Haupt-/Volksschulabschluss)"),
                ("2", "mittel (Realschulabschluss, Berufsausbildung)"),
                ("3", "hoch (Abitur, Fachhochschulreife, Hochschulabschluss)"),
            ),
        ),
        Question("MIG", "Y", "Haben Sie oder mindestens ein Elternteil eine Zuwanderungsgeschichte?"),
    )
    engagement = (
        Question("ENG1", "Y", "Haben Sie sich in den letzten 12 Monaten freiwillig oder ehrenamtlich engagiert?"),
        Question(
            "ENG2",
            "N",
            "Wie viele Stunden im Monat wenden Sie dafür ungefähr auf?",
            relevance=engaged,
            attributes={"min_num_value_n": "0", "max_num_value_n": "744"},
        ),
        Question(
            "ENG3",
            "M",
            "In welchen Bereichen engagieren Sie sich? (Mehrfachnennung möglich)",
            relevance=engaged,
            subquestions=tuple((f"SQ{k:03d}", area, "1") for k, area in enumerate(ENGAGEMENT_AREAS, 1)),
        ),
        Question(
            "WILL",
            "L",
            "Wären Sie künftig bereit, sich freiwillig zu engagieren?",
            relevance=not_engaged,
            answers=(("1", "ja, sicher"), ("2", "vielleicht"), ("3", "nein")),
        ),
    )
    town = (
        Question(
            "PART",
            "Y",
            "Haben Sie in den letzten 12 Monaten an einem Beteiligungsformat teilgenommen "
            "(z. B. Bürgerdialog, Zukunftswerkstatt)?",
        ),
        Question("EASE", "L", "Es ist in unserer Stadt einfach, sich zu engagieren.", answers=AGREE),
        Question("INFO", "L", "Ich weiß, wo ich mich über Engagementmöglichkeiten informieren kann.", answers=AGREE),
        Question("RECOG", "L", "Freiwilliges Engagement wird in unserer Stadt anerkannt.", answers=AGREE),
        Question("KNOW", "Y", "Kennen Sie die Koordinierungsstelle für Engagement in unserer Stadt?"),
    )
    closing = (
        Question(
            "COMMENT",
            "T",
            "Möchten Sie uns noch etwas mitteilen?",
            help="Bitte nennen Sie keine Namen, Adressen oder Telefonnummern.",
        ),
    )
    return Survey(
        sid=481001,
        title="Einwohnerbefragung Engagement und Beteiligung",
        description="Standardfragebogen des Engagement-Monitors (Engagierte Stadt). Fragecodes und "
        "Antwortcodes nicht ändern, damit der Export ohne Zuordnung eingelesen wird.",
        welcome="Vielen Dank, dass Sie sich ca. 10 Minuten Zeit nehmen. Die Befragung ist anonym.",
        end="Vielen Dank für Ihre Teilnahme!",
        groups=(
            ("Zur Person", person),
            ("Ihr Engagement", engagement),
            ("Engagement in unserer Stadt", town),
            ("Abschluss", closing),
        ),
    )


def partner_survey(slots: int = ORG_SLOTS) -> Survey:
    """Akteursbefragung: ORG, SECTOR (computed), FREQ/TRUST/VALUE arrays over the organisations, EYE, HE."""
    orgs = tuple(f"ORG{k:02d}" for k in range(1, slots + 1))
    names = tuple(f"Organisation {k:02d} (Name der Organisation eintragen)" for k in range(1, slots + 1))

    def others(extra: str = "") -> tuple[tuple[str, str, str], ...]:
        return tuple(
            (code, name, f'ORG.NAOK != "{code}"' + (extra.format(code=code) if extra else ""))
            for code, name in zip(orgs, names, strict=True)
        )

    sector_expression = (
        '{if(SECTSEL.NAOK == "A1", "civil_society", if(SECTSEL.NAOK == "A2", "politics", '
        'if(SECTSEL.NAOK == "A3", "administration", if(SECTSEL.NAOK == "A4", "business", ""))))}'
    )
    known = " and FREQ_{code}.NAOK >= 1"
    you = (
        Question(
            "ORG",
            "!",
            "Für welche Organisation antworten Sie?",
            answers=tuple(zip(orgs, names, strict=True)),
            help="Antwortcodes = org_id der Organisationsliste der Stadt (ORG01 …); die Stadt trägt die "
            "Namen ihrer Organisationen ein und löscht nicht benötigte Zeilen.",
        ),
        Question(
            "SECTSEL",
            "L",
            "Zu welchem Bereich gehört Ihre Organisation?",
            answers=(
                ("A1", "Zivilgesellschaft (Verein, Initiative, Stiftung, Kirche)"),
                ("A2", "Politik (Rat, Fraktion, Ausschuss)"),
                ("A3", "Verwaltung"),
                ("A4", "Wirtschaft (Unternehmen, Kammer, Verband)"),
            ),
        ),
        Question(
            "SECTOR",
            "*",
            sector_expression,
            attributes={"hidden": "1"},
            help="Berechnet aus SECTSEL; exportiert civil_society, politics, administration oder business.",
        ),
    )
    network = (
        Question(
            "FREQ",
            "F",
            "Wie oft hatten Sie in den letzten 12 Monaten Kontakt mit diesen Organisationen?",
            answers=(
                ("0", "kein Kontakt"),
                ("1", "jährlich"),
                ("2", "vierteljährlich"),
                ("3", "monatlich"),
                ("4", "wöchentlich"),
            ),
            subquestions=others(),
        ),
        Question(
            "TRUST",
            "F",
            "Wie sehr vertrauen Sie diesen Organisationen in der Zusammenarbeit?",
            answers=(("1", "gar nicht"), ("2", "eher wenig"), ("3", "eher stark"), ("4", "sehr stark")),
            subquestions=others(known),
        ),
        Question(
            "VALUE",
            "F",
            "Wie wertvoll ist die Zusammenarbeit mit diesen Organisationen für Ihre Arbeit?",
            answers=(("1", "gar nicht"), ("2", "wenig"), ("3", "eher wertvoll"), ("4", "sehr wertvoll")),
            subquestions=others(known),
        ),
    )
    climate = (
        Question("EYE", "L", "Wir arbeiten in unserer Stadt auf Augenhöhe zusammen.", answers=AGREE),
        Question(
            "HE", "L", "Haupt- und Ehrenamtliche arbeiten in unserer Stadt wertschätzend zusammen.", answers=AGREE
        ),
    )
    return Survey(
        sid=481002,
        title="Akteursbefragung Zusammenarbeit in der Engagierten Stadt",
        description="Standardfragebogen des Engagement-Monitors. Vor dem Aktivieren: Bei ORG die Antworttexte und "
        "bei FREQ, TRUST und VALUE die Teilfragen mit den Namen der eigenen Organisationen füllen; die "
        "Codes ORG01, ORG02, … müssen den org_id der Organisationsliste entsprechen. Nicht benötigte "
        "Zeilen löschen, weitere als ORG31, ORG32, … anlegen (höchstens 5 Zeichen je Code).",
        welcome="Diese Befragung richtet sich an die Partnerorganisationen der Engagierten Stadt.",
        end="Vielen Dank für Ihre Teilnahme!",
        groups=(("Ihre Organisation", you), ("Zusammenarbeit", network), ("Zusammenarbeit insgesamt", climate)),
        note="Organisationen eintragen: Die Antwortoptionen von ORG und die Teilfragen von FREQ, TRUST und VALUE "
        "sind Platzhalter ORG01 bis ORG30. Die Stadt setzt als Texte die Namen ihrer Organisationen ein, "
        "laesst die Codes gleich der org_id ihrer Organisationsliste (organisations-Quelle im engage.toml), "
        "loescht nicht benoetigte Zeilen und legt weitere als ORG31, ORG32 usw. an. SECTOR wird aus SECTSEL "
        "berechnet, weil LimeSurvey Antwortcodes auf 5 Zeichen begrenzt.",
    )


def write_questionnaires(directory: Path = QUESTIONNAIRE_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, survey in (("engagement_resident.lss", resident_survey()), ("engagement_partner.lss", partner_survey())):
        path = directory / name
        path.write_text(build_lss(survey), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_questionnaires():
        print(written)
