"""The partner survey against the organisations list (brief §3.3), now checked with plain keys per source
instead of pandas indexes and a merge (issue 13): the same rejects, sectors, ratings and file messages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from fixtures.readers.support import make_spec

from etl.crosscheck import check_partner_organisations
from etl.model import FileReport, SourceResult, empty_rejects

AGS = "09999001"
FILE = "akteure_2024.csv"


def _listed() -> SourceResult:
    orgs = pd.DataFrame(
        {"town_ags": [AGS, AGS], "org_id": ["O1", "O2"], "name": ["Verein", "Tafel"], "sector": ["verein", "sozial"]}
    )
    return SourceResult(make_spec(Path("."), "organisations", []), {"stg_organisations": orgs}, empty_rejects(), [])


def _wave() -> SourceResult:
    responses = pd.DataFrame(
        {
            "town_ags": [AGS] * 4,
            "year": [2024] * 4,
            "org_id": ["O1", "O9", "O2", ""],  # O9 is not listed; '' stopped before naming itself
            "sector": ["sozial", "kultur", None, "kultur"],  # what the organisations said of themselves
            "source_file": [FILE] * 4,
            "source_row": [2, 3, 4, 5],
        }
    )
    ratings = pd.DataFrame(
        {
            "town_ags": [AGS] * 4,
            "year": [2024] * 4,
            "org_id": ["O1", "O1", "O9", "O2"],
            "about_org_id": ["O2", "O7", "O1", "O1"],  # O7 is not listed either
            "freq": [3, 2, 4, 1],
            "source_file": [FILE] * 4,
            "source_row": [2, 2, 3, 4],
        }
    )
    report = FileReport("Akteure 2024", "partner_survey", FILE, 4, 4, 0, "ok", "")
    spec = make_spec(Path("."), "partner_survey", [FILE])
    frames = {"stg_partner_responses": responses, "partner_ratings": ratings}
    return SourceResult(spec, frames, empty_rejects(), [report])


def test_answers_by_unlisted_organisations_are_rejected_answers_about_them_ignored() -> None:
    wave = _wave()
    check_partner_organisations([_listed(), wave])

    rejects = wave.rejects
    assert rejects[["file", "row", "column"]].values.tolist() == [[FILE, 3, "ORG"]]
    assert rejects["reason"].tolist() == ["Organisation 'O9' steht nicht in der Organisationsliste"]
    assert rejects["reason_code"].tolist() == ["org_not_listed"]

    responses = wave.frames["stg_partner_responses"]
    assert responses["org_id"].tolist() == ["O1", "O2", ""]
    # the list's sector wins over the organisation's own answer; the answer without an organisation keeps its
    # own, also after a rejected row before it (the merge this replaced took the sector of another row then)
    assert responses["sector"].tolist() == ["verein", "sozial", "kultur"]

    ratings = wave.frames["partner_ratings"]
    # the rejected answer's ratings go with it; ratings about O7 are ignored and O7 named in the message
    assert ratings[["org_id", "about_org_id"]].values.tolist() == [["O1", "O2"], ["O2", "O1"]]
    report = wave.files[0]
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.status) == (4, 3, 1, "rejects")
    assert "Angaben über nicht gelistete Organisationen ignoriert: O7" in report.message


def test_without_an_organisations_list_every_named_organisation_is_unlisted() -> None:
    wave = _wave()
    check_partner_organisations([wave])
    assert sorted(wave.rejects["row"].tolist()) == [2, 3, 4]
    responses = wave.frames["stg_partner_responses"]
    assert responses["org_id"].tolist() == [""]
    assert wave.frames["partner_ratings"].empty
