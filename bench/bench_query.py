"""Benchmark: events within 20 km of the China border, over 10k, 100k and 1M synthetic events.

Beside it, in the same run, the plain approach on a sample: a Python loop that projects each
point with pyproj and asks shapely for its distance to the projected border line.  The
figures for the loop are extrapolated to the full sizes from the sample.

Run: ``python bench/bench_query.py [--sizes 10000,100000,1000000] [--loop-sample 2000]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: The target for the near-border filter on 1M events, in seconds.
TARGET_1M_S = 2.0

KM = 20.0


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Return the best wall time in seconds of ``repeat`` runs of ``fn``, and its last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def loop_distances_km(lon: Any, lat: Any) -> Any:
    """The plain way: one pyproj transform and one shapely distance per point, in a loop."""
    import numpy as np
    import shapely
    from pyproj import Transformer
    from shapely.geometry import Point

    from gazetteer import boundaries

    aeqd = "+proj=aeqd +lat_0=40.5 +lon_0=127.5 +datum=WGS84 +units=m"
    to_metric = Transformer.from_crs(4326, aeqd, always_xy=True)
    line = shapely.transform(
        boundaries.border("china"), lambda xy: np.column_stack(to_metric.transform(*xy.T))
    )
    shapely.prepare(line)
    out = np.empty(len(lon))
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        px, py = to_metric.transform(x, y)
        out[i] = line.distance(Point(px, py)) / 1000.0
    return out


def reference_km(lon: Any, lat: Any) -> Any:
    """Exact reference: least pyproj ``Geod`` distance to the border densified to ~2 m."""
    import numpy as np
    import shapely
    from pyproj import Geod

    from gazetteer import boundaries

    geod = Geod(ellps="WGS84")
    xy = shapely.get_coordinates(shapely.segmentize(boundaries.border("china"), 0.00002))
    out = np.empty(len(lon))
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        rough = np.hypot((xy[:, 0] - x) * np.cos(np.radians(y)), xy[:, 1] - y)
        near = np.argpartition(rough, 20000)[:20000]
        _, _, metres = geod.inv(np.full(near.size, x), np.full(near.size, y), *xy[near].T)
        out[i] = np.min(metres) / 1000.0
    return out


def main() -> None:
    """Print the timings."""
    import numpy as np
    import shapely

    from bench.synthetic import make_events
    from geo import query as q

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--loop-sample", type=int, default=2000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    start = time.perf_counter()
    q.near_border(make_events(10, seed=1), km=KM, border="china")
    print(f"cold start (boundaries + border index): {time.perf_counter() - start:.3f} s")
    from pyproj import Geod

    from gazetteer import boundaries

    line = boundaries.border("china")
    print(
        f"china line: {shapely.get_num_coordinates(line):,} vertices, "
        f"{Geod(ellps='WGS84').geometry_length(line) / 1000:,.1f} km ({boundaries.SOURCE})"
    )
    start = time.perf_counter()
    q.nearest_crossing(make_events(10, seed=1))
    print(f"cold start (gazetteer crossings): {time.perf_counter() - start:.3f} s")

    sample = make_events(args.loop_sample, seed=99)
    lon = shapely.get_x(np.asarray(sample.geometry.values))
    lat = shapely.get_y(np.asarray(sample.geometry.values))
    loop_s, loop_km = timed(lambda: loop_distances_km(lon, lat), repeat=1)
    per_point = loop_s / len(sample)
    vec_km = q.border_distance_km(sample, "china").to_numpy()
    print(
        f"per-point loop (pyproj + shapely, AEQD) on {len(sample):,} events: {loop_s:.3f} s "
        f"= {per_point * 1e6:.0f} µs/event"
    )
    ref = reference_km(lon[:100], lat[:100])
    for name, km in (("vectorised", vec_km[:100]), ("loop", loop_km[:100])):
        err = np.abs(km - ref)
        print(
            f"  {name:>10} vs geodesic reference (100 events): max error {err.max() * 1000:.2f} m,"
            f" max relative {np.max(err / np.maximum(ref, 0.01)) * 100:.3f} %"
        )
    print()
    header = (
        f"{'events':>10}  {'near_border':>11}  {'+crossings':>10}  {'all dist.':>9}  "
        f"{'loop (extrap.)':>14}  {'speed-up':>8}  {'kept':>8}"
    )
    print(header)
    print("-" * len(header))
    for n in sizes:
        events = make_events(n, seed=0)
        near_s, near = timed(partial(q.near_border, events, km=KM, border="china"))
        full_s, _ = timed(partial(q.query, events, near_border_km=KM, border="china"))
        all_s, _ = timed(partial(q.border_distance_km, events, "china"), repeat=1)
        loop_est = per_point * n
        print(
            f"{n:>10,}  {near_s:>10.3f}s  {full_s:>9.3f}s  {all_s:>8.3f}s  "
            f"{loop_est:>13.1f}s  {loop_est / near_s:>7.0f}×  {len(near):>8,}"
        )
        if n == 1_000_000:
            verdict = "met" if near_s <= TARGET_1M_S else "MISSED"
            print(f"{'':>10}  target 1M ≤ {TARGET_1M_S:.0f} s: {verdict}")
    print()
    print(
        "near_border: filter + distance_km; +crossings: the whole query (nearest crossing, "
        "corridor); all dist.: border_distance_km for every event, no cut-off. Best of 3 runs "
        "(1 for all dist.); machine shared, so figures move with its load."
    )


if __name__ == "__main__":
    main()
