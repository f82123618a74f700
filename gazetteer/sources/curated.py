"""The curated DPRK and border-region table shipped with nkmap (``data/curated.csv``)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from importlib import resources

from gazetteer.place import KINDS, Place
from nkmap.errors import DataError

COLUMNS = (
    "id",
    "name",
    "kind",
    "country",
    "parent",
    "lat",
    "lon",
    "hangul",
    "mr",
    "rr",
    "aliases",
    "population",
    "corridor",
    "pair",
    "coord_source",
)


def _data_text() -> str:
    return resources.files("gazetteer").joinpath("data/curated.csv").read_text("utf-8")


class CuratedSource:
    """Places from the curated table; the layer that wins every merge."""

    name = "curated"

    def __init__(self, text: str | None = None) -> None:
        self._text = text

    @property
    def text(self) -> str:
        """Return the CSV text of the table."""
        if self._text is None:
            self._text = _data_text()
        return self._text

    def fingerprint(self) -> str:
        """Return the sha256 prefix of the table's text."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    def places(self) -> Iterator[Place]:
        """Yield the table's places with admin1/admin2 filled from the parent chain.

        Raises:
            DataError: a row is malformed; the message names the line.
        """
        rows = list(self._rows())
        by_id = {row["id"]: row for _, row in rows}
        for line, row in rows:
            yield self._place(line, row, by_id)

    def _rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        reader = csv.DictReader(io.StringIO(self.text))
        missing = [
            c
            for c in ("id", "name", "kind", "country", "lat", "lon")
            if c not in (reader.fieldnames or ())
        ]
        if missing:
            raise DataError(f"curated.csv: missing columns {', '.join(missing)}")
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}

    @staticmethod
    def _place(line: int, row: dict[str, str], by_id: dict[str, dict[str, str]]) -> Place:
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError as exc:
            raise DataError(
                f"curated.csv line {line}: bad coordinates for {row.get('id')!r}"
            ) from exc
        kind = row["kind"]
        if kind not in KINDS:
            raise DataError(f"curated.csv line {line}: unknown kind {kind!r}")
        chain = []
        parent = row.get("parent", "")
        seen = set()
        while parent and parent in by_id and parent not in seen:
            seen.add(parent)
            chain.append(by_id[parent])
            parent = by_id[parent].get("parent", "")
        admin1 = next((p["name"] for p in chain if p["kind"] == "province"), "")
        admin2 = next((p["name"] for p in chain if p["kind"] in ("city", "county")), "")
        if kind == "province":
            admin1 = row["name"]
        aliases = [row.get("mr", ""), row.get("rr", "")]
        aliases += [a for a in row.get("aliases", "").split("|")]
        names = tuple(
            dict.fromkeys(a.strip() for a in aliases if a.strip() and a.strip() != row["name"])
        )
        pop = row.get("population", "")
        return Place(
            id=row["id"],
            name=row["name"],
            kind=kind,
            country=row["country"],
            lat=lat,
            lon=lon,
            admin1=admin1,
            admin2=admin2,
            parent=row.get("parent", ""),
            aliases=names,
            hangul=row.get("hangul", ""),
            population=int(float(pop)) if pop else 0,
            source="curated",
            source_id=row["id"],
            corridor=row.get("corridor", ""),
            pair=row.get("pair", ""),
            coord_source=row.get("coord_source", ""),
        )
