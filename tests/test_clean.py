"""Noise stripping: what saved pages carry besides the article must not survive cleaning."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.clean import clean_page, clean_text, guess_source, is_noise_line
from geo.dates import find_dates


def _seed(seeds_dir: Path, prefix: str) -> str:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _year_dates(text: str) -> list[str]:
    return [d.isoformat() for d, _, _ in find_dates(text)]


def test_seed_000_footer_and_byline(seeds_dir: Path) -> None:
    page = clean_page(_seed(seeds_dir, "000"))
    assert page.title.startswith("North Korean local officials wooing foreigners")
    assert page.author == "Ha Yoon Ah"
    assert page.source == "Daily NK"
    assert page.text.startswith("North Korean officials in small towns")
    assert page.text.endswith('asking foreigners for the fuel instead."')
    assert "2018-04-06" not in page.text  # the byline
    assert "Translated by" not in page.text
    assert "inappropriate language" not in page.text
    assert "on March 3" in page.text  # body dates stay


def test_seed_001_related_list_dates_gone(seeds_dir: Path) -> None:
    raw = _seed(seeds_dir, "001")
    page = clean_page(raw)
    assert page.title.startswith("Provincial Governments Tap Wealthy Traders")
    # the foot lists three other articles, each with a 2024 date
    assert len(_year_dates(raw)) == 3
    assert _year_dates(page.text) == []
    assert "Civil defense youth" not in page.text
    assert "refugees" not in page.text
    # the wire dateline goes, the sentence stays
    assert not page.text.startswith("SEOUL")
    assert page.text.startswith("Provincial governments are conducting a donation campaign")
    assert "February 3" in page.text
    assert page.text.rstrip().endswith("is not encouraging.")


def test_seed_002_subscription_and_browser_notices_gone(seeds_dir: Path) -> None:
    raw = _seed(seeds_dir, "002")
    page = clean_page(raw)
    assert page.author == "Colin Zwirko"
    assert page.source == "NK News"
    assert page.title == ""  # the page has no headline line, only "About the Author"
    assert page.text.startswith("The governor of China")
    assert page.text.rstrip().endswith("Kim Chang Sik.")
    for noise in (
        "About the Author",
        "correspondent based in Seoul",
        "Edited by",
        "Featured image",
        "SIGN UP",
        "SIGN IN",
        "password",
        "Join the influential community",
        "Specialist news",
        "Internet Explorer",
        "Microsoft",
        "incognito",
    ):
        assert noise not in page.text, noise
    # the browser notice carried the only 4-digit years outside the body
    assert "2016" not in page.text
    assert "February 2019" not in page.text
    assert "Dandong and Sinuiju" in page.text
    assert "2397" in raw and "December 22" in page.text


def test_seed_003_caption_kept_and_feedback_gone(seeds_dir: Path) -> None:
    page = clean_page(_seed(seeds_dir, "003"))
    # the photo caption says what the picture shows: trucks on the Friendship Bridge
    assert "Friendship Bridge" in page.text
    assert "Please direct" not in page.text
    assert "Read in Korean" not in page.text
    assert "freelance reporters" not in page.text
    assert page.author == "Jong So Yong"
    assert page.source == "Daily NK"
    assert "Yanggang Province’s party committee" in page.text
    assert page.text.rstrip().endswith("report specifics about this to the committee.")


def test_seed_004_page_top_banner_and_footer_gone(seeds_dir: Path) -> None:
    raw = _seed(seeds_dir, "004")
    page = clean_page(raw)
    assert page.title.startswith("Empty promises:")
    assert page.source == "Daily NK"
    assert "Delhi" not in page.text  # weather widget city
    assert "38.1" not in page.text
    assert "April 27" not in page.text and "April 04" not in page.text
    assert "Most Popular" not in page.text
    assert "by DailyNK" not in page.text
    assert _year_dates(page.text) == []
    assert "on March 24" in page.text
    assert page.text.startswith("North Korea is boasting")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_body_kept_with_paragraphs(seeds_dir: Path, prefix: str) -> None:
    raw = _seed(seeds_dir, prefix)
    text = clean_text(raw)
    assert len(text) > 0.5 * len(raw)
    assert "\n\n" in text
    assert "\n\n\n" not in text
    # every kept paragraph is a line of the original page
    raw_lines = {line.replace("\u00a0", " ").strip() for line in raw.splitlines()}
    paragraphs = text.split("\n\n")
    assert sum(p in raw_lines for p in paragraphs[1:]) == len(paragraphs) - 1


@pytest.mark.parametrize(
    "line",
    [
        "Read in Korean",
        "Share this article",
        "Facebook | Twitter | Email",
        "Home | News | Politics | Economy",
        "Home > News > North Korea",
        "Sign up for our weekly newsletter",
        "© 2024 Some Outlet. All rights reserved.",
        "Copyright 2023 by the publisher",
        "Tags: Sinuiju, trade, customs",
        "Photo: Yonhap",
        "- Smugglers arrested in Hyesan - March 3, 2024",
        "Lee Min | 2024-03-03 10:00",
        "Kim Min-ji is a reporter for an outlet based in Seoul.",
        "Please send comments or questions to our editors",
        "※ Our reporting partners inside the country use Chinese phones.",
        "READ MORE: Smugglers caught near Hyesan",
        "ADVERTISEMENT",
        "Comments (0)",
        "(END)",
        "reporter@example.org",
        "https://example.org/news/1234",
        "Create a free account to read this story",
    ],
)
def test_noise_lines(line: str) -> None:
    assert is_noise_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Customs officers in Sinuiju fined traders on March 7, 2024.",
        "“The party committee gathered members of trading companies,” a source said.",
        "Members of trading companies were told to report to the committee.",
        "His delegation first arrived in Pyongyang last Wednesday.",
        "The trading company was founded in 2019 in Hyesan (Ryanggang Province).",
        # photo captions say what and where the picture shows: kept
        "Trucks line up at the customs gate in Dandong. (Photo: Reuters)",
        "A view of Sinuiju across the Yalu River. Image: Daily NK",
        "Trucks wait at the bridge in Dandong | Photo: NK News",
        "(Photo taken by a reporting partner in Hyesan in October 2023)",
        "Residents must pay for a subscription to the Rodong Sinmun.",
        "He lost his party membership after the inspection.",
        "The new factory makes cookies and bread.",
    ],
)
def test_body_lines_are_not_noise(line: str) -> None:
    assert not is_noise_line(line)


def test_related_block_with_heading() -> None:
    raw = (
        "Trucks return to the Sinuiju bridge\n\n"
        "Trade through Sinuiju resumed on March 7 after a month-long halt, traders said.\n\n"
        "Related articles\n\nSmugglers arrested near Hyesan\n\nMay 5, 2024\n\n"
        "Rason port reopens to Russian ships"
    )
    page = clean_page(raw)
    assert (
        page.text
        == "Trade through Sinuiju resumed on March 7 after a month-long halt, traders said."
    )


def test_read_in_korean_at_top_keeps_short_body() -> None:
    raw = (
        "Read in Korean\n\nBorder guards replaced in Hyesan\n\n"
        "Guards in Hyesan were replaced on March 7.\n\nTraders said the change was sudden.\n\n"
        "A second unit arrived a week later.\n\nCopyright 2024."
    )
    page = clean_page(raw)
    assert page.title == "Border guards replaced in Hyesan"
    assert page.text.split("\n\n") == [
        "Guards in Hyesan were replaced on March 7.",
        "Traders said the change was sudden.",
        "A second unit arrived a week later.",
    ]


def test_metadata_title_removed_from_body() -> None:
    page = clean_page(
        "Border guards replaced\nGuards were replaced.", title="Border Guards Replaced"
    )
    assert page.text == "Guards were replaced."
    assert page.title == "Border Guards Replaced"


def test_guess_source() -> None:
    assert guess_source("by DailyNK(North Korean Media)") == "Daily NK"
    assert guess_source("Kim is an NK News correspondent based in Seoul.") == "NK News"
    assert guess_source("SEOUL, March 3 (Yonhap) -- Officials said") == "Yonhap"
    assert guess_source("Nothing about who wrote this.") == ""


@pytest.mark.parametrize(
    "heading", ["<Related Article>", "Related Stories", "RELATED", "More from us"]
)
def test_related_headings(heading: str) -> None:
    raw = (
        "Factory opens in Kusong\n\nOfficials in Kusong opened a new food factory on March 7.\n\n"
        f"{heading}\n\nRason port reopens\n\nHyesan smugglers fined\n\n"
        "Officials said the factory would make soy sauce and noodles for the whole county."
    )
    assert clean_text(raw) == (
        "Officials in Kusong opened a new food factory on March 7.\n\n"
        "Officials said the factory would make soy sauce and noodles for the whole county."
    )


def test_trailing_headlines_without_heading_are_dropped() -> None:
    raw = (
        "Trade through Sinuiju resumed on March 7 after a month-long halt, traders said.\n"
        "Customs officers checked every truck by hand, according to a source in the city.\n"
        "Smugglers arrested near Hyesan\n"
        "Rason port reopens to Russian ships\n"
    )
    text = clean_text(raw)
    assert "Hyesan" not in text and "Rason" not in text
    assert text.endswith("according to a source in the city.")


def test_popular_list_at_the_foot_goes_even_with_teasers() -> None:
    body = " ".join(["Officials in Kusong opened a new food factory on March 7."] * 6)
    raw = (
        f"Factory opens in Kusong\n\n{body}\n\nMost Popular Articles\n\n"
        "Rason port reopens\n\nShips from Vladivostok returned to the port of Rajin this week, "
        "local sources said, bringing coal and flour.\n\nHyesan smugglers fined"
    )
    text = clean_text(raw)
    assert text == body


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "PYONGYANG, March 7 (Yonhap) -- Officials visited Sinuiju.",
            "Officials visited Sinuiju.",
        ),
        (
            "Pyongyang, March 7 (KCNA) -- Kim Jong Un inspected a factory in Kusong.",
            "Kim Jong Un inspected a factory in Kusong.",
        ),
        ("SEOUL – Traders in Hyesan said prices rose.", "Traders in Hyesan said prices rose."),
        # a sentence opening with a place and a dash is not a dateline without an agency
        ("Hyesan - the provincial capital - saw prices rise.", None),
    ],
)
def test_datelines_removed(raw: str, expected: str | None) -> None:
    page = clean_page(raw, guess_title=False)
    assert page.text == (expected if expected is not None else raw)


def test_hard_wrapped_lines_joined() -> None:
    raw = (
        "Trade through Sinuiju resumed on March 7 after a\n"
        "month-long halt, traders in the city said.\n\n"
        "Customs checked every truck."
    )
    assert clean_text(raw) == (
        "Trade through Sinuiju resumed on March 7 after a month-long halt, traders in the "
        "city said.\n\nCustoms checked every truck."
    )


def test_caption_is_not_a_headline() -> None:
    raw = (
        "Trucks queue at the customs gate in Sinuiju. (Photo: Example Agency)\n\n"
        "Customs officers in Sinuiju fined traders on March 7, a source said."
    )
    page = clean_page(raw)
    assert page.title == ""
    assert page.text == raw


# Page shapes of other outlets, written here (not copied): masthead, byline, footer notes.
RFA_LIKE = """Skip to main content
Radio Free Asia
Korean
Search
Guards rotated in Hyesan after bribery probe
By Jeong Min for RFA Korean
2024.03.08

Authorities rotated border guard units in Hyesan on March 4, two residents said.

"The new unit came from Kanggye," one resident said.

Translated by Leah Park. Edited by Malcolm Foster.

Related Stories
Guards rotated in Sinuiju
Traders leave Dandong

Copyright © 1998-2024, RFA. Used with permission.
"""

ASIAPRESS_LIKE = """Prices rise in Musan as crossing closes
2023.11.20 ( Reporter: KANG Ji-won )

The crossing at Musan was closed on November 10, according to a reporting partner.

※ASIAPRESS talks with reporting partners inside the country by smuggled phones.

<Related Article>
Musan mine resumes exports
Famine fears grow in Ryanggang

ASIAPRESS
"""

KCNA_LIKE = """Leader Inspects Regional Factory
Pyongyang, December 20 (KCNA) -- The leader inspected a regional factory in Unsan County.
He looked round the production lines.
"""


@pytest.mark.parametrize(
    ("raw", "title", "author", "source", "text"),
    [
        (
            RFA_LIKE,
            "Guards rotated in Hyesan after bribery probe",
            "Jeong Min",
            "Radio Free Asia",
            "Authorities rotated border guard units in Hyesan on March 4, two residents said."
            '\n\n"The new unit came from Kanggye," one resident said.',
        ),
        (
            ASIAPRESS_LIKE,
            "Prices rise in Musan as crossing closes",
            "KANG Ji-won",
            "Asia Press",
            "The crossing at Musan was closed on November 10, according to a reporting partner.",
        ),
        (
            KCNA_LIKE,
            "Leader Inspects Regional Factory",
            "",
            "KCNA",
            "The leader inspected a regional factory in Unsan County.\n\n"
            "He looked round the production lines.",
        ),
    ],
)
def test_other_outlet_shapes(raw: str, title: str, author: str, source: str, text: str) -> None:
    page = clean_page(raw)
    assert (page.title, page.author, page.source, page.text) == (title, author, source, text)
