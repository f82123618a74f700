"""The opt-in online fallback: any geopy geocoder, rate-limited, with deadlines, cached on disk.

Two deadlines bound the time the network can cost: one per lookup (the whole lookup,
however slowly the server answers: a socket timeout alone restarts with every byte a
trickling server sends) and one per command (all lookups together).  After a lookup
fails, the geocoder is not asked again in the same run.
"""

from __future__ import annotations

import json
import os
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gazetteer.place import Place
from nkmap.errors import GeocoderUnavailable

#: Seconds one lookup may take, all of it (connecting, retries, reading the answer).
LOOKUP_SECONDS = 10.0
#: Seconds all the lookups of one command may take together.
COMMAND_SECONDS = 30.0
#: An address for a Nominatim server other than OpenStreetMap's (``http://host:port``).
URL_VARIABLE = "NKMAP_NOMINATIM_URL"


def _call_within(seconds: float, call: Callable[[], Any]) -> Any:
    """Return ``call()``, or raise TimeoutError when it has not returned within ``seconds``.

    The call runs in a daemon thread: one that never returns (a server trickling its
    answer) is abandoned, and does not keep the process alive.
    """
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, name="nkmap-online-lookup", daemon=True)
    worker.start()
    worker.join(max(0.0, seconds))
    if worker.is_alive():
        raise TimeoutError(f"no complete answer within {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box.get("value")


class OnlineFallback:
    """Look names up with a geopy geocoder; remember every answer (and every miss) on disk.

    ``geocoder`` is any object with geopy's ``geocode(query, exactly_one=False,
    timeout=…)`` (tests pass a fake).  Calls are spaced by ``min_delay_seconds``
    through geopy's ``RateLimiter``, whose sleep can be replaced so tests never
    sleep.  Each lookup ends within ``lookup_seconds`` and all of them within
    ``command_seconds`` of the first; after a failure the geocoder is not asked
    again.  Answers are cached in a JSON file keyed by query and country, so a
    name is sent at most once.
    """

    def __init__(
        self,
        geocoder: Any,
        cache_path: str | Path,
        *,
        min_delay_seconds: float = 1.0,
        lookup_seconds: float = LOOKUP_SECONDS,
        command_seconds: float = COMMAND_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        self.geocoder = geocoder
        self.cache_path = Path(cache_path)
        self.lookup_seconds = float(lookup_seconds)
        self.command_seconds = float(command_seconds)
        self._clock = clock
        self._limited = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=0,
            swallow_exceptions=False,
        )
        self._limited._sleep = sleep
        self._lock = threading.Lock()
        self._cache: dict[str, list[dict[str, Any]]] | None = None
        self._started: float | None = None
        self._down: str | None = None  # why the geocoder is not asked again

    @classmethod
    def nominatim(cls, user_agent: str = "nkmap", **kwargs: Any) -> OnlineFallback:
        """Return a fallback over OpenStreetMap's Nominatim (or the server named by
        ``$NKMAP_NOMINATIM_URL``), cached in nkmap's cache folder."""
        from geopy.geocoders import Nominatim

        from nkmap.folders import cache_dir

        options: dict[str, Any] = {"user_agent": user_agent}
        url = os.environ.get(URL_VARIABLE)
        if url:
            parts = urlsplit(url)
            options.update(domain=parts.netloc, scheme=parts.scheme or "https")
        return cls(Nominatim(**options), cache_dir() / "online-geocoder.json", **kwargs)

    def _load(self) -> dict[str, list[dict[str, Any]]]:
        if self._cache is None:
            try:
                loaded = json.loads(self.cache_path.read_text("utf-8"))
                self._cache = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                self._cache = {}
        return self._cache

    def _save(self) -> None:
        from gazetteer.sources.geonames import DataFolderWarning
        from nkmap.atomic import write_text

        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            write_text(self.cache_path, json.dumps(self._cache, ensure_ascii=False, indent=0))
        except OSError as exc:
            reason = exc.strerror or str(exc).rsplit(": ", 1)[-1]
            warnings.warn(
                f"{self.cache_path.parent}: online answers not cached ({reason})",
                DataFolderWarning,
                stacklevel=3,
            )

    def _budget(self) -> float:
        """Seconds the next lookup may take: the lookup deadline, or what is left of the
        command's.

        Raises:
            GeocoderUnavailable: the command's time is spent, or an earlier lookup failed.
        """
        if self._down is not None:
            raise GeocoderUnavailable(self._down)
        now = self._clock()
        if self._started is None:
            self._started = now
        left = self.command_seconds - (now - self._started)
        if left <= 0:
            self._down = f"the {self.command_seconds:g} s allowed per command are spent"
            raise GeocoderUnavailable(self._down)
        return min(self.lookup_seconds, left)

    def _ask(self, query: Any, kwargs: dict[str, Any]) -> list[Any]:
        seconds = self._budget()
        kwargs["timeout"] = seconds

        def call() -> Any:
            try:
                return self._limited(query, **kwargs)
            except TypeError:  # a geocoder without country filtering
                kwargs.pop("country_codes", None)
                return self._limited(query, **kwargs)

        try:
            return list(_call_within(seconds, call) or [])
        except Exception as exc:  # geopy raises many kinds; all mean "not now"
            reason = " ".join(str(exc).split())[:200] or type(exc).__name__
            self._down = f"{type(exc).__name__}: {reason}; not asked again in this run"
            raise GeocoderUnavailable(self._down) from exc

    def lookup(self, name: str, country: str | None = None) -> list[Place]:
        """Return the geocoder's places for ``name`` (from the cache when asked before).

        Raises:
            GeocoderUnavailable: the geocoder failed, missed its deadline, or an earlier
                lookup of this fallback did (nothing is cached then).
        """
        cache_key = f"{country or ''}|{name}"
        with self._lock:
            cache = self._load()
            if cache_key not in cache:
                kwargs: dict[str, Any] = {"exactly_one": False}
                if country:
                    kwargs["country_codes"] = country.lower()
                found = self._ask(name, kwargs)
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
