"""Find every place-name span in a text: longest match over the gazetteer's folded names.

The text is cut into word tokens once; at each capitalised token (or Hangul
or Chinese word) the longest run of up to :data:`MAX_WINDOW` tokens whose
folded key is a gazetteer name is a span.  Keys are cached, so the work is
linear in the length of the text.  Person names (Kim Yong Jae, Ri Su Yong,
President Vladimir Putin), demonyms (Chinese, North Korean) and capitalised
common words are not spans.

A hyphenated word no name covers whole is read part by part ("Dandong-Sinuiju",
"Seoul-based"); a lowercase writing of a curated name the text also capitalises
is a span (the image tag "hyesan").  Unknown capitalised words become ``fuzzy``
spans for the linker to explain from the article; with a village, neighbourhood
or facility word ("Hwajeon Village", "Yokjon-dong") they are ``small`` spans.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from gazetteer import Gazetteer
from gazetteer.names import key, tokens

#: The most tokens one place name spans ("Sino-Korean Friendship Bridge", "Kim Hyong Jik county").
MAX_WINDOW = 6

_LOWER_WORD = re.compile(r"(?<![\w-])[a-z][a-z'’]*(?![\w-])")

#: Words after (or before, plural + "of") a name that say what kind of place it is.
KIND_WORDS = {
    "county": "county",
    "counties": "county",
    "gun": "county",
    "kun": "county",
    "city": "city",
    "cities": "city",
    "si": "city",
    "province": "province",
    "provinces": "province",
    "do": "province",
    "region": "province",
    "district": "district",
    "districts": "district",
    "kuyok": "district",
    "town": "town",
    "towns": "town",
    "village": "town",
    "up": "town",
    "eup": "town",
    "ri": "town",
    "ni": "town",
    "dong": "district",
    "gu": "district",
    "customs": "crossing",
    "crossing": "crossing",
    "checkpoint": "crossing",
    "bridge": "bridge",
    "port": "port",
    "ports": "port",
    "harbour": "port",
    "harbor": "port",
    "zone": "zone",
    "river": "river",
    "rivers": "river",
}

_SUFFIX_KINDS = frozenset(
    {"gun", "kun", "si", "do", "up", "eup", "ri", "ni", "dong", "gu", "kuyok"}
)
_PLURAL_KINDS = frozenset(
    {
        "county",
        "counties",
        "city",
        "cities",
        "town",
        "towns",
        "province",
        "provinces",
        "ports",
        "rivers",
    }
)

#: Words after an unknown name that make it a small place or a facility ("Ryomyong Street",
#: "Yusun Labor District", "Osan Dong"), and the kind they give.  Stations, markets and
#: airports are left out: an unknown name before them is mostly English ("Central
#: Broadcasting Station"), and a known one ("Hyesan Station") is its town.
SMALL_PLACE_WORDS = {
    "village": "town",
    "dong": "district",
    "street": "site",
    "port": "port",
    "harbour": "port",
    "harbor": "port",
}
_WORKERS = frozenset({"labor", "labour", "workers", "worker"})
#: Lowercase tails that keep the place in a hyphenated adjective ("Seoul-based", "Dandong-bound").
PLACE_ADJECTIVE_TAILS = frozenset(
    {"based", "bound", "born", "made", "backed", "owned", "run", "led", "registered", "area"}
)
_SMALL_SUFFIXES = frozenset({"ri", "ni", "dong", "gu"})
#: The words :func:`_small_place_end` looks for right after a name.
_SMALL_OR_WORKERS = frozenset(SMALL_PLACE_WORDS) | _WORKERS

#: Titles before a first name: the next capitalised words are a person ("President Vladimir Putin").
TITLES = frozenset(
    """
    president presidents minister ministers premier chancellor king queen prince princess
    ambassador envoy secretary general gen governor mayor chairman chairwoman leader mr mrs ms
    dr prof professor senator director commander marshal pope
    """.split()
)

#: Lowercase words that may continue a capitalised place name inside a window.
_CONTINUE = set(KIND_WORDS) | {"workers", "special", "economic", "and", "trade", "of"}

#: Capitalised words that never start a place name in English news text.
STOP_WORDS = frozenset(
    """
    a an the in on at of for to from by with and or but as if he she it its they we i you this
    that these those there here his her their our my your who what when where why how which
    while after before
    since until during about according also however meanwhile despite although though because so yet
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday mr mrs ms dr gen party central committee people peoples state security
    ministry daily news insider nk reuters yonhap kcna rodong sinmun
    chinese korean koreans russian russians japanese american americans north south east west
    northern southern eastern western day sun star new old first second last great supreme
    assembly army navy united nations un premier leader chairman president workers worker
    translated read more most popular related comments share
    """.split()
)

#: Capitalised words that never start a span ("North", "South" and "New" may: "North Pyongan").
_NO_START = STOP_WORDS - {"north", "south", "new"}

#: Demonyms and adjectives that are never places, even in a multi-word window.
DEMONYMS = frozenset(
    {"chinese", "korean", "north korean", "south korean", "russian", "japanese", "american"}
)

#: Korean family names: a capitalised one followed by short syllables is a person, not a place.
SURNAMES = frozenset(
    """
    kim ri lee yi rhee pak park bak choe choi chae jang chang jong jung chung han kang mun moon yun
    yoon hwang ryu yu yoo son sohn cha jo cho kwon kwan song hong ju joo ko go nam an ahn paek baek
    sin shin chon jeon jon hyon hyun ho heo hur o oh so seo suh no roh ra na ma im lim rim sim shim
    tong u woo won yang ryang jin chin chu ji ha ka pyon byun
    """.split()
)

#: Chinese family names (pinyin): followed by a capitalised given name, a person.
CHINESE_SURNAMES = frozenset(
    """
    xi li wang zhang liu chen yang zhao huang zhou wu xu sun hu zhu gao lin he guo luo
    liang song zheng xie han tang feng deng cao peng zeng xiao tian dong pan yuan cai jiang
    yu du ye wei su lu ding ren shen yao qian fu fan
    """.split()
)
#: The words a person's name may start with (see :func:`_is_person`).
_SURNAME_STARTS = SURNAMES | CHINESE_SURNAMES


@dataclass(frozen=True)
class Span:
    """A stretch of text whose folded key names at least one gazetteer place.

    ``kind_hint`` is the kind a neighbouring word gives ("county" in "Unsan
    county", "counties of Kunjang"); ``fuzzy`` is True for spans that matched
    no name exactly and were kept because the context calls them places
    (their places come from a fuzzy lookup at link time).  ``small`` marks an
    unknown name written with a village, neighbourhood or facility word ("Hwajeon
    Village", "Yokjon-dong", "Haeyang port"), which the linker may place through
    the county or town around it.
    """

    surface: str
    start: int
    end: int
    key: str
    kind_hint: str = ""
    fuzzy: bool = False
    small: bool = False  # an unknown name with a village/neighbourhood/facility word


def _span(
    surface: str,
    start: int,
    end: int,
    key: str,
    kind_hint: str = "",
    fuzzy: bool = False,
    small: bool = False,
) -> Span:
    """Return ``Span(surface, start, end, key, kind_hint, fuzzy, small)``.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``;
    filling the new instance's ``__dict__`` at once makes the same object in about a
    third of the time, and a span is made for every name of every article.
    """
    span = object.__new__(Span)
    span.__dict__.update(
        surface=surface,
        start=start,
        end=end,
        key=key,
        kind_hint=kind_hint,
        fuzzy=fuzzy,
        small=small,
    )
    return span


@dataclass(slots=True)
class _Tok:
    """A token of a text: as written, its offsets, its lowercase form, and whether it may
    start a name.  (Slots: the hot loops read these fields at the speed of a slot.)"""

    text: str
    start: int
    end: int
    low: str
    cap: bool  # capitalised, Hangul or Chinese: may start a name


def _one_of(words: Iterable[str]) -> str:
    """Return a regular expression matching exactly one of ``words`` (none empty), as a
    tree of shared prefixes: the engine tries one branch per letter, not every word.

    >>> _one_of(["do", "dong", "city"])
    '(?:city|do(?:ng)?)'
    """
    heads: dict[str, list[str]] = {}
    for word in words:
        heads.setdefault(word[0], []).append(word[1:])
    branches = []
    for head in sorted(heads):
        tails = heads[head]
        rest = [t for t in tails if t]
        inner = _one_of(rest) if rest else ""
        if rest and len(rest) < len(tails):  # the head alone is a word too
            inner = f"(?:{inner})?"
        branches.append(re.escape(head) + inner)
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


@lru_cache(maxsize=1)
def _token_pattern() -> re.Pattern[str]:
    """The tokens that matter (group 1): words starting with a capital, Hangul or Chinese,
    and the lowercase words that may continue or qualify a name (kind words, "of", "and").

    Each match opens with the character before its token (the text is searched with a space
    in front): a first character the engine can test in its C loop lets it skip most of the
    text, where a lookbehind would make it try a match at every position.  A match after a
    letter beyond ASCII or ’ is none of the tokens (see :func:`_scan`).
    """
    words = _CONTINUE | set(KIND_WORDS) | set(SMALL_PLACE_WORDS) | _WORKERS | {"or"}
    # \w with its ASCII part spelt out: the engine tests a class's ranges as a bitmap before
    # its categories, so an ASCII letter is placed without a Unicode table lookup.
    w = r"0-9A-Za-z_\w"
    # The character before a token is one of [^\w’ʼ'\-]: tested here as any but an ASCII
    # word character, ' or - (a bitmap alone, where \w would look up the Unicode tables for
    # every space); a match after another letter or ’ (ʼ is a letter) is left out by _scan,
    # for the few tokens found, not at every space the engine tries.
    before = r"[^0-9A-Za-z_'\-]"
    # A capital: A-Z, or beyond ASCII a letter that is no digit ([^\W\d_a-z] in two parts,
    # an ASCII capital placed by the bitmap).  Hangul and Chinese are such letters (no run
    # of Chinese needs an alternative of its own, which the engine would try at every space).
    capital = r"(?:[A-Z]|[^\W\d\x00-\x7f])"
    return re.compile(
        rf"{before}({capital}(?:[{w}’ʼ'\-]*[{w}])?"
        rf"|{_one_of(sorted(words))}(?![{w}’ʼ'\-]))"
    )


def tokenize(text: str) -> list[_Tok]:
    """Return the tokens of ``text`` that can be part of a place name, with their offsets.

    Lowercase words other than kind words and connectors are skipped (the
    gaps between tokens are checked against the text); a possessive 's is removed.
    """
    return _scan(text)[0]


def _scan(text: str) -> tuple[list[_Tok], list[int], list[int]]:
    """Return the tokens of ``text`` (as :func:`tokenize`), the indices of those that may
    open a name (capitalised, not in :data:`_NO_START`), and the indices of the plural
    kind words ("counties", "rivers") :func:`_kind_hint` reads lists by.

    The two index lists are made as the tokens are, from the fields in hand: walking
    the tokens again for each would read every token's fields twice more.
    """
    out: list[_Tok] = []
    opens: list[int] = []
    plural: list[int] = []
    append = out.append
    seen = _READ_WORDS
    new = object.__new__
    # Each match is the character before its token and the token, one place early in the
    # text searched (" " + text): the match's start is the token's start in ``text``.
    padded = " " + text
    for m in _token_pattern().finditer(padded):
        start = m.start()
        # A match after a letter beyond ASCII or ’ is no token; the search goes on after it
        # as it would have with a lookbehind (none of the match's characters, each a letter,
        # digit, ', -, ’ or ʼ, may be before a token).
        if padded[start] > "\x7f" and _letter_or_apostrophe(padded[start]):
            continue
        word = m[1]
        if word[-1] == "s" and len(word) > 2 and word[-2] in "'’ʼ":
            word = word[:-2]
        read = seen.get(word)
        if read is None:
            read = _read_word(word)
        low, cap, role = read
        if role:
            if role & _OPENS:
                opens.append(len(out))
            if role & _PLURAL:
                plural.append(len(out))
        # The slots set here: calling the class would run its __init__ through C, for
        # every token (a third of the cost of reading a word).
        tok = new(_Tok)
        tok.text = word
        tok.start = start
        tok.end = start + len(word)
        tok.low = low
        tok.cap = cap
        append(tok)
    return out, opens, plural


def _letter_or_apostrophe(c: str) -> bool:
    """Return True for a character that is \\w to the regex engine, or ’."""
    return c == "’" or c.isalnum() or c == "_"


#: What :func:`_read_word` tells of a token: it may open a name, it is a plural kind word.
_OPENS, _PLURAL = 1, 2
_READ_WORDS: dict[str, tuple[str, bool, int]] = {}  # see _read_word


def _read_word(word: str) -> tuple[str, bool, int]:
    """Return a token's lowercase form (’ read as '), whether it is capitalised (Hangul and
    Chinese count), and its role: :data:`_OPENS` and :data:`_PLURAL` or'd (remembered: it
    comes from the word alone, and most words come back).

    ``word`` is as the token pattern gives it: a listed lowercase word, or a word opening
    with a capital, Hangul or Chinese.
    """
    c = word[0]
    if "a" <= c <= "z":  # a listed lowercase word
        low, cap = word, False
    else:
        # An ASCII first letter here is a capital (the pattern's class leaves out a-z).
        cap = c < "\x80" or c.isupper() or "\uac00" <= c <= "\ud7a3" or "\u4e00" <= c <= "\u9fff"
        low = word.lower().replace("’", "'")
    role = (_OPENS if cap and low not in _NO_START else 0) | (
        _PLURAL if low in _PLURAL_KINDS else 0
    )
    if len(_READ_WORDS) > 100_000:
        _READ_WORDS.clear()
    read = _READ_WORDS[word] = (low, cap, role)
    return read


@lru_cache(maxsize=100_000)
def _window_key(words: tuple[str, ...]) -> str:
    return key(" ".join(words))


@lru_cache(maxsize=100_000)
def _name_key(words: tuple[str, ...]) -> str:
    """Return the key of a window of words, or "" when the words are a demonym."""
    return "" if " ".join(words).lower() in DEMONYMS else _window_key(words)


@lru_cache(maxsize=100_000)
def _spelt(name: str) -> str:
    """Return a name's tokens run together (case and diacritics folded, suffixes kept)."""
    return "".join(tokens(name))


def _written_alone(text: str, word: str) -> bool | None:
    """Return whether :data:`_LOWER_WORD` finds ``word`` among the words of ``text`` when
    the writings of ``word`` in it tell, None when they do not.

    A word of letters a-z is found when one of its writings has no letter, digit, ``-``
    or apostrophe on either side, and not when none has no letter, digit or ``-`` on
    either side; a writing beside an apostrophe ("Hyesan’s" holds "s") needs the text's
    words.  (Most words asked about are written a few times at most, where the text's
    words are hundreds.)
    """
    if not (word.isascii() and word.isalpha() and word.islower()):
        return None if "'" in word or "’" in word else False
    beside = False
    # The word first, then what is before it: the engine looks for a pattern's opening
    # letters at C speed, where a lookbehind first would be tried at every character.
    for m in re.finditer(rf"{word}(?<![\w-]{word})(?![\w-])", text):
        start, end = m.span()
        if text[start - 1 : start] not in _APOSTROPHES and text[end : end + 1] not in _APOSTROPHES:
            return True
        beside = True
    return None if beside else False


_APOSTROPHES = ("'", "’")

#: Characters between two tokens that end a name.
_GAP_STOPS = frozenset('.,;:!?()"“”\n')


def _is_person(toks: list[_Tok], i: int) -> int:
    """Return how many tokens from ``i`` form a Korean personal name (0 when they do not)."""
    if i + 1 >= len(toks):
        return 0
    if toks[i].low in CHINESE_SURNAMES and toks[i + 1].text[:1].isupper():
        nxt = toks[i + 1]
        if nxt.start - toks[i].end == 1 and nxt.low not in KIND_WORDS and nxt.text.isalpha():
            return 2
    if toks[i].low not in SURNAMES:
        return 0
    n = 1
    while i + n < len(toks) and n <= 3:
        t = toks[i + n]
        if not t.text[:1].isupper() or len(t.text) > 9 or t.low in KIND_WORDS:
            break
        if toks[i + n].start - toks[i + n - 1].end > 1:
            break
        n += 1
    return n if n > 1 else 0


class MentionFinder:
    """Find place-name spans in texts with one gazetteer (build once, use for many texts)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gz = gazetteer
        self._curated_keys: dict[str, bool] = {}
        self._small_keys: dict[str, str] = {}  # the current text's small places, by key
        self._lowercase: set[str] | None = None  # the current text's lowercase words
        self._plural: list[int] = []  # the current text's plural kind words, by token index
        # Windows of words and their keys when a place has them ("" when none): one dict
        # lookup a window where a key, its cache and the gazetteer would be three calls.
        self._known: dict[tuple[str, ...], str] = {}
        self._words: dict[str, str] = {}  # the one-word windows of _known, by their word
        self._written: dict[tuple[str, tuple[str, ...]], bool] = {}  # see _written_as
        self._lower_forms: dict[tuple[str, str], str] = {}  # see _lower_form

    def _curated(self, folded: str) -> bool:
        """Return True when a curated place has a name with this key (remembered)."""
        found = self._curated_keys.get(folded)
        if found is None:
            found = any(p.source == "curated" for p in self.gz.places_for_key(folded))
            if len(self._curated_keys) > 50_000:
                self._curated_keys.clear()
            self._curated_keys[folded] = found
        return found

    def spans(self, text: str) -> list[Span]:
        """Return the place-name spans of ``text`` in order, none overlapping."""
        # The tokens, the capitalised ones that may open a name, and where the plural kind
        # words are ("counties", "rivers", for _kind_hint's lists).
        toks, opens, self._plural = _scan(text)
        self._small_keys = {}  # this text's small places, by key
        self._lowercase = None
        spans: list[Span] = []
        n = len(toks)
        nxt = 0  # the first token not yet read into a span or a person's name
        for i in opens:  # only capitalised tokens can open a name
            if i < nxt:
                continue
            tok = toks[i]
            # The set tests first: few words are a surname or follow a title.
            person = _is_person(toks, i) if tok.low in _SURNAME_STARTS else 0
            if not person and i and toks[i - 1].low in TITLES:
                person = _titled_person(text, toks, i)
            found = self._longest(text, toks, i)
            if person and found is not None:
                end_i = found[0]
                if end_i - i <= person or not self._curated(found[1]):
                    found = None
            if person and found is None:
                nxt = i + person
                continue
            if found is None:
                if "-" in tok.text:
                    spans.extend(self._hyphenated(text, tok))
                else:
                    fuzzy = self._fuzzy_candidate(text, toks, i, spans)
                    if fuzzy is not None:
                        spans.append(fuzzy)
                        while i + 1 < n and toks[i + 1].start < fuzzy.end:
                            i += 1
                nxt = i + 1
                continue
            end_i, k = found
            first, last = tok, toks[end_i - 1]
            # A one-word name that the text also writes in lowercase is a common word,
            # unless the curated table knows it ("hyesan" as an image tag).
            if end_i - i == 1:
                word = first.text.lower()
                if (
                    word != first.text
                    and not self._curated(k)
                    and self._written_lowercase(text, word)
                ):
                    continue
            small = last.low in SMALL_PLACE_WORDS or (
                "-" in last.low and last.low.rsplit("-", 1)[1] in _SMALL_SUFFIXES
            )
            hint = _kind_hint(text, toks, i, end_i, self._plural)
            spans.append(
                _span(text[first.start : last.end], first.start, last.end, k, hint, small=small)
            )
            nxt = end_i
        return self._lowercase_mentions(text, spans)

    def _hyphenated(self, text: str, tok: _Tok) -> list[Span]:
        """Return the spans inside a hyphenated word no name covers whole.

        "Dandong-Sinuiju" and "Wonjong-ni-Quanhe" hold two names; "Yokjon-dong" is one
        unknown name with a neighbourhood suffix; "Hwasong-12" (a missile) holds none.
        """
        parts: list[tuple[str, int, int]] = []
        pos = tok.start
        for piece in text[tok.start : tok.end].split("-"):
            parts.append((piece, pos, pos + len(piece)))
            pos += len(piece) + 1
        if not parts[-1][0] or not parts[-1][0][0].isalpha():
            return []
        tail = parts[-1][0]
        lower = [p for p, _, _ in parts if p.islower() and p not in _SUFFIX_KINDS]
        if any(p not in PLACE_ADJECTIVE_TAILS for p in lower):
            return []  # "Hwasong-class", "Sinuiju-style": a word made from a name
        if len(parts) == 2 and tail in _SUFFIX_KINDS:
            name = parts[0][0]
            if len(name) < 3 or not name.isalpha():
                return []
            return [
                Span(
                    tok.text,
                    tok.start,
                    tok.end,
                    key(tok.text),
                    KIND_WORDS[tail],
                    fuzzy=True,
                    small=tail in _SMALL_SUFFIXES,
                )
            ]
        out: list[Span] = []
        j = 0
        while j < len(parts):
            piece = parts[j][0]
            if not piece[:1].isupper() or piece.lower() in STOP_WORDS or piece.lower() in DEMONYMS:
                j += 1
                continue
            best: tuple[int, str] | None = None
            for m in range(j, len(parts)):
                words = tuple(p for p, _, _ in parts[j : m + 1])
                k = _window_key(words)
                if k and self.gz.has_key(k) and self._written_as(k, words):
                    best = (m + 1, k)
            if best is None:
                j += 1
                continue
            end, k = best
            start, stop = parts[j][1], parts[end - 1][2]
            out.append(Span(text[start:stop], start, stop, k))
            j = end
        return out

    def _written_lowercase(self, text: str, word: str) -> bool:
        """Return True when ``text`` also writes ``word`` in lowercase (a common word): when
        :data:`_LOWER_WORD` finds it among the text's words."""
        if word not in text:  # no need to collect the text's lowercase words
            return False
        if self._lowercase is None:
            found = _written_alone(text, word)
            if found is not None:  # told by the word's own writings
                return found
            self._lowercase = set(_LOWER_WORD.findall(text))
        return word in self._lowercase

    def _written_as(self, folded: str, words: tuple[str, ...]) -> bool:
        """Return True when a place of this key has a name spelt as ``words`` (suffixes kept).

        Inside a hyphenated word ("Maritime-based") a name must be written whole: the key
        of "Maritime Province" is no reason to read "Maritime" as a place.  (Remembered: the
        answer comes from the gazetteer alone, and folding the words is slow.)
        """
        found = self._written.get((folded, words))
        if found is None:
            written = tokens(" ".join(words))
            if len(written) > 1 and written[-1] in _SUFFIX_KINDS:
                written = written[:-1]  # "Wonjong-ni": the place Wonjong with its suffix
            wanted = "".join(written)
            found = any(
                _spelt(n) == wanted
                for p in self.gz.places_for_key(folded)
                for n in (p.name, *p.aliases)
            )
            if len(self._written) > 50_000:
                self._written.clear()
            self._written[(folded, words)] = found
        return found

    def _lowercase_mentions(self, text: str, spans: list[Span]) -> list[Span]:
        """Return ``spans`` with the lowercase writings of curated one-word names it holds.

        An image tag "hyesan" in a text that names Hyesan is a mention; a lowercase word
        whose capitalised form is no curated place is not looked at.
        """
        words = set()
        forms = self._lower_forms
        for s in spans:
            if not s.fuzzy:
                word = forms.get((s.surface, s.key))
                if word is None:
                    word = self._lower_form(s.surface, s.key)
                if word:
                    words.add(word)
        if words:
            words = {w for w in words if self._written_lowercase(text, w)}
        if not words:
            return spans
        extra = [
            Span(m.group(), m.start(), m.end(), key(w))
            for w in sorted(words)
            for m in re.finditer(rf"(?<![\w’'\-]){re.escape(w)}(?![\w’'\-])", text)
        ]
        if not extra:
            return spans
        merged: list[Span] = []
        for s in sorted(spans + extra, key=lambda s: (s.start, -s.end)):
            if merged and s.start < merged[-1].end:
                continue
            merged.append(s)
        return merged

    def _lower_form(self, surface: str, folded: str) -> str:
        """Return the lowercase writing of a one-word curated name written ``surface`` with
        key ``folded`` that :meth:`_lowercase_mentions` looks for, else "" (remembered:
        it comes from the surface and the gazetteer alone)."""
        word = (
            surface.lower()
            if len(surface) >= 5
            and surface.isalpha()
            and surface[0].isupper()
            and not surface.isupper()
            and self._curated(folded)
            else ""
        )
        if len(self._lower_forms) > 50_000:
            self._lower_forms.clear()
        self._lower_forms[(surface, folded)] = word
        return word

    def _longest(self, text: str, toks: list[_Tok], i: int) -> tuple[int, str] | None:
        """Return (end token index, key) of the longest name starting at token ``i``."""
        known = self._known
        t = toks[i]
        word = t.text
        # A one-word window is looked up by its word: most windows are never longer, and
        # need no tuple made and hashed.
        k = self._words.get(word)
        if k is None:
            k = self._words[word] = self._learn((word,))
        best = (i + 1, k) if k and t.low not in STOP_WORDS else None
        end = t.end
        j = i + 1  # the window's end
        words: tuple[str, ...] = (word,)
        for t in toks[j : i + MAX_WINDOW]:
            # The gap's length first: most windows end at a longer gap, with no slice made.
            if t.start - end > 2 or not _GAP_STOPS.isdisjoint(text[end : t.start]):
                break
            if not t.cap and t.low not in _CONTINUE:
                break
            words += (t.text,)
            j += 1
            k = known.get(words)
            if k is None:
                k = self._learn(words)
            if k:
                best = (j, k)
            end = t.end
        return best

    def _learn(self, words: tuple[str, ...]) -> str:
        """Return the key of a window of words when a place has it, else "" (remembered)."""
        k = _name_key(words)
        found = k if k and self.gz.has_key(k) else ""
        if len(self._known) > 100_000:
            self._known.clear()
            self._words.clear()
        self._known[words] = found
        return found

    def _fuzzy_candidate(
        self, text: str, toks: list[_Tok], i: int, spans: list[Span]
    ) -> Span | None:
        """Return a span for an unknown capitalised word the context calls a place.

        The context is a kind word beside it ("Unseong county"), a list it continues
        ("Kusong, Kunjang and Unsan"), or a village, neighbourhood or facility word
        after it ("Hwajeon Village", "Yusun Labor District"; the word joins the span).
        """
        tok = toks[i]
        if len(tok.text) < 4 or tok.low in STOP_WORDS or not tok.text.isalpha():
            return None
        nxt = toks[i + 1].low if i + 1 < len(toks) else ""
        small = _small_place_end(text, toks, i) if nxt in _SMALL_OR_WORKERS else None
        if small is not None and (
            bool(spans)
            and text[spans[-1].end : tok.start] in (" ", "\u00a0")  # after a place
            or self._written_lowercase(text, tok.low)
        ):
            small = None  # "Heechon Power Station" is Heechon's; "Trade Port" is no name
        if small is not None:
            end_i, kind = small
            end = toks[end_i - 1].end
            k = key(tok.text)
            self._small_keys[k] = kind
            return _span(text[tok.start : end], tok.start, end, k, kind, True, True)
        k = key(tok.text)
        if k in self._small_keys:  # "the Ryomyong project" after "Ryomyong Street"
            return _span(tok.text, tok.start, tok.end, k, self._small_keys[k], True, True)
        hint = _kind_hint(text, toks, i, i + 1, self._plural)
        # A short word needs a kind word or a list ("Kusong, Kunjang and Unsan": right after
        # a place, joined by a comma, "and" or "or"; looked at only for a short word).
        if (
            not hint
            and len(tok.text) < 5
            and not (
                spans
                and tok.start - spans[-1].end <= 8
                and text[spans[-1].end : tok.start].strip() in (",", "and", "or", ", and", ", or")
            )
        ):
            return None
        # With no kind word or list, only a misspelling of a place the article names
        # will link it ("Hesan" in a Hyesan story).
        return _span(tok.text, tok.start, tok.end, k, hint, fuzzy=True)


def _adjacent(text: str, a: _Tok, b: _Tok) -> bool:
    return text[a.end : b.start] in (" ", "\u00a0")


def _small_place_end(text: str, toks: list[_Tok], i: int) -> tuple[int, str] | None:
    """Return (end token, kind) when a village/neighbourhood/facility word follows token ``i``."""
    j = i + 1
    if j >= len(toks) or not _adjacent(text, toks[j - 1], toks[j]):
        return None
    word = toks[j].low
    if word in SMALL_PLACE_WORDS:
        return j + 1, SMALL_PLACE_WORDS[word]
    if (
        word in _WORKERS
        and j + 1 < len(toks)
        and toks[j + 1].low in ("district", "zone")
        and text[toks[j].end : toks[j + 1].start].strip() in ("", "'", "’")
    ):
        return j + 2, "district"
    return None


def _titled_person(text: str, toks: list[_Tok], i: int) -> int:
    """Return how many tokens from ``i`` are a name after a title ("President Vladimir Putin")."""
    if i == 0 or toks[i - 1].low not in TITLES or not _adjacent(text, toks[i - 1], toks[i]):
        return 0
    n = 1
    while i + n < len(toks) and n < 3:
        t = toks[i + n]
        if (
            not t.text[:1].isupper()
            or t.low in KIND_WORDS
            or not _adjacent(text, toks[i + n - 1], t)
        ):
            break
        n += 1
    return n if n > 1 else 0


#: The characters that end a clause, for a list of names and the plural kind word they share.
_CLAUSE_BREAK = re.compile(r"[.;:!?()\n]")


def _joined_names(toks: list[_Tok], start: int, stop: int) -> int | None:
    """Return how many of the tokens ``start:stop`` are "and" or "or" when the others are
    all capitalised (a list of names, "Kusong, Kujang and Unsan"), else None."""
    joins = 0
    for t in toks[start:stop]:
        if t.low == "and" or t.low == "or":
            joins += 1
        elif not t.cap:
            return None
    return joins


def _kind_hint(text: str, toks: list[_Tok], i: int, end_i: int, plural: list[int]) -> str:
    """Return the kind a neighbouring word gives to the name in tokens ``i:end_i``.

    ``plural`` holds the indices of the tokens that are plural kind words, in order.
    """
    last = toks[end_i - 1].low
    if "-" in last:
        tail = last.rsplit("-", 1)[1]
        if tail in _SUFFIX_KINDS:
            return KIND_WORDS[tail]
    if end_i - i > 1 and last in KIND_WORDS:
        return KIND_WORDS[last]
    if (
        end_i < len(toks)
        and toks[end_i].low in KIND_WORDS
        and toks[end_i].start - toks[end_i - 1].end <= 2
    ):
        return KIND_WORDS[toks[end_i].low]
    if not plural:
        return ""
    # Only the nearest plural kind word on each side can give a kind (found by bisection,
    # not by walking the tokens).
    at = bisect_left(plural, end_i)
    # "the Tumen and Yalu rivers", "Kusong, Kujang and Unsan counties": a list of capitalised
    # names, then the plural kind word they share, within one clause.
    # (The tests that read only offsets go first, and the clause is searched for a break in
    # the text itself: most names near a plural word are not in such a list.)
    if at < len(plural) and plural[at] < end_i + 7:
        ahead = plural[at]
        start, stop = toks[end_i - 1].end, toks[ahead].start
        if (
            stop - start <= 60
            and _joined_names(toks, end_i, ahead)  # at least one "and" or "or"
            and _CLAUSE_BREAK.search(text, start, stop) is None
        ):
            return KIND_WORDS[toks[ahead].low]
    # "the counties of Kunjang and Unsan", "the city of Kusong": "of", then only a list of
    # capitalised names, within one clause.
    at = bisect_left(plural, i, hi=at) - 1
    if at >= 0 and plural[at] >= i - 6:
        back = plural[at]
        start, stop = toks[back].end, toks[i].start
        if (
            back + 1 < i
            and toks[back + 1].low == "of"
            and stop - start <= 60
            and _CLAUSE_BREAK.search(text, start, stop) is None
            and _joined_names(toks, back + 2, i) is not None
        ):
            return KIND_WORDS[toks[back].low]
    return ""
