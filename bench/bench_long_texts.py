"""Long-text benchmark: one 1 MB article of dates, one 1 MB article of "Seoul … Hyesan …".

Run: python bench/bench_long_texts.py [MB]

Each text is read as an article (cleaning included) and extracted; the time is printed
beside the baseline of the same text, a dictionary lookup of its capitalised words, and
beside the same work on a tenth of the text, so that time growing faster than the text
shows.  Target: each 1 MB text in a few seconds.
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_DATE_FORMS = ("2024-03-07", "March 7, 2024", "7 March 2024", "2024년 3월 7일", "Nov. 3, 2023")


def dates_text(size: int, seed: int = 0) -> str:
    """Return about ``size`` characters of lines full of dates (a log of a trader's visits)."""
    rng = random.Random(seed)
    lines, total = [], 0
    while total < size:
        line = " and ".join(rng.choice(_DATE_FORMS) for _ in range(12)) + "."
        lines.append(f"Traders crossed at Sinuiju on {line}")
        total += len(lines[-1]) + 1
    return "Dates of the crossings\n\n" + "\n".join(lines)


def seoul_text(size: int, seed: int = 0) -> str:
    """Return about ``size`` characters of sentences naming Seoul and border towns."""
    rng = random.Random(seed)
    towns = ("Hyesan", "Sinuiju", "Manpo", "Rason", "Musan")
    parts, total = [], 0
    while total < size:
        s = (
            f"Sources in Seoul said smugglers near {rng.choice(towns)} moved copper across "
            f"the river while guards in {rng.choice(towns)} were bribed. "
        )
        parts.append(s)
        total += len(s)
    return "Seoul hears of smuggling\n\n" + "".join(parts)


def _extract(extractor: object, text: str) -> tuple[float, int]:
    from geo.article import article_from_text

    t = time.perf_counter()
    result = extractor.process(article_from_text(text))  # type: ignore[attr-defined]
    return time.perf_counter() - t, len(result.events)


def main() -> None:
    from gazetteer import Gazetteer
    from gazetteer.names import key
    from geo.events import EventExtractor

    mb = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    size = int(mb * 1_000_000)
    gazetteer = Gazetteer.default()
    extractor = EventExtractor(gazetteer)
    table = {key(p.name): p for p in gazetteer}
    word = re.compile(r"\b[A-Z][\w'-]+")
    print(f"{'text':<22} {'size':>8} {'nkmap':>9} {'a tenth':>9} {'baseline':>9}  events")
    for name, make in (("dates", dates_text), ("Seoul … Hyesan …", seoul_text)):
        text = make(size)
        small, _ = _extract(extractor, make(size // 10))
        elapsed, events = _extract(extractor, text)
        t = time.perf_counter()
        sum(1 for w in word.findall(text) if key(w) in table)
        base = time.perf_counter() - t
        print(
            f"{name:<22} {len(text.encode()) / 1e6:>6.2f}MB {elapsed:>8.2f}s "
            f"{small:>8.2f}s {base:>8.2f}s  {events}"
        )
    print("target: each 1 MB text in a few seconds (×10 text ≈ ×10 time when linear)")


if __name__ == "__main__":
    main()
