"""Second factor (TOTP + recovery codes) for superadmins and DPMPTSP admins.

An official who has not passed it reaches no admin page, no staff page and no staff API, on any
host: the walk below tries every route of both URL configurations.
"""

import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared.accounts.middleware import SEEN_KEY
from shared.accounts.models import Role
from tests.conftest import enrol_second_factor, host_of, totp_now

PASSWORD = "rahasia-123"


def _walk(resolver, prefix=""):
    """Every route as a concrete path: converters get a harmless sample value."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + _sample(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + _sample(entry.pattern)


def _sample(pattern) -> str:
    import re

    text = str(pattern)
    text = re.sub(r"<int:[^>]+>", "1", text)
    text = re.sub(r"<(?:str|slug|uuid|path:)?[^>]*>", "x", text)
    return text.lstrip("^").rstrip("$").replace("\\", "")


# Reachable with a password alone: the second-factor pages, sign-out, probes, the language
# switch, assets and public pages that show nothing an official owns.
def _refused(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        return "/akun/dua-langkah/" in response["Location"]
    return False


OPEN = ("/akun/dua-langkah/", "/akun/keluar/", "/healthz", "/readyz", "/i18n/", "/jsi18n/")


@pytest.mark.parametrize(
    ("urlconf", "host"),
    [("mpp_platform.urls_national", "national"), ("mpp_platform.urls_regional", "region")],
)
def test_a_superadmin_without_second_factor_gets_no_page_of_any_kind(
    urlconf, host, make_user, national_client, client_a
):
    client = national_client if host == "national" else client_a
    superadmin = make_user(superadmin=True, second_factor=False)
    client.force_login(superadmin)
    paths = sorted({p for p in _walk(get_resolver(urlconf)) if not p.startswith(OPEN)})
    assert len(paths) > 20
    leaked = []
    for path in paths:
        response = client.get(path)
        if not _refused(response):
            leaked.append((path, response.status_code))
    assert leaked == []
    # Pages send the official to enrol; the API says what is missing.
    page = client.get("/warga/profil/")
    assert page["Location"].startswith("/akun/dua-langkah/daftar/?next=")
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"


def test_the_same_superadmin_with_the_second_factor_gets_in(make_user, national_client):
    superadmin = make_user(superadmin=True)
    national_client.force_login(superadmin)
    admin = national_client.get("/admin/")
    assert admin.status_code == 200
    assert "Katalog layanan nasional" in admin.content.decode()  # the admin itself
    board = national_client.get("/onboarding/")
    assert board.status_code == 200
    assert "<h1>Onboarding daerah</h1>" in board.content.decode()


def test_a_dpmptsp_admin_needs_it_an_operator_does_not(make_user, region_a, client_a):
    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a, second_factor=False)
    client_a.force_login(admin)
    assert client_a.get("/kelola/")["Location"].startswith("/akun/dua-langkah/daftar/")
    operator = make_user(role=Role.OPERATOR, region=region_a)
    client_a.force_login(operator)
    assert client_a.get("/petugas/permohonan/").status_code == 200


def test_enrolment_then_sign_in_with_a_code(make_user, national_client):
    superadmin = make_user(superadmin=True, second_factor=False, password=PASSWORD)
    signed_in = national_client.post(
        "/akun/masuk/?next=/admin/", {"username": superadmin.email, "password": PASSWORD}
    )
    assert signed_in["Location"] == "/akun/dua-langkah/daftar/?next=%2Fadmin%2F"
    page = national_client.get(signed_in["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text  # the QR code, inline: no image request, no CDN
    device = TOTPDevice.objects.get(user=superadmin, confirmed=False)
    secret = page.context["secret"].replace(" ", "")
    import base64

    assert base64.b32decode(secret) == device.bin_key
    wrong = national_client.post(signed_in["Location"], {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 400
    assert "Kode tidak cocok" in wrong.content.decode()
    # django-otp makes the next try wait a second after a wrong code; a person would have.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    done = national_client.post(
        signed_in["Location"], {"code": totp_now(device), "next": "/admin/"}
    )
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert national_client.get("/admin/").status_code == 200

    # Next time: password, then the code.
    national_client.logout()
    again = national_client.post(
        "/akun/masuk/?next=/onboarding/", {"username": superadmin.email, "password": PASSWORD}
    )
    assert again["Location"] == "/akun/dua-langkah/?next=%2Fonboarding%2F"
    assert national_client.get("/onboarding/").status_code == 302
    # A recovery code works once.
    used = national_client.post(again["Location"], {"code": codes[0], "next": "/onboarding/"})
    assert used["Location"] == "/onboarding/"
    assert national_client.get("/onboarding/").status_code == 200
    national_client.logout()
    national_client.post("/akun/masuk/", {"username": superadmin.email, "password": PASSWORD})
    reused = national_client.post("/akun/dua-langkah/", {"code": codes[0]})
    assert reused.status_code == 400


def test_a_password_alone_cannot_swap_the_authenticator(make_user, national_client):
    superadmin = make_user(superadmin=True, password=PASSWORD)  # enrolled already
    national_client.post("/akun/masuk/", {"username": superadmin.email, "password": PASSWORD})
    response = national_client.get("/akun/dua-langkah/daftar/")
    assert response["Location"].startswith("/akun/dua-langkah/?next=")
    assert not TOTPDevice.objects.filter(user=superadmin, confirmed=False).exists()
    assert national_client.post("/akun/dua-langkah/kelola/").status_code == 302


def test_wrong_codes_are_throttled_per_account(make_user, client_a, client_b):
    from shared.accounts.throttling import SCOPES

    limit = int(SCOPES["second_factor"].per_account.split("/")[0])
    superadmin = make_user(superadmin=True, password=PASSWORD)
    device = TOTPDevice.objects.get(user=superadmin)
    for client in (client_a, client_b):
        client.post("/akun/masuk/", {"username": superadmin.email, "password": PASSWORD})
    for i in range(limit):
        # django-otp's own growing delay would refuse most of these too; reset it so that the
        # platform-wide counter is what is tested.
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        client = client_a if i % 2 else client_b
        assert client.post("/akun/dua-langkah/", {"code": "123456"}).status_code == 400
    refused = client_a.post("/akun/dua-langkah/", {"code": totp_now(device)})
    assert refused.status_code == 429
    assert "Terlalu banyak kode verifikasi" in refused.content.decode()


def test_a_staff_session_ends_when_idle_a_citizens_does_not(
    make_user, region_a, client_a, settings
):
    operator = make_user(role=Role.OPERATOR, region=region_a)
    client_a.force_login(operator)
    assert client_a.get("/petugas/permohonan/").status_code == 200
    session = client_a.session
    session[SEEN_KEY] = time.time() - settings.MPP_STAFF_IDLE_SECONDS - 5
    session.save()
    ended = client_a.get("/petugas/permohonan/")
    assert ended.status_code == 302
    assert ended["Location"].startswith("/akun/masuk/?next=")
    assert "_auth_user_id" not in client_a.session

    citizen = make_user()
    client_a.force_login(citizen)
    session = client_a.session
    session[SEEN_KEY] = time.time() - settings.MPP_STAFF_IDLE_SECONDS - 5
    session.save()
    assert client_a.get("/warga/profil/").status_code == 200


def test_a_superadmin_can_reset_a_lost_authenticator(make_user, region_a):
    from shared.accounts.services import second_factor_reset
    from shared.audit.models import AuditEntry

    superadmin = make_user(superadmin=True)
    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    second_factor_reset(actor=superadmin, user=admin)
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert AuditEntry.objects.filter(
        action="accounts.second_factor.reset", actor=superadmin, target_id=str(admin.pk)
    ).exists()


def test_the_region_host_checks_the_second_factor_too(make_user, region_a):
    from django.test import Client

    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a, second_factor=False)
    enrol_second_factor(admin)
    client = Client(HTTP_HOST=host_of(region_a))
    client.post("/akun/masuk/", {"username": admin.email, "password": PASSWORD})
    assert client.get("/kelola/")["Location"].startswith("/akun/dua-langkah/?next=")


def test_the_admin_resets_a_lost_authenticator_and_lists_tokens_without_secrets(
    make_user, region_a, national_client
):
    from shared.accounts.models import ApiToken
    from tests.conftest import issue_api_token

    superadmin = make_user(superadmin=True)
    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    token = issue_api_token(admin, device_name="Tablet loket")
    national_client.force_login(superadmin)
    listing = national_client.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Tablet loket" in body
    # The token itself is nowhere (the row's key is its SHA-512 digest, which opens nothing).
    assert token not in body
    assert token[:15] not in body
    response = national_client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [admin.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert not ApiToken.objects.filter(user=admin).exists()
