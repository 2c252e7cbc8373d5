"""The intake is the dashboard's one write path: no page that shows data can reach it (issue 14).

Two ways: statically, no module of the dashboard but the wiring (``app``, ``server``) names
``dashboard.intake`` in an import; and at run time, a dashboard built without a source folder, with every
page and view imported and every page's layout served, has not loaded a single module of the package.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard"
WIRING = {DASHBOARD / "app.py", DASHBOARD / "server.py"}  # they install the page only when a source folder is set


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                package = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
                base = ".".join(package + ((node.module,) if node.module else ()))
            else:
                base = node.module or ""
            found += [base] + [f"{base}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            found += [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return found


def test_no_read_only_module_imports_the_intake() -> None:
    modules = [p for p in DASHBOARD.rglob("*.py") if "intake" not in p.relative_to(DASHBOARD).parts[:1]]
    assert len(modules) > 20 and all(p.is_file() for p in WIRING)
    offending = {
        str(p.relative_to(ROOT)): [name for name in _imports(p) if name.startswith("dashboard.intake")]
        for p in modules
        if p not in WIRING
    }
    assert {k: v for k, v in offending.items() if v} == {}
    # the check itself sees an import when there is one
    assert any(n.startswith("dashboard.intake") for n in _imports(DASHBOARD / "app.py"))


def test_the_dashboard_without_source_folder_never_loads_the_intake(tmp_path: Path, demo_warehouse: str) -> None:
    script = f"""
import importlib, json, pkgutil, sys
from pathlib import Path
import dashboard.pages, dashboard.components, dashboard.report
from dashboard.app import create_app

app = create_app({demo_warehouse!r}, runtime_dir=Path({str(tmp_path / "laufzeit")!r}), secret_key="s" * 64)
for package in (dashboard.pages, dashboard.components, dashboard.report):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
for info in pkgutil.iter_modules([{str(DASHBOARD / "views")!r}]):
    importlib.import_module("dashboard.views." + info.name)
import dash
client = app.server.test_client()
paths = sorted(page["path"] for page in dash.page_registry.values())
status = {{path: client.get(path).status_code for path in paths}}
layouts = client.get("/_dash-layout").status_code
print(json.dumps({{
    "loaded": sorted(m for m in sys.modules if m.startswith("dashboard.intake")),
    "paths": paths, "status": status, "layout": layouts,
}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["loaded"] == []
    assert "/daten-einspielen" not in seen["paths"] and len(seen["paths"]) >= 6
    assert set(seen["status"].values()) == {200} and seen["layout"] == 200
