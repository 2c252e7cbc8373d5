"""etl.heap: what a run keeps is frozen during the run and unfrozen after it; a process's own freeze is left alone."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from etl import heap
from etl.pipeline import run_pipeline


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> weakref.ref:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_the_run_keeps_its_heap_frozen_and_unfreezes_it_at_the_end() -> None:
    assert gc.get_freeze_count() == 0
    with heap.kept_heap():
        assert gc.get_freeze_count() > 0  # the imports, at once
        kept = [_Node() for _ in range(1000)]
        before = gc.get_freeze_count()
        heap.keep()
        assert gc.get_freeze_count() >= before + len(kept)
    assert gc.get_freeze_count() == 0


def test_a_cycle_left_behind_is_collected_not_frozen() -> None:
    with heap.kept_heap():
        dead = _cycle()  # unreachable at once, but only the collector can free a cycle
        heap.keep()
        assert dead() is None


def test_keep_outside_a_run_changes_nothing() -> None:
    heap.keep()
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_its_own_heap_is_left_alone() -> None:
    gc.freeze()  # e.g. the dashboard server before forking its workers
    try:
        frozen = gc.get_freeze_count()
        with heap.kept_heap():
            heap.keep()
            assert gc.get_freeze_count() == frozen
        assert gc.get_freeze_count() == frozen  # not undone by the run's end
    finally:
        gc.unfreeze()


def test_a_run_leaves_nothing_frozen(demo_source: Path, tmp_path: Path) -> None:
    for jobs in (1, 2):
        summary = run_pipeline(demo_source, f"sqlite:///{tmp_path / f'w{jobs}.sqlite'}", jobs=jobs)
        assert summary.rows_loaded["stg_survey_responses"] > 0
        assert gc.get_freeze_count() == 0
