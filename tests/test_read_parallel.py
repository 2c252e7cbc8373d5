"""The reader processes of a run (etl.pipeline._read_parallel): every batch once, longest first, errors out.

With ``--jobs`` above 1 the run and its worker processes take batches from one queue, and a feeder thread
keeps the workers supplied while the run reads a long batch of its own (issue 13). What the batches give is
checked against a serial run in test_pipeline; here the queue itself, with real spawned workers.
"""

from __future__ import annotations

import multiprocessing
import operator
import os
import threading
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

import pytest

from etl.model import SourceSpec
from etl.pipeline import _read_parallel, batch_cost


def _spec(folder: Path, name: str, size: int) -> SourceSpec:
    path = folder / name
    path.write_bytes(b"x" * size)
    return SourceSpec(kind="events", label=name, path=name, files=(path,), base_dir=folder)


def test_an_xlsx_byte_costs_more_than_a_csv_byte_and_every_source_costs_something(tmp_path: Path) -> None:
    csv, xlsx = _spec(tmp_path, "a.csv", 100_000), _spec(tmp_path, "a.xlsx", 100_000)
    missing = SourceSpec(kind="events", label="b", path="b.csv", files=(tmp_path / "b.csv",), base_dir=tmp_path)
    assert batch_cost([xlsx]) > 10 * (batch_cost([csv]) - batch_cost([missing]))
    assert batch_cost([missing]) > 0
    assert batch_cost([csv, csv]) == pytest.approx(2 * batch_cost([csv]))


def test_every_batch_is_read_once_by_the_run_or_a_worker(tmp_path: Path) -> None:
    sizes = [10, 5000, 300, 70_000, 1, 900, 20_000, 4]
    batch_specs = [[_spec(tmp_path, f"{i}.csv", size)] * (i % 3 + 1) for i, size in enumerate(sizes)]
    got = list(_read_parallel(batch_specs, len, workers=2))  # len: a reader any spawned process can unpickle
    assert sorted(g for g, _ in got) == list(range(len(sizes)))
    assert all(n == len(batch_specs[g]) for g, n in got)
    assert not [t for t in threading.enumerate() if t.name == "engage-read-feeder"]


def test_a_reader_error_ends_the_reading_and_leaves_no_thread(tmp_path: Path) -> None:
    batch_specs = [[_spec(tmp_path, f"{i}.csv", 100 * i)] for i in range(6)]
    with pytest.raises(TypeError):
        list(_read_parallel(batch_specs, partial(operator.truediv, 1), workers=1))
    assert not [t for t in threading.enumerate() if t.name == "engage-read-feeder"]


def _die_in_a_worker(specs: list[SourceSpec]) -> int:
    """A reader that kills any worker process running it (as the kernel's OOM killer would)."""
    if multiprocessing.parent_process() is not None:
        os._exit(1)
    return len(specs)


def test_a_killed_worker_ends_the_reading_with_an_error_not_a_hang(tmp_path: Path) -> None:
    batch_specs = [[_spec(tmp_path, f"{i}.csv", 100 * i)] for i in range(8)]
    with pytest.raises(BrokenProcessPool):
        list(_read_parallel(batch_specs, _die_in_a_worker, workers=1))
    assert not [t for t in threading.enumerate() if t.name == "engage-read-feeder"]
