"""The reminder the day before a booking, by a beat-dispatched region task, through the citizen's
channel and in their language, once per booking; delivered by the local provider server."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from shared.citizens.models import OutboxMessage
from shared.messaging.models import SentNotice
from shared.messaging.services import channel_preference_set, language_preference_set
from tests.tenants.queue.factories import MONDAY, at, queue_offering

SUNDAY_AFTERNOON = at(2026, 11, 22, 16, 0)  # the day before MONDAY, when beat sends reminders


@pytest.fixture
def citizen(make_user):
    return make_user(email="warga-ingat@contoh.test", phone="081234567890")


def _book(citizen, offering, day, hour, callbacks):
    from tenants.queue.services.bookings import booking_create

    with callbacks(execute=False):  # the confirmation is another test's business
        return booking_create(
            actor=citizen,
            offering=offering,
            day=day,
            starts_at=dt.time(hour, 0),
            at=at(2026, 11, 21, 19, 0),
        )


def _run_reminders(region, callbacks) -> int:
    from tenants.queue.tasks import queue_booking_reminders

    with time_machine.travel(SUNDAY_AFTERNOON, tick=False), callbacks(execute=True):
        result = queue_booking_reminders.apply(
            kwargs={"schema_name": region.schema_name},
            headers={"_schema_name": region.schema_name},
            throw=True,
        )
    return result.get()


def test_beat_dispatches_the_reminders_every_afternoon():
    entry = settings.CELERY_BEAT_SCHEDULE["queue-booking-reminders"]
    assert entry["task"] == "mpp_platform.dispatch_to_live_regions"
    assert entry["args"] == ["queue.booking_reminders"]
    assert entry["schedule"].hour == {16}


def test_the_day_before_a_booking_the_citizen_is_reminded_once_in_their_language(
    db, provider, region_a, in_region, citizen, django_capture_on_commit_callbacks
):
    from tenants.queue.services.bookings import booking_cancel

    channel_preference_set(actor=citizen, channel="whatsapp")
    language_preference_set(actor=citizen, language="en")
    with in_region(region_a):
        offering = queue_offering()
        booking = _book(citizen, offering, MONDAY, 9, django_capture_on_commit_callbacks)
        later = _book(
            citizen,
            offering,
            MONDAY + dt.timedelta(days=1),
            10,
            django_capture_on_commit_callbacks,
        )
        cancelled = _book(citizen, queue_offering(), MONDAY, 11, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=False):
            booking_cancel(actor=citizen, booking=cancelled, at=at(2026, 11, 21, 20, 0))

    assert _run_reminders(region_a, django_capture_on_commit_callbacks) == 1
    (sent,) = provider.received
    assert sent["channel"] == "whatsapp"
    assert sent["to"] == "+6281234567890"
    assert sent["text"].startswith("Reminder: tomorrow 23-11-2026 at 09.00\n")
    assert booking.code in sent["text"]
    assert "Show code" in sent["text"]
    (message,) = OutboxMessage.objects.filter(reference=booking.code)
    assert message.status == OutboxMessage.Status.SENT  # the provider accepted it
    assert not OutboxMessage.objects.filter(reference__in=[later.code, cancelled.code]).exists()

    # Beat again (a second beat, a retried task): nothing is sent twice.
    assert _run_reminders(region_a, django_capture_on_commit_callbacks) == 0
    assert len(provider.received) == 1
    assert SentNotice.objects.filter(
        region=region_a.region, kind="booking_reminder", subject_id=booking.pk
    ).exists()


def test_a_reminder_in_bahasa_indonesia_by_sms(
    db, provider, region_a, in_region, citizen, django_capture_on_commit_callbacks
):
    channel_preference_set(actor=citizen, channel="sms")
    with in_region(region_a):
        booking = _book(citizen, queue_offering(), MONDAY, 9, django_capture_on_commit_callbacks)
    assert _run_reminders(region_a, django_capture_on_commit_callbacks) == 1
    (sent,) = provider.received
    assert sent["channel"] == "sms"
    assert sent["text"].startswith("Pengingat: besok 23-11-2026 pukul 09.00\n")
    assert f"Tunjukkan kode {booking.code}" in sent["text"]


def test_a_failed_reminder_is_retried_by_the_relay(
    db, provider, region_a, in_region, citizen, django_capture_on_commit_callbacks
):
    channel_preference_set(actor=citizen, channel="whatsapp")
    provider.answers = [503]
    with in_region(region_a):
        booking = _book(citizen, queue_offering(), MONDAY, 9, django_capture_on_commit_callbacks)
    assert _run_reminders(region_a, django_capture_on_commit_callbacks) == 1
    assert len(provider.received) == 2  # refused once, accepted on the retry
    (message,) = OutboxMessage.objects.filter(reference=booking.code)
    assert message.status == OutboxMessage.Status.SENT
    assert message.provider.attempts == 2


def test_reminders_stay_in_their_region(
    db, provider, region_a, region_b, in_region, citizen, django_capture_on_commit_callbacks
):
    with in_region(region_a):
        _book(citizen, queue_offering(), MONDAY, 9, django_capture_on_commit_callbacks)
    # Region B's run sees none of region A's bookings.
    assert _run_reminders(region_b, django_capture_on_commit_callbacks) == 0
    assert provider.received == []
    assert _run_reminders(region_a, django_capture_on_commit_callbacks) == 1


@pytest.mark.parametrize(
    ("language", "subject"),
    [("id", "Booking antrean"), ("en", "Queue booking")],
)
def test_the_booking_confirmation_follows_the_language(
    db,
    provider,
    region_a,
    in_region,
    citizen,
    django_capture_on_commit_callbacks,
    language,
    subject,
):
    from tenants.queue.services.bookings import booking_create

    channel_preference_set(actor=citizen, channel="whatsapp")
    language_preference_set(actor=citizen, language=language)
    with in_region(region_a), django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(
            actor=citizen,
            offering=queue_offering(),
            day=MONDAY,
            starts_at=dt.time(9, 0),
            at=at(2026, 11, 21, 19, 0),
        )
    (sent,) = provider.received
    assert sent["text"].startswith(f"{subject} {booking.code}\n")


def test_the_language_is_chosen_through_the_api_on_any_site(db, citizen, client_a, national_client):
    url = "/api/v1/me/message-language/"
    assert client_a.get(url).status_code in (401, 403)  # anonymous: asked to sign in
    client_a.force_login(citizen)
    assert client_a.get(url).json() == {"language": "id"}
    answer = client_a.put(url, {"language": "en"}, content_type="application/json")
    assert answer.json() == {"language": "en"}
    national_client.force_login(citizen)
    assert national_client.get(url).json() == {"language": "en"}
    bad = national_client.put(url, {"language": "jw"}, content_type="application/json")
    assert bad.status_code == 400
    assert "language" in bad.json()["errors"]
    # Choosing a channel keeps the language, and the other way round.
    channel_preference_set(actor=citizen, channel="sms")
    assert client_a.get(url).json() == {"language": "en"}
    assert client_a.get("/api/v1/me/notification-channel/").json() == {"channel": "sms"}
