"""The participation catalogue: every indicator of brief §5.2/§5.3, defined in German and English."""

from __future__ import annotations

import re

import pytest

from etl import tables
from etl.indicators import registrations, survey
from etl.indicators.catalogue import BY_ID, CATALOGUE, catalogue_frame
from etl.indicators.catalogue.participation import PARTICIPATION

# brief §5.2 and §5.3: id → breakdowns ("by")
BRIEF = {
    "engagement_rate": ("age_band", "gender", "district", "edu", "mig"),
    "willingness_rate": ("age_band", "gender"),
    "hours_per_month": (),
    "participation_rate": ("age_band", "gender", "district"),
    "ease_agree": ("age_band", "gender", "district"),
    "info_agree": ("age_band", "gender"),
    "recognition_agree": (),
    "office_awareness": ("age_band",),
    "engagement_area_share": ("area",),
    "registered_volunteers": ("age_band", "gender", "area", "district"),
    "registered_per_1000": ("district",),  # issue 16: the district map
    "new_volunteers": (),
    "retention_rate": (),
    "representation_index": ("age_band", "gender", "district"),
    "events": ("format",),
    "event_participants": ("format",),
    "multi_sector_event_share": (),
}
PRINCIPLES = {"P1", "P2", "P3", "P4", "P5", "W1", "W2", "W3", "W4", "W5"}


def test_every_brief_indicator_once_with_its_breakdowns() -> None:
    ids = [i.id for i in PARTICIPATION]
    assert sorted(ids) == sorted(BRIEF) and len(ids) == len(set(ids))
    for indicator in PARTICIPATION:
        assert indicator.breakdowns == BRIEF[indicator.id], indicator.id
        assert indicator.family == "participation"


@pytest.mark.parametrize("indicator", PARTICIPATION, ids=lambda i: i.id)
def test_definitions_are_complete(indicator) -> None:
    for text in (indicator.name_de, indicator.name_en, indicator.formula_de, indicator.formula_en):
        assert text.strip() and text == text.strip()
    assert len(indicator.description_de) > 40 and len(indicator.description_en) > 40
    assert indicator.unit in {"share", "count", "per_1000", "hours", "index"}
    assert {p.strip() for p in indicator.principle.split(",")} <= PRINCIPLES
    assert indicator.source_kind.split(", ")[0] in {"resident_survey", "registrations", "events"}
    assert not re.search(r"[A-Za-z]_[a-z]", indicator.name_de), "German names are words, not ids"


def test_principles_units_and_suppression_as_agreed() -> None:
    assert BY_ID["engagement_rate"].principle == "P2, P3"
    assert BY_ID["ease_agree"].principle == "W1"
    assert BY_ID["info_agree"].principle == BY_ID["recognition_agree"].principle == "W3"
    assert BY_ID["office_awareness"].principle == "W4"
    assert BY_ID["representation_index"].principle == "W1"
    assert BY_ID["multi_sector_event_share"].principle == "P1, W2"
    assert all(BY_ID[i].principle == "P2" for i in ("registered_volunteers", "registered_per_1000", "new_volunteers"))
    assert {i.id for i in PARTICIPATION if not i.suppress} == {
        "events",
        "event_participants",
        "multi_sector_event_share",
    }
    assert BY_ID["hours_per_month"].unit == "hours" and BY_ID["registered_per_1000"].unit == "per_1000"
    assert BY_ID["representation_index"].unit == "index" and BY_ID["representation_index"].higher_is_better is None


def test_computation_uses_the_catalogue_breakdowns() -> None:
    assert set(registrations.GROUPS) == set(BY_ID["registered_volunteers"].breakdowns)
    assert set(registrations.REPRESENTATION) == set(BY_ID["representation_index"].breakdowns)
    survey_breakdowns = {b for i in CATALOGUE if i.source_kind == "resident_survey" for b in i.breakdowns}
    assert survey_breakdowns - {"area"} <= set(survey.GROUP_COLUMNS)


def test_catalogue_frame_matches_the_mart_table() -> None:
    frame = catalogue_frame()
    assert list(frame.columns) == [c.name for c in tables.mart_indicator_catalogue.columns]
    assert frame["indicator"].is_unique
    assert set(BRIEF) <= set(frame["indicator"])
    row = frame.set_index("indicator").loc["engagement_rate"]
    assert row["breakdowns"] == "age_band,gender,district,edu,mig" and row["name_de"] == "Engagementquote"
