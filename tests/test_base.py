"""The base package: imported by every package, importing none; no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from nkmap.formats import FORMATS, format_of, listing, suffixes

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("nkmap", "gazetteer", "geo", "maps")
#: Files still importing the base's modules through the gazetteer's re-exports (another
#: branch is editing them); empty this set when they are switched to ``nkmap``.
NOT_YET_MOVED: set[str] = set()
#: The gazetteer modules that only re-export the base's.
SHIMS: set[str] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """Return every absolute import in ``path`` (lazy ones too): (module, names)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((a.name, []) for a in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for module, names in _imports(path):
            for candidate in (module, *(f"{module}.{n}" for n in names)):
                if candidate in modules and candidate != name:
                    targets.add(candidate)
        graph[name] = targets
    return graph


def _cycle(graph: dict[str, set[str]], within: str) -> list[str] | None:
    """Return one import cycle among the modules of package ``within``, or None."""
    nodes = {m for m in graph if m.split(".")[0] == within}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m] & nodes):
            if state.get(n) == 1:
                return path[path.index(n) :] + [n]
            if n not in state and (found := visit(n)):
                return found
        path.pop()
        state[m] = 2
        return None

    for m in sorted(nodes):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_the_base_imports_no_other_package() -> None:
    for path in (ROOT / "nkmap").rglob("*.py"):
        for module, _ in _imports(path):
            assert module.split(".")[0] not in ("gazetteer", "geo", "maps"), (path, module)


@pytest.mark.parametrize("package", ["nkmap", "gazetteer", "geo", "maps"])
def test_no_import_cycle(package: str) -> None:
    assert _cycle(_graph(), package) is None


def test_geo_and_maps_take_plumbing_from_the_base() -> None:
    for package in ("gazetteer", "geo", "maps"):
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel in NOT_YET_MOVED or rel.replace("/", ".")[:-3] in SHIMS:
                continue
            for module, names in _imports(path):
                assert module not in SHIMS, (rel, module)
                if module == "gazetteer.gazetteer":
                    assert not {"cache_dir", "data_dir"} & set(names), (rel, names)


def test_the_formats_table_names_each_extension_once() -> None:
    every = [s for f in FORMATS for s in f.suffixes]
    assert len(every) == len(set(every))
    assert all(s == s.lower() and s.startswith(".") for s in every)
    assert set(suffixes("events", write=True)) >= set(suffixes("events", read=True))
    assert format_of(Path("a/b.KML"), "events").name == "KML"  # type: ignore[union-attr]
    assert format_of("events.geojson", "map") is None
    assert listing("events", write=True) == ".geojson, .gpkg, .csv, .parquet or .kml"
