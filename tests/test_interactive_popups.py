"""Popups of the clustered map keep opening after spiderfy, unspiderfy and zoom (Chromium).

The map holds eight events at one town (a cluster that spiderfies at the last zoom) and one
event 3 km away (a lone marker).  The test clicks with the mouse, as a user would: a
spiderfied marker, then the lone one, then a spiderfied one again, after zooming out and
in; every click must open a popup citing the clicked event.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_interactive_browser import ARGS, CHROMIUM, LOCAL

TOWN = (124.398, 40.1006)  # Sinuiju, lon/lat
LONE = (124.437, 40.1006)  # 3.3 km east


def _events() -> Any:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    rows = []
    for i in range(9):
        lone = i == 8
        rows.append(
            {
                "event_id": "lone" if lone else f"same-{i}",
                "theme": ["trade", "factory", "visit"][i % 3],
                "place": "Lone site" if lone else "Sinuiju",
                "country": "KP",
                "precision": "town",
                "date": pd.Timestamp("2024-05-01") + pd.Timedelta(days=i),
                "date_precision": "day",
                "evidence": f"Quote number {i}.",
                "title": f"Article {i}",
                "source": "nkmap test",
                "url": f"https://example.org/{i}",
                "geometry": Point(*(LONE if lone else TOWN)),
            }
        )
    return gpd.GeoDataFrame(pd.DataFrame(rows), crs=4326)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from maps.interactive import interactive_map, save_map

    out = save_map(
        interactive_map(_events(), offline=True, minimap=False),
        tmp_path_factory.mktemp("popups") / "popups.html",
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort()
        )
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(out.as_uri())
        pg.wait_for_function("window.nkmap && window.nkmap.ready === true", timeout=30000)
        yield pg
        assert errors == []
        browser.close()


def _screen(page: Any, lonlat: tuple[float, float] | None = None, event_id: str = "") -> Any:
    """Return the page coordinates of a point, or of the marker of one event where it is drawn."""
    return page.evaluate(
        """([ll, id]) => {
            const api = window.nkmap;
            let at = ll ? L.latLng(ll[1], ll[0]) : null;
            if (id) {
                const m = Object.values(api.themes).flatMap((r) => r.markers)
                    .find((x) => x.feature.properties.id === id);
                at = m.getLatLng();  // where it is drawn now (moved when spiderfied)
            }
            const p = api.map.latLngToContainerPoint(at);
            const box = api.map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        [lonlat, event_id],
    )


def _click_expect_popup(page: Any, xy: Any, event_id: str) -> None:
    before = page.evaluate("window.nkmap.popupsOpened || 0")
    page.mouse.click(xy[0], xy[1])
    page.wait_for_function(f"(window.nkmap.popupsOpened || 0) > {before}", timeout=3000)
    assert event_id in page.evaluate("window.nkmap.popupEvents")
    assert page.locator(".leaflet-popup-content .nk-pop").count() >= 1
    page.evaluate("window.nkmap.map.closePopup()")


def _spiderfy(page: Any) -> str:
    """Click the town's cluster badge until it spiderfies; return one spiderfied event's id."""
    for _ in range(25):
        badge = page.locator(".nk-cluster").first
        if badge.count() == 0:
            break
        badge.click()
        page.wait_for_timeout(350)
        legs = page.evaluate(
            """() => Object.values(window.nkmap.themes).flatMap((r) => r.markers)
                .filter((m) => m._spiderLeg).map((m) => m.feature.properties.id)"""
        )
        if legs:
            return str(legs[-1])
    raise AssertionError("the cluster never spiderfied")


def test_popups_open_after_spiderfy_unspiderfy_and_zoom(page: Any) -> None:
    page.evaluate("() => { window.nkmap.map.setView([40.1006, 124.42], 12, {animate: false}); }")
    page.wait_for_timeout(300)
    spider = _spiderfy(page)
    canvases = page.locator(".leaflet-overlay-pane canvas").count()
    assert canvases == 1  # the spiderfy legs share the markers' canvas: nothing above it
    _click_expect_popup(page, _screen(page, event_id=spider), spider)  # a spiderfied marker

    _click_expect_popup(page, _screen(page, event_id="lone"), "lone")  # a lone one (unspiderfies)
    page.wait_for_timeout(350)

    spider = _spiderfy(page)  # the spiderfied one again
    _click_expect_popup(page, _screen(page, event_id=spider), spider)

    page.evaluate(
        "() => { window.nkmap.map.zoomOut(2, {animate: false}); }"
    )  # zoom out and back in
    page.wait_for_timeout(350)
    page.evaluate("() => { window.nkmap.map.setView([40.1006, 124.437], 17, {animate: false}); }")
    page.wait_for_timeout(350)
    _click_expect_popup(page, _screen(page, event_id="lone"), "lone")
    page.evaluate("() => { window.nkmap.map.setView([40.1006, 124.398], 17, {animate: false}); }")
    page.wait_for_timeout(350)
    spider = _spiderfy(page)
    _click_expect_popup(page, _screen(page, event_id=spider), spider)
    assert page.locator(".leaflet-overlay-pane canvas").count() == 1


def test_cluster_badge_shows_the_themes_inside(page: Any) -> None:
    page.evaluate("() => { window.nkmap.map.setView([40.1006, 124.42], 8, {animate: false}); }")
    page.wait_for_timeout(400)
    badges = page.locator(".nk-cluster-badge")
    assert badges.count() == 1  # every theme in one badge: none hides another
    themes = badges.first.get_attribute("data-themes") or ""
    assert sorted(themes.split()) == ["factory:3", "trade:3", "visit:3"]
    assert badges.first.inner_text().strip() == "9"
    title = badges.first.get_attribute("title") or ""
    assert "Cross-border trade & smuggling: 3" in title


def test_canvas_is_shared_by_every_vector_layer(page: Any, tmp_path: Path) -> None:
    page.locator(".nk-search input").fill("sinuiju")
    page.locator(".nk-search input").press("Enter")  # the search ring is a vector layer too
    page.wait_for_timeout(300)
    assert page.locator(".leaflet-overlay-pane canvas").count() == 1
