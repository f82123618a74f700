"""Static maps: PNG/SVG/PDF output from real articles, furniture, labels, bad input."""

from __future__ import annotations

import math
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geo.cli import main
from maps.static import EXTENTS, facet_map, parse_extent, save_figure, static_map, summarize
from maps.style import theme_style
from nkmap.errors import DataError, InputError


def _article_folder(samples_dir: Path, request: pytest.FixtureRequest) -> Path:
    """The bundled samples when there are any, else the seed articles beside the project."""
    if samples_dir.is_dir() and any(p.is_file() for p in samples_dir.iterdir()):
        return samples_dir
    return Path(request.getfixturevalue("seeds_dir"))


@pytest.fixture(scope="module")
def article_events(samples_dir: Path, request: pytest.FixtureRequest) -> Any:
    """Events extracted from real articles through the same loader the CLI uses."""
    from geo.inputs import load_events

    events = load_events([_article_folder(samples_dir, request)])
    assert len(events) >= 5, "the sample articles should yield events"
    return events


@pytest.fixture(scope="module")
def outputs(article_events: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One map of the article events written as PNG, SVG and PDF."""
    folder = tmp_path_factory.mktemp("static")
    fig = static_map(article_events, extent="auto")
    paths = {ext: folder / f"map.{ext}" for ext in ("png", "svg", "pdf")}
    for ext, path in paths.items():
        save_figure(fig, path, dpi=80 if ext == "png" else 72)
    return paths


def _svg_text(path: Path) -> str:
    """All text of an SVG's <text> elements, joined by newlines."""
    root = ET.parse(path).getroot()
    texts = [el for el in root.iter() if el.tag.endswith("}text") or el.tag == "text"]
    return "\n".join("".join(t.itertext()) for t in texts)


def _top_places(events: Any, n: int) -> list[str]:
    """The names of the ``n`` places with the most events (ties broken by name)."""
    counts = events.groupby("place_id")["place"].agg(["first", "size"])
    counts = counts.sort_values(["size", "first"], ascending=[False, True])
    return list(counts["first"].head(n))


def test_png_is_a_drawn_map(outputs: dict[str, Path]) -> None:
    import numpy as np
    from matplotlib.image import imread

    pixels = imread(outputs["png"])[:, :, :3]
    assert pixels.shape[0] > 300 and pixels.shape[1] > 500
    not_white = (pixels < 0.97).any(axis=2).mean()
    assert not_white > 0.3, "most of the figure should be map, not blank paper"
    assert pixels.std() > 0.05
    # the trade colour of the style table is on the map
    r, g, b = (int(theme_style("trade").color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    close = np.abs(pixels - np.array([r, g, b])).max(axis=2) < 0.06
    assert close.sum() > 20


def test_svg_keeps_legend_and_place_labels_as_text(
    outputs: dict[str, Path], article_events: Any
) -> None:
    text = _svg_text(outputs["svg"])
    for theme in set(article_events["theme"]):
        assert theme_style(theme).label in text
    for name in _top_places(article_events, 3):
        assert name in text
    assert "Events by theme" in text
    assert "km" in text and "N" in text.split("\n")
    assert "Source: news reports" in text
    summary = summarize(article_events)
    assert f"{summary.n_shown:,} events" in text


def test_pdf_opens_and_renders(outputs: dict[str, Path], tmp_path: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(outputs["pdf"])
    assert len(reader.pages) == 1
    assert "Events by theme" in reader.pages[0].extract_text()
    done = subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(outputs["pdf"]), str(tmp_path / "page")],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    pages = list(tmp_path.glob("page*.png"))
    assert len(pages) == 1 and pages[0].stat().st_size > 5000


def test_place_labels_never_overlap(synthetic_events: Any) -> None:
    from matplotlib.text import Annotation

    from maps.static_labels import renderer_of

    fig = static_map(synthetic_events(3000, seed=3), extent="border", labels=20)
    renderer = renderer_of(fig)
    map_ax = fig.axes[0]
    labels = [t for t in map_ax.texts if isinstance(t, Annotation) and t.get_text()]
    assert len(labels) >= 6
    boxes = [t.get_window_extent(renderer) for t in labels]
    frame = map_ax.get_window_extent(renderer)
    for i, a in enumerate(boxes):
        assert frame.x0 <= a.x0 and a.x1 <= frame.x1 and frame.y0 <= a.y0 and a.y1 <= frame.y1
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (labels[i].get_text(), "overlaps another label")


def test_legend_and_inset_are_outside_the_map(synthetic_events: Any) -> None:
    fig = static_map(synthetic_events(200), extent="dprk")
    map_box = fig.axes[0].get_position()
    for other in fig.axes[1:]:
        box = other.get_position()
        assert box.x0 >= map_box.x1, "inset and legend sit beside the map, never on it"


def test_draws_into_given_axes_to_compose_figures(synthetic_events: Any, tmp_path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 5))
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    events = synthetic_events(200)
    assert static_map(events[events["theme"] == "trade"], ax=left, title="Trade") is left
    assert (
        static_map(events[events["theme"] == "aid"], ax=right, title="Aid", extent="dprk") is right
    )
    assert len(fig.axes) == 2  # no inset or legend axes added
    text = _svg_text(save_figure(fig, tmp_path / "two.svg"))
    assert "Trade" in text and "Aid" in text
    assert theme_style("trade").label in text and theme_style("aid").label in text


def test_scale_bar_is_true_at_its_latitude() -> None:
    from pyproj import Geod

    from maps.basemap import region_crs, to_lonlat
    from maps.static_furniture import scale_bar_length

    crs = region_crs(EXTENTS["dprk"])
    geod = Geod(ellps="WGS84")
    from maps.basemap import project_points

    for lon, lat in ((124.4, 38.0), (127.0, 40.5), (130.0, 42.8)):
        length = scale_bar_length(crs, lon, lat, 100)
        x, y = project_points(crs, [lon], [lat])
        lon2, lat2 = to_lonlat(crs, float(x[0]) + length, float(y[0]))
        _, _, metres = geod.inv(lon, lat, lon2, lat2)
        assert metres == pytest.approx(100_000, rel=0.003)


def test_north_arrow_follows_meridian_convergence() -> None:
    from maps.basemap import region_crs
    from maps.static_furniture import north_angle

    crs = region_crs(EXTENTS["border"])
    centre = (EXTENTS["border"][0] + EXTENTS["border"][2]) / 2
    assert north_angle(crs, centre, 41.0) == pytest.approx(0.0, abs=0.01)
    east, west = north_angle(crs, centre + 3, 41.0), north_angle(crs, centre - 3, 41.0)
    assert -4 < east < -1 and 1 < west < 4  # meridians lean toward the pole


def test_facets_one_panel_per_theme_and_year(article_events: Any) -> None:
    themes = set(article_events["theme"])
    fig = facet_map(article_events, by="theme")
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    for theme in themes:
        assert any(t.startswith(theme_style(theme).label) for t in titles)
    fig = facet_map(article_events, by="year")
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
    years = article_events["date"].dt.year.dropna().astype(int).unique()
    assert len(titles) == len(years) + int(article_events["date"].isna().any())
    with pytest.raises(InputError, match="unknown facet"):
        facet_map(article_events, by="month")


def test_themes_filter(article_events: Any) -> None:
    summary = summarize(article_events, themes=["trade"])
    assert set(summary.theme_counts) == {"trade"}
    assert summary.n_shown == int((article_events["theme"] == "trade").sum())
    with pytest.raises(InputError, match="unknown theme 'smuggling'"):
        summarize(article_events, themes=["smuggling"])


@pytest.mark.parametrize(
    ("extent", "message"),
    [
        ("korea", "unknown extent 'korea'"),
        ("1,2,3", "four numbers"),
        ("130,40,120,45", "west must be less than east"),
        ("120,45,130,40", "south must be less than north"),
        ("a,b,c,d", "four numbers"),
    ],
)
def test_bad_extent(extent: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_extent(extent)


def test_named_and_numeric_extents() -> None:
    assert parse_extent("auto") is None
    assert parse_extent("Border") == EXTENTS["border"]
    assert parse_extent("124, 39, 131, 43.5") == (124.0, 39.0, 131.0, 43.5)


def test_events_outside_the_extent_give_a_valid_map_with_a_note(
    synthetic_events: Any, tmp_path: Path
) -> None:
    events = synthetic_events(50)
    fig = static_map(events, extent="100,10,110,20")
    path = save_figure(fig, tmp_path / "away.svg")
    text = _svg_text(path)
    assert "None of the events lies inside the map's extent." in text
    assert "50 events outside the map's extent are not shown." in text


def test_no_events_gives_an_empty_map(synthetic_events: Any, tmp_path: Path) -> None:
    events = synthetic_events(5).iloc[0:0]
    fig = static_map(events)
    text = _svg_text(save_figure(fig, tmp_path / "empty.svg"))
    assert "No events to show." in text
    assert "0 events" in text


def test_events_without_location_are_counted(synthetic_events: Any) -> None:
    events = synthetic_events(20)
    events.loc[events.index[:4], "geometry"] = None
    summary = summarize(events, extent="dprk")
    assert summary.n_unlocated == 4 and summary.n_shown == 16 - summary.n_outside
    assert "4 events without a location are not shown." in summary.notes


def test_text_from_events_is_drawn_literally(synthetic_events: Any, tmp_path: Path) -> None:
    events = synthetic_events(30)
    events["place"] = "$x^2$ <b>Town</b>"
    events["source"] = "A $5 paper"
    text = _svg_text(save_figure(static_map(events), tmp_path / "odd.svg"))
    assert "$x^2$ <b>Town</b>" in text
    assert "A $5 paper" in text


def test_unknown_theme_is_drawn_grey_under_its_own_name(
    synthetic_events: Any, tmp_path: Path
) -> None:
    events = synthetic_events(40)
    events.loc[events.index[:10], "theme"] = "cyber_crime"
    summary = summarize(events, themes=["cyber_crime", "trade"])
    assert list(summary.theme_counts)[-1] == "cyber_crime"  # after the known themes
    text = _svg_text(save_figure(static_map(events), tmp_path / "grey.svg"))
    assert "Cyber crime (10)" in text


def test_not_events() -> None:
    with pytest.raises(DataError, match="GeoDataFrame"):
        static_map([1, 2, 3])


def test_save_rejects_unknown_format_and_leaves_nothing(
    synthetic_events: Any, tmp_path: Path
) -> None:
    fig = static_map(synthetic_events(10))
    with pytest.raises(InputError, match=r"map\.gif: unknown map format '\.gif'"):
        save_figure(fig, tmp_path / "map.gif")
    with pytest.raises(InputError, match="dpi 5"):
        save_figure(fig, tmp_path / "map.png", dpi=5)
    assert list(tmp_path.iterdir()) == []


def test_tiles_without_contextily_is_a_clear_error(
    synthetic_events: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "contextily", None)  # as if not installed
    with pytest.raises(InputError, match="web tiles need the optional package contextily"):
        static_map(synthetic_events(10), tiles=True)


def test_tiles_go_under_unfilled_outlines(
    synthetic_events: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    from matplotlib.collections import PathCollection

    calls: list[dict[str, Any]] = []

    def add_basemap(ax: Any, **options: Any) -> None:  # a stand-in: no network in tests
        calls.append({"xlim": ax.get_xlim(), **options})

    fake = types.ModuleType("contextily")
    fake.add_basemap = add_basemap  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "contextily", fake)
    fig = static_map(synthetic_events(30), extent="border", tiles=True)
    assert len(calls) == 1 and "Lambert" in calls[0]["crs"]
    land = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    assert land and all(c.get_facecolor().size == 0 or c.get_facecolor()[0][3] == 0 for c in land)


def test_import_is_light() -> None:
    code = "import maps.static, geo.cli.static_commands, sys; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_marker_area_grows_with_count() -> None:
    from maps.static import MARKER_MAX_PT, MARKER_MIN_PT, marker_diameter

    d = marker_diameter([0, 1, 25, 100, 400], 100)
    assert d[0] == MARKER_MIN_PT and d[3] == MARKER_MAX_PT and d[4] == MARKER_MAX_PT
    # area above the minimum grows linearly with the count
    grow = (d[1:4] - MARKER_MIN_PT) ** 2
    assert grow[1] / grow[0] == pytest.approx(25) and grow[2] / grow[1] == pytest.approx(4)
    assert all(math.isfinite(v) for v in d)


# --- the command ------------------------------------------------------------------------------


@pytest.fixture()
def events_file(synthetic_events: Any, tmp_path: Path) -> Path:
    path = tmp_path / "events.geojson"
    synthetic_events(300, seed=1).to_file(path)
    return path


def test_cli_writes_each_format(events_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for ext in ("png", "svg", "pdf"):
        out = tmp_path / f"m.{ext}"
        result = runner.invoke(
            main,
            ["static", str(events_file), "-o", str(out), "--extent", "border", "--dpi", "60"],
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 10_000
        assert f"{out}: " in result.output and " events at " in result.output


def test_cli_filters_and_facets(events_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.svg"
    result = CliRunner().invoke(
        main,
        [
            "static",
            str(events_file),
            "-o",
            str(out),
            "--since",
            "2019",
            "--until",
            "2020-06",
            "--theme",
            "trade,factory",
            "--facet",
            "year",
        ],
    )
    assert result.exit_code == 0, result.output
    text = _svg_text(out)
    assert "2019 (" in text and "2020 (" in text and "2021 (" not in text
    assert theme_style("trade").label in text and theme_style("aid").label not in text


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--extent", "korea"], "nkmap: error: unknown extent 'korea'"),
        (["--theme", "nope"], "nkmap: error: unknown theme 'nope'"),
        (["--since", "someday"], "nkmap: error: malformed date 'someday'"),
        (
            ["--since", "2022", "--until", "2020"],
            "nkmap: error: --since 2022 is after --until 2020",
        ),
    ],
)
def test_cli_bad_options(events_file: Path, tmp_path: Path, args: list[str], line: str) -> None:
    result = CliRunner().invoke(
        main, ["static", str(events_file), "-o", str(tmp_path / "m.png"), *args]
    )
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith(line)
    assert not (tmp_path / "m.png").exists()


def test_period_bounds_are_inclusive(synthetic_events: Any) -> None:
    import pandas as pd

    from geo.cli.static_commands import filter_period

    events = synthetic_events(4)
    events["date"] = pd.to_datetime(
        ["2019-12-31", "2020-01-01", "2020-12-31T23:00", None], format="ISO8601"
    )
    kept, undated = filter_period(events, "2020", "2020")
    assert list(kept["date"].dt.day) == [1, 31] and undated == 1
    kept, _ = filter_period(events, None, "2019-12")
    assert len(kept) == 1
    assert filter_period(events, None, None)[0] is events


def test_cli_tiles_with_facets_is_refused(events_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.png"
    result = CliRunner().invoke(
        main, ["static", str(events_file), "-o", str(out), "--facet", "theme", "--tiles"]
    )
    assert result.exit_code == 2
    assert "nkmap: error: --tiles draws under a single map" in result.output


def test_cli_bad_format(events_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.jpg"
    result = CliRunner().invoke(main, ["static", str(events_file), "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"nkmap: error: {out}: unknown map format '.jpg'; use .png, .svg or .pdf"
    )


def test_cli_outside_extent_warns_and_still_writes(events_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.png"
    result = CliRunner().invoke(
        main, ["static", str(events_file), "-o", str(out), "--extent", "100,10,110,20"]
    )
    assert result.exit_code == 0
    assert "nkmap: warning: 300 events outside the map's extent are not shown" in result.output
    assert out.stat().st_size > 10_000


def test_cli_help_ends_with_example() -> None:
    result = CliRunner().invoke(main, ["static", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "nkmap static" in result.output
