"""Themes of reported events: the theme table's words (:mod:`nkmap.themes`), compiled."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

from geo.alternation import factored, factored_words
from geo.folded import lower_pattern
from nkmap.errors import DataError
from nkmap.themes import SHIPPED, ThemeRecord, ThemeTable, load_theme_table


@dataclass(frozen=True)
class Theme:
    """One theme: its id, its label, the pattern of its words, and of its weak words.

    ``words`` and ``weak_words`` are the sources of one alternation each (the lexicon's
    patterns joined by ``|``); :attr:`pattern` and :attr:`weak` are compiled from them when
    first asked for (the theme counter compiles all themes' words as one pattern).  Weak
    words (``"weak"`` in the lexicon) mark the theme only in a sentence where no theme's own
    words occur.  ``countries`` (ISO codes), when not empty, are the only countries where
    the theme's events may lie.  ``category`` is the strand of the border economy its events
    bear on, unless the sentence holds words of one of ``category_words``.
    """

    id: str
    label: str
    words: str
    weak_words: str | None = None
    countries: frozenset[str] = frozenset()
    category: str = "other"
    category_words: tuple[tuple[str, re.Pattern[str]], ...] = ()

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The theme's words as one case-insensitive pattern of whole words."""
        return _whole_words(self.words)

    @cached_property
    def weak(self) -> re.Pattern[str] | None:
        """The theme's weak words as one such pattern (None when it has none)."""
        return None if self.weak_words is None else _whole_words(self.weak_words)

    def category_of(self, sentence: str) -> str:
        """Return the category of this theme's event told by ``sentence``: the first of
        ``category_words`` whose words it holds, else the theme's own category.

        >>> security = {t.id: t for t in load_themes()}["security"]
        >>> security.category_of("Police arrested 35 drug dealers.")
        'other'
        >>> security.category_of("Police stepped up crackdowns on smuggling in Hyesan.")
        'cross-border trade'
        """
        for category, words in self.category_words:
            if words.search(sentence):
                return category
        return self.category


#: What may not come just before or after a theme word.
_NOT_AFTER = r"[\w-]"
_OPEN = rf"(?<!{_NOT_AFTER})(?:"
_CLOSE = rf")(?!{_NOT_AFTER})"


def _compile(record: ThemeRecord) -> Theme:
    """Return the theme of a table record, its category words compiled (and, unless the
    record is of the table nkmap ships, its words checked).

    Raises:
        DataError: a pattern is not a regular expression (names the file and the theme).
    """
    words = "|".join(record.patterns)
    weak = "|".join(record.weak) if record.weak else None
    try:
        if record.where != SHIPPED:
            _whole_words(words)
            if weak is not None:
                _whole_words(weak)
        by_category = tuple((c, _whole_words("|".join(w))) for c, w in record.category_words if w)
    except re.error as exc:
        raise DataError(f"{record.where}: theme {record.id!r} has a bad pattern: {exc}") from exc
    return Theme(
        record.id,
        record.label,
        words,
        weak,
        frozenset(record.countries),
        record.category,
        by_category,
    )


def _whole_words(pattern: str) -> re.Pattern[str]:
    """Return ``pattern`` compiled case-insensitive, matching whole words only.

    Raises:
        re.error: ``pattern`` is not a regular expression.
    """
    return re.compile(_OPEN + pattern + _CLOSE, re.IGNORECASE)


def load_themes(extra: str | Path | None = None) -> list[Theme]:
    """Return the themes of the theme table (:func:`nkmap.themes.load_theme_table`), extended
    (or replaced, per theme) by the lexicon ``extra``, in priority order.

    A theme in ``extra`` adds its patterns to the built-in theme of the same
    id, or replaces it when it says ``"replace": true``; a new id is a new theme.

    Raises:
        FileError: ``extra`` cannot be read.
        DataError: a lexicon is malformed (names the file and the theme).
    """
    return themes_from(load_theme_table(extra))


def themes_from(table: ThemeTable) -> list[Theme]:
    """Return the themes of ``table``, their words compiled, in priority order.

    Raises:
        DataError: a pattern is not a regular expression.
    """
    return [_compile(record) for record in table.values()]


def themes_of(sentence: str, themes: list[Theme]) -> dict[str, int]:
    """Return, for each theme whose words occur in ``sentence``, how many times they do.

    For many sentences, build the counter once with :func:`theme_counter`.

    >>> t = load_themes()
    >>> themes_of("Smugglers moved goods across the river at night.", t)
    {'trade': 1}
    """
    return theme_counter(themes)(sentence)


#: The character before a theme word, taken with the word when every word opens on a word
#: character (on lowercased text no capital is left; one of another script is told after).
_BEFORE_WORD = r"[^a-z0-9_\-](?<=[^\w-])"


def _combined(
    themes: list[Theme],
) -> tuple[re.Pattern[str], dict[str, tuple[str, bool]], bool]:
    """Return one pattern of every theme's words (strong first, in lexicon order), what
    each of its groups stands for (``(theme id, weak?)``), and whether it is matched in the
    lowercased text with a space before it.

    When every word opens on a word character, a match takes the character before the word
    with it (the space, for a word opening the text): the engine then skips from one
    character that is not a letter or digit to the next, instead of testing what comes
    before at every position.  A match never ends just before a word (:data:`_CLOSE`), so
    each finds the character before it free: the same words, in the same groups."""
    groups = [((t.id, False), lower_pattern(t.words)) for t in themes]
    groups += [((t.id, True), lower_pattern(t.weak_words)) for t in themes if t.weak_words]
    keys = {f"k{i}": key for i, (key, _) in enumerate(groups)}
    named_groups = [(f"k{i}", pattern) for i, (_, pattern) in enumerate(groups)]
    spaced = False
    words = factored_words(named_groups)
    tree = words if words is not None else factored(named_groups, not_after=_NOT_AFTER)
    if tree is None:  # a word whose first letter is not plain: the words one by one
        body = "|".join(f"(?P<k{i}>{pattern})" for i, (_, pattern) in enumerate(groups))
        named = {name: name for name in keys}
        source = _OPEN + body + _CLOSE
    elif words is not None:
        body, named = words
        source, spaced = _BEFORE_WORD + "(?:" + body + ")" + rf"(?!{_NOT_AFTER})", True
    else:
        body, named = tree  # what comes before a word (_OPEN) tested in the tree
        source = body + rf"(?!{_NOT_AFTER})"
    # Matching lowercased text with a case-sensitive pattern is ~3x faster than IGNORECASE.
    combined = re.compile(source)
    return combined, {name: keys[key] for name, key in named.items()}, spaced


class ThemeCounter(Protocol):
    """Counts the themes' words in ``sentence`` (``lower``, when given, is its ``lower()``)."""

    def __call__(self, sentence: str, lower: str | None = None) -> dict[str, int]: ...


class ThemeChooser(Protocol):
    """Ranks the themes of ``sentence`` (``lower``, when given, is its ``lower()``)."""

    def __call__(self, sentence: str, lower: str | None = None) -> list[tuple[str, int]]: ...


def theme_counter(themes: list[Theme]) -> ThemeCounter:
    """Return a function counting every theme's words in a sentence, in one regex pass
    (weak words count only when no theme's own words occur)."""
    combined, groups, spaced = _combined(themes)
    before = " " if spaced else ""

    def count(sentence: str, lower: str | None = None) -> dict[str, int]:
        strong: dict[str, int] = {}
        weak: dict[str, int] = {}
        for m in combined.finditer(before + (sentence.lower() if lower is None else lower)):
            theme, is_weak = groups[m.lastgroup or ""]
            into = weak if is_weak else strong
            into[theme] = into.get(theme, 0) + 1
        return strong or weak

    return count


def theme_chooser(themes: list[Theme]) -> ThemeChooser:
    """Return a function ranking a sentence's themes, best first, with their word counts.

    The best theme is the one whose words the sentence holds most, ties going to the theme
    listed first in the lexicon (its priority order); a sentence with no theme word gets [].
    The last sentence ranked is remembered (a headline is ranked as the article's, and
    again as its first sentence).

    >>> choose = theme_chooser(load_themes())
    >>> choose("Kim Jong Un visited the new factory in Kusong.")[0]
    ('factory', 1)
    >>> choose("Police stepped up crackdowns on smuggling in Hyesan.")
    [('security', 1), ('trade', 1)]
    """
    count = theme_counter(themes)
    rank = {t.id: i for i, t in enumerate(themes)}

    last: list[tuple[str, list[tuple[str, int]]]] = []  # the last sentence and its ranking

    def choose(sentence: str, lower: str | None = None) -> list[tuple[str, int]]:
        if last and last[0][0] == sentence:
            return list(last[0][1])
        found = count(sentence, lower)
        ranked = sorted(found.items(), key=lambda item: (-item[1], rank[item[0]]))
        last[:] = [(sentence, ranked)]
        return list(ranked)

    return choose
