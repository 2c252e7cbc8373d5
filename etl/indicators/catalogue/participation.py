"""Catalogue entries: participation indicators (see etl.indicators.catalogue)."""

from __future__ import annotations

from etl.indicators.catalogue import Indicator

PARTICIPATION: tuple[Indicator, ...] = ()
