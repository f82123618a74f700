"""Find every place-name span in a text: longest match over the gazetteer's folded names.

The text is cut into word tokens once; at each capitalised token (or Hangul
or Chinese word) the longest run of up to :data:`MAX_WINDOW` tokens whose
folded key is a gazetteer name is a span.  Keys are cached, so the work is
linear in the length of the text.  Person names (Kim Yong Jae, Ri Su Yong),
demonyms (Chinese, North Korean) and capitalised common words are not spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from gazetteer import Gazetteer
from gazetteer.names import key

#: The most tokens one place name spans ("Sino-Korean Friendship Bridge", "Kim Hyong Jik county").
MAX_WINDOW = 6

_TOKEN = re.compile(r"[^\W\d_](?:[\w’ʼ'\-]*\w)?|[\u4e00-\u9fff]+", re.UNICODE)
_LOWER_WORD = re.compile(r"(?<![\w-])[a-z][a-z'’]*(?![\w-])")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CJK = re.compile(r"[\u4e00-\u9fff]")

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
    "customs": "crossing",
    "crossing": "crossing",
    "checkpoint": "crossing",
    "bridge": "bridge",
    "port": "port",
    "harbour": "port",
    "harbor": "port",
    "zone": "zone",
    "river": "river",
}

_SUFFIX_KINDS = frozenset({"gun", "kun", "si", "do", "up", "eup", "ri", "kuyok"})
_PLURAL_KINDS = frozenset(
    {"county", "counties", "city", "cities", "town", "towns", "province", "provinces"}
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


@dataclass(frozen=True)
class Span:
    """A stretch of text whose folded key names at least one gazetteer place.

    ``kind_hint`` is the kind a neighbouring word gives ("county" in "Unsan
    county", "counties of Kunjang"); ``fuzzy`` is True for spans that matched
    no name exactly and were kept because the context calls them places
    (their places come from a fuzzy lookup at link time).
    """

    surface: str
    start: int
    end: int
    key: str
    kind_hint: str = ""
    fuzzy: bool = False


class _Tok(NamedTuple):
    text: str
    start: int
    end: int
    low: str
    cap: bool  # capitalised, Hangul or Chinese: may start a name


@lru_cache(maxsize=1)
def _token_pattern() -> re.Pattern[str]:
    """The tokens that matter: words starting with a capital, Hangul or Chinese, and the
    lowercase words that may continue or qualify a name (kind words, "of", "and")."""
    keep = "|".join(sorted(_CONTINUE | set(KIND_WORDS) | {"or"}, key=len, reverse=True))
    return re.compile(
        r"(?<![\w’ʼ'\-])(?:(?=[^\W\d_a-z])[^\W\d_](?:[\w’ʼ'\-]*\w)?|[\u4e00-\u9fff]+"
        rf"|(?:{keep})(?![\w’ʼ'\-]))"
    )


def tokenize(text: str) -> list[_Tok]:
    """Return the tokens of ``text`` that can be part of a place name, with their offsets.

    Lowercase words other than kind words and connectors are skipped (the
    gaps between tokens are checked against the text); a possessive 's is removed.
    """
    out = []
    for m in _token_pattern().finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        if len(word) > 2 and word[-1] == "s" and word[-2] in "'’ʼ":
            word, end = word[:-2], end - 2
        c = word[0]
        cap = c.isupper() or "\uac00" <= c <= "\ud7a3" or "\u4e00" <= c <= "\u9fff"
        out.append(_Tok(word, start, end, word.lower().replace("’", "'"), cap))
    return out


def _capitalised(tok: _Tok) -> bool:
    return tok.cap


@lru_cache(maxsize=100_000)
def _window_key(words: tuple[str, ...]) -> str:
    return key(" ".join(words))


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

    def spans(self, text: str) -> list[Span]:
        """Return the place-name spans of ``text`` in order, none overlapping."""
        toks = tokenize(text)
        lowercase_words: set[str] | None = None  # built on first need
        spans: list[Span] = []
        i = 0
        n = len(toks)
        while i < n:
            tok = toks[i]
            if (
                not _capitalised(tok)
                or tok.low in STOP_WORDS
                and tok.low not in ("north", "south", "new")
            ):
                i += 1
                continue
            person = _is_person(toks, i)
            found = self._longest(text, toks, i)
            if person and found is not None:
                end_i = found[0]
                curated = any(p.source == "curated" for p in self.gz.places_for_key(found[1]))
                if end_i - i <= person or not curated:
                    found = None
            if person and found is None:
                i += person
                continue
            if found is None:
                fuzzy = self._fuzzy_candidate(text, toks, i, spans)
                if fuzzy is not None:
                    spans.append(fuzzy)
                i += 1
                continue
            end_i, k = found
            first, last = toks[i], toks[end_i - 1]
            surface = text[first.start : last.end]
            # A one-word name that the text also writes in lowercase is a common word.
            if end_i - i == 1 and first.text.lower() != first.text:
                if lowercase_words is None:
                    lowercase_words = set(_LOWER_WORD.findall(text))
                if first.text.lower() in lowercase_words:
                    i += 1
                    continue
            spans.append(Span(surface, first.start, last.end, k, _kind_hint(text, toks, i, end_i)))
            i = end_i
        return spans

    def _longest(self, text: str, toks: list[_Tok], i: int) -> tuple[int, str] | None:
        """Return (end token index, key) of the longest name starting at token ``i``."""
        best: tuple[int, str] | None = None
        words: list[str] = []
        for j in range(i, min(i + MAX_WINDOW, len(toks))):
            t = toks[j]
            if j > i:
                gap = text[toks[j - 1].end : t.start]
                if len(gap) > 2 or any(c in gap for c in '.,;:!?()"“”\n'):
                    break
                if not _capitalised(t) and t.low not in _CONTINUE:
                    break
            words.append(t.text)
            if " ".join(words).lower() in DEMONYMS:
                continue
            k = _window_key(tuple(words))
            if k and self.gz.has_key(k) and not (j == i and t.low in STOP_WORDS):
                best = (j + 1, k)
        return best

    def _fuzzy_candidate(
        self, text: str, toks: list[_Tok], i: int, spans: list[Span]
    ) -> Span | None:
        """Return a fuzzy span for an unknown capitalised word the context calls a place."""
        tok = toks[i]
        if len(tok.text) < 4 or tok.low in STOP_WORDS or not tok.text.isalpha():
            return None
        hint = _kind_hint(text, toks, i, i + 1)
        # "Kusong, Kunjang and Unsan": right after a place, joined by a comma, "and" or "or".
        in_list = (
            bool(spans)
            and tok.start - spans[-1].end <= 8
            and text[spans[-1].end : tok.start].strip() in (",", "and", "or", ", and", ", or")
        )
        if not hint and not in_list:
            return None
        return Span(tok.text, tok.start, tok.end, key(tok.text), hint, fuzzy=True)


def _kind_hint(text: str, toks: list[_Tok], i: int, end_i: int) -> str:
    """Return the kind a neighbouring word gives to the name in tokens ``i:end_i``."""
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
    # "the counties of Kunjang and Unsan", "the city of Kusong": "of", then only a list of
    # capitalised names, within one clause.
    for back in range(i - 1, max(-1, i - 7), -1):  # the nearest kind word first
        if toks[back].low in _PLURAL_KINDS:
            between = toks[back + 1 : i]
            stretch = text[toks[back].end : toks[i].start]
            if (
                between
                and between[0].low == "of"
                and len(stretch) <= 60
                and not any(c in stretch for c in ".;:!?()\n")
                and all(t.cap or t.low in ("and", "or") for t in between[1:])
            ):
                return KIND_WORDS[toks[back].low]
            break
    return ""
