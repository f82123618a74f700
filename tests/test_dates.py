"""Publication dates of saved pages and dates of reported events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geo.dates import event_date, find_dates, parse_date, publication_date

D = dt.date


def _seed(seeds_dir: Path, prefix: str) -> str:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("000", (D(2018, 4, 6), "byline")),  # "name | 2018-04-06 17:03" under the headline
        ("001", (None, "none")),  # only dates of linked articles at the foot
        ("002", (None, "none")),  # no date printed; 2016/2019 only in a browser notice
        ("003", (None, "none")),  # no date printed
        ("004", (D(2025, 4, 4), "byline")),  # not the page-top "Sunday, April 27, 2025"
    ],
)
def test_seed_publication_dates(seeds_dir: Path, prefix: str, expected: tuple) -> None:
    assert publication_date(_seed(seeds_dir, prefix)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Headline of the story\n\nKim Ji-hye | 2018-04-06 17:03\n\nBody.", D(2018, 4, 6)),
        ("Headline of the story\nApril 04, 2025 at 07:00AM\nBody text.", D(2025, 4, 4)),
        ("Headline of the story\nBy Lee Min | Nov. 3, 2024\n", D(2024, 11, 3)),
        ("Headline of the story\n3 November 2024\n", D(2024, 11, 3)),
        ("Headline of the story\n2024.11.03\n", D(2024, 11, 3)),
        ("Headline\nPublished: Nov. 3, 2024\n", D(2024, 11, 3)),
        # the update comes first on the page, but publication wins
        ("Headline\nUpdated Dec. 1, 2024\nPublished: Nov. 3, 2024\n", D(2024, 11, 3)),
        ("Headline\nUpdated Dec. 1, 2024 at 10:00\n", D(2024, 12, 1)),
        ("Headline\n2024년 11월 3일\n", D(2024, 11, 3)),
    ],
)
def test_publication_date_forms(text: str, expected: dt.date) -> None:
    assert publication_date(text)[0] == expected


def test_page_top_weekday_date_is_not_publication() -> None:
    text = "Monday, June 2, 2025\nTrucks return to Sinuiju bridge\n\nBody of the article goes here."
    assert publication_date(text) == (None, "none")


def test_bare_date_above_headline_is_a_last_resort() -> None:
    top = "April 27, 2025\nTrucks return to Sinuiju bridge\n\nBody of the article goes here.\n"
    assert publication_date(top) == (D(2025, 4, 27), "byline")
    assert publication_date(top + "\nApril 04, 2025 at 07:00AM\n") == (D(2025, 4, 4), "byline")


def test_weekday_date_under_the_headline_is_publication() -> None:
    text = "Trucks return to Sinuiju bridge\nMonday, June 2, 2025\n\nBody of the article."
    assert publication_date(text) == (D(2025, 6, 2), "byline")


def test_related_list_dates_ignored() -> None:
    text = (
        "Trucks return to Sinuiju bridge\n\nBody sentence that is long enough to read.\n\n"
        "Related articles\nSmugglers caught near Hyesan\nMarch 3, 2024\n"
        "- Another linked headline about trade - May 5, 2024\n"
    )
    assert publication_date(text) == (None, "none")


def test_dates_in_body_sentences_are_not_publication() -> None:
    text = (
        "Headline words here\n\nA source told reporters on 2024-03-07 that the customs office in "
        "Sinuiju had tightened inspections of trucks crossing from Dandong for two weeks."
    )
    assert publication_date(text) == (None, "none")


def test_short_body_sentence_with_date_is_not_publication() -> None:
    text = "Headline words here\n\nThe meeting took place on March 7, 2024.\n"
    assert publication_date(text) == (None, "none")


def test_dateline() -> None:
    text = (
        "Leader visits factory\n\nPYONGYANG, March 7, 2024 (KCNA) -- Kim Jong Un visited a plant."
    )
    assert publication_date(text) == (D(2024, 3, 7), "dateline")


def test_find_and_parse() -> None:
    assert [d for d, _, _ in find_dates("2024-02-31 and Feb. 29, 2024")] == [D(2024, 2, 29)]
    assert parse_date("2024-03-07T10:00:00+09:00") == D(2024, 3, 7)
    assert parse_date("the 3rd of November, 2024") == D(2024, 11, 3)
    assert parse_date("no date") is None
    assert parse_date("") is None


PUB = D(2024, 4, 10)


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("Customs fined traders on March 7.", PUB, (D(2024, 3, 7), "day")),
        ("A ceremony was held February 3 in Kusong.", PUB, (D(2024, 2, 3), "day")),
        ("It happened on the 7th of March.", PUB, (D(2024, 3, 7), "day")),
        ("It happened on 7 March.", PUB, (D(2024, 3, 7), "day")),
        ("Trade resumed on March 7, 2022, in Dandong.", PUB, (D(2022, 3, 7), "day")),
        ("Trade resumed on 2022-03-07.", None, (D(2022, 3, 7), "day")),
        # a month later than the publication month means the previous year
        ("The bridge closed on November 30.", D(2025, 1, 10), (D(2024, 11, 30), "day")),
        ("The bridge closed on December 31.", D(2025, 12, 31), (D(2025, 12, 31), "day")),
        ("Guards were replaced last Tuesday.", D(2024, 4, 10), (D(2024, 4, 9), "day")),
        ("Guards were replaced on Friday.", D(2024, 4, 10), (D(2024, 4, 5), "day")),
        ("Smuggling rose in March 2024.", None, (D(2024, 3, 1), "month")),
        ("Smuggling rose in early March.", PUB, (D(2024, 3, 1), "month")),
        ("Smuggling rose in October.", PUB, (D(2023, 10, 1), "month")),
        ("Smuggling rose last April.", PUB, (D(2023, 4, 1), "month")),
        ("Smuggling rose last month.", PUB, (D(2024, 3, 1), "month")),
        ("Smuggling rose earlier this month.", PUB, (D(2024, 4, 1), "month")),
        ("Smuggling rose last month.", D(2025, 1, 9), (D(2024, 12, 1), "month")),
        ("혜산에서 3월 7일 밀수 단속이 있었다.", PUB, (D(2024, 3, 7), "day")),
        ("혜산에서 11월 7일 밀수 단속이 있었다.", PUB, (D(2023, 11, 7), "day")),
        ("혜산에서 2022년 3월 밀수 단속이 있었다.", None, (D(2022, 3, 1), "month")),
        ("혜산에서 2024년 3월 7일 밀수 단속이 있었다.", None, (D(2024, 3, 7), "day")),
        ("The factory was built in 2019.", PUB, (D(2019, 1, 1), "year")),
        ("The factory was built last year.", PUB, (D(2023, 1, 1), "year")),
        ("Officials met traders.", PUB, (PUB, "article")),
        ("Officials met traders.", None, (None, "article")),
        # a day without a year cannot be placed without a publication date
        ("Officials met traders on March 7.", None, (None, "article")),
        # a bound of a period is not the event's date
        ("Coal shipments were the largest since 2019.", PUB, (PUB, "article")),
        ("The road must be finished by the end of March.", PUB, (PUB, "article")),
        ("Fences were built in mid-August.", PUB, (D(2023, 8, 1), "month")),
        # not dates
        ("Factories in 20 cities and counties may open.", PUB, (PUB, "article")),
        ("Resolution 2397 limits refined oil.", PUB, (PUB, "article")),
        ("Soldiers march to the border.", PUB, (PUB, "article")),
    ],
)
def test_event_date(sentence: str, published: dt.date | None, expected: tuple) -> None:
    assert event_date(sentence, published) == expected
