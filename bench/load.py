"""Load test of the production server (issue 12): N simulated users for a bounded time, loopback only.

Builds (or takes via ``--db``) a demo warehouse with ``engage demo`` + ``engage run``, starts the server the
way ``engage serve`` does (gunicorn, ``--workers`` processes, a warehouse without accounts: open on
127.0.0.1, so no sign-in step), and lets ``--users`` threads act like people with a browser:

- the first visit loads the start page as Chromium does: the HTML, every script and style it names
  (compressed, ``Accept-Encoding: br, gzip``), the favicon, Dash's layout and dependencies, plotly.js and
  the graph chunk, then every callback the page fires on load (page content, shell, user area, the page's
  charts) — afterwards these files come from the browser cache, as their cache headers allow;
- then, until the time is up: a pause of ``--think`` seconds (reading the page), and either another page
  of the dashboard (an in-app link: page content, shell and that page's callbacks) or another town or year
  (the callbacks of the page shown); towns, years and pages at random (``--seed``).

Each user works on one keep-alive connection, one request after another (a browser would run some callbacks
in parallel on several connections: per request that is gentler, per page load harsher). Users start spread
over the first 5 s. Prints per request p50/p95/p99 and errors (any status but 200/204/304, or no answer),
by kind of request, and page-load times. Nothing leaves the machine: the server listens on 127.0.0.1 only.

    .venv/bin/python bench/load.py --users 50 --duration 60
    .venv/bin/python bench/load.py --users 200 --duration 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the package ``dashboard``, not bench/dashboard.py beside this file

from serving import production_server  # noqa: E402 - bench/ beside this file

OUT = ROOT / "bench" / "out"
HOST = "127.0.0.1"  # loopback only: never point this at another machine
PAGES = {
    "/": "ov-",
    "/engagement": "part-",
    "/zusammenarbeit": "collab-",
    "/ziele": "goals-",
    "/vergleich": "cmp-",
    "/methodik": "methods-",
    "/sitzung": "meeting-",
}
CONTROLS = {
    "part-indicator": "engagement_rate",
    "part-by": "age_band",
    "cmp-indicator": "engagement_rate",
    "cmp-peer": "alle",
    "goals-choose": None,
}
BROWSER_HEADERS = {"Accept-Encoding": "br, gzip", "User-Agent": "engage-bench/1"}


def build_warehouse(towns: int, years: int) -> str:
    """A demo warehouse of ``towns`` × ``years`` written by the real ``engage demo`` and ``engage run``."""
    engage = Path(sys.executable).parent / "engage"
    source, db = OUT / f"load-src-{towns}x{years}", OUT / f"load-{towns}x{years}.sqlite"
    if not db.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(engage), "demo", "--out", str(source), "--towns", str(towns), "--years", str(years)],
            check=True,
            capture_output=True,
        )
        done = subprocess.run([str(engage), "run", str(source), "--db", f"sqlite:///{db}"], capture_output=True)
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr.decode()[-2000:])
    return f"sqlite:///{db}"


def _outputs(output: str) -> list[dict] | dict:
    if output.startswith(".."):
        parts = [p for p in output.strip(".").split("...") if p]
        return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    cid, prop = output.rsplit(".", 1)
    return {"id": cid, "property": prop}


@dataclass
class App:
    """What every simulated browser needs to know about the app (read once before the run)."""

    assets: list[str]
    deps: list[dict]
    towns: list[str]
    years: list[int]

    def page_deps(self, path: str) -> list[dict]:
        prefix = PAGES[path]
        shell = [d for d in self.deps if "shell-town.options" in d["output"] or d["output"] == "shell-user.children"]
        own = [
            d
            for d in self.deps
            if d.get("clientside_function") is None
            and not d.get("prevent_initial_call")
            and d["output"].lstrip(".").startswith(prefix)
        ]
        content = [d for d in self.deps if d["output"].startswith(".._pages_content")]
        return content + shell + own

    def change_deps(self, path: str) -> list[dict]:
        """Callbacks a town or year change fires on ``path``: the page's and the shell's with town/year inputs."""
        return [
            d
            for d in self.page_deps(path)
            if any(i["id"] in ("shell-town", "shell-year") for i in d["inputs"])
            and not d["output"].startswith(".._pages_content")
        ]


def body(dep: dict, path: str, town: str, year: int) -> bytes:
    search = f"?town={town}&year={year}&lang=de"
    values = {
        ("shell-town", "value"): town,
        ("shell-year", "value"): str(year),
        ("shell-lang", "data"): "de",
        ("url", "search"): search,
        ("_pages_location", "pathname"): path,
        ("_pages_location", "search"): search,
    }

    def fill(items: list[dict]) -> list[dict]:
        return [{**i, "value": values.get((i["id"], i["property"]), CONTROLS.get(i["id"]))} for i in items]

    return json.dumps(
        {
            "output": dep["output"],
            "outputs": _outputs(dep["output"]),
            "inputs": fill(dep["inputs"]),
            "state": fill(dep.get("state", [])),
            "changedPropIds": [f"{i['id']}.{i['property']}" for i in dep["inputs"]],
        }
    ).encode()


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=dict)  # kind -> seconds
    errors: dict[str, int] = field(default_factory=dict)
    page_loads: list[float] = field(default_factory=list)
    first_loads: list[float] = field(default_factory=list)
    cache: dict[str, int] = field(default_factory=dict)  # callback answers: hit / miss

    def add(self, kind: str, seconds: float, ok: bool, what: str) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[what] = self.errors.get(what, 0) + 1


class Browser:
    """One user: one keep-alive connection, a browser cache of the static files."""

    def __init__(self, port: int, results: Results) -> None:
        self.port = port
        self.results = results
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def _send(self, method: str, url: str, data: bytes | None, headers: dict[str, str]) -> http.client.HTTPResponse:
        """One request; a kept-alive connection the server has just closed is reopened once and the request
        sent again, as browsers do (only when no byte of an answer came back)."""
        for attempt in (1, 2):
            reused = self.conn.sock is not None
            try:
                self.conn.request(method, url, body=data, headers=headers)
                return self.conn.getresponse()
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
                self.conn.close()
                if attempt == 2 or not reused:
                    raise
        raise AssertionError("unreachable")

    def request(self, kind: str, method: str, url: str, data: bytes | None = None) -> None:
        headers = dict(BROWSER_HEADERS)
        if data is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        ok, what = False, url.split("?")[0]
        try:
            response = self._send(method, url, data, headers)
            response.read()
            ok = response.status in (200, 204, 304)
            what = f"{what} HTTP {response.status}"
            cache = response.getheader("X-Engage-Cache")
            if cache:
                with self.results.lock:
                    self.results.cache[cache] = self.results.cache.get(cache, 0) + 1
        except (OSError, http.client.HTTPException) as exc:
            what = f"{what} {type(exc).__name__}"
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        self.results.add(kind, time.perf_counter() - started, ok, what)

    def first_visit(self, app: App, path: str, town: str, year: int) -> float:
        started = time.perf_counter()
        self.request("page", "GET", f"{path}?town={town}&year={year}")
        for url in app.assets:
            self.request("static", "GET", url)
        self.request("layout", "GET", "/_dash-layout")
        self.request("layout", "GET", "/_dash-dependencies")
        self.callbacks(app.page_deps(path), path, town, year)
        return time.perf_counter() - started

    def callbacks(self, deps: list[dict], path: str, town: str, year: int) -> float:
        started = time.perf_counter()
        for dep in deps:
            self.request("callback", "POST", "/_dash-update-component", body(dep, path, town, year))
        return time.perf_counter() - started


def user(app: App, port: int, results: Results, rng: random.Random, start_at: float, stop_at: float,
         think: tuple[float, float]) -> None:  # fmt: skip
    time.sleep(max(0.0, start_at - time.monotonic()))
    browser = Browser(port, results)
    path, town, year = "/", rng.choice(app.towns), rng.choice(app.years)
    first = browser.first_visit(app, path, town, year)
    with results.lock:
        results.first_loads.append(first)
    while True:
        pause = rng.uniform(*think)
        if time.monotonic() + pause >= stop_at:
            break
        time.sleep(pause)
        if rng.random() < 0.5:
            path = rng.choice(list(PAGES))
            took = browser.callbacks(app.page_deps(path), path, town, year)
        else:
            town, year = rng.choice(app.towns), rng.choice(app.years)
            took = browser.callbacks(app.change_deps(path), path, town, year)
        with results.lock:
            results.page_loads.append(took)
    browser.conn.close()


def read_app(port: int, db: str) -> App:
    base = f"http://{HOST}:{port}"
    with urllib.request.urlopen(base + "/") as response:
        html = response.read().decode()
    assets = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<link rel="icon" type="image/x-icon" href="([^"]+)"', html)
    assets += ["/_dash-component-suites/dash/dcc/async-graph.js"]
    assets += ["/_dash-component-suites/plotly/package_data/plotly.min.js"]
    with urllib.request.urlopen(base + "/_dash-dependencies") as response:
        deps = json.load(response)
    from etl import warehouse

    towns = [*warehouse.towns(db=db)["ags"], "netzwerk"]
    return App(assets, deps, towns, warehouse.years(db=db))


def pct(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.0f}"


def report(results: Results, args: argparse.Namespace, app: App, wall: float) -> int:
    everything = [s for times in results.times.values() for s in times]
    errors = sum(results.errors.values())
    workers = args.workers or "Standard-"
    print(f"\n{args.users} Nutzer, {args.duration:.0f} s, Denkpause {args.think} s, {workers} Prozesse;")
    print(f"{len(app.towns) - 1} Städte × {len(app.years)} Jahre; {len(everything)} Anfragen in {wall:.1f} s "
          f"({len(everything) / wall:.0f}/s), Fehler: {errors}")  # fmt: skip
    print(f"{'Art':<10}{'Anzahl':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind in ("page", "static", "layout", "callback"):
        times = results.times.get(kind, [])
        print(f"{kind:<10}{len(times):>8}{ms(pct(times, 50))} {ms(pct(times, 95))} {ms(pct(times, 99))} "
              f"{ms(max(times) if times else float('nan'))}")  # fmt: skip
    print(f"{'alle':<10}{len(everything):>8}{ms(pct(everything, 50))} {ms(pct(everything, 95))} "
          f"{ms(pct(everything, 99))} {ms(max(everything))}")  # fmt: skip
    if results.first_loads:
        print(f"Erster Aufruf der Startseite (mit allen Dateien): Mittel {statistics.mean(results.first_loads):.2f} s, "
              f"p95 {pct(results.first_loads, 95):.2f} s")  # fmt: skip
    if results.page_loads:
        print(f"Seitenwechsel / Filterwechsel (alle Callbacks nacheinander): p50 {pct(results.page_loads, 50):.2f} s, "
              f"p95 {pct(results.page_loads, 95):.2f} s")  # fmt: skip
    print(f"Callback-Antworten aus dem gemeinsamen Cache: {results.cache.get('hit', 0)}, neu berechnet: "
          f"{results.cache.get('miss', 0)}")  # fmt: skip
    for what, count in sorted(results.errors.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  Fehler {count}×: {what}")
    target = 0.300 if args.users <= 50 else 1.0
    verdict = "erreicht" if pct(everything, 95) <= target and not errors else "NICHT erreicht"
    print(f"Ziel p95 ≤ {target * 1000:.0f} ms und 0 Fehler: {verdict}")
    load = os.getloadavg()
    print(f"Last des Rechners ({os.cpu_count()} Kerne): {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="vorhandenes Warehouse (ohne Konten) statt des Demo-Warehouse")
    parser.add_argument("--towns", type=int, default=10)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="Sekunden (höchstens 600)")
    parser.add_argument("--think", default="1-5", help="Denkpause in Sekunden, von-bis (Standard 1-5)")
    parser.add_argument("--workers", type=int, default=None, help="Serverprozesse (Standard wie engage serve)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not 1 <= args.users <= 500 or not 1 <= args.duration <= 600:
        raise SystemExit("--users 1–500 und --duration 1–600 s")
    think = tuple(float(x) for x in args.think.split("-", 1))
    db = args.db or build_warehouse(args.towns, args.years)
    from dashboard.auth import users

    if users.count(db):
        raise SystemExit("Das Warehouse hat Konten: bitte eines ohne nehmen (der Lasttest meldet sich nicht an).")
    with production_server(db, args.workers) as base:
        port = int(urllib.parse.urlsplit(base).port or 0)
        app = read_app(port, db)
        warm = Browser(port, Results())  # one visit per page first: the server's own start-up, not the users'
        for path in PAGES:
            warm.first_visit(app, path, app.towns[0], app.years[-1])
        results = Results()
        rng = random.Random(args.seed)
        begin = time.monotonic()
        stop_at = begin + args.duration
        threads = [
            threading.Thread(
                target=user,
                args=(app, port, results, random.Random(rng.random()), begin + rng.uniform(0, 5), stop_at, think),
                daemon=True,
            )
            for _ in range(args.users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1.0, stop_at + 120 - time.monotonic()))
        wall = time.monotonic() - begin
        return report(results, args, app, wall)


if __name__ == "__main__":
    sys.exit(main())
