"""The one interface every gazetteer source implements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from gazetteer.place import Place


@runtime_checkable
class Source(Protocol):
    """A bulk source of places, read offline.

    ``name`` is what :attr:`Place.source` says for its places; ``fingerprint``
    changes whenever the source's data changes, so caches built from it are
    rebuilt.  ``places()`` yields every place once.
    """

    name: str

    def fingerprint(self) -> str:
        """Return a short string that changes whenever the source's data changes."""
        ...

    def places(self) -> Iterable[Place]:
        """Yield the source's places.

        Raises:
            DataError: the source's data is malformed (names the file and line).
        """
        ...
