"""Article readers: formats, encodings, sidecars, and one failure per bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import warnings
from pathlib import Path

import pytest

from geo.article import (
    Article,
    ReadFailure,
    ReadWarning,
    article_from_text,
    expand_paths,
    iter_article_files,
    read_article,
    read_articles,
    read_file,
    read_listed,
)
from nkmap.errors import DataError, FileError, InputError, NkmapError

PAGE = (
    "Customs tightened at Sinuiju\n\n"
    "Lee Ha-na | 2024-03-08 10:15\n\n"
    "Customs officers in Sinuiju fined traders on March 7, a source told the newsroom.\n\n"
    "Read in Korean\n"
)


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_plain_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.txt", PAGE)
    article = read_article(path)
    raw = path.read_bytes()
    assert article.title == "Customs tightened at Sinuiju"
    assert article.date == dt.date(2024, 3, 8)
    assert article.date_source == "byline"
    assert article.author == "Lee Ha-na"
    assert article.body == (
        "Customs officers in Sinuiju fined traders on March 7, a source told the newsroom."
    )
    assert article.text == PAGE  # offsets count from the start of the file
    assert [article.text[x.start : x.end] for x in article.lines if x.role == "title"] == [
        "Customs tightened at Sinuiju"
    ]
    assert article.content_hash == hashlib.sha256(raw).hexdigest()
    assert article.article_id == article.content_hash[:16]
    assert article.path == str(path)
    assert article.text_file == "a.txt"


def test_same_bytes_same_id_anywhere(tmp_path: Path) -> None:
    a = read_article(_write(tmp_path, "x/a.txt", PAGE))
    b = read_article(_write(tmp_path, "y/b.text", PAGE))
    c = read_article(_write(tmp_path, "c.txt", PAGE + "\nMore."))
    assert a.article_id == b.article_id != c.article_id


def test_utf8_bom(tmp_path: Path) -> None:
    article = read_article(_write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + PAGE.encode()))
    assert article.title == "Customs tightened at Sinuiju"
    assert "\ufeff" not in article.body


@pytest.mark.parametrize("encoding", ["euc-kr", "cp949"])
def test_korean_legacy_encodings(tmp_path: Path, encoding: str) -> None:
    text = (
        "혜산 세관 밀수 단속 강화\n\n2024년 3월 8일\n\n"
        "혜산 세관은 3월 7일 밀수꾼들에게 벌금을 부과했다."
    )
    article = read_article(_write(tmp_path, "k.txt", text.encode(encoding)))
    assert article.title == "혜산 세관 밀수 단속 강화"
    assert article.date == dt.date(2024, 3, 8)
    assert article.body == "혜산 세관은 3월 7일 밀수꾼들에게 벌금을 부과했다."


def test_utf16_with_bom(tmp_path: Path) -> None:
    article = read_article(_write(tmp_path, "u16.txt", PAGE.encode("utf-16")))
    assert article.date == dt.date(2024, 3, 8)


def test_detected_fallback_encoding(tmp_path: Path) -> None:
    text = (
        "Сделка в Хасане\n\nТорговля через мост между Хасаном и Туманганом возобновилась "
        "седьмого марта, сообщили торговцы. Грузовики снова пересекают границу каждый день."
    )
    article = read_article(_write(tmp_path, "ru.txt", text.encode("cp1251")))
    assert "Туманганом" in article.body


def test_sidecar_overrides(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", PAGE)
    side = {"date": "2020-01-02", "title": "Side title", "url": "https://example.org/a"}
    _write(tmp_path, "a.json", json.dumps(side | {"source": "Side outlet"}))
    result = read_articles([tmp_path], on_error="raise")
    assert len(result) == 1  # the sidecar is not read as an article
    (article,) = result
    assert article.date == dt.date(2020, 1, 2)
    assert article.date_source == "sidecar"
    assert article.title == "Side title"
    assert article.source == "Side outlet"
    assert article.url == "https://example.org/a"


def test_date_override_wins_over_sidecar(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", PAGE)
    _write(tmp_path, "a.json", json.dumps({"date": "2020-01-02"}))
    (article,) = read_articles([tmp_path], date=dt.date(2019, 5, 5))
    assert (article.date, article.date_source) == (dt.date(2019, 5, 5), "override")


def test_json_object_and_list(tmp_path: Path) -> None:
    one = {
        "title": "Trade fair opens",
        "text": "A trade fair opened in Rason on May 3.",
        "published": "2019-05-04T09:00:00+09:00",
        "url": "https://example.org/1",
        "site": "Example Wire",
    }
    two = {"headline": "Aid arrives", "body": "Aid arrived in Sinuiju.", "date": "Nov. 3, 2024"}
    _write(tmp_path, "one.json", json.dumps(one))
    _write(tmp_path, "many.json", json.dumps([one, two]))
    result = read_articles([tmp_path], on_error="raise")
    assert [a.text_file for a in result] == ["many.json", "many.json", "one.json"]
    first, second, single = result.articles
    assert first.title == "Trade fair opens"
    assert first.date == dt.date(2019, 5, 4) and first.date_source == "metadata"
    assert first.source == "Example Wire" and first.url == "https://example.org/1"
    assert first.body == "A trade fair opened in Rason on May 3."
    assert second.title == "Aid arrives" and second.date == dt.date(2024, 11, 3)
    assert first.article_id != second.article_id  # records of one file get their own ids
    assert single.title == first.title


def test_jsonl_malformed_line_is_one_failure(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "First", "text": "Trade resumed in Hyesan."}),
        "{not json",
        json.dumps({"title": "Third", "content": "Guards arrived in Manpo."}),
    ]
    path = _write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    result = read_articles([path], on_error="skip")
    assert [a.title for a in result] == ["First", "Third"]
    assert len(result.failures) == 1
    assert result.failures[0].path == str(path)
    assert result.failures[0].reason.startswith("malformed JSON at line 2:")
    with pytest.raises(DataError, match=r"feed\.jsonl: malformed JSON at line 2"):
        read_file(path)
    with pytest.raises(DataError, match="holds 2 articles"):
        read_article(_write(tmp_path, "ok.ndjson", "\n".join([lines[0], lines[2]])))


def test_html(tmp_path: Path) -> None:
    html = """<!DOCTYPE html><html><head><title>Smugglers fined in Hyesan | Example</title>
    <meta property="og:title" content="Smugglers fined in Hyesan">
    <meta property="og:site_name" content="Example News">
    <meta name="author" content="Park Su-jin">
    <meta property="article:published_time" content="2023-09-12T08:00:00+09:00">
    </head><body><nav><a href="/">Home</a> | <a href="/n">News</a> | <a href="/e">Economy</a></nav>
    <article><h1>Smugglers fined in Hyesan</h1>
    <p>Border guards in Hyesan fined three smugglers on September 10 for carrying phones
    across the Yalu River, a resident of the city said.</p>
    <p>The resident said guards had stepped up patrols along the river since the summer,
    and that traders now pay larger bribes to move goods across.</p>
    <p>Read in Korean</p></article>
    <footer>Copyright 2023 Example News. All rights reserved.</footer></body></html>"""
    article = read_article(_write(tmp_path, "page.html", html))
    assert article.title == "Smugglers fined in Hyesan"
    assert article.date == dt.date(2023, 9, 12) and article.date_source == "metadata"
    assert article.source == "Example News"
    assert article.author == "Park Su-jin"
    assert article.body.startswith("Border guards in Hyesan fined three smugglers")
    assert "Read in Korean" not in article.body
    assert "Copyright" not in article.body
    assert "\n\n" in article.body


def test_malformed_html_does_not_crash(tmp_path: Path) -> None:
    html = "<html><body><div><p>Trucks crossed at <b>Namyang on March 7</p></div></span></td"
    article = read_article(_write(tmp_path, "broken.htm", html))
    assert "Namyang on March 7" in article.body
    path = _write(tmp_path, "tags.html", "<html><body><script>var x=1;</script></body></html>")
    with pytest.raises(DataError, match="tags.html: no article text"):
        read_article(path)


def _bad_inputs(folder: Path) -> dict[str, str]:
    """Bad files beside good ones; name → expected start of the failure reason."""
    _write(folder, "good1.txt", PAGE)
    _write(folder, "sub/good2.txt", PAGE.replace("Sinuiju", "Hyesan"))
    _write(folder, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _write(folder, "empty.txt", b"")
    _write(folder, "ctrl.txt", bytes(range(1, 32)) * 20)
    noise = random.Random(0).randbytes(600).replace(b"\x00", b"\x01")
    _write(folder, "noise.txt", noise)
    _write(folder, "big.txt", "Trade resumed in Sinuiju. " * 200)
    _write(folder, "bad.json", '{"title": "x", "text": ')
    _write(folder, "bad.jsonl", '{"text": "fine line"}\n[1, 2\n')
    _write(folder, ".hidden.txt", "ignored")
    _write(folder, "notes.csv", "ignored,too")
    return {
        "binary.txt": "not text (binary file)",
        "empty.txt": "empty file",
        "ctrl.txt": "not text (binary file",
        "noise.txt": "not text (undecodable",
        "big.txt": "file is 5,200 bytes, over the limit of 3,000",
        "bad.json": "malformed JSON at line 1",
        "bad.jsonl": "malformed JSON at line 2",
        "missing.txt": "no such file or folder",
    }


def test_bad_inputs_each_one_failure(tmp_path: Path) -> None:
    expected = _bad_inputs(tmp_path)
    result = read_articles([tmp_path, tmp_path / "missing.txt"], on_error="skip", max_bytes=3000)
    assert sorted(Path(a.path).name for a in result) == ["bad.jsonl", "good1.txt", "good2.txt"]
    got = {Path(f.path).name: f.reason for f in result.failures}
    assert set(got) == set(expected)
    for name, start in expected.items():
        assert got[name].startswith(start), (name, got[name])
    for failure in result.failures:
        assert str(failure) == f"{failure.path}: {failure.reason}"
        assert "\n" not in str(failure)


def test_on_error_warn_and_raise(tmp_path: Path) -> None:
    _bad_inputs(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = read_articles([tmp_path], on_error="warn", max_bytes=3000)
    messages = [str(w.message) for w in caught if issubclass(w.category, ReadWarning)]
    assert messages == [str(f) for f in result.failures]
    assert len(messages) == 7
    with pytest.raises(NkmapError):
        read_articles([tmp_path], on_error="raise", max_bytes=3000)
    with pytest.raises(FileError, match="missing.txt: no such file or folder"):
        read_articles([tmp_path / "missing.txt"], on_error="raise")
    with pytest.raises(DataError, match=r"empty\.txt: empty file"):
        read_articles([tmp_path / "empty.txt"], on_error="raise")
    with pytest.raises(FileError, match=r"big\.txt: file is 5,200 bytes"):
        read_file(tmp_path / "big.txt", max_bytes=3000)
    with pytest.raises(InputError):
        read_articles([tmp_path], on_error="ignore")  # type: ignore[arg-type]


def test_listed_files_read_as_the_folder_is(tmp_path: Path) -> None:
    """What a pipeline worker reads: the files a listing gave, with its failures first; a
    file gone since the listing is one failure, a sidecar beside a listed file is read."""
    _bad_inputs(tmp_path)
    _write(tmp_path, "good1.json", json.dumps({"title": "From the sidecar"}))
    files, missing = expand_paths([tmp_path, tmp_path / "missing.txt"])
    listed = read_listed(files, on_error="skip", max_bytes=3000, missing=missing)
    whole = read_articles([tmp_path, tmp_path / "missing.txt"], on_error="skip", max_bytes=3000)
    assert listed.articles == whole.articles
    assert listed.failures == whole.failures
    assert listed.failures[: len(missing)] == missing
    assert "From the sidecar" in [a.title for a in listed]
    (tmp_path / "sub" / "good2.txt").unlink()
    gone = read_listed(files, on_error="skip", max_bytes=3000)
    assert [f.reason for f in gone.failures if f.path.endswith("good2.txt")] == [
        "no such file or folder"
    ]
    with pytest.raises(InputError):
        read_listed(files, on_error="ignore")  # type: ignore[arg-type]


def test_iter_article_files(tmp_path: Path) -> None:
    _bad_inputs(tmp_path)
    _write(tmp_path, "good1.json", '{"date": "2020-01-01"}')  # sidecar of good1.txt
    _write(tmp_path, ".git/x.txt", "hidden folder")
    names = [p.relative_to(tmp_path).as_posix() for p in iter_article_files([tmp_path])]
    assert names == [
        "bad.json",
        "bad.jsonl",
        "big.txt",
        "binary.txt",
        "ctrl.txt",
        "empty.txt",
        "good1.txt",
        "noise.txt",
        "sub/good2.txt",
    ]
    named = [tmp_path / "good1.txt", tmp_path / "good1.json"]
    assert list(iter_article_files(named)) == [tmp_path / "good1.txt"]
    explicit = tmp_path / "notes.csv"
    assert list(iter_article_files([explicit, tmp_path / "nope"])) == [explicit]


def test_article_from_text() -> None:
    article = article_from_text(PAGE, url="https://example.org/x", source="Wire")
    assert isinstance(article, Article)
    assert article.path == "" and article.text_file == ""
    assert article.date == dt.date(2024, 3, 8) and article.date_source == "byline"
    assert article.source == "Wire"
    override = article_from_text(PAGE, date=dt.date(2001, 1, 1), title="Given")
    assert (override.date, override.date_source, override.title) == (
        dt.date(2001, 1, 1),
        "override",
        "Given",
    )
    assert article_from_text("Just a sentence.").date_source == "none"


def test_read_failure_str() -> None:
    assert str(ReadFailure("a/b.txt", "empty file")) == "a/b.txt: empty file"


def test_seeds_read(seeds_dir: Path) -> None:
    result = read_articles([seeds_dir], on_error="raise")
    by_prefix = {a.text_file[:3]: a for a in result}
    assert len(by_prefix) == 5
    assert by_prefix["000"].date == dt.date(2018, 4, 6)
    assert by_prefix["004"].date == dt.date(2025, 4, 4)
    assert by_prefix["004"].source == "Daily NK"
    assert by_prefix["002"].source == "NK News"
    for article in result:
        assert article.article_id == article.content_hash[:16]
        assert len(article.body) > 1000


def test_bundled_samples(samples_dir: Path) -> None:
    result = read_articles([samples_dir], on_error="raise")
    assert 18 <= len(result) <= 22
    assert not result.failures
    suffixes = {Path(a.path).suffix for a in result}
    assert suffixes == {".txt", ".html", ".json"}
    assert any(a.date_source == "sidecar" for a in result)
    for article in result:
        assert article.date is not None, article.path
        assert dt.date(2017, 1, 1) <= article.date <= dt.date(2026, 12, 31)
        assert article.source == "nkmap sample dispatch", article.path
        assert article.title, article.path
        assert 150 <= len(article.body.split()) <= 400, article.path
        assert "©" not in article.body and "Read in Korean" not in article.body
        assert "Related articles" not in article.body
    assert len({a.article_id for a in result}) == len(result)
    years = {a.date.year for a in result if a.date}
    assert min(years) == 2017 and max(years) == 2026
    assert sum("Pyongyang" in a.body for a in result) >= 3
    assert (samples_dir / "README.md").read_text().count("fictional") >= 1


def test_html_byline_date_when_metadata_has_none(tmp_path: Path) -> None:
    html = """<html><head><title>Guards rotated in Hyesan</title></head><body>
    <div class="byline">Kim Ji-hye | 2024-03-08 10:15</div>
    <article><h1>Guards rotated in Hyesan</h1>
    <p>Border guard units in Hyesan were rotated on March 4 after a bribery probe, two residents
    of the city said, and the new unit has not yet taken money from traders.</p>
    <p>The residents said that three officers were taken away for questioning by the military
    security command, and that smuggling across the river has stopped for now.</p>
    </article><aside><h2>Related articles</h2><p>Traders fined - May 5, 2023</p></aside>
    </body></html>"""
    article = read_article(_write(tmp_path, "noindex.html", html))
    assert article.date == dt.date(2024, 3, 8)  # not the related article's date
    assert article.date_source in ("metadata", "byline")
    assert article.body.startswith("Border guard units in Hyesan were rotated on March 4")


def test_json_list_bad_item_is_one_failure(tmp_path: Path) -> None:
    items = [{"title": "A", "text": "Trade resumed in Hyesan."}, {"title": "B"}, ["x"]]
    path = _write(tmp_path, "batch.json", json.dumps(items))
    result = read_articles([path], on_error="skip")
    assert [a.title for a in result] == ["A"]
    assert [f.reason.split(" (")[0] for f in result.failures] == [
        "item 2 has no text",
        "item 3 is not a JSON object",
    ]
    single = _write(tmp_path, "single.json", json.dumps(items[0]))
    article = read_article(single)
    assert article.content_hash == hashlib.sha256(single.read_bytes()).hexdigest()
