"""Extraction on a Dask cluster: each worker turns chunks of articles into GeoParquet parts.

``nkmap events PATH… --scheduler tcp://HOST:PORT -o events.parquet`` sends the chunks of
:func:`geo.pipeline.iter_chunks` to the cluster's workers as the listing makes them, a few
per worker at a time; each writes its part ``part.NNNNNN.parquet`` (GeoParquet 1.0, the
schema of :func:`geo.writers.arrow_schema`) into a temporary folder beside the output,
renamed into place when every part is done.
The folder is a partitioned GeoParquet dataset that dask-geopandas, DuckDB
(``read_parquet('events.parquet/*.parquet')``) and Apache Sedona read as it is, and that
``nkmap query``/``summary``/``map``/``static`` accept as INPUT.  Parts are numbered in input
order, so reading the dataset gives the events in the order ``--jobs 1`` writes them.

The workers read the article files and write the parts themselves: on a real cluster both
paths must be on storage every worker sees (a shared file system).  Needs ``dask`` with
``distributed`` (``pip install 'nkmap[dask]'``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.listing import ReadFailure
from geo.pipeline import IN_FLIGHT, Progress, Settings, Worker, iter_chunks
from nkmap.errors import FileError, NkmapError

#: Files per task on the cluster at most, and text per task.
TASK_FILES = 2_000
TASK_BYTES = 8_000_000


@dataclass
class ClusterRun:
    """What a cluster run did: counts, parts written, workers used, and the failures."""

    articles: int = 0
    events: int = 0
    parts: int = 0
    workers: int = 0
    failures: list[ReadFailure] = field(default_factory=list)


#: Each worker process's extractor, by settings (built on its first task).
_WORKERS: dict[Settings, Worker] = {}


def extract_part(index: int, files: list[str], folder: str, settings: Settings) -> dict[str, Any]:
    """Extract ``files`` and write their events to ``folder/part.{index:06d}.parquet``.

    Runs on a Dask worker.  Returns ``{"articles", "events", "failures"}`` (failures as
    ``(path, reason)`` pairs).  Raises the reading error under ``settings.raise_errors``.
    """
    from geo.records import event_rows, event_schema
    from geo.writers import ParquetWriter

    worker = _WORKERS.get(settings)
    if worker is None:
        worker = _WORKERS[settings] = Worker(settings, None, frozenset())
    batch = worker.run(files)
    if batch.error is not None:
        raise batch.error
    schema = event_schema()
    path = Path(folder) / f"part.{index:06d}.parquet"
    writer = ParquetWriter(path, schema)
    try:
        writer.write(list(event_rows(batch.events, schema)))
    finally:
        writer.close()
    return {
        "articles": len(batch.results),
        "events": len(batch.events),
        "failures": [(f.path, f.reason) for f in batch.failures],
    }


def _client(scheduler: str) -> Any:
    try:
        from distributed import Client
    except ImportError as exc:
        raise NkmapError(
            "--scheduler needs Dask's distributed scheduler: pip install 'nkmap[dask]'"
        ) from exc
    try:
        return Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise FileError(f"{scheduler}: cannot reach the Dask scheduler ({exc})") from exc


def _replace_folder(tmp: Path, target: Path) -> None:
    """Move ``tmp`` to ``target``, replacing a previous output (file or folder)."""
    old = None
    if target.exists() or target.is_symlink():
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()


def extract_to_dataset(
    paths: Iterable[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    scheduler: str | Any,
    date: dt.date | None = None,
    lexicon: str | os.PathLike[str] | None = None,
    on_error: str = "skip",
    progress: Callable[[Progress], None] | None = None,
) -> ClusterRun:
    """Extract the articles under ``paths`` on a Dask cluster into the GeoParquet dataset
    folder ``output``; return what was done.

    ``scheduler`` is the scheduler's address (``tcp://HOST:PORT``) or a connected
    ``distributed.Client``.  Unreadable inputs are recorded in the result's ``failures``
    (``on_error="raise"`` raises at the first instead).  The folder appears only when every
    part is written.

    Raises:
        NkmapError: dask.distributed is not installed.
        FileError: the scheduler cannot be reached, or the output cannot be written.
        DataError: an input cannot be read (``on_error="raise"``).
    """
    target = Path(output)
    if not target.parent.is_dir():
        raise FileError(f"{target}: folder {target.parent} does not exist")
    run = ClusterRun()
    settings = Settings(
        date=date,
        lexicon=str(lexicon) if lexicon else None,
        keep_text=False,
        raise_errors=on_error == "raise",
    )
    own = isinstance(scheduler, str)
    client: Any = _client(scheduler) if own else scheduler
    tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        from distributed import as_completed

        run.workers = len(client.scheduler_info().get("workers", {}))
        # Chunks are sent as the listing makes them, a few per worker at a time: the paths
        # of a million files are never all held here at once.
        limit = max(16, IN_FLIGHT * run.workers)
        running = as_completed()
        keys: list[Any] = []  # the parts in input order
        sizes: dict[Any, int] = {}
        parts: dict[Any, dict[str, Any]] = {}
        done = total = 0

        def settle(future: Any) -> None:
            nonlocal done
            parts[future.key] = future.result()
            done += sizes[future.key]
            if progress is not None:
                progress(Progress(done, total, 0, 0, 0, len(run.failures)))

        for item in iter_chunks(paths, chunk_bytes=TASK_BYTES, chunk_files=TASK_FILES):
            if isinstance(item, ReadFailure):
                if on_error == "raise":
                    raise FileError(str(item))
                run.failures.append(item)
                continue
            future = client.submit(extract_part, len(keys), item, str(tmp), settings, pure=False)
            keys.append(future.key)
            sizes[future.key] = len(item)
            total += len(item)
            running.add(future)
            while running.count() >= limit:
                settle(next(running))
        for future in running:
            settle(future)
        for key in keys:  # failures in input order, after the listing's
            part = parts[key]
            run.articles += part["articles"]
            run.events += part["events"]
            run.failures.extend(ReadFailure(p, r) for p, r in part["failures"])
        run.parts = len(keys)
        if not keys:  # an empty dataset still has its schema
            from geo.records import event_schema
            from geo.writers import ParquetWriter

            ParquetWriter(tmp / "part.000000.parquet", event_schema()).close()
            run.parts = 1
        _replace_folder(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if own:
            with contextlib.suppress(Exception):
                client.close()
    return run
