"""What a run keeps, kept out of the cyclic garbage collector's way (issue 13).

A run holds on to what it has read until it commits: at network scale about 450.000 objects the collector
tracks (the sources' results, their messages, the frames' internals), on top of the imports. Every full
collection walks all of them, and a run that keeps allocating (unpickling the reader processes' results,
building frames) starts one after each quarter of growth. Measured on the 100 × 10 demo: unpickling every
batch's results took 3,3–3,6 s CPU with the collector as it is, 1,0 s without it; a whole run with ``jobs=2``
about 8 s less CPU with the heap kept as here.

What the run keeps is not garbage, so it is frozen once it is kept (``gc.freeze``: moved to the permanent
generation the collector skips): the imports when the run starts, then each batch's results, then the
gathered tables and the indicators. Before each freeze the young generations are collected (cheap: what the
last step made), so no cycle a step left behind is frozen with what it kept. Frozen objects are still freed as
soon as nothing refers to them (reference counting); only cycles wait for the end of the run, when everything
is unfrozen and the collector works as before. A process that froze its heap itself (``gc.get_freeze_count``
> 0, e.g. a server that froze its start-up objects before forking) is left alone: unfreezing at the end of a
run would undo its freeze.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_active = False  # inside kept_heap(): keep() freezes; the collector's state is the process's, so is this flag


def keep() -> None:
    """What the collector tracks now is kept for the rest of the run (outside :func:`kept_heap`: nothing)."""
    if _active:
        gc.collect(1)
        gc.freeze()


@contextmanager
def kept_heap() -> Iterator[None]:
    """Within the block, :func:`keep` freezes what the run keeps; the imports are kept at once. At the end
    everything is unfrozen (a nested block, or a process with its own frozen heap, changes nothing)."""
    global _active
    if _active or gc.get_freeze_count():
        yield
        return
    _active = True
    try:
        keep()
        yield
    finally:
        _active = False
        gc.unfreeze()


def keep_imports() -> None:
    """A reader process's imports are kept for its life (it reads batches and ends with the run)."""
    gc.freeze()
