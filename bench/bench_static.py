"""Benchmark: static map time for 100, 10k and 100k events (target: 10k in 5 s or less).

Run ``python bench/bench_static.py``.  Each size is drawn with
:func:`maps.static.static_map` and written as a 150-dpi PNG.  Two baselines are
measured in the same run: the same figure with no events (what the basemap,
inset, legend and layout cost on this machine), and a plain matplotlib scatter
of every event on a blank axes, without aggregation (what drawing points one
by one costs).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import make_events  # noqa: E402
from maps.static import save_figure, static_map  # noqa: E402

SIZES = (100, 10_000, 100_000)
TARGET_10K_S = 5.0


def _timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _our_map(events: Any, out: Path) -> None:
    save_figure(static_map(events, extent="border"), out, dpi=150)


def _naive_scatter(events: Any, out: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10.7, 7.0))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.scatter(events.geometry.x, events.geometry.y, s=12, c="#d95f02", alpha=0.5)
    fig.savefig(out, dpi=150)


def main() -> None:
    """Print one line per size: our time, the naive scatter's time, and the target check."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "map.png"
        _our_map(make_events(10), out)  # warm-up: imports, boundary data, caches
        empty = make_events(10).iloc[0:0]
        baseline = min(_timed(lambda: _our_map(empty, out)) for _ in range(2))
        print(f"baseline, no events (basemap, inset, legend, layout): {baseline:6.2f} s")
        print(f"{'events':>8}  {'static_map+PNG':>14}  {'naive scatter':>13}  note")
        for n in SIZES:
            events = make_events(n, seed=n)
            ours = _timed(lambda e=events: _our_map(e, out))
            naive = _timed(lambda e=events: _naive_scatter(e, out))
            note = ""
            if n == 10_000:
                ok = "met" if ours <= TARGET_10K_S else "MISSED"
                note = f"target <= {TARGET_10K_S:.0f} s {ok}"
            print(f"{n:>8,}  {ours:>12.2f} s  {naive:>11.2f} s  {note}")


if __name__ == "__main__":
    main()
