"""Inputs of the map, static and query commands: events files, or articles processed on the fly."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gazetteer.errors import DataError, FileError

#: Extensions read as events files (anything else is read as articles).
EVENT_SUFFIXES = (".geojson", ".gpkg", ".csv", ".parquet", ".geoparquet")


def is_events_file(path: Path) -> bool:
    """Return True when ``path`` holds events (by extension, or a GeoJSON ``.json``)."""
    if path.suffix.lower() in EVENT_SUFFIXES:
        return True
    if path.suffix.lower() == ".json" and path.is_file():
        with path.open("rb") as fh:
            head = fh.read(4096)
        return b'"FeatureCollection"' in head
    return False


def read_events_file(path: str | Path) -> Any:
    """Return the events GeoDataFrame stored in ``path`` (GeoJSON, GeoPackage, CSV, GeoParquet).

    Dates come back as ``datetime64`` (``NaT`` where unknown); a CSV needs
    ``lat``/``lon`` columns or a WKT ``geometry`` column.

    Raises:
        FileError: the file does not exist or cannot be read.
        DataError: the file is not an events table.
    """
    import geopandas as gpd
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise FileError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise DataError(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".geoparquet"):
            gdf = gpd.read_parquet(path)
        elif suffix == ".csv":
            df = pd.read_csv(path)
            if {"lat", "lon"} <= set(df.columns):
                geom = gpd.points_from_xy(df["lon"], df["lat"])
                gdf = gpd.GeoDataFrame(df.drop(columns=["lat", "lon"]), geometry=geom, crs=4326)
            elif "geometry" in df.columns:
                geom = gpd.GeoSeries.from_wkt(df["geometry"].fillna(""), on_invalid="ignore")
                gdf = gpd.GeoDataFrame(df.drop(columns=["geometry"]), geometry=geom, crs=4326)
            else:
                raise DataError(f"{path}: a CSV of events needs lat/lon or geometry columns")
        else:
            gdf = gpd.read_file(path)
    except DataError:
        raise
    except Exception as exc:  # GDAL, pyarrow and pandas raise many kinds
        raise DataError(f"{path}: not a readable events file ({exc})") from exc
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    elif gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    from geo.events import DATE_COLUMNS

    for c in DATE_COLUMNS:
        if c in gdf.columns:
            try:
                gdf[c] = pd.to_datetime(gdf[c], errors="coerce")
            except (ValueError, TypeError):  # mixed time zones or types: as UTC, naive
                dates = pd.to_datetime(gdf[c].astype(str), errors="coerce", utc=True)
                gdf[c] = dates.dt.tz_localize(None)
    return gdf


def load_events(paths: Sequence[str | Path], **extract_options: Any) -> Any:
    """Return one events GeoDataFrame from events files and/or article files and folders.

    Events files are read as they are; every other path is read as articles
    and run through :func:`geo.events.extract_events` with ``extract_options``.

    Raises:
        FileError, DataError: as :func:`read_events_file` and the article readers.
    """
    import geopandas as gpd
    import pandas as pd

    frames = []
    article_paths: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if is_events_file(path):
            frames.append(read_events_file(path))
        else:
            article_paths.append(path)
    if article_paths:
        from geo.events import extract_events

        frames.append(extract_events(article_paths, **extract_options))
    frames = [f for f in frames if len(f)]
    if not frames:
        from geo.events import empty_events

        return empty_events()
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326)
