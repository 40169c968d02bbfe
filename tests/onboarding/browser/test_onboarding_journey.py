"""A superadmin onboards a region in a real browser: commitment, readiness, designation,
provisioning with its progress bar, and the new region's site. Provisioning runs on a real
Celery worker over the Redis broker, so the page's progress polling is what shows it finishing.
Commits its data (browser tests run last) and removes the region afterwards."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.browser.conftest import enter_second_factor, unique
from tests.conftest import enrol_second_factor
from tests.onboarding.conftest import PDF_BYTES

pytestmark = pytest.mark.browser
CODE = "21.03"  # Kabupaten Natuna
PASSWORD = "sandi-superadmin-1"


@pytest.fixture
def real_worker():
    """A Celery worker thread on the real broker, with one step slowed down so the page is
    certain to load while the pipeline still runs."""
    from celery.contrib.testing.worker import start_worker

    from mpp_platform.celery import app
    from tests.onboarding.faults import slow_step

    assert not app.conf.task_always_eager
    with (
        slow_step("seed_offerings", 3.0),
        start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"),
    ):
        yield


@pytest.fixture
def natuna_cleanup():
    yield
    from onboarding.models import Onboarding
    from onboarding.provisioning.template import schema_drop
    from shared.accounts.models import Membership, User
    from shared.regions.models import Mpp

    connection.set_schema_to_public()
    schema_drop("mpp_21_03")
    Mpp.objects.filter(region__code=CODE).delete()
    Onboarding.objects.filter(region__code=CODE).delete()
    emails = list(
        Membership.objects.filter(region__code=CODE).values_list("user__email", flat=True)
    )
    Membership.objects.filter(region__code=CODE).delete()
    User.objects.filter(email__in=emails)._raw_delete(User.objects.db)


def test_superadmin_onboards_a_region_from_commitment_to_live(
    live_site, with_page, real_worker, natuna_cleanup
):
    from shared.accounts.models import User

    email = f"{unique('superadmin')}@kemenpanrb.test"
    superadmin = User.objects.create_superuser(
        email=email, password=PASSWORD, full_name="Superadmin Uji"
    )
    device = enrol_second_factor(superadmin)
    admin_email = f"{unique('admin')}@natunakab.test"

    def drive(page):
        page.goto(live_site.national("/akun/masuk/?next=/onboarding/"))
        page.get_by_label("Email atau nomor HP").fill(email)
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        enter_second_factor(page, device)
        page.wait_for_url(live_site.national("/onboarding/"))

        # The board: filter Kepulauan Riau, regions not yet onboarded.
        page.get_by_label("Provinsi", exact=True).select_option("21")
        page.get_by_label("Tahap", exact=True).select_option("none")
        page.get_by_role("button", name="Saring").click()
        page.get_by_role("link", name="Kabupaten Natuna").click()
        assert "Belum bergabung" in page.locator("h1").inner_text()

        # 1. Commitment with its signed PDF.
        page.get_by_label("Nama penanda tangan").fill("Wan Siswandi")
        page.get_by_label("Jabatan penanda tangan").fill("Bupati Natuna")
        page.get_by_label("Tanggal penandatanganan").fill("2024-03-07")
        page.get_by_label("Acara penandatanganan").fill("Penandatanganan komitmen MPP Digital")
        page.get_by_label("Dokumen komitmen bertanda tangan (PDF)").set_input_files(
            {"name": "komitmen-natuna.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
        )
        page.get_by_role("button", name="Catat komitmen").click()
        assert "Komitmen Kabupaten Natuna tercatat" in page.locator(".messages").inner_text()

        # 2. Readiness: every indicator with its evidence, then ready.
        def value(indicator: str):
            return page.locator("fieldset", has_text=indicator).locator("input, select").first

        value("Kelengkapan data SDM kesehatan").fill("68")
        value("Aktivasi Identitas Kependudukan Digital").fill("4.6")
        value("MPP fisik sudah beroperasi").select_option("ya")
        value("Operator DPMPTSP yang ditunjuk").fill("Rina Wulandari")
        value("Konektivitas internet memadai").select_option("ya")
        page.locator("fieldset", has_text="Kelengkapan data SDM kesehatan").get_by_label(
            "Bukti"
        ).fill("Laporan Dinkes 2024")
        page.get_by_role("button", name="Simpan penilaian").click()
        page.get_by_role("button", name="Nyatakan siap").click()
        assert "Kesiapan dinyatakan memenuhi" in page.locator(".messages").inner_text()

        # 3. Designation by decree, naming the DPMPTSP admin.
        page.get_by_label("Nomor keputusan").fill("457/2024")
        page.get_by_label("Tanggal keputusan").fill("2024-06-03")
        page.get_by_label("Email admin DPMPTSP").fill(admin_email)
        page.get_by_role("button", name="Tetapkan").click()
        assert "Daerah ditetapkan" in page.locator(".messages").inner_text()

        # 4. Provisioning, with its progress bar.
        page.get_by_role("button", name="Mulai penyiapan").click()
        bar = page.get_by_role("progressbar")
        bar.wait_for()
        first = int(bar.get_attribute("aria-valuenow"))
        assert first < 100, "the page must load while the worker is still provisioning"
        page.evaluate("window.__stillTheSamePage = true")
        # Playwright's expect polls from outside the page: a string wait_for_function would be
        # eval'd inside it, which the Content-Security-Policy (no 'unsafe-eval') refuses.
        expect(bar).to_have_attribute("aria-valuenow", "100", timeout=90_000)
        # progress.js moved the bar without a reload, and now offers one for the new actions.
        assert page.evaluate("window.__stillTheSamePage === true")
        page.locator("[data-reload-hint]").wait_for(state="visible")
        page.reload()
        assert "Aktif" in page.locator("h1").inner_text()
        timeline = page.locator("#timeline-title + ol").inner_text()
        assert "Komitmen ditandatangani" in timeline
        assert "MPP aktif" in timeline

        # 5. The new region's site.
        page.get_by_role("link", name="Buka situs MPP").first.click()
        page.wait_for_url(live_site.region("natuna", "/"))
        assert "Natuna" in page.locator("h1").inner_text()

    with_page(drive)
