"""The one extraction pipeline: batches in order, every core, skips, errors, progress, CLI."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geo.article import ReadWarning
from geo.cli import main
from geo.pipeline import Pipeline, Progress, plan_chunks
from nkmap.errors import DataError, FileError


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Path:
    """The sample articles copied three times over into nested folders."""
    root = tmp_path_factory.mktemp("archive")
    for i in range(3):
        shutil.copytree(samples_dir, root / f"copy{i}" / "samples")
    return root


def _events(pipeline: Pipeline) -> list[Any]:
    return [e for batch in pipeline for e in batch.events]


def test_chunks_keep_read_order_and_bound_their_size(archive: Path) -> None:
    from geo.article import iter_article_files

    chunks, missing = plan_chunks([archive], chunk_files=5)
    assert missing == []
    assert [f for c in chunks for f in c] == [str(p) for p in iter_article_files([archive])]
    assert max(map(len, chunks)) == 5
    chunks, _ = plan_chunks([archive], chunk_bytes=1)
    assert all(len(c) == 1 for c in chunks)


def test_two_jobs_give_the_same_events_in_the_same_order(archive: Path) -> None:
    one = _events(Pipeline([archive], jobs=1, chunk_files=4, keep_text=False))
    two = _events(Pipeline([archive], jobs=2, chunk_files=4, keep_text=False))
    assert len(one) > 60
    assert one == two


def test_results_keep_text_and_mentions_only_when_asked(samples_dir: Path) -> None:
    (full,) = list(Pipeline([samples_dir / "09_kusong_factory_construction_2024.txt"], jobs=1))
    (lean,) = list(
        Pipeline([samples_dir / "09_kusong_factory_construction_2024.txt"], keep_text=False)
    )
    assert full.results[0].article.text and full.results[0].mentions
    assert lean.results[0].article.text == "" and lean.results[0].mentions == []
    assert lean.results[0].article.body == "" and lean.results[0].article.lines == ()
    assert lean.results[0].article.title == full.results[0].article.title
    assert full.events == lean.events


def test_skip_by_content_hash_and_unique(archive: Path, samples_dir: Path) -> None:
    first = Pipeline([samples_dir], jobs=1, keep_text=False)
    hashes = {r.article.content_hash for b in first for r in b.results}
    again = Pipeline([archive], jobs=2, chunk_files=4, skip=hashes).run()
    assert again.articles == 0 and again.events == 0
    assert again.skipped == 3 * len(hashes)
    unique = Pipeline([archive], jobs=2, chunk_files=4, unique=True).run()
    assert unique.articles == len(hashes)
    assert unique.skipped == 2 * len(hashes)
    assert unique.events == first.events


def _bad_folder(tmp_path: Path, samples_dir: Path) -> Path:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(samples_dir / "09_kusong_factory_construction_2024.txt", folder / "a.txt")
    (folder / "b_empty.txt").write_text("")
    (folder / "c_binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    return folder


def test_on_error_policies(tmp_path: Path, samples_dir: Path) -> None:
    folder = _bad_folder(tmp_path, samples_dir)
    missing = tmp_path / "missing.txt"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        skipped = Pipeline([folder, missing], jobs=1, on_error="skip").run()
    assert skipped.articles == 1 and skipped.events > 0
    assert sorted(Path(f.path).name for f in skipped.failures) == [
        "b_empty.txt",
        "c_binary.txt",
        "missing.txt",
    ]
    with pytest.warns(ReadWarning) as caught:
        Pipeline([folder], jobs=2, chunk_files=1, on_error="warn").run()
    assert len(caught) == 2
    with pytest.raises(DataError, match="b_empty.txt: empty file"):
        Pipeline([folder], jobs=2, chunk_files=1, on_error="raise").run()
    with pytest.raises(FileError, match="missing.txt"):
        Pipeline([missing], on_error="raise").run()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bad_lexicon_is_one_error_however_many_jobs(
    tmp_path: Path, archive: Path, jobs: int
) -> None:
    # With several jobs each worker process builds its extractor: the lexicon's error
    # still reaches the caller as itself, not as a broken pool.
    lexicon = tmp_path / "bad.json"
    lexicon.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="bad.json: not valid JSON"):
        Pipeline([archive], jobs=jobs, chunk_files=4, lexicon=lexicon).run()


def test_progress_reports_every_batch(archive: Path) -> None:
    seen: list[Progress] = []
    pipeline = Pipeline([archive], jobs=2, chunk_files=10, keep_text=False, progress=seen.append)
    pipeline.run()
    assert [p.files_done for p in seen] == sorted(p.files_done for p in seen)
    from geo.article import iter_article_files

    total = len(list(iter_article_files([archive])))
    assert seen[-1].files_done == seen[-1].files_total == total
    assert seen[-1].events == pipeline.events and seen[-1].articles == pipeline.articles


def test_cli_jobs_give_identical_files(tmp_path: Path, archive: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"events-{jobs}.csv"
        result = CliRunner().invoke(main, ["events", str(archive), "--jobs", jobs, "-o", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") > 60


def test_mentions_json_streams_one_array(samples_dir: Path) -> None:
    import json

    result = CliRunner().invoke(main, ["mentions", str(samples_dir), "--json", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert len(records) == 21
    for r in records:
        assert all(r["text"][m["start"] : m["end"]] == m["surface"] for m in r["mentions"])


@pytest.mark.parametrize("command", ["map", "query", "static", "summary", "events", "mentions"])
def test_every_command_names_each_unreadable_input_and_exits_1(
    tmp_path: Path, samples_dir: Path, command: str
) -> None:
    folder = _bad_folder(tmp_path, samples_dir)
    corrupt = tmp_path / "corrupt.geojson"
    corrupt.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    args = [command, str(folder), str(corrupt)]
    if command == "map":
        args += ["-o", str(tmp_path / "m.html")]
    elif command == "static":
        args += ["-o", str(tmp_path / "m.png")]
    if command in ("events", "mentions"):
        args.remove(str(corrupt))  # these read articles only
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    named = [line for line in lines if line.startswith("nkmap: warning: ") and ": " in line[16:]]
    expected = {"b_empty.txt", "c_binary.txt"}
    if str(corrupt) in args:
        expected.add("corrupt.geojson")
    assert {Path(line[16:].split(": ")[0]).name for line in named} >= expected
    assert f"nkmap: {len(expected)} inputs failed; the others were processed" in lines
    assert "Warning" not in result.stderr  # no raw Python warning
    if command == "map":
        assert (tmp_path / "m.html").stat().st_size > 10_000
    if command == "static":
        assert (tmp_path / "m.png").stat().st_size > 10_000


def test_the_last_chunks_of_a_run_on_several_jobs_are_cut_finer_in_order():
    from geo.pipeline import _finer_tail

    chunks = [list("abcde"), list("fg"), list("hijklmnop")]
    finer = _finer_tail(chunks, 2)
    assert [f for chunk in finer for f in chunk] == list("abcdefghijklmnop")  # order kept
    assert finer[0] == list("abcde")  # the head as planned
    assert len(finer) == 1 + 2 + 3 and max(map(len, finer[1:])) <= 3
    assert _finer_tail([], 2) == [] and _finer_tail([["a"]], 2) == [["a"]]


def _plain_plan(files: list[str], chunk_bytes: int, chunk_files: int, min_chunks: int) -> list:
    """The plan as it was made before it streamed: every file listed and sized first."""
    sizes = [Path(f).stat().st_size for f in files]
    target = max(1, min(chunk_bytes, sum(sizes) // max(1, min_chunks)))
    limit = max(1, min(chunk_files, -(-len(files) // max(1, min_chunks))))
    chunks: list[list[str]] = []
    current: list[str] = []
    size = 0
    for path, n in zip(files, sizes, strict=True):
        size += n
        current.append(path)
        if size >= target or len(current) >= limit:
            chunks.append(current)
            current, size = [], 0
    return chunks + [current] if current else chunks


def test_a_small_input_is_split_as_evenly_as_before(archive: Path) -> None:
    from geo.article import iter_article_files

    files = [str(p) for p in iter_article_files([archive])]
    total = sum(Path(f).stat().st_size for f in files)
    for chunk_bytes, chunk_files, min_chunks in [
        (1_000_000, 256, 1),
        (1_000_000, 256, 32),
        (1_000_000, 4, 4),
        (total // 3, 256, 2),
        (1, 256, 1),
    ]:
        chunks, _ = plan_chunks(
            [archive], chunk_bytes=chunk_bytes, chunk_files=chunk_files, min_chunks=min_chunks
        )
        assert chunks == _plain_plan(files, chunk_bytes, chunk_files, min_chunks)


def test_a_large_input_is_planned_as_it_is_listed(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from geo.article import iter_article_files
    from geo.pipeline import iter_chunks

    files = [str(p) for p in iter_article_files([archive])]
    read: list[str] = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda p: read.append(os.fspath(p)) or scandir(p))
    plan = iter_chunks([archive], chunk_files=3, min_chunks=2, finer_tail=2)
    first = next(plan)
    assert first == files[:3]
    assert not any("copy1" in p for p in read)  # the later copies not yet listed
    rest = [first, *plan]
    assert [f for c in rest for f in c] == files
    assert all(len(c) == 3 for c in rest[:-8])
    assert all(len(c) == 1 for c in rest[-6:])  # the last two chunks of three, cut in four


def test_listing_failures_come_as_batches_of_their_own(tmp_path: Path, samples_dir: Path) -> None:
    folder = _bad_folder(tmp_path, samples_dir)
    (folder / "sub").mkdir()
    (folder / "sub" / "z.txt").symlink_to("nowhere.txt")
    batches = list(Pipeline([tmp_path / "missing.txt", folder], jobs=1, on_error="skip"))
    assert [b.files for b in batches] == [0, 3]
    assert [Path(f.path).name for f in batches[0].failures] == ["missing.txt", "z.txt"]
    assert [Path(f.path).name for f in batches[1].failures] == ["b_empty.txt", "c_binary.txt"]
