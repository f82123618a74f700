"""Shared fixtures: the seed articles' folder and synthetic events."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of third-party seed articles beside the project (read, never copied)."""
    assert SEEDS.is_dir(), f"seed articles expected at {SEEDS}"
    return SEEDS


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The bundled sample articles."""
    return SAMPLES


@pytest.fixture()
def synthetic_events():
    """A factory: ``synthetic_events(n, seed=0)`` returns a GeoDataFrame of events."""
    from bench.synthetic import make_events

    return make_events


def pytest_configure(config: pytest.Config) -> None:
    """Keep the tests' caches and imports out of the user's folders (subprocesses inherit this)."""
    import os
    import tempfile

    if "NKMAP_CACHE_DIR" not in os.environ:
        os.environ["NKMAP_CACHE_DIR"] = tempfile.mkdtemp(prefix="nkmap-test-cache-")
    if "NKMAP_DATA_DIR" not in os.environ:
        os.environ["NKMAP_DATA_DIR"] = tempfile.mkdtemp(prefix="nkmap-test-data-")
    os.environ["NKMAP_NO_PROGRESS"] = "1"
