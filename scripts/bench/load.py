"""Load bench: the production server (gunicorn) under a headless locust, ≥ 20 live regions.

Runs in its own database (``bench_load`` on the DATABASE_URL server, created and dropped here):
provisions ``--regions`` regions (a decree, in parallel), gives each an offering open every day
with a counter and online bookings, a DPMPTSP admin with an API token, and signs in citizens
(sessions made server-side, so the load generator needs no cookie domain). Then it serves the
platform with gunicorn as the production image does (``gunicorn.conf.py`` when the repository has
one, else the same shape from the command line: gthread workers, 2 × cores + 1, 4 threads), on
127.0.0.1 only, DEBUG off, persistent database connections, Redis cache.

Phases, each ``--seconds`` long at ``--users`` users with no think time (closed loop):
1. baseline: ``/healthz`` on the same server;
2. pages: a region's public pages (home, offerings, an offering, booths, information) across all
   regions → ``page_rps``, page p95;
3. mix: pages, the national search, online bookings (book and cancel) and staff API reads →
   ``rps``, p50/p95/p99, errors;
4. pages again with the page cache off (``--no-uncached`` skips it): what the cache buys.

Targets (2 cores): 0 errors, page p95 ≤ 250 ms, page_rps ≥ a third of the baseline's rps.

    .venv/bin/python -m scripts.dev bench load --users 8 --seconds 20

Ends with ``BENCH load {json}``.
"""

import argparse
import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

BENCH_DB = "bench_load"
ROOT = Path(__file__).resolve().parents[2]
SEARCH_TERMS = ["paspor", "akta kelahiran", "ktp", "izin usaha", "sim", "nib", "kartu keluarga"]


def _server_url(url: str, dbname: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + dbname))


def _admin(url: str):
    import psycopg

    parts = urlsplit(_server_url(url, "postgres"))
    return psycopg.connect(
        host=unquote(parts.hostname or "") if parts.hostname else None,
        port=parts.port,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        dbname="postgres",
        autocommit=True,
    )


def _recreate_database(url: str) -> None:
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def _drop_database(url: str) -> None:
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench load")
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--citizens", type=int, default=40)
    parser.add_argument("--no-uncached", action="store_true", help="skip the uncached phase")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args(argv)

    original_url = os.environ["DATABASE_URL"]
    _recreate_database(original_url)
    os.environ["DATABASE_URL"] = _server_url(original_url, BENCH_DB)
    os.environ.setdefault("MPP_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_platform.settings")
    workdir = Path(tempfile.mkdtemp(prefix="mpp-load-"))
    try:
        plan = _setup(args)
        (workdir / "plan.json").write_text(json.dumps(plan))
        return _measure(args, plan, workdir)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _drop_database(original_url)


# --- set-up (in this process, Django loaded) ---------------------------------------------------


def _setup(args) -> dict:
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.utils.crypto import get_random_string

    from onboarding.bulk import bulk_apply, bulk_validate
    from onboarding.provisioning.parallel import pipelines_run
    from onboarding.provisioning.rollout import regions_migrate
    from scripts.bench.booking import _offering
    from shared.accounts.models import User
    from shared.accounts.services import api_token_issue
    from shared.regions.models import Mpp, Region
    from shared.regions.services import regions_load
    from tenants.mpp.models import Offering
    from tenants.queue.models import QueueSettings
    from tenants.queue.selectors import local_today, offering_calendar

    started = time.monotonic()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    regions_load()
    call_command("catalogue_load_starter", verbosity=0)
    regions_migrate(jobs=1)
    regions = list(Region.objects.order_by("code")[: args.regions])
    raw = "kode;nomor_keputusan;tanggal_keputusan;email_admin\n" + "".join(
        f"{r.code};457/2024;2024-06-03;admin.{r.slug}@load.mpp.go.id\n" for r in regions
    )
    actor = User.objects.create_superuser(email="load@bench.mpp.go.id", password=None)
    batch = bulk_apply(actor=actor, validation=bulk_validate(raw.encode()), enqueue=False)
    assert batch is not None
    outcomes = pipelines_run(list(batch.onboardings.values_list("pk", flat=True)), jobs=2)
    assert set(outcomes.values()) == {"done"}, outcomes

    plan_regions = []
    for mpp in Mpp.objects.select_related("region").filter(region__in=regions):
        admin = User.objects.get(email=f"admin.{mpp.region.slug}@load.mpp.go.id")
        _, token = api_token_issue(user=admin, device_name="load bench")
        connection.set_tenant(mpp)
        QueueSettings.objects.update_or_create(
            key=1,
            defaults={
                "max_bookings_per_day": 20,
                "max_bookings_per_service_day": 10,
                "max_upcoming_per_service": 20,
            },
        )
        bookable = _offering(per_slot=10_000, prefix="W")
        start = local_today() + dt.timedelta(days=1)
        day = next(
            d.date
            for d in offering_calendar(bookable, start, start + dt.timedelta(days=14))
            if d.is_open
        )
        codes = list(Offering.objects.active().values_list("code", flat=True)[:10])
        connection.set_schema_to_public()
        plan_regions.append(
            {
                "host": f"{mpp.region.slug}.{settings.MPP_BASE_DOMAIN}",
                "codes": codes,
                "token": token,
                "slot": {"offering": bookable.pk, "date": day.isoformat(), "time": "09:00"},
            }
        )

    citizens = []
    for i in range(args.citizens):
        user = User.objects.create_user(
            email=f"warga{i}@load.example", password=None, full_name=f"Warga {i}"
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        # The password backend: the first one is the lock-out guard, which loads no user.
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = get_random_string(32)
        citizens.append({"session": session.session_key, "csrf": csrf})
    print(
        f"setup {time.monotonic() - started:.1f} s: {len(plan_regions)} live regions, "
        f"{len(citizens)} signed-in citizens",
        flush=True,
    )
    return {
        "national_host": settings.MPP_BASE_DOMAIN,
        "regions": plan_regions,
        "citizens": citizens,
        "search_terms": SEARCH_TERMS,
    }


# --- the server and the load ---------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _gunicorn(port: int, workdir: Path, *, page_cache: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        "MPP_ENV": "dev",  # local secrets; DEBUG off below, as in production
        "DJANGO_DEBUG": "0",
        "DATABASE_CONN_MAX_AGE": "60",
        "MPP_PAGE_CACHE_SECONDS": "60" if page_cache else "0",
        "LOG_LEVEL": "WARNING",
        "PORT": str(port),
    }
    cmd = [sys.executable, "-m", "gunicorn", "mpp_platform.wsgi"]
    config = ROOT / "gunicorn.conf.py"
    if config.exists():
        cmd += ["-c", str(config)]
    else:  # the production shape until the image's gunicorn.conf.py lands
        cores = len(os.sched_getaffinity(0))
        cmd += ["--worker-class", "gthread", "--workers", str(2 * cores + 1), "--threads", "4"]
    cmd += ["--bind", f"127.0.0.1:{port}", "--access-logfile", str(workdir / "access.log")]
    log = (workdir / "gunicorn.log").open("ab")
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 180  # workers boot slowly on a busy machine
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start:\n" + (workdir / "gunicorn.log").read_text()[-3000:])


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _locust(
    args, port: int, workdir: Path, user_class: str, tag: str, seconds: int | None = None
) -> dict:
    prefix = workdir / tag
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "scripts" / "bench" / "_locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.users),
        "--run-time",
        f"{seconds or args.seconds}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        user_class,
    ]
    env = {**os.environ, "MPP_LOAD_PLAN": str(workdir / "plan.json")}
    subprocess.run(cmd, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)
    rows = list(csv.DictReader((workdir / f"{tag}_stats.csv").open()))
    failures = list(csv.DictReader((workdir / f"{tag}_failures.csv").open()))
    by_name = {row["Name"]: row for row in rows}
    total = by_name["Aggregated"]
    page_rows = [r for r in rows if r["Name"].startswith("page ")]

    def pct(row, p):
        return float(row[p]) if row[p] not in ("N/A", "") else 0.0

    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": pct(total, "50%"),
        "p95_ms": pct(total, "95%"),
        "p99_ms": pct(total, "99%"),
        "page_rps": round(sum(float(r["Requests/s"]) for r in page_rows), 1),
        "page_p95_ms": max((pct(r, "95%") for r in page_rows), default=0.0),
        "by_name": {
            r["Name"]: {
                "n": int(r["Request Count"]),
                "rps": round(float(r["Requests/s"]), 1),
                "p95_ms": pct(r, "95%"),
            }
            for r in rows
            if r["Name"] != "Aggregated"
        },
        "failures": [f"{f['Name']}: {f['Error']} ×{f['Occurrences']}" for f in failures][:10],
    }


def _warm_pages(port: int, plan: dict) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def get(item: tuple[str, str]) -> None:
        host, path = item
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            response.read()

    pages = [
        (r["host"], path)
        for r in plan["regions"]
        for path in ["/", "/layanan/", "/gerai/", "/informasi/"]
        + [f"/layanan/{code}/" for code in r["codes"]]
    ]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(get, pages))
    print(f"warmed {len(pages)} pages in {time.monotonic() - started:.1f} s", flush=True)


def _measure(args, plan: dict, workdir: Path) -> int:
    port = _free_port()
    server = _gunicorn(port, workdir, page_cache=True)
    try:
        # Warm-up, not measured: every worker with its templates imported and its connection
        # open; then every page rendered once (the steady state of pages that change rarely).
        _locust(args, port, workdir, "MixUser", "warmup", seconds=5)
        baseline = _locust(args, port, workdir, "HealthUser", "baseline")
        # Copies live 60 s (the page cache's expiry): warm them right before each phase.
        _warm_pages(port, plan)
        pages = _locust(args, port, workdir, "PageUser", "pages")
        _warm_pages(port, plan)
        mix = _locust(args, port, workdir, "MixUser", "mix")
    finally:
        _stop(server)
    uncached = None
    if not args.no_uncached:
        server = _gunicorn(port, workdir, page_cache=False)
        try:
            _locust(args, port, workdir, "PageUser", "warmup-uncached", seconds=5)
            uncached = _locust(args, port, workdir, "PageUser", "uncached")
        finally:
            _stop(server)

    for name, phase in (("baseline", baseline), ("pages", pages), ("mix", mix)):
        print(
            f"{name:9s} {phase['rps']:7.1f} req/s  p50 {phase['p50_ms']:.0f} ms  "
            f"p95 {phase['p95_ms']:.0f} ms  p99 {phase['p99_ms']:.0f} ms  "
            f"errors {phase['errors']}/{phase['requests']}",
            flush=True,
        )
    for name, row in mix["by_name"].items():
        print(f"    {name:26s} {row['rps']:6.1f} req/s  p95 {row['p95_ms']:.0f} ms", flush=True)
    for failure in mix["failures"] + pages["failures"]:
        print(f"  failure: {failure}", flush=True)
    if uncached:
        print(
            f"pages without the page cache: {uncached['page_rps']:.1f} req/s, "
            f"p95 {uncached['page_p95_ms']:.0f} ms",
            flush=True,
        )

    errors = mix["errors"] + pages["errors"] + baseline["errors"]
    result = {
        "rps": mix["rps"],
        "p50_ms": mix["p50_ms"],
        "p95_ms": mix["p95_ms"],
        "p99_ms": mix["p99_ms"],
        "errors": errors,
        "requests": mix["requests"],
        "baseline_rps": baseline["rps"],
        "page_rps": pages["page_rps"],
        "page_p95_ms": pages["page_p95_ms"],
        "mix_page_p95_ms": mix["page_p95_ms"],
        "page_rps_uncached": uncached["page_rps"] if uncached else None,
        "page_p95_ms_uncached": uncached["page_p95_ms"] if uncached else None,
        "regions": len(plan["regions"]),
        "users": args.users,
        "seconds": args.seconds,
        "server": "gunicorn.conf.py" if (ROOT / "gunicorn.conf.py").exists() else "gthread 2n+1",
    }
    third = baseline["rps"] / 3
    targets = {
        "0 errors": errors == 0,
        "page p95 ≤ 250 ms": max(pages["page_p95_ms"], mix["page_p95_ms"]) <= 250,
        f"page_rps ≥ {third:.0f} (a third of /healthz)": pages["page_rps"] >= third,
    }
    for label, met in targets.items():
        print(f"target {label}: {'met' if met else 'MISSED'}", flush=True)
    print(f"sustained: {mix['rps']:.0f} req/s of the mix at {args.users} users", flush=True)
    print("BENCH load " + json.dumps(result), flush=True)
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
