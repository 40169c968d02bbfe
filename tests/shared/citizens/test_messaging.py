"""The messaging adapter: a contract every gateway implementation passes, and notifications."""

import pytest
from django.core import mail
from django.db import transaction

from shared.citizens.messaging import (
    MAX_BODY,
    MessagingError,
    MessagingGateway,
    OutboxGateway,
    get_gateway,
)
from shared.citizens.models import OutboxMessage
from shared.citizens.notifications import citizen_notify

# Every implementation of MessagingGateway is listed here and must pass the contract.
GATEWAYS = [OutboxGateway]


@pytest.fixture(params=GATEWAYS, ids=lambda cls: cls.name)
def gateway(request):
    return request.param()


def test_contract_implements_the_protocol(gateway):
    assert isinstance(gateway, MessagingGateway)
    assert gateway.name


def test_contract_normalises_the_number_and_records(gateway, db, region_a):
    message = gateway.send(to="0812-3456-7890", body="Halo", region=region_a.region, reference="X")
    assert isinstance(message, OutboxMessage)
    assert message.recipient == "+6281234567890"
    assert OutboxMessage.objects.filter(pk=message.pk, gateway=gateway.name).exists()


@pytest.mark.parametrize("to", ["", "12345", "+1 555 0100", "bukan nomor"])
def test_contract_refuses_bad_numbers_before_storing(gateway, db, to):
    with pytest.raises(MessagingError):
        gateway.send(to=to, body="Halo")
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * (MAX_BODY + 1)])
def test_contract_refuses_empty_or_long_bodies(gateway, db, body):
    with pytest.raises(MessagingError):
        gateway.send(to="081234567890", body=body)


def test_contract_rolls_back_with_the_caller(gateway, db):
    def send_then_fail():
        with transaction.atomic():
            gateway.send(to="081234567890", body="Halo")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        send_then_fail()
    assert not OutboxMessage.objects.exists()


def test_outbox_gateway_keeps_messages_pending_for_a_real_gateway(db):
    message = OutboxGateway().send(to="081234567890", body="Halo")
    assert message.status == OutboxMessage.Status.PENDING


def test_the_configured_gateway_is_loaded(settings):
    assert isinstance(get_gateway(), OutboxGateway)
    settings.MPP_MESSAGING_GATEWAY = "shared.citizens.models.OutboxMessage"
    with pytest.raises(TypeError):
        get_gateway()


def test_citizen_notify_sends_email_and_message(
    make_citizen, region_a, django_capture_on_commit_callbacks
):
    _user, profile = make_citizen()
    with django_capture_on_commit_callbacks(execute=True):
        sent = citizen_notify(
            profile=profile, subject="Status", body="Diproses", region=region_a.region
        )
    assert {m.channel for m in sent} == {"email", "whatsapp"}
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(channel="email").status == OutboxMessage.Status.SENT


def test_an_email_outage_is_recorded_not_lost(
    make_citizen, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.shared.citizens.test_messaging.BrokenBackend"
    _user, profile = make_citizen()
    with django_capture_on_commit_callbacks(execute=True):
        citizen_notify(profile=profile, subject="Status", body="Diproses")
    record = OutboxMessage.objects.get(channel="email")
    assert record.status == OutboxMessage.Status.FAILED
    assert record.error == "ConnectionRefusedError"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")
