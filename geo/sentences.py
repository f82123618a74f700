"""Sentences of an article's text, with their offsets and paragraphs."""

from __future__ import annotations

import re

_LINE = re.compile(r"[^\n]+")
# A break is matched from its stop on (a match can then start only at a stop, where a
# lookbehind would be tried at every character), so the sentence ends one after its start.
_BREAK = re.compile(
    r"[.!?](?:[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])"
    # sentences run together without a space ("reported Wednesday.In 2024"), not "U.S."
    r"|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]))"
)


#: Words ending in a full stop that does not end a sentence ("on Sept. 5", "Mr. Kim").
ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr st no nos gen lt col "
    "capt sgt maj adm gov sen rep prof vs etc approx dept univ inc co corp ltd mt ft".split()
)
_LAST_WORD = re.compile(r"([A-Za-z]+)\.[\"”’)]*\s*$")
_WRAP_END = re.compile(r"[.!?:;\"'”’)\]]\s*$")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` of each paragraph: a line, or lines wrapped mid-sentence (a
    line not ending in closing punctuation, followed by one starting in lower case)."""
    out: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start, end = line.start(), line.end()
        body = line.group().strip()
        if not body:
            continue
        if out and body[:1].islower() and not _WRAP_END.search(text[out[-1][0] : out[-1][1]]):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def sentences(text: str) -> list[tuple[int, int, int]]:
    """Return ``(start, end, paragraph)`` for every sentence of ``text``, trimmed of space.

    Lines are paragraphs (a line wrapped mid-sentence continues the one before it); within
    a paragraph, a sentence ends at ``.``, ``!`` or ``?`` (and closing quotes) followed by a
    capital letter or digit, except after an abbreviation (:data:`ABBREVIATIONS`).

    >>> t = "One here. Two there!\\nThree\\ncontinued."
    >>> [t[s:e] for s, e, _ in sentences(t)]
    ['One here.', 'Two there!', 'Three\\ncontinued.']
    """
    out = []
    for para, (p_start, p_end) in enumerate(_paragraphs(text)):
        start = p_start
        chunk = text[p_start:p_end]
        for brk in _BREAK.finditer(chunk):
            at = brk.start() + 1  # just after the stop
            before = _LAST_WORD.search(chunk[max(0, at - 12) : at + 1])
            if before is not None and before.group(1).lower() in ABBREVIATIONS:
                continue
            out.append((start, p_start + at, para))
            start = p_start + brk.end()
        out.append((start, p_end, para))
    trimmed = []
    for s, e, p in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e, p))
    return trimmed
