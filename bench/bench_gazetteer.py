"""Gazetteer benchmarks: exact lookups/s, fuzzy lookup time, cold start, `nkmap --help` time.

Run: python bench/bench_gazetteer.py   (targets: exact ≥ 200,000/s, fuzzy ≤ 2 ms,
cold start ≤ 1 s after the first-run cache, --help ≤ 0.3 s).  Baselines in the same run: a
plain dict lookup of the same names, and `python -c pass`.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time


def _per_second(fn, items, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for x in items:
            fn(x)
        best = min(best, time.perf_counter() - t)
    return len(items) / best


def main() -> None:
    code = (
        "import time;t=time.perf_counter();from gazetteer import Gazetteer;"
        "Gazetteer.default();print(time.perf_counter()-t)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)  # warm the cache
    cold = min(
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(3)
    )

    from gazetteer import Gazetteer
    from gazetteer.names import key

    gz = Gazetteer.default()
    rng = random.Random(0)
    curated = gz.places(source="curated")
    names = [rng.choice([p.name, *p.aliases]) for p in rng.choices(curated, k=20_000)]
    table = {key(p.name): p for p in curated}
    for n in names:  # warm the key cache as a long-running process would
        key(n)
    lookup = _per_second(gz.lookup, names)
    resolve = _per_second(gz.resolve, names)
    plain = _per_second(lambda n: table.get(key(n)), names)
    misspelt = [n[:2] + n[3:] if len(n) > 5 else n + "a" for n in (p.name for p in curated[:300])]
    t = time.perf_counter()
    for n in misspelt:
        gz.resolve(n)
    fuzzy_ms = (time.perf_counter() - t) / len(misspelt) * 1000

    def timed(cmd: list[str]) -> float:
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            best = min(best, time.perf_counter() - t)
        return best

    help_s = timed(["nkmap", "--help"])
    python_s = timed([sys.executable, "-c", "pass"])
    print(f"places {len(gz):,}; curated {len(curated):,}")
    print(f"exact lookup (Gazetteer.lookup)   {lookup:>12,.0f} /s   (target ≥ 200,000/s)")
    print(f"ranked resolve (exact names)      {resolve:>12,.0f} /s")
    print(f"baseline: plain dict of folded keys {plain:>10,.0f} /s")
    print(f"fuzzy resolve (misspelt names)    {fuzzy_ms:>12.3f} ms  (target ≤ 2 ms)")
    print(f"cold start Gazetteer.default()    {cold:>12.3f} s   (target ≤ 1 s, cache warm)")
    print(f"nkmap --help                      {help_s:>12.3f} s   (target ≤ 0.3 s)")
    print(f"baseline: python -c pass          {python_s:>12.3f} s")


if __name__ == "__main__":
    main()
