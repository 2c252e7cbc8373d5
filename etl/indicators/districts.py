"""District shapes for display (``mart_districts``): simplified once here, so the dashboard never reads a raw file.

A district file from a geodata portal holds its borders at survey precision (often a vertex every metre or
two): tens of thousands of points that a map 600 pixels wide cannot show (a town of 10 km is ~17 m per
pixel). Each town's shapes are simplified together as a polygonal coverage (shapely's
``coverage_simplify``, Visvalingam–Whyatt): a border shared by two districts is simplified once, so no gaps
or overlaps open between neighbours. The tolerance is :data:`TOLERANCE_M` metres, in a local equirectangular
projection around the town (degrees of longitude shrink with the cosine of the latitude). Shapes that do
not form a coverage (overlapping districts) are simplified one by one with topology preserved. A simplified
shape that would be invalid or empty keeps its original outline: simplification never changes what a
district is.

Each district also gets a label point well inside it (the pole of inaccessibility of its largest part,
``polylabel``: a centroid can fall outside a crescent-shaped district) and its area in km² (of the shape
as read), for labels and for researchers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from etl import tables
from etl.model import CleanData
from etl.tables import columns_of, empty_frame

TOLERANCE_M = 5.0  # ~ a third of a pixel of a town-wide map; keeps corners of small blocks
LABEL_TOLERANCE_M = 1.0
DECIMALS = 6  # ~0.1 m: more digits would only make the stored text longer
METRES_PER_DEGREE = 111_320.0  # along a meridian, and along the equator
COLUMNS = columns_of(tables.mart_districts)


def district_shapes(clean: CleanData) -> pd.DataFrame:
    """The rows of ``mart_districts`` for every town with district shapes (empty frame without any)."""
    frame = clean.get("stg_districts")
    if frame is None or frame.empty:
        return empty_frame(tables.mart_districts)
    parts = [_town_shapes(town) for _, town in frame.groupby("town_ags", sort=True)]
    return pd.concat(parts, ignore_index=True)[COLUMNS]


class _LocalMetres:
    """A local equirectangular projection in metres around ``lon0``/``lat0`` (enough at town scale)."""

    def __init__(self, geometries: np.ndarray) -> None:
        xmin, ymin, xmax, ymax = shapely.total_bounds(geometries)
        self.lon0, self.lat0 = (xmin + xmax) / 2, (ymin + ymax) / 2
        self.kx = METRES_PER_DEGREE * np.cos(np.radians(self.lat0))

    def forward(self, coords: np.ndarray) -> np.ndarray:
        return np.column_stack([(coords[:, 0] - self.lon0) * self.kx, (coords[:, 1] - self.lat0) * METRES_PER_DEGREE])

    def back(self, coords: np.ndarray) -> np.ndarray:
        lon = coords[:, 0] / self.kx + self.lon0
        lat = coords[:, 1] / METRES_PER_DEGREE + self.lat0
        return np.round(np.column_stack([lon, lat]), DECIMALS)


def _town_shapes(town: pd.DataFrame) -> pd.DataFrame:
    geometries = shapely.from_geojson(town["geometry"].astype(str).to_numpy())
    local = _LocalMetres(geometries)
    metric = shapely.transform(geometries, local.forward)
    simple = simplify(metric)
    labels = [_label_point(g) for g in metric]
    label_xy = local.back(np.array([[p.x, p.y] for p in labels]))
    shown = shapely.transform(simple, local.back)
    return pd.DataFrame(
        {
            "town_ags": town["town_ags"].astype(str).to_numpy(),
            "code": town["code"].astype(str).to_numpy(),
            "name": town["name"].to_numpy(dtype=object),
            "geometry": shapely.to_geojson(shown),
            "label_lon": label_xy[:, 0],
            "label_lat": label_xy[:, 1],
            "area_km2": shapely.area(metric) / 1e6,
            "source_file": town["source_file"].astype(str).to_numpy(),
        }
    )


def simplify(metric: np.ndarray, tolerance: float = TOLERANCE_M) -> np.ndarray:
    """Simplified shapes (metres): as a coverage where the districts form one, else one by one; a shape
    whose simplification is invalid or empty keeps its outline."""
    if len(metric) > 1 and bool(shapely.coverage_is_valid(metric)):
        simple = shapely.coverage_simplify(metric, tolerance)
    else:
        simple = shapely.simplify(metric, tolerance, preserve_topology=True)
    broken = ~shapely.is_valid(simple) | shapely.is_empty(simple)
    return np.where(broken, metric, simple)


def _label_point(geometry: shapely.Geometry) -> shapely.Point:
    """The pole of inaccessibility of the largest part: the point farthest from the border."""
    parts = shapely.get_parts(geometry)
    largest = parts[int(np.argmax(shapely.area(parts)))]
    return polylabel(largest, tolerance=LABEL_TOLERANCE_M)
