"""Case-insensitive patterns matched on lowercased text: the same matches, about three times
faster than ``re.IGNORECASE``.

A :class:`Folded` pattern is compiled with its letters lowercased, to run on a lowercased
copy of the text (:func:`fold`), and, when first needed, as written with ``re.IGNORECASE``,
for the rare text that lowercasing would change beyond its letters' case (a character that
grows when lowered, the dotless ı or the long ſ, which ``re.IGNORECASE`` equates with i and
s).

>>> said = Folded.compile(r"\\bsaid\\b")
>>> text = "Officials SAID so."
>>> said.search(text, fold(text)) is not None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from geo.alternation import alternatives, factor, first_characters


def lower_pattern(pattern: str) -> str:
    """Return ``pattern`` with its literal letters lowercased and its escapes (\\W, \\S) kept.

    >>> lower_pattern(r"State\\s+Security\\W")
    'state\\\\s+security\\\\W'
    """
    out = []
    escaped = False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = ch == "\\" and not escaped
    return "".join(out)


def fold(text: str) -> str | None:
    """Return ``text`` lowercased, or None when lowercasing would move or change more than
    its letters' case (then :class:`Folded` patterns match the text as it is)."""
    return _folded(text, text.lower())


def _folded(text: str, lower: str) -> str | None:
    """Return :func:`fold` of ``text``, given ``lower``, its ``text.lower()``."""
    # the dotless ı and the long ſ, which re.IGNORECASE equates with i and s
    if len(lower) != len(text) or "ı" in text or "ſ" in text:
        return None
    return lower


@dataclass(slots=True)
class FoldedText:
    """A text lowercased once for every pattern that reads it or a part of it (not changed
    once made).

    ``lower`` is ``text.lower()``; ``low`` is its :func:`fold` (None when folding is refused);
    ``sliced`` tells whether a slice of ``low`` is the fold of the same slice of ``text``: so
    it is when the text folds and holds no capital sigma (each character then lowers on its
    own, to one character; a Σ lowers to σ or ς by the letters around it).
    """

    text: str
    lower: str
    low: str | None
    sliced: bool

    @classmethod
    def of(cls, text: str) -> FoldedText:
        """Return ``text`` with its lowercased and folded copies."""
        lower = text.lower()
        low = _folded(text, lower)
        return cls(text, lower, low, low is not None and "Σ" not in text)

    def part(self, start: int, end: int) -> str | None:
        """Return ``fold(text[start:end])`` (a slice of ``low`` where that is the same)."""
        if self.sliced:
            return self.lower[start:end]
        return fold(self.text[start:end])


@dataclass(frozen=True)
class Folded:
    """A case-insensitive pattern: ``low`` for folded text, ``exact`` for the text as is
    (compiled when first needed: few texts need it)."""

    source: str
    low: re.Pattern[str]

    @classmethod
    def compile(cls, pattern: str) -> Folded:
        """Return the pattern compiled for folded text.

        Raises:
            re.error: ``pattern`` is not a regular expression.
        """
        low = factor(lower_pattern(pattern))  # the same matches, fewer tries at each word
        return cls(pattern, re.compile(low))

    @cached_property
    def exact(self) -> re.Pattern[str]:
        """The pattern as written, with ``re.IGNORECASE``."""
        return re.compile(self.source, re.IGNORECASE)

    def search(self, text: str, low: str | None) -> re.Match[str] | None:
        """Return the first match in ``text`` (``low``: its :func:`fold`)."""
        return self.low.search(low) if low is not None else self.exact.search(text)

    def match(self, text: str, low: str | None) -> re.Match[str] | None:
        """Return the match at the start of ``text`` (``low``: its :func:`fold`)."""
        return self.low.match(low) if low is not None else self.exact.match(text)

    def head(self, text: str, low: str | None) -> str:
        """Return ``text`` up to this pattern's first match (all of it when there is none)."""
        found = self.search(text, low)
        return text if found is None else text[: found.start()]


#: What a word opening a :class:`FoldedWords` match may not follow (on folded text, no
#: capital is left; a word character of another script is told by ``\\W`` after this).
_NOT_BEFORE_WORD = r"[^a-z0-9_](?<=\W)"


@dataclass(frozen=True)
class FoldedWords:
    """A case-insensitive pattern of whole words, to tell whether a text holds one: each
    alternative opens with ``\\b`` and a word character (``\\bwould\\b|\\bmust\\b``).

    On folded text it is matched from the character before the word (one that is not a word
    character), with a space put before the text for a word opening it: the same texts hold
    it, and the engine skips from one such character to the next instead of testing a word
    boundary at every position.  ``exact`` reads the text as is, as :class:`Folded` does.
    """

    source: str
    low: re.Pattern[str]

    @classmethod
    def compile(cls, pattern: str) -> FoldedWords:
        """Return the pattern compiled for folded text.

        Raises:
            re.error: ``pattern`` is not a regular expression.
            ValueError: an alternative does not open with ``\\b`` and a word character, or
                the pattern looks behind (it would see the character before the word).
        """
        parts = alternatives(lower_pattern(pattern))
        if "(?<" in pattern or not all(part.startswith("\\b") for part in parts):
            raise ValueError(f"not a pattern of whole words: {pattern!r}")
        words = "|".join(part[2:] for part in parts)
        firsts = first_characters(words)
        if firsts is None or not all(ch.isalnum() or ch == "_" for ch in firsts):
            raise ValueError(f"not a pattern of words opening on a word character: {pattern!r}")
        return cls(pattern, re.compile(_NOT_BEFORE_WORD + "(?:" + factor(words) + ")"))

    @cached_property
    def exact(self) -> re.Pattern[str]:
        """The pattern as written, with ``re.IGNORECASE``."""
        return re.compile(self.source, re.IGNORECASE)

    def found(self, text: str, low: str | None) -> bool:
        """Return True when ``text`` holds a match (``low``: its :func:`fold`)."""
        if low is None:
            return self.exact.search(text) is not None
        return self.low.search(" " + low) is not None
