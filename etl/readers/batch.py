"""Validating many sources of one kind at once: the per-source cost of pandas, paid once per batch (issue 13).

A network folder has one ``[[sources]]`` block per town and kind, about a thousand small sources; checking
each on its own costs pandas' fixed overhead per call a thousand times over, far more than the rows. So the
kind readers read each source's files on their own (an unreadable file still stops only its own source),
then validate the rows of all sources of the batch as one frame: every row carries its source's position
in the column ``_src``, reasons name each source's own headers (:class:`etl.readers.checks.Header`),
duplicates are sought within a source only, and the results are split back into one
:class:`~etl.model.SourceResult` per source. What is decided per source (a wrongly mapped column, a file's
message) is still decided per source, so a source gives the same result in any batch, alone or with others,
serial or in worker processes (``engage run --jobs``).

A new kind needs only its ``load`` (one source's files → :class:`Loaded`) and a validation over a batch's
frame; a kind may also keep reading source by source (:data:`etl.readers.READERS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl.messages import Msg
from etl.model import SourceResult, SourceSpec
from etl.readers.checks import RejectLog, failed_result, finish, table_frame
from etl.readers.tabular import FileUnreadable

Part = tuple[str, np.ndarray, dict[str, np.ndarray]]  # (file, its row numbers, canonical name -> text)


@dataclass
class Loaded:
    """One source's files, read and mapped but not yet validated: per file its rows' columns as arrays."""

    parts: list[Part]  # canonical text columns (+ source_problem/_note) per file
    headers: dict[str, str]  # canonical -> the export's header, for messages
    counts: dict[str, int]  # rows read per file
    notes: dict[str, list[Msg]] = field(default_factory=dict)  # per file, for its message
    extra: dict[str, object] = field(default_factory=dict)  # what else a kind needs per source
    fill: object = None  # the text of a column a file lacks

    @property
    def frame(self) -> pd.DataFrame:
        """The source's rows as one frame (``source_file``, ``source_row``, the columns)."""
        return table_frame(self.parts, self.fill)


class Batch:
    """The loaded sources of one batch: their rows as one frame (``_src``), one reject log, per-source data."""

    def __init__(self, specs: list[SourceSpec], loaded: list[Loaded]) -> None:
        self.specs = specs
        self.loaded = loaded
        self.log = RejectLog(specs)
        self.log.headers = [item.headers for item in loaded]
        for i, item in enumerate(loaded):
            own = item.extra.get("log")
            if isinstance(own, RejectLog):  # rejects found while loading (answer texts of no answer)
                self.log.fold(own, i)
        parts = [part for item in loaded for part in item.parts]
        sizes = [sum(len(rows) for _, rows, _ in item.parts) for item in loaded]
        frame = table_frame(parts)
        frame["_src"] = np.repeat(np.arange(len(loaded), dtype=np.intp), sizes)
        self.frame = frame

    @property
    def headers(self) -> dict[str, str]:
        """The first source's headers (a batch of one source uses them as they are)."""
        return self.loaded[0].headers

    def per_row(self, rows: pd.DataFrame, values: list[object]) -> np.ndarray:
        """One value per source (``values[i]`` for source i) spread over ``rows``."""
        return np.asarray(values, dtype=object)[rows["_src"].to_numpy(dtype=np.intp)]

    def towns(self, rows: pd.DataFrame) -> pd.Series:
        """Each row's town (the manifest's ``town`` of its source), typed as a scalar assignment would type it."""
        towns = [s.town for s in self.specs]
        values = self.per_row(rows, towns)
        dtype = "str" if all(t is not None for t in towns) else object
        return pd.Series(values, index=rows.index, dtype=dtype)

    def results(
        self, frames: dict[str, pd.DataFrame], skipped: list[dict[str, int]] | None = None
    ) -> list[SourceResult]:
        """One :class:`SourceResult` per source of the batch from the batch's accepted rows (with ``_src``)."""
        n = len(self.specs)
        split = {name: _split(frame, n) for name, frame in frames.items()}
        out = []
        for i, (spec, item) in enumerate(zip(self.specs, self.loaded, strict=True)):
            mine = {name: parts[i] for name, parts in split.items()}
            out.append(finish(spec, mine, item.counts, self.log, item.notes, skipped[i] if skipped else None, src=i))
        return out


def _split(frame: pd.DataFrame, n: int) -> list[pd.DataFrame]:
    """The rows of each source (rows of a source are contiguous and in order), without ``_src``."""
    src = frame["_src"].to_numpy(dtype=np.intp)
    bounds = np.searchsorted(src, np.arange(n + 1), side="left")
    body = frame.drop(columns="_src")
    if n == 1:
        return [body]
    return [body.iloc[bounds[i] : bounds[i + 1]] for i in range(n)]


def read_batch(
    specs: list[SourceSpec],
    load: Callable[[SourceSpec], Loaded],
    validate: Callable[[Batch], list[SourceResult]],
) -> list[SourceResult]:
    """Load every source (a failure stops only its own), validate the loaded ones together, in ``specs`` order."""
    results: list[SourceResult | None] = []
    good_specs: list[SourceSpec] = []
    good: list[Loaded] = []
    for spec in specs:
        try:
            item = load(spec)
        except FileUnreadable as exc:
            results.append(failed_result(spec, exc.file, exc.msg))
            continue
        results.append(None)
        good_specs.append(spec)
        good.append(item)
    if good:
        validated = iter(validate(Batch(good_specs, good)))
        results = [r if r is not None else next(validated) for r in results]
    return results  # type: ignore[return-value]
