"""Colours: Okabe-Ito hues (distinguishable with the common colour-vision deficiencies), darkened where
needed so every mark reaches WCAG 2.1 AA non-text contrast (3:1) against the white plot background.

Colour is never the only carrier of meaning: statuses and sectors also appear as text labels and, in the
network map, as marker symbols.
"""

from __future__ import annotations

BACKGROUND = "#FFFFFF"
TEXT = "#212529"
NAVY = "#1f3a5f"  # navbar, meeting-mode accents
PAGE = "#f6f7f9"  # the page behind the cards
BANNER = "#fff3cd"  # the demo-data banner
STRIPE = "#f2f2f2"  # Bootstrap's striped table row (5 % black on white)
INK = "#111111"  # dark text on light marks (bar labels on light bar colours)

# The keyboard focus ring (WCAG 2.4.7, 1.4.11: at least 3:1 against every background it is drawn on). It is
# drawn 2 px outside the focused element, so what counts is the background around the element: a dark ring
# on the light surfaces, a light one in the navy navbar. assets/10-style.css sets exactly these colours
# (``--em-focus``, ``--em-focus-on-dark``); tests/dashboard/test_dashboard_contrast.py checks both.
FOCUS = "#0b3d91"
FOCUS_ON_DARK = "#ffd166"
LIGHT_SURFACES = {"card": BACKGROUND, "page": PAGE, "banner": BANNER, "stripe": STRIPE}
DARK_SURFACES = {"navbar": NAVY}
MUTED = "#595959"  # secondary text, 7:1 on white
GRID = "#D9D9D9"

# Okabe-Ito: blue, vermillion, bluish green, reddish purple, orange (darkened), black
SERIES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#AD7200", "#000000"]

SECTOR = {
    "civil_society": "#009E73",
    "politics": "#0072B2",
    "administration": "#AD7200",
    "business": "#CC79A7",
}
SECTOR_SYMBOL = {
    "civil_society": "circle",
    "politics": "square",
    "administration": "diamond",
    "business": "triangle-up",
}

STATUS = {
    "achieved": "#0072B2",
    "on_track": "#009E73",
    "at_risk": "#AD7200",
    "off_track": "#D55E00",
    "no_data": "#767676",
}
# More categories than SERIES colours (e.g. ten event formats): the colours repeat with a filled hatch drawn
# over them (plotly ``pattern`` with ``fillmode`` overlay, so the segment keeps its colour), which keeps every
# category tellable apart without relying on hue alone; beyond MAX_CATEGORIES the smallest categories are
# grouped into "weitere" by the figure builder.
PATTERNS = ["", "/", "x", "."]
MAX_CATEGORIES = len(SERIES) * len(PATTERNS)


def categorical(count: int) -> list[tuple[str, str]]:
    """``count`` (colour, hatch shape) pairs, all filled: plain colours first, then the colours with a hatch."""
    return [(SERIES[i % len(SERIES)], PATTERNS[(i // len(SERIES)) % len(PATTERNS)]) for i in range(count)]


HIGHLIGHT = "#D55E00"
OTHERS = "#0072B2"
BAND = "rgba(0, 114, 178, 0.15)"  # interval bands: fill behind a line that itself meets 3:1
TIE = "#9A9A9A"


def label_colour(fill: str) -> str:
    """The text colour for a label drawn on a mark of colour ``fill``: white or near-black, whichever reads
    better (white on the orange, green and pink of the series reaches only 3.1–3.9:1; near-black 5–7:1)."""
    return max(("#FFFFFF", INK), key=lambda c: contrast_ratio(c, fill))


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of an ``#RRGGBB`` colour."""
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str = BACKGROUND) -> float:
    """WCAG contrast ratio between two colours (1–21)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
