"""The ``nkmap`` command group and what its subcommands share.

The CLI is a thin layer: parse, call one library function, print.  Library
errors (:class:`nkmap.errors.NkmapError`) are caught once here and printed
as one line; exit status 0 on success, 1 when some inputs failed, 2 on usage
errors (bad option values included).
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from nkmap.errors import InputError, NkmapError

if TYPE_CHECKING:
    from geo.listing import ReadFailure
    from nkmap.events_table import EventsFrame

T = TypeVar("T")


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Print a warning as nkmap's one line (no file and line of the code that issued it);
    deprecation notices of libraries keep Python's own form."""
    if issubclass(category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning)):
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))
        return
    warn(str(message))


class _Group(click.Group):
    """A click group that turns nkmap's own errors into one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        # A run keeps what it builds (the gazetteer, the rules, what they have read) to the
        # end: the collector's passes, made for programs whose objects come and go, are
        # made less often (cyclic garbage waits for 50,000 new objects, not 700).
        gc.set_threshold(50_000, 20, 20)
        try:
            with warnings.catch_warnings():
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"nkmap: error: {exc}", err=True)
            ctx.exit(2)
        except NkmapError as exc:
            click.echo(f"nkmap: error: {exc}", err=True)
            ctx.exit(1)
        finally:
            # The work is done: spare the exit a collection pass over every object made
            # (tens of milliseconds after reading an archive).
            gc.freeze()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nkmap")
def main() -> None:
    """nkmap: news reports on North Korea → gazetteer, events, maps and queries.

    Offline by default: no command touches the network unless asked to.

    \b
    Example:
      nkmap map samples/ -o map.html --offline
    """


def json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--json``: print machine-readable JSON instead of a table."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(f)


def output_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``-o/--output FILE``: the format is chosen by the file's extension."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True),
        help="Write to FILE; the format follows its extension.",
    )(f)


def progress(items: Iterable[T], *, total: int | None = None, label: str = "") -> Iterator[T]:
    """Yield ``items``, with a progress bar on stderr when it is a terminal (quiet when piped)."""
    if not sys.stderr.isatty() or os.environ.get("NKMAP_NO_PROGRESS"):
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=label, unit="file", file=sys.stderr, leave=False)


def warn(message: str) -> None:
    """Print one warning line on stderr."""
    click.echo(f"nkmap: warning: {one_line(message)}", err=True)


def one_line(what: object, limit: int = 300) -> str:
    """Return ``what`` (a message or an exception) as one line of at most ``limit``
    characters; an exception not of nkmap's own is prefixed with its type's name."""
    text = " ".join(str(what).split())
    if isinstance(what, BaseException) and not isinstance(what, NkmapError):
        text = f"{type(what).__name__}: {text}" if text else type(what).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def jobs_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--jobs N``: worker processes for extraction (default: every core)."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Extract with N processes [default: every core; 1: in this process].",
    )(f)


@contextlib.contextmanager
def progress_callback(label: str = "articles") -> Iterator[Callable[[Any], None] | None]:
    """Yield a callback for :class:`geo.pipeline.Pipeline`'s ``progress`` that drives a bar
    on stderr when it is a terminal (None when piped), and close the bar afterwards."""
    if not sys.stderr.isatty() or os.environ.get("NKMAP_NO_PROGRESS"):
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(desc=label, unit="file", file=sys.stderr, leave=False)

    def update(p: Any) -> None:
        bar.total = p.files_total
        bar.update(p.files_done - bar.n)

    try:
        yield update
    finally:
        bar.close()


def report_failures(failures: Iterable[Any]) -> None:
    """Print one warning line per failed input (``path: reason``)."""
    for failure in failures:
        warn(str(failure))


def load_inputs(
    inputs: Iterable[Any],
    *,
    jobs: int | None,
    columns: Sequence[str] | None = None,
    theme: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    require: Mapping[str, str] | None = None,
) -> tuple[EventsFrame, list[ReadFailure]]:
    """Return (events, failures) of a command's INPUTs (see :func:`geo.inputs.load_events`),
    each failure printed on one line; when every INPUT failed, print each as an error and
    exit with status 1 (there is nothing to draw or answer).  ``columns``, ``theme``
    (values of ``--theme``, which may be comma-separated), ``since`` and ``until`` let
    readers skip what is not needed; ``require`` maps the columns every events file must
    have to what needs them (a file without one fails as an input).
    """
    from geo.inputs import load_events

    inputs = list(inputs)
    themes = [t.strip() for item in theme or () for t in item.split(",") if t.strip()]
    failures: list[ReadFailure] = []
    with progress_callback() as bar:
        events = load_events(
            list(inputs),
            jobs=jobs,
            on_error="skip",
            failures=failures,
            columns=columns,
            themes=themes or None,
            since=since,
            until=until,
            require=require,
            progress=bar,
        )
    failed = {f.path for f in failures}
    if failures and all(str(i) in failed or str(Path(i)) in failed for i in inputs):
        for failure in failures:  # nothing could be read: nothing to draw or answer
            click.echo(f"nkmap: error: {failure}", err=True)
        raise SystemExit(1)
    report_failures(failures)
    return events, failures


def exit_if_failed(failures: Sequence[Any]) -> None:
    """Say how many inputs failed and exit with status 1, when any did."""
    if failures:
        click.echo(
            f"nkmap: {plural(len(failures), 'input')} failed; the others were processed", err=True
        )
        raise SystemExit(1)


def plural(n: int, word: str, many: str | None = None) -> str:
    """Return ``n`` and ``word`` in the right number: ``1 article``, ``2 articles``.

    >>> plural(1, "article"), plural(0, "event"), plural(3, "entry", "entries")
    ('1 article', '0 events', '3 entries')
    """
    return f"{n} {word if n == 1 else (many or word + 's')}"


def aligned(rows: list[list[str]], header: list[str] | None = None) -> str:
    """Return ``rows`` as a text table, every column padded to its widest cell (last not padded).

    Columns whose every cell reads as a number are right-aligned.

    >>> print(aligned([["a", "1"], ["bcd", "22"]], ["name", "n"]))
    name   n
    a      1
    bcd   22
    """
    table = ([header] if header else []) + rows
    if not table:
        return ""
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    numeric = [all(_numeric(r[i]) for r in rows) and bool(rows) for i in range(len(table[0]))]
    lines = []
    for row in table:
        cells = [
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _numeric(text: str) -> bool:
    """Return True when ``text`` reads as a number (``12``, ``0.80``, ``-3``)."""
    try:
        float(text)
    except ValueError:
        return False
    return True
