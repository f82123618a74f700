"""Map furniture for the static map: a scale bar true at its latitude and a north arrow.

Both are computed from the map's projection, not assumed: the scale bar's
length uses the projection's scale factor where the bar stands, and the north
arrow points along the meridian there (meridians converge in a conic).
"""

from __future__ import annotations

from typing import Any

#: Scale-bar lengths to choose from, in kilometres.
NICE_KM = (5, 10, 20, 25, 50, 100, 150, 200, 250, 500, 1000)


def scale_factor(crs: Any, lon: float, lat: float) -> float:
    """Return the projection's scale factor along the parallel at ``(lon, lat)``.

    One metre on the ground is ``scale_factor`` metres on the projected plane
    there (conformal projections scale alike in every direction).
    """
    from pyproj import Proj

    factors = Proj(crs).get_factors(lon, lat)
    return float(factors.parallel_scale)


def scale_bar_length(crs: Any, lon: float, lat: float, km: float) -> float:
    """Return how many projected map units ``km`` kilometres span at ``(lon, lat)``."""
    return km * 1000.0 * scale_factor(crs, lon, lat)


def nice_length_km(map_width_km: float, *, fraction: float = 0.2) -> int:
    """Return the largest of :data:`NICE_KM` not longer than ``fraction`` of the map's width.

    >>> nice_length_km(600), nice_length_km(1300), nice_length_km(10)
    (100, 250, 5)
    """
    target = map_width_km * fraction
    best = NICE_KM[0]
    for km in NICE_KM:
        if km <= target:
            best = km
    return best


def north_angle(crs: Any, lon: float, lat: float) -> float:
    """Return the direction of true north at ``(lon, lat)`` in degrees clockwise from map-up."""
    import math

    from maps.basemap import project_points

    x, y = project_points(crs, [lon, lon], [lat, lat + 0.05])
    return math.degrees(math.atan2(x[1] - x[0], y[1] - y[0]))


def choose_scale_bar(crs: Any, x: float, y: float, map_width: float) -> tuple[int, float]:
    """Return a round length in km for a scale bar at map point ``(x, y)`` and its map length.

    The length is about a fifth of ``map_width`` (map units) and true at the
    bar's latitude.
    """
    from maps.basemap import to_lonlat

    lon, lat = to_lonlat(crs, x, y)
    k = scale_factor(crs, lon, lat)
    km = nice_length_km(map_width / (1000.0 * k))
    return km, km * 1000.0 * k


def draw_scale_bar(
    ax: Any, x: float, y: float, km: int, length: float, per_pt: float, *, fontsize: float = 8
) -> None:
    """Draw a two-segment scale bar of ``km`` kilometres (``length`` map units) from ``(x, y)``.

    ``per_pt`` is how many map units one typographic point spans, so the bar's
    thickness and its labels keep their size whatever the extent.
    """
    from matplotlib.patches import Rectangle

    height = 4 * per_pt
    half = length / 2
    for i, colour in enumerate(("#333333", "#ffffff")):
        ax.add_patch(
            Rectangle(
                (x + i * half, y),
                half,
                height,
                facecolor=colour,
                edgecolor="#333333",
                linewidth=0.6,
                zorder=8,
            )
        )
    text_y = y + height + 2 * per_pt
    style = {"fontsize": fontsize, "color": "#333333", "va": "bottom", "zorder": 8}
    ax.text(x, text_y, "0", ha="center", **style)
    ax.text(x + half, text_y, f"{km / 2:g}", ha="center", **style)
    ax.text(x + length, text_y, f"{km:g} km", ha="left", **style)


def draw_north_arrow(ax: Any, crs: Any, x: float, y: float, per_pt: float) -> None:
    """Draw a north arrow from map point ``(x, y)``, pointing to true north there.

    The arrow is 22 points long with an "N" beyond its tip; ``per_pt`` is how
    many map units one point spans.
    """
    import math

    from maps.basemap import to_lonlat

    length = 22 * per_pt
    lon, lat = to_lonlat(crs, x, y)
    angle = math.radians(north_angle(crs, lon, lat))
    dx, dy = math.sin(angle), math.cos(angle)
    ax.annotate(
        "",
        xy=(x + dx * length, y + dy * length),
        xytext=(x, y),
        arrowprops={
            "arrowstyle": "-|>,head_length=0.8,head_width=0.4",
            "color": "#333333",
            "lw": 1.4,
            "shrinkA": 0,
            "shrinkB": 0,
        },
        zorder=8,
    )
    ax.text(
        x + dx * (length + 8 * per_pt),
        y + dy * (length + 8 * per_pt),
        "N",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        color="#333333",
        zorder=8,
    )
