"""Articles → events: theme, place, date, evidence and precision for every reported event.

An event is a sentence whose words mark a theme (see :mod:`geo.themes`) tied
to a place the same sentence names, or, when it names none, the last place
named in the sentence before it in the same paragraph.  A sentence naming
several places gives one event per place; a province is dropped when the
sentence also names a place inside it; events repeated within an article
merge.  Only places in the DPRK and the Chinese and Russian border provinces
carry events (a Seoul dateline is a mention, not an event location).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazetteer import Gazetteer
from geo.article import Article, ReadFailure
from geo.dates import event_date
from geo.linking import Linker, Mention
from geo.sentences import sentences
from geo.themes import Theme, load_themes, theme_counter

#: Event columns, in order (DESIGN.md "Data contracts").
EVENT_COLUMNS = [
    "event_id",
    "article_id",
    "theme",
    "place_id",
    "place",
    "country",
    "admin1",
    "precision",
    "date",
    "date_precision",
    "evidence",
    "evidence_start",
    "evidence_end",
    "title",
    "source",
    "url",
    "confidence",
    "geometry",
]

#: First-level units outside the DPRK where events are located (the border region).
BORDER_REGION = frozenset({"Liaoning", "Jilin", "Heilongjiang", "Primorsky Krai"})

_PRECISION_RANK = {"site": 0, "town": 1, "county": 2, "province": 3, "country": 4}
_DATE_RANK = {"day": 0, "month": 1, "year": 2, "article": 3}


@dataclass(frozen=True)
class Event:
    """One reported event (fields as in DESIGN.md's event row; ``lat``/``lon`` give the point)."""

    event_id: str
    article_id: str
    theme: str
    place_id: str
    place: str
    country: str
    admin1: str
    precision: str
    date: dt.date | None
    date_precision: str
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


def _eventful(m: Mention) -> bool:
    """Return True for mentions that can locate an event: DPRK or border-region places, not
    rivers (a river is hundreds of kilometres long; its point would claim a false precision)."""
    return (m.country == "KP" or m.admin1 in BORDER_REGION) and m.kind != "river"


def _event_id(article_id: str, theme: str, place_id: str) -> str:
    return hashlib.sha1(f"{article_id}|{theme}|{place_id}".encode()).hexdigest()[:16]


class EventExtractor:
    """Turn articles into events with one gazetteer and one theme lexicon (reuse for many)."""

    def __init__(
        self, gazetteer: Gazetteer | None = None, themes: list[Theme] | None = None
    ) -> None:
        self.linker = Linker(gazetteer or Gazetteer.default())
        self.themes = themes if themes is not None else load_themes()
        self._themes_of = theme_counter(self.themes)

    def process(self, article: Article) -> ArticleResult:
        """Return the article's mentions and events."""
        text = article.text
        bounds = sentences(text)
        mentions = self.linker.mentions(text, bounds)
        result = ArticleResult(article, mentions)
        by_key: dict[tuple[str, str], Event] = {}
        previous: tuple[int, list[Mention]] | None = None  # (paragraph, mentions) of last sentence
        mi = 0
        for start, end, para in bounds:
            while mi < len(mentions) and mentions[mi].start < start:
                mi += 1
            here = []
            j = mi
            while j < len(mentions) and mentions[j].end <= end:
                here.append(mentions[j])
                j += 1
            places = self._places(here)
            confidence_factor = 1.0
            if not places and previous is not None and previous[0] == para:
                places = self._places(previous[1])
                confidence_factor = 0.7
            if here:
                previous = (para, here)
            if not places:
                continue
            sentence = text[start:end]
            found = self._themes_of(sentence)
            if not found:
                continue
            when, precision = event_date(sentence, article.date)
            for theme, hits in found.items():
                for m in places:
                    conf = round(m.confidence * (0.9 if hits > 1 else 0.75) * confidence_factor, 3)
                    event = Event(
                        _event_id(article.article_id, theme, m.place_id),
                        article.article_id,
                        theme,
                        m.place_id,
                        m.name,
                        m.country,
                        m.admin1,
                        m.precision,
                        when,
                        precision,
                        sentence,
                        start,
                        end,
                        article.title,
                        article.source,
                        article.url,
                        conf,
                        m.lat,
                        m.lon,
                    )
                    k = (theme, m.place_id)
                    old = by_key.get(k)
                    if old is None or _DATE_RANK[precision] < _DATE_RANK[old.date_precision]:
                        by_key[k] = event
        events = list(by_key.values())
        # A country-level event only when the theme has nothing more specific in the article.
        specific = {e.theme for e in events if e.precision != "country"}
        result.events = [e for e in events if e.precision != "country" or e.theme not in specific]
        return result

    @staticmethod
    def _places(mentions: list[Mention]) -> list[Mention]:
        """Return the sentence's event places: the most specific ones, each place once."""
        if not mentions:
            return []
        eventful = [m for m in mentions if _eventful(m)]
        unique = list({m.place_id: m for m in eventful}.values())
        inner_admin1 = {m.admin1 for m in unique if m.precision not in ("province", "country")}
        kept = []
        for m in unique:
            if m.precision == "province" and m.admin1 in inner_admin1:
                continue
            if m.precision == "country" and len(unique) > 1:
                continue
            kept.append(m)
        return kept


def empty_events() -> Any:
    """Return an events GeoDataFrame with the event columns and no row."""
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in EVENT_COLUMNS if c != "geometry"})
    frame["date"] = pd.Series(dtype="datetime64[ns]")
    for c in ("evidence_start", "evidence_end"):
        frame[c] = pd.Series(dtype="int64")
    frame["confidence"] = pd.Series(dtype="float64")
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=4326), crs=4326)


def events_frame(events: Sequence[Event]) -> Any:
    """Return the events as a GeoDataFrame (EPSG:4326) with the documented columns."""
    import geopandas as gpd
    import pandas as pd

    if not events:
        return empty_events()
    rows = [{c: getattr(e, c) for c in EVENT_COLUMNS if c != "geometry"} for e in events]
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
    geometry = gpd.points_from_xy([e.lon for e in events], [e.lat for e in events])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)[EVENT_COLUMNS]


def extract_events(
    articles: Iterable[Article] | Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    gazetteer: Gazetteer | None = None,
    lexicon: str | Path | None = None,
    on_error: str = "warn",
    date: dt.date | None = None,
    failures: list[ReadFailure] | None = None,
    jobs: int | None = 1,
) -> Any:
    """Return the events of ``articles`` (Article objects, or files and folders to read).

    Files are read and extracted by :class:`geo.pipeline.Pipeline`, on ``jobs`` processes
    (``None``: every core); unreadable files follow ``on_error`` (see
    :func:`geo.article.read_articles`) and are appended to ``failures`` when a list is given.
    Article objects come first in the result, then the files' articles in read order.

    Returns:
        GeoDataFrame: one row per event, columns :data:`EVENT_COLUMNS`, EPSG:4326.

    Raises:
        FileError, DataError: an input or the lexicon cannot be read (``on_error="raise"``).
    """
    from geo.pipeline import Pipeline

    items = [articles] if isinstance(articles, (str, os.PathLike)) else list(articles)
    paths = [a for a in items if not isinstance(a, Article)]
    arts = [a for a in items if isinstance(a, Article)]
    events: list[Event] = []
    if arts:
        extractor = EventExtractor(gazetteer, load_themes(lexicon) if lexicon else None)
        events = [e for a in arts for e in extractor.process(a).events]
    if paths:
        pipeline = Pipeline(
            paths,
            gazetteer=gazetteer,
            lexicon=lexicon,
            on_error=on_error,
            date=date,
            jobs=jobs,
            keep_text=False,
        )
        for batch in pipeline:
            events += batch.events
        if failures is not None:
            failures.extend(pipeline.failures)
    return events_frame(events)
