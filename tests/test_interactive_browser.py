"""The offline interactive map in Debian's Chromium (headless, every network request blocked).

One browser for the module; each page gets a fresh context whose router aborts
and counts any request that is not ``file:``, ``data:``, ``about:`` or
``blob:``.  The sample-article map's screenshot is kept under ``artifacts/``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = ("file:", "data:", "about:", "blob:")
XSS_TITLE = "Report <script>window.__xss=1</script> from the border"
XSS_QUOTE = 'Traders said <img src=x onerror="window.__xss=2"> prices rose.'
XSS_THEME = "<b onmouseover=window.nkxss=3>odd</b>"


@dataclass
class Opened:
    """A page showing one map, with the requests it tried and the errors it raised."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser: Any, path: Path) -> Opened:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    opened = Opened(context.new_page())

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(LOCAL):
            r.continue_()
        else:
            opened.requests.append(url)
            r.abort()

    context.route("**/*", route)
    opened.page.on("pageerror", lambda e: opened.errors.append(str(e)))
    opened.page.goto(path.as_uri())
    opened.page.wait_for_function("window.nkmap && window.nkmap.ready === true", timeout=30000)
    opened.page.wait_for_timeout(300)
    return opened


@pytest.fixture(scope="module")
def sample_map(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    """The map of the bundled sample articles, built by the CLI as a user would."""
    out = tmp_path_factory.mktemp("maps") / "samples.html"
    proc = subprocess.run(
        [sys.executable, "-c", "from geo.cli import main; main()", "map", str(ROOT / "samples")]
        + ["--offline", "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    opened = _open(browser, out)
    yield opened
    opened.page.context.close()


@pytest.fixture(scope="module")
def synthetic_map(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    """Synthetic events plus one hostile article (script and img in title, quote and theme)."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from bench.synthetic import make_events
    from maps.interactive import interactive_map, save_map

    events = make_events(300, seed=4)
    hostile = events.iloc[:2].copy()
    hostile["event_id"] = ["xss-1", "xss-2"]
    hostile["title"] = XSS_TITLE
    hostile["evidence"] = XSS_QUOTE
    hostile["place"] = "<img src=y onerror=window.__xss=4>"
    hostile["theme"] = ["trade", XSS_THEME]
    hostile["date"] = pd.NaT
    hostile["geometry"] = [Point(126.5, 40.7), Point(126.6, 40.8)]
    events = gpd.GeoDataFrame(pd.concat([events, hostile], ignore_index=True), crs=4326)
    out = tmp_path_factory.mktemp("maps") / "synthetic.html"
    save_map(interactive_map(events, offline=True), out)
    opened = _open(browser, out)
    yield opened
    opened.page.context.close()


def _not_blank(png: Path) -> None:
    from PIL import Image

    image = Image.open(png).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 200, "the screenshot has almost no distinct colours"
    commonest = max(count for count, _ in colours)
    assert commonest < 0.8 * image.width * image.height, "one colour fills the screenshot"


def _click_event(opened: Opened, theme: str, event_id: str) -> None:
    """Bring one event's marker into view (zoom, spiderfy) and click it like a user."""
    page = opened.page
    page.evaluate(
        """([theme, id]) => new Promise((done) => {
            const api = window.nkmap, r = api.themes[theme];
            const m = r.markers.find((x) => x.feature.properties.id === id);
            window.__target = m;
            api.map.setView(m.getLatLng(), api.map.getMaxZoom(), {animate: false});
            setTimeout(() => {
                const parent = api.points.getVisibleParent ? api.points.getVisibleParent(m) : m;
                if (parent && parent !== m && parent.spiderfy) parent.spiderfy();
                setTimeout(done, 300);
            }, 300);
        })""",
        [theme, event_id],
    )
    point = page.evaluate(
        """() => {
            const p = window.nkmap.map.latLngToContainerPoint(window.__target.getLatLng());
            const box = window.nkmap.map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }"""
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_selector(".leaflet-popup-content .nk-pop", timeout=5000)


def test_sample_map_renders_offline_and_is_kept(sample_map: Opened) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    png = ARTIFACTS / "interactive_samples.png"
    sample_map.page.screenshot(path=str(png))
    _not_blank(png)
    shown = sample_map.page.evaluate(
        "Object.keys(window.nkmap.themes).map((k) => window.nkmap.shown(k))"
    )
    assert sum(shown) > 0
    assert sample_map.errors == []
    assert sample_map.requests == []


def test_sample_map_badges_never_hide_each_other(sample_map: Opened) -> None:
    """One cluster group for all themes: each badge's count is on top at its own centre."""
    badges = sample_map.page.evaluate(
        """() => [...document.querySelectorAll('.nk-cluster-badge')].map((b) => {
            const r = b.getBoundingClientRect(), cx = r.x + r.width / 2, cy = r.y + r.height / 2;
            const top = document.elementFromPoint(cx, cy);
            return {cx, cy, w: r.width, text: b.innerText.trim(),
                    themes: b.dataset.themes, mine: b.contains(top)};
        })"""
    )
    assert len(badges) >= 3
    assert any(len(b["themes"].split()) > 1 for b in badges)  # a mixed place: one badge
    for i, a in enumerate(badges):
        assert a["mine"], f"badge {a['text']} is covered"
        for b in badges[i + 1 :]:
            gap = ((a["cx"] - b["cx"]) ** 2 + (a["cy"] - b["cy"]) ** 2) ** 0.5
            assert gap >= (a["w"] + b["w"]) / 2 * 0.75, (a["text"], b["text"])


def test_sample_map_draws_approximate_events_as_areas(sample_map: Opened) -> None:
    page = sample_map.page
    areas = page.evaluate("window.nkmap.areas")
    assert {"cn.jilin", "cn.liaoning", "kp.ryanggang", "kp.north-pyongan"} <= set(areas)
    assert areas["cn.jilin"]["label"].startswith("Jilin · ")
    points = page.evaluate(
        """() => Object.values(window.nkmap.themes).flatMap((r) => r.markers)
            .filter((m) => ['province', 'country'].includes(m.feature.properties.precision)
                           && m.feature.properties.area).length"""
    )
    assert points == 0  # none drawn as a point at a centroid
    tags = page.locator(".nk-area-label").all_inner_texts()
    assert any(t.startswith("Liaoning · ") for t in tags)
    legend = page.locator(".nk-legend").inner_text()
    assert "Province (approximate): the area shaded, with its count" in legend


def test_sample_map_layer_control_lists_themes_first(sample_map: Opened) -> None:
    labels = sample_map.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    text = [x.strip() for x in labels]
    assert any(t.startswith("Cross-border trade") for t in text)
    assert any("Border crossings & bridges" in t for t in text)
    assert any("China–DPRK & Russia–DPRK border" in t for t in text)
    assert any("DPRK provinces" in t for t in text)
    from maps.assets import available
    from maps.interactive import HEAT_LEFT_OUT

    if available("leaflet.heat"):
        assert any("Heat map" in t for t in text)
    else:  # the optional script is not installed: no heat layer, and the legend says why
        assert not any("Heat map" in t for t in text)
        assert HEAT_LEFT_OUT in sample_map.page.locator(".nk-legend").inner_text()
    full = [t for t in text if t.startswith("Cross-border trade")]
    assert full and full[0].startswith("Cross-border trade & smuggling (")  # the whole name
    bases = sample_map.page.locator(".leaflet-control-layers-base label").all_inner_texts()
    assert [b.strip() for b in bases] == ["Offline basemap (vector)"]
    order = [t for t in text if t.startswith(("Cross-border trade", "Regional factories"))]
    assert order and order[0].startswith("Cross-border trade")


def test_search_finds_hyesan(sample_map: Opened) -> None:
    page = sample_map.page
    page.locator(".nk-search input").fill("hyesan")
    first = page.locator(".nk-search li").first
    assert first.inner_text().startswith("Hyesan")
    page.locator(".nk-search input").press("Enter")
    page.wait_for_timeout(300)
    center = "(() => { const c = window.nkmap.map.getCenter(); return [c.lat, c.lng]; })()"
    lat, lon = page.evaluate(center)
    assert abs(lat - 41.40) < 0.1 and abs(lon - 128.18) < 0.1
    assert page.locator(".leaflet-tooltip", has_text="Hyesan").count() >= 1
    assert sample_map.requests == []


def test_unticking_a_theme_hides_its_events(synthetic_map: Opened) -> None:
    page = synthetic_map.page
    assert page.evaluate("window.nkmap.shown('trade')") > 0
    label = page.locator(".leaflet-control-layers-overlays label", has_text="Cross-border trade")
    label.locator("input").uncheck()
    assert page.evaluate("window.nkmap.shown('trade')") == 0
    assert page.evaluate("window.nkmap.map.hasLayer(window.nkmap.themes.trade.group)") is False
    assert page.evaluate("window.nkmap.shown('factory')") > 0
    label.locator("input").check()
    assert page.evaluate("window.nkmap.shown('trade')") > 0


def test_time_slider_filters_every_theme(synthetic_map: Opened) -> None:
    page = synthetic_map.page
    count = "Object.keys(window.nkmap.themes).reduce((s, k) => s + window.nkmap.shown(k), 0)"
    before = page.evaluate(count)
    legend_before = page.locator(".nk-legend").inner_text()
    page.locator(".nk-time-to").focus()
    page.keyboard.press("Home")  # to = first day: only that day's events and undated ones remain
    page.wait_for_timeout(300)
    after = page.evaluate(count)
    assert after < before
    assert page.locator(".nk-legend").inner_text() != legend_before  # counts show "n / total"
    page.locator(".nk-time-undated").uncheck()
    page.wait_for_timeout(300)
    assert page.evaluate(count) < after
    page.locator(".nk-time-undated").check()
    page.locator(".nk-time-to").focus()
    page.keyboard.press("End")
    page.wait_for_timeout(300)
    assert page.evaluate(count) == before


def test_popup_cites_the_event(synthetic_map: Opened) -> None:
    page = synthetic_map.page
    event_id = page.evaluate("window.nkmap.themes.factory.markers[0].feature.properties.id")
    quote = page.evaluate("window.nkmap.themes.factory.markers[0].feature.properties.evidence")
    _click_event(synthetic_map, "factory", event_id)
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert quote in popup  # the clicked event, or one listed with the others at the same spot
    assert event_id in page.evaluate("window.nkmap.popupEvents")
    for field_name in ("Date", "Source", "Place", "Theme", "Regional factories"):
        assert field_name in popup
    link = page.locator(".leaflet-popup-content a").first
    assert (link.get_attribute("href") or "").startswith("https://example.org/a/")
    page.keyboard.press("Escape")


def test_hostile_article_text_shows_as_text_and_runs_nothing(synthetic_map: Opened) -> None:
    page = synthetic_map.page
    _click_event(synthetic_map, "trade", "xss-1")
    popup = page.locator(".leaflet-popup-content")
    text = popup.inner_text()
    assert "<script>window.__xss=1</script>" in text
    assert '<img src=x onerror="window.__xss=2">' in text
    assert "<img src=y onerror=window.__xss=4>" in text
    assert popup.locator("img, script").count() == 0
    overlays = page.locator(".leaflet-control-layers-overlays").inner_text()
    from maps.style import theme_style

    assert theme_style(XSS_THEME).label + " (1)" in overlays  # an unstyled theme: grey, escaped
    page.locator(".leaflet-control-layers-overlays").hover()
    assert page.evaluate("window.__xss === undefined && window.nkxss === undefined")
    assert synthetic_map.errors == []
    assert synthetic_map.requests == []


def test_heat_measure_full_screen_and_mini_map_work(synthetic_map: Opened) -> None:
    from maps.assets import available

    page = synthetic_map.page
    page.keyboard.press("Escape")
    page.evaluate(
        "() => { window.nkmap.map.setView([40.3, 127.5], 7, {animate: false}); }"
    )  # after zooming in
    heat = page.locator(".leaflet-control-layers-overlays label", has_text="Heat map")
    if available("leaflet.heat"):
        heat.locator("input").check()
        assert page.evaluate("window.nkmap.map.hasLayer(window.nkmap.overlays.heat)")
        assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
        heat.locator("input").uncheck()
    else:
        assert heat.count() == 0 and "Heat map left out" in page.locator(".nk-legend").inner_text()

    page.locator("a.nk-btn[title^='Measure']").click()
    box = page.locator(".folium-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 400, box["y"] + 500)
    page.mouse.click(box["x"] + 700, box["y"] + 500)
    km = page.evaluate("window.nkmap.measure.km")
    expected = page.evaluate(
        """() => { const m = window.nkmap.map;
            return m.containerPointToLatLng([400, 500])
                .distanceTo(m.containerPointToLatLng([700, 500])) / 1000; }"""
    )
    assert km == pytest.approx(expected, rel=0.01) and km > 1
    assert "km" in page.locator(".nk-measure-out").inner_text()
    page.locator("a.nk-btn[title^='Measure']").click()
    assert page.evaluate("window.nkmap.measure.km") == 0

    page.locator("a.nk-btn[title='Full screen']").click()
    page.wait_for_timeout(300)
    full = page.evaluate(
        "!!document.fullscreenElement ||"
        " window.nkmap.map.getContainer().classList.contains('nk-fullscreen-fallback')"
    )
    assert full

    mini = page.evaluate("window.nkmap.minimap.getZoom() < window.nkmap.map.getZoom()")
    assert mini
    assert synthetic_map.errors == []
    assert synthetic_map.requests == []


def test_online_map_loads_pinned_assets_with_integrity(
    browser: Any, tmp_path: Path, synthetic_events: Any
) -> None:
    """The CDN is simulated from the verified cache: the browser itself checks every SRI hash."""
    from maps import assets
    from maps.interactive import interactive_map, save_map

    served: dict[str, tuple[str, str]] = {}
    for package in assets.pinned().values():
        if not assets.available(package.name):
            continue  # the optional heat script: its URL is aborted like any other
        for path in package.files:
            url, _ = assets.asset_url(package.name, path)
            served[url] = (package.name, path)
    out = save_map(interactive_map(synthetic_events(50)), tmp_path / "online.html")
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    fulfilled: list[str] = []
    aborted: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(LOCAL):
            r.continue_()
        elif url in served:
            fulfilled.append(url)
            kind = "text/css" if url.endswith(".css") else "application/javascript"
            if url.endswith(".png"):
                kind = "image/png"
            r.fulfill(
                status=200,
                headers={"Content-Type": kind, "Access-Control-Allow-Origin": "*"},
                body=assets.asset_bytes(*served[url]),
            )
        else:
            aborted.append(url)  # map tiles
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "integrity" in m.text else None)
    page.goto(out.as_uri())
    page.wait_for_function("window.nkmap && window.nkmap.ready === true", timeout=30000)
    bases = page.locator(".leaflet-control-layers-base label").all_inner_texts()
    assert [b.strip() for b in bases] == [
        "OpenStreetMap",
        "Light (CARTO Positron)",
        "Satellite (Esri World Imagery)",
        "Offline basemap (vector)",
    ]
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    assert len(fulfilled) == len(served) - 3 and errors == []  # every script and style, no PNG
    assert all("cdn." not in url for url in aborted) or not assets.available("leaflet.heat")
    context.close()


def test_several_events_at_one_place_stay_reachable(browser: Any, tmp_path: Path) -> None:
    """Unclustered, one click at a shared point lists every event drawn there, any theme."""
    from bench.synthetic import make_events
    from maps.interactive import interactive_map, save_map

    events = make_events(60, seed=2, jitter_km=0.0)  # 60 events on 11 points
    out = save_map(interactive_map(events, offline=True, cluster=False), tmp_path / "same.html")
    opened = _open(browser, out)
    page = opened.page
    point = page.evaluate(
        """() => { const m = window.nkmap.themes.trade.markers[0];
            const p = window.nkmap.map.latLngToContainerPoint(m.getLatLng());
            const box = window.nkmap.map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y]; }"""
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_selector(".leaflet-popup-content .nk-pop", timeout=5000)
    listed = page.evaluate("window.nkmap.popupEvents")
    here = page.evaluate(
        """() => { const c = window.nkmap.themes.trade.markers[0].feature.geometry.coordinates;
            return Object.values(window.nkmap.themes).flatMap((r) => r.markers)
                .filter((m) => m.feature.geometry.coordinates.join() === c.join()).length; }"""
    )
    assert here > 1 and len(listed) >= here  # neighbours drawn under the pointer too
    assert page.locator(".leaflet-popup-content .nk-pop").count() == min(len(listed), 10)
    assert f"{len(listed)} events here" in page.locator(".leaflet-popup-content").inner_text()
    assert opened.errors == [] and opened.requests == []
    page.context.close()
