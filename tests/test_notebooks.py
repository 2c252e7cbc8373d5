"""The researchers' notebooks (issue 7): stored clean, and runnable top to bottom on a fresh demo warehouse.

Each notebook is executed with nbclient in a kernel of this venv whose environment points
``ENGAGE_DATABASE_URL`` at the session's demo warehouse, exactly as a researcher would run it against
their own; any cell error fails the test. ``02_umfrage`` asserts inside the notebook that the engagement
rate it recomputes from the clean responses equals the stored mart value. The static checks keep the
notebooks committed without outputs and within the dependencies of the ``notebooks`` extra.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = ["01_einstieg.ipynb", "02_umfrage.ipynb", "03_netzwerk.ipynb", "04_staedtevergleich.ipynb"]
# The `notebooks` extra (jupyterlab, ipykernel, matplotlib) plus the package and its own dependencies.
ALLOWED_IMPORTS = {"etl", "pandas", "numpy", "matplotlib", "networkx", "plotly", "IPython"}
CELL_TIMEOUT = 120  # seconds; each notebook takes a few seconds on the small demo


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK_DIR / name, as_version=4)


def _code(nb: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def test_every_notebook_is_listed() -> None:
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")) == NOTEBOOKS


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_stored_without_outputs(name: str) -> None:
    nb = _read(name)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: Zelle {cell.get('id')} enthält Ausgaben"
            assert cell.execution_count is None, f"{name}: Zelle {cell.get('id')} hat einen Ausführungszähler"
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_explained_in_german_step_by_step(name: str) -> None:
    nb = _read(name)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    markdown = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    # Explanations between the steps: at least one Markdown cell per two code cells.
    assert 2 * len(markdown) >= len(_code(nb))
    german = " ".join(markdown).lower()
    assert sum(german.count(word) for word in (" die ", " der ", " und ", " mit ")) > 10


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_imports_only_allowed_packages(name: str) -> None:
    stdlib = set(sys.stdlib_module_names)
    for source in _code(_read(name)):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                assert top in stdlib or top in ALLOWED_IMPORTS, f"{name} importiert {module}"


def test_notebooks_read_only_through_the_read_api() -> None:
    """Notebooks read the warehouse via etl.warehouse / etl.records, never by SQL or other etl modules."""
    for name in NOTEBOOKS:
        code = "\n".join(_code(_read(name)))
        assert "from etl import records, warehouse" in code
        for forbidden in ("sqlalchemy", "sqlite3", "read_sql", "etl.indicators", "etl.pipeline"):
            assert forbidden not in code, f"{name} verwendet {forbidden}"


def test_survey_notebook_asserts_recomputed_rate() -> None:
    code = "\n".join(_code(_read("02_umfrage.ipynb")))
    assert 'assert abs(nachgerechnet["value"] - wert["value"]) < 1e-9' in code


@pytest.mark.notebooks
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_top_to_bottom(name: str, demo_warehouse: str) -> None:
    nb = _read(name)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    env = {**os.environ, "ENGAGE_DATABASE_URL": demo_warehouse}
    try:
        client.execute(env=env)
    except CellExecutionError as exc:  # the message holds the failing cell and its traceback
        pytest.fail(f"{name}: Zelle fehlgeschlagen\n{exc}")
    errors = [
        out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs if out.output_type == "error"
    ]
    assert not errors, f"{name}: {errors}"
    executed = [cell.execution_count for cell in nb.cells if cell.cell_type == "code"]
    assert all(count is not None for count in executed), f"{name}: nicht jede Zelle wurde ausgeführt"
