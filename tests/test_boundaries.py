"""The shipped boundaries: they load, they are the right size, and known places sit where they are.

Distances are geodesic: a line is projected to an azimuthal equidistant CRS centred on the
point, where the distance from the centre is the geodesic distance.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import shapely
from pyproj import CRS, Geod, Transformer
from shapely import Point
from shapely.geometry.base import BaseGeometry

from gazetteer import boundaries
from gazetteer.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "gazetteer" / "data" / "curated.csv"
GEOD = Geod(ellps="WGS84")

#: Provinces of the curated table that Natural Earth 1:10m folds into another one.
FOLDED = {"kp.nampo": "kp.south-pyongan", "kp.kaesong": "kp.north-hwanghae"}

#: Curated places that Natural Earth 1:10m draws in another province: counties moved from
#: Pyongyang to North Hwanghae in 2010, which Natural Earth still draws inside Pyongyang.
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
    union = boundaries.provinces().union_all()
    gap_km2 = abs(GEOD.geometry_area_perimeter(union.symmetric_difference(kp))[0]) / 1e6
    assert gap_km2 < 500, gap_km2  # two generalisations of one coastline; about 170 km² apart


# --- the border lines -----------------------------------------------------------------------


def test_border_lines_frame() -> None:
    frame = boundaries.border_lines()
    assert frame.crs.to_epsg() == 4326
    assert sorted(frame["border"]) == ["china", "russia"]
    assert set(frame.geom_type) <= {"LineString", "MultiLineString"}


def test_china_border_length_and_ends() -> None:
    line = boundaries.border("china")
    length_km = GEOD.geometry_length(line) / 1000
    # The surveyed border is about 1,416 km; Natural Earth 1:10m smooths the Yalu's and the
    # Tumen's meanders and measures about 1,005 km.  The band catches a half or a coastline.
    assert 980 <= length_km <= 1450, length_km
    assert line.geom_type == "LineString"
    ends = [Point(line.coords[0]), Point(line.coords[-1])]
    # Natural Earth's polygons stop touching where the Yalu widens into its estuary, at
    # Sinuiju–Dandong, some 30 km above the sea: the west end is there.
    west = min(ends, key=lambda p: p.x)
    assert km_from(west, 124.3981, 40.1006) < 10
    tripoint = max(ends, key=lambda p: p.x)
    assert km_from(boundaries.border("russia"), tripoint.x, tripoint.y) < 0.01


def test_russia_border_length() -> None:
    line = boundaries.border("russia")
    length_km = GEOD.geometry_length(line) / 1000
    # Surveyed: about 17 km of the lower Tumen.  Natural Earth 1:10m puts the China–Russia–DPRK
    # tripoint roughly 10–15 km upstream of where it is, and measures about 31 km.
    assert 15 <= length_km <= 35, length_km
    assert km_from(line, 130.70, 42.29) < 3  # the Tumen mouth


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
    assert km_from(boundaries.border("china"), lon, lat) < 5, name


def test_pyongyang_is_far_from_the_border() -> None:
    assert 120 <= km_from(boundaries.border("china"), 125.7625, 39.0392) <= 200


def test_tumangang_is_on_the_russia_line() -> None:
    assert km_from(boundaries.border("russia"), 130.60, 42.418) < 5


# --- province_of ----------------------------------------------------------------------------


def test_province_of_known_points() -> None:
    assert boundaries.province_of(125.7625, 39.0392) == "Pyongyang"
    assert boundaries.province_of(129.7758, 41.7956) == "North Hamgyong"  # Chongjin
    # Hyesan's centre is 200 m across the generalised Yalu: found with a tolerance.
    assert boundaries.province_of(128.1776, 41.4017, within_km=3) == "Ryanggang"
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


# --- the build script's TopoJSON decoder ----------------------------------------------------


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_boundaries", ROOT / "scripts" / "build_boundaries.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_topojson_decoder_two_squares_sharing_an_arc() -> None:
    build = _build_script()
    # Two unit squares side by side; arc 0 is the shared edge (1,0)→(1,1), quantized ×10.
    topology = {
        "transform": {"scale": [0.1, 0.1], "translate": [100, 30]},
        "arcs": [
            [[10, 0], [0, 10]],
            [[10, 10], [-10, 0], [0, -10], [10, 0]],
            [[10, 0], [10, 0], [0, 10], [-10, 0]],
        ],
    }
    arcs = build.decode_arcs(topology)
    left = build.topo_geometry({"type": "Polygon", "arcs": [[0, 1]]}, arcs)
    right = build.topo_geometry({"type": "MultiPolygon", "arcs": [[[2, ~0]]]}, arcs)
    assert left.is_valid and right.is_valid
    assert left.area == pytest.approx(1.0) and right.area == pytest.approx(1.0)
    assert left.bounds == pytest.approx((100, 30, 101, 31))
    assert right.bounds == pytest.approx((101, 30, 102, 31))
    shared = build.shared_border(left, right)
    assert shared.length == pytest.approx(1.0)
