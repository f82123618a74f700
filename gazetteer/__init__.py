"""nkmap's gazetteer: place names of the DPRK and its border region → places, offline.

>>> from gazetteer import Gazetteer
>>> Gazetteer.default().resolve("Sinŭiju")[0].place.name
'Sinuiju'
"""

from __future__ import annotations

from gazetteer.gazetteer import Gazetteer, best
from gazetteer.names import key
from gazetteer.place import Candidate, Place
from nkmap.errors import NkmapError

__all__ = ["Candidate", "Gazetteer", "NkmapError", "Place", "best", "key"]
