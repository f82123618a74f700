"""``nkmap events``, ``nkmap mentions`` and ``nkmap ingest``: articles → events."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import click

from geo.cli.base import (
    aligned,
    exit_if_failed,
    json_option,
    main,
    one_line,
    output_option,
    plural,
    progress,
    warn,
)


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


def _process(
    paths: tuple[str, ...], date: str | None, lexicon: str | None, skip: set[str] | None = None
) -> tuple[list[Any], list[Any]]:
    """Return (results, failures) for the articles under ``paths``, with a progress bar."""
    from geo.article import ReadFailure, expand_paths, read_articles
    from geo.events import EventExtractor
    from geo.themes import load_themes

    override = _parse_date(date)
    extractor = EventExtractor(themes=load_themes(lexicon) if lexicon else None)
    files, failures = expand_paths(paths)
    for failure in failures:
        warn(str(failure))
    results = []
    for path in progress(files, total=len(files), label="articles"):
        read = read_articles([path], on_error="skip", date=override)
        for failure in read.failures:
            warn(str(failure))
        failures += read.failures
        for article in read.articles:
            if skip is not None and article.content_hash in skip:
                continue
            try:
                results.append(extractor.process(article))
            except Exception as exc:  # the input boundary: one article never costs the batch
                failure = ReadFailure(str(path), f"events not extracted ({one_line(exc)})")
                warn(str(failure))
                failures.append(failure)
    return results, failures


def _finish(failures: list[Any], done: str) -> None:
    click.echo(done, err=True)
    exit_if_failed(failures)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@output_option
@article_options
@json_option
def events(
    paths: tuple[str, ...], output: str | None, date: str | None, lexicon: str | None, as_json: bool
) -> None:
    """Extract located, dated, cited events from articles (files or folders).

    Writes GeoJSON, GeoPackage, CSV, GeoParquet or KML by the extension of
    -o; without -o prints a table (or GeoJSON with --json). Exit status 1
    when some inputs could not be read (each is named on stderr).

    \b
    Example:
      nkmap events samples/ -o events.geojson
    """
    from geo.events import events_frame
    from geo.store import write_events

    results, failures = _process(paths, date, lexicon)
    frame = events_frame([e for r in results for e in r.events])
    if output:
        write_events(frame, output)
        done = f"{_counts(len(frame), len(results))} written to {output}"
    elif as_json:
        from geo.store import _serialisable

        click.echo(_serialisable(frame).to_json(drop_id=True, ensure_ascii=False, indent=1))
        done = _counts(len(frame), len(results))
    else:
        if len(frame):
            click.echo(event_table(frame))
        done = _counts(len(frame), len(results))
    _finish(failures, done)


def _counts(events: int, articles: int) -> str:
    """Return ``"N events from M articles"`` with correct plurals."""
    return f"{plural(events, 'event')} from {plural(articles, 'article')}"


def _date_text(value: Any) -> str:
    """Return a date as ``YYYY-MM-DD``, or ``undated`` when missing."""
    text = "" if value is None else str(value)
    return text[:10] if text and text not in ("NaT", "None", "nan") else "undated"


def event_table(frame: Any, evidence: int = 90) -> str:
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
def mentions(paths: tuple[str, ...], date: str | None, lexicon: str | None, as_json: bool) -> None:
    """Show every place mention and event of each article, with character offsets.

    Offsets refer to the article's cleaned text (printed with --json as
    "text"). Exit status 1 when some inputs could not be read.

    \b
    Example:
      nkmap mentions samples/ --json
    """
    results, failures = _process(paths, date, lexicon)
    records = [
        {
            "text_file": r.article.text_file,
            "path": r.article.path,
            "article_id": r.article.article_id,
            "title": r.article.title,
            "date": r.article.date.isoformat() if r.article.date else None,
            "text": r.article.text,
            "mentions": [_mention_record(m) for m in r.mentions],
            "events": [_event_record(e) for e in r.events],
        }
        for r in results
    ]
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
    else:
        for rec in records:
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
    _finish(failures, plural(len(records), "article"))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--db",
    required=True,
    type=click.Path(dir_okay=False),
    help="The GeoPackage store (created if missing).",
)
@article_options
def ingest(paths: tuple[str, ...], db: str, date: str | None, lexicon: str | None) -> None:
    """Add articles' events to a GeoPackage store; articles already in it are skipped.

    An article is recognised by the hash of its content, so renamed or
    copied files are not ingested twice.

    \b
    Example:
      nkmap ingest reports/ --db events.gpkg
    """
    from geo.events import events_frame
    from geo.store import add_to_store, ingested_hashes

    seen = ingested_hashes(db)
    results, failures = _process(paths, date, lexicon, skip=seen)
    fresh: dict[str, Any] = {}
    for r in results:
        fresh.setdefault(r.article.content_hash, r)
    frame = events_frame([e for r in fresh.values() for e in r.events])
    if fresh:
        add_to_store(
            db,
            frame,
            [
                {
                    "content_hash": r.article.content_hash,
                    "article_id": r.article.article_id,
                    "path": r.article.path,
                    "title": r.article.title,
                    "date": r.article.date.isoformat() if r.article.date else "",
                }
                for r in fresh.values()
            ],
        )
    _finish(
        failures,
        f"ingested {plural(len(fresh), 'new article')} ({plural(len(frame), 'event')}) "
        f"into {db}; {len(seen)} {'was' if len(seen) == 1 else 'were'} already there",
    )
