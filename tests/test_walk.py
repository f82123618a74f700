"""The folder walk (:func:`geo.listing.expand_paths`) against the plain walk it replaced:
``os.walk`` with a ``stat`` of every file.  The fast one reads each entry's type from its
folder's listing and stats only what is not a regular file; both must list the same files
and the same failures, in the same order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo import listing
from geo.listing import ARTICLE_SUFFIXES, ReadFailure, expand_paths


def _plain_walk(folder: Path, failures: list[ReadFailure]) -> list[Path]:
    found: list[Path] = []
    seen = {os.path.realpath(folder)}

    def unreadable(exc: OSError) -> None:
        failures.append(
            ReadFailure(str(exc.filename or folder), f"cannot read folder: {exc.strerror or exc}")
        )

    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        keep = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            sub = os.path.join(root, d)
            real = os.path.realpath(sub)
            if real in seen:
                here = os.path.realpath(root)
                if here == real or here.startswith(real.rstrip(os.sep) + os.sep):
                    failures.append(ReadFailure(sub, f"symlink loop (leads back to {real})"))
                continue
            seen.add(real)
            keep.append(d)
        dirs[:] = keep
        for name in sorted(names):
            if (
                name.startswith(".")
                or listing._FOLDER_DOCS.match(name)
                or Path(name).suffix.lower() not in ARTICLE_SUFFIXES
            ):
                continue
            child = Path(root) / name
            why = listing._not_a_file(child)
            if why is not None:
                failures.append(ReadFailure(str(child), why))
            elif not listing._is_sidecar(child):
                found.append(child)
    return sorted(found)


def _tree(root: Path) -> Path:
    """A folder of every kind of entry a walk meets."""
    for rel in ("z.txt", "a.txt", "m/b.txt", "m/n/c.html", "m-x/d.txt", "b/e.json", "b/e.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("Trade resumed in Sinuiju.", "utf-8")
    (root / "side.json").write_text("{}", "utf-8")  # a JSON article: no .txt beside it
    (root / ".hidden.txt").write_text("x", "utf-8")
    (root / ".dot").mkdir()
    (root / ".dot" / "f.txt").write_text("x", "utf-8")
    (root / "README.txt").write_text("x", "utf-8")
    (root / "notes.csv").write_text("x", "utf-8")
    os.mkfifo(root / "pipe.txt")
    os.symlink("/dev/null", root / "device.txt")
    os.symlink("nowhere.txt", root / "broken.txt")
    os.symlink("self.txt", root / "self.txt")
    os.symlink("a.txt", root / "link.txt")  # a link to a file: a file
    os.symlink("m", root / "alias")  # a second way into m: read once
    os.symlink("..", root / "m" / "up")  # back to a folder holding it: a loop
    os.symlink("nowhere", root / "m" / "gone")  # a broken link among folders
    return root


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")
def test_the_walk_lists_what_the_plain_walk_lists(tmp_path: Path) -> None:
    root = _tree(tmp_path / "archive")
    failures: list[ReadFailure] = []
    plain = _plain_walk(root, failures)
    files, got = expand_paths([root])
    assert files == plain
    assert got == failures
    assert {Path(f.path).name for f in got} >= {"pipe.txt", "device.txt", "broken.txt", "up"}
    # in path order, a sub-folder's files among the folder's own ("b/e.txt" before "z.txt")
    assert (
        files.index(root / "a.txt")
        < files.index(root / "b" / "e.txt")
        < files.index(root / "z.txt")
    )


def test_an_unlistable_folder_is_one_failure(tmp_path: Path) -> None:
    failures: list[ReadFailure] = []
    plain = _plain_walk(tmp_path / "missing", failures)
    assert plain == listing._walk(tmp_path / "missing", got := []) == []
    assert got == failures and len(got) == 1
    assert got[0].reason.startswith("cannot read folder")


def _streamed(paths: list[Path | str]) -> tuple[list[str], list[ReadFailure]]:
    items = list(listing.list_paths(paths))
    return [i for i in items if isinstance(i, str)], [i for i in items if not isinstance(i, str)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")
def test_the_streamed_listing_is_the_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path / "archive")
    cases: list[list[Path | str]] = [
        [root],
        [root / "m", root],  # a folder twice over, through a sub-folder first
        [root, root / "a.txt", tmp_path / "missing.txt"],
        [root / "b" / "e.json", root / "b" / "e.txt"],  # a sidecar named beside its article
        [root / "b" / "e.json", root],  # ... and beside the folder holding its article
        [root / "side.json", root / "pipe.txt"],
    ]
    for paths in cases:
        files, failures = expand_paths(paths)
        got_files, got_failures = _streamed(paths)
        assert got_files == [str(f) for f in files], paths
        # the same failures; those of the paths as given first
        assert sorted(got_failures, key=str) == sorted(failures, key=str), paths
        given = [f for f in failures if Path(f.path) in map(Path, paths)]
        assert got_failures[: len(given)] == given, paths
    monkeypatch.chdir(root)  # paths as a walk of "." writes them
    files, failures = expand_paths(["."])
    assert _streamed(["."]) == ([str(f) for f in files], failures)
    assert "a.txt" in _streamed(["."])[0]


def test_the_listing_reads_a_folder_only_when_it_gets_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for rel in ("a/1.txt", "b/2.txt", "c/3.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("Trade resumed in Sinuiju.", "utf-8")
    read: list[str] = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda p: read.append(os.fspath(p)) or scandir(p))
    walk = listing.list_paths([tmp_path])
    assert next(walk) == str(tmp_path / "a" / "1.txt")
    assert [Path(p).name for p in read] == [tmp_path.name, "a"]  # b and c not yet listed
    assert list(walk) == [str(tmp_path / "b" / "2.txt"), str(tmp_path / "c" / "3.txt")]
