"""The map's geometry: a Mercator projection, the bundled Natural Earth base map (land and
country borders at 1:50m, public domain, read from resources/basemap; nothing is fetched),
and the places of the time window as markers. Qt-free."""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from explorer import paths

#: Web Mercator's latitude limit: beyond, y grows without bound.
MAX_LAT = 85.0
LAND = "ne_50m_land.geojson.gz"
BORDERS = "ne_50m_admin_0_boundary_lines_land.geojson.gz"


def project(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
    """Longitude and latitude (degrees) to Mercator x, y in degrees of longitude (north up)."""
    phi = np.radians(np.clip(lat, -MAX_LAT, MAX_LAT))
    y = np.degrees(np.log(np.tan(np.pi / 4 + phi / 2)))
    return np.column_stack([np.asarray(lon, dtype=np.float64), y])


def project_one(lon: float, lat: float) -> tuple[float, float]:
    phi = math.radians(max(-MAX_LAT, min(MAX_LAT, lat)))
    return lon, math.degrees(math.log(math.tan(math.pi / 4 + phi / 2)))


@dataclass(frozen=True)
class BaseMap:
    """Projected outlines as one array of points with NaN rows between the rings (what a
    pyqtgraph curve with connect='finite' draws in one item)."""

    land: NDArray[np.float64]  # polygon rings (outer and holes)
    borders: NDArray[np.float64]  # lines

    @property
    def empty(self) -> bool:
        return self.land.size == 0


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """A GeoJSON geometry's rings (polygons) or lines, as lists of [lon, lat]."""
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind in ("Polygon", "MultiLineString"):
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for poly in coords for ring in poly]
    if kind == "LineString":
        return [coords]
    return []


def _outlines(path: Path) -> NDArray[np.float64]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    parts: list[NDArray[np.float64]] = []
    gap = np.full((1, 2), np.nan)
    for feature in data.get("features", []):
        for ring in _rings(feature.get("geometry") or {}):
            pts = np.asarray(ring, dtype=np.float64)[:, :2]
            if len(pts) >= 2:
                parts += [project(pts[:, 0], pts[:, 1]), gap]
    return np.concatenate(parts) if parts else np.zeros((0, 2))


@lru_cache(maxsize=2)
def base_map(folder: Path | None = None) -> BaseMap:
    """The bundled base map (an empty one if its files are missing: the places are still
    drawn, on a grid)."""
    where = folder or paths.resources_dir() / "basemap"
    try:
        return BaseMap(_outlines(where / LAND), _outlines(where / BORDERS))
    except (OSError, ValueError):
        return BaseMap(np.zeros((0, 2)), np.zeros((0, 2)))


@dataclass(frozen=True)
class Marker:
    id: str  # the place entity
    lon: float
    lat: float
    events: int  # events of the window at that place
    #: the point is not the place's own but that of a place containing it
    approximate: bool = False
    within: str | None = None  # that place (an entity id), when known

    @property
    def xy(self) -> tuple[float, float]:
        return project_one(self.lon, self.lat)


def extent(markers: list[Marker], margin: float = 0.25) -> tuple[float, float, float, float]:
    """The projected box around the markers (x0, y0, x1, y1), with a margin and at least a
    few degrees wide, so that one place is shown with its surroundings."""
    if not markers:
        return 60.0, 0.0, 150.0, 60.0  # East Asia
    xs = [m.xy[0] for m in markers]
    ys = [m.xy[1] for m in markers]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    w, h = max(x1 - x0, 8.0), max(y1 - y0, 6.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (
        cx - w * (0.5 + margin),
        cy - h * (0.5 + margin),
        cx + w * (0.5 + margin),
        cy + h * (0.5 + margin),
    )
