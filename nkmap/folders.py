"""Where nkmap keeps what it builds and what users import: the cache and data folders.

Both follow the platform's conventions (via ``platformdirs``) unless an environment
variable names another folder; nothing here creates a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming the cache folder (tests, air-gapped installs).
CACHE_ENV = "NKMAP_CACHE_DIR"
#: Environment variable naming the data folder (imported GeoNames dumps).
DATA_ENV = "NKMAP_DATA_DIR"


def cache_dir() -> Path:
    """Return the folder for nkmap's caches (``$NKMAP_CACHE_DIR`` or the platform cache folder).

    Everything in it can be rebuilt: the gazetteer index, online geocoder answers, fetched
    map scripts (in its ``assets`` subfolder).
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("nkmap"))


def data_dir() -> Path:
    """Return the folder for imported data (``$NKMAP_DATA_DIR`` or the platform data folder)."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("nkmap"))
