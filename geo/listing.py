"""Which files a run reads: article files and folders as given, walked, in read order.

A folder is walked as the run goes (:func:`list_paths`), keeping the extensions in
:data:`ARTICLE_SUFFIXES` and skipping what is not an article (hidden files, a folder's own
README, a sidecar beside its article); whatever cannot be read is a :class:`ReadFailure`.
Nothing here reads a file's content (:mod:`geo.article` does), so a process that only lists
(the parent of a run on several cores) loads none of the readers' rules.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ARTICLE_SUFFIXES",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "JSON_SUFFIXES",
    "TEXT_SUFFIXES",
    "ReadFailure",
    "ReadWarning",
    "expand_paths",
    "iter_article_files",
    "list_paths",
]

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
#: Extensions read when a folder is expanded.
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES + JSONL_SUFFIXES


@dataclass(frozen=True)
class ReadFailure:
    """A file (or one record of it) that could not be read, and why, in one line."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class ReadWarning(UserWarning):
    """Issued once per unreadable file by ``read_articles(on_error="warn")``."""


# ---------------------------------------------------------------------------------------------
# Files and folders
# ---------------------------------------------------------------------------------------------


#: Files a folder walk leaves out: the folder's own documentation, not articles.
_FOLDER_DOCS = re.compile(r"^(?:readme|license|licence|changelog|contributing)\b", re.IGNORECASE)


def _is_sidecar(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    return any(
        path.with_suffix(s).exists() for s in (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".TXT", ".HTML")
    )


def _not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (a loop, a pipe, a device...), or None if it can.

    Follows symbolic links; a link that leads nowhere or back to itself is named as such.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop (the link leads back to itself)"
        if os.path.islink(path):
            try:
                return f"broken symbolic link (points to {os.readlink(path)})"
            except OSError:
                return "broken symbolic link"
        if isinstance(exc, FileNotFoundError):
            return "no such file or folder"
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    return "not a regular file"


def _suffix(name: str) -> str:
    """Return the extension of the file ``name``, as :attr:`pathlib.PurePath.suffix` does."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _child(folder: str, name: str) -> str:
    """Return the path of ``name`` in ``folder`` (a path as :class:`~pathlib.Path` writes
    it) as ``Path(folder) / name`` writes it, without making a Path."""
    if folder == ".":
        return name
    return folder + name if folder.endswith(os.sep) else folder + os.sep + name


def _walk_stream(folder: Path) -> Iterator[str | ReadFailure]:
    """Yield the article files under ``folder`` in path order (as ``sorted`` orders their
    paths), and each unreadable entry as a failure, as the walk meets them.

    Symbolic links to folders are followed, each folder once: a link leading back to a folder
    that contains it is a failure ("symlink loop"), not an endless walk.  Folders are read
    top-down; a folder's failures (its sub-folders', then its files') come before its files,
    and before those of its sub-folders.  A folder's entry says whether it is a regular file,
    so most files need no stat.  Nothing but the folder being read is held: a walk of a
    million files takes no more memory than a walk of ten.
    """
    seen = {os.path.realpath(folder)}

    def visit(root: str) -> Iterator[str | ReadFailure]:
        dirs: list[str] = []
        names: list[tuple[str, bool]] = []  # (name, a regular file, known from the entry)
        try:
            with os.scandir(root) as listing:
                for entry in listing:  # (names kept, not entries: a folder may hold millions)
                    try:  # (following a link: its target's type, stated once for both)
                        is_dir = entry.is_dir()
                        regular = not is_dir and entry.is_file()
                    except OSError:
                        is_dir = regular = False
                    if is_dir:
                        dirs.append(entry.name)
                    else:
                        names.append((entry.name, regular))
        except OSError as exc:
            where = str(exc.filename or root)
            yield ReadFailure(where, f"cannot read folder: {exc.strerror or exc}")
            return
        keep = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            sub = os.path.join(root, d)
            real = os.path.realpath(sub)
            if real in seen:
                here = os.path.realpath(root)
                if here == real or here.startswith(real.rstrip(os.sep) + os.sep):
                    yield ReadFailure(sub, f"symlink loop (leads back to {real})")
                continue  # else another link to a folder already read: its files are in
            seen.add(real)
            keep.append(d)
        base = str(Path(root))
        names.sort()
        good = []
        for name, regular in names:
            suffix = _suffix(name).lower()
            if name.startswith(".") or _FOLDER_DOCS.match(name) or suffix not in ARTICLE_SUFFIXES:
                continue  # told from the name alone, before a path is made for it
            child = _child(base, name)
            why = None if regular else _not_a_file(Path(child))
            if why is not None:
                yield ReadFailure(child, why)
            elif suffix != ".json" or not _is_sidecar(Path(child)):
                good.append(name)
        del names
        # In path order: each sub-folder's files where its name sorts among the files'.
        i = 0
        for d in keep:
            while i < len(good) and good[i] < d:
                yield _child(base, good[i])
                i += 1
            yield from visit(os.path.join(root, d))
        for name in good[i:]:
            yield _child(base, name)

    yield from visit(os.fspath(folder))


def _walk(folder: Path, failures: list[ReadFailure]) -> list[Path]:
    """Return the article files under ``folder`` in path order; each unreadable entry is
    appended to ``failures`` (see :func:`_walk_stream`)."""
    found = []
    for item in _walk_stream(folder):
        if isinstance(item, str):
            found.append(Path(item))
        else:
            failures.append(item)
    return found


def _drop_named_sidecars(files: list[Path]) -> list[Path]:
    """Return ``files`` without each ``.json`` file whose article (the same name as text or
    HTML) is among them: a sidecar named beside its own article is read with it."""
    if not any(_suffix(f.name).lower() == ".json" for f in files):
        return files
    chosen = {os.path.realpath(f) for f in files}
    return [
        f
        for f in files
        if f.suffix.lower() != ".json"
        or not any(
            os.path.realpath(f.with_suffix(s)) in chosen for s in (*TEXT_SUFFIXES, *HTML_SUFFIXES)
        )
    ]


def expand_paths(
    paths: Iterable[str | os.PathLike[str]],
) -> tuple[list[Path], list[ReadFailure]]:
    """Return the article files that ``paths`` stand for, and the entries that cannot be read.

    Folders are walked recursively (see :func:`iter_article_files` for what is kept).  A
    failure names a path that does not exist, an unreadable sub-folder, a symbolic link that
    loops or leads nowhere, or a named pipe, device or socket.  Raises nothing.
    """
    files: list[Path] = []
    failures: list[ReadFailure] = []
    for raw in paths:
        path = Path(raw)
        why = _not_a_file(path)
        if why is not None:
            failures.append(ReadFailure(str(path), why))
        elif path.is_dir():
            files.extend(_walk(path, failures))
        else:
            files.append(path)
    return _drop_named_sidecars(files), failures


def list_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str | ReadFailure]:
    """Yield what :func:`expand_paths` returns, as the walk finds it: each article file's path
    (a string, as ``str`` writes the Path) and each failure, in order.  Only the names in the
    folders being read are held, so listing a million files takes no more memory than the
    largest folder's names.

    The failures of the paths as given come first; a folder's failures come before its files.
    A ``.json`` file named as well as a folder is checked against every file listed (it may be
    a sidecar of one), so then the listing is made whole first.  Raises nothing.
    """
    given = [Path(raw) for raw in paths]
    reasons = [_not_a_file(path) for path in given]
    for path, why in zip(given, reasons, strict=True):
        if why is not None:
            yield ReadFailure(str(path), why)
    readable = [path for path, why in zip(given, reasons, strict=True) if why is None]
    folders = [path.is_dir() for path in readable]
    named = [path for path, folder in zip(readable, folders, strict=True) if not folder]
    if any(folders) and any(_suffix(p.name).lower() == ".json" for p in named):
        files, failures = expand_paths(readable)
        yield from failures
        yield from map(str, files)
        return
    kept = {id(p) for p in _drop_named_sidecars(named)}
    for path, folder in zip(readable, folders, strict=True):
        if folder:
            yield from _walk_stream(path)
        elif id(path) in kept:
            yield str(path)


def iter_article_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield the article files that ``paths`` (files and folders) stand for, in read order.

    Folders are walked recursively, each folder's files sorted, keeping the extensions in
    :data:`ARTICLE_SUFFIXES`, skipping hidden files and folders, a folder's README/LICENSE
    files, and the sidecar ``name.json`` that sits beside a ``name.txt`` (or ``.html``).  A
    file named explicitly is always kept; a path that cannot be read (missing, a symlink
    loop, a pipe...) is skipped (:func:`expand_paths` and :func:`read_articles` report it).
    Raises nothing.
    """
    files, _ = expand_paths(paths)
    yield from files
