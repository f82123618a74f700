"""Finding place-name spans: short texts written for these tests, not dev-set copies."""

from __future__ import annotations

import pytest

from gazetteer import Gazetteer
from geo.mentions import MentionFinder


@pytest.fixture(scope="module")
def finder() -> MentionFinder:
    return MentionFinder(Gazetteer.default())


def _surfaces(finder: MentionFinder, text: str) -> list[str]:
    """The spans of known names (unknown capitalised words are fuzzy spans, left out)."""
    return [s.surface for s in finder.spans(text) if not s.fuzzy]


def test_hyphenated_pairs_are_two_names(finder: MentionFinder) -> None:
    assert _surfaces(finder, "Trucks crossed at the Dandong-Sinuiju customs.") == [
        "Dandong",
        "Sinuiju",
    ]
    assert _surfaces(finder, "Trade at the Wonjong-ni-Quanhe crossing grew.") == [
        "Wonjong-ni",
        "Quanhe",
    ]
    assert "Seoul" in _surfaces(finder, "A Seoul-based group said so.")


def test_missile_names_are_not_places(finder: MentionFinder) -> None:
    assert _surfaces(finder, "It tested a Hwasong-12 missile.") == []


def test_image_tag_and_capitalised_name_both_count(finder: MentionFinder) -> None:
    text = "border, hyesan, water,\nPHOTO: Hyesan in winter. Traders in Hyesan waited."
    assert _surfaces(finder, text) == ["hyesan", "Hyesan", "Hyesan"]


def test_titled_first_name_is_a_person(finder: MentionFinder) -> None:
    assert _surfaces(finder, "President Vladimir Putin spoke in Moscow.") == ["Moscow"]


def test_small_places_keep_their_generic_word(finder: MentionFinder) -> None:
    spans = finder.spans("Homes in Kumgol Village and Yusun Labor District were searched.")
    small = [(s.surface, s.kind_hint) for s in spans if s.small]
    assert small == [("Kumgol Village", "town"), ("Yusun Labor District", "district")]
    dong = [s for s in finder.spans("Police raided Tokpong-dong at night.") if s.small]
    assert [(s.surface, s.kind_hint) for s in dong] == [("Tokpong-dong", "district")]
