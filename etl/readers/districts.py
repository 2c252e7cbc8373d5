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
from etl.messages import Msg
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

# GEOS's validity reasons (shapely.is_valid_reason) as etl.messages codes; the location follows in brackets.
VALIDITY_CODES = {
    "Self-intersection": "geos_self_intersection",
    "Ring Self-intersection": "geos_ring_self_intersection",
    "Hole lies outside shell": "geos_hole_outside",
    "Holes are nested": "geos_holes_nested",
    "Interior is disconnected": "geos_disconnected",
    "Nested shells": "geos_nested_shells",
    "Duplicate Rings": "geos_duplicate_rings",
    "Too few distinct points in geometry component": "geos_too_few_points",
    "Invalid Coordinate": "geos_invalid_coordinate",
    "Ring is not closed": "geos_ring_not_closed",
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
            log.note(file, Msg("district_name_missing", key=name_key))
    frame = pd.DataFrame(rows, columns=["code", "name", "geometry", "column", "reason", "source_file", "source_row"])
    bad = frame["reason"].notna()
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
        raise FileUnreadable(file, Msg("geojson_other_format", file=file, what=what))
    encoding = str(spec.options.get("encoding") or "utf-8-sig")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise FileUnreadable(file, Msg("geojson_not_utf8", file=file)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileUnreadable(file, Msg("geojson_bad_json", file=file, line=exc.lineno, column=exc.colno)) from None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind != "FeatureCollection":
        raise FileUnreadable(file, Msg("geojson_not_collection", file=file, what=_not_a_collection(kind)))
    crs = _crs_name(data.get("crs"))
    if crs is not None and not any(name in crs.casefold() for name in WGS84_NAMES):
        raise FileUnreadable(file, Msg("geojson_other_crs", file=file, crs=crs))
    features = data.get("features")
    if not isinstance(features, list):
        raise FileUnreadable(file, Msg("geojson_no_features", file=file))
    if not features:
        raise FileUnreadable(file, Msg("geojson_empty", file=file))
    props = [f.get("properties") for f in features if isinstance(f, dict)]
    props = [p for p in props if isinstance(p, dict)]
    if not any(code_key in p for p in props):
        seen = list(dict.fromkeys(k for p in props for k in p))
        listed = (
            Msg("listing", names=", ".join(seen[:12]) + (", …" if len(seen) > 12 else ""))
            if seen
            else Msg("listing_none")
        )
        raise FileUnreadable(file, Msg("geojson_code_missing", key=code_key, file=file, present=listed))
    return features


def _other_format(raw: bytes) -> Msg | None:
    """What a file that is clearly not GeoJSON is (a shapefile, a zip, KML/GML), None otherwise."""
    head = raw[:8]
    if head[:4] == b"\x00\x00\x27\x0a":
        return Msg("format_shapefile")
    if head[:2] == b"PK":
        return Msg("format_zip")
    stripped = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] == b"<":
        return Msg("format_xml")
    return None


def _not_a_collection(kind: object) -> Msg:
    if kind == "Feature":
        return Msg("geojson_single_feature")
    if kind == "Topology":
        return Msg("geojson_topojson")
    if isinstance(kind, str) and kind in (*POLYGONAL, "Point", "LineString", "GeometryCollection"):
        return Msg("geojson_bare_geometry", kind=kind)
    return Msg("geojson_no_type")


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
    ``reason`` (an :class:`etl.messages.Msg`; None when it is accepted). The first failing check gives the reason."""
    row: dict[str, object] = {"code": None, "name": None, "geometry": None, "column": "", "reason": None}
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return row | {"column": WHOLE_ROW, "reason": Msg("feature_not_feature")}
    props = feature.get("properties")
    props = props if isinstance(props, dict) else {}
    row["name"] = _name(props.get(name_key))
    code, problem = _code(props.get(code_key), code_key)
    if problem is not None:
        return row | {"column": code_key, "reason": problem}
    row["code"] = code
    geometry, problem = check_geometry(feature.get("geometry"))
    if problem is not None:
        return row | {"column": GEOMETRY, "reason": problem}
    row["geometry"] = geometry
    return row


def _name(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _code(value: object, key: str) -> tuple[str | None, Msg | None]:
    """The district code as text (an integer property becomes its digits), or the reason it is missing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, Msg("district_code_missing", key=key)
    if isinstance(value, (bool, dict, list)):
        return None, Msg("district_code_not_text", key=key)
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            return None, Msg("district_code_decimal", key=key)
        value = int(value)
    return str(value).strip(), None


def check_geometry(geometry: object) -> tuple[str | None, Msg | None]:
    """The geometry as GeoJSON text (2-D), or the reason it cannot be drawn."""
    if not isinstance(geometry, dict):
        return None, Msg("geometry_missing")
    kind = geometry.get("type")
    if kind not in POLYGONAL:
        shown = kind if isinstance(kind, str) and len(kind) <= 30 else None
        return None, Msg("geometry_not_area", kind=shown or Msg("geometry_unknown_kind"))
    coords = geometry.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons or not all(isinstance(p, list) and p for p in polygons):
        return None, Msg("geometry_empty")
    for polygon in polygons:
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem is not None:
                return None, problem
    try:
        shape = shapely.force_2d(shapely.geometry.shape(geometry))
    except (ValueError, TypeError, shapely.errors.GEOSException):
        return None, Msg("coordinates_unreadable")
    reason = shapely.is_valid_reason(shape)
    if reason != "Valid Geometry":
        what, at = validity_parts(reason)
        return None, Msg("geometry_invalid", what=what, at=at)
    return shapely.to_geojson(shape), None


def _ring_problem(ring: object) -> Msg | None:
    """Why a ring of positions is not drawable, None if it is (structure, closure, WGS 84 ranges)."""
    if not isinstance(ring, list) or not all(
        isinstance(p, list) and 2 <= len(p) <= 3 and all(_number(c) for c in p) for p in ring
    ):
        return Msg("coordinates_unreadable")
    if len(ring) < 4:
        return Msg("ring_too_short", n=len(ring))
    points = np.asarray([p[:2] for p in ring], dtype="float64")
    lon, lat = points[:, 0], points[:, 1]
    outside = (np.abs(lon) > 180) | (np.abs(lat) > 90)
    if outside.any():
        x, y = points[int(np.argmax(outside))]
        return Msg("coordinate_outside_wgs84", x=float(x), y=float(y))
    if not np.array_equal(points[0], points[-1]):
        return Msg("ring_not_closed")
    return None


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def degrees(lon: float, lat: float) -> Msg:
    """ "(bei 9,99712° O, 53,55041° N)": a location a coordinator can look up."""
    return Msg("at_location", lon=abs(lon), east="O" if lon >= 0 else "W", lat=abs(lat), north="N" if lat >= 0 else "S")


def validity_parts(reason: str) -> tuple[Msg, Msg | None]:
    """GEOS's reason ("Self-intersection[9.99 53.55]") as what is wrong and where (None: no location)."""
    match = _REASON.match(reason.strip())
    if not match:
        return Msg("geos_other"), None
    what = Msg(VALIDITY_CODES.get(match.group("what").strip(), "geos_other"))
    if match.group("x") is None:
        return what, None
    return what, degrees(float(match.group("x")), float(match.group("y")))
