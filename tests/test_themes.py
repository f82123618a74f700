"""The one theme table: read by extraction and both maps, extended by a lexicon."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from geo.themes import load_themes, theme_chooser
from maps.interactive import prepare
from maps.static import save_figure, static_map
from maps.style import Styles, theme_style
from nkmap.errors import DataError
from nkmap.themes import load_theme_table

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "nkmap" / "data" / "themes.json"


@pytest.fixture(scope="module")
def article_events(samples_dir: Path):
    """Events extracted from the bundled sample articles."""
    from geo.pipeline import extract_events

    return extract_events([samples_dir])


@pytest.fixture()
def lexicon(tmp_path: Path) -> Path:
    path = tmp_path / "gold.json"
    path.write_text(
        json.dumps(
            {
                "gold_rush": {
                    "label": "Gold panning",
                    "colour": "#123456",
                    "order": 0,
                    "patterns": ["gold panning", "panned for gold"],
                },
                "rumours": {"patterns": ["rumou?rs?"]},
                "trade": {"patterns": ["barter"]},
            }
        ),
        "utf-8",
    )
    return path


def test_labels_and_colours_are_stated_only_in_the_table() -> None:
    table = json.loads(TABLE.read_text("utf-8"))
    for package in ("nkmap", "gazetteer", "geo", "maps"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text("utf-8")
            for theme in ("trade", "factory", "aid", "security"):
                assert table[theme]["label"] not in text, (path, theme)
                assert f'"{table[theme]["colour"]}"' not in text, (path, theme)


def test_a_lexicon_theme_is_found_and_drawn_with_its_label_and_colour(
    lexicon: Path, tmp_path: Path, article_events
) -> None:
    table = load_theme_table(lexicon)
    choose = theme_chooser(load_themes(lexicon))
    assert choose("Villagers panned for gold in the Yalu.")[0][0] == "gold_rush"
    assert choose("They would barter rice for diesel.")[0][0] == "trade"  # extended
    assert table["trade"].label == load_theme_table()["trade"].label  # kept
    palette = json.loads(TABLE.read_text("utf-8"))["_fallback_colours"]
    assert table["rumours"].colour == palette[0]  # no colour given: the fallback palette's
    assert table.legend_order(["trade", "gold_rush", "rumours"]) == [
        "gold_rush",
        "trade",
        "rumours",
    ]

    events = article_events.copy()
    events.loc[events.index[0], "theme"] = "gold_rush"
    themes = {t["id"]: t for t in prepare(events, table).themes}
    assert themes["gold_rush"]["label"] == "Gold panning"
    assert themes["gold_rush"]["color"] == "#123456"
    assert next(iter(themes)) == "gold_rush"  # order 0: first in the legend

    svg = save_figure(static_map(events, theme_table=table), tmp_path / "gold.svg")
    text = svg.read_text("utf-8")
    assert "Gold panning (1)" in text
    assert "#123456" in text
    assert theme_style("gold_rush").label == "Gold rush"  # without the lexicon: grey, own name


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"colour": "red", "patterns": ["x"]}, "colour.*#rrggbb"),
        ({"order": "first", "patterns": ["x"]}, "order.*number"),
        ({"patterns": "x"}, "needs a list"),
        ({"patterns": ["(unclosed"]}, "bad pattern"),
        ({"patterns": ["x"], "category": "gold"}, "category.*one of"),
        ({"patterns": ["x"], "category_words": ["trade"]}, "category_words.*object"),
        ({"patterns": ["x"], "category_words": {"trade": ["x"]}}, "category.*one of"),
    ],
)
def test_a_malformed_lexicon_names_file_and_theme(
    tmp_path: Path, entry: dict[str, object], message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"newtheme": entry}), "utf-8")
    with pytest.raises(DataError, match=re.escape(str(path)) + ".*'newtheme'.*" + message):
        load_themes(path)


def test_every_word_of_the_shipped_table_is_a_pattern() -> None:
    """The shipped table's words are compiled when first used, not checked as it loads: its
    check is this test (a lexicon's words are checked as it loads, above)."""
    for theme in load_themes():  # compiled when asked for: raises re.error if bad
        assert theme.pattern.flags & re.IGNORECASE
        assert (theme.weak is None) == (theme.weak_words is None)
    for record in load_theme_table().values():
        for words in (record.patterns, record.weak, *(w for _, w in record.category_words)):
            for word in words:
                re.compile(word)


def test_a_lexicon_word_extending_a_shipped_theme_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "more.json"
    path.write_text(json.dumps({"trade": {"patterns": ["barter(", "swap"]}}), "utf-8")
    with pytest.raises(DataError, match=re.escape(str(path)) + ".*'trade'.*bad pattern"):
        load_themes(path)


def test_the_built_in_styles_follow_the_table() -> None:
    table = load_theme_table()
    styles = Styles.of(None)
    assert list(styles.themes)[:2] == ["trade", "factory"]
    assert all(styles.theme(t).color == table[t].colour for t in table)


def test_a_lexicon_theme_says_what_its_events_bear_on(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    lexicon = {
        "logging": {
            "patterns": ["timber", "logging"],
            "category": "other",
            "category_words": {"cross-border trade": ["exports?"]},
        }
    }
    path.write_text(json.dumps(lexicon), "utf-8")
    logging = {t.id: t for t in load_themes(path)}["logging"]
    assert logging.category_of("Logging crews cut timber near Musan.") == "other"
    assert logging.category_of("Timber exports to China rose.") == "cross-border trade"


def test_a_lexicon_word_of_unknown_first_letter_is_still_counted(tmp_path: Path) -> None:
    """A word the factored counter cannot place by its first letter (a class, a dot) turns
    the counter back to the plain alternation: the same counts."""
    path = tmp_path / "odd.json"
    words = {"patterns": ["[Gg]old panning", ".arter"]}
    path.write_text(json.dumps({"gold_rush": words}), "utf-8")
    choose = theme_chooser(load_themes(path))
    assert choose("Villagers took up gold panning and barter.")[0] == ("gold_rush", 2)
    assert choose("Smugglers crossed the river at night.")[0][0] == "trade"
    assert choose("Ungold panning, gold pannings.") == []  # inside longer words: none
