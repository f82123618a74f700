"""The opt-in online fallback: any geopy geocoder, rate-limited, with timeouts, cached on disk."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gazetteer.errors import GeocoderUnavailable
from gazetteer.place import Place


class OnlineFallback:
    """Look names up with a geopy geocoder; remember every answer (and every miss) on disk.

    ``geocoder`` is any object with geopy's ``geocode(query, exactly_one=False,
    timeout=…)`` (tests pass a fake).  Calls are spaced by
    ``min_delay_seconds`` through geopy's ``RateLimiter``, whose clock and
    sleep can be replaced so tests never sleep.  Answers are cached in a JSON
    file keyed by query and country, so a name is sent at most once.
    """

    def __init__(
        self,
        geocoder: Any,
        cache_path: str | Path,
        *,
        min_delay_seconds: float = 1.0,
        timeout: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        self.geocoder = geocoder
        self.cache_path = Path(cache_path)
        self.timeout = timeout
        self._limited = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=0,
            swallow_exceptions=False,
        )
        self._limited._sleep = sleep
        self._lock = threading.Lock()
        self._cache: dict[str, list[dict[str, Any]]] | None = None

    @classmethod
    def nominatim(cls, user_agent: str = "nkmap", **kwargs: Any) -> OnlineFallback:
        """Return a fallback over OpenStreetMap's Nominatim, cached in nkmap's cache folder."""
        from geopy.geocoders import Nominatim

        from gazetteer.gazetteer import cache_dir

        return cls(Nominatim(user_agent=user_agent), cache_dir() / "online-geocoder.json", **kwargs)

    def _load(self) -> dict[str, list[dict[str, Any]]]:
        if self._cache is None:
            try:
                self._cache = json.loads(self.cache_path.read_text("utf-8"))
            except (OSError, ValueError):
                self._cache = {}
        return self._cache

    def _save(self) -> None:
        from gazetteer.atomic import write_text

        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        write_text(self.cache_path, json.dumps(self._cache, ensure_ascii=False, indent=0))

    def lookup(self, name: str, country: str | None = None) -> list[Place]:
        """Return the geocoder's places for ``name`` (from the cache when asked before).

        Raises:
            GeocoderUnavailable: the geocoder failed or timed out (nothing is cached then).
        """
        cache_key = f"{country or ''}|{name}"
        with self._lock:
            cache = self._load()
            if cache_key not in cache:
                query: Any = name if not country else {"q": name}
                kwargs: dict[str, Any] = {"exactly_one": False, "timeout": self.timeout}
                if country:
                    kwargs["country_codes"] = country.lower()
                    query = name
                try:
                    found = self._limited(query, **kwargs) or []
                except TypeError:
                    kwargs.pop("country_codes", None)
                    found = self._limited(query, **kwargs) or []
                except Exception as exc:  # geopy raises many kinds; all mean "not now"
                    raise GeocoderUnavailable(f"{name!r}: {type(exc).__name__}: {exc}") from exc
                cache[cache_key] = [
                    {
                        "address": loc.address,
                        "lat": loc.latitude,
                        "lon": loc.longitude,
                        "raw_id": str((loc.raw or {}).get("osm_id", "")),
                    }
                    for loc in found
                ]
                self._save()
        return [
            Place(
                id=f"online:{r['raw_id'] or r['address']}",
                name=r["address"].split(",")[0],
                kind="site",
                country=country.upper() if country else "",
                lat=float(r["lat"]),
                lon=float(r["lon"]),
                source="online",
                source_id=r["raw_id"],
            )
            for r in cache[cache_key]
        ]
