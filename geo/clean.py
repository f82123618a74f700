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
from dataclasses import dataclass

from geo.dates import find_dates

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
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$|[\"”]$")
# A line ending otherwise, followed by one starting in lower case, was wrapped mid-sentence.
_LINE_END = re.compile(r"[.!?:;\"'”’)\]]$")
_BULLET = re.compile(r"^\s*(?:[-–—•·*▪►]|\d+[.)])\s+")
_WORD = re.compile(r"[^\W\d_]{2,}")

# Whole-line noise: the line is dropped wherever it appears (bounded in length by callers).
_NOISE_PATTERNS = [
    # language switches
    r"^(?:read|view|see)\s+(?:this\s+(?:article|story)\s+)?in\s+(?:korean|english|japanese|chinese)\b",
    r"^(?:korean|english|japanese|chinese)\s+(?:version|edition)$",
    r"^한국어|^korean$",
    # reader feedback and comment policies
    r"^please\s+(?:direct|send|address|forward)\s+(?:any\s+|your\s+)?"
    r"(?:comments|questions|inquiries|feedback)",
    r"inappropriate language|comment(?:s|ing)? polic|comments are (?:closed|moderated)|"
    r"(?:leave|post|add|write|view|show)\s+(?:a\s+|your\s+)?comments?\b|\bwill be deleted\b|"
    r"links with an? https?\b|^\d+\s+comments?$|^comments?$",
    # subscription, accounts, newsletters, paywalls
    r"\bsubscribe (?:now|today|here|for|to (?:our|the|read|get|receive))\b|^subscribe\b|"
    r"\bsubscribers? only\b|\b(?:start|get|your|a free) subscription\b|"
    r"\bsubscription (?:plans?|required|options|offer)\b|\bnewsletter\b|\bsign (?:up|in)\b|"
    r"\blog ?in\b|\blog out\b|\bcreate (?:an|your) account\b|have an account|\bfree account\b|"
    r"\busername\b|"
    r"\bpassword\b|\bbecome a (?:member|subscriber|supporter)\b|\b(?:your|our) membership\b|"
    r"\bmembership (?:plans?|options|required)\b|members who rely|"
    r"\bfree trial\b|\bunlock (?:this|full)\b|^learn more|enter your (?:details|email)|"
    r"\bdonate to (?:us|our)\b|\bsupport (?:our|independent) journalism\b",
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
    # copyright and legal
    r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b|\bunauthorized reproduction\b|"
    r"\breproduction (?:is )?prohibited\b|무단\s*전재|\bterms of (?:use|service)\b|"
    r"\bprivacy policy\b|\bcookies? (?:policy|settings|preferences|consent)\b|\buses? cookies\b",
    # browser and site notices
    r"internet explorer|\bincognito\b|\bprivate (?:mode|browsing)\b|\bjavascript\b|"
    r"\bweb ?site(?:s)? (?:do|does) not support\b|\bis not compatible with this website\b|"
    r"\bupdate your browser\b|\bstop using the browser\b|\bsupporting IE\b",
    # author biographies
    r"^(?:about the authors?|about the writer|author|authors)$",
    r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}\s+is\s+(?:an?|the|one of)\b.{0,80}"
    r"\b(?:correspondent|reporter|reporters|journalist|editor|writer|contributor|"
    r"analyst|columnist|intern|fellow|researcher)\b",
    r"\bquestions about (?:his|her|their|the) (?:articles|reporting|stories)\b",
    r"^follow (?:us|him|her|them)\b|^contact (?:us|the author)\b",
]
# The rules joined in two patterns, those anchored at the line's start and the others (a
# line matches a union of rules exactly when it matches one of them; one scan, not many).
_ANCHORED = re.compile(
    "|".join(f"(?:{p})" for p in _NOISE_PATTERNS if p.startswith("^")), re.IGNORECASE
)
_UNANCHORED = re.compile(
    "|".join(f"(?:{p})" for p in _NOISE_PATTERNS if not p.startswith("^")), re.IGNORECASE
)
# The unanchored rules are slow to scan for; each needs one of these in the lower-cased line.
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
#: Lines that typically open the page footer; everything after them goes when no body
#: paragraph follows.
_FOOTER_START = re.compile(
    r"^\W*(?:read in (?:korean|english)|please (?:direct|send)|edited by|translated by|"
    r"featured image|advertisements|join (?:the|our)\b|subscribe|sign up|share this|tags?:|"
    r"copyright|©|all rights reserved|about the author)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\W*by\s+(?P<who>[^|,;:]{2,60}?)(?:\s*[|,;:]\s*.*)?$", re.IGNORECASE)
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


def _words(text: str) -> int:
    """Return the number of words in ``text``; past 600 characters, 100 (every noise rule
    asks about lines of a few dozen words, and counting long paragraphs is wasted time)."""
    if len(text) > 600:
        return 100
    return len(_WORD.findall(text))


_MENU_SPLIT = re.compile(r"\s*[|·•»›>]\s*|\s{3,}")


def _is_menu(line: str) -> bool:
    if not any(c in line for c in "|·•»›>") and "   " not in line:
        return False
    parts = [p.strip() for p in _MENU_SPLIT.split(line) if p.strip()]
    return len(parts) >= 3 and all(_words(p) <= 3 and not _SENTENCE_END.search(p) for p in parts)


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
    return bool(line) and _is_noise(line, _words(line))


def _is_noise(line: str, words: int) -> bool:
    """:func:`is_noise_line` for a stripped, non-empty ``line`` of ``words`` words."""
    if words <= _NOISE_MAX_WORDS:
        if _ANCHORED.search(line):
            return True
        low = line.lower()
        if any(t in low for t in _TRIGGERS) and _UNANCHORED.search(line):
            return True
    if words <= 4 and _OUTLET_LINE.match(line):
        return True  # the site's name alone: masthead or footer
    if _is_menu(line) or _WEATHER.match(line):
        return True
    # A photo caption with its credit ("Trucks on the Friendship Bridge. (Daily NK)") is kept:
    # it says what and where the picture shows, and the issue counts its places.
    if words <= 30 and find_dates(line) and not _SENTENCE_END.search(line):
        return True  # a byline, or a linked headline with its date
    if _BULLET.match(line) and words <= 30 and find_dates(line):
        return True
    return bool(_BYLINE.match(line) and words <= 8 and not _SENTENCE_END.search(line))


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
    if _OUTLET_WORD.search(text) is None:
        return ""
    low = text.lower()
    for needles, needed, signal in _SOURCE_SIGNALS:
        if needles and not any(n in low for n in needles):
            continue  # a word the signal needs is not in the text: no need to scan for it
        if needed is not None and needed.search(text) is None:
            continue  # nor what it needs around the outlet's name
        m = signal.search(text)
        if m is not None:
            found = m.group("o")
            for pattern, name in OUTLETS:
                if re.fullmatch(pattern, found):
                    return name
    return ""


_O = "(?P<o>" + _OUTLET + ")"
#: Each signal with the words one of which (lower-cased) it cannot match without, and a
#: part of it that opens with a literal (which the engine finds fast) and that it cannot
#: match without either; then the signal itself.
_SOURCE_SIGNALS = tuple(
    (needles, re.compile(needed) if needed else None, re.compile(signal, re.MULTILINE))
    for needles, needed, signal in (
        ((), r"by\s+" + _O, r"^\W*by\s+" + _O + r"\b"),
        (
            ("correspondent", "reporter", "journalist", "staff"),
            "",
            _O
            + r"(?:'s|’s)?\s+(?:\w+\s+){0,2}(?:correspondent|reporter|reporters|journalist|staff)",
        ),
        (("told", "informed", "tells"), "", r"\b(?:told|informed|tells)\s+" + _O + r"\b"),
        (
            ("spoken", "learned", "confirmed", "obtained", "reported"),
            r"(?:has|have)\s+(?:spoken|learned|confirmed|obtained|reported)",
            r"\b" + _O + r"\s+(?:has|have)\s+(?:spoken|learned|confirmed|obtained|reported)",
        ),
        (
            (),
            r"\(" + _O + r"\)\s*(?:--|–|—|-)",
            r"^[A-Z][A-Za-z]{2,}[^()\n]{0,40}\(" + _O + r"\)\s*(?:--|–|—|-)",
        ),
        ((), "", r"^\W*" + _O + r"\W*$"),
        ((), "", r"[.!?]\s*\(" + _O + r"\)\s*$"),
        (("copyr", "©"), "", r"(?:(?i:\bcopyright\b)|©)\s*(?:\d{4}\s*)?" + _O),
    )
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


def _author_from(lines: list[str]) -> str:
    for i, line in enumerate(lines):
        if _ABOUT_AUTHOR.match(line):
            for follow in lines[i + 1 : i + 3]:
                if 1 <= _words(follow) <= 5 and not _SENTENCE_END.search(follow):
                    return follow.strip()
    for line in lines[:12]:
        dates = find_dates(line)
        if dates and _words(line) <= 10:
            before = _BAR.split(line[: dates[0][1]].strip())[0]
            before = _BY.sub("", before).strip(" ,|-–")
            if 2 <= _words(before) <= 5 and not _OUTLET_WORD.search(before):
                return before
    for line in lines:
        m = _BYLINE.match(line)
        if m and _words(line) <= 10:
            who = _AFFILIATION.split(m.group("who").strip())[0]
            if not _OUTLET_WORD.search(who) and 1 <= _words(who) <= 5:
                return who
    for line in lines:
        m = _REPORTER_CREDIT.search(line)
        if m and _words(line) <= 12:
            return m.group("who")
    for line in lines:
        m = _AUTHOR_BIO.match(line)
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
    return _is_caption(line, _words(line))


def _is_caption(line: str, words: int) -> bool:
    """:func:`is_caption` for a line of ``words`` words."""
    return words <= 40 and bool(_CAPTION_CREDIT.search(line) or _CAPTION_TAIL.search(line))


_HEADING_BULLET = re.compile(r"^[◆■▶●◇□▷▲]")


def _is_heading(line: str, words: int) -> bool:
    """Return True for a section heading inside the body (``words`` words): a short line
    (2–12 words) with no closing punctuation, or one opened by a typographic bullet
    ("◆The current situation")."""
    return bool(_HEADING_BULLET.match(line)) or (
        2 <= words <= 12 and not _LINE_END.search(line) and line[:1].isupper()
    )


def _is_headline(line: str, words: int) -> bool:
    return (
        3 <= words <= 25
        and not _SENTENCE_END.search(line.rstrip("”\"'"))
        and not _is_caption(line, words)
    )


_STRIP = " \t\f\v\u00a0\u200b\ufeff\u3000"
_RAW_LINE = re.compile(r"[^\r\n]*")


def _page_lines(text: str) -> list[tuple[int, int, str, int]]:
    """Return ``(start, end, line, block)`` for every non-blank line of ``text``.

    ``start:end`` is the line trimmed of space in ``text``; ``line`` is that slice with
    no-break spaces as spaces and zero-width spaces dropped; blocks are runs of lines
    between blank lines (each line its own block when the page has no blank line).
    """
    out: list[tuple[int, int, str, int]] = []
    block = 0
    blank_seen = False
    for m in _RAW_LINE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and (text[s] in _STRIP or text[s].isspace()):
            s += 1
        while e > s and (text[e - 1] in _STRIP or text[e - 1].isspace()):
            e -= 1
        if s == e:
            if m.start() != m.end() or (m.start() > 0 and text[m.start() - 1] == "\n"):
                blank_seen = blank_seen or bool(out)
            continue
        if blank_seen:
            block += 1
            blank_seen = False
        line = text[s:e].replace("\u00a0", " ").replace("\u200b", "")
        out.append((s, e, line, block))
    if not any(b for *_, b in out) and len(out) > 1:
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
    author = _author_from(lines)
    source = guess_source("\n".join(lines))
    keep = [True] * len(items)
    counts = [_words(line) for line in lines]  # each line's words (lines are stripped)

    for i, line in enumerate(lines):
        if _is_noise(line, counts[i]):
            keep[i] = False
    # lists of other articles: a heading and the short lines after it
    in_list = False
    for i, line in enumerate(lines):
        if _LIST_HEADING.match(line):
            in_list = True
            keep[i] = False
            continue
        if in_list:
            if counts[i] >= 12 and _SENTENCE_END.search(line) and not _BULLET.match(line):
                in_list = False
            else:
                keep[i] = False
    # the footer: from a footer line on, when no body paragraph follows and it sits late
    total = sum(len(line) for line in lines) or 1
    seen = 0
    for i, line in enumerate(lines):
        footer = _FOOTER_START.match(line) or _LIST_HEADING.match(line)
        if footer and seen >= 0.4 * total:
            rest = [j for j in range(i + 1, len(lines)) if keep[j]]
            if all(counts[j] < _BODY_WORDS for j in rest):
                for j in range(i, len(lines)):
                    keep[j] = False
                break
        seen += len(line)
    # the head: short furniture lines before the first headline-like or body line
    title_at: int | None = None
    first = next((i for i in range(len(lines)) if keep[i]), None)
    while first is not None:
        line = lines[first]
        if title and _same_title(line, title):
            keep[first] = False
            title_at = first
            break
        nxt = next((i for i in range(first + 1, len(lines)) if keep[i]), None)
        wrapped = nxt is not None and items[nxt][3] == items[first][3] and lines[nxt][:1].islower()
        if not title and guess_title and _is_headline(line, counts[first]) and not wrapped:
            title_at = first
            keep[first] = False
            break
        if counts[first] >= 4 or _SENTENCE_END.search(line):
            break
        keep[first] = False
        first = next((i for i in range(first + 1, len(lines)) if keep[i]), None)

    # the tail: headline-like lines after the last paragraph (links to other articles)
    kept = [i for i in range(len(lines)) if keep[i]]
    while len(kept) > 1 and _is_headline(lines[kept[-1]], counts[kept[-1]]):
        keep[kept.pop()] = False
    roles = ["noise"] * len(items)
    for i in range(len(items)):
        if keep[i]:
            roles[i] = "caption" if _is_caption(lines[i], counts[i]) else "body"
            if roles[i] == "body" and _is_heading(lines[i], counts[i]):
                roles[i] = "heading"
    if title_at is not None:
        roles[title_at] = "title"
    page_lines = [Line(s, e, role) for (s, e, _, _), role in zip(items, roles, strict=True)]
    # wire datelines opening a paragraph ("SEOUL, Sept. 7 (Yonhap) --"): the reporter's city
    for i in reversed(range(len(items))):
        if not keep[i]:
            continue
        line = lines[i]
        m = _DATELINE_PREFIX.match(line) or _AGENCY_DATELINE.match(line)
        if m and _words(m.group("dl")) <= 8:
            s, e = page_lines[i].start, page_lines[i].end
            cut = s + m.end()
            lines[i] = line[m.end() :]
            page_lines[i : i + 1] = [Line(s, cut, "dateline"), Line(cut, e, roles[i])]
    out: list[str] = []
    prev_block: int | None = None
    for i in range(len(items)):
        if not keep[i]:
            continue
        line, blk = lines[i], items[i][3]
        if out:
            wrapped = blk == prev_block and not _LINE_END.search(out[-1]) and line[:1].islower()
            out.append(" " if wrapped else "\n\n")
        out.append(line)
        prev_block = blk
    removed = tuple(lines[i] for i in range(len(lines)) if not keep[i])
    found_title = lines[title_at] if title_at is not None and not title else title
    return CleanedPage("".join(out), found_title, author, source, removed, tuple(page_lines))


def _same_title(line: str, title: str) -> bool:
    def fold(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().lower()

    return fold(line) == fold(title)


def clean_text(text: str) -> str:
    """Return only the cleaned body of :func:`clean_page` (title and noise removed)."""
    return clean_page(text).text
