"""A complaint's whole path in a real browser: a citizen complains about their application in
Banyuwangi (confidentially), the complaint officer verifies and routes it to the booth, the
booth's operator answers without ever seeing who complained, the citizen rates the handling,
and the region's public transparency figures change."""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection

from tests.browser.conftest import unique

pytestmark = pytest.mark.browser

PASSWORD = "sandi-uji-2026"


def _set_up():
    """An online service with its booth, the booth's operator, a complaint officer and a
    citizen with a submitted application, made with the real services in Banyuwangi."""
    from lokal import parse_nik

    from shared.accounts.models import Membership, Role, User
    from shared.citizens.models import CitizenProfile
    from shared.regions.models import Mpp
    from tenants.applications.services import application_draft_save, application_submit
    from tenants.mpp.services.booths import booth_create, local_agency_create
    from tenants.mpp.services.offerings import local_service_create
    from tenants.mpp.services.staff import staff_invite

    mpp = Mpp.objects.select_related("region").get(region__slug="banyuwangi")

    def user(prefix, name, role=None):
        u = User.objects.create_user(
            email=f"{unique(prefix)}@mpp.test", password=PASSWORD, full_name=name
        )
        if role:
            Membership.objects.create(user=u, region=mpp.region, role=role)
        return u

    admin = user("admin", "Admin Uji", Role.DPMPTSP_ADMIN)
    officer = user("pengaduan", "Pak Pengelola", Role.COMPLAINT_OFFICER)
    citizen = user("warga", "Ratna Rahasia")
    nik = f"351001410190{uuid.uuid4().int % 9000 + 1000}"
    info = parse_nik(nik)
    profile = CitizenProfile.objects.create(
        user=citizen,
        nik=nik,
        full_name="Ratna Rahasia",
        birth_place="Banyuwangi",
        birth_date=dt.date.fromisoformat(info.birth_date),
        gender=info.gender,
        address_line="Jl. Kenanga 3",
        province_code="35",
        regency_code="35.10",
        phone="+6281299887766",
    )
    connection.set_tenant(mpp)
    try:
        agency = local_agency_create(actor=admin, name=unique("Dinas Perizinan"))
        booth = booth_create(
            actor=admin, number=unique("P"), local_agency=agency, name="Gerai Perizinan Uji"
        )
        service = unique("Izin Keramaian")
        offering = local_service_create(
            actor=admin,
            name=service,
            product="Surat izin",
            complaint_handling="SP4N-LAPOR!",
            completion_days=3,
            steps=["Ajukan", "Ambil"],
            booth=booth,
            channels=["online"],
        )
        operator = staff_invite(
            actor=admin,
            email=f"{unique('operator')}@mpp.test",
            role=Role.OPERATOR,
            full_name="Ova Operator",
            booths=[booth],
        ).user
        draft, problems = application_draft_save(
            actor=citizen, citizen=profile, offering=offering, answers={}
        )
        assert not problems
        application = application_submit(actor=citizen, application=draft)
    finally:
        connection.set_schema_to_public()
    operator.set_password(PASSWORD)
    operator.save()
    return {
        "citizen": citizen,
        "officer": officer,
        "operator": operator,
        "application": application,
        "service": service,
        "booth": booth,
    }


def _sign_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.get_by_label("Email atau nomor HP").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def _figures(page, url) -> dict[str, str]:
    page.goto(url)
    return {
        key: page.locator(f"#fig-{key}").inner_text().strip()
        for key in ("total", "ended", "on-time", "rating")
    }


def test_complain_route_answer_rate_and_the_figures_change(page, browser, live_site):
    world = _set_up()
    bwi = lambda path: live_site.region("banyuwangi", path)  # noqa: E731
    before = _figures(page, bwi("/pengaduan/transparansi/"))

    # 1. The citizen complains about their application, confidentially, with evidence.
    _sign_in(page, bwi("/akun/masuk/"), world["citizen"].email)
    page.goto(bwi(f"/permohonan/{world['application'].pk}/"))
    page.get_by_role("link", name="Adukan permohonan ini").click()
    page.wait_for_url(re.compile(r"/pengaduan/baru/"))
    assert page.get_by_label("Permohonan terkait (opsional)").input_value() == str(
        world["application"].pk
    )
    page.get_by_label("Judul singkat").fill("Izin belum keluar")
    page.get_by_label("Uraian").fill("Sudah lewat target tiga hari, belum ada kabar dari gerai.")
    page.get_by_label(re.compile("Rahasia: hanya")).check()
    page.get_by_label(re.compile("^Bukti")).set_input_files(
        {"name": "bukti.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.get_by_role("button", name="Kirim pengaduan").click()
    page.wait_for_url(re.compile(r"/pengaduan/\d+/$"))
    assert "Menunggu verifikasi" in page.locator("main").inner_text()
    number = re.search(r"ADU-3510-\d{4}-\d{5}", page.locator("main").inner_text()).group(0)

    # 2. The complaint officer verifies it and routes it to the suggested booth.
    staff = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    officer = staff.new_page()
    officer.set_default_timeout(15_000)
    _sign_in(officer, bwi("/akun/masuk/"), world["officer"].email)
    officer.goto(bwi("/petugas/pengaduan/"))
    officer.get_by_role("link", name=number).click()
    assert "Ratna Rahasia" in officer.locator("#complainant").inner_text()
    booth_select = officer.get_by_label("Gerai penanggung jawab")
    assert booth_select.input_value() == str(world["booth"].pk)  # suggested from the application
    officer.get_by_label(re.compile("Sederhana /")).check()
    officer.get_by_label("Catatan untuk gerai (internal, opsional)").fill("Cek berkasnya ya.")
    officer.get_by_role("button", name="Verifikasi dan teruskan ke gerai").click()
    assert "diteruskan ke gerai" in officer.locator(".messages").inner_text()
    staff.close()

    # 3. The booth's operator answers, without seeing who complained.
    desk_context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    desk = desk_context.new_page()
    desk.set_default_timeout(15_000)
    _sign_in(desk, bwi("/akun/masuk/"), world["operator"].email)
    desk.goto(bwi("/petugas/pengaduan/"))
    desk.get_by_role("link", name=number).click()
    seen = desk.locator("main").inner_text()
    assert "Ratna" not in seen
    assert "Dirahasiakan" in seen
    assert world["application"].number not in seen
    assert "Cek berkasnya ya." in seen
    desk.get_by_label("Jawaban / tindak lanjut untuk pelapor").fill(
        "Izin Anda sudah terbit hari ini; mohon maaf atas keterlambatannya."
    )
    desk.get_by_role("button", name="Kirim jawaban dan selesaikan").click()
    assert "pengaduan selesai" in desk.locator(".messages").inner_text()
    desk_context.close()

    # 4. The citizen reads the answer and rates the handling, once.
    page.goto(bwi("/warga/pengaduan/"))
    card = page.locator("article", has_text="Izin belum keluar")
    assert "Selesai" in card.inner_text()
    card.get_by_role("link", name="Izin belum keluar").click()
    assert "sudah terbit hari ini" in page.locator("main").inner_text()
    assert "Cek berkasnya ya." not in page.locator("main").inner_text()  # internal note
    page.get_by_label("5", exact=True).check()
    page.get_by_label("Komentar (opsional)").fill("Jawabannya jelas.")
    page.get_by_role("button", name="Kirim penilaian").click()
    assert "Terima kasih atas penilaian" in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name="Kirim penilaian").count() == 0

    # 5. The region's public figures changed.
    after = _figures(page, bwi("/pengaduan/transparansi/"))
    assert int(after["total"]) == int(before["total"]) + 1
    assert int(after["ended"]) == int(before["ended"]) + 1
    assert after["rating"] != "—"
    assert "Ratna" not in page.locator("main").inner_text()


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )
