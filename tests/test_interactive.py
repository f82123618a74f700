"""The interactive map without a browser: data preparation, page assets, bad input, the CLI."""

from __future__ import annotations

import json
import re
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geo.cli import main
from maps import assets
from maps.interactive import interactive_map, map_data, map_html, prepare, save_map
from nkmap.errors import AssetError, InputError

NETWORK_TAG = re.compile(
    r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.I
)


def _events(n: int = 40, seed: int = 1) -> Any:
    from bench.synthetic import make_events

    return make_events(n, seed=seed)


def _offline_html(events: Any) -> str:
    return map_html(interactive_map(events, offline=True))


def test_prepare_groups_by_theme_with_trade_and_factories_first() -> None:
    prepared = prepare(_events(200))
    ids = [t["id"] for t in prepared.themes]
    assert ids[:2] == ["trade", "factory"]
    assert sum(len(t["fc"]["features"]) for t in prepared.themes) == 200
    feature = prepared.themes[0]["fc"]["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert set(feature["properties"]) - {"area", "bears"} == {
        "id",
        "article",
        "place",
        "precision",
        "day",
        "datePrecision",
        "evidence",
        "confidence",
    }
    assert len(prepared.arts) == len({(a[0], a[2]) for a in prepared.arts}) < 200  # deduplicated
    assert prepared.time is not None and prepared.time[0] < prepared.time[1]


def test_popups_say_what_an_event_bears_on_when_its_theme_does_not() -> None:
    events = _events(3)
    events["theme"] = ["security", "security", "trade"]
    events["category"] = ["cross-border trade", "other", "cross-border trade"]
    prepared = prepare(events)
    bears = {
        t["id"]: [f["properties"].get("bears") for f in t["fc"]["features"]]
        for t in prepared.themes
    }
    assert sorted(bears["security"], key=str) == [None, "cross-border trade"]
    assert bears["trade"] == [None]  # a trade event bears on trade: nothing to say


def test_prepare_drops_events_without_coordinates_and_keeps_undated() -> None:
    import pandas as pd

    events = _events(10)
    events.loc[0, "geometry"] = None
    events.loc[1, "date"] = pd.NaT
    events = events.drop(columns=["confidence", "url"])
    prepared = prepare(events)
    assert prepared.dropped == 1 and prepared.undated == 1 and prepared.total == 10
    days = [f["properties"]["day"] for t in prepared.themes for f in t["fc"]["features"]]
    assert len(days) == 9 and days.count(None) == 1


def test_unknown_theme_and_precision_get_defaults() -> None:
    events = _events(5)
    events["theme"] = "smuggling_of_gold"
    events["precision"] = "galaxy"
    prepared = prepare(events)
    (theme,) = prepared.themes
    assert theme["label"] == "Smuggling of gold" and theme["color"] == "#666666"
    assert {f["properties"]["precision"] for f in theme["fc"]["features"]} == {"province"}


def test_not_a_geodataframe_is_an_input_error() -> None:
    with pytest.raises(InputError, match="expected a GeoDataFrame"):
        prepare([1, 2, 3])


def test_empty_events_give_a_map_of_the_region() -> None:
    events = _events(3).iloc[0:0]
    html = _offline_html(events)
    data = _embedded_data(html)
    assert data["themes"] == [] and data["time"] is None
    assert data["bounds"][0][0] < 38 < 42 < data["bounds"][1][0]  # the DPRK


def test_events_without_coordinates_or_dates_still_make_a_map() -> None:
    import pandas as pd

    events = _events(4)
    events["geometry"] = None
    events["date"] = pd.NaT
    data = _embedded_data(_offline_html(events))
    assert data["themes"] == []
    assert any("4 of 4 events have no coordinates" in n for n in data["notes"])


def _embedded_data(html: str) -> dict[str, Any]:
    match = re.search(r"window\.nkmapDraw\((map_[0-9a-f]+), (\{.*?\})\);\s*$", html, re.S | re.M)
    assert match, "the map's data object is not where the script expects it"
    return dict(json.loads(match.group(2)))


def test_offline_page_has_no_network_reference_and_no_font_files() -> None:
    html = _offline_html(_events(50))
    assert not NETWORK_TAG.search(html)
    assert "<link" not in html
    assert not re.search(r"\.(woff2?|ttf|otf|eot)\b", html)
    assert "@font-face" not in html
    assert "cdn." not in html
    assert html.count("L.map(") == 2  # folium's map and the mini-map, nothing else loads Leaflet


def test_online_page_pins_every_asset_with_integrity() -> None:
    html = map_html(interactive_map(_events(20)))
    tags = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"https?://[^>]*>", html)
    assert len(tags) == 5
    for tag in tags:
        assert re.search(r"@\d+\.\d+\.\d+/", tag), tag
        assert 'integrity="sha384-' in tag and 'crossorigin="anonymous"' in tag
    assert "jquery" not in html and "bootstrap" not in html and "font-awesome" not in html
    tiles = [t["name"] for t in _embedded_data(html)["opt"]["tiles"]]
    assert tiles == ["OpenStreetMap", "Light (CARTO Positron)", "Satellite (Esri World Imagery)"]


def test_article_text_never_reaches_the_page_as_markup() -> None:
    events = _events(3)
    events["title"] = "<script>alert(1)</script>"
    events["evidence"] = '<img src=x onerror="alert(2)"> and </script><script>alert(3)</script>'
    events["place"] = "{{ 7 * 7 }} {% raw %} {# x"  # never read as a template
    html = _offline_html(events)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "\\u003cscript\\u003ealert(1)" in html
    data = _embedded_data(html)
    assert data["arts"][0][0] == "<script>alert(1)</script>"  # intact once parsed
    places = {f["properties"]["place"] for t in data["themes"] for f in t["fc"]["features"]}
    assert {p.split(",")[0] for p in places} == {"{{ 7 * 7 }} {% raw %} {# x"}


def test_missing_heat_script_offline_leaves_the_layer_out_and_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from maps.interactive import HEAT_LEFT_OUT

    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path / "empty"))
    assert not assets.available("leaflet.heat")
    html = _offline_html(_events(3))
    data = _embedded_data(html)
    assert data["opt"]["heat"] is False and HEAT_LEFT_OUT in data["notes"]
    assert "leaflet-heat.js" not in html and "leaflet.js */" in html
    online = map_html(interactive_map(_events(3)))  # online loads it from the CDN, pinned
    assert "leaflet.heat@0.2.0/dist/leaflet-heat.js" in online


def test_leaflet_comes_from_the_pip_installed_xstatic_wheels() -> None:
    by_name = {s.package.name: s for s in assets.status()}
    for name, module in (
        ("leaflet", "xstatic.pkg.leaflet"),
        ("leaflet.markercluster", "xstatic.pkg.leaflet_markercluster"),
    ):
        st = by_name[name]
        assert st.package.source == "pypi" and st.cached, st.missing
        assert st.folder is not None and module.replace(".", "/") in st.folder.as_posix()
    assert assets.asset_text("leaflet", "leaflet.js").startswith("/* @preserve\n * Leaflet 1.9.3")
    url, sri = assets.asset_url("leaflet", "leaflet.js")
    assert url.endswith("/leaflet@1.9.3/dist/leaflet.js") and sri.startswith("sha384-")


def test_a_missing_wheel_says_which_pip_package_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "xstatic.pkg.leaflet_markercluster", None)  # not importable
    assert not assets.available("leaflet.markercluster")
    with pytest.raises(AssetError, match="pip install 'xstatic-leaflet-markercluster==1.4.1.1'"):
        interactive_map(_events(3), offline=True)


def test_tampered_cache_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path))
    folder = assets.package_folder(assets.pinned()["leaflet.heat"])
    assert folder is not None
    (folder / "dist").mkdir(parents=True)
    (folder / "dist/leaflet-heat.js").write_text("window.evil = 1;\n")
    assert assets.available("leaflet.heat")  # present, so the map would try to inline it …
    with pytest.raises(AssetError, match="checksum mismatch"):  # … and refuses it
        assets.asset_text("leaflet.heat", "dist/leaflet-heat.js")
    with pytest.raises(AssetError, match="checksum mismatch"):
        interactive_map(_events(3), offline=True)


def test_fetch_from_folder_rejects_a_tarball_with_the_wrong_integrity(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "tarballs"
    folder.mkdir()
    fake = folder / "leaflet.heat-0.2.0.tgz"
    inner = tmp_path / "leaflet-heat.js"
    inner.write_text("window.fake = 1;")
    with tarfile.open(fake, "w:gz") as tar:
        tar.add(inner, arcname="package/dist/leaflet-heat.js")
    with pytest.raises(AssetError, match="integrity differs"):
        assets.fetch(["leaflet.heat"], source=folder)
    with pytest.raises(AssetError, match="not pinned"):
        assets.fetch(["left-pad"], source=folder)
    assert not assets.available("leaflet.heat")
    assert [s.package.name for s in assets.fetch(["leaflet"])] == ["leaflet"]  # pip's: present


def test_fetch_without_npm_says_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path / "cache"))
    with pytest.raises(AssetError, match="npm is not installed.*--from DIR"):
        assets.fetch(["leaflet.heat"], npm="nkmap-no-such-npm")


def test_fetch_on_a_dead_network_gives_up_in_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """npm against a local black hole (accepts, never answers) stops at the deadline."""
    import os
    import socket
    import time

    monkeypatch.setenv(assets.CACHE_ENV, str(tmp_path / "cache"))
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(8)
    port = hole.getsockname()[1]
    npm = shutil.which("npm")
    if npm is None:  # no npm on this machine: a stand-in that hangs like npm on a dead network
        npm = str(tmp_path / "npm")
        Path(npm).write_text("#!/bin/sh\nsleep 60\n")
        os.chmod(npm, 0o755)
    monkeypatch.setenv("npm_config_registry", f"http://127.0.0.1:{port}/")
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm-cache"))
    monkeypatch.setenv("npm_config_offline", "false")
    start = time.monotonic()
    try:
        with pytest.raises(AssetError, match=r"no answer within 3 s.*--from DIR"):
            assets.fetch(["leaflet.heat"], npm=npm, timeout=3)
    finally:
        hole.close()
    assert time.monotonic() - start < 8


def test_save_map_writes_the_page(tmp_path: Path) -> None:
    out = save_map(interactive_map(_events(5), offline=True), tmp_path / "m.html")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "window.nkmap" in text


# ---- the CLI -------------------------------------------------------------------------------


def test_cli_map_from_an_events_file(tmp_path: Path) -> None:
    src = tmp_path / "events.geojson"
    _events(30).to_file(src, driver="GeoJSON")
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["map", str(src), "--offline", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "30 events" in result.output
    assert not NETWORK_TAG.search(out.read_text(encoding="utf-8"))


def test_cli_map_of_an_empty_events_file_warns_and_draws(tmp_path: Path) -> None:
    src = tmp_path / "none.geojson"
    src.write_text('{"type": "FeatureCollection", "features": []}')
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["map", str(src), "--offline", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "nkmap: warning: no events found" in result.output
    assert out.is_file()


def test_cli_map_of_a_zero_byte_file_is_one_error_line(tmp_path: Path) -> None:
    src = tmp_path / "zero.geojson"
    src.write_text("")
    result = CliRunner().invoke(main, ["map", str(src), "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 1
    assert result.output.strip() == f"nkmap: error: {src}: the file is empty"


def test_cli_map_needs_an_html_output(tmp_path: Path) -> None:
    src = tmp_path / "events.geojson"
    _events(3).to_file(src, driver="GeoJSON")
    result = CliRunner().invoke(main, ["map", str(src), "-o", str(tmp_path / "m.png")])
    assert result.exit_code == 2
    assert "name it *.html" in result.output


def test_cli_assets_list_json() -> None:
    result = CliRunner().invoke(main, ["assets", "list", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["name"] for r in rows] == ["leaflet", "leaflet.markercluster", "leaflet.heat"]
    assert [r["source"] for r in rows] == ["pypi", "pypi", "npm"]
    assert rows[0]["available"] and rows[1]["available"]  # pip installed them with nkmap
    assert rows[2]["integrity"].startswith("sha512-")
    assert "pip install 'xstatic-leaflet==1.9.3.0'" in rows[0]["install"]
    table = CliRunner().invoke(main, ["assets", "list"]).output.splitlines()
    assert table[0].split() == ["package", "from", "state", "folder"]
    assert table[1].index("pypi") == table[3].index("npm")  # aligned columns


@pytest.mark.parametrize(
    "args", [["map"], ["assets"], ["assets", "fetch"], ["assets", "list"]], ids=" ".join
)
def test_help_ends_with_an_example(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "nkmap " in result.output.split("Example:")[-1]


def test_drawing_on_an_existing_map_loads_leaflet_once() -> None:
    import folium

    m = folium.Map()
    html = map_html(interactive_map(_events(5), m=m))
    assert html.count("leaflet.js") == 1 and "leaflet@1.9.3/dist/leaflet.js" in html
    offline = map_html(interactive_map(_events(5), m=folium.Map(), offline=True))
    assert not NETWORK_TAG.search(offline)


def test_the_map_script_is_valid_javascript_and_the_data_keys_are_documented() -> None:
    import subprocess

    from maps import controls

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the map script's syntax is not checked")
    folder = Path(controls.__file__).parent / "data"
    run = subprocess.run(
        [node, "--check", str(folder / "map.js")], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    protocol = (folder / "PROTOCOL.md").read_text("utf-8")
    data = map_data(
        prepare(_events(3)), offline=True, cluster=True, heat=False, minimap=True, refs=False
    )
    for key in data:
        assert f"| `{key}` |" in protocol, key
    for name in data["themes"][0]["fc"]["features"][0]["properties"]:
        assert f"| `{name}` |" in protocol, name


def test_no_python_string_literal_is_a_program() -> None:
    import ast

    root = Path(__file__).resolve().parent.parent
    for package in ("nkmap", "gazetteer", "geo", "maps"):
        for path in (root / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    assert len(node.value) <= 2000, (path, node.lineno)
