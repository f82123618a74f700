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
from pathlib import Path
from typing import Any

from gazetteer.errors import FileError, InputError, NkmapError
from maps.basemap import fit_box, setup_map_axes
from maps.static_data import (
    EXTENTS,
    MapSummary,
    Points,
    Prepared,
    parse_extent,
    prepare,
    summarize,
    theme_order,
)
from maps.static_labels import plain
from maps.static_legend import (
    MARGIN,
    default_source,
    default_subtitle,
    draw_footer,
    draw_side_panel,
    draw_title,
    footer_height,
    footer_lines,
    legend_handles,
)
from maps.static_markers import MARKER_MAX_PT, MARKER_MIN_PT, draw_markers, marker_diameter
from maps.style import theme_style

__all__ = [
    "EXTENTS",
    "MARKER_MAX_PT",
    "MARKER_MIN_PT",
    "MapSummary",
    "facet_map",
    "marker_diameter",
    "parse_extent",
    "save_figure",
    "static_map",
    "summarize",
]

#: Output formats by file extension.
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


#: Layout of a single map, in inches.
_MAP_WIDTH = 7.2
_MAP_MIN_HEIGHT = 5.6
_MAP_MAX_HEIGHT = 8.0
_PANEL_WIDTH = 2.9
_GAP = 0.25
_TOP = 0.95
_MUTED = "#666666"
_TEXT = "#222222"


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
    return width, height, fit_box(box, height / width)


def _per_pt(ax: Any) -> float:
    """Return how many map units one typographic point spans in ``ax``."""
    x0, x1 = ax.get_xlim()
    return float((x1 - x0) / (ax.get_window_extent().width * 72.0 / ax.figure.dpi))


def _furniture_corner(ax: Any, points: Points) -> str:
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


def _draw_furniture(ax: Any, crs: Any, points: Points) -> list[Any]:
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
    ax: Any, points: Points, markers: list[Any], avoid: list[Any], count: int, fontsize: float
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
        items.append(LabelItem(float(row.x), float(row.y), plain(row.name), r))
    return place_labels(ax, items, markers=markers, avoid=avoid, fontsize=fontsize)


def _draw_panel(
    ax: Any,
    prep: Prepared,
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

    setup_map_axes(ax, box)
    avoid: list[Any] = []
    if tiles:
        _add_tiles(ax, prep.crs)
        setup_map_axes(ax, box)  # contextily may have moved the limits
    draw_basemap(ax, prep.crs, prep.bounds, fill=not tiles)
    markers = draw_markers(ax, prep.points, max_count)
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
        contextily.add_basemap(ax, crs=crs.to_wkt(), attribution_size=6, zorder=0.8)
    except Exception as exc:  # network and tile-server failures come in many kinds
        raise NkmapError(
            f"web tiles could not be fetched ({exc}); drop --tiles for the offline basemap"
        ) from exc


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
    prep = prepare(events, extent, theme_list)
    totals = prep.points.place_totals["count"]
    max_count = float(totals.max()) if len(totals) else 1.0
    box = projected_box(prep.crs, prep.bounds)
    if ax is not None:
        pos = ax.get_position()
        fig_w, fig_h = ax.figure.get_size_inches()
        fitted = fit_box(box, (pos.height * fig_h) / (pos.width * fig_w))
        _draw_panel(
            ax, prep, fitted, max_count=max_count, labels=labels, furniture=True, tiles=tiles
        )
        themes_h, _, _ = legend_handles(prep.summary.theme_counts, prep.points, max_count)
        if themes_h:
            ax.legend(handles=themes_h, loc="best", fontsize=7.5, framealpha=0.9)
        if title:
            ax.set_title(plain(title), fontsize=11, loc="left")
        return ax.figure
    map_w, map_h, fitted = _map_size(box)
    fig_w = MARGIN + map_w + _GAP + _PANEL_WIDTH + MARGIN
    footer = footer_lines(
        source or default_source(prep.events), prep.summary.notes, fig_w - 2 * MARGIN
    )
    bottom = footer_height(footer)
    fig_h = _TOP + map_h + bottom
    fig = _new_figure(fig_w, fig_h)
    map_ax = fig.add_axes((MARGIN / fig_w, bottom / fig_h, map_w / fig_w, map_h / fig_h))
    _draw_panel(
        map_ax, prep, fitted, max_count=max_count, labels=labels, furniture=True, tiles=tiles
    )
    panel = ((MARGIN + map_w + _GAP) / fig_w, bottom / fig_h, _PANEL_WIDTH / fig_w, map_h / fig_h)
    draw_side_panel(fig, panel, prep.bounds, prep.summary.theme_counts, prep.points, max_count)
    draw_title(
        fig,
        title or "Reported events in the North Korea border region",
        subtitle or default_subtitle(prep.summary, theme_list),
        0.22,
    )
    draw_footer(fig, footer)
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
    whole = prepare(events, extent, theme_list)
    inside = whole.events
    if by == "theme":
        keys = theme_order(inside["theme"].astype(str).unique())
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
    panels = [(name, prepare(frame, extent, None, bounds=whole.bounds)) for name, frame in groups]
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
    fitted = fit_box(box, aspect)
    head = 0.28
    grid_w = ncols * panel_w + (ncols - 1) * 0.12
    grid_h = nrows * (panel_h + head)
    body_h = max(grid_h, 5.6)
    fig_w = MARGIN + grid_w + _GAP + _PANEL_WIDTH + MARGIN
    footer = footer_lines(
        source or default_source(whole.events), whole.summary.notes, fig_w - 2 * MARGIN
    )
    fig_h = _TOP + body_h + footer_height(footer)
    fig = _new_figure(fig_w, fig_h)
    top = fig_h - _TOP
    for i, (name, prep) in enumerate(panels):
        row, col = divmod(i, ncols)
        left = MARGIN + col * (panel_w + 0.12)
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
            f"{plain(name)} ({prep.summary.n_shown:,})", fontsize=9, loc="left", pad=3, color=_TEXT
        )
    panel = (
        (MARGIN + grid_w + _GAP) / fig_w,
        (top - body_h) / fig_h,
        _PANEL_WIDTH / fig_w,
        body_h / fig_h,
    )
    draw_side_panel(fig, panel, whole.bounds, whole.summary.theme_counts, whole.points, max_count)
    facet_word = "theme" if by == "theme" else "year"
    draw_title(
        fig,
        title or f"Reported events in the North Korea border region, by {facet_word}",
        default_subtitle(whole.summary, theme_list),
        0.22,
    )
    draw_footer(fig, footer)
    return fig


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
