"""A geopy-shaped geocoder over the offline gazetteer, for ``geopandas.tools.geocode``.

>>> import geopandas
>>> frame = geopandas.tools.geocode(["Hyesan", "Sinŭiju"], provider=OfflineGeocoder)
>>> list(frame["address"].str.split(",").str[0])
['Hyesan', 'Sinuiju']
"""

from __future__ import annotations

from typing import Any

from gazetteer.gazetteer import Gazetteer, best


class OfflineGeocoder:
    """Answer ``geocode(query)`` from the offline gazetteer, as geopy's geocoders do.

    ``geocode`` returns a ``geopy.location.Location`` (or a list of them with
    ``exactly_one=False``), or ``None`` when nothing scores above the threshold.
    """

    def __init__(
        self, gazetteer: Gazetteer | None = None, country: str | None = None, **_: Any
    ) -> None:
        self.gazetteer = gazetteer or Gazetteer.default()
        self.country = country

    def geocode(self, query: str, exactly_one: bool = True, **_: Any) -> Any:
        """Return the best Location for ``query`` (``exactly_one``) or all confident ones."""
        from geopy.location import Location

        candidates = self.gazetteer.resolve(query, country=self.country)

        def location(c: Any) -> Location:
            p = c.place
            address = ", ".join(
                dict.fromkeys(x for x in (p.name, p.admin2, p.admin1, p.country) if x)
            )
            raw = {
                "id": p.id,
                "kind": p.kind,
                "score": c.score,
                "matched_by": c.matched_by,
                "source": p.source,
            }
            return Location(address, (p.lat, p.lon), raw)

        if exactly_one:
            top = best(candidates)
            return location(top) if top else None
        confident = [c for c in candidates if c.score >= 0.5]
        return [location(c) for c in confident] or None
