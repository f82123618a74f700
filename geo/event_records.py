"""The event record and the events table: what extraction gives, without the rules that
find it (:mod:`geo.events`), so that writers, stores and a run's parent process read events
without loading the extractor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.article import Article
    from geo.linking import Mention
    from nkmap.events_table import EventsFrame

__all__ = [
    "DATE_COLUMNS",
    "EVENT_COLUMNS",
    "ArticleResult",
    "Event",
    "empty_events",
    "events_frame",
]

#: Event columns, in order (DESIGN.md "Data contracts").
EVENT_COLUMNS = [
    "event_id",
    "article_id",
    "theme",
    "category",
    "place_id",
    "place",
    "country",
    "admin1",
    "precision",
    "date",
    "date_precision",
    "published",
    "evidence",
    "evidence_start",
    "evidence_end",
    "title",
    "source",
    "url",
    "confidence",
    "geometry",
]

#: Event columns holding dates (datetime64 in frames, ISO ``YYYY-MM-DD`` in files).
DATE_COLUMNS = ("date", "published")


@dataclass(frozen=True)
class Event:
    """One reported event (fields as in DESIGN.md's event row; ``lat``/``lon`` give the point).

    ``theme`` is what happened (a theme id); ``category`` the strand of the border economy
    it bears on (:data:`nkmap.themes.CATEGORIES`: a crackdown on smugglers is a ``security``
    event bearing on ``cross-border trade``).
    """

    event_id: str
    article_id: str
    theme: str
    category: str
    place_id: str
    place: str
    country: str
    admin1: str
    precision: str
    date: dt.date | None
    date_precision: str
    published: dt.date | None
    evidence: str
    evidence_start: int
    evidence_end: int
    title: str
    source: str
    url: str
    confidence: float
    lat: float
    lon: float


@dataclass
class ArticleResult:
    """An article with its linked mentions and its events."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def empty_events() -> EventsFrame:
    """Return an events GeoDataFrame with the event columns and no row."""
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in EVENT_COLUMNS if c != "geometry"})
    for c in DATE_COLUMNS:
        frame[c] = pd.Series(dtype="datetime64[ns]")
    for c in ("evidence_start", "evidence_end"):
        frame[c] = pd.Series(dtype="int64")
    frame["confidence"] = pd.Series(dtype="float64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=4326), crs=4326)


def events_frame(events: Sequence[Event]) -> EventsFrame:
    """Return the events as a GeoDataFrame (EPSG:4326) with the documented columns."""
    import geopandas as gpd
    import pandas as pd

    if not events:
        return empty_events()
    rows = [{c: getattr(e, c) for c in EVENT_COLUMNS if c != "geometry"} for e in events]
    frame = pd.DataFrame(rows)
    for c in DATE_COLUMNS:
        frame[c] = pd.to_datetime(frame[c], errors="coerce")
    geometry = gpd.points_from_xy([e.lon for e in events], [e.lat for e in events])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)[EVENT_COLUMNS]
