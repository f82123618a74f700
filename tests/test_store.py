"""The GeoPackage store and files as GDAL, QGIS and a reader of nkmap's own output see them."""

from __future__ import annotations

import shutil
import sqlite3
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import main


def _ingest(paths: list[Path], db: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["ingest", *map(str, paths), "--db", str(db), *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture()
def halves(tmp_path: Path, samples_dir: Path) -> tuple[Path, Path]:
    """The samples split in two folders (sidecars kept with their articles)."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for path in sorted(samples_dir.iterdir()):
        if path.name == "README.md":
            continue
        shutil.copy(path, (first if path.name < "10" else second) / path.name)
    return first, second


def test_store_is_one_events_layer_with_a_style_and_real_dates(
    tmp_path: Path, samples_dir: Path
) -> None:
    import pyogrio

    db = tmp_path / "store.gpkg"
    _ingest([samples_dir], db)
    layers = [(str(name), kind) for name, kind in pyogrio.list_layers(db)]
    spatial = [(name, kind) for name, kind in layers if kind]
    assert spatial == [("events", "Point")]
    assert {name for name, _ in layers} <= {"events", "layer_styles"}  # no bookkeeping layer
    info = pyogrio.read_info(db, layer="events")
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert types["date"] == "OFTDate" and types["published"] == "OFTDate"
    assert types["evidence_start"] == "OFTInteger64" and types["confidence"] == "OFTReal"
    assert info["crs"] == "EPSG:4326" and info["features"] > 30
    styles = pyogrio.read_dataframe(db, layer="layer_styles", read_geometry=False)
    (style,) = styles.itertuples(index=False)
    assert style.f_table_name == "events" and style.f_geometry_column == "geometry"
    assert bool(style.useAsDefault)
    _check_qml(style.styleQML)


def _check_qml(qml: str) -> None:
    from maps.style import THEMES

    root = ET.fromstring(qml.split("\n", 1)[1])  # after the DOCTYPE line
    renderer = root.find("renderer-v2")
    assert renderer is not None and renderer.get("attr") == "theme"
    colours = {}
    symbols = {s.get("name"): s for s in renderer.findall("symbols/symbol")}
    for category in renderer.iter("category"):
        symbol = symbols[category.get("symbol")]
        option = symbol.find(".//Option[@name='color']")
        assert option is not None
        colours[category.get("value")] = option.get("value")
    for theme, style in THEMES.items():
        h = style.color.lstrip("#")
        assert colours[theme] == f"{int(h[:2], 16)},{int(h[2:4], 16)},{int(h[4:], 16)},255"
    assert "" in colours  # every other theme


def test_ingest_appends_without_rewriting(tmp_path: Path, halves: tuple[Path, Path]) -> None:
    import pyogrio

    db = tmp_path / "store.gpkg"
    first, second = halves
    _ingest([first], db)
    inode = db.stat().st_ino
    before = pyogrio.read_dataframe(db, layer="events", fid_as_index=True)
    out = _ingest([first, second], db)
    assert db.stat().st_ino == inode  # the same file, grown in place
    after = pyogrio.read_dataframe(db, layer="events", fid_as_index=True)
    assert len(after) > len(before)
    old = after.loc[before.index]
    assert old.drop(columns="geometry").equals(before.drop(columns="geometry"))
    n_first = len(list(first.glob("*.txt"))) + len(list(first.glob("*.html")))
    assert f"{n_first} were already there" in out
    con = sqlite3.connect(db)
    (rtree,) = con.execute("SELECT count(*) FROM rtree_events_geometry").fetchone()
    (hashes,) = con.execute("SELECT count(DISTINCT content_hash) FROM nkmap_articles").fetchone()
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    con.close()
    assert rtree == len(after)  # the spatial index covers the appended rows
    assert hashes == 21 and "events_article_id" in indexes
    box = pyogrio.read_dataframe(db, layer="events", bbox=(124.0, 39.5, 125.0, 40.5))
    inside = after.cx[124.0:125.0, 39.5:40.5]
    assert len(box) == len(inside) > 0
    again = _ingest([second], db)
    assert "ingested 0 new articles" in again


def test_query_on_a_store_prints_no_warning(tmp_path: Path, samples_dir: Path) -> None:
    db = tmp_path / "store.gpkg"
    _ingest([samples_dir], db)
    result = CliRunner().invoke(main, ["query", str(db), "--near-border", "20"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1].endswith("events")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from geo.inputs import read_events_file

        assert len(read_events_file(db)) > 30


def test_failed_append_leaves_the_store_as_it_was(tmp_path: Path, samples_dir: Path) -> None:
    from geo import gpkg
    from geo.records import event_schema
    from nkmap.errors import FileError

    db = tmp_path / "store.gpkg"
    _ingest([samples_dir], db)
    n = gpkg.count(db)
    with gpkg.Appender(db, event_schema()) as appender, pytest.raises(FileError):
        good = (*("x",) * len(event_schema().names), (125.0, 40.0))
        unbindable = (*good[:-2], ["not", "a", "value"], good[-1])
        appender.append([good, unbindable])
    assert gpkg.count(db) == n


def test_a_store_of_the_old_layout_is_named(tmp_path: Path) -> None:
    from geo.gpkg import create
    from geo.records import event_schema

    old = tmp_path / "old.gpkg"
    create(old, event_schema())
    con = sqlite3.connect(old)
    con.execute("CREATE TABLE articles (content_hash TEXT)")
    con.commit()
    con.close()
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(old)])
    assert result.exit_code == 1
    assert "written by an older nkmap" in result.output


@pytest.mark.parametrize("suffix", [".gpkg", ".kml", ".parquet", ".csv", ".geojson"])
def test_every_format_reads_back_as_the_same_events(
    tmp_path: Path, samples_dir: Path, suffix: str
) -> None:
    from geo.event_records import EVENT_COLUMNS
    from geo.inputs import read_events_file
    from geo.pipeline import extract_events

    expected = extract_events([samples_dir])
    out = tmp_path / f"events{suffix}"
    result = CliRunner().invoke(main, ["events", str(samples_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = read_events_file(out)
    columns = [c for c in EVENT_COLUMNS if c != "geometry"]
    assert list(got.columns[: len(columns)]) == columns
    left = expected[columns].reset_index(drop=True)
    right = got[columns].reset_index(drop=True)
    # CSV has one spelling for an empty text and a missing one
    blank = ("",) if suffix == ".csv" else ()

    def plain(values: object) -> list[object]:
        return [None if v != v or v in blank else v for v in values]  # type: ignore[attr-defined]

    for column in columns:
        assert plain(left[column]) == plain(right[column]), column
    assert abs(expected.geometry.x - got.geometry.x).max() < 1e-6
    assert abs(expected.geometry.y - got.geometry.y).max() < 1e-6


def test_kml_is_valid_and_escapes_article_text(tmp_path: Path) -> None:
    from bench.synthetic import make_events
    from geo.inputs import read_events_file
    from geo.store import write_events

    events = make_events(5, seed=3)
    events.loc[0, "evidence"] = 'Traders said "<b>Hyesan</b> & Changbai"\r\nwere shut.'
    out = tmp_path / "e.kml"
    write_events(events, out)
    ET.parse(out)  # well-formed
    back = read_events_file(out)
    assert back.loc[0, "evidence"] == events.loc[0, "evidence"]
    assert list(back["event_id"]) == list(events["event_id"])


def test_written_geopackage_is_qgis_ready_too(tmp_path: Path, samples_dir: Path) -> None:
    import pyogrio

    out = tmp_path / "events.gpkg"
    result = CliRunner().invoke(main, ["events", str(samples_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [str(n) for n, kind in pyogrio.list_layers(out) if kind] == ["events"]
    styles = pyogrio.read_dataframe(out, layer="layer_styles", read_geometry=False)
    assert list(styles["f_table_name"]) == ["events"]
