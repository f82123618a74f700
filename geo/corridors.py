"""Border corridors: each event's nearest crossing, and the corridor it belongs to.

A corridor is a pair of towns facing each other across the border with the crossings between
them ("Dandong–Sinuiju", "Changbai–Hyesan", "Ji'an–Manpo", "Tumen–Namyang", "Hunchun–Rason",
…), as the gazetteer's crossings and bridges name them in their ``corridor`` field.

The rule: an event's ``corridor`` is the corridor of its nearest crossing (a gazetteer place
of kind ``crossing`` or ``bridge`` with a ``corridor``) when that crossing lies within
:data:`CORRIDOR_KM`; otherwise it is the empty string.  Distances are true kilometres
(:mod:`geo.distance`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from gazetteer.place import POINT_PRECISIONS
from nkmap.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from gazetteer import Gazetteer, Place
    from geo.distance import PointIndex
    from nkmap.events_table import EventsFrame

#: An event whose nearest crossing is farther than this has no corridor.
CORRIDOR_KM = 50.0

#: Place kinds whose corridor names an event's corridor.
CROSSING_KINDS = ("crossing", "bridge")

#: Columns :func:`nearest_crossing` adds.
CROSSING_COLUMNS = ("crossing", "crossing_id", "crossing_km", "corridor")


def lonlat(events: EventsFrame) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the events' longitudes and latitudes (centroids for non-points, NaN when empty)."""
    import numpy as np
    import shapely

    geoms = np.asarray(events.geometry.values, dtype=object)
    if events.crs is not None and events.crs.to_epsg() != 4326:
        geoms = np.asarray(events.geometry.to_crs(4326).values, dtype=object)
    kinds = shapely.get_type_id(geoms)
    if (kinds > 0).any():  # not only points (or missing, -1)
        geoms = np.where(kinds > 0, shapely.centroid(geoms), geoms)
    return shapely.get_x(geoms), shapely.get_y(geoms)


def _build_crossings(gazetteer: Gazetteer) -> tuple[tuple[Place, ...], PointIndex]:
    from geo.distance import PointIndex

    places = tuple(
        p
        for p in gazetteer.places()
        if p.kind in CROSSING_KINDS and p.corridor and math.isfinite(p.lat)
    )
    if not places:
        raise InputError("the gazetteer has no border crossing with a corridor")
    return places, PointIndex([p.lon for p in places], [p.lat for p in places])


def _crossings(gazetteer: Gazetteer | None) -> tuple[tuple[Place, ...], PointIndex]:
    """Return the crossings of ``gazetteer`` (the default one when None) and their index,
    built once per gazetteer (kept on it)."""
    from gazetteer import Gazetteer

    gz = gazetteer if gazetteer is not None else Gazetteer.default()
    return gz.derived(__name__ + ".crossings", _build_crossings)


def crossings(gazetteer: Gazetteer | None = None) -> list[Place]:
    """Return the border crossings and bridges that carry a corridor, from ``gazetteer``
    (default: :meth:`Gazetteer.default`).

    Raises:
        InputError: the gazetteer has none.
    """
    return list(_crossings(gazetteer)[0])


def nearest_crossing(events: EventsFrame, gazetteer: Gazetteer | None = None) -> EventsFrame:
    """Return a copy of the events with their nearest border crossing and corridor.

    Adds ``crossing`` (name), ``crossing_id``, ``crossing_km`` and ``corridor``; the corridor
    is empty when the nearest crossing is farther than :data:`CORRIDOR_KM`, or when the event
    stands for an area (precision province or country), and everything is empty or NaN for
    an event without a geometry.  The crossings are ``gazetteer``'s (default:
    :meth:`Gazetteer.default`).
    """
    import numpy as np

    places, index = _crossings(gazetteer)
    lon, lat = lonlat(events)
    which, km = index.nearest(lon, lat)
    names = np.array([p.name for p in places] + [""], dtype=object)
    ids = np.array([p.id for p in places] + [""], dtype=object)
    corridors = np.array([p.corridor for p in places] + [""], dtype=object)
    out = events.copy()
    out["crossing"] = names[which]
    out["crossing_id"] = ids[which]
    out["crossing_km"] = km
    near = which >= 0
    with np.errstate(invalid="ignore"):
        near &= km <= CORRIDOR_KM
    if "precision" in events.columns:  # an area is in no corridor
        near &= events["precision"].isin(POINT_PRECISIONS).to_numpy()
    out["corridor"] = np.where(near, corridors[which], "")
    return out
