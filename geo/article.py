"""Article records and the readers that make them from files: text, HTML, JSON, JSON Lines.

>>> a = article_from_text("Hyesan traders fined\\n\\n2024-03-08\\n\\nOfficials fined traders.")
>>> a.title, a.date, a.date_source, a.body
('Hyesan traders fined', datetime.date(2024, 3, 8), 'byline', 'Officials fined traders.')
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from gazetteer.errors import DataError, FileError, NkmapError
from geo.clean import CleanedPage, Line, canonical_outlet, clean_page, guess_source
from geo.dates import parse_date, publication_date

__all__ = [
    "ARTICLE_SUFFIXES",
    "Article",
    "ReadFailure",
    "ReadResult",
    "ReadWarning",
    "article_from_text",
    "iter_article_files",
    "read_article",
    "read_articles",
    "read_file",
]

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
#: Extensions read when a folder is expanded.
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES + JSONL_SUFFIXES

OnError = Literal["raise", "warn", "skip"]

_TEXT_KEYS = ("text", "body", "content", "article", "maintext", "full_text")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "published", "published_at", "publish_date", "datePublished", "pubDate")
_URL_KEYS = ("url", "link", "href")
_SOURCE_KEYS = ("source", "site", "sitename", "outlet", "publisher")
_AUTHOR_KEYS = ("author", "byline", "authors")


@dataclass(frozen=True)
class Article:
    """One news article: its text, where in it the page's noise lies, and its metadata.

    ``text`` is the document every offset refers to: for a plain-text file the file's
    text itself (headline, bylines and all), for HTML and JSON the headline followed by
    the extracted body.  ``lines`` gives each non-blank line's offsets and role
    (``title``, ``body``, ``caption``, ``dateline`` or ``noise``: see :mod:`geo.clean`);
    :attr:`body` is the article text without the noise.  ``article_id`` is the first 16
    hex digits of ``content_hash``, the SHA-256 of the article's raw bytes (of its own
    record, for files holding several).  ``date_source`` is ``"override"``,
    ``"sidecar"``, ``"metadata"``, ``"byline"``, ``"dateline"`` or ``"none"``.  ``path`` is
    ``""`` for an in-memory article.  ``title_guessed`` is True when the title is the
    text's first sentence rather than a headline.
    """

    article_id: str
    text: str
    title: str
    date: dt.date | None
    date_source: str
    url: str
    source: str
    author: str
    path: str
    text_file: str
    content_hash: str
    lines: tuple[Line, ...] = ()
    body: str = ""
    title_guessed: bool = False


@dataclass(frozen=True)
class ReadFailure:
    """A file (or one record of it) that could not be read, and why, in one line."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class ReadResult:
    """What :func:`read_articles` read: ``articles``, and ``failures`` (always recorded).

    Iterating over the result, or taking its ``len``, goes over the articles.
    """

    articles: list[Article] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)


class ReadWarning(UserWarning):
    """Issued once per unreadable file by ``read_articles(on_error="warn")``."""


class _Failed(Exception):
    """Internal: a failure and the error class to raise for it."""

    def __init__(self, reason: str, error: type[NkmapError] = DataError) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error


# ---------------------------------------------------------------------------------------------
# Files and folders
# ---------------------------------------------------------------------------------------------


def _is_hidden(path: Path) -> bool:
    return path.name.startswith(".")


#: Files a folder walk leaves out: the folder's own documentation, not articles.
_FOLDER_DOCS = re.compile(r"^(?:readme|license|licence|changelog|contributing)\b", re.IGNORECASE)


def _is_sidecar(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    return any(
        path.with_suffix(s).exists() for s in (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".TXT", ".HTML")
    )


def _expand(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[ReadFailure]]:
    files: list[Path] = []
    failures: list[ReadFailure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in names:
                    child = Path(root) / name
                    if (
                        not _is_hidden(child)
                        and not _FOLDER_DOCS.match(name)
                        and child.suffix.lower() in ARTICLE_SUFFIXES
                        and not _is_sidecar(child)
                    ):
                        found.append(child)
            files.extend(sorted(found))
        elif path.is_file():
            files.append(path)
        else:
            failures.append(ReadFailure(str(path), "no such file or folder"))
    # a sidecar named beside its own article is read with it, not as an article
    chosen = {f.resolve() for f in files}
    files = [
        f
        for f in files
        if f.suffix.lower() != ".json"
        or not any(f.with_suffix(s).resolve() in chosen for s in (*TEXT_SUFFIXES, *HTML_SUFFIXES))
    ]
    return files, failures


def iter_article_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield the article files that ``paths`` (files and folders) stand for, in read order.

    Folders are walked recursively, each folder's files sorted, keeping the extensions in
    :data:`ARTICLE_SUFFIXES`, skipping hidden files and folders, a folder's README/LICENSE
    files, and the sidecar ``name.json`` that sits beside a ``name.txt`` (or ``.html``).  A
    file named explicitly is always kept; a path that does not exist is skipped
    (:func:`read_articles` reports it).  Raises nothing.
    """
    files, _ = _expand(paths)
    yield from files


# ---------------------------------------------------------------------------------------------
# Bytes to text
# ---------------------------------------------------------------------------------------------


def _hangul_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\uac00" <= c <= "\ud7a3") / len(letters)


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f") or c == "\ufffd")
    return bad <= max(2, len(text) // 200)


def _decode_bytes(data: bytes) -> str:
    """Return ``data`` decoded: UTF-8 (with or without BOM), UTF-16 with a BOM, the Korean
    legacy encodings (CP949, a superset of EUC-KR), else the encoding charset-normalizer
    detects.

    Raises:
        _Failed: the bytes are binary (NUL bytes) or fit no encoding (``"not text ..."``).
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Failed(
                f"not text (invalid UTF-8 after a UTF-8 mark at byte {exc.start})"
            ) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _Failed("not text (invalid UTF-16)") from exc
    if b"\x00" in data:
        raise _Failed("not text (binary file)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not _looks_like_text(text):
            raise _Failed("not text (binary file: control characters)")
        return text
    try:
        text = data.decode("cp949")
        if _hangul_share(text) > 0.05 and _looks_like_text(text):
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _looks_like_text(text):
            return text
    raise _Failed("not text (undecodable: no known character encoding fits)")


# ---------------------------------------------------------------------------------------------
# Building articles
# ---------------------------------------------------------------------------------------------


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _make(
    raw: bytes,
    body: str,
    *,
    title: str = "",
    date: dt.date | None = None,
    date_source: str = "",
    url: str = "",
    source: str = "",
    author: str = "",
    path: str = "",
    structured: bool = False,
) -> Article:
    """Lay out ``body`` (noise, title, captions) and fill what metadata left empty.

    For structured inputs (HTML, JSON) whose metadata holds the title, the document text
    is the title, a blank line and the body, so that the headline is read too.
    """
    text = body
    if structured and title and not body.lstrip().startswith(title.strip()):
        text = f"{title.strip()}\n\n{body}"
    page = clean_page(
        text, title=title.strip() if structured else title, guess_title=not structured
    )
    if date is None:
        date, date_source = publication_date(body)
    digest = _hash(raw)
    found_title = title or page.title
    guessed = False
    if not found_title:
        found_title, guessed = _first_sentence(page), True
    return Article(
        article_id=digest[:16],
        text=text,
        title=found_title,
        date=date,
        date_source=date_source if date is not None else "none",
        url=url,
        source=canonical_outlet(source) or page.source,
        author=author or page.author,
        path=path,
        text_file=Path(path).name if path else "",
        content_hash=digest,
        lines=page.lines,
        body=page.text,
        title_guessed=guessed,
    )


def _first_sentence(page: CleanedPage, limit: int = 120) -> str:
    """Return the first sentence of the page's body, cut at ``limit`` characters, or ""."""
    from geo.sentences import sentences

    text = page.text
    bounds = sentences(text)
    if not bounds:
        return ""
    s, e, _ = bounds[0]
    first = text[s:e]
    if len(first) > limit:
        first = first[: limit - 1].rsplit(" ", 1)[0] + "…"
    return first


def article_from_text(
    text: str,
    *,
    title: str = "",
    date: dt.date | None = None,
    url: str = "",
    source: str = "",
    path: str = "",
) -> Article:
    """Return the :class:`Article` of a page's text held in memory.

    ``date`` overrides the publication date found in the text (``date_source`` becomes
    ``"override"``); ``title``, ``url`` and ``source`` fill the record as given, and what is
    left empty is read from the text.  The id hashes the UTF-8 bytes of ``text``.
    Raises nothing.
    """
    return _make(
        text.encode("utf-8"),
        text,
        title=title,
        date=date,
        date_source="override",
        url=url,
        source=source,
        path=path,
    )


def _str_field(record: dict[str, Any], keys: Sequence[str]) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return ", ".join(v.strip() for v in value)
        if isinstance(value, dict):
            name = value.get("name") or value.get("title")
            if isinstance(name, str) and name.strip():
                return name.strip()
    return ""


def _from_record(record: Any, raw: bytes, path: str, where: str) -> Article:
    if not isinstance(record, dict):
        raise _Failed(f"{where}is not a JSON object (found {type(record).__name__})")
    if record.get("type") == "FeatureCollection" or record.get("type") == "Feature":
        raise _Failed(f"{where}is GeoJSON (an events file), not an article")
    body = _str_field(record, _TEXT_KEYS)
    if not body:
        raise _Failed(f"{where}has no text (expected one of the keys {', '.join(_TEXT_KEYS)})")
    date_text = _str_field(record, _DATE_KEYS)
    date = parse_date(date_text) if date_text else None
    return _make(
        raw,
        body,
        title=_str_field(record, _TITLE_KEYS),
        date=date,
        date_source="metadata",
        url=_str_field(record, _URL_KEYS),
        source=_str_field(record, _SOURCE_KEYS),
        author=_str_field(record, _AUTHOR_KEYS),
        path=path,
        structured=True,
    )


def _record_bytes(record: Any) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _read_json(text: str, raw: bytes, path: str) -> tuple[list[Article], list[ReadFailure]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Failed(f"malformed JSON at line {exc.lineno}: {exc.msg}") from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        return [_from_record(data, raw, path, "")], []
    if not isinstance(data, list):
        raise _Failed(f"JSON holds a {type(data).__name__}, not an article object or a list")
    if not data:
        raise _Failed("empty JSON list (no articles)")
    articles: list[Article] = []
    failures: list[ReadFailure] = []
    for n, item in enumerate(data, start=1):
        try:
            articles.append(_from_record(item, _record_bytes(item), path, f"item {n} "))
        except _Failed as exc:
            failures.append(ReadFailure(path, exc.reason))
    return articles, failures


def _read_jsonl(text: str, path: str) -> tuple[list[Article], list[ReadFailure]]:
    articles: list[Article] = []
    failures: list[ReadFailure] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            failures.append(ReadFailure(path, f"malformed JSON at line {lineno}: {exc.msg}"))
            continue
        try:
            articles.append(_from_record(record, line.encode("utf-8"), path, f"line {lineno} "))
        except _Failed as exc:
            failures.append(ReadFailure(path, exc.reason))
    if not articles and not failures:
        raise _Failed("empty file")
    return articles, failures


_TAG = re.compile(r"<[^>]*>?")


def _html_fallback_text(html: str) -> str:
    """Visible text of HTML that trafilatura could not parse: tags out, blocks as lines."""
    import html as html_lib

    html = re.sub(r"(?is)<(script|style|noscript)\b.*?(?:</\1\s*>|$)", " ", html)
    html = re.sub(r"(?i)<\s*(?:br|/p|/div|/h\d|/li|/tr|p|div|h\d|li)\b[^>]*>", "\n\n", html)
    return html_lib.unescape(_TAG.sub(" ", html))


def _read_html(text: str, raw: bytes, path: str) -> Article:
    import trafilatura

    title = url = source = author = ""
    date: dt.date | None = None
    body = ""
    try:
        doc = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura/lxml raise many kinds on broken markup
        doc = None
    if doc is not None:
        meta = doc if isinstance(doc, dict) else doc.as_dict()
        body = str(meta.get("text") or "")
        title = str(meta.get("title") or "")
        url = str(meta.get("url") or "")
        source = canonical_outlet(str(meta.get("sitename") or ""))
        author = str(meta.get("author") or "")
        date = parse_date(str(meta.get("date") or ""))
    if not body.strip():
        body = _html_fallback_text(text)
        if not title:
            m = re.search(r"(?is)<title[^>]*>(.*?)</title", text)
            title = re.sub(r"\s+", " ", m.group(1)).strip() if m else ""
    else:
        body = re.sub(r"\n+", "\n\n", body)
    if not body.strip():
        raise _Failed("no article text found in the HTML")
    page_text = _html_fallback_text(text)
    if not source:
        source = guess_source(page_text)
    date_source = "metadata"
    if date is None:  # no date in the metadata: a byline anywhere on the page
        date, date_source = publication_date(page_text)
    return _make(
        raw,
        body,
        title=title,
        date=date,
        date_source=date_source,
        url=url,
        source=source,
        author=author,
        path=path,
        structured=True,
    )


def _sidecar(path: Path) -> dict[str, Any]:
    side = path.with_suffix(".json")
    if side == path or not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Failed(f"unreadable sidecar {side.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise _Failed(f"sidecar {side.name} is not a JSON object")
    return data


def _apply_sidecar(article: Article, side: dict[str, Any], name: str) -> Article:
    changes: dict[str, Any] = {}
    if "date" in side:
        date = parse_date(str(side["date"] or ""))
        if date is None:
            raise _Failed(f"sidecar {name}: unreadable date {side['date']!r}")
        changes.update(date=date, date_source="sidecar")
    for key in ("title", "url", "source", "author"):
        value = side.get(key)
        if isinstance(value, str) and value.strip():
            changes[key] = value.strip()
    return replace(article, **changes) if changes else article


def _read_path(path: Path, max_bytes: int) -> tuple[list[Article], list[ReadFailure]]:
    """Read one file. Raises _Failed for a failure of the whole file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise _Failed("no such file or folder", FileError) from exc
    except OSError as exc:
        raise _Failed(f"cannot read: {exc.strerror or exc}", FileError) from exc
    if size > max_bytes:
        raise _Failed(f"file is {size:,} bytes, over the limit of {max_bytes:,}", FileError)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _Failed(f"cannot read: {exc.strerror or exc}", FileError) from exc
    if not raw.strip():
        raise _Failed("empty file")
    text = _decode_bytes(raw)
    if not text.strip():
        raise _Failed("empty file")
    name = str(path)
    suffix = path.suffix.lower()
    head = text.lstrip()[:200].lower()
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(text, name)
    if suffix in JSON_SUFFIXES:
        return _read_json(text, raw, name)
    if suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        article = _read_html(text, raw, name)
    else:
        article = _make(raw, text, path=name)
    side = _sidecar(path)
    if side:
        article = _apply_sidecar(article, side, path.with_suffix(".json").name)
    return [article], []


def _override(articles: list[Article], date: dt.date | None) -> list[Article]:
    if date is None:
        return articles
    return [replace(a, date=date, date_source="override") for a in articles]


def read_file(
    path: str | os.PathLike[str], *, date: dt.date | None = None, max_bytes: int = 20_000_000
) -> list[Article]:
    """Return the articles of one file (one, or several for JSON lists and JSON Lines).

    ``date`` overrides every article's publication date.

    Raises:
        FileError: the file is missing, unreadable or larger than ``max_bytes``.
        DataError: the file is empty, not text, or malformed (names the line for JSON).
    """
    path = Path(path)
    if path.is_dir():
        raise FileError(f"{path}: is a folder, not a file")
    try:
        articles, failures = _read_path(path, max_bytes)
    except _Failed as exc:
        raise exc.error(f"{path}: {exc.reason}") from None
    if failures:
        raise DataError(str(failures[0]))
    return _override(articles, date)


def read_article(path: str | os.PathLike[str], *, date: dt.date | None = None) -> Article:
    """Return the one article of ``path``.

    Raises:
        FileError, DataError: as :func:`read_file`; DataError also when the file holds
            several articles (use :func:`read_file` for those).
    """
    articles = read_file(path, date=date)
    if len(articles) != 1:
        raise DataError(f"{path}: holds {len(articles)} articles, not one (use read_file)")
    return articles[0]


def read_articles(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    on_error: OnError = "warn",
    date: dt.date | None = None,
    max_bytes: int = 20_000_000,
) -> ReadResult:
    """Read every article in ``paths`` (files and folders, see :func:`iter_article_files`).

    Plain text, HTML, JSON (an object, a list of objects, or ``{"articles": [...]}``) and JSON
    Lines are read; a sidecar ``name.json`` beside ``name.txt`` (keys ``date``, ``title``,
    ``url``, ``source``) overrides what the text says.  ``date`` overrides every article's
    publication date.  Each unreadable file (or JSON Lines line) is a :class:`ReadFailure`
    in the result; ``on_error`` says what else happens: ``"raise"`` raises at the first one,
    ``"warn"`` issues one :class:`ReadWarning` per failure, ``"skip"`` stays silent.

    Returns:
        ReadResult: the articles in file order, and the failures.

    Raises:
        FileError: (``on_error="raise"``) a path is missing, unreadable or too large.
        DataError: (``on_error="raise"``) a file is empty, not text, or malformed.
        InputError: ``on_error`` is not one of the three policies.
    """
    if on_error not in ("raise", "warn", "skip"):
        from gazetteer.errors import InputError

        raise InputError(f"on_error={on_error!r}: expected 'raise', 'warn' or 'skip'")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files, missing = _expand(paths)
    result = ReadResult()

    def fail(failure: ReadFailure, error: type[NkmapError]) -> None:
        result.failures.append(failure)
        if on_error == "raise":
            raise error(str(failure))
        if on_error == "warn":
            warnings.warn(str(failure), ReadWarning, stacklevel=3)

    for failure in missing:
        fail(failure, FileError)
    for path in files:
        try:
            articles, failures = _read_path(path, max_bytes)
        except _Failed as exc:
            fail(ReadFailure(str(path), exc.reason), exc.error)
            continue
        for failure in failures:
            fail(failure, DataError)
        result.articles.extend(_override(articles, date))
    return result
