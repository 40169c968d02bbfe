"""The notices of a complaint's steps and messages: queued in the step's transaction (the task
outbox), sent by a region task after commit, never inside the request; the complainant's in
their message language whatever language the staff member works in, the staff's in Bahasa
Indonesia; in the complaint's region only; and once per step or message however often the
task runs."""

import json

import pytest
from django.core import mail
from django.test import Client

from shared.citizens.models import OutboxMessage
from shared.messaging.models import SentNotice
from shared.messaging.services import language_preference_set
from shared.outbox.models import TaskOutbox
from tenants.complaints.models import Event
from tests.conftest import host_of
from tests.tenants.complaints.conftest import SECRET_EMAIL

EVENT_TASK = "complaints.event_notify"
MESSAGE_TASK = "complaints.message_notify"


def _client(mpp, user, language: str) -> Client:
    client = Client(HTTP_HOST=host_of(mpp), HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _mail_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def _run(task, mpp, callbacks, **kwargs) -> int:
    """What a worker does with the queued task (the e-mail leaves when its commit runs)."""
    with callbacks(execute=True):
        return task.apply(
            kwargs={"schema_name": mpp.schema_name, **kwargs},
            headers={"_schema_name": mpp.schema_name},
            throw=True,
        ).get()


def _event(mpp, in_region, complaint_id: int, action: str) -> Event:
    with in_region(mpp):
        return Event.objects.filter(complaint_id=complaint_id, action=action).latest("pk")


@pytest.mark.parametrize(
    ("citizen_language", "staff_language", "received", "closed"),
    [
        (
            None,  # never chose: Bahasa Indonesia
            "en",
            ("Pengaduan {number} diterima", "Laporan Anda diterima MPP {mpp}."),
            ("Pengaduan {number} selesai", "Jawaban: Jadwal loket sudah diperbaiki.\nNilai"),
        ),
        (
            "en",
            "id",
            ("Complaint {number} received", "MPP {mpp} has received your report."),
            ("Complaint {number} resolved", "Answer: Jadwal loket sudah diperbaiki.\nRate"),
        ),
    ],
)
def test_steps_are_told_after_commit_in_the_complainants_language(
    mpp_a,
    officer_a,
    complainant,
    in_region,
    django_capture_on_commit_callbacks,
    eager_tasks,
    citizen_language,
    staff_language,
    received,
    closed,
):
    if citizen_language:
        language_preference_set(actor=complainant.user, language=citizen_language)
    citizen = _client(mpp_a.mpp, complainant.user, staff_language)  # the browser's language
    with django_capture_on_commit_callbacks(execute=False) as pending:
        created = citizen.post(
            "/api/v1/complaints/",
            {
                "kind": "pengaduan",
                "subject": "Loket tutup lebih awal",
                "description": "Loket 3 tutup pukul 13.00 padahal jadwal sampai 15.00.",
            },
            content_type="application/json",
        )
    assert created.status_code == 201, created.content
    complaint = json.loads(created.content)
    number = complaint["number"]
    filed = _event(mpp_a.mpp, in_region, complaint["id"], "filed")
    # During the request nothing left: no e-mail, no message recorded; the task waits in the
    # outbox, in the filing's transaction.
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(reference=number).exists()
    queued = TaskOutbox.objects.get(task_name=EVENT_TASK, kwargs={"event_id": filed.pk})
    assert queued.schema_name == mpp_a.mpp.schema_name

    with django_capture_on_commit_callbacks(execute=True):  # the commit: a worker runs it
        for callback in pending:
            callback()

    (receipt,) = _mail_to(SECRET_EMAIL)
    assert receipt.subject == received[0].format(number=number)
    assert receipt.body.startswith(received[1].format(mpp=mpp_a.mpp.region.name))
    assert f"/pengaduan/{complaint['id']}/" in receipt.body
    whatsapp = OutboxMessage.objects.get(channel="whatsapp", reference=number)
    assert whatsapp.body.startswith(received[0].format(number=number))
    assert whatsapp.region == mpp_a.mpp.region
    # The officer's alert is in Bahasa Indonesia, whatever the complainant reads.
    (alert,) = _mail_to(officer_a.email)
    assert alert.subject == f"Pengaduan baru {number}"
    assert alert.body.startswith(f"{number} · Pengaduan · Loket tutup lebih awal\nVerifikasi ")

    # Staff route and close over the API in their own language; the complainant reads theirs.
    officer = _client(mpp_a.mpp, officer_a, staff_language)
    with django_capture_on_commit_callbacks(execute=True):
        routed = officer.post(
            f"/api/v1/staff/complaints/{complaint['id']}/route/",
            {"booth": mpp_a.booth.pk, "complexity": "simple"},
            content_type="application/json",
        )
    assert routed.status_code == 200
    assert _mail_to(mpp_a.operator.email)[-1].subject == f"Pengaduan {number} untuk gerai Anda"
    operator = _client(mpp_a.mpp, mpp_a.operator, staff_language)
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        answered = operator.post(
            f"/api/v1/staff/complaints/{complaint['id']}/close/",
            {"answer": "Jadwal loket sudah diperbaiki."},
            content_type="application/json",
        )
    assert answered.status_code == 200
    assert len(mail.outbox) == before  # nothing inside the request
    with django_capture_on_commit_callbacks(execute=True):
        for callback in pending:
            callback()
    done = _mail_to(SECRET_EMAIL)[-1]
    assert done.subject == closed[0].format(number=number)
    assert done.body.startswith(closed[1])


def test_messages_are_told_to_the_other_side_once(
    mpp_a,
    officer_a,
    complainant,
    file_complaint,
    in_region,
    django_capture_on_commit_callbacks,
):
    from tenants.complaints.services import (
        complaint_message_citizen,
        complaint_message_staff,
        complaint_route,
    )
    from tenants.complaints.tasks import message_notify

    language_preference_set(actor=complainant.user, language="en")
    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=False):
        complaint_route(
            actor=officer_a, complaint=complaint, booth=mpp_a.booth, complexity="simple"
        )
        staff_message = complaint_message_staff(
            actor=mpp_a.operator, complaint=complaint, body="Mohon kirim foto antrean."
        )
        note = complaint_message_staff(
            actor=officer_a, complaint=complaint, body="Catatan internal.", internal=True
        )
        reply = complaint_message_citizen(
            actor=complainant.user, complaint=complaint, body="Sudah saya kirim."
        )
    assert mail.outbox == []
    queued = list(
        TaskOutbox.objects.filter(task_name=MESSAGE_TASK).values_list("kwargs", flat=True)
    )
    assert {"message_id": staff_message.pk} in queued
    assert {"message_id": reply.pk} in queued
    assert {"message_id": note.pk} not in queued  # an internal note tells nobody

    callbacks = django_capture_on_commit_callbacks
    assert _run(message_notify, mpp_a.mpp, callbacks, message_id=staff_message.pk) == 2
    assert _run(message_notify, mpp_a.mpp, callbacks, message_id=staff_message.pk) == 0
    (told,) = _mail_to(SECRET_EMAIL)
    assert told.subject == f"New message about complaint {complaint.number}"
    assert told.body.startswith("Mohon kirim foto antrean.\n")
    assert _run(message_notify, mpp_a.mpp, callbacks, message_id=reply.pk) >= 1
    assert _run(message_notify, mpp_a.mpp, callbacks, message_id=reply.pk) == 0
    (alert,) = _mail_to(mpp_a.operator.email)
    assert alert.subject == f"Pesan pelapor pada pengaduan {complaint.number}"
    assert "Sudah saya kirim." not in alert.body  # staff read it on the complaint's page
    assert _run(message_notify, mpp_a.mpp, callbacks, message_id=note.pk) == 0
    assert (
        SentNotice.objects.filter(
            region=mpp_a.mpp.region, kind=SentNotice.Kind.COMPLAINT_MESSAGE
        ).count()
        == 2
    )


def test_a_task_run_twice_sends_once(
    mpp_a, officer_a, complainant, file_complaint, in_region, django_capture_on_commit_callbacks
):
    from tenants.complaints.tasks import event_notify

    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    filed = _event(mpp_a.mpp, in_region, complaint.pk, "filed")
    callbacks = django_capture_on_commit_callbacks
    # The complainant by e-mail and WhatsApp, the officer by e-mail.
    assert _run(event_notify, mpp_a.mpp, callbacks, event_id=filed.pk) == 3
    # A redelivered message, a retried task or a second relay: the claim is taken.
    assert _run(event_notify, mpp_a.mpp, callbacks, event_id=filed.pk) == 0
    assert len(_mail_to(SECRET_EMAIL)) == 1
    assert len(_mail_to(officer_a.email)) == 1
    assert OutboxMessage.objects.filter(reference=complaint.number).count() == 3


def test_the_notice_stays_in_its_region(
    mpp_a, region_b, complainant, file_complaint, in_region, django_capture_on_commit_callbacks
):
    from tenants.complaints.tasks import event_notify, message_notify

    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    filed = _event(mpp_a.mpp, in_region, complaint.pk, "filed")
    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=False):
        from tenants.complaints.services import complaint_message_citizen

        reply = complaint_message_citizen(
            actor=complainant.user, complaint=complaint, body="Mohon segera."
        )
    callbacks = django_capture_on_commit_callbacks
    # The ids of region A's step and message mean nothing in region B's schema.
    assert _run(event_notify, region_b, callbacks, event_id=filed.pk) == 0
    assert _run(message_notify, region_b, callbacks, message_id=reply.pk) == 0
    assert mail.outbox == []
    assert not SentNotice.objects.filter(region=region_b.region).exists()
    # In its own region it reaches the complaint's citizen, recorded and linked there.
    assert _run(event_notify, mpp_a.mpp, callbacks, event_id=filed.pk) >= 2
    mine = OutboxMessage.objects.filter(reference=complaint.number, profile=complainant.profile)
    assert {m.region_id for m in mine} == {mpp_a.mpp.region_id}
    (receipt,) = _mail_to(SECRET_EMAIL)
    assert f"//{host_of(mpp_a.mpp)}" in receipt.body
    assert f"/pengaduan/{complaint.pk}/" in receipt.body


def test_a_walk_in_is_told_in_bahasa_indonesia_at_the_contacts_they_gave(
    mpp_a, file_complaint, in_region, django_capture_on_commit_callbacks, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file_complaint(
            mpp_a.mpp, name="Pak Walk-in", email="walkin@warga.test", privacy="normal"
        )
    (receipt,) = _mail_to("walkin@warga.test")
    assert receipt.subject == f"Pengaduan {complaint.number} diterima"
    assert "/pengaduan/lacak/" in receipt.body  # no account: the tracking page


def test_a_refused_step_queues_nothing(
    mpp_a, officer_a, complainant, file_complaint, in_region, django_capture_on_commit_callbacks
):
    from kernel.errors import ConflictError
    from tenants.complaints.services import complaint_close, complaint_route

    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=False):
        closed = complaint_close(actor=officer_a, complaint=complaint, answer="Sudah beres.")
    before = TaskOutbox.objects.filter(task_name=EVENT_TASK).count()
    with in_region(mpp_a.mpp), pytest.raises(ConflictError):
        complaint_route(actor=officer_a, complaint=closed, booth=mpp_a.booth, complexity="simple")
    assert TaskOutbox.objects.filter(task_name=EVENT_TASK).count() == before
