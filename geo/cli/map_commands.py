"""``nkmap map`` (interactive HTML map) and ``nkmap assets fetch|list`` (pinned JS/CSS cache)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from geo.cli.base import (
    aligned,
    exit_if_failed,
    jobs_option,
    json_option,
    load_inputs,
    main,
    plural,
    warn,
)
from geo.cli.filters import LEXICON_HELP, apply_filters, query_filters
from nkmap.errors import InputError


@main.command("map")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML file to write.",
)
@click.option(
    "--offline",
    is_flag=True,
    help="One self-contained file: scripts and styles inlined, vector basemap, no network.",
)
@click.option("--no-cluster", is_flag=True, help="Draw every event; do not cluster dense ones.")
@click.option("--no-heat", is_flag=True, help="Leave out the optional heat-map layer.")
@click.option("--no-minimap", is_flag=True, help="Leave out the mini-map.")
@click.option("--title", default="nkmap", show_default=True, help="The page title.")
@click.option("--lexicon", type=click.Path(dir_okay=False), help=LEXICON_HELP)
@query_filters
@jobs_option
def map_command(
    inputs: tuple[str, ...],
    output: Path,
    offline: bool,
    no_cluster: bool,
    no_heat: bool,
    no_minimap: bool,
    title: str,
    lexicon: str | None,
    jobs: int | None,
    **filters: Any,
) -> None:
    """Draw events as an interactive, layered HTML map.

    INPUT is an events file (.geojson, .gpkg, .csv, .parquet, .kml), a GeoParquet
    dataset folder, a PostGIS store (postgresql://…), or article files and
    folders, which are read and turned into events on the fly (see --jobs).

    \b
    The query filters (--near-border, --near, --province, --theme, --since,
    --until) draw only the events a query would return.

    \b
    Example:
      nkmap map samples/ --offline -o map.html
      nkmap map samples/ --near-border 20 --since 2024 -o border-2024.html
    """
    if output.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"{output}: the map is an HTML file; name it *.html")
    from maps.interactive import interactive_map, save_map

    loaded, failures = load_inputs(
        inputs, jobs=jobs, theme=filters["theme"], since=filters["since"], until=filters["until"]
    )
    from nkmap.themes import load_theme_table

    table = load_theme_table(lexicon)
    events = apply_filters(loaded, theme_table=table, **filters)
    if len(events) == 0:
        warn("no events found: the map shows the region and reference layers only")
    else:
        geom = events.geometry
        missing = int((geom.isna() | geom.is_empty).sum())
        if missing:
            warn(f"{missing} of {plural(len(events), 'event')} have no coordinates: not drawn")
    m = interactive_map(
        events,
        offline=offline,
        cluster=not no_cluster,
        heat=not no_heat,
        minimap=not no_minimap,
        title=title,
        theme_table=table,
    )
    save_map(m, output)
    size = output.stat().st_size
    click.echo(f"{output}: {plural(len(events), 'event')}, {size / 1e6:.1f} MB")
    exit_if_failed(failures)


@main.group("assets")
def assets_group() -> None:
    """Pinned JavaScript/CSS for interactive maps: list where each comes from, or fetch.

    Leaflet and Leaflet.markercluster are installed by pip with nkmap (XStatic
    wheels); only the optional heat-map script is fetched, with npm.

    \b
    Example:
      nkmap assets list && nkmap assets fetch leaflet.heat
    """


@assets_group.command("fetch")
@click.argument("names", nargs=-1)
@click.option(
    "--from",
    "source",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A folder of package tarballs (npm pack output) instead of the npm client.",
)
@click.option("--force", is_flag=True, help="Fetch again even when already cached.")
def assets_fetch(names: tuple[str, ...], source: Path | None, force: bool) -> None:
    """Fetch the optional npm packages, verify their checksums, and cache the files used.

    NAMES limits the fetch to some packages (default: all; pip's are only
    checked).  npm gets 30 s; on a dead network the fetch stops with one line
    saying what to do, and maps still work without the heat layer.

    \b
    Example:
      nkmap assets fetch leaflet.heat
    """
    from maps.assets import fetch

    for st in fetch(list(names) or None, source=source, force=force):
        where = "installed by pip" if st.package.source == "pypi" else "cached"
        click.echo(f"{st.package.spec}: {where} in {st.folder}")


@assets_group.command("list")
@json_option
def assets_list(as_json: bool) -> None:
    """List the pinned packages, their versions, where they come from and whether they are there.

    \b
    Example:
      nkmap assets list --json
    """
    from maps.assets import status

    rows = [
        {
            "name": st.package.name,
            "version": st.package.version,
            "source": st.package.source,
            "integrity": st.package.integrity,
            "available": st.cached,
            "folder": str(st.folder) if st.folder else None,
            "missing": list(st.missing),
            "install": st.package.install_hint,
        }
        for st in status()
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    table = [
        [
            f"{row['name']}@{row['version']}",
            str(row["source"]),
            "present" if row["available"] else f"MISSING: {row['install']}",
            str(row["folder"] or ""),
        ]
        for row in rows
    ]
    click.echo(aligned(table, ["package", "from", "state", "folder"]))
