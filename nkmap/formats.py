"""The one table of file formats nkmap reads and writes, by extension.

Events files (the output of ``nkmap events``) and map files (``nkmap static``) are
chosen by their extension; every reader and writer asks this table which extensions
it handles, so a format is named once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class Format:
    """One file format: its name (the driver's), extensions, what it holds, read/written.

    ``holds`` is ``"events"`` (a table of events) or ``"map"`` (a drawn map).  ``shared``
    are the extensions articles may use too (``.json``, ``.csv``): for those the content,
    not the name, decides what a file is.
    """

    name: str
    suffixes: tuple[str, ...]
    holds: str
    read: bool
    write: bool
    shared: tuple[str, ...] = ()


#: Every format, events first; the first extension of each is its usual one.
FORMATS: tuple[Format, ...] = (
    Format("GeoJSON", (".geojson", ".json"), "events", read=True, write=True, shared=(".json",)),
    Format("GPKG", (".gpkg",), "events", read=True, write=True),
    Format("CSV", (".csv",), "events", read=True, write=True, shared=(".csv",)),
    Format("GeoParquet", (".parquet", ".geoparquet"), "events", read=True, write=True),
    Format("KML", (".kml",), "events", read=True, write=True),
    Format("png", (".png",), "map", read=False, write=True),
    Format("svg", (".svg",), "map", read=False, write=True),
    Format("pdf", (".pdf",), "map", read=False, write=True),
)


def formats(holds: str, *, read: bool | None = None, write: bool | None = None) -> list[Format]:
    """Return the formats holding ``holds`` (``"events"`` or ``"map"``), read and/or written.

    >>> [f.name for f in formats("map")]
    ['png', 'svg', 'pdf']
    """
    return [
        f
        for f in FORMATS
        if f.holds == holds
        and (read is None or f.read == read)
        and (write is None or f.write == write)
    ]


def suffixes(holds: str, *, read: bool | None = None, write: bool | None = None) -> tuple[str, ...]:
    """Return every extension of the formats :func:`formats` selects, in table order.

    >>> suffixes("events", read=True)
    ('.geojson', '.json', '.gpkg', '.csv', '.parquet', '.geoparquet', '.kml')
    """
    return tuple(s for f in formats(holds, read=read, write=write) for s in f.suffixes)


def format_of(path: str | os.PathLike[str], holds: str) -> Format | None:
    """Return the format of ``holds`` that the extension of ``path`` names, or None.

    >>> format_of("out/events.GeoJSON", "events").name
    'GeoJSON'
    >>> format_of("map.jpg", "map") is None
    True
    """
    suffix = PurePath(path).suffix.lower()
    return next((f for f in formats(holds) if suffix in f.suffixes), None)


def listing(holds: str, *, read: bool | None = None, write: bool | None = None) -> str:
    """Return the usual extensions as words for a message: ``".png, .svg or .pdf"``.

    >>> listing("map")
    '.png, .svg or .pdf'
    """
    usual = [f.suffixes[0] for f in formats(holds, read=read, write=write)]
    return ", ".join(usual[:-1]) + " or " + usual[-1] if len(usual) > 1 else "".join(usual)
