"""The complaint's life through the real services: filing, triage, answers, reopening, rating,
deadlines in working days, reminders and escalation."""

import datetime as dt

import pytest

from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.citizens.models import OutboxMessage
from shared.complaints.models import ComplaintIndex, ComplaintStatus
from tests.tenants.complaints.conftest import SECRET_EMAIL


def _outbox(reference, recipient=None):
    qs = OutboxMessage.objects.filter(reference=reference)
    if recipient:
        qs = qs.filter(recipient=recipient)
    return list(qs)


def test_filing_online_numbers_dates_indexes_and_notifies(
    clock,
    mpp_a,
    officer_a,
    complainant,
    file_complaint,
    django_capture_on_commit_callbacks,
    eager_tasks,
):
    clock.set(2026, 3, 6)  # Friday
    with django_capture_on_commit_callbacks(execute=True):  # the notices leave after commit
        complaint = file_complaint(mpp_a.mpp, owner=complainant.user, offering_id=mpp_a.offering.pk)
    assert complaint.number == "ADU-3510-2026-00001"
    assert len(complaint.tracking_code) == 10
    assert complaint.status == ComplaintStatus.RECEIVED
    assert complaint.received_on == dt.date(2026, 3, 6)
    assert complaint.response_due == dt.date(2026, 3, 11)  # Mon, Tue, Wed: the weekend skipped
    assert complaint.booth_id is None
    assert complaint.offering_id == mpp_a.offering.pk
    assert complaint.complainant_email == SECRET_EMAIL
    row = ComplaintIndex.objects.get(complaint_id=complaint.pk, region=mpp_a.mpp.region)
    assert row.owner_id == complainant.user.pk
    assert row.status == "received"
    # The complainant by e-mail and WhatsApp, the officer by e-mail.
    assert {m.channel for m in _outbox(complaint.number, SECRET_EMAIL)} == {"email"}
    assert {m.recipient for m in _outbox(complaint.number)} >= {SECRET_EMAIL, officer_a.email}


def test_due_dates_skip_holidays_and_cuti_bersama(clock, mpp_a, complainant, file_complaint):
    from tenants.complaints.models import Complexity
    from tenants.complaints.services import complaint_route
    from tenants.mpp.models import GeneralInfo

    clock.set(2026, 3, 17)  # Tuesday before Nyepi and Idulfitri 1447 H
    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    # 18 cuti, 19 libur, 20 cuti, weekend, 23–24 cuti: 25, 26, 27.
    assert complaint.response_due == dt.date(2026, 3, 27)
    from django.db import connection

    connection.set_tenant(mpp_a.mpp)
    GeneralInfo.objects.update_or_create(key=1, defaults={"open_on_cuti_bersama": True})
    connection.set_schema_to_public()
    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    assert complaint.response_due == dt.date(2026, 3, 23)  # the MPP opens on cuti bersama
    clock.set(2026, 5, 13)  # Wednesday; 14 libur, 15 cuti (open here), 27 libur, 28 cuti
    connection.set_tenant(mpp_a.mpp)
    routed = complaint_route(
        actor=mpp_a.admin, complaint=complaint, booth=mpp_a.booth, complexity=Complexity.SIMPLE
    )
    connection.set_schema_to_public()
    assert routed.resolution_due == dt.date(2026, 5, 21)  # 14 off; 15 (cuti, open), 18–21


def test_mpp_closure_day_is_not_a_working_day(clock, mpp_a, complainant, file_complaint, in_region):
    from tenants.mpp.models import Closure

    with in_region(mpp_a.mpp):
        Closure.objects.create(
            start_date=dt.date(2026, 3, 9), end_date=dt.date(2026, 3, 9), reason="Rapat"
        )
    clock.set(2026, 3, 6)
    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    assert complaint.response_due == dt.date(2026, 3, 12)


def test_route_answer_rate_once(
    clock,
    mpp_a,
    officer_a,
    complainant,
    file_complaint,
    in_region,
    django_capture_on_commit_callbacks,
    eager_tasks,
):
    from tenants.complaints.models import Complexity
    from tenants.complaints.services import (
        complaint_close,
        complaint_rate,
        complaint_reopen,
        complaint_route,
    )

    clock.set(2026, 3, 2)
    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    with in_region(mpp_a.mpp):
        with django_capture_on_commit_callbacks(execute=True):  # the notices leave after commit
            routed = complaint_route(
                actor=officer_a,
                complaint=complaint,
                booth=mpp_a.booth,
                complexity=Complexity.NO_FIELD_CHECK,
                note="Mohon dicek jadwal petugas.",
            )
        assert routed.status == "in_progress"
        # 14 working days: Nyepi and Idulfitri (18–24 March) do not count.
        assert routed.resolution_due == dt.date(2026, 3, 27)
        assert routed.first_response_at is not None
        # The booth's operator was told; the other booth's was not.
        assert _outbox(complaint.number, mpp_a.operator.email)
        assert not _outbox(complaint.number, mpp_a.other_operator.email)
        with pytest.raises(NotFoundError):
            complaint_close(actor=mpp_a.other_operator, complaint=routed, answer="Bukan gerai saya")
        with pytest.raises(DomainError) as empty:
            complaint_close(actor=mpp_a.operator, complaint=routed, answer="   ")
        assert empty.value.extra["errors"]["answer"]
        clock.set(2026, 3, 5)
        closed = complaint_close(
            actor=mpp_a.operator, complaint=routed, answer="Petugas sudah ditegur dan dilatih."
        )
        assert closed.status == "closed"
        assert closed.closed_on_time is True
        with pytest.raises(ConflictError):
            complaint_route(
                actor=officer_a, complaint=closed, booth=mpp_a.booth, complexity="simple"
            )
        with pytest.raises(DomainError) as bad:
            complaint_rate(actor=complainant.user, complaint=closed, rating=6)
        assert bad.value.extra["errors"]["rating"]
        rated = complaint_rate(actor=complainant.user, complaint=closed, rating=4, comment="Cepat")
        assert rated.rating == 4
        with pytest.raises(ConflictError) as twice:
            complaint_rate(actor=complainant.user, complaint=rated, rating=1)
        assert twice.value.code == "already_rated"
        with pytest.raises(ConflictError):
            complaint_reopen(actor=complainant.user, complaint=rated, reason="Belum puas")
        rated.refresh_from_db()
    assert rated.rating == 4
    assert rated.rating_comment == "Cepat"
    assert ComplaintIndex.objects.get(complaint_id=rated.pk).rated is True


def test_reopen_once_within_ten_working_days(
    clock, mpp_a, officer_a, complainant, file_complaint, in_region
):
    from tenants.complaints.services import complaint_close, complaint_reopen

    clock.set(2026, 4, 1)
    first = file_complaint(mpp_a.mpp, owner=complainant.user, kind="informasi")
    second = file_complaint(mpp_a.mpp, owner=complainant.user, kind="informasi")
    with in_region(mpp_a.mpp):
        # The officer answers information requests directly.
        first = complaint_close(actor=officer_a, complaint=first, answer="Syaratnya KTP dan KK.")
        second = complaint_close(actor=officer_a, complaint=second, answer="Biayanya gratis.")
        # 1 Apr + 10 working days (3 Apr Good Friday off) = 16 Apr.
        clock.set(2026, 4, 16, 23, 0)
        reopened = complaint_reopen(actor=complainant.user, complaint=first, reason="Masih bingung")
        assert reopened.status == "received"
        assert reopened.reopen_count == 1
        assert reopened.response_due == dt.date(2026, 4, 21)
        assert reopened.closed_at is None
        assert reopened.resolution == ""
        again = complaint_close(actor=officer_a, complaint=reopened, answer="Penjelasan lengkap.")
        with pytest.raises(ConflictError) as once:
            complaint_reopen(actor=complainant.user, complaint=again, reason="Lagi")
        assert once.value.code == "reopen_used"
        clock.set(2026, 4, 17, 8, 0)
        with pytest.raises(ConflictError) as late:
            complaint_reopen(actor=complainant.user, complaint=second, reason="Terlambat")
        assert late.value.code == "reopen_window_passed"
        assert "16-04-2026" in late.value.message
        second.refresh_from_db()
    assert second.status == "closed"
    assert second.resolution == "Biayanya gratis."


def test_not_a_complaint_needs_a_reason_and_only_triage_may(
    clock, mpp_a, officer_a, complainant, file_complaint, in_region
):
    from tenants.complaints.services import complaint_mark_not_complaint

    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    with in_region(mpp_a.mpp):
        with pytest.raises(DomainError) as empty:
            complaint_mark_not_complaint(actor=officer_a, complaint=complaint, reason="")
        assert empty.value.extra["errors"]["reason"]
        with pytest.raises(NotFoundError):
            complaint_mark_not_complaint(actor=mpp_a.operator, complaint=complaint, reason="x")
        done = complaint_mark_not_complaint(
            actor=officer_a, complaint=complaint, reason="Ucapan terima kasih, bukan pengaduan."
        )
        assert done.status == "not_complaint"
        assert done.closed_on_time is True
        with pytest.raises(ConflictError):
            complaint_mark_not_complaint(actor=officer_a, complaint=done, reason="lagi")


def test_forward_to_lapor_keeps_the_tracking_number(
    clock, mpp_a, officer_a, complainant, file_complaint, in_region
):
    from tenants.complaints.models import LaporOutbox
    from tenants.complaints.services import complaint_forward_to_lapor

    anonymous = file_complaint(mpp_a.mpp, owner=complainant.user, privacy="anonymous")
    confidential = file_complaint(mpp_a.mpp, owner=complainant.user, privacy="confidential")
    with in_region(mpp_a.mpp):
        forwarded = complaint_forward_to_lapor(
            actor=officer_a, complaint=anonymous, note="Wewenang pemerintah provinsi."
        )
        assert forwarded.status == "forwarded"
        assert forwarded.lapor_tracking_id.startswith("LOKAL-3510-")
        sent = LaporOutbox.objects.get(complaint=forwarded)
        assert sent.payload["reporter"] is None
        assert "Wewenang pemerintah provinsi." in sent.payload["body"]
        other = complaint_forward_to_lapor(actor=officer_a, complaint=confidential)
        payload = LaporOutbox.objects.get(complaint=other).payload
        assert payload["is_confidential"] is True
        assert payload["reporter"]["email"] == SECRET_EMAIL
        with pytest.raises(ConflictError):
            complaint_forward_to_lapor(actor=officer_a, complaint=forwarded)
    row = ComplaintIndex.objects.get(complaint_id=forwarded.pk)
    assert row.lapor_tracking_id == forwarded.lapor_tracking_id


def test_messages_both_ways_with_evidence(
    clock, mpp_a, officer_a, complainant, file_complaint, in_region
):
    from tenants.complaints.models import Attachment
    from tenants.complaints.services import (
        complaint_message_citizen,
        complaint_message_staff,
    )
    from tests.shared.citizens.conftest import pdf_bytes, png_bytes, upload

    complaint = file_complaint(
        mpp_a.mpp,
        owner=complainant.user,
        uploads=[upload("foto.png", png_bytes())],
    )
    with in_region(mpp_a.mpp):
        assert complaint.first_response_at is None
        complaint_message_staff(actor=officer_a, complaint=complaint, body="Kapan kejadiannya?")
        complaint.refresh_from_db()
        assert complaint.first_response_at is not None
        complaint_message_citizen(
            actor=complainant.user,
            complaint=complaint,
            body="Senin pagi, ini buktinya.",
            uploads=[upload("bukti.pdf", pdf_bytes())],
        )
        with pytest.raises(DomainError) as wrong:
            complaint_message_citizen(
                actor=complainant.user,
                complaint=complaint,
                body="Ini skrip",
                uploads=[upload("x.pdf", b"#!/bin/sh\necho pwned\n")],
            )
        assert "Jenis berkas" in wrong.value.extra["errors"]["attachments"][0]
        with pytest.raises(DomainError) as too_long:
            complaint_message_citizen(actor=complainant.user, complaint=complaint, body="x" * 2001)
        assert too_long.value.extra["errors"]["body"]
        assert complaint.messages.count() == 2  # the refused ones left nothing behind
        assert Attachment.objects.filter(complaint=complaint).count() == 2


def test_too_many_or_too_large_files(clock, mpp_a, complainant, file_complaint, settings):
    from tests.shared.citizens.conftest import pdf_bytes, upload

    with pytest.raises(DomainError) as many:
        file_complaint(
            mpp_a.mpp,
            owner=complainant.user,
            uploads=[upload(f"{i}.pdf", pdf_bytes(str(i))) for i in range(6)],
        )
    assert many.value.extra["errors"]["attachments"]
    settings.CITIZEN_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(DomainError) as large:
        file_complaint(
            mpp_a.mpp, owner=complainant.user, uploads=[upload("besar.pdf", pdf_bytes("x" * 500))]
        )
    assert "terlalu besar" in large.value.extra["errors"]["attachments"][0]


def test_bad_filing_input_is_refused_per_field_and_stores_nothing(
    clock, mpp_a, complainant, file_complaint, in_region
):
    from tenants.complaints.models import Complaint

    with pytest.raises(DomainError) as refused:
        file_complaint(
            mpp_a.mpp,
            owner=complainant.user,
            kind="keluhan",
            subject="",
            description="x" * 4001,
            privacy="setengah",
            offering_id="abc",
            application_id=999999,
        )
    errors = refused.value.extra["errors"]
    assert set(errors) >= {"kind", "subject", "description", "privacy", "offering", "application"}
    with in_region(mpp_a.mpp):
        assert not Complaint.objects.exists()


def test_link_to_own_application_suggests_its_booth(
    clock, mpp_a, submitted, citizen, file_complaint, make_citizen
):
    complaint = file_complaint(mpp_a.mpp, owner=citizen.user, application_id=submitted.pk)
    assert complaint.application_id == submitted.pk
    assert complaint.about == submitted.offering_name
    other_user, _profile = make_citizen(nik="3510011508850002")
    with pytest.raises(DomainError) as foreign:
        file_complaint(mpp_a.mpp, owner=other_user, application_id=submitted.pk)
    assert foreign.value.extra["errors"]["application"]


def test_idempotent_filing_by_client_key(clock, mpp_a, complainant, file_complaint, in_region):
    import uuid

    from tenants.complaints.models import Channel, Complaint

    key = uuid.uuid4()
    first = file_complaint(mpp_a.mpp, owner=complainant.user, channel=Channel.API, client_key=key)
    again = file_complaint(mpp_a.mpp, owner=complainant.user, channel=Channel.API, client_key=key)
    assert first.pk == again.pk
    with in_region(mpp_a.mpp):
        assert Complaint.objects.count() == 1


def test_sweep_reminds_then_escalates_once(
    clock, mpp_a, officer_a, complainant, file_complaint, in_region
):
    from tenants.complaints.models import Event
    from tenants.complaints.services import complaints_sweep

    clock.set(2026, 3, 2)  # Monday; first response due Thursday 5 March
    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    assert complaint.response_due == dt.date(2026, 3, 5)
    with in_region(mpp_a.mpp):
        assert complaints_sweep(today=dt.date(2026, 3, 3)) == {"reminded": 0, "escalated": 0}
        before = OutboxMessage.objects.filter(recipient=officer_a.email).count()
        assert complaints_sweep(today=dt.date(2026, 3, 4)) == {"reminded": 1, "escalated": 0}
        assert complaints_sweep(today=dt.date(2026, 3, 4)) == {"reminded": 0, "escalated": 0}
        reminder = OutboxMessage.objects.filter(recipient=officer_a.email).first()
        assert OutboxMessage.objects.filter(recipient=officer_a.email).count() == before + 1
        assert "Pengingat" in reminder.subject
        assert complaints_sweep(today=dt.date(2026, 3, 5)) == {"reminded": 0, "escalated": 0}
        assert complaints_sweep(today=dt.date(2026, 3, 6)) == {"reminded": 0, "escalated": 1}
        assert complaints_sweep(today=dt.date(2026, 3, 9)) == {"reminded": 0, "escalated": 0}
        assert Event.objects.filter(complaint=complaint, action="escalated").count() == 1
    escalation = OutboxMessage.objects.filter(
        recipient=mpp_a.admin.email, reference=complaint.number
    )
    assert escalation.filter(subject__startswith="Eskalasi").count() == 1


def test_daily_task_runs_in_the_region_schema_only(mpp_a, complainant, file_complaint):
    from kernel.errors import MissingRegionSchemaError
    from tenants.complaints.tasks import complaints_daily

    with pytest.raises(MissingRegionSchemaError):
        complaints_daily.apply(kwargs={}, throw=True)
    with pytest.raises(MissingRegionSchemaError):
        complaints_daily.apply(kwargs={"schema_name": "public"}, throw=True)
    schema = mpp_a.mpp.schema_name
    result = complaints_daily.apply(
        kwargs={"schema_name": schema}, headers={"_schema_name": schema}, throw=True
    )
    assert result.get() == {"reminded": 0, "escalated": 0}


def test_the_daily_job_is_dispatched_to_live_regions_by_beat(settings):
    from mpp_platform.celery import app
    from tenants.complaints import tasks  # noqa: F401 - registers the task

    entry = settings.CELERY_BEAT_SCHEDULE["complaints-daily"]
    assert entry["task"] == "mpp_platform.dispatch_to_live_regions"
    assert entry["args"] == ["complaints.daily"]
    assert "complaints.daily" in app.tasks


def test_account_deletion_erases_the_complainant_but_keeps_the_complaint(
    mpp_a, complainant, file_complaint, in_region
):
    from shared.citizens.services.rights import citizen_account_delete
    from tenants.complaints.models import Complaint

    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    assert complaint.complainant_email == SECRET_EMAIL
    citizen_account_delete(
        user=complainant.user, profile=complainant.profile, password="rahasia-123"
    )
    with in_region(mpp_a.mpp):
        kept = Complaint.objects.get(pk=complaint.pk)
    assert (kept.complainant_name, kept.complainant_phone, kept.complainant_email) == ("", "", "")
    assert kept.subject == complaint.subject
    assert not ComplaintIndex.objects.filter(complaint_id=complaint.pk).exists()
