"""One bad file never costs the batch: each bad input is one line, the rest is processed.

The five causes that used to abort a whole run (deeply nested JSON, a JSON integer of more
than 4,300 digits, a lone surrogate, a publication date in year 1, a symbolic-link loop)
are put in a folder beside a good article and run through the CLI as a user would.
"""

from __future__ import annotations

import codecs
import ctypes
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.article import expand_paths, read_articles
from geo.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "samples" / "02_hyesan_night_smuggling_2018.txt"
BODY = "Traders in Hyesan were fined yesterday. Smuggling in Hyesan rose last year, in March."


def _nested(folder: Path) -> list[str]:
    (folder / "deep.json").write_text("[" * 100_000)
    (folder / "deep.jsonl").write_text(json.dumps({"text": BODY}) + "\n" + "{" * 50_000 + "\n")
    (folder / "side.txt").write_text(BODY)
    (folder / "side.json").write_text('{"title": ' + "[" * 100_000)
    return ["deep.json", "deep.jsonl", "side.txt"]


def _big_int(folder: Path) -> list[str]:
    (folder / "big.json").write_text('{"text": "' + BODY + '", "n": ' + "7" * 5000 + "}")
    (folder / "big.jsonl").write_text('{"text": "x", "n": ' + "7" * 4301 + "}\n")
    return ["big.json", "big.jsonl"]


def _surrogate(folder: Path) -> list[str]:
    (folder / "lone.json").write_text('{"title": "T\\ud800", "text": "' + BODY + '\\udfff"}')
    (folder / "titled.txt").write_text(BODY)
    (folder / "titled.json").write_text('{"title": "Sidecar \\udc80 title"}')
    return ["lone.json", "titled.txt"]


def _year_one(folder: Path) -> list[str]:
    (folder / "old.json").write_text(json.dumps({"date": "0001-01-01", "text": BODY}))
    (folder / "dated.txt").write_text(BODY)
    (folder / "dated.json").write_text('{"date": "0001-01-01"}')
    return ["old.json", "dated.txt"]


def _loop(folder: Path) -> list[str]:
    os.symlink("b.txt", folder / "a.txt")
    os.symlink("a.txt", folder / "b.txt")
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "up")
    return ["a.txt", "b.txt", "up"]


CAUSES: dict[str, Callable[[Path], list[str]]] = {
    "nested-json": _nested,
    "huge-int": _big_int,
    "lone-surrogate": _surrogate,
    "year-1-date": _year_one,
    "symlink-loop": _loop,
}


def _folder(tmp_path: Path, cause: str) -> tuple[Path, list[str]]:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    return folder, CAUSES[cause](folder)


def _warnings_naming(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if f"{os.sep}{name}:" in line]


def _check_run(result: object, bad: list[str]) -> str:
    """Exit 1, no traceback, exactly one warning line per bad file; returns stderr."""
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.exit_code == 1, (result.output, stderr)  # type: ignore[attr-defined]
    assert result.exception is None or isinstance(result.exception, SystemExit)  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    for name in bad:
        lines = _warnings_naming(stderr, name)
        assert len(lines) == 1, (name, stderr)
        assert lines[0].startswith("nkmap: warning: ")
    assert f"{len(bad)} inputs failed" in stderr
    return stderr


@pytest.mark.parametrize("cause", sorted(CAUSES))
def test_events_reports_the_bad_file_and_keeps_the_good_one(tmp_path: Path, cause: str) -> None:
    folder, bad = _folder(tmp_path, cause)
    out = tmp_path / "events.geojson"
    result = CliRunner().invoke(main, ["events", str(folder), "-o", str(out)])
    _check_run(result, bad)
    features = json.loads(out.read_text("utf-8"))["features"]
    source = " ".join(GOOD.read_text("utf-8").split())
    good = [f for f in features if f["properties"]["evidence"] in source]
    assert {f["properties"]["place"] for f in good} >= {"Hyesan"}
    assert any(f["properties"]["evidence"].startswith("Smugglers in Hyesan") for f in good)
    json.dumps(features, ensure_ascii=False).encode("utf-8")  # every string is writable


def test_map_and_ingest_report_every_bad_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    bad = [name for cause in CAUSES.values() for name in cause(folder)]
    html = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["map", str(folder), "-o", str(html), "--offline"])
    _check_run(result, bad)
    assert html.stat().st_size > 10_000
    db = tmp_path / "store.gpkg"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db)])
    _check_run(result, bad)
    import geopandas as gpd

    stored = gpd.read_file(db, layer="events")
    assert (stored["place"] == "Hyesan").any()
    assert not list(tmp_path.glob(".*nkmap-tmp*"))


def test_an_impossible_date_option_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["events", str(GOOD), "--date", "0001-01-01"])
    assert result.exit_code == 2
    assert "0001-01-01 is outside the range believed" in result.stderr
    assert "Traceback" not in result.stderr


def test_event_dates_never_overflow_on_an_impossible_publication_date() -> None:
    from geo.dates import event_date, parse_date, publication_date, sane_date

    for published in (dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1, 3, 1)):
        for sentence in ("Fined yesterday.", "In March prices rose.", "Last year.", "On Tuesday."):
            day, _ = event_date(sentence, published)
            assert day is None or sane_date(day) == day
    assert parse_date("0001-01-01") is None and parse_date("9999-12-31T00:00:00Z") is None
    assert publication_date("Title\n\nPublished: 2199-01-01\n\nText.") == (None, "none")
    assert parse_date("1900-01-01") == dt.date(1900, 1, 1)


# --- folders ---------------------------------------------------------------------------------


def test_pipes_devices_and_loops_are_named_for_what_they_are(tmp_path: Path) -> None:
    shutil.copy(GOOD, tmp_path / "good.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("/dev/null", tmp_path / "device.txt")
    os.symlink("nowhere.txt", tmp_path / "broken.txt")
    os.symlink("self.txt", tmp_path / "self.txt")
    files, failures = expand_paths([tmp_path, tmp_path / "gone.txt"])
    assert files == [tmp_path / "good.txt"]
    got = {Path(f.path).name: f.reason for f in failures}
    assert got == {
        "pipe.txt": "a named pipe (FIFO), not a file",
        "device.txt": "a device, not a file",
        "broken.txt": "broken symbolic link (points to nowhere.txt)",
        "self.txt": "symlink loop (the link leads back to itself)",
        "gone.txt": "no such file or folder",
    }
    named = read_articles([tmp_path / "pipe.txt", "/dev/null"], on_error="skip")
    assert [f.reason for f in named.failures] == [
        "a named pipe (FIFO), not a file",
        "a device, not a file",
    ]


def test_a_link_to_a_folder_read_twice_is_not_a_loop(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    shutil.copy(GOOD, tmp_path / "real" / "good.txt")
    os.symlink("real", tmp_path / "alias")
    files, failures = expand_paths([tmp_path])
    assert [f.name for f in files] == ["good.txt"] and failures == []  # read once


def _without_root_powers() -> None:
    """In the child: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set, so
    that after exec even root obeys file permissions (nothing to drop for other users)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP


def _run_cli(
    args: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from geo.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        preexec_fn=_without_root_powers,
        timeout=300,
    )


def test_an_unreadable_sub_folder_is_warned_and_counted(tmp_path: Path) -> None:
    shutil.copy(GOOD, tmp_path / "good.txt")
    locked = tmp_path / "locked"
    locked.mkdir()
    shutil.copy(GOOD, locked / "hidden-away.txt")
    locked.chmod(0)
    try:
        run = _run_cli(["events", str(tmp_path), "--json"])
    finally:
        locked.chmod(0o755)
    assert run.returncode == 1, run.stderr
    assert f"nkmap: warning: {locked}: cannot read folder: Permission denied" in run.stderr
    assert "1 input failed" in run.stderr
    assert json.loads(run.stdout)["features"]  # the readable article's events


def test_unreadable_data_and_cache_folders_do_not_stop_resolve(tmp_path: Path) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    (data / "geonames").mkdir(parents=True)
    cache.mkdir()
    data.chmod(0)
    cache.chmod(0)
    try:
        run = _run_cli(
            ["resolve", "Hyesan"], {"NKMAP_DATA_DIR": str(data), "NKMAP_CACHE_DIR": str(cache)}
        )
    finally:
        data.chmod(0o755)
        cache.chmod(0o755)
    assert run.returncode == 0, run.stderr
    assert "Hyesan [city]" in run.stdout
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"nkmap: warning: {data / 'geonames'}: cannot read imported")
    assert lines[1].startswith(f"nkmap: warning: {cache}: gazetteer cache not written")


# --- encodings and events files --------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"),
        lambda t: codecs.BOM_UTF32_BE + t.encode("utf-32-be"),
        lambda t: t.encode("utf-32-le"),
        lambda t: t.encode("utf-16-le"),
        lambda t: t.encode("utf-16-be"),
        lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    ],
    ids=["utf32-le-bom", "utf32-be-bom", "utf32-le", "utf16-le", "utf16-be", "utf16-le-bom"],
)
def test_wide_encodings_are_read(tmp_path: Path, encode: Callable[[str], bytes]) -> None:
    text = "혜산 traders fined\n\n2024-03-08\n\nTraders in Hyesan were fined on March 7."
    (tmp_path / "wide.txt").write_bytes(encode(text))
    result = read_articles([tmp_path], on_error="skip")
    assert result.failures == []
    assert result.articles[0].body == "Traders in Hyesan were fined on March 7."
    assert result.articles[0].date == dt.date(2024, 3, 8)


def test_binary_with_nul_bytes_is_still_binary(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "y.txt").write_bytes(b"\x00\x01" * 500)
    # a few bytes whose NULs fall where UTF-16 would put them: too few to tell
    (tmp_path / "z.txt").write_bytes(b"\x00\x01\x02bin")
    result = read_articles([tmp_path], on_error="skip")
    assert [f.reason for f in result.failures] == ["not text (binary file)"] * 3
    (tmp_path / "w.txt").write_bytes("Hyesan traders".encode("utf-16-le"))  # 28 bytes
    assert read_articles([tmp_path / "w.txt"]).articles[0].text == "Hyesan traders"


def test_events_files_are_refused_as_articles(tmp_path: Path) -> None:
    frame = CliRunner().invoke(main, ["events", str(GOOD), "-o", str(tmp_path / "e.geojson")])
    assert frame.exit_code == 0
    shutil.copy(tmp_path / "e.geojson", tmp_path / "e.json")
    for ext in (".gpkg", ".parquet", ".csv"):
        CliRunner().invoke(main, ["events", str(GOOD), "-o", str(tmp_path / f"e{ext}")])
    for command in ("events", "mentions"):
        for ext in (".geojson", ".json", ".gpkg", ".parquet", ".csv"):
            path = tmp_path / f"e{ext}"
            result = CliRunner().invoke(main, [command, str(path)])
            assert result.exit_code == 1, (command, ext, result.output)
            assert "events file, not an article" in result.stderr, result.stderr
            assert "`nkmap query` or `nkmap map`" in result.stderr
    result = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "e.geojson"), "--db", str(tmp_path / "x.gpkg")]
    )
    assert result.exit_code == 1 and "nkmap query" in result.stderr
    result = CliRunner().invoke(main, ["query", str(tmp_path / "e.geojson")])
    assert result.exit_code == 0  # where events files belong


# --- events files with missing columns -------------------------------------------------------


def test_missing_columns_are_named(tmp_path: Path) -> None:
    noprops = tmp_path / "noprops.geojson"
    noprops.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [128.18, 41.4]},
                        "properties": {},
                    }
                ],
            }
        )
    )
    latlon = tmp_path / "onlylatlon.csv"
    latlon.write_text("lat,lon\n41.4,128.18\n")
    cases = [
        (["query", str(noprops), "--theme", "trade"], "'theme' column, needed by --theme"),
        (["summary", str(latlon), "--by", "month"], "'date' column, needed to count by month"),
        (["query", str(latlon), "--since", "2020"], "'date' column, needed by --since/--until"),
    ]
    for args, message in cases:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("nkmap: error: the events have no " + message)
        assert len(result.stderr.splitlines()) == 1
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        "lat,lon,date,theme\n41.4,128.18,2024-03-07T00:00:00+09:00,trade\n"
        "41.4,128.18,2024-04-07T00:00:00+01:00,trade\n41.4,128.18,soon,trade\n"
    )
    result = CliRunner().invoke(main, ["summary", str(mixed), "--by", "month", "--json"])
    assert result.exit_code == 0, result.output
    assert {r["month"] for r in json.loads(result.stdout)} == {"2024-03", "2024-04", "(undated)"}


# --- temporary files of killed runs ----------------------------------------------------------


def test_temporary_files_of_a_killed_run_are_removed_next_time(tmp_path: Path) -> None:
    target = tmp_path / "out.geojson"
    code = (
        "import sys, time; from nkmap.atomic import atomic_path\n"
        "with atomic_path(sys.argv[1]) as tmp:\n"
        "    tmp.write_text('partial'); print(tmp, flush=True); time.sleep(120)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert child.stdout is not None
    left = Path(child.stdout.readline().strip())
    assert left.exists() and left.name.startswith(".out.geojson.nkmap-tmp-")
    live = CliRunner().invoke(main, ["events", str(GOOD), "-o", str(tmp_path / "other.csv")])
    assert live.exit_code == 0 and left.exists()  # a running writer's file is left alone
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    assert left.exists() and not target.exists()  # what a kill leaves behind
    result = CliRunner().invoke(main, ["events", str(GOOD), "-o", str(target)])
    assert result.exit_code == 0
    assert not left.exists() and target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.csv", "out.geojson"]


def test_an_old_temporary_file_is_stale_even_if_its_pid_is_alive(tmp_path: Path) -> None:
    from nkmap.atomic import STALE_SECONDS, remove_stale_temporaries, write_text

    old = tmp_path / f".x.kml.nkmap-tmp-{os.getpid()}-abc.kml"
    old.write_text("partial")
    write_text(tmp_path / "y.txt", "fresh")
    assert old.exists()  # this process is alive and the file is new
    stamp = time.time() - STALE_SECONDS - 60
    os.utime(old, (stamp, stamp))
    assert remove_stale_temporaries(tmp_path) == [old]
    assert (tmp_path / "y.txt").read_text() == "fresh"
