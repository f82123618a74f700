"""The query filters every events-reading command shares: one click decorator, one function.

``@query_filters`` adds ``--near-border KM --border china|russia|any --near PLACE --km N
--province NAME --theme T --since D --until D`` to a command, and :func:`apply_filters` takes
the command's keyword arguments and returns the events that pass them (see :func:`geo.query.query`).
``nkmap query``, ``nkmap summary``, ``nkmap map`` and ``nkmap static`` use both, so a query
can be drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from geo.cli.base import warn

if TYPE_CHECKING:
    from nkmap.events_table import EventsFrame
    from nkmap.themes import ThemeTable

#: The keyword arguments :func:`query_filters` adds to a command, with their defaults.
FILTER_OPTIONS: dict[str, Any] = {
    "near_border": None,
    "border": "china",
    "near": None,
    "km": None,
    "province": None,
    "theme": (),
    "since": None,
    "until": None,
    "approximate": False,
}


#: Help of the ``--lexicon`` option of the drawing commands.
LEXICON_HELP = (
    "A JSON theme lexicon (as for `nkmap events`): its themes' labels and colours are drawn."
)

#: The filters :func:`spatial_filters` adds (a command with its own period/theme options).
SPATIAL_OPTIONS = ("near_border", "border", "near", "km", "province", "approximate")


def _options() -> dict[str, Callable[[Callable[..., Any]], Callable[..., Any]]]:
    """Return the click option decorators by keyword name, in help order."""
    options = [
        click.option(
            "--near-border",
            "near_border",
            type=float,
            metavar="KM",
            help="Keep events within KM of the border (see --border).",
        ),
        click.option(
            "--border",
            type=click.Choice(["china", "russia", "any"], case_sensitive=False),
            default="china",
            show_default=True,
            help="Which DPRK border --near-border and distance_km measure to.",
        ),
        click.option("--near", metavar="PLACE", help="Keep events near a place (see --km)."),
        click.option("--km", type=float, metavar="N", help="Radius of --near in km [default: 20]."),
        click.option("--province", metavar="NAME", help="Keep events in a DPRK province."),
        click.option(
            "--theme",
            multiple=True,
            metavar="T",
            help="Keep events of a theme (repeat, or T1,T2).",
        ),
        click.option("--since", metavar="D", help="Keep events dated D or later (YYYY[-MM[-DD]])."),
        click.option("--until", metavar="D", help="Keep events dated up to D, D included."),
        click.option(
            "--approximate",
            is_flag=True,
            help="Measure province-level events too, from their province's nearest edge "
            "(distance_km is otherwise for events located at a site, town or county).",
        ),
    ]
    return dict(zip(FILTER_OPTIONS, options, strict=True))


def query_filters(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add every query filter option to a click command (they arrive as keyword arguments)."""
    for option in reversed(_options().values()):
        f = option(f)
    return f


def spatial_filters(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add only the spatial filter options (:data:`SPATIAL_OPTIONS`) to a click command.

    For commands that have their own ``--since``/``--until``/theme options;
    :func:`apply_filters` takes these keyword arguments as it takes the others.
    """
    options = _options()
    for name in reversed(SPATIAL_OPTIONS):
        f = options[name](f)
    return f


def has_filters(**options: Any) -> bool:
    """Return True when any filter option is set (``--border`` alone sets none)."""
    return any(
        options.get(name) not in (None, (), False)
        for name in FILTER_OPTIONS
        if name not in ("border", "approximate")
    )


def apply_filters(
    events: EventsFrame, theme_table: ThemeTable | None = None, **options: Any
) -> EventsFrame:
    """Return the events that pass the filter options given (a command's keyword arguments).

    Keys that are not filter options (see :data:`FILTER_OPTIONS`) are ignored, so a command
    may pass all its arguments.  With no filter set the events come back unchanged; with
    any, the result has ``distance_km`` and the nearest crossing's columns
    (:func:`geo.query.query`).  A theme that ``theme_table`` (default: the built-in themes)
    does not know gets a warning.

    Raises:
        InputError: a negative distance, a malformed date, ``--km`` without ``--near``.
        UnknownPlaceError: ``--near`` or ``--province`` names nothing known.
    """
    from geo.query import query

    opts = {name: options.get(name, default) for name, default in FILTER_OPTIONS.items()}
    if not has_filters(**opts):
        return events
    themes = [t.strip().lower() for item in opts["theme"] for t in item.split(",") if t.strip()]
    if themes:
        from nkmap.themes import load_theme_table

        known = theme_table if theme_table is not None else load_theme_table()
        for theme in themes:
            if theme not in known:
                warn(f"theme {theme!r} is not one of {', '.join(known)}")
    return query(
        events,
        near_border_km=opts["near_border"],
        border=opts["border"] or "china",
        near=opts["near"],
        km=opts["km"],
        province=opts["province"],
        themes=themes or None,
        since=opts["since"],
        until=opts["until"],
        approximate=bool(opts["approximate"]),
    )
