"""Case-folded patterns: the same matches on folded text as IGNORECASE on the text as is."""

from __future__ import annotations

from geo.folded import Folded, fold
from geo.roles import is_background, mention_role


def test_text_that_folding_would_change_is_matched_as_written():
    said = Folded.compile(r"\bsaid\b")
    text = "Officials in Kırkağaç SAID so."  # the dotless ı: folding is refused
    assert fold(text) is None
    found = said.search(text, fold(text))
    assert found is not None and found.group() == "SAID"
    assert said.search("Officials in Kırkağaç denied it.", None) is None


def test_roles_and_background_read_the_same_on_either_path():
    plain = "The governor of Liaoning met officials in Pyongyang."
    odd = "The governor of Liaoning met ofﬁcials in Pyongyang ı."  # ﬁ grows when lowered
    assert fold(odd) is None
    for name, role in (("Liaoning", "origin"), ("Pyongyang", "locus")):
        for text in (plain, odd):
            start = text.index(name)
            assert mention_role(text, start, start + len(name)) == role
    assert is_background("Officials WOULD visit Hyesan ı.") is True
    assert is_background("Officials visited Hyesan ı.") is False
