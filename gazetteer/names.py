"""Name normalisation: one function folds every spelling of a place name to one key.

The key is for matching only, never for display.  It folds, in order:

1. Unicode: compatibility forms, diacritics (ŏ ŭ é), case, apostrophes (’ ʼ ' `)
   and the dashes and dots that separate tokens;
2. administrative suffixes, removed only as whole trailing tokens
   (``Hyesan-si``, ``Unsan county``, ``Ryanggang-do``, ``workers' district``);
3. North/South: ``Pyonganbuk-do`` = ``Phyŏngan-pukto`` = ``North Pyongan``;
4. romanization pairs, so that McCune–Reischauer, Revised Romanization and
   DPRK spellings meet (ph/p/b, th/t/d, kh/k/g, ch/j, sh/s, ŏ/eo/o, ŭ/eu/u,
   oe/oi, yung/yong (Hamkyung), the initial r/l/n of Ryanggang/Yanggang and Rajin/Najin,
   and a medial r assimilated after m/n/ng (Amrok/Amnok, Unryul/Unnyul).

Hangul keeps its syllables; a trailing administrative syllable (시 군 구역 읍 리
동 도 …) is removed.  Chinese characters are kept, without a trailing administrative
character (市 县 省 区 …).

>>> key("Sinŭiju") == key("Shinuiju") == key("Sinuiju")
True
>>> key("North Pyongan") == key("Pyonganbuk-do") == key("Phyŏngan-pukto")
True
>>> key("Ryanggang-do") == key("Yanggang") == key("Yangkang")
True
>>> key("Rajin-Sŏnbong") == key("Najin Sonbong")
True
>>> key("Hoiryong") == key("Hoeryŏng") == key("Hoeryeong")
True
>>> key("Hyesan-si") == key("Hyesan city") == key("Hyesan")
True
>>> key("혜산시") == key("혜산")
True
>>> key("   ")
''
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Administrative suffix tokens removed when they end a name (after folding to ASCII).
SUFFIX_TOKENS = frozenset(
    {
        "si",
        "shi",
        "gun",
        "kun",
        "up",
        "ub",
        "eup",
        "ri",
        "ni",
        "dong",
        "gu",
        "kuyok",
        "guyok",
        "kuyeok",
        "guyeok",
        "do",
        "to",
        "city",
        "county",
        "province",
        "prefecture",
        "district",
        "town",
        "township",
        "village",
        "municipality",
        "rodongjagu",
        "nodongjagu",
        "oblast",
        "krai",
        "kray",
        "xian",
        "sheng",
        "zhen",
        "xiang",
        "qu",
    }
)

#: Multi-token suffixes (folded, space separated), tried before single tokens.
SUFFIX_PHRASES = (
    ("workers", "district"),
    ("worker", "district"),
    ("special", "city"),
    ("directly", "governed", "city"),
    ("special", "administrative", "region"),
    ("autonomous", "county"),
    ("autonomous", "prefecture"),
    ("korean", "autonomous", "county"),
    ("korean", "autonomous", "prefecture"),
)

_NORTH = {"north", "northern", "buk", "puk", "pukto", "bukto"}
_SOUTH = {"south", "southern", "nam", "namdo"}

#: Hangul administrative endings removed from the end of a Hangul name.
HANGUL_SUFFIXES = (
    "노동자구",
    "특별시",
    "특급시",
    "직할시",
    "구역",
    "시",
    "군",
    "읍",
    "리",
    "동",
    "도",
    "구",
    "현",
)

_APOSTROPHES = "'’‘ʼʻ`´ʹ′"
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/.,()·]+")

# Romanization folding, applied to each ASCII token.  Order matters.
_FOLDS = (
    ("shy", "sy"),
    ("sh", "s"),
    ("tch", "j"),
    ("ch", "j"),
    ("ph", "b"),
    ("th", "d"),
    ("kh", "g"),
    ("kk", "g"),
    ("tt", "d"),
    ("pp", "b"),
    ("ss", "s"),
    ("jj", "j"),
    ("yeo", "yo"),
    ("eo", "o"),
    ("eu", "u"),
    ("oi", "oe"),
    ("k", "g"),
    ("p", "b"),
    ("t", "d"),
    ("l", "r"),
    ("yung", "yong"),
    # Consonant assimilation of a medial r (Amrok/Amnok, Unryul/Unnyul, Jongro/Jongno).
    ("ngr", "ngn"),
    ("nr", "nn"),
    ("mr", "mn"),
)

#: Chinese administrative endings removed from the end of a name in Chinese characters.
CJK_SUFFIXES = (
    "自治州",
    "自治县",
    "特别市",
    "直辖市",
    "市",
    "县",
    "縣",
    "郡",
    "省",
    "区",
    "區",
    "镇",
    "鎮",
)


def fold_chars(text: str) -> str:
    """Return ``text`` lowercased with diacritics removed, one output char per input char.

    The result has exactly the length of the input, so offsets found in it
    are offsets in the original text.

    >>> fold_chars("Sinŭiju’s")
    "sinuiju's"
    >>> len(fold_chars("Phyŏngan")) == len("Phyŏngan")
    True
    """
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _APOSTROPHES:
        return "'"
    if c.isascii():
        return c.lower()
    decomposed = unicodedata.normalize("NFKD", c)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if len(base) == 1:
        return base.lower()
    return c.lower() if len(c.lower()) == 1 else c


def ascii_fold(text: str) -> str:
    """Return ``text`` in NFKC, lowercased, without diacritics or apostrophes.

    >>> ascii_fold("P’yŏngan-pukto")
    'pyongan-pukto'
    """
    if text.isascii():  # nothing to normalise or strip: every form of ASCII is itself
        stripped = text
    else:
        text = unicodedata.normalize("NFKC", text)
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        stripped = unicodedata.normalize("NFC", stripped)
    for a in _APOSTROPHES:
        stripped = stripped.replace(a, "")
    return stripped.lower()


def tokens(text: str) -> list[str]:
    """Return the folded tokens of a name, separators removed.

    >>> tokens("Unsan-gun, North P'yŏngan")
    ['unsan', 'gun', 'north', 'pyongan']
    """
    return [t for t in _SEPARATORS.split(ascii_fold(text)) if t]


def strip_suffixes(toks: list[str]) -> list[str]:
    """Return ``toks`` without the trailing words that say a place's kind (county, province…).

    At least one token is always kept.

    >>> strip_suffixes(["unsan", "gun"])
    ['unsan']
    """
    changed = True
    while changed and len(toks) > 1:
        changed = False
        for phrase in SUFFIX_PHRASES:
            n = len(phrase)
            if len(toks) > n and tuple(toks[-n:]) == phrase:
                toks = toks[:-n]
                changed = True
                break
        if not changed and toks[-1] in SUFFIX_TOKENS:
            toks = toks[:-1]
            changed = True
    return toks


def _direction(toks: list[str]) -> tuple[str, list[str]]:
    """Split a North/South marker off the tokens: ("north", rest), ("south", rest) or ("", toks)."""
    if not toks:
        return "", toks
    if len(toks) > 1 and toks[0] in ("north", "northern"):
        return "north", toks[1:]
    if len(toks) > 1 and toks[0] in ("south", "southern"):
        return "south", toks[1:]
    last = toks[-1]
    if len(toks) > 1 and last in ("pukto", "bukto", "pukdo", "bukdo", "puk", "buk"):
        return "north", toks[:-1]
    if len(toks) > 1 and last in ("namdo", "nam"):
        return "south", toks[:-1]
    return "", toks


def _fold_token(tok: str, initial: bool) -> str:
    if initial and tok[:1] in ("r", "l") and len(tok) > 2:
        tok = "n" + tok[1:]
    if initial and tok.startswith("n") and tok[1:2] in ("i", "y") and len(tok) > 2:
        tok = tok[1:]
    for a, b in _FOLDS:
        if a in tok:
            tok = tok.replace(a, b)
    return tok


def _hangul_key(text: str) -> str:
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFC", text))
    for suffix in HANGUL_SUFFIXES:
        if compact.endswith(suffix) and len(compact) - len(suffix) >= 2:
            compact = compact[: -len(suffix)]
            break
    return compact


def _cjk_key(word: str) -> str:
    for suffix in CJK_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=200_000)
def key(name: str) -> str:
    """Return the matching key of a place name; ``""`` for a name with no letters.

    The key is stable within one release of nkmap; caches built from keys are
    keyed by the nkmap version.
    """
    if not name or not name.strip():
        return ""
    name = name.strip()
    # (Hangul and Chinese told by their code ranges: as regular expressions, their classes
    # would cost a millisecond each to compile at every start.)
    wide = not name.isascii()
    if wide and any("\uac00" <= c <= "\ud7a3" for c in name):
        return _hangul_key(name)
    toks = tokens(name)
    if not toks:
        return ""
    if wide and len(toks) == 1 and all("\u4e00" <= c <= "\u9fff" for c in toks[0]):
        return _cjk_key(toks[0])
    # "Pyonganbuk-do": the province ending is glued to the name before "-do".
    if len(toks) > 1 and toks[-1] == "do":
        head = toks[-2]
        for marker in ("bukdo", "pukdo", "buk", "puk", "namdo", "nam"):
            if head.endswith(marker) and len(head) > len(marker) + 2:
                toks = toks[:-2] + [head[: -len(marker)], "pukto" if "u" in marker else "namdo"]
                break
    elif len(toks) == 1:
        head = toks[0]
        for marker in ("bukdo", "pukto", "bukto", "namdo"):
            if head.endswith(marker) and len(head) > len(marker) + 2:
                toks = [head[: -len(marker)], marker]
                break
    toks = strip_suffixes(toks)
    direction, toks = _direction(toks)
    toks = strip_suffixes(toks)
    folded = [_fold_token(t, initial=True) for t in toks]
    return direction + "".join(folded)


def has_letters(name: str) -> bool:
    """Return True when ``name`` holds at least one letter of any script.

    >>> has_letters("  -- ")
    False
    >>> has_letters("혜산")
    True
    """
    return any(ch.isalpha() for ch in name)
