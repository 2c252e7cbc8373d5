"""The citable data package of a run (issue 17): valid Frictionless Data Package, the indicator export's values,
suppressed cells empty, the reader's scope, licence, sources and citation; built from the real demo warehouse."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import frictionless
import pandas as pd
import pytest
from click.testing import CliRunner

from etl import warehouse
from etl.cli import main
from etl.db import make_engine
from etl.export import INDICATOR_COLUMNS, export_table
from etl.package import PackageError, package_files, write_package, zip_bytes

RESOURCES = ["indicator_values", "catalogue", "goals", "measures", "run_log"]


def _towns(url: str) -> list[str]:
    return sorted(warehouse.towns(db=url)["ags"])


def _csv(path: Path) -> pd.DataFrame:
    """A CSV of the package or the export as text, as a researcher's pandas reads it without guessing types."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _valid(source: Path) -> frictionless.Report:
    report = frictionless.validate(str(source))
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, errors[:10]
    return report


def test_network_package_validates_and_holds_the_indicator_export(demo_warehouse: str, tmp_path: Path) -> None:
    cite = write_package(tmp_path / "paket", db=demo_warehouse)
    report = _valid(tmp_path / "paket" / "datapackage.json")
    assert sorted(task.name for task in report.tasks) == sorted(RESOURCES)
    engine = make_engine(demo_warehouse)
    export_table(engine, "indicators", tmp_path / "indicators.csv")
    engine.dispose()
    exported = _csv(tmp_path / "indicators.csv")
    packaged = _csv(tmp_path / "paket" / "data" / "indicator_values.csv")
    assert len(exported) > 100
    pd.testing.assert_frame_equal(packaged[INDICATOR_COLUMNS], exported[INDICATOR_COLUMNS])
    descriptor = json.loads((tmp_path / "paket" / "datapackage.json").read_text(encoding="utf-8"))
    run = warehouse.latest_run(db=demo_warehouse)
    assert cite == descriptor["citation"]
    assert cite == f"Engagement-Monitor, {run.project_name}, Datenstand {run.finished_at:%d.%m.%Y}, Lauf {run.run_id}"
    assert descriptor["run"]["id"] == run.run_id and descriptor["run"]["min_cell"] == run.min_cell
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"  # the demo manifest names none: the default


def test_town_package_zip_validates_and_holds_only_that_town(demo_warehouse: str, tmp_path: Path) -> None:
    town, other = _towns(demo_warehouse)[:2]
    cite = write_package(tmp_path / "stadt.zip", town=town, db=demo_warehouse)
    _valid(tmp_path / "stadt.zip")
    name = warehouse.towns(db=demo_warehouse).set_index("ags").loc[town, "name"]
    assert cite.startswith(f"Engagement-Monitor, Engagierte Stadt {name}, Datenstand ")
    with zipfile.ZipFile(tmp_path / "stadt.zip") as archive:
        archive.extractall(tmp_path / "stadt")
    for resource in ("indicator_values", "goals", "measures"):
        frame = _csv(tmp_path / "stadt" / "data" / f"{resource}.csv")
        assert set(frame["town_ags"]) == {town}, resource
    network = _csv(Path(_extract(demo_warehouse, tmp_path)) / "data" / "indicator_values.csv")
    pd.testing.assert_frame_equal(
        _csv(tmp_path / "stadt" / "data" / "indicator_values.csv"),
        network[network["town_ags"] == town].reset_index(drop=True),
    )
    own_sources = set(_csv(tmp_path / "stadt" / "data" / "run_log.csv")["source"])
    all_sources = set(warehouse.runs(db=demo_warehouse)["source"])
    assert own_sources < all_sources  # the other town's sources are not in this town's run log
    with warehouse.scoped(warehouse.Scope.of([town])):
        assert other not in set(warehouse.towns(db=demo_warehouse)["ags"])


def _extract(url: str, tmp_path: Path) -> str:
    folder = tmp_path / "netz"
    write_package(folder, db=url)
    return str(folder)


def test_suppressed_cells_are_empty_and_parquet_holds_the_same_rows(demo_warehouse: str, tmp_path: Path) -> None:
    write_package(tmp_path / "p", db=demo_warehouse)
    values = _csv(tmp_path / "p" / "data" / "indicator_values.csv")
    hidden = values[values["suppressed"] == "true"]
    assert len(hidden) > 0  # the demo has small groups
    assert (hidden[["value", "n", "ci_low", "ci_high"]] == "").all().all()
    stored = warehouse.indicators(breakdown=None, db=demo_warehouse)
    assert stored.loc[stored["suppressed"], "value"].isna().all()
    for resource in RESOURCES:
        parquet = pd.read_parquet(tmp_path / "p" / "data" / f"{resource}.parquet")
        csv = pd.read_csv(tmp_path / "p" / "data" / f"{resource}.csv", keep_default_na=False, dtype=str)
        assert list(parquet.columns) == list(csv.columns) and len(parquet) == len(csv), resource
    parquet = pd.read_parquet(tmp_path / "p" / "data" / "indicator_values.parquet")
    numbers = pd.to_numeric(values["value"].replace("", None))
    pd.testing.assert_series_equal(parquet["value"].astype("float64"), numbers.astype("float64"), check_names=False)
    assert parquet.loc[parquet["suppressed"], ["value", "n"]].isna().all().all()


def test_schema_describes_types_units_allowed_values_keys_and_suppressed(demo_warehouse: str) -> None:
    descriptor = json.loads(package_files(db=demo_warehouse)["datapackage.json"])
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert list(resources) == RESOURCES
    values = resources["indicator_values"]["schema"]
    fields = {f["name"]: f for f in values["fields"]}
    assert values["primaryKey"] == ["town_ags", "indicator", "year", "breakdown", "group"]
    assert values["foreignKeys"][0]["reference"] == {"resource": "catalogue", "fields": "indicator"}
    assert fields["value"]["type"] == "number" and fields["year"]["type"] == "integer"
    assert "share" in fields["unit"]["constraints"]["enum"] and "0–1" in fields["unit"]["description"]
    assert "Mindestzellgröße" in fields["suppressed"]["description"] and fields["suppressed"]["type"] == "boolean"
    assert "engagement_rate" in fields["indicator"]["constraints"]["enum"]
    goals = {f["name"]: f for f in resources["goals"]["schema"]["fields"]}
    assert goals["status"]["constraints"]["enum"] == ["achieved", "on_track", "at_risk", "off_track", "no_data"]
    assert resources["measures"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "goals"
    for resource in descriptor["resources"]:
        assert resource["alternates"][0]["path"] == resource["path"].replace(".csv", ".parquet")


def test_sources_name_kind_and_date_only(demo_warehouse: str) -> None:
    files = package_files(db=demo_warehouse)
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["sources"] and all(set(s) == {"title", "kind", "date"} for s in descriptor["sources"])
    text = files["datapackage.json"].decode("utf-8") + files["README.txt"].decode("utf-8")
    run = warehouse.latest_run(db=demo_warehouse)
    log = warehouse.runs(db=demo_warehouse)
    assert run.source_dir not in text  # no server path
    for name in set(log["file"]) - {"engage.toml"}:
        assert name not in text  # no file names (they can name people or places of the survey)


def test_package_bytes_are_the_same_each_time(demo_warehouse: str) -> None:
    assert zip_bytes(package_files(db=demo_warehouse)) == zip_bytes(package_files(db=demo_warehouse))


def test_a_town_reader_gets_only_its_own_town(demo_warehouse: str) -> None:
    town, other = _towns(demo_warehouse)[:2]
    with warehouse.scoped(warehouse.Scope.of([town])):
        files = package_files(db=demo_warehouse)
        with pytest.raises(PackageError, match=f"AGS {other} ist in diesem Warehouse nicht gespeichert"):
            package_files(town=other, db=demo_warehouse)
    values = pd.read_parquet(io.BytesIO(files["data/indicator_values.parquet"]))
    assert set(values["town_ags"]) == {town}


def test_cli_writes_the_package_and_says_what_is_wrong_in_german(demo_warehouse: str, tmp_path: Path) -> None:
    runner = CliRunner()
    town = _towns(demo_warehouse)[0]
    result = runner.invoke(
        main, ["export", "package", "--db", demo_warehouse, "--out", str(tmp_path / "a.zip"), "--town", town]
    )
    assert result.exit_code == 0, result.output
    assert "Zitieren als: Engagement-Monitor, Engagierte Stadt" in " ".join(result.output.split())
    _valid(tmp_path / "a.zip")
    result = runner.invoke(
        main, ["export", "package", "--db", demo_warehouse, "--out", str(tmp_path / "b"), "--run", "99"]
    )
    assert result.exit_code == 2 and "Lauf 99 ist in diesem Warehouse nicht" in " ".join(result.output.split())
    assert "Traceback" not in result.output
    result = runner.invoke(
        main, ["export", "indicators", "--db", demo_warehouse, "--out", str(tmp_path / "i.csv"), "--town", town]
    )
    assert result.exit_code == 2 and "nur für das Datenpaket" in " ".join(result.output.split())


def test_citing_panel_names_the_package_citation_licence_and_runs(demo_warehouse: str) -> None:
    from dashboard.views.citing import citing

    town = _towns(demo_warehouse)[0]
    name = warehouse.towns(db=demo_warehouse).set_index("ags").loc[town, "name"]
    data = citing(town, name, "de", demo_warehouse, year=2024)
    assert data.citation == json.loads(package_files(town=town, db=demo_warehouse)["datapackage.json"])["citation"]
    assert data.package == f"/daten/lauf-{data.run_id}.zip?town={town}"
    assert (data.licence_spdx, data.licence_title) == ("CC-BY-4.0", "Creative Commons Namensnennung 4.0 International")
    assert [r.run_id for r in data.runs] == [data.run_id]
    assert data.runs[0].view == f"/methodik?town={town}&year=2024&lang=de&run={data.run_id}"
    network = citing(None, None, "en", demo_warehouse)
    assert network.package == f"/daten/lauf-{network.run_id}.zip?lang=en" and "Attribution" in network.licence_title
