"""The offline vector basemap of the static map: projection, countries, provinces, border line.

Everything is drawn from the boundaries shipped in :mod:`gazetteer.boundaries`
(no web tiles), projected into a Lambert conformal conic centred on the map's
extent, so distances and shapes are right for the region rather than plain
degrees.  When the boundary data cannot be read the map still draws (sea,
graticule) and :func:`load_basemap` says why in its ``note``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from maps.style import MAP_COLOURS

#: A box in longitude/latitude degrees: (west, south, east, north).
Bounds = tuple[float, float, float, float]

#: Colours of the basemap (:data:`maps.style.MAP_COLOURS`): quiet, so the events carry colour.
SEA = MAP_COLOURS["sea"]
LAND = MAP_COLOURS["land"]
DPRK_LAND = MAP_COLOURS["dprk_land"]
COUNTRY_EDGE = MAP_COLOURS["country_edge"]
DPRK_EDGE = MAP_COLOURS["dprk_edge"]
PROVINCE_EDGE = MAP_COLOURS["province_edge"]
BORDER_LINE = MAP_COLOURS["border"]
GRATICULE = MAP_COLOURS["graticule"]
COUNTRY_LABEL = MAP_COLOURS["country_label"]

#: Country labels drawn on the basemap, by ISO code.
COUNTRY_NAMES = {"KP": "NORTH KOREA", "KR": "SOUTH KOREA", "CN": "CHINA", "RU": "RUSSIA"}


@dataclass(frozen=True, eq=False)
class Basemap:
    """The boundary layers in longitude/latitude, as read from the package data.

    ``countries``, ``provinces`` and ``borders`` are GeoDataFrames or ``None``
    when the data is missing; ``note`` then says why (empty when all is well).
    """

    countries: Any = None
    provinces: Any = None
    borders: Any = None
    note: str = ""
    source: str = ""


@dataclass
class ProjectedBasemap:
    """The basemap layers clipped to a box and projected into one CRS (lists of shapely shapes)."""

    countries: list[tuple[str, Any]] = field(default_factory=list)
    provinces: list[Any] = field(default_factory=list)
    borders: list[Any] = field(default_factory=list)


def region_crs(bounds: Bounds) -> Any:
    """Return a Lambert conformal conic :class:`pyproj.CRS` centred on ``bounds``.

    The standard parallels sit a sixth of the way in from the south and north
    edges, which keeps the scale error under a fraction of a percent over the
    Korean border region.
    """
    from pyproj import CRS

    west, south, east, north = bounds
    span = max(north - south, 0.5)
    lat_1 = south + span / 6
    lat_2 = north - span / 6
    lat_0 = (south + north) / 2
    lon_0 = (west + east) / 2
    return CRS.from_proj4(
        f"+proj=lcc +lat_1={lat_1:.4f} +lat_2={lat_2:.4f} +lat_0={lat_0:.4f} "
        f"+lon_0={lon_0:.4f} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
    )


def project_points(crs: Any, lon: Any, lat: Any) -> tuple[Any, Any]:
    """Return the projected ``(x, y)`` arrays of longitude/latitude arrays in ``crs`` (metres)."""
    return lonlat_transformer(crs.to_wkt()).transform(lon, lat)


@lru_cache(maxsize=16)
def lonlat_transformer(crs_wkt: str) -> Any:
    """Return the (cached) transformer from longitude/latitude to the CRS ``crs_wkt``."""
    from pyproj import CRS, Transformer

    return Transformer.from_crs(CRS.from_epsg(4326), CRS.from_wkt(crs_wkt), always_xy=True)


def projected_box(
    crs: Any, bounds: Bounds, *, steps: int = 32
) -> tuple[float, float, float, float]:
    """Return ``(xmin, ymin, xmax, ymax)`` of the box ``bounds`` projected into ``crs``.

    The box's edges are densified first, since parallels are curves in a conic.
    """
    import numpy as np

    x, y = box_outline(crs, bounds, steps=steps)
    return float(np.min(x)), float(np.min(y)), float(np.max(x)), float(np.max(y))


def box_outline(crs: Any, bounds: Bounds, *, steps: int = 32) -> tuple[Any, Any]:
    """Return the projected ``(x, y)`` outline of the lon/lat box ``bounds`` (closed ring)."""
    import numpy as np

    west, south, east, north = bounds
    t = np.linspace(0.0, 1.0, steps)
    lon = np.concatenate([west + (east - west) * t, np.full(steps, east)])
    lon = np.concatenate([lon, east - (east - west) * t, np.full(steps, west)])
    lat = np.concatenate([np.full(steps, south), south + (north - south) * t])
    lat = np.concatenate([lat, np.full(steps, north), north - (north - south) * t])
    return project_points(crs, lon, lat)


def to_lonlat(crs: Any, x: float, y: float) -> tuple[float, float]:
    """Return the longitude/latitude of the projected point ``(x, y)`` in ``crs``."""
    from pyproj import CRS, Transformer

    back = Transformer.from_crs(crs, CRS.from_epsg(4326), always_xy=True)
    lon, lat = back.transform(x, y)
    return float(lon), float(lat)


@lru_cache(maxsize=1)
def load_basemap() -> Basemap:
    """Return the boundary layers from :mod:`gazetteer.boundaries` (read once, then cached).

    Never raises: when the module or its data is missing, the layers are
    ``None`` and ``note`` says so, so that a map can still be drawn.
    """
    try:
        from gazetteer import boundaries
    except ImportError:
        return Basemap(note="basemap unavailable: gazetteer.boundaries is not installed")
    try:
        countries = boundaries.countries()
        provinces = boundaries.provinces()
        borders = boundaries.border_lines()
    except Exception as exc:  # missing or unreadable package data must not stop a map
        return Basemap(note=f"basemap unavailable: {exc}")
    source = str(getattr(boundaries, "SOURCE", "") or "")
    if not source and "Natural Earth" in (boundaries.__doc__ or ""):
        source = "Natural Earth"
    return Basemap(countries, provinces, borders, "", source)


def project_basemap(basemap: Basemap, crs: Any, bounds: Bounds) -> ProjectedBasemap:
    """Return the layers of ``basemap`` clipped to ``bounds`` (padded), projected into ``crs``."""
    return _project_cached(basemap, crs.to_wkt(), bounds)


@lru_cache(maxsize=32)
def _project_cached(basemap: Basemap, crs_wkt: str, bounds: Bounds) -> ProjectedBasemap:
    import numpy as np
    import shapely
    from shapely import box

    west, south, east, north = bounds
    pad_x, pad_y = (east - west) * 0.3 + 0.5, (north - south) * 0.3 + 0.5
    clip = box(west - pad_x, south - pad_y, east + pad_x, north + pad_y)
    transformer = lonlat_transformer(crs_wkt)

    tx0, ty0, tx1, ty1 = transformer.transform_bounds(west, south, east, north)
    tolerance = max(tx1 - tx0, ty1 - ty0) / 3000

    def project(xy: Any) -> Any:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    def shapes(frame: Any) -> list[tuple[Any, Any]]:
        if frame is None or len(frame) == 0:
            return []
        out = []
        for row_key, geom in zip(frame.index, frame.geometry, strict=True):
            if geom is None or geom.is_empty or not geom.intersects(clip):
                continue
            part = geom.intersection(clip)
            if part.is_empty:
                continue
            projected = shapely.transform(part, project)
            # drop detail finer than about a tenth of a millimetre on a printed page
            out.append((row_key, shapely.simplify(projected, tolerance, preserve_topology=True)))
        return out

    result = ProjectedBasemap()
    if basemap.countries is not None:
        codes = basemap.countries.get("iso_a2")
        for key, geom in shapes(basemap.countries):
            code = str(codes.loc[key]) if codes is not None else ""
            result.countries.append((code, geom))
    result.provinces = [g for _, g in shapes(basemap.provinces)]
    result.borders = [g for _, g in shapes(basemap.borders)]
    return result


def polygon_path(geom: Any) -> Any:
    """Return one matplotlib ``Path`` for a (Multi)Polygon, holes included."""
    import numpy as np
    from matplotlib.path import Path

    vertices: list[Any] = []
    codes: list[Any] = []
    polygons = getattr(geom, "geoms", [geom])
    for poly in polygons:
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 3:
                continue
            ring_codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            ring_codes[0] = Path.MOVETO
            ring_codes[-1] = Path.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return None
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _line_segments(geom: Any) -> list[Any]:
    """Return the coordinate arrays of every line in ``geom`` (lines, rings, collections)."""
    import numpy as np

    out: list[Any] = []
    kind = geom.geom_type
    if kind == "LineString" or kind == "LinearRing":
        out.append(np.asarray(geom.coords)[:, :2])
    elif kind == "Polygon":
        out.append(np.asarray(geom.exterior.coords)[:, :2])
        out.extend(np.asarray(r.coords)[:, :2] for r in geom.interiors)
    elif hasattr(geom, "geoms"):
        for part in geom.geoms:
            out.extend(_line_segments(part))
    return out


def polygons_only(geom: Any) -> Any:
    """Return the polygonal part of ``geom`` (intersections can leave lines and points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if hasattr(geom, "geoms"):
        from shapely import MultiPolygon

        polys = [g for g in geom.geoms if g.geom_type == "Polygon"]
        polys += [p for g in geom.geoms if g.geom_type == "MultiPolygon" for p in g.geoms]
        return MultiPolygon(polys) if polys else None
    return None


def draw_basemap(
    ax: Any,
    crs: Any,
    bounds: Bounds,
    *,
    basemap: Basemap | None = None,
    provinces: bool = True,
    graticule: bool = True,
    fill: bool = True,
) -> None:
    """Draw sea, countries (the DPRK set apart), provinces, the border line and a graticule.

    Draws into ``ax``, whose limits the caller sets; country names are drawn
    separately by :func:`draw_country_labels`, once the events are placed.
    With ``fill=False`` only outlines are drawn (over web tiles, say).
    """
    from matplotlib.collections import LineCollection, PathCollection

    basemap = basemap if basemap is not None else load_basemap()
    layers = project_basemap(basemap, crs, bounds)
    if fill:
        ax.set_facecolor(SEA)
    if graticule:
        draw_graticule(ax, crs, bounds)

    others: list[Any] = []
    dprk: list[Any] = []
    for code, geom in layers.countries:
        poly = polygons_only(geom)
        path = polygon_path(poly) if poly is not None else None
        if path is not None:
            (dprk if code == "KP" else others).append(path)
    for paths, face, edge, width, z in (
        (others, LAND, COUNTRY_EDGE, 0.5, 1),
        (dprk, DPRK_LAND, DPRK_EDGE, 0.8, 2),
    ):
        if paths:
            ax.add_collection(
                PathCollection(
                    paths,
                    facecolor=face if fill else "none",
                    edgecolor=edge,
                    linewidth=width,
                    zorder=z,
                ),
                autolim=False,
            )
    if provinces and layers.provinces:
        segments = [s for g in layers.provinces for s in _line_segments(g)]
        ax.add_collection(
            LineCollection(segments, colors=PROVINCE_EDGE, linewidths=0.45, zorder=2.5),
            autolim=False,
        )
    if layers.borders:
        segments = [s for g in layers.borders for s in _line_segments(g)]
        ax.add_collection(
            LineCollection(segments, colors=BORDER_LINE, linewidths=1.3, zorder=3),
            autolim=False,
        )


def draw_country_labels(
    ax: Any,
    crs: Any,
    bounds: Bounds,
    *,
    avoid: Any = (),
    basemap: Basemap | None = None,
    fontsize: float = 9,
) -> list[Any]:
    """Name each country that fills enough of the view, at the spot farthest from ``avoid``.

    ``avoid`` is a sequence of ``(x, y, radius)`` in map units (the event
    markers).  Returns the text artists, so that place labels can avoid them.
    """
    import numpy as np
    import shapely
    from shapely import box

    from maps.static_labels import renderer_of

    basemap = basemap if basemap is not None else load_basemap()
    layers = project_basemap(basemap, crs, bounds)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    view = box(x0, y0, x1, y1)
    cap = (x1 - x0) * 0.25
    obstacles = np.array([(x, y, r) for x, y, r in avoid], dtype=float).reshape(-1, 3)
    out = []
    for code, geom in layers.countries:
        name = COUNTRY_NAMES.get(code)
        poly = polygons_only(geom) if name else None
        if poly is None:
            continue
        visible = poly.intersection(view)
        if visible.is_empty or visible.area < 0.04 * view.area:
            continue
        largest = max(getattr(visible, "geoms", [visible]), key=lambda g: g.area)
        inner = largest.buffer(-(x1 - x0) * 0.03)
        if inner.is_empty:
            inner = largest
        ix0, iy0, ix1, iy1 = inner.bounds
        mx, my = np.meshgrid(np.linspace(ix0, ix1, 25), np.linspace(iy0, iy1, 25))
        gx, gy = mx.ravel(), my.ravel()
        keep = shapely.contains_xy(inner, gx, gy)
        if not keep.any():
            point = largest.representative_point()
            gx, gy = np.array([point.x]), np.array([point.y])
        else:
            gx, gy = gx[keep], gy[keep]
        text = ax.text(
            gx[0],
            gy[0],
            name,
            fontsize=fontsize,
            color=COUNTRY_LABEL,
            ha="center",
            va="center",
            fontweight="bold",
            alpha=0.8,
            zorder=3.5,
        )
        renderer = renderer_of(ax.figure)
        box = text.get_window_extent(renderer).transformed(ax.transData.inverted())
        half_w, half_h = box.width / 2, box.height / 2
        centre = inner.representative_point()
        score = -0.15 * np.hypot(gx - centre.x, gy - centre.y)
        for sx, sy in ((-1, -1), (-1, 1), (1, -1), (1, 1)):  # the whole label on land
            corner_in = shapely.contains_xy(largest, gx + sx * half_w, gy + sy * half_h)
            score = np.where(corner_in, score, -np.inf)
        if len(obstacles):
            # distance from each disc to the label's box at each candidate spot, minus the radius
            ox, oy, r = obstacles[:, 0], obstacles[:, 1], obstacles[:, 2]
            dx = np.maximum(np.abs(ox[None, :] - gx[:, None]) - half_w, 0)
            dy = np.maximum(np.abs(oy[None, :] - gy[:, None]) - half_h, 0)
            clear = np.min(np.hypot(dx, dy) - r[None, :], axis=1)
            score = np.where(clear > 0, score + np.minimum(clear, cap), -np.inf)
        best = int(np.argmax(score))
        if not np.isfinite(score[best]):
            text.remove()  # no free spot: the inset and the legend name the region anyway
            continue
        text.set_position((gx[best], gy[best]))
        out.append(text)
    return out


def draw_graticule(ax: Any, crs: Any, bounds: Bounds) -> None:
    """Draw meridians and parallels every 1°, 2° or 5° (by the extent's size) as thin lines."""
    import numpy as np
    from matplotlib.collections import LineCollection

    west, south, east, north = bounds
    span = max(east - west, north - south)
    step = 1.0 if span <= 10 else 2.0 if span <= 20 else 5.0
    pad = step * 2
    segments = []
    lats = np.linspace(south - pad, north + pad, 60)
    for lon in np.arange(math.floor((west - pad) / step) * step, east + pad + step, step):
        x, y = project_points(crs, np.full(len(lats), lon), lats)
        segments.append(np.column_stack([x, y]))
    lons = np.linspace(west - pad, east + pad, 60)
    for lat in np.arange(math.floor((south - pad) / step) * step, north + pad + step, step):
        x, y = project_points(crs, lons, np.full(len(lons), lat))
        segments.append(np.column_stack([x, y]))
    ax.add_collection(
        LineCollection(segments, colors=GRATICULE, linewidths=0.4, zorder=0.5), autolim=False
    )


def fit_box(
    box: tuple[float, float, float, float], aspect: float
) -> tuple[float, float, float, float]:
    """Return ``box`` grown in one direction so that its height/width ratio is ``aspect``."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if h / w < aspect:
        grow = (w * aspect - h) / 2
        return (x0, y0 - grow, x1, y1 + grow)
    grow = (h / aspect - w) / 2
    return (x0 - grow, y0, x1 + grow, y1)


def setup_map_axes(ax: Any, box: tuple[float, float, float, float]) -> None:
    """Set the limits and look of a map axes: no ticks, equal scale, a thin grey frame."""
    x0, y0, x1, y1 = box
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.8)
