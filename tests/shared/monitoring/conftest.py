"""Helpers of the monitoring tests: rows of applications and tickets with chosen timestamps
(inside the current region schema), and running roll-up items in-process through the real
region task (the same code a Celery worker runs)."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tests.shared.citizens.conftest import make_citizen, pdf_bytes, upload

WIB = ZoneInfo("Asia/Jakarta")
DAY = dt.date(2026, 11, 23)  # a working Monday, long enough ago for every test
_numbers = itertools.count(1)

__all__ = ["DAY", "make_citizen", "pdf_bytes", "upload"]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WIB)


def application(
    offering, *, submitted, status="submitted", finished=None, due=None, assisted=False
):
    from shared.citizens.models import ApplicationStatus, ResultKind
    from tenants.applications.models import Application

    return Application.objects.create(
        offering=offering,
        citizen_id=1,
        number=f"T-{next(_numbers):06d}",
        status=status,
        offering_name=offering.name,
        completion_days=3,
        is_assisted=assisted,
        first_submitted_at=submitted,
        submitted_at=submitted,
        due_date=due,
        finished_at=finished,
        result_kind=ResultKind.PICKUP if status == ApplicationStatus.COMPLETED else "",
        rejection_reason="Tidak lengkap" if status == ApplicationStatus.REJECTED else "",
    )


def ticket(offering, counter, *, day, issued, called=None, status="done", kind="walk_in"):
    from tenants.queue.models import Ticket

    return Ticket.objects.create(
        date=day,
        prefix="Z",
        seq=next(_numbers),
        offering=offering,
        kind=kind,
        status=status,
        counter=counter if called else None,
        issued_at=issued,
        called_at=called,
        finished_at=called + dt.timedelta(minutes=5) if called and status == "done" else None,
    )


def run_items(pairs) -> None:
    """Runs roll-up items (id, schema) through the real region task, in this process."""
    from tenants.reporting.tasks import reporting_rollup_region

    for item_id, schema_name in pairs:
        reporting_rollup_region.apply(
            kwargs={"item_id": item_id, "schema_name": schema_name},
            headers={"_schema_name": schema_name},
            throw=True,
        )
        connection.set_schema_to_public()


def run_job(job) -> None:
    run_items(job.items.values_list("pk", "schema_name"))


@pytest.fixture
def superadmin(make_user):
    return make_user(superadmin=True)


@pytest.fixture
def offering_a(region_a, in_region):
    from tests.tenants.queue.factories import queue_offering

    with in_region(region_a):
        return queue_offering(prefix="Z")


@pytest.fixture
def offering_b(region_b, in_region):
    from tests.tenants.queue.factories import queue_offering

    with in_region(region_b):
        return queue_offering(prefix="Z")
