""" "Perangkat saya": the web page where a citizen or an official sees the apps signed in to the
account (knox API tokens) and signs one or all of them out. Only the owner's devices exist
there; every sign-out is audited; forms need the CSRF token; Bahasa Indonesia and English."""

import datetime as dt

from django.conf import settings
from django.test import Client
from django.utils import timezone

from shared.accounts.models import ApiToken, Role
from shared.audit.models import AuditEntry
from tests.conftest import host_of, issue_api_token

DEVICES = "/akun/perangkat/"


def _bearer(token):
    return Client(HTTP_HOST=settings.MPP_BASE_DOMAIN, HTTP_AUTHORIZATION=f"Token {token}")


def _short(user, device_name):
    return ApiToken.objects.get(user=user, device_name=device_name).token_key[:8]


def test_a_citizen_sees_their_devices_and_signs_one_out(make_user, national_client):
    user = make_user()
    phone = issue_api_token(user, "Android Rina")
    tablet = issue_api_token(user, "Tablet rumah")
    ApiToken.objects.filter(user=user, device_name="Android Rina").update(
        last_used_at=timezone.now()
    )
    stranger = make_user()
    issue_api_token(stranger, "Ponsel orang lain")
    national_client.force_login(user)
    page = national_client.get(DEVICES)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="device-row"') == 2
    assert "Android Rina" in html
    assert "Tablet rumah" in html
    assert "Ponsel orang lain" not in html
    assert "Belum pernah" in html  # the tablet was never used
    assert phone not in html
    assert tablet not in html
    short = _short(user, "Android Rina")
    response = national_client.post(f"{DEVICES}{short}/keluarkan/")
    assert response.status_code == 302
    assert response["Location"] == DEVICES
    assert _bearer(phone).get("/api/v1/me/").status_code == 401
    assert _bearer(tablet).get("/api/v1/me/").status_code == 200
    after = national_client.get(DEVICES).content.decode()
    assert "Perangkat Android Rina sudah dikeluarkan" in after
    assert after.count('class="device-row"') == 1
    entry = AuditEntry.objects.filter(action="accounts.api_token.revoked").latest("id")
    assert entry.actor_id == user.pk
    assert entry.data["token_key"] == short


def test_another_accounts_device_is_404_and_stays_signed_in(make_user, client_a):
    owner = make_user()
    token = issue_api_token(owner, "Ponsel pemilik")
    short = _short(owner, "Ponsel pemilik")
    intruder = make_user()
    client_a.force_login(intruder)
    assert client_a.post(f"{DEVICES}{short}/keluarkan/").status_code == 404
    assert client_a.post(f"{DEVICES}tidak-ada/keluarkan/").status_code == 404
    assert _bearer(token).get("/api/v1/me/").status_code == 200
    assert not AuditEntry.objects.filter(action="accounts.api_token.revoked").exists()


def test_sign_out_all_devices(make_user, client_b):
    user = make_user()
    tokens = [issue_api_token(user, name) for name in ("Satu", "Dua", "Tiga")]
    client_b.force_login(user)  # the page works on a region's host too
    response = client_b.post(f"{DEVICES}keluarkan-semua/", follow=True)
    assert response.status_code == 200
    assert "3 perangkat dikeluarkan" in response.content.decode()
    assert not ApiToken.objects.filter(user=user).exists()
    assert all(_bearer(t).get("/api/v1/me/").status_code == 401 for t in tokens)
    entry = AuditEntry.objects.get(action="accounts.api_token.revoked_all", target_id=str(user.pk))
    assert entry.data == {"reason": "user_request", "count": 3}
    assert "Tidak ada aplikasi yang masuk" in client_b.get(DEVICES).content.decode()


def test_expired_devices_are_not_listed(make_user, national_client):
    user = make_user()
    issue_api_token(user, "Lama")
    ApiToken.objects.filter(user=user).update(expiry=timezone.now() - dt.timedelta(minutes=1))
    national_client.force_login(user)
    assert "Lama" not in national_client.get(DEVICES).content.decode()


def test_forms_need_the_csrf_token(make_user):
    user = make_user()
    token = issue_api_token(user, "Ponsel")
    short = _short(user, "Ponsel")
    client = Client(HTTP_HOST=settings.MPP_BASE_DOMAIN, enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(f"{DEVICES}{short}/keluarkan/").status_code == 403
    assert client.post(f"{DEVICES}keluarkan-semua/").status_code == 403
    assert _bearer(token).get("/api/v1/me/").status_code == 200
    # With the token the page's own form carries, it works.
    page = client.get(DEVICES)
    csrf = page.context["csrf_token"]
    response = client.post(f"{DEVICES}{short}/keluarkan/", {"csrfmiddlewaretoken": str(csrf)})
    assert response.status_code == 302
    assert _bearer(token).get("/api/v1/me/").status_code == 401


def test_anonymous_visitors_are_sent_to_sign_in(db, national_client):
    page = national_client.get(DEVICES)
    assert page.status_code == 302
    assert page["Location"].startswith("/akun/masuk/")
    assert national_client.post(f"{DEVICES}keluarkan-semua/").status_code == 302


def test_an_official_manages_devices_after_the_second_factor(make_user, region_a):
    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    issue_api_token(admin, "Laptop dinas")
    client = Client(HTTP_HOST=host_of(region_a))
    client.force_login(admin)  # enrolled and verified (tests/conftest.py)
    assert "Laptop dinas" in client.get(DEVICES).content.decode()
    manage = client.get("/akun/dua-langkah/kelola/").content.decode()
    assert DEVICES in manage
    # An official who has not passed the second factor is sent there first.
    unverified = make_user(role=Role.DPMPTSP_ADMIN, region=region_a, second_factor=False)
    client.force_login(unverified)
    refused = client.get(DEVICES)
    assert refused.status_code == 302
    assert refused["Location"].startswith("/akun/dua-langkah/")


def test_linked_from_the_profile_and_in_english(make_user, national_client):
    user = make_user()
    issue_api_token(user, "Android")
    national_client.force_login(user)
    assert DEVICES in national_client.get("/warga/profil/").content.decode()
    english = national_client.get(DEVICES, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
