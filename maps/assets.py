"""Pinned JavaScript/CSS for interactive maps: fetch, verify, cache, and hand out.

The packages come from the npm registry through the ordinary ``npm`` client
(``npm pack``), are checked against the sha512 integrity pinned in
``maps/data/assets.json``, and only the files the map uses are extracted into
the platform cache directory, keyed by package version.  Each extracted file is
checked again against its pinned sha384 whenever it is read, so a tampered
cache is refused.  Nothing third-party is stored in this repository.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from gazetteer.atomic import atomic_path
from gazetteer.errors import AssetError, FileError

#: Environment variable overriding the cache folder (tests, air-gapped installs).
CACHE_ENV = "NKMAP_ASSET_DIR"

#: Where online maps load the pinned files from (an npm mirror CDN; versions pinned, SRI checked).
CDN_PATTERN = "https://cdn.jsdelivr.net/npm/{name}@{version}/{path}"

FETCH_HINT = "run `nkmap assets fetch`"


@dataclass(frozen=True)
class AssetPackage:
    """One pinned npm package: name, version, tarball integrity, files used (path → sha384)."""

    name: str
    version: str
    integrity: str
    files: dict[str, str]

    @property
    def spec(self) -> str:
        """Return the npm spec ``name@version``."""
        return f"{self.name}@{self.version}"


@dataclass(frozen=True)
class AssetStatus:
    """Where a pinned package stands in the cache: its folder and whether every file is present."""

    package: AssetPackage
    folder: Path
    cached: bool
    missing: tuple[str, ...]


@cache
def pinned() -> dict[str, AssetPackage]:
    """Return the pinned packages of ``maps/data/assets.json`` by name.

    Raises:
        AssetError: the table is missing or malformed.
    """
    try:
        text = resources.files("maps").joinpath("data/assets.json").read_text(encoding="utf-8")
        table = json.loads(text)["packages"]
        return {
            name: AssetPackage(name, spec["version"], spec["integrity"], dict(spec["files"]))
            for name, spec in table.items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AssetError(f"maps/data/assets.json: unreadable asset table ({exc})") from exc


def cache_root() -> Path:
    """Return the folder holding cached assets (``$NKMAP_ASSET_DIR`` or the platform cache)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("nkmap")) / "assets"


def package_folder(package: AssetPackage) -> Path:
    """Return the cache folder of one package version."""
    return cache_root() / package.spec


def _digest(data: bytes, integrity: str) -> bool:
    """Return True when ``data`` matches an SRI string such as ``sha384-…``."""
    algo, _, expected = integrity.partition("-")
    if algo not in ("sha256", "sha384", "sha512"):
        return False
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode("ascii")
    return actual == expected


def status() -> list[AssetStatus]:
    """Return the cache status of every pinned package, in table order."""
    out = []
    for package in pinned().values():
        folder = package_folder(package)
        missing = tuple(p for p in package.files if not (folder / p).is_file())
        out.append(AssetStatus(package, folder, not missing, missing))
    return out


def asset_bytes(name: str, path: str) -> bytes:
    """Return the verified bytes of one pinned file from the cache.

    Raises:
        AssetError: the package or file is not pinned, not cached (the message says
            to run ``nkmap assets fetch``), or fails its checksum.
    """
    package = pinned().get(name)
    if package is None or path not in package.files:
        raise AssetError(f"{name}/{path}: not a pinned asset")
    file = package_folder(package) / path
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise AssetError(
            f"{package.spec}/{path}: not in the cache at {file}; {FETCH_HINT}"
        ) from exc
    if not _digest(data, package.files[path]):
        raise AssetError(f"{file}: checksum mismatch (cache damaged?); {FETCH_HINT} --force")
    return data


def asset_text(name: str, path: str) -> str:
    """Return one pinned text file (JS/CSS) from the cache, verified.

    Raises:
        AssetError: as :func:`asset_bytes`.
    """
    return asset_bytes(name, path).decode("utf-8")


def asset_url(name: str, path: str) -> tuple[str, str]:
    """Return the pinned online URL of one file and its SRI integrity string.

    Raises:
        AssetError: the file is not pinned.
    """
    package = pinned().get(name)
    if package is None or path not in package.files:
        raise AssetError(f"{name}/{path}: not a pinned asset")
    url = CDN_PATTERN.format(name=package.name, version=package.version, path=path)
    return url, package.files[path]


def _npm_pack(package: AssetPackage, dest: Path, npm: str) -> Path:
    """Download the package tarball into ``dest`` with ``npm pack``; return its path.

    Raises:
        AssetError: npm is missing or fails.
    """
    exe = shutil.which(npm)
    if exe is None:
        raise AssetError(f"{npm}: the npm client is not installed; install npm or use --from DIR")
    try:
        proc = subprocess.run(
            [exe, "pack", package.spec, "--pack-destination", str(dest), "--silent"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AssetError(f"npm pack {package.spec}: {exc}") from exc
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise AssetError(f"npm pack {package.spec} failed: {tail}")
    return _tarball_in(dest, package)


def _tarball_in(folder: Path, package: AssetPackage) -> Path:
    """Return the tarball of ``package`` found in ``folder``.

    Raises:
        AssetError: no such tarball.
    """
    tarball = folder / f"{package.name.replace('@', '').replace('/', '-')}-{package.version}.tgz"
    if not tarball.is_file():
        raise AssetError(f"{tarball}: tarball of {package.spec} not found")
    return tarball


def _install(package: AssetPackage, tarball: Path) -> None:
    """Verify ``tarball`` and extract the pinned files into the package's cache folder.

    Raises:
        AssetError: integrity mismatch, or a pinned file is absent or differs.
        FileError: the cache cannot be written.
    """
    data = tarball.read_bytes()
    if not _digest(data, package.integrity):
        raise AssetError(f"{tarball}: sha512 integrity differs from the pinned {package.spec}")
    folder = package_folder(package)
    with tarfile.open(tarball, "r:gz") as tar:
        for path, sri in package.files.items():
            try:
                member = tar.extractfile(f"package/{path}")
            except KeyError:
                member = None
            if member is None:
                raise AssetError(f"{tarball}: {path} missing from {package.spec}")
            content = member.read()
            if not _digest(content, sri):
                raise AssetError(f"{tarball}: {path} differs from its pinned checksum")
            target = folder / path
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise FileError(f"{target.parent}: cannot create ({exc})") from exc
            with atomic_path(target) as tmp:
                tmp.write_bytes(content)


def fetch(
    names: list[str] | None = None,
    *,
    source: Path | None = None,
    force: bool = False,
    npm: str = "npm",
) -> list[AssetStatus]:
    """Fetch, verify and cache the pinned packages; return their status afterwards.

    ``source`` is a folder of tarballs (``npm pack`` output copied onto an
    air-gapped machine); without it the ``npm`` client downloads them.  Packages
    already cached are left alone unless ``force``.

    Raises:
        AssetError: an unknown package name, npm failure, or a checksum mismatch.
        FileError: the cache cannot be written.
    """
    table = pinned()
    wanted = names or list(table)
    unknown = [n for n in wanted if n not in table]
    if unknown:
        raise AssetError(f"{', '.join(unknown)}: not pinned (known: {', '.join(table)})")
    current = {s.package.name: s for s in status()}
    with tempfile.TemporaryDirectory(prefix="nkmap-assets-") as tmp:
        for name in wanted:
            package = table[name]
            if current[name].cached and not force:
                continue
            if source is not None:
                tarball = _tarball_in(source, package)
            else:
                tarball = _npm_pack(package, Path(tmp), npm)
            _install(package, tarball)
    return [s for s in status() if s.package.name in wanted]
