"""Rows of an events table, as every writer takes them: a schema and plain tuples.

A :class:`Schema` is the table's columns with their kinds (``text``, ``integer``, ``real``,
``date``); the geometry is not a column of it but the last item of every row, a
``(lon, lat)`` pair or ``None``.  :func:`event_schema` derives the events schema from
:data:`geo.event_records.EVENT_COLUMNS` and the :class:`geo.event_records.Event` record's
field types, so a column added there reaches every writer and store.  Nothing here imports
pandas: the streaming commands write rows straight from :class:`~geo.event_records.Event`
records.

>>> schema = event_schema()
>>> schema.kind("date"), schema.kind("evidence_start"), schema.kind("confidence")
('date', 'integer', 'real')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.event_records import ArticleResult, Event
    from nkmap.events_table import EventsFrame

#: A row: one value per schema column, then the point as ``(lon, lat)`` or None.
Row = tuple[Any, ...]

KINDS = ("text", "integer", "real", "date")

#: A store's bookkeeping: one row per ingested article (name, kind).
ARTICLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("content_hash", "text"),
    ("article_id", "text"),
    ("path", "text"),
    ("title", "text"),
    ("date", "date"),
    ("events", "integer"),
    ("ingested_at", "text"),
)


@dataclass(frozen=True)
class Schema:
    """The columns of an events table (geometry excluded) and each one's kind."""

    columns: tuple[tuple[str, str], ...]

    @property
    def names(self) -> list[str]:
        """Return the column names, in order."""
        return [name for name, _ in self.columns]

    def kind(self, name: str) -> str:
        """Return the kind of column ``name``.  Raises KeyError for an unknown column."""
        return dict(self.columns)[name]

    def dates(self) -> list[str]:
        """Return the names of the date columns."""
        return [name for name, kind in self.columns if kind == "date"]


def _kind_of_annotation(annotation: Any) -> str:
    text = str(annotation)
    if "date" in text:
        return "date"
    if text.startswith("int"):
        return "integer"
    if text.startswith("float"):
        return "real"
    return "text"


def event_schema() -> Schema:
    """Return the schema of an events table: :data:`~geo.event_records.EVENT_COLUMNS` less geometry,
    each column's kind read from the :class:`~geo.event_records.Event` field of the same name."""
    from geo.event_records import EVENT_COLUMNS, Event

    types = {f.name: f.type for f in dataclasses.fields(Event)}
    return Schema(
        tuple(
            (name, _kind_of_annotation(types.get(name, "str")))
            for name in EVENT_COLUMNS
            if name != "geometry"
        )
    )


def event_rows(events: Iterable[Event], schema: Schema) -> Iterator[Row]:
    """Yield one row per :class:`~geo.event_records.Event`, values in ``schema`` order."""
    names = schema.names
    for e in events:
        yield (*(getattr(e, name) for name in names), (e.lon, e.lat))


def frame_schema(frame: EventsFrame) -> Schema:
    """Return the schema of a (Geo)DataFrame's non-geometry columns: an event column's kind
    is the event record's (:func:`event_schema`), any other's follows its dtype."""
    import pandas as pd

    geometry = getattr(frame, "_geometry_column_name", None)
    kinds = dict(event_schema().columns)
    columns = []
    for name in frame.columns:
        if name == geometry:
            continue
        dtype = frame[name].dtype
        if name in kinds:
            kind = kinds[name]
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            kind = "date"
        elif pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
            kind = "integer"
        elif pd.api.types.is_float_dtype(dtype):
            kind = "real"
        else:
            kind = "text"
        columns.append((str(name), kind))
    return Schema(tuple(columns))


def _plain(value: Any, kind: str) -> Any:
    """Return a cell as a plain Python value of its kind (None for anything missing)."""
    if value is None:
        return None
    if kind == "date":
        if isinstance(value, dt.datetime):  # pandas Timestamp included
            return None if value != value else value.date()  # NaT != NaT
        if isinstance(value, dt.date):
            return value
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if kind == "integer":
        return int(value)
    if kind == "real":
        return float(value)
    return str(value)


def frame_rows(frame: EventsFrame, schema: Schema) -> Iterator[Row]:
    """Yield the rows of a GeoDataFrame in ``schema`` order; a missing or empty point is None."""
    names = schema.names
    kinds = [kind for _, kind in schema.columns]
    geometry = frame.geometry
    missing = (geometry.isna() | geometry.is_empty).to_numpy()
    xs = geometry.x.to_numpy() if len(frame) else []
    ys = geometry.y.to_numpy() if len(frame) else []
    for i, values in enumerate(frame[names].itertuples(index=False, name=None)):
        point = None if missing[i] else (float(xs[i]), float(ys[i]))
        yield (*(_plain(v, k) for v, k in zip(values, kinds, strict=True)), point)


def point_wkb(point: Sequence[float] | None) -> bytes | None:
    """Return the little-endian WKB of a ``(lon, lat)`` point (None for None).

    >>> point_wkb((1.0, 2.0)).hex()[:10]
    '0101000000'
    """
    if point is None:
        return None
    return struct.pack("<BIdd", 1, 1, point[0], point[1])


def article_record(result: ArticleResult, ingested_at: str) -> tuple[Any, ...]:
    """Return the bookkeeping row (:data:`ARTICLE_COLUMNS` order) of an ArticleResult."""
    a = result.article
    return (a.content_hash, a.article_id, a.path, a.title, a.date, len(result.events), ingested_at)


def rows_frame(rows: Sequence[Row], schema: Schema) -> EventsFrame:
    """Return rows as a GeoDataFrame (EPSG:4326); dates as ``datetime64``."""
    import geopandas as gpd
    import pandas as pd

    data = {name: [r[i] for r in rows] for i, name in enumerate(schema.names)}
    frame = pd.DataFrame(data, columns=schema.names)
    for name in schema.dates():
        frame[name] = pd.to_datetime(frame[name], errors="coerce")
    xs = [float("nan") if r[-1] is None else r[-1][0] for r in rows]
    ys = [float("nan") if r[-1] is None else r[-1][1] for r in rows]
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(xs, ys), crs=4326)
