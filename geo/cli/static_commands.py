"""``nkmap static``: a print-ready map (PNG, SVG or PDF) of events, drawn offline."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geo.cli.base import exit_if_failed, jobs_option, load_inputs, main, plural, warn
from geo.cli.filters import LEXICON_HELP, apply_filters, spatial_filters
from nkmap.errors import InputError
from nkmap.formats import format_of, listing

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame


def filter_period(
    events: EventsFrame, since: str | None, until: str | None
) -> tuple[EventsFrame, int]:
    """Return the events dated within ``since``–``until`` (inclusive) and how many are undated.

    The filter is :func:`geo.query.in_period`: undated events are left out
    whenever a bound is given.

    Raises:
        InputError: a bound is not a date, or ``since`` is after ``until``.
    """
    if since is None and until is None:
        return events, 0
    import pandas as pd

    from geo.query import in_period

    kept = in_period(events, since, until)
    if "date" not in events.columns:
        return kept, len(events)
    return kept, int(pd.to_datetime(events["date"], errors="coerce").isna().sum())


@main.command("static")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The map file to write: .png, .svg or .pdf.",
)
@click.option(
    "--extent",
    default="auto",
    show_default=True,
    help="border, dprk, auto (fit the events) or W,S,E,N in degrees.",
)
@click.option("--title", help="The map's title (default: a title naming the region).")
@click.option("--dpi", type=int, default=200, show_default=True, help="Resolution of a PNG.")
@click.option(
    "--theme",
    "themes",
    multiple=True,
    metavar="T",
    help="Only events of a theme (repeat, or T1,T2), as on map and query.",
)
@click.option("--lexicon", type=click.Path(dir_okay=False), help=LEXICON_HELP)
@click.option("--since", help="Only events dated on or after YYYY[-MM[-DD]].")
@click.option("--until", help="Only events dated on or before YYYY[-MM[-DD]] (inclusive).")
@click.option(
    "--facet",
    type=click.Choice(["theme", "year"]),
    help="Small multiples: one panel per theme or per year.",
)
@click.option(
    "--labels",
    type=click.IntRange(0, 50),
    default=None,
    help="How many of the most-reported places to name [default: every place that fits, up "
    "to 40; up to 6 per facet].",
)
@click.option(
    "--tiles",
    is_flag=True,
    help="Add web map tiles under the events (needs contextily and a network; off by default).",
)
@spatial_filters
@jobs_option
def static_command(
    inputs: tuple[str, ...],
    output: Path,
    extent: str,
    title: str | None,
    dpi: int,
    themes: tuple[str, ...],
    lexicon: str | None,
    since: str | None,
    until: str | None,
    facet: str | None,
    labels: int | None,
    tiles: bool,
    jobs: int | None,
    **filters: Any,
) -> None:
    """Draw events as a print-ready static map: PNG, SVG or PDF, offline.

    INPUT is an events file (.geojson, .gpkg, .csv, .parquet, .kml), a GeoParquet
    dataset folder, a PostGIS store (postgresql://…), or article files and
    folders, which are read and turned into events on the fly.  The map has
    a vector basemap, events by theme (size by count), labels, a legend with
    counts, a scale bar, a north arrow, a locator inset and a source line.

    \b
    Example:
      nkmap static samples/ -o map.png --extent border --since 2020 --theme trade,factory
      nkmap static samples/ -o near-hyesan.pdf --near Hyesan --km 50
    """
    if format_of(output, "map") is None:
        raise InputError(
            f"{output}: unknown map format {output.suffix!r}; use {listing('map', write=True)}"
        )
    from maps.static import parse_extent

    parse_extent(extent)  # fail on a bad extent before reading anything
    theme_list = [t.strip() for item in themes for t in item.split(",") if t.strip()] or None
    if themes and not theme_list:
        raise InputError("--theme: give at least one theme, e.g. --theme trade,factory")
    from nkmap.themes import load_theme_table

    table = load_theme_table(lexicon)
    if tiles and facet:
        raise InputError("--tiles draws under a single map; leave out --facet or --tiles")
    if tiles:
        warn("--tiles fetches web map tiles over the network")

    from maps.static import facet_map, save_figure, static_map, summarize

    # everything is read: the notes below count what the options leave out
    loaded, failures = load_inputs(
        inputs, jobs=jobs, require={"theme": "by the static map, which draws events by theme"}
    )
    events = apply_filters(loaded, theme_table=table, **filters)
    n_read = len(events)
    events, undated = filter_period(events, since, until)
    if undated and (since or until):
        warn(f"{undated} undated events are left out by --since/--until")
    if n_read == 0:
        warn("no events found: the map shows the region only")
    elif len(events) == 0:
        warn("no events in the period: the map shows the region only")
    summary = summarize(events, extent=extent, themes=theme_list, theme_table=table)
    for note in summary.notes:
        if summary.n_events:
            warn(note[0].lower() + note[1:].rstrip("."))
    if facet:
        fig = facet_map(
            events,
            by=facet,
            extent=extent,
            title=title,
            themes=theme_list,
            labels=labels,
            theme_table=table,
        )
    else:
        fig = static_map(
            events,
            extent=extent,
            title=title,
            themes=theme_list,
            labels=labels,
            tiles=tiles,
            theme_table=table,
        )
    save_figure(fig, output, dpi=dpi)
    size = output.stat().st_size
    click.echo(
        f"{output}: {plural(summary.n_shown, 'event')} at {plural(summary.n_places, 'place')}, "
        f"{size / 1e3:,.0f} kB"
    )
    exit_if_failed(failures)
