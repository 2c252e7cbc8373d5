"""Helpers of the intake browser tests: the demo's towns and signing in through the real form."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hosting"))

from hosting_helpers import PASSWORD  # noqa: E402

TOWN_B = "99001012"  # Beispielhausen: its registrations come as CSV
TOWN_C = "99001023"  # Fiktivingen


def browser_sign_in(page, base: str, name: str) -> None:  # noqa: ANN001 - a playwright Page
    page.goto(f"{base}/anmelden")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
