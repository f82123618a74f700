"""Static map legibility on the sample articles: areas, labels, pies, scale bar (issue 14)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from maps.static import facet_map, save_figure, static_map

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="module")
def sample_events(samples_dir: Path) -> Any:
    from geo.inputs import load_events

    return load_events([samples_dir])


@pytest.fixture(scope="module")
def sample_map(sample_events: Any) -> Any:
    fig = static_map(sample_events)
    ARTIFACTS.mkdir(exist_ok=True)
    save_figure(fig, ARTIFACTS / "static_samples.png", dpi=110)  # kept to be looked at
    return fig


def _labels(ax: Any) -> list[Any]:
    return [t for t in ax.texts if hasattr(t, "nkmap_marker")]


def _disc_gap(box: Any, cx: float, cy: float, r: float) -> float:
    dx = max(box.x0 - cx, 0.0, cx - box.x1)
    dy = max(box.y0 - cy, 0.0, cy - box.y1)
    return math.hypot(dx, dy) - r


def test_every_label_sits_by_its_own_marker(sample_map: Any) -> None:
    """Beside a marker, a label is nearer it than any other; farther out it has a leader."""
    ax = sample_map.axes[0]
    renderer = sample_map.canvas.get_renderer()
    px = sample_map.dpi / 72.0
    markers = ax.nkmap_markers
    discs = [(*ax.transData.transform((m.x, m.y)), m.radius_pt * px) for m in markers]
    labels = _labels(ax)
    assert len(labels) >= 15
    names = {t.get_text() for t in labels}
    assert {"Kusong", "Kujang", "Dandong", "Hyesan"} <= names
    everywhere = {t.get_text() for a in sample_map.axes for t in _labels(a)}
    assert "Sinuiju" in everywhere  # on the main map or in the inset of the crowded corridor
    for text in labels:
        box = text.get_window_extent(renderer)
        x, y, _ = text.nkmap_marker
        own = [i for i, m in enumerate(markers) if (m.x, m.y) == (x, y)]
        assert len(own) == 1, text.get_text()
        gaps = [_disc_gap(box, *d) for d in discs]
        others = [g for i, g in enumerate(gaps) if i != own[0]]
        if text.nkmap_leader:
            assert text.arrow_patch is not None and min(others) > 0, text.get_text()
        else:
            assert min(others) > gaps[own[0]], f"{text.get_text()!r} is nearer another marker"


def test_pies_never_overlap(sample_map: Any) -> None:
    ax = sample_map.axes[0]
    per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (
        ax.get_window_extent().width * 72.0 / sample_map.dpi
    )
    markers = ax.nkmap_markers
    for i, a in enumerate(markers):
        for b in markers[i + 1 :]:
            d = math.hypot(a.x - b.x, a.y - b.y)
            assert d >= (a.radius_pt + b.radius_pt) * per_pt * 0.99, (a.text, b.text)


def test_province_events_are_areas_not_points(sample_map: Any, sample_events: Any) -> None:
    ax = sample_map.axes[0]
    drawn = {m.text for m in ax.nkmap_markers}  # place keys of the pies
    province = sample_events[sample_events["precision"] == "province"]
    assert len(province) and not (set(province["place_id"]) & drawn)
    tags = {t.get_text().split(" · ")[0] for t in ax.texts if " · " in t.get_text()}
    assert {"Jilin", "Liaoning", "Ryanggang", "North Pyongan"} <= tags
    legend = " ".join(t.get_text() for a in sample_map.axes for t in a.texts)
    legend += " ".join(t.get_text() for lg in sample_map.legends for t in lg.get_texts())
    legend += " ".join(
        t.get_text() for a in sample_map.axes if a.get_legend() for t in a.get_legend().get_texts()
    )
    assert "shaded area" in legend


def test_country_level_events_are_counted_not_labelled(sample_events: Any) -> None:
    events = sample_events.copy()
    events.loc[events.index[:3], ["precision", "country", "place", "place_id"]] = [
        "country",
        "KP",
        "North Korea",
        "kp",
    ]
    fig = static_map(events)
    ax = fig.axes[0]
    assert not any("North Korea" in t.get_text() for t in _labels(ax))
    assert "kp" not in {m.text for m in ax.nkmap_markers}
    footer = " ".join(t.get_text() for t in fig.texts)
    assert "Placed only in a country (that country shaded): North Korea 3." in footer


def test_facet_scale_bar_covers_no_marker(sample_events: Any) -> None:
    fig = facet_map(sample_events, by="theme")
    with_bar = [ax for ax in fig.axes if hasattr(ax, "_nkmap_furniture")]
    assert len(with_bar) == 1
    ax = with_bar[0]
    box = ax._nkmap_furniture
    per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (ax.get_window_extent().width * 72.0 / fig.dpi)
    for m in ax.nkmap_markers:
        r = m.radius_pt * per_pt
        w = min(box.x1, m.x + r) - max(box.x0, m.x - r)
        h = min(box.y1, m.y + r) - max(box.y0, m.y - r)
        assert w <= 0 or h <= 0, m.text
    ARTIFACTS.mkdir(exist_ok=True)
    save_figure(fig, ARTIFACTS / "static_samples_by_theme.png", dpi=90)


def test_default_label_count_adapts_to_the_places(synthetic_events: Any) -> None:
    from maps.static import default_labels

    few = static_map(synthetic_events(12, seed=3))
    n_places = len({(round(p.x, 4), round(p.y, 4)) for p in few.axes[0].nkmap_markers})
    assert len(_labels(few.axes[0])) >= min(n_places, 6)
    assert default_labels(3) == 3 and default_labels(1000) == 40


def test_the_yalu_mouth_gets_an_enlarged_inset(sample_map: Any, sample_events: Any) -> None:
    insets = [ax for ax in sample_map.axes if hasattr(ax, "nkmap_keys")]
    assert len(insets) == 1
    inset = insets[0]
    ids = set(sample_events.loc[sample_events["place"].isin(["Sinuiju", "Dandong"]), "place_id"])
    assert ids <= set(inset.nkmap_keys)
    named = {t.get_text() for t in _labels(inset)}
    assert {"Sinuiju", "Dandong"} <= named and len(named) >= 3
    main = sample_map.axes[0]
    box = inset.get_window_extent()
    for m in main.nkmap_markers:  # the inset covers no pie of the main map
        x, y = main.transData.transform((m.x, m.y))
        assert not (box.x0 < x < box.x1 and box.y0 < y < box.y1), m.text
    for other in main.nkmap_avoid:  # nor the scale bar or a tag
        assert other.x1 <= box.x0 or other.x0 >= box.x1 or other.y1 <= box.y0 or other.y0 >= box.y1
