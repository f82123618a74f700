"""One regular expression for many alternatives, factored on their literal prefixes.

Python's ``re`` tries the alternatives of ``a|b|c…`` one by one at every position, so a
pattern of a few hundred words costs a few hundred tries at each word of a text.  Factored
into a tree of their literal prefixes (``factor(y|ies)|farms?`` → ``fa(?:ctor(y|ies)|rms?)``),
most alternatives are ruled out by one character compare, and the matcher's fast check of a
branch's first literal does the rest: the same matches, several times faster.

Factoring keeps what an alternation means: at each position the first alternative (in the
order given) that matches, with what follows, wins.  Alternatives are only regrouped where
they begin with different literal characters, which no text can match both of; an
alternative whose next character is not a plain literal keeps its place among the others.

>>> pattern, names = factored([("a", "factor(y|ies)|farms?"), ("b", "fair|ban")])
>>> pattern
'fa(?:ctor(?P<g0>(y|ies))|rm(?P<g1>s?)|ir(?P<g2>))|ban(?P<g3>)'
>>> [names[m.lastgroup] for m in re.finditer(pattern, "fair farms, a ban")]
['b', 'a', 'b']
"""

from __future__ import annotations

import os
import re

__all__ = ["alternatives", "factor", "factored", "factored_words", "first_characters"]

#: Characters written as themselves in a pattern (a literal, unless a quantifier follows).
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ")
#: A class of such characters only ("[Yy]"): one alternative for each.
_PLAIN_CLASS = re.compile(r"\[([a-zA-Z0-9]+)\]")
_QUANTIFIERS = frozenset("?*+{")
#: A group whose alternatives can be spread over the pattern: a plain or non-capturing one.
_OPENING = re.compile(r"\((?!\?)|\(\?:")
#: A group whose words can be factored where they stand: those, or a named one.
_ANY_OPENING = re.compile(r"\((?!\?)|\(\?:|\(\?P<\w+>")
#: Characters of pattern written again, at most, by spreading a group's words over it.
_MOST_REPEATED = 400
#: A literal prefix opening on a word character (after which ``\\b`` is "no \\w before").
_WORD = re.compile(r"\w")
#: At most so many first characters for the matcher to skip to (see _few_starts).
_MOST_STARTS = 8
#: A back reference, which regrouping would renumber.
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


def _scan(pattern: str) -> list[tuple[int, int]]:
    """Return ``(position, depth)`` of each unescaped ``(``, ``)`` and ``|`` of
    ``pattern`` outside character classes (the depth before the character)."""
    out = []
    depth, escaped, in_class = 0, False, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "(|)":
            if ch == ")":
                depth -= 1
            out.append((i, depth))
            if ch == "(":
                depth += 1
    return out


def alternatives(pattern: str) -> list[str]:
    """Return the top-level alternatives of ``pattern`` (split on ``|`` outside groups).

    >>> alternatives("a(b|c)|d[|]")
    ['a(b|c)', 'd[|]']
    """
    cuts = [i for i, depth in _scan(pattern) if depth == 0 and pattern[i] == "|"]
    edges = [-1, *cuts, len(pattern)]
    return [pattern[a + 1 : b] for a, b in zip(edges, edges[1:], strict=False)]


def _heads(alternative: str) -> list[tuple[str, str]] | None:
    """Return the alternative as ``(first character, rest)`` pairs, in the order the
    matcher tries them, or None when its first character is not known: a plain literal,
    ``\\d``, or a leading group of such alternatives (``(was|were) held``; a capturing
    group's number is lost)."""
    if not alternative:
        return None
    if alternative[0] in _PLAIN:
        if alternative[1:2] and alternative[1] in _QUANTIFIERS:
            return None
        return [(alternative[0], alternative[1:])]
    if alternative.startswith("\\d"):
        if alternative[2:3] and alternative[2] in _QUANTIFIERS:
            return None
        return [(digit, alternative[2:]) for digit in "0123456789"]
    chars = _PLAIN_CLASS.match(alternative)
    if chars is not None:
        rest = alternative[chars.end() :]
        if rest[:1] in _QUANTIFIERS:
            return None
        return [(ch, rest) for ch in dict.fromkeys(chars.group(1))]
    opening = _OPENING.match(alternative)
    if opening is not None:
        scan = _scan(alternative)
        close = next((i for i, d in scan if d == 0 and alternative[i] == ")"), -1)
        rest = alternative[close + 1 :]
        if close < 0 or rest[:1] in _QUANTIFIERS:
            return None
        out: list[tuple[str, str]] = []
        for inner in alternatives(alternative[opening.end() : close]):
            heads = _heads(inner)
            if heads is None:
                return None
            out.extend((first, tail + rest) for first, tail in heads)
        return out
    return None


def first_characters(pattern: str) -> frozenset[str] | None:
    """Return the characters a match of ``pattern`` can open with, or None when that is not
    known (an alternative's first character is not a plain literal, ``\\d``, a class of
    such characters or a group of such alternatives).

    >>> sorted(first_characters(r"(?:was|were) held|\\d km|[Yy]es"))
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'Y', 'w', 'y']
    """
    found: set[str] = set()
    for alternative in alternatives(pattern):
        heads = _heads(alternative)
        if heads is None:
            return None
        found.update(first for first, _ in heads)
    return frozenset(found)


def _kept_whole(alternative: str) -> str | None:
    """Return an alternative opening on a named group, or on a group of many words before
    a long rest (``\\b(?:governor|mayor|…)\\s+of…``), with only the group's words
    factored: a name can be written once, and spread over the pattern the rest would be
    written once for each word (a pattern many times as long, slower to compile).  Return
    None for any other alternative."""
    opening = _ANY_OPENING.match(alternative)
    if opening is None:
        return None
    close = next((i for i, d in _scan(alternative) if d == 0 and alternative[i] == ")"), -1)
    rest = alternative[close + 1 :]
    words = alternative[opening.end() : close]
    if close < 0 or rest[:1] in _QUANTIFIERS:
        return None
    named = opening.group().startswith("(?P<")  # its name can be written only once
    if not named and (len(alternatives(words)) - 1) * len(rest) <= _MOST_REPEATED:
        return None
    return alternative[: opening.end()] + factor(words) + alternative[close:]


def _literal(rest: str) -> tuple[str, str]:
    """Return the literal characters that ``rest`` begins with, and what follows them."""
    i = 0
    while i < len(rest) and rest[i] in _PLAIN:
        if rest[i + 1 : i + 2] and rest[i + 1] in _QUANTIFIERS:
            break
        i += 1
    return rest[:i], rest[i:]


#: An alternative ready to factor: its literal prefix, the pattern after it, its key.
_Item = tuple[str, str, str]


def factored(
    groups: list[tuple[str, str]], not_after: str | None = None
) -> tuple[str, dict[str, str]] | None:
    """Return one pattern matching what ``"|".join(pattern for _, pattern in groups)``
    matches, factored on literal prefixes, and the key of each of its named groups: the
    key of the match's ``lastgroup`` is the key of the ``(key, pattern)`` it matched.

    ``not_after`` (a character class, ``[\\w-]``) makes the pattern match only where the
    character before is not of it, as ``(?<!not_after)(?:…)`` would; the test is made after
    each literal prefix (``ban(?<![\\w-]ban)…``), so that the matcher can skip to where a
    prefix starts instead of testing every position.

    Patterns are for matching without ``re.IGNORECASE`` (under it, ``a`` and ``A`` would
    begin the same words; match lowercased text instead).  Returns None when some
    alternative's first character is not known (see :func:`_heads`) or a pattern holds a
    back reference: then join them unfactored.
    """
    items = _items(groups)
    if items is None:
        return None
    names: dict[str, str] = {}
    if not_after is None:
        return _node(items, 0, names), names
    if _few_starts(items):
        return "(?:" + _node(items, 0, names, not_after) + ")", names
    return f"(?<!{not_after})(?:" + _node(items, 0, names) + ")", names


def factored_words(groups: list[tuple[str, str]]) -> tuple[str, dict[str, str]] | None:
    """Return :func:`factored` of ``groups`` (without ``not_after``) when every alternative
    opens on a literal word character (a match then opens on one), else None."""
    items = _items(groups)
    if items is None or not all(_WORD.match(prefix[:1]) for prefix, _, _ in items):
        return None
    names: dict[str, str] = {}
    return _node(items, 0, names), names


def _few_starts(items: list[_Item]) -> bool:
    """True when the items begin with so few characters that the matcher, skipping to
    where one of them stands, beats testing what comes before every position (with many,
    most letters of a text begin one, and every position costs a walk into the tree)."""
    return (
        all(prefix for prefix, _, _ in items) and len({p[0] for p, _, _ in items}) <= _MOST_STARTS
    )


def factor(pattern: str) -> str:
    """Return a pattern matching what ``pattern`` (for use without ``re.IGNORECASE``) matches,
    its alternatives factored on their literal prefixes; ``pattern`` itself when they cannot
    be (see :func:`factored`).  A ``\\b`` they all begin with is tested after each prefix
    (``in(?<!\\win)``: the matcher then skips to where a prefix starts).

    >>> factor(r"\\b(?:in|at|inside)\\s+$")
    '(?:in(?<!\\\\win)(?:\\\\s+$|side\\\\s+$)|at(?<!\\\\wat)\\\\s+$)'
    """
    parts = alternatives(pattern)
    bounded = all(part.startswith("\\b") for part in parts)
    if bounded:
        parts = [part[2:] for part in parts]
    items = _items([("", "|".join(parts))])
    if items is None:
        return pattern
    if not bounded:
        return "(?:" + _node(items, 0, None) + ")"
    if _few_starts(items) and all(_WORD.match(prefix) for prefix, _, _ in items):
        # "\\b" before a word character: no word character before it
        return "(?:" + _node(items, 0, None, "\\w") + ")"
    return "\\b(?:" + _node(items, 0, None) + ")"


def _items(groups: list[tuple[str, str]]) -> list[_Item] | None:
    """Return the alternatives of ``groups`` (``(key, pattern)``), in order, as items, or
    None when one cannot be factored."""
    items: list[_Item] = []
    for key, pattern in groups:
        if _BACKREF.search(pattern):
            return None
        for alternative in alternatives(pattern):
            whole = _kept_whole(alternative)
            if whole is not None:
                items.append(("", whole, key))  # tried in its place, first letter unknown
                continue
            heads = _heads(alternative)
            if heads is None:
                return None
            for first, rest in heads:
                prefix, tail = _literal(rest)
                items.append((first + prefix, tail, key))
    return items


def _node(
    items: list[_Item], depth: int, names: dict[str, str] | None, not_after: str | None = None
) -> str:
    """Return the pattern of ``items`` after their first ``depth`` literal characters (its
    alternatives, :func:`_node_parts`, joined)."""
    return "|".join(_node_parts(items, depth, names, not_after))


def _grouped(parts: list[str]) -> str:
    """Return ``parts`` as one alternation to write after a prefix: a group of them, or the
    one alone (no part has a ``|`` outside its groups, nor opens with a quantifier: the same
    matches, and a shorter pattern, compiled sooner)."""
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _node_parts(
    items: list[_Item], depth: int, names: dict[str, str] | None, not_after: str | None = None
) -> list[str]:
    """Return the alternatives of the pattern of ``items`` after their first ``depth``
    literal characters.

    Items whose prefix is used up stay in place (each run of one key in a group, named
    and entered in ``names`` unless that is None);
    between them, items are grouped by their next character, which keeps each one's order
    among those that could match the same text."""
    parts: list[str] = []
    i = 0
    while i < len(items):
        prefix, _, key = items[i]
        j = i
        if len(prefix) <= depth:
            while j < len(items) and len(items[j][0]) <= depth and items[j][2] == key:
                j += 1
            tails = [item[1] for item in items[i:j]]
            guard = f"(?<!{not_after})" if not_after else ""  # (only at the top)
            if names is None:
                parts.append(guard + _grouped(tails))
            else:
                name = f"g{len(names)}"
                names[name] = key
                parts.append(f"{guard}(?P<{name}>{'|'.join(tails)})")
        else:
            while j < len(items) and len(items[j][0]) > depth:
                j += 1
            by_char: dict[str, list[_Item]] = {}
            for item in items[i:j]:
                by_char.setdefault(item[0][depth], []).append(item)
            for run in by_char.values():
                common = os.path.commonprefix([item[0][depth:] for item in run])
                inner = _node_parts(run, depth + len(common), names)
                written = re.escape(common)
                guard = f"(?<!{not_after}{written})" if not_after else ""
                parts.append(written + guard + _grouped(inner))
        i = j
    return parts
