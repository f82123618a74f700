"""The CLI as a user runs it: exit codes, one-line errors, help with examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from geo.cli import main


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        out.append((prefix + name, cmd))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, prefix + name + " ")
    return out


@pytest.mark.parametrize(("name", "command"), _commands(main), ids=lambda x: str(x))
def test_every_command_has_help_ending_with_an_example(name: str, command: click.Command) -> None:
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output and "nkmap " in result.output.split("Example")[-1]


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys; from geo.cli import main; "
        "print(sorted(m for m in ('geopandas','folium','matplotlib','pandas','shapely') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_resolve_prints_ranked_candidates_as_json() -> None:
    result = CliRunner().invoke(main, ["resolve", "Sinŭiju", "혜산", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["Sinŭiju"][0]["name"] == "Sinuiju"
    assert data["혜산"][0]["name"] == "Hyesan"
    assert {"lat", "lon", "score", "matched_by", "admin1", "kind"} <= set(data["Sinŭiju"][0])


def test_resolve_unknown_name_exits_1_and_says_so() -> None:
    result = CliRunner().invoke(main, ["resolve", "Xyzzyville"])
    assert result.exit_code == 1
    assert "no confident match for 'Xyzzyville'" in result.output


def test_resolve_negative_distance_is_a_usage_error() -> None:
    result = CliRunner().invoke(
        main, ["resolve", "Changbai", "--near", "Hyesan", "--within-km", "-5"]
    )
    assert result.exit_code == 2
    assert (
        result.output.strip().splitlines()[-1]
        == "nkmap: error: within_km must not be negative: -5.0"
    )


def test_events_with_a_bad_file_names_it_and_processes_the_rest(
    tmp_path: Path, seeds_dir: Path
) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "empty.txt").write_text("")
    seed = next(seeds_dir.glob("004_*.txt"))
    out = tmp_path / "events.geojson"
    result = CliRunner().invoke(
        main,
        [
            "events",
            str(seed),
            str(tmp_path / "bad.txt"),
            str(tmp_path / "empty.txt"),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "empty.txt" in result.output
    assert "2 inputs failed" in result.output
    data = json.loads(out.read_text())
    assert {f["properties"]["place"] for f in data["features"]} >= {"Kusong", "Kujang", "Unsan"}


def test_unknown_output_format_leaves_nothing_behind(tmp_path: Path, seeds_dir: Path) -> None:
    seed = next(seeds_dir.glob("004_*.txt"))
    result = CliRunner().invoke(main, ["events", str(seed), "-o", str(tmp_path / "out.xyz")])
    assert result.exit_code == 2
    assert "unknown output format '.xyz'" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv", ".parquet", ".kml"])
def test_events_written_in_every_format(tmp_path: Path, seeds_dir: Path, suffix: str) -> None:
    out = tmp_path / f"events{suffix}"
    result = CliRunner().invoke(main, ["events", str(seeds_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 500
    if suffix == ".kml":
        text = out.read_text()
        assert "<TimeStamp><when>2025-03-07</when></TimeStamp>" in text
    elif suffix != ".csv":
        from geo.inputs import read_events_file

        frame = read_events_file(out)
        assert "Unsan" in set(frame["place"])


def test_ingest_skips_articles_already_in_the_store(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "store.gpkg"
    first = CliRunner().invoke(main, ["ingest", str(seeds_dir), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "ingested 5 new articles" in first.output
    copy = tmp_path / "copy"
    copy.mkdir()
    seed = next(seeds_dir.glob("004_*.txt"))
    (copy / "renamed.txt").write_bytes(seed.read_bytes())
    again = CliRunner().invoke(main, ["ingest", str(seeds_dir), str(copy), "--db", str(db)])
    assert "ingested 0 new articles" in again.output and "5 were already there" in again.output


def test_mentions_json_has_offsets_into_the_text(seeds_dir: Path) -> None:
    seed = next(seeds_dir.glob("002_*.txt"))
    result = CliRunner().invoke(main, ["mentions", str(seed), "--json"])
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.stdout)
    assert record["text_file"] == seed.name
    for m in record["mentions"]:
        assert record["text"][m["start"] : m["end"]] == m["surface"]
        assert {"name", "country", "kind", "lat", "lon"} <= set(m)
    for e in record["events"]:
        assert record["text"][e["evidence_start"] : e["evidence_end"]] == e["evidence"]


def test_gazetteer_import_reports_corrupt_lines(tmp_path: Path) -> None:
    good = "\t".join(
        ["9990001", "Testri", "Testri", "Tesutori", "41.1", "128.1", "P", "PPL", "KP", "", "13"]
        + ["", "", "", "1200", "", "900", "Asia/Pyongyang", "2024-01-01"]
    )
    dump = tmp_path / "KP.txt"
    dump.write_text(good + "\n" + "corrupt line without tabs\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["gazetteer", "import", str(dump)])
    assert result.exit_code == 1
    assert f"{dump}:2: expected 19 tab-separated columns, found 1" in result.output
    assert "imported 1 place " in result.output
    resolved = CliRunner().invoke(main, ["resolve", "Tesutori", "--json"])
    assert json.loads(resolved.stdout)["Tesutori"][0]["source"] == "geonames-dump"
    stats = CliRunner().invoke(main, ["gazetteer", "stats", "--json"])
    assert json.loads(stats.stdout)["source"]["geonames-dump"] == 1


def test_gazetteer_export_writes_csv(tmp_path: Path) -> None:
    out = tmp_path / "kp.csv"
    result = CliRunner().invoke(
        main, ["gazetteer", "export", "-o", str(out), "--source", "curated"]
    )
    assert result.exit_code == 0, result.output
    assert "Sinuiju" in out.read_text()


def test_map_and_static_draw_a_query(tmp_path: Path, samples_dir: Path) -> None:
    from geo.cli.filters import apply_filters
    from geo.inputs import load_events

    events = tmp_path / "events.geojson"
    CliRunner().invoke(main, ["events", str(samples_dir), "-o", str(events)])
    expected = apply_filters(load_events([events]), near_border=20.0, since="2024")
    assert 0 < len(expected) < len(load_events([events]))
    html = tmp_path / "m.html"
    result = CliRunner().invoke(
        main, ["map", str(events), "--near-border", "20", "--since", "2024", "-o", str(html)]
    )
    assert result.exit_code == 0, result.output
    assert f"{len(expected)} events" in result.output
    png = tmp_path / "m.png"
    result = CliRunner().invoke(
        main, ["static", str(events), "--near", "Hyesan", "--km", "60", "-o", str(png)]
    )
    assert result.exit_code == 0, result.output
    assert png.stat().st_size > 10_000
    bad = CliRunner().invoke(main, ["map", str(events), "--near-border", "-3", "-o", str(html)])
    assert bad.exit_code == 2 and "not -3.0" in bad.output


def test_events_table_is_aligned_with_plurals_and_undated_rows(tmp_path: Path) -> None:
    article = tmp_path / "one.txt"
    article.write_text(
        "Border trade\n\nTraders in Sinuiju said customs checks at the Sinuiju border "
        "crossing slowed cross-border trade with Dandong.\n"
    )
    result = CliRunner().invoke(main, ["events", str(article)])
    assert result.exit_code == 0, result.output
    lines = [x for x in result.output.splitlines() if x and not x.startswith("nkmap")]
    header, rows, done = lines[0], lines[1:-1], lines[-1]
    assert header.split()[:3] == ["date", "dated", "by"] and rows
    assert done.endswith("from 1 article") and "articles" not in done
    assert "????" not in result.output and all(r.startswith("undated") for r in rows)
    for column in ("theme", "place [precision]", "evidence"):  # every row starts each column
        at = header.index(column)
        assert all(r[at - 1] == " " and r[at] != " " for r in rows), column


def test_aligned_right_aligns_numbers_and_plural_counts() -> None:
    from geo.cli.base import aligned, plural

    assert aligned([["x", "5"], ["long", "123"]]).splitlines() == ["x       5", "long  123"]
    assert (plural(1, "article"), plural(2, "article")) == ("1 article", "2 articles")


def test_resolve_does_not_answer_delhi_with_delingha() -> None:
    result = CliRunner().invoke(main, ["resolve", "Delhi"])
    answers = [line.split() for line in result.output.splitlines() if line.startswith("  ")]
    assert answers[0][2:4] == ["Delhi", "[city]"]  # the world layer's capital, not Delingha
    assert all(float(a[0]) < 0.5 for a in answers if "Delingha" in a)
    far = CliRunner().invoke(main, ["resolve", "Delingha Qx"])
    assert far.exit_code == 1 and "no confident match" in far.output
    ok = CliRunner().invoke(main, ["resolve", "Moskva", "Sinuiju"])  # big cities keep aliases
    assert ok.exit_code == 0, ok.output
    assert "Moscow" in ok.output and "no confident" not in ok.output


def test_a_lexicon_theme_is_drawn_on_both_maps_without_a_warning(tmp_path: Path) -> None:
    lexicon = tmp_path / "harvest.json"
    lexicon.write_text(
        json.dumps(
            {"harvest": {"label": "Harvest work", "colour": "#228833", "patterns": ["harvest"]}}
        )
    )
    article = tmp_path / "a.txt"
    article.write_text("Farmers in Hyesan began the harvest on May 2, 2024, a source said.\n")
    events = tmp_path / "events.geojson"
    run = CliRunner().invoke(
        main, ["events", str(article), "--lexicon", str(lexicon), "-o", str(events)]
    )
    assert run.exit_code == 0, run.output
    themes = {f["properties"]["theme"] for f in json.loads(events.read_text())["features"]}
    assert themes == {"harvest"}
    for command, out in (("map", "m.html"), ("static", "m.png")):
        args = [command, str(events), "--lexicon", str(lexicon), "--theme", "harvest"]
        drawn = CliRunner().invoke(main, [*args, "-o", str(tmp_path / out)])
        assert drawn.exit_code == 0, drawn.output
        assert "warning" not in drawn.output, drawn.output
    assert "Harvest work" in (tmp_path / "m.html").read_text("utf-8")
