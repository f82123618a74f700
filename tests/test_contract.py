"""The events contract (geo.contract, nkmap.events_table): one error naming file and column
where events enter or leave, valid tables passed through untouched, EventsFrame in every
public signature."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from geo.cli import main
from geo.contract import columns, validate
from geo.inputs import read_events_file
from geo.store import write_events
from nkmap.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
HEADER = "event_id,theme,place,precision,date,evidence,evidence_start,confidence,lat,lon\n"
GOOD_ROW = "e1,trade,Hyesan,town,2024-03-07,Traders in Hyesan.,0,0.9,41.39,128.18\n"


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _events(n: int = 30, seed: int = 2) -> Any:
    from bench.synthetic import make_events

    return make_events(n, seed=seed)


def _feature_collection(path: Path, properties: dict[str, Any], geometry: Any) -> Path:
    feature = {"type": "Feature", "properties": properties, "geometry": geometry}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


# --- one line naming the file and the column, through the CLI ------------------------------


def test_a_csv_without_lat_names_the_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("theme,lon\ntrade,128.18\n")
    result = run("query", str(bad), "--near-border", "20")
    assert result.exit_code == 1
    assert result.stderr == f"nkmap: error: {bad}: a 'lon' column but no 'lat' column\n"


def test_a_csv_with_no_point_columns_says_what_places_an_event(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("theme,place\ntrade,Hyesan\n")
    result = run("map", str(bad), "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"nkmap: error: {bad}: no 'lat' and 'lon' columns (nor a WKT 'geometry' column)\n"
    )
    assert not (tmp_path / "m.html").exists()


def test_lat_as_text_names_the_column_the_value_and_the_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD_ROW + GOOD_ROW.replace("41.39", "north"))
    for args in (["query", str(bad), "--near-border", "20"], ["summary", str(bad)]):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert result.stderr == (
            f"nkmap: error: {bad}: column 'lat' holds 'north' in row 2, not a number\n"
        )


def test_swapped_lat_and_lon_are_caught(tmp_path: Path) -> None:
    bad = tmp_path / "swapped.csv"
    bad.write_text("lat,lon\n128.18,41.39\n")
    result = run("query", str(bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"nkmap: error: {bad}: column 'lat' holds 128.18 in row 1, beyond ±90° "
        "(are lat and lon swapped?)"
    ]


def test_mistyped_columns_of_typed_formats_are_named(tmp_path: Path) -> None:
    point = {"type": "Point", "coordinates": [128.18, 41.39]}
    text_offset = _feature_collection(
        tmp_path / "offset.geojson", {"theme": "trade", "evidence_start": "early"}, point
    )
    result = run("query", str(text_offset), "--near-border", "20")
    assert result.exit_code == 1
    assert result.stderr == (
        f"nkmap: error: {text_offset}: column 'evidence_start' holds 'early' in row 1, "
        "not a number\n"
    )
    fraction = _feature_collection(tmp_path / "half.geojson", {"evidence_end": 2.5}, point)
    result = run("query", str(fraction))
    assert result.exit_code == 1
    assert "column 'evidence_end' holds 2.5 in row 1, not a whole number" in result.stderr


def test_a_kml_value_not_of_its_kind_is_named(tmp_path: Path) -> None:
    path = write_events(_events(3), tmp_path / "events.kml")
    text = path.read_text(encoding="utf-8")
    first = '<Data name="confidence"><value>'
    at = text.index(first) + len(first)
    path.write_text(text[:at] + "sure" + text[text.index("<", at) :], encoding="utf-8")
    result = run("map", str(path), "-o", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"nkmap: error: {path}: column 'confidence' holds 'sure' in row 1, not a number\n"
    )


def test_a_polygon_is_not_an_event(tmp_path: Path) -> None:
    ring = [[128.0, 41.0], [128.2, 41.0], [128.2, 41.4], [128.0, 41.0]]
    area = _feature_collection(
        tmp_path / "area.geojson", {"theme": "trade"}, {"type": "Polygon", "coordinates": [ring]}
    )
    for args in (
        ["query", str(area), "--near-border", "20"],
        ["query", str(area), "-o", str(tmp_path / "out.gpkg")],
        ["static", str(area), "-o", str(tmp_path / "out.png")],
    ):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert result.stderr == (
            f"nkmap: error: {area}: column 'geometry' holds a Polygon in row 1; "
            "an event is a point\n"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["area.geojson"]


def test_unreadable_wkt_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "wkt.csv"
    bad.write_text("theme,geometry\ntrade,POINT (128.18 41.39)\ntrade,near Hyesan\n")
    result = run("query", str(bad))
    assert result.exit_code == 1
    assert result.stderr == (
        f"nkmap: error: {bad}: column 'geometry' holds 'near Hyesan' in row 2, not a WKT geometry\n"
    )


def test_the_rest_of_the_inputs_complete_and_the_exit_is_1(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD_ROW)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD_ROW.replace(",0.9,", ",high,"))
    out = tmp_path / "border.geojson"
    result = run("query", str(bad), str(good), "--near-border", "20", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"nkmap: warning: {bad}: column 'confidence' holds 'high' in row 1, not a number",
        f"1 event written to {out}",
        "nkmap: 1 input failed; the others were processed",
    ]
    assert len(read_events_file(out)) == 1


def test_the_static_map_needs_a_theme_per_file_and_draws_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD_ROW)
    themeless = tmp_path / "points.csv"
    themeless.write_text("lat,lon\n41.39,128.18\n")
    out = tmp_path / "map.png"
    result = run("static", str(themeless), str(good), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"nkmap: warning: {themeless}: no 'theme' column, needed by the static map, which "
        "draws events by theme (columns: none)",
        "nkmap: 1 input failed; the others were processed",
    ]
    assert out.stat().st_size > 10_000
    assert f"{out}: 1 event at 1 place" in result.stdout


def test_writing_a_table_that_breaks_the_contract_writes_nothing(tmp_path: Path) -> None:
    events = _events(3)
    events.loc[1, "geometry"] = shapely.box(128.0, 41.0, 128.2, 41.2)
    out = tmp_path / "out.parquet"
    with pytest.raises(DataError) as caught:
        write_events(events, out)
    assert str(caught.value) == (
        f"{out}: column 'geometry' holds a Polygon in row 2; an event is a point"
    )
    assert list(tmp_path.iterdir()) == []


# --- what the contract accepts and converts --------------------------------------------------


def test_the_columns_are_the_event_records() -> None:
    import dataclasses

    from geo.event_records import Event

    record = [f.name for f in dataclasses.fields(Event)]
    assert columns().names == [n for n in record if n not in ("lat", "lon")]
    assert dict(columns().columns)["confidence"] == "real"
    assert columns().dates() == ["date", "published"]


def test_a_valid_table_passes_through_unconverted() -> None:
    events = _events(50)
    assert validate(events, "events") is events


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv", ".parquet", ".kml"])
def test_valid_files_round_trip_unchanged(tmp_path: Path, suffix: str) -> None:
    events = _events(40, seed=5)
    first = read_events_file(write_events(events, tmp_path / f"a{suffix}"))
    assert validate(first, "again") is first  # what a reader returns already keeps it
    second = read_events_file(write_events(first, tmp_path / f"b{suffix}"))
    pd.testing.assert_frame_equal(pd.DataFrame(first), pd.DataFrame(second))
    if suffix != ".gpkg":  # a GeoPackage records when it was written
        assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()
    kept = [c for c in events.columns if c != "geometry"]
    assert [c for c in first.columns if c in kept] == kept
    assert first["evidence_start"].tolist() == events["evidence_start"].tolist()
    assert first["date"].dt.date.tolist() == events["date"].dt.date.tolist()


def test_text_columns_take_numbers_as_text(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("place_id,theme,admin1,lat,lon\n2044757,trade,,41.39,128.18\n7,5,,41.4,128.2\n")
    frame = read_events_file(path)
    assert frame["place_id"].tolist() == ["2044757", "7"]
    assert frame["theme"].tolist() == ["trade", "5"]
    assert frame["admin1"].isna().all()
    out = write_events(frame, tmp_path / "ids.parquet")
    import pyarrow.parquet as pq

    schema = pq.read_schema(out)
    assert str(schema.field("place_id").type) == "string"
    assert str(schema.field("admin1").type) == "string"


def test_numbers_written_as_text_are_read_as_numbers() -> None:
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        {"evidence_start": ["3", " 12 ", ""], "confidence": ["0.5", None, "1"]},
        geometry=gpd.points_from_xy([128.1, 128.2, 128.3], [41.1, 41.2, 41.3]),
        crs=4326,
    )
    out = validate(frame, "t")
    assert out["evidence_start"].tolist()[:2] == [3.0, 12.0] and np.isnan(out["evidence_start"][2])
    assert out["confidence"].tolist()[0] == 0.5 and out["confidence"].isna()[1]
    assert frame["evidence_start"].tolist() == ["3", " 12 ", ""]  # the input is not changed


def test_dates_that_read_as_no_date_are_unknown_and_years_are_dates(tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text("date,published,lat,lon\nsoon,2024,41.39,128.18\n2024-03-07,2023,41.4,128.2\n")
    frame = read_events_file(path)
    assert pd.isna(frame["date"][0]) and str(frame["date"][1].date()) == "2024-03-07"
    assert [d.year for d in frame["published"]] == [2024, 2023]


def test_a_row_without_coordinates_has_no_point(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("theme,lat,lon\ntrade,41.39,128.18\ntrade,,\n")
    frame = read_events_file(path)
    assert frame.geometry.isna().tolist() == [False, True]


def test_another_crs_is_reprojected_before_the_check() -> None:
    events = _events(5).to_crs(5179)
    out = validate(events, "korea")
    assert out.crs.to_epsg() == 4326
    assert np.allclose(out.geometry.x, _events(5).geometry.x)


def test_require_names_the_missing_column_and_what_needs_it() -> None:
    events = _events(3).drop(columns=["theme"])
    with pytest.raises(DataError, match=r"^x\.gpkg: no 'theme' column, needed to colour it \("):
        validate(events, "x.gpkg", require={"theme": "to colour it"})


# --- the type at the package boundaries -------------------------------------------------------


def _functions() -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    found = []
    for package in ("nkmap", "geo", "maps"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text("utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def test_no_function_takes_events_as_any() -> None:
    untyped = []
    for where, node in _functions():
        arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        for arg in arguments:
            annotation = ast.unparse(arg.annotation) if arg.annotation else "Any"
            if arg.arg == "events" and annotation in ("Any", "object"):
                untyped.append(f"{where} {node.name}")
    assert untyped == []


def test_the_verbs_say_they_return_events() -> None:
    import geopandas as gpd

    import geo.query as q
    import maps.static_data as sd
    from nkmap.events_table import EventsFrame

    for verb in (q.near_border, q.near_place, q.in_province, q.in_period, q.with_theme, q.query):
        assert verb.__annotations__["events"] == "EventsFrame"
        assert verb.__annotations__["return"] == "EventsFrame"
    assert sd.summarize.__annotations__["events"] == "EventsFrame"
    assert EventsFrame is gpd.GeoDataFrame  # at run time, the frame itself


MISUSE = """
from pathlib import Path

from geo.inputs import read_events_file
from geo.query import near_border
from maps.static import static_map

events = read_events_file("events.csv")
near_border(events, km=20).to_file("out.gpkg")
near_border(Path("events.csv"), km=20)
static_map(["not", "events"])
"""


def test_mypy_keeps_other_values_out_of_the_events_boundary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mypy import api

    snippet = tmp_path / "misuse.py"
    snippet.write_text(MISUSE)
    monkeypatch.chdir(ROOT)  # the packages are found from the repository's root
    config = ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path / "c")]
    out, _, status = api.run([*config, "--no-error-summary", str(snippet)])
    errors = [line.split(": error: ")[1] for line in out.splitlines() if ": error: " in line]
    assert status == 1
    assert errors == [
        'Argument 1 to "near_border" has incompatible type "Path"; expected "EventsFrame"  '
        "[arg-type]",
        'Argument 1 to "static_map" has incompatible type "list[str]"; expected "EventsFrame"  '
        "[arg-type]",
    ]
