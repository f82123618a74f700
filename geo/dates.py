"""Dates in articles: the publication date of a saved page, and the date of a reported event.

Standard library and regular expressions only (no per-sentence date parser), so that a
thousand articles take well under a second here.

>>> import datetime as dt
>>> parse_date("Nov. 3, 2024")
datetime.date(2024, 11, 3)
>>> event_date("Traders were fined on March 7.", dt.date(2024, 4, 2))
(datetime.date(2024, 3, 7), 'day')
>>> event_date("The bridge reopened on November 30.", dt.date(2025, 1, 10))
(datetime.date(2024, 11, 30), 'day')
>>> event_date("Nothing dated here.", None)
(None, 'article')
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from geo.alternation import factor
from geo.lines import count_words, ends_sentence, first_letters, may_open

__all__ = [
    "DATE_RANGE_TEXT",
    "EARLIEST",
    "PRECISIONS",
    "date_out_of_range",
    "event_date",
    "find_dates",
    "parse_date",
    "publication_date",
    "sane_date",
]

#: Values of ``date_precision``, most precise first.
PRECISIONS = ("day", "month", "year", "article")

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Month names are matched capitalised (or all caps) only: "may" and "march" are also verbs.
_MONTH = (
    r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER"
    r"|OCTOBER|NOVEMBER|DECEMBER)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
)

_HAS_YEAR = re.compile(r"(?:19|20)\d\d")
# What every month name of _MONTH begins with (a sentence without one has no month).
_MONTH_HINT = re.compile(
    r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
)
# Every date form of event_date needs a digit, a month, a weekday or one of these words.
# (Factored, :func:`geo.alternation.factor`: the same matches, tried by first letter.)
_DATE_HINT = re.compile(
    factor(
        r"\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG"
        r"|SEP|OCT|NOV|DEC)|day\b|[Yy]esterday|(?:[Ll]ast|[Tt]his)\s+(?:month|year)"
    )
)
_FULL_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 2018-04-06, 2018/04/06, 2018.04.06 (optional time after it is left alone)
    # (the year's "not after a digit or dot" tested after its first two digits: the engine
    # then skips to a "19" or "20" instead of trying every position)
    re.compile(
        r"(?P<year>(?:19|20)(?<![\d.]..)\d\d)"
        + r"(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)"
        + r"(?P<day>[0-3]?\d)(?![\d])"
    ),
    # April 04, 2025 / Nov. 3, 2024 / March 7th 2024
    re.compile(factor(r"\b" + _MONTH + r"\s+" + _DAY + r"\b,?\s+" + _YEAR + r"\b")),
    # 3 November 2024 / the 3rd of November, 2024
    re.compile(r"\b" + _DAY + r"(?:\s+of)?\s+" + _MONTH + r",?\s+" + _YEAR + r"\b"),
    # 2024년 11월 3일
    re.compile(_YEAR + r"\s*년\s*(?P<m>[01]?\d)\s*월\s*(?P<day>[0-3]?\d)\s*일"),
)


#: The earliest publication date believed; the latest is a year after today.
EARLIEST = dt.date(1900, 1, 1)
#: How a date outside that range is described in messages.
DATE_RANGE_TEXT = "outside the range believed (1900 to a year from today)"


def sane_date(day: dt.date | None) -> dt.date | None:
    """Return ``day`` when it lies between 1900-01-01 and a year after today, else None.

    Dates outside that range are typing errors or placeholders (``0001-01-01``), and date
    arithmetic on them ("yesterday", "last year") can overflow.  Raises nothing.

    >>> sane_date(dt.date(2024, 3, 7)), sane_date(dt.date(1, 1, 1))
    (datetime.date(2024, 3, 7), None)
    """
    if day is None or day < EARLIEST:
        return None
    if day <= _SEEN_TODAY or day <= dt.date.today() + dt.timedelta(days=366):
        return day
    return None


#: A day the clock has told to be today: every later today is no earlier (the clock goes
#: forward), so a date up to it needs no look at the clock (which costs most of the test).
_SEEN_TODAY = dt.date.today()


def date_out_of_range(value: str) -> bool:
    """True when ``value`` reads as a date that :func:`sane_date` refuses.  Raises nothing.

    >>> date_out_of_range("0001-01-01"), date_out_of_range("2024-03-07"), date_out_of_range("?")
    (True, False, False)
    """
    day = _parse_any(value)
    return day is not None and sane_date(day) is None


def _month_number(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Return every complete date (with a year) in ``text`` as ``(date, start, end)``, in order.

    Recognised forms: ``2018-04-06`` (also ``/`` and ``.``), ``April 04, 2025``,
    ``Nov. 3, 2024``, ``3 November 2024``, ``the 3rd of November 2024``, ``2024년 11월 3일``.
    Impossible dates (``2024-02-31``) are ignored.  Raises nothing.

    >>> [d.isoformat() for d, _, _ in find_dates("On 2024.11.03 and 3 Nov 2024.")]
    ['2024-11-03', '2024-11-03']
    """
    found: list[tuple[dt.date, int, int]] = []
    year = _first_year(text)
    if year < 0:
        return found
    # Where each form's first match can open at the earliest: each is searched from there
    # (the text before is still read for "\b" and look-behinds), -1 for a form the text
    # cannot hold (a month's name, a 년 missing).
    hint = _MONTH_HINT.search(text)
    month = hint.start() if hint is not None else -1
    froms = (year, month, _day_before(text, month), year if "년" in text else -1)
    # And where each form's last match ends at the latest, with the character after it (read
    # for "\b" and look-aheads): the year closes a named month's date, and six characters
    # follow it in a numeric one, none beyond the last 19 or 20; a Korean date is not bound.
    last = max(text.rfind("19"), text.rfind("20"))
    untils = (last + 11, last + 5, last + 5, len(text))
    # Spans already taken, disjoint and sorted by start: an overlap test is two neighbours.
    starts: list[int] = []
    ends: list[int] = []
    for pattern, since, until in zip(_FULL_PATTERNS, froms, untils, strict=True):
        if since < 0:
            continue
        for m in pattern.finditer(text, since, until):
            s, e = m.start(), m.end()
            i = bisect.bisect_right(starts, s)
            if (i and ends[i - 1] > s) or (i < len(starts) and starts[i] < e):
                continue
            groups = m.groupdict()
            month_number = int(groups["m"]) if groups.get("m") else _month_number(groups["mon"])
            day = _safe_date(int(groups["year"]), month_number, int(groups["day"]))
            if day is not None:
                found.append((day, s, e))
                starts.insert(i, s)
                ends.insert(i, e)
    found.sort(key=lambda t: t[1])
    return found


def _first_year(text: str) -> int:
    """Return where the first year of :data:`_HAS_YEAR` in ``text`` begins, or -1.

    The pattern is searched from the first "19" or "20", found by two plain scans (most
    lines hold neither: then no pattern is run at all)."""
    nineteen, twenty = text.find("19"), text.find("20")
    if nineteen < 0 and twenty < 0:
        return -1
    m = _HAS_YEAR.search(
        text, twenty if nineteen < 0 else nineteen if twenty < 0 else min(nineteen, twenty)
    )
    return m.start() if m is not None else -1


#: What may lie between the start of a "3rd of November" date and its month's name.
_DAY_LETTERS = frozenset("0123456789stndrhof")
#: Past so many characters of those, a day's start is not looked for (all is searched).
_DAY_REACH = 40


def _day_before(text: str, month: int) -> int:
    """Return a place at or before which every match of the day-first form (``3rd of
    November 2024``) opens, given the first month hint at ``month`` (-1: none, returned).

    Between such a match's start and its month lie only digits, "st", "nd", "rd", "th",
    "of" and space; a month named later than the first hint opens its match after that
    hint (a capital cannot lie in between).  So the run of those characters before the
    first hint is where the earliest match can open; a long run gives 0."""
    if month < 0:
        return -1
    at = month
    while at > 0 and (text[at - 1] in _DAY_LETTERS or text[at - 1].isspace()):
        at -= 1
        if month - at > _DAY_REACH:
            return 0
    return at


def parse_date(value: str) -> dt.date | None:
    """Return the first complete date in ``value`` (any form of :func:`find_dates`), else None.

    Also accepts ISO timestamps such as ``2024-03-07T10:00:00+09:00``.  A date outside
    1900 to a year from today (see :func:`sane_date`) is None.  Raises nothing.
    """
    return sane_date(_parse_any(value))


def _parse_any(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    dates = find_dates(value)
    return dates[0][0] if dates else None


# ---------------------------------------------------------------------------------------------
# Publication date
# ---------------------------------------------------------------------------------------------

_PUBLISHED = re.compile(
    r"^\W*(?:published|posted|first published|date|dated|released|issued)\b\s*(?:on|:)?",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    r"\b(?:updated|last updated|modified|last modified|edited|revised)\b\s*(?:on|:)?",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-–—•·*▪►>]|\d+[.)])\s+")
_TIME = re.compile(
    r"\b(?:at\s+)?[0-2]?\d:[0-5]\d(?::[0-5]\d)?\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*(?:KST|UTC|GMT|EST|EDT|[+-]\d\d:?\d\d))?"
)
_WEEKDAY_WORD = re.compile(r"\b" + _WEEKDAY + r"\b\.?,?")
_DATELINE = re.compile(
    r"^[A-Z][A-Z' .-]{2,30},\s+(?P<rest>.{6,40}?)\s*(?:\([A-Za-z ]{2,30}\))?\s*(?:--|–|—)"
)
#: Lines that open a list of other articles; dates after them are not this article's.
_LIST_HEADINGS = re.compile(
    r"^\W*(?:related(?: articles| stories| news| posts)?|more from\b.*|more (?:news|stories)\b.*"
    r"|most (?:popular|read|viewed)\b.*|read more|recommended|you may also like|latest(?: news)?"
    r"|trending|see also|popular (?:articles|stories)|also read|other stories|top stories)\W*$",
    re.IGNORECASE,
)
#: What each alternative of :data:`_LIST_HEADINGS` opens with.
_LIST_OPENINGS = first_letters(
    "related more most read recommended you latest trending see popular also other top"
)
# A byline keeps few words beside its date: an author, a bar, "by", an outlet.
_MAX_BYLINE_WORDS = 8
# The site's "today" banner sits above the headline, within the first lines of a saved page.
_TOP_LINES = 6


def _is_top_banner(lines: list[str], index: int) -> bool:
    """True when line ``index`` is at the top of the page, before any headline-like line."""
    if index >= _TOP_LINES:
        return False
    return all(count_words(line) < 4 for line in lines[:index])


def publication_date(text: str) -> tuple[dt.date | None, str]:
    """Return ``(date, source)``: the publication date printed in a saved page's text.

    ``source`` is ``"byline"`` (a short line holding a date: ``Ha Yoon Ah | 2018-04-06 17:03``,
    ``April 04, 2025 at 07:00AM``, ``Published: Nov. 3, 2024``), ``"dateline"``
    (``SEOUL, Nov. 3, 2024 (Yonhap) --``), or ``"none"`` with date None.  A "Published" date
    wins over an unlabelled byline, which wins over an "Updated" one.  Ignored: dates inside
    body sentences, in lists of other articles (bulleted lines, or lines after a "Related"
    / "More from" / "Most Popular" heading), and a weekday-form date at the very top of the
    page (the site's current date, e.g. ``Sunday, April 27, 2025`` above the headline); a
    bare date above the headline is used only when no other byline date exists.
    Raises nothing.
    """
    lines = [line for line in map(str.strip, text.splitlines()) if line]
    if "\u00a0" in text:  # (a stripped line opens and ends otherwise: none is made empty)
        lines = [line.replace("\u00a0", " ") for line in lines]
    best: tuple[int, int, dt.date, str] | None = None  # (rank, line index, date, source)
    in_list = False
    for index, line in enumerate(lines):
        if may_open(line, _LIST_OPENINGS) and _LIST_HEADINGS.match(line):
            in_list = True
            continue
        if in_list and count_words(line) >= 12 and ends_sentence(line) and not _BULLET.match(line):
            in_list = False  # a paragraph ends the list
        if "19" not in line and "20" not in line:
            continue  # no year (19xx, 20xx): no date in the line, nor in its dateline
        found = find_dates(line)
        dateline = _dateline(line)
        if dateline is not None:
            if best is None or best[0] > 2:
                best = (2, index, dateline, "dateline")
            continue
        if not found:
            continue
        if in_list or _BULLET.match(line):
            continue
        day, start, end = found[0]
        rest = line[:start] + " " + line[end:]
        if _keeps_many_words(rest):
            continue  # a sentence of the body, told without taking times and labels out
        rest = _TIME.sub(" ", rest)
        updated = bool(_UPDATED.search(line[:start]))
        published = bool(_PUBLISHED.match(line))
        rest = _PUBLISHED.sub(" ", rest)
        rest = _UPDATED.sub(" ", rest)
        has_weekday = bool(_WEEKDAY_WORD.search(rest))
        rest = _WEEKDAY_WORD.sub(" ", rest)
        if count_words(rest) > _MAX_BYLINE_WORDS:
            continue
        if not published and count_words(rest) >= 3 and ends_sentence(line):
            continue  # a short sentence of the body ("It met on March 7, 2024.")
        banner = not published and _is_top_banner(lines, index)
        if banner and has_weekday:
            continue
        # a bare date above the headline is the site's date or the article's; only a last resort
        rank = 0 if published else (4 if banner else (3 if updated else 1))
        if best is None or rank < best[0]:
            best = (rank, index, day, "byline")
    if best is None or sane_date(best[2]) is None:
        return None, "none"
    return best[2], best[3]


#: What a weekday's name opens with, in each match of :data:`_WEEKDAY_WORD`.
_WEEKDAY_HEADS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _keeps_many_words(rest: str) -> bool:
    """Return True when ``rest`` (a line without its date) keeps more than
    :data:`_MAX_BYLINE_WORDS` words whatever :data:`_TIME`, :data:`_PUBLISHED`,
    :data:`_UPDATED` and :data:`_WEEKDAY_WORD` take out of it, told without those
    searches (False: it may not).

    Taking out a match (for a space) splits no word (each opens at the text's start or at
    a word's), and takes the words inside it and at most one it cuts at its end: four at
    most ("last updated on", "at 7:00 PM KST"), one for a weekday.  Each time holds a
    ":", each "updated" word ends in "ed" (any case), "published" opens the line once,
    each weekday opens with its three letters, and none of those is made by taking out.
    """
    words = count_words(rest)
    if words <= _MAX_BYLINE_WORDS:
        return False
    labels = rest.count(":") + 1 + sum(map(rest.count, ("ed", "Ed", "eD", "ED")))
    return words - 4 * labels - sum(map(rest.count, _WEEKDAY_HEADS)) > _MAX_BYLINE_WORDS


def _dateline(line: str) -> dt.date | None:
    """The date of a wire-style dateline opening ``line`` (``SEOUL, Nov. 3, 2024 --``), or None."""
    m = _DATELINE.match(line)
    if m is None:
        return None
    found = find_dates(m.group("rest"))
    return found[0][0] if found else None


# ---------------------------------------------------------------------------------------------
# Event dates
# ---------------------------------------------------------------------------------------------

_DAY_MONTH = re.compile(
    r"(?:\b" + _MONTH + r"\s+" + _DAY + r"\b(?!\s*(?:,\s*)?(?:19|20)\d\d)(?![:\d%])"
    r"|\b(?:the\s+)?"
    + _DAY.replace("day>", "day2>")
    + r"\s+(?:of\s+)?"
    + _MONTH.replace("mon>", "mon2>")
    + r"(?!\s*,?\s*(?:19|20)\d\d))"
)
_MONTH_YEAR = re.compile(factor(r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b"))
_MONTH_ONLY = re.compile(
    r"\b(?P<lead>(?i:in|last|during|early|late|mid|mid-|end of|beginning of|start of|of))\s*"
    r"(?:early\s+|late\s+|mid-?\s*)?" + _MONTH + r"(?!\s+[0-3]?\d\b)"
)
_YEAR_ONLY = re.compile(
    r"\b(?i:in|during|of|early|late|mid-?)\s+(?:early\s+|late\s+)?"
    + _YEAR
    + r"\b(?![-–]\d|\s*(?:%|percent|km|tons?|won|yuan|dollars))"
)
_RELATIVE_DAY = re.compile(
    r"\b(?P<rel>on|last|this past|on last)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday"
    r"|Saturday|Sunday)\b|\b(?P<yest>[Yy]esterday|the previous day|the day before)\b"
)
_LAST_UNIT = re.compile(r"\b(?P<which>[Ll]ast|[Tt]his)\s+(?P<unit>month|year)\b")
_KO_DAY = re.compile(r"(?P<m>[01]?\d)\s*월\s*(?P<day>[0-3]?\d)\s*일")
_KO_MONTH = re.compile(
    r"(?:(?P<year>(?:19|20)\d\d)\s*년\s*)?(?P<m>[01]?\d)\s*월(?!\s*[0-3]?\d\s*일)"
)


# A month or year after these words bounds a period ("the most since 2019", "by March")
# rather than dating the event.
_BOUND = re.compile(
    r"\b(?:since|until|till|by|before|after|from|through|than|prior to)\s+(?:the\s+)?"
    r"(?:(?:end|start|beginning|middle) of\s+)?(?:early\s+|late\s+|mid-?\s*)?$",
    re.IGNORECASE,
)


def _search_unbounded(pattern: re.Pattern[str], sentence: str) -> re.Match[str] | None:
    for m in pattern.finditer(sentence):
        if not _BOUND.search(sentence[max(0, m.start() - 30) : m.start()]):
            return m
    return None


def _resolve_year(month: int, published: dt.date) -> int:
    """The year of a day/month without a year: the publication's, or the one before when the
    month lies after the publication month (news reports the past)."""
    return published.year - 1 if month > published.month else published.year


#: The verbs every phrase of :data:`_REPORTING` opens with.
_REPORTING_VERBS = (
    "told",
    "tells",
    "informed",
    "said",
    "says",
    "reported",
    "added",
    "explained",
    "noted",
    "confirmed",
    "wrote",
    "announced",
)
#: When the news was told, not when it happened: "told Daily NK on March 3", "said on Monday".
_REPORTING = re.compile(
    r"\b(?:told|tells|informed|said|says|reported|added|explained|noted|confirmed|wrote)\s+"
    r"(?:[A-Z][\w.'’-]*\s+){0,3}(?:on|last|this)\s+(?:the\s+)?[\w.]+(?:\s+\d{1,2}(?:st|nd|rd|th)?)?"
    r"(?:,?\s+(?:19|20)\d\d)?|\b(?:told|tells|informed)\s+(?:[A-Z][\w.'’-]*\s+){1,3}"
    r"(?:yesterday|today)\b|\b(?:said|says|reported|announced)\s+(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|yesterday|today)\b"
)


def event_date(sentence: str, published: dt.date | None) -> tuple[dt.date | None, str]:
    """Return ``(date, precision)`` for the event a sentence reports.

    In order of preference: a complete date (``March 7, 2024``) → day; a day and month
    (``on March 7``, ``on the 7th of March``), its year taken from ``published`` (the year
    before when the month is later than the publication month) → day; a weekday relative
    to publication (``on Tuesday``, ``last Tuesday``, ``yesterday``, ``the previous day``)
    → day; a month with a year or a month only (``in March 2024``, ``last March``, ``last
    month``, ``this month``) → the first of the month, precision ``"month"``; a year (``in
    2019``, ``last year``) → 1 January, precision ``"year"``; otherwise ``(published,
    "article")`` — ``(None, "article")`` when the publication date is unknown too.  Korean
    forms (``3월 7일``, ``2022년 3월``) count the same.  The date the news was told (``told
    Daily NK on March 3``, ``said on Monday``) is not the event's.  A day or month without a
    year and without a publication date cannot be placed and falls through to the next
    rule.  A month or year that bounds a period (``since 2019``, ``by the end of March``) is
    not the event's date.  Raises nothing.

    >>> import datetime as dt
    >>> event_date("A meeting was held on the 7th of March.", dt.date(2024, 3, 20))
    (datetime.date(2024, 3, 7), 'day')
    >>> event_date("Smuggling rose in March 2019.", None)
    (datetime.date(2019, 3, 1), 'month')
    >>> event_date("The factory opened in 2019.", dt.date(2024, 1, 5))
    (datetime.date(2019, 1, 1), 'year')
    >>> event_date("Officials met.", dt.date(2024, 1, 5))
    (datetime.date(2024, 1, 5), 'article')
    """
    published = sane_date(published)  # no arithmetic on an impossible date
    if not _DATE_HINT.search(sentence):
        return published, "article"
    if any(map(sentence.__contains__, _REPORTING_VERBS)):  # (most sentences have none)
        sentence = _REPORTING.sub(lambda m: " " * len(m.group()), sentence)
    for day, _, _ in find_dates(sentence):
        return day, "day"
    # What the forms below need (each is skipped, unchanged in result, when it is absent).
    has_month = _MONTH_HINT.search(sentence) is not None
    korean = "월" in sentence
    has_year = _HAS_YEAR.search(sentence) is not None
    if published is not None:
        m = _DAY_MONTH.search(sentence) if has_month else None
        if m is not None:
            groups = m.groupdict()
            number = _month_number(groups["mon"] or groups["mon2"])
            of_month = int(groups["day"] or groups["day2"])
            found = _safe_date(_resolve_year(number, published), number, of_month)
            if found is not None:
                return found, "day"
        k = _KO_DAY.search(sentence) if korean else None
        if k is not None:
            number = int(k.group("m"))
            found = _safe_date(_resolve_year(number, published), number, int(k.group("day")))
            if found is not None:
                return found, "day"
        r = _RELATIVE_DAY.search(sentence) if "day" in sentence else None
        if r is not None:
            if r.group("yest"):
                return published - dt.timedelta(days=1), "day"
            weekday = _WEEKDAYS.index(r.group("wd").lower())
            back = (published.weekday() - weekday) % 7
            if back == 0 and r.group("rel") != "on":
                back = 7  # "last Tuesday" in Tuesday's paper; "on Tuesday" is that day
            return published - dt.timedelta(days=back), "day"
    m = _search_unbounded(_MONTH_YEAR, sentence) if has_month and has_year else None
    if m is not None:
        return dt.date(int(m.group("year")), _month_number(m.group("mon")), 1), "month"
    k = _KO_MONTH.search(sentence) if korean else None
    if k is not None and 1 <= int(k.group("m")) <= 12 and (k.group("year") or published):
        number = int(k.group("m"))
        if k.group("year"):
            return dt.date(int(k.group("year")), number, 1), "month"
        if published is not None:
            return dt.date(_resolve_year(number, published), number, 1), "month"
    if published is not None:
        m = _search_unbounded(_MONTH_ONLY, sentence) if has_month else None
        if m is not None:
            number = _month_number(m.group("mon"))
            when = _resolve_year(number, published)
            if m.group("lead").lower() == "last" and number >= published.month:
                when = published.year - 1
            return dt.date(when, number, 1), "month"
        u = _LAST_UNIT.search(sentence)
        if u is not None and u.group("unit") == "month":
            if u.group("which").lower() == "this":
                return published.replace(day=1), "month"
            first = published.replace(day=1) - dt.timedelta(days=1)
            return first.replace(day=1), "month"
    y = _search_unbounded(_YEAR_ONLY, sentence) if has_year else None
    if y is not None:
        return dt.date(int(y.group("year")), 1, 1), "year"
    if published is not None:
        u = _LAST_UNIT.search(sentence)
        if u is not None and u.group("unit") == "year" and u.group("which").lower() == "last":
            return dt.date(published.year - 1, 1, 1), "year"
        return published, "article"
    return None, "article"
