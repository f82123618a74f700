"""Writing events (GeoJSON, GeoPackage, CSV, GeoParquet or KML by extension) and the store.

Every file is written atomically (temporary file beside it, then renamed), by the streaming
writers of :mod:`geo.writers`.  The store grows: :func:`open_store` opens a GeoPackage
(:mod:`geo.gpkg`) or a PostGIS database (:mod:`geo.postgis`, for a ``postgresql://`` URL)
that holds one ``events`` layer and, beside it, one bookkeeping row per ingested article
with its content hash, so ingesting again skips what is already there.  Appending adds rows
and never rewrites the old ones.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from geo.records import Row, Schema, event_schema, frame_rows, frame_schema
from geo.writers import FORMATS, open_writer

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame

__all__ = [
    "FORMATS",
    "Store",
    "add_to_store",
    "ingested_hashes",
    "is_database_url",
    "open_store",
    "write_events",
]


def write_events(events: EventsFrame, path: str | os.PathLike[str]) -> Path:
    """Write an events table to ``path`` in the format its extension names; return the path.

    The table is checked against the contract (:func:`geo.contract.validate`) first, so
    nothing is written when a column breaks it; event columns are written in their kinds.

    Raises:
        InputError: the extension names no supported format.
        DataError: a column breaks the contract (the message names ``path`` and the column).
        FileError: the file cannot be written.
    """
    from geo.contract import validate
    from geo.writers import format_of

    path = Path(path)
    format_of(path)  # an unknown extension is a usage error, whatever the events hold
    events = validate(events, path)
    schema = frame_schema(events)
    with open_writer(path, schema) as writer:
        writer.write(list(frame_rows(events, schema)))
    return path


class Store(Protocol):
    """An events store: one events table, and bookkeeping rows for the ingested articles."""

    #: Where the store is (a path or a database URL without its password).
    name: str

    def hashes(self) -> set[str]:
        """Return the content hashes of the articles already stored."""

    def append(self, rows: Sequence[Row], articles: Sequence[Sequence[Any]]) -> None:
        """Add event rows and bookkeeping rows (``ARTICLE_COLUMNS`` order) in one transaction."""

    def read(
        self, columns: Sequence[str] | None = None, *, require: Mapping[str, str] | None = None
    ) -> EventsFrame:
        """Return the stored events (``columns`` only, when given), checked against the
        contract; ``require`` as for :func:`geo.contract.validate`.

        Raises:
            DataError: a stored column breaks the contract, or a required one is missing.
        """

    def close(self) -> None:
        """Release the file or connection."""


def is_database_url(target: str | os.PathLike[str]) -> bool:
    """Return True when ``target`` names a PostgreSQL database (``postgresql://…``)."""
    return str(target).startswith(("postgresql://", "postgres://"))


class GeoPackageStore:
    """The store in a GeoPackage file, created on first use (see :mod:`geo.gpkg`)."""

    def __init__(self, path: str | os.PathLike[str], schema: Schema | None = None) -> None:
        from geo import gpkg

        self.path = Path(path)
        self.name = str(self.path)
        self.schema = schema or event_schema()
        self._appender: Any = None
        if self.path.exists():
            gpkg.check_store(self.path)

    def hashes(self) -> set[str]:
        from geo import gpkg

        return gpkg.stored_hashes(self.path) if self.path.exists() else set()

    def append(self, rows: Sequence[Row], articles: Sequence[Sequence[Any]]) -> None:
        from geo import gpkg
        from nkmap.atomic import atomic_path

        if self._appender is None:
            if not self.path.exists():
                with atomic_path(self.path) as tmp:
                    gpkg.create(tmp, self.schema, store=True)
            self._appender = gpkg.Appender(self.path, self.schema)
        self._appender.append(rows, articles)

    def read(
        self, columns: Sequence[str] | None = None, *, require: Mapping[str, str] | None = None
    ) -> EventsFrame:
        from geo.inputs import read_events_file

        return read_events_file(self.path, columns=columns, require=require)

    def close(self) -> None:
        if self._appender is not None:
            self._appender.close()
            self._appender = None


def open_store(target: str | os.PathLike[str]) -> Store:
    """Return the store at ``target``: a GeoPackage path, or a ``postgresql://`` URL.

    A GeoPackage that does not exist yet is created by the first append; a database gets
    its tables on opening.

    Raises:
        DataError: ``target`` exists but is not an nkmap store.
        FileError: the file or database cannot be opened.
    """
    if is_database_url(target):
        from geo.postgis import PostGISStore

        return PostGISStore(str(target))
    return GeoPackageStore(target)


def ingested_hashes(db: str | os.PathLike[str]) -> set[str]:
    """Return the content hashes of the articles already in the store (empty for a new store).

    Raises:
        DataError: ``db`` exists but is not an nkmap store.
    """
    store = open_store(db)
    try:
        return store.hashes()
    finally:
        store.close()


def add_to_store(
    db: str | os.PathLike[str], events: EventsFrame, articles: Iterable[dict[str, Any]]
) -> None:
    """Append an events table and its articles' records (dicts with the
    ``ARTICLE_COLUMNS`` keys; ``events`` and ``ingested_at`` may be left out) to the store.

    Raises:
        DataError: ``db`` exists but is not an nkmap store, or a column of ``events``
            breaks the contract (:func:`geo.contract.validate`).
        FileError: the store cannot be written.
    """
    from geo.contract import validate
    from geo.records import ARTICLE_COLUMNS

    events = validate(events, db)
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    schema = event_schema()
    frame = events.reindex(columns=[*schema.names, events.geometry.name])
    frame = frame.set_geometry(events.geometry.name)
    records = [
        tuple(a.get(name, now if name == "ingested_at" else None) for name, _ in ARTICLE_COLUMNS)
        for a in articles
    ]
    store = open_store(db)
    try:
        store.append(list(frame_rows(frame, schema)), records)
    finally:
        store.close()
