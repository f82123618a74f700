"""What a place mention is in its sentence, and whether a sentence reports a happening.

A place named in a news sentence is not always where something happened.  It may be an
actor's origin ("the governor of Liaoning met … in Pyongyang"), where a source sits ("a
source in North Hamgyong said"), a government speaking ("Pyongyang said"), or the wire
dateline.  :func:`mention_role` tells these apart by the words around the name;
:func:`is_background` tells a sentence that states background, habit, intention or
speculation from one that reports a happening.  Both are rules on the surface text, cheap
enough for archives of hundreds of thousands of reports.

>>> s = "The governor of Liaoning met officials in Pyongyang."
>>> mention_role(s, 16, 24), mention_role(s, 42, 51)
('origin', 'locus')
"""

from __future__ import annotations

import re

from geo.folded import Folded, FoldedText, FoldedWords, fold

#: Roles of a place mention in its sentence; only ``locus`` places an event.
ROLES = ("locus", "setting", "destination", "topic", "origin", "source", "speaker")

_ACTOR = (
    r"(?:governor|vice[- ]governor|mayor|vice[- ]mayor|officials?|head|heads|chief|secretary|"
    r"vice[- ]chair(?:man|woman|person)?|chair(?:man|woman|person)?|delegations?|delegates?|"
    r"consul(?:[- ]general)?|consulate|ambassador|envoy|representatives?|minister|ministry|"
    r"premier|president|leaders?|cadres?|committee|commission|department|bureau|office|"
    r"embassy|mission|company|companies|firm|firms|enterprise|businessm[ae]n|investors?|"
    r"natives?|defectors?|workers?|students?|team|teams)"
)
# "the governor of (China's) Liaoning (province)", "a delegation from Hunchun"
_ORIGIN_LEFT = Folded.compile(
    r"\b" + _ACTOR + r"\s+(?:of|from)\s+(?:the\s+)?(?:[A-Z][\w'’-]*(?:'s|’s)\s+)?"
    r"(?:(?:city|province|county|prefecture|region)\s+of\s+)?$"
)
# "Liaoning's governor", "Liaoning Province party secretary", "a Hunchun delegation"
_ORIGIN_RIGHT = Folded.compile(
    r"^(?:\s+(?:province|city|county|prefecture|municipal|provincial|region))?(?:'s|’s)?"
    r"(?:\s+(?:party|people's|people’s|municipal|provincial|city|county|government|state))?\s+"
    + _ACTOR
    + r"\b(?!\s+(?:in|at|of)\b)"
)
# "a source in North Hamgyong", "a reporting partner living near Hyesan"
_SOURCE_LEFT = Folded.compile(
    r"\b(?:sources?|informants?|partners?|correspondents?|reporters?|interviewees?|"
    r"contacts?)\b(?:\s+(?!said|says|told|reported|explained|added)[\w'’-]+){0,10}?\s+"
    r"(?:in|from|of|near|inside|based in|living in|"
    r"living near|residing in|familiar with)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$"
)
# "Pyongyang said", "Beijing has decided", "Moscow's gesture"
# "the Mongolian Mt. Paektu Association", "Liaoning Daily": a name inside an organisation's
_ORG_RIGHT = re.compile(
    r"^(?:\s+[A-Z][\w'’-]*){0,4}\s+(?:Association|Society|Committee|University|Institute|"
    r"Company|Corporation|Group|Bank|Daily|Times|News|Federation|Union|Cent(?:re|er)|"
    r"Foundation|Council|Club|Agency|Party|Academy|Ministry|Embassy|Consulate|School|College|"
    r"Hospital|Steelworks|Works)\b"
)
# "left Pyongyang to visit China", "returned to Liaoning": where the actor set out from
_DEPARTURE_LEFT = Folded.compile(
    r"\b(?:left|leaving|leaves|departed|departing|departs|flew\s+out\s+of|returned(?:\s+home)?"
    r"\s+to|returning(?:\s+home)?\s+to)\s+(?:from\s+)?(?:the\s+)?$"
)
_BASED_RIGHT = Folded.compile(r"^-based\b")
# "the crossing, which is located in the northeast corner of North Korea … connecting North
# Hamgyong and Yanbian": where a place named before it lies
_SETTING_LEFT = Folded.compile(
    r"\b(?:located|situated|lying|lies|sits|connecting|connects|linking|links|bordering|"
    r"borders|adjacent\s+to|opposite)\b"
)
# "talks on the Tumen River bridge", "donations for the construction of a hospital in
# Samjiyon": what a happening is about or for, not where it happens
_TOPIC_LEFT = Folded.compile(
    r"\b(?:talks|discussions?|negotiations?|agreements?|deals?|disputes?|consultations?|"
    r"briefings?|questions?)\s+(?:on|about|over|concerning|regarding)\s+(?:the\s+)?"
    r"(?:[\w'’-]+\s+){0,3}?(?:of\s+|in\s+|at\s+)?$|"
    r"\bfor\s+(?:the\s+)?(?:construction|building|renovation|completion|reconstruction|"
    r"projects?)\b[^,;]{0,60}?\s+(?:of|in|at)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?$"
)
# "supplies for the Samjiyon project": the name of what a happening is for
_FOR_LEFT = Folded.compile(r"\bfor\s+(?:the\s+)?$")
_PROJECT_RIGHT = Folded.compile(
    r"^(?:\s+(?:county|city|district))?(?:'s|’s)?\s+(?:(?:construction|building|renovation|"
    r"reconstruction|development)\s+)?(?:projects?|sites?|works|campaigns?|drives?)\b"
)
# "the Russian ambassador in Pyongyang": a diplomat's post, not where the diplomat acts
_POST_LEFT = Folded.compile(
    r"\b(?:ambassadors?|embass(?:y|ies)|consulates?(?:[- ]general)?|consuls?(?:[- ]general)?|"
    r"envoys?|attach[ée]s?|diplomatic\s+missions?|diplomats?)\s+(?:based\s+)?(?:in|to)\s+"
    r"(?:the\s+)?$"
)
# "a deal between the cities of Hunchun and Rason": the parties
_DEAL_LEFT = Folded.compile(
    r"\b(?:deal|agreement|accord|contract|memorandum|treaty|pact)\s+(?:signed\s+)?between\s+"
    r"(?:the\s+)?(?:(?:cities|provinces|governments|counties|regions)\s+of\s+)?"
    r"(?:[A-Z][\w'’-]*\s+(?:and|&)\s+)?$"
)
# "the border crossing to the North Korean city of Manpo", "transport to and from Rajin":
# where a crossing, road or transport leads
_LEADS_TO_LEFT = Folded.compile(
    r"\b(?:crossings?|bridges?|roads?|routes?|railways?|rail\s+lines?|transport|traffic|"
    r"links?|leading|leads)\s+(?:to\s+and\s+from|to|into|towards?)\s+(?:the\s+)?"
    r"(?:[\w'’-]+\s+){0,4}?(?:of\s+)?$"
)
_SPEAKER_RIGHT = Folded.compile(
    r"^(?:'s|’s)?\s+(?:has\s+|have\s+|had\s+|also\s+|then\s+)?(?:said|says|say|announced|"
    r"stated|claimed|warned|denied|accused|insisted|urged|rejected|responded|carried out|"
    r"conducted|launched|test-fired|fired|threatened|protested|demanded|called|criticized|"
    r"criticised|condemned|vowed|pledged|decided|agreed|hopes|wants|government|regime|"
    r"leadership|gesture|stance|position|policy|media|state media|state news)\b"
)
#: What cuts a clause: a mark of its own, a comma opening a clause ("…, and", "…, which"), a
#: full stop before a space.  Written to open on one class of the characters each cut opens
#: with (then told apart by what was taken), so that the engine skips to those characters.
_CUT_MARKS = r";:()\[\]“”\""
_CLAUSE_CUT = re.compile(
    rf"[{_CUT_MARKS},.](?:(?<=[{_CUT_MARKS}])|(?<=,)\s+(?:and|but|while|where|which|who)\b"
    r"|(?<=\.)\s)"
)

#: Sentences of background, habit, intention or speculation (not a happening).
_BACKGROUND = FoldedWords.compile(
    r"\b(?:would|could|might|should)\b|\bmay\s+(?!\d)|\bif\b|\bunless\b|"
    r"\bhop(?:e|es|ed|ing)\b|"
    r"\b(?:plans?|planning|planned|aims?|aimed|intends?|intended|"
    r"proposed|proposes|wishes|wished)\s+to\b|\b(?:is|are|was|were)\s+(?:expected|likely|"
    r"set|due|supposed)\s+to\b|\bfor\s+(?:years|decades|centuries|generations)\b|"
    r"\b(?:has|have)\s+long\b|\btraditionally\b|\bhistorically\b|\busually\b|\btypically\b|"
    r"\boften\b|\bfrequently\b|"
    r"\bgenerally\b|\binclude[sd]?\b|\b(?:is|are)\s+home\s+to\b|\bis\s+(?:known|famous)\b|\balways\b|"
    r"\b(?:is|are)\s+(?:the|one of the)\s+"
    r"(?:largest|biggest|main|major|only|key)\b|\bsees?\s+(?:weekly|daily|regular)\b|"
    r"\bunclear\b|\bwhether\b|\bspeculat\w*|\bperhaps\b|"
    r"\bit remains to be seen\b|\bin the (?:past|future)\b|\bneeds?\s+to\b|\bmust\b|"
    r"\b(?:later|earlier)\s+that\s+year\b|\bthat\s+same\s+year\b|"
    r"\bthis (?:article|paper|report|post|essay|study|analysis)\b|\bover the years\b|"
    r"\bfor (?:over |more than |nearly |almost |about )?\d+ (?:years|decades)\b|"
    r"\brequires? (?:further )?confirmation\b|\bunconfirmed\b|\bcould not be "
    r"(?:independently )?(?:confirmed|verified)\b"
)
#: Where a sentence's main clause ends: a relative or concessive clause after a comma.
_SUBORDINATE = Folded.compile(
    r",\s+(?:[\w'’-]+\s+){0,2}?(?:which|who|whom|whose|where|although|though|but|while|"
    r"as|and)\b"
)
#: An announced visit or event is a happening even though it is in the future tense.
_ANNOUNCED = Folded.compile(r"\bwill\s+(?:visit|hold|attend|travel|arrive|open)\b")


def _clause_start(sentence: str, start: int, width: int) -> int:
    """Return where the clause before ``sentence[start]`` begins, at most ``width``
    characters before it: after the last clause cut of ``sentence[lo:start]`` (``lo``:
    ``width`` characters before ``start``, or 0)."""
    lo = max(0, start - width)
    cuts = list(_CLAUSE_CUT.finditer(sentence[lo:start]))
    return lo + cuts[-1].end() if cuts else lo


def _folded_parts(
    sentence: str, folded: FoldedText | None, *spans: tuple[int, int]
) -> list[str | None]:
    """Return the :func:`geo.folded.fold` of each ``(start, end)`` slice of ``sentence``
    (``folded``, when given, is the sentence's own)."""
    if folded is None:
        return [fold(sentence[a:b]) for a, b in spans]
    return [folded.part(a, b) for a, b in spans]


def mention_role(sentence: str, start: int, end: int, folded: FoldedText | None = None) -> str:
    """Return the role (one of :data:`ROLES`) of the place named at ``sentence[start:end]``.

    ``origin``: an actor's home ("the governor of Liaoning", "Liaoning's governor", "a
    delegation from Hunchun", "left Pyongyang", "returned to Liaoning"); ``setting``: where
    a place lies ("the crossing, which is located in the northeast corner of North Korea",
    "a bridge connecting Hunchun and Rason"); ``destination``: where a crossing, road or
    transport leads ("the crossing to Manpo", "transport to and from Rajin"); ``topic``: what
    a happening is about or for ("talks on the Tumen River bridge", "donations for the
    construction of a hospital in Samjiyon"); ``source``: where a
    source of the report sits ("a source in North Hamgyong"); ``speaker``: a capital
    standing for its government ("Pyongyang said"); ``locus`` otherwise.  Only the clause
    around the name is read.  ``folded``, when given, is the sentence's
    :class:`geo.folded.FoldedText` (for many names of one sentence).  Raises nothing.

    >>> mention_role("A source in Hyesan said prices rose.", 12, 18)
    'source'
    >>> mention_role("Pyongyang said the talks failed.", 0, 9)
    'speaker'
    """
    lo = _clause_start(sentence, start, 120)
    left, right = sentence[lo:start], sentence[end : end + 60]
    low_left, low_right = _folded_parts(sentence, folded, (lo, start), (end, end + 60))
    cued = _ANY_LEFT.found(left, low_left)  # most names have none of these
    if cued and _SOURCE_LEFT.search(left, low_left):
        return "source"
    if (
        (cued and _ORIGIN_LEFT.search(left, low_left))
        or _ORIGIN_RIGHT.match(right, low_right)
        or _BASED_RIGHT.match(right, low_right)
        or (cued and _DEPARTURE_LEFT.search(left, low_left))
    ):
        return "origin"
    if cued and _LEADS_TO_LEFT.search(left, low_left):
        return "destination"
    if cued and (
        _TOPIC_LEFT.search(left, low_left)
        or (_FOR_LEFT.search(left, low_left) and _PROJECT_RIGHT.match(right, low_right))
    ):
        return "topic"
    post = _POST_LEFT.search(left, low_left) if cued else None
    before = low_left[: post.start()] if post is not None and low_left is not None else None
    if post is not None and not _SCENE_LEFT.search(left[: post.start()], before):
        return "origin"  # "the Russian ambassador in Pyongyang visited Tumangang"
    if cued and _DEAL_LEFT.search(left, low_left):
        return "origin"  # the parties to a deal, not where it happened
    if cued and _SETTING_LEFT.search(left, low_left):
        return "setting"
    scene = _SCENE_LEFT.search(left, low_left) is not None
    if _ORG_RIGHT.match(right) and not scene:
        return "origin"  # an organisation named after its home, not the scene
    if _SPEAKER_RIGHT.match(right, low_right) and not scene:
        return "speaker"  # "Pyongyang said", not "the embassy in Pyongyang carried out"
    return "locus"


#: Any of the words before a name that make it other than the scene, in one pass (each rule
#: :func:`mention_role` reads on the left of a name, the scene's apart, must be listed).
_ANY_LEFT = FoldedWords.compile(
    "|".join(
        p.source
        for p in (
            _SOURCE_LEFT,
            _ORIGIN_LEFT,
            _DEPARTURE_LEFT,
            _LEADS_TO_LEFT,
            _TOPIC_LEFT,
            _FOR_LEFT,
            _POST_LEFT,
            _DEAL_LEFT,
            _SETTING_LEFT,
        )
    )
)
_SCENE_LEFT = Folded.compile(
    r"\b(?:in|at|inside|within|into)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}?(?:of\s+)?$"
)
_LIST_GAP = re.compile(
    r"^(?:\s+[A-Z][\w'’-]*){0,3}(?:\s+(?i:city|county|province|district|port|village|town)s?)?"
    r"(?:,\s*|\s+)(?:and\s+|or\s+)?$"
)


def is_scene(sentence: str, start: int, folded: FoldedText | None = None) -> bool:
    """Return True when the name at ``sentence[start:]`` follows "in" or "at" in its clause
    ("in Sinuiju", "at the Quanhe customs", "in the border city of Dandong").  ``folded``,
    when given, is the sentence's :class:`geo.folded.FoldedText`.  Raises nothing.

    >>> is_scene("Police in Dandong inspected trucks from Sinuiju.", 10)
    True
    """
    lo = _clause_start(sentence, start, 60)
    (low,) = _folded_parts(sentence, folded, (lo, start))
    return _SCENE_LEFT.search(sentence[lo:start], low) is not None


def in_list(sentence: str, prev_end: int, start: int) -> bool:
    """Return True when only a comma or "and" separates a name from the one before it
    ("in Sinuiju, Kangnam and Maengsan").  Raises nothing."""
    return _LIST_GAP.match(sentence[prev_end:start]) is not None


def is_background(sentence: str, folded: FoldedText | None = None) -> bool:
    """Return True when ``sentence`` states background, habit, intention or speculation.

    A question is background.  Only the main clause is read (up to a comma opening a
    relative or concessive clause): "visited the site, after which it could have been
    opened" reports the visit.

    An announced visit ("will visit Pyongyang this week") still reports a happening.
    ``folded``, when given, is the sentence's :class:`geo.folded.FoldedText`.  Raises nothing.

    >>> is_background("For years, cigarettes have been smuggled into China.")
    True
    >>> is_background("Border guards arrested three smugglers on March 7.")
    False
    """
    if sentence.rstrip("\"”’' )").endswith("?"):
        return True  # a question reports nothing
    low = fold(sentence) if folded is None else folded.low
    main = _SUBORDINATE.head(sentence, low)
    low_main = low[: len(main)] if low is not None else None
    if (low_main is None or "will" in low_main) and _ANNOUNCED.search(main, low_main):
        return False  # (the test for its word first: most sentences have none)
    return _BACKGROUND.found(main, low_main)
