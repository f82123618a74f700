"""``nkmap query`` and ``nkmap summary``: which events lie near the border, a place, in a period."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import click

from geo.cli.base import (
    exit_if_failed,
    jobs_option,
    json_option,
    load_inputs,
    main,
    output_option,
    plural,
)
from geo.cli.filters import apply_filters, query_filters
from geo.query import SUMMARY_KEYS

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame

#: Terminal table columns: (column, header, width); the evidence column takes what is left.
TABLE_COLUMNS = (
    ("date", "date", 10),
    ("theme", "theme", 11),
    ("place", "place", 18),
    ("admin1", "admin1", 14),
    ("precision", "precision", 9),
    ("distance_km", "distance_km", 11),
    ("measured_from", "from", 9),
    ("corridor", "corridor", 19),
    ("evidence", "evidence", 50),
)

#: Fields of ``nkmap query --json``, in order (those the events have).
JSON_FIELDS = (
    "event_id",
    "date",
    "theme",
    "place",
    "place_id",
    "country",
    "admin1",
    "precision",
    "distance_km",
    "measured_from",
    "crossing",
    "crossing_km",
    "corridor",
    "evidence",
    "title",
    "source",
    "url",
)


def _text(value: Any) -> str:
    """Return a cell's text: dates as YYYY-MM-DD, numbers to 0.1, missing as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.1f}"
    if hasattr(value, "strftime"):
        try:
            return str(value.strftime("%Y-%m-%d"))
        except ValueError:  # NaT
            return ""
    return " ".join(str(value).split())


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(events: EventsFrame) -> str:
    """Return the events as a plain-text table, one line each, with a count line at the end."""
    columns = [(c, h, w) for c, h, w in TABLE_COLUMNS if c in events.columns]
    lines = ["  ".join(h.ljust(w) for _, h, w in columns).rstrip()]
    for row in events[[c for c, _, _ in columns]].itertuples(index=False):
        cells = [_cell(_text(v), w).ljust(w) for v, (_, _, w) in zip(row, columns, strict=True)]
        lines.append("  ".join(cells).rstrip())
    lines.append(plural(len(events), "event"))
    return "\n".join(lines)


def _json_value(value: Any) -> Any:
    """Return a JSON-ready cell: dates as YYYY-MM-DD, numbers rounded, missing as None."""
    import pandas as pd

    if hasattr(value, "strftime"):
        return _text(value) or None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if value is None or (not isinstance(value, str) and bool(pd.isna(value))):
        return None
    if isinstance(value, float):
        return round(value, 3)
    return value


def records(events: EventsFrame) -> list[dict[str, Any]]:
    """Return the events as JSON-ready dicts: :data:`JSON_FIELDS` present, then lat and lon."""
    from geo.corridors import lonlat

    fields = [f for f in JSON_FIELDS if f in events.columns]
    lon, lat = lonlat(events)
    out = []
    for i, row in enumerate(events[fields].itertuples(index=False)):
        record = {f: _json_value(v) for f, v in zip(fields, row, strict=True)}
        record["lat"] = None if math.isnan(lat[i]) else round(float(lat[i]), 6)
        record["lon"] = None if math.isnan(lon[i]) else round(float(lon[i]), 6)
        out.append(record)
    return out


#: Columns ``nkmap summary`` reads (what its counts and filters look at).
SUMMARY_COLUMNS = (
    "event_id",
    "theme",
    "category",
    "date",
    "admin1",
    "precision",
    "place",
    "place_id",
)


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@query_filters
@output_option
@json_option
@jobs_option
def query(
    inputs: tuple[str, ...], output: str | None, as_json: bool, jobs: int | None, **filters: Any
) -> None:
    """Find events near a border, near a place, in a province, period or theme.

    INPUT is an events file (GeoJSON, GeoPackage, CSV, GeoParquet, KML), a GeoParquet
    dataset folder, a PostGIS store (postgresql://…), or articles (files or folders),
    which are read and turned into events first (see --jobs).  Distances are true kilometres;
    each result has distance_km (to --near's place if given, else to --border) and the
    nearest crossing's corridor (empty beyond 50 km).  Prints a table by date, or with -o
    writes CSV, GeoJSON or GeoPackage by the file's extension.

    \b
    Example:
      nkmap query samples/ --near-border 20 --since 2024 -o border.geojson
    """
    from geo.query import query as run_query

    events, failures = load_inputs(
        inputs,
        jobs=jobs,
        columns=None if output else JSON_FIELDS,
        theme=filters["theme"],
        since=filters["since"],
        until=filters["until"],
    )
    result = apply_filters(events, **filters)
    if result is events:  # no filter: still annotate, so every row has distance_km
        result = run_query(
            events,
            border=filters.get("border") or "china",
            approximate=bool(filters.get("approximate")),
        )
    if len(result) and {"date", "distance_km"} <= set(result.columns):
        result = result.sort_values(["date", "distance_km"], na_position="last", kind="stable")
    if output:
        from geo.store import write_events

        write_events(result, output)
        click.echo(f"{plural(len(result), 'event')} written to {output}", err=True)
    elif as_json:
        click.echo(json.dumps(records(result), ensure_ascii=False, indent=1))
    else:
        click.echo(format_table(result))
    exit_if_failed(failures)


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--by",
    type=click.Choice(SUMMARY_KEYS),
    default="corridor",
    show_default=True,
    help="What to count events by (province: the events' admin1).",
)
@query_filters
@json_option
@jobs_option
def summary(
    inputs: tuple[str, ...], by: str, as_json: bool, jobs: int | None, **filters: Any
) -> None:
    """Count events by corridor, province, theme or month, after the same filters as query.

    \b
    Example:
      nkmap summary samples/ --near-border 20 --by corridor
    """
    from geo.query import summary as count

    loaded, failures = load_inputs(
        inputs,
        jobs=jobs,
        columns=SUMMARY_COLUMNS,
        theme=filters["theme"],
        since=filters["since"],
        until=filters["until"],
    )
    events = apply_filters(loaded, **filters)
    table = count(events, by=by)
    if as_json:
        rows = [{by: k, "events": int(n)} for k, n in zip(table[by], table["events"], strict=True)]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        exit_if_failed(failures)
        return
    width = max([len(by), *(len(k) for k in table[by])])
    lines = [f"{by.ljust(width)}  events"]
    lines += [
        f"{k.ljust(width)}  {int(n):>6}" for k, n in zip(table[by], table["events"], strict=True)
    ]
    lines.append(f"{'total'.ljust(width)}  {len(events):>6}")
    click.echo("\n".join(lines))
    exit_if_failed(failures)
