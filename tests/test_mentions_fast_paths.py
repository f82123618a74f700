"""The fast paths of finding and linking mentions give what the plain forms give.

The tokenizer's pattern is checked against the plain pattern it replaces (a lookbehind
before each token); the spans and mentions made without their frozen ``__init__`` against
the dataclasses' own constructors; and the linker's per-article state against a fresh
linker, whatever texts it read before.  Short texts written for these tests.
"""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from gazetteer import Gazetteer
from gazetteer.gazetteer import haversine_km
from gazetteer.names import key
from geo.linking import Linker, Mention, _km, _rounded
from geo.mentions import (
    _CONTINUE,
    _LOWER_WORD,
    _NO_START,
    _PLURAL_KINDS,
    _WORKERS,
    KIND_WORDS,
    SMALL_PLACE_WORDS,
    MentionFinder,
    Span,
    _one_of,
    _scan,
    _span,
    _written_alone,
    tokenize,
)

_WORDS = _CONTINUE | set(KIND_WORDS) | set(SMALL_PLACE_WORDS) | _WORKERS | {"or"}
#: The tokens as first defined: a lookbehind, then a capitalised word, Chinese, or a listed word.
_PLAIN = re.compile(
    r"(?<![\w’ʼ'\-])(?:(?=[^\W\d_a-z])[^\W\d_](?:[\w’ʼ'\-]*\w)?|[\u4e00-\u9fff]+"
    rf"|{_one_of(sorted(_WORDS))}(?![\w’ʼ'\-]))"
)


def _plain_tokens(text: str) -> list[tuple[str, int, int, str, bool]]:
    """Return the tokens of ``text`` as the plain pattern reads them."""
    out = []
    for m in _PLAIN.finditer(text):
        word, (start, end) = m.group(), m.span()
        if len(word) > 2 and word[-1] == "s" and word[-2] in "'’ʼ":
            word, end = word[:-2], end - 2
        c = word[0]
        cap = c.isupper() or "\uac00" <= c <= "\ud7a3" or "\u4e00" <= c <= "\u9fff"
        out.append((word, start, end, word.lower().replace("’", "'"), cap))
    return out


def _fields(text: str) -> list[tuple[str, int, int, str, bool]]:
    return [(t.text, t.start, t.end, t.low, t.cap) for t in tokenize(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Hyesan",
        "in Hyesan county, Ryanggang Province's border",
        "Kim's aides met Ri’s envoy and Oʼbrien",
        "Sinŭiju-based traders (Dandong-Sinuiju) crossed -Manpo- at 3am",
        "혜산시 and 丹东市 and Édouard and élan and Straße",
        "of-the county-level city's do ri-ni Workers' District",
        "'Hyesan' “Musan” — Onsong… x-Kusong _Unsan 2Kujang",
        "",
        "   ",
        "a",
        "A",
    ],
)
def test_tokens_are_those_of_the_plain_pattern(text: str) -> None:
    assert _fields(text) == _plain_tokens(text)


def test_tokens_of_random_texts_are_those_of_the_plain_pattern() -> None:
    pieces = list("aAbBdDoOgGiIsS rR-'’ʼ.,\n\t09_()") + [
        "é",
        "Ŏ",
        "혜",
        "丹",
        "\u00a0",
        "ж",
        "Ж",
        "county",
        "do",
        "of",
        "and",
        " Kim",
        "Hyesan",
        "'s",
    ]
    rng = random.Random(12)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert _fields(text) == _plain_tokens(text), text


def test_tokens_beside_every_character_are_those_of_the_plain_pattern() -> None:
    # Each character before, inside and after capitalised and listed words: the pattern
    # tests the character before a token in two steps (ASCII, then the rest).
    astral = range(0x10000, 0x30000, 97)
    for c in map(chr, [*range(1, 0xD800), *range(0xE000, 0x10000), *astral]):
        text = f"{c}Hyesan{c}county{c}A{c}b{c}of {c}"
        assert _fields(text) == _plain_tokens(text), hex(ord(c))


def test_openers_and_plural_kind_words_are_read_from_the_tokens() -> None:
    # The words' readings are remembered: each text is read twice, the second time from them.
    rng = random.Random(7)
    words = ["Hyesan", "Rivers", "rivers", "The", "the", "North", "Kim’s", "county", "of", "丹东"]
    for _ in range(2_000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
        for _ in range(2):
            toks, opens, plural = _scan(text)
            assert opens == [i for i, t in enumerate(toks) if t.cap and t.low not in _NO_START]
            assert plural == [i for i, t in enumerate(toks) if t.low in _PLURAL_KINDS]


def test_a_word_told_by_its_writings_is_the_word_the_texts_words_hold() -> None:
    pieces = ["s", "an", "san", "Hyesan", "hyesan", "'", "’", "-", " ", ".", "é", "9", "_", "ʼ"]
    finder = MentionFinder(Gazetteer.default())
    rng = random.Random(3)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        written = set(_LOWER_WORD.findall(text))  # the plain form: the text's words
        finder._lowercase = None  # as a new text
        for word in ("s", "san", "hyesan", "an's", "é", "Hyesan"):
            found = _written_alone(text, word)
            assert found is None or found == (word in written), (text, word)
            assert finder._written_lowercase(text, word) == (word in written), (text, word)


def test_a_quick_span_is_the_span() -> None:
    for args in [
        ("Hyesan", 3, 9, "hyesan"),
        ("Unsan county", 0, 12, "unsan", "county"),
        ("Tokpong Village", 5, 20, "dogbong", "town", True, True),
    ]:
        quick, made = _span(*args), Span(*args)  # type: ignore[arg-type]
        assert quick == made and repr(quick) == repr(made) and hash(quick) == hash(made)
        assert vars(quick) == vars(made)  # every field, none forgotten
    with pytest.raises(dataclasses.FrozenInstanceError):
        _span("Hyesan", 0, 6, "hyesan").start = 1  # type: ignore[misc]


def test_a_quick_mention_is_the_mention() -> None:
    gz = Gazetteer.default()
    place = gz.get("kp.hyesan")
    span = Span("Hyesan", 10, 16, "hyesan")
    made = Mention(
        "Hyesan",
        10,
        16,
        place.id,
        place.name,
        place.country,
        place.kind,
        place.lat,
        place.lon,
        0.912,
        "exact",
        place.admin1,
        place.precision,
    )
    quick = Mention.of(span, place, 0.91234, "exact")
    assert quick == made and repr(quick) == repr(made) and vars(quick) == vars(made)
    small = Span("Tokpong Village", 0, 15, "dogbong", "town", True, True)
    through = Mention.through(small, place)
    assert vars(through) == vars(
        dataclasses.replace(
            made,
            surface="Tokpong Village",
            start=0,
            end=15,
            name="Tokpong Village",
            kind="town",
            confidence=0.55,
            matched_by="context",
            via=place.id,
        )
    )


def test_a_one_word_name_the_text_writes_in_lowercase_is_a_word() -> None:
    finder = MentionFinder(Gazetteer.default())
    known = [s.surface for s in finder.spans("Progress came to Hyesan.") if not s.fuzzy]
    assert known == ["Progress", "Hyesan"]
    text = "Progress came to Hyesan, and progress was slow."
    assert [s.surface for s in finder.spans(text) if not s.fuzzy] == ["Hyesan"]


def test_a_plural_kind_word_gives_its_kind_to_the_list_only_nearby() -> None:
    finder = MentionFinder(Gazetteer.default())
    hints = {s.surface: s.kind_hint for s in finder.spans("the counties of Kunjang and Unsan")}
    assert hints == {"Kunjang": "county", "Unsan": "county"}
    far = "the counties, as officials in the provincial capital said, Kunjang and Unsan"
    assert {s.kind_hint for s in finder.spans(far) if s.surface in ("Kunjang", "Unsan")} == {""}
    hints = {s.surface: s.kind_hint for s in finder.spans("the Tumen and Amnok rivers")}
    assert hints == {"Tumen": "river", "Amnok": "river"}


_STORIES = [
    "Traders in Hyesan said prices rose. The market in Hesan reopened on Friday.",
    "SEOUL, May 2 (Yonhap) -- Flat prices in Seoul's Gangnam district climbed again.",
    "Guards detained two traders in Kumgol-ri, Pochon County, on Tuesday.",
    "Workers in Soncheon County, Pyongan-Namdo Province, finished a factory.",
    "Police in Hoeryong searched homes in Tokpong Village and Osan Dong for phones.",
    "Trucks left Tumen and Hunchun for Namyang; the Tumen and Amnok rivers froze.",
]


def test_remembered_confidences_and_distances_are_those_computed() -> None:
    rng = random.Random(5)
    scores = [rng.uniform(0.5, 1.5) for _ in range(2_000)] + [0.5, 0.9125, 1.0, 1.0005, 2.0]
    for score in scores + scores:  # the second time from memory
        assert _rounded(score) == round(min(score, 1.0), 3)
    gz = Gazetteer.default()
    places = [gz.get(i) for i in ("kp.hyesan", "kp.sinuiju", "cn.dandong", "kp.pyongyang")]
    for a in places + places:
        for b in places:
            assert _km(a, b) == haversine_km(a.lat, a.lon, b.lat, b.lon)


def test_a_provinces_places_are_those_of_the_whole_table() -> None:
    gz = Gazetteer.default()
    table: dict[str, list[tuple[str, object]]] = {}  # the plain form: every province at once
    for p in gz.places(source="curated"):
        if p.admin1 and p.kind not in ("country", "province"):
            for name in (p.name, *p.aliases):
                if len(key(name)) >= 4:
                    table.setdefault(p.admin1, []).append((key(name), p))
    linker = Linker(gz)
    for admin1 in [*table, "", "Nowhere"] + list(table):  # the second time from memory
        assert linker._province_places(admin1) == table.get(admin1, [])


def test_what_a_linker_read_before_does_not_change_an_article() -> None:
    fresh = {text: Linker().mentions(text) for text in _STORIES}
    linker = Linker()
    for text in _STORIES + _STORIES[::-1] + _STORIES:
        assert linker.mentions(text) == fresh[text], text
