"""One-time codes (shared.citizens.otp) and what uses them: phone verification through the
messaging adapter, and the password reset by phone."""

import datetime as dt
import threading

import pytest
from django.urls import reverse
from django.utils import timezone

from shared.citizens import services
from shared.citizens.models import OneTimeCode, OutboxMessage
from shared.citizens.otp import CodeError, CodeThrottled, code_of, otp_check, otp_issue

Purpose = OneTimeCode.Purpose


def _code_in_outbox(phone: str) -> str:
    import re

    body = OutboxMessage.objects.filter(recipient=phone).latest("id").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_attempts_are_limited_and_counted_in_the_database(make_citizen):
    _user, profile = make_citizen()
    row, code = otp_issue(purpose=Purpose.PHONE_VERIFY, profile=profile, channel="sms")
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(CodeError) as exc:
            otp_check(purpose=Purpose.PHONE_VERIFY, profile=profile, code=wrong)
        assert exc.value.code == "code_wrong"
        assert str(left) in exc.value.message
    with pytest.raises(CodeError) as exc:
        otp_check(purpose=Purpose.PHONE_VERIFY, profile=profile, code=wrong)
    assert exc.value.code == "code_locked"
    # Even the right code is refused now.
    with pytest.raises(CodeError) as exc:
        otp_check(purpose=Purpose.PHONE_VERIFY, profile=profile, code=code)
    assert exc.value.code == "code_locked"
    row.refresh_from_db()
    assert row.attempts == row.max_attempts == 5


def test_a_code_is_single_use_and_expires(make_citizen):
    _user, profile = make_citizen()
    _row, code = otp_issue(purpose=Purpose.PHONE_VERIFY, profile=profile, channel="sms")
    assert otp_check(purpose=Purpose.PHONE_VERIFY, profile=profile, code=code).used_at
    with pytest.raises(CodeError) as exc:
        otp_check(purpose=Purpose.PHONE_VERIFY, profile=profile, code=code)
    assert exc.value.code == "code_missing"
    row, code = otp_issue(purpose=Purpose.PHONE_VERIFY, profile=profile, channel="sms")
    OneTimeCode.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    with pytest.raises(CodeError) as exc:
        otp_check(purpose=Purpose.PHONE_VERIFY, profile=profile, code=code)
    assert exc.value.code == "code_expired"
    assert "kedaluwarsa" in exc.value.message


def test_a_new_code_replaces_the_old_one_and_issuing_is_limited(make_citizen):
    _user, profile = make_citizen()
    first, first_code = otp_issue(purpose=Purpose.PHONE_VERIFY, profile=profile, channel="sms")
    second, second_code = otp_issue(purpose=Purpose.PHONE_VERIFY, profile=profile, channel="sms")
    assert first_code == code_of(first)
    assert second_code == code_of(second)
    if first_code != second_code:
        with pytest.raises(CodeError):
            otp_check(purpose=Purpose.PHONE_VERIFY, profile=profile, code=first_code)
    for _ in range(3):
        otp_issue(purpose=Purpose.PHONE_VERIFY, profile=profile, channel="sms")
    with pytest.raises(CodeThrottled) as exc:
        otp_issue(purpose=Purpose.PHONE_VERIFY, profile=profile, channel="sms")
    assert exc.value.status_code == 429


def test_the_code_is_not_stored(make_citizen):
    from django.db import connection

    _user, profile = make_citizen()
    row, code = otp_issue(purpose=Purpose.PHONE_VERIFY, profile=profile, channel="sms")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT row_to_json(c)::text FROM citizens_onetimecode c WHERE id = %s", [row.pk]
        )
        assert code not in cursor.fetchone()[0].replace(row.nonce, "")


@pytest.mark.concurrency
def test_parallel_guesses_never_exceed_the_limit(django_db_setup, django_db_blocker):
    """Twenty threads guess at once; the database lets exactly five attempts through."""
    from django.db import connection as main_connection

    from shared.accounts.models import User
    from shared.citizens.models import CitizenProfile

    with django_db_blocker.unblock():
        user = User.objects.create_user(
            email=f"otp-{timezone.now().timestamp()}@test.example", password="x"
        )
        profile = CitizenProfile.objects.create(user=user)
        row, code = otp_issue(purpose=Purpose.PHONE_VERIFY, profile=profile, channel="sms")
        wrong = "000000" if code != "000000" else "111111"
        outcomes: list[str] = []

        def guess():
            from django.db import connection

            try:
                otp_check(purpose=Purpose.PHONE_VERIFY, profile=profile, code=wrong)
            except CodeError as exc:
                outcomes.append(exc.code)
            finally:
                connection.close()

        threads = [threading.Thread(target=guess) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        row.refresh_from_db()
        assert row.attempts == 5
        assert outcomes.count("code_wrong") + outcomes.count("code_locked") == 20
        assert outcomes.count("code_wrong") <= 4
        main_connection.close()


def test_phone_verification_through_the_messaging_adapter(client_a, make_citizen):
    user, profile = make_citizen()
    client_a.force_login(user)
    sent = client_a.post(reverse("citizens:phone_verify"), {"do": "send", "channel": "sms"})
    assert sent.status_code == 302
    message = OutboxMessage.objects.filter(recipient=profile.phone).latest("id")
    assert message.channel == "sms"
    code = _code_in_outbox(profile.phone)
    wrong = client_a.post(
        reverse("citizens:phone_verify"), {"do": "verify", "code": "12345x"}, follow=True
    )
    assert "Kode salah" in wrong.content.decode()
    client_a.post(reverse("citizens:phone_verify"), {"do": "verify", "code": code})
    profile.refresh_from_db()
    assert profile.phone_is_verified
    again = client_a.post(reverse("citizens:phone_verify"), {"do": "send"}, follow=True)
    assert "sudah terverifikasi" in again.content.decode()


def test_a_changed_number_needs_a_new_code(make_citizen):
    user, profile = make_citizen()
    services.phone_verification_send(actor=user, profile=profile)
    code = _code_in_outbox(profile.phone)
    services.profile_update(actor=user, profile=profile, data={"phone": "081399998888"})
    from kernel.errors import DomainError

    with pytest.raises(DomainError):
        services.phone_verify(actor=user, profile=profile, code=code)
    profile.refresh_from_db()
    assert not profile.phone_is_verified


def test_password_reset_by_phone(client_a, make_user, make_citizen):
    from shared.accounts.models import User

    user = User.objects.create_user(phone="0812 7777 6666", password="lama-sekali-123")
    start = client_a.post(reverse("accounts:password_reset_phone"), {"phone": "081277776666"})
    assert start.status_code == 302
    code = _code_in_outbox("+6281277776666")
    url = reverse("accounts:password_reset_phone_code")
    bad = client_a.post(url, {"code": "000000", "password1": "x", "password2": "x"})
    assert bad.status_code == 400
    ok = client_a.post(
        url, {"code": code, "password1": "sandi-baru-2026", "password2": "sandi-baru-2026"}
    )
    assert ok.status_code == 302, ok.content.decode()[:2000]
    user.refresh_from_db()
    assert user.check_password("sandi-baru-2026")


def test_password_reset_by_phone_does_not_tell_who_has_an_account(client_a):
    unknown = client_a.post(reverse("accounts:password_reset_phone"), {"phone": "081200000001"})
    assert unknown.status_code == 302  # the same answer as for a known number
    assert not OutboxMessage.objects.filter(recipient="+6281200000001").exists()
    bad = client_a.post(reverse("accounts:password_reset_phone"), {"phone": "12"})
    assert bad.status_code == 400
    assert "tidak valid" in bad.content.decode()
