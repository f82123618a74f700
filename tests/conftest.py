"""Shared fixtures: the seed articles' folder and synthetic events."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DEVSET = SHARED / "devset"
SAMPLES = ROOT / "samples"


def shared_folder(folder: Path) -> Path:
    """Return ``folder`` (part of ``../shared``), or skip the test with one line naming it.

    A fresh clone has no ``../shared`` beside it, so its tests skip; under CI
    (``CI`` set), where the folder is laid out, a missing folder fails instead,
    so nothing is skipped there unnoticed.
    """
    if folder.is_dir():
        return folder
    reason = f"{folder} is absent (the ../shared folder beside the repository): test skipped"
    if os.environ.get("CI"):
        pytest.fail(reason.replace("test skipped", "required under CI"))
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say once, at the end, which ../shared folders were absent and how many tests skipped."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else ""
        if "(the ../shared folder beside the repository)" in reason:
            folder = reason.split(" is absent", 1)[0].removeprefix("Skipped: ")
            counts[folder] = counts.get(folder, 0) + 1
    for folder, n in counts.items():
        terminalreporter.write_line(
            f"nkmap: {n} test{'s' if n != 1 else ''} skipped: {folder} is absent "
            "(the ../shared folder beside the repository; present in CI)"
        )


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of third-party seed articles beside the project (read, never copied)."""
    return shared_folder(SEEDS)


@pytest.fixture(scope="session")
def devset_dir() -> Path:
    """The development set beside the project (read, never copied)."""
    return shared_folder(DEVSET)


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
    import tempfile

    if "NKMAP_CACHE_DIR" not in os.environ:
        os.environ["NKMAP_CACHE_DIR"] = tempfile.mkdtemp(prefix="nkmap-test-cache-")
    if "NKMAP_DATA_DIR" not in os.environ:
        os.environ["NKMAP_DATA_DIR"] = tempfile.mkdtemp(prefix="nkmap-test-data-")
    os.environ["NKMAP_NO_PROGRESS"] = "1"
