"""The online fallback, with a fake geocoder: opt-in, cached, rate-limited, degrading offline."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from gazetteer import Gazetteer
from gazetteer.sources.online import OnlineFallback


class FakeLocation:
    def __init__(self, address: str, lat: float, lon: float) -> None:
        self.address, self.latitude, self.longitude, self.raw = address, lat, lon, {"osm_id": 7}


class FakeGeocoder:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[str] = []
        self.fail = fail

    def geocode(self, query: str, **kwargs: Any) -> list[FakeLocation]:
        self.calls.append(query)
        if self.fail:
            raise TimeoutError("no network")
        return [FakeLocation("Obscure Farm, Somewhere", 41.0, 128.0)]


def test_online_is_used_only_when_offline_has_no_answer(tmp_path: Path) -> None:
    fake = FakeGeocoder()
    sleeps: list[float] = []
    online = OnlineFallback(
        fake, tmp_path / "cache.json", min_delay_seconds=1.0, sleep=sleeps.append
    )
    gz = Gazetteer.default()
    gz.online = online
    try:
        assert gz.resolve("Hyesan")[0].matched_by in ("exact", "alias")
        assert fake.calls == []
        found = gz.resolve("Obscure Farm Xq")
        assert found[0].matched_by == "online" and found[0].place.lat == 41.0
        gz.resolve("Obscure Farm Xq")
        assert fake.calls == ["Obscure Farm Xq"]  # the second answer came from the cache
        gz.resolve("Another Unknown Qz")
        assert len(fake.calls) == 2
        assert (tmp_path / "cache.json").exists()
    finally:
        gz.online = None


def test_network_failure_degrades_to_the_offline_answer_with_a_warning(tmp_path: Path) -> None:
    gz = Gazetteer.default()
    gz.online = OnlineFallback(FakeGeocoder(fail=True), tmp_path / "c.json", sleep=lambda s: None)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            assert gz.resolve("Nowhere Qxz") == []
        assert any("online geocoder unavailable" in str(w.message) for w in caught)
    finally:
        gz.online = None


def test_the_offline_default_never_calls_out() -> None:
    assert Gazetteer.default().online is None


@pytest.fixture(autouse=True)
def _no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
