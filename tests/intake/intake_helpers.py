"""Helpers of the intake browser tests: the demo's towns, signing in through the real form, dropping a file
and waiting for its preview."""

from __future__ import annotations

import base64
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


def drop(page, name: str, data: bytes) -> None:  # noqa: ANN001
    page.set_input_files(
        "#intake-upload input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def wait_preview(page) -> None:  # noqa: ANN001
    """Until the preview of the dropped file is shown (and no refusal or failure instead)."""
    page.wait_for_selector(".intake-counts, #intake-upload-msg .alert, #intake-progress .alert", timeout=300_000)
    assert page.locator("#intake-upload-msg .alert, #intake-progress .alert").count() == 0, page.locator(
        "#intake-form"
    ).inner_text()
    page.wait_for_function("() => !document.querySelector('#intake-progress-text')", timeout=120_000)


def upload(name: str, data: bytes) -> dict:
    """A file as Dash's upload component hands it to the intake's callback (a base64 data URL)."""
    return {"name": name, "contents": "data:text/csv;base64," + base64.b64encode(data).decode()}


def texts(parts: object) -> str:
    """Every string of a rendered component tree (what the page would show), joined."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str | int | float):
            found.append(str(node))
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)
        elif node is not None:
            walk(getattr(node, "children", None))
            for option in getattr(node, "options", None) or []:
                found.append(str(option.get("label", "")) if isinstance(option, dict) else str(option))

    walk(parts)
    return "\n".join(found)
