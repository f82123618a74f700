"""Articles → events: one event per reported happening, where it happened.

An event is a sentence of the article's headline or body that reports a happening (not
background, habit, intention or speculation: :func:`geo.roles.is_background`; nor history
dated before the year before publication, nor a state lasting "since 2015"), with one theme
(:func:`geo.themes.theme_chooser`: the theme the sentence is about) and the category it
bears on (``Theme.category_of``), at the places where it happened: the places the sentence
names as the scene (:func:`geo.roles.mention_role` ``locus``), or, when it names none, where
a named place lies (``setting``), an actor's origin or a source's location, or else the
scene of the sentence before it in the same paragraph (or the place last named, when the
sentence points back to it: "visited the site"). Where a crossing leads, what a happening is
about and a diplomat's post are never the scene. A list of places gives one event each; a
province is dropped when the sentence also names a place inside it; a happening told in
several sentences is one event (its evidence the body sentence that states it with the most
precise date), and so is one told as a city's and as its county's, or in the headline and
the body. Page furniture, datelines and photo captions make no event (a caption only at a
place the body names too, unless it shows a happening of its own: a dated scene, or the
event's photo as released). Events are located in the DPRK and the Chinese and Russian
border provinces, and, for official visits, anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from gazetteer import Gazetteer
from gazetteer.place import POINT_PRECISIONS, PRECISIONS
from geo.article import Article
from geo.dates import PRECISIONS as DATE_PRECISIONS
from geo.dates import event_date
from geo.event_records import ArticleResult, Event
from geo.folded import Folded, FoldedText
from geo.linking import CONTAINER_GAP, Linker, Mention
from geo.roles import in_list, is_background, is_scene, mention_role
from geo.sentences import sentences
from geo.themes import Theme, load_themes, theme_chooser
from nkmap.errors import NkmapError

#: First-level units outside the DPRK where events are located (the border region).
BORDER_REGION = frozenset({"Liaoning", "Jilin", "Heilongjiang", "Primorsky Krai"})

_DATE_RANK = {p: i for i, p in enumerate(DATE_PRECISIONS)}


#: Themes whose events may lie anywhere (a delegation's visit to Beijing is news; so is a
#: happening outside every other theme, wherever it is).
_ANYWHERE_THEMES = frozenset({"visit", "other"})
#: The theme of happenings outside every other theme; also the theme of a happening whose
#: theme cannot lie where it happened (a factory fire in South Korea).
OTHER = "other"
#: A source's words: only then does the source's location stand in for the scene.
_SPEECH = Folded.compile(r"\b(?:said|says|say|told|tells|explained|added|according to)\b")
#: Words pointing back to a place named before ("visited the site", "trade there").
_ANAPHOR = Folded.compile(
    r"\b(?:the|this|that) (?:construction |building |factory )?(?:site|crossing|border crossing|"
    r"bridge|port|city|town|county|customs house|customs office|facility|market|zone|"
    r"complex|checkpoint)\b|\bthere\b"
)
#: The words opening a visit's phrase (:data:`_VISIT_TO`), as its alternatives begin.
_VISIT_WORDS = ("visit", "trip", "tour", "travel", "went")
#: "Kim Jong Un's visit to Samjiyon": the phrase names the visit's own place.
_VISIT_TO = re.compile(
    r"\b(?:visits?|trip|tour|travell?ed|went)\s+to\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.I
)
#: Line roles whose sentences can report a happening.
_EVENT_ROLES = frozenset({"title", "body", "caption"})
#: The reporter's or a source's own trip: how the news was gathered, not an official visit.
_REPORTER = Folded.compile(
    r"\b(?:reporting partners?|reporters?|correspondents?|journalists?|this writer)\b|"
    r"\bI\s+(?:\w+\s+)?(?:visited|traveled|travelled|went|toured)\b"
)
#: Words saying that a donation comes from abroad: then it is aid, not a fundraising drive.
_FOREIGN = re.compile(
    r"\b(?:China|Chinese|Russia|Russian|foreign|international|United Nations|UN|UNICEF|WFP|"
    r"Red Cross|South Korea|Japan|embassy)\b"
)


#: A caption of the happening's own photo ("in this photo released by KCNA"), not an
#: illustration ("a file photo", "trucks can be seen …").
_OWN_PHOTO = re.compile(
    r"\b(?:photos?|pictures?|images?)\s+(?:provided|released|published|distributed|taken)\s+"
    r"(?:by|on)\b",
    re.I,
)
_ILLUSTRATION = re.compile(r"\bfile\s+(?:photos?|pictures?|images?)\b|\bcan be seen\b", re.I)


#: A sentence opening on a happening told before ("The recent operation marked …").
_RETOLD = Folded.compile(
    r"\W*(?:the|this|that|these|those)\s+(?:recent\s+|latest\s+|same\s+|above\s+)?"
    r"(?:operations?|campaigns?|crackdowns?|incidents?|events?|meetings?|ceremon(?:y|ies)|"
    r"visits?|inspections?|drives?|moves?|measures?|orders?|decisions?|raids?)\b"
)
#: "since 2015 at least, they have demanded …": a state of things lasting since a year.
_SINCE_YEAR = re.compile(r"\bsince\s+(?:at\s+least\s+)?(?P<year>(?:19|20)\d\d)\b", re.I)


def _background(sentence: FoldedText, published: dt.date | None) -> bool:
    """Return True when ``sentence`` tells background (:func:`geo.roles.is_background`) or a
    state lasting since an earlier year."""
    return is_background(sentence.text, sentence) or _long_running(sentence, published)


def _long_running(sentence: FoldedText, published: dt.date | None) -> bool:
    """Return True when ``sentence`` tells a state lasting since a year before the article's
    (any year when the article is undated): background, not a happening."""
    m = _SINCE_YEAR.search(sentence.text) if "since" in sentence.lower else None
    return m is not None and (published is None or int(m.group("year")) < published.year)


def _is_history(when: dt.date | None, precision: str, published: dt.date | None) -> bool:
    """Return True when a sentence's own date lies in an earlier year than the one before
    the article's publication: history told as background ("agreed in 2008", in 2010)."""
    if when is None or published is None or precision == "article":
        return False
    return when.year < published.year - 1


def _tells_own_happening(caption: str) -> bool:
    """Return True when a photo caption shows a happening of its own: a dated scene or the
    photo of the event as released, not a file photo or an illustration."""
    if _ILLUSTRATION.search(caption):
        return False
    return _OWN_PHOTO.search(caption) is not None or event_date(caption, None)[1] == "day"


def _eventful(m: Mention, theme: Theme) -> bool:
    """Return True for mentions that can locate an event of ``theme``: DPRK or border-region
    places (any town or site for visits and other happenings), not rivers (a river is
    hundreds of kilometres long; its point would claim a false precision)."""
    if m.kind == "river" or (theme.countries and m.country not in theme.countries):
        return False
    if theme.id == OTHER and m.precision not in POINT_PRECISIONS:
        return False  # a happening outside every theme, across a whole province, says nothing
    if m.country == "KP" or m.admin1 in BORDER_REGION:
        return True
    return theme.id in _ANYWHERE_THEMES and m.precision in POINT_PRECISIONS


def _may_tell_visit(sentence: FoldedText) -> bool:
    """Return False when no part of ``sentence`` can hold a visit's phrase (:data:`_VISIT_TO`):
    its folded text has none of :data:`_VISIT_WORDS` (True when it does not fold: then each
    part is read)."""
    low = sentence.low
    return low is None or any(map(low.__contains__, _VISIT_WORDS))


def _event_id(article_id: str, theme: str, place_id: str, place: str, when: dt.date | None) -> str:
    day = when.isoformat() if when else ""
    raw = f"{article_id}|{theme}|{place_id}|{place}|{day}"
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


@dataclass
class _Sentence:
    """A sentence of an article: its offsets, paragraph, line role, text (and its folded
    copies) and linked mentions."""

    start: int
    end: int
    para: int
    role: str
    mentions: list[Mention]
    text: str
    #: The text lowercased once for every pattern reading it.
    folded: FoldedText = field(repr=False)

    _roles: list[str | None] = field(default_factory=list, repr=False)

    def mention_role(self, i: int) -> str:
        """Return the role of ``mentions[i]`` (:func:`geo.roles.mention_role`), read when
        first asked: a gloss of the name just before ("Manp’o (만포시)") and the province
        written beside it ("Samjiyon County, Ryanggang Province") take that name's role."""
        if not self._roles:
            self._roles.extend([None] * len(self.mentions))
        role = self._roles[i]
        if role is None:
            m = self.mentions[i]
            if i and _beside(self.text, self.start, self.mentions[i - 1], m):
                role = self.mention_role(i - 1)
            else:
                role = mention_role(
                    self.text, m.start - self.start, m.end - self.start, self.folded
                )
            self._roles[i] = role
        return role

    @property
    def has_scene(self) -> bool:
        """True when the sentence names a place as the scene of what it tells (not only an
        actor's origin, where a place lies, a source's or a speaker's place)."""
        return any(self.mention_role(i) == "locus" for i in range(len(self.mentions)))


def _line_role(starts: list[int], roles: list[str], pos: int) -> str:
    i = bisect_right(starts, pos) - 1
    return roles[i] if i >= 0 else "body"


def _line_roles(article: Article) -> tuple[list[int], list[str]]:
    starts = [x.start for x in article.lines]
    return starts, [x.role for x in article.lines]


class EventExtractor:
    """Turn articles into events with one gazetteer and one theme lexicon (reuse for many)."""

    def __init__(
        self, gazetteer: Gazetteer | None = None, themes: list[Theme] | None = None
    ) -> None:
        self.linker = Linker(gazetteer or Gazetteer.default())
        self.themes = themes if themes is not None else load_themes()
        self._themes_by_id = {t.id: t for t in self.themes}
        self._rank_themes = theme_chooser(self.themes)
        self._parents: dict[str, tuple[str, ...]] = {}

    def process(self, article: Article) -> ArticleResult:
        """Return the article's mentions (over its whole text) and its events."""
        text = article.text
        bounds = sentences(text)
        mentions = self.linker.mentions(text, bounds)
        result = ArticleResult(article, mentions)
        ranked = self._rank_themes(article.title)
        headline = ranked[0][0] if ranked else None  # the theme the headline holds most
        story = headline if headline != OTHER else None
        by_key: dict[tuple[str, str, str, dt.date | None], Event] = {}
        parts = self._sentences(article, bounds, mentions)
        for sent, found in self._happenings(article, parts, story):
            if _RETOLD.match(sent.text, sent.folded.low):  # "The recent operation …"
                told = {e.place_id for e in by_key.values()}
                found = [f for f in found if f[0].place_id not in told]
            if not found:
                continue
            when, precision = event_date(sent.text, article.date)
            if _is_history(when, precision, article.date):
                continue
            day = when if precision != "article" else None
            for m, theme, hits, factor in found:
                conf = round(m.confidence * factor * (0.9 if hits > 1 else 0.75), 3)
                event = self._event(article, sent, m, theme, (when, precision), headline, conf)
                k = (theme, m.place_id, m.name, day)
                old = by_key.get(k)
                if old is None or _better(event, old, sent.role):
                    by_key[k] = event
        events = list(by_key.values())
        if not article.title_guessed:  # a first sentence standing in for it is the body's
            events = _headline_told(events, article.title)
        result.events = _most_specific(_merge_undated(events), self._holders)
        return result

    def _happenings(
        self, article: Article, parts: list[_Sentence], story: str | None
    ) -> Iterator[tuple[_Sentence, list[tuple[Mention, str, int, float]]]]:
        """Yield each sentence reporting a happening with its ``(place, theme, hits,
        confidence factor)`` rows, reading each in its context: the paragraph's sentence
        before (unless background), or the place last named when it points back to one.
        ``story`` is the headline's theme (none when it is ``other``)."""
        body_places = {m.place_id for s in parts if s.role in ("title", "body") for m in s.mentions}
        previous: _Sentence | None = None  # the sentence before, in the same paragraph
        named: _Sentence | None = None  # the last sentence naming a place, anywhere before
        for sent in parts:
            after = previous if previous is not None and previous.para == sent.para else None
            if (
                named is not None
                and (after is None or not after.mentions)
                and _ANAPHOR.search(sent.text, sent.folded.low)
                and not sent.has_scene
            ):
                after = named  # "visited the site": the place last named
            background = _background(sent.folded, article.date) if sent.mentions else None
            previous = None if background else sent  # background places set no scene
            if sent.mentions:
                named = sent
            if sent.role not in _EVENT_ROLES:
                continue
            if not sent.mentions and (after is None or not after.mentions):
                continue  # no place here or just before: nothing to locate
            visits = self._visits_to(sent, sent.text)
            found: list[tuple[Mention, str, int, float]] = []
            if background is None:
                background = _background(sent.folded, article.date)
            if not background:
                found = self._located(
                    sent, sent.text, after, article.text, body_places, story, bool(visits)
                )
            taken = {m.place_id for m, *_ in found}
            yield sent, found + [v for v in visits if v[0].place_id not in taken]

    def _event(
        self,
        article: Article,
        sent: _Sentence,
        m: Mention,
        theme: str,
        dated: tuple[dt.date | None, str],
        headline: str | None,
        confidence: float,
    ) -> Event:
        """Return the event of ``theme`` told by ``sent`` at the place of ``m``, dated
        ``dated`` (``(date, precision)``), under a headline of theme ``headline``."""
        when, precision = dated
        day = when if precision != "article" else None
        return Event(
            _event_id(article.article_id, theme, m.place_id, m.name, day),
            article.article_id,
            theme,
            self._category(theme, sent.text, article.title, headline),
            m.place_id,
            m.name,
            m.country,
            m.admin1,
            m.precision,
            when,
            precision,
            article.date,
            sent.text,
            sent.start,
            sent.end,
            article.title,
            article.source,
            article.url,
            confidence,
            m.lat,
            m.lon,
        )

    def _located(
        self,
        sent: _Sentence,
        sentence: str,
        after: _Sentence | None,
        text: str,
        body_places: set[str],
        story: str | None,
        visit_named: bool = False,
    ) -> list[tuple[Mention, str, int, float]]:
        """Return the sentence's happening as ``(place, theme, hits, confidence factor)``
        rows: its best theme at the places it names (or the places of the paragraph's
        previous sentence naming one), else, when that theme cannot lie there, ``other``.
        A happening outside every theme in a story whose headline has one (``story``) is
        told as part of that story, and so is a visit in a factory story (the leader at the
        factory's opening).  When the sentence names a visit's destination
        (``visit_named``), the visit is located there, and the rest of the sentence tells
        its other happening."""
        ranked = self._rank_themes(sentence, sent.folded.lower)
        if visit_named:
            ranked = [(t, n) for t, n in ranked if t != "visit"]
        if not ranked:
            return []
        theme, hits = ranked[0]
        if story is not None and (theme == OTHER or (theme == "visit" and story == "factory")):
            theme = story  # a factory story's ceremony, or the leader's visit, is the factory's
        if theme == "fundraising" and _FOREIGN.search(sentence):
            theme = "aid"
        if theme == "visit" and _REPORTER.search(sentence, sent.folded.low):
            return []  # the reporter's or source's own trip is how the news was gathered
        tries = [(theme, hits)] + [(t, n) for t, n in ranked[1:] if t == OTHER]
        for theme, hits in tries:
            spec = self._themes_by_id.get(theme)
            if spec is None:
                continue
            places, factor = self._places(sent, sentence, spec)
            if not places and after is not None and not sent.has_scene:
                places, factor = self._places(after, after.text, spec)
                factor *= 0.7
            if sent.role == "caption" and not _tells_own_happening(sentence):
                places = [m for m in places if m.place_id in body_places]
            if any(m.precision != "country" for m in places):  # a country locates nothing
                return [(m, theme, hits, factor) for m in places]
        return []

    def _category(self, theme: str, sentence: str, title: str, headline: str | None) -> str:
        """Return the category of a ``theme`` event told by ``sentence``: the one its words
        give, else, under a headline of the same theme (``headline``: the theme ``title``
        holds most), the one the headline's words give (an execution told under a headline
        on smugglers bears on cross-border trade)."""
        spec = self._themes_by_id.get(theme)
        if spec is None:
            return OTHER
        category = spec.category_of(sentence)
        if category == spec.category and headline == theme:
            return spec.category_of(title)
        return category

    def _container_names(self, place_id: str) -> tuple[str, ...]:
        """Return the names of the first- and second-level units holding ``place_id``."""
        try:
            place = self.linker.gz.get(place_id)
        except NkmapError:
            return ()
        return tuple(n for n in (place.admin1, place.admin2) if n and n != place.name)

    def _ancestors(self, place_id: str) -> tuple[str, ...]:
        """Return the ids of the places containing ``place_id`` (its parent chain)."""
        found = self._parents.get(place_id)
        if found is None:
            chain: list[str] = []
            current = place_id
            while len(chain) < 4:
                try:
                    parent = self.linker.gz.get(current).parent
                except NkmapError:
                    break
                if not parent or parent in chain:
                    break
                chain.append(parent)
                current = parent
            found = self._parents[place_id] = tuple(chain)
        return found

    def _holders(self, place_id: str) -> frozenset[str]:
        """Return the ids and names of the units holding ``place_id``."""
        return frozenset(self._ancestors(place_id) + self._container_names(place_id))

    def _visits_to(self, sent: _Sentence, sentence: str) -> list[tuple[Mention, str, int, float]]:
        """Return visit rows for the places named as a visit's destination ("Kim's visit to
        Samjiyon")."""
        spec = self._themes_by_id.get("visit")
        if spec is None or not sent.mentions or not _may_tell_visit(sent.folded):
            return []
        out = []
        for m in sent.mentions:
            lo = m.start - sent.start
            if not _eventful(m, spec):
                continue
            window = sentence[max(0, lo - 50) : lo]
            if "to" in window.lower() and _VISIT_TO.search(window):
                out.append((m, "visit", 1, 0.9))
        if out and _REPORTER.search(sentence, sent.folded.low):
            return []  # the reporter's own trip
        return out

    def _sentences(
        self, article: Article, bounds: list[tuple[int, int, int]], mentions: list[Mention]
    ) -> list[_Sentence]:
        starts, roles = _line_roles(article)
        out = []
        mi = 0
        for start, end, para in bounds:
            i = bisect_right(starts, start) - 1
            if i >= 0 and roles[i] == "dateline" and article.lines[i].end < end:
                # "SEOUL, March 12 (Yonhap) -- Guards …": the happening starts after the
                # wire's dateline, and the dateline's date is when it was filed.
                start = article.lines[i].end
                start += len(article.text[start:end]) - len(article.text[start:end].lstrip())
            while mi < len(mentions) and mentions[mi].start < start:
                mi += 1
            here = []
            j = mi
            while j < len(mentions) and mentions[j].end <= end:
                here.append(mentions[j])
                j += 1
            role = _line_role(starts, roles, end - 1)  # a dateline opens the body's line
            if bisect_right(starts, start) == bisect_right(starts, end - 1):  # on one line
                here = here if role in _EVENT_ROLES else []
            else:
                here = [m for m in here if _line_role(starts, roles, m.start) in _EVENT_ROLES]
            sentence = article.text[start:end]
            out.append(_Sentence(start, end, para, role, here, sentence, FoldedText.of(sentence)))
        return out

    def _places(self, sent: _Sentence, sentence: str, theme: Theme) -> tuple[list[Mention], float]:
        """Return the sentence's event places for ``theme`` and a confidence factor: the
        scene's places, else actors' origins and, when the source is quoted as saying it,
        sources' locations (factor 0.8); the most specific ones, each place once."""
        by_role: dict[str, list[Mention]] = {}
        for i, m in enumerate(sent.mentions):
            if _eventful(m, theme):  # a role is read only where it can place an event
                by_role.setdefault(sent.mention_role(i), []).append(m)
        loci = by_role.get("locus", [])
        countries = [m for m in loci if m.precision == "country"]  # locate nothing alone
        chosen, factor = (
            _scenes([m for m in loci if m.precision != "country"], sent),
            1.0,
        )
        if not chosen:  # "a factory, located in Kusong, opened"
            chosen, factor = by_role.get("setting", []), 0.9
        if not chosen:  # "… at trade fairs in North Korea": the scene, if too coarse to locate
            chosen = [m for m in countries if is_scene(sentence, m.start - sent.start, sent.folded)]
        if not chosen and theme.id not in _ANYWHERE_THEMES:  # a visitor's home is not the visit's
            told = _SPEECH.search(sentence, sent.folded.low) is not None  # "…, a source … said"
            chosen = by_role.get("origin", []) + (by_role.get("source", []) if told else [])
            factor = 0.8
        if not chosen:
            chosen, factor = countries, 1.0
        unique = list({m.place_id: m for m in chosen}.values())
        inner_admin1 = {m.admin1 for m in unique if m.precision not in ("province", "country")}
        containers = {a for m in unique for a in self._ancestors(m.place_id)}
        container_names = {n for m in unique for n in self._container_names(m.place_id)}
        kept = []
        for m in unique:
            if m.precision == "province" and m.admin1 in inner_admin1:
                continue
            if m.place_id in containers or (
                m.precision != "province" and m.name in container_names
            ):  # "Longjing, Yanbian Prefecture", "Nampo's Ryonggang County": the inner place
                continue
            if m.precision == "country" and len(unique) > 1:
                continue
            kept.append(m)
        return kept, factor


#: What may separate a name from its gloss in another script: "Manp’o (만포시 / 滿浦市)".
_GLOSS_GAP = re.compile(r"\s*[(/\[]?\s*")


def _beside(sentence: str, offset: int, before: Mention, m: Mention) -> bool:
    """Return True when ``m`` glosses the name ``before`` it in another script, or is the
    province written beside it (``sentence`` starts at ``offset``)."""
    gap = sentence[before.end - offset : m.start - offset]
    if before.place_id == m.place_id and _GLOSS_GAP.fullmatch(gap):
        return True
    return (
        m.precision == "province" and before.admin1 == m.name and bool(CONTAINER_GAP.fullmatch(gap))
    )


def _scenes(loci: list[Mention], sent: _Sentence) -> list[Mention]:
    """Return the loci of ``sent`` named as the scene ("in Dandong", and the names listed
    with it) when there are any below province level, else all the loci."""
    sentence, offset = sent.text, sent.start
    marks: list[bool] = []
    for i, m in enumerate(loci):
        mark = is_scene(sentence, m.start - offset, sent.folded)
        if not mark and i and marks[-1]:
            mark = in_list(sentence, loci[i - 1].end - offset, m.start - offset)
        marks.append(mark)
    scene = [m for m, mark in zip(loci, marks, strict=True) if mark]
    if all(m.precision in ("province", "country") for m in scene):
        return loci  # "in North Pyongan province—the city of Kusong and …": the places inside
    return scene


_PRECISION_RANK = {p: i for i, p in enumerate(PRECISIONS)}


def _headline_told(events: list[Event], title: str) -> list[Event]:
    """Drop a headline's event when the body tells a happening of the same theme at a place
    as precise: the headline names the story the body tells ("the Ji'an–Manpo trade port"
    over "a customs house opening on Ji'an's border crossing")."""
    body = [e for e in events if e.evidence != title]
    return [
        e
        for e in events
        if e.evidence != title
        or not any(
            f.theme == e.theme
            and _PRECISION_RANK.get(f.precision, 0) <= _PRECISION_RANK.get(e.precision, 0)
            for f in body
        )
    ]


def _merge_undated(events: list[Event]) -> list[Event]:
    """Drop an event when the same theme and place has one whose date is more precise and
    agrees with it: one happening, told once with its date and once without (or with only
    its month or year).  Events of the same theme and place at different months or years
    (a site visited last October, a factory opened this January) stay apart."""
    dated = [e for e in events if e.date_precision != "article" and e.date is not None]
    out = []
    for e in events:
        key = (e.theme, e.place_id, e.place)
        told = [d for d in dated if (d.theme, d.place_id, d.place) == key and d is not e]
        if any(
            _DATE_RANK[d.date_precision] < _DATE_RANK[e.date_precision] and _within(d, e)
            for d in told
        ):
            continue
        out.append(e)
    return out


def _within(fine: Event, coarse: Event) -> bool:
    """Return True when ``fine``'s date lies in ``coarse``'s (its month, its year; any date
    for an undated event)."""
    if coarse.date_precision == "article" or coarse.date is None or fine.date is None:
        return True
    if coarse.date_precision == "year":
        return fine.date.year == coarse.date.year
    if coarse.date_precision == "month":
        return (fine.date.year, fine.date.month) == (coarse.date.year, coarse.date.month)
    return fine.date == coarse.date


def _most_specific(events: list[Event], holders: Callable[[str], frozenset[str]]) -> list[Event]:
    """Drop a province-level event when the article has an event of the same theme inside
    that province; an event at a city holding the county or town of an event of the same
    theme and date ("a ceremony in Nampo" told also as one in Nampo's Ryonggang County;
    ``holders`` gives the ids and names of a place's containing units); and every
    country-level one (a whole country locates nothing)."""
    inner = {(e.theme, e.admin1) for e in events if e.precision not in ("province", "country")}
    towns = [  # a bridge's trade is not the town's
        (f, holders(f.place_id)) for f in events if f.precision in ("town", "county")
    ]

    def held(e: Event) -> bool:
        return any(
            f.theme == e.theme
            and f is not e
            and (e.place_id in around or e.place in around)
            and _within(f, e)
            for f, around in towns
        )

    return [
        e
        for e in events
        if e.precision != "country"
        and not (e.precision == "province" and (e.theme, e.admin1) in inner)
        and not (e.precision != "province" and held(e))
    ]


def _better(new: Event, old: Event, role: str) -> bool:
    """Return True when ``new`` states the happening better than ``old``: a body sentence
    over a headline or caption, then the more precise date."""
    new_rank = 0 if role == "body" else 1
    old_rank = 0 if old.evidence != old.title else 1
    if new_rank != old_rank:
        return new_rank < old_rank
    return _DATE_RANK[new.date_precision] < _DATE_RANK[old.date_precision]
