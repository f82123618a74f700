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
    """Return the largest of :data:`NICE_KM` not longer than ``fraction`` of the map's width."""
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


def draw_scale_bar(ax: Any, crs: Any, x: float, y: float, *, fontsize: float = 8) -> Any:
    """Draw a two-segment kilometre scale bar with its left end at map point ``(x, y)``.

    The length is true at the bar's latitude.  Returns the ``(x0, y0, x1, y1)``
    box (map units) the bar and its labels occupy.
    """
    from matplotlib.patches import Rectangle

    from maps.basemap import to_lonlat

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    lon, lat = to_lonlat(crs, x, y)
    k = scale_factor(crs, lon, lat)
    width_km = (x1 - x0) / (1000.0 * k)
    km = nice_length_km(width_km)
    length = scale_bar_length(crs, lon, lat, km)
    height = (y1 - y0) * 0.008
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
    text_y = y + height * 1.8
    style = {"fontsize": fontsize, "color": "#333333", "va": "bottom", "zorder": 8}
    ax.text(x, text_y, "0", ha="center", **style)
    ax.text(x + half, text_y, f"{km / 2:g}", ha="center", **style)
    ax.text(x + length, text_y, f"{km:g} km", ha="left", **style)
    return (x, y, x + length, text_y + (y1 - y0) * 0.03)


def draw_north_arrow(ax: Any, crs: Any, x: float, y: float, *, size: float = 0.06) -> None:
    """Draw a north arrow at map point ``(x, y)``, pointing to true north there.

    ``size`` is the arrow's length as a fraction of the map's height.
    """
    import math

    from maps.basemap import to_lonlat

    y0, y1 = ax.get_ylim()
    length = (y1 - y0) * size
    lon, lat = to_lonlat(crs, x, y)
    angle = math.radians(north_angle(crs, lon, lat))
    dx, dy = math.sin(angle) * length, math.cos(angle) * length
    ax.annotate(
        "",
        xy=(x + dx, y + dy),
        xytext=(x, y),
        arrowprops={
            "arrowstyle": "-|>,head_length=0.8,head_width=0.4",
            "color": "#333333",
            "lw": 1.4,
        },
        zorder=8,
    )
    ax.text(
        x + dx * 1.3,
        y + dy * 1.3,
        "N",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        color="#333333",
        zorder=8,
    )
