"""Pick the place for each span, in the context of its article.

Context that moves the choice, in order of weight: a containing unit written
beside the name ("Unchon County, South Hwanghae Province", "Ryanggang
Province's Bocheon County"), a kind word next to it ("Unsan county"), a
province named in the same sentence or elsewhere in the article, nearness to
the places the article names without doubt (a story about Hyesan; a Seoul
story about Gangnam), the counterpart across the border being mentioned too
(Dandong with Sinuiju), and a preference for the article's own country and
the DPRK.  One name keeps one sense through an article: the occurrence with
the strongest support decides for the others.

Names the gazetteer does not hold are linked only with support from the
article: a misspelling of a place it names ("Hesan" in a Hyesan story), a
kind-marked name near a known one in the same province (``matched_by=
"fuzzy"``), or a village, neighbourhood or facility ("Hwajeon Village",
"Yokjon-dong", "Haeyang port") placed through the county or town the text
puts it in (``matched_by="context"``, the mention's ``via`` names the place
whose point it carries).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gazetteer import Candidate, Gazetteer, Place
from gazetteer.gazetteer import haversine_km
from gazetteer.names import key
from geo.mentions import MentionFinder, Span
from geo.sentences import sentences
from nkmap.errors import UnknownPlaceError

#: Links scoring below this are dropped.
MIN_CONFIDENCE = 0.5
#: The confidence of a village or facility placed through the place around it.
VIA_CONFIDENCE = 0.55
#: The most distinct places an article's context keeps for distance checks.
MAX_ANCHORS = 64

_BORDER_ADMIN1 = {"Jilin", "Liaoning", "Primorsky Krai", "Heilongjiang"}
_KIND_GROUPS = {
    "county": {"county"},
    "city": {"city", "town", "district"},
    "province": {"province"},
    "district": {"district", "town"},
    "town": {"town", "city", "district"},
    "crossing": {"crossing", "bridge"},
    "bridge": {"bridge", "crossing"},
    "port": {"port"},
    "zone": {"zone"},
    "river": {"river"},
    "site": {"site"},
}
#: Kinds a place may contain a village or facility in, most specific first.
_CONTAINER_RANK = {"district": 0, "town": 0, "city": 1, "county": 1, "province": 3}
_FACILITY_KINDS = frozenset({"bridge", "crossing", "port", "site", "zone"})
_POINT_KINDS = frozenset({"city", "county", "district", "town", "crossing", "bridge", "port"})
#: What may separate a name from the unit written beside it as holding it ("Unchon County,
#: South Hwanghae", "Gwacheon, in Gyeonggi").
CONTAINER_GAP = re.compile(r"\s*,?\s*(?:in\s+|of\s+)?(?:the\s+)?")
_POSSESSIVE_GAP = re.compile(r"[’'ʼ]s\s+")


@dataclass(frozen=True)
class Mention:
    """A place-name span linked to a place (fields as in DESIGN.md's mention contract).

    ``via`` is set for a village, neighbourhood or facility the gazetteer does not
    hold: the id of the county, town or city whose point and precision it carries
    (``place_id`` is that place too; ``name`` is the small place's name as written).
    """

    surface: str
    start: int
    end: int
    place_id: str
    name: str
    country: str
    kind: str
    lat: float
    lon: float
    confidence: float
    matched_by: str
    admin1: str = ""
    precision: str = ""
    via: str = ""

    @classmethod
    def of(cls, span: Span, place: Place, confidence: float, matched_by: str) -> Mention:
        """Return the mention of ``place`` at ``span``."""
        rounded = _ROUNDED.get(confidence)
        if rounded is None:
            rounded = _rounded(confidence)
        return cls._made(span, place, place.name, place.kind, rounded, matched_by, "")

    @classmethod
    def through(cls, span: Span, place: Place) -> Mention:
        """Return the mention of a small place at ``span`` located through ``place``."""
        kind = span.kind_hint if span.kind_hint in ("town", "district", "port", "site") else "site"
        return cls._made(span, place, span.surface, kind, VIA_CONFIDENCE, "context", place.id)

    @classmethod
    def _made(
        cls,
        span: Span,
        place: Place,
        name: str,
        kind: str,
        confidence: float,
        matched_by: str,
        via: str,
    ) -> Mention:
        """Return the mention at ``span`` carrying ``place``'s id, country, point and
        precision, with the other fields given.

        Made by filling the new instance's ``__dict__`` at once: the frozen dataclass's
        ``__init__`` would set each of the fourteen fields through ``object.__setattr__``,
        for every mention of every article.
        """
        mention = object.__new__(cls)
        mention.__dict__.update(
            surface=span.surface,
            start=span.start,
            end=span.end,
            place_id=place.id,
            name=name,
            country=place.country,
            kind=kind,
            lat=place.lat,
            lon=place.lon,
            confidence=confidence,
            matched_by=matched_by,
            admin1=place.admin1,
            precision=place.precision,
            via=via,
        )
        return mention


_ROUNDED: dict[float, float] = {}  # see _rounded


def _rounded(confidence: float) -> float:
    """Return a mention's confidence: ``confidence`` at most 1, to three places (remembered:
    rounding to places is slow, and the scores a choice can have are few)."""
    if len(_ROUNDED) > 10_000:
        _ROUNDED.clear()
    rounded = _ROUNDED[confidence] = round(min(confidence, 1.0), 3)
    return rounded


_KM: dict[tuple[float, float, float, float], float] = {}  # see _km


def _km(a: Place, b: Place) -> float:
    """Return the great-circle distance between two places in kilometres (remembered by
    their points: the same pairs are measured article after article)."""
    points = (a.lat, a.lon, b.lat, b.lon)
    found = _KM.get(points)
    if found is None:
        if len(_KM) > 100_000:
            _KM.clear()
        found = _KM[points] = haversine_km(*points)
    return found


class _Sentences:
    """The sentences of one text, for "which sentence is this offset in?" lookups."""

    def __init__(self, bounds: list[tuple[int, int, int]]) -> None:
        self.starts = [s for s, _, _ in bounds] or [0]
        self.ends = [e for _, e, _ in bounds] or [0]
        self._at: dict[int, tuple[int, int]] = {}  # each span's start is asked about twice

    def bounds(self, pos: int) -> tuple[int, int]:
        """Return (start, end) of the sentence holding offset ``pos`` (or the one before it)."""
        found = self._at.get(pos)
        if found is None:
            i = max(0, bisect_right(self.starts, pos) - 1)
            found = self._at[pos] = (self.starts[i], self.ends[i])
        return found


def _any_in(positions: list[int], start: int, end: int) -> bool:
    """Return True when a sorted position list has one in [start, end)."""
    i = bisect_left(positions, start)
    return i < len(positions) and positions[i] < end


class _Context:
    """What an article's confident mentions say: where they are and in which units."""

    def __init__(self) -> None:
        self.anchors: dict[str, Place] = {}
        self.admin1_pos: dict[str, list[int]] = {}
        self.kp_pos: list[int] = []
        self.kr_pos: list[int] = []
        self.countries: dict[str, int] = {}
        self.home = "KP"
        self.typo_pool: dict[str, list[tuple[str, Place]]] | None = None  # by first letter
        self.typos: dict[str, tuple[Place, float] | None] = {}  # see Linker._misspelt
        self.admin1_keys: dict[str, set[str]] = {}  # the names that put each province here
        self.anchor_keys: dict[str, set[str]] = {}  # the names each anchor was read from
        self._near: dict[tuple[str, str], float] = {}
        # The anchors as (id, lat, lon, names read, place), in the order they came: the
        # distance loop reads tuple items, not attributes and a dict, for each anchor.
        self._points: list[tuple[str, float, float, set[str], Place]] = []
        self._here: dict[tuple[int, int], tuple[set[str], bool, bool]] = {}
        # One tuple for sentences that have alike what sentence() tells: a choice made in
        # one of them holds in the others (see Linker._in_context).
        self._alike: dict[tuple[frozenset[str], bool, bool], tuple[set[str], bool, bool]] = {}

    def add(self, place: Place, pos: int, name_key: str) -> None:
        kind = place.kind
        if kind == "country":
            return
        self._here.clear()
        self._alike.clear()
        admin1, country = place.admin1, place.country
        if admin1:
            positions = self.admin1_pos.get(admin1)
            if positions is None:  # a province's positions and keys are made together
                self.admin1_pos[admin1] = [pos]
                self.admin1_keys[admin1] = {name_key}
            else:
                insort(positions, pos)
                self.admin1_keys[admin1].add(name_key)
        if country == "KP":
            insort(self.kp_pos, pos)
        elif country == "KR":
            insort(self.kr_pos, pos)
        point = kind in _POINT_KINDS or (kind == "province" and place.population)
        if point and place.id in self.anchors:
            self.anchor_keys[place.id].add(name_key)
        elif point and len(self.anchors) < MAX_ANCHORS:
            self.anchors[place.id] = place
            names = self.anchor_keys[place.id] = {name_key}
            self._points.append((place.id, place.lat, place.lon, names, place))
            self.countries[place.country] = self.countries.get(place.country, 0) + 1

    def settle(self) -> None:
        """Fix the article's home country: the one most of its places lie in (DPRK on ties)."""
        if self.countries:
            top = max(self.countries.values())
            if self.countries.get("KP", 0) < top:
                self.home = max(self.countries, key=lambda c: self.countries[c])

    def nearest_km(self, place: Place, name_key: str = "") -> float:
        """Return the distance to the nearest other anchor (infinity when there is none).

        Anchors read only from ``name_key`` itself are no support for its candidates.
        """
        found = self._near.get((place.id, name_key))
        if found is not None:
            return found
        # Nearest by a flat approximation, then the great-circle distance to that one.
        pid, lat, lon = place.id, place.lat, place.lon
        scale = math.cos(math.radians(lat)) ** 2
        best, nearest = math.inf, None
        own = {name_key}
        for other_id, other_lat, other_lon, names, other in self._points:
            if other_id != pid and names != own:
                d2 = (other_lat - lat) ** 2 + scale * (other_lon - lon) ** 2
                if d2 < best:
                    best, nearest = d2, other
        km = math.inf if nearest is None else _km(place, nearest)
        self._near[(place.id, name_key)] = km
        return km

    def admin1_in(self, start: int, end: int) -> set[str]:
        """Return the provinces with a position in ``[start, end)`` (as :func:`_any_in` finds
        it, written out: this runs for every province at every sentence)."""
        return {
            a
            for a, pos in self.admin1_pos.items()
            if (i := bisect_left(pos, start)) < len(pos) and pos[i] < end
        }

    def sentence(self, start: int, end: int) -> tuple[set[str], bool, bool]:
        """Return what the context has in ``[start, end)`` (a sentence): the provinces
        named there, and whether a South and a North Korean place are (remembered until
        the context grows; the set is not to be changed).  Sentences that have the same
        get the same tuple."""
        found = self._here.get((start, end))
        if found is None:
            admin1 = self.admin1_in(start, end)
            south, north = _any_in(self.kr_pos, start, end), _any_in(self.kp_pos, start, end)
            found = self._alike.setdefault(
                (frozenset(admin1), south, north), (admin1, south, north)
            )
            self._here[(start, end)] = found
        return found


#: A name joining two places ("Tumen-Namyang crossing"): no generic alias.
_PAIR_NAME = re.compile(r"[A-Z][\w'’]+\s?[-–]\s?[A-Z]")


def _plausible(c: Candidate, span: Span, *, at_sentence_start: bool) -> bool:
    """Return False for broad-layer matches that are more likely words or names than places.

    Curated places always pass, and so do first-level units and cities of a million
    people.  Otherwise a GeoNames place must be in the DPRK or the border provinces, or
    be a city of 100,000 or more; matched through an alternate name, it must be in that
    region and the name at least five letters (or a city of half a million and the name
    six letters); a one-word name at the start of a sentence does not count.
    """
    p = c.place
    if p.source == "curated":
        return True
    if len(span.surface) < 4:
        return False
    if p.kind == "province" and c.matched_by != "fuzzy":
        return True
    if p.population >= 1_000_000 and (c.matched_by == "exact" or len(span.surface) >= 6):
        return True
    regional = p.country == "KP" or p.admin1 in _BORDER_ADMIN1
    if at_sentence_start and " " not in span.surface:
        return False
    if c.matched_by == "alias":
        return (regional and len(span.surface) >= 5) or (
            p.population >= 500_000 and len(span.surface) >= 6
        )
    return regional or p.population >= 100_000


@dataclass
class _Choice:
    place: Place
    score: float
    matched_by: str
    ambiguous: bool
    pinned: bool  # a written container decided it; the article's sense does not override


@dataclass(slots=True)
class _Reading:
    """What the gazetteer alone says of a surface, opening a sentence or not.

    Nothing in it comes from an article (a linker keeps it across articles, as it keeps
    a surface's candidates): the plausible candidates, the ids held back only because
    the surface opens a sentence (None when none are), and the choice among the
    candidates without context, by kind word (made when a span first needs it).
    """

    options: list[Candidate]
    held_back: set[str] | None
    first: dict[str, _Choice | None]


#: What a memo of choices gives for a case it has not met (typed as any value: a choice or
#: None may stand where it is found).
_UNREAD: Any = object()


class Linker:
    """Find and link the place mentions of texts with one gazetteer."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gz = gazetteer or Gazetteer.default()
        self.finder = MentionFinder(self.gz)
        self._sentences = _Sentences([])
        self._cache: dict[str, list[Candidate]] = {}
        self._readings: dict[tuple[str, bool], _Reading] = {}  # see _read
        self._by_admin1: dict[str, list[tuple[str, Place]]] = {}  # see _province_places
        self._curated: list[Place] | None = None  # the curated places inside a province
        self._pools: dict[tuple[str, str, int], list[tuple[str, Place]]] = {}  # see _sized
        self._keys_of: dict[str, list[str]] = {}  # see _typo_keys

    def mentions(
        self, text: str, bounds: list[tuple[int, int, int]] | None = None
    ) -> list[Mention]:
        """Return the linked place mentions of ``text``, in text order.

        ``bounds`` are the text's sentences as :func:`geo.sentences.sentences` gives them
        (computed when not given).
        """
        spans = self.finder.spans(text)
        self._sentences = _Sentences(bounds if bounds is not None else sentences(text))
        readings, held_back = self._options(spans)
        # Pass 1: what the article says without help: unambiguous names give its context.
        ctx = _Context()
        first: dict[int, _Choice] = {}
        for i, reading in readings.items():
            # Without context a choice depends only on the candidates and the kind word:
            # the reading of the surface keeps it.
            kind_hint = spans[i].kind_hint
            top = reading.first.get(kind_hint, _UNREAD)
            if top is _UNREAD:
                top = reading.first[kind_hint] = self._pick(spans[i], reading.options, None, None)
            if top is not None:
                first[i] = top
                if top.score >= 0.9 and not top.ambiguous:
                    ctx.add(top.place, spans[i].start, spans[i].key)
        ctx.settle()
        # Pass 2: every known name in context, then one sense per name.
        chosen = self._in_context(text, spans, readings, held_back, first, ctx)
        linked = self._accept(spans, chosen, ctx)
        # Pass 3: names the gazetteer does not hold, placed through the article.
        small_vias: dict[str, Place] = {}  # one small name, one place around it
        settled = list(linked.values())  # the places small names may be placed through
        placed: _Placed | None = None  # sorted from those only if a small name needs it
        for i, span in enumerate(spans):
            if i in linked:
                continue
            # Unknown, or only a far namesake ("Hesan", a town in China, in a Hyesan story).
            mention = self._fuzzy(span, ctx)
            if mention is None and span.small:
                if placed is None:
                    placed = _Placed(settled)
                via = small_vias.get(span.key) or self._via(span, placed)
                if via is not None:
                    small_vias.setdefault(span.key, via)
                    mention = Mention.through(span, via)
            if mention is not None:
                linked[i] = mention
        return [linked[i] for i in sorted(linked)]

    def _options(self, spans: list[Span]) -> tuple[dict[int, _Reading], list[int]]:
        """Return the reading of each known span (its plausible candidates, and the ids
        held back only because the span opens a sentence), by span index, and the indices
        of the spans whose readings hold some back."""
        readings: dict[int, _Reading] = {}
        held_back: list[int] = []
        known = self._readings
        bounds = self._sentences.bounds
        for i, s in enumerate(spans):
            if not s.fuzzy:
                starts = bounds(s.start)[0] == s.start
                found = known.get((s.surface, starts))
                if found is None:
                    found = self._read(s, starts)
                readings[i] = found
                if found.held_back is not None:
                    held_back.append(i)
        return readings, held_back

    def _read(self, span: Span, starts: bool) -> _Reading:
        """Return the reading of ``span``'s surface when it opens a sentence (``starts``)
        or not (remembered: it comes from the gazetteer alone)."""
        raw = self._candidates(span.surface)
        options = [c for c in raw if _plausible(c, span, at_sentence_start=starts)]
        held_back = None
        if starts and len(options) < len(raw):
            held_back = {c.place.id for c in raw if _plausible(c, span, at_sentence_start=False)}
        if len(self._readings) > 50_000:
            self._readings.clear()
        reading = self._readings[(span.surface, starts)] = _Reading(options, held_back, {})
        return reading

    def _in_context(
        self,
        text: str,
        spans: list[Span],
        readings: dict[int, _Reading],
        held_back: list[int],
        first: dict[int, _Choice],
        ctx: _Context,
    ) -> dict[int, _Choice]:
        """Return the choice for each known span in the article's context, one sense a name."""
        chosen: dict[int, _Choice] = {}
        bounds = self._sentences.bounds
        # A choice in context depends on the surface's reading, the kind word, the name, what
        # the sentence has (one tuple for sentences alike) and the unit written beside it:
        # made once for the spans sharing all five (a name told again is mostly told alike).
        picks: dict[tuple[int, str, str, int, int], _Choice | None] = {}
        for i, reading in readings.items():
            span = spans[i]
            container = self._container(text, spans, i, first)
            here = ctx.sentence(*bounds(span.start))
            how = (id(reading), span.kind_hint, span.key, id(here), id(container))
            top = picks.get(how, _UNREAD)
            if top is _UNREAD:
                top = picks[how] = self._pick(span, reading.options, ctx, container, here)
            if container is not None and (top is None or not top.pinned):
                # "Soncheon, Pyongan-Namdo": no namesake in the written province; the name
                # is a spelling of one of its units.
                top = self._fuzzy_within(spans[i], container) or top
            if top is not None:
                chosen[i] = top
        # "Tongchuan disclosed ...": a sentence-opening name takes the sense the article
        # gives it elsewhere (looked at only when such a name has ids held back).
        if held_back:
            senses = {spans[i].key: c for i, c in chosen.items() if not spans[i].fuzzy}
            for i in held_back:
                ids = readings[i].held_back
                sense = senses.get(spans[i].key)
                if i not in chosen and sense is not None and ids and sense.place.id in ids:
                    chosen[i] = _Choice(
                        sense.place, sense.score, sense.matched_by, sense.ambiguous, False
                    )
        self._one_sense(spans, chosen)
        return chosen

    def _accept(
        self, spans: list[Span], chosen: dict[int, _Choice], ctx: _Context
    ) -> dict[int, Mention]:
        """Return the mentions of the choices the article supports (by span index).

        Confident choices join the context first, so that they too explain misspellings
        ("Lantou" beside Langtou).
        """
        support: set[tuple[str, str]] | None = None  # made when a small place abroad needs it
        for i, choice in chosen.items():
            regional = choice.place.source == "curated" or choice.place.country == ctx.home
            if choice.score >= 0.8 and not choice.ambiguous and regional:
                ctx.add(choice.place, spans[i].start, spans[i].key)
        ctx.typo_pool = None
        linked: dict[int, Mention] = {}
        for i, choice in chosen.items():
            span = spans[i]
            place = choice.place
            if place.source != "curated" and not choice.pinned:
                d = ctx.nearest_km(place, span.key)
                if span.small and d > 150:
                    continue  # "Osan Dong" in a Hoeryong story: not the far town; placed later
                if d > 500 and place.country != ctx.home:
                    typo = self._fuzzy(span, ctx)
                    if typo is not None:  # "Hesan" in a Hyesan story: not Heshan, China
                        linked[i] = typo
                        continue
            if span.small and place.country != ctx.home:
                if support is None:
                    support = _support(spans, chosen)
                if not any(cc == place.country and k != span.key for cc, k in support):
                    continue  # "Geumcheon-gu" in a Seoul story: not Kumchon, North Hwanghae
            confidence = choice.score - (0.1 if choice.ambiguous else 0.0)
            if place.source != "curated":
                confidence -= 0.1
            if confidence >= MIN_CONFIDENCE:
                linked[i] = Mention.of(span, place, confidence, choice.matched_by)
        return linked

    def _candidates(self, surface: str) -> list[Candidate]:
        """Return the exact/alias candidates of a surface form (remembered across texts)."""
        found = self._cache.get(surface)
        if found is None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            found = self._cache[surface] = self.gz.resolve(surface, fuzzy=False, limit=25)
        return found

    def _container(
        self, text: str, spans: list[Span], i: int, first: dict[int, _Choice]
    ) -> Place | None:
        """Return the unit written right beside span ``i`` as containing it, if any.

        "Unchon County, South Hwanghae Province", "Gwacheon, in Gyeonggi", "Ryanggang
        Province's Bocheon County", "Gangwon Province in South Korea": a country,
        province, city or county next to the name.
        """
        span = spans[i]
        j = i + 1
        if j < len(spans) and j in first and spans[j].start - span.end <= 12:
            between = text[span.end : spans[j].start]
            place = first[j].place
            if (
                CONTAINER_GAP.fullmatch(between)
                and place.kind in ("country", "province", "county", "city")
                and first[j].score >= 0.9
                # "Hyesan City": one name, not a container
                and (between.strip() or place.kind == "province")
            ):
                return place
        j = i - 1
        if j >= 0 and j in first and span.start - spans[j].end <= 12:
            between = text[spans[j].end : span.start]
            place = first[j].place
            if (
                _POSSESSIVE_GAP.fullmatch(between)
                and place.kind in ("country", "province", "county", "city")
                and first[j].score >= 0.9
            ):
                return place
        return None

    def _pick(
        self,
        span: Span,
        cands: list[Candidate],
        ctx: _Context | None,
        container: Place | None,
        here: tuple[AbstractSet[str], bool, bool] = (frozenset(), False, False),
    ) -> _Choice | None:
        """Return the best of ``cands`` for ``span`` (None when there are none), without
        context (``ctx`` None) or in it, with ``here`` what the context has in the span's
        sentence (:meth:`_Context.sentence`)."""
        if not cands:
            return None
        # "Seoul's Gangnam district": beside a South Korean place, a North Korean namesake
        # is unlikely unless the sentence also names a place in the North.
        sentence_admin1, south_here, north_here = here
        in_container = container is not None and any(
            self._inside(c.place, container) for c in cands
        )
        kinds = _KIND_GROUPS.get(span.kind_hint, {span.kind_hint}) if span.kind_hint else None
        best: tuple[float, Candidate] | None = None
        for c in cands:
            p = c.place
            s = c.score
            if c.matched_by == "exact":
                s += 0.02
            if kinds is not None:
                s += 0.15 if p.kind in kinds else -0.05
            if ctx is None:
                s += 0.1 if p.country == "KP" else 0.05 if p.admin1 in _BORDER_ADMIN1 else 0.0
            else:
                generic = (
                    c.matched_by == "alias"
                    and len(span.surface.split()) <= 2
                    and not _PAIR_NAME.search(span.surface)  # "Tumen-Namyang crossing"
                )
                s += self._context_score(
                    p, ctx, span.key, generic, sentence_admin1, south_here, north_here
                )
            if in_container and container is not None:
                s += 0.3 if self._inside(p, container) else -0.2
            if p.source == "curated":
                s += 0.05
            if best is None or s > best[0] + 1e-9:
                best = (s, c)
        assert best is not None
        score, cand = best
        # A lone candidate has no rival (it is its own unit): most names have one.
        rivals = (
            0
            if len(cands) == 1
            else sum(
                1
                for c in cands
                if c.score >= cand.score - 0.05 and not _same_unit(c.place, cand.place)
            )
        )
        return _Choice(cand.place, score, cand.matched_by, rivals > 1, in_container)

    @staticmethod
    def _context_score(
        p: Place,
        ctx: _Context,
        name_key: str,
        generic: bool,
        sentence_admin1: AbstractSet[str],
        south_here: bool,
        north_here: bool,
    ) -> float:
        s = 0.0
        country, admin1 = p.country, p.admin1
        # A name is no context for itself: its own province counts only if others name it.
        keys = ctx.admin1_keys.get(admin1)
        own = keys is not None and len(keys) == 1 and name_key in keys  # == {name_key}, no set made
        if country == "KP" and south_here and not north_here:
            s -= 0.6
        elif country == ctx.home:
            s += 0.1
        elif country == "KP" or (admin1 in _BORDER_ADMIN1 and ctx.home == "KP"):
            s += 0.05
        if admin1 and not own and admin1 in sentence_admin1:
            s += 0.15
        elif generic and p.source != "curated" and country == "KP" and sentence_admin1:
            # "Dongyang …, near the border area of North Pyongan": a namesake found under
            # another spelling in a province the sentence does not write is another place.
            s -= 0.5
        elif admin1 and not own and admin1 in ctx.admin1_pos:
            s += 0.08
        if p.pair and p.pair in ctx.anchors:
            s += 0.1
        if ctx.anchors:
            d = ctx.nearest_km(p, name_key)
            s += 0.15 * max(0.0, 1.0 - d / 300.0)
            # A facility named only by a generic alias ("Friendship Bridge") far from
            # every place the article names is another thing of that name.
            if p.kind in _FACILITY_KINDS and d > 150:
                s -= 1.0 if generic else 0.3
            elif (
                p.source != "curated" and p.kind == "town" and d > 500 and p.population < 1_000_000
            ):
                s -= 0.3
        return s

    @staticmethod
    def _inside(place: Place, container: Place) -> bool:
        if container.kind == "country":
            return place.country == container.country
        if container.kind == "province":
            return bool(place.admin1) and place.admin1 == container.admin1
        return place.parent == container.id or place.admin2 == container.name

    @staticmethod
    def _one_sense(spans: list[Span], chosen: dict[int, _Choice]) -> None:
        """Give every occurrence of a name the sense its best-supported occurrence has."""
        # The best occurrence of each name in one walk (the first of the best, as max
        # would find it); only the names told more than once are walked again.
        top: dict[str, int] = {}
        again: dict[str, _Choice] = {}  # the names told more than once (winners below)
        for i, c in chosen.items():
            k = spans[i].key
            j = top.get(k)
            if j is None:
                top[k] = i
                continue
            again[k] = c
            best = chosen[j]
            if (c.pinned, c.score) > (best.pinned, best.score):
                top[k] = i
        if not again:
            return
        for k in again:
            again[k] = chosen[top[k]]
        for i, c in chosen.items():
            winner = again.get(spans[i].key)
            if winner is not None and not c.pinned and c.place.id != winner.place.id:
                chosen[i] = _Choice(
                    winner.place, winner.score, winner.matched_by, winner.ambiguous, False
                )

    def _province_places(self, admin1: str) -> list[tuple[str, Place]]:
        """Return (key, place) of the curated places under the province ``admin1``, by
        place and name in the gazetteer's order (remembered; a province's keys are made
        when it is first asked about: an archive's articles name few provinces)."""
        table = self._by_admin1.get(admin1)
        if table is None:
            if self._curated is None:
                self._curated = [
                    p
                    for p in self.gz.places(source="curated")
                    if p.admin1 and p.kind not in ("country", "province")
                ]
            table = self._by_admin1[admin1] = [
                (k, p)
                for p in self._curated
                if p.admin1 == admin1
                for k in map(key, (p.name, *p.aliases))
                if len(k) >= 4
            ]
        return table

    def _typo_keys(self, place: Place) -> list[str]:
        """Return the distinct keys of at least four letters of a place's name and first
        eight aliases, which a misspelling may be compared with (remembered: they come from
        the gazetteer alone)."""
        found = self._keys_of.get(place.id)
        if found is None:
            if len(self._keys_of) > 50_000:
                self._keys_of.clear()
            names = (place.name, *place.aliases[:8])
            found = [k for k in dict.fromkeys(key(n) for n in names) if len(k) >= 4]
            self._keys_of[place.id] = found
        return found

    def _sized(self, admin1: str, kind_hint: str, size: int) -> list[tuple[str, Place]]:
        """Return (key, place) of the curated places of a province, in table order, that
        :meth:`_closest` may match with a key of ``size`` letters (keys 2 letters longer or
        shorter or nearer), and that a kind word fits when ``kind_hint`` is given.

        Remembered, as they come from the gazetteer alone: the province's whole table is
        read once a kind and size, not for every name compared with it.
        """
        pool = self._pools.get((admin1, kind_hint, size))
        if pool is None:
            kinds = _KIND_GROUPS.get(kind_hint, {kind_hint}) if kind_hint else None
            pool = [
                (k, p)
                for k, p in self._province_places(admin1)
                if abs(len(k) - size) <= 2 and (kinds is None or p.kind in kinds)
            ]
            self._pools[(admin1, kind_hint, size)] = pool
        return pool

    def _fuzzy_within(self, span: Span, container: Place) -> _Choice | None:
        """Return the place of the container's province whose name ``span`` misspells."""
        pool = self._sized(container.admin1, "", len(span.key))
        found = self._closest(span.key, pool, 80, same_initial=False)
        if found is None:
            return None
        place, ratio = found
        return _Choice(place, 0.6 + 0.5 * (ratio - 80) / 20, "fuzzy", False, True)

    @staticmethod
    def _closest(
        k: str, pool: list[tuple[str, Place]], cutoff: float, *, same_initial: bool = True
    ) -> tuple[Place, float] | None:
        """Return the pool's place whose key is most like ``k`` (ratio at least ``cutoff``).

        Keys of another length (by more than 2) are skipped, and with ``same_initial``
        (pools drawn from a whole article) keys with another first letter too.
        """
        ratio = _ratio()
        best: tuple[Place, float] | None = None
        for other, place in pool:
            if abs(len(other) - len(k)) > 2 or (same_initial and other[:1] != k[:1]):
                continue
            r = ratio(k, other)
            if r >= cutoff and (best is None or r > best[1]):
                best = (place, r)
        return best

    def _fuzzy(self, span: Span, ctx: _Context) -> Mention | None:
        """Return the mention of an unknown name the article's context explains, or None."""
        if len(span.key) < 4:
            return None
        # "the Hamgyong region" where the article names North Hamgyong: the province it means.
        if span.fuzzy and span.kind_hint == "province":
            for admin1 in ctx.admin1_pos:
                if key(admin1) in ("north" + span.key, "south" + span.key):
                    unit = self.gz.resolve(admin1, kind="province", country="KP", fuzzy=False)
                    if unit:
                        return Mention.of(span, unit[0].place, 0.6, "context")
        # A misspelling of a place the article names ("Hesan" in a Hyesan story).
        found = self._misspelt(span.key, ctx)
        if found is not None:
            place, ratio = found
            return Mention.of(span, place, 0.5 + 0.4 * (ratio - 80) / 20, "fuzzy")
        # "Unseong county": a kind-marked name like a unit of a province the article names.
        if span.fuzzy and not span.small and span.kind_hint and span.kind_hint != "province":
            s_start, s_end = self._sentences.bounds(span.start)
            here = ctx.admin1_in(s_start, s_end)
            for admin1 in sorted(ctx.admin1_pos, key=lambda a: a not in here):
                pool = self._sized(admin1, span.kind_hint, len(span.key))
                found = self._closest(span.key, pool, 80, same_initial=False)
                if found is not None:
                    return Mention.of(span, found[0], 0.55, "fuzzy")
        return None

    def _misspelt(self, name_key: str, ctx: _Context) -> tuple[Place, float] | None:
        """Return the anchor of ``ctx`` whose name one of key ``name_key`` misspells, and
        their ratio (None when there is none).

        Remembered while the anchors' pool of keys stands: the answer depends on the key
        and the anchors alone, and an article's unknown words come back ("Residents",
        "Officials" open sentence after sentence).
        """
        if ctx.typo_pool is None:
            ctx.typo_pool = {}
            ctx.typos = {}
            for p in ctx.anchors.values():
                for k in self._typo_keys(p):
                    ctx.typo_pool.setdefault(k[:1], []).append((k, p))
        found = ctx.typos.get(name_key, _UNREAD)
        if found is _UNREAD:
            bucket = ctx.typo_pool.get(name_key[:1])
            found = None
            if bucket:
                own = {name_key}
                pool = [(k, p) for k, p in bucket if k != name_key and ctx.anchor_keys[p.id] != own]
                found = self._closest(name_key, pool, 80)
            ctx.typos[name_key] = found
        return found

    def _via(self, span: Span, placed: _Placed) -> Place | None:
        """Return the county, town or city that places the small place at ``span``.

        The most specific unit the same sentence names (the nearest on ties), else the
        nearest town-level place named before it, else after it.  A district ("Songpa-gu",
        "Yusun Labor District") is not placed through another district or a town.
        """
        tail = span.surface.lower().replace("-", " ").split()[-1]
        lowest = 1 if tail in ("gu", "guyok", "kuyok", "district", "zone") else 0
        s_start, s_end = self._sentences.bounds(span.start)
        best: tuple[int, int, Mention] | None = None
        for m in placed.between(s_start, s_end):
            rank = _CONTAINER_RANK.get(m.kind, 9)
            if lowest <= rank < 9:
                key_ = (rank, abs(m.start - span.start))
                if best is None or key_ < best[:2]:
                    best = (*key_, m)
        found = best[2] if best is not None else placed.nearest_town(span.start, lowest)
        if found is None:
            return None
        try:
            return self.gz.get(found.place_id)
        except UnknownPlaceError:
            return None


@lru_cache(maxsize=1)
def _ratio() -> Callable[[str, str], float]:
    """Return rapidfuzz's similarity ratio (imported when first needed, and only once: an
    import statement in the function costs half a microsecond at every call)."""
    from rapidfuzz.fuzz import ratio

    return ratio


class _Placed:
    """The mentions linked to gazetteer places, sorted, for "what is near here?" lookups."""

    def __init__(self, linked: list[Mention]) -> None:
        self.mentions = sorted((m for m in linked if not m.via), key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.towns: dict[int, list[Mention]] = {
            lowest: [m for m in self.mentions if lowest <= _CONTAINER_RANK.get(m.kind, 9) <= 1]
            for lowest in (0, 1)
        }
        self.town_starts = {k: [m.start for m in v] for k, v in self.towns.items()}

    def between(self, start: int, end: int) -> list[Mention]:
        """Return the mentions starting in [start, end)."""
        return self.mentions[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def nearest_town(self, pos: int, lowest: int) -> Mention | None:
        """Return the last town-level mention before ``pos``, else the first after it."""
        towns, starts = self.towns[lowest], self.town_starts[lowest]
        j = bisect_left(starts, pos)
        if j > 0:
            return towns[j - 1]
        return towns[j] if j < len(towns) else None


def _support(spans: list[Span], chosen: dict[int, _Choice]) -> set[tuple[str, str]]:
    """Return the (country, name key) of the confident choices of names that are not small
    places: a small place abroad needs another name of its country beside it."""
    return {
        (c.place.country, spans[i].key)
        for i, c in chosen.items()
        if c.score >= 0.9 and not spans[i].small and c.place.kind != "country"
    }


def _same_unit(a: Place, b: Place) -> bool:
    """Return True for one place and its own province-level twin (Pyongyang city/province)."""
    if a.id == b.id:
        return True
    return (a.parent == b.id or b.parent == a.id) and key(a.name) == key(b.name)
