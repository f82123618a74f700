"""The online fallback: opt-in, cached, rate-limited, degrading offline, within its deadlines.

A fake geocoder tests the logic; a real geopy Nominatim talks to servers on 127.0.0.1 that
never answer (a black hole) or answer one byte at a time (a trickle).  No outside address.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
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
    """Refuse every connection except to this machine's own test servers."""
    real = socket.create_connection

    def loopback_only(address: Any, *args: Any, **kwargs: Any) -> Any:
        if address[0] not in ("127.0.0.1", "localhost"):
            raise AssertionError(f"a test tried to use the network ({address[0]})")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", loopback_only)


class _Server:
    """A TCP server on 127.0.0.1 that accepts and never answers (``trickle=None``, a black
    hole) or answers one byte every ``trickle`` seconds, forever; stopped by ``close``."""

    def __init__(self, trickle: float | None) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.trickle = trickle
        self.stop = threading.Event()
        self.clients: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"X-Slow: a\r\n" * 999
        while not self.stop.is_set():
            try:
                client, _ = self.sock.accept()
            except OSError:
                continue
            self.clients.append(client)
            if self.trickle is not None:
                threading.Thread(target=self._drip, args=(client, answer), daemon=True).start()

    def _drip(self, client: socket.socket, answer: bytes) -> None:
        for byte in answer:
            if self.stop.wait(self.trickle):
                return
            try:
                client.sendall(bytes([byte]))
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        for client in self.clients:
            client.close()
        self.sock.close()
        self.thread.join(5)


@pytest.fixture(params=[None, 0.2], ids=["black-hole", "trickle"])
def slow_server(request: pytest.FixtureRequest) -> Iterator[_Server]:
    server = _Server(request.param)
    yield server
    server.close()


def _nominatim(server: _Server, tmp_path: Path, **kwargs: Any) -> OnlineFallback:
    from geopy.geocoders import Nominatim

    geocoder = Nominatim(user_agent="nkmap-test", domain=f"127.0.0.1:{server.port}", scheme="http")
    return OnlineFallback(geocoder, tmp_path / "cache.json", min_delay_seconds=0, **kwargs)


def test_a_lookup_ends_within_its_deadline(slow_server: _Server, tmp_path: Path) -> None:
    from nkmap.errors import GeocoderUnavailable

    online = _nominatim(slow_server, tmp_path, lookup_seconds=1.0, command_seconds=30)
    start = time.monotonic()
    with pytest.raises(GeocoderUnavailable, match="within 1 s"):
        online.lookup("Obscure Farm Xq")
    assert time.monotonic() - start < 1.0 + 2.0  # the deadline, with room for a busy machine
    assert slow_server.clients  # the request really reached the server
    start = time.monotonic()
    with pytest.raises(GeocoderUnavailable, match="not asked again"):
        online.lookup("Another Unknown Qz")  # not sent: the server already failed
    assert time.monotonic() - start < 0.5
    assert len(slow_server.clients) == 1
    assert not (tmp_path / "cache.json").exists()  # a failure is never cached


def test_the_command_budget_bounds_all_lookups(tmp_path: Path) -> None:
    now = [0.0]
    fake = FakeGeocoder()
    online = OnlineFallback(
        fake,
        tmp_path / "c.json",
        sleep=lambda s: None,
        lookup_seconds=5,
        command_seconds=12,
        clock=lambda: now[0],
    )
    from nkmap.errors import GeocoderUnavailable

    online.lookup("First Qx")
    now[0] = 11.0
    online.lookup("Second Qx")  # 1 s left: still asked
    now[0] = 12.5
    with pytest.raises(GeocoderUnavailable, match="12 s allowed per command are spent"):
        online.lookup("Third Qx")
    assert fake.calls == ["First Qx", "Second Qx"]
    assert online.lookup("First Qx")[0].lat == 41.0  # cached answers are still given


def test_resolve_online_against_a_trickling_server(tmp_path: Path) -> None:
    server = _Server(trickle=0.2)
    env = {
        **os.environ,
        "NKMAP_NOMINATIM_URL": server.url,
        "NKMAP_CACHE_DIR": str(tmp_path / "cache"),
    }
    args = ["resolve", "--online", "--online-timeout", "1", "--online-budget", "3"]
    code = "from geo.cli import main; main()"
    try:
        start = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-c", code, *args, "Hyesan", "Nowhere Qxz", "Elsewhere Qzx"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        elapsed = time.monotonic() - start
    finally:
        server.close()
    assert run.returncode == 1, run.stderr  # two names have no confident candidate
    assert "1.00 exact Hyesan" in " ".join(run.stdout.split())  # the offline answer, unharmed
    lines = [line for line in run.stderr.splitlines() if "online" in line]
    assert lines == [
        "nkmap: warning: online geocoder unavailable, offline answer only: "
        "TimeoutError: no complete answer within 1 s; not asked again in this run"
    ], run.stderr
    assert "UserWarning" not in run.stderr and ".py:" not in run.stderr
    assert len(server.clients) == 1
    assert elapsed < 1.0 + 20.0, elapsed  # one deadline, plus starting Python and the gazetteer
