"""Linking in an article's context: short texts written for these tests, not dev-set copies."""

from __future__ import annotations

import pytest

from geo.linking import Linker, Mention


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker()


def _by_surface(mentions: list[Mention]) -> dict[str, Mention]:
    return {m.surface: m for m in mentions}


def test_headline_place_is_read(linker: Linker) -> None:
    text = "Musan iron mine halts work after floods\n\nWorkers were sent home on Monday."
    first = linker.mentions(text)[0]
    assert (first.surface, first.start, first.place_id) == ("Musan", 0, "kp.musan")


def test_seoul_story_namesakes_stay_in_south_korea(linker: Linker) -> None:
    text = (
        "SEOUL, May 2 (Yonhap) -- Flat prices in Seoul's Gangnam district climbed again.\n"
        "Buyers also turned to Gwacheon, in Gyeonggi Province, south of the capital.\n"
        "In Gangnam the average flat now costs twice the national figure."
    )
    found = [m for m in linker.mentions(text) if m.surface.startswith("Gangnam")]
    assert len(found) == 2
    assert {m.country for m in found} == {"KR"}
    assert _by_surface(linker.mentions(text))["Gwacheon"].country == "KR"


def test_written_province_picks_the_namesake(linker: Linker) -> None:
    text = (
        "Hwaseong fire kills workers\n\nA fire broke out at a plant in Hwaseong, "
        "Gyeonggi Province, on Monday, officials in Seoul said."
    )
    found = [m for m in linker.mentions(text) if m.surface == "Hwaseong"]
    assert len(found) == 2
    assert {m.country for m in found} == {"KR"}  # the headline too: one sense per name


def test_county_in_the_written_province(linker: Linker) -> None:
    text = "Factories opened in Unchon County, South Hwanghae Province, this week."
    m = _by_surface(linker.mentions(text))["Unchon County"]
    assert (m.place_id, m.admin1) == ("kp.unchon", "South Hwanghae")


def test_village_resolves_through_its_county(linker: Linker) -> None:
    text = "Guards detained two traders in Kumgol-ri, Pochon County, on Tuesday."
    m = _by_surface(linker.mentions(text))["Kumgol-ri"]
    assert m.via == "kp.pochon" and m.place_id == "kp.pochon"
    assert m.name == "Kumgol-ri" and m.matched_by == "context"
    assert m.precision == "county"


def test_village_word_resolves_through_the_sentence_town(linker: Linker) -> None:
    text = "Police in Hoeryong searched homes in Tokpong Village for phones."
    m = _by_surface(linker.mentions(text))["Tokpong Village"]
    assert m.via == "kp.hoeryong" and m.kind == "town"


def test_typo_resolves_to_the_place_the_article_names(linker: Linker) -> None:
    text = (
        "Traders in Hyesan said prices rose. The market in Hesan reopened on Friday, "
        "and guards in Hyesan watched the river."
    )
    m = _by_surface(linker.mentions(text))["Hesan"]
    assert m.place_id == "kp.hyesan" and m.matched_by == "fuzzy"


def test_pyongyang_is_the_city(linker: Linker) -> None:
    m = linker.mentions("Officials met in Pyongyang on Monday.")[0]
    assert (m.place_id, m.kind, m.precision) == ("kp.pyongyang-city", "city", "town")
    p = linker.mentions("Farms in Pyongyang Province were flooded.")[0]
    assert (p.place_id, p.precision) == ("kp.pyongyang", "province")


def test_first_name_after_a_title_is_no_place(linker: Linker) -> None:
    text = "Russian President Vladimir Putin sent a message to Pyongyang."
    assert [m.surface for m in linker.mentions(text)] == ["Pyongyang"]


def test_generic_bridge_alias_far_from_the_border_is_no_place(linker: Linker) -> None:
    text = "In Ulaanbaatar the Mongolia-Korea Friendship Bridge Association met on Monday."
    assert "Friendship Bridge" not in _by_surface(linker.mentions(text))


def test_world_capital_and_chinese_province(linker: Linker) -> None:
    text = "After the Hanoi summit, the delegation flew to Tongchuan in Shaanxi Province."
    found = _by_surface(linker.mentions(text))
    assert found["Hanoi"].country == "VN"
    assert found["Shaanxi Province"].kind == "province"
    assert found["Tongchuan"].admin1 == "Shaanxi"


def test_many_sentences_link_in_one_pass(linker: Linker) -> None:
    text = "Traders in Seoul met. Smugglers in Hyesan waited. " * 2000
    mentions = linker.mentions(text)
    assert len(mentions) == 4000
    assert {m.place_id for m in mentions} == {"kr.seoul", "kp.hyesan"}


def test_seoul_district_suffix_is_not_a_north_korean_county(linker: Linker) -> None:
    text = "Seoul officials said rents in Geumcheon-gu and Songpa-gu fell in May."
    found = _by_surface(linker.mentions(text))
    assert found["Songpa-gu"].place_id == "kr.songpa"
    assert found["Geumcheon-gu"].via == "kr.seoul"  # not Kumchon County, North Hwanghae


def test_sentence_opening_name_takes_the_articles_sense(linker: Linker) -> None:
    text = "The group toured Tongchuan, in Shaanxi Province.\nTongchuan officials hosted it."
    found = [m for m in linker.mentions(text) if m.surface == "Tongchuan"]
    assert [m.admin1 for m in found] == ["Shaanxi", "Shaanxi"]


def test_misspelt_unit_of_the_written_province(linker: Linker) -> None:
    text = "Workers in Soncheon County, Pyongan-Namdo Province, finished a factory."
    m = _by_surface(linker.mentions(text))["Soncheon County"]
    assert (m.place_id, m.admin1, m.matched_by) == ("kp.songchon", "South Pyongan", "fuzzy")


def test_written_country_picks_the_namesake(linker: Linker) -> None:
    text = "Floods hit Gangwon Province in South Korea and Kangwon Province in North Korea."
    found = _by_surface(linker.mentions(text))
    assert found["Gangwon Province"].country == "KR"
    assert found["Kangwon Province"].country == "KP"


def test_a_list_shares_its_plural_kind_word(linker: Linker) -> None:
    found = _by_surface(linker.mentions("Guards patrol the Tumen and Amnok rivers near Hyesan."))
    assert found["Tumen"].kind == "river" and found["Amnok"].kind == "river"
    assert found["Hyesan"].kind == "city"
    found = _by_surface(
        linker.mentions("Barricades went up on roads to the Amrok and Tumen Rivers.")
    )
    assert found["Tumen"].kind == "river"
    found = _by_surface(linker.mentions("Trucks left Tumen and Hunchun for Namyang."))
    assert found["Tumen"].kind == "city"  # no kind word after the list: the city


def test_a_namesake_under_another_spelling_outside_the_written_province_is_no_place(
    linker: Linker,
) -> None:
    text = (
        "The seaport in Ryongchon has reopened, a source in North Pyongan said. The ports in "
        "Dongyang and Unpasan, near the border area of North Pyongan province, remain shut."
    )
    found = _by_surface(linker.mentions(text))
    assert "Dongyang" not in found  # not Sangsong-ni (Tongyang), South Pyongan
    assert found["Ryongchon"].admin1 == "North Pyongan"


def test_a_crossing_named_by_its_two_towns_is_that_crossing(linker: Linker) -> None:
    found = _by_surface(linker.mentions("Customs at the Tumen-Namyang crossing were closed."))
    assert found["Tumen-Namyang crossing"].kind == "bridge"


def test_context_positions_stay_sorted_when_a_second_pass_adds_earlier_names(
    linker: Linker,
) -> None:
    """The context is told of confident names, then again of every accepted one from the
    text's start: the positions it searches by bisection must stay in order, or a name
    told early is missed in its sentence."""
    from geo.linking import _any_in, _Context

    hyesan = linker.gz.resolve("Hyesan")[0].place
    ctx = _Context()
    ctx.add(hyesan, 50, "hyesan")  # the first pass: a confident name late in the text
    ctx.add(hyesan, 10, "hyesan")  # the second: the same place named in the first sentence
    assert ctx.admin1_pos[hyesan.admin1] == [10, 50]
    assert ctx.admin1_in(5, 20) == {hyesan.admin1}
    assert _any_in(ctx.kp_pos, 5, 20)
