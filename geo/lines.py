"""What the rules that read a page's lines ask of a line: how many words it holds, whether
it ends a sentence, whether it may open with one of a rule's first words.  Shared by the
cleaner (:mod:`geo.clean`) and the publication date (:mod:`geo.dates`).
"""

from __future__ import annotations

import re

__all__ = ["CLOSERS", "count_words", "ends_sentence", "first_letters", "may_open"]

#: The letters outside ASCII that the engine, ignoring case, takes for an ASCII one.
_FOLDED_LETTERS = {"i": "İı", "k": "\u212a", "s": "ſ"}


def first_letters(words: str) -> frozenset[str]:
    """Return the characters that a pattern ignoring case takes for the first letter of one
    of ``words`` (space-separated): both cases, and "İ", "ı", "ſ", "K" for "i", "s", "k".

    A line opening with a word character none of those is matched by no anchored pattern
    whose every alternative, after ``^\\W*``, opens with one of the words.

    >>> sorted(first_letters("see more"))
    ['M', 'S', 'm', 's', 'ſ']
    """
    letters = {word[0].lower() for word in words.split()}
    return frozenset("".join(c + c.upper() + _FOLDED_LETTERS.get(c, "") for c in letters))


def may_open(line: str, letters: frozenset[str]) -> bool:
    """Return False when ``line`` opens with a word character (``\\w``) not in
    ``letters`` (see :func:`first_letters`), True otherwise."""
    first = line[:1]
    return first in letters or not (first.isalnum() or first == "_")


_WORD = re.compile(r"[^\W\d_]{2,}")
# A letter outside ASCII (a word character that is neither a digit, "_" nor ASCII).
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
# Bytes to letters and gaps: each ASCII letter becomes "a", every other byte a space.
_LETTER_BYTES = bytes(ord("a") if chr(b).isascii() and chr(b).isalpha() else 32 for b in range(256))


def count_words(text: str) -> int:
    """Return the number of words (runs of two letters or more, :data:`_WORD`) in ``text``.

    When every letter of ``text`` is ASCII the runs are counted in its UTF-8 bytes, letters
    mapped to ``a`` and the rest to spaces: each run then opens with `` aa`` (a space put in
    front), and one ``bytes.count`` finds them all, about six times faster than listing
    the matches of the pattern, with the same result.  Raises nothing.

    >>> count_words("Kim Ji-hye | 2018-04-06"), count_words("Ким Чен Ын")
    (3, 3)
    """
    if not text.isascii() and _NON_ASCII_LETTER.search(text):
        return len(_WORD.findall(text))
    data = b" " + text.encode("utf-8", "surrogatepass")
    return data.translate(_LETTER_BYTES).count(b" aa")


#: Closing quotes and brackets, which may follow the mark ending a sentence.
CLOSERS = "\"'”’)]"


def ends_sentence(text: str) -> bool:
    """Return True when ``text`` ends a sentence: ``.``, ``!`` or ``?`` followed only by
    closing quotes and brackets, or a closing double quote (a newline may follow, as the
    pattern ``$`` allows).  Read from the end, not by a search through the whole line.

    >>> ends_sentence('He left."'), ends_sentence("By Kim Ji-hye | 2024-03-08")
    (True, False)
    """
    if text.endswith("\n"):
        text = text[:-1]
    return text.endswith(('"', "”")) or text.rstrip(CLOSERS).endswith((".", "!", "?"))
