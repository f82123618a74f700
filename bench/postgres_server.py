"""A throwaway PostgreSQL + PostGIS server for the tests and benchmarks (Debian's packages).

:func:`start` makes a cluster in a temporary folder with ``initdb``, starts it listening on
a Unix socket only (no TCP port), creates a database with the PostGIS extension, and
returns its URL; :meth:`Server.stop` stops it and removes the folder.  Run as root (as CI
does) the server runs as the ``postgres`` user, since PostgreSQL refuses to run as root.
``scripts/setup-tests.sh`` installs the packages (``postgresql``, ``postgresql-postgis``).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: The database the tests use.
DATABASE = "nkmap_test"


@dataclass
class Server:
    """A running server: its URL, its folder, and how to stop it."""

    url: str
    folder: Path
    bindir: Path
    user: str | None

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        _run(self, "pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def find_bindir() -> Path | None:
    """Return the folder of initdb/pg_ctl/postgres (newest installed version), or None."""

    def version(initdb: str) -> int:
        name = Path(initdb).parent.parent.name
        return int(name) if name.isdigit() else 0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def has_postgis(bindir: Path) -> bool:
    """Return True when the PostGIS extension is installed for that server version."""
    version = bindir.parent.name
    return bool(glob.glob(f"/usr/share/postgresql/{version}/extension/postgis.control"))


def _run(server: Server, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(server.bindir / tool), *args]
    if server.user:
        command = ["runuser", "-u", server.user, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def start() -> Server:
    """Start a server with a PostGIS-enabled database; return it.

    Raises:
        RuntimeError: the packages are missing or the server does not start (says why).
    """
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    if not has_postgis(bindir):
        raise RuntimeError("PostGIS is not installed (apt-get install postgresql-postgis)")
    user = None
    folder = Path(tempfile.mkdtemp(prefix="nkmap-pg-"))
    if os.geteuid() == 0:
        try:
            entry = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise RuntimeError("running as root and there is no 'postgres' user") from exc
        user = "postgres"
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    server = Server("", folder, bindir, user)
    data = folder / "data"
    init = _run(server, "initdb", "-D", str(data), "-U", "nkmap", "--auth=trust", "-E", "UTF8")
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {init.stderr.strip()[-300:]}")
    options = f"-k {folder} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    started = _run(
        server, "pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"
    )
    if started.returncode != 0:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"the server did not start: {(started.stderr + log).strip()[-300:]}")
    server.url = f"postgresql://nkmap@/{DATABASE}?host={folder}"
    created = _run(server, "createdb", "-h", str(folder), "-U", "nkmap", DATABASE)
    if created.returncode != 0 and (bindir / "createdb").exists():
        server.stop()
        raise RuntimeError(f"createdb failed: {created.stderr.strip()[-300:]}")
    return server
