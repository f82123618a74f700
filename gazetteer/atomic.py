"""Atomic file output, now in :mod:`nkmap.atomic` (kept for modules not yet moved)."""

from __future__ import annotations

from nkmap.atomic import (
    STALE_SECONDS,
    TEMP_MARK,
    atomic_path,
    glob_escape,
    remove_stale_temporaries,
    write_text,
)

__all__ = [
    "STALE_SECONDS",
    "TEMP_MARK",
    "atomic_path",
    "glob_escape",
    "remove_stale_temporaries",
    "write_text",
]
