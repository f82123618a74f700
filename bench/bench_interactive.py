"""Benchmark: the interactive map for 1k, 10k and 100k events beside plain folium markers.

For each size it prints, measured in this run on the same synthetic events:
nkmap's offline map (build + write time, file size, and the time Chromium takes
to open it until every layer is drawn, network blocked) and the baseline — one
``folium.Marker`` with a popup per event (build + write time, file size).

    python bench/bench_interactive.py            # 1k, 10k, 100k
    python bench/bench_interactive.py 1000 5000  # chosen sizes
    python bench/bench_interactive.py --no-baseline-above 10000

Targets: 10k events ≤ 3 s and ≤ 5 MB; 100k events build and open in Chromium.
"""

from __future__ import annotations

import argparse
import html
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]


def nkmap_build(events: Any, out: Path) -> float:
    """Build and write the offline nkmap map; return seconds."""
    from maps.interactive import interactive_map, save_map

    start = time.perf_counter()
    save_map(interactive_map(events, offline=True), out)
    return time.perf_counter() - start


def folium_build(events: Any, out: Path) -> float:
    """Build and write the baseline (a folium.Marker with a popup per event); return seconds."""
    import folium

    start = time.perf_counter()
    m = folium.Map(location=[40.3, 127.5], zoom_start=6)
    for geom, title, quote in zip(
        events.geometry, events["title"], events["evidence"], strict=True
    ):
        popup = f"<b>{html.escape(title)}</b><br>{html.escape(quote)}"
        folium.Marker([geom.y, geom.x], popup=popup).add_to(m)
    m.save(str(out))
    return time.perf_counter() - start


def open_time(browser: Any, path: Path) -> tuple[float, int]:
    """Return seconds until the map's script has drawn everything, and blocked requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "about:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=600_000)
    page.wait_for_function("window.nkmap && window.nkmap.ready === true", timeout=600_000)
    seconds = time.perf_counter() - start
    context.close()
    return seconds, len(blocked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000, 100_000])
    parser.add_argument(
        "--no-baseline-above",
        type=int,
        default=None,
        help="Skip the folium baseline for sizes above N (it is slow).",
    )
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from bench.synthetic import make_events
    from maps.reference import reference

    reference()  # load gazetteer and boundaries once, outside the timings
    nkmap_build(make_events(10), Path(tempfile.gettempdir()) / "nkmap-warmup.html")
    print(
        f"{'events':>8} | {'nkmap build':>11} {'size':>9} {'open':>7} {'requests':>8} |"
        f" {'folium build':>12} {'size':>9}"
    )
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in options.sizes:
            events = make_events(n, seed=n)
            ours = Path(tmp) / f"nkmap-{n}.html"
            t_ours = nkmap_build(events, ours)
            t_open, blocked = open_time(browser, ours)
            line = (
                f"{n:>8} | {t_ours:>10.2f}s {ours.stat().st_size / 1e6:>7.1f}MB"
                f" {t_open:>6.1f}s {blocked:>8} |"
            )
            if options.no_baseline_above is not None and n > options.no_baseline_above:
                line += f" {'skipped':>12}"
            else:
                base = Path(tmp) / f"folium-{n}.html"
                t_base = folium_build(events, base)
                line += f" {t_base:>11.2f}s {base.stat().st_size / 1e6:>7.1f}MB"
            print(line, flush=True)
        browser.close()


if __name__ == "__main__":
    main()
