"""Store benchmark: ingesting 1,000 articles into an empty store and into one of 1M events.

Run: python bench/bench_store.py [EVENTS]   (default 1,000,000 events in the full store)

For the GeoPackage and, when a server can be started (see :mod:`bench.postgres_server`),
for PostGIS: the time of ``nkmap ingest ARTICLES --db STORE --jobs 1`` run as a user runs
it (new process, extraction included) into an empty store and into a store already holding
EVENTS synthetic events (and a bookkeeping row per three of them), and the store's own
share of it (open, read the known hashes, append the rows), measured in this process.
Target: the full store within 2× of the empty one.  Beside it, the baseline: rewriting the
whole GeoPackage to add the rows, as ingest did before it appended.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_events import corpus  # noqa: E402

_PLACES = [
    ("kp.sinuiju", "Sinuiju", "KP", "North Pyongan", "town", 40.1006, 124.3981),
    ("kp.hyesan", "Hyesan", "KP", "Ryanggang", "town", 41.4017, 128.1776),
    ("cn.dandong", "Dandong", "CN", "Liaoning", "town", 40.1247, 124.3944),
    ("kp.rason", "Rason", "KP", "Rason", "province", 42.2569, 130.2978),
]
_THEMES = ["trade", "factory", "aid", "fundraising", "visit", "security"]


def synthetic(n: int, start: int, schema: Any) -> tuple[list[Any], list[Any]]:
    """Return ``n`` synthetic event rows (schema order) and their bookkeeping rows."""
    rng = random.Random(start)
    rows, articles = [], []
    day0 = dt.date(2016, 1, 1)
    for i in range(start, start + n):
        pid, name, country, admin1, precision, lat, lon = _PLACES[i % len(_PLACES)]
        article = f"{i // 3:016x}"
        values = {
            "event_id": f"{i:016x}",
            "article_id": article,
            "theme": _THEMES[i % len(_THEMES)],
            "place_id": pid,
            "place": name,
            "country": country,
            "admin1": admin1,
            "precision": precision,
            "date": day0 + dt.timedelta(days=rng.randrange(3650)),
            "date_precision": "day",
            "evidence": f"Synthetic report {i} near {name}.",
            "evidence_start": 0,
            "evidence_end": 30,
            "title": f"Report {i // 3}",
            "source": "bench",
            "url": "",
            "confidence": 0.8,
        }
        point = (lon + rng.uniform(-0.1, 0.1), lat + rng.uniform(-0.1, 0.1))
        rows.append((*(values.get(c) for c in schema.names), point))
        if i % 3 == 0:
            articles.append((f"{i // 3:064x}", article, "", f"Report {i // 3}", None, 3, "bench"))
    return rows, articles


def fill(store: Any, n: int, schema: Any) -> float:
    """Append ``n`` synthetic events to ``store`` in batches; return the seconds taken."""
    t = time.perf_counter()
    step = 50_000
    for start in range(0, n, step):
        rows, articles = synthetic(min(step, n - start), start, schema)
        store.append(rows, articles)
    return time.perf_counter() - t


def ingest_cli(folder: Path, db: str) -> float:
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from geo.cli import main; main()", "ingest", str(folder)]
        + ["--db", db, "--jobs", "1"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - t


def store_share(open_store: Any, db: str, rows: list[Any], records: list[Any]) -> float:
    """Seconds to open the store, read its hashes and append ``rows`` (the store's part)."""
    t = time.perf_counter()
    store = open_store(db)
    store.hashes()
    store.append(rows, records)
    store.close()
    return time.perf_counter() - t


def rewrite_baseline(path: Path, rows: list[Any], schema: Any) -> float:
    """Seconds to read the whole GeoPackage layer and write it again with the new rows."""
    import pyogrio

    from geo.writers import rows_frame

    t = time.perf_counter()
    old = pyogrio.read_dataframe(path, layer="events")
    new = rows_frame(rows, schema)
    import pandas as pd

    both = pd.concat([old, new], ignore_index=True)
    pyogrio.write_dataframe(both, path.with_name("rewrite.gpkg"), layer="events")
    return time.perf_counter() - t


def main() -> None:
    from geo.article import article_from_text
    from geo.events import EventExtractor
    from geo.records import article_record, event_rows, event_schema
    from geo.store import open_store

    n_full = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    schema = event_schema()
    with tempfile.TemporaryDirectory(prefix="nkmap-store-") as tmp:
        work = Path(tmp)
        os.environ["NKMAP_CACHE_DIR"] = str(work / "cache")  # built once, below
        articles = work / "articles"
        articles.mkdir()
        texts = corpus(1000, seed=7)
        for i, text in enumerate(texts):
            (articles / f"a{i:04d}.txt").write_text(text, encoding="utf-8")
        extractor = EventExtractor()
        results = [extractor.process(article_from_text(t)) for t in texts]
        rows = list(event_rows([e for r in results for e in r.events], schema))
        records = [article_record(r, "bench") for r in results]
        print(f"1,000 articles ({len(rows):,} events) into an empty store and one of {n_full:,}")
        # (name, store for the CLI run into empty, the full store, store for the share run)
        targets = [("GeoPackage", *(str(work / f"{s}.gpkg") for s in ("empty", "full", "share")))]
        server = None
        try:
            from bench.postgres_server import start

            server = start()
            import psycopg

            with psycopg.connect(server.url, autocommit=True) as con:
                con.execute("CREATE DATABASE full_store")
                con.execute("CREATE DATABASE share_store")
            other = server.url.replace
            targets.append(
                (
                    "PostGIS",
                    server.url,
                    other("/nkmap_test?", "/full_store?"),
                    other("/nkmap_test?", "/share_store?"),
                )
            )
        except (RuntimeError, ImportError) as exc:
            print(f"(PostGIS left out: {exc})")
        try:
            for name, empty, full, share in targets:
                store = open_store(full)
                filled = fill(store, n_full, schema)
                store.close()
                print(f"{name}: filled with {n_full:,} events in {filled:.1f} s")
                cli_empty = ingest_cli(articles, empty)
                cli_full = ingest_cli(articles, full)
                share_empty = store_share(open_store, share, rows, records)
                share_full = store_share(open_store, full, rows, records)
                print(
                    f"  nkmap ingest (new process):  empty {cli_empty:6.2f} s   "
                    f"full {cli_full:6.2f} s   ({cli_full / cli_empty:.2f}×)   target ≤ 2×"
                )
                print(
                    f"  the store's share:           empty {share_empty:6.2f} s   "
                    f"full {share_full:6.2f} s   ({share_full / share_empty:.2f}×)"
                )
                if name == "GeoPackage":
                    base = rewrite_baseline(Path(full), rows, schema)
                    print(f"  baseline, rewriting the whole store to add them: {base:6.2f} s")
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()
