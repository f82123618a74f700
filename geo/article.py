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
import stat
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from geo.clean import CleanedPage, Line, canonical_outlet, clean_page, guess_source
from geo.dates import (
    DATE_RANGE_TEXT,
    date_out_of_range,
    parse_date,
    publication_date,
    sane_date,
)
from geo.listing import (
    ARTICLE_SUFFIXES,
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    ReadFailure,
    ReadWarning,
    _not_a_file,
    expand_paths,
    iter_article_files,
    list_paths,
)
from geo.sentences import sentences
from nkmap.errors import DataError, FileError, NkmapError
from nkmap.formats import formats

__all__ = [
    "ARTICLE_SUFFIXES",
    "Article",
    "ReadFailure",
    "ReadResult",
    "ReadWarning",
    "article_from_text",
    "expand_paths",
    "iter_article_files",
    "list_paths",
    "read_article",
    "read_articles",
    "read_file",
]

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


class _Failed(Exception):
    """Internal: a failure and the error class to raise for it."""

    def __init__(self, reason: str, error: type[NkmapError] = DataError) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error


# ---------------------------------------------------------------------------------------------
# Bytes to text
# ---------------------------------------------------------------------------------------------


def _hangul_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\uac00" <= c <= "\ud7a3") / len(letters)


#: Characters that do not occur in text: controls other than tab, newlines and form feed,
#: and the replacement character.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    return len(_NOT_TEXT.findall(text)) <= max(2, len(text) // 200)


#: The characters of :data:`_NOT_TEXT` in UTF-8: each control is one byte (never a byte of
#: another character), the replacement character three.
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + b"\x0b" + bytes(range(0x0E, 0x20))
_REPLACEMENT_BYTES = "\ufffd".encode()


def _utf8_looks_like_text(data: bytes, text: str) -> bool:
    """:func:`_looks_like_text` for ``text``, decoded from the UTF-8 ``data``: the same
    count, taken in the bytes (two C loops over bytes rather than a pattern's search)."""
    if not text:
        return False
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls + data.count(_REPLACEMENT_BYTES) <= max(2, len(text) // 200)


#: Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _zero_share(data: bytes, start: int, step: int) -> float:
    """The share of NUL bytes among ``data[start::step]``."""
    column = data[start::step]
    return column.count(0) / len(column) if column else 0.0


#: Bytes at least for an encoding to be told from where the NUL bytes fall: in a few bytes
#: of binary data they fall anywhere.
_WIDE_MIN_BYTES = 16


def _unmarked_wide(data: bytes) -> str | None:
    """``data`` decoded as UTF-32 or UTF-16 without a byte-order mark, when its NUL bytes fall
    where those encodings put them (Latin text: every 2nd or 4th byte) and it is long enough
    to tell (:data:`_WIDE_MIN_BYTES`); else None."""
    if len(data) < _WIDE_MIN_BYTES:
        return None
    candidates = []
    if len(data) % 4 == 0:
        if _zero_share(data, 3, 4) == 1.0 and _zero_share(data, 2, 4) > 0.9:
            candidates.append("utf-32-le")
        if _zero_share(data, 0, 4) == 1.0 and _zero_share(data, 1, 4) > 0.9:
            candidates.append("utf-32-be")
    if len(data) % 2 == 0:
        odd, even = _zero_share(data, 1, 2), _zero_share(data, 0, 2)
        if odd > 0.1 and even < 0.01:
            candidates.append("utf-16-le")
        if even > 0.1 and odd < 0.01:
            candidates.append("utf-16-be")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _looks_like_text(text):
            return text
    return None


def _decode_bytes(data: bytes) -> str:
    """Return ``data`` decoded: UTF-8, UTF-16 or UTF-32 with a byte-order mark; UTF-16 or
    UTF-32 without one (recognised by where the NUL bytes fall); UTF-8; the Korean legacy
    encodings (CP949, a superset of EUC-KR); else the encoding charset-normalizer detects.

    Raises:
        _Failed: the bytes are binary (NUL bytes) or fit no encoding (``"not text ..."``).
    """
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise _Failed(
                    f"not text (invalid {label} after a {label} mark at byte "
                    f"{exc.start + len(bom)})"
                ) from exc
    if b"\x00" in data:
        text = _unmarked_wide(data)
        if text is None:
            raise _Failed("not text (binary file)")
        return text
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not _utf8_looks_like_text(data, text):
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
    file_name: str | None = None,
    structured: bool = False,
) -> Article:
    """Lay out ``body`` (noise, title, captions) and fill what metadata left empty.

    For structured inputs (HTML, JSON) whose metadata holds the title, the document text
    is the title, a blank line and the body, so that the headline is read too.
    ``file_name`` is the last part of ``path`` when the caller knows it (else it is read
    off ``path``).
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
        found_title, guessed = _first_sentence(text, page), True
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
        text_file=file_name if file_name is not None else Path(path).name if path else "",
        content_hash=digest,
        lines=page.lines,
        body=page.text,
        title_guessed=guessed,
    )


def _first_sentence(text: str, page: CleanedPage, limit: int = 120) -> str:
    """Return the first sentence of the page's first body line (not a caption), cut at
    ``limit`` characters, or ""."""
    line = next((x for x in page.lines if x.role == "body"), None)
    if line is None:
        return ""
    chunk = text[line.start : line.end]
    bounds = sentences(chunk)
    if not bounds:
        return ""
    s, e, _ = bounds[0]
    first = " ".join(chunk[s:e].split())
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
    text = _SURROGATE.sub("\ufffd", text)  # no UTF-8 writer can encode a lone surrogate
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


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_EVENTS_HINT = "an events file, not an article: read it with `nkmap query` or `nkmap map`"


def _scrub(data: Any) -> tuple[Any, int]:
    """Return ``data`` (parsed JSON) with every lone surrogate in its strings and keys
    replaced by U+FFFD, and how many strings changed.  Containers are fixed in place,
    without recursion (the parser allows deeper nesting than Python's call stack)."""
    box = [data]
    stack: list[tuple[Any, Any]] = [(box, 0)]
    changed = 0
    while stack:
        container, key = stack.pop()
        value = container[key]
        if isinstance(value, str):
            fixed, n = _SURROGATE.subn("\ufffd", value)
            if n:
                container[key] = fixed
                changed += 1
        elif isinstance(value, list):
            stack.extend((value, i) for i in range(len(value)))
        elif isinstance(value, dict):
            if any(_SURROGATE.search(k) for k in value):
                value = {_SURROGATE.sub("\ufffd", k): v for k, v in value.items()}
                container[key] = value
                changed += 1
            stack.extend((value, k) for k in value)
    return box[0], changed


def _load_json(text: str, where: str = "", lineno: int = 1) -> tuple[Any, list[str]]:
    """Parse ``text`` as JSON; return the data and notes on what was repaired.

    Lone surrogates (``"\\ud800"``, which no UTF-8 writer can encode) become U+FFFD, with a
    note.  ``where`` starts each reason (``"line 3 "``); ``lineno`` is the line ``text``
    starts on.

    Raises:
        _Failed: malformed JSON, nesting too deep, or a number too long to convert.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        line = exc.lineno + lineno - 1
        raise _Failed(f"malformed JSON at line {line}: {exc.msg}") from exc
    except RecursionError as exc:
        raise _Failed(f"{where}JSON nested too deeply to read") from exc
    except ValueError as exc:  # int() refuses numbers of more than 4,300 digits
        if "digits" in str(exc):
            raise _Failed(f"{where}JSON number too long (over 4,300 digits)") from exc
        raise _Failed(f"{where}unreadable JSON ({exc})") from exc
    notes = []
    if _ESCAPED_SURROGATE.search(text):
        data, changed = _scrub(data)
        if changed:
            notes.append(
                f"{where}lone surrogate in {changed} JSON string(s), replaced by U+FFFD "
                "(read, but the file is not valid Unicode)"
            )
    return data, notes


def _check_record(record: Any, where: str) -> None:
    """Refuse a JSON record that is an events file or carries an impossible date.

    Raises:
        _Failed: GeoJSON, or a publication date outside :func:`geo.dates.sane_date`'s range.
    """
    if not isinstance(record, dict):
        return
    if record.get("type") in ("FeatureCollection", "Feature"):
        raise _Failed(f"{where}is GeoJSON, {_EVENTS_HINT}")
    value = _str_field(record, _DATE_KEYS)
    if value and date_out_of_range(value):
        raise _Failed(f"{where}publication date {value!r} is {DATE_RANGE_TEXT}")


def _record_bytes(record: Any) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _read_json(text: str, raw: bytes, path: str) -> tuple[list[Article], list[ReadFailure]]:
    data, notes = _load_json(text)
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    failures = [ReadFailure(path, note) for note in notes]
    if isinstance(data, dict):
        _check_record(data, "")
        return [_from_record(data, raw, path, "")], failures
    if not isinstance(data, list):
        raise _Failed(f"JSON holds a {type(data).__name__}, not an article object or a list")
    if not data:
        raise _Failed("empty JSON list (no articles)")
    articles: list[Article] = []
    refused: list[str] = []
    for n, item in enumerate(data, start=1):
        try:
            _check_record(item, f"item {n} ")
            articles.append(_from_record(item, _record_bytes(item), path, f"item {n} "))
        except _Failed as exc:
            refused.append(exc.reason)
    if not articles and len(refused) > 1:  # not a file of articles: one line, not one per item
        raise _Failed(f"none of its {len(refused)} items is an article ({refused[0]}, …)")
    return articles, failures + [ReadFailure(path, reason) for reason in refused]


def _read_jsonl(text: str, path: str) -> tuple[list[Article], list[ReadFailure]]:
    articles: list[Article] = []
    failures: list[ReadFailure] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {lineno} "
        try:
            record, notes = _load_json(line, where, lineno)
            failures += [ReadFailure(path, note) for note in notes]
            _check_record(record, where)
            raw = line.encode("utf-8") if not notes else _record_bytes(record)
            articles.append(_from_record(record, raw, path, where))
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


def _sidecar_name(path: Path) -> str:
    """Return ``str(path.with_suffix(".json"))`` for the file ``path``, made from its text
    (its suffix is its last part's) rather than through a new path."""
    name = str(path)
    return name[: len(name) - len(path.suffix)] + ".json"


def _sidecar(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The sidecar ``name.json`` beside ``path`` (empty when none), and repair notes.

    Raises:
        _Failed: the sidecar is unreadable, not a JSON object, or dated impossibly.
    """
    if path.suffix == ".json":
        return {}, []
    side_name = _sidecar_name(path)
    if not os.access(side_name, os.F_OK):  # (no exception raised, no path object made)
        return {}, []
    side = Path(side_name)
    if not side.is_file():
        return {}, []
    try:
        text = side.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise _Failed(f"unreadable sidecar {side.name}: {exc}") from exc
    try:
        data, notes = _load_json(text)
    except _Failed as exc:
        raise _Failed(f"unreadable sidecar {side.name}: {exc.reason}") from exc
    notes = [f"sidecar {side.name}: {note}" for note in notes]
    if not isinstance(data, dict):
        raise _Failed(f"sidecar {side.name} is not a JSON object")
    if "date" in data and date_out_of_range(str(data["date"] or "")):
        raise _Failed(f"sidecar {side.name}: date {data['date']!r} is {DATE_RANGE_TEXT}")
    return data, notes


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


#: Events files (the output of ``nkmap events``): refused as articles, by extension (the
#: extensions articles may use too, .json and .csv, are told apart by their content).
_EVENT_SUFFIXES = tuple(
    s for f in formats("events", read=True) for s in f.suffixes if s not in f.shared
)
_CSV_EVENTS_HEADER = re.compile(r"^[^\n]*\b(?:geometry|lat,|lon,|theme,)", re.IGNORECASE)


def _file_size(path: Path) -> int:
    """Return the size of the regular file ``path`` (one ``stat`` when it is one).

    Raises:
        _Failed: not a regular file (missing, a folder, a loop, a pipe...) or unreadable.
    """
    try:
        info = os.stat(path)
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        return info.st_size
    why = _not_a_file(path)
    if why is not None or path.is_dir():
        raise _Failed(why or "is a folder, not a file", FileError)
    try:
        return path.stat().st_size
    except OSError as exc:
        raise _Failed(f"cannot read: {exc.strerror or exc}", FileError) from exc


def _read_bytes(path: Path, size: int) -> bytes:
    """Return the bytes of the regular file ``path``, of ``size`` bytes when last looked
    at: read in one call when it still is (a read of a regular file comes short only at
    its end), to its end when it has grown (or says 0, as files of /proc do).

    Raises:
        OSError: the file cannot be opened or read.
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, size + 1)
        if len(data) <= size:
            return data
        parts = [data]
        while more := os.read(fd, 1 << 16):
            parts.append(more)
        return b"".join(parts)
    finally:
        os.close(fd)


def _read_path(path: Path, max_bytes: int) -> tuple[list[Article], list[ReadFailure]]:
    """Read one file. Raises _Failed for a failure of the whole file."""
    suffix = path.suffix.lower()
    if suffix in _EVENT_SUFFIXES:
        raise _Failed(_EVENTS_HINT)
    size = _file_size(path)
    if size > max_bytes:
        raise _Failed(f"file is {size:,} bytes, over the limit of {max_bytes:,}", FileError)
    try:
        raw = _read_bytes(path, size)
    except OSError as exc:
        raise _Failed(f"cannot read: {exc.strerror or exc}", FileError) from exc
    if not raw or raw.isspace():  # (as "not raw.strip()", without the copy)
        raise _Failed("empty file")
    text = _decode_bytes(raw)
    if not text or text.isspace():
        raise _Failed("empty file")
    name = str(path)
    head = text.lstrip()[:200].lower()
    if suffix == ".csv" and _CSV_EVENTS_HEADER.match(text):
        raise _Failed(f"a CSV table, {_EVENTS_HINT}")
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(text, name)
    if suffix in JSON_SUFFIXES:
        return _read_json(text, raw, name)
    if suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        article = _read_html(text, raw, name)
    else:
        article = _make(raw, text, path=name, file_name=path.name)
    side, notes = _sidecar(path)
    if side:
        article = _apply_sidecar(article, side, path.with_suffix(".json").name)
    return [article], [ReadFailure(name, note) for note in notes]


def _read_safely(path: Path, max_bytes: int) -> tuple[list[Article], list[ReadFailure]]:
    """:func:`_read_path`, with whatever else goes wrong inside one file made a failure.

    Raises:
        _Failed: the whole file failed; the reason names the cause in one line.
    """
    try:
        return _read_path(path, max_bytes)
    except _Failed:
        raise
    except RecursionError as exc:
        raise _Failed("nested too deeply to read") from exc
    except MemoryError as exc:
        raise _Failed("too large to read in memory", FileError) from exc
    except OSError as exc:
        raise _Failed(f"cannot read: {exc.strerror or exc}", FileError) from exc
    except Exception as exc:  # the input boundary: one bad file never costs the batch
        message = " ".join(str(exc).split())[:200]
        raise _Failed(f"unreadable ({type(exc).__name__}: {message})") from exc


def _override(articles: list[Article], date: dt.date | None) -> list[Article]:
    if date is None:
        return articles
    if sane_date(date) is None:
        from nkmap.errors import InputError

        raise InputError(f"publication date {date.isoformat()} is {DATE_RANGE_TEXT}")
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
        articles, failures = _read_safely(path, max_bytes)
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
    in the result, whatever went wrong inside it: missing, a symlink loop, a pipe or device,
    an unreadable folder, not text, malformed or too deeply nested JSON, a number too long
    to convert, a publication date outside 1900 to a year from today, an events file.  A
    file read with repairs (lone surrogates replaced by U+FFFD) gives its articles and a
    failure saying so.  ``on_error`` says what else happens: ``"raise"`` raises at the first
    one, ``"warn"`` issues one :class:`ReadWarning` per failure, ``"skip"`` stays silent.

    Returns:
        ReadResult: the articles in file order, and the failures.

    Raises:
        FileError: (``on_error="raise"``) a path is missing, unreadable or too large.
        DataError: (``on_error="raise"``) a file is empty, not text, or malformed.
        InputError: ``on_error`` is not one of the three policies, or ``date`` lies
            outside 1900 to a year from today.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files, missing = expand_paths(paths)
    return read_listed(files, on_error=on_error, date=date, max_bytes=max_bytes, missing=missing)


def read_listed(
    files: Iterable[str | os.PathLike[str]],
    *,
    on_error: OnError = "warn",
    date: dt.date | None = None,
    max_bytes: int = 20_000_000,
    missing: Iterable[ReadFailure] = (),
) -> ReadResult:
    """Read the article files ``files``, as :func:`expand_paths` lists them (no folder;
    sidecars left out), like :func:`read_articles` reads what it has listed; ``missing``
    are failures of the listing, reported first.

    Returns:
        ReadResult: the articles in file order, and the failures.

    Raises:
        FileError, DataError, InputError: as :func:`read_articles`.
    """
    if on_error not in ("raise", "warn", "skip"):
        from nkmap.errors import InputError

        raise InputError(f"on_error={on_error!r}: expected 'raise', 'warn' or 'skip'")
    if date is not None:
        _override([], date)  # refuses an impossible date before reading anything
    result = ReadResult()

    def fail(failure: ReadFailure, error: type[NkmapError]) -> None:
        result.failures.append(failure)
        if on_error == "raise":
            raise error(str(failure))
        if on_error == "warn":
            warnings.warn(str(failure), ReadWarning, stacklevel=3)

    for failure in missing:
        fail(failure, FileError)
    for file in files:
        path = file if isinstance(file, Path) else Path(file)
        try:
            articles, failures = _read_safely(path, max_bytes)
        except _Failed as exc:
            fail(ReadFailure(str(path), exc.reason), exc.error)
            continue
        for failure in failures:
            fail(failure, DataError)
        result.articles.extend(_override(articles, date))
    return result
