"""Waiting in a browser test until the Dash app has done what it was asked, shared by every browser test.

Playwright's ``networkidle`` is no such signal: once the page has loaded, it is reached at once, before the
callbacks a click or a URL change sets off have even been requested (a CI run read a page between a town's
link changing the town selector and the page callback that draws the town's content). Nor is "no element is
loading": Dash marks a component only once its callback's request is on its way. The renderer's own queue is:
a changed input puts its callbacks into ``requested`` in the same dispatch that changes the value, and they
stay in one of the lists below until their outputs are drawn. So a page is settled when that queue is empty,
no component is loading and every chart has been drawn by Plotly — continuously for ``quiet_ms``, which covers
a browser event (a link's click, a history change) that reaches Dash only after a turn of the event loop.
"""

from __future__ import annotations

# True once the page has been idle for the given milliseconds without a break; ``window.__settle_since`` holds
# when the current idle stretch began (reset by any activity). Pages without Dash (the server's own HTML) are
# idle once loaded.
IDLE_FOR = """quiet => {
  const now = performance.now();
  const store = window.store && window.store.getState ? window.store.getState() : null;
  const cb = store ? store.callbacks : null;
  const pending = cb ? ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed', 'stored']
    .some(k => cb[k] && cb[k].length) : false;
  const dash = document.getElementById('react-entry-point');
  const busy = document.readyState !== 'complete'
    || (dash && (!store || !store.layout))
    || pending
    || document.querySelector('[data-dash-is-loading="true"]') !== null
    || Array.from(document.querySelectorAll('.dash-graph')).some(g => !g.querySelector('.main-svg'));
  if (busy) { window.__settle_since = undefined; return false; }
  if (window.__settle_since === undefined) { window.__settle_since = now; }
  return now - window.__settle_since >= quiet;
}"""


def settle(page, quiet_ms: int = 300, timeout_ms: int = 60_000) -> None:  # noqa: ANN001 - a Playwright page
    """Return once the app has answered every callback and drawn every chart, and stayed so for ``quiet_ms``."""
    page.wait_for_load_state("load")
    page.evaluate("() => { window.__settle_since = undefined; }")
    page.wait_for_function(IDLE_FOR, arg=quiet_ms, timeout=timeout_ms, polling=50)
