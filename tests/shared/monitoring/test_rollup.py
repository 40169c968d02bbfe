"""Roll-ups: the public row equals the figures computed directly in the region's schema;
re-running changes nothing; a failing region is retried without holding up the others; late
changes are recomputed; bad requests are refused with a message."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from django.db import connection

from kernel.errors import DomainError
from tests.shared.monitoring.conftest import DAY, application, at, run_items, run_job, ticket


def _percentile(values, q):
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@pytest.fixture
def busy_day(region_a, in_region, offering_a):
    """Region A on DAY: applications in every state and tickets with known waits."""
    from tenants.queue.models import Ticket

    counter = offering_a.test_counters[0]
    with in_region(region_a):
        prev = DAY - dt.timedelta(days=7)
        # received on DAY: 3 online, 2 assisted
        for i in range(3):
            application(offering_a, submitted=at(DAY, 9, i), due=DAY + dt.timedelta(days=3))
        for i in range(2):
            application(offering_a, submitted=at(DAY, 10, i), assisted=True, due=DAY)
        # finished on DAY: 2 on time, 1 late, 1 rejected (submitted a week before)
        application(
            offering_a, submitted=at(prev, 9), status="completed", finished=at(DAY, 11), due=DAY
        )
        application(
            offering_a,
            submitted=at(prev, 10),
            status="completed",
            finished=at(DAY, 12),
            due=DAY + dt.timedelta(days=1),
        )
        application(
            offering_a,
            submitted=at(prev - dt.timedelta(days=7), 10),
            status="completed",
            finished=at(DAY, 13),
            due=DAY - dt.timedelta(days=2),
        )
        application(
            offering_a, submitted=at(prev, 11), status="rejected", finished=at(DAY, 14), due=DAY
        )
        # overdue at the end of DAY: due before DAY, still open; one finished the day after
        application(
            offering_a, submitted=at(prev, 8), status="processing", due=DAY - dt.timedelta(days=1)
        )
        application(
            offering_a,
            submitted=at(prev, 8),
            status="completed",
            due=DAY - dt.timedelta(days=1),
            finished=at(DAY + dt.timedelta(days=1), 9),
        )
        application(
            offering_a, submitted=at(prev, 8), status="returned", due=DAY - dt.timedelta(days=1)
        )  # the clock stops while returned
        # a finish just after local midnight belongs to the next day
        application(
            offering_a,
            submitted=at(prev, 8),
            status="completed",
            finished=at(DAY + dt.timedelta(days=1), 0, 5),
            due=DAY + dt.timedelta(days=3),
        )
        waits = [3, 7, 12, 20, 45]
        for i, w in enumerate(waits):
            ticket(
                offering_a,
                counter,
                day=DAY,
                issued=at(DAY, 9, i),
                called=at(DAY, 9, i) + dt.timedelta(minutes=w),
            )
        ticket(
            offering_a,
            counter,
            day=DAY,
            issued=at(DAY, 10),
            called=at(DAY, 10, 30),
            status="no_show",
        )
        ticket(offering_a, counter, day=DAY, issued=at(DAY, 11), status="waiting")  # never called
        ticket(
            offering_a,
            counter,
            day=DAY - dt.timedelta(days=1),
            issued=at(DAY - dt.timedelta(days=1), 9),
            called=at(DAY - dt.timedelta(days=1), 9, 5),
        )
        assert Ticket.objects.filter(date=DAY).count() == 7  # fmt: skip
    return {"waits": [*waits, 30]}


def _direct(region, in_region):
    """The same figures, computed here in Python from the rows of the region's schema."""
    from tenants.applications.models import Application
    from tenants.mpp.selectors import working_days_between
    from tenants.queue.models import Ticket

    with in_region(region):
        apps = list(Application.objects.all())
        start, end = at(DAY, 0), at(DAY + dt.timedelta(days=1), 0)
        received = [a for a in apps if a.first_submitted_at and start <= a.first_submitted_at < end]
        finished = [a for a in apps if a.finished_at and start <= a.finished_at < end]
        completed = [a for a in finished if a.status == "completed"]
        overdue = [
            a for a in apps
            if a.status not in ("draft", "returned") and a.due_date and a.due_date < DAY
            and a.first_submitted_at < end and (a.finished_at is None or a.finished_at >= end)
        ]  # fmt: skip
        durations = [
            working_days_between(
                a.first_submitted_at.astimezone(start.tzinfo).date() + dt.timedelta(days=1), DAY
            )
            for a in finished
        ]
        tickets = list(Ticket.objects.filter(date=DAY))
        waits = [
            max(0.0, (t.called_at - t.issued_at).total_seconds() / 60)
            for t in tickets
            if t.called_at
        ]
    return {
        "applications_received": len(received),
        "channel_online": sum(1 for a in received if not a.is_assisted),
        "channel_assisted": sum(1 for a in received if a.is_assisted),
        "applications_completed": len(completed),
        "applications_rejected": len(finished) - len(completed),
        "applications_completed_on_time": sum(1 for a in completed if a.due_date >= DAY),
        "applications_overdue": len(overdue),
        "processing_days_p50": statistics.median(durations),
        "processing_days_p90": _percentile(durations, 0.9),
        "tickets_served": sum(1 for t in tickets if t.status == "done"),
        "tickets_no_show": sum(1 for t in tickets if t.status == "no_show"),
        "channel_counter": sum(1 for t in tickets if t.status == "done" and t.kind == "walk_in"),
        "wait_minutes_p50": round(statistics.median(waits), 2),
        "wait_minutes_p90": round(_percentile(waits, 0.9), 2),
    }


def test_rollup_equals_direct_computation(
    region_a, in_region, busy_day, superadmin, django_capture_on_commit_callbacks
):
    from shared.monitoring.models import ProvinceDay, RegionDay
    from shared.monitoring.rollups import rollup_request

    with django_capture_on_commit_callbacks(execute=False):
        job = rollup_request(actor=superadmin, start=DAY, end=DAY, region_code="35.10")
    run_job(job)

    row = RegionDay.objects.get(region=region_a.region, day=DAY)
    expected = _direct(region_a, in_region)
    assert {k: getattr(row, k) for k in expected} == pytest.approx(expected)
    assert expected["applications_received"] == 5
    assert expected["applications_overdue"] == 2
    # Every app feeds its columns: a day without complaints is zero (counted), not unknown.
    from tenants.complaints.models import Complaint

    with in_region(region_a):
        complaints = Complaint.objects.filter(received_on=DAY).count()
    assert row.complaints_received == complaints
    assert row.complaints_received is not None
    province = ProvinceDay.objects.get(province_id="35", day=DAY)
    assert province.applications_received == 5
    assert province.regions == 1
    assert job.items.get().status == "done"


def test_rerunning_a_day_changes_nothing(
    region_a, in_region, busy_day, superadmin, django_capture_on_commit_callbacks
):
    from shared.monitoring.models import ProvinceDay, RegionDay
    from shared.monitoring.rollups import region_days_store, rollup_request
    from tenants.reporting.compute import region_figures

    with django_capture_on_commit_callbacks(execute=False):
        first = rollup_request(actor=superadmin, start=DAY, end=DAY, region_code="35.10")
    run_job(first)
    before = RegionDay.objects.filter(region=region_a.region).values()
    before = {r["day"]: r for r in before}
    province_before = list(ProvinceDay.objects.filter(province_id="35").values())

    with django_capture_on_commit_callbacks(execute=False):
        second = rollup_request(actor=superadmin, start=DAY, end=DAY, region_code="35.10")
    run_job(second)
    after = {r["day"]: r for r in RegionDay.objects.filter(region=region_a.region).values()}
    assert after == before  # computed_at included: the row was not even rewritten
    assert list(ProvinceDay.objects.filter(province_id="35").values()) == province_before
    with in_region(region_a):
        assert region_days_store(region_id=region_a.region_id, rows={DAY: region_figures(DAY)}) == 0


def test_failing_region_is_retried_and_does_not_block_others(
    region_a, region_b, in_region, busy_day, offering_b, superadmin,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from shared.monitoring.models import RegionDay, RollupItem
    from shared.monitoring.rollups import rollup_request, rollup_resume

    with in_region(region_b):
        application(offering_b, submitted=at(DAY, 9))
    with django_capture_on_commit_callbacks(execute=False):
        job = rollup_request(actor=superadmin, start=DAY, end=DAY)
    items = dict(job.items.values_list("region__code", "pk"))
    assert set(items) >= {"35.10", "35.74"}

    # Region B breaks for real mid-roll-up: its applications table is gone (DDL is
    # transactional: the test's transaction puts it back).
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {region_b.schema_name}.applications_application RENAME TO broken"
        )
    # B runs first, and fails; A still rolls up.
    order = sorted(
        job.items.values_list("pk", "schema_name"), key=lambda p: p[1] != region_b.schema_name
    )
    run_items(order)
    b = RollupItem.objects.get(pk=items["35.74"])
    assert b.status == "failed"
    assert b.attempts == 1
    assert b.next_attempt_at is not None
    assert "broken" in b.last_error or "applications_application" in b.last_error
    assert RollupItem.objects.get(pk=items["35.10"]).status == "done"
    assert RegionDay.objects.filter(region=region_a.region, day=DAY).exists()
    assert not RegionDay.objects.filter(region=region_b.region, day=DAY).exists()

    # Nothing is re-sent before the back-off is over; afterwards only B is.
    sent = []
    assert rollup_resume(send=sent.extend) == 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {region_b.schema_name}.broken RENAME TO applications_application"
        )
    later = b.next_attempt_at + dt.timedelta(seconds=1)
    assert rollup_resume(now=later, send=sent.extend) == 1
    assert sent == [(b.pk, region_b.schema_name)]
    run_items(sent)
    b.refresh_from_db()
    assert (b.status, b.attempts) == ("done", 2)
    assert RegionDay.objects.get(region=region_b.region, day=DAY).applications_received == 1


def test_a_message_delivered_twice_does_nothing_the_second_time(
    region_a, busy_day, superadmin, django_capture_on_commit_callbacks
):
    from shared.monitoring.rollups import rollup_request

    with django_capture_on_commit_callbacks(execute=False):
        job = rollup_request(actor=superadmin, start=DAY, end=DAY, region_code="35.10")
    run_job(job)
    run_job(job)
    assert job.items.get().attempts == 1


def test_late_change_recomputes_the_affected_day(
    region_a, in_region, offering_a, superadmin, django_capture_on_commit_callbacks
):
    from shared.monitoring.models import RegionDay
    from shared.monitoring.rollups import rollup_nightly, rollup_request

    with in_region(region_a):
        late = application(offering_a, submitted=at(DAY, 9), due=DAY + dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=False):
        run_job(rollup_request(actor=superadmin, start=DAY, end=DAY, region_code="35.10"))
    assert RegionDay.objects.get(region=region_a.region, day=DAY).applications_completed == 0

    # Weeks later a back-dated completion is recorded for DAY: the nightly run (whose window
    # is far from DAY) finds the change and recomputes DAY.
    with in_region(region_a):
        late.status = "completed"
        late.result_kind = "pickup"
        late.finished_at = at(DAY, 15)
        late.save()
    with django_capture_on_commit_callbacks(execute=False):
        nightly = rollup_nightly(today=DAY + dt.timedelta(days=60))
    assert nightly.start > DAY
    run_items(nightly.items.filter(region=region_a.region).values_list("pk", "schema_name"))
    row = RegionDay.objects.get(region=region_a.region, day=DAY)
    assert (row.applications_completed, row.applications_completed_on_time) == (1, 1)


@pytest.mark.parametrize(
    ("start", "end", "code", "error"),
    [
        (None, DAY, "", "range_empty"),
        (DAY, DAY - dt.timedelta(days=1), "", "range_reversed"),
        (DAY - dt.timedelta(days=800), DAY, "", "range_long"),
        (DAY, dt.date(2099, 1, 1), "", "range_future"),
        (DAY, DAY, "99.99", "unknown_region"),
        (DAY, DAY, "11.01", "region_not_live"),
    ],
)
def test_bad_rollup_requests_are_refused_with_a_message(superadmin, start, end, code, error):
    from shared.monitoring.models import RollupJob
    from shared.monitoring.rollups import rollup_request

    with pytest.raises(DomainError) as caught:
        rollup_request(actor=superadmin, start=start, end=end, region_code=code)
    assert caught.value.code == error
    assert caught.value.message
    assert not RollupJob.objects.exists()


def test_rollup_api_and_page_refuse_bad_input(national_client, superadmin):
    national_client.force_login(superadmin)
    response = national_client.post(
        "/api/v1/pemantauan/rekap/",
        {"start": "2026-11-23", "end": "2026-11-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "sebelum" in response.json()["detail"]
    response = national_client.post(
        "/pemantauan/rekap/", {"start": "", "end": "2026-11-01", "region": "35.10"}, follow=True
    )
    assert response.status_code == 200
    assert "Isi tanggal awal" in response.content.decode()


def test_nightly_dispatch_covers_live_regions_only(
    region_a, region_b, django_capture_on_commit_callbacks
):
    from shared.monitoring.rollups import TRAILING_DAYS, rollup_nightly
    from shared.regions.models import Mpp

    Mpp.objects.filter(pk=region_b.pk).update(status=Mpp.Status.SUSPENDED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = rollup_nightly(today=DAY)
    assert len(callbacks) == 1
    assert region_a.schema_name in set(job.items.values_list("schema_name", flat=True))
    assert region_b.schema_name not in set(job.items.values_list("schema_name", flat=True))
    assert job.end == DAY - dt.timedelta(days=1)
    assert (job.end - job.start).days + 1 == TRAILING_DAYS


def test_the_region_task_refuses_another_schema(
    region_a, region_b, superadmin, django_capture_on_commit_callbacks
):
    from kernel.errors import MissingRegionSchemaError
    from shared.monitoring.rollups import rollup_request
    from tenants.reporting.tasks import reporting_rollup_region

    with django_capture_on_commit_callbacks(execute=False):
        job = rollup_request(actor=superadmin, start=DAY, end=DAY, region_code="35.10")
    item = job.items.get()
    with pytest.raises(MissingRegionSchemaError):
        reporting_rollup_region.apply(
            kwargs={"item_id": item.pk, "schema_name": region_a.schema_name}, throw=True
        )
    with pytest.raises(ValueError, match="belongs to"):
        reporting_rollup_region.apply(
            kwargs={"item_id": item.pk, "schema_name": region_b.schema_name},
            headers={"_schema_name": region_b.schema_name},
            throw=True,
        )


def test_beat_runs_the_nightly_rollup_and_the_retries():
    from django.conf import settings

    from mpp_platform.celery import app

    schedule = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"monitoring.rollup_nightly", "monitoring.rollup_resume"} <= set(schedule)
    nightly = schedule["monitoring.rollup_nightly"]
    assert nightly.hour == {0}  # after midnight in WIB, so after midnight in WITA and WIT too
    app.loader.import_default_modules()
    assert {"monitoring.rollup_nightly", "reporting.rollup_region"} <= set(app.tasks)


def _complaints_direct(region, in_region):
    """The complaint columns of DAY, counted here in Python from the region's complaint rows."""
    from tenants.complaints.models import Complaint

    start, end = at(DAY, 0), at(DAY + dt.timedelta(days=1), 0)
    with in_region(region):
        rows = list(Complaint.objects.all())

    def due(c):
        triaged = c.triaged_at is not None and c.triaged_at < end
        return c.resolution_due if triaged and c.resolution_due else c.response_due

    ended = [
        c for c in rows
        if c.closed_at and start <= c.closed_at < end and c.status in ("closed", "not_complaint")
    ]  # fmt: skip
    rated = [c for c in rows if c.rated_at and start <= c.rated_at < end]
    return {
        "complaints_received": sum(1 for c in rows if c.received_on == DAY),
        "complaints_closed": len(ended),
        "complaints_closed_on_time": sum(1 for c in ended if c.closed_on_time),
        "complaints_overdue": sum(
            1
            for c in rows
            if c.received_on <= DAY and (c.closed_at is None or c.closed_at >= end) and due(c) < DAY
        ),
        "complaints_forwarded": sum(
            1 for c in rows if c.forwarded_at and start <= c.forwarded_at < end
        ),
        "complaints_rating_sum": sum(c.rating for c in rated),
        "complaints_rating_count": len(rated),
    }


def test_rollup_includes_complaints_and_skm_computed_in_the_region(
    region_a, in_region, offering_a, superadmin, make_citizen, make_user,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """The complaints and SKM apps feed the same row: equal to counts made here from their own
    tables (complaints filed, answered, rated and overdue on DAY; SKM responses of DAY with
    their element sums)."""
    import time_machine

    from shared.accounts.models import Role
    from shared.monitoring.models import RegionDay
    from shared.monitoring.rollups import rollup_request
    from tenants.complaints.models import Channel, Complaint
    from tenants.complaints.services import (
        Filing,
        complaint_close,
        complaint_file,
        complaint_rate,
    )
    from tenants.survey.models import Response
    from tests.tenants.survey.factories import respond

    user, _profile = make_citizen()
    officer = make_user(role=Role.COMPLAINT_OFFICER, region=region_a)

    def file(subject, kind="pengaduan"):
        return complaint_file(
            actor=user,
            channel=Channel.ONLINE,
            owner=user,
            filing=Filing(kind=kind, subject=subject, description="Menunggu lama."),
        )

    with in_region(region_a), django_capture_on_commit_callbacks(execute=False):
        with time_machine.travel(at(DAY - dt.timedelta(days=14), 10), tick=False):
            file("Tidak pernah dijawab")  # open and past its deadline on DAY: overdue
        with time_machine.travel(at(DAY, 10), tick=False):
            file("Antrean lama")
            answered = file("Syarat izin usaha", kind="informasi")
            respond(offering_a, scores=(4, 3, 3, 4, 4, 3, 3, 4, 4), at=at(DAY, 11))
            respond(offering_a, scores=(2, 3, 4, 3, 3, 3, 4, 4, 3), at=at(DAY, 12))
        with time_machine.travel(at(DAY, 14), tick=False):
            complaint_close(actor=officer, complaint=answered, answer="Syaratnya KTP dan NIB.")
        with time_machine.travel(at(DAY, 15), tick=False):
            complaint_rate(actor=user, complaint=answered, rating=5)
    expected = _complaints_direct(region_a, in_region)
    with in_region(region_a):
        received = Complaint.objects.filter(received_on=DAY).count()
        responses = list(Response.objects.filter(date=DAY))
    with django_capture_on_commit_callbacks(execute=False):
        job = rollup_request(actor=superadmin, start=DAY, end=DAY, region_code="35.10")
    run_job(job)
    row = RegionDay.objects.get(region=region_a.region, day=DAY)
    assert row.complaints_received == received == 2
    assert {k: getattr(row, k) for k in expected} == expected
    assert expected["complaints_closed"] == expected["complaints_closed_on_time"] == 1
    assert expected["complaints_overdue"] == 1
    assert (expected["complaints_rating_sum"], expected["complaints_rating_count"]) == (5, 1)
    assert row.skm_respondents == len(responses) == 2
    for i in range(1, 10):
        assert getattr(row, f"skm_sum_u{i}") == sum(getattr(r, f"u{i}") for r in responses)
