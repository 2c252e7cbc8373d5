"""Run in a separate process by test_open_and_proxy: hits the sign-in limiter's shared storage (no conftest
import here, so a spawned process can import this module on its own)."""

from __future__ import annotations

import multiprocessing


def hit(folder: str, n: int, out: multiprocessing.Queue) -> None:
    from limits import parse
    from limits.storage import storage_from_string
    from limits.strategies import FixedWindowRateLimiter

    import dashboard.auth.ratelimit  # noqa: F401 - registers the storage

    limiter = FixedWindowRateLimiter(storage_from_string(f"engage-dir://{folder}"))
    out.put([limiter.hit(parse("10 per minute"), "adresse") for _ in range(n)])
