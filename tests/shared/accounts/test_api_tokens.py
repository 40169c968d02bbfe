"""API sign-in for the mobile app: hashed, expiring, listable, revocable tokens (knox)."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from shared.accounts.models import ApiToken, Role, User
from shared.accounts.services import user_deactivate
from tests.conftest import host_of, totp_now

PASSWORD = "rahasia-123"
SIGN_IN = "/api/v1/auth/sign-in/"


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        SIGN_IN,
        {"username": username, "password": password, **extra},
        content_type="application/json",
    )


def _bearer(host, token):
    return Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def verified_citizen(make_user):
    from shared.citizens.services import profile_ensure

    user = make_user(password=PASSWORD)
    profile = profile_ensure(user=user)
    profile.email_verified_at = timezone.now()
    profile.save(update_fields=["email_verified_at"])
    return user


def test_a_citizen_signs_in_and_the_token_works_on_every_host(
    verified_citizen, national_client, region_a, region_b
):
    response = _sign_in(national_client, verified_citizen.email, device_name="Android Rina")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == verified_citizen.email
    expiry = dt.datetime.fromisoformat(body["expiry"])
    assert expiry - timezone.now() > dt.timedelta(days=29)
    for host in (settings.MPP_BASE_DOMAIN, host_of(region_a), host_of(region_b)):
        assert _bearer(host, body["token"]).get("/api/v1/me/").status_code == 200
    # Only a digest is stored; the list shows the device, never the token.
    row = ApiToken.objects.get(user=verified_citizen)
    assert body["token"] not in (row.digest, row.token_key)
    devices = _bearer(settings.MPP_BASE_DOMAIN, body["token"]).get("/api/v1/auth/tokens/").json()
    assert [(d["device_name"], d["current"]) for d in devices] == [("Android Rina", True)]
    assert body["token"] not in str(devices)


def test_wrong_password_and_unknown_account_answer_the_same(verified_citizen, national_client):
    wrong = _sign_in(national_client, verified_citizen.email, "salah")
    unknown = _sign_in(national_client, "tidak.ada@example.id", "salah")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "invalid_credentials"


def test_an_official_signs_in_with_the_second_factor(make_user, region_a, client_a):
    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a, password=PASSWORD)
    missing = _sign_in(client_a, admin.email)
    assert missing.status_code == 400
    assert missing.json()["code"] == "second_factor_required"
    wrong = _sign_in(client_a, admin.email, otp_code="000000")
    assert wrong.json()["code"] == "second_factor_invalid"
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=admin)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    ok = _sign_in(client_a, admin.email, otp_code=totp_now(device))
    assert ok.status_code == 200
    members = _bearer(host_of(region_a), ok.json()["token"]).get("/api/v1/admin/members/")
    assert members.status_code == 200
    assert admin.email in members.content.decode()


def test_an_official_without_the_second_factor_gets_no_token(make_user, national_client):
    superadmin = make_user(superadmin=True, second_factor=False, password=PASSWORD)
    response = _sign_in(national_client, superadmin.email)
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_enrolment_required"
    assert not ApiToken.objects.filter(user=superadmin).exists()


def test_an_expired_token_is_refused_and_removed(verified_citizen, national_client):
    token = _sign_in(national_client, verified_citizen.email).json()["token"]
    ApiToken.objects.filter(user=verified_citizen).update(
        expiry=timezone.now() - dt.timedelta(seconds=1)
    )
    response = _bearer(settings.MPP_BASE_DOMAIN, token).get("/api/v1/me/")
    assert response.status_code == 401
    assert not ApiToken.objects.filter(user=verified_citizen).exists()


def test_a_password_reset_revokes_every_token(verified_citizen, national_client, mailoutbox):
    import re

    token = _sign_in(national_client, verified_citizen.email).json()["token"]
    national_client.post("/akun/lupa-sandi/", {"email": verified_citizen.email})
    link = re.search(r"(/akun/atur-sandi/\S+/)", mailoutbox[0].body).group(1)
    browser = Client(HTTP_HOST=settings.MPP_BASE_DOMAIN)
    form = browser.get(link, follow=True)
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": "sandi-baru-2026!", "new_password2": "sandi-baru-2026!"},
    )
    assert done.status_code == 302
    assert not ApiToken.objects.filter(user=verified_citizen).exists()
    assert _bearer(settings.MPP_BASE_DOMAIN, token).get("/api/v1/me/").status_code == 401


def test_a_password_changed_any_other_way_ends_the_token_too(verified_citizen, national_client):
    token = _sign_in(national_client, verified_citizen.email).json()["token"]
    user = User.objects.get(pk=verified_citizen.pk)
    user.set_password("diganti-di-admin-2026")  # e.g. in the Django admin
    user.save()
    assert _bearer(settings.MPP_BASE_DOMAIN, token).get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.filter(user=user).exists()


def test_deactivation_revokes_tokens(verified_citizen, national_client, make_user):
    token = _sign_in(national_client, verified_citizen.email).json()["token"]
    user_deactivate(actor=make_user(superadmin=True), user=verified_citizen)
    assert not ApiToken.objects.filter(user=verified_citizen).exists()
    assert _bearer(settings.MPP_BASE_DOMAIN, token).get("/api/v1/me/").status_code == 401


def test_owners_list_and_revoke_their_devices_only(verified_citizen, national_client, make_user):
    phone = _sign_in(national_client, verified_citizen.email, device_name="HP").json()["token"]
    tablet = _sign_in(national_client, verified_citizen.email, device_name="Tablet").json()["token"]
    me = _bearer(settings.MPP_BASE_DOMAIN, phone)
    devices = {d["device_name"]: d["id"] for d in me.get("/api/v1/auth/tokens/").json()}
    assert set(devices) == {"HP", "Tablet"}
    # Someone else cannot revoke (or even see) them.
    from shared.citizens.services import profile_ensure

    other = make_user(password=PASSWORD)
    profile = profile_ensure(user=other)
    profile.email_verified_at = timezone.now()
    profile.save()
    intruder = _bearer(
        settings.MPP_BASE_DOMAIN, _sign_in(national_client, other.email).json()["token"]
    )
    assert intruder.delete(f"/api/v1/auth/tokens/{devices['Tablet']}/").status_code == 404
    assert len(intruder.get("/api/v1/auth/tokens/").json()) == 1
    # The owner signs the tablet out; the phone keeps working.
    assert me.delete(f"/api/v1/auth/tokens/{devices['Tablet']}/").status_code == 204
    assert _bearer(settings.MPP_BASE_DOMAIN, tablet).get("/api/v1/me/").status_code == 401
    assert me.get("/api/v1/me/").status_code == 200
    assert me.post("/api/v1/auth/sign-out/").status_code == 204
    assert me.get("/api/v1/me/").status_code == 401


def test_plain_drf_tokens_are_retired(db):
    from django.db import connection

    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.authtoken_token')")
        assert cursor.fetchone()[0] is None
