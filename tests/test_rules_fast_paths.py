"""The fast paths of the event rules give what the plain forms give.

A sentence is lowercased once (:class:`geo.folded.FoldedText`) and its parts' folds are
slices of it: checked against folding each part, and the rules reading them (roles, scenes,
background) against the same rules folding on their own.  The prefilters (a visit's words,
a reporting verb) against the patterns they stand before; the theme ranker's memory against
a fresh ranking.  Short texts written for these tests, and texts made of their pieces.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo.dates
from geo.alternation import alternatives
from geo.dates import _REPORTING, _REPORTING_VERBS, event_date
from geo.events import _REPORTER, _RETOLD, _VISIT_TO, _VISIT_WORDS, _may_tell_visit
from geo.folded import Folded, FoldedText, FoldedWords, fold, lower_pattern
from geo.roles import (
    _ANY_LEFT,
    _BACKGROUND,
    _CLAUSE_CUT,
    _clause_start,
    is_background,
    is_scene,
    mention_role,
)
from geo.themes import _CLOSE, _OPEN, _combined, load_themes, theme_chooser, theme_counter

_THEMES = load_themes()

#: Letters that lowering treats apart: one that grows (İ, ﬁ), the two IGNORECASE equates
#: with i and s (ı, ſ), the capital sigma (lowered by its neighbours), the Kelvin sign.
_ODD = ["İ", "ﬁ", "ı", "ſ", "Σ", "ΑΣ", "K", "ß", "Ω"]
_PIECES = [
    " ",
    ", ",
    ". ",
    "; ",
    "(",
    ")",
    "“",
    "”",
    "the ",
    "of ",
    "in ",
    "at ",
    "and ",
    "which ",
    "said ",
    "Said ",
    "governor ",
    "a source ",
    "located ",
    "visited ",
    "VISIT ",
    "trip to ",
    "went to the ",
    "travelled to ",
    "would ",
    "will visit ",
    "since 2015 ",
    "Hyesan",
    "Pyongyang",
    "Liaoning",
    "'s ",
    "’s ",
    "province ",
    "party secretary ",
    "-based ",
    "traders ",
    "officials ",
    *_ODD,
]
_texts = st.lists(st.sampled_from(_PIECES), max_size=24).map("".join)


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_a_part_of_a_folded_text_is_the_fold_of_that_part(text: str) -> None:
    folded = FoldedText.of(text)
    assert folded.lower == text.lower()
    assert folded.low == fold(text)
    for a in range(len(text) + 2):
        for b in (a - 1, a, a + 1, a + 2, a + 7, len(text) + 1):
            assert folded.part(a, b) == fold(text[a:b])


def test_a_part_by_a_capital_sigma_is_folded_on_its_own() -> None:
    folded = FoldedText.of("ΑΣ in Hyesan")  # a final sigma when lowered with its word
    assert folded.lower.startswith("ας")
    assert folded.part(1, 2) == "σ"


@settings(max_examples=300, deadline=None)
@given(_texts, st.data())
def test_roles_scenes_and_background_read_the_same_with_a_folded_sentence(
    text: str, data: st.DataObject
) -> None:
    folded = FoldedText.of(text)
    assert is_background(text, folded) == is_background(text)
    names = [m.span() for m in re.finditer("Hyesan|Pyongyang|Liaoning", text)]
    for start, end in names:
        assert mention_role(text, start, end, folded) == mention_role(text, start, end)
        assert is_scene(text, start, folded) == is_scene(text, start)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert mention_role(text, start, end, folded) == mention_role(text, start, end)


def _clause_before(sentence: str, start: int, width: int) -> str:
    """The clause before a name as first read: a window of the sentence, cut at its last cut."""
    left = sentence[max(0, start - width) : start]
    cut = list(_CLAUSE_CUT.finditer(left))
    return left[cut[-1].end() :] if cut else left


@settings(max_examples=200, deadline=None)
@given(_texts)
def test_a_clause_is_read_where_it_was(text: str) -> None:
    for start in range(-3, len(text) + 3):
        for width in (5, 60, 120):
            at = _clause_start(text, start, width)
            assert text[at:start] == _clause_before(text, start, width)


def test_the_visit_words_open_every_alternative_of_a_visits_phrase() -> None:
    words = _VISIT_TO.pattern[len(r"\b(?:") : _VISIT_TO.pattern.index(r")\s+to")]
    for alternative in alternatives(words):
        assert any(alternative.startswith(w) for w in _VISIT_WORDS), alternative


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_a_sentence_without_visit_words_holds_no_visits_phrase(text: str) -> None:
    if not _may_tell_visit(FoldedText.of(text)):
        assert not any(_VISIT_TO.search(text[:end]) for end in range(len(text) + 1))


def test_a_visits_phrase_written_oddly_is_still_read() -> None:
    for text in ("Kim’s VISIT to Hyesan", "a viſit to Hyesan", "a Trip to Hyesan"):
        assert _VISIT_TO.search(text[: text.index("Hyesan")])
        assert _may_tell_visit(FoldedText.of(text))


def test_the_ranker_remembers_only_what_it_would_give_again() -> None:
    themes = load_themes()
    count = theme_counter(themes)
    rank = {t.id: i for i, t in enumerate(themes)}
    choose = theme_chooser(themes)
    sentences = [
        "Police arrested smugglers in Hyesan.",
        "Police arrested smugglers in Hyesan.",
        "Kim Jong Un visited the new factory in Kusong.",
        "POLICE ARRESTED SMUGGLERS IN HYESAN.",
        "Nothing here.",
        "Police arrested smugglers in Hyesan.",
    ]
    for sentence in sentences:
        found = count(sentence)
        expected = sorted(found.items(), key=lambda item: (-item[1], rank[item[0]]))
        got = choose(sentence)
        assert got == expected
        got.clear()  # what the caller does with its list is not remembered
        assert choose(sentence, sentence.lower()) == expected


def test_the_reporting_verbs_open_every_phrase_of_reporting() -> None:
    for alternative in alternatives(_REPORTING.pattern):
        assert alternative.startswith(r"\b(?:"), alternative
        verbs = alternative[len(r"\b(?:") : alternative.index(")")]
        assert set(verbs.split("|")) <= set(_REPORTING_VERBS), alternative


_DATED = [
    "told Daily NK ",
    "said ",
    "Said ",
    "SAID ",
    "reported ",
    "announced ",
    "on March 3",
    "on the 7th ",
    "last Monday",
    "yesterday",
    "today",
    ", 2024",
    " 2019",
    "Officials ",
    "A Source ",
    "on ",
    "the ",
    ". ",
    "said-",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DATED), max_size=12).map("".join))
def test_a_sentence_without_reporting_verbs_holds_no_reporting_phrase(text: str) -> None:
    if not any(verb in text for verb in _REPORTING_VERBS):
        assert _REPORTING.search(text) is None
    day = dt.date(2024, 3, 20)
    fast = event_date(text, day)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(geo.dates, "_REPORTING_VERBS", ("",))  # every sentence rewritten
        assert event_date(text, day) == fast


#: Words of the background and the left-of-a-name rules, and what may come before a word.
_WORDY = [
    "would ",
    "may 5 ",
    "may be ",
    "if ",
    "hoped ",
    "plans to ",
    "is expected to ",
    "for years ",
    "has long ",
    "usually ",
    "includes ",
    "is home to ",
    "is the largest ",
    "speculated ",
    "in the past ",
    "must ",
    "later that year ",
    "this article ",
    "for 10 years ",
    "could not be confirmed ",
    "a source in ",
    "sources from the ",
    "the governor of ",
    "officials from China's ",
    "left ",
    "returned to ",
    "the crossing to the city of ",
    "talks on the ",
    "for the construction of a hospital in ",
    "for the ",
    "ambassador in ",
    "a deal between the cities of Hunchun and ",
    "located in ",
    "connecting ",
    "é",
    "_",
    "-",
    "1",
    "x",
    "'",
    "’",
    "(",
    "\n",
    "WOULD ",
    "Governor ",
    "ı",
    "ſ",
]
_wordy = st.lists(st.sampled_from(_WORDY), max_size=10).map("".join)


@settings(max_examples=600, deadline=None)
@given(_wordy)
def test_a_pattern_of_whole_words_is_found_where_it_is_searched_for(text: str) -> None:
    for rule in (_BACKGROUND, _ANY_LEFT):
        plain = Folded.compile(rule.source)
        for part in (text, text.strip(), text[1:]):
            low = fold(part)
            assert rule.found(part, low) == (plain.search(part, low) is not None), part


def test_a_pattern_not_of_whole_words_is_refused() -> None:
    for pattern in (r"\bsaid\b|told", r"\b(?:said|-based)\b", r"(?<=a )\bsaid", r"\b\w+ said"):
        with pytest.raises(ValueError):
            FoldedWords.compile(pattern)
    assert FoldedWords.compile(r"\b(?:said|told)\b").found("Kim SAID so", "kim said so")


_THEMED = [
    "factory ",
    "factories",
    "smuggling",
    "smugglers ",
    "border guards ",
    "arrested ",
    "visited ",
    "visit",
    "aid ",
    "fertiliser aid ",
    "fell by 5 percent ",
    "10%",
    "2 × 10",
    "markets",
    "jangmadang ",
    "unicef ",
    "on-the-spot guidance ",
    "Factory ",
    "-",
    "_",
    "é",
    "’",
    " ",
    ", ",
    "(",
    "x",
    "2",
]


def _one_by_one(themes: list, text: str) -> list[tuple[int, tuple[str, bool]]]:
    """Where the themes' words end in ``text``, and whose they are, read one by one."""
    groups = [((t.id, False), lower_pattern(t.words)) for t in themes]
    groups += [((t.id, True), lower_pattern(t.weak_words)) for t in themes if t.weak_words]
    body = "|".join(f"(?P<k{i}>{pattern})" for i, (_, pattern) in enumerate(groups))
    plain = re.compile(_OPEN + body + _CLOSE)
    return [(m.end(), groups[int((m.lastgroup or "")[1:])][0]) for m in plain.finditer(text)]


def _combined_found(themes: list, text: str) -> list[tuple[int, tuple[str, bool]]]:
    """The same, read by the theme counter's one pattern."""
    combined, names, spaced = _combined(themes)
    found = combined.finditer(" " + text if spaced else text)
    return [(m.end() - spaced, names[m.lastgroup or ""]) for m in found]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_THEMED), max_size=14).map("".join))
def test_the_theme_words_are_found_as_one_by_one(text: str) -> None:
    assert _combined(_THEMES)[2]  # the shipped words all open on a word character
    low = text.lower()
    assert _combined_found(_THEMES, low) == _one_by_one(_THEMES, low)


def test_words_opening_otherwise_are_found_before_every_character(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon.json"
    lexicon.write_text('{"odd": {"patterns": [" and xz", "yz"]}}', "utf-8")
    themes = load_themes(lexicon)
    assert not _combined(themes)[2]
    for text in ("traders and xz, yz", "smugglers and xz-yz and xz", " and xz"):
        assert _combined_found(themes, text) == _one_by_one(themes, text)


_TOLD = [
    "The ",
    "THIS ",
    "those ",
    "recent ",
    "operation ",
    "crackdowns",
    "ceremonies ",
    "— ",
    "“",
    "a reporter ",
    "reporting partners ",
    "Journalists ",
    "this writer ",
    "I ",
    "ı ",
    "İ ",
    "i visited ",
    "I then toured ",
    "went ",
    "Hyesan. ",
    "ſ",
    "K",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TOLD), max_size=10).map("".join))
def test_the_retold_and_reporter_rules_read_as_ignoring_case(text: str) -> None:
    low = fold(text)
    for rule in (_RETOLD, _REPORTER):
        plain = re.compile(rule.source, re.IGNORECASE)
        assert (rule.match(text, low) is None) == (plain.match(text) is None), text
        assert (rule.search(text, low) is None) == (plain.search(text) is None), text


#: The clause cuts as first written: a mark, a comma opening a clause, a stop before a space.
_PLAIN_CUT = re.compile(r"[;:()\[\]“”\"]|,\s+(?:and|but|while|where|which|who)\b|\.\s")


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES + ["and", "who", "whom", ",and", ".", "[", "]"]), max_size=20)
)
def test_the_clause_cuts_are_those_first_written(pieces: list[str]) -> None:
    text = "".join(pieces)
    for start in range(len(text) + 1):
        left = text[max(0, start - 40) : start]
        cuts = [m.span() for m in _CLAUSE_CUT.finditer(left)]
        assert cuts == [m.span() for m in _PLAIN_CUT.finditer(left)], left
