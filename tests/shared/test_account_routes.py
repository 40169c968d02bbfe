"""Account routes that had no test: sign-out across the parent-domain cookie, resending the
verification e-mail, and the e-mail verification API."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from shared.accounts.models import User
from shared.citizens.models import CitizenProfile
from shared.citizens.services.accounts import email_verification_token

A = "banyuwangi.mpp.localhost"
B = "kota-probolinggo.mpp.localhost"


@pytest.fixture
def citizen_user(db):
    return User.objects.create_user(
        email="rina.keluar@example.id", password="sandi-warga-2026", full_name="Rina"
    )


def test_sign_out_on_one_region_ends_the_session_on_every_site(region_a, region_b, citizen_user):
    client = Client(HTTP_HOST=A)
    assert client.login(username=citizen_user.email, password="sandi-warga-2026")
    profile = reverse("citizens:profile")
    assert client.get(profile, HTTP_HOST=B).status_code == 200  # one cookie, every region
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    # The deletion must name the parent domain, or the browser keeps the shared cookie.
    assert cookie["domain"] == settings.SESSION_COOKIE_DOMAIN
    assert cookie.value == ""
    for host in (A, B, settings.MPP_BASE_DOMAIN):
        answer = client.get(profile, HTTP_HOST=host)
        assert answer.status_code == 302, host
        assert "/akun/masuk/" in answer["Location"]


def _last_link(mailoutbox) -> str:
    return re.search(r"https?://\S+", mailoutbox[-1].body).group(0)


def test_resend_verification_sends_a_fresh_working_link(
    region_a, citizen_user, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST=A)
    client.force_login(citizen_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("citizens:resend_verification"))
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = _last_link(mailoutbox)
    assert link.startswith(f"http://{A}")  # back to the region the citizen was on
    client.get("/" + link.split("/", 3)[3])
    assert CitizenProfile.objects.get(user=citizen_user).email_verified_at is not None


def test_resend_verification_without_an_email_says_so(region_a, db):
    phone_only = User.objects.create_user(phone="+6281234567001", password="x", full_name="Tono")
    client = Client(HTTP_HOST=A)
    client.force_login(phone_only)
    response = client.post(reverse("citizens:resend_verification"), follow=True)
    assert "tidak memiliki email" in response.content.decode()


def test_resend_verification_needs_a_signed_in_citizen(region_a):
    response = Client(HTTP_HOST=A).post(reverse("citizens:resend_verification"))
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "/akun/masuk/" in response["Location"]


def test_verify_email_api_marks_the_address_and_refuses_bad_tokens(db, citizen_user):
    api = Client(HTTP_HOST=settings.MPP_BASE_DOMAIN)
    url = "/api/v1/citizen/verify-email/"
    bad = api.post(url, {"token": "bukan-token"}, content_type="application/json")
    assert bad.status_code == 400
    assert "tidak valid" in bad.content.decode()
    assert not CitizenProfile.objects.filter(
        user=citizen_user, email_verified_at__isnull=False
    ).exists()
    token = email_verification_token(citizen_user)
    ok = api.post(url, {"token": token}, content_type="application/json")
    assert ok.status_code == 200
    assert CitizenProfile.objects.get(user=citizen_user).email_verified_at is not None
    # A link made for the old address stops working when the address changes.
    citizen_user.email = "rina.baru@example.id"
    citizen_user.save()
    stale = api.post(url, {"token": token}, content_type="application/json")
    assert stale.status_code == 400
