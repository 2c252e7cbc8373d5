"""The stylesheets use no :has() selector (issue 13).

A ``:has()`` over the document (``body:has(.meeting-root)``) is checked again at every change of the page, and
Plotly makes thousands while it draws: on the 100-town warehouse it made the Engagement page 1–2 s slower from
navigation to the last chart (bench/browser.py: a link 0,7 → 2,4 s). Page-wide states are classes set by a
script instead (``body.meeting-page``, assets/meeting.js).
"""

from __future__ import annotations

import re
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "dashboard" / "assets"


def test_no_stylesheet_uses_has() -> None:
    found = []
    for sheet in sorted(ASSETS.glob("*.css")):
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)  # comments may name it
        found += [f"{sheet.name}: {line.strip()}" for line in text.splitlines() if ":has(" in line]
    assert found == []


def test_the_meeting_page_is_marked_by_the_script() -> None:
    css = (ASSETS / "meeting.css").read_text(encoding="utf-8")
    script = (ASSETS / "meeting.js").read_text(encoding="utf-8")
    assert "body.meeting-page" in css and '"meeting-page"' in script
