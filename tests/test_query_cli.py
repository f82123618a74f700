"""``nkmap query`` and ``nkmap summary`` as a user runs them: output, files, exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from geo.cli import main
from geo.inputs import read_events_file
from nkmap.themes import CATEGORIES


@pytest.fixture(scope="module")
def events_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench.synthetic import make_events

    path = tmp_path_factory.mktemp("query") / "events.geojson"
    events = make_events(400, seed=11)
    events["date"] = events["date"].dt.strftime("%Y-%m-%d")
    path.write_text(events.to_json(drop_id=True), encoding="utf-8")
    return path


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_query_prints_a_table(events_file: Path) -> None:
    result = run("query", str(events_file), "--near-border", "20", "--since", "2024")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "date",
        "theme",
        "place",
        "admin1",
        "precision",
        "distance_km",
        "corridor",
        "evidence",
    ]
    count = int(lines[-1].split()[0])
    assert count == len(lines) - 2 > 0
    assert all(line[:4] in ("2024", "2025", "2026") for line in lines[1:-1])
    dates = [line[:10] for line in lines[1:-1]]
    assert dates == sorted(dates)
    assert not any("Pyongyang" in line for line in lines[1:-1])


def test_query_json(events_file: Path) -> None:
    result = run("query", str(events_file), "--near", "Hyesan", "--km", "12", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows
    assert all(0 <= r["distance_km"] <= 12 for r in rows)
    assert {r["place"] for r in rows} <= {"Hyesan", "Changbai", "Ryanggang"}
    assert all(isinstance(r["lat"], float) and r["date"][:2] == "20" for r in rows)


@pytest.mark.parametrize("suffix", [".csv", ".geojson", ".gpkg"])
def test_query_writes_files_by_extension(events_file: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"near{suffix}"
    result = run(
        "query", str(events_file), "--near-border", "10", "--theme", "trade", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    written = read_events_file(out)
    assert len(written) > 0
    assert f"{len(written)} events written to {out}" in result.stderr
    assert (written["distance_km"] <= 10).all()
    assert set(written["theme"]) == {"trade"}
    assert {"corridor", "crossing"} <= set(written.columns)


def test_query_without_filters_lists_every_event(events_file: Path) -> None:
    result = run("query", str(events_file))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "400 events"


def test_summary_by_each_key(events_file: Path) -> None:
    for by in ("corridor", "province", "theme", "category", "month"):
        result = run("summary", str(events_file), "--by", by, "--json")
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert sum(r["events"] for r in rows) == 400
        assert all(set(r) == {by, "events"} for r in rows)
        if by == "category":  # the strands of the border economy, none unknown
            assert {r["category"] for r in rows} <= set(CATEGORIES)
    text = run("summary", str(events_file), "--near-border", "20", "--by", "corridor").stdout
    assert text.splitlines()[0].split() == ["corridor", "events"]
    assert "Dandong–Sinuiju" in text
    total = int(text.splitlines()[-1].split()[-1])
    assert total == sum(int(line.split()[-1]) for line in text.splitlines()[1:-1])


def test_summary_of_a_filtered_period(events_file: Path) -> None:
    rows = json.loads(
        run(
            "summary",
            str(events_file),
            "--since",
            "2024-03",
            "--until",
            "2024-05",
            "--by",
            "month",
            "--json",
        ).stdout
    )
    assert [r["month"] for r in rows] == ["2024-03", "2024-04", "2024-05"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--near-border", "-5"], 2, "--near-border must be a non-negative number of km, not -5.0"),
        (
            ["--near", "Sinuiju", "--km", "-1"],
            2,
            "--km must be a non-negative number of km, not -1.0",
        ),
        (["--near", "Xyzzyville"], 2, "unknown place 'Xyzzyville'"),
        (["--province", "Atlantis"], 2, "unknown province 'Atlantis' (DPRK provinces: Pyongyang"),
        (["--since", "2024-31-01"], 2, "malformed date '2024-31-01': no such day"),
        (
            ["--until", "last week"],
            2,
            "malformed date 'last week' (use YYYY-MM-DD, YYYY-MM or YYYY)",
        ),
        (["--km", "5"], 2, "--km needs --near PLACE"),
    ],
)
def test_bad_input_gives_one_line(
    events_file: Path, args: list[str], code: int, message: str
) -> None:
    result = run("query", str(events_file), *args)
    assert result.exit_code == code
    assert result.stderr.startswith(f"nkmap: error: {message}")
    assert result.stderr.count("\n") == 1


def test_empty_file_is_a_data_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.geojson"
    empty.write_text("", encoding="utf-8")
    for command in ("query", "summary"):
        result = run(command, str(empty))
        assert result.exit_code == 1
        assert result.stderr == f"nkmap: error: {empty}: the file is empty\n"


def test_unknown_theme_warns(events_file: Path) -> None:
    result = run("query", str(events_file), "--theme", "tarde")
    assert result.exit_code == 0
    assert "nkmap: warning: theme 'tarde' is not one of factory, security," in result.stderr
    assert result.stdout.splitlines()[-1] == "0 events"


@pytest.mark.parametrize("command", ["query", "summary"])
def test_help_ends_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    _, _, example = result.stdout.partition("Example:")
    assert example.strip().startswith(f"nkmap {command} ")


def test_filter_options_feed_the_map_commands() -> None:
    from geo.cli.filters import FILTER_OPTIONS, apply_filters

    frame = pd.DataFrame({"x": [1]})
    assert apply_filters(frame, output="x.html", border="any") is frame  # no filter: unchanged
    for command in ("query", "summary"):
        names = {p.name for p in main.commands[command].params}
        assert set(FILTER_OPTIONS) <= names


def test_spatial_filters_on_another_command(events_file: Path) -> None:
    from geo.cli.filters import apply_filters, spatial_filters

    @click.command()
    @click.argument("path")
    @click.option("--since")
    @spatial_filters
    def draw(path: str, since: str | None, **filters: Any) -> None:
        events = apply_filters(read_events_file(path), since=since, **filters)
        click.echo(f"{len(events)} {events['distance_km'].max():.1f}")

    result = CliRunner().invoke(draw, [str(events_file), "--near-border", "5", "--since", "2020"])
    assert result.exit_code == 0, result.output
    count, farthest = result.stdout.split()
    assert int(count) > 0 and float(farthest) <= 5
    assert "--theme" not in CliRunner().invoke(draw, ["--help"]).stdout
