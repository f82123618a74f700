"""Articles → events, checked on the seed articles (read from ../shared/seeds, never copied)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geo.article import article_from_text, read_articles
from geo.event_records import EVENT_COLUMNS
from geo.events import EventExtractor
from geo.pipeline import extract_events
from geo.sentences import sentences


@pytest.fixture(scope="module")
def extractor() -> EventExtractor:
    return EventExtractor()


def _seed(seeds_dir: Path, prefix: str) -> Path:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    return path


def _result(extractor: EventExtractor, path: Path):  # type: ignore[no-untyped-def]
    (article,) = read_articles([path], on_error="raise").articles
    return extractor.process(article)


def _events(result, theme: str | None = None) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(e.theme, e.place) for e in result.events if theme is None or e.theme == theme}


def test_000_rason_and_north_hamgyong_events(extractor: EventExtractor, seeds_dir: Path) -> None:
    r = _result(extractor, _seed(seeds_dir, "000"))
    assert r.article.date == dt.date(2018, 4, 6)
    linked = {m.surface: m.place_id for m in r.mentions}
    assert linked["Rason"] == linked["Rajin-Sonbong"] == "kp.rason"
    in_north_hamgyong = {e.theme for e in r.events if e.admin1 == "North Hamgyong"}
    assert {"trade", "security"} & in_north_hamgyong  # the relaxed border customs
    assert "aid" in in_north_hamgyong  # officials asking foreigners for help
    # "told Daily NK on March 3" is when the news was told, not when it happened
    assert dt.date(2018, 3, 3) not in {e.date for e in r.events}
    assert {e.published for e in r.events} == {dt.date(2018, 4, 6)}


def test_001_fundraising_in_three_provinces(extractor: EventExtractor, seeds_dir: Path) -> None:
    r = _result(extractor, _seed(seeds_dir, "001"))
    places = {p for _, p in _events(r, "fundraising")}
    assert {"Ryanggang", "North Pyongan", "North Hamgyong"} <= places
    assert any(m.place_id == "kp.hyesan" for m in r.mentions)


def test_002_dandong_sinuiju_trade_and_no_person_places(
    extractor: EventExtractor, seeds_dir: Path
) -> None:
    r = _result(extractor, _seed(seeds_dir, "002"))
    names = {m.name for m in r.mentions}
    expected = {"Sinuiju", "Dandong", "Pyongyang", "Shenyang", "Dalian", "Liaoning"}
    assert expected | {"North Pyongan", "New Yalu River Bridge"} <= names
    places = {e.place for e in r.events}
    assert not {"Liaoning", "Shenyang", "Dalian"} & places  # the governor's home; background
    assert not _events(r, "fundraising")  # "hoped both sides will make local contributions"
    assert {p for _, p in _events(r, "visit")} == {"Pyongyang", "Sinuiju"}
    person_words = {"Chen", "Xi", "Jinping", "Mun", "Kyong", "Dok", "Ri", "Chang", "Gun"}
    assert not person_words & {m.surface for m in r.mentions}


def test_003_trade_in_yanggang_and_the_friendship_bridge(
    extractor: EventExtractor, seeds_dir: Path
) -> None:
    r = _result(extractor, _seed(seeds_dir, "003"))
    assert ("trade", "Ryanggang") in _events(r)
    assert any(m.name == "Sino-Korean Friendship Bridge" for m in r.mentions)
    # the bridge is named only in the photo caption of a story about Yanggang
    assert not [e for e in r.events if e.place == "Sino-Korean Friendship Bridge"]


def test_004_regional_factories_in_north_pyongan(
    extractor: EventExtractor, seeds_dir: Path
) -> None:
    r = _result(extractor, _seed(seeds_dir, "004"))
    assert r.article.date == dt.date(2025, 4, 4)
    factory = {e.place: e for e in r.events if e.theme == "factory"}
    assert {"Kusong", "Kujang", "Unsan"} <= set(factory)
    assert all(factory[p].admin1 == "North Pyongan" for p in ("Kusong", "Kujang", "Unsan"))
    kujang = next(m for m in r.mentions if m.name == "Kujang")
    assert kujang.surface == "Kunjang" and kujang.matched_by == "fuzzy"
    assert factory["Unsan"].date == dt.date(2025, 3, 7)
    assert factory["Unsan"].date_precision == "day"


def test_every_evidence_is_the_exact_substring_at_its_offsets(
    extractor: EventExtractor, seeds_dir: Path
) -> None:
    n = 0
    for article in read_articles([seeds_dir], on_error="raise").articles:
        for e in extractor.process(article).events:
            assert article.text[e.evidence_start : e.evidence_end] == e.evidence
            n += 1
        for m in extractor.process(article).mentions:
            assert article.text[m.start : m.end] == m.surface
    assert n >= 8


def test_seoul_housing_gives_no_dprk_trade_or_factory_event(extractor: EventExtractor) -> None:
    text = (
        "Seoul apartment prices rise again\n\n"
        "SEOUL, March 3, 2025 – Apartment prices in Seoul's Gangnam district rose for the "
        "tenth week, as buyers traded flats and a new factory of jobs drew workers to Incheon. "
        "Mortgage rates fell in South Korea, and housing trade volumes reached a three-year high."
    )
    r = extractor.process(article_from_text(text, title="Seoul housing"))
    assert not [e for e in r.events if e.country == "KP" and e.theme in ("trade", "factory")]


def test_article_without_places_gives_no_event_and_no_error(extractor: EventExtractor) -> None:
    r = extractor.process(article_from_text("Prices of rice and corn rose sharply, traders said."))
    assert r.events == []


def test_one_event_per_place_in_a_list(extractor: EventExtractor) -> None:
    text = "New factories opened in Kusong, Kujang and Unsan counties in North Pyongan on May 2."
    r = extractor.process(article_from_text(text, date=dt.date(2024, 6, 1)))
    got = {(e.place, e.date) for e in r.events if e.theme == "factory"}
    assert got == {(p, dt.date(2024, 5, 2)) for p in ("Kusong", "Kujang", "Unsan")}


def test_repeated_events_merge_and_article_date_is_the_fallback(extractor: EventExtractor) -> None:
    text = (
        "Smugglers in Hyesan moved copper across the river.\n"
        "Another source said smuggling in Hyesan continued despite the crackdown."
    )
    r = extractor.process(article_from_text(text, date=dt.date(2023, 9, 9)))
    trade = [e for e in r.events if e.theme == "trade" and e.place == "Hyesan"]
    assert len(trade) == 1
    assert trade[0].date == dt.date(2023, 9, 9) and trade[0].date_precision == "article"


def test_extract_events_frame_has_the_documented_columns(seeds_dir: Path) -> None:
    frame = extract_events([seeds_dir])
    assert list(frame.columns) == EVENT_COLUMNS
    assert frame.crs.to_epsg() == 4326
    assert set(frame["precision"]) <= {"site", "town", "county", "province", "country"}
    assert frame["date"].dtype.kind == "M"


def test_sentences_keep_offsets() -> None:
    text = "Trucks crossed at Hyesan. Guards watched!\n\nA new line."
    spans = sentences(text)
    assert [text[s:e] for s, e, _ in spans] == [
        "Trucks crossed at Hyesan.",
        "Guards watched!",
        "A new line.",
    ]


def _one(extractor: EventExtractor, text: str, **kw: object):  # type: ignore[no-untyped-def]
    return extractor.process(article_from_text(text, **kw))  # type: ignore[arg-type]


def test_the_happening_is_where_it_happened_not_where_the_actor_is_from(
    extractor: EventExtractor,
) -> None:
    r = _one(
        extractor, "The governor of Jilin met with North Korean officials in Sinuiju on May 4."
    )
    assert {(e.theme, e.place) for e in r.events} == {("visit", "Sinuiju")}
    r = _one(extractor, "A delegation from Hunchun visited the market in Rason last week.")
    assert {e.place for e in r.events} == {"Rason"}


def test_a_source_locates_only_when_nothing_else_does(extractor: EventExtractor) -> None:
    r = _one(extractor, "Border guards arrested three smugglers, a source in Hyesan said.")
    assert {e.place for e in r.events} == {"Hyesan"}
    r = _one(extractor, "A source in Hyesan said border guards arrested smugglers in Musan.")
    assert {e.place for e in r.events} == {"Musan"}


def test_captions_and_background_make_no_event(extractor: EventExtractor) -> None:
    text = (
        "Customs officers fine traders\n\n"
        "Trucks wait on the Sino-Korean Friendship Bridge. (Photo: Daily NK)\n\n"
        "Customs officers in Manpo fined traders on March 7, a source said.\n\n"
        "For years, copper has been smuggled from Hyesan into China.\n\n"
        "Officials may open a new market in Kanggye next year."
    )
    r = _one(extractor, text, date=dt.date(2024, 3, 9))
    assert {e.place for e in r.events} == {"Manpo"}


def test_one_event_per_happening_with_one_theme(extractor: EventExtractor) -> None:
    text = (
        "Kim Jong Un visited the new regional factory in Kusong on March 2, where he inspected "
        "its production lines.\n\nThe factory in Kusong opened after a year of construction."
    )
    r = _one(extractor, text, date=dt.date(2024, 3, 9))
    assert [(e.theme, e.place) for e in r.events] == [("factory", "Kusong")]
    text = "Police stepped up crackdowns on smugglers in Hyesan in May."
    assert {e.theme for e in _one(extractor, text).events} == {"security"}


def test_the_headline_is_read(extractor: EventExtractor) -> None:
    article = read_article_text("Musan mine shuts down\n\nWorkers were sent home on May 3.")
    r = extractor.process(article)
    assert any(m.name == "Musan" and m.start == 0 for m in r.mentions)
    assert article.text.startswith("Musan mine")


def test_datelines_and_speaking_governments_locate_nothing(extractor: EventExtractor) -> None:
    text = (
        "SEOUL, May 2 (Yonhap) -- North Korean border guards arrested smugglers in Hyesan, "
        "and Pyongyang said the crackdown would continue."
    )
    r = _one(extractor, text)
    assert {e.place for e in r.events} == {"Hyesan"}


def read_article_text(text: str):  # type: ignore[no-untyped-def]
    return article_from_text(text)
