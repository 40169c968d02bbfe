import pytest

from tests.browser.conftest import unique

pytestmark = pytest.mark.browser


def test_one_sign_in_works_on_every_region_site(page, live_site):
    from shared.accounts.models import User

    email = f"{unique('warga')}@example.id"
    User.objects.create_user(email=email, password="sandi-rahasia-1", full_name="Rina Warga")

    page.goto(live_site.region("banyuwangi", "/akun/masuk/"))
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_label("Email atau nomor HP").fill(email)
    page.get_by_label("Kata sandi").fill("sandi-rahasia-1")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    page.wait_for_url(live_site.region("banyuwangi", "/"))
    assert "Rina Warga" in page.locator("header").inner_text()

    # Another region's site and the national site: already signed in, no second sign-in.
    page.goto(live_site.region("kota-probolinggo", "/"))
    assert "Probolinggo" in page.locator("h1").inner_text()
    assert "Rina Warga" in page.locator("header").inner_text()
    page.goto(live_site.national("/"))
    assert "Rina Warga" in page.locator("header").inner_text()


def test_unknown_region_site_shows_friendly_page(page, live_site):
    response = page.goto(live_site.region("tidakada", "/"))
    assert response.status == 404
    assert "tidak ditemukan" in page.locator("h1").inner_text()


def test_language_switch_to_english(page, live_site):
    page.goto(live_site.national("/akun/masuk/"))
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    assert page.get_by_role("button", name="Sign in").is_visible()
