"""The citizen's channel preference, and booking notifications sent after commit by Celery."""

import datetime as dt

import pytest
from django.core import mail

from shared.citizens.models import OutboxMessage
from shared.messaging.models import ChannelPreference


@pytest.fixture
def citizen_with_phone(make_user):
    return make_user(email="warga@contoh.test", phone="081234567890")


def test_the_preference_is_set_through_the_api_on_any_site(
    db, citizen_with_phone, client_a, national_client
):
    client_a.force_login(citizen_with_phone)
    url = "/api/v1/me/notification-channel/"
    assert client_a.get(url).json() == {"channel": None}
    assert client_a.put(url, {"channel": "sms"}, content_type="application/json").json() == {
        "channel": "sms"
    }
    national_client.force_login(citizen_with_phone)
    assert national_client.get(url).json() == {"channel": "sms"}
    bad = client_a.put(url, {"channel": "merpati"}, content_type="application/json")
    assert bad.status_code == 400
    assert "channel" in bad.json()["errors"]
    assert ChannelPreference.objects.get(user=citizen_with_phone).channel == "sms"


def test_anonymous_callers_are_asked_to_sign_in(db, client_a):
    response = client_a.get("/api/v1/me/notification-channel/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("preference", "channels"),
    [
        (None, {"email", "whatsapp"}),
        ("email", {"email"}),
        ("sms", {"sms"}),
        ("whatsapp", {"whatsapp"}),
    ],
)
def test_notifications_follow_the_preference(db, citizen_with_phone, preference, channels):
    from shared.citizens.notifications import staff_notify
    from shared.messaging.services import channel_preference_set

    channel_preference_set(actor=citizen_with_phone, channel=preference)
    sent = staff_notify(user=citizen_with_phone, subject="Halo", body="Uji")
    assert {m.channel for m in sent} == channels


def test_a_preferred_channel_the_account_lacks_falls_back(db, make_user):
    from shared.citizens.notifications import staff_notify
    from shared.messaging.services import channel_preference_set

    no_phone = make_user(email="tanpa-hp@contoh.test")
    channel_preference_set(actor=no_phone, channel="whatsapp")
    assert {m.channel for m in staff_notify(user=no_phone, subject="Halo", body="Uji")} == {"email"}


def test_a_booking_confirmation_is_sent_after_commit_by_a_task(
    db, region_a, in_region, citizen_with_phone, django_capture_on_commit_callbacks
):
    from mpp_platform.celery import app
    from shared.messaging.services import channel_preference_set
    from tenants.queue.services.bookings import booking_create
    from tests.tenants.queue.factories import MONDAY, at, queue_offering

    channel_preference_set(actor=citizen_with_phone, channel="whatsapp")
    old = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        with in_region(region_a):
            offering = queue_offering()
            with django_capture_on_commit_callbacks(execute=False) as pending:
                booking = booking_create(
                    actor=citizen_with_phone,
                    offering=offering,
                    day=MONDAY,
                    starts_at=dt.time(9, 0),
                    at=at(2026, 11, 22, 19, 0),
                )
            # Nothing is sent inside the booking's transaction.
            assert not OutboxMessage.objects.filter(reference=booking.code).exists()
            for callback in pending:
                callback()
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = old
    (message,) = OutboxMessage.objects.filter(reference=booking.code)
    assert message.channel == "whatsapp"
    assert message.recipient == "+6281234567890"
    assert booking.code in message.body
    assert "09.00" in message.body
    assert mail.outbox == []
