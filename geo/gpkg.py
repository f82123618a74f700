"""GeoPackage events tables that grow: created once by GDAL, appended to with SQLite.

A GeoPackage written by nkmap holds one feature layer, ``events`` (points, EPSG:4326, an
R-tree spatial index, dates declared ``DATE``), an index on ``article_id``, and a
``layer_styles`` row that QGIS applies when the layer opens (see :mod:`geo.qgis`).  A store
also holds :data:`ARTICLES_TABLE`, one row per ingested article, which is not registered as
a layer: the store's bookkeeping, not data to map.

Appending opens the file with :mod:`sqlite3` and inserts the new rows in one transaction
(the bookkeeping rows in the same one), so nothing old is rewritten and an interrupted
ingest leaves the store as it was before the batch.  The R-tree triggers GDAL installs call
``ST_MinX`` and friends; :func:`_register_functions` supplies them for point blobs.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from geo.records import ARTICLE_COLUMNS, Row, Schema
from nkmap.errors import DataError, FileError

#: The events layer's name.
LAYER = "events"
#: The store's bookkeeping table (not a layer).
ARTICLES_TABLE = "nkmap_articles"
#: The geometry column's name.
GEOMETRY = "geometry"

_SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "date": "DATE"}
_SRS = 4326
# GeoPackage binary header for a point: magic, version 0, flags (little endian, no envelope).
_HEADER = b"GP\x00\x01" + struct.pack("<i", _SRS)
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def gpkg_blob(point: Sequence[float] | None) -> bytes | None:
    """Return the GeoPackage geometry blob of a ``(lon, lat)`` point (None for None).

    >>> gpkg_blob((1.0, 2.0))[:8]
    b'GP\\x00\\x01\\xe6\\x10\\x00\\x00'
    """
    if point is None:
        return None
    return _HEADER + struct.pack("<BIdd", 1, 1, point[0], point[1])


def _bounds(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """Return (minx, maxx, miny, maxy) of a GeoPackage blob, None when empty or unreadable."""
    if blob is None or len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if flags & 0x10:  # empty geometry
        return None
    order = "<" if flags & 1 else ">"
    envelope = (flags >> 1) & 7
    size = _ENVELOPE_BYTES.get(envelope)
    if size is None:
        return None
    if size:
        minx, maxx, miny, maxy = struct.unpack_from(order + "dddd", blob, 8)
        return minx, maxx, miny, maxy
    wkb = blob[8:]
    if len(wkb) >= 21:
        wkb_order = "<" if wkb[0] == 1 else ">"
        (kind,) = struct.unpack_from(wkb_order + "I", wkb, 1)
        if kind == 1:
            x, y = struct.unpack_from(wkb_order + "dd", wkb, 5)
            return x, x, y, y
    import shapely

    minx, miny, maxx, maxy = shapely.from_wkb(wkb).bounds
    return minx, maxx, miny, maxy


def _register_functions(con: sqlite3.Connection) -> None:
    """Give ``con`` the spatial SQL functions that GDAL's R-tree triggers call.

    The triggers ask five questions of each new row's blob in turn; the last blob's bounds
    are kept so that it is parsed once.
    """
    last: list[Any] = [None, None]

    def bounds(blob: bytes | None) -> tuple[float, float, float, float] | None:
        if blob is not last[0]:
            last[0], last[1] = blob, _bounds(blob)
        return last[1]

    def part(i: int) -> Any:
        def f(blob: bytes | None) -> float | None:
            b = bounds(blob)
            return None if b is None else b[i]

        return f

    def is_empty(blob: bytes | None) -> int:
        return int(bounds(blob) is None)

    con.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)
    for i, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        con.create_function(name, 1, part(i), deterministic=True)


def _connect(path: Path) -> sqlite3.Connection:
    try:
        con = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise FileError(f"{path}: cannot open: {exc}") from exc
    _register_functions(con)
    return con


def create(path: str | os.PathLike[str], schema: Schema, *, store: bool = False) -> None:
    """Create a GeoPackage at ``path`` with an empty ``events`` layer of ``schema``.

    The layer gets an index on ``article_id`` (when it has one) and a QGIS style; with
    ``store`` the bookkeeping table :data:`ARTICLES_TABLE` is added too.

    Raises:
        FileError: the file cannot be written.
    """
    import pyarrow as pa
    from pyogrio.raw import write_arrow

    types = {"text": pa.string(), "integer": pa.int64(), "real": pa.float64(), "date": pa.date32()}
    fields = [(name, types[kind]) for name, kind in schema.columns]
    empty = pa.schema([*fields, (GEOMETRY, pa.binary())]).empty_table()
    path = Path(path)
    try:
        write_arrow(
            empty,
            path,
            layer=LAYER,
            driver="GPKG",
            geometry_name=GEOMETRY,
            geometry_type="Point",
            crs=f"EPSG:{_SRS}",
            GEOMETRY_NAME=GEOMETRY,
        )
    except Exception as exc:  # GDAL raises its own error kinds
        raise FileError(f"{path}: cannot write a GeoPackage: {exc}") from exc
    from geo.qgis import add_layer_style

    con = _connect(path)
    try:
        con.execute("BEGIN")
        if "article_id" in schema.names:
            con.execute(f"CREATE INDEX events_article_id ON {LAYER} (article_id)")
        if store:
            columns = ", ".join(f"{_quote(n)} {_SQL_TYPES[k]}" for n, k in ARTICLE_COLUMNS)
            con.execute(f"CREATE TABLE {ARTICLES_TABLE} ({columns}, PRIMARY KEY (content_hash))")
        add_layer_style(con, LAYER, GEOMETRY)
        con.execute("COMMIT")
    finally:
        con.close()


def _sql_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Appender:
    """Appends rows (and bookkeeping rows) to a GeoPackage made by :func:`create`.

    Each :meth:`append` is one SQLite transaction; close with :meth:`close` (or use
    ``with``).
    """

    def __init__(self, path: str | os.PathLike[str], schema: Schema) -> None:
        self.path = Path(path)
        self.schema = schema
        self.con = _connect(self.path)
        self._add_missing_columns()
        # positions of the date values in an insert row (the geometry blob comes first)
        self._dates = [i + 1 for i, (_, kind) in enumerate(schema.columns) if kind == "date"]
        names = [GEOMETRY, *schema.names]
        marks = ", ".join("?" for _ in names)
        self._insert = (
            f"INSERT INTO {LAYER} ({', '.join(_quote(n) for n in names)}) VALUES ({marks})"
        )
        article_names = [n for n, _ in ARTICLE_COLUMNS]
        self._insert_article = (
            f"INSERT OR IGNORE INTO {ARTICLES_TABLE} ({', '.join(article_names)}) "
            f"VALUES ({', '.join('?' for _ in article_names)})"
        )

    def _add_missing_columns(self) -> None:
        """Add the schema's columns that a store made by an earlier nkmap lacks."""
        have = {r[1] for r in self.con.execute(f"PRAGMA table_info({LAYER})")}
        for name, kind in self.schema.columns:
            if name not in have:
                column = f"{_quote(name)} {_SQL_TYPES[kind]}"
                self.con.execute(f"ALTER TABLE {LAYER} ADD COLUMN {column}")

    def append(self, rows: Iterable[Row], articles: Iterable[Sequence[Any]] = ()) -> int:
        """Insert ``rows`` and bookkeeping ``articles`` (values in ARTICLE_COLUMNS order) in
        one transaction; return the number of event rows added.

        Raises:
            FileError: SQLite cannot write the file.
        """
        dates = self._dates
        values = []
        for r in rows:
            row = [gpkg_blob(r[-1]), *r[:-1]]
            for i in dates:
                if isinstance(row[i], dt.date):
                    row[i] = row[i].isoformat()
            values.append(row)
        records = [tuple(_sql_value(v) for v in a) for a in articles]
        try:
            self.con.execute("BEGIN IMMEDIATE")
            if values:
                self.con.executemany(self._insert, values)
                self._grow_extent([r[0] for r in values])
            if records:
                self.con.executemany(self._insert_article, records)
            self.con.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.con.in_transaction:
                self.con.execute("ROLLBACK")
            raise FileError(f"{self.path}: cannot append: {exc}") from exc
        return len(values)

    def _grow_extent(self, blobs: list[bytes | None]) -> None:
        """Widen the layer's extent in gpkg_contents to cover ``blobs`` (GDAL reads it)."""
        boxes = [b for b in map(_bounds, blobs) if b is not None]
        if not boxes:
            return
        old = self.con.execute(
            "SELECT min_x, max_x, min_y, max_y FROM gpkg_contents WHERE table_name = ?", (LAYER,)
        ).fetchone()
        minx = min(b[0] for b in boxes)
        maxx = max(b[1] for b in boxes)
        miny = min(b[2] for b in boxes)
        maxy = max(b[3] for b in boxes)
        if old is not None and old[0] is not None:
            minx, maxx = min(minx, old[0]), max(maxx, old[1])
            miny, maxy = min(miny, old[2]), max(maxy, old[3])
        self.con.execute(
            "UPDATE gpkg_contents SET min_x = ?, max_x = ?, min_y = ?, max_y = ?, "
            "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE table_name = ?",
            (minx, maxx, miny, maxy, LAYER),
        )

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def __enter__(self) -> Appender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def check_store(path: str | os.PathLike[str]) -> None:
    """Check that ``path`` is an nkmap GeoPackage store.

    Raises:
        DataError: it is not a GeoPackage, or has no events layer or bookkeeping table.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise FileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if head != b"SQLite format 3\x00":
        raise DataError(f"{path}: not a GeoPackage (not an SQLite file)")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = _tables(con)
    except sqlite3.Error as exc:
        raise DataError(f"{path}: not a readable GeoPackage ({exc})") from exc
    finally:
        con.close()
    if "articles" in tables and ARTICLES_TABLE not in tables:
        raise DataError(
            f"{path}: a store written by an older nkmap (an 'articles' layer); "
            "ingest into a new store"
        )
    if LAYER not in tables or ARTICLES_TABLE not in tables:
        raise DataError(f"{path}: not an nkmap store (no {LAYER!r} layer and {ARTICLES_TABLE!r})")


def stored_hashes(path: str | os.PathLike[str]) -> set[str]:
    """Return the content hashes in the store's bookkeeping table.

    Raises:
        DataError: ``path`` is not an nkmap store (see :func:`check_store`).
    """
    check_store(path)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute(f"SELECT content_hash FROM {ARTICLES_TABLE}")}
    finally:
        con.close()


def count(path: str | os.PathLike[str], table: str = LAYER) -> int:
    """Return the number of rows of ``table`` in the GeoPackage at ``path``."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0])
    finally:
        con.close()
