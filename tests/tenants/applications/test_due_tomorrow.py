"""The alert to staff the day before an application's due date: once per application, to the
booth's supervisor, through their channel and in their language, delivered by the local provider
server; dispatched by beat as a region task."""

import datetime as dt

import pytest
from django.conf import settings

from shared.citizens.models import OutboxMessage
from shared.messaging.models import SentNotice
from shared.messaging.services import channel_preference_set, language_preference_set
from tests.shared.messaging.conftest import provider

__all__ = ["provider"]  # the local provider server's fixture, shared with tests/shared/messaging

TODAY = dt.date(2026, 11, 23)
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture
def supervisor(mpp_a):
    user = mpp_a.supervisor
    user.phone = "+6281298765432"
    user.save()
    channel_preference_set(actor=user, channel="whatsapp")
    return user


def _due(application, day):
    from tenants.applications.models import Application

    Application.objects.filter(pk=application.pk).update(due_date=day)


def _run(region, callbacks) -> int:
    from tenants.applications.tasks import notify_due_tomorrow

    with callbacks(execute=True):
        return notify_due_tomorrow.apply(
            kwargs={"schema_name": region.schema_name},
            headers={"_schema_name": region.schema_name},
            throw=True,
        ).get()


def test_beat_dispatches_the_alert_every_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["applications-due-tomorrow"]
    assert entry["args"] == ["applications.notify_due_tomorrow"]
    assert entry["task"] == "mpp_platform.dispatch_to_live_regions"


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("id", "1 permohonan jatuh tempo besok di Gerai Dukcapil"),
        ("en", "Due tomorrow at Gerai Dukcapil: 1 application(s)"),
    ],
)
def test_the_supervisor_is_told_once_in_their_language(
    mpp_a,
    submitted,
    supervisor,
    in_region,
    provider,
    django_capture_on_commit_callbacks,
    monkeypatch,
    language,
    subject,
):
    import tenants.applications.services.due as due

    language_preference_set(actor=supervisor, language=language)
    monkeypatch.setattr(due, "region_today", lambda: TODAY)
    with in_region(mpp_a.mpp):
        _due(submitted, TOMORROW)
    assert _run(mpp_a.mpp, django_capture_on_commit_callbacks) == 1
    (sent,) = provider.received
    assert sent["to"] == "+6281298765432"
    assert sent["channel"] == "whatsapp"
    assert sent["text"].startswith(subject + "\n")
    assert f"- {submitted.number} · " in sent["text"]
    assert "24-11-2026" in sent["text"]
    assert OutboxMessage.objects.get(recipient="+6281298765432").status == "sent"

    # Tomorrow's run (or a second beat today) does not repeat it.
    assert _run(mpp_a.mpp, django_capture_on_commit_callbacks) == 0
    assert len(provider.received) == 1
    assert SentNotice.objects.filter(
        region=mpp_a.mpp.region, kind="application_due_tomorrow", subject_id=submitted.pk
    ).exists()


def test_only_open_applications_due_tomorrow_are_reported(
    mpp_a, submitted, supervisor, in_region, provider, django_capture_on_commit_callbacks
):
    from tenants.applications.services import application_reject
    from tenants.mpp.selectors import region_today

    with in_region(mpp_a.mpp):
        today = region_today()
        _due(submitted, today + dt.timedelta(days=2))
    assert _run(mpp_a.mpp, django_capture_on_commit_callbacks) == 0
    with in_region(mpp_a.mpp):
        _due(submitted, today + dt.timedelta(days=1))
        with django_capture_on_commit_callbacks(execute=False):
            application_reject(actor=mpp_a.operator, application=submitted, reason="Tidak lengkap")
    assert _run(mpp_a.mpp, django_capture_on_commit_callbacks) == 0  # finished: nothing is due
    assert provider.received == []


def test_another_regions_run_does_not_see_it(
    mpp_a, region_b, submitted, supervisor, in_region, provider, django_capture_on_commit_callbacks
):
    from tenants.mpp.selectors import region_today

    with in_region(mpp_a.mpp):
        _due(submitted, region_today() + dt.timedelta(days=1))
    assert _run(region_b, django_capture_on_commit_callbacks) == 0
    assert provider.received == []
    assert _run(mpp_a.mpp, django_capture_on_commit_callbacks) == 1
