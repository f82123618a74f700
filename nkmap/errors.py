"""The exception hierarchy shared by every nkmap package.

Every error nkmap raises on purpose is an :class:`NkmapError`; each leaf also
inherits the builtin it resembles, so callers may catch either.  The CLI
catches :class:`NkmapError` once and prints its message as one line.
"""

from __future__ import annotations


class NkmapError(Exception):
    """Root of every error nkmap raises on purpose."""


class InputError(NkmapError, ValueError):
    """A value given by the user (a name, a distance, a date, an option) is unusable."""


class FileError(NkmapError, OSError):
    """A file could not be read or written; the message names the file and the reason."""


class DataError(NkmapError, ValueError):
    """A data file (GeoNames dump, events file, lexicon) is malformed; names file and line."""


class UnknownPlaceError(InputError, LookupError):
    """A place name resolved to nothing above the confidence threshold."""


class GeocoderUnavailable(NkmapError, ConnectionError):
    """The opt-in online geocoder could not be reached or failed."""


class AssetError(NkmapError, RuntimeError):
    """A JavaScript/CSS asset for offline maps is missing or fails its checksum."""
