"""Pick the place for each span, in the context of its article.

Context that moves the choice, in order of weight: a kind word next to the
name ("Unsan county", "Hyesan customs"), a province named in the same
sentence or elsewhere in the article ("Unsan county in North Pyongan"), the
counterpart across the border being mentioned too (Dandong with Sinuiju),
and a preference for the DPRK and its border region.  Misspellings are
linked (``matched_by="fuzzy"``) only when the context calls the word a
place and a province or list supports the guess.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from gazetteer import Candidate, Gazetteer, Place
from gazetteer.names import key
from geo.mentions import MentionFinder, Span
from geo.sentences import sentences

#: Links scoring below this are dropped.
MIN_CONFIDENCE = 0.5

_BORDER_ADMIN1 = {"Jilin", "Liaoning", "Primorsky Krai", "Heilongjiang"}
_KIND_GROUPS = {
    "county": {"county"},
    "city": {"city", "town", "district"},
    "province": {"province"},
    "district": {"district"},
    "town": {"town", "city", "district"},
    "crossing": {"crossing", "bridge"},
    "bridge": {"bridge", "crossing"},
    "port": {"port"},
    "zone": {"zone"},
    "river": {"river"},
}


@dataclass(frozen=True)
class Mention:
    """A place-name span linked to a place (fields as in DESIGN.md's mention contract)."""

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

    @classmethod
    def of(cls, span: Span, place: Place, confidence: float, matched_by: str) -> Mention:
        """Return the mention of ``place`` at ``span``."""
        return cls(
            span.surface,
            span.start,
            span.end,
            place.id,
            place.name,
            place.country,
            place.kind,
            place.lat,
            place.lon,
            round(min(confidence, 1.0), 3),
            matched_by,
            place.admin1,
            place.precision,
        )


class _Sentences:
    """The sentences of one text, for "which sentence is this offset in?" lookups."""

    def __init__(self, bounds: list[tuple[int, int, int]]) -> None:
        self.starts = [s for s, _, _ in bounds] or [0]
        self.ends = [e for _, e, _ in bounds] or [0]

    def bounds(self, pos: int) -> tuple[int, int]:
        """Return (start, end) of the sentence holding offset ``pos`` (or the one before it)."""
        i = max(0, bisect_right(self.starts, pos) - 1)
        return self.starts[i], self.ends[i]


def _plausible(c: Candidate, span: Span, *, at_sentence_start: bool) -> bool:
    """Return False for broad-layer matches that are more likely words or names than places.

    Curated places always pass.  A GeoNames place must be in the DPRK or the
    border provinces, or be a city of 100,000 or more; matched through an
    alternate name, it must be in that region and the name at least five
    letters; a one-word name at the start of a sentence does not count.
    """
    p = c.place
    if p.source == "curated":
        return True
    regional = p.country == "KP" or p.admin1 in _BORDER_ADMIN1
    if len(span.surface) < 4 or (at_sentence_start and " " not in span.surface):
        return False
    if c.matched_by == "alias":
        return regional and len(span.surface) >= 5
    return regional or p.population >= 100_000


class Linker:
    """Find and link the place mentions of texts with one gazetteer."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gz = gazetteer or Gazetteer.default()
        self.finder = MentionFinder(self.gz)
        self._south: list[int] = []
        self._sentences = _Sentences([])
        self._cache: dict[str, list[Candidate]] = {}

    def mentions(
        self, text: str, bounds: list[tuple[int, int, int]] | None = None
    ) -> list[Mention]:
        """Return the linked place mentions of ``text``, in text order.

        ``bounds`` are the text's sentences as :func:`geo.sentences.sentences` gives them
        (computed when not given).
        """
        spans = self.finder.spans(text)
        self._sentences = _Sentences(bounds if bounds is not None else sentences(text))
        options = {s: self._candidates(s.surface) for s in spans if not s.fuzzy}
        # Pass 1: what the article says without help: unambiguous names give its provinces.
        context_admin1: dict[str, int] = {}
        context_ids: set[str] = set()
        self._south = []  # where confident South Korean places are named
        for span, cands in options.items():
            top = self._pick(span, cands, {}, set(), text)
            if top is not None and top[1] >= 0.9:
                place = top[0]
                context_ids.add(place.id)
                if place.country == "KR" and place.kind != "country":
                    self._south.append(span.start)
                if place.admin1 and place.country == "KP":
                    context_admin1[place.admin1] = min(
                        context_admin1.get(place.admin1, span.start), span.start
                    )
        # Pass 2: every span in context.
        out: list[Mention] = []
        for span in spans:
            if span.fuzzy:
                mention = self._fuzzy(span, text, context_admin1)
            else:
                picked = self._pick(span, options[span], context_admin1, context_ids, text)
                mention = None
                if picked is not None and picked[1] >= MIN_CONFIDENCE:
                    mention = Mention.of(span, picked[0], picked[1], picked[2])
            if mention is not None:
                out.append(mention)
        return out

    def _candidates(self, surface: str) -> list[Candidate]:
        """Return the exact/alias candidates of a surface form (remembered across texts)."""
        found = self._cache.get(surface)
        if found is None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            found = self._cache[surface] = self.gz.resolve(surface, fuzzy=False, limit=25)
        return found

    def _pick(
        self,
        span: Span,
        cands: list[Candidate],
        context_admin1: dict[str, int],
        context_ids: set[str],
        text: str,
    ) -> tuple[Place, float, str] | None:
        s_start, s_end = self._sentences.bounds(span.start)
        cands = [c for c in cands if _plausible(c, span, at_sentence_start=span.start == s_start)]
        if not cands:
            return None
        sentence_admin1 = {a for a, pos in context_admin1.items() if s_start <= pos < s_end}
        # "Seoul's Gangnam district": beside a South Korean place, a North Korean namesake is
        # unlikely unless the sentence also names a place in the North.
        south_here = any(s_start <= pos < s_end for pos in self._south)
        north_here = any(s_start <= pos < s_end for pos in context_admin1.values())
        best: tuple[float, Candidate] | None = None
        for c in cands:
            p = c.place
            s = c.score
            if span.kind_hint:
                s += 0.15 if p.kind in _KIND_GROUPS.get(span.kind_hint, {span.kind_hint}) else -0.05
            if p.country == "KP" and south_here and not north_here:
                s -= 0.6
            elif p.country == "KP":
                s += 0.1
            elif p.admin1 in _BORDER_ADMIN1:
                s += 0.05
            if p.admin1 and p.admin1 in sentence_admin1:
                s += 0.15
            elif p.admin1 and p.admin1 in context_admin1:
                s += 0.08
            if p.pair and p.pair in context_ids:
                s += 0.1
            if p.source == "curated":
                s += 0.05
            if best is None or s > best[0] + 1e-9:
                best = (s, c)
        assert best is not None
        score, cand = best
        ambiguous = sum(1 for c in cands if c.score >= cand.score - 0.05) > 1
        confidence = min(1.0, score - (0.1 if ambiguous else 0.0))
        if cand.place.source != "curated":
            confidence -= 0.1
        return cand.place, confidence, cand.matched_by

    def _fuzzy(self, span: Span, text: str, context_admin1: dict[str, int]) -> Mention | None:
        # "the Hamgyong region" where the article names North Hamgyong: the province it means.
        if span.kind_hint == "province":
            for admin1 in context_admin1:
                if key(admin1) in ("north" + span.key, "south" + span.key):
                    found = self.gz.resolve(admin1, kind="province", country="KP", fuzzy=False)
                    if found:
                        return Mention.of(span, found[0].place, 0.6, "context")
        if not context_admin1:
            return None
        s_start, s_end = self._sentences.bounds(span.start)
        near = min(context_admin1, key=lambda a: 0 if s_start <= context_admin1[a] < s_end else 1)
        kinds = _KIND_GROUPS.get(span.kind_hint) if span.kind_hint else None
        cands = [
            c
            for c in self.gz.resolve(span.surface, near=near, kind=kinds, country="KP")
            if c.matched_by == "fuzzy" and c.place.admin1 == near
        ]
        if cands and cands[0].score >= MIN_CONFIDENCE:
            return Mention.of(span, cands[0].place, cands[0].score, "fuzzy")
        return None
