"""Writing events: GeoJSON, GeoPackage, CSV, GeoParquet or KML by extension, and the store.

Every file is written atomically (temporary file beside it, then renamed).
The store is a GeoPackage with two layers: ``events`` and ``articles`` (one
row per ingested article, with its content hash, so ingesting again skips it).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
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


#: Characters XML 1.0 forbids or that no viewer shows: C0 controls but tab, newline and
#: return; DEL; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


def _kml_text(value: Any) -> str:
    """``value`` as text for KML: missing values empty, forbidden characters removed."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    return "" if text in ("nan", "NaT", "None") else _NOT_XML.sub("", text)


def _html(value: Any) -> str:
    """``value`` as HTML text: a KML viewer renders balloons as HTML, so markup is escaped."""
    return html.escape(_kml_text(value), quote=True)


def _web_link(url: Any) -> str:
    """An HTML link to ``url`` when it is an http(s) URL with a host, else nothing."""
    text = _kml_text(url).strip()
    parts = urlsplit(text) if text else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return f'<a href="{html.escape(text, quote=True)}">{html.escape(text)}</a>'


def _description(row: Any) -> str:
    """The balloon of one event as HTML (article text escaped), ready to be XML-escaped."""
    source = _html(getattr(row, "source", ""))
    cite = " ".join(
        part
        for part in (
            _html(getattr(row, "title", "")),
            f"({source})" if source else "",
            _web_link(getattr(row, "url", "")),
        )
        if part
    )
    return (
        f"<p>{_html(getattr(row, 'evidence', ''))}</p>\n<p>{cite}</p>\n"
        f"<p>theme: {_html(getattr(row, 'theme', ''))}; "
        f"precision: {_html(getattr(row, 'precision', ''))}</p>"
    )


def to_kml(events: Any) -> str:
    """Return the events as a KML document, one Placemark each, with a TimeStamp where dated.

    The description is an HTML balloon (evidence, citation, theme): article text in it is
    HTML-escaped and then the whole is XML-escaped, so viewers that render balloons as HTML
    (Google Earth) show the text, never run it.  The name is escaped the same way.
    Characters XML forbids (C0 controls) are removed; the article's URL becomes a link only
    when it is ``http(s)``.  An event without coordinates has no Point.  Raises nothing.
    """
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>nkmap events</name>',
    ]
    for row in events.itertuples(index=False):
        day = _kml_text(getattr(row, "date", None))[:10]
        when = f"<TimeStamp><when>{day}</when></TimeStamp>" if _DAY.match(day) else ""
        name = f"{_html(getattr(row, 'theme', ''))}: {_html(getattr(row, 'place', ''))}"
        geom = getattr(row, "geometry", None)
        point = ""
        if geom is not None and not geom.is_empty and geom.geom_type == "Point":
            x, y = geom.x, geom.y
            if math.isfinite(x) and math.isfinite(y):
                point = f"<Point><coordinates>{x:.6f},{y:.6f}</coordinates></Point>"
        parts.append(
            f"<Placemark><name>{escape(name)}</name>"
            f"<description>{escape(_description(row))}</description>{when}{point}"
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
