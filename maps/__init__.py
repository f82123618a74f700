"""nkmap's maps: drawing only.  ``interactive_map`` (folium HTML) and ``static_map`` (PNG/SVG/PDF).

Both names are loaded lazily, so ``import maps`` imports nothing heavy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["interactive_map", "static_map"]

_LAZY = {"interactive_map": "maps.interactive", "static_map": "maps.static"}


def __getattr__(name: str) -> Any:
    """Return ``interactive_map`` or ``static_map`` from their modules on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'maps' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
