"""The demo path in a real browser: a DPMPTSP admin adopts ten national services, adds a local
service and a booth with hours; the region's site and the national search show them."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import enter_second_factor, unique
from tests.conftest import enrol_second_factor

pytestmark = pytest.mark.browser


def _national_services(prefix: str, n: int):
    from shared.catalogue.models import Agency
    from shared.catalogue.services import service_create

    agency = Agency.objects.create(
        code=unique("bd-agency"), name=f"Instansi {prefix}", kind=Agency.Kind.MINISTRY
    )
    services = [
        service_create(
            actor=None,
            code=f"{prefix}-{i}",
            name=f"Layanan {prefix} nomor {i}",
            agency=agency,
            product="Dokumen",
            complaint_handling="SP4N-LAPOR!",
            completion_days=2,
            steps=["Datang ke gerai", "Ambil hasil"],
        )
        for i in range(10)
    ]
    return agency, services


def test_admin_builds_the_mpp_and_citizens_see_it(with_page, live_site):
    from shared.accounts.models import Membership, Role, User
    from shared.regions.models import Mpp

    prefix = unique("demo")
    agency, _services = _national_services(prefix, 10)
    mpp = Mpp.objects.select_related("region").get(region__slug="banyuwangi")
    email = f"{prefix}@mpp.go.id"
    admin = User.objects.create_user(email=email, password="sandi-rahasia-1", full_name="Admin")
    Membership.objects.create(user=admin, region=mpp.region, role=Role.DPMPTSP_ADMIN)
    device = enrol_second_factor(admin)

    def drive(page):
        page.goto(live_site.region("banyuwangi", "/kelola/"))
        assert page.get_by_role("link", name="Masuk").first.is_visible()  # 404 page, with a way in
        page.goto(live_site.region("banyuwangi", "/akun/masuk/?next=/kelola/"))
        page.get_by_label("Email atau nomor HP").fill(email)
        page.get_by_label("Kata sandi").fill("sandi-rahasia-1")
        page.get_by_role("button", name="Masuk").click()
        enter_second_factor(page, device)
        page.wait_for_url(live_site.region("banyuwangi", "/kelola/"))

        # Adopt ten national services from a search.
        page.goto(live_site.region("banyuwangi", f"/kelola/layanan/adopsi/?q={prefix}"))
        boxes = page.locator('input[name="service"]')
        assert boxes.count() == 10
        for i in range(10):
            boxes.nth(i).check()
        page.get_by_role("button", name="Adopsi yang dipilih").click()
        page.wait_for_load_state()
        assert "10 layanan diadopsi" in page.locator(".messages").inner_text()

        # A local service.
        page.goto(live_site.region("banyuwangi", "/kelola/layanan-lokal/baru/"))
        local_name = f"Izin Lokal {prefix}"
        page.get_by_label("Nama layanan").fill(local_name)
        page.get_by_label("Instansi nasional").select_option(str(agency.pk))
        page.get_by_label("Prosedur").fill("Ajukan\nVerifikasi\nTerbit")
        page.get_by_label("Jangka waktu (hari kerja)").fill("3")
        page.get_by_label("Produk layanan").fill("Surat izin")
        page.get_by_label("Penanganan pengaduan").fill("Kotak saran dan LAPOR!")
        page.get_by_role("checkbox", name="Datang langsung").check()
        page.get_by_role("button", name="Simpan layanan lokal").click()
        page.wait_for_load_state()
        assert "Layanan lokal disimpan" in page.locator(".messages").inner_text()

        # A booth with its own hours.
        page.goto(live_site.region("banyuwangi", "/kelola/gerai/baru/"))
        booth_number = prefix[-6:].upper()
        page.get_by_label("Instansi nasional").select_option(str(agency.pk))
        page.get_by_label("Nomor gerai").fill(booth_number)
        page.get_by_label("Lokasi").fill("Lantai 2")
        page.get_by_label("Ikuti jam layanan MPP").uncheck()
        page.locator("#id_hours-d0_open1").fill("08:00")
        page.locator("#id_hours-d0_close1").fill("14:00")
        page.get_by_role("button", name="Simpan").click()
        page.wait_for_load_state()
        assert "Gerai disimpan" in page.locator(".messages").inner_text()

        # The region's public site shows the services, the local service and the booth.
        page.goto(live_site.region("banyuwangi", f"/layanan/?q={prefix}"))
        listing = page.locator("main").inner_text()
        assert f"Layanan {prefix} nomor 9" in listing
        assert local_name in listing
        page.get_by_role("link", name=local_name).click()
        expect(page.locator("main")).to_contain_text("Verifikasi")
        page.goto(live_site.region("banyuwangi", "/gerai/"))
        booths = page.locator("main").inner_text()
        assert booth_number in booths
        assert "08:00–14:00" in booths

        # The national search says Banyuwangi offers them.
        page.goto(live_site.national(f"/layanan/?q=Layanan+{prefix}+nomor+3"))
        assert "MPP Kabupaten Banyuwangi" in page.locator("main").inner_text()

    with_page(drive)
