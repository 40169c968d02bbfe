"""NIKs, phone numbers and document contents never reach logs or error reports."""

import logging

import pytest

from mpp_platform.sentry import before_send
from shared.citizens.privacy import PersonalDataFilter, mask_personal
from tests.shared.citizens.conftest import NIK_SITI


def test_mask_covers_valid_and_mistyped_niks_phones_and_emails():
    text = f"nik={NIK_SITI} salah=3510014101900000 hp 0812-3456-7890 email rina@example.id"
    masked = mask_personal(text)
    assert NIK_SITI not in masked
    assert "3510014101900000" not in masked
    assert "3510********0001" in masked
    assert "3456" not in masked.split("hp")[1].split("email")[0].replace("****", "")
    assert "rina@" not in masked


def test_log_filter_masks_message_arguments_and_tracebacks():
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "NIK %s", (NIK_SITI,), None)
    try:
        raise ValueError(f"NIK tidak cocok: {NIK_SITI}")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert PersonalDataFilter().filter(record)
    assert NIK_SITI not in record.getMessage()
    assert NIK_SITI not in record.exc_text


def test_the_configured_console_handler_masks(caplog):
    # The handler the settings configure carries the filter.
    from logging import getLogger

    handler = next(h for h in getLogger().handlers if h.__class__.__name__ == "StreamHandler")
    assert any(isinstance(f, PersonalDataFilter) for f in handler.filters)


def test_sentry_events_are_masked_even_for_mistyped_niks():
    event = {
        "request": {"data": {"nik": "3510014101900000", "phone": "081234567890"}},
        "exception": {"values": [{"value": f"bad {NIK_SITI}"}]},
        "extra": {"vars": [NIK_SITI]},
    }
    out = str(before_send(event, {}))
    assert "3510014101900000" not in out
    assert NIK_SITI not in out
    assert "081234567890" not in out


def test_a_failed_upload_does_not_log_the_file_content(client_a, make_citizen, doc_types, caplog):
    from django.urls import reverse

    from tests.shared.citizens.conftest import upload

    user, _profile = make_citizen()
    client_a.force_login(user)
    secret = b"RAHASIA-ISI-DOKUMEN " * 20
    with caplog.at_level(logging.DEBUG):
        response = client_a.post(
            reverse("citizens:vault"),
            {"document_type": doc_types["ktp"].pk, "file": upload("a.pdf", secret)},
        )
    # The upload really failed and was logged (django.request logs every 4xx, SQL is logged at
    # DEBUG): there was a log the content could have leaked into.
    assert response.status_code == 400
    assert "bukan PDF" in response.content.decode() or "tidak didukung" in response.content.decode()
    assert any(r.name == "django.request" for r in caplog.records)
    assert "RAHASIA" not in caplog.text


# --- secrets in error reports (issue 12) --------------------------------------------------------

SECRETS = {
    "password": "Rahasia-Sandi-1",
    "password1": "Rahasia-Sandi-2",
    "new_password1": "Rahasia-Sandi-3",
    "claim_code": "KLAIMXYZ",
    "otp_code": "482913",
    "kiosk_header": "kiosk-token-abcdef123456",
    "api_token": "apitokenabcdef0123456789",
    "cookie": "sessionvalue0123456789",
    "reset_token": "c9k2-3f1b8d0e9a7c6b5a",
    "verify_token": "eyJ1IjoxfQ:1tXyZ:signature",
    "kiosk_setup": "pasang-1234567890abcdef",
}


def _django_like_event():
    s = SECRETS
    return {
        "request": {
            "url": f"https://mpp.go.id/akun/atur-sandi/MTI/{s['reset_token']}/",
            "method": "POST",
            "query_string": f"next=/&token={s['api_token']}",
            "data": {
                "username": "rina@example.id",
                "password": s["password"],
                "password1": s["password1"],
                "new_password1": s["new_password1"],
                "claim_code": s["claim_code"],
                "otp_code": s["otp_code"],
            },
            "headers": {
                "X-Kiosk-Token": s["kiosk_header"],
                "Authorization": f"Token {s['api_token']}",
                "Cookie": f"mpp_session={s['cookie']}",
            },
            "cookies": {"mpp_session": s["cookie"]},
        },
        "breadcrumbs": {
            "values": [
                {
                    "category": "httplib",
                    "data": {"url": f"/akun/verifikasi-email/{s['verify_token']}/"},
                },
                {"message": f"GET /antrean/kiosk/pasang/{s['kiosk_setup']}/"},
            ]
        },
        "exception": {
            "values": [{"value": f"gagal di /akun/verifikasi-email/{s['verify_token']}/"}]
        },
        "transaction": f"/antrean/kiosk/pasang/{s['kiosk_setup']}/",
    }


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_before_send_scrubs_each_secret(name):
    out = str(before_send(_django_like_event(), {}))
    assert SECRETS[name] not in out, name


@pytest.fixture
def sentry_events():
    """A real Sentry client, configured as production configures it, sending to a list."""
    import sentry_sdk
    from sentry_sdk.transport import Transport

    from mpp_platform.sentry import init_sentry

    captured: list[dict] = []

    class ListTransport(Transport):
        def capture_envelope(self, envelope):
            for item in envelope.items:
                if item.type == "event":
                    captured.append(item.payload.json)

    init_sentry("https://public@sentry.invalid/1", environment="test")
    client = sentry_sdk.get_client()
    client.transport = ListTransport(client.options)
    yield captured
    sentry_sdk.init(dsn=None)


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_the_configured_sentry_client_sends_no_secret(sentry_events, name):
    import sentry_sdk

    event = _django_like_event()
    event["message"] = "uji"
    sentry_sdk.capture_event(event)
    sentry_sdk.flush()
    assert sentry_events, "the event was not sent"
    assert SECRETS[name] not in str(sentry_events), name
