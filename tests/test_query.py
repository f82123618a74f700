"""Proximity queries: distances against known geography and pyproj's Geod, filters, corridors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from gazetteer import Gazetteer, boundaries
from geo import query as q
from geo.distance import LineIndex, PointIndex, geodesic_km, inverse_mercator, mercator
from nkmap.errors import InputError, UnknownPlaceError

GEOD = Geod(ellps="WGS84")

# Border towns and other known places, by gazetteer id.
TOWNS = ("kp.sinuiju", "kp.hyesan", "kp.manpo", "kp.namyang")


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.default()


def _events(points: list[tuple[str, float, float]], **columns: Any) -> Any:
    """Events at (place, lat, lon) points, with the other event columns filled plainly."""
    import geopandas as gpd

    n = len(points)
    frame = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "theme": columns.get("theme", ["trade"] * n),
            "place": [p[0] for p in points],
            "admin1": columns.get("admin1", [""] * n),
            "date": pd.to_datetime(columns.get("date", ["2024-05-01"] * n)),
        }
    )
    geometry = gpd.points_from_xy([p[2] for p in points], [p[1] for p in points])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)


def _at(gz: Gazetteer, *ids: str) -> Any:
    return _events([(gz.get(i).name, gz.get(i).lat, gz.get(i).lon) for i in ids])


def _geodesic_to_line(line: Any, lon: float, lat: float) -> float:
    """Reference: the least Geod distance (km) from a point to the line densified to ~10 m."""
    xy = shapely.get_coordinates(shapely.segmentize(line, 0.0001))
    rough = np.hypot((xy[:, 0] - lon) * np.cos(np.radians(lat)), xy[:, 1] - lat)
    near = np.argsort(rough)[:3000]
    _, _, metres = GEOD.inv(np.full(near.size, lon), np.full(near.size, lat), *xy[near].T)
    return float(np.min(metres)) / 1000.0


# --- known geography ------------------------------------------------------------------------


def test_border_towns_are_within_5_km_of_the_china_border(gz: Gazetteer) -> None:
    km = q.border_distance_km(_at(gz, *TOWNS), border="china")
    assert (km < 5).all(), km.tolist()


def test_pyongyang_is_120_to_200_km_from_the_china_border(gz: Gazetteer) -> None:
    km = float(q.border_distance_km(_at(gz, "kp.pyongyang"), border="china").iloc[0])
    assert 120 < km < 200


def test_tumangang_is_within_5_km_of_the_russia_border_and_far_from_it_elsewhere(
    gz: Gazetteer,
) -> None:
    km = q.border_distance_km(_at(gz, "kp.tumangang", "kp.sinuiju"), border="russia")
    assert km.iloc[0] < 5
    assert km.iloc[1] > 400


def test_any_border_is_the_nearer_of_the_two(gz: Gazetteer) -> None:
    events = _at(gz, "kp.tumangang", "kp.sinuiju", "kp.pyongyang", "kp.rason")
    china = q.border_distance_km(events, "china")
    russia = q.border_distance_km(events, "russia")
    both = q.border_distance_km(events, "any")
    assert np.allclose(both, np.minimum(china, russia), rtol=1e-9)


@pytest.mark.parametrize("border", ["china", "russia"])
def test_border_distances_agree_with_geod_within_1_percent(gz: Gazetteer, border: str) -> None:
    ids = (*TOWNS, "kp.pyongyang", "kp.tumangang", "cn.dandong", "kp.rason", "kp.kanggye")
    rng = np.random.default_rng(7)
    # the estuaries too, where the line leaves the polygons' shared edge for the water
    mouths = [(124.19, 39.80), (124.28, 39.93), (130.69, 42.30), (130.75, 42.25)]
    lon = np.concatenate(
        [[gz.get(i).lon for i in ids], [m[0] for m in mouths], rng.uniform(123.8, 131.2, 25)]
    )
    lat = np.concatenate(
        [[gz.get(i).lat for i in ids], [m[1] for m in mouths], rng.uniform(37.8, 43.8, 25)]
    )
    line = boundaries.border(border)
    got = LineIndex(line).distance_km(lon, lat)
    want = np.array([_geodesic_to_line(line, x, y) for x, y in zip(lon, lat, strict=True)])
    assert np.all(np.abs(got - want) <= 0.01 * want), np.c_[got, want]


def test_nearest_point_is_on_the_line_at_the_measured_distance() -> None:
    line = boundaries.border("china")
    lon = np.array([125.0, 126.9, 129.5])
    lat = np.array([40.0, 41.2, 42.5])
    km, qlon, qlat = LineIndex(line).nearest(lon, lat)
    _, _, metres = GEOD.inv(lon, lat, qlon, qlat)
    assert np.allclose(metres / 1000.0, km, rtol=0.005)
    assert shapely.distance(shapely.points(qlon, qlat), line).max() < 1e-6


# --- the distance engine on a stand-in line -------------------------------------------------


def test_line_index_on_a_parallel_line() -> None:
    index = LineIndex(shapely.LineString([(124.0, 41.0), (126.0, 41.0)]))
    lon = np.array([125.0, 125.0, 125.0, 123.0, np.nan])
    lat = np.array([41.0, 41.1, 40.5, 41.0, 41.0])
    km = index.distance_km(lon, lat)
    _, _, side = GEOD.inv(123.0, 41.0, 124.0, 41.0)
    assert km[0] == pytest.approx(0.0, abs=1e-6)
    assert km[1] == pytest.approx(11.1, abs=0.05)
    assert km[2] == pytest.approx(55.5, abs=0.2)
    assert km[3] == pytest.approx(side / 1000.0, rel=1e-3)  # beyond the end: to the endpoint
    assert np.isnan(km[4])


def test_line_index_max_km_leaves_far_points_unmeasured() -> None:
    index = LineIndex(shapely.LineString([(124.0, 41.0), (126.0, 41.0)]))
    km = index.distance_km([125.0, 125.0], [41.05, 42.0], max_km=20)
    assert km[0] == pytest.approx(5.55, abs=0.05)
    assert km[1] == np.inf


def test_line_index_takes_the_nearer_part_of_a_multilinestring() -> None:
    multi = shapely.MultiLineString([[(124, 40), (124, 42)], [(126, 40), (126, 42)]])
    km = LineIndex(multi).distance_km([124.2, 125.9], [41.0, 41.0])
    _, _, west = GEOD.inv(124.2, 41.0, 124.0, 41.0)
    _, _, east = GEOD.inv(125.9, 41.0, 126.0, 41.0)
    assert km == pytest.approx([west / 1000, east / 1000], rel=2e-3)


def test_mercator_round_trips() -> None:
    x, y = mercator([124.5, 130.7], [37.9, 43.2])
    lon, lat = inverse_mercator(x, y)
    assert lon == pytest.approx([124.5, 130.7], abs=1e-9)
    assert lat == pytest.approx([37.9, 43.2], abs=1e-9)


def test_point_index_finds_the_nearest_point() -> None:
    index = PointIndex([124.4, 128.2, 129.9], [40.1, 41.4, 42.9])
    which, km = index.nearest([128.0, 124.5, np.nan], [41.3, 40.0, 41.0])
    assert which.tolist() == [1, 0, -1]
    _, _, metres = GEOD.inv(128.0, 41.3, 128.2, 41.4)
    assert km[0] == pytest.approx(metres / 1000, rel=1e-3)
    assert np.isnan(km[2])


# --- filters ----------------------------------------------------------------------------------


def test_near_border_keeps_exactly_the_events_within_km(synthetic_events: Any) -> None:
    events = synthetic_events(3000, seed=3)
    near = q.near_border(events, km=20, border="china")
    every = q.border_distance_km(events, "china")[q.is_located(events)]
    assert set(near.index) == set(every.index[every <= 20])
    assert np.allclose(near["distance_km"], every[near.index])
    assert "Pyongyang" not in set(near["place"])
    assert {"Sinuiju", "Hyesan", "Manpo", "Namyang"} <= set(near["place"])


def test_near_place_matches_geod(gz: Gazetteer) -> None:
    events = _at(gz, "cn.dandong", "kp.sinuiju", "kp.pyongyang")
    near = q.near_place(events, "Sinuiju", km=5)
    assert list(near["place"]) == ["Dandong", "Sinuiju"]
    _, _, metres = GEOD.inv(124.39472, 40.12917, 124.39806, 40.10056)
    assert near["distance_km"].iloc[0] == pytest.approx(metres / 1000, rel=1e-9)
    assert list(q.near_place(events, gz.get("kp.sinuiju"), km=2)["place"]) == ["Sinuiju"]


def test_place_distance_km(gz: Gazetteer) -> None:
    km = q.place_distance_km(_at(gz, "kp.pyongyang"), "Sinuiju")
    want = geodesic_km([125.75432], [39.03385], 124.39806, 40.10056)[0]
    assert km.iloc[0] == pytest.approx(want)


def test_in_province_by_polygon_or_admin1() -> None:
    events = _events(
        [("Hyesan", 41.40167, 128.17778), ("Pyongyang", 39.03385, 125.75432), ("bank", 0, 0)],
        admin1=["Ryanggang", "Pyongyang", "Ryanggang"],  # "bank": by admin1 alone
    )
    assert list(q.in_province(events, "Yanggang-do")["place"]) == ["Hyesan", "bank"]
    assert list(q.in_province(events, "kp.pyongyang")["place"]) == ["Pyongyang"]
    inside = _events([("Kanggye", 40.97, 126.59)])  # no admin1: by polygon alone
    assert len(q.in_province(inside, "Chagang")) == 1
    assert len(q.in_province(inside, "Ryanggang")) == 0


def test_in_period_bounds_are_inclusive_and_undated_events_drop_out() -> None:
    dates = ["2023-12-31", "2024-01-01", "2024-06-30", "2024-12-31", "2025-01-01", None]
    events = _events([(d or "none", 41.0, 126.0) for d in dates], date=dates)
    assert list(q.in_period(events, since="2024")["place"]) == dates[1:5]
    assert list(q.in_period(events, until="2024")["place"]) == dates[:4]
    assert list(q.in_period(events, "2024-06", "2024-06")["place"]) == ["2024-06-30"]
    assert list(q.in_period(events, "2024-01-01", "2024-01-01")["place"]) == ["2024-01-01"]
    assert len(q.in_period(events)) == len(events)


@pytest.mark.parametrize("bad", ["2024-13", "24-01-01", "yesterday", "2024/01/01", "2023-02-29"])
def test_malformed_dates_name_the_value(bad: str) -> None:
    with pytest.raises(InputError, match=f"malformed date '{bad}'"):
        q.in_period(_events([("x", 41.0, 126.0)]), since=bad)


def test_since_after_until_is_an_error() -> None:
    with pytest.raises(InputError, match="--since 2025 is after --until 2024"):
        q.in_period(_events([("x", 41.0, 126.0)]), since="2025", until="2024")


def test_with_theme_is_case_insensitive_and_takes_lists() -> None:
    events = _events([("a", 41, 126), ("b", 41, 126), ("c", 41, 126)], theme=["trade", "aid", None])
    assert list(q.with_theme(events, "TRADE")["place"]) == ["a"]
    assert list(q.with_theme(events, "trade,aid")["place"]) == ["a", "b"]
    assert list(q.with_theme(events, ["aid"])["place"]) == ["b"]


@pytest.mark.parametrize("km", [-1, float("nan"), "far"])
def test_bad_distances_are_input_errors(km: Any) -> None:
    events = _events([("x", 41.0, 126.0)])
    with pytest.raises(InputError, match=r"--near-border must be .*number of km, not"):
        q.near_border(events, km=km)


def test_unknown_names_are_unknown_place_errors() -> None:
    events = _events([("x", 41.0, 126.0)])
    with pytest.raises(UnknownPlaceError, match="unknown place 'Xyzzyville'"):
        q.near_place(events, "Xyzzyville", km=5)
    with pytest.raises(UnknownPlaceError, match="unknown province 'Atlantis'"):
        q.in_province(events, "Atlantis")
    with pytest.raises(InputError, match="unknown border 'mongolia'"):
        q.border_distance_km(events, "mongolia")


# --- crossings, corridors, query, summary ---------------------------------------------------


def test_nearest_crossing_and_corridor(gz: Gazetteer) -> None:
    events = _at(gz, "kp.sinuiju", "kp.hyesan", "kp.manpo", "kp.namyang", "kp.pyongyang")
    out = q.nearest_crossing(events)
    assert list(out["corridor"]) == [
        "Dandong–Sinuiju",
        "Changbai–Hyesan",
        "Ji'an–Manpo",
        "Tumen–Namyang",
        "",
    ]
    assert out["crossing_km"].iloc[4] > q.CORRIDOR_KM
    crossing = gz.get(out["crossing_id"].iloc[0])
    _, _, metres = GEOD.inv(124.39806, 40.10056, crossing.lon, crossing.lat)
    assert out["crossing_km"].iloc[0] == pytest.approx(metres / 1000, rel=0.01)


def test_query_combines_filters_and_annotates(synthetic_events: Any) -> None:
    events = synthetic_events(2000, seed=5)
    out = q.query(events, near_border_km=20, since="2024", themes=["trade", "aid"])
    assert len(out) > 0
    assert (out["distance_km"] <= 20).all()
    assert (out["date"] >= pd.Timestamp("2024-01-01")).all()
    assert set(out["theme"]) <= {"trade", "aid"}
    assert {"crossing", "crossing_km", "corridor"} <= set(out.columns)
    assert set(out["corridor"]) <= {p.corridor for p in q.crossings()} | {""}
    near = q.query(events, near="Hyesan", km=10, province="Ryanggang")
    assert set(near["place"]) <= {"Hyesan", "Ryanggang", "Changbai"}
    assert (near["distance_km"] <= 10).all()
    with pytest.raises(InputError, match="--km needs --near"):
        q.query(events, km=5)


def test_summary_counts(synthetic_events: Any) -> None:
    events = synthetic_events(500, seed=2)
    for by in q.SUMMARY_KEYS:
        table = q.summary(events, by=by)
        assert list(table.columns) == [by, "events"]
        assert table["events"].sum() == len(events)
    months = q.summary(events, by="month")["month"].tolist()
    assert months == sorted(months)
    with pytest.raises(InputError, match="cannot summarise by 'year'"):
        q.summary(events, by="year")


# --- the sample articles --------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_events() -> Any:
    from conftest import SAMPLES

    from geo.inputs import load_events

    return load_events([SAMPLES])


def test_sample_query_near_china_border_since_2024(sample_events: Any) -> None:
    out = q.query(sample_events, near_border_km=20, border="china", since="2024")
    places = set(out["place"])
    assert {"Sinuiju", "Wonjong"} <= places
    assert not places & {"Pyongyang", "Kusong", "Unsan", "Kujang"}
    assert (out["date"] >= pd.Timestamp("2024-01-01")).all()
    assert (out["distance_km"] <= 20).all()
    # Nothing left out: every sample event of the period within 20 km is returned.
    recent = q.in_period(sample_events, since="2024")
    assert "Pyongyang" in set(recent["place"])
    within = q.border_distance_km(recent, "china") <= 20
    assert set(recent.loc[within, "event_id"]) == set(out["event_id"])


def test_events_without_geometry_and_empty_frames(synthetic_events: Any) -> None:
    from geo.event_records import empty_events

    events = synthetic_events(6, seed=4)
    events.loc[events.index[0], "geometry"] = None
    out = q.query(events)
    assert np.isnan(out["distance_km"].iloc[0]) and out["corridor"].iloc[0] == ""
    rest = out.iloc[1:]
    located = q.is_located(rest)
    assert np.isfinite(rest["distance_km"][located]).all()
    assert np.isnan(rest["distance_km"][~located]).all()  # an area has no point distance
    assert events.index[0] not in q.near_border(events, km=1000).index
    empty = q.query(empty_events(), near_border_km=20, since="2024")
    assert len(empty) == 0 and {"distance_km", "corridor"} <= set(empty.columns)
    assert q.summary(empty_events(), by="corridor")["events"].sum() == 0


def test_candidate_search_never_misses_the_nearest_segment() -> None:
    """Against brute force over every segment, with the same distance formula."""
    from geo.distance import mercator, scale

    index = LineIndex(boundaries.border("any"))
    rng = np.random.default_rng(12)
    lon = np.concatenate([rng.uniform(121, 134, 1500), rng.normal(128, 0.3, 1500)])
    lat = np.concatenate([rng.uniform(35, 46, 1500), rng.normal(41.7, 0.3, 1500)])
    px, py = mercator(lon, lat)
    t = ((px[:, None] - index.a_x) * index._dx + (py[:, None] - index.a_y) * index._dy) / (
        index._len2
    )
    t = np.clip(t, 0, 1)
    dm = np.hypot(px[:, None] - index.a_x - t * index._dx, py[:, None] - index.a_y - t * index._dy)
    brute = np.min(dm * 2 / (scale(lat)[:, None] + index._k_seg), axis=1) / 1000
    assert index.distance_km(lon, lat) == pytest.approx(brute, rel=1e-12)
    capped = index.distance_km(lon, lat, max_km=30)
    measured = np.isfinite(capped)
    assert capped[measured] == pytest.approx(brute[measured], rel=1e-12)
    assert (brute[~measured] > 30).all() and (brute <= 30).sum() > 100


def test_approximate_events_are_left_out_of_distances_and_corridors_unless_asked() -> None:
    events = _events(
        [("Hyesan", 41.40, 128.18), ("Ryanggang", 41.1, 128.3), ("Liaoning", 41.3, 122.6)],
        admin1=["Ryanggang", "Ryanggang", "Liaoning"],
    )
    events["precision"] = ["town", "province", "province"]
    near = q.near_border(events, km=20)
    assert list(near["place"]) == ["Hyesan"]
    wide = q.near_border(events, km=20, approximate=True)
    assert list(wide["place"]) == ["Hyesan", "Ryanggang"]  # Liaoning has no DPRK outline
    assert list(wide["measured_from"]) == ["point", "area edge"]
    assert wide["distance_km"].iloc[1] < 1  # Ryanggang's outline runs along the border
    corridors = q.nearest_crossing(events)["corridor"].tolist()
    assert corridors[0] and corridors[1:] == ["", ""]
    assert q.summary(events, by="corridor").set_index("corridor")["events"]["(none)"] == 2


def test_province_filter_uses_admin1_not_the_polygon() -> None:
    # Changbai lies in China a few hundred metres from Hyesan, inside coarse DPRK polygons
    events = _events(
        [("Changbai", 41.42, 128.17), ("Hyesan", 41.40, 128.18)], admin1=["Jilin", "Ryanggang"]
    )
    assert list(q.in_province(events, "Ryanggang")["place"]) == ["Hyesan"]


def test_queries_use_the_gazetteer_given_and_keep_its_crossings_on_it() -> None:
    from gazetteer.sources.curated import CuratedSource
    from geo.corridors import crossings, nearest_crossing

    curated = Gazetteer([CuratedSource()], use_cache=False)
    alone = Gazetteer(
        [_OneCrossing()],
        use_cache=False,
    )
    assert [p.name for p in crossings(alone)] == ["Test Bridge"]
    assert len(crossings(curated)) > 1
    events = gpd_points([(124.4, 40.1)])
    assert nearest_crossing(events, alone)["crossing"].tolist() == ["Test Bridge"]
    assert nearest_crossing(events, curated)["crossing"].tolist() != ["Test Bridge"]
    assert crossings(alone)[0] is crossings(alone)[0]  # built once, kept on that gazetteer
    with pytest.raises(UnknownPlaceError):
        q.near_place(events, "Sinuiju", 10, gazetteer=alone)
    assert len(q.near_place(events, "Sinuiju", 10, gazetteer=curated)) == 1


class _OneCrossing:
    """A gazetteer layer holding one bridge, far from any real one."""

    name = "one-crossing"

    def places(self):  # type: ignore[no-untyped-def]
        from gazetteer import Place

        yield Place(
            "test.bridge", "Test Bridge", "bridge", "KP", 39.0, 125.0, corridor="Test–Corridor"
        )

    def fingerprint(self) -> str:
        return "1"


def gpd_points(lonlat: list[tuple[float, float]]) -> Any:
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {"precision": ["town"] * len(lonlat)},
        geometry=gpd.points_from_xy([x for x, _ in lonlat], [y for _, y in lonlat]),
        crs=4326,
    )
