"""The shipped LimeSurvey questionnaires carry exactly the question and answer codes of brief §3.2/§3.3."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from etl.demo.questionnaires import QUESTIONNAIRE_DIR, build_lss, partner_survey, resident_survey

RESIDENT = QUESTIONNAIRE_DIR / "engagement_resident.lss"
PARTNER = QUESTIONNAIRE_DIR / "engagement_partner.lss"
AGREE = {"1", "2", "3", "4", "5"}


def _rows(root: ET.Element, table: str) -> list[dict[str, str]]:
    return [{child.tag: (child.text or "") for child in row} for row in root.findall(f"{table}/rows/row")]


class Lss:
    """The parts of a .lss file the checks need: questions by code, their answers and subquestions."""

    def __init__(self, path: Path) -> None:
        self.root = ET.parse(path).getroot()
        self.questions = {q["title"]: q for q in _rows(self.root, "questions")}
        by_qid = {q["qid"]: q["title"] for q in self.questions.values()}
        self.answers: dict[str, list[str]] = {}
        for a in _rows(self.root, "answers"):
            self.answers.setdefault(by_qid[a["qid"]], []).append(a["code"])
        self.subquestions: dict[str, list[str]] = {}
        for s in _rows(self.root, "subquestions"):
            self.subquestions.setdefault(by_qid[s["parent_qid"]], []).append(s["title"])
        self.texts = {r["qid"]: r["question"] for r in _rows(self.root, "question_l10ns") if r["language"] == "de"}

    def type(self, code: str) -> str:
        return self.questions[code]["type"]


@pytest.fixture(scope="module")
def resident() -> Lss:
    return Lss(RESIDENT)


@pytest.fixture(scope="module")
def partner() -> Lss:
    return Lss(PARTNER)


@pytest.mark.parametrize("path", [RESIDENT, PARTNER], ids=["resident", "partner"])
def test_is_a_limesurvey_6_survey_structure_in_german_and_english(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == "document"
    assert root.findtext("LimeSurveyDocType") == "Survey"
    assert int(root.findtext("DBVersion")) >= 600
    assert [e.text for e in root.findall("languages/language")] == ["de", "en"]
    survey = _rows(root, "surveys")[0]
    assert (survey["language"], survey["additional_languages"]) == ("de", "en")
    # anonymised, with date stamps, without IP address and referrer URL: the columns an export has (§3.2)
    assert (survey["anonymized"], survey["datestamp"], survey["ipaddr"], survey["refurl"]) == ("Y", "Y", "N", "N")
    for table in (
        "answers",
        "answer_l10ns",
        "groups",
        "group_l10ns",
        "questions",
        "subquestions",
        "question_l10ns",
        "surveys",
        "surveys_languagesettings",
    ):
        assert root.find(table) is not None, table
    # every row has the table's declared fields and every object its German text
    for table in ("questions", "subquestions", "answers", "groups"):
        fields = [f.text for f in root.findall(f"{table}/fields/fieldname")]
        for row in root.findall(f"{table}/rows/row"):
            assert [c.tag for c in row] == fields
    qids = {r["qid"] for r in _rows(root, "questions") + _rows(root, "subquestions")}
    assert qids == {r["qid"] for r in _rows(root, "question_l10ns")}
    assert {r["aid"] for r in _rows(root, "answers")} == {r["aid"] for r in _rows(root, "answer_l10ns")}
    assert {r["gid"] for r in _rows(root, "groups")} == {r["gid"] for r in _rows(root, "group_l10ns")}
    # every question, subquestion, answer and group has exactly one German and one English text
    for table, ident in (("question_l10ns", "qid"), ("answer_l10ns", "aid"), ("group_l10ns", "gid")):
        rows = _rows(root, table)
        languages: dict[str, list[str]] = {}
        for r in rows:
            languages.setdefault(r[ident], []).append(r["language"])
        assert all(sorted(v) == ["de", "en"] for v in languages.values()), table
        assert len({r["id"] for r in rows}) == len(rows)
        assert all(r[next(k for k in r if k in ("question", "answer", "group_name"))] for r in rows), table


@pytest.mark.parametrize("path", [RESIDENT, PARTNER], ids=["resident", "partner"])
def test_codes_respect_limesurvey_limits(path: Path) -> None:
    lss = Lss(path)
    for code in lss.questions:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,19}", code), code
    for codes in lss.subquestions.values():
        assert all(re.fullmatch(r"[A-Za-z0-9]{1,20}", c) for c in codes)
    for codes in lss.answers.values():
        assert all(re.fullmatch(r"[A-Za-z0-9]{1,5}", c) for c in codes)
        assert len(codes) == len(set(codes))


def test_resident_questionnaire_has_every_code_of_the_brief(resident: Lss) -> None:
    expected = {
        "AGE",
        "GENDER",
        "DISTRICT",
        "EDU",
        "MIG",
        "ENG1",
        "ENG2",
        "ENG3",
        "WILL",
        "PART",
        "EASE",
        "INFO",
        "RECOG",
        "KNOW",
    }
    assert expected <= set(resident.questions)
    assert resident.type("AGE") == "N" and resident.type("ENG2") == "N"
    # yes/no questions export Y and N
    assert {c for c in ("MIG", "ENG1", "PART", "KNOW") if resident.type(c) == "Y"} == {"MIG", "ENG1", "PART", "KNOW"}
    assert set(resident.answers["GENDER"]) == {"w", "m", "d"}
    assert resident.answers["EDU"] == ["1", "2", "3"]
    assert resident.answers["WILL"] == ["1", "2", "3"]
    for code in ("EASE", "INFO", "RECOG"):
        assert set(resident.answers[code]) == AGREE
    assert resident.type("ENG3") == "M"
    assert resident.subquestions["ENG3"] == [f"SQ{k:03d}" for k in range(1, 15)]
    assert resident.questions["ENG2"]["relevance"] == 'ENG1.NAOK == "Y"'
    assert resident.questions["WILL"]["relevance"] == 'ENG1.NAOK == "N"'
    assert all(re.fullmatch(r"\d\d", c) for c in resident.answers["DISTRICT"])


def test_partner_questionnaire_has_every_code_of_the_brief(partner: Lss) -> None:
    assert {"ORG", "SECTOR", "FREQ", "TRUST", "VALUE", "EYE", "HE"} <= set(partner.questions)
    orgs = partner.answers["ORG"]
    assert orgs[:3] == ["ORG01", "ORG02", "ORG03"] and len(orgs) == 30
    for code in ("FREQ", "TRUST", "VALUE"):
        assert partner.type(code) == "F"
        assert partner.subquestions[code] == orgs  # FREQ[ORG01] … in the export
    assert partner.answers["FREQ"] == ["0", "1", "2", "3", "4"]
    assert partner.answers["TRUST"] == ["1", "2", "3", "4"]
    assert partner.answers["VALUE"] == ["1", "2", "3", "4"]
    assert set(partner.answers["EYE"]) == AGREE and set(partner.answers["HE"]) == AGREE
    # SECTOR is an equation exporting the brief's sector words
    assert partner.type("SECTOR") == "*"
    expression = partner.texts[partner.questions["SECTOR"]["qid"]]
    for sector in ("civil_society", "politics", "administration", "business"):
        assert f'"{sector}"' in expression
    # how a town fills in its organisations is explained in the file itself
    comment = re.search(r"<!--(.*?)-->", PARTNER.read_text(encoding="utf-8"), re.S)
    assert comment is not None and "org_id" in comment.group(1) and "ORG01" in comment.group(1)


def test_shipped_files_are_the_generated_ones() -> None:
    assert RESIDENT.read_text(encoding="utf-8") == build_lss(resident_survey())
    assert PARTNER.read_text(encoding="utf-8") == build_lss(partner_survey())
