"""Events benchmark: articles per second end to end, on every core, and peak memory by size.

Run: python bench/bench_events.py [--quick] [--no-memory] [--repeat N]

1. Throughput, ``nkmap events FOLDER --jobs J -o out.geojson`` run as a user runs it (a
   new process: CLI start, gazetteer load and output included), at ``--jobs 1`` and
   ``--jobs 2``, on two corpora of 2,000 files: generated dispatches of 2–4 KB built from
   real place names and theme words, and the dev set's 40 real texts (read from
   ``../shared/devset``) replicated to 2,000 files in a temporary folder.  Beside each, the
   baseline of the same run: a new process that loads the gazetteer, reads every file and
   looks up every capitalised word in a dictionary of place names.
   Targets: ≥ 1,000 articles/s with one job on real text, ≥ 1.8× that with two.
   Then the ceiling for two jobs on this machine: two one-job runs started side by side,
   each over half the real files (no pipeline between them, each paying the whole start),
   against one job over all of them.  Then, from runs over 2,000 and 4,000 real files,
   the start that no core shortens and the steady rate after it for each job count; and
   where one job's time goes on the real text: imports and set-up once a process, and
   per article reading and cleaning, finding and linking mentions, the event rules.
2. Peak memory (max RSS) of ``nkmap events --jobs 1`` on 1k, 10k and 100k generated
   articles, against the 1k run: in JSON Lines files of 1,000, then an article a file (in
   folders of 1,000).  Target: 100k within 1.5×.

The machine's other users share its cores, so figures move between runs: each throughput
figure is the best of ``--repeat`` runs (3 unless told).  Runs keep the modules' bytecode
between them, as Python does unless told not to (``PYTHONDONTWRITEBYTECODE`` is unset for
them: with it, every run would compile every module of the source tree again).
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT.parent / "shared" / "devset"

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

# The baseline: what any tool must do at least (start, load names, read, look up words).
_BASELINE = """
import re, sys
from pathlib import Path
from gazetteer import Gazetteer
from gazetteer.names import key
from geo.article import iter_article_files
table = {key(p.name): p for p in Gazetteer.default()}
word = re.compile(r"\\b[A-Z][\\w'-]+")
hits = 0
for path in iter_article_files([sys.argv[1]]):
    text = path.read_text(encoding="utf-8", errors="replace")
    hits += sum(1 for w in word.findall(text) if key(w) in table)
print(hits)
"""

# Runs a command and prints its peak memory (max RSS of the child, in KB).
_PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


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


def _nkmap(*args: str) -> list[str]:
    return [sys.executable, "-c", "from geo.cli import main; main()", *args]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], repeat: int = 1) -> tuple[float, float]:
    """Run ``command`` ``repeat`` times; return the wall-clock and CPU seconds (its workers'
    included) of the fastest run by the clock."""
    runs = []
    for _ in range(max(1, repeat)):
        t, c = time.perf_counter(), _cpu()
        subprocess.run(command, cwd=ROOT, check=False, capture_output=True)
        runs.append((time.perf_counter() - t, _cpu() - c))
    return min(runs)


def _write_generated(folder: Path, n: int) -> None:
    folder.mkdir()
    for i, text in enumerate(corpus(n)):
        (folder / f"dispatch-{i:05d}.txt").write_text(text, encoding="utf-8")


def _write_devset(folder: Path, n: int) -> bool:
    texts = sorted(DEVSET.glob("*.txt"))
    if not texts:
        return False
    folder.mkdir()
    for i in range(n):
        source = texts[i % len(texts)]
        shutil.copyfile(source, folder / f"{i:05d}-{source.name}")
    return True


def throughput(work: Path, n: int, repeat: int = 3) -> None:
    """Print articles/s at --jobs 1 and --jobs 2 beside the baseline, on both corpora (each
    figure the best of ``repeat`` runs)."""
    corpora = []
    generated = work / "generated"
    _write_generated(generated, n)
    corpora.append(("generated", generated))
    real = work / "devset"
    if _write_devset(real, n):
        corpora.append(("dev set ×50", real))
    else:
        print(f"(no dev set at {DEVSET}: real-text figures left out)")
    _timed([sys.executable, "-c", _BASELINE, str(generated)])  # warms the gazetteer cache
    print(
        f"{n:,} files per corpus; new process per run (start, gazetteer, output included); "
        f"best of {repeat} runs"
    )
    print("articles/s by the clock, and per CPU-second (what the machine's other load moves less)")
    print(
        f"{'corpus':<12} {'run':<21} {'per s':>7} {'wall s':>7} {'per cpu-s':>9}   "
        "baseline (dict lookup): per s, wall s"
    )
    for name, folder in corpora:
        base, _ = _timed([sys.executable, "-c", _BASELINE, str(folder)], repeat)
        single = None
        for jobs in (1, 2):
            out = work / f"out-{jobs}.geojson"
            command = _nkmap("events", str(folder), "--jobs", str(jobs), "-o", str(out))
            wall, cpu = _timed(command, repeat)
            rate = n / wall
            single = single or rate
            note = f"  ({rate / single:.2f}× one job by the clock)" if jobs > 1 else ""
            print(
                f"{name:<12} nkmap events --jobs {jobs} {rate:>7,.0f} {wall:>7.2f} "
                f"{n / cpu:>9,.0f}   {n / base:,.0f}/s, {base:.2f} s{note}"
            )
    print("targets: ≥ 1,000 articles/s one job on real text; ≥ 1.8× that with two jobs")
    if len(corpora) > 1:
        ceiling(work, real, n, repeat)
        steady(work, real, n, repeat)


def _side_by_side(commands: list[list[str]], repeat: int) -> float:
    """Return the wall-clock seconds of the fastest of ``repeat`` runs of ``commands`` all
    started at once (until the last ends)."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        t = time.perf_counter()
        running = [
            subprocess.Popen(c, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for c in commands
        ]
        for process in running:
            process.wait()
        best = min(best, time.perf_counter() - t)
    return best


def ceiling(work: Path, real: Path, n: int, repeat: int) -> None:
    """Print what two jobs could reach at most on this machine: two one-job runs side by side,
    each over half the real-text files, with no pipeline between them (each pays the whole
    start: imports, gazetteer, patterns, cold caches), against one job over all of them."""
    files = sorted(real.iterdir())
    halves = [work / "devset-first-half", work / "devset-second-half"]
    for folder, part in zip(halves, (files[: n // 2], files[n // 2 :]), strict=True):
        folder.mkdir()
        for path in part:
            shutil.copyfile(path, folder / path.name)
    whole = _timed(
        _nkmap("events", str(real), "--jobs", "1", "-o", str(work / "c.geojson")), repeat
    )[0]
    pair = _side_by_side(
        [
            _nkmap("events", str(h), "--jobs", "1", "-o", str(work / f"c{i}.geojson"))
            for i, h in enumerate(halves)
        ],
        repeat,
    )
    print(
        f"\nceiling for two jobs (dev set text, best of {repeat}): one job over all {n:,} files "
        f"{whole:.2f} s; two one-job runs side by side, each over half, {pair:.2f} s "
        f"({whole / pair:.2f}× one job)"
    )
    for folder in halves:
        shutil.rmtree(folder)


def steady(work: Path, real: Path, n: int, repeat: int) -> None:
    """Print, for --jobs 1 and 2 on the real text, the start that does not shrink with more
    cores (imports, gazetteer, set-up) and the steady rate after it, from runs over ``n``
    and ``2n`` files: start = 2·T(n) − T(2n), steady rate = n / (T(2n) − T(n))."""
    double = work / "devset-double"
    _write_devset(double, 2 * n)
    print(f"\nstart and steady rate (dev set text, {n:,} and {2 * n:,} files, best of {repeat})")
    rates = {}
    for jobs in (1, 2):
        out = work / f"steady-{jobs}.geojson"
        walls = [
            _timed(_nkmap("events", str(f), "--jobs", str(jobs), "-o", str(out)), repeat)[0]
            for f in (real, double)
        ]
        rates[jobs] = n / max(1e-9, walls[1] - walls[0])
        note = f"  ({rates[2] / rates[1]:.2f}× one job)" if jobs == 2 else ""
        print(
            f"  --jobs {jobs}: start {2 * walls[0] - walls[1]:.2f} s, then "
            f"{rates[jobs]:,.0f} articles/s{note}"
        )
    shutil.rmtree(double)


def _peak(work: Path, folder: Path, size: int, first: float | None) -> float:
    """Run ``nkmap events FOLDER --jobs 1`` and print its peak memory against ``first``'s."""
    out = work / f"mem-{size}.parquet"
    t = time.perf_counter()
    command = _nkmap("events", str(folder), "--jobs", "1", "-o", str(out))
    peak = subprocess.run(
        [sys.executable, "-c", _PEAK, *command],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - t
    mb = int(peak.stdout.strip()) / 1024
    print(
        f"  {size:>7,} articles: {mb:6.0f} MB peak  ({mb / (first or mb):.2f}× the 1k run)  "
        f"{elapsed:6.1f} s, {size / elapsed:,.0f} articles/s"
    )
    return mb


def peak_memory(work: Path, sizes: list[int]) -> None:
    """Print the peak memory of --jobs 1 runs over 1k, 10k, 100k generated articles: in
    JSON Lines files of 1,000, then each in a file of its own (links to 1,000 files)."""
    texts = corpus(1000, seed=1)
    print("\npeak memory of nkmap events --jobs 1 -o out.parquet (JSON Lines of 1,000 articles)")
    first = None
    for size in sizes:
        folder = work / f"jsonl-{size}"
        folder.mkdir()
        for f in range(size // 1000):
            lines = (
                json.dumps({"title": f"Dispatch {f}-{i}", "text": t}, ensure_ascii=False)
                for i, t in enumerate(texts)
            )
            (folder / f"part-{f:04d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        mb = _peak(work, folder, size, first)
        first = first or mb
        shutil.rmtree(folder)
    print("the same, an article a file (folders of 1,000 hard links to 1,000 files)")
    originals = work / "one-thousand-articles"
    originals.mkdir()
    for i, text in enumerate(texts):
        (originals / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    first = None
    for size in sizes:
        folder = work / f"files-{size}"
        for f in range(size // 1000):
            part = folder / f"{f:04d}"
            part.mkdir(parents=True)
            for original in originals.iterdir():
                os.link(original, part / original.name)
        mb = _peak(work, folder, size, first)
        first = first or mb
        shutil.rmtree(folder)
    shutil.rmtree(originals)
    print("target: 100k within 1.5× of 1k")


# Where one job's time goes: a new process timing each stage over the dev-set corpus.
_STAGES = """
import sys, time
t0 = time.perf_counter()
from geo.article import read_articles
from geo.events import EventExtractor
from geo.sentences import sentences
t1 = time.perf_counter()
extractor = EventExtractor()
t2 = time.perf_counter()
articles = list(read_articles([sys.argv[1]]).articles)
t3 = time.perf_counter()
for a in articles:
    extractor.linker.mentions(a.text, sentences(a.text))
t4 = time.perf_counter()
for a in articles:
    extractor.process(a)
t5 = time.perf_counter()
n = len(articles)
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {(t3 - t2) / n * 1e3:.3f} {(t4 - t3) / n * 1e3:.3f} "
      f"{(t5 - t4 - (t4 - t3)) / n * 1e3:.3f}")
"""


def stages(work: Path) -> None:
    """Print what one job spends where on the dev-set corpus: imports, gazetteer and
    extractor set-up (once a process), then per article reading and cleaning, finding and
    linking mentions, and the event rules (the rest of extraction)."""
    folder = work / "devset"
    if not folder.exists():
        return
    runs = []
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", _STAGES, str(folder)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append([float(x) for x in done.stdout.split()])
    imports, setup, read, link, rules = (min(column) for column in zip(*runs, strict=True))
    print(
        f"\nwhere one job's time goes (dev set ×50, best of 3): imports {imports:.3f} s, "
        f"gazetteer and extractor {setup:.3f} s once; per article: reading and cleaning "
        f"{read:.3f} ms, mentions and linking {link:.3f} ms, event rules {rules:.3f} ms"
    )


def main() -> None:
    quick = "--quick" in sys.argv
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    with tempfile.TemporaryDirectory(prefix="nkmap-bench-") as tmp:
        work = Path(tmp)
        # a cache of our own, built once before any figure, so no run rebuilds it
        os.environ["NKMAP_CACHE_DIR"] = str(work / "cache")
        # Bytecode kept between runs, as Python keeps it by default and as an installed
        # package has it (an environment with PYTHONDONTWRITEBYTECODE would have every run
        # compile every module of the source tree again)
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        warm = work / "warm.geojson"
        for command in (_nkmap("resolve", "Hyesan"), _nkmap("events", "samples", "-o", str(warm))):
            subprocess.run(command, cwd=ROOT, check=False, capture_output=True)
        throughput(work, 400 if quick else 2000, repeat)
        stages(work)
        if "--no-memory" not in sys.argv:
            peak_memory(work, [1000, 10_000] if quick else [1000, 10_000, 100_000])


if __name__ == "__main__":
    main()
