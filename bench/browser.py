"""From navigation to the last chart drawn, in headless Chromium, for every page (issue 13).

Starts the production server (gunicorn, as ``engage serve``; :mod:`serving`) on a warehouse given by ``--db``,
signs in through the sign-in form with a temporary ``netzwerk`` account (``--open``: without), and opens every
page of the dashboard in Debian's Chromium through Playwright, each time for a random town (or "Gesamtes
Netzwerk") and year, in three ways:

- ``erster Besuch``: a new browser context, signed in (the form's POST, no page loaded: its cache is empty), the
  page's URL typed in: HTML, scripts, plotly.js, layout, then the page's callbacks;
- ``erneut geladen``: the same URL again in that context (scripts from the browser cache, as a reload);
- ``Link``: from another page of the dashboard (not the meeting mode: it has no navigation bar), a click on
  the page's link in the navigation bar (what a reader does most: the app stays loaded, only the page
  content and its callbacks are fetched).

A script added to every document before the app's own records, in the page's clock, when each callback request
(``/_dash-update-component``) ends and when anything inside a Plotly chart changes (a MutationObserver on the
chart's DOM: Plotly draws by changing it). A page counts as drawn when no callback request is open or pending in
Dash's renderer, every chart of the page has been drawn by Plotly (not the placeholder a graph shows while
plotly.js loads) and nothing has changed for ``--quiet`` ms; its time is the last chart change (or the last
callback answer, if later) minus the navigation's start (for a link: the click). Prints per page and way
p50/p95/max; target ≤ 1 s for every page.

``--busy``: also the main thread's busy time per navigation, from a CPU profile of the page (Chromium's profiler,
every sample but "(idle)", from the navigation to the end of the quiet time). On a shared 2-core machine the drawn
time of the same page varies by ±150 ms from round to round; the busy time, the work the page's scripts and
layout cost, varies much less, so an A/B of a front-end change reads better from it. The profiler itself slows
the page a little: drawn times of a ``--busy`` run are not comparable with those of a run without.

    .venv/bin/python bench/browser.py --db sqlite:////tmp/l100.sqlite [--rounds 5] [--open] [--busy]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from serving import bench_account, production_server  # noqa: E402 - bench/ beside this file

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PAGES = {
    "overview": "/",
    "participation": "/engagement",
    "collaboration": "/zusammenarbeit",
    "goals": "/ziele",
    "comparison": "/vergleich",
    "methods": "/methodik",
    "meeting": "/sitzung",
}
VIEWPORT = {"width": 1600, "height": 900}
PROBE = """
(() => {
  const b = window.__bench = {open: 0, lastAnswer: 0, lastDraw: 0, start: 0, answers: 0};
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || '';
    const callback = url.includes('_dash-update-component');
    if (callback) { b.open += 1; }
    const done = () => { if (callback) { b.open -= 1; b.answers += 1; b.lastAnswer = performance.now(); } };
    return fetch0.apply(this, arguments).then(r => { done(); return r; }, e => { done(); throw e; });
  };
  new MutationObserver(records => {
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el && el.closest && el.closest('.js-plotly-plot')) { b.lastDraw = performance.now(); return; }
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();
"""
# every chart of the page drawn by Plotly (a dcc.Graph shows a placeholder until plotly.js is loaded and has drawn
# it): without this, a page whose callbacks had all answered counted as drawn while plotly.js was still loading
# and no callback pending in Dash's renderer (requested, blocked, prioritized, executing, …, not only those with a
# request open): otherwise a pause of the renderer between two rounds of callbacks counted as "drawn"
STATE = """() => {
  const graphs = Array.from(document.querySelectorAll('.dash-graph'));
  const drawn = graphs.filter(g => g.querySelector('.js-plotly-plot .main-svg')).length;
  const cb = window.store && window.store.getState ? window.store.getState().callbacks : null;
  const pending = cb ? ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed', 'stored']
    .reduce((n, k) => n + (cb[k] ? cb[k].length : 0), 0) : 0;
  return {now: performance.now(), graphs: graphs.length, drawn: drawn, pending: pending, ...window.__bench};
}"""


def settled(page, quiet_ms: float, timeout_s: float = 60.0) -> dict:  # noqa: ANN001 - a Playwright page
    """Wait until no callback is open and nothing changed for ``quiet_ms``; the probe's state then."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = page.evaluate(STATE)
        last = max(state["lastAnswer"], state["lastDraw"], state["start"])
        drawn = state["drawn"] == state["graphs"]
        idle = state["open"] == 0 and state["pending"] == 0 and state["answers"] > 0
        if idle and drawn and state["now"] - last >= quiet_ms:
            return state
        time.sleep(0.05)
    raise SystemExit(f"{page.url}: nach {timeout_s:.0f} s nicht fertig gezeichnet")


def busy_ms(profile: dict) -> float:
    """Milliseconds of a CPU profile's samples outside "(idle)": what the main thread worked."""
    idle = {n["id"] for n in profile["nodes"] if n["callFrame"]["functionName"] == "(idle)"}
    return sum(d for s, d in zip(profile["samples"], profile["timeDeltas"], strict=True) if s not in idle) / 1000


def drawn_ms(state: dict) -> float:
    return max(state["lastDraw"], state["lastAnswer"]) - state["start"]


def sign_in(context, base: str, credentials: tuple[str, str] | None) -> None:  # noqa: ANN001 - a browser context
    """Sign ``context`` in through the sign-in form's own POST (CSRF token from the form), without a page: the
    context's cookies then hold the session and its cache holds nothing, as a new reader's browser.

    Not by loading the form in a page and emptying the cache afterwards (``Network.clearBrowserCache``), as
    this benchmark did first: Chromium empties its cache in the background, and the first requests of the next
    navigation waited for it, 250–400 ms on the 2-core machine (the page's first stylesheet requested 340–450 ms
    after its HTML had arrived, against 30–50 ms once the cache was left a second to empty itself), time no
    reader's first visit has."""
    if credentials is None:
        return
    form = context.request.get(base + "/anmelden")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text())
    if token is None:
        raise SystemExit(f"Anmeldeformular ohne CSRF-Token (HTTP {form.status})")
    fields = {"csrf_token": token.group(1), "name": credentials[0], "password": credentials[1], "next": "/"}
    answer = context.request.post(base + "/anmelden", form=fields, max_redirects=0)
    if answer.status != 302:
        raise SystemExit(f"Anmeldung abgelehnt (HTTP {answer.status})")


def measure(
    base: str,
    credentials: tuple[str, str] | None,
    choices: tuple[list[str], list[int]],
    rounds: int,
    quiet: float,
    seed: int,
    busy: bool = False,
    pages: dict[str, str] = PAGES,
) -> tuple[dict[tuple[str, str], list[float]], dict[tuple[str, str], list[float]]]:
    """(page, way) → milliseconds from navigation to the last chart drawn, for random towns and years; and
    with ``busy`` (page, way) → the main thread's busy milliseconds of the same navigations."""
    from playwright.sync_api import sync_playwright

    towns, years = choices
    rng = random.Random(seed)
    times: dict[tuple[str, str], list[float]] = {}
    worked: dict[tuple[str, str], list[float]] = {}

    def note(page, cdp, name: str, way: str, go) -> None:  # noqa: ANN001 - Playwright page, CDP session, callable
        """One navigation (``go(page)``) timed to its last chart, and with ``busy`` profiled."""
        if busy:
            cdp.send("Profiler.start")
        go(page)
        ms = drawn_ms(settled(page, quiet))
        times.setdefault((name, way), []).append(ms)
        line = f"  {name} · {way}: {ms:.0f} ms"
        if busy:
            spent = busy_ms(cdp.send("Profiler.stop")["profile"])
            worked.setdefault((name, way), []).append(spent)
            line += f" (Hauptthread {spent:.0f} ms)"
        print(line, flush=True)  # progress: a loaded machine takes minutes

    def click(page, name: str) -> None:  # noqa: ANN001 - a Playwright page
        page.evaluate("() => { window.__bench.start = performance.now(); }")
        page.click(f"#nav-{name}")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for _ in range(rounds):
                for name, path in pages.items():
                    town = rng.choice([*towns, "netzwerk"])
                    year = rng.choice(years)
                    url = f"{base}{path}?town={town}&year={year}&lang=de"
                    context = browser.new_context(viewport=VIEWPORT, locale="de-DE")
                    context.add_init_script(PROBE)
                    sign_in(context, base, credentials)
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    if busy:
                        cdp.send("Profiler.enable")
                        cdp.send("Profiler.setSamplingInterval", {"interval": 250})  # µs
                    note(page, cdp, name, "erster Besuch", lambda pg, url=url: pg.goto(url))
                    note(page, cdp, name, "erneut geladen", lambda pg, url=url: pg.goto(url))
                    other = rng.choice([n for n in PAGES if n not in (name, "meeting")])  # meeting: no navbar
                    page.goto(url.replace(path + "?", PAGES[other] + "?"))
                    settled(page, quiet)
                    note(page, cdp, name, "Link", lambda pg, name=name: click(pg, name))
                    context.close()
        finally:
            browser.close()
    return times, worked


def pct(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="Warehouse-URL, z. B. sqlite:////tmp/l100.sqlite")
    parser.add_argument("--rounds", type=int, default=5, help="Aufrufe je Seite und Weg")
    parser.add_argument("--quiet", type=float, default=1000, help="ms ohne Änderung, ab denen eine Seite fertig ist")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--open", action="store_true", help="ohne Konto und Anmeldung (nur 127.0.0.1)")
    parser.add_argument("--busy", action="store_true", help="auch die Arbeitszeit des Hauptthreads (CPU-Profil)")
    parser.add_argument("--pages", default=",".join(PAGES), help=f"nur diese Seiten (Komma): {', '.join(PAGES)}")
    args = parser.parse_args()
    unknown = [p for p in args.pages.split(",") if p not in PAGES]
    if unknown:
        parser.error(f"unbekannte Seite: {', '.join(unknown)}")
    pages = {p: PAGES[p] for p in args.pages.split(",")}
    if not Path(CHROMIUM).exists():
        raise SystemExit("Chromium fehlt (/usr/bin/chromium): apt-get install chromium")

    from etl import warehouse

    towns = warehouse.towns(db=args.db)["ags"].tolist()
    years = warehouse.years(db=args.db)
    account = contextlib.nullcontext(None) if args.open else bench_account(args.db)
    with account as credentials, production_server(args.db) as base:
        times, worked = measure(base, credentials, (towns, years), args.rounds, args.quiet, args.seed, args.busy, pages)

    who = "ohne Anmeldung" if args.open else "angemeldet (Rolle netzwerk)"
    print(f"\n{len(towns)} Städte × {len(years)} Jahre, {args.rounds} Aufrufe je Seite und Weg, {who}")
    print("Navigation → letztes Diagramm gezeichnet, in ms (Chromium headless, 1600×900)")
    print(f"{'Seite':<15}{'Weg':<16}{'p50':>8}{'p95':>8}{'max':>8}  Ziel")
    worst = 0.0
    for (name, way), values in times.items():
        worst = max(worst, max(values))
        status = "ok" if max(values) <= 1000 else "ÜBER 1 s"
        print(f"{name:<15}{way:<16}{pct(values, 50):8.0f}{pct(values, 95):8.0f}{max(values):8.0f}  {status}")
    print(f"\nLangsamste Seite: {worst:.0f} ms (Ziel ≤ 1000 ms)")
    if worked:
        print("\nHauptthread beschäftigt (CPU-Profil ohne „(idle)“, bis zum Ende der Ruhezeit), in ms")
        print(f"{'Seite':<15}{'Weg':<16}{'p50':>8}{'p95':>8}{'max':>8}")
        for (name, way), values in worked.items():
            print(f"{name:<15}{way:<16}{pct(values, 50):8.0f}{pct(values, 95):8.0f}{max(values):8.0f}")
    load = os.getloadavg()
    print(f"Last des Rechners ({os.cpu_count()} Kerne): {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)")


if __name__ == "__main__":
    main()
