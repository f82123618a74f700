"""The reader's and the publication date's fast paths give what their plain forms give.

Each shortcut in reading an article (dates searched from where they can first open, the
page's lines and dates shared between the cleaner and the publication date) is checked
here against the straightforward form it replaces, on edge cases and random texts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import re
from pathlib import Path

from geo import article, dates
from geo import lines as page_lines

# Pieces random texts are made of: dates of every form and their parts, near misses, and
# the characters the patterns look at around them.
# fmt: off
DATE_PIECES = [
    "2024-03-08", "2024/3/8", "2024.03.08", "1.2024-03-08", "12024-03-08", "2024-02-31",
    "19", "20", "1999", "2099", "2020", "192019", "202", "March", "Mar", "Mar.", "MARCH",
    "Market", "Sept", "Sept.", "September", "Nov", "Nov.", "May", "7", "07", "31", "3rd",
    "21st", "2nd", "4th", "of", "the", "on", ",", ", ", ".", "-", "/", "년", "월", "일",
    "2024년", "3월", "8일", "2024년 3월 8일", "March 7, 2024", "7 March 2024",
    "the 3rd of November, 2024", "Nov. 3, 2024", "st", "nd", "rd", "th", "o", "f", "d",
    "x", "a", "\u00a0", "\u3000", "\t", "\n", " ", "  ", "é", "_", "Jan", "JAN", "Dec",
]
# fmt: on


def _date_texts(seed: int, count: int, pieces: int = 14) -> list[str]:
    rnd = random.Random(seed)
    return [
        "".join(
            rnd.choice(DATE_PIECES) + rnd.choice(["", "", " ", "\n"])
            for _ in range(rnd.randint(0, pieces))
        )
        for _ in range(count)
    ]


def _plain_find_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """find_dates as first written: every form searched through the whole text."""
    found: list[tuple[dt.date, int, int]] = []
    if not dates._HAS_YEAR.search(text):
        return found
    named = dates._MONTH_HINT.search(text) is not None
    wanted = (True, named, named, "년" in text)
    starts: list[int] = []
    ends: list[int] = []
    for pattern, needed in zip(dates._FULL_PATTERNS, wanted, strict=True):
        if not needed:
            continue
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            i = bisect.bisect_right(starts, s)
            if (i and ends[i - 1] > s) or (i < len(starts) and starts[i] < e):
                continue
            groups = m.groupdict()
            month = int(groups["m"]) if groups.get("m") else dates._month_number(groups["mon"])
            try:
                day = dt.date(int(groups["year"]), month, int(groups["day"]))
            except ValueError:
                continue
            found.append((day, s, e))
            starts.insert(i, s)
            ends.insert(i, e)
    found.sort(key=lambda t: t[1])
    return found


def test_dates_found_as_by_searching_the_whole_text() -> None:
    edges = [
        "",
        "19",
        "2024",
        "x2024-03-08",
        ".2024-03-08",
        "7" + " " * 60 + "March 2024",
        "7 " + "of " * 20 + "March 2024",
        "3rd\u3000of\tNovember,\n2024",
        "Market 7 March 2024",
        "MARCH 7 2024 and 8 MARCH 2024",
        "ststststststststststststststststststststststst 7 March 2024",
        "2024년 3월 8일 and 2024-03-09",
    ]
    for text in _date_texts(1, 6000) + _date_texts(2, 500, pieces=60) + edges:
        assert dates.find_dates(text) == _plain_find_dates(text), repr(text)


def test_sidecar_named_as_the_path_with_its_suffix_changed() -> None:
    names = ["a.txt", "a.b.txt", "noext", "f.", ".hidden", ".hidden.txt", "a..txt", "x.d/f.txt"]
    names += ["x.d/noext", "/abs/dir.v2/f.HTML", "./rel/f.md", "a//b.txt", "é.txt", "a.tar.gz"]
    for name in names:
        path = Path(name)
        assert article._sidecar_name(path) == str(path.with_suffix(".json")), name


# Lines of saved pages, whole or in parts: bylines, headings, lists, datelines, body text.
# fmt: off
PAGE_PIECES = [
    "By Kim Ji-hye", "Kim Ji-hye | 2018-04-06 17:03", "Published: Nov. 3, 2024", "Updated",
    "last updated on", "Posted", "Sunday, April 27, 2025", "Monday", "at 07:00AM", "10:30 KST",
    "SEOUL, Nov. 3, 2024 (Yonhap) --", "PYONGYANG, March 7 --", "Related articles", "More from",
    "Most Popular", "- ", "• ", "1. ", "> ", "Traders were fined in Hyesan on March 7, 2024.",
    "It met.", "a", "the", "of", "officials", "said", "“", "”", ".", "!", "?", ")", "|", ":",
    "2024", "20", "19", "1999-12-31", "2024-02-30", "3 November 2024", "\u00a0", "\u200b",
    "\ufeff", "\t", "\x0c", "\x0b", "\x85", "\u2028", "\x1c", "\r", "\r\n", "\n", "\n\n", " ",
]
# fmt: on


def _page_texts(seed: int, count: int, pieces: int = 30) -> list[str]:
    rnd = random.Random(seed)
    return [
        "".join(
            rnd.choice(PAGE_PIECES) + rnd.choice(["", " ", " ", "\n", "\n"])
            for _ in range(rnd.randint(0, pieces))
        )
        for _ in range(count)
    ]


def _plain_words(text: str) -> int:
    return len(page_lines._WORD.findall(text))


def _plain_publication_date(text: str) -> tuple[dt.date | None, str]:
    """publication_date as first written: every line's dates found, sentence ends searched."""
    sentence_end = re.compile(r"[.!?][\"'”’)\]]*$|[\"”]$")
    lines = [line.strip().replace("\u00a0", " ") for line in text.splitlines()]
    lines = [line for line in lines if line]
    best: tuple[int, int, dt.date, str] | None = None
    in_list = False
    for index, line in enumerate(lines):
        if dates._LIST_HEADINGS.match(line):
            in_list = True
            continue
        if (
            in_list
            and _plain_words(line) >= 12
            and sentence_end.search(line)
            and not dates._BULLET.match(line)
        ):
            in_list = False
        found = _plain_find_dates(line)
        dateline = dates._dateline(line)
        if dateline is not None:
            if best is None or best[0] > 2:
                best = (2, index, dateline, "dateline")
            continue
        if not found or in_list or dates._BULLET.match(line):
            continue
        day, start, end = found[0]
        rest = dates._TIME.sub(" ", line[:start] + " " + line[end:])
        updated = bool(dates._UPDATED.search(line[:start]))
        published = bool(dates._PUBLISHED.match(line))
        rest = dates._UPDATED.sub(" ", dates._PUBLISHED.sub(" ", rest))
        has_weekday = bool(dates._WEEKDAY_WORD.search(rest))
        rest = dates._WEEKDAY_WORD.sub(" ", rest)
        if _plain_words(rest) > 8:
            continue
        if not published and _plain_words(rest) >= 3 and sentence_end.search(line):
            continue
        banner = not published and index < 6 and all(_plain_words(x) < 4 for x in lines[:index])
        if banner and has_weekday:
            continue
        rank = 0 if published else (4 if banner else (3 if updated else 1))
        if best is None or rank < best[0]:
            best = (rank, index, day, "byline")
    if best is None or dates.sane_date(best[2]) is None:
        return None, "none"
    return best[2], best[3]


def test_publication_date_as_reading_every_line() -> None:
    texts = _page_texts(3, 4000) + _page_texts(4, 300, pieces=120)
    found = 0
    for text in texts:
        expected = _plain_publication_date(text)
        assert dates.publication_date(text) == expected, repr(text)
        found += expected[0] is not None
    assert found > len(texts) // 4  # the pages hold dates of every kind, not only none


def test_sane_dates_as_asking_the_clock_each_time() -> None:
    today = dt.date.today()
    days = [dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(1900, 1, 1), dt.date(2024, 3, 7)]
    days += [today + dt.timedelta(days=n) for n in (-1, 0, 1, 365, 366, 367, 5000)]
    days += [dt.date.max, dates._SEEN_TODAY]
    for day in days:
        plain = dates.EARLIEST <= day <= dt.date.today() + dt.timedelta(days=366)
        assert dates.sane_date(day) == (day if plain else None), day
    assert dates.sane_date(None) is None


def _words_left(rest: str) -> int:
    """The words of a byline's rest once its times, labels and weekdays are taken out."""
    for pattern in (dates._TIME, dates._PUBLISHED, dates._UPDATED, dates._WEEKDAY_WORD):
        rest = pattern.sub(" ", rest)
    return _plain_words(rest)


def test_a_rest_said_to_keep_many_words_keeps_them() -> None:
    labels = PAGE_PIECES + ["updated", "Edited", "modified on", "revised:", "last updated on"]
    labels += ["at 7:00 PM KST", "10:30am", "Wed.", "Monday,", "Sunday", "first published on"]
    labels += ["online", "AMx", "Tuesdays", "edited", "ed", "ED", "Published", "x:y"]
    words = ["word", "two", "Hyesan", "a", "of", "officials", "traders", "fined", "7"]
    rnd = random.Random(5)
    said = 0
    for n in range(20000):
        count = rnd.randint(1, 10 + n % 40)
        share = rnd.random() / 3  # of labels among the words
        rest = " ".join(rnd.choice(labels if rnd.random() < share else words) for _ in range(count))
        if dates._keeps_many_words(rest):
            said += 1
            assert _words_left(rest) > dates._MAX_BYLINE_WORDS, rest
    assert said > 1000


def test_ed_matched_regardless_of_case_only_as_e_and_d() -> None:
    # so that counting "ed", "Ed", "eD" and "ED" counts every "updated" word
    pattern = re.compile("[ed]", re.IGNORECASE)
    assert [c for c in map(chr, range(0x110000)) if pattern.fullmatch(c)] == list("DEde")


def test_a_file_read_whole_whatever_its_size_said(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    for data in [b"", b"x", b"Traders fined." * 1000, bytes(range(256)) * 300]:
        path.write_bytes(data)
        for said in sorted({0, 1, len(data) // 2, len(data), len(data) + 5}):
            assert article._read_bytes(path, said) == data, (len(data), said)
    proc = Path("/proc/self/status")  # a regular file said to hold nothing
    if proc.exists():
        assert article._read_bytes(proc, proc.stat().st_size).startswith(b"Name:")
