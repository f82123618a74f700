"""Writing events: GeoJSON, GeoPackage, CSV, GeoParquet or KML by extension, and the store.

Every file is written atomically (temporary file beside it, then renamed).
The store is a GeoPackage with two layers: ``events`` and ``articles`` (one
row per ingested article, with its content hash, so ingesting again skips it).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from gazetteer.atomic import atomic_path, write_text
from gazetteer.errors import DataError, InputError

#: Output formats by extension.
FORMATS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GPKG",
    ".csv": "CSV",
    ".parquet": "GeoParquet",
    ".geoparquet": "GeoParquet",
    ".kml": "KML",
}


def _serialisable(events: Any) -> Any:
    import pandas as pd

    from geo.events import DATE_COLUMNS

    out = events.copy()
    for c in DATE_COLUMNS:
        if c in out.columns:
            day = pd.to_datetime(out[c], errors="coerce")
            out[c] = day.dt.strftime("%Y-%m-%d").where(day.notna(), None)
    return out


def write_events(events: Any, path: str | os.PathLike[str]) -> Path:
    """Write an events GeoDataFrame to ``path`` in the format its extension names; return the path.

    Raises:
        InputError: the extension names no supported format.
        FileError: the file cannot be written.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"{path}: unknown output format {path.suffix!r} (use one of {known})")
    if fmt == "KML":
        write_text(path, to_kml(events))
        return path
    with atomic_path(path) as tmp:
        if fmt == "CSV":
            frame = _serialisable(events)
            frame["lat"] = events.geometry.y.round(6)
            frame["lon"] = events.geometry.x.round(6)
            frame.drop(columns="geometry").to_csv(tmp, index=False)
        elif fmt == "GeoParquet":
            events.to_parquet(tmp)
        elif fmt == "GPKG":
            _serialisable(events).to_file(tmp, driver="GPKG", layer="events")
        else:
            tmp.write_text(_serialisable(events).to_json(drop_id=True, ensure_ascii=False), "utf-8")
    return path


def to_kml(events: Any) -> str:
    """Return the events as a KML document, one Placemark each, with a TimeStamp where dated.

    Article text is XML-escaped; Google Earth shows the evidence as the description.
    """
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>nkmap events</name>',
    ]
    for row in events.itertuples(index=False):
        date = getattr(row, "date", None)
        when = ""
        if date is not None and str(date) not in ("NaT", "nan", "None"):
            when = f"<TimeStamp><when>{str(date)[:10]}</when></TimeStamp>"
        desc = (
            f"{row.evidence}\n\n{row.title} ({row.source}) {row.url}\n"
            f"theme: {row.theme}; precision: {row.precision}"
        )
        parts.append(
            f"<Placemark><name>{escape(str(row.theme))}: {escape(str(row.place))}</name>"
            f"<description>{escape(desc)}</description>{when}"
            f"<Point><coordinates>{row.geometry.x:.6f},{row.geometry.y:.6f}</coordinates></Point>"
            "</Placemark>"
        )
    parts.append("</Document></kml>")
    return "\n".join(parts)


def ingested_hashes(db: str | os.PathLike[str]) -> set[str]:
    """Return the content hashes of the articles already in the store (empty for a new store).

    Raises:
        DataError: ``db`` exists but is not an nkmap store.
    """
    db = Path(db)
    if not db.exists():
        return set()
    import pyogrio

    try:
        layers = {name for name, _ in pyogrio.list_layers(db)}
        if "articles" not in layers:
            raise DataError(f"{db}: not an nkmap store (no 'articles' layer)")
        table = pyogrio.read_dataframe(db, layer="articles", read_geometry=False)
    except DataError:
        raise
    except Exception as exc:
        raise DataError(f"{db}: not a readable GeoPackage ({exc})") from exc
    return set(table["content_hash"])


def add_to_store(db: str | os.PathLike[str], events: Any, articles: list[dict[str, Any]]) -> None:
    """Append ``events`` and the ``articles`` records (content_hash, article_id, path, title,
    date) to the store ``db``, creating it when missing.

    The store is rewritten to a temporary file and renamed, so an interrupted
    ingest leaves the previous store intact.

    Raises:
        DataError: ``db`` exists but is not an nkmap store.
        FileError: the store cannot be written.
    """
    import geopandas as gpd
    import pandas as pd

    db = Path(db)
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    new_articles = pd.DataFrame(
        articles, columns=["content_hash", "article_id", "path", "title", "date"]
    )
    new_articles["ingested_at"] = now
    if db.exists():
        ingested_hashes(db)  # validates the store
        old_events = gpd.read_file(db, layer="events")
        old_articles = gpd.read_file(db, layer="articles", ignore_geometry=True)
        events = gpd.GeoDataFrame(
            pd.concat([old_events, _serialisable(events)], ignore_index=True), crs=4326
        )
        new_articles = pd.concat([old_articles, new_articles], ignore_index=True)
    else:
        events = _serialisable(events)
    with atomic_path(db) as tmp:
        events.to_file(tmp, driver="GPKG", layer="events")
        import pyogrio

        pyogrio.write_dataframe(
            new_articles.astype(str), tmp, layer="articles", driver="GPKG", append=False
        )
