"""One streaming pipeline from article files to events, a batch at a time, on every core.

Every command that extracts events goes through :class:`Pipeline`: ``events``, ``mentions``
and ``ingest`` write each batch as it arrives; ``map``, ``query``, ``static`` and ``summary``
gather the batches' events (:func:`geo.inputs.load_events`).  Folders are listed as the run
goes (:func:`iter_chunks`), and files read and extracted in chunks of about
:data:`CHUNK_BYTES`; only a few chunks are in flight at once, so memory stays flat however
large the archive, and however many files it holds.

With ``jobs > 1`` chunks go to worker processes and come back in input order, so the
result is the same as with one job, row for row.  Each worker builds its own
:class:`~geo.events.EventExtractor` as it starts, all of them at once; the parent builds
none (on Linux the workers are forked, so they share the parent's modules).  The same chunk
function serves the Dask workers of :mod:`geo.cluster`.

>>> Pipeline([], jobs=1).run().articles
0
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import os
import sys
import warnings
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from geo.event_records import ArticleResult, Event, events_frame
from geo.listing import ReadFailure, ReadWarning, list_paths
from nkmap.errors import FileError, InputError, NkmapError

if TYPE_CHECKING:
    from concurrent.futures import Future

    from gazetteer import Gazetteer
    from geo.article import Article
    from nkmap.events_table import EventsFrame

__all__ = [
    "Batch",
    "Pipeline",
    "Progress",
    "Settings",
    "Worker",
    "default_jobs",
    "iter_chunks",
    "plan_chunks",
]

#: Text per chunk: large enough to keep a worker busy, small enough to keep memory flat.
CHUNK_BYTES = 1_000_000
#: Files per chunk at most (many tiny files).
CHUNK_FILES = 256
#: Chunks in flight per worker process (a worker never waits for the parent to hand one out).
IN_FLIGHT = 4
#: Chunks per worker process at least, when the input allows: small chunks balance the last
#: ones (the run ends when the slowest worker does), and each costs about a millisecond.
CHUNKS_PER_JOB = 16


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """What each worker needs to read and extract a chunk (picklable).

    ``date`` overrides every article's publication date; ``lexicon`` is a JSON theme file;
    ``keep_text`` keeps each article's text (as given and cleaned, with its lines) and
    mentions in the results (``mentions`` needs them; without, results carry the articles'
    metadata and events only, which is cheaper to send back);
    ``raise_errors`` makes the first unreadable input raise.
    """

    date: dt.date | None = None
    lexicon: str | None = None
    keep_text: bool = True
    raise_errors: bool = False


@dataclass
class Batch:
    """One chunk's results, in input order: articles extracted, failures, and skips."""

    results: list[ArticleResult] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)
    skipped: int = 0
    files: int = 0
    error: NkmapError | None = None

    @property
    def events(self) -> list[Event]:
        """Return the events of every article in the batch, in order."""
        return [e for r in self.results for e in r.events]


@dataclass(frozen=True)
class Progress:
    """How far a run has got (what a progress callback receives).  ``files_total`` counts the
    files listed so far: the listing goes on as the run does, so it is final only near the
    end of a large input."""

    files_done: int
    files_total: int
    articles: int
    events: int
    skipped: int
    failed: int


class Worker:
    """Reads and extracts chunks with one extractor; articles whose hash is in ``skip`` are
    left out before extraction."""

    def __init__(
        self, settings: Settings, gazetteer: Gazetteer | None, skip: Collection[str]
    ) -> None:
        # Imported here: a run's parent process never loads the extractor, so with several
        # jobs the workers load it side by side instead of the parent before them.
        from geo.events import EventExtractor
        from geo.themes import load_themes

        self.settings = settings
        self.skip = skip
        themes = load_themes(settings.lexicon) if settings.lexicon else None
        self.extractor = EventExtractor(gazetteer, themes)

    def run(self, files: Sequence[str]) -> Batch:
        """Return the batch of ``files``; an error under ``raise_errors`` is returned, not
        raised, so that it crosses process boundaries intact."""
        from geo.article import read_listed

        batch = Batch(files=len(files))
        try:
            read = read_listed(  # the files plan_chunks listed
                files,
                on_error="raise" if self.settings.raise_errors else "skip",
                date=self.settings.date,
            )
        except NkmapError as exc:
            batch.error = exc
            return batch
        batch.failures = read.failures
        for article in read.articles:
            if article.content_hash in self.skip:
                batch.skipped += 1
                continue
            try:
                result = self.extractor.process(article)
            except Exception as exc:  # the input boundary: one article never costs the batch
                if self.settings.raise_errors:
                    raise
                where = article.path or article.article_id
                batch.failures.append(ReadFailure(where, f"events not extracted ({_reason(exc)})"))
                continue
            if not self.settings.keep_text:  # what comes back: metadata and events
                lean = replace(article, text="", body="", lines=())
                result = ArticleResult(lean, [], result.events)
            batch.results.append(result)
        return batch


def _reason(exc: BaseException, limit: int = 300) -> str:
    """Return an exception as one line: its type's name (unless nkmap's own) and message."""
    text = " ".join(str(exc).split())
    if not isinstance(exc, NkmapError):
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: The worker of this process (set by :func:`_init_worker`), or why it could not be built.
_WORKER: Worker | NkmapError | None = None


def _init_worker(settings: Settings, gazetteer: Gazetteer | None, skip: Collection[str]) -> None:
    """Build this worker process's extractor (each process its own, all at once)."""
    global _WORKER
    try:
        _WORKER = Worker(settings, gazetteer, skip)
    except NkmapError as exc:  # a bad lexicon or gazetteer: told with the first batch
        _WORKER = exc
    # What this process holds now lives as long as it does (it exists for the work): out
    # of the collector's way, its passes look only at what extraction makes.
    gc.freeze()


def _run_chunk(files: Sequence[str]) -> Batch:
    assert _WORKER is not None, "worker not initialised"
    if isinstance(_WORKER, NkmapError):
        return Batch(files=len(files), error=_WORKER)
    return _WORKER.run(files)


def _result(item: Future[Batch] | Batch) -> Batch:
    """Return a batch, waiting for it when it is still being made."""
    return item if isinstance(item, Batch) else item.result()


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # the reader reports it
        return 0


class _Chunker:
    """Cuts ``(path, size)`` pairs, as they come, into chunks of about ``target`` bytes and at
    most ``limit`` files (read order kept)."""

    def __init__(self, target: int, limit: int) -> None:
        self.target, self.limit = target, limit
        self.current: list[str] = []
        self.size = 0

    def add(self, files: Iterable[tuple[str, int]]) -> list[list[str]]:
        """Return the chunks that ``files`` complete."""
        done = []
        for path, n in files:
            self.size += n
            self.current.append(path)
            if self.size >= self.target or len(self.current) >= self.limit:
                done.append(self.current)
                self.current, self.size = [], 0
        return done

    def close(self) -> list[list[str]]:
        """Return the last chunk, unfinished (none when nothing is left)."""
        done = [self.current] if self.current else []
        self.current, self.size = [], 0
        return done


def _finer_tail(chunks: list[list[str]], jobs: int, parts: int = 4) -> list[list[str]]:
    """Return ``chunks`` with the last ``jobs`` of them cut in ``parts`` each (order kept):
    the run ends when its slowest worker does, and small last chunks end them together."""
    head, tail = chunks[:-jobs], chunks[-jobs:]
    for chunk in tail:
        step = -(-len(chunk) // parts)
        head.extend(chunk[i : i + step] for i in range(0, len(chunk), step))
    return head


def iter_chunks(
    paths: Iterable[str | os.PathLike[str]],
    *,
    chunk_bytes: int = CHUNK_BYTES,
    chunk_files: int = CHUNK_FILES,
    min_chunks: int = 1,
    finer_tail: int = 0,
) -> Iterator[list[str] | ReadFailure]:
    """Yield the article files under ``paths`` in chunks (read order kept) as the listing
    (:func:`geo.listing.list_paths`) finds them, and the listing's failures (missing paths,
    unreadable folders…) among them.  Raises nothing.

    A chunk holds about ``chunk_bytes`` of files and at most ``chunk_files`` files; smaller
    when the input is so small that this would make fewer than ``min_chunks`` chunks (so
    that every worker gets several).  The last ``finer_tail`` chunks are cut in four.  At
    most ``min_chunks`` chunks' worth of paths are held before the first chunk comes, and
    ``finer_tail`` chunks after: a plan of a million files takes no more memory than one of
    a thousand.
    """
    held: list[tuple[str, int]] = []  # the files listed while the input may be small
    size = 0
    chunker = _Chunker(chunk_bytes, chunk_files) if min_chunks <= 1 else None
    planned: deque[list[str]] = deque()
    for item in list_paths(paths):
        if isinstance(item, ReadFailure):
            yield item
            continue
        pair = (item, _size(item))
        if chunker is None:
            held.append(pair)
            size += pair[1]
            if size < min_chunks * chunk_bytes and len(held) < min_chunks * chunk_files:
                continue
            chunker = _Chunker(chunk_bytes, chunk_files)  # not small: full-sized chunks
            new, held = held, []
        else:
            new = [pair]
        planned.extend(chunker.add(new))
        while len(planned) > finer_tail:
            yield planned.popleft()
    if chunker is None:  # small: as even a split as makes min_chunks chunks
        target = max(1, min(chunk_bytes, size // min_chunks))
        limit = max(1, min(chunk_files, -(-len(held) // min_chunks)))
        chunker = _Chunker(target, limit)
        planned.extend(chunker.add(held))
    planned.extend(chunker.close())
    rest = list(planned)
    yield from _finer_tail(rest, finer_tail) if finer_tail and rest else rest


def plan_chunks(
    paths: Iterable[str | os.PathLike[str]],
    *,
    chunk_bytes: int = CHUNK_BYTES,
    chunk_files: int = CHUNK_FILES,
    min_chunks: int = 1,
) -> tuple[list[list[str]], list[ReadFailure]]:
    """Return the chunks of :func:`iter_chunks` as a list, and the failures of the listing.
    Raises nothing."""
    chunks: list[list[str]] = []
    failures: list[ReadFailure] = []
    for item in iter_chunks(
        paths, chunk_bytes=chunk_bytes, chunk_files=chunk_files, min_chunks=min_chunks
    ):
        if isinstance(item, ReadFailure):
            failures.append(item)
        else:
            chunks.append(item)
    return chunks, failures


class Pipeline:
    """Articles under ``paths`` → batches of results, streamed.

    Iterate to get :class:`Batch` objects in input order (what the listing cannot read —
    a path that names no readable file, an unreadable folder — comes as a batch of failures
    only, where the listing meets it: the paths as given first); afterwards (or meanwhile)
    the counters ``articles``, ``events``, ``skipped`` and the list ``failures`` sum them up.

    Args:
        paths: article files and folders (see :func:`geo.listing.iter_article_files`).
        date: publication date for every article (overrides what the text says).
        lexicon: a JSON theme lexicon extending the built-in themes.
        gazetteer: the gazetteer to link with (default: :meth:`Gazetteer.default`).
        jobs: worker processes (``None``: every core; 1: in this process).
        skip: content hashes of articles to leave out (already stored), unextracted.
        unique: also leave out an article whose content was already seen in this run.
        keep_text: keep article text and mentions in results (see :class:`Settings`).
        on_error: ``"raise"`` (raise at the first unreadable input), ``"warn"`` (one
            :class:`~geo.listing.ReadWarning` each) or ``"skip"`` (silent); failures are
            recorded in ``failures`` either way.
        progress: called with a :class:`Progress` after every batch.

    Raises (while iterating):
        FileError, DataError: an input cannot be read, with ``on_error="raise"``.
        InputError: ``on_error`` or ``jobs`` is invalid (on construction).
    """

    def __init__(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        date: dt.date | None = None,
        lexicon: str | os.PathLike[str] | None = None,
        gazetteer: Gazetteer | None = None,
        jobs: int | None = None,
        skip: Collection[str] = frozenset(),
        unique: bool = False,
        keep_text: bool = True,
        on_error: str = "warn",
        progress: Callable[[Progress], None] | None = None,
        chunk_bytes: int = CHUNK_BYTES,
        chunk_files: int = CHUNK_FILES,
    ) -> None:
        if on_error not in ("raise", "warn", "skip"):
            raise InputError(f"on_error={on_error!r}: expected 'raise', 'warn' or 'skip'")
        if jobs is not None and jobs < 1:
            raise InputError(f"jobs must be at least 1, not {jobs}")
        self.paths = list(paths)
        self.settings = Settings(
            date=date,
            lexicon=str(lexicon) if lexicon else None,
            keep_text=keep_text,
            raise_errors=on_error == "raise",
        )
        self.gazetteer = gazetteer
        self.jobs = jobs or default_jobs()
        self.skip = skip
        self.unique = unique
        self.on_error = on_error
        self.progress = progress
        self.chunk_bytes = chunk_bytes
        self.chunk_files = chunk_files
        self.articles = 0
        self.events = 0
        self.skipped = 0
        self.failures: list[ReadFailure] = []
        self.files_total = 0
        self.files_done = 0
        self._seen: set[str] = set()

    def _fail(self, failures: Sequence[ReadFailure]) -> None:
        self.failures.extend(failures)
        if self.on_error == "warn":
            for failure in failures:
                warnings.warn(str(failure), ReadWarning, stacklevel=3)

    def __iter__(self) -> Iterator[Batch]:
        plan = iter_chunks(
            self.paths,
            chunk_bytes=self.chunk_bytes,
            chunk_files=self.chunk_files,
            min_chunks=1 if self.jobs == 1 else CHUNKS_PER_JOB * self.jobs,
            finer_tail=0 if self.jobs == 1 else self.jobs,
        )
        for batch in self._batches(self._planned(plan)):
            if batch.error is not None:
                raise batch.error
            if self.unique:
                kept = []
                for r in batch.results:
                    if r.article.content_hash in self._seen:
                        batch.skipped += 1
                    else:
                        self._seen.add(r.article.content_hash)
                        kept.append(r)
                batch.results = kept
            self._fail(batch.failures)
            self.articles += len(batch.results)
            self.events += sum(len(r.events) for r in batch.results)
            self.skipped += batch.skipped
            self.files_done += batch.files
            if self.progress is not None:
                self.progress(
                    Progress(
                        self.files_done,
                        self.files_total,
                        self.articles,
                        self.events,
                        self.skipped,
                        len(self.failures),
                    )
                )
            yield batch

    def _planned(self, plan: Iterator[list[str] | ReadFailure]) -> Iterator[list[str] | Batch]:
        """Yield the plan's chunks, counted in ``files_total``, and its failures, each run of
        them as a batch of failures only (an error to raise under ``on_error="raise"``)."""
        failures: list[ReadFailure] = []
        for item in plan:
            if isinstance(item, ReadFailure):
                failures.append(item)
                continue
            if failures:
                yield self._listing_failures(failures)
                failures = []
            self.files_total += len(item)
            yield item
        if failures:
            yield self._listing_failures(failures)

    def _listing_failures(self, failures: list[ReadFailure]) -> Batch:
        error = FileError(str(failures[0])) if self.settings.raise_errors else None
        return Batch(failures=failures, error=error)

    def _batches(self, planned: Iterator[list[str] | Batch]) -> Iterator[Batch]:
        # The first chunks (and the failures before them) tell whether the input is worth
        # more than one process: one chunk is extracted here, as is everything with one job.
        ahead: list[list[str] | Batch] = []
        chunks = 0
        for item in planned:
            ahead.append(item)
            chunks += not isinstance(item, Batch)
            if chunks >= self.jobs:
                break
        if self.jobs == 1 or chunks <= 1:
            worker = None
            for item in itertools.chain(ahead, planned):
                if isinstance(item, Batch):
                    yield item
                    continue
                worker = worker or Worker(self.settings, self.gazetteer, self.skip)
                yield worker.run(item)
            return
        # Each worker builds its own extractor, in parallel, while this process (which
        # needs none: it only hands out chunks and writes) goes on.  On Linux the workers
        # are forked: the modules, and the gazetteer when given, are shared, not sent.
        import multiprocessing  # (a run of one job needs neither)
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if sys.platform.startswith("linux") else "spawn"
        pool = ProcessPoolExecutor(
            min(self.jobs, chunks),
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
            initargs=(self.settings, self.gazetteer, self.skip),
        )
        pending: deque[Future[Batch] | Batch] = deque()
        try:
            for item in itertools.chain(ahead, planned):
                pending.append(item if isinstance(item, Batch) else pool.submit(_run_chunk, item))
                if len(pending) >= IN_FLIGHT * self.jobs:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def run(self) -> Pipeline:
        """Consume every batch (discarding results); return self, for its counters."""
        for _ in self:
            pass
        return self


def extract_events(
    articles: Iterable[Article] | Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    gazetteer: Gazetteer | None = None,
    lexicon: str | Path | None = None,
    on_error: str = "warn",
    date: dt.date | None = None,
    failures: list[ReadFailure] | None = None,
    jobs: int | None = 1,
) -> EventsFrame:
    """Return the events of ``articles`` (Article objects, or files and folders to read).

    Files are read and extracted by :class:`Pipeline`, on ``jobs`` processes
    (``None``: every core); unreadable files follow ``on_error`` (see
    :func:`geo.article.read_articles`) and are appended to ``failures`` when a list is given.
    Article objects come first in the result, then the files' articles in read order.

    Returns:
        GeoDataFrame: one row per event, columns :data:`EVENT_COLUMNS`, EPSG:4326.

    Raises:
        FileError, DataError: an input or the lexicon cannot be read (``on_error="raise"``).
    """
    from geo.article import Article

    items = [articles] if isinstance(articles, (str, os.PathLike)) else list(articles)
    paths = [a for a in items if not isinstance(a, Article)]
    arts = [a for a in items if isinstance(a, Article)]
    events: list[Event] = []
    if arts:
        from geo.events import EventExtractor
        from geo.themes import load_themes

        extractor = EventExtractor(gazetteer, load_themes(lexicon) if lexicon else None)
        events = [e for a in arts for e in extractor.process(a).events]
    if paths:
        pipeline = Pipeline(
            paths,
            gazetteer=gazetteer,
            lexicon=lexicon,
            on_error=on_error,
            date=date,
            jobs=jobs,
            keep_text=False,
        )
        for batch in pipeline:
            events += batch.events
        if failures is not None:
            failures.extend(pipeline.failures)
    return events_frame(events)
