"""Which happenings become events, where, and what they bear on: short texts written here."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.article import article_from_text
from geo.dates import event_date
from geo.event_records import Event
from geo.events import EventExtractor


@pytest.fixture(scope="module")
def extractor() -> EventExtractor:
    return EventExtractor()


def _events(extractor: EventExtractor, text: str, **kw: object) -> list[Event]:
    return extractor.process(article_from_text(text, **kw)).events  # type: ignore[arg-type]


def test_category_is_the_strand_the_event_bears_on(extractor: EventExtractor) -> None:
    day = dt.date(2024, 5, 20)
    (crackdown,) = _events(extractor, "Police arrested smugglers in Hyesan on May 3.", date=day)
    assert (crackdown.theme, crackdown.category) == ("security", "cross-border trade")
    (drugs,) = _events(extractor, "Police arrested 12 drug dealers in Hamhung on May 3.", date=day)
    assert (drugs.theme, drugs.category) == ("security", "other")
    (factory,) = _events(extractor, "A new regional factory opened in Kusong on May 3.", date=day)
    assert factory.category == "regional factory"


def test_a_sentence_silent_on_its_category_takes_its_story(extractor: EventExtractor) -> None:
    text = (
        "Three smugglers executed in Ryanggang\n\n"
        "The execution took place in Pochon County on February 4, residents said."
    )
    events = _events(extractor, text, date=dt.date(2024, 2, 20))
    assert {(e.place, e.category) for e in events} == {("Pochon", "cross-border trade")}


def test_where_a_place_lies_is_not_the_scene(extractor: EventExtractor) -> None:
    text = (
        "Trade rose sharply at the Wonjong crossing, which is located in the far northeast "
        "along the river connecting Rason and the Yanbian prefecture."
    )
    assert {e.place for e in _events(extractor, text)} == {"Wonjong"}
    text = "A customs house opened on March 2 at Ji'an's border crossing to the city of Manpo."
    assert {e.place for e in _events(extractor, text, date=dt.date(2024, 3, 9))} == {"Ji'an"}


def test_a_gloss_in_another_script_keeps_its_names_role(extractor: EventExtractor) -> None:
    text = "A customs house opened at Ji'an's border crossing to the city of Manpo (만포시)."
    assert {e.place for e in _events(extractor, text)} == {"Ji'an"}


def test_a_caption_of_its_own_photo_is_an_event(extractor: EventExtractor) -> None:
    own = (
        "Floods hit the northwest\n\n"
        "Kim Jong Un inspects flooded areas in Sinuiju in this photo released by KCNA.\n\n"
        "Heavy rain caused severe damage to farms, state media said."
    )
    assert {e.place for e in _events(extractor, own)} == {"Sinuiju"}
    illustration = (
        "Floods hit the northwest\n\n"
        "Trucks can be seen on the Sino-Korean Friendship Bridge. (Photo: Daily NK)\n\n"
        "Heavy rain caused severe damage to farms, state media said."
    )
    assert _events(extractor, illustration) == []


def test_history_and_long_running_states_are_background(extractor: EventExtractor) -> None:
    day = dt.date(2010, 4, 13)
    text = "A company agreed in 2006 to pave the road to Rajin in exchange for a pier."
    assert _events(extractor, text, date=day) == []
    text = "Since 2005 at least, officials have demanded cash from traders in Hyesan."
    assert _events(extractor, text, date=day) == []
    text = "Later that year, the UN imposed sanctions that curbed trade through Rajin port."
    assert _events(extractor, text, date=day) == []
    text = "Traders in Hyesan resumed smuggling on April 2."
    assert {e.place for e in _events(extractor, text, date=day)} == {"Hyesan"}


def test_background_sets_no_scene_for_the_next_sentence(extractor: EventExtractor) -> None:
    text = (
        "Officials in Pyongyang have always collected money from residents. Recently they "
        "pushed people to contribute for a new monument."
    )
    assert _events(extractor, text, date=dt.date(2024, 6, 1)) == []


def test_a_retold_happening_makes_no_second_event(extractor: EventExtractor) -> None:
    text = (
        "Police ran an anti-smuggling patrol in Hunchun on May 2. The operation targeted "
        "trade in cigarettes along the river in Hunchun."
    )
    events = _events(extractor, text, date=dt.date(2024, 5, 9))
    assert [(e.theme, e.place) for e in events] == [("security", "Hunchun")]


def test_a_visit_to_the_site_named_before_is_its_own_event(extractor: EventExtractor) -> None:
    text = (
        "A ceremony marked the completion of the regional factories in Kujang County on "
        "January 17. Kim Jong Un had personally visited the construction site last October."
    )
    events = _events(extractor, text, date=dt.date(2025, 1, 20))
    assert sorted((e.place, e.date, e.date_precision) for e in events) == [
        ("Kujang", dt.date(2024, 10, 1), "month"),
        ("Kujang", dt.date(2025, 1, 17), "day"),
    ]
    assert {e.theme for e in events} == {"factory"}


def test_a_city_yields_to_its_county_told_the_same_day(extractor: EventExtractor) -> None:
    text = (
        "Regional factories opened in Nampo\n\n"
        "Kim Jong Un attended the opening of regional factories in Nampo's Ryonggang County "
        "on December 29, state media reported Tuesday. The new factories in Nampo will make "
        "shoes and food, it added."
    )
    events = _events(extractor, text, date=dt.date(2025, 12, 30))
    assert {e.place for e in events} == {"Ryonggang"}


def test_reporting_weekdays_are_not_event_dates() -> None:
    tuesday = dt.date(2024, 6, 25)
    assert event_date("Police searched the site on Tuesday.", tuesday) == (tuesday, "day")
    assert event_date("Guards were replaced last Tuesday.", tuesday) == (
        dt.date(2024, 6, 18),
        "day",
    )
    assert event_date("A factory opened, state media reported Tuesday.", tuesday)[1] == "article"


def test_where_transport_leads_and_the_parties_to_a_deal_are_not_the_scene(
    extractor: EventExtractor,
) -> None:
    text = "Workers are renovating a bridge to improve transport to and from the port of Rajin."
    assert _events(extractor, text) == []
    text = "The road was paved under a deal between the cities of Hunchun and Rason."
    assert _events(extractor, text) == []


def test_a_border_bridge_renovation_bears_on_cross_border_trade(
    extractor: EventExtractor,
) -> None:
    text = "The bridge between Quanhe and Wonjong was renovated in May, officials said."
    events = _events(extractor, text, date=dt.date(2024, 6, 1))
    assert {(e.theme, e.category) for e in events} == {("other", "cross-border trade")}


def test_what_a_happening_is_for_or_about_is_not_its_scene(extractor: EventExtractor) -> None:
    day = dt.date(2024, 6, 5)
    text = (
        "Residents of Hyesan were ordered to donate 5,000 won each for the construction of a "
        "new hospital in Samjiyon County, Ryanggang Province."
    )
    assert {(e.theme, e.place) for e in _events(extractor, text, date=day)} == {
        ("fundraising", "Hyesan")
    }
    text = "A delegation arrived in Rason on Monday for talks on the Tumen River bridge."
    assert {e.place for e in _events(extractor, text, date=day)} == {"Rason"}


def test_a_diplomats_post_is_not_where_the_diplomat_acts(extractor: EventExtractor) -> None:
    day = dt.date(2024, 6, 5)
    text = "The Russian ambassador in Pyongyang visited the Tumangang railway station on Friday."
    assert {e.place for e in _events(extractor, text, date=day)} == {"Tumangang"}
    text = "The agreement was signed at the Chinese embassy in Pyongyang on Friday."
    assert {e.place for e in _events(extractor, text, date=day)} == {"Pyongyang"}


def test_a_story_is_of_the_theme_its_headline_holds_most(extractor: EventExtractor) -> None:
    text = (
        "Fire at Hamhung market kills two traders\n\n"
        "The fire broke out in Hamhung on Thursday, state media said."
    )
    events = _events(extractor, text, date=dt.date(2024, 6, 5))
    assert {(e.theme, e.place) for e in events} == {("other", "Hamhung")}


def test_money_collected_from_households_is_fundraising(extractor: EventExtractor) -> None:
    text = "Cadres in Chongjin were ordered to collect 10,000 won from every household."
    assert {e.theme for e in _events(extractor, text)} == {"fundraising"}
    text = "Miners in Musan must fill export quotas of iron ore bound for China."
    assert {e.theme for e in _events(extractor, text)} <= {"trade"}


def test_a_sentence_opening_on_its_year_is_dated() -> None:
    june = dt.date(2024, 6, 5)
    assert event_date("In 2019, smuggling in Hyesan was rampant.", june) == (
        dt.date(2019, 1, 1),
        "year",
    )
    assert event_date("In March, trade in Hyesan rose.", june) == (dt.date(2024, 3, 1), "month")


def test_a_wire_datelines_date_is_when_it_was_filed(extractor: EventExtractor) -> None:
    text = (
        "Guards replaced in Hyesan\n\n"
        "SEOUL, March 12 (Yonhap) -- The guards in Hyesan were replaced with a new unit, a "
        "source said."
    )
    (event,) = _events(extractor, text, date=dt.date(2024, 3, 12))
    assert event.place == "Hyesan" and event.date_precision == "article"
    assert event.evidence.startswith("The guards in Hyesan")


def test_more_happenings_the_themes_know(extractor: EventExtractor) -> None:
    day = dt.date(2024, 6, 5)
    text = "A North Korean ship carrying coal docked at Nampo port on Monday."
    assert {e.theme for e in _events(extractor, text, date=day)} == {"trade"}
    text = "Officials opened a new road bridge across the Tumen River at Khasan on Tuesday."
    assert {(e.place, e.category) for e in _events(extractor, text, date=day)} == {
        ("Khasan", "cross-border trade")
    }
    text = "North Korea sent 200 workers to a garment factory in Dandong last month."
    assert {(e.theme, e.place) for e in _events(extractor, text, date=day)} == {
        ("other", "Dandong")  # no 20×10 factory in China, and no event at a whole country
    }


def test_smugglers_caught_and_sent_to_a_camp_are_security_events(
    extractor: EventExtractor,
) -> None:
    text = (
        "Smugglers caught in Musan\n\n"
        "Security agents in Musan arrested six smugglers on May 3. They have been sent to a "
        "labor camp in Hoeryong."
    )
    events = _events(extractor, text, date=dt.date(2024, 5, 20))
    assert {(e.theme, e.place) for e in events} == {("security", "Musan"), ("security", "Hoeryong")}


def test_a_source_locates_what_the_residents_around_it_are_told(
    extractor: EventExtractor,
) -> None:
    text = (
        "A source in Kangwon Province said residents were ordered to provide these additional "
        "supplies for the Samjiyon project."
    )
    events = _events(extractor, text, date=dt.date(2024, 1, 20))
    assert {(e.theme, e.place) for e in events} == {("fundraising", "Kangwon")}
    text = "Liaoning-based companies often appear at trade fairs in North Korea."
    assert _events(extractor, text) == []  # a habit, and a whole country is the scene
