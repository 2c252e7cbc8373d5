"""Readers: one manifest source in, validated and pseudonymised clean frames out (brief §3, §4, §6).

:func:`read_source` dispatches on the source kind. Every reader reads all files of its source as text,
types and checks each field (:mod:`etl.readers.fields`), rejects bad rows with their file, row, column and
a German reason, removes duplicates across the source's files and reports per file. A file that cannot be
read at all stops its source with one clear message instead of raising, so the other sources still load.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.checks import failed_result
from etl.readers.districts import read_districts
from etl.readers.events import read_events
from etl.readers.goals import read_goals
from etl.readers.organisations import read_organisations
from etl.readers.partner_survey import read_partner_survey
from etl.readers.population import read_population
from etl.readers.registrations import read_registrations
from etl.readers.resident_survey import read_resident_survey
from etl.readers.tabular import FileUnreadable

Pseudonymiser = Callable[[pd.Series], pd.Series]

READERS: dict[str, Callable[[SourceSpec, Project, tuple[Town, ...], Pseudonymiser], SourceResult]] = {
    "population": read_population,
    "resident_survey": read_resident_survey,
    "partner_survey": read_partner_survey,
    "organisations": read_organisations,
    "registrations": read_registrations,
    "events": read_events,
    "goals": read_goals,
    "districts": read_districts,
}


def read_source(
    spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser: Pseudonymiser
) -> SourceResult:
    """Read, check and clean all files of one source; an unreadable file gives a failed result."""
    try:
        return READERS[spec.kind](spec, project, towns, pseudonymiser)
    except FileUnreadable as exc:
        return failed_result(spec, exc.file, str(exc))
