"""Reader for the ``districts`` source: a town's district shapes as a GeoJSON FeatureCollection (WGS 84).

GIS tools (QGIS, the towns' geodata portals) export district boundaries as GeoJSON; a feature carries the
district code in a property (``code_property``, default ``code``) and optionally its name
(``name_property``, default ``name``). One feature is one row: its row number is its position in the file's
``features`` list (the first feature is row 1; a GeoJSON file has no header row). Rows read = accepted +
rejected per file, as for every other source (brief §4).

A feature whose shape cannot be drawn honestly is rejected with a German reason: no (Multi)Polygon,
coordinates outside the WGS 84 ranges (usually a file saved in UTM/Gauß-Krüger), an unclosed ring, an
invalid geometry (GEOS's validity check through shapely, e.g. a self-intersecting border, its location
named), a missing code or a duplicate code ("Duplikat von Zeile N"). Invalid geometry is never repaired
here (``make_valid`` would silently change a district's area); the coordinator fixes it in the GIS. A file
that is not a GeoJSON FeatureCollection, is in another coordinate system (``crs``), or whose features all
lack the code property stops the source with one message. Which codes have no data in the other sources,
and which used codes have no shape, is said after all sources are read (:mod:`etl.crosscheck`).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import pandas as pd
import shapely

from etl import tables
from etl.model import Project, SourceResult, SourceSpec, Town
from etl.readers.checks import WHOLE_ROW, RejectLog, duplicates, finish
from etl.readers.tabular import FileUnreadable
from etl.tables import columns_of

CODE_PROPERTY, NAME_PROPERTY = "code", "name"
POLYGONAL = ("Polygon", "MultiPolygon")
GEOMETRY = "geometry"  # the column a geometry reject names
COLUMNS = columns_of(tables.stg_districts)
# crs names that mean WGS 84 longitude/latitude (old GeoJSON 2008 files write a "crs" member)
WGS84_NAMES = ("crs84", "epsg::4326", "epsg:4326", "wgs84", "wgs 84")

# GEOS's validity reasons (shapely.is_valid_reason) in German; the location follows in brackets.
VALIDITY_DE = {
    "Self-intersection": "der Umriss überschneidet sich selbst",
    "Ring Self-intersection": "ein Ring berührt oder kreuzt sich selbst",
    "Hole lies outside shell": "ein Loch liegt außerhalb des Umrisses",
    "Holes are nested": "Löcher liegen ineinander",
    "Interior is disconnected": "die Fläche zerfällt in getrennte Teile",
    "Nested shells": "Teilflächen liegen ineinander",
    "Duplicate Rings": "ein Ring ist doppelt vorhanden",
    "Too few distinct points in geometry component": "zu wenige verschiedene Punkte (Fläche ohne Inhalt)",
    "Invalid Coordinate": "eine Koordinate ist ungültig",
    "Ring is not closed": "ein Ring ist nicht geschlossen",
}
_REASON = re.compile(r"^(?P<what>[^\[]+?)\s*(\[(?P<x>[-+0-9.eE]+)\s+(?P<y>[-+0-9.eE]+)\])?$")


def read_districts(
    spec: SourceSpec, project: Project, towns: tuple[Town, ...], pseudonymiser: object = None
) -> SourceResult:
    """Read every file of a districts source into ``stg_districts`` (see the module docstring)."""
    code_key = str(spec.options.get("code_property", CODE_PROPERTY)).strip()
    name_key = str(spec.options.get("name_property", NAME_PROPERTY)).strip()
    log = RejectLog(spec)
    rows: list[dict[str, object]] = []
    counts: dict[str, int] = {}
    for path in spec.files:
        file = spec.relname(path)
        features = _features(path.read_bytes(), file, spec, code_key)
        counts[file] = len(features)
        named = False
        for position, feature in enumerate(features, start=1):
            row = feature_row(feature, code_key, name_key)
            named = named or row["name"] is not None
            rows.append({**row, "source_file": file, "source_row": position})
        if not named:
            log.note(
                file,
                f"Eigenschaft '{name_key}' (Stadtteilname) fehlt: die Karte zeigt die Stadtteilcodes "
                '(Name in engage.toml mit name_property = "…" angeben)',
            )
    frame = pd.DataFrame(rows, columns=["code", "name", "geometry", "column", "reason", "source_file", "source_row"])
    bad = frame["reason"] != ""
    log.add(frame, bad.to_numpy(), frame["column"], frame["reason"])
    dup, reason = duplicates(frame, ["code"], ~bad)
    log.add(frame, dup.to_numpy(), code_key, reason)
    ok = frame.loc[~(bad | dup)].copy()
    ok["name"] = ok["name"].astype(object).where(ok["name"].notna(), None)
    ok["town_ags"] = spec.town
    return finish(spec, {"stg_districts": ok[COLUMNS]}, counts, log)


def _features(raw: bytes, file: str, spec: SourceSpec, code_key: str) -> list[Any]:
    """The ``features`` of a GeoJSON FeatureCollection; anything else stops the source with one message."""
    what = _other_format(raw)
    if what:
        raise FileUnreadable(file, f"{file} ist keine GeoJSON-Datei, sondern {what}. Bitte als GeoJSON exportieren.")
    encoding = str(spec.options.get("encoding") or "utf-8-sig")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise FileUnreadable(
            file,
            f"{file} ist nicht in UTF-8 gespeichert (GeoJSON ist immer UTF-8): bitte als UTF-8 exportieren oder "
            'die Kodierung mit encoding = "cp1252" angeben.',
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileUnreadable(
            file,
            f"{file} ist keine gültige GeoJSON-Datei: kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}).",
        ) from None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind != "FeatureCollection":
        raise FileUnreadable(file, f"{file} {_not_a_collection(kind)}; erwartet wird eine FeatureCollection.")
    crs = _crs_name(data.get("crs"))
    if crs is not None and not any(name in crs.casefold() for name in WGS84_NAMES):
        raise FileUnreadable(
            file,
            f"{file} ist im Koordinatensystem {crs} gespeichert; erwartet wird WGS 84 (Länge/Breite, EPSG:4326). "
            "Bitte im GIS mit diesem Koordinatensystem neu exportieren.",
        )
    features = data.get("features")
    if not isinstance(features, list):
        raise FileUnreadable(file, f"{file}: Die FeatureCollection hat keine Liste 'features'.")
    if not features:
        raise FileUnreadable(file, f"{file} enthält keine Stadtteile (die FeatureCollection ist leer).")
    props = [f.get("properties") for f in features if isinstance(f, dict)]
    props = [p for p in props if isinstance(p, dict)]
    if not any(code_key in p for p in props):
        seen = list(dict.fromkeys(k for p in props for k in p))
        listed = ", ".join(seen[:12]) + (", …" if len(seen) > 12 else "") if seen else "keine"
        raise FileUnreadable(
            file,
            f"Eigenschaft '{code_key}' (Stadtteilcode) fehlt in allen Features von {file} (vorhandene Eigenschaften: "
            f'{listed}). Den Namen der Eigenschaft in engage.toml mit code_property = "…" angeben.',
        )
    return features


def _other_format(raw: bytes) -> str:
    """What a file that is clearly not GeoJSON is (a shapefile, a zip, KML/GML), '' otherwise."""
    head = raw[:8]
    if head[:4] == b"\x00\x00\x27\x0a":
        return "ein Shapefile (.shp)"
    if head[:2] == b"PK":
        return "ein ZIP-Archiv (z. B. ein gepacktes Shapefile oder KMZ)"
    stripped = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] == b"<":
        return "eine XML-Datei (KML oder GML?)"
    return ""


def _not_a_collection(kind: object) -> str:
    if kind == "Feature":
        return "enthält ein einzelnes Feature"
    if kind == "Topology":
        return "ist TopoJSON, kein GeoJSON"
    if isinstance(kind, str) and kind in (*POLYGONAL, "Point", "LineString", "GeometryCollection"):
        return f"enthält nur eine Geometrie ({kind})"
    return "ist keine GeoJSON-Datei (kein 'type': 'FeatureCollection')"


def _crs_name(crs: object) -> str | None:
    """The coordinate system an old-style ``crs`` member names, None without one."""
    if not isinstance(crs, dict):
        return None
    props = crs.get("properties")
    if isinstance(props, dict):
        name = props.get("name") or props.get("href")
        if name:
            return str(name)
    return str(crs.get("type") or "unbekannt")


def feature_row(feature: object, code_key: str, name_key: str) -> dict[str, object]:
    """One feature as ``code``, ``name``, ``geometry`` (GeoJSON text) and, when rejected, ``column`` and
    ``reason`` (empty when it is accepted). The first failing check gives the reason."""
    row: dict[str, object] = {"code": None, "name": None, "geometry": None, "column": "", "reason": ""}
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return row | {"column": WHOLE_ROW, "reason": "Eintrag ist kein GeoJSON-Feature ('type' ist nicht 'Feature')"}
    props = feature.get("properties")
    props = props if isinstance(props, dict) else {}
    row["name"] = _name(props.get(name_key))
    code, problem = _code(props.get(code_key), code_key)
    if problem:
        return row | {"column": code_key, "reason": problem}
    row["code"] = code
    geometry, problem = check_geometry(feature.get("geometry"))
    if problem:
        return row | {"column": GEOMETRY, "reason": problem}
    row["geometry"] = geometry
    return row


def _name(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _code(value: object, key: str) -> tuple[str | None, str]:
    """The district code as text (an integer property becomes its digits), or the reason it is missing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, f"Stadtteilcode fehlt (Eigenschaft '{key}' ist leer oder fehlt)"
    if isinstance(value, (bool, dict, list)):
        return None, f"Stadtteilcode in Eigenschaft '{key}' ist kein Text"
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            return None, f"Stadtteilcode in Eigenschaft '{key}' ist eine Kommazahl, kein Code"
        value = int(value)
    return str(value).strip(), ""


def check_geometry(geometry: object) -> tuple[str | None, str]:
    """The geometry as GeoJSON text (2-D), or the German reason it cannot be drawn."""
    if not isinstance(geometry, dict):
        return None, "Geometrie fehlt"
    kind = geometry.get("type")
    if kind not in POLYGONAL:
        shown = kind if isinstance(kind, str) and len(kind) <= 30 else "unbekannt"
        return None, f"Geometrie ist ein {shown}, kein Polygon oder MultiPolygon (Stadtteile sind Flächen)"
    coords = geometry.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons or not all(isinstance(p, list) and p for p in polygons):
        return None, "Geometrie ist leer (keine Koordinaten)"
    for polygon in polygons:
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem:
                return None, problem
    try:
        shape = shapely.force_2d(shapely.geometry.shape(geometry))
    except (ValueError, TypeError, shapely.errors.GEOSException):
        return None, "Koordinaten sind nicht lesbar (erwartet: Punkte als [Länge, Breite])"
    reason = shapely.is_valid_reason(shape)
    if reason != "Valid Geometry":
        return None, "Geometrie ungültig: " + validity_text(reason) + " – bitte im GIS korrigieren"
    return shapely.to_geojson(shape), ""


def _ring_problem(ring: object) -> str:
    """Why a ring of positions is not drawable, '' if it is (structure, closure, WGS 84 ranges)."""
    if not isinstance(ring, list) or not all(
        isinstance(p, list) and 2 <= len(p) <= 3 and all(_number(c) for c in p) for p in ring
    ):
        return "Koordinaten sind nicht lesbar (erwartet: Punkte als [Länge, Breite])"
    if len(ring) < 4:
        return f"Ring mit {len(ring)} Punkten: ein Umriss braucht mindestens 4 (der letzte wiederholt den ersten)"
    points = np.asarray([p[:2] for p in ring], dtype="float64")
    lon, lat = points[:, 0], points[:, 1]
    outside = (np.abs(lon) > 180) | (np.abs(lat) > 90)
    if outside.any():
        x, y = points[int(np.argmax(outside))]
        return (
            f"Koordinate ({_plain(x)}, {_plain(y)}) liegt außerhalb von WGS 84 (Länge −180 bis 180, Breite −90 bis "
            "90): die Datei ist vermutlich in einem anderen Koordinatensystem (z. B. UTM, EPSG:25832) gespeichert; "
            "bitte als WGS 84 (EPSG:4326) exportieren"
        )
    if not np.array_equal(points[0], points[-1]):
        return "Ring ist nicht geschlossen (der letzte Punkt muss den ersten wiederholen)"
    return ""


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _plain(value: float) -> str:
    """A coordinate as read, German decimal comma (up to 6 decimals, no trailing zeros)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def degrees(lon: float, lat: float) -> str:
    """ "9,99712° O, 53,55041° N": a location a coordinator can look up."""
    east = f"{abs(lon):.5f}".replace(".", ",") + ("° O" if lon >= 0 else "° W")
    north = f"{abs(lat):.5f}".replace(".", ",") + ("° N" if lat >= 0 else "° S")
    return f"{east}, {north}"


def validity_text(reason: str) -> str:
    """GEOS's reason ("Self-intersection[9.99 53.55]") in German with its location."""
    match = _REASON.match(reason.strip())
    if not match:
        return "die Geometrie ist nicht gültig"
    what = VALIDITY_DE.get(match.group("what").strip(), "die Geometrie ist nicht gültig")
    if match.group("x") is None:
        return what
    return f"{what} (bei {degrees(float(match.group('x')), float(match.group('y')))})"
