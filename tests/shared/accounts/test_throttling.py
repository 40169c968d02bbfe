"""Throttling: counted once for the whole platform (not per region host), per account and per
address, atomically, with a clear lockout message and an audit entry."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings

from shared.accounts.models import User
from shared.accounts.throttling import SCOPES, ThrottledError, client_ip, throttle
from tests.conftest import host_of

PASSWORD = "sandi-rahasia-1"
N = settings.AXES_FAILURE_LIMIT


def _sign_in(client, username, password, **extra):
    return client.post("/akun/masuk/", {"username": username, "password": password}, **extra)


def _audit(action):
    from shared.audit.models import AuditEntry

    return AuditEntry.objects.filter(action=action)


@pytest.fixture
def citizen(db):
    return User.objects.create_user(email="rina.kunci@example.id", password=PASSWORD)


def test_wrong_passwords_over_two_region_hosts_lock_the_account(
    citizen, client_a, client_b, national_client
):
    # Half the guesses on one region's site, half on another's: one count. The N-th wrong
    # password already answers with the lockout.
    for i in range(N):
        client = client_a if i % 2 == 0 else client_b
        expected = 200 if i < N - 1 else 429
        assert _sign_in(client, citizen.email, f"salah-{i}").status_code == expected
    # Now even the right password is refused, on a third host, with a clear message.
    locked = _sign_in(national_client, citizen.email, PASSWORD)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "dikunci sementara selama 15 menit" in body
    assert "_auth_user_id" not in national_client.session
    assert int(locked["Retry-After"]) == 15 * 60
    # One audit entry for the lockout, not one per refused try.
    _sign_in(client_a, citizen.email, PASSWORD)
    entries = list(_audit("accounts.sign_in.locked_out"))
    assert len(entries) == 1
    assert entries[0].data["by"] == "account"


def test_the_lock_lifts_after_the_cool_off(citizen, client_a):
    from axes.models import AccessAttempt

    for i in range(N):
        _sign_in(client_a, citizen.email, f"salah-{i}")
    assert _sign_in(client_a, citizen.email, PASSWORD).status_code == 429
    # T minutes later (the attempts are older than the cool-off) the account opens again.
    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1)
    )
    assert _sign_in(client_a, citizen.email, PASSWORD).status_code == 302


def test_spellings_of_one_phone_number_count_as_one_account(db, client_a, client_b):
    User.objects.create_user(email=None, phone="081234567890", password=PASSWORD)
    spellings = ["0812-3456-7890", "+6281234567890", "6281234567890", "0812 3456 7890"]
    for i in range(N):
        _sign_in(client_a if i % 2 else client_b, spellings[i % len(spellings)], "salah")
    assert _sign_in(client_a, "081234567890", PASSWORD).status_code == 429


def test_many_accounts_guessed_from_one_address_lock_the_address(db, region_a):
    victim = User.objects.create_user(email="korban@example.id", password=PASSWORD)
    attacker = Client(HTTP_HOST=host_of(region_a), REMOTE_ADDR="203.0.113.7")
    for i in range(settings.MPP_SIGNIN_FAILURES_PER_IP):
        # A different (unknown) account each time: no account reaches its own limit.
        _sign_in(attacker, f"orang{i}@example.id", "tebak-tebak")
    assert _sign_in(attacker, victim.email, PASSWORD).status_code == 429
    # The victim from their own address is not locked out.
    elsewhere = Client(HTTP_HOST=host_of(region_a), REMOTE_ADDR="198.51.100.20")
    assert _sign_in(elsewhere, victim.email, PASSWORD).status_code == 302


def test_the_api_sign_in_counts_with_the_pages(citizen, client_a, national_client):
    for i in range(N - 1):
        _sign_in(client_a, citizen.email, f"salah-{i}")
    api = national_client.post(
        "/api/v1/auth/sign-in/",
        {"username": citizen.email.upper(), "password": "salah-lagi"},
        content_type="application/json",
    )
    assert api.status_code == 429
    assert api.json()["code"] == "locked_out"
    assert "dikunci" in api.json()["detail"]


def test_the_admin_signs_in_through_the_one_throttled_page(national_client):
    response = national_client.get("/admin/login/?next=/admin/catalogue/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=%2Fadmin%2Fcatalogue%2F"


def _sign_up(client, n):
    return client.post(
        "/akun/daftar/",
        {
            "full_name": f"Warga {n}",
            "email": f"warga.{n}@example.id",
            "password1": "sandi-warga-2026",
            "password2": "sandi-warga-2026",
            "consent": "on",
        },
    )


def test_sign_up_is_throttled_per_address_on_every_host(db, client_a, client_b, national_client):
    limit = int(SCOPES["sign_up"].per_ip.split("/")[0])
    for n in range(limit):
        client = (client_a, client_b, national_client)[n % 3]
        assert _sign_up(client, n).status_code == 302, n
        client.logout()
    refused = _sign_up(client_a, "lebih")
    assert refused.status_code == 429
    assert "Terlalu banyak pendaftaran" in refused.content.decode()
    assert not User.objects.filter(email="warga.lebih@example.id").exists()
    api = national_client.post(
        "/api/v1/citizen/sign-up/",
        {"full_name": "Rina", "email": "rina.lebih@example.id", "password": "sandi-warga-2026"},
        content_type="application/json",
    )
    assert api.status_code == 429
    assert api.json()["code"] == "throttled"
    assert _audit("accounts.throttle.sign_up").count() == 1


def test_password_reset_mails_are_throttled_per_account(citizen, client_a, client_b, mailoutbox):
    limit = int(SCOPES["password_reset"].per_account.split("/")[0])
    for n in range(limit):
        # From several addresses: the account's own limit still applies.
        client = client_a if n % 2 else client_b
        response = client.post(
            "/akun/lupa-sandi/", {"email": citizen.email}, REMOTE_ADDR=f"198.51.100.{n + 1}"
        )
        assert response.status_code == 302
    refused = client_a.post("/akun/lupa-sandi/", {"email": citizen.email.upper()})
    assert refused.status_code == 429
    assert len(mailoutbox) == limit


def test_throttle_counts_atomically_under_concurrent_tries(db):
    """Twenty simultaneous guesses at one account's claim codes: exactly the limit get through."""
    limit = int(SCOPES["claim_code"].per_account.split("/")[0])
    allowed: list[int] = []
    refused: list[int] = []
    barrier = threading.Barrier(20)

    def guess(i):
        request = RequestFactory().post("/", REMOTE_ADDR=f"192.0.2.{i + 1}")
        barrier.wait()
        try:
            throttle(request, "claim_code", account=4242)
        except ThrottledError:
            refused.append(i)
        else:
            allowed.append(i)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == limit
    assert len(refused) == 20 - limit


@override_settings(MPP_TRUSTED_PROXY_COUNT=1)
def test_client_address_comes_from_the_trusted_proxy_not_the_client():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    # "1.2.3.4" was written by the client itself; the ingress appended what it saw.
    assert client_ip(request) == "203.0.113.9"
    garbage = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="bukan-ip")
    assert client_ip(garbage) == "10.0.0.5"


def test_without_proxies_the_forwarded_header_is_ignored():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"
