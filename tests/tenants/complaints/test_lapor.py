"""The SP4N-LAPOR! adapter contract (tenants/complaints/lapor.py), run against every gateway
implementation that ships. The real LAPOR! API cannot be reached from here; a gateway for it
joins ``GATEWAYS`` and must pass the same tests."""

import pytest

from tenants.complaints.lapor import (
    LaporError,
    LaporGateway,
    LaporReport,
    LaporReporter,
    LocalLaporGateway,
    get_lapor_gateway,
)

GATEWAYS = [LocalLaporGateway]


@pytest.fixture(params=GATEWAYS, ids=lambda g: g.name)
def gateway(request):
    return request.param()


@pytest.fixture
def complaint(mpp_a, complainant, file_complaint, in_region):
    """A complaint the report refers to; the test then runs inside region A's schema."""
    filed = file_complaint(mpp_a.mpp, owner=complainant.user)
    with in_region(mpp_a.mpp):
        yield filed


def _report(complaint, **changes) -> LaporReport:
    fields = {
        "reference": complaint.number,
        "kind": "pengaduan",
        "title": "Pungutan liar di gerai",
        "body": "Diminta membayar padahal layanan gratis.",
        "region_code": "35.10",
        "reporter": LaporReporter(name="Siti", phone="+6281234567890"),
    }
    fields.update(changes)
    return LaporReport(**fields)


def test_every_gateway_implements_the_protocol(gateway):
    assert isinstance(gateway, LaporGateway)
    assert gateway.name


def test_settings_choose_the_gateway(settings):
    assert isinstance(get_lapor_gateway(), LocalLaporGateway)
    settings.MPP_LAPOR_GATEWAY = "shared.citizens.messaging.OutboxGateway"
    with pytest.raises(TypeError):
        get_lapor_gateway()


@pytest.mark.parametrize(
    "changes",
    [
        {"reference": " "},
        {"kind": "keluhan"},
        {"title": ""},
        {"title": "x" * 151},
        {"body": "  "},
        {"body": "x" * 4001},
        {"reporter": None, "is_confidential": True},
    ],
    ids=["no-ref", "kind", "no-title", "long-title", "no-body", "long-body", "secret-no-reporter"],
)
def test_invalid_reports_are_refused_and_nothing_is_stored(gateway, complaint, changes):
    from tenants.complaints.models import LaporOutbox

    with pytest.raises(LaporError):
        gateway.submit(_report(complaint, **changes))
    assert not LaporOutbox.objects.exists()


def test_submit_answers_a_tracking_number_and_retries_are_safe(gateway, complaint):
    receipt = gateway.submit(_report(complaint))
    assert receipt.tracking_id
    assert len(receipt.tracking_id) <= 40
    again = gateway.submit(_report(complaint, title="Judul lain pada percobaan ulang"))
    assert again.tracking_id == receipt.tracking_id
    assert gateway.status(receipt.tracking_id) is not None
    assert gateway.status("LOKAL-0000-TIDAKADA") is None


def test_anonymous_reports_carry_no_reporter(gateway, complaint):
    from tenants.complaints.models import LaporOutbox

    gateway.submit(_report(complaint, reporter=None))
    payload = LaporOutbox.objects.get(complaint=complaint).payload
    assert payload["reporter"] is None
    assert "Siti" not in str(payload)


def test_confidential_reports_carry_the_rahasia_flag(gateway, complaint):
    from tenants.complaints.models import LaporOutbox

    gateway.submit(_report(complaint, is_confidential=True))
    payload = LaporOutbox.objects.get(complaint=complaint).payload
    assert payload["is_confidential"] is True
    assert payload["reporter"]["name"] == "Siti"


def test_local_numbers_say_they_are_local(complaint):
    receipt = LocalLaporGateway().submit(_report(complaint))
    assert receipt.tracking_id.startswith("LOKAL-3510-")


def test_a_rollback_leaves_nothing(gateway, complaint):
    from django.db import transaction

    from tenants.complaints.models import LaporOutbox

    class Boom(Exception):
        pass

    def submit_then_fail():
        with transaction.atomic():
            gateway.submit(_report(complaint))
            raise Boom

    with pytest.raises(Boom):
        submit_then_fail()
    assert not LaporOutbox.objects.exists()
