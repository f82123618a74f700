"""nkmap's own JavaScript and CSS for the interactive map, read from package data.

The script (``maps/data/map.js``) builds everything from one data object — base and
reference layers; point events as canvas circle markers in one cluster group whose badges
are rings split by theme; approximate events as their area, shaded; popups built with
``textContent``; the legend, time slider, place search, full screen, measuring, mini-map
and scale.  It defines ``window.nkmapDraw(map, data)``; the data object is described once,
in ``maps/data/PROTOCOL.md``.  The styles are ``maps/data/map.css``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def controls_js() -> str:
    """Return the map's script (defines ``window.nkmapDraw``)."""
    return resources.files("maps").joinpath("data/map.js").read_text("utf-8")


@cache
def controls_css() -> str:
    """Return the map's styles."""
    return resources.files("maps").joinpath("data/map.css").read_text("utf-8")
