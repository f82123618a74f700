"""The events contract: which columns an events table has, of what kind, and the one check.

The columns and their kinds are the event record's (:func:`geo.records.event_schema`, read
from :class:`geo.event_records.Event`): ``text``, ``integer``, ``real`` or ``date``; the point is
the table's geometry (EPSG:4326), which a table without geometry (a CSV) holds as the
record's ``lat`` and ``lon`` columns or as WKT in a ``geometry`` column.  The type of such a
table is :data:`nkmap.events_table.EventsFrame`.

:func:`validate` is called where events enter nkmap (:func:`geo.inputs.read_events_file`
for every file format, the PostGIS store's reader) and where they leave
(:func:`geo.store.write_events`, :func:`geo.store.add_to_store`).  It returns the table
with every event column it has in its kind, or raises one :class:`~nkmap.errors.DataError`
naming the file and the column:

- An event column may be missing (a hand-made file of points and themes is an events
  table; a query that needs a column says so), unless ``require`` names it.
- Text columns take any value (numbers become text: ``place_id`` 123 reads as ``"123"``).
- Integer columns hold whole numbers, real columns numbers; text that reads as a number is
  converted, any other text is an error.
- Date columns hold dates (``datetime64``); a value that reads as no date is an unknown
  date (``NaT``), as an undated event is.
- The geometry holds points or nothing, longitude within ±180°, latitude within ±90°.
- Columns outside the contract pass unchanged.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from geo.records import Schema, event_schema
from nkmap.errors import DataError

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame

__all__ = ["POINT_COLUMNS", "columns", "validate"]

#: How a table without geometry holds an event's point: the record's own fields.
POINT_COLUMNS = ("lat", "lon")
#: The largest magnitude of each coordinate, in degrees.
_LIMITS = {"lat": 90.0, "lon": 180.0}


def columns() -> Schema:
    """Return the contract's columns (geometry excluded) and their kinds, in order.

    >>> columns().kind("evidence_start"), columns().kind("date")
    ('integer', 'date')
    """
    return event_schema()


def validate(
    frame: Any, source: str | os.PathLike[str], *, require: Mapping[str, str] | None = None
) -> EventsFrame:
    """Return ``frame`` (a GeoDataFrame, or a DataFrame with lat/lon or WKT geometry) as an
    events table that keeps the contract (see the module's docstring); ``source`` names it
    in messages.  ``require`` maps columns that must be there to what needs them.

    The input frame is never changed; a converted column is a new one.

    Raises:
        DataError: a column holds a value not of its kind, a geometry is not a point or
            lies off the globe, the point columns are missing, or a required column is.
    """
    if _geometry_name(frame) is None:
        frame = _with_geometry(frame, source)
    if frame.crs is None:
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    _check_points(frame, source)
    out = frame
    for name, kind in columns().columns:
        if name in frame.columns and name != frame.geometry.name:
            given = frame[name]
            column = _as_kind(given, kind, f"{source}: column {name!r}")
            if column is not given:
                if out is frame:
                    out = frame.copy(deep=False)
                out[name] = column
    for name, purpose in (require or {}).items():
        if name not in out.columns:
            have = ", ".join(str(c) for c in out.columns if c != out.geometry.name) or "none"
            raise DataError(f"{source}: no {name!r} column, needed {purpose} (columns: {have})")
    return out


def _geometry_name(frame: Any) -> str | None:
    """Return the name of the active geometry column of a GeoDataFrame (None: it has none,
    or ``frame`` is a plain table)."""
    import geopandas as gpd

    if not isinstance(frame, gpd.GeoDataFrame):
        return None
    try:
        return str(frame.geometry.name)
    except AttributeError:  # a GeoDataFrame whose geometry column was never set
        return None


def _bad(where: str, values: Any, bad: Any, what: str) -> DataError:
    """Return the error for the first True of ``bad``: ``where holds 'x' in row N, what``
    (rows count the events from 1)."""
    import numpy as np

    i = int(np.flatnonzero(np.asarray(bad))[0])
    value = values[i]
    value = value.item() if hasattr(value, "item") else value
    return DataError(f"{where} holds {value!r} in row {i + 1}, {what}")


def _numbers(series: Any, kind: str, where: str) -> Any:
    """Return ``series`` as numbers (itself when it already is); blank text is missing.

    Raises:
        DataError: a value is not a number (``kind="real"``) or not a whole one (``"integer"``).
    """
    import numpy as np
    import pandas as pd

    numbers = series
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        values = series.to_numpy(dtype=object)
        missing = series.isna().to_numpy()
        text = [None if m else str(v).strip() or None for v, m in zip(values, missing, strict=True)]
        numbers = pd.to_numeric(pd.Series(text, index=series.index, dtype=object), "coerce")
        unread = np.array([t is not None for t in text], dtype=bool) & numbers.isna().to_numpy()
        if unread.any():
            raise _bad(where, values, unread, "not a number")
        numbers = numbers.astype("float64")
    if kind == "integer":
        array = numbers.to_numpy(dtype="float64", na_value=np.nan)
        fraction = np.isfinite(array) & (array != np.floor(array))
        if fraction.any():
            raise _bad(where, series.to_numpy(dtype=object), fraction, "not a whole number")
        if numbers is not series and not numbers.isna().any():
            numbers = numbers.astype("int64")
    return numbers


def _word(value: Any) -> str:
    """Return a value as text: 5 → "5", 5.0 → "5" (a CSV reads whole numbers as floats)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text(series: Any) -> Any:
    """Return ``series`` as text (itself when it already is), missing values kept missing."""
    import pandas as pd

    kind = pd.api.types.infer_dtype(series, skipna=True)
    if kind == "empty" or (pd.api.types.is_string_dtype(series) and kind == "string"):
        return series  # text already, or nothing at all
    missing = series.isna().to_numpy()
    values = series.to_numpy(dtype=object)
    words = [None if m else _word(v) for v, m in zip(values, missing, strict=True)]
    return pd.Series(words, index=series.index)


def _dates(series: Any) -> Any:
    """Return ``series`` as ``datetime64`` (itself when it already is); unreadable is NaT."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    if pd.api.types.is_numeric_dtype(series):  # 2024 or 20240307, not nanoseconds since 1970
        series = _text(series)
    with warnings.catch_warnings():  # pandas' note that it parses value by value
        warnings.filterwarnings("ignore", "Could not infer format", UserWarning)
        try:
            return pd.to_datetime(series, errors="coerce")
        except (ValueError, TypeError):  # mixed time zones or types: as UTC, naive
            dates = pd.to_datetime(series.astype(str), errors="coerce", utc=True)
            return dates.dt.tz_localize(None)


def _as_kind(series: Any, kind: str, where: str) -> Any:
    """Return ``series`` in ``kind`` (itself when it already is).

    Raises:
        DataError: an integer or real column holds a value that is not a number.
    """
    if kind == "text":
        return _text(series)
    if kind == "date":
        return _dates(series)
    return _numbers(series, kind, where)


def _coordinate(series: Any, name: str, where: str) -> Any:
    """Return a lat or lon column as float degrees (NaN where blank).

    Raises:
        DataError: a value is not a number, or lies beyond ±90° (lat) or ±180° (lon).
    """
    import numpy as np

    numbers = _numbers(series, "real", where).to_numpy(dtype="float64", na_value=np.nan)
    limit = _LIMITS[name]
    off = np.isfinite(numbers) & (np.abs(numbers) > limit)
    if off.any():
        swapped = " (are lat and lon swapped?)" if name == "lat" else ""
        raise _bad(where, numbers, off, f"beyond ±{limit:g}°{swapped}")
    return numbers


def _with_geometry(frame: Any, source: str | os.PathLike[str]) -> Any:
    """Return a table without geometry (a CSV) as a GeoDataFrame, the points from its lat
    and lon columns (a row missing either has no point) or its WKT ``geometry`` column.

    Raises:
        DataError: neither lat and lon nor geometry is there, or a value is not of its kind.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    have = [c for c in POINT_COLUMNS if c in frame.columns]
    if have:
        missing = [c for c in POINT_COLUMNS if c not in frame.columns]
        if missing:
            raise DataError(f"{source}: a {have[0]!r} column but no {missing[0]!r} column")
        lat, lon = (_coordinate(frame[c], c, f"{source}: column {c!r}") for c in POINT_COLUMNS)
        points = shapely.points(lon, lat)
        points[~(np.isfinite(lon) & np.isfinite(lat))] = None
        rest = frame.drop(columns=list(POINT_COLUMNS))
        return gpd.GeoDataFrame(rest, geometry=gpd.GeoSeries(points, index=frame.index), crs=4326)
    if "geometry" in frame.columns:
        values = frame["geometry"].to_numpy(dtype=object)
        missing = frame["geometry"].isna().to_numpy()
        text = np.array([v if isinstance(v, str) and v.strip() else None for v in values])
        shapes = shapely.from_wkt(text, on_invalid="ignore")
        given = np.array([isinstance(v, shapely.Geometry) for v in values], dtype=bool)
        shapes[given] = values[given]  # shapes already, not their text
        blank = np.array([isinstance(v, str) and not v.strip() for v in values], dtype=bool)
        unread = ~(missing | blank) & shapely.is_missing(shapes)
        if unread.any():
            raise _bad(f"{source}: column 'geometry'", values, unread, "not a WKT geometry")
        rest = frame.drop(columns=["geometry"])
        return gpd.GeoDataFrame(rest, geometry=gpd.GeoSeries(shapes, index=frame.index), crs=4326)
    raise DataError(f"{source}: no 'lat' and 'lon' columns (nor a WKT 'geometry' column)")


def _check_points(frame: Any, source: str | os.PathLike[str]) -> None:
    """Raise DataError unless every geometry of ``frame`` is a point on the globe or None."""
    import numpy as np
    import shapely

    where = f"{source}: column {frame.geometry.name!r}"
    geoms = np.asarray(frame.geometry.array, dtype=object)
    types = shapely.get_type_id(geoms)
    other = (types != -1) & (types != shapely.GeometryType.POINT)
    if other.any():
        i = int(np.flatnonzero(other)[0])
        raise DataError(f"{where} holds a {geoms[i].geom_type} in row {i + 1}; an event is a point")
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    off = (np.isfinite(x) & (np.abs(x) > 180)) | (np.isfinite(y) & (np.abs(y) > 90))
    if off.any():
        i = int(np.flatnonzero(off)[0])
        raise DataError(
            f"{where} holds the point ({x[i]:g}, {y[i]:g}) in row {i + 1}, "
            "beyond ±180° longitude or ±90° latitude"
        )
