"""The long form every indicator step returns: one row per town, indicator, year, breakdown and group."""

from __future__ import annotations

import pandas as pd

# Before suppression ``suppressed`` is False and ``suppression`` '' everywhere; etl.indicators.suppression sets
# both: ``suppression`` keeps the kind ('' shown, 'primary' too few behind it, 'secondary' hidden so that a
# small group cannot be computed from the numbers shown), so the views can say why a value is hidden.
VALUE_COLUMNS = [
    "town_ags",
    "indicator",
    "year",
    "breakdown",  # '' for the town total
    "group",  # '' for the town total
    "value",
    "n",
    "ci_low",
    "ci_high",
    "suppressed",
    "suppression",  # '', 'primary' or 'secondary' (etl.indicators.suppression)
    "weighted",  # survey rates: True weighted, False unweighted (see unweighted_reason); else None
    # survey rates with weighted False: why (etl.indicators.survey.UNWEIGHTED_REASONS); else None
    "unweighted_reason",
    "source_files",  # comma-separated file names behind the value (provenance)
]


def empty_values() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "town_ags": pd.Series(dtype="object"),
            "indicator": pd.Series(dtype="object"),
            "year": pd.Series(dtype="int64"),
            "breakdown": pd.Series(dtype="object"),
            "group": pd.Series(dtype="object"),
            "value": pd.Series(dtype="float64"),
            "n": pd.Series(dtype="Int64"),
            "ci_low": pd.Series(dtype="float64"),
            "ci_high": pd.Series(dtype="float64"),
            "suppressed": pd.Series(dtype="bool"),
            "suppression": pd.Series(dtype="object"),
            "weighted": pd.Series(dtype="object"),
            "unweighted_reason": pd.Series(dtype="object"),
            "source_files": pd.Series(dtype="object"),
        }
    )
