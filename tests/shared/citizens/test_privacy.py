"""NIKs, phone numbers and document contents never reach logs or error reports."""

import logging

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
