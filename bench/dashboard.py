"""Benchmark of the dashboard's callbacks on a network-scale warehouse (issue 5).

Builds (or takes via ``--db``) a warehouse of 100 towns × 10 years with the synthetic writer of the
dashboard tests, starts the app as a subprocess (gunicorn, debug off), and times every page callback over
HTTP: ``POST /_dash-update-component`` with the payload the browser sends when the town or year changes.
Next to it, the time to build the same result in-process from in-memory DataFrames (warehouse reads
already cached, run check bypassed), i.e. the share of the time spent in figure and table building.
Prints p50/p95 per callback; target p95 ≤ 100 ms.

    .venv/bin/python bench/dashboard.py [--db URL] [--towns 100] [--years 10] [--changes 30]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = {
    "meeting-": "Sitzung",
    "ov-": "Übersicht",
    "part-": "Engagement",
    "collab-": "Zusammenarbeit",
    "goals-": "Ziele",
    "cmp-": "Vergleich",
    "methods-": "Methodik",
}
CONTROL_DEFAULTS = {
    "part-indicator": "engagement_rate",
    "part-by": "age_band",
    "cmp-indicator": "engagement_rate",
    "cmp-peer": "alle",
    "goals-choose": None,
}


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(db: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "--db", db, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("Das Dashboard antwortet nicht.")


def parse_outputs(output: str) -> list[dict[str, str]] | dict[str, str]:
    if output.startswith(".."):
        parts = [p for p in output.strip(".").split("...") if p]
        return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    cid, prop = output.rsplit(".", 1)
    return {"id": cid, "property": prop}


def payload(dep: dict, town: str, year: int) -> dict:
    values = {"shell-town": town, "shell-year": str(year), "shell-lang": "de", **CONTROL_DEFAULTS}
    inputs = [{**i, "value": values.get(i["id"])} for i in dep["inputs"]]
    return {
        "output": dep["output"],
        "outputs": parse_outputs(dep["output"]),
        "inputs": inputs,
        "changedPropIds": ["shell-town.value", "shell-year.value"],
        "state": [],
    }


def post(base: str, body: dict) -> float:
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        base + "/_dash-update-component", data=data, headers={"Content-Type": "application/json"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status} für {body['output']}")
    return (time.perf_counter() - started) * 1000


def page_callbacks(base: str) -> list[dict]:
    with urllib.request.urlopen(base + "/_dash-dependencies") as response:
        deps = json.load(response)
    return [
        d
        for d in deps
        if d.get("clientside_function") is None
        and not d.get("prevent_initial_call")
        and any(i["id"] == "shell-town" for i in d["inputs"])
    ]


def key_of(dep: dict) -> str:
    first = parse_outputs(dep["output"])
    cid = (first[0] if isinstance(first, list) else first)["id"]
    for suffix in ("-graph", "-table", "-note", "-value", "-options"):
        cid = cid.removesuffix(suffix)
    return cid


def in_memory_builders() -> dict[str, object]:
    """chart key → build function, for the in-process timing."""
    from dashboard.views import collaboration, comparison, goals, methods, overview, participation

    builders: dict[str, object] = {
        spec.key: spec.build for m in (participation, collaboration, goals, methods) for spec in m.SPECS
    }
    builders[comparison.SPEC.key] = comparison.SPEC.build
    builders[overview.TABLE.key] = overview.TABLE.build
    builders["ov-cards"] = lambda view, _c: overview.headline_cards(view)
    return builders


def time_in_memory(db: str, changes: list[tuple[str, int]]) -> dict[str, list[float]]:
    from dashboard.state import View, load_view
    from etl import warehouse

    run_id = warehouse.check(db).run_id
    warehouse._run_id = lambda _engine: run_id  # type: ignore[assignment]  # reads straight from the cache
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="vorhandenes Warehouse statt des synthetischen")
    parser.add_argument("--towns", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--changes", type=int, default=30, help="Filterwechsel je Callback")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    db = args.db or synthetic_warehouse(ROOT / "bench" / "out" / "wh.sqlite", args.towns, args.years)

    from etl import warehouse

    towns = warehouse.towns(db=db)["ags"].tolist()
    years = warehouse.years(db=db)
    rng = random.Random(args.seed)
    changes = [(rng.choice(towns + ["netzwerk"]), rng.choice(years)) for _ in range(args.changes)]
    proc, base = start(db)
    try:
        deps = page_callbacks(base)
        for dep in deps:  # one warm-up request per callback (imports, first connection)
            post(base, payload(dep, towns[0], years[-1]))
        http: dict[str, list[float]] = {}
        for town, year in changes:
            for dep in deps:
                http.setdefault(dep["output"], []).append(post(base, payload(dep, town, year)))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    memory = time_in_memory(db, changes)

    print(f"\n{len(towns)} Städte × {len(years)} Jahre, {args.changes} Filterwechsel je Callback (Zeiten in ms)")
    print(f"{'Seite':<15}{'Callback':<26}{'HTTP p50':>9}{'HTTP p95':>9}{'Speicher p50':>13}{'Speicher p95':>13}  Ziel")
    worst = 0.0
    for dep in sorted(deps, key=lambda d: d["output"]):
        key = key_of(dep)
        page = next((name for prefix, name in PAGES.items() if key.startswith(prefix)), "?")
        if key.startswith("ov-") and key != "ov-table":
            key = "ov-cards"
        times = http[dep["output"]]
        p50, p95 = pct(times, 50), pct(times, 95)
        worst = max(worst, p95)
        mem = memory.get(key)
        m50 = f"{pct(mem, 50):13.1f}" if mem else f"{'–':>13}"
        m95 = f"{pct(mem, 95):13.1f}" if mem else f"{'–':>13}"
        print(f"{page:<15}{key:<26}{p50:9.1f}{p95:9.1f}{m50}{m95}  {'ok' if p95 <= 100 else 'ÜBER 100 ms'}")
    print(f"\nLangsamster Callback: p95 = {worst:.1f} ms (Ziel ≤ 100 ms)")
    load = os.getloadavg()
    print(f"Last des Rechners ({os.cpu_count()} Kerne): {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)")


if __name__ == "__main__":
    main()
