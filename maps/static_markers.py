"""Event markers of the static map: one pie per place, area by count, wedges by theme."""

from __future__ import annotations

from typing import Any

from maps.static_data import Points, theme_order

#: Precision levels drawn as approximate (dashed outline, faint fill).  Province- and
#: country-level events with a known outline are drawn as areas instead (maps.static_areas).
APPROXIMATE = frozenset({"county", "province", "country"})

#: Gap kept between pies pushed apart (points), and how far a pie may move (its radii).
DODGE_GAP_PT, DODGE_MAX_RADII = 1.5, 3.0

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


def dodge(x: Any, y: Any, radius: Any, gap: float, *, rounds: int = 200) -> tuple[Any, Any]:
    """Return positions where discs no longer overlap, each moved as little as it can be.

    ``x, y, radius`` are arrays in map units; discs closer than the sum of
    their radii plus ``gap`` are pushed apart along the line joining them (the
    smaller one moves more), never more than :data:`DODGE_MAX_RADII` radii
    from where it belongs.  Discs at the very same point are fanned out.  All
    pairs move at once each round (numpy), so hundreds of places stay fast.

    >>> nx, ny = dodge([0.0, 0.0], [0.0, 0.0], [1.0, 1.0], 0.0)
    >>> bool(((nx[1] - nx[0]) ** 2 + (ny[1] - ny[0]) ** 2) ** 0.5 >= 1.99)
    True
    """
    import numpy as np

    x0, y0 = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    r = np.asarray(radius, dtype=float)
    nx, ny = x0.copy(), y0.copy()
    n = len(nx)
    if n < 2:
        return nx, ny
    need = r[:, None] + r[None, :] + gap
    weight = r[None, :] ** 2 / np.maximum(r[:, None] ** 2 + r[None, :] ** 2, 1e-12)
    ii, jj = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    angle = 2.399963 * (ii + jj)  # golden angle: a direction for discs at one point
    sign = np.where(ii < jj, 1.0, -1.0)
    cap = DODGE_MAX_RADII * r
    for _ in range(rounds):
        dx = nx[None, :] - nx[:, None]
        dy = ny[None, :] - ny[:, None]
        d = np.hypot(dx, dy)
        np.fill_diagonal(d, np.inf)
        over = d < need * 0.999
        if not over.any():
            break
        same = d < 1e-9
        ux = np.where(same, sign * np.cos(angle), dx / np.where(same, 1.0, d))
        uy = np.where(same, sign * np.sin(angle), dy / np.where(same, 1.0, d))
        push = np.where(over, need - np.where(same, 0.0, d), 0.0) * weight * 0.5
        nx = nx - (ux * push).sum(axis=1)
        ny = ny - (uy * push).sum(axis=1)
        off = np.hypot(nx - x0, ny - y0)
        far = off > cap
        if far.any():
            scale = cap[far] / off[far]
            nx[far] = x0[far] + (nx[far] - x0[far]) * scale
            ny[far] = y0[far] + (ny[far] - y0[far]) * scale
    return nx, ny


def draw_markers(ax: Any, points: Points, max_count: float) -> list[Any]:
    """Draw one pie per place (area by its number of events, wedges by theme), largest first.

    Places located only approximately (county, province, country) are drawn
    faint with a dashed outline.  Pies that would overlap are pushed apart
    (:func:`dodge`), each joined to its true position by a thin leader line
    ending in a dot.  Returns the discs as obstacles for labels, as
    :class:`LabelItem` whose ``text`` is the place key.
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
    order = {t: i for i, t in enumerate(theme_order(points.frame["theme"].unique(), points.styles))}
    shares: dict[str, list[tuple[int, str, float]]] = {}
    for key, theme, count in zip(
        points.frame["key"], points.frame["theme"], points.frame["count"], strict=True
    ):
        shares.setdefault(key, []).append((order[theme], theme, float(count)))
    diameters = marker_diameter(places["count"].to_numpy(), max_count)
    import numpy as np

    true_x = places["x"].to_numpy(dtype=float)
    true_y = places["y"].to_numpy(dtype=float)
    at_x, at_y = dodge(true_x, true_y, diameters / 2 * per_pt, DODGE_GAP_PT * per_pt)
    moved = np.hypot(at_x - true_x, at_y - true_y) > 0.5 * per_pt
    places = places.assign(x=at_x, y=at_y)
    if moved.any():
        from matplotlib.collections import LineCollection

        segments = [[(true_x[i], true_y[i]), (at_x[i], at_y[i])] for i in np.flatnonzero(moved)]
        ax.add_collection(
            LineCollection(segments, colors="#333333", linewidths=0.6, zorder=4.8), autolim=False
        )
        ax.plot(
            true_x[moved],
            true_y[moved],
            linestyle="none",
            marker="o",
            markersize=1.8,
            color="#222222",
            zorder=4.9,
        )
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
            colours[approx].append(
                to_rgba(points.styles.theme(theme).color, 0.35 if approx else 0.9)
            )
        if approx:
            outlines.append(Circle((row.x, row.y), radius))
        obstacles.append(LabelItem(float(row.x), float(row.y), str(row.key), float(d) / 2))
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
