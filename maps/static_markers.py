"""Event markers of the static map: one pie per place, area by count, wedges by theme."""

from __future__ import annotations

from typing import Any

from maps.static_data import Points, theme_order
from maps.style import theme_style

#: Precision levels drawn as approximate (dashed outline, faint fill).
APPROXIMATE = frozenset({"county", "province", "country"})

#: Marker diameters in points: the smallest, and the largest (for the most-reported place).
MARKER_MIN_PT = 6.0

MARKER_MAX_PT = 30.0


def marker_diameter(count: Any, max_count: float) -> Any:
    """Return marker diameters in points for ``count`` events (area grows with the count).

    ``max_count`` is the largest count on the map (at least 10 is assumed, so a
    handful of events does not fill the map with big discs).
    """
    import numpy as np

    ref = max(float(max_count), 10.0)
    share = np.sqrt(np.clip(np.asarray(count, dtype=float), 0, None) / ref)
    return MARKER_MIN_PT + (MARKER_MAX_PT - MARKER_MIN_PT) * np.clip(share, 0, 1)


def draw_markers(ax: Any, points: Points, max_count: float) -> list[Any]:
    """Draw one pie per place (area by its number of events, wedges by theme), largest first.

    Places located only approximately (county, province, country) are drawn
    faint with a dashed outline.  Returns the discs as obstacles for labels.
    """
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Circle, Wedge

    from maps.static_labels import LabelItem, renderer_of

    places = points.place_totals
    if len(places) == 0:
        return []
    fig = ax.figure
    width_pt = ax.get_window_extent(renderer_of(fig)).width * 72.0 / fig.dpi
    x0, x1 = ax.get_xlim()
    per_pt = (x1 - x0) / width_pt
    order = {t: i for i, t in enumerate(theme_order(points.frame["theme"].unique()))}
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
