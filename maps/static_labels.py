"""Place labels that do not overlap: greedy placement around each marker, most important first.

Each label tries eight positions around its marker (right, left, the four
diagonals, above, below), first beside it, then farther out with a leader
line.  A position is taken only if the label stays inside the axes, overlaps
no label already placed nor any box to avoid, and — beside its marker — is
nearer its own marker than any other, so a label never reads as another
marker's; a label set farther out must not touch any marker, and its leader
says whose it is.  Among the allowed positions the one covering the least of
the other markers wins.  A label with no free position is left out rather
than drawn on top of another.  Each placed text records its marker
(``nkmap_marker``: x, y, radius in points) and whether it has a leader
(``nkmap_leader``), so the assignment can be checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Candidate positions: (dx, dy) direction, horizontal and vertical alignment.
#: Distances tried, in gaps from the marker's edge: beside it, then farther out with a leader.
_RINGS = (1.0, 3.2, 5.5)

_POSITIONS = (
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (0.7, 0.7, "left", "bottom"),
    (0.7, -0.7, "left", "top"),
    (-0.7, 0.7, "right", "bottom"),
    (-0.7, -0.7, "right", "top"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
)


@dataclass(frozen=True)
class LabelItem:
    """A label to place: the marker's map position, its radius in points, and the text."""

    x: float
    y: float
    text: str
    radius_pt: float


def renderer_of(fig: Any) -> Any:
    """Return a renderer for measuring text in ``fig`` (the Agg canvas's own when it has one)."""
    canvas = fig.canvas
    if hasattr(canvas, "get_renderer"):
        return canvas.get_renderer()
    return fig._get_renderer()


def _overlap(a: Any, b: Any) -> float:
    """Return the area two display boxes share (0 when apart)."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(
    ax: Any,
    items: Sequence[LabelItem],
    *,
    markers: Sequence[LabelItem] = (),
    avoid: Sequence[Any] = (),
    fontsize: float = 9,
) -> list[Any]:
    """Place the labels of ``items`` (most important first) in ``ax`` without overlaps.

    ``markers`` are all drawn markers (labels prefer not to cover them);
    ``avoid`` are display-space boxes (``Bbox``) no label may touch.  Returns
    the text artists placed; items with no free position are left out.
    """
    from matplotlib.transforms import Bbox

    fig = ax.figure
    renderer = renderer_of(fig)
    px_per_pt = fig.dpi / 72.0
    frame = ax.get_window_extent(renderer)
    frame = Bbox.from_extents(frame.x0 + 2, frame.y0 + 2, frame.x1 - 2, frame.y1 - 2)
    taken: list[Any] = [b.expanded(1.0, 1.0) for b in avoid]
    marker_boxes = []
    for m in markers:
        cx, cy = ax.transData.transform((m.x, m.y))
        r = m.radius_pt * px_per_pt
        marker_boxes.append(Bbox.from_extents(cx - r, cy - r, cx + r, cy + r))
    # a pale box rather than a stroked halo: path effects would turn SVG/PDF text into outlines
    halo = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}
    centres = [ax.transData.transform((m.x, m.y)) for m in markers]
    radii = [m.radius_pt * px_per_pt for m in markers]

    def disc_gap(box: Any, cx: float, cy: float, r: float) -> float:
        """Return the display distance from ``box`` to a disc (negative when they overlap)."""
        dx = max(box.x0 - cx, 0.0, cx - box.x1)
        dy = max(box.y0 - cy, 0.0, cy - box.y1)
        return float((dx * dx + dy * dy) ** 0.5 - r)

    placed: list[Any] = []
    for item in items:
        own = None
        for k, m in enumerate(markers):
            if abs(m.x - item.x) < 1e-6 and abs(m.y - item.y) < 1e-6:
                own = k
                break
        best: tuple[float, Any, bool] | None = None
        for ring in _RINGS:
            leader = ring > 1.0
            gap = item.radius_pt + 2.5 * ring
            for dx, dy, ha, va in _POSITIONS:
                text = ax.annotate(
                    item.text,
                    xy=(item.x, item.y),
                    xytext=(dx * gap, dy * gap),
                    textcoords="offset points",
                    ha=ha,
                    va=va,
                    fontsize=fontsize,
                    color="#1f1f1f",
                    bbox=halo,
                    zorder=9,
                    arrowprops=(
                        {
                            "arrowstyle": "-",
                            "color": "#444444",
                            "linewidth": 0.6,
                            "shrinkA": 0,
                            "shrinkB": item.radius_pt,
                        }
                        if leader
                        else None
                    ),
                )
                box = text.get_window_extent(renderer)
                pad = 1.5 * px_per_pt
                padded = Bbox.from_extents(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)
                inside = (
                    box.x0 >= frame.x0
                    and box.x1 <= frame.x1
                    and box.y0 >= frame.y0
                    and box.y1 <= frame.y1
                )
                ok = inside and not any(_overlap(padded, t) > 0 for t in taken)
                if ok and markers:
                    gaps = [
                        disc_gap(box, c[0], c[1], r) for c, r in zip(centres, radii, strict=True)
                    ]
                    others = [g for k, g in enumerate(gaps) if k != own]
                    mine = gaps[own] if own is not None else 0.0
                    if leader:  # farther out: it must not touch any marker at all
                        ok = not others or min(others) > pad
                    else:  # beside its marker: nearer its own than any other
                        ok = not others or min(others) > mine + pad
                if not ok:
                    text.remove()
                    continue
                cover = sum(_overlap(box, mb) for mb in marker_boxes)
                if best is None or cover < best[0]:
                    if best is not None:
                        best[1].remove()
                    best = (cover, text, leader)
                    if cover == 0:
                        break
                else:
                    text.remove()
            if best is not None:
                break
        if best is not None:
            text = best[1]
            text.nkmap_marker = (item.x, item.y, item.radius_pt)
            text.nkmap_leader = best[2]
            box = text.get_window_extent(renderer)
            taken.append(box.expanded(1.0, 1.0))
            placed.append(text)
    return placed


def plain(text: Any) -> str:
    """Return ``text`` as a string matplotlib draws literally (no mathtext from ``$``)."""
    return str(text).replace("$", r"\$")
