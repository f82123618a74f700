"""The ``nkmap`` console script: one subcommand per job, over the library's functions.

Each module named in :data:`COMMAND_MODULES` adds its subcommands to
:data:`geo.cli.base.main`; none imports anything heavy at import time, so
``nkmap --help`` stays fast.
"""

from __future__ import annotations

import importlib

from geo.cli.base import main

#: Modules whose import registers subcommands on :data:`main`.
COMMAND_MODULES = (
    "geo.cli.gazetteer_commands",
    "geo.cli.event_commands",
    "geo.cli.map_commands",
    "geo.cli.static_commands",
    "geo.cli.query_commands",
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name)

__all__ = ["main"]
