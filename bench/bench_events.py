"""Events benchmark: articles per second end to end on one core, on a generated corpus.

Run: python bench/bench_events.py [N]   (target ≥ 500 articles/s).  The corpus is N
generated dispatches of 2–4 KB built from real place names and theme words; the baseline in
the same run is a plain dictionary lookup of every capitalised word over the same corpus.
"""

from __future__ import annotations

import random
import re
import sys
import time

FILLER = (
    "Residents said the situation had changed little since the spring. "
    "Officials reportedly held meetings to discuss the quotas for the coming months. "
    "Prices at the local market rose as supplies ran short, according to the source. "
    "The source, who asked not to be named for safety reasons, described the mood as tense. "
)
EVENTS = [
    "Smugglers moved copper and seafood across the river near {p} on March {d}.",
    "A new factory opened in {p} county as part of the 20×10 policy, a source said.",
    "Border guards in {p} stepped up patrols and arrests after the crackdown began.",
    "Traders in {p} said customs inspections of trucks had slowed since February {d}.",
    "Authorities in {p} collected donations from wealthy merchants for local projects.",
]
PLACES = [
    "Hyesan", "Sinuiju", "Manpo", "Namyang", "Rason", "Kusong", "Unsan", "Kujang",
    "Hoeryong", "Musan", "Onsong", "Chongjin", "Dandong", "Changbai", "Hunchun",
    "North Pyongan", "Ryanggang", "Yanggang Province", "Sinŭiju", "Hyesan-si",
]  # fmt: skip


def corpus(n: int, seed: int = 0) -> list[str]:
    """Return ``n`` generated articles of 2–4 KB each."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        size = rng.randint(2000, 4000)
        parts = [f"Dispatch {i}: news from the border\n\nSEOUL – {FILLER}"]
        while sum(map(len, parts)) < size:
            if rng.random() < 0.5:
                parts.append(
                    rng.choice(EVENTS).format(p=rng.choice(PLACES), d=rng.randint(1, 28)) + " "
                )
            else:
                parts.append(FILLER)
            if rng.random() < 0.2:
                parts.append("\n\n")
        out.append("".join(parts)[:size])
    return out


def main() -> None:
    import os

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    texts = corpus(n)
    from gazetteer import Gazetteer
    from gazetteer.names import key
    from geo.article import article_from_text
    from geo.events import EventExtractor

    gz = Gazetteer.default()
    extractor = EventExtractor(gz)
    extractor.process(article_from_text(texts[0]))  # warm up
    t = time.perf_counter()
    events = 0
    for text in texts:
        events += len(extractor.process(article_from_text(text)).events)
    elapsed = time.perf_counter() - t

    table = {key(p.name): p for p in gz}
    word = re.compile(r"\b[A-Z][\w'-]+")
    t = time.perf_counter()
    hits = 0
    for text in texts:
        hits += sum(1 for w in word.findall(text) if key(w) in table)
    base = time.perf_counter() - t
    kb = sum(len(x.encode()) for x in texts) / 1024
    print(f"corpus: {n} articles, {kb:,.0f} KB, one core")
    print(
        f"nkmap end to end (clean, mentions, linking, themes, dates, events): "
        f"{n / elapsed:,.0f} articles/s ({events:,} events)   target ≥ 500/s"
    )
    print(
        f"baseline: dictionary lookup of capitalised words:               "
        f"{n / base:,.0f} articles/s ({hits:,} hits)"
    )


if __name__ == "__main__":
    main()
