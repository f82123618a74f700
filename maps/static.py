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
from typing import TYPE_CHECKING, Any

from maps.basemap import fit_box, setup_map_axes
from maps.static_areas import draw_areas, tag_boxes
from maps.static_data import (
    EXTENTS,
    MapSummary,
    Points,
    Prepared,
    parse_extent,
    prepare,
    summarize,
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
from nkmap.errors import FileError, InputError, NkmapError
from nkmap.themes import ThemeTable

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame

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


def _furniture_boxes(ax: Any, crs: Any) -> dict[str, tuple[Any, int, float]]:
    """Return, per corner ("ll", "lr", "ul", "ur"), the furniture's box, its bar's km and length."""
    from matplotlib.transforms import Bbox

    from maps.static_furniture import choose_scale_bar

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    per_pt = _per_pt(ax)
    margin = 10 * per_pt
    height = 36 * per_pt
    out: dict[str, tuple[Any, int, float]] = {}
    for corner in ("ll", "lr", "ul", "ur"):
        left, bottom = corner[1] == "l", corner[0] == "l"
        probe_x = x0 + (x1 - x0) * (0.15 if left else 0.85)
        probe_y = y0 + margin if bottom else y1 - margin
        km, length = choose_scale_bar(crs, probe_x, probe_y, x1 - x0)
        width = length + 58 * per_pt
        gx = x0 + margin + 4 * per_pt if left else x1 - margin - width
        gy = y0 + margin if bottom else y1 - margin - height
        out[corner] = (
            Bbox.from_extents(gx - 6 * per_pt, gy - 3 * per_pt, gx + width, gy + height),
            km,
            length,
        )
    return out


def _covered(
    box: Any, markers: list[Any], per_pt: float, points: Points, extra: list[Any]
) -> tuple[float, int]:
    """Return how much of the markers' discs and ``extra`` boxes ``box`` covers, and events inside.

    ``extra`` are boxes in map units (the area tags); the first value is in map units².
    """
    cover = 0.0
    for b in extra:
        w = min(box.x1, b.x1) - max(box.x0, b.x0)
        h = min(box.y1, b.y1) - max(box.y0, b.y0)
        if w > 0 and h > 0:
            cover += w * h
    for m in markers:
        r = (m.radius_pt + 2) * per_pt
        w = min(box.x1, m.x + r) - max(box.x0, m.x - r)
        h = min(box.y1, m.y + r) - max(box.y0, m.y - r)
        if w > 0 and h > 0:
            cover += w * h
    frame = points.frame
    inside = 0
    if len(frame):
        mask = (
            (frame["x"] >= box.x0)
            & (frame["x"] <= box.x1)
            & (frame["y"] >= box.y0)
            & (frame["y"] <= box.y1)
        )
        inside = int(frame.loc[mask, "count"].sum())
    return cover, inside


def furniture_corner(
    ax: Any, crs: Any, points: Points, markers: list[Any], avoid: Sequence[Any] = ()
) -> tuple[str, bool]:
    """Return the corner whose scale bar and north arrow cover the least of the markers.

    ``avoid`` are display boxes (area tags) to keep clear as well.  The second
    value is True when that corner covers nothing at all.
    """
    per_pt = _per_pt(ax)
    inverse = ax.transData.inverted()
    extra = [b.transformed(inverse) for b in avoid]
    scored = []
    for corner, (box, _, _) in _furniture_boxes(ax, crs).items():
        cover, inside = _covered(box, markers, per_pt, points, extra)
        scored.append((cover, inside, corner))
    cover, _, corner = min(scored)
    return corner, cover == 0


def _draw_furniture(
    ax: Any, crs: Any, points: Points, markers: list[Any], avoid: Sequence[Any] = ()
) -> list[Any]:
    """Draw the scale bar and, beside it, the north arrow in the corner freest of markers.

    Returns the display box they occupy, for labels to avoid.
    """
    from matplotlib.patches import FancyBboxPatch

    from maps.static_furniture import draw_north_arrow, draw_scale_bar

    per_pt = _per_pt(ax)
    corner, _ = furniture_corner(ax, crs, points, markers, avoid)
    group, km, length = _furniture_boxes(ax, crs)[corner]
    gx, gy = group.x0 + 6 * per_pt, group.y0 + 3 * per_pt
    draw_scale_bar(ax, gx, gy, km, length, per_pt)
    draw_north_arrow(ax, crs, gx + length + 46 * per_pt, gy, per_pt)
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
    ax._nkmap_furniture = group  # read by tests: the box the scale bar and arrow fill
    return [ax.transData.transform_bbox(group)]


#: Most place labels tried on one map, and per facet panel, when the caller does not say.
AUTO_LABELS, AUTO_FACET_LABELS = 40, 6


def default_labels(n_places: int, *, facet: bool = False) -> int:
    """Return how many places to label by default: every place up to a cap that grows with size.

    Placement leaves out any label that has no free spot, so trying them all is
    safe; the cap keeps a map of hundreds of places to its most reported.

    >>> default_labels(12), default_labels(500), default_labels(12, facet=True)
    (12, 40, 6)
    """
    cap = AUTO_FACET_LABELS if facet else AUTO_LABELS
    return min(int(n_places), cap)


def _draw_labels(
    ax: Any, points: Points, markers: list[Any], avoid: list[Any], count: int, fontsize: float
) -> list[Any]:
    """Label the ``count`` most-reported places without overlaps; return the text artists."""
    from maps.static_labels import LabelItem, place_labels

    if count <= 0 or len(points.place_totals) == 0:
        return []
    drawn = {m.text: m for m in markers}  # place key → its pie (where it is drawn)
    items = []
    for row in points.place_totals.head(count).itertuples(index=False):
        m = drawn.get(str(row.key))
        x, y = (m.x, m.y) if m is not None else (float(row.x), float(row.y))
        r = m.radius_pt if m is not None else MARKER_MIN_PT / 2
        items.append(LabelItem(x, y, plain(row.name), r))
    return place_labels(ax, items, markers=markers, avoid=avoid, fontsize=fontsize)


def draw_panel(
    ax: Any,
    prep: Prepared,
    box: tuple[float, float, float, float],
    *,
    max_count: float,
    labels: int,
    furniture: bool | str,
    tiles: bool = False,
    label_size: float = 9,
    country_labels: bool = True,
) -> bool:
    """Draw basemap, events, furniture and labels of one map into ``ax`` (limits from ``box``).

    ``furniture`` is True (always draw the scale bar and north arrow), False,
    or ``"free"`` (only where they cover no marker).  Returns whether they
    were drawn.
    """
    from maps.basemap import draw_basemap

    setup_map_axes(ax, box)
    avoid: list[Any] = []
    if tiles:
        _add_tiles(ax, prep.crs)
        setup_map_axes(ax, box)  # contextily may have moved the limits
    draw_basemap(ax, prep.crs, prep.bounds, fill=not tiles)
    markers = draw_markers(ax, prep.points, max_count)
    per_pt = _per_pt(ax)
    drawn = draw_areas(
        ax,
        prep.points,
        prep.crs,
        prep.bounds,
        obstacles=[(m.x, m.y, (m.radius_pt + 3) * per_pt) for m in markers],
        fontsize=label_size - 1.5,
    )
    avoid.extend(tag_boxes(ax, drawn))
    if furniture == "free":
        furniture = furniture_corner(ax, prep.crs, prep.points, markers, avoid)[1]
    if furniture:
        avoid.extend(_draw_furniture(ax, prep.crs, prep.points, markers, list(avoid)))
    if country_labels:
        from maps.basemap import draw_country_labels
        from maps.static_labels import renderer_of

        per_pt = _per_pt(ax)
        obstacles = [(m.x, m.y, (m.radius_pt + 4) * per_pt) for m in markers]
        names = draw_country_labels(ax, prep.crs, prep.bounds, avoid=obstacles)
        renderer = renderer_of(ax.figure)
        avoid.extend(t.get_window_extent(renderer) for t in names)
    _draw_labels(ax, prep.points, markers, avoid, labels, label_size)
    ax.nkmap_markers = markers  # read by tests and the inset: the pies as drawn (after dodging)
    ax.nkmap_avoid = avoid  # display boxes taken by furniture, tags and names
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
    return bool(furniture)


def _enlarge_crowded_spot(fig: Any, map_ax: Any, prep: Prepared, max_count: float) -> Any:
    """Add an enlarged inset of the most crowded spot when some of its places went unlabelled."""
    from maps.static_inset import crowded_group, draw_inset

    at = {
        (t.nkmap_marker[0], t.nkmap_marker[1]) for t in map_ax.texts if hasattr(t, "nkmap_marker")
    }
    labelled = {m.text for m in map_ax.nkmap_markers if (m.x, m.y) in at}
    keys = crowded_group(prep, labelled)
    if not keys:
        return None
    renderer = fig.canvas.get_renderer()
    labels = [t.get_window_extent(renderer) for t in map_ax.texts if hasattr(t, "nkmap_marker")]
    avoid = list(map_ax.nkmap_avoid) + labels
    return draw_inset(fig, map_ax, prep, keys, max_count, avoid, draw_panel)


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
    events: EventsFrame,
    *,
    ax: Any = None,
    extent: str | Sequence[float] = "auto",
    title: str | None = None,
    subtitle: str | None = None,
    themes: Iterable[str] | None = None,
    labels: int | None = None,
    source: str | None = None,
    tiles: bool = False,
    theme_table: ThemeTable | None = None,
) -> Any:
    """Draw a print-ready map of ``events``; return its ``Figure`` (or, given ``ax``, the axes).

    ``extent`` is ``"auto"`` (fit the events), ``"border"``, ``"dprk"``, a
    ``"W,S,E,N"`` string or four numbers.  ``themes`` keeps only those themes.
    ``labels`` is how many of the most-reported places are named (default:
    :func:`default_labels`, every place on a small map).  With
    ``ax=None`` the figure is a full report figure (title, subtitle with period
    and counts, legend with counts, locator inset, source line and notes); with
    an ``ax`` the map, scale bar, north arrow, labels and a compact legend are
    drawn into it.  ``tiles=True`` adds web tiles (contextily, online); never
    the default.  ``theme_table`` (a lexicon's, :func:`nkmap.themes.load_theme_table`;
    default the built-in one) gives the themes' labels, colours and order.  Events
    outside the extent or without a location are counted in a note; no events gives an
    empty map that says so.

    Raises:
        InputError: an unknown extent or theme; ``tiles`` without contextily.
        DataError: ``events`` is not an events GeoDataFrame.
    """
    from maps.basemap import projected_box

    theme_list = list(themes) if themes is not None else None
    prep = prepare(events, extent, theme_list, theme_table=theme_table)
    if labels is None:
        labels = default_labels(len(prep.points.place_totals))
    totals = prep.points.place_totals["count"]
    max_count = float(totals.max()) if len(totals) else 1.0
    box = projected_box(prep.crs, prep.bounds)
    if ax is not None:
        pos = ax.get_position()
        fig_w, fig_h = ax.figure.get_size_inches()
        fitted = fit_box(box, (pos.height * fig_h) / (pos.width * fig_w))
        draw_panel(
            ax, prep, fitted, max_count=max_count, labels=labels, furniture=True, tiles=tiles
        )
        themes_h, _, _ = legend_handles(prep.summary.theme_counts, prep.points, max_count)
        if themes_h:
            ax.legend(handles=themes_h, loc="best", fontsize=7.5, framealpha=0.9)
        if title:
            ax.set_title(plain(title), fontsize=11, loc="left")
        return ax
    map_w, map_h, fitted = _map_size(box)
    fig_w = MARGIN + map_w + _GAP + _PANEL_WIDTH + MARGIN
    footer = footer_lines(
        source or default_source(prep.events), prep.summary.notes, fig_w - 2 * MARGIN
    )
    bottom = footer_height(footer)
    fig_h = _TOP + map_h + bottom
    fig = _new_figure(fig_w, fig_h)
    map_ax = fig.add_axes((MARGIN / fig_w, bottom / fig_h, map_w / fig_w, map_h / fig_h))
    draw_panel(
        map_ax, prep, fitted, max_count=max_count, labels=labels, furniture=True, tiles=tiles
    )
    _enlarge_crowded_spot(fig, map_ax, prep, max_count)
    panel = ((MARGIN + map_w + _GAP) / fig_w, bottom / fig_h, _PANEL_WIDTH / fig_w, map_h / fig_h)
    draw_side_panel(fig, panel, prep.bounds, prep.summary.theme_counts, prep.points, max_count)
    draw_title(
        fig,
        title or "Reported events in the North Korea border region",
        subtitle or default_subtitle(prep.summary, theme_list, prep.points.styles),
        0.22,
    )
    draw_footer(fig, footer)
    return fig


def facet_map(
    events: EventsFrame,
    *,
    by: str = "theme",
    extent: str | Sequence[float] = "auto",
    title: str | None = None,
    themes: Iterable[str] | None = None,
    labels: int | None = None,
    source: str | None = None,
    max_panels: int = 12,
    theme_table: ThemeTable | None = None,
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
    whole = prepare(events, extent, theme_list, theme_table=theme_table)
    inside = whole.events
    styles = whole.points.styles
    if by == "theme":
        keys = styles.order(inside["theme"].astype(str).unique())
        groups = [(styles.theme(k).label, inside[inside["theme"].astype(str) == k]) for k in keys]
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
    panels = [
        (name, prepare(frame, extent, None, bounds=whole.bounds, theme_table=theme_table))
        for name, frame in groups
    ]
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
    need_furniture = True  # one scale bar for all: in the first panel where it covers no marker
    for i, (name, prep) in enumerate(panels):
        row, col = divmod(i, ncols)
        left = MARGIN + col * (panel_w + 0.12)
        bottom = top - (row + 1) * (panel_h + head) + 0.05
        ax = fig.add_axes((left / fig_w, bottom / fig_h, panel_w / fig_w, panel_h / fig_h))
        count = (
            labels
            if labels is not None
            else default_labels(len(prep.points.place_totals), facet=True)
        )
        mode: bool | str = False
        if need_furniture:
            mode = "free" if i < len(panels) - 1 else True
        if draw_panel(
            ax,
            prep,
            fitted,
            max_count=max_count,
            labels=count,
            furniture=mode,
            label_size=7.5,
            country_labels=False,
        ):
            need_furniture = False
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
        default_subtitle(whole.summary, theme_list, styles),
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

    from nkmap.atomic import atomic_path
    from nkmap.formats import format_of, listing

    target = Path(path)
    found = format_of(target, "map")
    if found is None:
        raise InputError(f"{target}: unknown map format {target.suffix!r}; use {listing('map')}")
    fmt = found.name
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
