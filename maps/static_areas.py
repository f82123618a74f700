"""Approximate events on the static map: a province- or country-level event is drawn as its area.

An event placed only in a province (or only in a country) has no point: a
disc at the province's centroid would claim something happened there.  Each
such area is shaded in the colour of its commonest theme (darker with more
events) with a dashed outline; a province gets a tag with its name and count
("Jilin · 2") at the middle of its part inside the map.  Country-level events
are shaded faintly and counted in the notes, never tagged mid-country.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from maps.static_data import Points, theme_order

#: Fill opacity of the faintest and the darkest province (a country is half as dark).
FILL_MIN, FILL_MAX = 0.08, 0.3


@dataclass(frozen=True)
class DrawnArea:
    """One shaded area: key, name, level, events, and its tag (None for a country)."""

    key: str
    name: str
    level: str
    count: int
    tag: Any = None


def _tag_spot(
    shape: Any, half: tuple[float, float], obstacles: Any, taken: list[Any], view: Any
) -> tuple[float, float, bool]:
    """Return a spot for a tag of half-size ``half`` (map units) clear of markers and tags.

    Spots inside ``shape`` come first; when none is clear (a small province
    crowded with markers) the tag goes just outside, and the third value is
    False (the caller draws a leader).  ``obstacles`` is an ``(n, 3)`` array of
    marker ``x, y, radius``; ``taken`` are shapely boxes of earlier tags;
    the whole tag stays inside ``view`` (a shapely box of the axes).
    """
    import numpy as np
    import shapely

    largest = max(getattr(shape, "geoms", [shape]), key=lambda g: g.area)
    middle = largest.representative_point()
    bx0, by0, bx1, by1 = largest.bounds
    hw, hh = half
    span = max(bx1 - bx0, by1 - by0, 4 * hw)
    pad = 1.5 * max(hw, hh)
    mx, my = np.meshgrid(
        np.linspace(bx0 - pad, bx1 + pad, 25), np.linspace(by0 - pad, by1 + pad, 25)
    )
    gx, gy = np.append(mx.ravel(), middle.x), np.append(my.ravel(), middle.y)
    inside = shapely.contains_xy(largest, gx, gy)
    clear = np.full(len(gx), span)
    if len(obstacles):
        ox, oy, r = obstacles[:, 0], obstacles[:, 1], obstacles[:, 2]
        dx = np.maximum(np.abs(ox[None, :] - gx[:, None]) - hw, 0)
        dy = np.maximum(np.abs(oy[None, :] - gy[:, None]) - hh, 0)
        clear = np.minimum(clear, np.min(np.hypot(dx, dy) - r[None, :], axis=1))
    for t in taken:
        tx0, ty0, tx1, ty1 = t.bounds
        dx = np.maximum(np.maximum(tx0 - (gx + hw), (gx - hw) - tx1), 0)
        dy = np.maximum(np.maximum(ty0 - (gy + hh), (gy - hh) - ty1), 0)
        clear = np.minimum(clear, np.hypot(dx, dy))
    far = np.hypot(gx - middle.x, gy - middle.y)
    score = np.where(clear > 0, 1.0, 0.0) * 4 + inside * 2 + np.minimum(clear, hh * 2) / hh
    score = score - 0.5 * far / span
    vx0, vy0, vx1, vy1 = view.bounds
    within = (gx - hw >= vx0) & (gx + hw <= vx1) & (gy - hh >= vy0) & (gy + hh <= vy1)
    score = np.where(within, score, score - 100)
    best = int(np.argmax(score))
    return float(gx[best]), float(gy[best]), bool(inside[best])


def draw_areas(
    ax: Any,
    points: Points,
    crs: Any,
    bounds: Any,
    *,
    obstacles: Any = (),
    fontsize: float = 7.5,
) -> list[DrawnArea]:
    """Shade every area of ``points.areas`` in ``ax`` and tag the provinces; return them.

    Areas are clipped to the map's box; tags keep clear of ``obstacles``
    (``(x, y, radius)`` of the markers, map units) where the area allows.
    The tags' display boxes are what place labels must avoid (:func:`tag_boxes`).
    """
    import numpy as np
    import shapely
    from matplotlib.patches import PathPatch
    from shapely.geometry import box

    from maps.basemap import lonlat_transformer, polygon_path, polygons_only
    from maps.reference import areas as area_table

    frame = points.areas
    if frame is None or len(frame) == 0:
        return []
    table = area_table()
    transformer = lonlat_transformer(crs.to_wkt())
    west, south, east, north = bounds
    clip = box(west - 0.5, south - 0.5, east + 0.5, north + 0.5)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    view = box(x0, y0, x1, y1)
    totals = frame.groupby("key", sort=False)["count"].sum()
    most = float(totals.max())
    order = theme_order(frame["theme"].unique(), points.styles)
    drawn: list[DrawnArea] = []
    discs = np.array([tuple(o) for o in obstacles], dtype=float).reshape(-1, 3)
    taken: list[Any] = []

    def project(xy: Any) -> Any:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    # countries first (faint, underneath), then provinces by count, fewest first
    keys = sorted(totals.index, key=lambda k: (table[k].level != "country", totals[k]))
    for key in keys:
        area = table[key]
        rows = frame[frame["key"] == key]
        top = min(rows.itertuples(index=False), key=lambda r: (-r.count, order.index(r.theme)))
        colour = points.styles.theme(top.theme).color
        count = int(totals[key])
        part = polygons_only(area.geometry.intersection(clip))
        if part is None or part.is_empty:
            continue
        shape = polygons_only(shapely.transform(part, project).intersection(view))
        path = polygon_path(shape) if shape is not None else None
        if path is None:
            continue
        country = area.level == "country"
        alpha = FILL_MIN + (FILL_MAX - FILL_MIN) * count / most
        ax.add_patch(
            PathPatch(
                path,
                facecolor=colour,
                alpha=alpha * (0.5 if country else 1.0),
                edgecolor="none",
                zorder=2.6,
            )
        )
        ax.add_patch(
            PathPatch(
                path,
                facecolor="none",
                edgecolor=colour,
                linewidth=0.9,
                linestyle=(0, (4, 3)),
                alpha=0.9,
                zorder=2.7,
            )
        )
        tag = None
        if not country:
            from maps.static_labels import renderer_of

            tag = ax.text(
                0,
                0,
                f"{area.name} · {count}",
                fontsize=fontsize,
                ha="center",
                va="center",
                color="#333333",
                fontstyle="italic",
                bbox={
                    "boxstyle": "round,pad=0.2",
                    "facecolor": "white",
                    "edgecolor": colour,
                    "linestyle": "--",
                    "linewidth": 0.6,
                    "alpha": 0.85,
                },
                zorder=4.5,
            )
            renderer = renderer_of(ax.figure)
            size = tag.get_window_extent(renderer).transformed(ax.transData.inverted())
            half = (size.width / 2 * 1.15, size.height / 2 * 1.4)  # with the box's padding
            sx, sy, within = _tag_spot(shape, half, discs, taken, view)
            tag.set_position((sx, sy))
            if not within:  # outside its crowded area: a leader to the area
                target = shape.representative_point()
                ax.plot(
                    [sx, target.x],
                    [sy, target.y],
                    color=colour,
                    linewidth=0.6,
                    linestyle=(0, (2, 2)),
                    zorder=4.4,
                )
            taken.append(box(sx - half[0], sy - half[1], sx + half[0], sy + half[1]))
        drawn.append(DrawnArea(key, area.name, area.level, count, tag))
    return drawn


def tag_boxes(ax: Any, drawn: list[DrawnArea]) -> list[Any]:
    """Return the display boxes of the province tags in ``drawn`` (for labels to avoid)."""
    from maps.static_labels import renderer_of

    renderer = renderer_of(ax.figure)
    return [d.tag.get_window_extent(renderer) for d in drawn if d.tag is not None]
