"""Distances in true kilometres from many lon/lat points to a line or to a few points, vectorised.

The work is done in the ellipsoidal Mercator plane (WGS84), computed with numpy: the projection
is conformal, so a short straight line there has a true length of its Mercator length divided by
the point scale factor ``k`` at its middle latitude.  That is accurate to about 1e-4 for the
distances that matter here (up to a few hundred kilometres around the peninsula) and costs a
few array operations per point, against a second per million points for a pyproj transform.

A line is indexed once (:class:`LineIndex`): points are bucketed into square cells, and for
each occupied cell the segments that can hold the nearest point of any point in the cell are
found from the cell's centre (the triangle inequality, with a margin for the change of scale);
each point is then measured exactly against its cell's few candidates only.

>>> import shapely
>>> index = LineIndex(shapely.LineString([(124.0, 40.0), (126.0, 40.0)]))
>>> km = index.distance_km([125.0, 125.0, float("nan")], [40.0, 40.1, 40.0])
>>> [round(float(v), 2) for v in km[:2]], bool(np.isnan(km[2]))
([0.0, 11.1], True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

_A = 6378137.0  # WGS84 semi-major axis, metres
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
_E = float(np.sqrt(_E2))

#: Most point–segment pairs measured at once (bounds memory to a few tens of MB).
_PAIRS_PER_CHUNK = 2_000_000

#: Cells per side of the blocks whose candidate segments are found first.
_BLOCK = 16

Floats = NDArray[np.float64]


def mercator(lon: ArrayLike, lat: ArrayLike) -> tuple[Floats, Floats]:
    """Return the ellipsoidal (WGS84) Mercator coordinates of lon/lat degrees, in metres."""
    lam = np.radians(np.asarray(lon, dtype=float))
    s = np.sin(np.radians(np.asarray(lat, dtype=float)))
    return _A * lam, _A * (np.arctanh(s) - _E * np.arctanh(_E * s))


def inverse_mercator(x: ArrayLike, y: ArrayLike) -> tuple[Floats, Floats]:
    """Return lon/lat degrees of WGS84 Mercator metres (the inverse of :func:`mercator`)."""
    t = np.exp(-np.asarray(y, dtype=float) / _A)
    phi = np.pi / 2 - 2 * np.arctan(t)
    for _ in range(6):  # converges to below 1e-12 rad in four steps at these latitudes
        es = _E * np.sin(phi)
        phi = np.pi / 2 - 2 * np.arctan(t * ((1 - es) / (1 + es)) ** (_E / 2))
    return np.degrees(np.asarray(x, dtype=float) / _A), np.degrees(phi)


def scale(lat: ArrayLike) -> Floats:
    """Return the Mercator point scale factor (map length / true length) at latitudes in degrees."""
    phi = np.radians(np.asarray(lat, dtype=float))
    return np.sqrt(1 - _E2 * np.sin(phi) ** 2) / np.cos(phi)


def _reach(dmin: Any, diag: float) -> Any:
    """Return how far a candidate may lie from a square's centre (Mercator metres).

    The nearest segment of any point in a square with diagonal ``diag`` lies within
    ``dmin + diag`` of the centre; the factor allows for the Mercator scale changing by up
    to ``exp(distance / a)`` between two points that distance apart.
    """
    return (dmin + diag) * np.exp(2.0 * (dmin + diag) / _A)


def _expand(
    start: NDArray[np.intp], counts: NDArray[np.intp], items: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Return ``(owner, item)`` pairs: for owner i, ``items[start[i] : start[i] + counts[i]]``."""
    rep = np.repeat(np.arange(counts.size), counts)
    first = np.cumsum(counts) - counts
    offset = np.arange(int(counts.sum())) - np.repeat(first, counts)
    return rep, items[np.repeat(start, counts) + offset]


def _valid(lon: ArrayLike, lat: ArrayLike) -> tuple[Floats, Floats, NDArray[np.bool_]]:
    lon_a = np.asarray(lon, dtype=float).ravel()
    lat_a = np.asarray(lat, dtype=float).ravel()
    if lon_a.shape != lat_a.shape:
        raise ValueError(f"lon and lat differ in length: {lon_a.size} != {lat_a.size}")
    ok = np.isfinite(lon_a) & np.isfinite(lat_a) & (np.abs(lat_a) < 85)
    return lon_a, lat_a, ok


class LineIndex:
    """Exact distances from many points to one (Multi)LineString given in lon/lat degrees.

    ``cell_km`` is the side of the cells points are bucketed into; smaller cells mean
    fewer candidate segments per point and more cells.  The default suits lines whose
    segments are a few hundred metres to a few kilometres long, like the shipped borders.

    Segments are straight in lon/lat, as shapely and the line's makers draw them; those
    longer than ``densify_deg`` are split, so that the pieces, straight in the Mercator
    plane, follow them to within about 0.1 m.
    """

    def __init__(
        self, line: BaseGeometry, *, cell_km: float = 1.0, densify_deg: float = 0.02
    ) -> None:
        import shapely

        ax: list[Floats] = []
        ay: list[Floats] = []
        for part in shapely.get_parts(shapely.segmentize(line, densify_deg)):
            xy = shapely.get_coordinates(part)
            if len(xy) < 2:
                continue
            ax.append(xy[:-1])
            ay.append(xy[1:])
        if not ax:
            raise ValueError("the line has no segment")
        start = np.concatenate(ax)
        end = np.concatenate(ay)
        self.a_x, self.a_y = mercator(start[:, 0], start[:, 1])
        self.b_x, self.b_y = mercator(end[:, 0], end[:, 1])
        self.a_lat = start[:, 1]
        self.b_lat = end[:, 1]
        self._dx = self.b_x - self.a_x
        self._dy = self.b_y - self.a_y
        self._len2 = self._dx**2 + self._dy**2
        with np.errstate(divide="ignore"):
            self._inv_len2 = np.where(self._len2 > 0, 1.0 / self._len2, 0.0)
        self._k_seg = scale((self.a_lat + self.b_lat) / 2)
        self._lat_max = float(np.max(np.abs(np.concatenate([self.a_lat, self.b_lat]))))
        mid_lat = float(np.mean(self.a_lat))
        self.cell = cell_km * 1000.0 * float(scale(mid_lat))  # Mercator metres

    def __len__(self) -> int:
        """Return the number of segments."""
        return int(self.a_x.size)

    def distance_km(self, lon: ArrayLike, lat: ArrayLike, *, max_km: float | None = None) -> Floats:
        """Return the distance in km from each point to the line.

        Missing coordinates (NaN) give NaN.  With ``max_km``, points that are certainly
        farther than ``max_km`` are not measured and give ``inf``; every other point gets
        its distance.
        """
        return self._run(lon, lat, max_km, want_points=False)[0]

    def nearest(
        self, lon: ArrayLike, lat: ArrayLike, *, max_km: float | None = None
    ) -> tuple[Floats, Floats, Floats]:
        """Return ``(km, lon, lat)``: each point's distance to the line and its nearest point.

        As :meth:`distance_km`; the nearest point is NaN where the distance is NaN or inf.
        """
        return self._run(lon, lat, max_km, want_points=True)

    def _run(
        self, lon: ArrayLike, lat: ArrayLike, max_km: float | None, want_points: bool
    ) -> tuple[Floats, Floats, Floats]:
        lon_a, lat_a, ok = _valid(lon, lat)
        n = lon_a.size
        km = np.full(n, np.nan)
        near_lon = np.full(n, np.nan)
        near_lat = np.full(n, np.nan)
        if not ok.any():
            return km, near_lon, near_lat
        which = np.flatnonzero(ok)
        px, py = mercator(lon_a[which], lat_a[which])
        plat = lat_a[which]
        centres, inverse = self._cells(px, py)
        ptr, segs = self._candidates(centres, plat, max_km)
        pt_count = np.diff(ptr)[inverse]
        order = np.argsort(-pt_count, kind="stable")  # most candidates first
        counts = pt_count[order]
        measured = int(np.count_nonzero(counts))
        km[which[order[measured:]]] = np.inf
        if measured:
            pts = order[:measured]
            d, qx, qy = self._measure(
                px[pts],
                py[pts],
                plat[pts],
                ptr[inverse[pts]],
                counts[:measured],
                segs,
                want_points,
            )
            km[which[pts]] = d / 1000.0
            if want_points:
                near_lon[which[pts]], near_lat[which[pts]] = inverse_mercator(qx, qy)
        return km, near_lon, near_lat

    def _cells(self, px: Floats, py: Floats) -> tuple[Floats, NDArray[np.intp]]:
        """Return the centres (n×2, Mercator metres) of the occupied cells and each point's cell."""
        ix = np.floor(px / self.cell).astype(np.int64)
        iy = np.floor(py / self.cell).astype(np.int64)
        ix0, iy0 = ix.min(), iy.min()
        ny = int(iy.max() - iy0) + 1
        code = (ix - ix0) * ny + (iy - iy0)
        unique, inverse = np.unique(code, return_inverse=True)
        centres = np.column_stack(
            [(unique // ny + ix0 + 0.5) * self.cell, (unique % ny + iy0 + 0.5) * self.cell]
        )
        return centres, inverse.ravel()

    def _candidates(
        self, centres: Floats, plat: Floats, max_km: float | None
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Return the candidate segments of each cell as CSR arrays ``(ptr, segments)``.

        A segment is a candidate when its distance from the cell's centre is at most the
        nearest segment's plus the cell's diagonal, widened by the largest change of the
        Mercator scale over that distance.  With ``max_km``, cells whose every point is
        farther than ``max_km`` get no candidate.  Cells are grouped into blocks of
        :data:`_BLOCK` × :data:`_BLOCK` cells; each block's candidates are found among all
        segments by the same rule, and each cell's among its block's (a superset of them).
        """
        k_hi = float(scale(max(self._lat_max, float(np.max(np.abs(plat))))))
        limit = None if max_km is None else max_km * 1000.0 * k_hi
        side = self.cell * _BLOCK
        bx = np.floor(centres[:, 0] / side).astype(np.int64)
        by = np.floor(centres[:, 1] / side).astype(np.int64)
        ny = int(by.max() - by.min()) + 1
        blocks, block_of = np.unique((bx - bx.min()) * ny + (by - by.min()), return_inverse=True)
        block_centres = np.column_stack(
            [
                (blocks // ny + bx.min() + 0.5) * side,
                (blocks % ny + by.min() + 0.5) * side,
            ]
        )
        bptr, bsegs = self._block_candidates(block_centres, side * np.sqrt(2.0), limit)
        return self._cell_candidates(centres, block_of.ravel(), bptr, bsegs, limit)

    def _block_candidates(
        self, centres: Floats, diag: float, limit: float | None
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Return CSR candidates of squares (centres, diagonal) among all segments."""
        counts = np.zeros(len(centres), dtype=np.intp)
        chunks: list[NDArray[np.intp]] = []
        step = max(1, _PAIRS_PER_CHUNK // len(self))
        for s in range(0, len(centres), step):
            d = self._segment_distance(centres[s : s + step, 0:1], centres[s : s + step, 1:2])
            dmin = d.min(axis=1, keepdims=True)
            keep = d <= _reach(dmin, diag)
            if limit is not None:
                keep &= dmin - diag / 2 <= limit
            rows, cols = np.nonzero(keep)
            counts[s : s + step] = np.bincount(rows, minlength=len(d))
            chunks.append(cols)
        ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.intp)
        return ptr, np.concatenate(chunks).astype(np.intp)

    def _cell_candidates(
        self,
        centres: Floats,
        block_of: NDArray[np.intp],
        bptr: NDArray[np.intp],
        bsegs: NDArray[np.intp],
        limit: float | None,
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Return CSR candidates of cells, each chosen among its block's candidates."""
        diag = self.cell * np.sqrt(2.0)
        counts = np.diff(bptr)[block_of]
        rep, seg = _expand(bptr[block_of], counts, bsegs)
        d = self._pair_distance(centres[rep, 0], centres[rep, 1], seg)
        has = counts > 0
        first = (np.cumsum(counts) - counts)[has]
        dmin = np.full(len(centres), np.inf)
        if first.size:
            dmin[has] = np.minimum.reduceat(d, first)
        keep = d <= _reach(dmin[rep], diag)
        if limit is not None:
            keep &= dmin[rep] - diag / 2 <= limit
        cell_counts = np.bincount(rep[keep], minlength=len(centres)).astype(np.intp)
        ptr = np.concatenate([[0], np.cumsum(cell_counts)]).astype(np.intp)
        return ptr, seg[keep]

    def _pair_distance(self, px: Floats, py: Floats, seg: NDArray[np.intp]) -> Floats:
        """Return Mercator distances from points to segments, pair by pair."""
        dx = self._dx[seg]
        dy = self._dy[seg]
        ax = self.a_x[seg]
        ay = self.a_y[seg]
        t = ((px - ax) * dx + (py - ay) * dy) * self._inv_len2[seg]
        np.clip(t, 0.0, 1.0, out=t)
        return np.hypot(px - (ax + t * dx), py - (ay + t * dy))

    def _segment_distance(self, px: Floats, py: Floats) -> Floats:
        """Return Mercator distances from points (a column) to every segment (a row)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            t = ((px - self.a_x) * self._dx + (py - self.a_y) * self._dy) / self._len2
        t = np.clip(np.nan_to_num(t, nan=0.0), 0.0, 1.0)
        return np.hypot(px - (self.a_x + t * self._dx), py - (self.a_y + t * self._dy))

    def _measure(
        self,
        px: Floats,
        py: Floats,
        plat: Floats,
        start: NDArray[np.intp],
        counts: NDArray[np.intp],
        segs: NDArray[np.intp],
        want_points: bool,
    ) -> tuple[Floats, Floats, Floats]:
        """Return true metres (and Mercator nearest points) for points sorted by falling counts.

        Candidate slot ``j`` of every point that has one is measured in one vectorised step;
        since counts fall, those points are a prefix of the arrays.
        """
        n = px.size
        best = np.full(n, np.inf)
        best_x = np.full(n, np.nan) if want_points else best
        best_y = np.full(n, np.nan) if want_points else best
        k_point = scale(plat)
        ascending = counts[::-1]
        for j in range(int(counts[0])):
            m = n - int(np.searchsorted(ascending, j, side="right"))  # points with count > j
            seg = segs[start[:m] + j]
            x = px[:m]
            y = py[:m]
            dx = self._dx[seg]
            dy = self._dy[seg]
            ax = self.a_x[seg]
            ay = self.a_y[seg]
            t = ((x - ax) * dx + (y - ay) * dy) * self._inv_len2[seg]
            np.clip(t, 0.0, 1.0, out=t)
            qx = ax + t * dx
            qy = ay + t * dy
            # True length: Mercator length over the scale midway between point and segment.
            d = np.hypot(x - qx, y - qy) * (2.0 / (k_point[:m] + self._k_seg[seg]))
            better = d < best[:m]
            if want_points:
                best_x[:m] = np.where(better, qx, best_x[:m])
                best_y[:m] = np.where(better, qy, best_y[:m])
            np.minimum(best[:m], d, out=best[:m])
        return best, best_x, best_y


class PointIndex:
    """The nearest of a few fixed points (crossings), for many lon/lat points."""

    def __init__(self, lon: ArrayLike, lat: ArrayLike) -> None:
        from scipy.spatial import cKDTree

        self.lon, self.lat, ok = _valid(lon, lat)
        if not ok.all() or self.lon.size == 0:
            raise ValueError("PointIndex needs at least one point, all with coordinates")
        x, y = mercator(self.lon, self.lat)
        self._tree: Any = cKDTree(np.column_stack([x, y]))

    def nearest(self, lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.intp], Floats]:
        """Return, for each point, the index of the nearest fixed point and its distance in km.

        Points without coordinates get index -1 and distance NaN.
        """
        lon_a, lat_a, ok = _valid(lon, lat)
        index = np.full(lon_a.size, -1, dtype=np.intp)
        km = np.full(lon_a.size, np.nan)
        if not ok.any():
            return index, km
        px, py = mercator(lon_a[ok], lat_a[ok])
        k = min(4, self.lon.size)
        _, cand = self._tree.query(np.column_stack([px, py]), k=k)
        cand = np.asarray(cand).reshape(px.size, k)
        qx, qy = mercator(self.lon[cand], self.lat[cand])
        true = np.hypot(qx - px[:, None], qy - py[:, None])
        true = true / scale((self.lat[cand] + lat_a[ok][:, None]) / 2)
        col = np.argmin(true, axis=1)
        rows = np.arange(px.size)
        index[ok] = cand[rows, col]
        km[ok] = true[rows, col] / 1000.0
        return index, km


def geodesic_km(lon: ArrayLike, lat: ArrayLike, lon0: float, lat0: float) -> Floats:
    """Return the geodesic distance in km (WGS84, pyproj ``Geod``) from each point to one point.

    Missing coordinates give NaN.
    """
    from pyproj import Geod

    lon_a, lat_a, ok = _valid(lon, lat)
    km = np.full(lon_a.size, np.nan)
    if ok.any():
        n = int(ok.sum())
        _, _, metres = Geod(ellps="WGS84").inv(
            lon_a[ok], lat_a[ok], np.full(n, float(lon0)), np.full(n, float(lat0))
        )
        km[ok] = np.asarray(metres) / 1000.0
    return km
