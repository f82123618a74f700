"""Mentions benchmark: the cost per article of finding and linking place mentions.

Run: python bench/bench_linking.py [--repeat N]

Times ``Linker.mentions(text, sentences(text))`` (geo/linking.py: spans found by
geo/mentions.py, then linked in the article's context) in one process, on two corpora of
2,000 articles: the dev set's 40 real texts (``../shared/devset``) replicated 50 times, and
the generated dispatches of ``bench_events.py`` (all distinct, so a speedup that only
repetition buys would show as a gap between the two).  Sentences are split beforehand and
not timed.  Beside each figure, the baseline of the same run: looking up every capitalised
word of the texts in the gazetteer's names.

The machine's other users share its cores: each figure is the best of ``--repeat`` passes
(5 unless told), each pass with a new linker.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_events import DEVSET, corpus  # noqa: E402

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.names import key  # noqa: E402
from geo.article import read_articles  # noqa: E402
from geo.linking import Linker  # noqa: E402
from geo.sentences import sentences  # noqa: E402

_CAPITALISED = re.compile(r"[A-Z][\w’'-]+")


def _best_ms(run: object, n: int, repeat: int) -> float:
    """Return the best time of ``repeat`` calls of ``run`` in milliseconds per article."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best / n * 1000


def measure(name: str, texts: list[str], gazetteer: Gazetteer, repeat: int) -> None:
    """Print the mentions cost per article of ``texts`` beside the baseline's."""
    work = [(text, sentences(text)) for text in texts]

    def linking() -> None:
        linker = Linker(gazetteer)
        for text, bounds in work:
            linker.mentions(text, bounds)

    def baseline() -> None:
        for text, _ in work:
            for m in _CAPITALISED.finditer(text):
                gazetteer.has_key(key(m.group()))

    ms = _best_ms(linking, len(work), repeat)
    base = _best_ms(baseline, len(work), repeat)
    print(
        f"{name:<28} {ms:6.3f} ms/article  ({1000 / ms:6.0f}/s)   "
        f"baseline {base:6.3f} ms/article   ×{ms / base:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    gazetteer = Gazetteer.default()
    real = [a.text for a in read_articles(sorted(DEVSET.glob("*.txt")))]
    if real:
        measure(f"dev set ({len(real)} texts) ×50", real * 50, gazetteer, args.repeat)
    else:
        print(f"no dev set at {DEVSET}: real-text figure skipped")
    measure("generated, 2,000 distinct", corpus(2000), gazetteer, args.repeat)


if __name__ == "__main__":
    main()
