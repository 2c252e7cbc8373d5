"""Translations complete in both languages; colours meet WCAG 2.1 AA contrast."""

from __future__ import annotations

import re

import pytest

from dashboard import palette
from dashboard.i18n import LABELS, TEXT, label, norm_lang, t


def test_every_text_has_german_and_english_with_the_same_placeholders() -> None:
    for key, (de, en) in TEXT.items():
        assert de.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)}", de)) == set(re.findall(r"{(\w+)}", en)), key


def test_labels_and_fallbacks() -> None:
    assert t("shell.network") == "Gesamtes Netzwerk"
    assert t("shell.network", "en") == "Whole network"
    assert t("msg.suppressed", min_cell=5) == "weniger als 5 Antworten"
    assert t("unknown.key") == "unknown.key"
    assert label("gender", "w") == "Frauen"
    assert label("sector", "civil_society", "en") == "Civil society"
    assert label("district", "03") == "Stadtteil 03"
    assert label("area", "sq004") == "Sozialer Bereich"  # the 14 areas by name, in both languages (issue 15)
    assert label("area", "SQ004", "en") == label("area", "Sozialer Bereich", "en") == "Social services"
    assert label("area", "sq099") == "Bereich 99"
    from etl.model import SOURCE_KINDS

    for kind in SOURCE_KINDS:  # Methodik names every source kind in words, never its internal id
        assert kind in LABELS["source_kind"] and label("source_kind", kind) != kind
    assert label("gender", "x") == "x"
    assert norm_lang("EN") == "en" and norm_lang(None) == "de" and norm_lang("fr") == "de"
    for kind, codes in LABELS.items():
        for code, (de, en) in codes.items():
            assert de and en, (kind, code)


@pytest.mark.parametrize(
    "colour",
    [*palette.SERIES, *palette.SECTOR.values(), *palette.STATUS.values(), palette.HIGHLIGHT, palette.OTHERS],
)
def test_marks_reach_3_to_1_against_white(colour: str) -> None:
    """WCAG 2.1 SC 1.4.11: graphical objects need 3:1 against their background."""
    assert palette.contrast_ratio(colour) >= 3.0


def test_text_colours_reach_4_5_to_1() -> None:
    assert palette.contrast_ratio(palette.TEXT) >= 4.5
    assert palette.contrast_ratio(palette.MUTED) >= 4.5
    assert palette.contrast_ratio("#FFFFFF", "#1f3a5f") >= 4.5  # navbar text
    assert palette.contrast_ratio("#FFFFFF", palette.SERIES[0]) >= 4.5  # values inside bars
    assert round(palette.contrast_ratio("#000000"), 1) == 21.0


def test_sectors_have_distinct_colours_and_symbols() -> None:
    assert len(set(palette.SECTOR.values())) == 4
    assert len(set(palette.SECTOR_SYMBOL.values())) == 4
