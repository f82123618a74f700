"""How maps look: theme → colour and label (from the theme table), precision → marker look,
and the map's own colours.

Both the interactive and the static map read these tables, so the two look like one
product.  Theme labels, colours and legend order come from the one theme table
(:mod:`nkmap.themes`, extended by a lexicon); a theme no table knows is drawn in the
table's grey under its own name, never an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nkmap.themes import ThemeTable, load_theme_table


@dataclass(frozen=True)
class ThemeStyle:
    """How one theme is drawn: its legend label and colour (hex)."""

    label: str
    color: str


@dataclass(frozen=True)
class Styles:
    """The theme styles of one theme table, in legend order, and the style of unknown themes.

    >>> s = Styles.of(None)
    >>> s.theme("gold_rush").label, s.theme("gold_rush").color == s.table.unknown_colour
    ('Gold rush', True)
    """

    table: ThemeTable

    @classmethod
    def of(cls, table: ThemeTable | None) -> Styles:
        """Return the styles of ``table`` (the built-in theme table when ``None``)."""
        return cls(table if table is not None else load_theme_table())

    @property
    def themes(self) -> dict[str, ThemeStyle]:
        """Return the style of every theme of the table, in legend order."""
        return {t: self.theme(t) for t in self.table.legend_order(self.table)}

    def theme(self, theme: str) -> ThemeStyle:
        """Return the style of ``theme``; an unknown theme gets the grey default, labelled."""
        record = self.table.get(theme)
        if record is not None:
            return ThemeStyle(record.label, record.colour)
        label = theme.replace("_", " ").strip().capitalize() or self.table.unknown_label
        return ThemeStyle(label, self.table.unknown_colour)

    def order(self, themes: Iterable[str]) -> list[str]:
        """Return ``themes`` in legend order: the table's order, then unknown ones A–Z."""
        return self.table.legend_order(themes)


#: The built-in themes' styles in legend order (a lexicon's themes: :meth:`Styles.of`).
THEMES: dict[str, ThemeStyle] = Styles.of(None).themes

#: The map's own colours, for the static map's basemap and the interactive map's page.
MAP_COLOURS: dict[str, str] = {
    "sea": "#e8eff5",
    "vector_sea": "#dfe9f2",
    "land": "#f3f1ec",
    "dprk_land": "#fcf5e3",
    "country_edge": "#9a9384",
    "dprk_edge": "#6b5f4b",
    "province_edge": "#c4b99f",
    "neighbour_province_edge": "#8c7b5a",
    "border": "#7a3b2e",
    "border_russia": "#5e3c99",
    "graticule": "#c9d3dc",
    "country_label": "#8a8577",
    "crossing": "#ffd34d",
    "bridge": "#ffffff",
    "heat": "#f03b20",
    "minimap_box": "#d7301f",
    "note": "#7a3b2e",
}


@dataclass(frozen=True)
class PrecisionStyle:
    """How a precision level is drawn: marker radius (px), fill opacity, dash pattern, label."""

    radius: float
    fill_opacity: float
    dash: str
    label: str


#: Precision levels from the most to the least specific; vaguer is larger and fainter.
PRECISIONS: dict[str, PrecisionStyle] = {
    "site": PrecisionStyle(6, 0.95, "", "Site (crossing, bridge, factory)"),
    "town": PrecisionStyle(7, 0.85, "", "Town or city"),
    "county": PrecisionStyle(10, 0.45, "4 3", "County"),
    "province": PrecisionStyle(16, 0.2, "2 4", "Province (approximate)"),
    "country": PrecisionStyle(20, 0.1, "1 5", "Country (approximate)"),
}


def theme_style(theme: str, table: ThemeTable | None = None) -> ThemeStyle:
    """Return the style of ``theme`` in ``table`` (the built-in table when ``None``)."""
    return Styles.of(table).theme(theme)


def precision_style(precision: str) -> PrecisionStyle:
    """Return the style of a precision level; an unknown level is drawn like "province"."""
    return PRECISIONS.get(precision, PRECISIONS["province"])
