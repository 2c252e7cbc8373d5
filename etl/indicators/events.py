"""Event indicators (brief §5.3): how many participation formats and network meetings, who came.

Events count events, not persons, so these values are never suppressed (§6); n is the number of events.
"""

from __future__ import annotations

import pandas as pd

from etl.indicators.participation_common import finish_values, known, source_files
from etl.indicators.values import empty_values
from etl.model import CleanData

KEYS = ["town_ags", "year"]
TABLE = "stg_events"
SECTORS = ("civil_society", "politics", "administration", "business")  # the four institutional sectors (§1)


def event_values(clean: CleanData) -> pd.DataFrame:
    """``events`` and ``event_participants`` (total and by format) and ``multi_sector_event_share``.

    ``event_participants`` sums the known participant counts; a town-year (or format) where no event has
    a count gets no row rather than a misleading 0. An event counts as multi-sector when participants came
    from at least 3 of the 4 institutional sectors, an empty count being 0.
    """
    frame = clean.get(TABLE)
    if frame is None or frame.empty:
        return empty_values()
    ev = pd.DataFrame(
        {
            "town_ags": frame["town_ags"].astype(object),
            "year": pd.to_numeric(frame["year"]).astype("int64"),
            "format": known(frame["format"]) if "format" in frame.columns else pd.NA,
            "participants": pd.to_numeric(frame["participants"], errors="coerce"),
        }
    )
    present = sum((pd.to_numeric(frame[s], errors="coerce").fillna(0) > 0).astype(int) for s in SECTORS)
    ev["multi"] = (present >= 3).astype(float)
    parts = []
    for b in ("", "format"):
        keys = [*KEYS, b] if b else KEYS
        agg = (
            ev.groupby(keys, dropna=True)
            .agg(
                n=("year", "size"),
                participants=("participants", "sum"),
                with_count=("participants", "count"),
                multi=("multi", "sum"),
            )
            .reset_index()
        )
        group = agg[b].astype(object) if b else ""
        parts.append(agg.assign(indicator="events", value=agg["n"].astype(float), breakdown=b, group=group))
        has = agg.loc[agg["with_count"] > 0]
        parts.append(
            has.assign(
                indicator="event_participants",
                value=has["participants"].astype(float),
                n=has["n"],
                breakdown=b,
                group=has[b].astype(object) if b else "",
            )
        )
        if not b:
            parts.append(agg.assign(indicator="multi_sector_event_share", value=agg["multi"] / agg["n"]))
    rows = pd.concat(parts, ignore_index=True)[[*KEYS, "indicator", "breakdown", "group", "value", "n"]]
    files = source_files(
        frame.assign(town_ags=frame["town_ags"].astype(object), year=pd.to_numeric(frame["year"]).astype("int64")),
        KEYS,
        clean.source_files.get("events", []),
    )
    return finish_values(rows.merge(files, on=KEYS, how="left"))
