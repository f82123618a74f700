"""Name folding: every spelling of a name meets at one key; suffixes go only as whole tokens."""

from __future__ import annotations

import pytest

from gazetteer.names import fold_chars, key

SAME = [
    ("Sinuiju", "Sinŭiju", "Shinuiju", "SINUIJU", "Sinuiju-si", "Sinuiju city"),
    (
        "North Pyongan",
        "North Phyongan",
        "Pyonganbuk-do",
        "Phyŏngan-pukto",
        "P'yŏngan-bukto",
        "Pyeonganbuk-do",
    ),
    ("Ryanggang", "Yanggang", "Ryanggang-do", "Yangkang", "Yanggang Province"),
    ("North Hamgyong", "North Hamgyeong", "Hamgyongbuk-do", "Hamgyŏng-pukto"),
    ("Rajin-Sonbong", "Rajin-Sŏnbong", "Najin-Sonbong", "Rajin Sonbong"),
    ("Hoeryong", "Hoeryŏng", "Hoiryong", "Hoeryeong"),
    ("Chagang", "Jagang", "Chagang-do"),
    ("Manpo", "Manp'o", "Manp’o", "Manpo-si"),
    ("Nampo", "Nampho", "Namp'o"),
    ("Kaesong", "Kaesŏng", "Gaeseong"),
    ("Unsan", "Unsan county", "Unsan-gun", "Unsan County"),
    ("Chongjin", "Ch'ŏngjin", "Cheongjin"),
    ("South Hwanghae", "Hwanghaenam-do", "Hwanghae-namdo"),
    ("혜산", "혜산시"),
    ("Kim Hyong Jik", "Kim Hyong Jik county", "Kim Hyong Jik-gun"),
    ("North Hamgyong", "Hamgyeong Bukdo", "North Hamkyung"),
    ("Amnok", "Amrok"),
    ("Unryul", "Unnyul"),
    ("Hoeryong", "Hoeryung"),
    ("Gangnam", "Gangnam-gu"),
    ("滿浦", "滿浦市"),
]

DIFFERENT = [
    ("North Pyongan", "South Pyongan"),
    ("North Hamgyong", "South Hamgyong"),
    ("Kujang", "Kunjang"),
    ("Unsan", "Unryul"),
    ("Hyesan", "Haeju"),
]

# (name, key): suffixes are removed only as whole trailing tokens, never inside a word.
SUFFIX_TABLE = [
    ("Hyesan-si", "hyesan"),
    ("Sinsi", "sinsi"),
    ("Dongdo", "dongdo"),
    ("Kundo", "gundo"),
    ("Sangwon county", "sangwon"),
    ("Dong", "dong"),
    ("Si", "si"),
    ("Tongil-ri", "dongir"),
    ("Chongjin workers' district", "jongjin"),
]


@pytest.mark.parametrize("names", SAME, ids=lambda n: n[0])
def test_spellings_share_one_key(names: tuple[str, ...]) -> None:
    keys = {key(n) for n in names}
    assert len(keys) == 1, dict(zip(names, map(key, names), strict=True))
    assert "" not in keys


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_places_keep_different_keys(a: str, b: str) -> None:
    assert key(a) != key(b)


@pytest.mark.parametrize(("name", "expected"), SUFFIX_TABLE)
def test_suffixes_only_as_whole_tokens(name: str, expected: str) -> None:
    assert key(name) == expected


@pytest.mark.parametrize("junk", ["", "   ", "\t\n", "---", "''"])
def test_names_without_letters_have_no_key(junk: str) -> None:
    assert key(junk) == ""


def test_fold_chars_keeps_offsets() -> None:
    text = "Sinŭiju’s Phyŏngan ŎŬ"
    folded = fold_chars(text)
    assert len(folded) == len(text)
    assert folded == "sinuiju's phyongan ou"
