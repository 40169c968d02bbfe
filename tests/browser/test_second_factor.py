"""An official enrols an authenticator app and signs in with it, in a real browser.

The page watcher of tests/browser fails the test on any console error, so a Content-Security-
Policy violation on these pages (an inline script, a blocked resource) fails it too.
"""

import base64
import time

import pytest

from tests.browser.conftest import unique

pytestmark = pytest.mark.browser

PASSWORD = "sandi-admin-2026"


def _code_for(secret: str, *, not_step: int | None = None) -> str:
    """What an authenticator app shows for ``secret`` (typed off the page, as a person would),
    waiting for the next code when the current one was just used."""
    from django_otp.oath import TOTP

    totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    if not_step is not None and totp.t() <= not_step:
        time.sleep(30 - time.time() % 30 + 0.5)
        totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    return f"{totp.token():06d}"


def test_an_admin_enrols_in_totp_and_signs_in_with_it(page, live_site):
    from shared.accounts.models import User

    email = f"{unique('superadmin')}@kemenpanrb.test"
    User.objects.create_superuser(email=email, password=PASSWORD, full_name="Superadmin Baru")

    # First sign-in: the password, then straight to enrolment (nothing else is reachable).
    page.goto(live_site.national("/akun/masuk/?next=/admin/"))
    page.get_by_label("Email atau nomor HP").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/akun/dua-langkah/daftar/**")
    assert "Aktifkan verifikasi dua langkah" in page.locator("h1").inner_text()
    assert page.locator(".qr svg").is_visible()
    page.goto(live_site.national("/onboarding/"))
    page.wait_for_url("**/akun/dua-langkah/daftar/**")  # still no way around it

    # The person adds the secret shown on the page to their app and types the app's code.
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Kode verifikasi").fill("000000")
    page.get_by_role("button", name="Konfirmasi").click()
    assert "Kode tidak cocok" in page.locator("main").inner_text()
    time.sleep(1.1)  # django-otp's growing delay after a wrong code
    secret = page.locator("#totp-secret").inner_text()
    used_step = int(time.time()) // 30
    page.get_by_label("Kode verifikasi").fill(_code_for(secret))
    page.get_by_role("button", name="Konfirmasi").click()
    assert "Verifikasi dua langkah aktif" in page.locator("h1").inner_text()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Lanjutkan").click()
    page.wait_for_url(live_site.national("/onboarding/"))  # where the blocked visit wanted to go
    response = page.goto(live_site.national("/admin/"))
    assert response.status == 200
    assert page.locator("#site-name").is_visible()  # the Django admin itself, not a sign-in

    # Sign out, sign in again: password, then the app's (next) code.
    page.goto(live_site.national("/"))
    page.get_by_role("button", name="Keluar").click()
    page.goto(live_site.national("/akun/masuk/?next=/onboarding/"))
    page.get_by_label("Email atau nomor HP").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/akun/dua-langkah/?next=**")
    page.get_by_label("Kode verifikasi").fill(_code_for(secret, not_step=used_step))
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(live_site.national("/onboarding/"))
    # One sign-in, every region: the region's console would open too (this superadmin is
    # verified for the whole session).
    page.goto(live_site.region("banyuwangi", "/kelola/"))
    assert "/akun/dua-langkah/" not in page.url


def test_the_swagger_page_runs_under_the_csp(page, live_site):
    page.goto(live_site.national("/api/docs/"))
    page.wait_for_selector(".swagger-ui .information-container", timeout=15_000)
    assert "MPP Digital API" in page.locator(".swagger-ui").inner_text()
