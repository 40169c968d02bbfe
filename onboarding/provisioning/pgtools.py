"""The PostgreSQL client tools we shell out to (pg_dump), found and connected safely.

pg_dump must be at least as new as the server. The pgserver wheel (the "local" group) ships a
current one in ``pgserver/pginstall/bin``; ``MPP_PG_DUMP`` overrides, and one on ``PATH`` is the
last resort. The password travels in the environment (PGPASSWORD), never on the command line.
"""

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

from psycopg.conninfo import make_conninfo

from kernel.tenancy import connection

# libpq keywords that may come from Django's connection parameters.
_LIBPQ_KEYS = {
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslcrl",
    "connect_timeout",
    "options",
    "application_name",
    "target_session_attrs",
    "service",
    "passfile",
    "channel_binding",
    "gssencmode",
}


class PgToolMissing(RuntimeError):
    pass


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    return int(match.group(1)) if match else 0


def _candidates() -> list[str]:
    found = []
    if os.environ.get("MPP_PG_DUMP"):
        found.append(os.environ["MPP_PG_DUMP"])
    try:
        import pgserver

        found.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"))
    except ImportError:  # the production image has no pgserver (Debian's postgresql-client)
        pass
    on_path = shutil.which("pg_dump")
    if on_path:
        found.append(on_path)
    return [c for c in found if os.path.isfile(c) and os.access(c, os.X_OK)]


@functools.cache
def _tool_version(path: str) -> str:
    out = subprocess.run(
        [path, "--version"], capture_output=True, text=True, check=True, timeout=30
    )
    return out.stdout.strip()


def server_major() -> int:
    return connection.pg_version // 10000


def pg_dump_path() -> tuple[str, str]:
    """(path, version text) of a pg_dump that can dump this server."""
    need = server_major()
    seen = []
    for path in _candidates():
        try:
            version = _tool_version(path)
        except (OSError, subprocess.SubprocessError):
            continue
        seen.append(f"{path}: {version}")
        if _major(version) >= need:
            return path, version
    raise PgToolMissing(
        f"no pg_dump for PostgreSQL {need} found (set MPP_PG_DUMP); tried: {seen or 'none'}"
    )


def libpq_target() -> tuple[str, dict[str, str]]:
    """(conninfo, extra environment) for the database Django is connected to right now."""
    params = connection.get_connection_params()
    info = {k: str(v) for k, v in params.items() if k in _LIBPQ_KEYS and v not in (None, "")}
    env = {}
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return make_conninfo(**info), env


def run_pg_dump(args: list[str], *, stdout=None, timeout: float = 600) -> str:
    """Run pg_dump against the current database with ``args``; returns stdout as text unless a
    binary ``stdout`` file object is given (then the dump streams into it)."""
    path, _version = pg_dump_path()
    conninfo, extra_env = libpq_target()
    env = {**os.environ, **extra_env}
    cmd = [path, f"--dbname={conninfo}", *args]
    if stdout is not None:
        proc = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"pg_dump failed: {proc.stderr.decode(errors='replace')[-2000:]}")
        return ""
    proc = subprocess.run(cmd, capture_output=True, env=env, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"pg_dump failed: {proc.stderr.decode(errors='replace')[-2000:]}")
    return proc.stdout.decode("utf-8")
