"""The reader's and the publication date's fast paths give what their plain forms give.

Each shortcut in reading an article (dates searched from where they can first open, the
page's lines and dates shared between the cleaner and the publication date) is checked
here against the straightforward form it replaces, on edge cases and random texts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from pathlib import Path

from geo import article, dates

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
