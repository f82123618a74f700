"""The one style table: theme → colour, label, icon; precision → marker look.

Both the interactive and the static map read these tables, so the two look
like one product.  A theme with no entry gets :data:`DEFAULT_STYLE` under its
own name, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ThemeStyle:
    """How one theme is drawn: its legend label, colour (hex) and a one-character icon."""

    label: str
    color: str
    icon: str


#: Themes in legend order: cross-border trade and regional factories first.
THEMES: dict[str, ThemeStyle] = {
    "trade": ThemeStyle("Cross-border trade & smuggling", "#d95f02", "⇄"),
    "factory": ThemeStyle("Regional factories (20×10)", "#1b9e77", "▲"),
    "aid": ThemeStyle("Foreign aid & investment", "#7570b3", "✚"),
    "fundraising": ThemeStyle("Fundraising & donations", "#e7298a", "₩"),
    "visit": ThemeStyle("Official visits & meetings", "#66a61e", "★"),
    "security": ThemeStyle("Border security & closures", "#a6761d", "⛔"),
}

DEFAULT_STYLE = ThemeStyle("Other", "#666666", "●")


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


def theme_style(theme: str) -> ThemeStyle:
    """Return the style of ``theme``; an unknown theme gets the grey default, labelled."""
    style = THEMES.get(theme)
    if style is not None:
        return style
    label = theme.replace("_", " ").strip().capitalize() or DEFAULT_STYLE.label
    return ThemeStyle(label, DEFAULT_STYLE.color, DEFAULT_STYLE.icon)


def precision_style(precision: str) -> PrecisionStyle:
    """Return the style of a precision level; an unknown level is drawn like "province"."""
    return PRECISIONS.get(precision, PRECISIONS["province"])
