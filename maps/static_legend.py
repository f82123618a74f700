"""Everything of the static figure around the map: locator inset, legends, title, footer."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from maps.basemap import Bounds, fit_box, setup_map_axes
from maps.static_data import MapSummary, Points
from maps.static_labels import plain, renderer_of
from maps.static_markers import APPROXIMATE, MARKER_MAX_PT, marker_diameter
from maps.style import Styles

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame

#: The locator inset's region: the Korean peninsula and northeast China.
INSET_BOUNDS: Bounds = (117.0, 33.0, 135.5, 47.5)


#: Left and right margin of a figure, in inches.
MARGIN = 0.3

_TEXT = "#222222"

_MUTED = "#666666"

_NOTE = "#8a3b12"

_FOOT_SIZE = 7.5


def legend_handles(
    theme_counts: dict[str, int],
    points: Points | None,
    max_count: float,
    styles: Styles | None = None,
) -> tuple[list[Any], list[Any], list[Any]]:
    """Return the legend handles: themes (with counts), marker sizes, and location precision.

    Themes are drawn by ``styles``, else by those of ``points``, else the built-in ones.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    styles = styles or (points.styles if points is not None else Styles.of(None))
    themes = []
    for theme, count in theme_counts.items():
        style = styles.theme(theme)
        themes.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=9,
                markerfacecolor=style.color,
                markeredgecolor="white",
                label=f"{plain(style.label)} ({count:,})",
            )
        )
    sizes = []
    for value in _size_steps(max_count):
        d = float(marker_diameter([value], max_count)[0])
        sizes.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=d,
                markerfacecolor="#bdbdbd",
                markeredgecolor="#777777",
                label=f"{value:,}",
            )
        )
    precision = []
    has_approx = points is not None and bool(
        points.place_totals["precision"].isin(APPROXIMATE).any()
    )
    has_areas = points is not None and points.areas is not None and len(points.areas) > 0
    if points is None or has_approx or has_areas:
        precision = [
            Patch(facecolor="#9e9e9e", edgecolor="white", label="Site, town or city"),
            Patch(
                facecolor=(0.6, 0.6, 0.6, 0.3),
                edgecolor="#4d4d4d",
                linestyle="--",
                linewidth=0.9,
                label="County (approximate)",
            ),
        ]
    if points is None or has_areas:
        precision.append(
            Rectangle(
                (0, 0),
                1,
                1,
                facecolor=(0.6, 0.6, 0.6, 0.25),
                edgecolor="#4d4d4d",
                linestyle=(0, (4, 3)),
                linewidth=0.9,
                label="Province or country: shaded area",
            )
        )
    return themes, sizes, precision


def _disc(
    legend: Any,
    orig_handle: Any,
    xdescent: float,
    ydescent: float,
    width: float,
    height: float,
    fontsize: float,
) -> Any:
    """Return a disc for a legend entry, so precision entries look like the map's markers."""
    from matplotlib.patches import Circle

    return Circle((width / 2 - xdescent, height / 2 - ydescent), min(width, height) * 0.45)


def _size_steps(max_count: float) -> list[int]:
    """Return up to three round event counts to show in the marker-size legend."""
    top = int(max_count)
    if top <= 1:
        return [1]
    steps = {1, top}
    mid = top / 3
    if mid >= 2:
        magnitude = 10 ** math.floor(math.log10(mid))
        nice = min((1, 2, 5, 10), key=lambda m: abs(m * magnitude - mid)) * magnitude
        if 1 < nice < top:
            steps.add(int(nice))
    return sorted(steps)


def draw_side_panel(
    fig: Any,
    rect: tuple[float, float, float, float],
    bounds: Bounds,
    theme_counts: dict[str, int],
    points: Points | None,
    max_count: float,
) -> None:
    """Draw the locator inset and the legends in the figure-fraction rectangle ``rect``."""
    from matplotlib.legend_handler import HandlerPatch
    from matplotlib.patches import Patch, Rectangle

    left, bottom, width, height = rect
    fig_w, fig_h = fig.get_size_inches()
    inset_h = min(width * fig_w * 0.9, 2.4) / fig_h
    inset = fig.add_axes((left, bottom + height - inset_h, width, inset_h))
    draw_inset(inset, bounds)
    legend_ax = fig.add_axes((left, bottom, width, height - inset_h - 0.15 / fig_h))
    legend_ax.set_axis_off()
    if not theme_counts:
        legend_ax.text(0, 1, "Events by theme", fontsize=9, fontweight="bold", va="top")
        legend_ax.text(0, 0.93, "none shown", fontsize=8.5, color=_MUTED, va="top")
        return
    themes, sizes, precision = legend_handles(theme_counts, points, max_count)
    common = {
        "frameon": False,
        "fontsize": 8.5,
        "title_fontsize": 9,
        "alignment": "left",
        "borderaxespad": 0.0,
        "handletextpad": 0.6,
    }
    first = legend_ax.legend(
        handles=themes or [], title="Events by theme", loc="upper left", **common
    )
    first.get_title().set_fontweight("bold")
    legend_ax.add_artist(first)
    renderer = renderer_of(fig)
    y = _below(legend_ax, first, renderer)
    second = legend_ax.legend(
        handles=sizes,
        title="Events per place",
        loc="upper left",
        bbox_to_anchor=(0.0, y),
        ncols=len(sizes),
        columnspacing=0.8,
        handlelength=MARKER_MAX_PT / 8.5,
        handleheight=MARKER_MAX_PT / 8.5 * 1.05,
        **common,
    )
    second.get_title().set_fontweight("bold")
    if precision:
        legend_ax.add_artist(second)
        y = _below(legend_ax, second, renderer)
        third = legend_ax.legend(
            handles=precision,
            handler_map={Patch: HandlerPatch(patch_func=_disc), Rectangle: HandlerPatch()},
            handleheight=1.4,
            title="Location",
            loc="upper left",
            bbox_to_anchor=(0.0, y),
            **common,
        )
        third.get_title().set_fontweight("bold")


def _below(ax: Any, legend: Any, renderer: Any) -> float:
    """Return the axes-fraction height just under ``legend`` (with a small gap)."""
    box = legend.get_window_extent(renderer).transformed(ax.transAxes.inverted())
    return float(box.y0) - 0.04


def draw_inset(ax: Any, bounds: Bounds) -> None:
    """Draw the locator map of the Korean peninsula and northeast China, ``bounds`` outlined."""
    from maps.basemap import box_outline, draw_basemap, projected_box, region_crs

    west, south, east, north = INSET_BOUNDS
    region = (
        min(west, bounds[0] - 1),
        min(south, bounds[1] - 1),
        max(east, bounds[2] + 1),
        max(north, bounds[3] + 1),
    )
    crs = region_crs(region)
    x0, y0, x1, y1 = projected_box(crs, region)
    pos = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    box = fit_box((x0, y0, x1, y1), (pos.height * fig_h) / (pos.width * fig_w))
    setup_map_axes(ax, box)
    draw_basemap(ax, crs, region, provinces=False)
    ox, oy = box_outline(crs, bounds)
    ax.fill(ox, oy, facecolor=(0.85, 0.1, 0.1, 0.12), edgecolor="#c62828", linewidth=1.3, zorder=7)


def draw_title(fig: Any, title: str, subtitle: str, top_in: float) -> None:
    """Write the title and subtitle at the top left of ``fig`` (``top_in`` inches from the top)."""
    fig_w, fig_h = fig.get_size_inches()
    x = MARGIN / fig_w
    fig.text(
        x, 1 - top_in / fig_h, plain(title), fontsize=15, fontweight="bold", color=_TEXT, va="top"
    )
    fig.text(x, 1 - (top_in + 0.36) / fig_h, plain(subtitle), fontsize=10, color=_MUTED, va="top")


def footer_lines(source: str, notes: Sequence[str], width_in: float) -> list[tuple[str, str]]:
    """Return the footer's lines, wrapped to ``width_in`` inches: (text, colour), notes first."""
    import textwrap

    from maps.basemap import load_basemap

    chars = max(int(width_in * 72 / (_FOOT_SIZE * 0.56)), 40)
    all_notes = list(notes)
    basemap_note = load_basemap().note
    if basemap_note:
        all_notes.append(basemap_note[0].upper() + basemap_note[1:] + ".")
    lines = []
    if all_notes:
        for line in textwrap.wrap("Note: " + " ".join(all_notes), chars):
            lines.append((line, _NOTE))
    for line in textwrap.wrap(source, chars):
        lines.append((line, _MUTED))
    return lines


def footer_height(lines: Sequence[tuple[str, str]]) -> float:
    """Return the height in inches the footer needs under the map."""
    return 0.22 + len(lines) * _FOOT_SIZE * 1.35 / 72


def draw_footer(fig: Any, lines: Sequence[tuple[str, str]]) -> None:
    """Write the footer lines (notes, then the source line) at the bottom left of ``fig``."""
    fig_w, fig_h = fig.get_size_inches()
    step = _FOOT_SIZE * 1.35 / 72
    for i, (text, colour) in enumerate(reversed(lines)):
        y = 0.12 + i * step
        fig.text(MARGIN / fig_w, y / fig_h, plain(text), fontsize=_FOOT_SIZE, color=colour)


def default_subtitle(summary: MapSummary, themes: Any, styles: Styles | None = None) -> str:
    """Return the subtitle: period, number of events, articles and places (and the themes
    kept, labelled by ``styles``, the built-in ones by default)."""
    parts = [summary.period, f"{summary.n_shown:,} events"]
    if summary.n_articles:
        parts[-1] += f" from {summary.n_articles:,} articles"
    parts.append(f"{summary.n_places:,} places")
    if themes is not None:
        styles = styles or Styles.of(None)
        parts.append("themes: " + ", ".join(styles.theme(t).label for t in styles.order(themes)))
    return " · ".join(parts)


def default_source(events: EventsFrame) -> str:
    """Return the source line: the outlets reported in the events, boundaries and projection."""
    from maps.basemap import load_basemap

    outlets = ""
    if events is not None and "source" in events.columns and len(events):
        counts = events["source"].dropna().astype(str).value_counts()
        names = [n for n in counts.index[:3] if n.strip()]
        if names:
            extra = len(counts) - len(names)
            outlets = ", ".join(names) + (f" and {extra} more" if extra > 0 else "")
    boundary = load_basemap().source or "nkmap package data"
    lead = f"Source: news reports ({outlets})" if outlets else "Source: news reports"
    return (
        f"{lead}, events extracted with nkmap · Boundaries: {boundary} · "
        "Lambert conformal conic projection"
    )
