"""The store in a real PostgreSQL + PostGIS server, started for these tests.

The server comes from Debian's packages (``scripts/setup-tests.sh`` installs them) and is
started in a temporary folder, listening on a Unix socket only.  Outside CI, when it
cannot be started, the tests skip saying why; in CI they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import main

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (nkmap[postgis])")


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """The URL of a fresh PostGIS database."""
    from bench.postgres_server import start

    try:
        server = start()
    except RuntimeError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a PostGIS server: {exc}")
        pytest.skip(f"no PostGIS server could be started: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


def _reset(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS events, nkmap_articles, layer_styles")


def _ingest(paths: list[Path], db: str) -> str:
    result = CliRunner().invoke(main, ["ingest", *map(str, paths), "--db", db])
    assert result.exit_code == 0, result.output
    return result.output


def test_ingest_creates_the_schema_and_indexes(database: str, samples_dir: Path) -> None:
    _reset(database)
    out = _ingest([samples_dir], database)
    assert "ingested 21 new articles" in out
    with psycopg.connect(database) as con:
        types = dict(
            con.execute(
                "SELECT column_name, udt_name FROM information_schema.columns "
                "WHERE table_name = 'events'"
            ).fetchall()
        )
        geometry = con.execute(
            "SELECT type, srid FROM geometry_columns WHERE f_table_name = 'events'"
        ).fetchone()
        indexes = dict(
            con.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events'")
        )
        (n_articles,) = con.execute("SELECT count(*) FROM nkmap_articles").fetchone()
        style = con.execute(
            "SELECT f_table_name, f_geometry_column, useasdefault, styleqml::text FROM layer_styles"
        ).fetchall()
    assert types["date"] == "date" and types["evidence_start"] == "int8"
    assert geometry == ("POINT", 4326)
    assert any("USING gist (geometry)" in d for d in indexes.values())
    assert any("(article_id)" in d for d in indexes.values())
    assert n_articles == 21
    assert [(t, g, d) for t, g, d, _ in style] == [("events", "geometry", True)]
    assert 'attr="theme"' in style[0][3]


def test_ingest_again_skips_and_appends(database: str, samples_dir: Path, tmp_path: Path) -> None:
    _reset(database)
    first = tmp_path / "first"
    first.mkdir()
    for path in sorted(samples_dir.glob("0*.txt")):
        (first / path.name).write_bytes(path.read_bytes())
    _ingest([first], database)
    with psycopg.connect(database) as con:
        before = con.execute("SELECT fid, event_id FROM events ORDER BY fid").fetchall()
    out = _ingest([samples_dir], database)
    assert f"{len(list(first.iterdir()))} were already there" in out
    with psycopg.connect(database) as con:
        after = con.execute("SELECT fid, event_id FROM events ORDER BY fid").fetchall()
    assert after[: len(before)] == before and len(after) > len(before)
    assert "ingested 0 new articles" in _ingest([samples_dir], database)


def test_query_and_map_read_from_the_database(
    database: str, samples_dir: Path, tmp_path: Path
) -> None:
    _reset(database)
    _ingest([samples_dir], database)
    gpkg = tmp_path / "store.gpkg"
    _ingest([samples_dir], str(gpkg))
    answers = []
    for store in (database, str(gpkg)):
        result = CliRunner().invoke(main, ["query", store, "--near-border", "20", "--json"])
        assert result.exit_code == 0, result.output
        answers.append(result.stdout)
    assert answers[0] == answers[1] and answers[0].count('"event_id"') > 5
    html = tmp_path / "m.html"
    result = CliRunner().invoke(main, ["map", database, "-o", str(html), "--offline"])
    assert result.exit_code == 0, result.output
    assert html.stat().st_size > 10_000


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    url = f"postgresql://nobody:secret@/none?host={tmp_path}"
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", url])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    redacted = f"postgresql://nobody@/none?host={tmp_path}"
    assert line.startswith(f"nkmap: error: {redacted}: cannot connect")
    assert "secret" not in line


def test_reading_a_database_without_a_store_creates_nothing(database: str) -> None:
    _reset(database)
    result = CliRunner().invoke(main, ["query", database])
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("not an nkmap store (no 'events' and 'nkmap_articles')")
    with psycopg.connect(database) as con:
        (n,) = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'events'"
        ).fetchone()
    assert n == 0
