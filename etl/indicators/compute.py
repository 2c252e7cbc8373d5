"""Indicator computation: clean tables in, ``mart_*`` frames out (brief §5, suppression of §6).

Order matters and is fixed here: the participation and collaboration values are computed first, then
suppressed (so nothing downstream sees a small cell; the network map only of waves whose figures are
shown), then goals read the suppressed town totals, and the cross-town comparison ranks only values that
survived suppression.
"""

from __future__ import annotations

import pandas as pd

from etl.indicators.catalogue import catalogue_frame
from etl.indicators.comparison import comparison_frame
from etl.indicators.districts import district_shapes
from etl.indicators.events import event_values
from etl.indicators.goals import goal_frames
from etl.indicators.network import network_frames
from etl.indicators.registrations import registration_values
from etl.indicators.suppression import shown_network, suppress
from etl.indicators.survey import survey_values
from etl.indicators.values import VALUE_COLUMNS, empty_values
from etl.model import CleanData


def compute_indicators(clean: CleanData, run_id: int) -> dict[str, pd.DataFrame]:
    """Every mart frame of one run. Also writes the survey weights into ``clean.frames``."""
    min_cell = clean.manifest.project.min_cell
    network = network_frames(clean)
    raw = pd.concat(
        [
            empty_values(),
            survey_values(clean),
            registration_values(clean),
            event_values(clean),
            network.values,
        ],
        ignore_index=True,
    )
    values = suppress(raw, min_cell)
    nodes, ties = shown_network(network.nodes, network.ties, values)
    goals = goal_frames(clean, values)
    values = pd.concat([values, goals.values], ignore_index=True)[VALUE_COLUMNS]
    values["run_id"] = run_id
    return {
        "mart_indicator_catalogue": catalogue_frame(),
        "mart_indicator_values": values,
        "mart_comparison": comparison_frame(values, clean),
        "mart_network_nodes": nodes,
        "mart_network_ties": ties,
        "mart_goals": goals.goals,
        "mart_goal_status": goals.status,
        "mart_goal_values": goals.goal_values,
        "mart_measures": goals.measures,
        "mart_districts": district_shapes(clean),
    }
