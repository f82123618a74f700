"""nkmap's geo package: articles → events, spatial questions, the event store and the CLI.

``extract_events`` and ``read_articles`` are loaded lazily, so ``import geo`` is light.
"""

from __future__ import annotations

from typing import Any

__all__ = ["extract_events", "load_events", "read_articles"]

_LAZY = {
    "extract_events": "geo.pipeline",
    "read_articles": "geo.article",
    "load_events": "geo.inputs",
}


def __getattr__(name: str) -> Any:
    """Return a public function from its module on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
