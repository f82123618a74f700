"""The one theme table: each theme's id, label, colour and legend order, and the words marking it.

The table is ``nkmap/data/themes.json`` (its ``_about`` says the shape), extended by a
user's lexicon (``--lexicon FILE``, the same shape).  Event extraction (:mod:`geo.themes`)
compiles the words; both maps (:mod:`maps.style`) read the labels, colours and order.  The
table's own order is the themes' priority order: ties between themes go to the one listed
first.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from nkmap.errors import DataError, FileError

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

#: The strands of the border economy an event can bear on (an event's ``category``).
CATEGORIES = ("cross-border trade", "regional factory", "other")


@dataclass(frozen=True)
class ThemeRecord:
    """One theme: id, legend label, colour (``#rrggbb``), legend order, and its words.

    ``patterns`` and ``weak`` are the regular expressions of the theme's words and weak
    words, as written; ``countries`` (ISO codes), when not empty, are the only countries
    where its events may lie.  ``category`` is the strand of the border economy its events
    bear on (one of :data:`CATEGORIES`); ``category_words`` maps another category to the
    words that, in an event's sentence, put the event there instead (a security measure
    against smuggling bears on cross-border trade).  ``where`` names the file the theme was
    last defined in.
    """

    id: str
    label: str
    colour: str
    order: float
    patterns: tuple[str, ...]
    weak: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    category: str = "other"
    category_words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    where: str = "themes.json"


#: What :attr:`ThemeRecord.where` says of the table nkmap ships (its words are checked by
#: nkmap's tests, not each time they are loaded).
SHIPPED = ThemeRecord.where


@dataclass(frozen=True)
class ThemeTable(Mapping[str, ThemeRecord]):
    """The themes by id, in priority order, and the colour of a theme no table knows.

    >>> table = load_theme_table()
    >>> table["trade"].label.startswith("Cross-border trade")
    True
    >>> table.legend_order(["other", "aid", "zzz", "trade"])
    ['trade', 'aid', 'other', 'zzz']
    """

    records: tuple[ThemeRecord, ...]
    unknown_label: str = "Other"
    unknown_colour: str = "#666666"

    def __getitem__(self, theme: str) -> ThemeRecord:
        for record in self.records:
            if record.id == theme:
                return record
        raise KeyError(theme)

    def __iter__(self) -> Iterator[str]:
        return (r.id for r in self.records)

    def __len__(self) -> int:
        return len(self.records)

    def legend_order(self, themes: Iterable[str]) -> list[str]:
        """Return ``themes`` in legend order: the table's ``order``, then unknown ones A–Z."""
        present = set(themes)
        known = sorted(
            (r for r in self.records if r.id in present),
            key=lambda r: (r.order, self.records.index(r)),
        )
        return [r.id for r in known] + sorted(present - {r.id for r in known})


def _parse(text: str, where: str) -> dict[str, object]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DataError(f"{where}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise DataError(f"{where}: a lexicon is a JSON object of themes")
    return data


def _words(entry: Mapping[str, object], field: str, theme_id: str, where: str) -> tuple[str, ...]:
    value = entry.get(field) or []
    if not isinstance(value, list):
        raise DataError(f'{where}: theme {theme_id!r}: "{field}" must be a list')
    return tuple(str(p) for p in value if str(p).strip())


def _merge(merged: dict[str, dict[str, object]], user: Mapping[str, object], where: str) -> None:
    """Fold the themes of the lexicon ``user`` into ``merged`` (extend, replace or add)."""
    for theme_id, entry in user.items():
        if theme_id.startswith("_"):
            continue
        if not isinstance(entry, dict):
            raise DataError(f"{where}: theme {theme_id!r} must be an object")
        base = merged.get(theme_id)
        if base is None or entry.get("replace"):
            merged[theme_id] = dict(entry)
            continue
        base_patterns = base.get("patterns", [])
        extra_patterns = entry.get("patterns", [])
        if not isinstance(base_patterns, list) or not isinstance(extra_patterns, list):
            raise DataError(f"{where}: theme {theme_id!r} needs a list of patterns")
        looks = {
            k: entry[k]
            for k in ("label", "colour", "order", "category", "category_words")
            if k in entry
        }
        merged[theme_id] = {**base, **looks, "patterns": base_patterns + extra_patterns}


def _record(theme_id: str, entry: Mapping[str, object], colour: str, where: str) -> ThemeRecord:
    if not isinstance(entry.get("patterns"), list):
        raise DataError(f'{where}: theme {theme_id!r} needs a list of "patterns"')
    patterns = _words(entry, "patterns", theme_id, where)
    if not patterns:
        raise DataError(f"{where}: theme {theme_id!r} has no patterns")
    order = entry.get("order", float("inf"))
    if isinstance(order, bool) or not isinstance(order, (int, float)):
        raise DataError(f'{where}: theme {theme_id!r}: "order" must be a number, not {order!r}')
    return ThemeRecord(
        theme_id,
        str(entry.get("label") or theme_id),
        colour,
        float(order),
        patterns,
        _words(entry, "weak", theme_id, where),
        _words(entry, "countries", theme_id, where),
        _category(entry.get("category", "other"), theme_id, where),
        _category_words(entry.get("category_words") or {}, theme_id, where),
        where,
    )


def _category(value: object, theme_id: str, where: str) -> str:
    if value not in CATEGORIES:
        known = ", ".join(repr(c) for c in CATEGORIES)
        raise DataError(f'{where}: theme {theme_id!r}: "category" must be one of {known}')
    return str(value)


def _category_words(
    value: object, theme_id: str, where: str
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise DataError(f'{where}: theme {theme_id!r}: "category_words" must be an object')
    return tuple(
        (_category(category, theme_id, where), _words(value, category, theme_id, where))
        for category in value
    )


def _colour(value: object, theme_id: str, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _COLOUR.match(value):
        raise DataError(f'{where}: theme {theme_id!r}: "colour" must be #rrggbb, not {value!r}')
    return value.lower()


def load_theme_table(extra: str | Path | None = None) -> ThemeTable:
    """Return the built-in theme table, extended (or replaced, per theme) by the lexicon ``extra``.

    A theme in ``extra`` adds its patterns to the built-in theme of the same id (and
    may set its label, colour and order), or replaces it when it says
    ``"replace": true``; a new id is a new theme.  A theme without a colour takes the
    next colour of the table's fallback palette.

    Raises:
        FileError: ``extra`` cannot be read.
        DataError: a lexicon is malformed (names the file and the theme).
    """
    if extra is None:
        return _builtin()
    path = Path(extra)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise FileError(f"{path}: cannot read lexicon: {exc.strerror or exc}") from exc
    return _table(_parse(text, str(path)), str(path))


@cache
def _builtin() -> ThemeTable:
    return _table(None, SHIPPED)


def _table(user: Mapping[str, object] | None, where: str) -> ThemeTable:
    text = resources.files("nkmap").joinpath("data/themes.json").read_text("utf-8")
    shipped = _parse(text, SHIPPED)
    merged: dict[str, dict[str, object]] = {
        k: dict(v) for k, v in shipped.items() if not k.startswith("_") and isinstance(v, dict)
    }
    if user is not None:
        _merge(merged, user, where)
    fallback = shipped.get("_fallback_colours")
    unknown = shipped.get("_unknown")
    unknown = unknown if isinstance(unknown, dict) else {}
    unknown_colour = str(unknown.get("colour", "#666666"))
    palette = [str(c) for c in fallback] if isinstance(fallback, list) else []
    spare = itertools.cycle(palette or [unknown_colour])
    records = []
    for theme_id, entry in merged.items():
        colour = _colour(entry.get("colour"), theme_id, where) or next(spare)
        records.append(_record(theme_id, entry, colour, where))
    return ThemeTable(tuple(records), str(unknown.get("label", "Other")), unknown_colour)
