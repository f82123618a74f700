"""KML round trip: every event field rides in the Placemark's ExtendedData, and comes back.

:func:`to_kml` makes the Placemarks Google Earth shows (name, description,
TimeStamp, Point); :func:`extended_data` adds one ``<Data>`` element per column, so a KML
written by nkmap reads back (:func:`read_kml`) as the same events.  A KML from elsewhere,
without ExtendedData, still reads: theme and place from the name ``"theme: place"``, the
date from the TimeStamp, the evidence from the description's first paragraph.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from geo.records import Row, Schema, event_schema
from nkmap.errors import DataError

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame

# --- writing ---------------------------------------------------------------------------------

#: Characters XML 1.0 forbids or that no viewer shows: C0 controls but tab, newline and
#: return; DEL; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")


def _kml_text(value: Any) -> str:
    """``value`` as text for KML: missing values empty, forbidden characters removed."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    return "" if text in ("nan", "NaT", "None") else _NOT_XML.sub("", text)


def _html(value: Any) -> str:
    """``value`` as HTML text: a KML viewer renders balloons as HTML, so markup is escaped."""
    return html.escape(_kml_text(value), quote=True)


def _web_link(url: Any) -> str:
    """An HTML link to ``url`` when it is an http(s) URL with a host, else nothing."""
    text = _kml_text(url).strip()
    parts = urlsplit(text) if text else None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return f'<a href="{html.escape(text, quote=True)}">{html.escape(text)}</a>'


def _description(row: Any) -> str:
    """The balloon of one event as HTML (article text escaped), ready to be XML-escaped."""
    source = _html(getattr(row, "source", ""))
    cite = " ".join(
        part
        for part in (
            _html(getattr(row, "title", "")),
            f"({source})" if source else "",
            _web_link(getattr(row, "url", "")),
        )
        if part
    )
    return (
        f"<p>{_html(getattr(row, 'evidence', ''))}</p>\n<p>{cite}</p>\n"
        f"<p>theme: {_html(getattr(row, 'theme', ''))}; "
        f"precision: {_html(getattr(row, 'precision', ''))}</p>"
    )


def to_kml(events: EventsFrame) -> str:
    """Return the events as a KML document, one Placemark each, with a TimeStamp where dated.

    The description is an HTML balloon (evidence, citation, theme): article text in it is
    HTML-escaped and then the whole is XML-escaped, so viewers that render balloons as HTML
    (Google Earth) show the text, never run it.  The name is escaped the same way.
    Characters XML forbids (C0 controls) are removed; the article's URL becomes a link only
    when it is ``http(s)``.  An event without coordinates has no Point.  Raises nothing.
    """
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>nkmap events</name>',
    ]
    for row in events.itertuples(index=False):
        day = _kml_text(getattr(row, "date", None))[:10]
        when = f"<TimeStamp><when>{day}</when></TimeStamp>" if _DAY.match(day) else ""
        name = f"{_html(getattr(row, 'theme', ''))}: {_html(getattr(row, 'place', ''))}"
        geom = getattr(row, "geometry", None)
        point = ""
        if geom is not None and not geom.is_empty and geom.geom_type == "Point":
            x, y = geom.x, geom.y
            if math.isfinite(x) and math.isfinite(y):
                point = f"<Point><coordinates>{x:.6f},{y:.6f}</coordinates></Point>"
        parts.append(
            f"<Placemark><name>{escape(name)}</name>"
            f"<description>{escape(_description(row))}</description>{when}{point}"
            "</Placemark>"
        )
    parts.append("</Document></kml>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------------------------


# --- reading ---------------------------------------------------------------------------------

_NS = "{http://www.opengis.net/kml/2.2}"
# A carriage return is kept as a character reference (XML readers turn a bare one into \n).
_KEEP = {"\r": "&#13;", '"': "&quot;"}


def _text(value: Any) -> str:
    """Return a value as XML text: what XML cannot carry removed as :func:`to_kml` does."""

    if isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, float):
        value = repr(value)
    return escape(_NOT_XML.sub("", str(value)), _KEEP)


def extended_data(row: Row, schema: Schema) -> str:
    """Return the ``<ExtendedData>`` element of a row: one ``<Data>`` per non-missing value."""
    parts = [
        f"<Data name={quoteattr(name)}><value>{_text(value)}</value></Data>"
        for name, value in zip(schema.names, row, strict=False)
        if value is not None
    ]
    return f"<ExtendedData>{''.join(parts)}</ExtendedData>"


def with_extended_data(document: str, rows: Sequence[Row], schema: Schema) -> list[str]:
    """Return the Placemarks of ``document`` (one per row, in order), each carrying its row's
    ExtendedData.

    Raises:
        DataError: the document does not hold one Placemark per row.
    """
    placemarks = re.findall(r"<Placemark\b.*?</Placemark>", document, flags=re.DOTALL)
    if len(placemarks) != len(rows):
        raise DataError(f"KML: {len(placemarks)} placemarks for {len(rows)} events")
    end = len("</Placemark>")
    return [
        p[:-end] + extended_data(row, schema) + p[-end:]
        for p, row in zip(placemarks, rows, strict=True)
    ]


def _fallback(placemark: Any) -> dict[str, str]:
    """Return the fields a plain KML Placemark gives: theme, place, date, evidence."""
    out: dict[str, str] = {}
    name = placemark.findtext(f"{_NS}name") or ""
    if ": " in name:
        out["theme"], out["place"] = name.split(": ", 1)
    else:
        out["place"] = name
    when = placemark.findtext(f"{_NS}TimeStamp/{_NS}when")
    if when:
        out["date"] = when
    description = placemark.findtext(f"{_NS}description") or ""
    if description:  # an HTML balloon (its first paragraph, as nkmap writes it) or text
        first = re.search(r"<p>(.*?)</p>", description, flags=re.DOTALL)
        text = first.group(1) if first else description.split("\n\n", 1)[0]
        out["evidence"] = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
    return out


def read_kml(path: str | os.PathLike[str]) -> EventsFrame:
    """Return the events of a KML file as a GeoDataFrame (EPSG:4326), in document order.

    Columns are the event columns, in their kinds (:mod:`geo.contract`), then any other
    ExtendedData names (as text).

    Raises:
        DataError: the file is not well-formed KML, or a value is not of its column's kind
            (an ``evidence_start`` that is not a number).
    """
    import xml.etree.ElementTree as ET

    from geo.contract import validate
    from geo.records import rows_frame

    schema = event_schema()
    kinds = dict(schema.columns)
    records: list[tuple[dict[str, str], tuple[float, float] | None]] = []
    try:
        for _, element in ET.iterparse(os.fspath(path)):
            if element.tag != f"{_NS}Placemark":
                continue
            data = {
                d.get("name", ""): d.findtext(f"{_NS}value") or ""
                for d in element.iter(f"{_NS}Data")
            }
            fields = data or _fallback(element)
            point = None
            coordinates = element.findtext(f".//{_NS}Point/{_NS}coordinates")
            if coordinates and coordinates.strip():
                lon, lat = (float(v) for v in coordinates.strip().split(",")[:2])
                point = (lon, lat)
            records.append((fields, point))
            element.clear()
    except (ET.ParseError, ValueError) as exc:
        raise DataError(f"{path}: not readable KML ({exc})") from exc
    extra = sorted({n for fields, _ in records for n in fields} - set(kinds))
    names = [*schema.names, *extra]
    as_text = Schema(tuple((n, "text") for n in names))  # the contract gives the kinds
    rows = [(*(fields.get(n) for n in names), point) for fields, point in records]
    return validate(rows_frame(rows, as_text), path)
