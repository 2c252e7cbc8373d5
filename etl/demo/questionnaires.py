"""The standard questionnaires as LimeSurvey 6 survey structure files (``.lss``), brief §3.2 and §3.3.

A town imports ``data/questionnaires/engagement_resident.lss`` or ``engagement_partner.lss`` into
LimeSurvey (Umfragen → Importieren); the question codes and answer codes are exactly those of the brief,
so a "question code / answer code" export loads without any ``[sources.codes]`` mapping. Both files carry
German (base language) and English texts: LimeSurvey exports headings and answer texts in the language
chosen for the export, and the readers map either back to the codes (:mod:`etl.readers.questionnaire`).

LimeSurvey limits answer codes to five letters or digits, so the partner survey's SECTOR (values
``civil_society`` …) is an equation question computed from the visible choice SECTSEL; the exported
SECTOR column then holds the brief's words. The organisations of the partner survey are the answer
options of ORG and the subquestions of FREQ, TRUST and VALUE: the file ships the slots ORG01…ORG30;
a town replaces their texts with its organisations' names (keeping codes = the ``org_id`` of its
organisations list) and deletes the slots it does not need.

The files are generated here rather than written by hand so that they stay consistent; run
``python -m etl.demo.questionnaires`` to rewrite them. The demo uses the same builders for the towns
that have a questionnaire of their own (own question codes, their organisations' names).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from etl.demo.names import ENGAGEMENT_AREAS, ENGAGEMENT_AREAS_EN
from etl.readers.questionnaire import QUESTIONNAIRE_DIR

DB_VERSION = "640"  # LimeSurvey 6.x
LANGUAGES = ("de", "en")  # base language first
ORG_SLOTS = 30

Text = tuple[str, str]  # the German and the English text

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
AGREE: tuple[tuple[str, Text], ...] = (
    ("1", ("1 – stimme überhaupt nicht zu", "1 – strongly disagree")),
    ("2", ("2", "2")),
    ("3", ("3", "3")),
    ("4", ("4", "4")),
    ("5", ("5 – stimme voll und ganz zu", "5 – strongly agree")),
)


@dataclass
class Question:
    title: str
    type: str
    text: Text
    answers: tuple[tuple[str, Text], ...] = ()
    subquestions: tuple[tuple[str, Text, str], ...] = ()  # code, texts, relevance
    relevance: str = "1"
    help: Text = ("", "")
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class Survey:
    """A survey structure; the four switches are LimeSurvey's settings that decide an export's columns."""

    sid: int
    title: Text
    description: Text
    welcome: Text
    end: Text
    groups: tuple[tuple[Text, tuple[Question, ...]], ...]
    note: str = ""  # written as an XML comment at the top, for whoever opens the file
    anonymized: bool = True  # "Anonymisierte Antworten": no token column
    datestamp: bool = True  # "Zeitstempel": startdate, datestamp and a real submitdate
    ipaddr: bool = False  # "IP-Adresse speichern"
    refurl: bool = False  # "Referrer-URL speichern"


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


def _yes_no(flag: bool) -> str:
    return "Y" if flag else "N"


def build_lss(survey: Survey) -> str:
    """The survey as LimeSurvey 6 structure XML (``LimeSurveyDocType`` Survey), German and English."""
    root = ET.Element("document")
    if survey.note:
        root.append(ET.Comment(" " + survey.note + " "))
    ET.SubElement(root, "LimeSurveyDocType").text = "Survey"
    ET.SubElement(root, "DBVersion").text = DB_VERSION
    languages = ET.SubElement(root, "languages")
    for language in LANGUAGES:
        ET.SubElement(languages, "language").text = language
    answers, answer_l10ns, groups, group_l10ns = [], [], [], []
    questions, subquestions, question_l10ns, attributes = [], [], [], []
    qid, aid = 100, 1000

    def texts(rows: list[dict[str, object]], key: str, ident: dict[str, object], text: Text, **extra: Text) -> None:
        for k, language in enumerate(LANGUAGES):
            row = {"id": len(rows) + 1, **ident, key: text[k], "language": language}
            row.update({name: value[k] for name, value in extra.items()})
            rows.append(row)

    for g, (group_name, items) in enumerate(survey.groups, start=1):
        gid = survey.sid % 1000 * 10 + g
        groups.append({"gid": gid, "sid": survey.sid, "group_order": g, "grelevance": "1"})
        texts(group_l10ns, "group_name", {"gid": gid}, group_name)
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
            texts(question_l10ns, "question", {"qid": parent}, q.text, help=q.help)
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
                texts(question_l10ns, "question", {"qid": qid}, text)
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
                texts(answer_l10ns, "answer", {"aid": aid}, text)
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
                "anonymized": _yes_no(survey.anonymized),
                "format": "G",
                "language": LANGUAGES[0],
                "additional_languages": " ".join(LANGUAGES[1:]),
                "datestamp": _yes_no(survey.datestamp),
                "ipaddr": _yes_no(survey.ipaddr),
                "refurl": _yes_no(survey.refurl),
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
                "surveyls_language": language,
                "surveyls_title": survey.title[k],
                "surveyls_description": survey.description[k],
                "surveyls_welcometext": survey.welcome[k],
                "surveyls_endtext": survey.end[k],
                "surveyls_dateformat": 1,
                "surveyls_numberformat": 1,
            }
            for k, language in enumerate(LANGUAGES)
        ],
    )
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def resident_survey(codes: Mapping[str, str] | None = None, html: bool = False, **settings: bool) -> Survey:
    """Einwohnerbefragung: the codes and answer codes of brief §3.2.

    ``codes`` renames question codes (canonical -> a town's own code, as ``[sources.codes]`` maps them back);
    ``html`` writes the question texts as LimeSurvey's editor stores them (``<p>…</p>``); ``settings`` sets
    the :class:`Survey` switches (``anonymized``, ``ipaddr`` …).
    """
    rename = dict(codes or {})

    def code(name: str) -> str:
        return rename.get(name, name)

    engaged, not_engaged = f'{code("ENG1")}.NAOK == "Y"', f'{code("ENG1")}.NAOK == "N"'
    person = (
        Question(
            "AGE",
            "N",
            ("Wie alt sind Sie (in Jahren)?", "How old are you (in years)?"),
            attributes={"min_num_value_n": "0", "max_num_value_n": "120", "num_value_int_only": "1"},
        ),
        Question(
            "GENDER",
            "L",
            ("Welches Geschlecht haben Sie?", "What is your gender?"),
            answers=(("w", ("weiblich", "female")), ("m", ("männlich", "male")), ("d", ("divers", "diverse"))),
        ),
        Question(
            "DISTRICT",
            "!",
            ("In welchem Stadtteil wohnen Sie?", "Which district do you live in?"),
            answers=tuple((f"{k:02d}", (f"Stadtteil {k:02d}", f"District {k:02d}")) for k in range(1, 9)),
            help=(
                "Die Stadt ersetzt die Antworttexte durch ihre Stadtteile; die Codes (01, 02, …) sind "
                "die Stadtteil-Codes ihrer Bevölkerungsdaten.",
                "The town replaces the answer texts with its districts; the codes (01, 02, …) are the district "
                "codes of its population data.",
            ),
        ),
        Question(
            "EDU",
            "L",
            ("Welchen höchsten Bildungsabschluss haben Sie?", "What is your highest educational qualification?"),
            answers=(
                (
                    "1",
                    (
                        "niedrig (kein Abschluss, Haupt-/Volksschulabschluss)",
                        "low (no qualification, lower secondary school)",
                    ),
                ),
                (
                    "2",
                    (
                        "mittel (Realschulabschluss, Berufsausbildung)",
                        "medium (intermediate school certificate, vocational training)",
                    ),
                ),
                (
                    "3",
                    (
                        "hoch (Abitur, Fachhochschulreife, Hochschulabschluss)",
                        "high (university entrance qualification, university degree)",
                    ),
                ),
            ),
        ),
        Question(
            "MIG",
            "Y",
            (
                "Haben Sie oder mindestens ein Elternteil eine Zuwanderungsgeschichte?",
                "Do you or at least one of your parents have a history of immigration?",
            ),
        ),
    )
    engagement = (
        Question(
            "ENG1",
            "Y",
            (
                "Haben Sie sich in den letzten 12 Monaten freiwillig oder ehrenamtlich engagiert?",
                "Have you volunteered in the last 12 months?",
            ),
        ),
        Question(
            "ENG2",
            "N",
            ("Wie viele Stunden im Monat wenden Sie dafür ungefähr auf?", "About how many hours a month do you spend?"),
            relevance=engaged,
            attributes={"min_num_value_n": "0", "max_num_value_n": "744"},
        ),
        Question(
            "ENG3",
            "M",
            (
                "In welchen Bereichen engagieren Sie sich? (Mehrfachnennung möglich)",
                "In which areas do you volunteer? (multiple answers possible)",
            ),
            relevance=engaged,
            subquestions=tuple(
                (f"SQ{k:03d}", (de, en), "1")
                for k, (de, en) in enumerate(zip(ENGAGEMENT_AREAS, ENGAGEMENT_AREAS_EN, strict=True), 1)
            ),
        ),
        Question(
            "WILL",
            "L",
            ("Wären Sie künftig bereit, sich freiwillig zu engagieren?", "Would you volunteer in future?"),
            relevance=not_engaged,
            answers=(("1", ("ja, sicher", "yes, certainly")), ("2", ("vielleicht", "maybe")), ("3", ("nein", "no"))),
        ),
    )
    town = (
        Question(
            "PART",
            "Y",
            (
                "Haben Sie in den letzten 12 Monaten an einem Beteiligungsformat teilgenommen "
                "(z. B. Bürgerdialog, Zukunftswerkstatt)?",
                "Have you taken part in a participation format in the last 12 months "
                "(e.g. citizens' dialogue, future workshop)?",
            ),
        ),
        Question(
            "EASE",
            "L",
            ("Es ist in unserer Stadt einfach, sich zu engagieren.", "It is easy to volunteer in our town."),
            answers=AGREE,
        ),
        Question(
            "INFO",
            "L",
            (
                "Ich weiß, wo ich mich über Engagementmöglichkeiten informieren kann.",
                "I know where to find information about volunteering opportunities.",
            ),
            answers=AGREE,
        ),
        Question(
            "RECOG",
            "L",
            ("Freiwilliges Engagement wird in unserer Stadt anerkannt.", "Volunteering is recognised in our town."),
            answers=AGREE,
        ),
        Question(
            "KNOW",
            "Y",
            (
                "Kennen Sie die Koordinierungsstelle für Engagement in unserer Stadt?",
                "Do you know the coordination office for volunteering in our town?",
            ),
        ),
    )
    closing = (
        Question(
            "COMMENT",
            "T",
            ("Möchten Sie uns noch etwas mitteilen?", "Is there anything else you would like to tell us?"),
            help=(
                "Bitte nennen Sie keine Namen, Adressen oder Telefonnummern.",
                "Please do not give any names, addresses or phone numbers.",
            ),
        ),
    )

    def own(items: tuple[Question, ...]) -> tuple[Question, ...]:
        wrap = (lambda t: f"<p>{t}</p>") if html else (lambda t: t)
        return tuple(replace(q, title=code(q.title), text=(wrap(q.text[0]), wrap(q.text[1]))) for q in items)

    return Survey(
        sid=481001,
        title=("Einwohnerbefragung Engagement und Beteiligung", "Residents' survey on volunteering and participation"),
        description=(
            "Standardfragebogen des Engagement-Monitors (Engagierte Stadt). Fragecodes und "
            "Antwortcodes nicht ändern, damit der Export ohne Zuordnung eingelesen wird.",
            "Standard questionnaire of the Engagement-Monitor (Engagierte Stadt). Do not change the question "
            "codes and answer codes, so that the export loads without any mapping.",
        ),
        welcome=(
            "Vielen Dank, dass Sie sich ca. 10 Minuten Zeit nehmen. Die Befragung ist anonym.",
            "Thank you for taking about 10 minutes. The survey is anonymous.",
        ),
        end=("Vielen Dank für Ihre Teilnahme!", "Thank you for taking part!"),
        groups=(
            (("Zur Person", "About you"), own(person)),
            (("Ihr Engagement", "Your volunteering"), own(engagement)),
            (("Engagement in unserer Stadt", "Volunteering in our town"), own(town)),
            (("Abschluss", "Closing"), own(closing)),
        ),
        **settings,
    )


def partner_survey(organisations: Sequence[tuple[str, str]] | None = None) -> Survey:
    """Akteursbefragung: ORG, SECTOR (computed), FREQ/TRUST/VALUE arrays over the organisations, EYE, HE.

    ``organisations`` (``org_id``, name) fills in a town's organisations; without it the file has the slots
    ORG01…ORG30 with placeholder names.
    """
    if organisations is None:
        organisations = [
            (f"ORG{k:02d}", f"Organisation {k:02d} (Name der Organisation eintragen)") for k in range(1, ORG_SLOTS + 1)
        ]
    orgs = tuple(code for code, _ in organisations)
    names = tuple((name, name) for _, name in organisations)

    def others(extra: str = "") -> tuple[tuple[str, Text, str], ...]:
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
            ("Für welche Organisation antworten Sie?", "Which organisation are you answering for?"),
            answers=tuple(zip(orgs, names, strict=True)),
            help=(
                "Antwortcodes = org_id der Organisationsliste der Stadt (ORG01 …); die Stadt trägt die "
                "Namen ihrer Organisationen ein und löscht nicht benötigte Zeilen.",
                "Answer codes = org_id of the town's organisations list (ORG01 …); the town enters the names of "
                "its organisations and deletes the rows it does not need.",
            ),
        ),
        Question(
            "SECTSEL",
            "L",
            ("Zu welchem Bereich gehört Ihre Organisation?", "Which sector does your organisation belong to?"),
            answers=(
                (
                    "A1",
                    (
                        "Zivilgesellschaft (Verein, Initiative, Stiftung, Kirche)",
                        "Civil society (association, initiative, foundation, church)",
                    ),
                ),
                (
                    "A2",
                    ("Politik (Rat, Fraktion, Ausschuss)", "Politics (council, parliamentary group, committee)"),
                ),
                ("A3", ("Verwaltung", "Administration")),
                (
                    "A4",
                    (
                        "Wirtschaft (Unternehmen, Kammer, Verband)",
                        "Business (company, chamber, business association)",
                    ),
                ),
            ),
        ),
        Question(
            "SECTOR",
            "*",
            (sector_expression, sector_expression),
            attributes={"hidden": "1"},
            help=(
                "Berechnet aus SECTSEL; exportiert civil_society, politics, administration oder business.",
                "Computed from SECTSEL; exports civil_society, politics, administration or business.",
            ),
        ),
    )
    network = (
        Question(
            "FREQ",
            "F",
            (
                "Wie oft hatten Sie in den letzten 12 Monaten Kontakt mit diesen Organisationen?",
                "How often have you been in contact with these organisations in the last 12 months?",
            ),
            answers=(
                ("0", ("kein Kontakt", "no contact")),
                ("1", ("jährlich", "yearly")),
                ("2", ("vierteljährlich", "quarterly")),
                ("3", ("monatlich", "monthly")),
                ("4", ("wöchentlich", "weekly")),
            ),
            subquestions=others(),
        ),
        Question(
            "TRUST",
            "F",
            (
                "Wie sehr vertrauen Sie diesen Organisationen in der Zusammenarbeit?",
                "How much do you trust these organisations when working together?",
            ),
            answers=(
                ("1", ("gar nicht", "not at all")),
                ("2", ("eher wenig", "rather little")),
                ("3", ("eher stark", "rather much")),
                ("4", ("sehr stark", "very much")),
            ),
            subquestions=others(known),
        ),
        Question(
            "VALUE",
            "F",
            (
                "Wie wertvoll ist die Zusammenarbeit mit diesen Organisationen für Ihre Arbeit?",
                "How valuable is working with these organisations for your work?",
            ),
            answers=(
                ("1", ("gar nicht", "not at all")),
                ("2", ("wenig", "a little")),
                ("3", ("eher wertvoll", "rather valuable")),
                ("4", ("sehr wertvoll", "very valuable")),
            ),
            subquestions=others(known),
        ),
    )
    climate = (
        Question(
            "EYE",
            "L",
            (
                "Wir arbeiten in unserer Stadt auf Augenhöhe zusammen.",
                "In our town we work together on an equal footing.",
            ),
            answers=AGREE,
        ),
        Question(
            "HE",
            "L",
            (
                "Haupt- und Ehrenamtliche arbeiten in unserer Stadt wertschätzend zusammen.",
                "Paid staff and volunteers in our town work together with mutual appreciation.",
            ),
            answers=AGREE,
        ),
    )
    return Survey(
        sid=481002,
        title=(
            "Akteursbefragung Zusammenarbeit in der Engagierten Stadt",
            "Partner survey on cooperation in the Engagierte Stadt",
        ),
        description=(
            "Standardfragebogen des Engagement-Monitors. Vor dem Aktivieren: Bei ORG die Antworttexte und "
            "bei FREQ, TRUST und VALUE die Teilfragen mit den Namen der eigenen Organisationen füllen; die "
            "Codes ORG01, ORG02, … müssen den org_id der Organisationsliste entsprechen. Nicht benötigte "
            "Zeilen löschen, weitere als ORG31, ORG32, … anlegen (höchstens 5 Zeichen je Code).",
            "Standard questionnaire of the Engagement-Monitor. Before activating: fill the answer texts of ORG "
            "and the subquestions of FREQ, TRUST and VALUE with the names of the town's organisations; the codes "
            "ORG01, ORG02, … must be the org_id of the organisations list. Delete rows not needed, add more as "
            "ORG31, ORG32, … (at most 5 characters per code).",
        ),
        welcome=(
            "Diese Befragung richtet sich an die Partnerorganisationen der Engagierten Stadt.",
            "This survey is for the partner organisations of the Engagierte Stadt.",
        ),
        end=("Vielen Dank für Ihre Teilnahme!", "Thank you for taking part!"),
        groups=(
            (("Ihre Organisation", "Your organisation"), you),
            (("Zusammenarbeit", "Cooperation"), network),
            (("Zusammenarbeit insgesamt", "Cooperation overall"), climate),
        ),
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
