"""``nkmap events``, ``nkmap mentions`` and ``nkmap ingest``: articles → events."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geo.cli.base import (
    aligned,
    exit_if_failed,
    jobs_option,
    json_option,
    main,
    plural,
    progress_callback,
    report_failures,
)
from nkmap.errors import InputError

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from geo.dates import DATE_RANGE_TEXT, sane_date

    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--date"
        ) from exc
    if sane_date(day) is None:
        raise click.BadParameter(f"{value} is {DATE_RANGE_TEXT}", param_hint="--date")
    return day


def article_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options every article-reading command shares: ``--date`` and ``--lexicon``."""
    f = click.option(
        "--date",
        "date",
        metavar="YYYY-MM-DD",
        help="Publication date for every article (overrides what the text says).",
    )(f)
    return click.option(
        "--lexicon",
        type=click.Path(dir_okay=False),
        help="A JSON theme lexicon extending the built-in themes.",
    )(f)


def _pipeline(
    paths: tuple[str, ...],
    date: str | None,
    lexicon: str | None,
    jobs: int | None,
    progress: Any,
    **options: Any,
) -> Any:
    """Return the extraction pipeline over ``paths`` (failures recorded, printed by the caller)."""
    from geo.pipeline import Pipeline

    return Pipeline(
        paths,
        date=_parse_date(date),
        lexicon=lexicon,
        jobs=jobs,
        on_error="skip",
        progress=progress,
        **options,
    )


def _finish(failures: list[Any], done: str) -> None:
    click.echo(done, err=True)
    exit_if_failed(failures)


def _on_cluster(
    paths: tuple[str, ...],
    output: str | None,
    scheduler: str,
    date: str | None,
    lexicon: str | None,
) -> None:
    """``nkmap events --scheduler``: extract on a Dask cluster into a GeoParquet dataset."""
    from geo.cluster import extract_to_dataset

    if not output or Path(output).suffix.lower() not in (".parquet", ".geoparquet"):
        raise InputError(
            "--scheduler writes a partitioned GeoParquet dataset: give -o NAME.parquet"
        )
    with progress_callback() as bar:
        run = extract_to_dataset(
            paths,
            output,
            scheduler=scheduler,
            date=_parse_date(date),
            lexicon=lexicon,
            progress=bar,
        )
    report_failures(run.failures)
    _finish(
        run.failures,
        f"{_counts(run.events, run.articles)} written to {output} "
        f"({plural(run.parts, 'part')}, on {plural(run.workers, 'worker')})",
    )


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o",
    "--output",
    type=click.Path(writable=True),
    help="Write to FILE; the format follows its extension (a folder with --scheduler).",
)
@article_options
@json_option
@jobs_option
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Extract on a Dask cluster (tcp://HOST:PORT) into a GeoParquet dataset folder "
    "(-o NAME.parquet); needs pip install 'nkmap[dask]'.",
)
def events(
    paths: tuple[str, ...],
    output: str | None,
    date: str | None,
    lexicon: str | None,
    as_json: bool,
    jobs: int | None,
    scheduler: str | None,
) -> None:
    """Extract located, dated, cited events from articles (files or folders).

    Writes GeoJSON, GeoPackage, CSV, GeoParquet or KML by the extension of
    -o; without -o prints a table (or GeoJSON with --json). Articles are
    read and written a batch at a time, on every core (see --jobs), or on
    a Dask cluster with --scheduler. Exit status 1 when some inputs could
    not be read (each is named on stderr).

    \b
    Example:
      nkmap events samples/ -o events.geojson
      nkmap events archive/ --scheduler tcp://10.0.0.5:8786 -o events.parquet
    """
    from geo.records import event_rows, event_schema
    from geo.writers import GeoJSONWriter, format_of, open_writer

    if scheduler:
        _on_cluster(paths, output, scheduler, date, lexicon)
        return
    if output:
        format_of(output)  # a bad extension fails before any work
    schema = event_schema()
    with progress_callback() as bar:
        pipeline = _pipeline(paths, date, lexicon, jobs, bar, keep_text=False)
        if output:
            with open_writer(output, schema) as writer:
                for batch in pipeline:
                    report_failures(batch.failures)
                    writer.write(list(event_rows(batch.events, schema)))
            done = f"{_counts(pipeline.events, pipeline.articles)} written to {output}"
        elif as_json:
            stream = GeoJSONWriter(click.get_text_stream("stdout"), schema, indent=1)
            for batch in pipeline:
                report_failures(batch.failures)
                stream.write(list(event_rows(batch.events, schema)))
            stream.close()
            done = _counts(pipeline.events, pipeline.articles)
        else:  # an aligned table needs every row first (a terminal's worth of events)
            from geo.event_records import events_frame

            found = []
            for batch in pipeline:
                report_failures(batch.failures)
                found += batch.events
            if found:
                click.echo(event_table(events_frame(found)))
            done = _counts(pipeline.events, pipeline.articles)
    _finish(pipeline.failures, done)


def _counts(events: int, articles: int) -> str:
    """Return ``"N events from M articles"`` with correct plurals."""
    return f"{plural(events, 'event')} from {plural(articles, 'article')}"


def _date_text(value: Any) -> str:
    """Return a date as ``YYYY-MM-DD``, or ``undated`` when missing."""
    text = "" if value is None else str(value)
    return text[:10] if text and text not in ("NaT", "None", "nan") else "undated"


def event_table(frame: EventsFrame, evidence: int = 90) -> str:
    """Return events as an aligned table: date, date precision, theme, place [precision], quote."""
    rows = []
    for row in frame.itertuples(index=False):
        date_text = _date_text(row.date)
        dp = str(row.date_precision or "") if date_text != "undated" else ""
        quote = " ".join(str(row.evidence or "").split())
        if len(quote) > evidence:
            quote = quote[: evidence - 1] + "…"
        place = f"{row.place} [{row.precision}]"
        rows.append([date_text, dp, str(row.theme), place, quote])
    return aligned(rows, ["date", "dated by", "theme", "place [precision]", "evidence"])


def _mention_record(m: Any) -> dict[str, Any]:
    return {
        "surface": m.surface,
        "start": m.start,
        "end": m.end,
        "place_id": m.place_id,
        "name": m.name,
        "country": m.country,
        "kind": m.kind,
        "lat": m.lat,
        "lon": m.lon,
        "confidence": m.confidence,
        "matched_by": m.matched_by,
    }


def _event_record(e: Any) -> dict[str, Any]:
    return {
        "theme": e.theme,
        "place": e.place,
        "place_id": e.place_id,
        "precision": e.precision,
        "lat": e.lat,
        "lon": e.lon,
        "date": e.date.isoformat() if e.date else None,
        "date_precision": e.date_precision,
        "evidence": e.evidence,
        "evidence_start": e.evidence_start,
        "evidence_end": e.evidence_end,
        "confidence": e.confidence,
    }


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@article_options
@json_option
@jobs_option
def mentions(
    paths: tuple[str, ...], date: str | None, lexicon: str | None, as_json: bool, jobs: int | None
) -> None:
    """Show every place mention and event of each article, with character offsets.

    Offsets refer to the article's cleaned text (printed with --json as
    "text"). Exit status 1 when some inputs could not be read.

    \b
    Example:
      nkmap mentions samples/ --json
    """
    with progress_callback() as bar:
        pipeline = _pipeline(paths, date, lexicon, jobs, bar)
        first = True
        if as_json:
            click.echo("[", nl=False)
        for batch in pipeline:
            report_failures(batch.failures)
            for r in batch.results:
                rec = _article_record(r)
                if as_json:
                    text = json.dumps(rec, ensure_ascii=False, indent=1)
                    click.echo(("\n" if first else ",\n") + textwrap.indent(text, " "), nl=False)
                else:
                    _print_mentions(rec)
                first = False
        if as_json:
            click.echo("]" if first else "\n]")
    _finish(pipeline.failures, plural(pipeline.articles, "article"))


def _article_record(r: Any) -> dict[str, Any]:
    return {
        "text_file": r.article.text_file,
        "path": r.article.path,
        "article_id": r.article.article_id,
        "title": r.article.title,
        "date": r.article.date.isoformat() if r.article.date else None,
        "text": r.article.text,
        "mentions": [_mention_record(m) for m in r.mentions],
        "events": [_event_record(e) for e in r.events],
    }


def _print_mentions(rec: dict[str, Any]) -> None:
    click.echo(f"{rec['text_file']}  {rec['date'] or 'undated'}  {rec['title']}")
    for m in rec["mentions"]:
        click.echo(
            f"  {m['start']:>6}-{m['end']:<6} {m['surface']!r} → {m['name']} "
            f"[{m['kind']}, {m['country']}] {m['confidence']:.2f} {m['matched_by']}"
        )
    for e in rec["events"]:
        click.echo(
            f"  event {e['theme']} @ {e['place']} ({e['precision']}) "
            f"{e['date'] or 'undated'} "
            f"[{e['evidence_start']}:{e['evidence_end']}]"
        )


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--db",
    required=True,
    metavar="STORE",
    help="The store: a GeoPackage file (created if missing) or a PostGIS database "
    "(postgresql://USER@HOST/DB; needs pip install 'nkmap[postgis]').",
)
@article_options
@jobs_option
def ingest(
    paths: tuple[str, ...], db: str, date: str | None, lexicon: str | None, jobs: int | None
) -> None:
    """Add articles' events to a store; articles already in it are skipped.

    An article is recognised by the hash of its content, so renamed or
    copied files are not ingested twice.  New rows are appended a batch at
    a time, each batch in one transaction; nothing stored is rewritten.

    \b
    Example:
      nkmap ingest reports/ --db events.gpkg
      nkmap ingest reports/ --db postgresql://analyst@dbhost/nkmap
    """
    import datetime as dt

    from geo.records import article_record, event_rows, event_schema
    from geo.store import open_store

    store = open_store(db)
    schema = event_schema()
    try:
        seen = store.hashes()
        with progress_callback() as bar:
            pipeline = _pipeline(
                paths, date, lexicon, jobs, bar, skip=seen, unique=True, keep_text=False
            )
            for batch in pipeline:
                report_failures(batch.failures)
                now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                store.append(
                    list(event_rows(batch.events, schema)),
                    [article_record(r, now) for r in batch.results],
                )
    finally:
        store.close()
    _finish(
        pipeline.failures,
        f"ingested {plural(pipeline.articles, 'new article')} "
        f"({plural(pipeline.events, 'event')}) into {store.name}; "
        f"{len(seen)} {'was' if len(seen) == 1 else 'were'} already there",
    )
