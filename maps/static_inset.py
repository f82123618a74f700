"""An enlarged inset of the most crowded spot of the static map (the Yalu mouth, typically).

Where several places lie so close that their pies had to be pushed apart and
some of them got no label (Sinuiju, Dandong and the bridges between them),
the map gets an inset at a larger scale, in its emptiest corner, showing just
those places with every label; a rectangle on the map marks what it enlarges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from maps.static_data import Points, Prepared

#: Places closer than this (km) to the crowded spot's centre go in the inset.
INSET_RADIUS_KM = 18.0
#: The inset's side as a share of the map's width, and the fewest places worth one.
INSET_SHARE, INSET_MIN_PLACES = 0.34, 3


def crowded_group(prep: Prepared, labelled: set[str]) -> list[str]:
    """Return the keys of the largest group of places around an unlabelled place.

    A group is every place within :data:`INSET_RADIUS_KM` of an unlabelled
    one; the group with the most places wins (then the most events).  Empty
    when no group has :data:`INSET_MIN_PLACES`.
    """
    import numpy as np

    places = prep.points.place_totals
    if len(places) < INSET_MIN_PLACES:
        return []
    x = places["x"].to_numpy(dtype=float)
    y = places["y"].to_numpy(dtype=float)
    counts = places["count"].to_numpy(dtype=float)
    best: tuple[int, float, list[str]] | None = None
    for i, row in enumerate(places.itertuples(index=False)):
        if str(row.key) in labelled:
            continue
        near = np.hypot(x - x[i], y - y[i]) <= INSET_RADIUS_KM * 1000.0
        score = (int(near.sum()), float(counts[near].sum()))
        if score[0] >= INSET_MIN_PLACES and (best is None or score > best[:2]):
            best = (*score, [str(k) for k in places.loc[near, "key"]])
    return best[2] if best else []


def _subset(points: Points, keys: list[str]) -> Points:
    frame = points.frame[points.frame["key"].astype(str).isin(keys)]
    totals = points.place_totals[points.place_totals["key"].astype(str).isin(keys)]
    return Points(frame.reset_index(drop=True), totals.reset_index(drop=True), None)


def draw_inset(
    fig: Any,
    map_ax: Any,
    prep: Prepared,
    keys: list[str],
    max_count: float,
    avoid: list[Any],
    draw_panel: Callable[..., Any],
) -> Any:
    """Draw the enlarged inset of the places ``keys`` over a free corner of ``map_ax``.

    ``avoid`` are display boxes already on the map (scale bar, tags) that the
    inset must not cover; ``draw_panel`` is the static map's panel drawer, which the inset
    calls for its own panel.  Returns the inset axes, or None when no corner is free.
    """
    import numpy as np
    from matplotlib.patches import Rectangle

    from maps.basemap import fit_box, to_lonlat

    pos = map_ax.get_position()
    fig_w, fig_h = fig.get_size_inches()
    side_in = pos.width * fig_w * INSET_SHARE
    w, h = side_in / fig_w, side_in / fig_h
    pad_w, pad_h = 0.008, 0.012
    markers = map_ax.nkmap_markers
    best = None
    steps = np.linspace(0.0, 1.0, 11)
    for fx in steps:  # any spot of the map, not only its corners
        for fy in steps:
            left = pos.x0 + pad_w + fx * (pos.width - w - 2 * pad_w)
            bottom = pos.y0 + pad_h + fy * (pos.height - h - 2 * pad_h)
            x0, y0 = left * fig.bbox.width, bottom * fig.bbox.height
            x1, y1 = x0 + w * fig.bbox.width, y0 + h * fig.bbox.height
            cover = 0.0
            for m in markers:
                mx, my = map_ax.transData.transform((m.x, m.y))
                r = (m.radius_pt + 4) * fig.dpi / 72.0
                ox = min(x1, mx + r) - max(x0, mx - r)
                oy = min(y1, my + r) - max(y0, my - r)
                if ox > 0 and oy > 0:
                    cover += ox * oy * (50 if m.text in keys else 1)
            for b in avoid:
                ox = min(x1, b.x1) - max(x0, b.x0)
                oy = min(y1, b.y1) - max(y0, b.y0)
                if ox > 0 and oy > 0:
                    cover += ox * oy * 4
            if best is None or cover < best[0]:
                best = (cover, left, bottom)
    if best is None or best[0] > 0:
        return None
    _, left, bottom = best
    sub = _subset(prep.points, keys)
    xs, ys = sub.place_totals["x"].to_numpy(float), sub.place_totals["y"].to_numpy(float)
    half = max(xs.max() - xs.min(), ys.max() - ys.min()) / 2 * 1.35 + 2500.0
    cx_m, cy_m = (xs.max() + xs.min()) / 2, (ys.max() + ys.min()) / 2
    region = (cx_m - half, cy_m - half, cx_m + half, cy_m + half)
    west, south = to_lonlat(prep.crs, region[0], region[1])
    east, north = to_lonlat(prep.crs, region[2], region[3])
    bounds = (
        min(west, east) - 0.05,
        min(south, north) - 0.05,
        max(west, east) + 0.05,
        max(south, north) + 0.05,
    )
    inset = fig.add_axes((left, bottom, w, h), zorder=20)
    part = replace(prep, bounds=bounds, points=sub)
    draw_panel(
        inset,
        part,
        fit_box(region, h * fig_h / (w * fig_w)),
        max_count=max_count,
        labels=len(keys),
        furniture=False,
        label_size=7,
        country_labels=False,
    )
    for spine in inset.spines.values():
        spine.set_edgecolor("#333333")
        spine.set_linewidth(1.0)
    names = list(sub.place_totals["name"].head(2))
    inset.text(
        0.03,
        0.97,
        "Enlarged: " + " – ".join(str(n) for n in sorted(names, key=len)[:2] if len(n) < 16),
        transform=inset.transAxes,
        fontsize=7,
        fontweight="bold",
        ha="left",
        va="top",
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        zorder=10,
    )
    map_ax.add_patch(
        Rectangle(
            (region[0], region[1]),
            region[2] - region[0],
            region[3] - region[1],
            fill=False,
            edgecolor="#333333",
            linewidth=0.8,
            zorder=8,
        )
    )
    inset.nkmap_keys = keys
    return inset
