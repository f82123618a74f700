"""Sentences of an article's text, with their offsets and paragraphs."""

from __future__ import annotations

import re

_LINE = re.compile(r"[^\n]+")
_BREAK = re.compile(
    r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])"
    # sentences run together without a space ("reported Wednesday.In 2024"), not "U.S."
    r"|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])"
)


def sentences(text: str) -> list[tuple[int, int, int]]:
    """Return ``(start, end, paragraph)`` for every sentence of ``text``, trimmed of space.

    Lines are paragraphs; within a line, a sentence ends at ``.``, ``!`` or
    ``?`` (and closing quotes) followed by a capital letter or digit.

    >>> t = "One here. Two there!\\nThree."
    >>> [t[s:e] for s, e, _ in sentences(t)]
    ['One here.', 'Two there!', 'Three.']
    """
    out = []
    for para, line in enumerate(_LINE.finditer(text)):
        start = line.start()
        for brk in _BREAK.finditer(line.group()):
            out.append((start, line.start() + brk.start(), para))
            start = line.start() + brk.end()
        out.append((start, line.end(), para))
    trimmed = []
    for s, e, p in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e, p))
    return trimmed
