"""Factored alternations match what the plain alternation matches, group for group."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from geo.alternation import alternatives, factor, factored
from geo.folded import lower_pattern
from geo.themes import _CLOSE, _OPEN, load_themes


def _plain(groups: list[tuple[str, str]]) -> tuple[re.Pattern[str], dict[str, str]]:
    names = {f"p{i}": key for i, (key, _) in enumerate(groups)}
    body = "|".join(f"(?P<p{i}>{pattern})" for i, (_, pattern) in enumerate(groups))
    return re.compile(_OPEN + body + _CLOSE), names


def _found(pattern: re.Pattern[str], names: dict[str, str], text: str) -> list[tuple]:
    return [(m.span(), names[m.lastgroup or ""]) for m in pattern.finditer(text)]


def _both(groups: list[tuple[str, str]], guarded: bool = False) -> tuple[tuple, tuple]:
    """The plain alternation, and the factored one (``guarded``: what may not come before
    a word tested inside the tree, as the theme counter does)."""
    if guarded:
        tree = factored(groups, not_after=r"[\w-]")
        assert tree is not None
        return _plain(groups), (re.compile(tree[0] + r"(?![\w-])"), tree[1])
    tree = factored(groups)
    assert tree is not None
    body, names = tree
    return _plain(groups), (re.compile(_OPEN + body + _CLOSE), names)


_word = st.text("abA", min_size=1, max_size=4)
_alternative = st.one_of(
    _word,
    st.builds(lambda w, q: w + q, _word, st.sampled_from(["?", "s?", "(a|b)", " b", "\\w*"])),
    st.builds(
        lambda ws, t: "(" + "|".join(ws) + ")" + t,
        st.lists(_word, min_size=1, max_size=3),
        st.sampled_from(["", " a", "b?"]),
    ),
    st.builds(lambda t: "\\d" + t, st.sampled_from(["", "%", " a", "[\\d.]*"])),
    st.builds(lambda w: "[aA]" + w, _word),
    st.builds(lambda ws: "(?:" + "|".join(ws) + ")" + " b" * 250, st.lists(_word, min_size=2)),
)  # fmt: skip
_groups = st.lists(
    st.tuples(st.sampled_from("xyz"), st.lists(_alternative, min_size=1, max_size=4).map("|".join)),
    min_size=1,
    max_size=5,
)


_text = st.text("abA 1-%.", max_size=40)


@settings(max_examples=300, deadline=None)
@given(_groups, _text, st.booleans())
def test_factored_alternation_finds_what_the_plain_one_finds(groups, text, guarded):
    assume(factored(groups) is not None)  # "a?": its first letter may be absent
    (plain, plain_names), (tree, tree_names) = _both(groups, guarded)
    assert _found(tree, tree_names, text) == _found(plain, plain_names, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_alternative, min_size=1, max_size=6), st.booleans(), st.integers(0, 5), _text)
def test_a_factored_pattern_matches_as_written(words, bounded, at, text):
    words = list(words)
    words.insert(min(at, len(words)), "(?P<n>" + "|".join(words[:2]) + ")a?")
    pattern = "|".join(("\\b" if bounded else "") + w for w in words)
    tree = factor(pattern)
    assume(tree != pattern)
    for plain, found in zip(re.finditer(pattern, text), re.finditer(tree, text), strict=True):
        assert (plain.span(), plain.group("n")) == (found.span(), found.group("n"))


def test_the_theme_table_factors_and_finds_the_same_words():
    themes = load_themes()
    groups = [(t.id, lower_pattern(t.words)) for t in themes]
    groups += [(t.id + "/weak", lower_pattern(t.weak_words)) for t in themes if t.weak_words]
    (plain, plain_names), (tree, tree_names) = _both(groups, guarded=True)
    words = [w for _, p in groups for w in alternatives(p) if re.fullmatch(r"[a-z ]+", w)]
    text = " ".join(words) + ", customs inspections were held; prices rose by 5 percent."
    found = _found(tree, tree_names, text)
    assert len(found) > len(words) // 2
    assert found == _found(plain, plain_names, text)


def test_a_word_of_unknown_first_letter_is_not_factored():
    assert factored([("x", "farm"), ("y", "[e-f]arm")]) is None
    assert factored([("x", "farm"), ("y", ".arm")]) is None
    assert factored([("x", "(a|b)\\1")]) is None
    assert factored([("x", "a?b")]) is None


def test_alternatives_split_only_at_the_top():
    assert alternatives("a(b|c)|d[|]|e") == ["a(b|c)", "d[|]", "e"]
    assert alternatives("a\\|b") == ["a\\|b"]
