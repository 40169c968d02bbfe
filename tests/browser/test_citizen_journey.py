"""The citizen's whole path in a real browser: sign up, verify the email, complete the profile,
upload documents, apply in Banyuwangi, get it back for revision, fix it, get the result, read
the access log; then apply in Kota Probolinggo without typing the profile again."""

import re
import uuid

import pytest
from django.core import mail
from django.db import connection

from tests.browser.conftest import unique

pytestmark = pytest.mark.browser

PASSWORD = "sandi-warga-2026"
STAFF_PASSWORD = "sandi-petugas-2026"


def _pdf(text: str) -> bytes:
    return (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        f"% {text}\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    ).encode()


def _file(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": _pdf(text)}


def _doc_types():
    from shared.catalogue.models import DocumentType

    ktp, _ = DocumentType.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    kk, _ = DocumentType.objects.get_or_create(code="kk", defaults={"name": "Kartu Keluarga"})
    return ktp, kk


def _set_up_region(slug: str, *, name: str, with_operator: bool):
    """An online offering (KTP-el and KK required), its booth and, for Banyuwangi, an operator,
    made with the regional administration's services inside the region's schema."""
    from shared.accounts.models import Membership, Role, User
    from shared.regions.models import Mpp
    from tenants.applications.services import form_fields_save
    from tenants.mpp.services.booths import booth_create, local_agency_create
    from tenants.mpp.services.offerings import local_service_create
    from tenants.mpp.services.staff import staff_invite

    ktp, kk = _doc_types()
    mpp = Mpp.objects.select_related("region").get(region__slug=slug)
    admin = User.objects.create_user(
        email=f"{unique('admin')}@mpp.test", password=STAFF_PASSWORD, full_name="Admin Uji"
    )
    Membership.objects.create(user=admin, region=mpp.region, role=Role.DPMPTSP_ADMIN)
    connection.set_tenant(mpp)
    try:
        agency = local_agency_create(actor=admin, name=unique("Disdukcapil"))
        booth = booth_create(
            actor=admin, number=unique("G"), local_agency=agency, name=f"Gerai {name}"
        )
        offering = local_service_create(
            actor=admin,
            name=name,
            product="Surat keterangan",
            complaint_handling="SP4N-LAPOR!",
            completion_days=3,
            steps=["Ajukan daring", "Verifikasi", "Hasil"],
            requirements=[{"document_type": ktp}, {"document_type": kk}],
            booth=booth,
            channels=["online", "walk_in"],
        )
        form_fields_save(
            actor=admin,
            offering=offering,
            fields=[
                {
                    "label": "Keperluan",
                    "kind": "choice",
                    "choices": ["Sekolah", "Kerja"],
                    "is_required": True,
                }
            ],
        )
        operator = None
        if with_operator:
            operator = staff_invite(
                actor=admin,
                email=f"{unique('operator')}@mpp.test",
                role=Role.OPERATOR,
                full_name="Ova Operator",
                booths=[booth],
            ).user
    finally:
        connection.set_schema_to_public()
    if operator is not None:
        operator.set_password(STAFF_PASSWORD)
        operator.save()
    return offering, booth, operator, kk


def _sign_in(page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("Email atau nomor HP").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def test_citizen_journey_across_two_regions(page, browser, live_site):
    mail.outbox = []
    bwi_name = unique("Surat Domisili Banyuwangi")
    pbl_name = unique("Surat Domisili Probolinggo")
    _offering, bwi_booth, operator, kk_type = _set_up_region(
        "banyuwangi", name=bwi_name, with_operator=True
    )
    _set_up_region("kota-probolinggo", name=pbl_name, with_operator=False)
    email = f"{unique('warga')}@example.id"
    serial = f"{uuid.uuid4().int % 9000 + 1000}"
    nik = f"351001410190{serial}"  # Banyuwangi, perempuan, lahir 1 Januari 1990

    # 1. Sign up on Banyuwangi's site.
    page.goto(live_site.region("banyuwangi", "/"))
    page.get_by_role("link", name="Daftar", exact=True).click()
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Kata sandi")).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_label("Saya setuju").check()
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_url(re.compile(r"/warga/profil/"))
    assert "lengkapi profil" in page.locator(".messages").inner_text().lower()

    # 2. Verify the email address by its link.
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert "sudah terverifikasi" in page.locator("main").inner_text()

    # 3. Complete the profile (once, for every region). A birth date that disagrees with the
    # NIK is caught first.
    page.goto(live_site.region("banyuwangi", "/warga/profil/"))
    page.get_by_label("NIK (16 digit").fill(nik)
    page.get_by_label("Nama lengkap sesuai KTP-el").fill("Siti Aminah")
    page.get_by_label("Tempat lahir").fill("Banyuwangi")
    page.get_by_label(re.compile(r"^Tanggal lahir:?$")).fill("1990-01-02")
    page.get_by_label("Alamat tempat tinggal").fill("Jl. Ahmad Yani 1, RT 01/RW 02")
    page.get_by_label("Kabupaten/kota").select_option("35.10")
    page.locator('#id_district_code option[value="35.10.01"]').wait_for(state="attached")
    page.get_by_label("Kecamatan").select_option("35.10.01")
    page.get_by_label("Nomor HP").fill("0812-3456-7890")
    page.get_by_role("button", name="Simpan profil").click()
    assert "tersandi di NIK" in page.locator("#form-errors").inner_text()
    page.get_by_label(re.compile(r"^Tanggal lahir:?$")).fill("1990-01-01")
    page.get_by_role("button", name="Simpan profil").click()
    assert "Profil tersimpan" in page.locator(".messages").inner_text()
    assert "Profil lengkap" in page.content()

    # 4. Upload KTP-el and KK into the vault; a fake PDF is refused.
    page.goto(live_site.region("banyuwangi", "/warga/dokumen/"))
    page.get_by_label("Jenis dokumen").select_option(label="KTP-el")
    page.get_by_label("Berkas").set_input_files(
        {"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": b"bukan pdf" * 20}
    )
    page.get_by_role("button", name="Unggah").click()
    assert "Jenis berkas tidak didukung" in page.locator("#form-errors").inner_text()
    for label, name in (("KTP-el", "ktp.pdf"), ("Kartu Keluarga", "kk.pdf")):
        page.get_by_label("Jenis dokumen").select_option(label=label)
        page.get_by_label("Berkas").set_input_files(_file(name, label))
        page.get_by_role("button", name="Unggah").click()
        assert "tersimpan di brankas" in page.locator(".messages").inner_text()
    assert "kk.pdf" in page.locator("table").inner_text()

    # 5. Apply in Banyuwangi: profile and documents are already there.
    page.goto(live_site.region("banyuwangi", "/permohonan/layanan/"))
    page.get_by_role("link", name=f"Ajukan permohonan {bwi_name}").click()
    assert "Siti Aminah" in page.locator("#applicant").inner_text()
    assert "3510********" in page.locator("#applicant").inner_text()
    page.get_by_label("Keperluan").select_option("Sekolah")
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url(re.compile(r"/tanda-terima/"))
    number = page.get_by_test_id("application-number").inner_text().strip()
    assert re.fullmatch(r"3510-\d{4}-\d{6}", number)
    assert page.locator(".qr svg").count() == 1
    verify_url = page.locator(".qr figcaption a").get_attribute("href")

    # 6. An operator returns it for revision.
    staff = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    desk.set_default_timeout(15_000)
    _sign_in(desk, live_site.region("banyuwangi", "/akun/masuk/"), operator.email, STAFF_PASSWORD)
    desk.goto(live_site.region("banyuwangi", "/petugas/permohonan/"))
    desk.get_by_role("link", name=number).click()
    assert nik in desk.locator("main").inner_text()
    desk.get_by_label("Yang perlu diperbaiki warga").fill("Foto KK tidak terbaca, unggah ulang.")
    desk.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    assert "dikembalikan" in desk.locator(".messages").inner_text()

    # 7. The citizen sees it, fixes it and resubmits.
    page.goto(live_site.national("/warga/permohonan/"))
    card = page.locator("article", has_text=bwi_name)
    assert "Perlu perbaikan" in card.inner_text()
    card.get_by_role("link", name="Perbaiki").click()
    assert "Foto KK tidak terbaca" in page.locator("main").inner_text()
    page.locator(f"#req-doc-{kk_type.pk}-file").set_input_files(_file("kk-jelas.pdf", "KK baru"))
    page.get_by_role("button", name="Ajukan ulang").click()
    page.wait_for_url(re.compile(r"/tanda-terima/"))
    assert page.get_by_test_id("application-number").inner_text().strip() == number

    # 8. The operator verifies, processes and completes it with a result document.
    desk.goto(live_site.region("banyuwangi", "/petugas/permohonan/"))
    desk.get_by_role("link", name=number).click()
    desk.get_by_role("button", name="Verifikasi berkas").click()
    desk.get_by_role("button", name="Mulai proses").click()
    desk.get_by_label("Dokumen hasil dapat diunduh").check()
    desk.get_by_label("Dokumen hasil (PDF, JPEG, PNG)").set_input_files(_file("hasil.pdf", "SK"))
    desk.get_by_role("button", name="Selesaikan permohonan").click()
    assert "Permohonan selesai" in desk.locator(".messages").inner_text()
    staff.close()

    # 9. The citizen sees the result and who opened their data.
    page.goto(live_site.region("banyuwangi", "/warga/permohonan/"))
    card = page.locator("article", has_text=bwi_name)
    assert "Selesai" in card.inner_text()
    card.get_by_role("link", name="Lihat detail").click()
    download = page.get_by_role("link", name="Unduh dokumen hasil")
    # Fetched by the page itself (Chromium resolves *.localhost; Playwright's own client not).
    status, head, kind = page.evaluate(
        """async (url) => {
            const r = await fetch(url);
            const bytes = new Uint8Array(await r.arrayBuffer());
            const head = String.fromCharCode(...bytes.slice(0, 4));
            return [r.status, head, r.headers.get("content-type")];
        }""",
        download.get_attribute("href"),
    )
    assert (status, head, kind) == (200, "%PDF", "application/pdf")
    page.goto(verify_url)
    assert "Selesai" in page.locator("main").inner_text()
    assert "Siti" not in page.locator("main").inner_text()
    page.goto(live_site.national("/warga/akses-data/"))
    log = page.locator("table").inner_text()
    assert "Ova Operator" in log
    assert "Operator" in log
    assert "Kabupaten Banyuwangi" in log
    assert bwi_booth.display_name in log
    assert number in log

    # 10. Apply in Kota Probolinggo without typing the profile again.
    page.goto(live_site.region("kota-probolinggo", "/permohonan/layanan/"))
    page.get_by_role("link", name=f"Ajukan permohonan {pbl_name}").click()
    applicant = page.locator("#applicant").inner_text()
    assert "Siti Aminah" in applicant
    assert "Jl. Ahmad Yani 1" in applicant
    assert page.locator("#applicant input").count() == 0  # nothing to type
    assert page.locator('input[type="radio"][value]:checked').count() >= 2  # vault preselected
    page.get_by_label("Keperluan").select_option("Kerja")
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url(re.compile(r"/tanda-terima/"))
    second = page.get_by_test_id("application-number").inner_text().strip()
    assert second.startswith("3574-")

    # "Permohonan saya" shows both regions.
    page.goto(live_site.national("/warga/permohonan/"))
    listing = page.locator("main").inner_text()
    assert number in listing
    assert second in listing
    assert "MPP Kota Probolinggo" in listing
