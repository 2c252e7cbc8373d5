"""The ``districts`` source (issue 16): GeoJSON district shapes, every validation rule with its German reason.

Each test writes its own small GeoJSON files. One feature is one row; its row number is its position in
the file (the first feature is row 1).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.readers.support import PROJECT, PSEUDO, TOWNS, make_spec, read
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.manifest import load_manifest
from etl.model import ManifestError
from etl.readers import read_source
from etl.tables import columns_of, stg_districts


def square(lon: float, lat: float, size: float = 0.01) -> list:
    return [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]


def feature(code: object = "01", name: object = "Altstadt", geometry: object = None, **props: object) -> dict:
    properties = {"code": code, "name": name, **props}
    if code is None:
        del properties["code"]
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry if geometry is not None else {"type": "Polygon", "coordinates": square(9.9, 53.5)},
    }


def collection(*features: object, **extra: object) -> bytes:
    return json.dumps({"type": "FeatureCollection", **extra, "features": list(features)}).encode("utf-8")


def reasons(result) -> dict[tuple[int, str], str]:  # noqa: ANN001 - SourceResult
    return {(r.row, r.column): r.reason for r in result.rejects.itertuples()}


def counted(result) -> None:  # noqa: ANN001
    for report in result.files:
        assert report.rows_read == report.rows_accepted + report.rows_rejected, report


def test_valid_shapes_become_clean_rows_with_their_position_as_row(tmp_path: Path) -> None:
    hole = {
        "type": "Polygon",
        "coordinates": [
            *square(10.0, 53.5, 0.02),
            [[10.005, 53.505], [10.005, 53.51], [10.01, 53.51], [10.005, 53.505]],
        ],
    }
    multi = {"type": "MultiPolygon", "coordinates": [square(10.1, 53.5), square(10.2, 53.5)]}
    data = collection(
        feature("01", "Altstadt"),
        feature("002", "Nordviertel", hole),
        feature(7, "Am Hafen", multi),  # an integer property: its digits
        {
            **feature("A1", None),
            "geometry": {"type": "Polygon", "coordinates": [[[*p, 12.0] for p in square(9.8, 53.4)[0]]]},
        },
    )
    result = read(tmp_path, "districts", {"stadtteile.geojson": data})
    assert result.rejects.empty
    frame = result.frames["stg_districts"]
    assert list(frame.columns) == columns_of(stg_districts)
    assert frame["code"].tolist() == ["01", "002", "7", "A1"]
    assert frame["name"].tolist() == ["Altstadt", "Nordviertel", "Am Hafen", None]
    assert frame["source_row"].tolist() == [1, 2, 3, 4]
    assert set(frame["town_ags"]) == {"09999001"}
    assert json.loads(frame["geometry"].iloc[2])["type"] == "MultiPolygon"
    assert len(json.loads(frame["geometry"].iloc[3])["coordinates"][0][0]) == 2  # height dropped
    assert result.files[0].message == "4 Zeilen gelesen, 4 übernommen, 0 abgewiesen"
    counted(result)


def test_every_feature_rule_rejects_with_a_german_reason(tmp_path: Path) -> None:
    bow_tie = {"type": "Polygon", "coordinates": [[[10, 53], [10.01, 53.01], [10.01, 53], [10, 53.01], [10, 53]]]}
    hole_outside = {"type": "Polygon", "coordinates": [*square(10, 53), *square(10.5, 53)]}
    utm = {"type": "Polygon", "coordinates": square(565_000.0, 5_933_000.0, 100.0)}
    open_ring = {"type": "Polygon", "coordinates": [[[10, 53], [10.01, 53], [10.01, 53.01], [10, 53.01]]]}
    few = {"type": "Polygon", "coordinates": [[[10, 53], [10.01, 53], [10, 53]]]}
    garbage = {"type": "Polygon", "coordinates": [[["10", "53"], [10.01, 53], [10.01, 53.01], [10, 53]]]}
    data = collection(
        feature("01"),  # 1 ok
        feature("02", geometry=bow_tie),  # 2 self-intersecting
        feature("03", geometry={"type": "Point", "coordinates": [10, 53]}),  # 3 not a polygon
        feature("04", geometry=utm),  # 4 outside WGS 84
        feature("05", geometry=open_ring),  # 5 not closed
        feature("06", geometry=few),  # 6 too few points
        feature("07", geometry=hole_outside),  # 7 invalid: hole outside the shell
        feature(""),  # 8 empty code
        feature(None),  # 9 no code property
        feature("01"),  # 10 duplicate of row 1
        {"type": "Feature", "properties": {"code": "11"}, "geometry": None},  # 11 no geometry
        {"type": "Punkt"},  # 12 not a feature
        feature(2.5),  # 13 a decimal number is no code
        feature("14", geometry=garbage),  # 14 coordinates as text
        feature(["15"]),  # 15 a list is no code
    )
    result = read(tmp_path, "districts", {"s.geojson": data})
    got = reasons(result)
    assert got == {
        (2, "geometry"): "Geometrie ungültig: der Umriss überschneidet sich selbst (bei 10,00500° O, 53,00500° N) – "
        "bitte im GIS korrigieren",
        (3, "geometry"): "Geometrie ist ein Point, kein Polygon oder MultiPolygon (Stadtteile sind Flächen)",
        (4, "geometry"): "Koordinate (565000, 5933000) liegt außerhalb von WGS 84 (Länge −180 bis 180, Breite −90 bis "
        "90): die Datei ist vermutlich in einem anderen Koordinatensystem (z. B. UTM, EPSG:25832) gespeichert; bitte "
        "als WGS 84 (EPSG:4326) exportieren",
        (5, "geometry"): "Ring ist nicht geschlossen (der letzte Punkt muss den ersten wiederholen)",
        (6, "geometry"): "Ring mit 3 Punkten: ein Umriss braucht mindestens 4 (der letzte wiederholt den ersten)",
        (7, "geometry"): "Geometrie ungültig: ein Loch liegt außerhalb des Umrisses (bei 10,50000° O, 53,00000° N) – "
        "bitte im GIS korrigieren",
        (8, "code"): "Stadtteilcode fehlt (Eigenschaft 'code' ist leer oder fehlt)",
        (9, "code"): "Stadtteilcode fehlt (Eigenschaft 'code' ist leer oder fehlt)",
        (10, "code"): "Duplikat von Zeile 1",
        (11, "geometry"): "Geometrie fehlt",
        (12, "(ganze Zeile)"): "Eintrag ist kein GeoJSON-Feature ('type' ist nicht 'Feature')",
        (13, "code"): "Stadtteilcode in Eigenschaft 'code' ist eine Kommazahl, kein Code",
        (14, "geometry"): "Koordinaten sind nicht lesbar (erwartet: Punkte als [Länge, Breite])",
        (15, "code"): "Stadtteilcode in Eigenschaft 'code' ist kein Text",
    }
    assert result.frames["stg_districts"]["code"].tolist() == ["01"]
    assert result.files[0].message == "15 Zeilen gelesen, 1 übernommen, 14 abgewiesen"
    assert result.files[0].status == "rejects"
    counted(result)


def test_a_ring_touching_itself_and_nested_shells_are_invalid(tmp_path: Path) -> None:
    # a shell whose border runs back through one of its own points (GEOS: Ring Self-intersection)
    pinched = [[[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]]]
    nested = {"type": "MultiPolygon", "coordinates": [square(10, 53, 0.1), square(10.02, 53.02, 0.01)]}
    data = collection(
        feature("01", geometry={"type": "Polygon", "coordinates": pinched}),
        feature("02", geometry=nested),
    )
    got = reasons(read(tmp_path, "districts", {"s.geojson": data}))
    assert got[(1, "geometry")].startswith(
        "Geometrie ungültig: ein Ring berührt oder kreuzt sich selbst (bei 1,00000° O"
    )
    assert got[(2, "geometry")].startswith("Geometrie ungültig: Teilflächen liegen ineinander")


def test_duplicates_are_sought_across_the_files_of_a_source(tmp_path: Path) -> None:
    files = {
        "nord.geojson": collection(
            feature("01"), feature("02", geometry={"type": "Polygon", "coordinates": square(9.95, 53.5)})
        ),
        "sued.geojson": collection(
            feature("03", geometry={"type": "Polygon", "coordinates": square(9.9, 53.45)}), feature("02")
        ),
    }
    result = read(tmp_path, "districts", files)
    assert reasons(result) == {(2, "code"): "Duplikat von Zeile 2 in nord.geojson"}
    assert result.rejects["file"].tolist() == ["sued.geojson"]
    assert sorted(result.frames["stg_districts"]["code"]) == ["01", "02", "03"]
    counted(result)


def test_code_and_name_properties_named_in_the_manifest(tmp_path: Path) -> None:
    data = collection(
        {"type": "Feature", "properties": {"STT_NR": "01", "STT_NAME": "Altstadt"}, "geometry": feature()["geometry"]}
    )
    (tmp_path / "s.geojson").write_bytes(data)
    spec = make_spec(
        tmp_path, "districts", ["s.geojson"], options={"code_property": "STT_NR", "name_property": "STT_NAME"}
    )
    result = read_source(spec, PROJECT, TOWNS, PSEUDO)
    assert result.frames["stg_districts"][["code", "name"]].values.tolist() == [["01", "Altstadt"]]
    # without a name the map shows the codes, and the file's message says so
    no_name = read(tmp_path, "districts", {"ohne.geojson": collection(feature("01", None))})
    assert no_name.files[0].message.endswith(
        "Eigenschaft 'name' (Stadtteilname) fehlt: die Karte zeigt die Stadtteilcodes (Name in engage.toml mit "
        'name_property = "…" angeben)'
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"code;name\n01;Altstadt\n",
            "s.geojson ist keine gültige GeoJSON-Datei: kein gültiges JSON (Zeile 1, Spalte 1).",
        ),
        (
            json.dumps(feature()).encode(),
            "s.geojson enthält ein einzelnes Feature; erwartet wird eine FeatureCollection.",
        ),
        (
            json.dumps({"type": "Polygon", "coordinates": square(10, 53)}).encode(),
            "s.geojson enthält nur eine Geometrie (Polygon); erwartet wird eine FeatureCollection.",
        ),
        (
            b'{"type": "Topology", "objects": {}}',
            "s.geojson ist TopoJSON, kein GeoJSON; erwartet wird eine FeatureCollection.",
        ),
        (
            b"[1, 2]",
            "s.geojson ist keine GeoJSON-Datei (kein 'type': 'FeatureCollection'); erwartet wird eine "
            "FeatureCollection.",
        ),
        (
            b"\x00\x00\x27\x0a" + bytes(96),
            "s.geojson ist keine GeoJSON-Datei, sondern ein Shapefile (.shp). Bitte als GeoJSON exportieren.",
        ),
        (
            b"PK\x03\x04" + bytes(30),
            "s.geojson ist keine GeoJSON-Datei, sondern ein ZIP-Archiv (z. B. ein gepacktes Shapefile oder KMZ). Bitte "
            "als GeoJSON exportieren.",
        ),
        (
            b'<?xml version="1.0"?><kml></kml>',
            "s.geojson ist keine GeoJSON-Datei, sondern eine XML-Datei (KML oder GML?). Bitte als GeoJSON exportieren.",
        ),
        (
            collection(feature(), crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}),
            "s.geojson ist im Koordinatensystem urn:ogc:def:crs:EPSG::25832 gespeichert; erwartet wird WGS 84 "
            "(Länge/Breite, EPSG:4326). Bitte im GIS mit diesem Koordinatensystem neu exportieren.",
        ),
        (collection(), "s.geojson enthält keine Stadtteile (die FeatureCollection ist leer)."),
        (b'{"type": "FeatureCollection"}', "s.geojson: Die FeatureCollection hat keine Liste 'features'."),
        (
            collection(feature(None, "Altstadt", STT_NR="01")),
            "Eigenschaft 'code' (Stadtteilcode) fehlt in allen Features von s.geojson (vorhandene Eigenschaften: "
            'name, STT_NR). Den Namen der Eigenschaft in engage.toml mit code_property = "…" angeben.',
        ),
        (
            '{"type": "FeatureCollection", "name": "Stadtteile Müllheim", "features": []}'.encode("cp1252"),
            "s.geojson ist nicht in UTF-8 gespeichert (GeoJSON ist immer UTF-8): bitte als UTF-8 exportieren oder die "
            'Kodierung mit encoding = "cp1252" angeben.',
        ),
    ],
    ids=[
        "csv",
        "feature",
        "geometry",
        "topojson",
        "array",
        "shapefile",
        "zip",
        "kml",
        "utm-crs",
        "empty",
        "no-features",
        "no-code-property",
        "cp1252",
    ],
)
def test_a_file_that_is_no_feature_collection_stops_the_source(tmp_path: Path, content: bytes, message: str) -> None:
    result = read(tmp_path, "districts", {"s.geojson": content})
    assert result.failed
    assert [f.message for f in result.files] == [message]
    assert result.files[0].status == "failed"


def test_wgs84_crs_and_byte_order_mark_are_fine(tmp_path: Path) -> None:
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    result = read(tmp_path, "districts", {"s.geojson": b"\xef\xbb\xbf" + collection(feature(), crs=crs)})
    assert not result.failed and len(result.frames["stg_districts"]) == 1


def test_the_manifest_takes_the_property_keys_and_refuses_others(tmp_path: Path) -> None:
    (tmp_path / "s.geojson").write_bytes(collection(feature()))
    head = (
        '[project]\nname = "T"\n[[towns]]\nags = "09999001"\nname = "M"\n'
        '[[sources]]\nkind = "districts"\npath = "s.geojson"\n'
    )
    (tmp_path / "engage.toml").write_text(
        head + 'code_property = "STT_NR"\nname_property = "STT_NAME"\n', encoding="utf-8"
    )
    spec = load_manifest(tmp_path).sources[0]
    assert spec.kind == "districts" and spec.town == "09999001"
    assert spec.options == {"code_property": "STT_NR", "name_property": "STT_NAME"}
    for extra, text in (
        ('code_propery = "STT_NR"\n', "Schlüssel 'code_propery' ist unbekannt; meinten Sie 'code_property'?"),
        ("year = 2024\n", "Schlüssel 'year' ist unbekannt"),
        ("code_property = 3\n", "Schlüssel 'code_property': 3 ist kein Name einer GeoJSON-Eigenschaft"),
        ('name_property = " "\n', "Schlüssel 'name_property': ' ' ist kein Name einer GeoJSON-Eigenschaft"),
    ):
        (tmp_path / "engage.toml").write_text(head + extra, encoding="utf-8")
        with pytest.raises(ManifestError, match=text.replace("(", r"\(").replace("?", r"\?")):
            load_manifest(tmp_path)


_coord = st.floats(min_value=-200, max_value=200, allow_nan=False, allow_infinity=False)
_ring = st.lists(st.tuples(_coord, _coord).map(list), min_size=0, max_size=6)
_feature = st.fixed_dictionaries(
    {
        "code": st.one_of(st.none(), st.sampled_from(["01", "02", "03", "", " 04 "]), st.integers(0, 9), st.floats()),
        "kind": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", None]),
        "ring": _ring,
        "close": st.booleans(),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_feature, min_size=1, max_size=12))
def test_any_features_every_row_accepted_or_rejected_codes_unique(tmp_path: Path, drawn: list[dict]) -> None:
    features = []
    for f in drawn:
        ring = f["ring"] + f["ring"][:1] if f["close"] else f["ring"]
        coords = [ring] if f["kind"] != "MultiPolygon" else [[ring]]
        geometry = {"type": f["kind"], "coordinates": coords} if f["kind"] else None
        features.append({"type": "Feature", "properties": {"code": f["code"]}, "geometry": geometry})
    features.append(feature("zz"))  # at least one feature has the code property
    result = read(tmp_path, "districts", {"p.geojson": collection(*features)})
    assert not result.failed
    report = result.files[0]
    assert report.rows_read == len(features) == report.rows_accepted + report.rows_rejected
    frame = result.frames["stg_districts"]
    assert frame["code"].is_unique and (frame["code"].str.strip() == frame["code"]).all()
    assert len(result.rejects.drop_duplicates(["row"])) == report.rows_rejected
    assert set(result.rejects["row"]) | set(frame["source_row"]) == set(range(1, len(features) + 1))
