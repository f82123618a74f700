"""Themes of reported events, from a lexicon file users can extend."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nkmap.errors import DataError, FileError


@dataclass(frozen=True)
class Theme:
    """One theme: its id, its label, the compiled pattern of its words, and of its weak words.

    Weak words (``"weak"`` in the lexicon) mark the theme only in a sentence where no
    theme's own words occur.  ``countries`` (ISO codes), when not empty, are the only
    countries where the theme's events may lie.
    """

    id: str
    label: str
    pattern: re.Pattern[str]
    weak: re.Pattern[str] | None = None
    countries: frozenset[str] = frozenset()


_OPEN = r"(?<![\w-])(?:"
_CLOSE = r")(?![\w-])"


def _compile(theme_id: str, entry: object, where: str) -> Theme:
    if not isinstance(entry, dict) or not isinstance(entry.get("patterns"), list):
        raise DataError(f'{where}: theme {theme_id!r} needs a list of "patterns"')
    words = [str(p) for p in entry["patterns"] if str(p).strip()]
    if not words:
        raise DataError(f"{where}: theme {theme_id!r} has no patterns")
    weak_words = entry.get("weak") or []
    if not isinstance(weak_words, list):
        raise DataError(f'{where}: theme {theme_id!r}: "weak" must be a list')
    weak_words = [str(p) for p in weak_words if str(p).strip()]
    try:
        pattern = re.compile(_OPEN + "|".join(words) + _CLOSE, re.IGNORECASE)
        weak = (
            re.compile(_OPEN + "|".join(weak_words) + _CLOSE, re.IGNORECASE) if weak_words else None
        )
    except re.error as exc:
        raise DataError(f"{where}: theme {theme_id!r} has a bad pattern: {exc}") from exc
    countries = entry.get("countries") or []
    if not isinstance(countries, list):
        raise DataError(f'{where}: theme {theme_id!r}: "countries" must be a list')
    label = str(entry.get("label") or theme_id)
    return Theme(theme_id, label, pattern, weak, frozenset(str(c) for c in countries))


def _parse(text: str, where: str) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DataError(f"{where}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise DataError(f"{where}: a lexicon is a JSON object of themes")
    return {k: v for k, v in data.items() if not k.startswith("_")}


def load_themes(extra: str | Path | None = None) -> list[Theme]:
    """Return the built-in themes, extended (or replaced, per theme) by the lexicon ``extra``.

    A theme in ``extra`` adds its patterns to the built-in theme of the same
    id, or replaces it when it says ``"replace": true``; a new id is a new theme.

    Raises:
        FileError: ``extra`` cannot be read.
        DataError: a lexicon is malformed (names the file and the theme).
    """
    text = resources.files("geo").joinpath("data/themes.json").read_text("utf-8")
    merged = _parse(text, "themes.json")
    if extra is not None:
        path = Path(extra)
        try:
            user = _parse(path.read_text("utf-8"), str(path))
        except OSError as exc:
            raise FileError(f"{path}: cannot read lexicon: {exc.strerror or exc}") from exc
        for theme_id, entry in user.items():
            if not isinstance(entry, dict):
                raise DataError(f"{path}: theme {theme_id!r} must be an object")
            base = merged.get(theme_id)
            if base is None or entry.get("replace"):
                merged[theme_id] = entry
            else:
                base_patterns = base.get("patterns", [])
                extra_patterns = entry.get("patterns", [])
                if not isinstance(base_patterns, list) or not isinstance(extra_patterns, list):
                    raise DataError(f"{path}: theme {theme_id!r} needs a list of patterns")
                merged[theme_id] = {**base, "patterns": base_patterns + extra_patterns}
    return [
        _compile(k, v, "themes.json" if extra is None else str(extra)) for k, v in merged.items()
    ]


def themes_of(sentence: str, themes: list[Theme]) -> dict[str, int]:
    """Return, for each theme whose words occur in ``sentence``, how many times they do.

    For many sentences, build the counter once with :func:`theme_counter`.

    >>> t = load_themes()
    >>> themes_of("Smugglers moved goods across the river at night.", t)
    {'trade': 1}
    """
    return theme_counter(themes)(sentence)


def _inner(pattern: re.Pattern[str]) -> str:
    return _lower_pattern(pattern.pattern[len(_OPEN) : -len(_CLOSE)])


def _combined(themes: list[Theme]) -> tuple[re.Pattern[str], dict[str, tuple[str, bool]]]:
    """Return one pattern of every theme's words (strong first, in lexicon order), and what
    each of its groups stands for: ``(theme id, weak?)``."""
    groups: dict[str, tuple[str, bool]] = {}
    parts = []
    for i, t in enumerate(themes):
        groups[f"t{i}"] = (t.id, False)
        parts.append(f"(?P<t{i}>{_inner(t.pattern)})")
    for i, t in enumerate(themes):
        if t.weak is not None:
            groups[f"w{i}"] = (t.id, True)
            parts.append(f"(?P<w{i}>{_inner(t.weak)})")
    # Matching lowercased text with a case-sensitive pattern is ~3x faster than IGNORECASE.
    return re.compile(_OPEN + "|".join(parts) + _CLOSE), groups


def theme_counter(themes: list[Theme]) -> Callable[[str], dict[str, int]]:
    """Return a function counting every theme's words in a sentence, in one regex pass
    (weak words count only when no theme's own words occur)."""
    combined, groups = _combined(themes)

    def count(sentence: str) -> dict[str, int]:
        strong: dict[str, int] = {}
        weak: dict[str, int] = {}
        for m in combined.finditer(sentence.lower()):
            theme, is_weak = groups[m.lastgroup or ""]
            into = weak if is_weak else strong
            into[theme] = into.get(theme, 0) + 1
        return strong or weak

    return count


def theme_chooser(themes: list[Theme]) -> Callable[[str], list[tuple[str, int]]]:
    """Return a function ranking a sentence's themes, best first, with their word counts.

    The best theme is the one whose words the sentence holds most, ties going to the theme
    listed first in the lexicon (its priority order); a sentence with no theme word gets [].

    >>> choose = theme_chooser(load_themes())
    >>> choose("Kim Jong Un visited the new factory in Kusong.")[0]
    ('factory', 1)
    >>> choose("Police stepped up crackdowns on smuggling in Hyesan.")
    [('security', 1), ('trade', 1)]
    """
    count = theme_counter(themes)
    rank = {t.id: i for i, t in enumerate(themes)}

    def choose(sentence: str) -> list[tuple[str, int]]:
        found = count(sentence)
        return sorted(found.items(), key=lambda item: (-item[1], rank[item[0]]))

    return choose


def _lower_pattern(pattern: str) -> str:
    """Return ``pattern`` with its literal letters lowercased and its escapes (\\W, \\S) kept.

    >>> _lower_pattern(r"State\\s+Security\\W")
    'state\\\\s+security\\\\W'
    """
    out = []
    escaped = False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = ch == "\\" and not escaped
    return "".join(out)
