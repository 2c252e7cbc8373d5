"""Fictional district shapes of the demo towns: a GeoJSON FeatureCollection per town, clearly made up.

Each town gets a wobbly round outline in the North Sea (the Dogger Bank area, where no town is; towns sit
side by side on a grid, 0.4° apart), sized by its population (about 1,500 inhabitants per km²), and is
cut into its districts by a Voronoi partition of seed points: the first district ("Altstadt") in the
middle, the next ones in the direction their names say (Nordviertel to the north, Südstadt to the south,
…). Codes are the town's district codes ("01", "02", …) that its population, survey and registrations
use; every feature says ``"fiktiv": true``. Generated from the seed: the same seed gives the same bytes.
"""

from __future__ import annotations

import json

import numpy as np
import shapely

from etl.demo.names import DISTRICT_NAMES
from etl.demo.towns import DemoTown

ORIGIN = (2.0, 54.6)  # lon, lat of the first town: open sea, east of the Dogger Bank
SPACING = 0.4  # degrees between towns on the grid
PER_ROW = 10
DENSITY = 1_500.0  # inhabitants per km²
KM_PER_DEGREE = 111.32
# direction (degrees counter-clockwise from east) of each district after the first, matching its name
DIRECTIONS = (90.0, 270.0, 0.0, 180.0, 45.0, 225.0, 315.0)
OUTLINE_POINTS = 72
# Other property names than the defaults for some towns: shows code_property / name_property at work.
OWN_PROPERTIES = {"code_property": "STT_NR", "name_property": "STT_NAME"}


def uses_own_properties(town: DemoTown) -> bool:
    return town.index % 3 == 1


def centre(town: DemoTown) -> tuple[float, float]:
    return ORIGIN[0] + SPACING * (town.index % PER_ROW), ORIGIN[1] + SPACING * 0.75 * (town.index // PER_ROW)


def district_shapes(town: DemoTown, rng: np.random.Generator) -> list[shapely.Polygon]:
    """The town's districts as polygons (longitude/latitude), in the order of ``town.districts``."""
    radius_km = np.sqrt(town.population / DENSITY / np.pi)
    angles = np.linspace(0, 2 * np.pi, OUTLINE_POINTS, endpoint=False)
    phase = rng.uniform(0, 2 * np.pi, size=2)
    wobble = 1 + 0.12 * np.sin(3 * angles + phase[0]) + 0.06 * np.sin(5 * angles + phase[1])
    wobble *= rng.uniform(0.97, 1.03, size=OUTLINE_POINTS)
    outline = shapely.Polygon(np.column_stack([np.cos(angles), np.sin(angles)]) * (radius_km * wobble)[:, None])
    seeds = [rng.normal(0, 0.08 * radius_km, size=2)]
    for k in range(1, len(town.districts)):
        angle = np.radians(DIRECTIONS[(k - 1) % len(DIRECTIONS)] + rng.uniform(-12, 12))
        distance = radius_km * rng.uniform(0.5, 0.7)
        seeds.append(np.array([np.cos(angle), np.sin(angle)]) * distance)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=outline, ordered=True))
    pieces = [shapely.intersection(cell, outline) for cell in cells]
    lon0, lat0 = centre(town)
    kx = KM_PER_DEGREE * np.cos(np.radians(lat0))

    def to_degrees(coords: np.ndarray) -> np.ndarray:
        return np.round(np.column_stack([lon0 + coords[:, 0] / kx, lat0 + coords[:, 1] / KM_PER_DEGREE]), 6)

    return [shapely.transform(shapely.normalize(p), to_degrees) for p in pieces]


def _bow_tie(town: DemoTown) -> dict[str, object]:
    """A self-intersecting outline (a border drawn as a figure eight): the demo's rejected feature."""
    lon, lat = centre(town)
    ring = [[lon - 0.01, lat - 0.01], [lon + 0.01, lat + 0.01], [lon + 0.01, lat - 0.01], [lon - 0.01, lat + 0.01]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def districts_geojson(town: DemoTown, rng: np.random.Generator, dirt: bool = False) -> str:
    """The FeatureCollection text (pretty-printed as GIS tools write it); ``dirt`` adds a draft district
    whose border crosses itself, which the reader rejects."""
    own = uses_own_properties(town)
    code_key = OWN_PROPERTIES["code_property"] if own else "code"
    name_key = OWN_PROPERTIES["name_property"] if own else "name"
    features = []
    for code, shape in zip(town.districts, district_shapes(town, rng), strict=True):
        name = DISTRICT_NAMES[(int(code) - 1) % len(DISTRICT_NAMES)]
        features.append(
            {
                "type": "Feature",
                "properties": {code_key: code, name_key: name, "fiktiv": True},
                "geometry": json.loads(shapely.to_geojson(shape)),
            }
        )
    if dirt:
        features.append(
            {
                "type": "Feature",
                "properties": {code_key: "99", name_key: "Neubaugebiet (Entwurf)", "fiktiv": True},
                "geometry": _bow_tie(town),
            }
        )
    collection = {
        "type": "FeatureCollection",
        "name": f"Stadtteile {town.name} (fiktiv)",
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"


def districts_source(town: DemoTown, rel: str) -> dict[str, object]:
    """The manifest block of the town's districts file."""
    source: dict[str, object] = {"name": f"Stadtteile {town.name} (fiktiv)", "kind": "districts", "path": rel}
    source["town"] = town.ags
    if uses_own_properties(town):
        source.update(OWN_PROPERTIES)
    return source
