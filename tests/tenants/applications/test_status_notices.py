"""The citizen's notice of a status change: queued in the change's transaction (the outbox), sent
by a region task after commit, never inside the staff member's request; written in the citizen's
message language whatever language the staff member works in; in the application's region only;
and once per change however often the task runs."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from shared.citizens.models import OutboxMessage, ResultKind
from shared.messaging.models import SentNotice
from shared.messaging.services import language_preference_set
from shared.outbox.models import TaskOutbox
from tenants.applications import services
from tenants.applications.models import StatusChange
from tests.conftest import host_of

TASK = "applications.status_notify"


def _change(mpp, in_region, application, to_status: str) -> StatusChange:
    with in_region(mpp):
        changes = StatusChange.objects.filter(application_id=application.pk, to_status=to_status)
        return changes.latest("pk")


def _run_task(mpp, change_id: int, callbacks) -> int:
    """What a worker does with the queued task (the e-mail leaves when its commit runs)."""
    from tenants.applications.tasks import status_notify

    with callbacks(execute=True):
        return status_notify.apply(
            kwargs={"schema_name": mpp.schema_name, "status_change_id": change_id},
            headers={"_schema_name": mpp.schema_name},
            throw=True,
        ).get()


@pytest.mark.parametrize(
    ("staff_language", "citizen_language", "subject", "body", "staff_page"),
    [
        (
            "en",
            None,  # never chose: Bahasa Indonesia
            "Permohonan {number}: Terverifikasi",
            "Berkas permohonan {service} sudah diverifikasi petugas.",
            "Application verified.",
        ),
        (
            "en",
            "id",
            "Permohonan {number}: Terverifikasi",
            "Berkas permohonan {service} sudah diverifikasi petugas.",
            "Application verified.",
        ),
        (
            "id",
            "en",
            "Application {number}: Verified",
            "The documents for your {service} application have been verified by staff.",
            "Permohonan diverifikasi.",
        ),
    ],
)
def test_a_status_change_is_told_after_commit_in_the_citizens_language(
    submitted,
    mpp_a,
    citizen,
    in_region,
    django_capture_on_commit_callbacks,
    eager_tasks,
    staff_language,
    citizen_language,
    subject,
    body,
    staff_page,
):
    if citizen_language:
        language_preference_set(actor=citizen.user, language=citizen_language)
    staff = Client(HTTP_HOST=host_of(mpp_a.mpp), HTTP_ACCEPT_LANGUAGE=staff_language)
    staff.force_login(mpp_a.operator)
    url = reverse("applications:staff_action", args=[submitted.pk, "verify"])

    with django_capture_on_commit_callbacks(execute=False) as pending:
        response = staff.post(url, follow=True)
    assert response.status_code == 200
    assert staff_page in response.content.decode()  # the staff member works in their language
    change = _change(mpp_a.mpp, in_region, submitted, "verified")
    # During the request nothing left: no e-mail, no message recorded; the task waits in the
    # outbox, in the change's transaction (a broker that is down loses nothing).
    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(reference=submitted.number).exists()
    queued = TaskOutbox.objects.get(task_name=TASK, kwargs={"status_change_id": change.pk})
    assert queued.schema_name == mpp_a.mpp.schema_name

    # The commit: the outbox hands the task over and a worker runs it.
    with django_capture_on_commit_callbacks(execute=True):
        for callback in pending:
            callback()

    expected_subject = subject.format(number=submitted.number)
    expected_body = body.format(service=submitted.offering_name)
    (email,) = mail.outbox
    assert email.to == [citizen.user.email]
    assert email.subject == expected_subject
    assert email.body.startswith(expected_body + "\n")
    assert f"/permohonan/{submitted.pk}/" in email.body
    whatsapp = OutboxMessage.objects.get(channel="whatsapp", reference=submitted.number)
    assert whatsapp.body.startswith(f"{expected_subject}\n{expected_body}")
    assert whatsapp.region == mpp_a.mpp.region


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", "Permohonan {service} selesai. Hasil siap diambil di Gerai Dukcapil."),
        (
            "en",
            "Your {service} application is complete. The result is ready for collection at "
            "Gerai Dukcapil.",
        ),
    ],
)
def test_completion_and_return_carry_the_officers_words_and_the_survey_link(
    submitted,
    mpp_a,
    citizen,
    in_region,
    django_capture_on_commit_callbacks,
    eager_tasks,
    language,
    expected,
):
    from tenants.survey.models import Invitation, SourceKind

    language_preference_set(actor=citizen.user, language=language)
    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=True):
        op = mpp_a.operator
        services.application_return(actor=op, application=submitted, reasons="Foto KK buram.")
    returned = mail.outbox[-1]
    assert "Foto KK buram." in returned.body
    assert returned.subject.endswith("Perlu perbaikan" if language == "id" else "Needs correction")

    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=False):
        # Straight to processing in the database: the resubmission is another test's business.
        from tenants.applications.models import Application

        Application.objects.filter(pk=submitted.pk).update(status="processing")
    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=True):
        services.application_complete(
            actor=op, application=submitted, result_kind=ResultKind.PICKUP, note="Bawa KTP asli."
        )
        token = Invitation.objects.get(
            source_kind=SourceKind.APPLICATION, source_id=submitted.pk
        ).token
    done = mail.outbox[-1]
    assert done.body.startswith(expected.format(service=submitted.offering_name))
    assert f"/survei/isi/{token}/" in done.body
    assert "\nBawa KTP asli.\n" in done.body  # as the officer wrote it, untranslated


def test_the_notice_stays_in_its_region(
    submitted, mpp_a, region_b, citizen, in_region, django_capture_on_commit_callbacks
):
    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=False):
        services.application_verify(actor=mpp_a.operator, application=submitted)
    change = _change(mpp_a.mpp, in_region, submitted, "verified")
    # The id of region A's change means nothing in region B's schema: nothing is sent or claimed.
    assert _run_task(region_b, change.pk, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert not SentNotice.objects.filter(region=region_b.region).exists()
    # In its own region it goes to the application's citizen, recorded and linked there.
    assert _run_task(mpp_a.mpp, change.pk, django_capture_on_commit_callbacks) == 2
    messages = OutboxMessage.objects.filter(reference=submitted.number)
    assert {m.region_id for m in messages} == {mpp_a.mpp.region_id}
    assert {m.profile_id for m in messages} == {citizen.profile.pk}
    (email,) = mail.outbox
    assert f"//{host_of(mpp_a.mpp)}" in email.body


def test_a_task_run_twice_sends_once(
    submitted, mpp_a, citizen, in_region, django_capture_on_commit_callbacks
):
    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=False):
        services.application_verify(actor=mpp_a.operator, application=submitted)
    change = _change(mpp_a.mpp, in_region, submitted, "verified")
    assert _run_task(mpp_a.mpp, change.pk, django_capture_on_commit_callbacks) == 2
    # A redelivered message, a retried task or a second relay: the claim is taken.
    assert _run_task(mpp_a.mpp, change.pk, django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.filter(reference=submitted.number).count() == 2
    assert SentNotice.objects.filter(
        region=mpp_a.mpp.region, kind=SentNotice.Kind.APPLICATION_STATUS, subject_id=change.pk
    ).exists()


def test_a_refused_change_queues_nothing(submitted, mpp_a, in_region):
    from kernel.errors import ConflictError

    before = TaskOutbox.objects.filter(task_name=TASK).count()
    with in_region(mpp_a.mpp), pytest.raises(ConflictError):
        services.application_process(actor=mpp_a.operator, application=submitted)
    assert TaskOutbox.objects.filter(task_name=TASK).count() == before
