"""Fuzz benchmark: many hostile inputs through the readers, extraction and every writer.

Run: python bench/bench_fuzz.py [N]   (N inputs per family, default 5,000; a quarter of that
for the writers; target: at least 10,000 inputs tried in all and 0 escaped exceptions).
The families and their checks are those of ``tests/test_fuzz.py`` (which runs a bounded
number in the suite); here hypothesis only generates (no shrinking), and every problem is
counted and its first few printed instead of stopping the run.  The baseline printed
beside each family is the same number of small files written and read back as plain
bytes, the floor any reader pays.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Writing every format is slower than reading: this family gets a share of N.
WRITER_SHARE = 0.25


def _baseline(n: int) -> float:
    """Seconds to write and read back ``n`` small files (the floor any reader pays)."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            path = Path(tmp) / f"f{i % 50}.txt"
            path.write_bytes(b"Traders in Hyesan were fined yesterday.")
            path.read_bytes()
    return time.perf_counter() - start


def run_family(name: str, strategy: Any, check: Any, n: int) -> tuple[int, list[str], float]:
    """Return (inputs tried, problems found, seconds) for ``n`` generated inputs."""
    from hypothesis import HealthCheck, Phase, given, settings

    tried = 0
    problems: list[str] = []

    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def one(value: Any) -> None:
        nonlocal tried
        tried += 1
        try:
            problem = check(value)
        except Exception as exc:  # an escape from the check itself counts the same
            problem = f"{type(exc).__name__}: {exc}"
        if problem is not None:
            problems.append(f"{problem}  <- {value!r:.200}")

    start = time.perf_counter()
    one()
    return tried, problems, time.perf_counter() - start


def main(argv: list[str]) -> int:
    import warnings

    from tests.test_fuzz import FAMILIES

    warnings.simplefilter("ignore")
    n = int(argv[1]) if len(argv) > 1 else 5000
    total_tried = total_failed = 0
    heads = ("family", "tried", "failed", "seconds", "per input", "baseline")
    print(f"{heads[0]:<12} {heads[1]:>7} {heads[2]:>7} {heads[3]:>8} {heads[4]:>10} {heads[5]:>9}")
    for name, (strategy, check) in FAMILIES.items():
        count = max(1, int(n * WRITER_SHARE)) if name == "writers" else n
        tried, problems, seconds = run_family(name, strategy, check, count)
        base = _baseline(tried)
        total_tried += tried
        total_failed += len(problems)
        print(
            f"{name:<12} {tried:>7,} {len(problems):>7,} {seconds:>8.1f} "
            f"{1000 * seconds / max(tried, 1):>8.2f}ms {1000 * base / max(tried, 1):>7.3f}ms"
        )
        for problem in problems[:5]:
            print(f"    {problem}")
    verdict = "met" if total_tried >= 10_000 and total_failed == 0 else "NOT met"
    target = f"(target ≥ 10,000 tried, 0 failed: {verdict})"
    print(f"{'total':<12} {total_tried:>7,} {total_failed:>7,}   {target}")
    return 0 if total_failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
