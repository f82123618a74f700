"""The events table every package exchanges, as one type: :data:`EventsFrame`.

An events table is a GeoDataFrame in EPSG:4326 with one row per reported event.  Its
columns are the fields of the event record (``geo.event_records.Event``; the record's ``lat`` and
``lon`` are the point geometry), each of one kind (text, integer, real, date), and any
columns a query adds (``distance_km``, ``corridor`` …).  A table may lack some event
columns (a hand-made file of points and themes is an events table); a column it has holds
its kind.  ``geo.contract`` states the columns, derived from the record, and checks a table
where it enters nkmap (an events file or store is read) and where it leaves (one is
written); maps draws whatever it is given of this shape.

Every public function that takes or returns events says so with ``EventsFrame``.  pandas
and geopandas ship no type information, so to mypy a GeoDataFrame is ``Any``:
``EventsFrame`` is a class of its own that mypy keeps apart from a path, a list of
records or a plain value, while the frame's methods stay unchecked.  At run time it is
``geopandas.GeoDataFrame`` itself, imported on first use, so importing this module costs
nothing; modules name it in annotations only (under ``TYPE_CHECKING``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["EventsFrame"]

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

    class EventsFrame(GeoDataFrame):
        """An events table (see the module's docstring); a GeoDataFrame at run time."""

else:

    def __getattr__(name: str) -> Any:
        """Return :data:`EventsFrame` (``geopandas.GeoDataFrame``), importing geopandas."""
        if name == "EventsFrame":
            from geopandas import GeoDataFrame

            return GeoDataFrame
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
