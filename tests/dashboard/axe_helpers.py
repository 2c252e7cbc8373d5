"""The real axe-core engine in headless Chromium and the German-leftover check, shared by every accessibility
test (the dashboard's pages in ``test_dashboard_axe_browser.py``, "Daten einspielen" in
``tests/intake/test_intake_a11y_browser.py``).

axe-core 4.x is the file the ``axe-playwright-python`` package ships (installed by ``make test-deps``, read
from disk here, never fetched). It is injected with ``page.evaluate``, which the app's Content-Security-Policy
does not block (no inline ``<script>`` is added to the page). Rules: the WCAG 2.0/2.1 A and AA tags.
"""

from __future__ import annotations

import string
from pathlib import Path

from dash_settle import settle

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PHONE = {"width": 390, "height": 844}


def axe_source() -> str:
    from axe_playwright_python.base import AXE_FILE_PATH

    source = Path(AXE_FILE_PATH).read_text(encoding="utf-8")
    assert source.startswith("/*! axe v4."), source[:40]
    return source


def _interface_pairs() -> list[tuple[str, str]]:
    """Every (German, English) pair of the interface: texts, labels, headlines, Sitzungsmodus, and what the
    intake page says (its kinds; its messages are ``intake.*`` keys of the text table)."""
    from dashboard import headlines
    from dashboard.i18n import LABELS, TEXT
    from dashboard.intake.plan import KIND_NAMES
    from dashboard.intake.said import KINDS_EN
    from dashboard.views import districts, meeting

    pairs = [*TEXT.values(), *(p for kind in LABELS.values() for p in kind.values())]
    pairs += [*headlines._TEXT.values(), *meeting._TEXT.values(), *districts._MEETING.values()]
    pairs += [(KIND_NAMES[k], KINDS_EN[k]) for k in KIND_NAMES]
    return pairs


def _message_pairs() -> list[tuple[str, str]]:
    """The ETL's messages (file messages and reject reasons, :data:`etl.messages.CATALOGUE`)."""
    from etl.messages import CATALOGUE

    return list(CATALOGUE.values())


def german_only_texts() -> set[str]:
    """Every interface text whose German wording differs from its English one (texts, labels, headlines,
    Sitzungsmodus, the intake's kinds and its messages without parameters): none of them may be a text of an
    English page. Texts with placeholders are left out here (:func:`german_fragments` finds their words)."""
    pairs = _interface_pairs()
    english = {en for _de, en in pairs}
    return {de for de, en in pairs if de != en and "{" not in de and de not in english}


def german_fragments(min_words: int = 2) -> set[str]:
    """The fixed German wording of every text and message *with* placeholders (the ETL's reasons and file
    messages, the intake's refusals, problems and progress): the literal pieces between the placeholders of at
    least ``min_words`` words that no English text contains — such a piece inside any text of an English page
    is a German sentence left there ("Duplikat von Zeile", " ist kein gültiges Datum")."""
    pairs = [*_interface_pairs(), *_message_pairs()]
    english = " ".join(en for _de, en in pairs)
    found = set()
    for de, _en in pairs:
        if "{" not in de:
            continue
        for literal, *_ in string.Formatter().parse(de):
            piece = literal.strip(" ;:,.()'„“\"–")
            if len(piece.split()) >= min_words and piece not in english:
                found.add(piece)
    return found


# each text node (not of a script: Dash's configuration is no text anyone reads), the names and titles of
# elements, the tab title: what a reader sees or hears
PAGE_TEXTS = """() => { const out = [document.title];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) { const node = walk.currentNode, s = node.textContent.trim();
    if (s && !['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(node.parentElement.tagName)) out.push(s); }
  document.querySelectorAll('[aria-label],[title],[alt]').forEach(e => ['aria-label', 'title', 'alt'].forEach(a => {
    const v = e.getAttribute(a); if (v) out.push(v.trim()); }));
  return out; }"""


def open_everything(page) -> None:  # noqa: ANN001
    """Every disclosure open (table alternatives, "n und Intervall", notes), so axe sees their content."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    settle(page)


def violations(page, source: str) -> list[str]:  # noqa: ANN001
    """axe-core's violations of the page as it is now: "rule (impact): targets" per rule."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    result = page.evaluate("options => axe.run(document, options)", WCAG)
    assert result["testEngine"]["version"].startswith("4."), result["testEngine"]
    assert result["passes"], "axe checked nothing"
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in result["violations"]]
