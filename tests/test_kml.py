"""KML from hostile article text: well-formed XML, and inert when a viewer renders it as HTML.

Google Earth shows a Placemark's name and description in an HTML balloon, so every KML
written here is parsed with an XML parser and its balloons are rendered in Debian's
Chromium (headless, every request blocked), where no payload may run.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geo.kml import to_kml
from geo.store import write_events

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
NS = {"k": "http://www.opengis.net/kml/2.2"}

#: Markup that, if it ran, would set ``window.__pwned``; each one goes into every field.
PAYLOADS = (
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "<svg onload=\"window.__pwned = 'svg'\"></svg>",
    "<iframe srcdoc=\"<script>parent.__pwned = 'iframe'</script>\"></iframe>",
    "]]><script>window.__pwned = 'cdata'</script>",
    "&lt;script&gt;window.__pwned = 'entity'&lt;/script&gt;",
    "&amp;lt;img src=x onerror=window.__pwned='double'&amp;gt;",
    '"><body onload="window.__pwned = \'attr\'">',
    "<details open ontoggle=\"window.__pwned = 'toggle'\">",
    "<a href=\"javascript:window.__pwned='link'\">x</a>",
    "bell\x07 nul\x00 escape\x1b vertical\x0b feed\x0c del\x7f \ufffe",
)
URLS = (
    "javascript:window.__pwned='url'",
    " JaVaScRiPt:window.__pwned='url2'",
    "data:text/html,<script>parent.__pwned='data'</script>",
    "vbscript:msgbox(1)",
    'https://example.org/a"onmouseover="window.__pwned=1',
    "https://example.org/report?id=1&x=<b>",
)


def _events(payload: str, url: str) -> Any:
    import geopandas as gpd
    import pandas as pd
    import shapely

    fields = {
        "theme": f"trade {payload}",
        "place": f"Hyesan {payload}",
        "evidence": f"Traders said {payload} prices rose.",
        "title": f"Report {payload}",
        "source": f"Wire {payload}",
        "url": url,
        "precision": "town",
        "date": pd.Timestamp("2024-03-07"),
    }
    return gpd.GeoDataFrame(
        [fields, {**fields, "date": pd.NaT}],
        geometry=[shapely.Point(128.18, 41.40), None],
        crs=4326,
    )


def _cases() -> list[tuple[str, str]]:
    return [(p, URLS[i % len(URLS)]) for i, p in enumerate(PAYLOADS)] + [
        (PAYLOADS[0], u) for u in URLS
    ]


def _balloons(kml: str) -> list[tuple[str, str]]:
    """(name, description) of every Placemark, as an XML parser reads them."""
    root = ET.fromstring(kml.encode("utf-8"))
    return [
        (pm.findtext("k:name", "", NS), pm.findtext("k:description", "", NS))
        for pm in root.iterfind(".//k:Placemark", NS)
    ]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, Path]]:
    """Every hostile case written to a .kml file with the writer the CLI uses."""
    folder = tmp_path_factory.mktemp("kml")
    out = []
    for n, (payload, url) in enumerate(_cases()):
        path = write_events(_events(payload, url), folder / f"case{n}.kml")
        out.append((payload, url, path))
    return out


def test_every_kml_is_well_formed_xml(written: list[tuple[str, str, Path]]) -> None:
    from lxml import etree

    for _payload, _url, path in written:
        etree.parse(str(path), etree.XMLParser(resolve_entities=False))  # strict: raises
        balloons = _balloons(path.read_text("utf-8"))
        assert len(balloons) == 2
        for name, desc in balloons:
            assert not any(ord(c) < 32 and c not in "\t\n\r" for c in name + desc)


def test_links_only_for_http_urls(written: list[tuple[str, str, Path]]) -> None:
    from lxml import html

    for _payload, url, path in written:
        for _name, desc in _balloons(path.read_text("utf-8")):
            hrefs = html.fromstring(f"<div>{desc}</div>").xpath("//@href | //@src")
            if url.startswith("https://"):
                assert hrefs == [url]
            else:
                assert hrefs == []


def test_a_plain_event_keeps_its_text_and_time(tmp_path: Path) -> None:
    kml = to_kml(_events("plain", "https://example.org/x"))
    (name, desc), (_, undated) = _balloons(kml)
    assert name == "trade plain: Hyesan plain"
    assert "<p>Traders said plain prices rose.</p>" in desc
    assert '<a href="https://example.org/x">https://example.org/x</a>' in desc
    assert "<when>2024-03-07</when>" in kml and kml.count("<when>") == 1
    assert kml.count("<Point>") == 1  # the event without coordinates has none


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        blocked: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(("about:", "data:")):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        pg = context.new_page()
        pg.on("dialog", lambda d: d.dismiss())
        yield pg
        browser.close()


def test_no_payload_runs_when_balloons_are_rendered(
    written: list[tuple[str, str, Path]], page: Any
) -> None:
    checked = 0
    for payload, _url, path in written:
        for name, desc in _balloons(path.read_text("utf-8")):
            # the balloon as Google Earth builds it: the name as a heading over the description
            page.set_content(f"<html><body><h3>{name}</h3><div id='d'>{desc}</div></body></html>")
            page.wait_for_timeout(30)
            hrefs = page.evaluate("[...document.links].map(a => a.protocol)")
            assert set(hrefs) <= {"https:", "http:"}, hrefs
            assert page.evaluate("window.__pwned === undefined"), (payload, desc)
            assert page.evaluate("document.querySelectorAll('script,img,svg,iframe').length") == 0
            shown = page.inner_text("#d")
            assert "Traders said" in shown and "prices rose." in shown
            checked += 1
    assert checked == 2 * len(_cases())
