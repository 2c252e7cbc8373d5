"""Catalogue entries: collaboration indicators (see etl.indicators.catalogue)."""

from __future__ import annotations

from etl.indicators.catalogue import Indicator

COLLABORATION: tuple[Indicator, ...] = ()
