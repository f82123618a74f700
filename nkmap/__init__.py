"""nkmap's base: what every package needs and none owns.

The error hierarchy (:mod:`nkmap.errors`), atomic file writing (:mod:`nkmap.atomic`),
the cache and data folders (:mod:`nkmap.folders`), the table of file formats
(:mod:`nkmap.formats`) and the type of the events table every package exchanges
(:mod:`nkmap.events_table`).  It imports
none of ``gazetteer``, ``geo`` and ``maps``; they import it.
"""

from __future__ import annotations

from nkmap.errors import NkmapError

__all__ = ["NkmapError", "__version__"]

#: The release (the package's metadata reads it from here).
__version__ = "0.1.0"
