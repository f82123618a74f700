"""``nkmap events --scheduler`` on a real Dask LocalCluster, and the dataset it writes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geo.cli import main

distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A LocalCluster of two worker processes, one thread each."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("archive")
    for i in range(4):
        shutil.copytree(samples_dir, root / f"batch{i}")
    (root / "batch0" / "broken.txt").write_bytes(b"\x00\x01binary\x00")
    return root


@pytest.fixture(scope="module")
def datasets(
    cluster: Any, archive: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """(the cluster's dataset folder, the --jobs 1 GeoParquet file) of the same archive."""
    import geo.cluster

    out = tmp_path_factory.mktemp("out")
    folder, single = out / "events.parquet", out / "single.parquet"
    small = geo.cluster.TASK_FILES
    geo.cluster.TASK_FILES = 10  # several parts from a small archive
    try:
        result = CliRunner().invoke(
            main,
            ["events", str(archive), "--scheduler", cluster.scheduler_address, "-o", str(folder)],
        )
    finally:
        geo.cluster.TASK_FILES = small
    assert result.exit_code == 1, result.output  # the broken file
    assert "broken.txt" in result.stderr and "on 2 workers" in result.stderr
    result = CliRunner().invoke(main, ["events", str(archive), "--jobs", "1", "-o", str(single)])
    assert result.exit_code == 1, result.output
    return folder, single


def test_cluster_gives_the_events_of_one_job(datasets: tuple[Path, Path]) -> None:
    from geo.inputs import read_events_file

    folder, single = datasets
    assert folder.is_dir() and len(list(folder.glob("part.*.parquet"))) >= 6
    assert not list(folder.parent.glob(".events.parquet.tmp-*"))
    got, expected = read_events_file(folder), read_events_file(single)
    assert len(got) > 100
    assert got.drop(columns="geometry").equals(expected.drop(columns="geometry"))
    assert got.geometry.equals(expected.geometry)


def test_dataset_reads_in_dask_geopandas_and_duckdb(datasets: tuple[Path, Path]) -> None:
    dask_geopandas = pytest.importorskip("dask_geopandas")
    duckdb = pytest.importorskip("duckdb")
    folder, single = datasets
    frame = dask_geopandas.read_parquet(folder)
    assert frame.npartitions >= 6
    computed = frame.compute()
    assert str(computed.crs.to_epsg()) == "4326" and len(computed) > 100
    ((n, first),) = duckdb.sql(
        f"SELECT count(*), min(date) FROM read_parquet('{folder}/*.parquet')"
    ).fetchall()
    assert n == len(computed) and first.year >= 2017


def test_query_answers_from_the_dataset(datasets: tuple[Path, Path]) -> None:
    folder, single = datasets
    answers = []
    for source in (f"{folder}/", str(single)):
        result = CliRunner().invoke(main, ["query", source, "--near-border", "20", "--json"])
        assert result.exit_code == 0, result.output
        answers.append(result.stdout)
    assert answers[0] == answers[1] and answers[0].count('"event_id"') > 20
    args = ["summary", f"{folder}/", "--by", "theme", "--since", "2024"]
    summary = CliRunner().invoke(main, args)
    assert summary.exit_code == 0, summary.output
    assert "total" in summary.stdout


def test_dataset_reader_skips_columns_and_rows_not_needed(datasets: tuple[Path, Path]) -> None:
    from geo.inputs import read_events_file

    folder, _ = datasets
    full = read_events_file(folder)
    some = read_events_file(folder, columns=["theme", "date"], themes=["TRADE"], since="2024")
    assert list(some.columns) == ["theme", "date", "geometry"]
    wanted = full[(full["theme"] == "trade") & (full["date"] >= "2024-01-01")]
    assert len(some) == len(wanted) > 0


def test_scheduler_needs_a_dataset_name(tmp_path: Path, samples_dir: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["events", str(samples_dir), "--scheduler", "tcp://127.0.0.1:1", "-o", "x.geojson"],
    )
    assert result.exit_code == 2
    assert "give -o NAME.parquet" in result.output


def test_parts_are_sent_as_the_listing_makes_them(
    cluster: Any,
    archive: Path,
    datasets: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A part a file: more parts than are sent at once (a few per worker), and a missing
    # path: the same events as one job, the listing's failure first.
    import geo.cluster
    from geo.inputs import read_events_file

    monkeypatch.setattr(geo.cluster, "TASK_FILES", 1)
    out = tmp_path / "parts.parquet"
    run = geo.cluster.extract_to_dataset(
        [tmp_path / "missing.txt", archive], out, scheduler=cluster.scheduler_address
    )
    assert run.parts == len(list(out.glob("part.*.parquet"))) > 2 * geo.cluster.IN_FLIGHT * 2
    assert Path(run.failures[0].path).name == "missing.txt"
    assert "broken.txt" in run.failures[1].path
    got, expected = read_events_file(out), read_events_file(datasets[1])
    assert got.drop(columns="geometry").equals(expected.drop(columns="geometry"))
