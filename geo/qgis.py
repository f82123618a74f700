"""QGIS styles for written events layers: events coloured by theme, in the maps' colours.

QGIS looks for a ``layer_styles`` table (the same columns in a GeoPackage and in PostGIS)
when a layer opens, and applies the row marked ``useAsDefault`` for that layer.  The style
is a categorised renderer on ``theme``; the colours and labels are read from the one theme
table (:func:`nkmap.themes.load_theme_table`) that both maps draw with, so QGIS shows what
the maps show.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import quoteattr

#: The style's name in layer_styles.
STYLE_NAME = "nkmap themes"

#: layer_styles columns as QGIS creates them, in order (name, SQLite type, PostgreSQL type).
STYLE_COLUMNS = (
    ("f_table_catalog", "TEXT(256)", "varchar(256)"),
    ("f_table_schema", "TEXT(256)", "varchar(256)"),
    ("f_table_name", "TEXT(256)", "varchar(256)"),
    ("f_geometry_column", "TEXT(256)", "varchar(256)"),
    ("styleName", "TEXT(30)", "text"),
    ("styleQML", "TEXT", "xml"),
    ("styleSLD", "TEXT", "xml"),
    ("useAsDefault", "BOOLEAN", "boolean"),
    ("description", "TEXT", "text"),
    ("owner", "TEXT(30)", "varchar(63)"),
    ("ui", "TEXT(30)", "xml"),
    ("update_time", "DATETIME", "timestamp"),
)


def _rgba(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},255"


def _marker(name: str, colour: str) -> str:
    props = {
        "name": "circle",
        "color": _rgba(colour),
        "outline_color": "255,255,255,255",
        "outline_style": "solid",
        "outline_width": "0.3",
        "outline_width_unit": "MM",
        "size": "3",
        "size_unit": "MM",
    }
    options = "".join(
        f'<Option type="QString" name="{k}" value={quoteattr(v)}/>' for k, v in props.items()
    )
    legacy = "".join(f"<prop k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in props.items())
    return (
        f'<symbol type="marker" name={quoteattr(name)} alpha="1" clip_to_extent="1" '
        'force_rhr="0"><layer class="SimpleMarker" enabled="1" locked="0" pass="0">'
        f'<Option type="Map">{options}</Option>{legacy}</layer></symbol>'
    )


def theme_qml() -> str:
    """Return the QML document: a categorised renderer on ``theme``, one colour per theme.

    Themes come from the theme table (label and colour); any other value falls in the last,
    empty-valued category, drawn in the table's colour for unknown themes.
    """
    from nkmap.themes import load_theme_table

    table = load_theme_table()
    categories, symbols = [], []
    entries = [(r.id, r.label, r.colour) for r in table.records]
    entries.append(("", table.unknown_label, table.unknown_colour))
    for i, (value, label, colour) in enumerate(entries):
        categories.append(
            f'<category value={quoteattr(value)} symbol="{i}" label={quoteattr(label)} '
            'render="true" type="string"/>'
        )
        symbols.append(_marker(str(i), colour))
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.28.0" styleCategories="Symbology">'
        '<renderer-v2 type="categorizedSymbol" attr="theme" symbollevels="0" '
        'enableorderby="0" forceraster="0" referencescale="-1">'
        f"<categories>{''.join(categories)}</categories>"
        f"<symbols>{''.join(symbols)}</symbols>"
        f"<source-symbol>{_marker('0', table.unknown_colour)}</source-symbol>"
        "</renderer-v2><layerGeometryType>0</layerGeometryType></qgis>\n"
    )


def style_row(catalog: str, schema: str, table: str, geometry: str) -> dict[str, Any]:
    """Return the layer_styles row (column → value) that styles ``table`` by theme."""
    return {
        "f_table_catalog": catalog,
        "f_table_schema": schema,
        "f_table_name": table,
        "f_geometry_column": geometry,
        "styleName": STYLE_NAME,
        "styleQML": theme_qml(),
        "styleSLD": "",
        "useAsDefault": True,
        "description": "Events coloured by theme, as on nkmap's maps",
        "owner": "nkmap",
        "ui": None,
    }


def add_layer_style(con: Any, table: str, geometry: str) -> None:
    """Create ``layer_styles`` in an open GeoPackage (sqlite3 connection) if missing,
    register it as an attributes table as QGIS does, and add the theme style of ``table``."""
    exists = con.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'layer_styles'"
    ).fetchone()
    if not exists:
        columns = ", ".join(
            f'"{name}" {sqlite_type}'
            + (" DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))" if name == "update_time" else "")
            for name, sqlite_type, _ in STYLE_COLUMNS
        )
        key = '"id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL'
        con.execute(f"CREATE TABLE layer_styles ({key}, {columns})")
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles', "
            "strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
        )
    row = style_row("", "", table, geometry)
    names = list(row)
    con.execute(
        f"INSERT INTO layer_styles ({', '.join(chr(34) + n + chr(34) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})",
        [row[n] for n in names],
    )
