"""Staff workflow: access (logged for the citizen), transitions, return and resubmit, results,
rejection, and the overdue sweep."""

import datetime as dt

import pytest
from django.core import mail

from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.citizens.models import (
    AccessAction,
    ApplicationIndex,
    ApplicationStatus,
    DataAccessLog,
    OutboxMessage,
    ResultKind,
)
from tenants.applications import services
from tenants.applications.models import Application, ApplicationFile, StatusChange
from tests.shared.citizens.conftest import png_bytes, upload


def test_staff_open_is_logged_once_per_visit(submitted, mpp_a, in_region, citizen):
    with in_region(mpp_a.mpp):
        application = services.access_application_for_staff(
            user=mpp_a.operator, application_id=submitted.pk
        )
        services.staff_data_access(actor=mpp_a.operator, application=application)
        services.staff_data_access(actor=mpp_a.operator, application=application)
    entry = DataAccessLog.objects.get(profile=citizen.profile)
    assert entry.actor == mpp_a.operator
    assert entry.role == "operator"
    assert entry.region == mpp_a.mpp.region
    assert entry.booth_id == mpp_a.booth.pk
    assert entry.booth_name == "Gerai Dukcapil"
    assert entry.action == AccessAction.APPLICATION_OPENED
    assert entry.reference == submitted.number


def test_staff_of_another_booth_cannot_see_it(submitted, mpp_a, in_region):
    with in_region(mpp_a.mpp), pytest.raises(NotFoundError):
        services.access_application_for_staff(
            user=mpp_a.other_operator, application_id=submitted.pk
        )
    # Admins and the booth's supervisor can.
    with in_region(mpp_a.mpp):
        for user in (mpp_a.admin, mpp_a.supervisor):
            assert services.access_application_for_staff(user=user, application_id=submitted.pk)


def test_drafts_are_invisible_to_staff(mpp_a, citizen, in_region):
    with in_region(mpp_a.mpp):
        draft, _ = services.application_draft_save(
            actor=citizen.user, citizen=citizen.profile, offering=mpp_a.offering
        )
        with pytest.raises(NotFoundError):
            services.access_application_for_staff(user=mpp_a.admin, application_id=draft.pk)


def test_the_whole_path_with_a_return_for_revision(
    submitted, mpp_a, citizen, in_region, django_capture_on_commit_callbacks, eager_tasks
):
    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=True):
        op = mpp_a.operator
        services.application_verify(actor=op, application=submitted)
        returned = services.application_return(
            actor=op, application=submitted, reasons="Foto KK buram, unggah ulang."
        )
        assert returned.status == ApplicationStatus.RETURNED
        assert returned.revision_note == "Foto KK buram, unggah ulang."
        # The citizen fixes it and resubmits: same number, a new due date.
        fixed, errors = services.application_draft_save(
            actor=citizen.user,
            citizen=citizen.profile,
            application=returned,
            uploads={f"doc-{citizen.kk.document_type_id}": upload("kk2.png", png_bytes())},
        )
        assert not errors
        resubmitted = services.application_submit(actor=citizen.user, application=fixed)
        assert resubmitted.number == submitted.number
        services.application_verify(actor=op, application=resubmitted)
        services.application_process(actor=op, application=resubmitted)
        done = services.application_complete(
            actor=op,
            application=resubmitted,
            result_kind=ResultKind.DOCUMENT,
            upload=upload("hasil.pdf", b"%PDF-1.4\nhasil\n%%EOF\n"),
            note="Dokumen ditandatangani elektronik.",
        )
        history = list(
            StatusChange.objects.filter(application=done).values_list("to_status", flat=True)
        )
        result = ApplicationFile.objects.get(application=done, purpose="result")
    assert done.status == ApplicationStatus.COMPLETED
    assert done.finished_at is not None
    assert history == [
        "submitted",
        "verified",
        "returned",
        "submitted",
        "verified",
        "processing",
        "completed",
    ]
    assert result.content_type == "application/pdf"
    row = ApplicationIndex.objects.get(application_id=done.pk, region=mpp_a.mpp.region)
    assert row.status == "completed"
    assert row.result_kind == "document"
    assert len(row.timeline) == 8  # draft + seven changes
    # Every status change told the citizen by email and WhatsApp (the first submission's
    # notice was queued by the fixture, whose transaction never commits, so it never left).
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 6

    assert "Perlu perbaikan" in " ".join(subjects)
    assert OutboxMessage.objects.filter(channel="whatsapp", profile=citizen.profile).count() == 6
    returned_msg = OutboxMessage.objects.filter(body__contains="Foto KK buram").first()
    assert returned_msg is not None


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        ("application_process", {}),
        ("application_complete", {"result_kind": "pickup"}),
    ],
)
def test_steps_cannot_be_skipped(submitted, mpp_a, in_region, action, kwargs):
    with in_region(mpp_a.mpp), pytest.raises(ConflictError) as exc:
        getattr(services, action)(actor=mpp_a.operator, application=submitted, **kwargs)
    assert exc.value.code == "invalid_transition"


def test_return_and_reject_need_a_reason(submitted, mpp_a, in_region):
    with in_region(mpp_a.mpp):
        with pytest.raises(DomainError) as exc:
            services.application_return(actor=mpp_a.operator, application=submitted, reasons=" ")
        assert exc.value.code == "reason_required"
        with pytest.raises(DomainError):
            services.application_reject(actor=mpp_a.operator, application=submitted, reason="")
        rejected = services.application_reject(
            actor=mpp_a.operator, application=submitted, reason="Bukan warga setempat."
        )
    assert rejected.status == ApplicationStatus.REJECTED
    assert rejected.rejection_reason == "Bukan warga setempat."


def test_complete_for_pickup_and_document_rules(submitted, mpp_a, in_region):
    with in_region(mpp_a.mpp):
        services.application_verify(actor=mpp_a.operator, application=submitted)
        services.application_process(actor=mpp_a.operator, application=submitted)
        with pytest.raises(DomainError):
            services.application_complete(
                actor=mpp_a.operator, application=submitted, result_kind="document"
            )
        with pytest.raises(DomainError):
            services.application_complete(
                actor=mpp_a.operator,
                application=submitted,
                result_kind="document",
                upload=upload("hasil.pdf", b"teks biasa" * 20),
            )
        with pytest.raises(DomainError):
            services.application_complete(
                actor=mpp_a.operator, application=submitted, result_kind="lainnya"
            )
        done = services.application_complete(
            actor=mpp_a.operator, application=submitted, result_kind="pickup"
        )
    assert done.result_kind == ResultKind.PICKUP


def test_overdue_applications_notify_the_booth_supervisor_once_a_day(
    submitted, mpp_a, in_region, django_capture_on_commit_callbacks
):
    with in_region(mpp_a.mpp):
        Application.objects.filter(pk=submitted.pk).update(due_date=dt.date(2026, 1, 5))
        with django_capture_on_commit_callbacks(execute=True):
            assert services.applications_notify_overdue(today=dt.date(2026, 1, 7)) == 1
        assert services.applications_notify_overdue(today=dt.date(2026, 1, 7)) == 0
        assert services.applications_notify_overdue(today=dt.date(2026, 1, 8)) == 1
    messages = OutboxMessage.objects.filter(channel="email", recipient=mpp_a.supervisor.email)
    assert messages.count() == 2
    assert submitted.number in messages.first().body
    # Nobody else's inbox: not the operator of the other booth.
    assert not OutboxMessage.objects.filter(recipient=mpp_a.other_operator.email).exists()
    assert [m.subject for m in mail.outbox if mpp_a.supervisor.email in m.to]


def test_overdue_goes_to_admins_when_no_supervisor(submitted, mpp_a, in_region):
    from shared.accounts.models import Membership

    Membership.objects.filter(user=mpp_a.supervisor).update(is_active=False)
    with in_region(mpp_a.mpp):
        Application.objects.filter(pk=submitted.pk).update(due_date=dt.date(2026, 1, 5))
        services.applications_notify_overdue(today=dt.date(2026, 1, 7))
    assert OutboxMessage.objects.filter(recipient=mpp_a.admin.email).exists()


def test_overdue_task_runs_in_its_region(submitted, mpp_a, in_region):
    from tenants.applications.tasks import notify_overdue

    with in_region(mpp_a.mpp):
        Application.objects.filter(pk=submitted.pk).update(due_date=dt.date(2026, 1, 5))
    schema = mpp_a.mpp.schema_name
    result = notify_overdue.apply(
        kwargs={"schema_name": schema}, headers={"_schema_name": schema}, throw=True
    )
    assert result.get() == 1


def test_overdue_is_on_the_beat_schedule(settings):
    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "mpp_platform.dispatch_to_live_regions"
        and e.get("args") == ["applications.notify_overdue"]
    ]
    assert len(entries) == 1
