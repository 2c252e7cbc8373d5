"""The indicator catalogue: one definition per indicator, in German and English.

Everything that names or explains an indicator (the dashboard, the export, the notebooks, the goal
validation) takes it from here; the ETL stores it as ``mart_indicator_catalogue``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Indicator:
    id: str
    family: str  # participation, collaboration, goals
    name_de: str
    name_en: str
    description_de: str
    description_en: str
    formula_de: str
    formula_en: str
    unit: str  # share (0-1), count, per_1000, hours, index, score (mean rating), difference
    principle: str  # principles of brief §1 it serves, e.g. "P2, W1"
    source_kind: str
    breakdowns: tuple[str, ...] = ()
    higher_is_better: bool | None = True
    suppress: bool = True  # False: counts events or measures, not persons (brief §6)


# How the dashboard, the meeting mode and the report word a change against the previous value of a share with
# a 95 % interval (dashboard.headlines.change_state): appended to the descriptions of those indicators.
CHANGE_RULE_DE = (
    " Veränderung: „gestiegen“ oder „gesunken“ heißt es nur, wenn sich die 95-%-Intervalle des Jahres und des "
    "Vorwerts nicht überschneiden (berühren sie sich oder überlappen sie, ist der Unterschied nicht gesichert); "
    "sonst heißt es „etwa gleich (Unterschied im Rahmen der Unsicherheit)“. Der Vergleich der Intervalle ist "
    "vorsichtig: er nennt nur deutliche Veränderungen."
)
CHANGE_RULE_EN = (
    " Change: it reads 'up' or 'down' only when the 95 % intervals of the year and of the previous value do not "
    "overlap (touching or overlapping intervals mean the difference is not established); otherwise it reads "
    "'about the same (difference within the uncertainty)'. Comparing intervals is cautious: it names clear "
    "changes only."
)

from etl.indicators.catalogue.collaboration import COLLABORATION  # noqa: E402  (needs Indicator)
from etl.indicators.catalogue.participation import PARTICIPATION  # noqa: E402

# Every id of brief §5.2–§5.5: participation (§5.2, §5.3), then collaboration and goals (§5.4, §5.5).
CATALOGUE: tuple[Indicator, ...] = (*PARTICIPATION, *COLLABORATION)

BY_ID: dict[str, Indicator] = {i.id: i for i in CATALOGUE}


def catalogue_frame() -> pd.DataFrame:
    """The catalogue as rows of ``mart_indicator_catalogue``."""
    return pd.DataFrame(
        [
            {
                "indicator": i.id,
                "family": i.family,
                "name_de": i.name_de,
                "name_en": i.name_en,
                "description_de": i.description_de,
                "description_en": i.description_en,
                "formula_de": i.formula_de,
                "formula_en": i.formula_en,
                "unit": i.unit,
                "principle": i.principle,
                "source_kind": i.source_kind,
                "breakdowns": ",".join(i.breakdowns),
                "higher_is_better": i.higher_is_better,
            }
            for i in CATALOGUE
        ]
    )
