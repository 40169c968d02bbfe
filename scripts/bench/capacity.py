"""Capacity figures for docs/scale.md, measured, not guessed: the size of a freshly provisioned
region schema, and the bytes each online booking, walk-in ticket and application adds (table,
indexes, TOAST and its audit rows), created through the real services.

Runs in its own database (``bench_capacity``). Baseline side by side: the same region schema
before any activity. Targets: each figure within the capacity plan's budget (``BUDGET_BYTES``) and
every application created through the services; prints them and exits 1 when one is missed.
Ends with ``BENCH capacity {json}``.

    .venv/bin/python -m scripts.dev bench capacity --n 500
"""

import argparse
import datetime as dt
import json
import os
import sys
from argparse import Namespace

from scripts.bench import load

BENCH_DB = "bench_capacity"

# The capacity plan's budget (docs/scale.md multiplies these): the measured figure there, with
# half again as headroom. Above it, the plan's ≈ 310 MB per region per year no longer holds.
BUDGET_BYTES = {
    "region_schema_empty_bytes": 1.5 * 1024 * 1024 * 1.5,
    "bytes_per_booking": 1311 * 1.5,
    "bytes_per_ticket": 983 * 1.5,
    "bytes_per_application": 2485 * 1.5,
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench capacity")
    parser.add_argument("--n", type=int, default=500, help="bookings, tickets, applications")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    original_url = os.environ["DATABASE_URL"]
    load.BENCH_DB = BENCH_DB
    load._recreate_database(original_url)
    os.environ["DATABASE_URL"] = load._server_url(original_url, BENCH_DB)
    os.environ.setdefault("MPP_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_platform.settings")
    try:
        return _run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            load._drop_database(original_url)


def _schema_bytes(schema: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
            " WHERE c.relnamespace = %s::regnamespace AND c.relkind IN ('r', 'm')",
            [schema],
        )
        return int(cursor.fetchone()[0])


def _vacuum(schema: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace"
            " AND c.relkind = 'r'",
            [schema],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'VACUUM "{schema}"."{name}"')


def _run(args) -> int:
    plan = load._setup(Namespace(regions=1, citizens=0))
    from django.db import connection

    from scripts.bench.booking import _offering
    from shared.accounts.models import User
    from shared.citizens.models import CitizenProfile
    from shared.regions.models import Mpp
    from tenants.queue.selectors import local_today, offering_calendar
    from tenants.queue.services.bookings import booking_create
    from tenants.queue.services.tickets import ticket_take_walk_in

    mpp = Mpp.objects.select_related("region").get(
        region__slug=plan["regions"][0]["host"].split(".", 1)[0]
    )
    schema = mpp.schema_name
    empty = _schema_bytes(schema)
    users = User.objects.bulk_create(
        User(email=f"warga{i}@capacity.example", full_name=f"Warga {i}") for i in range(args.n)
    )
    connection.set_tenant(mpp)
    offering = _offering(per_slot=args.n, prefix="C")
    start = local_today() + dt.timedelta(days=1)
    day = next(d.date for d in offering_calendar(offering, start, start + dt.timedelta(14)))
    _vacuum(schema)
    before = _schema_bytes(schema)
    for user in users:
        booking_create(actor=user, offering=offering, day=day, starts_at=dt.time(9, 0))
    _vacuum(schema)
    after_bookings = _schema_bytes(schema)
    tickets = 0
    for _ in range(args.n):
        try:
            ticket_take_walk_in(actor=None, offering=offering)
            tickets += 1
        except Exception:  # closed today (a holiday, the hour): the figure is then skipped
            break
    _vacuum(schema)
    after_tickets = _schema_bytes(schema)

    applications = 0
    app_error = ""
    try:
        from tenants.applications import services as app_services

        offering.channels = ["online", "queue", "walk_in"]  # also applied for online
        offering.save(update_fields=["channels"])
        _vacuum(schema)
        after_tickets = _schema_bytes(schema)
        for user in users:
            profile, _ = CitizenProfile.objects.get_or_create(
                user=user,
                defaults={
                    "full_name": user.full_name,
                    "nik": f"351001019{len(str(user.pk)):01d}{user.pk:06d}"[:16],
                    "birth_place": "Banyuwangi",
                    "birth_date": dt.date(1990, 1, 1),
                    "address_line": "Jl. Ahmad Yani 1",
                    "regency_code": "35.10",
                },
            )
            application, errors = app_services.application_draft_save(
                actor=user, citizen=profile, offering=offering
            )
            if errors:
                raise RuntimeError(str(errors)[:200])
            app_services.application_submit(actor=user, application=application)
            applications += 1
    except Exception as exc:
        app_error = f"{type(exc).__name__}: {exc}"[:200]
    _vacuum(schema)
    after_applications = _schema_bytes(schema)
    connection.set_schema_to_public()

    result = {
        "region_schema_empty_bytes": empty,
        "bytes_per_booking": round((after_bookings - before) / args.n),
        "bytes_per_ticket": round((after_tickets - after_bookings) / tickets) if tickets else None,
        "bytes_per_application": (
            round((after_applications - after_tickets) / applications) if applications else None
        ),
        "n": args.n,
        "tickets": tickets,
        "applications": applications,
        "application_error": app_error,
    }
    print(f"empty region schema: {empty / 1024:.0f} KiB (baseline)", flush=True)
    print(f"per booking {result['bytes_per_booking']} B, per ticket {result['bytes_per_ticket']}"
          f" B, per application {result['bytes_per_application']} B", flush=True)  # fmt: skip
    targets = {
        f"{name} {result[name]} ≤ {budget:.0f}": result[name] <= budget
        for name, budget in BUDGET_BYTES.items()
        if result[name] is not None
    }
    # Every application through the real services (tickets need the MPP open right now: a run
    # at night or on a holiday has no ticket figure, said so rather than counted).
    targets[f"applications {applications} = {args.n}, no error"] = (
        applications == args.n and not app_error
    )
    if result["bytes_per_ticket"] is None:
        print("ticket figure not measured: the MPP is closed at this hour", flush=True)
    for label, met in targets.items():
        print(f"target {label}: {'met' if met else 'MISSED'}", flush=True)
    result["target_met"] = all(targets.values())
    print("BENCH capacity " + json.dumps(result), flush=True)
    return 0 if result["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
