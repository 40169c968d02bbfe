"""Booking bench: online bookings racing for the last places, against an uncontended booking.

Runs in its own database (``bench_booking`` on the DATABASE_URL server, created and dropped
here): migrates it, provisions one region (Kabupaten Banyuwangi) through the real pipeline and
sets up two offerings open all day, each with a counter.

- baseline: ``--baseline`` bookings one after another by one thread on an offering with room
  for all of them (no contention);
- contended: ``--attempts`` bookings by as many citizens on ``--threads`` threads (each with its
  own connection), all for the same slot of another offering that has ``--capacity`` places;
- tickets: ``--tickets`` walk-in tickets on ``--threads`` threads (one number sequence).

Every attempt goes through the real service (``booking_create``: limits, advisory lock,
conditional updates, code, audit). Afterwards the database is checked: places taken versus
capacity (``overbooked`` must be 0), duplicate booking codes and ticket numbers.

    .venv/bin/python -m scripts.dev bench booking --threads 16 --attempts 400 --capacity 300

Ends with ``BENCH booking {json}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import threading
import time
import uuid
from urllib.parse import unquote, urlsplit, urlunsplit

BENCH_DB = "bench_booking"
REGION_CODE = "35.10"


def _server_url(url: str, dbname: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + dbname))


def _admin_connection(url: str):
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
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def _drop_database(url: str) -> None:
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def _p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench booking")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--attempts", type=int, default=400, help="contended booking attempts")
    parser.add_argument("--capacity", type=int, default=300, help="places of the contended slot")
    parser.add_argument("--baseline", type=int, default=100, help="uncontended bookings")
    parser.add_argument("--tickets", type=int, default=300, help="contended walk-in tickets")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args(argv)

    original_url = os.environ["DATABASE_URL"]
    # Only ever the bench's own database, never the dev database "mpp".
    _recreate_database(original_url)
    os.environ["DATABASE_URL"] = _server_url(original_url, BENCH_DB)
    os.environ.setdefault("MPP_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_platform.settings")
    try:
        return _run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _drop_database(original_url)


def _offering(*, per_slot: int, prefix: str):
    """A local offering open every day, all day, with one counter (inside the region)."""
    from tenants.mpp.models import Booth, Counter, LocalAgency, Offering, OpeningHours
    from tenants.queue.models import OfferingQueueConfig

    tag = uuid.uuid4().hex[:6]
    agency = LocalAgency.objects.create(name=f"Instansi bench {tag}")
    booth = Booth.objects.create(local_agency=agency, number=f"B-{tag}")
    offering = Offering.objects.create(
        code=f"bench-{tag}",
        name=f"Layanan bench {tag}",
        local_agency=agency,
        booth=booth,
        channels=["queue", "walk_in"],
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(offering=offering, weekday=d, opens_at=dt.time(0), closes_at=dt.time(23, 59))
        for d in range(7)
    )
    counter = Counter.objects.create(booth=booth, number=f"L-{tag}", ticket_prefix=prefix)
    counter.offerings.add(offering)
    OfferingQueueConfig.objects.create(offering=offering, online_per_slot=per_slot)
    return offering


def _race(fn, n: int, threads: int):
    """``fn(i)`` for i < n on ``threads`` threads started together, each with its own
    connection. Returns (latencies, outcomes, wall seconds)."""
    from django.db import connection

    from kernel.errors import DomainError

    latencies: list[float] = [0.0] * n
    outcomes: list[str] = [""] * n
    start = threading.Barrier(threads + 1)
    next_index = iter(range(n))
    lock = threading.Lock()

    def worker() -> None:
        start.wait()
        try:
            while True:
                with lock:
                    i = next(next_index, None)
                if i is None:
                    return
                began = time.perf_counter()
                try:
                    outcomes[i] = "ok:" + str(fn(i))
                except DomainError as exc:
                    outcomes[i] = "refused:" + exc.code
                latencies[i] = time.perf_counter() - began
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in pool:
        t.join()
    return latencies, outcomes, time.perf_counter() - began


def _run(args) -> int:
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    from onboarding.services import mpp_provision
    from shared.accounts.models import User
    from shared.regions.models import Mpp, Region
    from shared.regions.services import regions_load
    from tenants.mpp.models import Offering
    from tenants.queue.models import Booking, QueueDay, Slot, Ticket
    from tenants.queue.selectors import closed_text, local_today, offering_calendar
    from tenants.queue.services.bookings import booking_create
    from tenants.queue.services.tickets import ticket_take_walk_in

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    regions_load()
    mpp_provision(region=Region.objects.get(code=REGION_CODE))
    mpp = Mpp.objects.select_related("region").get(region__code=REGION_CODE)

    citizens = User.objects.bulk_create(
        User(email=f"warga{i}@bench.example", full_name=f"Warga {i}")
        for i in range(args.baseline + args.attempts)
    )
    connection.set_tenant(mpp)
    calm = _offering(per_slot=args.baseline, prefix="B")
    busy = _offering(per_slot=args.capacity, prefix="A")
    start = local_today() + dt.timedelta(days=1)
    day = next(
        d.date for d in offering_calendar(busy, start, start + dt.timedelta(days=14)) if d.is_open
    )
    nine = dt.time(9, 0)

    # Baseline: one booking at a time, nobody else around.
    baseline: list[float] = []
    for i in range(args.baseline):
        began = time.perf_counter()
        booking_create(actor=citizens[i], offering=calm, day=day, starts_at=nine)
        baseline.append(time.perf_counter() - began)
    connection.set_schema_to_public()

    def book(i: int) -> str:
        connection.set_tenant(mpp)
        offering = Offering.objects.select_related("service", "booth").get(pk=busy.pk)
        return booking_create(
            actor=citizens[args.baseline + i], offering=offering, day=day, starts_at=nine
        ).code

    latencies, outcomes, wall = _race(book, args.attempts, args.threads)
    booked = [o for o in outcomes if o.startswith("ok:")]
    refused = {}
    for o in outcomes:
        if o.startswith("refused:"):
            refused[o[8:]] = refused.get(o[8:], 0) + 1
    errors = [o for o in outcomes if not o]

    connection.set_tenant(mpp)
    slot = Slot.objects.get(day__offering=busy, day__date=day, starts_at=nine)
    rows = Booking.objects.filter(slot=slot, status=Booking.Status.BOOKED)
    codes = list(Booking.objects.values_list("code", flat=True))
    queue_day = QueueDay.objects.get(pk=slot.day_id)
    overbooked = max(0, rows.count() - slot.capacity) + max(0, slot.booked - slot.capacity)

    # Tickets: walk-ins from many kiosks at once (today, one prefix, one sequence).
    ticket_result: dict = {"tickets": None}
    if not closed_text(busy, local_today()):
        connection.set_schema_to_public()

        def take(i: int) -> str:
            connection.set_tenant(mpp)
            offering = Offering.objects.select_related("service", "booth").get(pk=busy.pk)
            return ticket_take_walk_in(actor=None, offering=offering).number

        t_lat, t_out, t_wall = _race(take, args.tickets, args.threads)
        connection.set_tenant(mpp)
        numbers = list(Ticket.objects.filter(offering=busy).values_list("prefix", "seq"))
        ticket_result = {
            "tickets": len(numbers),
            "ticket_p95_ms": _ms(_p95(t_lat)),
            "ticket_throughput_per_s": round(len(numbers) / t_wall, 1),
            "duplicate_ticket_numbers": len(numbers) - len(set(numbers)),
            "ticket_errors": sum(1 for o in t_out if not o.startswith("ok:")),
        }
    connection.set_schema_to_public()

    result = {
        "p95_ms": _ms(_p95(latencies)),
        "p95_booked_ms": _ms(
            _p95([lat for lat, o in zip(latencies, outcomes, strict=True) if o.startswith("ok:")])
        ),
        "median_ms": _ms(statistics.median(latencies)),
        "baseline_p95_ms": _ms(_p95(baseline)),
        "baseline_median_ms": _ms(statistics.median(baseline)),
        "throughput_per_s": round(len(booked) / wall, 1),
        "attempts_per_s": round(args.attempts / wall, 1),
        "threads": args.threads,
        "attempts": args.attempts,
        "capacity": args.capacity,
        "booked": len(booked),
        "refused": refused,
        "errors": len(errors),
        "overbooked": overbooked,
        "slot_booked": slot.booked,
        "day_online_booked": queue_day.online_booked,
        "duplicate_codes": len(codes) - len(set(codes)),
        **ticket_result,
    }
    ok = (
        overbooked == 0
        and not errors
        and len(booked) == min(args.capacity, args.attempts)
        and result["duplicate_codes"] == 0
        and ticket_result.get("duplicate_ticket_numbers", 0) == 0
    )
    print(
        "targets: 0 overbooked, 0 errors, every place booked once, 0 duplicate codes or ticket "
        f"numbers -> {'met' if ok else 'MISSED'}",
        flush=True,
    )
    print(f"BENCH booking {json.dumps(result)}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
