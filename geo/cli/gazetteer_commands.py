"""``nkmap resolve`` and ``nkmap gazetteer stats|import|export``."""

from __future__ import annotations
