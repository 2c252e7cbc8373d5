"""The served app's start-up objects are frozen before the workers fork (dashboard.server.freeze_startup_objects):
a worker's full garbage collection then walks only what it made itself, not the whole app again (issue 13)."""

from __future__ import annotations

import gc

from dashboard.server import freeze_startup_objects


def test_the_objects_alive_at_start_are_left_out_of_later_collections() -> None:
    kept = {"layout": [list(range(3)) for _ in range(1000)]}  # long-lived containers, as the app's layouts
    try:
        freeze_startup_objects()
        frozen = gc.get_freeze_count()
        assert frozen >= 1000
        assert not any(obj is kept for obj in gc.get_objects())  # no generation walks them any more
        made_later = [[i] for i in range(10)]
        assert any(obj is made_later for obj in gc.get_objects())  # what a worker makes later is still collected
    finally:
        gc.unfreeze()
