"""Proximity queries over an events GeoDataFrame: flat verbs, GeoDataFrame in, GeoDataFrame out.

Every distance is in true kilometres on the WGS84 ellipsoid (see :mod:`geo.distance`; it agrees
with pyproj's ``Geod`` to about 0.1 %), never in degrees.  Distances to the border are measured
to the OpenStreetMap-derived line of :mod:`gazetteer.boundaries` (continued through the Yalu
and Tumen estuaries), so they carry that line's own error of tens to a few hundred metres.

The verbs combine freely, each returning a filtered copy::

    events = in_period(with_theme(events, "trade"), since="2024")
    events = near_border(events, km=20, border="china")   # adds distance_km
    events = nearest_crossing(events)                     # adds crossing, corridor, crossing_km

:func:`query` applies them all in one call, cheapest first, and :func:`summary` counts events
by corridor, province, theme or month.

Corridors (``nearest_crossing``, ``crossings``, the corridor rule) live in :mod:`geo.corridors`
and are re-exported here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from gazetteer.place import POINT_PRECISIONS
from geo.corridors import CORRIDOR_KM, crossings, lonlat, nearest_crossing
from nkmap.errors import DataError, InputError, UnknownPlaceError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray

    from gazetteer import Gazetteer, Place
    from geo.distance import LineIndex
    from nkmap.events_table import EventsFrame

#: The borders a distance can be measured to.
BORDERS = ("china", "russia", "any")

__all__ = [
    "BORDERS",
    "CORRIDOR_KM",
    "SUMMARY_KEYS",
    "border_distance_km",
    "check_border",
    "check_km",
    "crossings",
    "in_period",
    "in_province",
    "near_border",
    "near_place",
    "nearest_crossing",
    "parse_date",
    "place_distance_km",
    "province_name",
    "query",
    "resolve_place",
    "summary",
    "with_theme",
]

#: What :func:`summary` can count by.
SUMMARY_KEYS = ("corridor", "province", "theme", "category", "month")

#: The column the distance verbs add.
DISTANCE_COLUMN = "distance_km"
#: Column saying what an approximate event's distance was measured from.
MEASURED_COLUMN = "measured_from"


def is_located(events: EventsFrame) -> NDArray[np.bool_]:
    """Return a boolean array: True for events whose precision stands for a point (site,
    town or county), or that carry no precision column at all."""
    import numpy as np

    if "precision" not in events.columns:
        return np.ones(len(events), dtype=bool)
    return events["precision"].isin(POINT_PRECISIONS).to_numpy()


def _area_border_km(events: EventsFrame, index: LineIndex) -> Any:
    """Return, for each event, the distance in km from the nearest vertex of its DPRK
    province's outline (by ``admin1``) to the border line; NaN when no outline is known."""
    import numpy as np
    import shapely

    from gazetteer import boundaries
    from gazetteer.names import key

    frame = boundaries.provinces()
    by_key = {key(n): g for n, g in zip(frame["name"], frame["geometry"], strict=True)}
    out = np.full(len(events), np.nan)
    admin = events["admin1"].fillna("").astype(str) if "admin1" in events.columns else None
    if admin is None:
        return out
    cache: dict[str, float] = {}
    for i, a in enumerate(admin):
        if a not in cache:
            geom = by_key.get(key(a)) if a else None
            if geom is None:
                cache[a] = np.nan
            else:
                coords = shapely.get_coordinates(shapely.boundary(geom))
                cache[a] = float(np.min(index.distance_km(coords[:, 0], coords[:, 1])))
        out[i] = cache[a]
    return out


_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


# --- arguments ----------------------------------------------------------------------------


def check_km(km: Any, what: str = "distance") -> float:
    """Return ``km`` as a float when it is a finite, non-negative number of kilometres.

    >>> check_km("20")
    20.0

    Raises:
        InputError: ``km`` is negative, not a number, or not finite.
    """
    try:
        value = float(km)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number of km, not {km!r}") from None
    if not math.isfinite(value) or value < 0:
        raise InputError(f"{what} must be a non-negative number of km, not {km!r}")
    return value


def check_border(border: str) -> str:
    """Return ``border`` lower-cased when it is one of :data:`BORDERS`.

    Raises:
        InputError: any other value.
    """
    which = str(border).strip().lower()
    if which not in BORDERS:
        raise InputError(f"unknown border {border!r} (use one of {', '.join(BORDERS)})")
    return which


def parse_date(value: Any, *, end: bool = False) -> pd.Timestamp:
    """Return the first instant of a date, or with ``end`` the first instant after its period.

    ``value`` is ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` text, or a date/datetime/Timestamp.
    The period is the unit given: ``parse_date("2024", end=True)`` is 2025-01-01, so that
    ``date < end`` keeps the whole of 2024.

    >>> str(parse_date("2024-02", end=True).date())
    '2024-03-01'

    Raises:
        InputError: malformed text or an impossible date (names the value).
    """
    import pandas as pd

    if isinstance(value, (datetime, date, pd.Timestamp)):
        ts = pd.Timestamp(value)
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        return ts + pd.Timedelta(days=1) if end else ts
    text = str(value).strip()
    match = _DATE.fullmatch(text)
    if match is None:
        raise InputError(f"malformed date {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        ts = pd.Timestamp(year=year or 1, month=month or 1, day=day or 1)
    except ValueError:
        raise InputError(f"malformed date {value!r}: no such day") from None
    if not end:
        return ts
    if day is not None:
        return ts + pd.Timedelta(days=1)
    if month is not None:
        return ts + pd.DateOffset(months=1)
    return ts + pd.DateOffset(years=1)


def resolve_place(place: str | Place, gazetteer: Gazetteer | None = None) -> Place:
    """Return ``place`` itself, or the gazetteer's best place for a name.

    Raises:
        UnknownPlaceError: the name resolves to no place.
    """
    from gazetteer import Gazetteer, Place, best

    if isinstance(place, Place):
        return place
    gz = gazetteer or Gazetteer.default()
    found = best(gz.resolve(str(place)))
    if found is None:
        raise UnknownPlaceError(f"unknown place {place!r}")
    return found.place


# --- geometry helpers ---------------------------------------------------------------------


@cache
def _border_index(which: str) -> LineIndex:
    from gazetteer import boundaries
    from geo.distance import LineIndex

    return LineIndex(boundaries.border(which), cell_km=1.0)


# --- distances ------------------------------------------------------------------------------


def border_distance_km(events: EventsFrame, border: str = "any") -> pd.Series:
    """Return each event's distance in km to a DPRK land border, aligned on ``events.index``.

    ``border`` is ``"china"``, ``"russia"`` or ``"any"`` (the nearer of the two).  Events
    without a geometry get NaN.

    Raises:
        InputError: unknown ``border``.
    """
    import pandas as pd

    index = _border_index(check_border(border))
    lon, lat = lonlat(events)
    return pd.Series(index.distance_km(lon, lat), index=events.index, name=DISTANCE_COLUMN)


def near_border(
    events: EventsFrame, km: float = 20.0, border: str = "china", *, approximate: bool = False
) -> EventsFrame:
    """Return the events within ``km`` of a border, with their ``distance_km`` to it.

    Only events located at a point (precision site, town or county) are measured, unless
    ``approximate``: then province-level events count too, measured from the nearest edge of
    their province, and the ``measured_from`` column says ``"point"`` or ``"area edge"``.

    Raises:
        InputError: negative ``km`` or unknown ``border``.
    """
    import numpy as np

    limit = check_km(km, "--near-border")
    index = _border_index(check_border(border))
    lon, lat = lonlat(events)
    located = is_located(events)
    dist = np.full(len(events), np.inf)
    if located.any():
        dist[located] = index.distance_km(lon[located], lat[located], max_km=limit)
    if approximate and (~located).any():
        dist[~located] = np.nan_to_num(_area_border_km(events.loc[~located], index), nan=np.inf)
    keep = dist <= limit
    out = events.loc[keep].copy()
    out[DISTANCE_COLUMN] = dist[keep]
    if approximate:
        out[MEASURED_COLUMN] = np.where(located[keep], "point", "area edge")
    return out


def place_distance_km(
    events: EventsFrame, place: str | Place, gazetteer: Gazetteer | None = None
) -> pd.Series:
    """Return each event's geodesic distance in km to a place (a name or a :class:`Place`).

    A name is resolved in ``gazetteer`` (default: :meth:`Gazetteer.default`).

    Raises:
        UnknownPlaceError: the name resolves to no place.
    """
    import pandas as pd

    from geo.distance import geodesic_km

    target = resolve_place(place, gazetteer)
    lon, lat = lonlat(events)
    km = geodesic_km(lon, lat, target.lon, target.lat)
    return pd.Series(km, index=events.index, name=DISTANCE_COLUMN)


def near_place(
    events: EventsFrame, place: str | Place, km: float = 20.0, gazetteer: Gazetteer | None = None
) -> EventsFrame:
    """Return the events within ``km`` of a place, with their ``distance_km`` to it.

    A name is resolved in ``gazetteer`` (default: :meth:`Gazetteer.default`).

    Only events located at a point (precision site, town or county) are measured, and only
    those inside a bounding box of the circle (geodesically).

    Raises:
        InputError: negative ``km``.
        UnknownPlaceError: the name resolves to no place.
    """
    import numpy as np

    from geo.distance import geodesic_km

    limit = check_km(km, "--km")
    target = resolve_place(place, gazetteer)
    lon, lat = lonlat(events)
    dlat = limit / 110.0 + 0.01
    coslat = max(math.cos(math.radians(min(abs(target.lat) + dlat, 89.0))), 1e-6)
    dlon = limit / (111.0 * coslat) + 0.01
    with np.errstate(invalid="ignore"):
        box = (np.abs(lat - target.lat) <= dlat) & (np.abs(lon - target.lon) <= dlon)
    box &= is_located(events)
    dist = np.full(lon.size, np.inf)
    dist[box] = geodesic_km(lon[box], lat[box], target.lon, target.lat)
    keep = dist <= limit
    out = events.loc[keep].copy()
    out[DISTANCE_COLUMN] = dist[keep]
    return out


# --- attribute filters ----------------------------------------------------------------------


def province_name(name: str, gazetteer: Gazetteer | None = None) -> str:
    """Return the DPRK province that ``name`` names (any spelling, or its place id).

    A spelling the boundaries do not know is resolved in ``gazetteer`` (default:
    :meth:`Gazetteer.default`).

    >>> province_name("Yanggang-do")
    'Ryanggang'

    Raises:
        UnknownPlaceError: ``name`` names no DPRK province.
    """
    from gazetteer import boundaries
    from gazetteer.names import key

    frame = boundaries.provinces()
    wanted = key(str(name))
    for prov, pid in zip(frame["name"], frame["place_id"], strict=True):
        if wanted and (key(prov) == wanted or str(name).strip().lower() == pid):
            return str(prov)
    from gazetteer import Gazetteer

    gz = gazetteer if gazetteer is not None else Gazetteer.default()
    for cand in gz.resolve(str(name), country="KP", kind="province"):
        for prov, pid in zip(frame["name"], frame["place_id"], strict=True):
            if cand.place.id == pid:
                return str(prov)
    known = ", ".join(frame["name"])
    raise UnknownPlaceError(f"unknown province {name!r} (DPRK provinces: {known})")


def in_province(events: EventsFrame, name: str, gazetteer: Gazetteer | None = None) -> EventsFrame:
    """Return the events in a DPRK province (``name`` as :func:`province_name` takes it).

    An event is in the province when its ``admin1`` names the province; an event with no
    ``admin1`` (an events file without the column, or an empty value) when its point lies
    inside the province's polygon.

    Raises:
        UnknownPlaceError: ``name`` names no DPRK province.
    """
    import numpy as np
    import shapely

    from gazetteer import boundaries
    from gazetteer.names import key

    prov = province_name(name, gazetteer)
    frame = boundaries.provinces()
    polygon = frame.loc[frame["name"] == prov, "geometry"].iloc[0]
    shapely.prepare(polygon)
    lon, lat = lonlat(events)
    inside = shapely.contains_xy(polygon, np.nan_to_num(lon), np.nan_to_num(lat))
    inside &= np.isfinite(lon) & np.isfinite(lat)
    if "admin1" in events.columns:
        wanted = key(prov)
        admin = events["admin1"].fillna("").astype(str)
        folded = {a: key(a) == wanted for a in admin.unique()}
        named = admin.map(folded).to_numpy(dtype=bool)
        inside = np.where(admin.to_numpy() == "", inside, named)
    return events.loc[inside].copy()


def _require(events: EventsFrame, column: str, purpose: str) -> None:
    """Raise DataError naming ``column`` when ``events`` lacks it (it is needed ``purpose``)."""
    if column not in events.columns:
        have = ", ".join(str(c) for c in events.columns if c != "geometry") or "none"
        raise DataError(f"the events have no {column!r} column, needed {purpose} (columns: {have})")


def _dates(events: EventsFrame, purpose: str) -> pd.Series:
    """The events' ``date`` column as naive UTC datetimes, ``NaT`` where unreadable.

    Raises:
        DataError: there is no ``date`` column.
    """
    import pandas as pd

    _require(events, "date", purpose)
    try:
        dates = pd.to_datetime(events["date"], errors="coerce")
    except (ValueError, TypeError):  # mixed time zones, or values of several types
        dates = pd.to_datetime(events["date"].astype(str), errors="coerce", utc=True)
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates.astype(str), errors="coerce", utc=True)
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    return dates


def in_period(events: EventsFrame, since: Any = None, until: Any = None) -> EventsFrame:
    """Return the events dated from ``since`` through ``until`` (both included, either optional).

    ``since``/``until`` as :func:`parse_date`; ``until="2024"`` includes all of 2024.
    Undated events (``NaT``) are left out whenever a bound is given.

    Raises:
        InputError: a malformed date, or ``since`` after ``until``.
        DataError: the events have no ``date`` column.
    """
    if since is None and until is None:
        return events.copy()
    start = parse_date(since) if since is not None else None
    stop = parse_date(until, end=True) if until is not None else None
    if start is not None and stop is not None and start >= stop:
        raise InputError(f"--since {since} is after --until {until}")
    dates = _dates(events, "by --since/--until")
    keep = dates.notna()
    if start is not None:
        keep &= dates >= start
    if stop is not None:
        keep &= dates < stop
    return events.loc[keep.to_numpy()].copy()


def _theme_set(themes: str | Iterable[str]) -> set[str]:
    items = [themes] if isinstance(themes, str) else list(themes)
    return {t.strip().lower() for item in items for t in str(item).split(",") if t.strip()}


def with_theme(events: EventsFrame, themes: str | Iterable[str]) -> EventsFrame:
    """Return the events whose theme is one of ``themes`` (case-insensitive; "a,b" allowed).

    Raises:
        InputError: no theme given.
        DataError: the events have no ``theme`` column.
    """
    wanted = _theme_set(themes)
    if not wanted:
        raise InputError(f"no theme given in {themes!r}")
    _require(events, "theme", "by --theme")
    keep = events["theme"].fillna("").astype(str).str.lower().isin(wanted)
    return events.loc[keep.to_numpy()].copy()


# --- all together ---------------------------------------------------------------------------


def query(
    events: EventsFrame,
    *,
    near_border_km: float | None = None,
    border: str = "china",
    near: str | Place | None = None,
    km: float | None = None,
    province: str | None = None,
    themes: str | Iterable[str] | None = None,
    since: Any = None,
    until: Any = None,
    annotate: bool = True,
    approximate: bool = False,
    gazetteer: Gazetteer | None = None,
) -> EventsFrame:
    """Return the events that pass every filter given, cheapest filters first.

    Distance filters and corridors use only events located at a point (site, town,
    county) unless ``approximate`` (see :func:`near_border`).

    ``near_border_km`` keeps events within that distance of ``border``; ``near`` with ``km``
    (default 20) keeps events within ``km`` of a place.  With ``annotate`` the result has
    ``distance_km`` (to the place when ``near`` is given, else to ``border``) and the nearest
    crossing's columns (see :func:`nearest_crossing`).  Names of places and provinces, and
    the crossings, come from ``gazetteer`` (default: :meth:`Gazetteer.default`).

    Raises:
        InputError: a negative distance, an unknown border, a malformed date, ``km``
            without ``near``.
        UnknownPlaceError: ``near`` or ``province`` names nothing known.
    """
    border = check_border(border)
    if near_border_km is not None:
        near_border_km = check_km(near_border_km, "--near-border")
    if km is not None:
        km = check_km(km, "--km")
        if near is None:
            raise InputError("--km needs --near PLACE")
    target = resolve_place(near, gazetteer) if near is not None else None
    prov = province_name(province, gazetteer) if province is not None else None
    if since is not None:
        parse_date(since)
    if until is not None:
        parse_date(until)
    out = events
    if themes is not None:
        out = with_theme(out, themes)
    if since is not None or until is not None:
        out = in_period(out, since, until)
    if near_border_km is not None:
        out = near_border(out, near_border_km, border, approximate=approximate)
    if target is not None:
        out = near_place(out, target, 20.0 if km is None else km, gazetteer)
    if prov is not None:
        out = in_province(out, prov, gazetteer)
    if out is events:
        out = events.copy()
    if not annotate:
        return out
    if target is None and near_border_km is None:
        out[DISTANCE_COLUMN] = _annotated_border_km(out, border, approximate)
    return nearest_crossing(out, gazetteer)


def _annotated_border_km(events: EventsFrame, border: str, approximate: bool) -> Any:
    """Return each event's distance to ``border``: from its point when it is located, from
    its province's nearest edge when ``approximate``, else NaN."""
    import numpy as np

    dist = border_distance_km(events, border).to_numpy().copy()
    located = is_located(events)
    if (~located).any():
        if approximate:
            dist[~located] = _area_border_km(events.loc[~located], _border_index(border))
        else:
            dist[~located] = np.nan
    return dist


def summary(
    events: EventsFrame, by: str = "corridor", gazetteer: Gazetteer | None = None
) -> pd.DataFrame:
    """Return event counts by corridor, province, theme, category (the strand of the border
    economy an event bears on) or month: columns ``[by, "events"]``.

    Rows are the largest counts first (months in calendar order).  Events with no value
    count under "(none)" (corridor), "(unknown)" (province, theme, category) or "(undated)"
    (month).
    Corridors not in the events are found with ``gazetteer``'s crossings (default:
    :meth:`Gazetteer.default`).

    Raises:
        InputError: ``by`` is not one of :data:`SUMMARY_KEYS`.
        DataError: ``by="month"`` and the events have no ``date`` column.
    """
    import pandas as pd

    if by not in SUMMARY_KEYS:
        raise InputError(f"cannot summarise by {by!r} (use one of {', '.join(SUMMARY_KEYS)})")
    if by == "corridor":
        frame = events if "corridor" in events.columns else nearest_crossing(events, gazetteer)
        values = frame["corridor"].fillna("").astype(str).replace("", "(none)")
    elif by == "month":
        values = _dates(events, "to count by month").dt.strftime("%Y-%m").fillna("(undated)")
    else:
        column = "admin1" if by == "province" else by
        if column in events.columns:
            values = events[column].fillna("").astype(str).replace("", "(unknown)")
        else:
            values = pd.Series("(unknown)", index=events.index)
    counts = values.value_counts()
    table = pd.DataFrame({by: counts.index.astype(str), "events": counts.to_numpy()})
    if by == "month":
        return table.sort_values(by, kind="stable").reset_index(drop=True)
    return table.sort_values(["events", by], ascending=[False, True]).reset_index(drop=True)
