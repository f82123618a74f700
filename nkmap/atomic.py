"""Atomic file output: write to a temporary file beside the target, then rename over it.

A temporary file is named ``.<target name>.nkmap-tmp-<pid>-<random><extension>``, so that
a run killed mid-write leaves a file the next write to the same folder recognises: one whose
process is gone (or that is over a day old) is removed then.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from nkmap.errors import FileError

#: What marks nkmap's temporary files (after the hidden target name).
TEMP_MARK = ".nkmap-tmp-"
_TEMP_NAME = re.compile(r"^\..+" + re.escape(TEMP_MARK) + r"(?P<pid>\d+)-")
#: A temporary file older than this is stale even if its process id is in use again.
STALE_SECONDS = 24 * 3600


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files that killed nkmap runs left in ``folder``; return them.

    A temporary file is stale when the process that made it is gone or it is older than
    :data:`STALE_SECONDS`; files of running writers are left alone.  Raises nothing.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        m = _TEMP_NAME.match(entry.name)
        if m is None:
            continue
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            if old or not _alive(int(m.group("pid"))):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it over ``target``.

    The temporary file keeps the target's extension so that writers choosing a
    format by extension (GDAL, matplotlib) still work.  On any exception the
    temporary file is removed and ``target`` is left as it was; temporary files
    that killed runs left in the folder are removed first.

    Raises:
        FileError: the target's folder does not exist or cannot be written.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileError(f"{target}: folder {folder} does not exist")
    remove_stale_temporaries(folder)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name[:80]}{TEMP_MARK}{os.getpid()}-",
            suffix=target.suffix[:20],
            dir=folder,
        )
    except OSError as exc:
        raise FileError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # some writers (GDAL) refuse to overwrite; they get a fresh name
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        for leftover in (tmp, *tmp.parent.glob(glob_escape(tmp.name) + "-*")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise


def glob_escape(name: str) -> str:
    """Return ``name`` with glob's special characters made literal."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def write_text(target: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``target`` atomically.

    Raises:
        FileError: the target cannot be written.
    """
    with atomic_path(target) as tmp:
        try:
            tmp.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise FileError(f"{target}: cannot write: {exc.strerror or exc}") from exc
