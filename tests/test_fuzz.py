"""Property-based fuzzing of the readers, extraction and every writer (hypothesis).

Each family generates hostile inputs (random bytes, text in many encodings, JSON of any
shape, deep nesting, huge numbers, lone surrogates, control characters, impossible dates,
markup) and a check that returns None when nkmap behaved, or what went wrong: an exception
that escaped, a bad input nobody named, or an output that does not parse.  The suite runs a
bounded number of examples per family (about a minute in all); ``bench/bench_fuzz.py`` runs
the same families for longer and prints what it tried.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import tempfile
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# --- inputs ----------------------------------------------------------------------------------

#: Pieces that broke, or could break, a reader or a writer.
SPECIALS = (
    "\ud800",
    "\udfff",
    "\ud83d",
    "\x00",
    "\x01",
    "\x07",
    "\x0b",
    "\x1b",
    "\x7f",
    "\ufffe",
    "\uffff",
    "\ufeff",
    "\u2028",
    "\r",
    "]]>",
    "<script>window.__x=1</script>",
    '<img src=x onerror="alert(1)">',
    "javascript:alert(1)",
    "&amp;lt;",
    "&#0;",
    "&#xd800;",
    "0001-01-01",
    "9999-12-31",
    "yesterday",
    "last year",
    "in March",
    "last month",
    "on Tuesday",
    "March 7",
    "3월 7일",
    "Hyesan",
    "Sinuiju",
    "혜산",
    "smuggling",
    "fined",
    "trade",
    "\n\n",
    " ",
)
_piece = st.one_of(st.sampled_from(SPECIALS), st.text(max_size=30))
#: Text mixing hostile pieces, place names, date words and anything unicode allows.
hostile_text = st.lists(_piece, max_size=25).map("".join)

_dates = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "2024-02-30", "1899-12-31", "2024-03-07"]),
    st.datetimes().map(lambda d: d.isoformat() + "Z"),
    hostile_text,
    st.integers(),
    st.none(),
)
_json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    hostile_text,
)
json_values = st.recursive(
    _json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)
_article_record = st.fixed_dictionaries(
    {"text": hostile_text},
    optional={
        "title": st.one_of(hostile_text, json_values),
        "date": _dates,
        "url": st.one_of(hostile_text, st.sampled_from(SPECIALS)),
        "source": hostile_text,
        "author": st.one_of(hostile_text, st.lists(hostile_text, max_size=3)),
        "type": st.sampled_from(["FeatureCollection", "Feature", "Article"]),
        "extra": json_values,
    },
)


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, allow_nan=True)


_deep = st.tuples(st.integers(1, 150_000), st.sampled_from("[{")).map(
    lambda t: t[1] * t[0] if t[1] == "[" else '{"a":' * t[0]
)
_huge_int = st.integers(4_250, 6_000).map(lambda n: '{"text": "Hyesan", "n": ' + "9" * n + "}")
_json_documents = st.one_of(
    _article_record.map(_json_text),
    st.lists(_article_record, max_size=3).map(_json_text),
    st.lists(_article_record, max_size=3).map(lambda a: _json_text({"articles": a})),
    json_values.map(_json_text),
    _deep,
    _huge_int,
    hostile_text,
)
_jsonl_documents = st.lists(
    st.one_of(_article_record.map(_json_text), _deep, _huge_int, hostile_text), max_size=4
).map("\n".join)

_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp949")


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-32-bom-le":
        return codecs.BOM_UTF32_LE + text.encode("utf-32-le", "replace")
    return text.encode(encoding, "replace")


_encodings = st.sampled_from((*_ENCODINGS, "utf-32-bom-le", "utf-32-le", "latin-1"))
_html_pages = st.tuples(hostile_text, hostile_text, _dates).map(
    lambda t: (
        f"<html><head><title>{t[0]}</title><meta property='article:published_time' "
        f"content='{t[2]}'></head><body><article><p>{t[1]}</p></article></body></html>"
    )
)


@st.composite
def article_files(draw: st.DrawFn) -> tuple[str, bytes, bytes | None]:
    """One file to read: (suffix, its bytes, the bytes of a sidecar ``.json`` or None)."""
    suffix = draw(st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl"]))
    if suffix == ".json":
        text = draw(_json_documents)
    elif suffix == ".jsonl":
        text = draw(_jsonl_documents)
    elif suffix == ".html":
        text = draw(st.one_of(_html_pages, hostile_text))
    else:
        text = draw(hostile_text)
    data = draw(
        st.one_of(
            _encodings.map(lambda e: _encode(text, e)),
            st.binary(max_size=400),
        )
    )
    side = None
    if suffix in (".txt", ".md", ".html") and draw(st.booleans()):
        side = draw(
            st.one_of(
                st.fixed_dictionaries(
                    {}, optional={"date": _dates, "title": json_values, "url": hostile_text}
                ).map(_json_text),
                _deep,
                _huge_int,
                json_values.map(_json_text),
            )
        ).encode("utf-8", "surrogatepass")
    return suffix, data, side


#: Words that make an event: places, theme words, relative dates.
_EVENT_WORDS = (
    "Traders in Hyesan were fined for smuggling",
    "Sinuiju customs officials",
    "the bridge to Dandong reopened",
    "North Korean workers in Rason",
    "yesterday",
    "last year",
    "last month",
    "this month",
    "in March",
    "last March",
    "on Tuesday",
    "on March 7",
    "on the 7th of March",
    "in 2019",
    "3월 7일",
    "2022년 3월",
    ".",
    "\n\n",
)
_sentences = st.lists(
    st.one_of(st.sampled_from(_EVENT_WORDS), st.sampled_from(_EVENT_WORDS), _piece),
    min_size=1,
    max_size=20,
).map(lambda words: "Border report\n\n" + " ".join(words) + ".")


@st.composite
def articles_in_memory(draw: st.DrawFn) -> tuple[str, dt.date | None]:
    """Text for :func:`geo.article.article_from_text` (hostile, or sentences that make
    events with relative dates) and a publication date of any year, 1 and 9999 included."""
    text = draw(st.one_of(_sentences, hostile_text))
    date = draw(
        st.one_of(
            st.none(),
            st.dates(),
            st.sampled_from([dt.date(1, 1, 1), dt.date(1, 3, 1), dt.date(9999, 12, 31)]),
        )
    )
    return text, date


#: Event fields the writers take from articles, each one hostile.
event_rows = st.lists(
    st.fixed_dictionaries(
        {
            "theme": hostile_text,
            "place": hostile_text,
            "evidence": hostile_text,
            "title": hostile_text,
            "source": hostile_text,
            "url": st.one_of(hostile_text, st.sampled_from(SPECIALS)),
            "precision": hostile_text,
            "date": st.none() | st.dates(min_value=dt.date(1900, 1, 1)),
            "lat": st.floats(-90, 90) | st.none(),
            "lon": st.floats(-180, 180) | st.none(),
        }
    ),
    min_size=0,
    max_size=4,
)

# --- checks ----------------------------------------------------------------------------------


def _escaped(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}: {exc!s:.120}"


@cache
def _extractor() -> Any:
    from geo.events import EventExtractor

    return EventExtractor()


def check_reader(case: tuple[str, bytes, bytes | None]) -> str | None:
    """Read one generated file (alone and in its folder); None when every outcome is named."""
    from geo.article import read_articles

    suffix, data, side = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        if side is not None:
            path.with_suffix(".json").write_bytes(side)
        try:
            for target in (path, Path(tmp)):
                result = read_articles([target], on_error="skip")
                if not result.articles and not result.failures:
                    return f"{target.name}: neither read nor named as failed"
                for failure in result.failures:
                    if failure.path != str(path) or "\n" in str(failure) or not failure.reason:
                        return f"failure not one line naming the file: {failure!r}"
                for article in result.articles:
                    article.text.encode("utf-8")
                    article.title.encode("utf-8")
                    _extractor().process(article)
        except Exception as exc:
            return _escaped(exc)
    return None


def _as_read(text: str) -> str:
    """``text`` as the readers hand it on: lone surrogates (invalid Unicode) replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")


def check_extraction(case: tuple[str, dt.date | None]) -> str | None:
    """Extract events from text held in memory (as a reader leaves it), with any
    publication date, year 1 included."""
    from geo.article import article_from_text
    from geo.event_records import events_frame

    text, date = case
    text = _as_read(text)
    try:
        article = article_from_text(text, date=date)
        events_frame(_extractor().process(article).events)
    except Exception as exc:
        return _escaped(exc)
    return None


WRITER_SUFFIXES = (".geojson", ".gpkg", ".csv", ".parquet", ".kml")


def _frame(rows: list[dict[str, Any]]) -> Any:
    import geopandas as gpd
    import pandas as pd
    import shapely

    from geo.event_records import empty_events

    if not rows:
        return empty_events()
    geometry = [
        shapely.Point(r["lon"], r["lat"]) if r["lat"] is not None and r["lon"] is not None else None
        for r in rows
    ]
    table = pd.DataFrame([{k: v for k, v in r.items() if k not in ("lat", "lon")} for r in rows])
    table["date"] = pd.to_datetime(table["date"])
    return gpd.GeoDataFrame(table, geometry=geometry, crs=4326)


def check_writers(
    rows: list[dict[str, Any]], suffixes: tuple[str, ...] = WRITER_SUFFIXES
) -> str | None:
    """Write hostile events in every format; each file must be written and parse back.

    Text reaches the writers as the readers leave it, so lone surrogates (which the
    readers replace) are replaced here too.
    """
    from geo.store import write_events

    rows = [{k: _as_read(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
    try:
        frame = _frame(rows)
    except Exception as exc:  # the generator's own fault, not nkmap's
        raise AssertionError(f"bad test frame: {exc}") from exc
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in suffixes:
            path = Path(tmp) / f"events{suffix}"
            try:
                write_events(frame, path)
                if suffix == ".kml":
                    ET.fromstring(path.read_bytes())
                elif suffix == ".geojson":
                    json.loads(path.read_text("utf-8"))
            except Exception as exc:
                return f"{suffix}: {_escaped(exc)}"
        leftovers = [p.name for p in Path(tmp).iterdir() if p.name.startswith(".")]
        if leftovers:
            return f"temporary files left: {leftovers}"
    return None


#: The families: name → (strategy, check).
FAMILIES: dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], str | None]]] = {
    "reader": (article_files(), check_reader),
    "extraction": (articles_in_memory(), check_extraction),
    "writers": (event_rows, check_writers),
}

# --- the bounded run in the suite ------------------------------------------------------------

_SETTINGS = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@settings(max_examples=4000, **_SETTINGS)  # type: ignore[arg-type]
@given(article_files())
def test_readers_name_every_bad_input(case: tuple[str, bytes, bytes | None]) -> None:
    assert check_reader(case) is None, check_reader(case)


@settings(max_examples=2500, **_SETTINGS)  # type: ignore[arg-type]
@given(articles_in_memory())
def test_extraction_never_raises(case: tuple[str, dt.date | None]) -> None:
    assert check_extraction(case) is None, check_extraction(case)


@settings(max_examples=400, **_SETTINGS)  # type: ignore[arg-type]
@given(event_rows)
def test_every_writer_writes_hostile_text(rows: list[dict[str, Any]]) -> None:
    problem = check_writers(rows)
    assert problem is None, problem
