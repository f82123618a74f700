"""Reference layers of the interactive map as GeoJSON: countries, provinces, borders, crossings.

Everything comes from the gazetteer package (the shipped boundaries and the
curated crossings and bridges); nothing is fetched.  When a part cannot be
read, its layer is empty and :attr:`Reference.notes` says why, so the map still
draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from gazetteer.errors import NkmapError

#: Simplification tolerance in degrees per layer: the border line is kept finest (~50 m), the
#: countries' coastlines coarsest (~300 m), so the page stays small.
TOLERANCE_DEG = {"countries": 0.003, "provinces": 0.002, "border_lines": 0.0005}
#: Decimals kept in coordinates (1e-4 degree is ~10 m).
DECIMALS = 4


@dataclass(frozen=True)
class Reference:
    """GeoJSON FeatureCollections of the reference layers, places for search, and read notes.

    ``search`` rows are ``[name, lat, lon, kind]``.
    """

    countries: dict[str, Any]
    provinces: dict[str, Any]
    borders: dict[str, Any]
    crossings: dict[str, Any]
    pairs: dict[str, Any]
    search: list[list[Any]] = field(default_factory=list)
    notes: tuple[str, ...] = ()


def _empty() -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": []}


def _collection(gdf: Any, props: list[str], tolerance: float) -> dict[str, Any]:
    """Return a simplified, rounded FeatureCollection of ``gdf`` keeping ``props``."""
    import shapely

    features = []
    geoms = shapely.set_precision(
        gdf.geometry.simplify(tolerance, preserve_topology=True).values, 10**-DECIMALS
    )
    for geom, (_, row) in zip(geoms, gdf.iterrows(), strict=True):
        if geom is None or geom.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(geom),
                "properties": {p: str(row.get(p, "") or "") for p in props},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _boundaries(notes: list[str]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Return countries, provinces and border lines, each empty (with a note) when unreadable."""
    try:
        import gazetteer.boundaries as boundaries
    except ImportError as exc:
        notes.append(f"boundaries unavailable ({exc})")
        return _empty(), _empty(), _empty()
    out = []
    for what, props in (
        ("countries", ["iso_a2", "name"]),
        ("provinces", ["name", "place_id"]),
        ("border_lines", ["border"]),
    ):
        try:
            out.append(_collection(getattr(boundaries, what)(), props, TOLERANCE_DEG[what]))
        except (NkmapError, OSError, AttributeError) as exc:
            notes.append(f"{what}: {exc}")
            out.append(_empty())
    return out[0], out[1], out[2]


def _crossings(notes: list[str]) -> tuple[dict[str, Any], dict[str, Any], list[list[Any]]]:
    """Return crossing/bridge points, lines joining each cross-border pair, and search rows.

    Search rows cover the crossings, every DPRK place, and the curated Chinese and
    Russian border places.
    """
    try:
        from gazetteer import Gazetteer

        gz = Gazetteer.default()
        places = [p for kind in ("crossing", "bridge") for p in gz.places(kind=kind)]
    except (ImportError, NkmapError, OSError) as exc:
        notes.append(f"crossings unavailable ({exc})")
        return _empty(), _empty(), []
    by_id = {p.id: p for p in places}
    points = []
    lines = []
    seen: set[frozenset[str]] = set()
    for p in places:
        points.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]},
                "properties": {
                    "name": p.name,
                    "kind": p.kind,
                    "country": p.country,
                    "corridor": p.corridor,
                },
            }
        )
        other = by_id.get(p.pair)
        if other is None:
            try:
                other = gz.get(p.pair) if p.pair else None
            except NkmapError:
                other = None
        key = frozenset((p.id, p.pair))
        if other is None or key in seen or other.country == p.country:
            continue
        seen.add(key)
        lines.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [round(p.lon, 5), round(p.lat, 5)],
                        [round(other.lon, 5), round(other.lat, 5)],
                    ],
                },
                "properties": {"name": f"{p.name} – {other.name}", "corridor": p.corridor},
            }
        )
    named = places + gz.places(country="KP")
    named += [p for c in ("CN", "RU") for p in gz.places(country=c) if p.source == "curated"]
    search, seen_names = [], set()
    for p in named:
        if (p.name, p.kind) not in seen_names and p.kind != "country":
            seen_names.add((p.name, p.kind))
            search.append([p.name, round(p.lat, 5), round(p.lon, 5), p.kind])
    return (
        {"type": "FeatureCollection", "features": points},
        {"type": "FeatureCollection", "features": lines},
        search,
    )


@lru_cache(maxsize=1)
def reference() -> Reference:
    """Return the reference layers, cached; parts that cannot be read are empty, with notes."""
    notes: list[str] = []
    countries, provinces, borders = _boundaries(notes)
    crossings, pairs, search = _crossings(notes)
    known = {row[0] for row in search}
    for feature in provinces["features"]:
        name = feature["properties"].get("name", "")
        if name and name not in known:
            import shapely.geometry

            c = shapely.geometry.shape(feature["geometry"]).representative_point()
            search.append([name, round(c.y, 5), round(c.x, 5), "province"])
    return Reference(countries, provinces, borders, crossings, pairs, search, tuple(notes))
