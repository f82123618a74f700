"""The cleaner's fast paths give what their plain definitions give.

Each shortcut in :mod:`geo.clean` (words counted in bytes, sentence ends read from the end,
lines found by one scan, rules tried only where their words are, source signals tried
where an outlet is named) is checked here against the straightforward form it replaces,
on inputs chosen for their edges and on random ones.
"""

from __future__ import annotations

import random
import re
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import pytest

from geo import article, clean, dates
from geo import lines as page_lines

# Pieces random texts are made of: words, bylines, credits, outlets, and the characters
# that need care (odd cases, spaces that are not " ", line breaks, controls).
# fmt: off
PIECES = [
    "Traders", "fined", "in", "Hyesan", "on", "March 7, 2024", "2024-03-08", "a", "I", "U.S.",
    "Dandong-Sinuiju", "“quoted”", "‘single’", "—", "–", "-", "|", "·", "•", ">", "»", "   ",
    "(Daily NK)", "Photo: Reuters", "Image = NK News", "(Photo: Yonhap)", "[File photo]",
    "Read more:", "Subscribe now", "sign up", "Log in", "Copyright", "©", "(c) 2024",
    "is a reporter for", "Kim Ji-hye", "told Daily NK", "NK News has learned", "KCNA",
    "XKCNA", "AP", "CAP", "38 North", "nkmap sample dispatch", "SEOUL --", "Pyongyang,",
    "İ", "ı", "ſ", "\u212a", "Σ", "é", "한국어", "무단 전재", "\u00a0", "\u200b", "\ufeff",
    "\u3000", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\ud800", "_", "42", "½", ".", "!",
    "?", '"', "”", "’", ")", "]", ":", "=", "\n", "\n\n", "\r\n", "\r", "\r\r", "\n \n",
]
# fmt: on


def _texts(seed: int, count: int, pieces: int = 40, more: list[str] | None = None) -> list[str]:
    rnd = random.Random(seed)
    choices = PIECES + (more or []) * 4
    return [
        "".join(
            rnd.choice(choices) + rnd.choice(["", " ", " ", "\n"])
            for _ in range(rnd.randint(0, pieces))
        )
        for _ in range(count)
    ]


def test_words_counted_in_bytes_as_the_pattern_counts() -> None:
    for text in _texts(1, 3000) + ["", "ab", "a b", "é", "éa", "ab½c", "x_y", "ab\ud800cd"]:
        count = len(page_lines._WORD.findall(text))
        assert page_lines.count_words(text) == count, text
        assert clean._words(text) == (100 if len(text) > 600 else count), text


def test_sentence_and_line_ends_as_their_patterns() -> None:
    sentence = re.compile(r"[.!?][\"'”’)\]]*$|[\"”]$")
    line_end = re.compile(r"[.!?:;\"'”’)\]]$")
    samples = _texts(2, 2000, pieces=6)
    samples += [s + "\n" for s in samples[:500]] + [s + "\n\n" for s in samples[:100]]
    samples += ["", "\n", ".", ".\n", "a.)”’", 'a."\n', "a.\n\n", "a)", "?]]]", "”"]
    for text in samples:
        assert page_lines.ends_sentence(text) == bool(sentence.search(text)), repr(text)
        assert clean._ends_line(text) == bool(line_end.search(text)), repr(text)


def _branches(pattern: str) -> list[list[tuple[Any, Any]]]:
    """The top-level alternatives of ``pattern``, each as its parsed items."""
    items = list(sre_parse.parse(pattern, re.IGNORECASE))
    while len(items) == 1 and items[0][0] is sre_c.SUBPATTERN:
        items = list(items[0][1][3])
    if len(items) == 1 and items[0][0] is sre_c.BRANCH:
        out = []
        for branch in items[0][1][1]:
            sub = list(branch)
            while len(sub) == 1 and sub[0][0] is sre_c.SUBPATTERN:
                sub = list(sub[0][1][3])
            out.append(sub)
        return out
    return [items]


def test_every_anchored_rule_opens_with_a_caret() -> None:
    # so that matching at the line's start finds what a search would
    for rule in clean._NOISE_PATTERNS:
        for branch in _branches(rule):
            assert branch[0] == (sre_c.AT, sre_c.AT_BEGINNING), rule


def _holds(items: list[tuple[Any, Any]], word: str) -> bool:
    """True when every match of the parsed ``items`` holds ``word`` (read case-blind) in
    a run of literal characters: in a run of the sequence itself, in a part that cannot be
    skipped, or in every alternative of a choice."""
    run = ""
    for op, arg in items:
        if op is sre_c.LITERAL:
            run += chr(arg).lower()
            if word in run:
                return True
            continue
        run = ""
        if op is sre_c.SUBPATTERN and _holds(list(arg[3]), word):
            return True
        repeated = op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and arg[0] >= 1
        if repeated and _holds(list(arg[2]), word):
            return True
        if op is sre_c.BRANCH and all(_holds(list(b), word) for b in arg[1]):
            return True
    return False


def test_every_keyword_rule_holds_its_word() -> None:
    for word, rule in clean._KEYWORD_RULES:
        assert word == word.lower()
        assert _holds(list(sre_parse.parse(rule, re.IGNORECASE)), word), (word, rule)
    assert not _holds(list(sre_parse.parse("a|bc", re.IGNORECASE)), "bc")  # the check checks


def test_the_biography_rule_ends_in_trigger_words() -> None:
    (closing,) = re.findall(r"\\b\(\?:([a-z|]+)\)\\b$", clean._AUTHOR_LINE.pattern)
    for word in closing.split("|"):
        assert any(t in word for t in clean._TRIGGERS), word


def test_literal_tree_finds_what_the_words_find() -> None:
    tree = re.compile(clean._literal_tree(clean._TRIGGERS))
    for text in [t.lower() for t in _texts(3, 2000, pieces=8)] + ["ie ", "(c)", "전재", "lo"]:
        assert bool(tree.search(text)) == any(t in text for t in clean._TRIGGERS), text


def test_the_triggers_found_by_their_rare_letters_wherever_they_are() -> None:
    words = list(clean._TRIGGERS)
    edges = words + [w[:-1] for w in words] + [w[1:] for w in words] + ["ie", "(c", "c)", "전"]
    edges += [f"x{w}y" for w in words] + [w + w for w in words] + ["learn  more", "sign\n"]
    rnd = random.Random(12)
    mixed = [
        " ".join(rnd.choice(words + ["the", "a", "of", "reported", "in"]) for _ in range(6))
        for _ in range(500)
    ]
    for text in [t.lower() for t in _texts(3, 3000, pieces=8)] + edges + mixed:
        expected = any(t in text for t in clean._TRIGGERS)
        assert bool(clean._TRIGGER.search(text)) == expected, repr(text)


def test_case_blind_text_holds_every_letter_the_engine_matches() -> None:
    for code in range(0x110000):
        char = chr(code)
        if not char.isascii() and re.fullmatch("[a-z]", char, re.IGNORECASE):
            folded = clean._case_blind(char.lower())
            assert re.fullmatch("[a-z]", folded), hex(code)
            assert clean._odd_case(char.lower()) or char.lower().isascii(), hex(code)


def _plain_page_lines(text: str) -> list[tuple[int, int, str, int]]:
    """The line splitter as first written: a loop over raw lines and their characters."""
    strip = " \t\f\v\u00a0\u200b\ufeff\u3000"
    out: list[tuple[int, int, str, int]] = []
    block, blank_seen = 0, False
    for m in re.finditer(r"[^\r\n]*", text):
        s, e = m.start(), m.end()
        while s < e and (text[s] in strip or text[s].isspace()):
            s += 1
        while e > s and (text[e - 1] in strip or text[e - 1].isspace()):
            e -= 1
        if s == e:
            if m.start() != m.end() or (m.start() > 0 and text[m.start() - 1] == "\n"):
                blank_seen = blank_seen or bool(out)
            continue
        if blank_seen:
            block += 1
            blank_seen = False
        out.append((s, e, text[s:e].replace("\u00a0", " ").replace("\u200b", ""), block))
    if not any(b for *_, b in out) and len(out) > 1:
        out = [(s, e, line, i) for i, (s, e, line, _) in enumerate(out)]
    return out


def test_page_lines_as_the_plain_splitter() -> None:
    edges = ["", "\n", "a", "a\r\rb", "a\r \rb", "a\n\rb", "a\r\n\r\nb", " \u200b\n\ufeffx\u3000\n"]
    edges += [
        "\n\n",
        " \n a \n\n b \n",
        "\u00a0a\u00a0b\u00a0\n\n\x85c\u2028",
        "a\x0c\n\x1c\nb",
        "\n\na",
    ]
    # the texts without "\r", zero-width spaces or marks: lines split at "\n" and stripped
    plain = [t for t in _texts(8, 6000, pieces=12) if not any(c in t for c in "\r\u200b\ufeff")]
    assert len(plain) > 1000
    for text in _texts(4, 3000) + plain + edges:
        assert clean._page_lines(text) == _plain_page_lines(text), repr(text)


@pytest.mark.parametrize("seed", [5, 6])
def test_source_signals_as_plain_searches(seed: int) -> None:
    def plain(text: str) -> str:
        if clean._OUTLET_WORD.search(text) is None:
            return ""
        for signal in clean._SOURCE_SIGNALS:
            m = signal.pattern.search(text)
            if m is not None:
                return clean.canonical_outlet(m.group("o"))
        return ""

    told = ["told", "tells", "informed", "xtold", "told\n", "Told"]
    for text in _texts(seed, 3000, pieces=25) + _texts(seed, 2000, pieces=25, more=told):
        assert clean.guess_source(text) == plain(text), repr(text)


def test_control_characters_counted_in_utf8_bytes() -> None:
    rnd = random.Random(7)
    alphabet = ["\x00", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\x1f", "a", "é", "\ufffd", "한"]
    for n in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 900 if n % 9 else 9)))
        expected = article._looks_like_text(text)
        assert article._utf8_looks_like_text(text.encode(), text) == expected, repr(text)


def test_a_page_ending_in_a_long_run_of_space_is_read() -> None:
    # a scan trying a match at each character of the space would take minutes here
    text = "Traders fined in Hyesan\n\nOfficials fined traders on March 7." + " \t" * 100_000
    page = clean.clean_page(text)
    assert page.text == "Officials fined traders on March 7."
    assert [(x.start, x.end) for x in page.lines] == [(0, 23), (25, 60)]


def test_a_line_tried_for_a_menu_with_its_pages_marks_only() -> None:
    for text in _texts(9, 1500, pieces=30):
        items = clean._page_lines(text)
        marks = clean._menu_marks("\n".join(line for *_, line, _ in items))
        for _, _, line, _ in items:
            words, low = clean._words(line), line.lower()
            expected = clean._is_noise(line, words, low)  # every mark looked for
            assert clean._is_noise(line, words, low, marks) == expected, repr(line)


def _plain_author_from(lines: list[str], counts: list[int]) -> str:
    """_author_from as first written: every rule tried on every line."""
    for i, line in enumerate(lines):
        if clean._ABOUT_AUTHOR.match(line):
            for follow in lines[i + 1 : i + 3]:
                if 1 <= clean._words(follow) <= 5 and not page_lines.ends_sentence(follow):
                    return follow.strip()
    for line, words in zip(lines[:12], counts[:12], strict=True):
        found = dates.find_dates(line) if words <= 10 else None
        if found:
            before = clean._BAR.split(line[: found[0][1]].strip())[0]
            before = clean._BY.sub("", before).strip(" ,|-–")
            if 2 <= clean._words(before) <= 5 and not clean._OUTLET_WORD.search(before):
                return before
    for line, words in zip(lines, counts, strict=True):
        m = clean._BYLINE.match(line)
        if m and words <= 10:
            who = clean._AFFILIATION.split(m.group("who").strip())[0]
            if not clean._OUTLET_WORD.search(who) and 1 <= clean._words(who) <= 5:
                return who
    for line, words in zip(lines, counts, strict=True):
        m = clean._REPORTER_CREDIT.search(line)
        if m and words <= 12:
            return m.group("who")
    for line in lines:
        m = clean._AUTHOR_BIO.match(line)
        if m:
            return m.group("who")
    return ""


def test_author_found_as_by_trying_every_line() -> None:
    extra = ["About the author", "ABOUT THE AUTHOR", "about  the author", "By Kim Ji-hye"]
    extra += ["(reporter: Lee Min)", "Kim Ji-hye is a reporter for Daily NK.", "March 7, 2024"]
    rnd = random.Random(10)
    pages = []
    for _ in range(3000):
        lines = [
            " ".join(rnd.choice(PIECES + extra) for _ in range(rnd.randint(1, 14))).strip()
            for _ in range(rnd.randint(1, 8))
        ]
        pages.append([line for line in lines if line and "\n" not in line and "\r" not in line])
    found = 0
    for lines in pages:
        counts = [clean._words(line) for line in lines]
        expected = _plain_author_from(lines, counts)
        low = "\n".join(lines).lower()
        assert clean._author_from(lines, counts, low) == expected, lines
        found += bool(expected)
    assert found > 300


def test_about_the_author_matched_regardless_of_case_only_in_ascii() -> None:
    pattern = re.compile("[about hera]", re.IGNORECASE)
    assert all(c.isascii() for c in map(chr, range(0x110000)) if pattern.fullmatch(c))


def test_a_digit_of_the_patterns_is_a_decimal_character() -> None:
    # so that a line opening otherwise than with "-" or one is not the weather
    digit = re.compile(r"\d")
    for char in map(chr, range(0x110000)):
        assert bool(digit.fullmatch(char)) == char.isdecimal(), hex(ord(char))
    lines = ["-3°C", "12 °F", "25°", "٣٠°", "-", "3", "12 km", "F", "²°", "-x"] + _texts(11, 500, 4)
    for line in lines:
        assert clean._is_weather(line) == bool(clean._WEATHER.match(line)), repr(line)


def _first_characters(items: list[tuple[Any, Any]]) -> set[str]:
    """The characters each alternative of the parsed ``items`` opens with, each a literal."""
    op, arg = items[0]
    if op is sre_c.LITERAL:
        return {chr(arg)}
    if op is sre_c.SUBPATTERN:
        return _first_characters(list(arg[3]))
    assert op is sre_c.BRANCH, op  # the gate knows literals and choices of them only
    return set().union(*(_first_characters(list(branch)) for branch in arg[1]))


@pytest.mark.parametrize(
    ("pattern", "letters"),
    [
        (clean._LIST_HEADING, clean._LIST_OPENINGS),
        (dates._LIST_HEADINGS, dates._LIST_OPENINGS),
        (clean._FOOTER_START, clean._FOOTER_OPENINGS),
        (clean._BYLINE, clean._BYLINE_OPENINGS),
    ],
)
def test_a_gated_line_pattern_opens_with_one_of_its_letters(pattern: Any, letters: Any) -> None:
    items = list(sre_parse.parse(pattern.pattern, pattern.flags))
    # "^", then "\W*" (which takes no word character), then the alternatives
    assert items[0] == (sre_c.AT, sre_c.AT_BEGINNING)
    assert items[1][0] is sre_c.MAX_REPEAT and items[1][1][:2] == (0, sre_c.MAXREPEAT)
    assert list(items[1][1][2]) == [(sre_c.IN, [(sre_c.CATEGORY, sre_c.CATEGORY_NOT_WORD)])]
    firsts = _first_characters(items[2:])
    opening = re.compile("[" + "".join(sorted(firsts)) + "]", pattern.flags)
    for char in map(chr, range(0x110000)):
        if opening.fullmatch(char):
            assert char in letters, hex(ord(char))
    lines = ["Related", "ſee also", "İn other news", "Most read", "Top stories", "x", "_a"]
    for line in lines + ["© 2024", "Copyright", "By Kim", "ＢＹ x", "Tags: a", "- by Kim Ji-hye"]:
        if pattern.match(line):
            assert page_lines.may_open(line, letters), line


def test_a_word_character_is_a_letter_digit_or_underscore() -> None:
    # so that a line opening with a character that is none of those may open with "\W*"
    word = re.compile(r"\w")
    for char in map(chr, range(0x110000)):
        assert bool(word.fullmatch(char)) == (char.isalnum() or char == "_"), hex(ord(char))


def _literal_openings(items: list[tuple[Any, Any]], start: str = "") -> set[tuple[str, bool]]:
    """``(text, whole)`` for what the parsed ``items`` open with on a line that opens with
    a word character: lower-cased literals, as far as they go (``whole``: to the end)."""
    out = {(start, True)}
    for op, arg in items:
        ahead: set[tuple[str, bool]] = set()
        for text, whole in out:
            repeat = op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) and arg[0] == 0
            spaces = [(sre_c.IN, [(sre_c.CATEGORY, sre_c.CATEGORY_NOT_WORD)])]
            spaces2 = [(sre_c.IN, [(sre_c.CATEGORY, sre_c.CATEGORY_SPACE)])]
            if not whole or op is sre_c.AT:
                ahead.add((text, whole))
            elif repeat and text == "" and list(arg[2]) in (spaces, spaces2):
                ahead.add((text, True))  # "\W*" or "\s*" first: it takes no word character
            elif op is sre_c.LITERAL:
                ahead.add((text + chr(arg).lower(), True))
            elif op is sre_c.SUBPATTERN:
                ahead |= _literal_openings(list(arg[3]), text)
            elif op is sre_c.BRANCH:
                for branch in arg[1]:
                    ahead |= _literal_openings(list(branch), text)
            elif repeat and arg[1] == 1:  # something optional: without it, or with it
                ahead |= {(text, True)} | _literal_openings(list(arg[2]), text)
            else:
                ahead.add((text, False))
        out = ahead
    return out


def _spread(items: list[tuple[Any, Any]]) -> list[list[tuple[Any, Any]]]:
    """The alternatives of the parsed ``items``, a choice after "^" (which the parser
    takes out of "^a|^b") spread over it."""
    if len(items) == 2 and items[0][0] is sre_c.AT and items[1][0] is sre_c.BRANCH:
        return [[items[0], *branch] for branch in items[1][1][1]]
    return [items]


def test_an_anchored_rule_matches_a_line_opening_with_one_of_its_words() -> None:
    for rule in clean._NOISE_PATTERNS:
        for branch in [b for found in _branches(rule) for b in _spread(found)]:
            for text, _ in _literal_openings(branch):
                if text == "":  # the e-mail address alone: it holds "@"
                    assert (sre_c.LITERAL, ord("@")) in branch, rule
                elif text[0].isalnum() or text[0] == "_":
                    assert any(text.startswith(w) for w in clean._ANCHORED_WORDS), text
    assert len(_literal_openings(_branches(clean._NOISE_PATTERNS[0])[0])) > 1  # it reads


def test_anchored_noise_as_the_rules_tried_on_every_line() -> None:
    lines = [
        "Read in Korean", "ſhare", "İmage: Yonhap", "KAKAO TALK", "kim@example.org", "x",
        "Photo credit: AP", "한국어", "(End)", "※ note", "Tags: a", "The photo: x", "e-mail",
    ]  # fmt: skip
    for line in lines + [x.strip() for x in _texts(13, 3000, pieces=6)]:
        if line:
            low = line.lower()
            assert clean._anchored_noise(line, low) == bool(clean._ANCHORED.match(line)), line
