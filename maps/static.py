"""Print-ready static maps of events (PNG, SVG, PDF), drawn offline on a vector basemap.

:func:`static_map` draws one map and returns its matplotlib ``Figure``;
:func:`facet_map` draws small multiples (one panel per theme or per year);
:func:`save_figure` writes a figure atomically, the format chosen by the
file's extension.  Events are aggregated by place and theme before drawing
(marker area grows with the count), so 100,000 events draw as fast as 100.
Colours and labels come from :mod:`maps.style`, the table the interactive map
uses too.  Figures are made on matplotlib's Agg canvas directly: no display,
no pyplot state.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gazetteer.errors import DataError, FileError, InputError, NkmapError
from maps.basemap import Bounds
from maps.style import THEMES, theme_style

#: Named extents, (west, south, east, north) in degrees.
EXTENTS: dict[str, Bounds] = {
    "border": (123.3, 39.45, 131.0, 43.35),
    "dprk": (123.8, 37.45, 131.0, 43.15),
}

#: The locator inset's region: the Korean peninsula and northeast China.
INSET_BOUNDS: Bounds = (117.0, 33.0, 135.5, 47.5)

#: Output formats by file extension.
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

#: Precision levels drawn as approximate (dashed outline, faint fill).
APPROXIMATE = frozenset({"county", "province", "country"})

#: Marker diameters in points: the smallest, and the largest (for the most-reported place).
MARKER_MIN_PT = 6.0
MARKER_MAX_PT = 30.0

#: Layout of a single map, in inches.
_MAP_WIDTH = 7.2
_MAP_MIN_HEIGHT = 5.6
_MAP_MAX_HEIGHT = 8.0
_PANEL_WIDTH = 2.9
_MARGIN = 0.3
_GAP = 0.25
_TOP = 0.95

_TEXT = "#222222"
_MUTED = "#666666"
_NOTE = "#8a3b12"
_FOOT_SIZE = 7.5


@dataclass(frozen=True)
class MapSummary:
    """What a map shows: counts, period and what was left out (and why).

    ``n_events`` is every input row; ``n_shown`` those drawn; ``n_outside``
    those with a location outside the extent; ``n_unlocated`` those with no
    usable point; ``notes`` are sentences fit to print under the map.
    """

    n_events: int
    n_shown: int
    n_outside: int
    n_unlocated: int
    n_articles: int
    n_places: int
    first: Any
    last: Any
    theme_counts: dict[str, int]
    notes: tuple[str, ...] = ()

    @property
    def period(self) -> str:
        """Return the period of the shown events, e.g. ``"Mar 2016 – Nov 2025"``."""
        if self.first is None:
            return "dates unknown"
        a, b = self.first.strftime("%b %Y"), self.last.strftime("%b %Y")
        return a if a == b else f"{a} – {b}"


@dataclass
class _Points:
    """Events aggregated by place and theme, projected: one row per marker."""

    frame: Any  # DataFrame: key, name, theme, precision, count, lon, lat, x, y
    place_totals: Any  # DataFrame: key, name, count, x, y (one row per place)


@dataclass
class _Prepared:
    """Everything a panel needs: extent, projection, aggregated points and the summary."""

    bounds: Bounds
    crs: Any
    points: _Points
    summary: MapSummary
    events: Any = None  # the filtered, located, in-extent events (lon/lat columns added)


# ---------------------------------------------------------------------------------------------
# Input: extent, themes, events


def parse_extent(extent: str | Sequence[float]) -> Bounds | None:
    """Return the bounds named or given by ``extent``; ``None`` for ``"auto"``.

    ``extent`` is ``"border"``, ``"dprk"``, ``"auto"``, a ``"W,S,E,N"`` string
    in degrees or a sequence of four numbers.

    Raises:
        InputError: an unknown name, or numbers that do not make a box.
    """
    if isinstance(extent, str):
        text = extent.strip().lower()
        if text == "auto":
            return None
        if text in EXTENTS:
            return EXTENTS[text]
        if "," not in text:
            known = ", ".join([*EXTENTS, "auto"])
            raise InputError(f"unknown extent {extent!r}: use one of {known} or W,S,E,N")
        parts: list[Any] = [p.strip() for p in text.split(",")]
    else:
        parts = list(extent)
    try:
        values = [float(p) for p in parts]
    except (TypeError, ValueError):
        raise InputError(f"extent {extent!r}: W,S,E,N must be four numbers in degrees") from None
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise InputError(f"extent {extent!r}: W,S,E,N must be four numbers in degrees")
    west, south, east, north = values
    if not (-180 <= west < east <= 180):
        raise InputError(f"extent {extent!r}: west must be less than east, both within ±180")
    if not (-85 <= south < north <= 85):
        raise InputError(f"extent {extent!r}: south must be less than north, both within ±85")
    return (west, south, east, north)


def _check_events(events: Any) -> Any:
    """Return ``events`` as a GeoDataFrame in EPSG:4326 with lon/lat columns.

    Raises:
        DataError: ``events`` is not a GeoDataFrame with a ``theme`` column.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    if not isinstance(events, gpd.GeoDataFrame):
        raise DataError(f"events must be a GeoDataFrame, not {type(events).__name__}")
    if "theme" not in events.columns:
        raise DataError("events have no 'theme' column (see the events data contract)")
    frame = events
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    geoms = np.asarray(frame.geometry.array, dtype=object)
    points = shapely.point_on_surface(geoms)
    frame = frame.copy()
    frame["_lon"] = shapely.get_x(points)
    frame["_lat"] = shapely.get_y(points)
    return frame


def _theme_filter(frame: Any, themes: Iterable[str] | None) -> Any:
    """Return the rows of ``frame`` whose theme is in ``themes`` (all when ``None``).

    Raises:
        InputError: a theme is neither a known theme nor present in the events.
    """
    if themes is None:
        return frame
    wanted = [t.strip() for t in themes if t.strip()]
    present = set(frame["theme"].dropna().astype(str))
    unknown = [t for t in wanted if t not in THEMES and t not in present]
    if unknown:
        known = ", ".join(THEMES)
        raise InputError(f"unknown theme {unknown[0]!r}: themes are {known}")
    return frame[frame["theme"].isin(wanted)]


def _auto_bounds(lon: Any, lat: Any) -> Bounds:
    """Return a padded box around the points (at least about 150 km wide); "border" if none."""
    import numpy as np

    if len(lon) == 0:
        return EXTENTS["border"]
    west, east = float(np.min(lon)), float(np.max(lon))
    south, north = float(np.min(lat)), float(np.max(lat))
    cx, cy = (west + east) / 2, (south + north) / 2
    half_w = max((east - west) * 0.6, 1.0)
    half_h = max((north - south) * 0.6, 0.7)
    return (
        max(cx - half_w, -180.0),
        max(cy - half_h, -85.0),
        min(cx + half_w, 180.0),
        min(cy + half_h, 85.0),
    )


def summarize(events: Any, *, extent: str | Sequence[float] = "auto", themes: Any = None) -> Any:
    """Return the :class:`MapSummary` of what a map of ``events`` with this extent shows.

    Raises:
        InputError: an unknown extent or theme.
        DataError: ``events`` is not an events GeoDataFrame.
    """
    return _prepare(events, extent, themes).summary


def _prepare(
    events: Any, extent: str | Sequence[float], themes: Any, *, bounds: Bounds | None = None
) -> _Prepared:
    """Filter, locate, clip and aggregate ``events`` for drawing; see :func:`summarize`."""
    import numpy as np
    import pandas as pd

    from maps.basemap import region_crs

    wanted = parse_extent(extent) if bounds is None else bounds
    frame = _theme_filter(_check_events(events), themes)
    n_events = len(frame)
    located = frame[np.isfinite(frame["_lon"]) & np.isfinite(frame["_lat"])]
    n_unlocated = n_events - len(located)
    if wanted is None:
        wanted = _auto_bounds(located["_lon"].to_numpy(), located["_lat"].to_numpy())
    west, south, east, north = wanted
    lon, lat = located["_lon"], located["_lat"]
    inside = located[(lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)]
    n_outside = len(located) - len(inside)
    crs = region_crs(wanted)
    points = _aggregate(inside, crs)
    first = last = None
    if "date" in inside.columns and len(inside):
        dates = pd.to_datetime(inside["date"], errors="coerce").dropna()
        if len(dates):
            first, last = dates.min(), dates.max()
    n_articles = int(inside["article_id"].nunique()) if "article_id" in inside.columns else 0
    counts = inside["theme"].astype(str).value_counts()
    theme_counts = {t: int(counts[t]) for t in _theme_order(counts.index)}
    notes = []
    if n_events == 0:
        notes.append("No events to show.")
    elif len(inside) == 0:
        notes.append("None of the events lies inside the map's extent.")
    if n_outside:
        notes.append(f"{n_outside:,} events outside the map's extent are not shown.")
    if n_unlocated:
        notes.append(f"{n_unlocated:,} events without a location are not shown.")
    summary = MapSummary(
        n_events=n_events,
        n_shown=len(inside),
        n_outside=n_outside,
        n_unlocated=n_unlocated,
        n_articles=n_articles,
        n_places=len(points.place_totals),
        first=first,
        last=last,
        theme_counts=theme_counts,
        notes=tuple(notes),
    )
    return _Prepared(wanted, crs, points, summary, inside)


def _theme_order(themes: Iterable[str]) -> list[str]:
    """Return ``themes`` in legend order: the style table's order, then unknown ones A–Z."""
    themes = set(themes)
    return [t for t in THEMES if t in themes] + sorted(themes - set(THEMES))


def _aggregate(inside: Any, crs: Any) -> _Points:
    """Return the events grouped by place and theme, with counts and projected positions."""
    import pandas as pd

    from maps.basemap import project_points

    columns = ["key", "name", "theme", "precision", "count", "lon", "lat", "x", "y"]
    if len(inside) == 0:
        empty = pd.DataFrame({c: [] for c in columns})
        return _Points(
            empty, pd.DataFrame({c: [] for c in ["key", "name", "precision", "count", "x", "y"]})
        )
    lon, lat = inside["_lon"], inside["_lat"]
    fallback = lat.round(3).astype(str) + "," + lon.round(3).astype(str)
    if "place_id" in inside.columns:
        key = inside["place_id"].astype("string").fillna(fallback).astype(str)
    else:
        key = fallback
    if "place" in inside.columns:
        name = inside["place"].astype("string").fillna(key).astype(str)
    else:
        name = key
    precision = (
        inside["precision"].astype("string").fillna("town").astype(str)
        if "precision" in inside.columns
        else pd.Series("town", index=inside.index)
    )
    base = pd.DataFrame(
        {
            "key": key.to_numpy(),
            "name": name.to_numpy(),
            "theme": inside["theme"].astype(str).to_numpy(),
            "precision": precision.to_numpy(),
            "lon": lon.to_numpy(),
            "lat": lat.to_numpy(),
        }
    )
    places = base.groupby("key", sort=False).agg(
        name=("name", "first"),
        precision=("precision", "first"),
        count=("theme", "size"),
        lon=("lon", "mean"),
        lat=("lat", "mean"),
    )
    x, y = project_points(crs, places["lon"].to_numpy(), places["lat"].to_numpy())
    places["x"], places["y"] = x, y
    places = places.reset_index().sort_values(["count", "name"], ascending=[False, True])
    groups = base.groupby(["key", "theme"], sort=False).agg(
        precision=("precision", "first"), count=("lon", "size")
    )
    groups = groups.reset_index().merge(places[["key", "name", "lon", "lat", "x", "y"]], on="key")
    return _Points(groups[columns], places.reset_index(drop=True))


# ---------------------------------------------------------------------------------------------
# Drawing


def _plain(text: Any) -> str:
    """Return ``text`` as a string matplotlib draws literally (no mathtext from ``$``)."""
    return str(text).replace("$", r"\$")


def marker_diameter(count: Any, max_count: float) -> Any:
    """Return marker diameters in points for ``count`` events (area grows with the count).

    ``max_count`` is the largest count on the map (at least 10 is assumed, so a
    handful of events does not fill the map with big discs).
    """
    import numpy as np

    ref = max(float(max_count), 10.0)
    share = np.sqrt(np.clip(np.asarray(count, dtype=float), 0, None) / ref)
    return MARKER_MIN_PT + (MARKER_MAX_PT - MARKER_MIN_PT) * np.clip(share, 0, 1)


def _fit_box(
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


def _map_size(box: tuple[float, float, float, float]) -> tuple[float, float, Any]:
    """Return the map's width and height in inches and its box fitted to that shape."""
    x0, y0, x1, y1 = box
    aspect = (y1 - y0) / (x1 - x0)
    width, height = _MAP_WIDTH, _MAP_WIDTH * aspect
    if height < _MAP_MIN_HEIGHT:
        height = _MAP_MIN_HEIGHT
    elif height > _MAP_MAX_HEIGHT:
        height = _MAP_MAX_HEIGHT
        width = max(height / aspect, _MAP_MIN_HEIGHT)
    return width, height, _fit_box(box, height / width)


def _setup_map_axes(ax: Any, box: tuple[float, float, float, float]) -> None:
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


def _draw_markers(ax: Any, points: _Points, max_count: float) -> list[Any]:
    """Draw one pie per place (area by its number of events, wedges by theme), largest first.

    Places located only approximately (county, province, country) are drawn
    faint with a dashed outline.  Returns the discs as obstacles for labels.
    """
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Circle, Wedge

    from maps.static_labels import LabelItem

    places = points.place_totals
    if len(places) == 0:
        return []
    fig = ax.figure
    width_pt = ax.get_window_extent(fig.canvas.get_renderer()).width * 72.0 / fig.dpi
    x0, x1 = ax.get_xlim()
    per_pt = (x1 - x0) / width_pt
    order = {t: i for i, t in enumerate(_theme_order(points.frame["theme"].unique()))}
    shares: dict[str, list[tuple[int, str, float]]] = {}
    for key, theme, count in zip(
        points.frame["key"], points.frame["theme"], points.frame["count"], strict=True
    ):
        shares.setdefault(key, []).append((order[theme], theme, float(count)))
    diameters = marker_diameter(places["count"].to_numpy(), max_count)
    wedges: dict[bool, list[Any]] = {True: [], False: []}
    colours: dict[bool, list[Any]] = {True: [], False: []}
    outlines: list[Any] = []
    obstacles = []
    for row, d in sorted(
        zip(places.itertuples(index=False), diameters, strict=True), key=lambda p: -p[1]
    ):
        approx = row.precision in APPROXIMATE
        radius = d / 2 * per_pt
        parts = sorted(shares.get(row.key, []))
        total = sum(c for _, _, c in parts) or 1.0
        start = 90.0
        for _, theme, count in parts:
            sweep = 360.0 * count / total
            if sweep >= 359.999:
                patch: Any = Circle((row.x, row.y), radius)
            else:
                patch = Wedge((row.x, row.y), radius, start - sweep, start)
            start -= sweep
            wedges[approx].append(patch)
            colours[approx].append(to_rgba(theme_style(theme).color, 0.35 if approx else 0.9))
        if approx:
            outlines.append(Circle((row.x, row.y), radius))
        obstacles.append(LabelItem(float(row.x), float(row.y), "", float(d) / 2))
    for approx, z in ((True, 5), (False, 6)):
        if wedges[approx]:
            ax.add_collection(
                PatchCollection(
                    wedges[approx],
                    facecolors=colours[approx],
                    edgecolors="white",
                    linewidths=0.5,
                    zorder=z,
                ),
                autolim=False,
            )
    if outlines:
        ax.add_collection(
            PatchCollection(
                outlines,
                facecolors="none",
                edgecolors="#4d4d4d",
                linewidths=0.9,
                linestyles="--",
                zorder=5.5,
            ),
            autolim=False,
        )
    return obstacles


def _furniture_corner(ax: Any, points: _Points) -> str:
    """Return the map corner ("ll", "lr", "ul", "ur") holding the fewest events."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    w, h = (x1 - x0) * 0.32, (y1 - y0) * 0.25
    frame = points.frame
    best, best_count = "ll", None
    for corner in ("ll", "lr", "ul", "ur"):
        cx0 = x0 if corner[1] == "l" else x1 - w
        cy0 = y0 if corner[0] == "l" else y1 - h
        inside = (
            (frame["x"] >= cx0)
            & (frame["x"] <= cx0 + w)
            & (frame["y"] >= cy0)
            & (frame["y"] <= cy0 + h)
        )
        count = int(frame.loc[inside, "count"].sum()) if len(frame) else 0
        if best_count is None or count < best_count:
            best, best_count = corner, count
    return best


def _per_pt(ax: Any) -> float:
    """Return how many map units one typographic point spans in ``ax``."""
    x0, x1 = ax.get_xlim()
    return float((x1 - x0) / (ax.get_window_extent().width * 72.0 / ax.figure.dpi))


def _draw_furniture(ax: Any, crs: Any, points: _Points) -> list[Any]:
    """Draw the scale bar and, beside it, the north arrow in the emptiest corner.

    Returns the display box they occupy, for labels to avoid.
    """
    from matplotlib.patches import FancyBboxPatch
    from matplotlib.transforms import Bbox

    from maps.static_furniture import choose_scale_bar, draw_north_arrow, draw_scale_bar

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    per_pt = _per_pt(ax)
    corner = _furniture_corner(ax, points)
    left, bottom = corner[1] == "l", corner[0] == "l"
    margin = 10 * per_pt
    height = 36 * per_pt
    probe_x = x0 + (x1 - x0) * (0.15 if left else 0.85)
    probe_y = y0 + margin if bottom else y1 - margin
    km, length = choose_scale_bar(crs, probe_x, probe_y, x1 - x0)
    width = length + 58 * per_pt
    gx = x0 + margin + 4 * per_pt if left else x1 - margin - width
    gy = y0 + margin if bottom else y1 - margin - height
    draw_scale_bar(ax, gx, gy, km, length, per_pt)
    draw_north_arrow(ax, crs, gx + length + 46 * per_pt, gy, per_pt)
    group = Bbox.from_extents(gx - 6 * per_pt, gy - 3 * per_pt, gx + width, gy + height)
    ax.add_patch(
        FancyBboxPatch(
            (group.x0, group.y0),
            group.width,
            group.height,
            boxstyle=f"round,pad=0,rounding_size={3 * per_pt}",
            facecolor="white",
            edgecolor="none",
            alpha=0.7,
            zorder=7.5,
        )
    )
    return [ax.transData.transform_bbox(group)]


def _draw_labels(
    ax: Any, points: _Points, markers: list[Any], avoid: list[Any], count: int, fontsize: float
) -> list[Any]:
    """Label the ``count`` most-reported places without overlaps; return the text artists."""
    from maps.static_labels import LabelItem, place_labels

    if count <= 0 or len(points.place_totals) == 0:
        return []
    radius: dict[tuple[float, float], float] = {}
    for m in markers:
        radius[(m.x, m.y)] = max(radius.get((m.x, m.y), 0.0), m.radius_pt)
    items = []
    for row in points.place_totals.head(count).itertuples(index=False):
        r = radius.get((float(row.x), float(row.y)), MARKER_MIN_PT / 2)
        items.append(LabelItem(float(row.x), float(row.y), _plain(row.name), r))
    return place_labels(ax, items, markers=markers, avoid=avoid, fontsize=fontsize)


def _draw_panel(
    ax: Any,
    prep: _Prepared,
    box: tuple[float, float, float, float],
    *,
    max_count: float,
    labels: int,
    furniture: bool,
    tiles: bool = False,
    label_size: float = 9,
    country_labels: bool = True,
) -> None:
    """Draw basemap, events, furniture and labels of one map into ``ax`` (limits from ``box``)."""
    from maps.basemap import draw_basemap

    _setup_map_axes(ax, box)
    avoid: list[Any] = []
    draw_basemap(ax, prep.crs, prep.bounds)
    if tiles:
        _add_tiles(ax, prep.crs)
    markers = _draw_markers(ax, prep.points, max_count)
    if furniture:
        avoid.extend(_draw_furniture(ax, prep.crs, prep.points))
    if country_labels:
        from maps.basemap import draw_country_labels
        from maps.static_labels import renderer_of

        per_pt = _per_pt(ax)
        obstacles = [(m.x, m.y, (m.radius_pt + 4) * per_pt) for m in markers]
        names = draw_country_labels(ax, prep.crs, prep.bounds, avoid=obstacles)
        renderer = renderer_of(ax.figure)
        avoid.extend(t.get_window_extent(renderer) for t in names)
    _draw_labels(ax, prep.points, markers, avoid, labels, label_size)
    if prep.summary.n_shown == 0:
        message = prep.summary.notes[0] if prep.summary.notes else "No events to show."
        ax.text(
            0.5,
            0.5,
            message,
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=12,
            color=_MUTED,
            bbox={"boxstyle": "round,pad=0.6", "facecolor": "white", "edgecolor": "#bbbbbb"},
            zorder=10,
        )


def _add_tiles(ax: Any, crs: Any) -> None:
    """Draw web map tiles under the vector basemap through contextily (opt-in, online).

    Raises:
        InputError: contextily is not installed.
        NkmapError: the tiles could not be fetched.
    """
    try:
        import contextily
    except ImportError:
        raise InputError(
            "web tiles need the optional package contextily (pip install contextily); "
            "without --tiles the map uses the offline basemap"
        ) from None
    try:
        contextily.add_basemap(ax, crs=crs.to_string(), attribution_size=6, zorder=0.8)
    except Exception as exc:  # network and tile-server failures come in many kinds
        raise NkmapError(
            f"web tiles could not be fetched ({exc}); drop --tiles for the offline basemap"
        ) from exc


def _legend_handles(
    theme_counts: dict[str, int], points: _Points | None, max_count: float
) -> tuple[list[Any], list[Any], list[Any]]:
    """Return the legend handles: themes (with counts), marker sizes, and location precision."""
    from matplotlib.lines import Line2D

    themes = []
    for theme, count in theme_counts.items():
        style = theme_style(theme)
        themes.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=9,
                markerfacecolor=style.color,
                markeredgecolor="white",
                label=f"{_plain(style.label)} ({count:,})",
            )
        )
    sizes = []
    for value in _size_steps(max_count):
        d = float(marker_diameter([value], max_count)[0])
        sizes.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=d,
                markerfacecolor="#bdbdbd",
                markeredgecolor="#777777",
                label=f"{value:,}",
            )
        )
    precision = []
    has_approx = points is not None and bool(
        points.place_totals["precision"].isin(APPROXIMATE).any()
    )
    if points is None or has_approx:
        precision = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=9,
                markerfacecolor="#9e9e9e",
                markeredgecolor="white",
                label="Site, town or city",
            ),
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=9,
                markerfacecolor=(0.6, 0.6, 0.6, 0.25),
                markeredgecolor="#777777",
                label="Approximate (county,\nprovince or country)",
            ),
        ]
    return themes, sizes, precision


def _size_steps(max_count: float) -> list[int]:
    """Return up to three round event counts to show in the marker-size legend."""
    top = int(max_count)
    if top <= 1:
        return [1]
    steps = {1, top}
    mid = top / 3
    if mid >= 2:
        magnitude = 10 ** math.floor(math.log10(mid))
        nice = min((1, 2, 5, 10), key=lambda m: abs(m * magnitude - mid)) * magnitude
        if 1 < nice < top:
            steps.add(int(nice))
    return sorted(steps)


def _draw_side_panel(
    fig: Any,
    rect: tuple[float, float, float, float],
    bounds: Bounds,
    theme_counts: dict[str, int],
    points: _Points | None,
    max_count: float,
) -> None:
    """Draw the locator inset and the legends in the figure-fraction rectangle ``rect``."""
    left, bottom, width, height = rect
    fig_w, fig_h = fig.get_size_inches()
    inset_h = min(width * fig_w * 0.9, 2.4) / fig_h
    inset = fig.add_axes((left, bottom + height - inset_h, width, inset_h))
    draw_inset(inset, bounds)
    legend_ax = fig.add_axes((left, bottom, width, height - inset_h - 0.15 / fig_h))
    legend_ax.set_axis_off()
    if not theme_counts:
        legend_ax.text(0, 1, "Events by theme", fontsize=9, fontweight="bold", va="top")
        legend_ax.text(0, 0.93, "none shown", fontsize=8.5, color=_MUTED, va="top")
        return
    themes, sizes, precision = _legend_handles(theme_counts, points, max_count)
    common = {
        "frameon": False,
        "fontsize": 8.5,
        "title_fontsize": 9,
        "alignment": "left",
        "borderaxespad": 0.0,
        "handletextpad": 0.6,
    }
    first = legend_ax.legend(
        handles=themes or [], title="Events by theme", loc="upper left", **common
    )
    first.get_title().set_fontweight("bold")
    legend_ax.add_artist(first)
    renderer = fig.canvas.get_renderer()
    y = _below(legend_ax, first, renderer)
    second = legend_ax.legend(
        handles=sizes,
        title="Events per place",
        loc="upper left",
        bbox_to_anchor=(0.0, y),
        ncols=len(sizes),
        columnspacing=0.8,
        handlelength=MARKER_MAX_PT / 8.5,
        handleheight=MARKER_MAX_PT / 8.5 * 0.8,
        **common,
    )
    second.get_title().set_fontweight("bold")
    if precision:
        legend_ax.add_artist(second)
        y = _below(legend_ax, second, renderer)
        third = legend_ax.legend(
            handles=precision,
            title="Location",
            loc="upper left",
            bbox_to_anchor=(0.0, y),
            **common,
        )
        third.get_title().set_fontweight("bold")


def _below(ax: Any, legend: Any, renderer: Any) -> float:
    """Return the axes-fraction height just under ``legend`` (with a small gap)."""
    box = legend.get_window_extent(renderer).transformed(ax.transAxes.inverted())
    return float(box.y0) - 0.04


def draw_inset(ax: Any, bounds: Bounds) -> None:
    """Draw the locator map of the Korean peninsula and northeast China, ``bounds`` outlined."""
    from maps.basemap import box_outline, draw_basemap, projected_box, region_crs

    west, south, east, north = INSET_BOUNDS
    region = (
        min(west, bounds[0] - 1),
        min(south, bounds[1] - 1),
        max(east, bounds[2] + 1),
        max(north, bounds[3] + 1),
    )
    crs = region_crs(region)
    x0, y0, x1, y1 = projected_box(crs, region)
    pos = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    box = _fit_box((x0, y0, x1, y1), (pos.height * fig_h) / (pos.width * fig_w))
    _setup_map_axes(ax, box)
    draw_basemap(ax, crs, region, provinces=False)
    ox, oy = box_outline(crs, bounds)
    ax.fill(ox, oy, facecolor=(0.85, 0.1, 0.1, 0.12), edgecolor="#c62828", linewidth=1.3, zorder=7)


def _title_block(fig: Any, title: str, subtitle: str, top_in: float) -> None:
    """Write the title and subtitle at the top left of ``fig`` (``top_in`` inches from the top)."""
    fig_w, fig_h = fig.get_size_inches()
    x = _MARGIN / fig_w
    fig.text(
        x, 1 - top_in / fig_h, _plain(title), fontsize=15, fontweight="bold", color=_TEXT, va="top"
    )
    fig.text(x, 1 - (top_in + 0.36) / fig_h, _plain(subtitle), fontsize=10, color=_MUTED, va="top")


def _footer_lines(source: str, notes: Sequence[str], width_in: float) -> list[tuple[str, str]]:
    """Return the footer's lines, wrapped to ``width_in`` inches: (text, colour), notes first."""
    import textwrap

    from maps.basemap import load_basemap

    chars = max(int(width_in * 72 / (_FOOT_SIZE * 0.56)), 40)
    all_notes = list(notes)
    basemap_note = load_basemap().note
    if basemap_note:
        all_notes.append(basemap_note[0].upper() + basemap_note[1:] + ".")
    lines = []
    if all_notes:
        for line in textwrap.wrap("Note: " + " ".join(all_notes), chars):
            lines.append((line, _NOTE))
    for line in textwrap.wrap(source, chars):
        lines.append((line, _MUTED))
    return lines


def _footer_height(lines: Sequence[tuple[str, str]]) -> float:
    """Return the height in inches the footer needs under the map."""
    return 0.22 + len(lines) * _FOOT_SIZE * 1.35 / 72


def _draw_footer(fig: Any, lines: Sequence[tuple[str, str]]) -> None:
    """Write the footer lines (notes, then the source line) at the bottom left of ``fig``."""
    fig_w, fig_h = fig.get_size_inches()
    step = _FOOT_SIZE * 1.35 / 72
    for i, (text, colour) in enumerate(reversed(lines)):
        y = 0.12 + i * step
        fig.text(_MARGIN / fig_w, y / fig_h, _plain(text), fontsize=_FOOT_SIZE, color=colour)


def _default_subtitle(summary: MapSummary, themes: Any) -> str:
    """Return the subtitle: period, number of events, articles and places."""
    parts = [summary.period, f"{summary.n_shown:,} events"]
    if summary.n_articles:
        parts[-1] += f" from {summary.n_articles:,} articles"
    parts.append(f"{summary.n_places:,} places")
    if themes is not None:
        parts.append("themes: " + ", ".join(theme_style(t).label for t in _theme_order(themes)))
    return " · ".join(parts)


def _default_source(events: Any) -> str:
    """Return the source line: the outlets reported in the events, boundaries and projection."""
    from maps.basemap import load_basemap

    outlets = ""
    if events is not None and "source" in events.columns and len(events):
        counts = events["source"].dropna().astype(str).value_counts()
        names = [n for n in counts.index[:3] if n.strip()]
        if names:
            extra = len(counts) - len(names)
            outlets = ", ".join(names) + (f" and {extra} more" if extra > 0 else "")
    boundary = load_basemap().source or "nkmap package data"
    lead = f"Source: news reports ({outlets})" if outlets else "Source: news reports"
    return (
        f"{lead}, events extracted with nkmap · Boundaries: {boundary} · "
        "Lambert conformal conic projection"
    )


def _new_figure(width: float, height: float) -> Any:
    """Return a white matplotlib ``Figure`` on an Agg canvas (no pyplot, no display)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def static_map(
    events: Any,
    *,
    ax: Any = None,
    extent: str | Sequence[float] = "auto",
    title: str | None = None,
    subtitle: str | None = None,
    themes: Iterable[str] | None = None,
    labels: int = 10,
    source: str | None = None,
    tiles: bool = False,
) -> Any:
    """Draw a print-ready map of ``events`` and return its matplotlib ``Figure``.

    ``extent`` is ``"auto"`` (fit the events), ``"border"``, ``"dprk"``, a
    ``"W,S,E,N"`` string or four numbers.  ``themes`` keeps only those themes.
    ``labels`` is how many of the most-reported places are named.  With
    ``ax=None`` the figure is a full report figure (title, subtitle with period
    and counts, legend with counts, locator inset, source line and notes); with
    an ``ax`` the map, scale bar, north arrow, labels and a compact legend are
    drawn into it.  ``tiles=True`` adds web tiles (contextily, online); never
    the default.  Events outside the extent or without a location are counted
    in a note; no events gives an empty map that says so.

    Raises:
        InputError: an unknown extent or theme; ``tiles`` without contextily.
        DataError: ``events`` is not an events GeoDataFrame.
    """
    from maps.basemap import projected_box

    theme_list = list(themes) if themes is not None else None
    prep = _prepare(events, extent, theme_list)
    totals = prep.points.place_totals["count"]
    max_count = float(totals.max()) if len(totals) else 1.0
    box = projected_box(prep.crs, prep.bounds)
    if ax is not None:
        pos = ax.get_position()
        fig_w, fig_h = ax.figure.get_size_inches()
        fitted = _fit_box(box, (pos.height * fig_h) / (pos.width * fig_w))
        _draw_panel(
            ax, prep, fitted, max_count=max_count, labels=labels, furniture=True, tiles=tiles
        )
        themes_h, _, _ = _legend_handles(prep.summary.theme_counts, prep.points, max_count)
        if themes_h:
            ax.legend(handles=themes_h, loc="best", fontsize=7.5, framealpha=0.9)
        if title:
            ax.set_title(_plain(title), fontsize=11, loc="left")
        return ax.figure
    map_w, map_h, fitted = _map_size(box)
    fig_w = _MARGIN + map_w + _GAP + _PANEL_WIDTH + _MARGIN
    footer = _footer_lines(
        source or _default_source(prep.events), prep.summary.notes, fig_w - 2 * _MARGIN
    )
    bottom = _footer_height(footer)
    fig_h = _TOP + map_h + bottom
    fig = _new_figure(fig_w, fig_h)
    map_ax = fig.add_axes((_MARGIN / fig_w, bottom / fig_h, map_w / fig_w, map_h / fig_h))
    _draw_panel(
        map_ax, prep, fitted, max_count=max_count, labels=labels, furniture=True, tiles=tiles
    )
    panel = ((_MARGIN + map_w + _GAP) / fig_w, bottom / fig_h, _PANEL_WIDTH / fig_w, map_h / fig_h)
    _draw_side_panel(fig, panel, prep.bounds, prep.summary.theme_counts, prep.points, max_count)
    _title_block(
        fig,
        title or "Reported events in the North Korea border region",
        subtitle or _default_subtitle(prep.summary, theme_list),
        0.22,
    )
    _draw_footer(fig, footer)
    return fig


def facet_map(
    events: Any,
    *,
    by: str = "theme",
    extent: str | Sequence[float] = "auto",
    title: str | None = None,
    themes: Iterable[str] | None = None,
    labels: int = 3,
    source: str | None = None,
    max_panels: int = 12,
) -> Any:
    """Draw small multiples of ``events``, one panel per theme or per year; return the ``Figure``.

    All panels share the extent, projection and marker scale, so they compare
    at a glance; one legend and one locator inset serve them all.  Events with
    no date go in an "Undated" panel when faceting by year.

    Raises:
        InputError: ``by`` is not "theme" or "year"; more panels than ``max_panels``;
            an unknown extent or theme.
        DataError: ``events`` is not an events GeoDataFrame.
    """
    import pandas as pd

    from maps.basemap import projected_box

    if by not in ("theme", "year"):
        raise InputError(f"unknown facet {by!r}: use theme or year")
    theme_list = list(themes) if themes is not None else None
    whole = _prepare(events, extent, theme_list)
    inside = whole.events
    if by == "theme":
        keys = _theme_order(inside["theme"].astype(str).unique())
        groups = [(theme_style(k).label, inside[inside["theme"].astype(str) == k]) for k in keys]
    else:
        years = (
            pd.to_datetime(inside["date"], errors="coerce").dt.year
            if "date" in inside.columns
            else pd.Series(float("nan"), index=inside.index)
        )
        groups = [(str(int(y)), inside[years == y]) for y in sorted(years.dropna().unique())]
        if years.isna().any():
            groups.append(("Undated", inside[years.isna()]))
    if len(groups) > max_panels:
        raise InputError(
            f"--facet {by} would draw {len(groups)} panels (at most {max_panels}); "
            "narrow the period or the themes"
        )
    if not groups:
        return static_map(events, extent=extent, title=title, themes=theme_list, source=source)
    panels = [(name, _prepare(frame, extent, None, bounds=whole.bounds)) for name, frame in groups]
    max_count = max(
        (float(p.points.place_totals["count"].max()) for _, p in panels if len(p.points.frame)),
        default=1.0,
    )
    n = len(panels)
    ncols = n if n <= 3 else 3 if n <= 9 else 4
    nrows = math.ceil(n / ncols)
    box = projected_box(whole.crs, whole.bounds)
    panel_w = 3.3 if ncols <= 3 else 2.7
    aspect = min(max((box[3] - box[1]) / (box[2] - box[0]), 0.55), 1.3)
    panel_h = panel_w * aspect
    fitted = _fit_box(box, aspect)
    head = 0.28
    grid_w = ncols * panel_w + (ncols - 1) * 0.12
    grid_h = nrows * (panel_h + head)
    body_h = max(grid_h, 5.6)
    fig_w = _MARGIN + grid_w + _GAP + _PANEL_WIDTH + _MARGIN
    footer = _footer_lines(
        source or _default_source(whole.events), whole.summary.notes, fig_w - 2 * _MARGIN
    )
    fig_h = _TOP + body_h + _footer_height(footer)
    fig = _new_figure(fig_w, fig_h)
    top = fig_h - _TOP
    for i, (name, prep) in enumerate(panels):
        row, col = divmod(i, ncols)
        left = _MARGIN + col * (panel_w + 0.12)
        bottom = top - (row + 1) * (panel_h + head) + 0.05
        ax = fig.add_axes((left / fig_w, bottom / fig_h, panel_w / fig_w, panel_h / fig_h))
        _draw_panel(
            ax,
            prep,
            fitted,
            max_count=max_count,
            labels=labels,
            furniture=i == 0,
            label_size=7.5,
            country_labels=False,
        )
        ax.set_title(
            f"{_plain(name)} ({prep.summary.n_shown:,})", fontsize=9, loc="left", pad=3, color=_TEXT
        )
    panel = (
        (_MARGIN + grid_w + _GAP) / fig_w,
        (top - body_h) / fig_h,
        _PANEL_WIDTH / fig_w,
        body_h / fig_h,
    )
    _draw_side_panel(fig, panel, whole.bounds, whole.summary.theme_counts, whole.points, max_count)
    facet_word = "theme" if by == "theme" else "year"
    _title_block(
        fig,
        title or f"Reported events in the North Korea border region, by {facet_word}",
        _default_subtitle(whole.summary, theme_list),
        0.22,
    )
    _draw_footer(fig, footer)
    return fig


# ---------------------------------------------------------------------------------------------
# Output


def save_figure(fig: Any, path: str | os.PathLike[str], dpi: int = 200) -> Path:
    """Write ``fig`` to ``path`` atomically as PNG, SVG or PDF (by extension); return the path.

    SVG keeps text as text (searchable, editable); PDF embeds TrueType fonts.

    Raises:
        InputError: an extension other than .png, .svg or .pdf, or a dpi outside 30–1200.
        FileError: the file cannot be written.
    """
    import matplotlib

    from gazetteer.atomic import atomic_path

    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise InputError(f"{target}: unknown map format {target.suffix!r}; use .png, .svg or .pdf")
    if not 30 <= dpi <= 1200:
        raise InputError(f"dpi {dpi}: use a value between 30 and 1200")
    rc: Any = {"svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "nkmap"}
    metadata = {"png": {"Software": "nkmap"}, "svg": {"Date": None}, "pdf": {"Creator": "nkmap"}}
    with atomic_path(target) as tmp, matplotlib.rc_context(rc):
        try:
            fig.savefig(tmp, dpi=dpi, format=fmt, facecolor="white", metadata=metadata[fmt])
        except OSError as exc:
            raise FileError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    return target
