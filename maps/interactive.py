"""The interactive map: events as filterable, layered GeoJSON in one HTML file, online or offline.

:func:`interactive_map` returns a :class:`folium.Map` whose page loads only
three pinned packages (Leaflet, Leaflet.markercluster, Leaflet.heat) — from a
CDN with subresource integrity online, or inlined from the verified installed
packages offline (the heat layer is left out, and the legend says so, when its
optional script is not there) — plus nkmap's own script (``maps/data/map.js``,
:mod:`maps.controls`).  Events are embedded once, as one compact FeatureCollection per
theme; popups are built in the browser from those properties with ``textContent``.
:func:`save_map` writes the page atomically.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maps.reference import APPROXIMATE, area_key, areas
from maps.style import MAP_COLOURS, PRECISIONS, Styles
from nkmap.atomic import write_text
from nkmap.errors import InputError
from nkmap.themes import ThemeTable

if TYPE_CHECKING:
    from gazetteer import Gazetteer
    from nkmap.events_table import EventsFrame

#: Base layers of online maps: (name, URL template, attribution HTML, max zoom, subdomains).
TILES: tuple[tuple[str, str, str, int, str], ...] = (
    (
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        19,
        "abc",
    ),
    (
        "Light (CARTO Positron)",
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
        ' &copy; <a href="https://carto.com/attributions">CARTO</a>',
        20,
        "abcd",
    ),
    (
        "Satellite (Esri World Imagery)",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/"
        "{z}/{y}/{x}",
        "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, "
        "and the GIS User Community",
        19,
        "abc",
    ),
)

VECTOR_ATTRIBUTION = (
    "Boundaries: © OpenStreetMap contributors (ODbL), Natural Earth; nkmap package data (offline)"
)

#: The view when there is nothing to fit: the DPRK and its borders, [[south, west], [north, east]].
DEFAULT_BOUNDS = [[37.6, 124.1], [43.1, 130.9]]

#: Pinned files each mode needs: (package, path) for scripts, then styles.
SCRIPTS = (
    ("leaflet", "leaflet.js"),
    ("leaflet.markercluster", "leaflet.markercluster.js"),
    ("leaflet.heat", "dist/leaflet-heat.js"),
)
STYLES = (
    ("leaflet", "leaflet.css"),
    ("leaflet.markercluster", "MarkerCluster.css"),
)

#: What the legend says when the optional heat script is not there (offline maps only).
HEAT_LEFT_OUT = (
    "Heat map left out: its script (leaflet.heat) is not installed; "
    "`nkmap assets fetch leaflet.heat` adds it (needs npm)."
)

_EPOCH_NS = 86_400 * 10**9

#: Simplification of the outlines approximate events are drawn as (degrees; ~200 m).
AREA_TOLERANCE_DEG = 0.002


@dataclass(frozen=True)
class Prepared:
    """Events ready to embed: per-theme FeatureCollections, article table, what was left out.

    ``themes`` holds dicts ``{id, label, color, fc}`` in legend order; ``arts``
    rows are ``[title, source, url]``; ``time`` is ``[first, last]`` in days
    since 1970 or None; ``bounds`` is ``[[s, w], [n, e]]``; ``search`` rows are
    ``[place, lat, lon, kind]``; ``dropped`` counts events without coordinates;
    ``areas`` maps the key of each outline an approximate (province- or
    country-level) event is drawn as to ``{name, level, label: [lat, lon],
    geometry}`` (those events carry the key as property ``area``).  The properties of
    each event are listed in ``maps/data/PROTOCOL.md``.
    """

    themes: list[dict[str, Any]]
    arts: list[list[str]]
    time: list[int] | None
    bounds: list[list[float]]
    search: list[list[Any]]
    dropped: int
    undated: int
    total: int
    areas: dict[str, dict[str, Any]] = field(default_factory=dict)


def _column(frame: Any, name: str, default: Any) -> Any:
    """Return column ``name`` of ``frame`` as a Series, or a Series of ``default``."""
    import pandas as pd

    if name in frame.columns:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object)


def _text(series: Any) -> list[str]:
    """Return the values of ``series`` as strings, with missing values as ""."""
    values = series.astype(object)
    return [str(v) for v in values.where(values.notna(), "").tolist()]


def prepare(events: EventsFrame, theme_table: ThemeTable | None = None) -> Prepared:
    """Return the events as compact per-theme FeatureCollections and their side tables.

    Any geometry is reduced to a point (its representative point); events
    without usable coordinates are dropped and counted; missing dates become
    ``null`` (always shown unless the time filter excludes undated events);
    missing columns get empty defaults; themes are labelled, coloured and ordered by
    ``theme_table`` (default the built-in one); unknown themes keep their id and get the
    grey default style.

    Raises:
        InputError: ``events`` is not a GeoDataFrame (no ``geometry``).
    """
    import numpy as np
    import pandas as pd

    if not hasattr(events, "geometry") or not hasattr(events, "columns"):
        raise InputError(f"events: expected a GeoDataFrame, got {type(events).__name__}")
    if events.crs is not None and events.crs.to_epsg() != 4326:
        events = events.to_crs(4326)
    total = len(events)
    geom = events.geometry
    usable = geom.notna().to_numpy() & ~geom.is_empty.to_numpy()
    frame = events.loc[usable]
    points = frame.geometry
    if len(frame) and not (points.geom_type == "Point").all():
        points = points.where(points.geom_type == "Point", points.representative_point())
    xs = points.x.to_numpy(dtype=float) if len(frame) else np.zeros(0)
    ys = points.y.to_numpy(dtype=float) if len(frame) else np.zeros(0)
    finite = np.isfinite(xs) & np.isfinite(ys) & (np.abs(ys) <= 90) & (np.abs(xs) <= 180)
    frame, xs, ys = frame.loc[finite], xs[finite], ys[finite]
    dropped = total - len(frame)

    dates = pd.to_datetime(_column(frame, "date", pd.NaT), errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert(None)
    nat = dates.isna().to_numpy()
    days_arr = np.where(nat, 0, dates.to_numpy(dtype="datetime64[ns]").astype("int64") // _EPOCH_NS)
    days: list[int | None] = [None if n else int(d) for n, d in zip(nat, days_arr, strict=True)]

    titles = _text(_column(frame, "title", ""))
    sources = _text(_column(frame, "source", ""))
    urls = _text(_column(frame, "url", ""))
    art_keys = [f"{t}\x1f{s}\x1f{u}" for t, s, u in zip(titles, sources, urls, strict=True)]
    art_codes, art_uniques = pd.factorize(pd.Series(art_keys, dtype=object))
    arts = [str(k).split("\x1f") for k in art_uniques]

    place = _text(_column(frame, "place", ""))
    admin1 = _text(_column(frame, "admin1", ""))
    country = _text(_column(frame, "country", ""))
    shown_place = [
        ", ".join(x for x in (p, a if a != p else "", c) if x)
        for p, a, c in zip(place, admin1, country, strict=True)
    ]
    precision = [
        p if p in PRECISIONS else "province" for p in _text(_column(frame, "precision", ""))
    ]
    date_prec = _text(_column(frame, "date_precision", ""))
    evidence = _text(_column(frame, "evidence", ""))
    ids = _text(_column(frame, "event_id", ""))
    conf_raw = pd.to_numeric(_column(frame, "confidence", np.nan), errors="coerce").to_numpy()
    conf = [None if math.isnan(c) else round(float(c), 2) for c in conf_raw]
    themes = [t or "other" for t in _text(_column(frame, "theme", ""))]
    categories = _text(_column(frame, "category", ""))
    place_ids = _text(_column(frame, "place_id", ""))
    area_keys = [
        area_key(pid, (p, a), c, pr)
        for pid, p, a, c, pr in zip(place_ids, place, admin1, country, precision, strict=True)
    ]
    xr = np.round(xs, 5).tolist()
    yr = np.round(ys, 5).tolist()

    styles = Styles.of(theme_table)
    by_theme: dict[str, list[dict[str, Any]]] = {t: [] for t in styles.order(themes)}
    own = {t: styles.table[t].category for t in by_theme if t in styles.table}
    for i, theme in enumerate(themes):
        bears = categories[i] if categories[i] and categories[i] != own.get(theme) else ""
        by_theme[theme].append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [xr[i], yr[i]]},
                "properties": {
                    "id": ids[i],
                    "article": int(art_codes[i]),
                    "place": shown_place[i],
                    "precision": precision[i],
                    "day": days[i],
                    "datePrecision": date_prec[i],
                    "evidence": evidence[i],
                    "confidence": conf[i],
                    **({"area": area_keys[i]} if area_keys[i] else {}),
                    **({"bears": bears} if bears else {}),
                },
            }
        )
    theme_list = []
    for theme, features in by_theme.items():
        style = styles.theme(theme)
        theme_list.append(
            {
                "id": theme,
                "label": style.label,
                "color": style.color,
                "fc": {"type": "FeatureCollection", "features": features},
            }
        )
    dated = [d for d in days if d is not None]
    time = [min(dated), max(dated)] if dated else None
    if len(xs):
        pad = 0.05
        bounds = [
            [float(ys.min()) - pad, float(xs.min()) - pad],
            [float(ys.max()) + pad, float(xs.max()) + pad],
        ]
    else:
        bounds = DEFAULT_BOUNDS
    seen: dict[str, list[Any]] = {}
    for name, x, y in zip(place, xr, yr, strict=True):
        if name and name not in seen:
            seen[name] = [name, y, x, "event place"]
    return Prepared(
        theme_list,
        arts,
        time,
        bounds,
        list(seen.values()),
        dropped,
        int(nat.sum()),
        total,
        _area_shapes({k for k in area_keys if k}),
    )


def _area_shapes(keys: set[str]) -> dict[str, dict[str, Any]]:
    """Return the outlines of ``keys`` as simplified GeoJSON geometries with a label point."""
    import shapely
    import shapely.geometry

    table = areas()
    out = {}
    for key in sorted(keys):
        area = table[key]
        geom = shapely.set_precision(area.geometry.simplify(AREA_TOLERANCE_DEG), 1e-4)
        out[key] = {
            "name": area.name,
            "level": area.level,
            "label": [round(area.label.y, 4), round(area.label.x, 4)],
            "geometry": shapely.geometry.mapping(geom),
        }
    return out


def _json_for_script(value: Any) -> str:
    """Return ``value`` as JSON safe to place inside an HTML ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _inline_css(package: str, path: str, css: str) -> str:
    """Return ``css`` with every relative ``url(...)`` replaced by a data URI of the pinned file.

    Raises:
        AssetError: a referenced file is not pinned or not cached.
    """
    from maps.assets import asset_bytes, pinned

    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    files = pinned()[package].files

    def repl(match: re.Match[str]) -> str:
        ref = match.group(2)
        if ref.startswith(("#", "data:")):
            return match.group(0)
        target = f"{folder}{ref}"
        if target not in files:
            return "url(data:,)"  # never leave a request behind
        data = base64.b64encode(asset_bytes(package, target)).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((['\"]?)([^)'\"]+)\1\)", repl, css)


def _asset_html(offline: bool, cluster: bool, heat: bool) -> str:
    """Return the ``<head>`` HTML loading the pinned scripts and styles, inlined when offline.

    Raises:
        AssetError: offline and an asset is not cached (run ``nkmap assets fetch``).
    """
    from maps.assets import asset_text, asset_url

    wanted = {
        "leaflet": True,
        "leaflet.markercluster": cluster,
        "leaflet.heat": heat,
    }
    parts = []
    for package, path in STYLES:
        if not wanted[package]:
            continue
        if offline:
            css = _inline_css(package, path, asset_text(package, path)).replace("</", "<\\/")
            parts.append(f"<style>/* {package} {path} */\n{css}</style>")
        else:
            url, sri = asset_url(package, path)
            parts.append(
                f'<link rel="stylesheet" href="{url}" integrity="{sri}" crossorigin="anonymous">'
            )
    for package, path in SCRIPTS:
        if not wanted[package]:
            continue
        if offline:
            js = asset_text(package, path).replace("</script", "<\\/script")
            parts.append(f"<script>/* {package} {path} */\n{js}</script>")
        else:
            url, sri = asset_url(package, path)
            parts.append(f'<script src="{url}" integrity="{sri}" crossorigin="anonymous"></script>')
    return "\n".join(parts)


def map_data(
    prepared: Prepared,
    *,
    offline: bool,
    cluster: bool,
    heat: bool,
    minimap: bool,
    refs: bool,
    gazetteer: Gazetteer | None = None,
) -> dict[str, Any]:
    """Return the data object the map's script draws from (``maps/data/PROTOCOL.md``); the
    reference layers are ``gazetteer``'s (default: :meth:`Gazetteer.default`)."""
    from maps.reference import Reference, reference

    ref = (
        reference(gazetteer)
        if refs
        else Reference(*({"type": "FeatureCollection", "features": []},) * 5)
    )
    labels = []
    if ref.countries["features"]:
        import shapely.geometry

        for feature in ref.countries["features"]:
            point = shapely.geometry.shape(feature["geometry"]).representative_point()
            name = feature["properties"].get("name", "")
            labels.append([name, round(point.y, 3), round(point.x, 3)])
    notes = []
    if prepared.dropped:
        notes.append(
            f"{prepared.dropped} of {prepared.total} events have no coordinates: not drawn."
        )
    if prepared.undated and prepared.time is not None:
        notes.append(f"{prepared.undated} events have no date: shown at every time.")
    notes.extend(f"Reference data: {n}" for n in ref.notes)
    tiles = [
        {"name": n, "url": u, "attribution": a, "maxZoom": z, "subdomains": s}
        for n, u, a, z, s in ([] if offline else TILES)
    ]
    return {
        "themes": prepared.themes,
        "arts": prepared.arts,
        "time": prepared.time,
        "bounds": prepared.bounds,
        "prec": {
            k: {"radius": v.radius, "fillOpacity": v.fill_opacity, "dash": v.dash, "label": v.label}
            for k, v in PRECISIONS.items()
        },
        "colours": dict(MAP_COLOURS),
        "precOrder": list(PRECISIONS),
        "approximate": list(APPROXIMATE),
        "ref": {
            "countries": ref.countries,
            "provinces": ref.provinces,
            "borders": ref.borders,
            "crossings": ref.crossings,
            "pairs": ref.pairs,
            "labels": labels,
        },
        "areas": prepared.areas,
        "search": prepared.search + ref.search,
        "notes": notes,
        "opt": {
            "cluster": cluster,
            "heat": heat,
            "minimap": minimap,
            "offline": offline,
            "tiles": tiles,
            "vectorAttribution": VECTOR_ATTRIBUTION,
        },
    }


@cache
def _element_classes() -> tuple[type, type]:
    """Return two branca element classes that emit given text verbatim (never parsed as Jinja).

    ``Raw`` goes in the page head; ``Script`` goes in the map's script.
    """
    from branca.element import Element
    from jinja2 import Template

    class Raw(Element):
        _template = Template("{{ this.text }}")

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Script(Element):
        """Adds its text to the page's script verbatim (a MacroElement would parse it as Jinja)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self._name = "NkmapLayers"
            self.text = text

        def render(self, **kwargs: Any) -> str:
            figure: Any = self.get_root()
            figure.script.add_child(Raw(self.text), name=self.get_name())
            return ""

    return Raw, Script


def interactive_map(
    events: EventsFrame,
    *,
    m: Any = None,
    offline: bool = False,
    cluster: bool = True,
    heat: bool = True,
    minimap: bool = True,
    reference_layers: bool = True,
    title: str = "nkmap",
    theme_table: ThemeTable | None = None,
    gazetteer: Gazetteer | None = None,
) -> Any:
    """Return a :class:`folium.Map` of ``events`` with layers, legend, time slider and tools.

    ``events`` is an events GeoDataFrame (DESIGN.md data contract); it may be
    empty.  With ``offline`` every script and style is inlined from the
    verified installed packages (a heat layer without its optional script is
    left out, with a note in the legend) and only the vector basemap is offered, so the page
    makes no network request; otherwise the pinned files load from a CDN with
    integrity checks and the tiled base layers are offered too.  ``m`` is an
    existing map to draw on: Leaflet is loaded once (the pinned copy); offline,
    folium's CDN assets are removed, but tile layers already on ``m`` still
    need the network.  ``theme_table`` (a lexicon's, :func:`nkmap.themes.load_theme_table`;
    default the built-in one) gives the themes' labels, colours and order; the reference
    layers (crossings, place search) are ``gazetteer``'s (default: the shared one).  Saving
    is the caller's job (:func:`save_map`).

    Raises:
        InputError: ``events`` is not a GeoDataFrame.
        AssetError: offline and Leaflet or Leaflet.markercluster is not installed or
            damaged (the message says which pip package to install).
    """
    import folium

    from maps.assets import available
    from maps.controls import controls_css, controls_js

    prepared = prepare(events, theme_table)
    heat_left_out = heat and offline and not available("leaflet.heat")
    if heat_left_out:
        heat = False
    head = _asset_html(offline, cluster, heat)
    if m is None:
        m = folium.Map(location=[40.3, 127.5], zoom_start=6, tiles=None, prefer_canvas=True)
        m.default_js = []
        m.default_css = []
    elif offline:  # nothing from a CDN; plugins already on ``m`` keep their own links
        m.default_js = []
        m.default_css = []
    else:  # keep folium's extras, but load Leaflet once: the pinned copy
        m.default_js = [(k, v) for k, v in m.default_js if k != "leaflet"]
        m.default_css = [(k, v) for k, v in m.default_css if k != "leaflet_css"]
    raw, script_element = _element_classes()
    root = m.get_root()
    root.header.add_child(raw(f"<title>{html.escape(title)}</title>"), name="nkmap_title")
    root.header.add_child(raw(head), name="nkmap_assets")
    root.header.add_child(raw(f"<style>{controls_css()}</style>"), name="nkmap_css")
    data = map_data(
        prepared,
        offline=offline,
        cluster=cluster,
        heat=heat,
        minimap=minimap,
        refs=reference_layers,
        gazetteer=gazetteer,
    )
    if heat_left_out:
        data["notes"].append(HEAT_LEFT_OUT)
    script = f"{controls_js()}\nwindow.nkmapDraw({m.get_name()}, {_json_for_script(data)});\n"
    m.add_child(script_element(script), name="nkmap_layers")
    return m


def map_html(m: Any) -> str:
    """Return the complete HTML page of map ``m``."""
    return str(m.get_root().render())


def save_map(m: Any, path: str | Path) -> Path:
    """Write the page of map ``m`` to ``path`` atomically; return the path.

    Raises:
        FileError: the file cannot be written.
    """
    write_text(path, map_html(m))
    return Path(path)


__all__ = ["interactive_map", "map_html", "prepare", "save_map"]
