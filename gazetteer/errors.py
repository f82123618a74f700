"""The error hierarchy, now in :mod:`nkmap.errors` (kept for modules not yet moved)."""

from __future__ import annotations

from nkmap.errors import (
    AssetError,
    DataError,
    FileError,
    GeocoderUnavailable,
    InputError,
    NkmapError,
    UnknownPlaceError,
)

__all__ = [
    "AssetError",
    "DataError",
    "FileError",
    "GeocoderUnavailable",
    "InputError",
    "NkmapError",
    "UnknownPlaceError",
]
