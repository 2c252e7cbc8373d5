"""District shapes through the whole ETL (issue 16): cross-source checks, ``mart_districts``, the read API,
SQLite and PostgreSQL, and a broken districts file keeping the last good shapes.

Each test writes its own source folder: population with district rows, registrations with districts, and
a GeoJSON file of the districts.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
import shapely

from etl import warehouse
from etl.crosscheck import check_district_shapes
from etl.indicators.districts import TOLERANCE_M, simplify
from etl.model import Project, SourceSpec, Town
from etl.pipeline import run_pipeline
from etl.pseudonymise import Pseudonymiser
from etl.readers import read_source

TOWN = "99000001"
KEY = "test-schluessel-nur-fuer-tests-0123456789"


def wavy_square(lon: float, lat: float, size: float, points: int = 400) -> list:
    """A square district whose north border is drawn with many tiny zigzags (as survey data are)."""
    xs = np.linspace(lon, lon + size, points)
    ys = lat + size + 0.00001 * np.sin(np.arange(points))  # ±1 m wiggles
    north = [[float(x), float(y)] for x, y in zip(xs[::-1], ys[::-1], strict=True)]
    return [[[lon, lat], [lon + size, lat], *north, [lon, lat]]]


def grid_features(codes: list[object], key: str = "code") -> list[dict]:
    """Districts side by side (0.02° wide), sharing borders, with many vertices on the shared edges."""
    features = []
    for i, code in enumerate(codes):
        west_lon, east_lon = round(9.9 + 0.02 * i, 6), round(9.9 + 0.02 * (i + 1), 6)
        edge = np.round(np.linspace(53.5, 53.52, 200), 7)
        west = [[west_lon, float(y)] for y in edge]
        east = [[east_lon, float(y)] for y in edge[::-1]]
        ring = [*west, *east, west[0]]
        features.append(
            {
                "type": "Feature",
                "properties": {key: code, "name": f"Bezirk {code}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return features


def collection(features: list[dict]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})


def write_folder(
    folder: Path,
    shapes: str,
    population_districts: tuple[str, ...] = ("01", "02", "03"),
    reg_districts: tuple[str, ...] = ("01", "02", "05"),
) -> Path:
    """Population (800 aged 14+ per district), 60 registrations spread over ``reg_districts``, the shapes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "engage.toml").write_text(
        textwrap.dedent(
            f"""
            [project]
            name = "Test"
            min_cell = 5

            [[towns]]
            ags = "{TOWN}"
            name = "Musterstadt"

            [[sources]]
            name = "Bevölkerung"
            kind = "population"
            path = "bevoelkerung.csv"

            [[sources]]
            name = "Registrierungen"
            kind = "registrations"
            path = "freiwillige.csv"

            [[sources]]
            name = "Stadtteile"
            kind = "districts"
            path = "stadtteile.geojson"
            """
        ),
        encoding="utf-8",
    )
    rows = ["ags,year,district,age_band,gender,count"]
    for d in population_districts:
        for band in ("14-29", "30-49", "50-64", "65+"):
            for g in ("w", "m"):
                rows.append(f"{TOWN},2024,{d},{band},{g},100")
    (folder / "bevoelkerung.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    regs = ["person_id,registered_on,birth_year,district"]
    for i in range(60):
        regs.append(f"p{i}@example.org,2024-03-01,1980,{reg_districts[i % len(reg_districts)]}")
    (folder / "freiwillige.csv").write_text("\n".join(regs) + "\n", encoding="utf-8")
    (folder / "stadtteile.geojson").write_text(shapes, encoding="utf-8")
    return folder


def read_folder(folder: Path) -> list:
    from etl.manifest import load_manifest

    manifest = load_manifest(folder)
    return [read_source(s, manifest.project, manifest.towns, Pseudonymiser(b"k")) for s in manifest.sources]


def districts_message(results: list) -> str:
    return next(r for r in results if r.spec.kind == "districts").files[0].message


def test_codes_without_data_and_used_codes_without_shape_are_named(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "q", collection(grid_features(["01", "02", "04"])))
    results = read_folder(folder)
    check_district_shapes(results)
    assert districts_message(results) == (
        "3 Zeilen gelesen, 3 übernommen, 0 abgewiesen; Stadtteile ohne Angaben in den anderen Quellen: 04 (Bezirk 04); "
        "Stadtteilcodes ohne Umriss (fehlen auf der Karte): 03, 05 – genannt in Bevölkerung, Registrierungen"
    )


def test_shape_codes_without_leading_zeros_get_a_hint(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "q", collection(grid_features([1, 2, 3])), reg_districts=("01", "02", "03"))
    results = read_folder(folder)
    check_district_shapes(results)
    message = districts_message(results)
    assert "Stadtteile ohne Angaben in den anderen Quellen: 1 (Bezirk 1), 2 (Bezirk 2), 3 (Bezirk 3)" in message
    assert message.endswith(
        "Stadtteilcodes ohne Umriss (fehlen auf der Karte): 01, 02, 03 – genannt in Bevölkerung, Registrierungen – "
        "die Codes der Umrisse haben keine führenden Nullen (z. B. 1 statt 01): im GIS das Feld als Text speichern"
    )


def test_a_free_typed_district_is_counted_not_quoted(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path / "q",
        collection(grid_features(["01", "02"])),
        population_districts=("01", "02"),
        reg_districts=("01", "02", "Musterweg 12 bei Anna Schmidt"),
    )
    results = read_folder(folder)
    check_district_shapes(results)
    message = districts_message(results)
    assert "Stadtteilcodes ohne Umriss (fehlen auf der Karte): 1 Angabe(n), die nicht zitiert werden" in message
    assert "Musterweg" not in message and "Schmidt" not in message


def test_without_districts_in_other_sources_the_message_says_the_map_stays_empty(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path / "q", collection(grid_features(["01"])), population_districts=(), reg_districts=("",)
    )
    (folder / "bevoelkerung.csv").write_text(
        "ags,year,age_band,gender,count\n" + f"{TOWN},2024,30-49,w,100\n", encoding="utf-8"
    )
    results = read_folder(folder)
    check_district_shapes(results)
    assert districts_message(results).endswith(
        "keine andere Quelle dieser Stadt nennt Stadtteile (Bevölkerung, Befragung oder Registrierungen mit "
        "Stadtteil): die Karte bleibt ohne Werte"
    )


def test_a_code_shaped_by_two_sources_is_a_duplicate(tmp_path: Path) -> None:
    (tmp_path / "a.geojson").write_text(collection(grid_features(["01", "02"])), encoding="utf-8")
    (tmp_path / "b.geojson").write_text(collection(grid_features(["02"])), encoding="utf-8")
    towns, project = (Town(TOWN, "Musterstadt"),), Project("T")
    results = [
        read_source(SourceSpec("districts", name, name, (tmp_path / name,), tmp_path, town=TOWN), project, towns, None)
        for name in ("a.geojson", "b.geojson")
    ]
    check_district_shapes(results)
    second = results[1]
    assert second.rejects[["file", "row", "column", "reason"]].values.tolist() == [
        ["b.geojson", 1, "code", "Duplikat von Zeile 2 in a.geojson"]
    ]
    assert second.frames["stg_districts"].empty
    assert second.files[0].message.startswith("1 Zeile gelesen, 0 übernommen, 1 abgewiesen")
    assert second.files[0].rows_read == second.files[0].rows_accepted + second.files[0].rows_rejected


def test_simplification_keeps_shared_borders_and_drops_wiggles() -> None:
    metric = shapely.from_geojson([json.dumps(f["geometry"]) for f in grid_features(["01", "02", "03"])])
    local = shapely.transform(metric, lambda c: (c - [9.9, 53.5]) * [66_000, 111_320])
    simple = simplify(local)
    assert bool(shapely.coverage_is_valid(simple))  # no gaps, no overlaps between neighbours
    assert shapely.get_num_coordinates(simple).sum() < shapely.get_num_coordinates(local).sum() / 20
    assert np.allclose(shapely.area(simple), shapely.area(local), rtol=1e-3)
    wavy = shapely.transform(
        shapely.from_geojson(json.dumps({"type": "Polygon", "coordinates": wavy_square(9.9, 53.5, 0.01)})),
        lambda c: (c - [9.9, 53.5]) * [66_000, 111_320],
    )
    alone = simplify(np.array([wavy]))[0]
    assert shapely.get_num_coordinates(alone) < 20
    assert shapely.hausdorff_distance(alone, wavy) <= 2 * TOLERANCE_M


def run(folder: Path, db: str, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setenv("ENGAGE_PSEUDONYM_KEY", KEY)
    return run_pipeline(folder, db_url=db, as_of=dt.date(2025, 6, 30))


def _check_run(folder: Path, db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = run(folder, db, monkeypatch)
    assert not summary.failed_sources
    shapes = warehouse.districts(town=TOWN, db=db)
    assert shapes["code"].tolist() == ["01", "02", "03"]
    assert shapes["name"].tolist() == ["Bezirk 01", "Bezirk 02", "Bezirk 03"]
    geometries = shapely.from_geojson(shapes["geometry"].to_numpy())
    assert bool(shapely.coverage_is_valid(geometries)) and shapely.is_valid(geometries).all()
    assert shapely.get_num_coordinates(geometries).max() < 20  # 400 vertices each as read
    inside = shapely.contains_xy(geometries, shapes["label_lon"].to_numpy(), shapes["label_lat"].to_numpy())
    assert inside.all()
    # 0.02° × 0.02° at 53.5° N: 1.3 km × 2.2 km
    assert shapes["area_km2"].to_numpy() == pytest.approx(np.full(3, 0.02 * 66.22 * 0.02 * 111.32), rel=0.01)
    assert set(shapes["source_file"]) == {"stadtteile.geojson"}
    per = warehouse.indicators(town=TOWN, indicator="registered_per_1000", breakdown="district", db=db)
    per = per.set_index("group")
    assert per.loc[["01", "02"], "value"].tolist() == pytest.approx([30 / 800 * 1000, 30 / 800 * 1000])
    assert per.loc[["01", "02"], "n"].tolist() == [30, 30]
    assert "03" not in per.index  # no volunteer there: no row, as for the count


def test_engage_run_writes_mart_districts_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_folder(tmp_path / "q", collection(grid_features(["01", "02", "03"])), reg_districts=("01", "02"))
    _check_run(folder, f"sqlite:///{tmp_path / 'wh.sqlite'}", monkeypatch)


@pytest.mark.postgres
def test_engage_run_writes_mart_districts_postgres(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_folder(tmp_path / "q", collection(grid_features(["01", "02", "03"])), reg_districts=("01", "02"))
    _check_run(folder, postgres_url, monkeypatch)


def test_a_broken_districts_file_keeps_the_last_good_shapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_folder(tmp_path / "q", collection(grid_features(["01", "02", "03"])), reg_districts=("01", "02"))
    db = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    run(folder, db, monkeypatch)
    (folder / "stadtteile.geojson").write_text('{"type": "Feature"', encoding="utf-8")  # truncated
    summary = run(folder, db, monkeypatch)
    assert summary.failed_sources == ["Stadtteile"]
    report = next(f for f in summary.files if f.kind == "districts")
    assert report.status == "kept"
    assert "Daten des letzten erfolgreichen Laufs 1 beibehalten (3 Zeilen)" in report.message
    assert warehouse.districts(town=TOWN, db=db)["code"].tolist() == ["01", "02", "03"]


def test_an_older_warehouse_without_the_table_reads_as_no_shapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_folder(tmp_path / "q", collection(grid_features(["01"])), reg_districts=("01",))
    path = tmp_path / "wh.sqlite"
    run(folder, f"sqlite:///{path}", monkeypatch)
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE mart_districts")
    warehouse.clear_cache()
    shapes = warehouse.districts(db=f"sqlite:///{path}")
    assert shapes.empty and list(shapes.columns)[:3] == ["town_ags", "code", "name"]
