"""The data side of the static map: extents, filtering, aggregation by place, the summary.

Events are checked, filtered by theme, located (a point per row), clipped to
the map's extent and grouped by place and theme, so that drawing cost depends
on the number of places, not of events.  What was left out, and why, is
counted in :class:`MapSummary`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from maps.basemap import Bounds
from maps.style import Styles
from nkmap.errors import DataError, InputError
from nkmap.themes import ThemeTable

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame

#: Named extents, (west, south, east, north) in degrees.
EXTENTS: dict[str, Bounds] = {
    "border": (123.3, 39.45, 131.0, 43.35),
    "dprk": (123.8, 37.45, 131.0, 43.15),
}


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
class Points:
    """Events aggregated by place and theme, projected: one row per marker.

    ``areas`` holds the approximate (province- or country-level) events drawn
    as their area instead: one row per area and theme, columns ``key, name,
    level, theme, count``.
    """

    frame: Any  # DataFrame: key, name, theme, precision, count, lon, lat, x, y
    place_totals: Any  # DataFrame: key, name, count, x, y (one row per place)
    areas: Any = None  # DataFrame: key, name, level, theme, count
    styles: Styles = field(default_factory=lambda: Styles.of(None))  # how themes are drawn


@dataclass
class Prepared:
    """Everything a panel needs: extent, projection, aggregated points and the summary."""

    bounds: Bounds
    crs: Any
    points: Points
    summary: MapSummary
    #: The filtered, located, in-extent events (lon/lat columns added).
    events: EventsFrame


def parse_extent(extent: str | Sequence[float]) -> Bounds | None:
    """Return the bounds named or given by ``extent``; ``None`` for ``"auto"``.

    ``extent`` is ``"border"``, ``"dprk"``, ``"auto"``, a ``"W,S,E,N"`` string
    in degrees or a sequence of four numbers.

    Raises:
        InputError: an unknown name, or numbers that do not make a box.

    >>> parse_extent("border")
    (123.3, 39.45, 131.0, 43.35)
    >>> parse_extent("124,39,131,43.5")
    (124.0, 39.0, 131.0, 43.5)
    >>> parse_extent("auto") is None
    True
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


def _check_events(events: EventsFrame) -> Any:
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
    frame["theme"] = frame["theme"].fillna("other").astype(str)
    frame["_lon"] = shapely.get_x(points)
    frame["_lat"] = shapely.get_y(points)
    return frame


def _theme_filter(frame: Any, themes: Iterable[str] | None, styles: Styles) -> Any:
    """Return the rows of ``frame`` whose theme is in ``themes`` (all when ``None``).

    Raises:
        InputError: a theme is neither a known theme nor present in the events.
    """
    if themes is None:
        return frame
    wanted = [t.strip() for t in themes if t.strip()]
    present = set(frame["theme"].dropna().astype(str))
    unknown = [t for t in wanted if t not in styles.table and t not in present]
    if unknown:
        known = ", ".join(styles.themes)
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


def summarize(
    events: EventsFrame,
    *,
    extent: str | Sequence[float] = "auto",
    themes: Any = None,
    theme_table: ThemeTable | None = None,
) -> MapSummary:
    """Return the :class:`MapSummary` of what a map of ``events`` with this extent shows.

    ``theme_table`` (default: the built-in one) says which themes exist.

    Raises:
        InputError: an unknown extent or theme.
        DataError: ``events`` is not an events GeoDataFrame.
    """
    return prepare(events, extent, themes, theme_table=theme_table).summary


def prepare(
    events: EventsFrame,
    extent: str | Sequence[float],
    themes: Any,
    *,
    bounds: Bounds | None = None,
    theme_table: ThemeTable | None = None,
) -> Prepared:
    """Filter, locate, clip and aggregate ``events`` for drawing; see :func:`summarize`."""
    import numpy as np
    import pandas as pd

    from maps.basemap import region_crs

    wanted = parse_extent(extent) if bounds is None else bounds
    styles = Styles.of(theme_table)
    frame = _with_areas(_theme_filter(_check_events(events), themes, styles))
    n_events = len(frame)
    located = frame[np.isfinite(frame["_lon"]) & np.isfinite(frame["_lat"])]
    n_unlocated = n_events - len(located)
    if wanted is None:
        wanted = _auto_bounds(*_fit_points(located))
    west, south, east, north = wanted
    lon, lat = located["_lon"], located["_lat"]
    in_box = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    inside = located[in_box | located["_area"].isin(_areas_meeting(wanted))]
    n_outside = len(located) - len(inside)
    crs = region_crs(wanted)
    points = _aggregate(inside[inside["_area"] == ""], crs)
    points.styles = styles
    points.areas = _area_counts(inside[inside["_area"] != ""])
    first = last = None
    if "date" in inside.columns and len(inside):
        dates = pd.to_datetime(inside["date"], errors="coerce").dropna()
        if len(dates):
            first, last = dates.min(), dates.max()
    n_articles = int(inside["article_id"].nunique()) if "article_id" in inside.columns else 0
    counts = inside["theme"].astype(str).value_counts()
    theme_counts = {t: int(counts[t]) for t in styles.order(counts.index)}
    notes = []
    if n_events == 0:
        notes.append("No events to show.")
    elif len(inside) == 0:
        notes.append("None of the events lies inside the map's extent.")
    if n_outside:
        notes.append(f"{n_outside:,} events outside the map's extent are not shown.")
    if n_unlocated:
        notes.append(f"{n_unlocated:,} events without a location are not shown.")
    notes.extend(area_notes(points))
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
    return Prepared(wanted, crs, points, summary, inside)


def _with_areas(frame: Any) -> Any:
    """Return ``frame`` with column ``_area``: the area key of each approximate event, or ""."""
    from maps.reference import area_key

    def col(name: str) -> list[str]:
        if name not in frame.columns:
            return [""] * len(frame)
        values = frame[name].astype(object)
        return [str(v) for v in values.where(values.notna(), "").tolist()]

    frame = frame.copy()
    frame["_area"] = [
        area_key(pid, (p, a), c, pr)
        for pid, p, a, c, pr in zip(
            col("place_id"),
            col("place"),
            col("admin1"),
            col("country"),
            col("precision"),
            strict=True,
        )
    ]
    return frame


def _fit_points(located: Any) -> tuple[Any, Any]:
    """Return the lon and lat arrays an automatic extent fits.

    Those are the point events and the label points of the DPRK provinces
    that approximate events are drawn as; a neighbour's province or a country
    is shown where it reaches into that box, without stretching it.  With
    nothing else, every located event counts.
    """
    import numpy as np

    from maps.reference import areas

    exact = located[located["_area"] == ""]
    table = areas()
    inner = [
        table[k].label
        for k in located["_area"].unique()
        if k.startswith("kp.") and table[k].level == "province"
    ]
    lon = np.concatenate([exact["_lon"].to_numpy(float), [p.x for p in inner]])
    lat = np.concatenate([exact["_lat"].to_numpy(float), [p.y for p in inner]])
    if len(lon) == 0:
        return located["_lon"].to_numpy(), located["_lat"].to_numpy()
    return lon, lat


def _areas_meeting(bounds: Bounds) -> list[str]:
    """Return the keys of the areas that reach into ``bounds``."""
    from shapely.geometry import box

    from maps.reference import areas

    frame = box(*bounds)
    return [k for k, a in areas().items() if a.geometry.intersects(frame)]


def _area_counts(frame: Any) -> Any:
    """Return the approximate events counted by area and theme: key, name, level, theme, count."""
    import pandas as pd

    from maps.reference import areas

    columns = ["key", "name", "level", "theme", "count"]
    if len(frame) == 0:
        return pd.DataFrame({c: [] for c in columns})
    table = areas()
    counts = frame.groupby(["_area", "theme"], sort=False).size().reset_index(name="count")
    counts = counts.rename(columns={"_area": "key"})
    counts["name"] = [table[k].name for k in counts["key"]]
    counts["level"] = [table[k].level for k in counts["key"]]
    return counts[columns]


def theme_order(themes: Iterable[str], styles: Styles | None = None) -> list[str]:
    """Return ``themes`` in legend order: the theme table's order, then unknown ones A–Z."""
    return (styles or Styles.of(None)).order(themes)


def _aggregate(inside: Any, crs: Any) -> Points:
    """Return the events grouped by place and theme, with counts and projected positions."""
    import pandas as pd

    from maps.basemap import project_points

    columns = ["key", "name", "theme", "precision", "count", "lon", "lat", "x", "y"]
    if len(inside) == 0:
        empty = pd.DataFrame({c: [] for c in columns})
        return Points(
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
    return Points(groups[columns], places.reset_index(drop=True))


def area_notes(points: Points) -> list[str]:
    """Return the sentences naming the country-level events (shaded, never tagged on the map)."""
    areas = points.areas
    if areas is None or len(areas) == 0:
        return []
    countries = areas[areas["level"] == "country"]
    if len(countries) == 0:
        return []
    per = countries.groupby("name", sort=True)["count"].sum()
    parts = ", ".join(f"{name} {int(n)}" for name, n in per.items())
    return [f"Placed only in a country (that country shaded): {parts}."]
