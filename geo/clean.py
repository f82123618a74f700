"""Strip the noise of saved news pages and keep the article body.

A saved page carries more than the article: the site's date and weather banner, menus,
photo credits, bylines, "Read in Korean", subscription and newsletter prompts,
comment policies, share buttons, author biographies, lists of other articles with their own
headlines and dates, browser notices and copyright lines.  Each of those would yield places
or dates that are not the article's.  Photo captions stay: they say what and where the
picture shows.  :func:`clean_page` removes them by rules on the shape
and wording of whole lines (never by matching one site's exact text) and returns the body,
with its paragraph breaks, beside the title, author and outlet it found on the way.

>>> page = clean_page("Traders fined in Hyesan\\n\\nBy Kim Ji-hye | 2024-03-08\\n\\n"
...     "Customs officers fined traders on March 7.\\n\\nRead in Korean\\n\\n"
...     "Copyright 2024. All rights reserved.")
>>> page.title, page.author, page.text
('Traders fined in Hyesan', 'Kim Ji-hye', 'Customs officers fined traders on March 7.')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from geo.dates import find_dates
from geo.lines import CLOSERS, count_words, ends_sentence, first_letters, may_open

__all__ = [
    "CleanedPage",
    "canonical_outlet",
    "clean_page",
    "clean_text",
    "guess_source",
    "is_caption",
    "is_noise_line",
]

#: Outlets recognised in bylines, bios and credits: pattern → canonical name.
OUTLETS: tuple[tuple[str, str], ...] = (
    (r"Daily\s?NK", "Daily NK"),
    (r"NK\s?News", "NK News"),
    (r"NK\s?Pro", "NK Pro"),
    (r"NK\s?Insider", "NK Insider"),
    (r"Radio Free Asia|RFA", "Radio Free Asia"),
    (r"Asia\s?Press|ASIAPRESS", "Asia Press"),
    (r"Yonhap(?: News Agency)?", "Yonhap"),
    (r"Korean Central News Agency|KCNA", "KCNA"),
    (r"Rodong Sinmun", "Rodong Sinmun"),
    (r"38 North", "38 North"),
    (r"Voice of America|VOA", "Voice of America"),
    (r"Korea JoongAng Daily|JoongAng Ilbo", "JoongAng"),
    (r"The Korea Herald|Korea Herald", "Korea Herald"),
    (r"The Korea Times|Korea Times", "Korea Times"),
    (r"Chosun Ilbo", "Chosun Ilbo"),
    (r"Reuters", "Reuters"),
    (r"Associated Press|AP", "Associated Press"),
    (r"nkmap sample dispatch", "nkmap sample dispatch"),
)
_OUTLET = "(?:" + "|".join(p for p, _ in OUTLETS) + ")"

_OUTLET_WORD = re.compile(r"\b" + _OUTLET + r"\b")
_OUTLET_LINE = re.compile(r"^\W*(?:" + _OUTLET + r")(?:\s+\w+)?\W*$", re.IGNORECASE)
# A line ending otherwise, followed by one starting in lower case, was wrapped mid-sentence.
_LINE_ENDS = tuple(".!?:;" + CLOSERS)
_BULLET = re.compile(r"^\s*(?:[-–—•·*▪►]|\d+[.)])\s+")


def _literal_tree(words: tuple[str, ...]) -> str:
    """Return a pattern finding any of ``words`` (literals) in a text, the words factored on
    their common prefixes ("c(?:omment|opyright)"): the engine tries each branch at each
    character, so a tree is tried several times faster than a list of the words."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_first.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rests in by_first.items():
        if "" in rests:  # the word ends here: the longer ones hold it and need not be sought
            branches.append(re.escape(first))
        else:
            rest = _literal_tree(tuple(rests))
            branches.append(re.escape(first) + (f"(?:{rest})" if "|" in rest else rest))
    return "|".join(branches)


# Whole-line noise: the line is dropped wherever it appears (bounded in length by callers).
# Every rule here is anchored at the line's start (each alternative opens with "^").
_NOISE_PATTERNS = [
    # language switches
    r"^(?:read|view|see)\s+(?:this\s+(?:article|story)\s+)?in\s+(?:korean|english|japanese|chinese)\b",
    r"^(?:korean|english|japanese|chinese)\s+(?:version|edition)$",
    r"^한국어|^korean$",
    # reader feedback and comment policies
    r"^please\s+(?:direct|send|address|forward)\s+(?:any\s+|your\s+)?"
    r"(?:comments|questions|inquiries|feedback)",
    # share buttons, print, navigation
    r"^(?:share(?: this(?: article| story| page)?)?(?: on)?|tweet|print|e-?mail|copy link|"
    r"facebook|twitter|x|whatsapp|telegram|kakao ?talk|linkedin|reddit|line|pinterest|"
    r"home|menu|search|back to top|next article|previous article|next|previous|"
    r"skip to (?:main )?content|close|open|more|top)(?:[\s|/·,]+(?:facebook|twitter|x|"
    r"whatsapp|telegram|kakao ?talk|linkedin|reddit|e-?mail|print|copy link|line|pinterest))*$",
    # credits, captions, bylines of others
    r"^\W*(?:translated|edited|reported|written|compiled|proofread|fact-checked)\s+by\b",
    r"^\W*(?:additional\s+)?reporting\s+by\b",
    r"^\W*(?:featured |main |cover |header |top |file )?(?:image|photo|picture|graphic|"
    r"illustration|video|photograph)s?\s*(?:credit|courtesy|source)?\s*(?::|by\b|=|courtesy\b)",
    r"^\W*(?:photo|image)\s*(?:credit|courtesy)\b|^\W*credit\s*:|^\W*source\s*:\s*\S+$",
    # inline pointers to other articles, advertisements, editorial notes
    r"^\W*(?:read more|see also|related(?: article| story)?|also read|more)\s*[:：]",
    r"^\W*advertisements?\W*$|^\W*sponsored(?: content)?\W*$",
    r"^\s*※",
    r"^\W*\(?end\)?\W*$|^\S+@\S+\.\w+$|^(?:source:\s*)?https?://\S+$|^www\.\S+$",
    r"^comments?\s*\(\d+\)$",
    # tags and categories
    r"^\W*(?:tags?|topics?|categories|category|filed under|keywords?)\s*:",
    # author biographies
    r"^(?:about the authors?|about the writer|author|authors)$",
    r"^follow (?:us|him|her|them)\b|^contact (?:us|the author)\b",
]
# The anchored rules joined in one pattern (a line matches a union of rules exactly when
# it matches one of them; one scan, not many), tried at the line's start only.
_ANCHORED = re.compile("|".join(f"(?:{p})" for p in _NOISE_PATTERNS), re.IGNORECASE)
#: What a line opening with a word character opens with, read case-blind, when an anchored
#: rule matches it, save one holding "@" (an e-mail address alone): a line opening with none
#: of these is not tried with the rules.
# fmt: off
_ANCHORED_WORDS = (
    "about", "additional", "advertisement", "also read", "author", "back to top", "categor",
    "chinese", "close", "comment", "compiled", "contact", "copy link", "cover", "credit",
    "e-mail", "edited", "email", "end", "english", "facebook", "fact-checked", "featured",
    "file", "follow", "graphic", "header", "home", "http", "illustration", "image",
    "japanese", "kakao", "keyword", "korean", "line", "linkedin", "main", "menu", "more",
    "next", "open", "photo", "picture", "pinterest", "please", "previous", "print",
    "proofread", "read", "reddit", "related", "report", "search", "see", "share", "skip to",
    "source", "sponsored", "tag", "telegram", "top", "translated", "tweet", "twitter", "video",
    "view", "whatsapp", "written", "www.", "x", "한국어",
)
# fmt: on
_ANCHORED_OPENINGS = re.compile(_literal_tree(_ANCHORED_WORDS))
# An author's biography, also whole-line noise ("Kim Ji-hye is a reporter for ..."): each of
# its closing words holds one of _TRIGGERS, so only a line holding one of those is tried.
_AUTHOR_LINE = re.compile(
    r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}\s+is\s+(?:an?|the|one of)\b.{0,80}"
    r"\b(?:correspondent|reporter|reporters|journalist|editor|writer|contributor|"
    r"analyst|columnist|intern|fellow|researcher)\b",
    re.IGNORECASE,
)

#: Whole-line noise found anywhere in the line, each rule with a word (lower-cased) that
#: every match of it holds, read case-blind.  A rule is only tried on a line holding its
#: word: searching through a line for all the rules at once costs about half a
#: microsecond a character.
_KEYWORD_RULES: tuple[tuple[str, str], ...] = (
    # reader feedback and comment policies
    ("inappropriate language", r"inappropriate language"),
    ("comment", r"comment(?:s|ing)? polic"),
    ("comments are ", r"comments are (?:closed|moderated)"),
    ("comment", r"(?:leave|post|add|write|view|show)\s+(?:a\s+|your\s+)?comments?\b"),
    ("will be deleted", r"\bwill be deleted\b"),
    ("links with a", r"links with an? https?\b"),
    ("comment", r"^\d+\s+comments?$|^comments?$"),
    # subscription, accounts, newsletters, paywalls
    ("subscribe ", r"\bsubscribe (?:now|today|here|for|to (?:our|the|read|get|receive))\b"),
    ("subscribe", r"^subscribe\b"),
    ("subscriber", r"\bsubscribers? only\b"),
    (" subscription", r"\b(?:start|get|your|a free) subscription\b"),
    ("subscription ", r"\bsubscription (?:plans?|required|options|offer)\b"),
    ("newsletter", r"\bnewsletter\b"),
    ("sign ", r"\bsign (?:up|in)\b"),
    ("log", r"\blog ?in\b|\blog out\b"),
    (" account", r"\bcreate (?:an|your) account\b|have an account|\bfree account\b"),
    ("username", r"\busername\b"),
    ("password", r"\bpassword\b"),
    ("become a ", r"\bbecome a (?:member|subscriber|supporter)\b"),
    (" membership", r"\b(?:your|our) membership\b"),
    ("membership ", r"\bmembership (?:plans?|options|required)\b"),
    ("members who rely", r"members who rely"),
    ("free trial", r"\bfree trial\b"),
    ("unlock ", r"\bunlock (?:this|full)\b"),
    ("learn more", r"^learn more"),
    ("enter your ", r"enter your (?:details|email)"),
    ("donate to ", r"\bdonate to (?:us|our)\b"),
    (" journalism", r"\bsupport (?:our|independent) journalism\b"),
    # copyright and legal
    ("©", r"©"),
    ("(c)", r"\(c\)\s*\d{4}"),
    ("copyright", r"\bcopyright\b"),
    ("all rights reserved", r"\ball rights reserved\b"),
    ("reproduction", r"\bunauthorized reproduction\b|\breproduction (?:is )?prohibited\b"),
    ("무단", r"무단\s*전재"),
    ("terms of ", r"\bterms of (?:use|service)\b"),
    ("privacy policy", r"\bprivacy policy\b"),
    ("cookie", r"\bcookies? (?:policy|settings|preferences|consent)\b|\buses? cookies\b"),
    # browser and site notices
    ("internet explorer", r"internet explorer"),
    ("incognito", r"\bincognito\b"),
    ("private ", r"\bprivate (?:mode|browsing)\b"),
    ("javascript", r"\bjavascript\b"),
    (" not support", r"\bweb ?site(?:s)? (?:do|does) not support\b"),
    ("not compatible", r"\bis not compatible with this website\b"),
    ("update your browser", r"\bupdate your browser\b"),
    ("stop using the browser", r"\bstop using the browser\b"),
    ("supporting ie", r"\bsupporting IE\b"),
    # author biographies
    (
        "questions about ",
        r"\bquestions about (?:his|her|their|the) (?:articles|reporting|stories)\b",
    ),
)
_KEYWORD_PATTERNS = tuple((word, re.compile(rule, re.IGNORECASE)) for word, rule in _KEYWORD_RULES)
# A line holding none of these words (lower-cased) is not tried with the keyword rules nor
# the biography rule (a rule of the page's noise, not merely a shortcut: "Become a
# supporter" alone is kept).
_TRIGGERS = (
    "comment",
    "delete",
    "http",
    "subscri",
    "newsletter",
    "sign ",
    "log",
    "account",
    "username",
    "password",
    "member",
    "trial",
    "unlock",
    "learn more",
    "enter your",
    "donate",
    "journalism",
    "©",
    "(c)",
    "copyright",
    "rights",
    "reproduc",
    "전재",
    "terms of",
    "privacy",
    "cookie",
    "explorer",
    "incognito",
    "private",
    "javascript",
    "website",
    "browser",
    "ie ",
    "question",
    "correspondent",
    "reporter",
    "journalist",
    "editor",
    "writer",
    "contributor",
    "analyst",
    "columnist",
    "intern",
    "fellow",
    "researcher",
)
#: Characters each trigger is found by, the rarer first (in English text): a trigger is
#: sought at the first of these it holds, its other letters looked at around it, so that
#: the engine tries a match at a few places of a line rather than at nearly every letter.
_ANCHORS = "qxj전©)kvbwmpygcdi"


def _anchored_words(words: tuple[str, ...]) -> str:
    """Return a pattern finding any of ``words`` (literals) in a text: for each character
    of :data:`_ANCHORS`, that character, then what comes before it in each word it finds
    (looked behind) and after it (looked ahead).  It finds a word where the word is, but
    only whether one is there is meant (a match is one character)."""
    found: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        anchor = next(c for c in _ANCHORS if c in word)
        at = word.index(anchor)
        before, after = word[:at], word[at + 1 :]
        found.setdefault(anchor, []).append(
            (f"(?<={re.escape(before + anchor)})" if before else "")
            + (f"(?={re.escape(after)})" if after else "")
        )
    return "|".join(
        re.escape(anchor) + (f"(?:{'|'.join(alts)})" if any(alts) else "")
        for anchor, alts in sorted(found.items(), key=lambda item: _ANCHORS.index(item[0]))
    )


_TRIGGER = re.compile(_anchored_words(_TRIGGERS))
# Keyword rules only apply to short lines: a body paragraph may mention a "password" once.
_NOISE_MAX_WORDS = 30

#: Headings that open a list of other articles (their headlines and dates are not this one's).
_LIST_HEADING = re.compile(
    r"^\W*(?:related(?: articles?| stor(?:y|ies)| news| posts?| coverage| content| reading|"
    r" links?| reports?)?|"
    r"more (?:from|on|in|about|news|stories|articles)\b.*|(?:most|more) (?:popular|read|viewed)"
    r"\b.*|read (?:more|next|also)|also read|recommended(?: for you| articles| stories)?|"
    r"you (?:may|might) (?:also )?like|latest(?: news| articles| stories)?|trending(?: now)?|"
    r"see also|popular(?: articles| stories| now)?|other stories|top stories|editor'?s picks|"
    r"what to read next|in (?:other|case you missed).*|recent (?:posts|articles|stories))\W*$",
    re.IGNORECASE,
)
#: What each alternative of :data:`_LIST_HEADING` opens with.
_LIST_OPENINGS = first_letters(
    "related more most read also recommended you latest trending see popular other top editor "
    "what in recent"
)
#: Lines that typically open the page footer; everything after them goes when no body
#: paragraph follows.
_FOOTER_START = re.compile(
    r"^\W*(?:read in (?:korean|english)|please (?:direct|send)|edited by|translated by|"
    r"featured image|advertisements|join (?:the|our)\b|subscribe|sign up|share this|tags?:|"
    r"copyright|©|all rights reserved|about the author)",
    re.IGNORECASE,
)
_FOOTER_OPENINGS = first_letters(
    "read please edited translated featured advertisements join subscribe sign share tags "
    "copyright © all about"
)
_BYLINE = re.compile(r"^\W*by\s+(?P<who>[^|,;:]{2,60}?)(?:\s*[|,;:]\s*.*)?$", re.IGNORECASE)
_BYLINE_OPENINGS = first_letters("by")
_CAPTION_CREDIT = re.compile(
    r"[.!?\"”]\s*[(\[](?:(?i:photo|image|picture|graphic|source|credit|courtesy|file)s?\s*"
    r"(?:by|:|=)?\s*)?[A-Z][\w.&'’/-]*(?:[ -][A-Za-z][\w.&'’/-]*){0,5}[)\]]\s*$"
)
# "A view of Sinuiju. Image: Daily NK", "Trucks at the bridge | Photo: NK News"
_CAPTION_TAIL = re.compile(
    r"(?:[.!?\"”]\s*|\s[|/]\s*)(?:file\s+)?(?:photo|image|picture|graphic|source|credit|"
    r"illustration)s?\s*(?::|=|by\b|courtesy of\b)\s*[\w.&'’/ -]{2,50}$",
    re.IGNORECASE,
)
_CREDIT_WORD = re.compile(
    _literal_tree(("photo", "image", "picture", "graphic", "source", "credit", "illustration"))
)
_DATELINE_PREFIX = re.compile(
    r"^(?P<dl>[A-Z][A-Z'.-]{2,}(?:(?:\s+|\s*/\s*)[A-Z][A-Z'.-]+){0,3}(?:,\s*[^–—\n]{0,40}?)?"
    r"(?:\s*\([^)]{2,40}\))?\s*(?:--|–|—|-{1,2})\s+)(?=[A-Z\"“])"
)
# "Pyongyang, November 3 (KCNA) -- ": a city in title case needs the agency to count
_AGENCY_DATELINE = re.compile(
    r"^(?P<dl>[A-Z][a-z'’]+(?:[ -][A-Z][a-z'’]+)?,\s*[^()\n]{0,30}?\s*\("
    + _OUTLET
    + r"\)\s*(?:--|–|—|-)\s+)"
)
_WEATHER = re.compile(r"^-?\d+(?:\.\d+)?\s*°?\s*[CF]$|^\d+(?:\.\d+)?\s*°")


def _is_weather(line: str) -> bool:
    """Return True when ``line`` is the weather (:data:`_WEATHER`), which opens with "-" or
    a digit (``\\d``: a decimal digit, as ``str.isdecimal`` says): only then is it tried."""
    first = line[:1]
    return (first == "-" or first.isdecimal()) and _WEATHER.match(line) is not None


#: Paragraphs at least this long end a list of other articles or a footer.
_BODY_WORDS = 35


#: What a line of a page is: the headline, article text, a photo caption, a section heading
#: inside the body, the wire dateline opening a paragraph, or page furniture.
ROLES = ("title", "body", "caption", "heading", "dateline", "noise")


@dataclass(frozen=True)
class Line:
    """One line of a page: ``text[start:end]`` (trimmed of space) and its role in :data:`ROLES`."""

    start: int
    end: int
    role: str


@dataclass(frozen=True)
class CleanedPage:
    """The article found in a saved page.

    ``text`` is the body, paragraphs separated by a blank line; ``title``, ``author`` and
    ``source`` are ``""`` when not found; ``removed`` lists the dropped lines, for debugging.
    ``lines`` gives every non-blank line of the page as it was given, with its offsets and
    role, so that callers can keep offsets into the original text.
    """

    text: str
    title: str
    author: str
    source: str
    removed: tuple[str, ...]
    lines: tuple[Line, ...] = ()


def _ends_line(text: str) -> bool:
    """Return True when ``text`` ends in closing punctuation (:data:`_LINE_ENDS`; a newline
    may follow)."""
    if text.endswith("\n"):
        text = text[:-1]
    return text.endswith(_LINE_ENDS)


def _words(text: str) -> int:
    """Return the number of words in ``text`` (:func:`geo.lines.count_words`); past 600
    characters, 100 (every noise rule asks about lines of a few dozen words, and counting
    long paragraphs is wasted time)."""
    return 100 if len(text) > 600 else count_words(text)


_MENU_SPLIT = re.compile(r"\s*[|·•»›>]\s*|\s{3,}")
#: What separates a menu's items: a mark, or three spaces.
_MENU_MARKS = ("   ", *"|·•»›>")


def _menu_marks(text: str) -> tuple[str, ...]:
    """Return the marks of :data:`_MENU_MARKS` that ``text`` holds: one C scan a mark,
    faster than a pattern's.  A line of a page holds none but the page's."""
    return tuple(filter(text.__contains__, _MENU_MARKS))


def _is_menu(line: str, marks: tuple[str, ...] = _MENU_MARKS) -> bool:
    """Return True when ``line`` is a menu of three short items or more; ``marks``: the
    separators it may hold (those of its page)."""
    if not any(map(line.__contains__, marks)):
        return False
    parts = [p.strip() for p in _MENU_SPLIT.split(line) if p.strip()]
    return len(parts) >= 3 and all(_words(p) <= 3 and not ends_sentence(p) for p in parts)


def is_noise_line(line: str) -> bool:
    """Return True when ``line`` alone is page furniture rather than article text.

    Covers language switches, feedback and comment notes, subscription and account prompts,
    share buttons, credits ("Translated by", "Featured image:"), tags, copyright, browser
    notices, author biographies, menus of short items, and short lines holding a date that
    are not sentences (bylines, links to other articles).  Photo captions are not noise.
    Raises nothing.

    >>> is_noise_line("Read in Korean"), is_noise_line("Trade resumed on March 7.")
    (True, False)
    """
    line = line.strip()
    return bool(line) and _is_noise(line, _words(line), line.lower())


def _anchored_noise(line: str, low: str) -> bool:
    """Return True when one of :data:`_NOISE_PATTERNS` matches ``line`` (lower-cased:
    ``low``): every rule opens with "^" (a match at the start), and a line opening with a
    word character is only tried when it opens with one of :data:`_ANCHORED_OPENINGS`."""
    first = line[:1]
    if (
        (first.isalnum() or first == "_")
        and "@" not in line
        and _ANCHORED_OPENINGS.match(_case_blind(low)) is None
    ):
        return False
    return _ANCHORED.match(line) is not None


def _keyword_noise(line: str, low: str) -> bool:
    """Return True when one of :data:`_KEYWORD_RULES` matches ``line`` (lower-cased:
    ``low``)."""
    folded = _case_blind(low)
    return any(word in folded and rule.search(line) for word, rule in _KEYWORD_PATTERNS)


def _case_blind(low: str) -> str:
    """Return the lower-cased ``low`` as the engine matches case-blind: "ı" and "ſ" are
    "i" and "s" to it, and "İ" (lower-cased to "i" and a combining dot) is "i".  A word
    that a case-blind rule finds in a line is then found in this text."""
    if low.isascii():
        return low
    return low.replace("\u0307", "").replace("ı", "i").replace("ſ", "s")


def _odd_case(low: str) -> bool:
    """Return True when the lower-cased ``low`` holds a letter that :func:`_case_blind`
    changes: then a word matched case-blind in the line may be missing from ``low``."""
    return not low.isascii() and ("\u0307" in low or "ı" in low or "ſ" in low)


def _is_noise(line: str, words: int, low: str, marks: tuple[str, ...] = _MENU_MARKS) -> bool:
    """:func:`is_noise_line` for a stripped, non-empty ``line`` of ``words`` words, ``low``
    lower-cased; ``marks`` are the menu separators the line may hold (its page's).

    The cheap tests come first in each rule (the count, the line's start and end, before a
    search through the line or for its dates).
    """
    if words <= _NOISE_MAX_WORDS:
        if _anchored_noise(line, low):
            return True
        if _TRIGGER.search(low) is not None:
            if _AUTHOR_LINE.match(line) or _keyword_noise(line, low):
                return True
        elif _odd_case(low) and _AUTHOR_LINE.match(line):
            return True
    if words <= 4 and _OUTLET_LINE.match(line):
        return True  # the site's name alone: masthead or footer
    if (marks and _is_menu(line, marks)) or _is_weather(line):
        return True
    # A photo caption with its credit ("Trucks on the Friendship Bridge. (Daily NK)") is kept:
    # it says what and where the picture shows, and the issue counts its places.
    if words <= 30 and (not ends_sentence(line) or _BULLET.match(line)) and find_dates(line):
        return True  # a byline, a linked headline with its date, a dated item of a list
    return words <= 8 and _is_byline(line) and not ends_sentence(line)


def _is_byline(line: str) -> bool:
    """Return True when ``line`` is a byline (:data:`_BYLINE`), tried only when it may
    open with "by"."""
    return may_open(line, _BYLINE_OPENINGS) and _BYLINE.match(line) is not None


def _is_footer_start(line: str) -> bool:
    """Return True when ``line`` opens the page's footer (:data:`_FOOTER_START`), tried
    only when it may open with one of its words."""
    return may_open(line, _FOOTER_OPENINGS) and _FOOTER_START.match(line) is not None


def canonical_outlet(name: str) -> str:
    """Return the canonical spelling of an outlet's name (``DailyNK`` → ``Daily NK``).

    A name not in :data:`OUTLETS` comes back stripped, as given.  Raises nothing.
    """
    name = name.strip()
    if not name:
        return name
    for pattern, canonical in _OUTLETS_ANY_CASE:
        if pattern.fullmatch(name):
            return canonical
    return name


_OUTLETS_ANY_CASE = tuple((re.compile(p, re.IGNORECASE), name) for p, name in OUTLETS)


def guess_source(text: str) -> str:
    """Return the outlet a saved page comes from, from its bylines, credits and bios, or "".

    Strong signals only: ``by DailyNK``, ``an NK News correspondent``, ``told Daily NK``,
    ``Daily NK's freelance reporters``, ``NK Insider has learned``, a caption credit
    ``(Daily NK)``, ``(Yonhap) --`` in a dateline.  Raises nothing.

    >>> guess_source("A source told Daily NK on March 3 that ...")
    'Daily NK'
    """
    starts = _name_starts(text)
    if not any(_OUTLET_WORD.match(text, at) for at in starts):
        return ""  # no outlet named as a word of its own
    low = ""
    for signal in _SOURCE_SIGNALS:
        if signal.opening is not None:
            m = _first_match(signal.pattern, text, signal.opening(text, starts))
        else:
            if signal.needles:
                if signal.folded:
                    low = low or text.lower()
                if not any(n in (low if signal.folded else text) for n in signal.needles):
                    continue  # a word the signal needs is not in the text
            if signal.needed is not None and signal.needed.search(text) is None:
                continue  # nor what it needs around the outlet's name
            m = signal.pattern.search(text)
        if m is not None:
            found = m.group("o")
            for pattern, name in _OUTLETS_EXACT:
                if pattern.fullmatch(found):
                    return name
    return ""


# The outlets' names in two parts, for a fast scan: those opening with a capital or digit
# (the engine skips the characters no name opens with) and the one in lower case, sought
# apart as a literal (with it the first part would stop at every "n").
_CAPITAL_NAME = re.compile("|".join(p for p, _ in OUTLETS if not p[0].islower()))
_SMALL_NAME = re.compile("|".join(p for p, _ in OUTLETS if p[0].islower()))
_OUTLETS_EXACT = tuple((re.compile(p), name) for p, name in OUTLETS)


def _first_match(
    pattern: re.Pattern[str], text: str, places: Iterable[int]
) -> re.Match[str] | None:
    """Return the first match of ``pattern`` at one of ``places`` in ``text``, or None."""
    for at in places:
        m = pattern.match(text, at)
        if m is not None:
            return m
    return None


def _at_names(text: str, names: list[int]) -> Iterable[int]:
    """Where matches opening with the outlet's name open: at the ``names``."""
    return names


def _line_starts(text: str, names: list[int]) -> Iterator[int]:
    """Where matches of "start of line, then only non-word characters, then a name" can
    open: the start of each line holding one of the ``names`` (in order), once a line.
    (Such a match may open on an earlier line when the lines between hold no word
    character; from the name's line it finds the same name.)  The text is read once."""
    start, read = -1, 0
    for name in names:
        newline = text.rfind("\n", read, name)
        read = name
        if newline >= 0 or start < 0:
            start = newline + 1 if newline >= 0 else text.rfind("\n", 0, name) + 1
            yield start


def _sentence_ends(text: str, names: list[int]) -> Iterator[int]:
    """Where matches of "``.``, ``!`` or ``?``, space, ``(`` and a name" can open: at the
    punctuation before the space before the bracket ahead of each of the ``names`` that
    has them."""
    for name in names:
        if name >= 2 and text[name - 1] == "(":
            start = _space_start(text, name - 1) - 1
            if start >= 0 and text[start] in ".!?":
                yield start


#: The words before an outlet's name saying it was told the news.
_TOLD = ("told", "informed", "tells")


def _after_told(text: str, names: list[int]) -> list[int]:
    """Where matches of "a word of :data:`_TOLD`, space, a name" can open: at such a word
    ending where the space before one of the ``names`` begins, in order."""
    places = []
    for name in names:
        space = _space_start(text, name)
        if space < name:
            places += [space - len(w) for w in _TOLD if text.endswith(w, 0, space)]
    return sorted(places)


def _space_start(text: str, end: int) -> int:
    """Return where the run of space (``\\s``) ending at ``end`` in ``text`` begins."""
    start = end
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return start


def _name_starts(text: str) -> list[int]:
    """Return, in order, every position at which an outlet's name (:data:`_OUTLET`)
    begins in ``text``, inside a word or not (names may overlap: each start is found)."""
    starts = []
    for pattern in (_CAPITAL_NAME, _SMALL_NAME):
        m = pattern.search(text)
        while m is not None:
            starts.append(m.start())
            m = pattern.search(text, m.start() + 1)
    return sorted(starts)


@dataclass(frozen=True)
class _Signal:
    """A pattern naming the page's outlet in its group ``o``, and how to look for it.

    ``needles`` are words one of which it cannot match without, looked for as written (in
    the lower-cased text when ``folded``: the pattern ignores case there); ``needed`` is a
    part of it that opens with a literal (which the engine finds fast) and that it cannot
    match without either.

    A signal with an ``opening`` is instead tried only where a match holding one of the
    names would open (``opening(text, names)``, given where the names begin, gives those
    places in order): the first match found there is the one a search of the whole text
    finds first.
    """

    pattern: re.Pattern[str]
    needles: tuple[str, ...] = ()
    folded: bool = False
    needed: re.Pattern[str] | None = None
    opening: Callable[[str, list[int]], Iterable[int]] | None = None


_O = "(?P<o>" + _OUTLET + ")"
_M = re.MULTILINE
#: The signals, strongest first.
_SOURCE_SIGNALS = (
    _Signal(re.compile(r"^\W*by\s+" + _O + r"\b", _M), needed=re.compile(r"by\s+" + _O)),
    _Signal(
        re.compile(
            _O
            + r"(?:'s|’s)?\s+(?:\w+\s+){0,2}"
            + r"(?:correspondent|reporter|reporters|journalist|staff)"
        ),
        opening=_at_names,
    ),
    _Signal(re.compile(r"\b(?:" + "|".join(_TOLD) + r")\s+" + _O + r"\b"), opening=_after_told),
    _Signal(
        re.compile(
            r"\b" + _O + r"\s+(?:has|have)\s+(?:spoken|learned|confirmed|obtained|reported)"
        ),
        opening=_at_names,
    ),
    _Signal(
        re.compile(r"^[A-Z][A-Za-z]{2,}[^()\n]{0,40}\(" + _O + r"\)\s*(?:--|–|—|-)", _M),
        needed=re.compile(r"\(" + _O + r"\)\s*(?:--|–|—|-)"),
    ),
    _Signal(re.compile(r"^\W*" + _O + r"\W*$", _M), opening=_line_starts),
    _Signal(re.compile(r"[.!?]\s*\(" + _O + r"\)\s*$", _M), opening=_sentence_ends),
    _Signal(
        re.compile(r"(?:(?i:\bcopyright\b)|©)\s*(?:\d{4}\s*)?" + _O, _M),
        needles=("copyr", "©"),
        folded=True,
    ),
)


_ABOUT_AUTHOR = re.compile(r"^\W*about the author", re.IGNORECASE)
_BAR = re.compile(r"\s*[|·•]\s*")
_BY = re.compile(r"^\W*by\s+", re.IGNORECASE)
_AFFILIATION = re.compile(r"\s+(?:for|of|at|with|in)\s+")
_REPORTER_CREDIT = re.compile(
    r"\(\s*(?:reporter|written by|by)\s*:?\s*(?P<who>[^()]{3,40}?)\s*\)", re.I
)
_AUTHOR_BIO = re.compile(
    r"^(?P<who>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,4})\s+is\s+(?:an?|one of)\b.{0,60}"
    r"\b(?:correspondent|reporters?|journalist|editor|writer|contributor)\b"
)


def _author_from(lines: list[str], counts: list[int], low: str) -> str:
    """Return the author named on the page of ``lines`` (``counts``: their words; ``low``:
    the lines lower-cased, joined by newlines), or ""."""
    # (no letter of "about the author" is matched, regardless of case, by a letter that
    # lower-cases to another: a line the pattern matches holds it, lower-cased)
    for i, line in enumerate(lines if "about the author" in low else ()):
        if _ABOUT_AUTHOR.match(line):
            for follow in lines[i + 1 : i + 3]:
                if 1 <= _words(follow) <= 5 and not ends_sentence(follow):
                    return follow.strip()
    for line, words in zip(lines[:12], counts[:12], strict=True):
        dates = find_dates(line) if words <= 10 else None  # a long line is no byline
        if dates:
            before = _BAR.split(line[: dates[0][1]].strip())[0]
            before = _BY.sub("", before).strip(" ,|-–")
            if 2 <= _words(before) <= 5 and not _OUTLET_WORD.search(before):
                return before
    for line, words in zip(lines, counts, strict=True):
        m = _BYLINE.match(line) if words <= 10 and may_open(line, _BYLINE_OPENINGS) else None
        if m:
            who = _AFFILIATION.split(m.group("who").strip())[0]
            if not _OUTLET_WORD.search(who) and 1 <= _words(who) <= 5:
                return who
    for line, words in zip(lines, counts, strict=True):
        m = _REPORTER_CREDIT.search(line) if words <= 12 else None
        if m:
            return m.group("who")
    for line in lines:
        m = _AUTHOR_BIO.match(line) if "A" <= line[:1] <= "Z" else None  # its first letter
        if m:
            return m.group("who")
    return ""


def is_caption(line: str) -> bool:
    """Return True when ``line`` is a photo caption ending in its credit.

    Captions are kept in the body (they say what and where the picture shows); this only
    keeps them from being taken for a headline.  Raises nothing.

    >>> is_caption("Trucks on the Friendship Bridge. (Daily NK)")
    True
    """
    return _is_caption(line, _words(line), line.lower())


def _is_caption(line: str, words: int, low: str) -> bool:
    """:func:`is_caption` for a line of ``words`` words, ``low`` lower-cased."""
    if words > 40:
        return False
    # the credit in brackets closes the line: look for it only in a line that ends so
    if line.rstrip().endswith((")", "]")) and _CAPTION_CREDIT.search(line):
        return True
    # a credit after the caption names a photo, an image... and then "by", ":", "=" or
    # "courtesy of": look for it only in a line holding those
    if not (":" in line or "=" in line or "by" in low or "courte" in low):
        return False
    if _CREDIT_WORD.search(_case_blind(low)) is None:
        return False
    return _CAPTION_TAIL.search(line) is not None


_HEADING_BULLETS = frozenset("◆■▶●◇□▷▲")


def _is_heading(line: str, words: int) -> bool:
    """Return True for a section heading inside the body (``words`` words): a short line
    (2–12 words) with no closing punctuation, or one opened by a typographic bullet
    ("◆The current situation")."""
    return line[:1] in _HEADING_BULLETS or (
        2 <= words <= 12 and not _ends_line(line) and line[:1].isupper()
    )


def _is_headline(line: str, words: int, low: str) -> bool:
    return (
        3 <= words <= 25
        and not ends_sentence(line.rstrip("”\"'"))
        and not _is_caption(line, words, low)
    )


# A line's text: from its first character that is not space (nor a zero-width space or a
# byte-order mark) to its last, on one line.  One scan of the page finds every line trimmed
# (the engine skips space between lines without trying a match there: each try would run
# to the end of the space, and a page ending in a long run of space would take long).
_LINE_TEXT = re.compile(r"[^\s\u200b\ufeff](?:[^\r\n]*[^\s\u200b\ufeff])?")
# What separates two lines of text when a blank line lies between them: a line of spaces
# only, or an empty line after a "\n" ("\r\r" is one break: the old Mac ending of one line).
_BLANK_BETWEEN = re.compile(r"\n[\r\n]|[\r\n][^\r\n]+[\r\n]")


def _page_lines(text: str) -> list[tuple[int, int, str, int]]:
    """Return ``(start, end, line, block)`` for every non-blank line of ``text``.

    ``start:end`` is the line trimmed of space in ``text``; ``line`` is that slice with
    no-break spaces as spaces and zero-width spaces dropped; blocks are runs of lines
    between blank lines (each line its own block when the page has no blank line).
    """
    if "\r" in text or "\u200b" in text or "\ufeff" in text:
        return _scanned_lines(text)
    # Lines end at "\n" only, and space is what str.strip() strips: the text's lines
    # split and stripped are the scan's.
    out: list[tuple[int, int, str, int]] = []
    block = 0
    blank = False  # whether a blank line came since the line before
    at = 0  # where the raw line starts
    respace = "\u00a0" in text
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            blank = True
        else:
            if blank and out:
                block += 1
            blank = False
            start = at + len(raw) - len(raw.lstrip())
            out.append(
                (start, start + len(line), line.replace("\u00a0", " ") if respace else line, block)
            )
        at += len(raw) + 1
    if block == 0 and len(out) > 1:
        out = [(s, e, line, i) for i, (s, e, line, _) in enumerate(out)]
    return out


def _scanned_lines(text: str) -> list[tuple[int, int, str, int]]:
    """:func:`_page_lines` for any text: lines ending at "\r" as well, trimmed of
    zero-width spaces and byte-order marks too, found by a scan of the text."""
    out: list[tuple[int, int, str, int]] = []
    block = 0
    end = -1  # where the line before ended
    respace = "\u00a0" in text or "\u200b" in text
    for m in _LINE_TEXT.finditer(text):
        start = m.start()
        # one character between two lines is a line break, never a blank line
        if start - end > 1 and end >= 0 and _BLANK_BETWEEN.search(text, end, start):
            block += 1
        end = m.end()
        line = m.group()
        if respace:
            line = line.replace("\u00a0", " ").replace("\u200b", "")
        out.append((start, end, line, block))
    if block == 0 and len(out) > 1:
        out = [(s, e, line, i) for i, (s, e, line, _) in enumerate(out)]
    return out


def clean_page(text: str, *, title: str = "", guess_title: bool = True) -> CleanedPage:
    """Return the article body of a saved page's text, with its title, author and outlet.

    ``title``, when known from metadata, is removed from the head of the body instead of
    being guessed (the first headline-like line, before which short lines are page
    furniture); ``guess_title=False`` (bodies from HTML or JSON, whose metadata holds the
    title) keeps a headline-like first line in the body.  Kept lines are stripped, no-break
    spaces become spaces, and each line is a paragraph, separated by one blank line, except
    lines wrapped mid-sentence (no closing punctuation, the next line in lower case), which
    are joined with a space.  A wire dateline opening the first paragraph (``SEOUL –``) is
    removed, as the reporter's city is not where the news happened.  ``lines`` keeps every
    line's offsets into ``text`` and its role.  Raises nothing.
    """
    items = _page_lines(text)
    lines = [line for _, _, line, _ in items]
    counts = [_words(line) for line in lines]  # each line's words (lines are stripped)
    joined = "\n".join(lines)
    # every line lower-cased by one call (no line holds a "\n", and lower-casing reads no
    # letter across one)
    low = joined.lower()
    lows = low.split("\n") if lines else []
    author = _author_from(lines, counts, low)
    source = guess_source(joined)
    marks = _menu_marks(joined)
    keep = [
        not _is_noise(line, words, low, marks)
        for line, words, low in zip(lines, counts, lows, strict=True)
    ]
    listed = [
        may_open(line, _LIST_OPENINGS) and _LIST_HEADING.match(line) is not None for line in lines
    ]
    _drop_lists(lines, counts, listed, keep)
    _drop_footer(lines, counts, listed, keep)
    title_at = _drop_head(items, counts, lows, keep, title=title, guess_title=guess_title)
    # the tail: headline-like lines after the last paragraph (links to other articles)
    kept = [i for i in range(len(lines)) if keep[i]]
    while len(kept) > 1 and _is_headline(lines[kept[-1]], counts[kept[-1]], lows[kept[-1]]):
        keep[kept.pop()] = False
    roles = _roles(lines, counts, lows, keep, title_at)
    page_lines = [Line(s, e, role) for (s, e, _, _), role in zip(items, roles, strict=True)]
    _cut_datelines(lines, keep, roles, page_lines)
    out: list[str] = []
    prev_block: int | None = None
    for i in range(len(items)):
        if not keep[i]:
            continue
        line, blk = lines[i], items[i][3]
        if out:
            wrapped = blk == prev_block and not _ends_line(out[-1]) and line[:1].islower()
            out.append(" " if wrapped else "\n\n")
        out.append(line)
        prev_block = blk
    removed = tuple(lines[i] for i in range(len(lines)) if not keep[i])
    found_title = lines[title_at] if title_at is not None and not title else title
    return CleanedPage("".join(out), found_title, author, source, removed, tuple(page_lines))


def _drop_lists(lines: list[str], counts: list[int], listed: list[bool], keep: list[bool]) -> None:
    """Drop the lists of other articles: a heading (``listed``) and the lines after it, up
    to a paragraph (12 words or more, ending a sentence, not bulleted)."""
    in_list = False
    for i, line in enumerate(lines):
        if listed[i]:
            in_list = True
            keep[i] = False
            continue
        if in_list:
            if counts[i] >= 12 and ends_sentence(line) and not _BULLET.match(line):
                in_list = False
            else:
                keep[i] = False


def _drop_footer(lines: list[str], counts: list[int], listed: list[bool], keep: list[bool]) -> None:
    """Drop the footer: from a footer line on, when no body paragraph follows and it sits
    in the last 60% of the page's text."""
    total = sum(map(len, lines)) or 1
    seen = 0
    for i, line in enumerate(lines):
        if seen >= 0.4 * total and (listed[i] or _is_footer_start(line)):
            rest = [j for j in range(i + 1, len(lines)) if keep[j]]
            if all(counts[j] < _BODY_WORDS for j in rest):
                for j in range(i, len(lines)):
                    keep[j] = False
                break
        seen += len(line)


def _drop_head(
    items: list[tuple[int, int, str, int]],
    counts: list[int],
    lows: list[str],
    keep: list[bool],
    *,
    title: str,
    guess_title: bool,
) -> int | None:
    """Drop the head: short furniture lines before the first headline-like or body line.

    Returns the index of the title's line (the given ``title``, or the headline guessed
    when ``guess_title``), itself dropped, or None.
    """
    lines = [line for _, _, line, _ in items]
    first = next((i for i in range(len(lines)) if keep[i]), None)
    while first is not None:
        line = lines[first]
        if title and _same_title(line, title):
            keep[first] = False
            return first
        nxt = next((i for i in range(first + 1, len(lines)) if keep[i]), None)
        wrapped = nxt is not None and items[nxt][3] == items[first][3] and lines[nxt][:1].islower()
        if (
            not title
            and guess_title
            and not wrapped
            and _is_headline(line, counts[first], lows[first])
        ):
            keep[first] = False
            return first
        if counts[first] >= 4 or ends_sentence(line):
            return None
        keep[first] = False
        first = next((i for i in range(first + 1, len(lines)) if keep[i]), None)
    return None


def _roles(
    lines: list[str], counts: list[int], lows: list[str], keep: list[bool], title_at: int | None
) -> list[str]:
    """Return each line's role in :data:`ROLES` (datelines are cut out afterwards)."""
    roles = ["noise"] * len(lines)
    for i, line in enumerate(lines):
        if keep[i]:
            roles[i] = "caption" if _is_caption(line, counts[i], lows[i]) else "body"
            if roles[i] == "body" and _is_heading(line, counts[i]):
                roles[i] = "heading"
    if title_at is not None:
        roles[title_at] = "title"
    return roles


def _cut_datelines(
    lines: list[str], keep: list[bool], roles: list[str], page_lines: list[Line]
) -> None:
    """Cut the wire datelines opening kept lines ("SEOUL, Sept. 7 (Yonhap) --"), the
    reporter's city, off ``lines`` and into lines of their own in ``page_lines``."""
    for i in reversed(range(len(lines))):
        if not keep[i]:
            continue
        line = lines[i]
        m = _dateline(line)
        if m and _words(m.group("dl")) <= 8:
            s, e = page_lines[i].start, page_lines[i].end
            cut = s + m.end()
            lines[i] = line[m.end() :]
            page_lines[i : i + 1] = [Line(s, cut, "dateline"), Line(cut, e, roles[i])]


_DATELINE_SECOND = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ'.-")


def _dateline(line: str) -> re.Match[str] | None:
    """Return the match of a wire dateline opening ``line``, or None.

    Both patterns open with a capital; the first then needs a second one (or ``'.-``), the
    other a bracket: a line failing those is not tried.
    """
    if not "A" <= line[:1] <= "Z":
        return None
    m = _DATELINE_PREFIX.match(line) if line[1:2] in _DATELINE_SECOND else None
    if m is None and "(" in line:
        m = _AGENCY_DATELINE.match(line)
    return m


def _same_title(line: str, title: str) -> bool:
    def fold(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().lower()

    return fold(line) == fold(title)


def clean_text(text: str) -> str:
    """Return only the cleaned body of :func:`clean_page` (title and noise removed)."""
    return clean_page(text).text
