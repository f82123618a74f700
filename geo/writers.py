"""Streaming events writers, one per output format, all fed the same rows (:mod:`geo.records`).

:func:`open_writer` picks the writer by the file's extension and writes to a temporary file
beside the target, renamed over it only when the block ends without an error, so a run
that fails or is interrupted leaves no half-written output.  Rows arrive a batch at a time
and none is kept, so writing a million events needs no more memory than writing ten.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from geo.records import Row, Schema, point_wkb, rows_frame
from nkmap.atomic import atomic_path
from nkmap.errors import FileError, InputError
from nkmap.formats import formats

#: Output formats by extension (from the one formats table, :mod:`nkmap.formats`).
FORMATS = {s: f.name for f in formats("events", write=True) for s in f.suffixes}


class Writer(Protocol):
    """What every format's writer does: take batches of rows, then close."""

    def write(self, rows: Sequence[Row]) -> None:
        """Write a batch of rows."""

    def close(self) -> None:
        """Finish the file (footer, index) and close it."""


def format_of(path: str | os.PathLike[str]) -> str:
    """Return the format name for ``path``'s extension.

    Raises:
        InputError: the extension names no supported format.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"{path}: unknown output format {path.suffix!r} (use one of {known})")
    return fmt


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _iso(value: Any) -> str:
    """Return a date as JSON writes it (ISO); raise TypeError for anything else, as the
    encoder's ``default`` must."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class GeoJSONWriter:
    """A FeatureCollection written feature by feature to a text stream."""

    def __init__(self, stream: IO[str], schema: Schema, *, indent: int | None = None) -> None:
        self.stream = stream
        self.names = schema.names
        # One encoder for every feature (json.dumps with options builds one a call); dates
        # go through ``default``: the encoder meets them in C, not every value in Python.
        self.encode = json.JSONEncoder(ensure_ascii=False, indent=indent, default=_iso).encode
        self.first = True
        stream.write('{"type": "FeatureCollection", "features": [')

    def write(self, rows: Sequence[Row]) -> None:
        """Write each row as a Feature (a missing point is a null geometry)."""
        parts = []
        for row in rows:
            point = row[-1]
            feature = {
                "type": "Feature",
                "properties": dict(zip(self.names, row, strict=False)),
                "geometry": None
                if point is None
                else {"type": "Point", "coordinates": [point[0], point[1]]},
            }
            parts.append(("\n" if self.first else ",\n") + self.encode(feature))
            self.first = False
        self.stream.write("".join(parts))

    def close(self) -> None:
        """Close the collection (the stream stays open: it may be stdout)."""
        self.stream.write("\n]}\n")


class _FileGeoJSON(GeoJSONWriter):
    def __init__(self, path: Path, schema: Schema) -> None:
        self.fh = path.open("w", encoding="utf-8")
        super().__init__(self.fh, schema)

    def close(self) -> None:
        super().close()
        self.fh.close()


class _CSVWriter:
    """CSV with the schema's columns, then ``lat`` and ``lon`` (6 decimals)."""

    def __init__(self, path: Path, schema: Schema) -> None:
        self.fh = path.open("w", encoding="utf-8", newline="")
        self.csv = csv.writer(self.fh)
        self.csv.writerow([*schema.names, "lat", "lon"])

    def write(self, rows: Sequence[Row]) -> None:
        for row in rows:
            point = row[-1]
            values = ["" if v is None else _json_value(v) for v in row[:-1]]
            if point is None:
                values += ["", ""]
            else:
                values += [round(point[1], 6), round(point[0], 6)]
            self.csv.writerow(values)

    def close(self) -> None:
        self.fh.close()


def arrow_schema(schema: Schema) -> Any:
    """Return the pyarrow schema of a GeoParquet events file: the columns (dates as
    ``date32``), a WKB ``geometry`` column, and the GeoParquet 1.0 ``geo`` metadata."""
    import pyarrow as pa
    from pyproj import CRS

    types = {"text": pa.string(), "integer": pa.int64(), "real": pa.float64(), "date": pa.date32()}
    geo = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": ["Point"],
                "crs": CRS.from_epsg(4326).to_json_dict(),
            }
        },
    }
    fields = [pa.field(name, types[kind]) for name, kind in schema.columns]
    fields.append(pa.field("geometry", pa.binary()))
    return pa.schema(fields, metadata={b"geo": json.dumps(geo).encode()})


def arrow_table(rows: Sequence[Row], schema: Schema, target: Any) -> Any:
    """Return ``rows`` as a pyarrow table of the ``target`` schema (:func:`arrow_schema`)."""
    import pyarrow as pa

    columns = [
        pa.array([r[i] for r in rows], type=target.field(i).type)
        for i in range(len(schema.columns))
    ]
    columns.append(pa.array([point_wkb(r[-1]) for r in rows], type=pa.binary()))
    return pa.Table.from_arrays(columns, schema=target)


class ParquetWriter:
    """GeoParquet, one row group per batch."""

    def __init__(self, path: Path, schema: Schema) -> None:
        import pyarrow.parquet as pq

        self.schema = schema
        self.target = arrow_schema(schema)
        self.writer = pq.ParquetWriter(path, self.target, compression="zstd")

    def write(self, rows: Sequence[Row]) -> None:
        if rows:
            self.writer.write_table(arrow_table(rows, self.schema, self.target))

    def close(self) -> None:
        self.writer.close()


class _GpkgWriter:
    """A GeoPackage events layer (see :mod:`geo.gpkg`), appended a batch at a time."""

    def __init__(self, path: Path, schema: Schema) -> None:
        from geo import gpkg

        gpkg.create(path, schema)
        self.appender = gpkg.Appender(path, schema)

    def write(self, rows: Sequence[Row]) -> None:
        self.appender.append(rows)

    def close(self) -> None:
        self.appender.close()


class _KMLWriter:
    """KML: the Placemarks :func:`geo.kml.to_kml` makes, each with its row's ExtendedData
    (:mod:`geo.kml`), written a batch at a time."""

    def __init__(self, path: Path, schema: Schema) -> None:
        from geo.kml import to_kml

        self.schema = schema
        self.fh = path.open("w", encoding="utf-8")
        empty = to_kml(rows_frame([], schema))
        cut = empty.rfind("</Document>")
        self.head, self.tail = empty[:cut].rstrip("\n"), empty[cut:]
        self.fh.write(self.head)

    def write(self, rows: Sequence[Row]) -> None:
        from geo.kml import to_kml, with_extended_data

        if not rows:
            return
        doc = to_kml(rows_frame(rows, self.schema))
        for placemark in with_extended_data(doc, rows, self.schema):
            self.fh.write("\n" + placemark)

    def close(self) -> None:
        self.fh.write("\n" + self.tail)
        self.fh.close()


_WRITERS: dict[str, Any] = {
    "GeoJSON": _FileGeoJSON,
    "CSV": _CSVWriter,
    "GeoParquet": ParquetWriter,
    "GPKG": _GpkgWriter,
    "KML": _KMLWriter,
}


@contextlib.contextmanager
def open_writer(path: str | os.PathLike[str], schema: Schema) -> Iterator[Writer]:
    """Yield a writer for ``path`` (format by extension); the file appears when the block ends.

    Raises:
        InputError: the extension names no supported format (before anything is written).
        FileError: the file cannot be written.
    """
    fmt = format_of(path)
    with atomic_path(path) as tmp:
        try:
            writer = _WRITERS[fmt](tmp, schema)
        except OSError as exc:
            raise FileError(f"{path}: cannot write: {exc.strerror or exc}") from exc
        try:
            yield writer
        finally:
            writer.close()


def geojson_text(rows: Sequence[Row], schema: Schema, *, indent: int | None = None) -> str:
    """Return rows as one GeoJSON FeatureCollection string."""
    out = io.StringIO()
    writer = GeoJSONWriter(out, schema, indent=indent)
    writer.write(rows)
    writer.close()
    return out.getvalue()
