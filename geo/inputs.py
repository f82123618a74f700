"""Inputs of the map, static, query and summary commands: events, wherever they are.

An input is an events file (GeoJSON, GeoPackage, CSV, GeoParquet, KML written by nkmap), a
partitioned GeoParquet dataset (a folder named ``*.parquet``, as ``nkmap events
--scheduler`` writes), a PostGIS store (``postgresql://…``), or article files and folders,
which go through the one extraction pipeline (:class:`geo.pipeline.Pipeline`).
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.listing import ReadFailure, ReadWarning
from nkmap.errors import DataError, FileError, InputError, NkmapError
from nkmap.formats import suffixes

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame

#: Extensions read as events files (anything else is read as articles).
EVENT_SUFFIXES = tuple(
    s for s in suffixes("events", read=True) if s not in (".json",)
)  # a .json is an article unless it holds GeoJSON
_PARQUET = (".parquet", ".geoparquet")


@dataclass(frozen=True)
class Pushdown:
    """What a reader may leave out early: columns not needed, themes and dates not wanted.

    Readers that can (GeoParquet files and datasets) apply these while reading; the caller
    still applies its full filters afterwards, so a reader may return more than asked.
    """

    columns: Sequence[str] | None = None
    themes: Sequence[str] | None = None
    since: Any = None
    until: Any = None


def is_events_file(path: Path) -> bool:
    """Return True when ``path`` holds events (by extension, a GeoJSON ``.json``, or a
    GeoParquet dataset folder)."""
    if path.suffix.lower() in EVENT_SUFFIXES:
        return True
    if path.suffix.lower() == ".json" and path.is_file():
        with path.open("rb") as fh:
            head = fh.read(4096)
        return b'"FeatureCollection"' in head
    return False


def _read_parquet(path: Path, pushdown: Pushdown) -> Any:
    """Read a GeoParquet file or dataset folder, only the columns, themes and dates wanted."""
    import datetime as dt

    import geopandas as gpd
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    from geo.query import parse_date

    dataset = ds.dataset(path, format="parquet")
    names = set(dataset.schema.names)
    columns = None
    if pushdown.columns is not None:
        columns = [c for c in dict.fromkeys([*pushdown.columns, "geometry"]) if c in names]
    expression = None

    def both(e: Any) -> Any:
        return e if expression is None else expression & e

    if pushdown.themes and "theme" in names:
        wanted = sorted({t.lower() for t in pushdown.themes})
        expression = both(pc.utf8_lower(pc.field("theme")).isin(wanted))
    date_type = dataset.schema.field("date").type if "date" in names else None
    if date_type is not None and str(date_type) == "date32[day]":
        if pushdown.since is not None:
            since: dt.date = parse_date(pushdown.since).date()
            expression = both(pc.field("date") >= since)
        if pushdown.until is not None:
            until: dt.date = parse_date(pushdown.until, end=True).date()
            expression = both(pc.field("date") < until)
    return gpd.read_parquet(path, columns=columns, filters=expression)


def _gpkg_layer(path: Path) -> str | None:
    """Return the layer to read from a GeoPackage: ``events`` when present, else its only
    feature layer (None: let GDAL choose)."""
    import pyogrio

    layers = [(str(name), kind) for name, kind in pyogrio.list_layers(path)]
    names = [name for name, _ in layers]
    if "events" in names:
        return "events"
    spatial = [name for name, kind in layers if kind]
    return spatial[0] if len(spatial) == 1 else None


def _read_frame(path: Path, pushdown: Pushdown) -> Any:
    """Return the table stored in ``path`` as its format's reader gives it (a CSV as a plain
    DataFrame), not yet checked against the contract.

    Raises:
        DataError: the file cannot be parsed as its format.
    """
    import geopandas as gpd
    import pandas as pd

    suffix = path.suffix.lower()
    try:
        if suffix in _PARQUET:
            return _read_parquet(path, pushdown)
        if path.is_dir():
            raise DataError(f"{path}: is a folder, not an events file")
        if suffix == ".csv":
            return pd.read_csv(path)
        if suffix == ".kml":
            from geo.kml import read_kml

            return read_kml(path)
        if suffix == ".gpkg":
            return gpd.read_file(path, layer=_gpkg_layer(path))
        return gpd.read_file(path)
    except NkmapError:
        raise
    except Exception as exc:  # GDAL, pyarrow and pandas raise many kinds
        raise DataError(f"{path}: not a readable events file ({exc})") from exc


def read_events_file(
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] | None = None,
    require: Mapping[str, str] | None = None,
    **pushdown: Any,
) -> EventsFrame:
    """Return the events table stored in ``path`` (GeoJSON, GeoPackage, CSV, KML,
    GeoParquet file or dataset folder), checked against the contract (:mod:`geo.contract`).

    Dates come back as ``datetime64`` (``NaT`` where unknown); a CSV needs ``lat``/``lon``
    columns or a WKT ``geometry`` column.  ``columns`` (and ``themes``, ``since``, ``until``,
    see :class:`Pushdown`) let a GeoParquet reader skip what is not needed; ``require`` maps
    columns that must be there to what needs them.

    Raises:
        FileError: the file does not exist or cannot be read.
        DataError: the file is not an events table, or a column of it breaks the contract
            (the message names the file and the column).
    """
    from geo.contract import validate

    path = Path(path)
    if not path.exists():
        raise FileError(f"{path}: no such file")
    if path.is_file() and path.stat().st_size == 0:
        raise DataError(f"{path}: the file is empty")
    gdf = validate(_read_frame(path, Pushdown(columns, **pushdown)), path, require=require)
    if columns is not None:
        keep = [c for c in dict.fromkeys(columns) if c in gdf.columns]
        gdf = gdf[[*keep, gdf.geometry.name]]
    return gdf


def _failure(path: str, exc: NkmapError) -> ReadFailure:
    """Return the ReadFailure of an error whose message starts with the path."""
    message = str(exc)
    reason = message[len(path) + 2 :] if message.startswith(f"{path}: ") else message
    return ReadFailure(path, reason)


def _is_url(text: str) -> bool:
    return re.match(r"^postgres(?:ql)?://", text) is not None


def load_events(
    paths: Sequence[str | os.PathLike[str]],
    *,
    jobs: int | None = 1,
    on_error: str = "warn",
    failures: list[ReadFailure] | None = None,
    columns: Sequence[str] | None = None,
    themes: Sequence[str] | None = None,
    since: Any = None,
    until: Any = None,
    require: Mapping[str, str] | None = None,
    progress: Callable[[Any], None] | None = None,
    **extract_options: Any,
) -> EventsFrame:
    """Return one events table from events files, datasets, stores and articles.

    Events files, GeoParquet datasets and PostGIS stores (``postgresql://…``) are read as
    they are, only ``columns`` and (where the reader can) the ``themes`` and dates in
    ``since``–``until``; every other path is read as articles and run through the pipeline
    on ``jobs`` processes (``None``: every core) with ``extract_options`` (``date``,
    ``lexicon``, ``gazetteer``).  An input that cannot be read follows ``on_error``:
    ``"raise"``; ``"warn"`` (a :class:`~geo.listing.ReadWarning`) or ``"skip"``, each then
    appended to ``failures`` when a list is given while the rest is read.  The filters are
    hints: call :func:`geo.query.query` for the exact selection.  Every events file and
    store is checked against the contract (:mod:`geo.contract`); ``require`` maps columns
    that each must have to what needs them.

    Raises:
        FileError, DataError: an input cannot be read, or breaks the contract
            (``on_error="raise"``).
        InputError: ``on_error`` is not one of the three policies.
    """
    import geopandas as gpd
    import pandas as pd

    if on_error not in ("raise", "warn", "skip"):
        raise InputError(f"on_error={on_error!r}: expected 'raise', 'warn' or 'skip'")
    failed: list[ReadFailure] = [] if failures is None else failures
    frames = []
    article_paths: list[Path] = []
    hints = {"themes": themes, "since": since, "until": until}
    for raw in paths:
        text = str(raw)
        try:
            if _is_url(text):
                from geo.postgis import PostGISStore

                store = PostGISStore(text, create=False)
                try:
                    frames.append(store.read(columns, require=require))
                finally:
                    store.close()
            elif is_events_file(Path(text)):
                frames.append(read_events_file(text, columns=columns, require=require, **hints))
            else:
                article_paths.append(Path(text))
        except NkmapError as exc:
            if on_error == "raise":
                raise
            failure = _failure(text, exc)
            failed.append(failure)
            if on_error == "warn":
                warnings.warn(str(failure), ReadWarning, stacklevel=2)
    if article_paths:
        from geo.event_records import events_frame
        from geo.pipeline import Pipeline

        pipeline = Pipeline(
            article_paths,
            jobs=jobs,
            on_error=on_error,
            keep_text=False,
            progress=progress,
            **extract_options,
        )
        events = [e for batch in pipeline for e in batch.events]
        failed.extend(pipeline.failures)
        frame = events_frame(events)
        if columns is not None:
            frame = frame[[c for c in dict.fromkeys([*columns, "geometry"]) if c in frame]]
        frames.append(frame)
    frames = [f for f in frames if len(f)]
    if not frames:
        from geo.event_records import empty_events

        return empty_events()
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326)
