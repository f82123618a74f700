"""Synthetic events for tests and benchmarks: a GeoDataFrame with the event columns of DESIGN.md."""

from __future__ import annotations

from typing import Any

from geo.event_records import EVENT_COLUMNS

__all__ = ["EVENT_COLUMNS", "make_events"]

# (place_id, name, country, admin1, precision, lat, lon): real places along the corridors.
_PLACES = [
    ("kp.sinuiju", "Sinuiju", "KP", "North Pyongan", "town", 40.1006, 124.3981),
    ("cn.dandong", "Dandong", "CN", "Liaoning", "town", 40.1247, 124.3944),
    ("kp.hyesan", "Hyesan", "KP", "Ryanggang", "town", 41.4017, 128.1776),
    ("cn.changbai", "Changbai", "CN", "Jilin", "town", 41.4196, 128.1955),
    ("kp.manpo", "Manpo", "KP", "Chagang", "town", 41.1453, 126.2966),
    ("kp.namyang", "Namyang", "KP", "North Hamgyong", "town", 42.9577, 129.8528),
    ("kp.rason", "Rason", "KP", "Rason", "province", 42.2569, 130.2978),
    ("kp.kusong", "Kusong", "KP", "North Pyongan", "town", 39.9811, 125.2447),
    ("kp.unsan", "Unsan", "KP", "North Pyongan", "county", 40.1072, 125.8367),
    ("kp.pyongyang", "Pyongyang", "KP", "Pyongyang", "province", 39.0392, 125.7625),
    ("kp.ryanggang", "Ryanggang", "KP", "Ryanggang", "province", 41.25, 128.0),
]
_THEMES = ["trade", "factory", "aid", "fundraising", "visit", "security"]


def make_events(n: int, seed: int = 0, *, jitter_km: float = 15.0) -> Any:
    """Return a GeoDataFrame of ``n`` synthetic events spread over the border corridors.

    Points are jittered by up to ``jitter_km`` around real places; dates run
    from 2016 to 2026; text fields are plain ASCII.
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from nkmap.themes import load_theme_table

    table = load_theme_table()
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(_PLACES), n)
    places = [_PLACES[i] for i in idx]
    lat = np.array([p[5] for p in places]) + rng.uniform(-1, 1, n) * jitter_km / 111.0
    lon = np.array([p[6] for p in places]) + rng.uniform(-1, 1, n) * jitter_km / 85.0
    themes = np.array(_THEMES)[rng.integers(0, len(_THEMES), n)]
    days = rng.integers(0, 365 * 10, n)
    dates = pd.Timestamp("2016-01-01") + pd.to_timedelta(days, unit="D")
    frame = pd.DataFrame(
        {
            "event_id": [f"syn-{seed}-{i}" for i in range(n)],
            "article_id": [f"art-{i // 3}" for i in range(n)],
            "theme": themes,
            "category": [table[t].category if t in table else "other" for t in themes],
            "place_id": [p[0] for p in places],
            "place": [p[1] for p in places],
            "country": [p[2] for p in places],
            "admin1": [p[3] for p in places],
            "precision": [p[4] for p in places],
            "date": dates,
            "date_precision": "day",
            "evidence": [
                f"Synthetic report {i} of {t} near {p[1]}."
                for i, (t, p) in enumerate(zip(themes, places, strict=True))
            ],
            "evidence_start": 0,
            "evidence_end": 40,
            "title": [f"Synthetic article {i // 3}" for i in range(n)],
            "source": "Synthetic",
            "url": [f"https://example.org/a/{i // 3}" for i in range(n)],
            "confidence": rng.uniform(0.5, 1.0, n).round(2),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
