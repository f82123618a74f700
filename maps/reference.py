"""Reference layers of the interactive map as GeoJSON: countries, provinces, borders, crossings.

Everything comes from the gazetteer package (the shipped boundaries and the
curated crossings and bridges); nothing is fetched.  When a part cannot be
read, its layer is empty and :attr:`Reference.notes` says why, so the map still
draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from nkmap.errors import NkmapError

if TYPE_CHECKING:
    from gazetteer import Gazetteer

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


def _crossings(
    gz: Gazetteer | None, notes: list[str]
) -> tuple[dict[str, Any], dict[str, Any], list[list[Any]]]:
    """Return crossing/bridge points, lines joining each cross-border pair, and search rows
    (all empty without a gazetteer).

    Search rows cover the crossings, every DPRK place, and the curated Chinese and
    Russian border places.
    """
    if gz is None:
        return _empty(), _empty(), []
    places = [p for kind in ("crossing", "bridge") for p in gz.places(kind=kind)]
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


def reference(gazetteer: Gazetteer | None = None) -> Reference:
    """Return the reference layers of ``gazetteer`` (default: :meth:`Gazetteer.default`),
    built once per gazetteer and kept on it; parts that cannot be read are empty, with notes.
    """
    if gazetteer is None:
        try:
            from gazetteer import Gazetteer

            gazetteer = Gazetteer.default()
        except (ImportError, NkmapError, OSError) as exc:
            return _reference(None, [f"crossings unavailable ({exc})"])
    return gazetteer.derived(__name__ + ".reference", lambda gz: _reference(gz, []))


def _reference(gz: Gazetteer | None, notes: list[str]) -> Reference:
    countries, provinces, borders = _boundaries(notes)
    crossings, pairs, search = _crossings(gz, notes)
    known = {row[0] for row in search}
    for feature in provinces["features"]:
        name = feature["properties"].get("name", "")
        if name and name not in known:
            import shapely.geometry

            c = shapely.geometry.shape(feature["geometry"]).representative_point()
            search.append([name, round(c.y, 5), round(c.x, 5), "province"])
    return Reference(countries, provinces, borders, crossings, pairs, search, tuple(notes))


#: Precision levels drawn as an area (the province or country shaded), never as a point.
APPROXIMATE = ("province", "country")


@dataclass(frozen=True)
class Area:
    """The outline an approximate event is drawn as: key, name, precision level, geometry.

    ``key`` is the place id of a province (``kp.chagang``, ``cn.jilin``) or
    ``country:CC``; ``geometry`` is a shapely (Multi)Polygon in lon/lat and
    ``label`` a point inside it where its count is written.
    """

    key: str
    name: str
    level: str
    geometry: Any
    label: Any


def _name_key(text: str) -> str:
    return " ".join(str(text).lower().replace("-", " ").split())


@lru_cache(maxsize=1)
def areas() -> dict[str, Area]:
    """Return every outline an approximate event can be drawn as, by key (see :class:`Area`).

    DPRK provinces come from the gazetteer's boundaries, the Chinese and Russian
    border provinces from ``maps/data/neighbour_provinces.geojson``, countries
    from the gazetteer's country layer.  A part that cannot be read is left out
    (its events are then drawn as points).
    """
    import json
    from importlib import resources

    import shapely.geometry

    out: dict[str, Area] = {}

    def add(key: str, name: str, level: str, geom: Any) -> None:
        if key and geom is not None and not geom.is_empty and key not in out:
            out[key] = Area(key, name, level, geom, geom.representative_point())

    try:
        import gazetteer.boundaries as boundaries

        for _, row in boundaries.provinces().iterrows():
            add(str(row.get("place_id") or ""), str(row["name"]), "province", row.geometry)
        for _, row in boundaries.countries().iterrows():
            add(f"country:{row['iso_a2']}", str(row["name"]), "country", row.geometry)
    except (ImportError, NkmapError, OSError, KeyError):
        pass
    try:
        text = resources.files("maps").joinpath("data/neighbour_provinces.geojson").read_text()
        for feature in json.loads(text)["features"]:
            props = feature["properties"]
            key = props.get("place_id") or f"{props['country'].lower()}.{_name_key(props['name'])}"
            add(key, props["name"], "province", shapely.geometry.shape(feature["geometry"]))
    except (OSError, ValueError, KeyError):
        pass
    return out


@lru_cache(maxsize=1)
def _areas_by_name() -> dict[tuple[str, str], str]:
    """Return (level, folded name) → area key, for events without a matching place id."""
    out: dict[tuple[str, str], str] = {}
    for area in areas().values():
        out.setdefault((area.level, _name_key(area.name)), area.key)
    return out


def area_key(place_id: str, names: tuple[str, ...], country: str, precision: str) -> str:
    """Return the key of the area an approximate event is drawn as, or "" when there is none.

    ``precision`` "province" matches the event's place id, else one of its
    ``names`` (place, admin1); "country" matches the country code.  Other
    precision levels are points: "".

    >>> area_key("kp.chagang", ("Chagang",), "KP", "province")
    'kp.chagang'
    >>> area_key("", ("North Korea",), "KP", "country"), area_key("kp.x", (), "KP", "town")
    ('country:KP', '')
    """
    if precision not in APPROXIMATE:
        return ""
    table = areas()
    if precision == "country":
        key = f"country:{country.upper()}"
        return key if key in table else ""
    if place_id in table and table[place_id].level == "province":
        return place_id
    by_name = _areas_by_name()
    for name in names:
        key = by_name.get(("province", _name_key(name)), "")
        if key:
            return key
    return ""
