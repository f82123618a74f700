"""The events store in PostgreSQL + PostGIS, for a team sharing one store (``--db postgresql://…``).

The same schema as the GeoPackage store (:mod:`geo.gpkg`): an ``events`` table with the
event columns (dates as ``date``), a ``geometry(Point, 4326)`` column with a GiST index and
an index on ``article_id``; the bookkeeping table ``nkmap_articles`` keyed by content hash;
and QGIS's ``layer_styles`` table with the theme style, so QGIS users opening the table see
the maps' colours.  Rows are appended with ``COPY``, one transaction per batch.
Needs the ``psycopg`` package (``pip install 'nkmap[postgis]'``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from geo.gpkg import ARTICLES_TABLE, GEOMETRY, LAYER
from geo.records import ARTICLE_COLUMNS, Row, Schema, event_schema
from nkmap.errors import DataError, FileError

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame

_SQL_TYPES = {"text": "text", "integer": "bigint", "real": "double precision", "date": "date"}


def redact(url: str) -> str:
    """Return ``url`` without its password.

    >>> redact("postgresql://ann:secret@db.example/events")
    'postgresql://ann@db.example/events'
    """
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1@", url)


def _ewkt(point: Sequence[float] | None) -> str | None:
    return None if point is None else f"SRID=4326;POINT({point[0]!r} {point[1]!r})"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PostGISStore:
    """The store in a PostGIS database; with ``create`` its tables are made when missing.

    Raises (on construction):
        FileError: psycopg is not installed, or the database cannot be reached.
        DataError: the database has no PostGIS extension and it cannot be created, or
            (without ``create``) holds no store.
    """

    def __init__(self, url: str, schema: Schema | None = None, *, create: bool = True) -> None:
        self.name = redact(url)
        self.schema = schema or event_schema()
        try:
            import psycopg
        except ImportError as exc:
            raise FileError(
                f"{self.name}: a PostGIS store needs psycopg: pip install 'nkmap[postgis]'"
            ) from exc
        try:
            self.con = psycopg.connect(url)
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise FileError(f"{self.name}: cannot connect: {reason}") from exc
        if create:
            self._ensure_tables()
            return
        found = self.con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name IN (%s, %s)",
            (LAYER, ARTICLES_TABLE),
        ).fetchone()
        self.con.commit()
        if not found or found[0] != 2:
            self.con.close()
            raise DataError(
                f"{self.name}: not an nkmap store (no {LAYER!r} and {ARTICLES_TABLE!r})"
            )

    def _ensure_tables(self) -> None:
        import psycopg

        cur = self.con.cursor()
        try:
            cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except psycopg.Error as exc:
            self.con.rollback()
            raise DataError(f"{self.name}: PostGIS is not available ({exc})") from exc
        columns = ", ".join(f"{_ident(n)} {_SQL_TYPES[k]}" for n, k in self.schema.columns)
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {LAYER} (fid bigserial PRIMARY KEY, {columns}, "
            f"{GEOMETRY} geometry(Point, 4326))"
        )
        have = {
            r[0]
            for r in cur.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s",
                (LAYER,),
            )
        }
        for name, kind in self.schema.columns:  # a column added since the store was made
            if name not in have:
                cur.execute(f"ALTER TABLE {LAYER} ADD COLUMN {_ident(name)} {_SQL_TYPES[kind]}")
        cur.execute(
            f"CREATE INDEX IF NOT EXISTS {LAYER}_{GEOMETRY}_idx ON {LAYER} USING gist ({GEOMETRY})"
        )
        cur.execute(f"CREATE INDEX IF NOT EXISTS {LAYER}_article_id ON {LAYER} (article_id)")
        articles = ", ".join(f"{_ident(n)} {_SQL_TYPES[k]}" for n, k in ARTICLE_COLUMNS)
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {ARTICLES_TABLE} ({articles}, PRIMARY KEY (content_hash))"
        )
        self._ensure_style(cur)
        self.con.commit()

    def _ensure_style(self, cur: Any) -> None:
        from geo.qgis import STYLE_COLUMNS, STYLE_NAME, style_row

        columns = ", ".join(
            f"{name.lower()} {pg_type}" + (" DEFAULT now()" if name == "update_time" else "")
            for name, _, pg_type in STYLE_COLUMNS
        )
        cur.execute(f"CREATE TABLE IF NOT EXISTS layer_styles (id serial PRIMARY KEY, {columns})")
        found = cur.execute(
            "SELECT 1 FROM layer_styles WHERE f_table_schema = current_schema() "
            "AND f_table_name = %s AND stylename = %s",
            (LAYER, STYLE_NAME),
        ).fetchone()
        if found:
            return
        catalog, schema = cur.execute("SELECT current_database(), current_schema()").fetchone()
        row = style_row(catalog, schema, LAYER, GEOMETRY)
        del row["ui"]
        names = list(row)
        marks = [
            "XMLPARSE(DOCUMENT %s)" if n == "styleQML" else ("NULL" if n == "styleSLD" else "%s")
            for n in names
        ]
        values = [row[n] for n in names if n != "styleSLD"]
        cur.execute(
            f"INSERT INTO layer_styles ({', '.join(n.lower() for n in names)}) "
            f"VALUES ({', '.join(marks)})",
            values,
        )

    def hashes(self) -> set[str]:
        """Return the content hashes in the bookkeeping table."""
        with self.con.cursor() as cur:
            rows = cur.execute(f"SELECT content_hash FROM {ARTICLES_TABLE}").fetchall()
        self.con.commit()
        return {r[0] for r in rows}

    def append(self, rows: Sequence[Row], articles: Sequence[Sequence[Any]]) -> None:
        """Copy event rows in and insert bookkeeping rows, in one transaction.

        Raises:
            FileError: the database refused the rows.
        """
        import psycopg

        names = [*self.schema.names, GEOMETRY]
        article_names = [n for n, _ in ARTICLE_COLUMNS]
        try:
            with self.con.transaction(), self.con.cursor() as cur:
                if rows:
                    copy_sql = f"COPY {LAYER} ({', '.join(map(_ident, names))}) FROM STDIN"
                    with cur.copy(copy_sql) as copy:
                        for r in rows:
                            copy.write_row((*r[:-1], _ewkt(r[-1])))
                if articles:
                    cur.executemany(
                        f"INSERT INTO {ARTICLES_TABLE} ({', '.join(article_names)}) "
                        f"VALUES ({', '.join('%s' for _ in article_names)}) "
                        "ON CONFLICT (content_hash) DO NOTHING",
                        [tuple(a) for a in articles],
                    )
        except psycopg.Error as exc:
            raise FileError(f"{self.name}: cannot append: {exc}") from exc

    def read(
        self, columns: Sequence[str] | None = None, *, require: Mapping[str, str] | None = None
    ) -> EventsFrame:
        """Return the stored events (in insertion order) as an events table in EPSG:4326,
        checked against the contract (:func:`geo.contract.validate`, with ``require``).

        Raises:
            DataError: a stored column breaks the contract, or a required one is missing.
        """
        import geopandas as gpd
        import pandas as pd
        import shapely

        from geo.contract import validate

        wanted = [c for c in (columns or self.schema.names) if c in self.schema.names]
        select = ", ".join([*map(_ident, wanted), f"ST_AsBinary({GEOMETRY})"])
        with self.con.cursor() as cur:
            rows = cur.execute(f"SELECT {select} FROM {LAYER} ORDER BY fid").fetchall()
        self.con.commit()
        frame = pd.DataFrame([r[:-1] for r in rows], columns=wanted)
        for name in self.schema.dates():
            if name in frame.columns:
                frame[name] = pd.to_datetime(frame[name], errors="coerce")
        geometry = shapely.from_wkb([None if r[-1] is None else bytes(r[-1]) for r in rows])
        stored = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=4326), crs=4326)
        return validate(stored, self.name, require=require)

    def count(self) -> int:
        """Return the number of stored events."""
        with self.con.cursor() as cur:
            n = cur.execute(f"SELECT count(*) FROM {LAYER}").fetchone()
        self.con.commit()
        return int(n[0]) if n else 0

    def close(self) -> None:
        """Close the connection."""
        self.con.close()
