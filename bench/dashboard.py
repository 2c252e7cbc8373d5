"""Benchmark of the dashboard's callbacks on a network-scale warehouse (issue 5, issue 13).

Builds (or takes via ``--db``) a warehouse of 100 towns × 10 years, starts the production server as
``engage serve`` does (gunicorn, debug off; :mod:`serving`), signs in with a temporary ``netzwerk`` account
(``--open``: a warehouse without accounts, served open on loopback) and times every server callback over HTTP:
``POST /_dash-update-component`` with the payload the browser sends — every page's content and the shell's URL
sync of a page link, and every callback of a page for a random town (or "Gesamtes Netzwerk"), year and random page
controls (indicator, breakdown, peer group, goal: values offered by the page's own selectors). Answers kept by
the server's callback cache (``X-Engage-Cache: hit``) are counted apart: the target is on computed answers.
Next to it, the time to build the same result in-process from in-memory DataFrames (warehouse reads
already cached, run check bypassed), i.e. the share of the time spent in figure and table building (results
kept by :mod:`dashboard.memo`, such as the headlines, are then kept too).
Prints p50/p95 per callback; target p95 ≤ 100 ms.

    .venv/bin/python bench/dashboard.py [--db URL] [--towns 100] [--years 10] [--changes 30] [--open]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from serving import Session, bench_account, production_server  # noqa: E402 - bench/ beside this file

PAGES = {
    "meeting-": "Sitzung",
    "ov-": "Übersicht",
    "part-": "Engagement",
    "collab-": "Zusammenarbeit",
    "goals-": "Ziele",
    "cmp-": "Vergleich",
    "methods-": "Methodik",
    "districts": "Sitzung",
}
PATHS = ["/", "/engagement", "/zusammenarbeit", "/ziele", "/vergleich", "/methodik", "/sitzung"]
CONTROL_DEFAULTS = {
    "part-indicator": "engagement_rate",
    "part-by": "age_band",
    "part-map-indicator": "engagement_rate",
    "cmp-indicator": "engagement_rate",
    "cmp-peer": "alle",
    "goals-choose": None,
}
SHELL = ("shell-town", "shell-year", "shell-lang")
PAGE_CONTENT = "_pages_content"
URL_SYNC = "shell-town.options"  # the shell's URL → selectors callback (its first output)
GOAL_OPTIONS = "goals-choose.options"


def synthetic_warehouse(path: Path, towns: int, years: int) -> str:
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "tests" / "dashboard" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["synthetic"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    started = time.perf_counter()
    module.write_synthetic(url, towns=towns, years=years, first_year=2016)
    print(f"Synthetisches Warehouse ({towns} Städte × {years} Jahre) in {time.perf_counter() - started:.1f} s: {path}")
    return url


def parse_outputs(output: str) -> list[dict[str, str]] | dict[str, str]:
    if output.startswith(".."):
        parts = [p for p in output.strip(".").split("...") if p]
        return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    cid, prop = output.rsplit(".", 1)
    return {"id": cid, "property": prop}


def payload(dep: dict, values: dict[str, object]) -> bytes:
    """The body the browser posts for ``dep`` with the given component values (by id, or "id.prop")."""

    def value(item: dict) -> object:
        return values.get(f"{item['id']}.{item['property']}", values.get(item["id"]))

    inputs = [{**i, "value": value(i)} for i in dep["inputs"]]
    state = [{**s, "value": value(s)} for s in dep.get("state", [])]
    changed = [f"{i['id']}.{i['property']}" for i in dep["inputs"]][:2]
    body = {"output": dep["output"], "outputs": parse_outputs(dep["output"]), "inputs": inputs, "state": state}
    return json.dumps({**body, "changedPropIds": changed}).encode()


def server_callbacks(session: Session) -> tuple[list[dict], dict, dict]:
    """The page callbacks (fired by the town/year/language selectors), the page-content and URL-sync callbacks."""
    deps = json.loads(session.get("/_dash-dependencies"))
    server = [d for d in deps if d.get("clientside_function") is None]
    page = [
        d for d in server if not d.get("prevent_initial_call") and any(i["id"] == "shell-town" for i in d["inputs"])
    ]
    content = next(d for d in server if PAGE_CONTENT in d["output"])
    sync = next(d for d in server if URL_SYNC in d["output"])
    return page, content, sync


def key_of(dep: dict) -> str:
    first = parse_outputs(dep["output"])
    cid = (first[0] if isinstance(first, list) else first)["id"]
    for suffix in ("-graph", "-table", "-note", "-value", "-options", "-heading"):
        cid = cid.removesuffix(suffix)
    return cid


def selector_values(layout: object) -> dict[str, list[object]]:
    """id → the values a page's selectors offer, found in the layout a page-content answer carries."""
    found: dict[str, list[object]] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and isinstance(props.get("id"), str) and isinstance(props.get("options"), list):
                found[props["id"]] = [o.get("value") for o in props["options"] if isinstance(o, dict)]
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(layout)
    return found


def page_selectors(session: Session, content: dict) -> dict[str, list[object]]:
    options: dict[str, list[object]] = {}
    for path in PATHS:
        body = payload(content, {"_pages_location.pathname": path, "_pages_location.search": ""})
        options |= selector_values(json.loads(session.post_json("/_dash-update-component", body)[1]))
    return {k: v for k, v in options.items() if k in CONTROL_DEFAULTS and v}


@contextlib.contextmanager
def signed_in_session(db: str, open_: bool) -> Iterator[Session]:
    """A session on the production server, signed in with a temporary account unless ``open_``."""
    account = contextlib.nullcontext(None) if open_ else bench_account(db)
    with account as credentials, production_server(db) as base:
        session = Session(base)
        if credentials is not None:
            session.sign_in(*credentials)
        for _ in range(300):  # the workers are forked after the app is built: wait until one answers
            try:
                session.get("/_dash-dependencies")
                break
            except OSError:
                time.sleep(0.2)
        yield session


def time_http(
    session: Session, changes: list[tuple[str, int]], rng: random.Random
) -> dict[str, list[tuple[float, str]]]:
    """Replay ``changes`` (town, year) over HTTP: per change every page's content, the URL sync of a link and
    every page callback with random page controls; callback output → [(ms, cache status)]."""
    deps, content, sync = server_callbacks(session)
    options = page_selectors(session, content)
    goal_deps = [d for d in deps if GOAL_OPTIONS in d["output"]]
    others = [d for d in deps if GOAL_OPTIONS not in d["output"]]
    out: dict[str, list[tuple[float, str]]] = {}

    def post(dep: dict, values: dict[str, object], key: str | None = None) -> bytes:
        ms, answer, cache = session.post_json("/_dash-update-component", payload(dep, values))
        out.setdefault(key or dep["output"], []).append((ms, cache))
        return answer

    for town, year in changes:
        search = f"?town={town}&year={year}&lang=de"
        # every page's content once per change (in random order), so each page has as many samples as a
        # callback, for random towns and years; then the URL sync of a link to one of them
        for path in rng.sample(PATHS, len(PATHS)):
            link = {"_pages_location.pathname": path, "_pages_location.search": search, "url.search": search}
            post(content, link, f"Seiteninhalt {path}")
        post(sync, link | {"shell-town": None, "shell-year": None, "shell-lang": "de"}, "shell-sync")
        values: dict[str, object] = {"shell-town": town, "shell-year": str(year), "shell-lang": "de"}
        values |= {cid: rng.choice(options.get(cid) or [default]) for cid, default in CONTROL_DEFAULTS.items()}
        for dep in goal_deps:  # the goal selector's options come from the town: pick one of them, as a user would
            answer = json.loads(post(dep, values | {"goals-choose": None}) or b"{}")
            offered = answer.get("response", {}).get("goals-choose", {}).get("options") or []
            values["goals-choose"] = rng.choice(offered)["value"] if offered else None
        for dep in others:
            post(dep, values)
    return out


def in_memory_builders() -> dict[str, object]:
    """chart key → build function, for the in-process timing."""
    from dashboard.views import collaboration, comparison, goals, meeting, methods, overview, participation

    builders: dict[str, object] = {
        spec.key: spec.build for m in (participation, collaboration, goals, methods) for spec in m.SPECS
    }
    builders[comparison.SPEC.key] = comparison.SPEC.build
    builders[overview.TABLE.key] = overview.TABLE.build
    builders["ov-cards"] = lambda view, _c: overview.headline_cards(view)
    for key in meeting.SCREENS:  # one callback per screen (their outputs' ids: meeting-<screen>-…)
        builders[f"meeting-{key}"] = lambda view, _c, key=key: meeting.screen_of(view, key, meeting.CHART_HEIGHT)
    return builders


def time_in_memory(db: str, changes: list[tuple[str, int]]) -> dict[str, list[float]]:
    from dashboard.state import View, load_view
    from etl import warehouse

    run = warehouse.check(db).run_key
    warehouse._run_key = lambda _engine: run  # type: ignore[assignment]  # reads straight from the cache
    controls = dict(CONTROL_DEFAULTS)
    out: dict[str, list[float]] = {}
    for town, year in changes:
        view = load_view(town, year, "de", db=db)
        assert isinstance(view, View)
        for key, build in in_memory_builders().items():
            build(view, controls)  # warm: data now in memory
            started = time.perf_counter()
            build(view, controls)
            out.setdefault(key, []).append((time.perf_counter() - started) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def label_of(output: str) -> tuple[str, str]:
    """(page, callback) names of a timed output for the table."""
    if output.startswith(("Seiteninhalt", "shell-sync")):
        return "Navigation", output
    key = key_of({"output": output})
    page = next((name for prefix, name in PAGES.items() if key.startswith(prefix)), "?")
    return page, key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="vorhandenes Warehouse statt des synthetischen")
    parser.add_argument("--towns", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--changes", type=int, default=30, help="Filterwechsel je Callback")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--open", action="store_true", help="ohne Konto und Anmeldung (nur 127.0.0.1)")
    parser.add_argument("--no-memory", action="store_true", help="ohne die Zeiten im Prozess")
    args = parser.parse_args()
    db = args.db or synthetic_warehouse(ROOT / "bench" / "out" / "wh.sqlite", args.towns, args.years)

    from etl import warehouse

    towns = warehouse.towns(db=db)["ags"].tolist()
    years = warehouse.years(db=db)
    rng = random.Random(args.seed)
    changes = [(rng.choice(towns + ["netzwerk"]), rng.choice(years)) for _ in range(args.changes)]
    with signed_in_session(db, args.open) as session:
        time_http(session, [(towns[0], years[-1]), ("netzwerk", years[-1])], random.Random(0))  # warm-up
        http = time_http(session, changes, rng)
    memory = {} if args.no_memory else time_in_memory(db, changes)

    who = "ohne Anmeldung" if args.open else "angemeldet (Rolle netzwerk)"
    print(f"\n{len(towns)} Städte × {len(years)} Jahre, {args.changes} Wechsel von Stadt/Jahr/Seitenauswahl, {who}")
    print("HTTP: nur berechnete Antworten (ohne Treffer des Callback-Zwischenspeichers); Zeiten in ms")
    head = f"{'Seite':<15}{'Callback':<34}{'n':>4}{'Treffer':>8}{'HTTP p50':>9}{'HTTP p95':>9}{'max':>8}"
    print(head + f"{'Speicher p50':>13}{'Speicher p95':>13}  Ziel")
    worst = 0.0
    for output in sorted(http, key=lambda o: label_of(o)):
        page, key = label_of(output)
        computed = [ms for ms, cache in http[output] if cache != "hit"]
        hits = len(http[output]) - len(computed)
        if not computed:
            continue
        p50, p95 = pct(computed, 50), pct(computed, 95)
        worst = max(worst, p95)
        mem_key = "ov-cards" if key.startswith("ov-") and key != "ov-table" else key
        mem = memory.get(mem_key)
        m50 = f"{pct(mem, 50):13.1f}" if mem else f"{'–':>13}"
        m95 = f"{pct(mem, 95):13.1f}" if mem else f"{'–':>13}"
        line = f"{page:<15}{key:<34}{len(computed):>4}{hits:>8}{p50:9.1f}{p95:9.1f}{max(computed):8.1f}{m50}{m95}"
        print(line + f"  {'ok' if p95 <= 100 else 'ÜBER 100 ms'}")
    print(f"\nLangsamster Callback: p95 = {worst:.1f} ms (Ziel ≤ 100 ms)")
    load = os.getloadavg()
    print(f"Last des Rechners ({os.cpu_count()} Kerne): {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)")


if __name__ == "__main__":
    main()
