"""The counter's consent step in a real browser: an operator finds a citizen by NIK, sees only
a masked name, and serves them after consent, once with the code the citizen's account shows,
once for a citizen without a phone (KTP-el in hand, birth date, reason). The citizen then sees
the visit in their access log."""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from tests.browser.conftest import unique
from tests.browser.test_citizen_journey import STAFF_PASSWORD, _set_up_region, _sign_in

pytestmark = pytest.mark.browser

PASSWORD = "sandi-warga-2026"


def _nik(serial_prefix: str = "") -> str:
    serial = f"{uuid.uuid4().int % 9000 + 1000}"
    return f"351001410190{serial}"  # Banyuwangi, perempuan, lahir 1 Januari 1990


def _citizen_with_phone(nik: str):
    from shared.accounts.models import User
    from shared.citizens.models import CitizenProfile

    user = User.objects.create_user(
        email=f"{unique('warga')}@example.id", password=PASSWORD, full_name="Ratna Sari"
    )
    profile = CitizenProfile.objects.create(
        user=user,
        full_name="Ratna Sari",
        birth_place="Banyuwangi",
        birth_date=dt.date(1990, 1, 1),
        gender="P",
        address_line="Jl. Ahmad Yani 9",
        province_code="35",
        regency_code="35.10",
        phone=f"+62812{uuid.uuid4().int % 10**8:08d}",
        phone_verified_at=timezone.now(),
    )
    profile.nik = nik
    profile.save()
    return user, profile


def _walk_in_without_phone(nik: str, admin_region):
    from shared.accounts.models import Membership, Role, User
    from shared.citizens.services import CounterDesk, citizen_register_at_counter

    admin = User.objects.create_user(email=f"{unique('adm')}@mpp.test", password="x")
    Membership.objects.create(user=admin, region=admin_region, role=Role.DPMPTSP_ADMIN)
    return citizen_register_at_counter(
        desk=CounterDesk(actor=admin, role=Role.DPMPTSP_ADMIN, region=admin_region),
        data={
            "nik": nik,
            "full_name": "Mbah Karto",
            "birth_place": "Banyuwangi",
            "birth_date": dt.date(1990, 1, 1),
            "address_line": "Dusun Krajan",
            "regency_code": "35.10",
        },
    )


def test_counter_consent_with_and_without_the_citizens_phone(page, browser, live_site):
    from shared.regions.models import Region

    _offering, _booth, operator, _kk = _set_up_region(
        "banyuwangi", name=unique("Surat Keterangan"), with_operator=True
    )
    connection.set_schema_to_public()
    nik_phone, nik_ktp = _nik(), _nik()
    while nik_ktp == nik_phone:
        nik_ktp = _nik()
    citizen_user, _profile = _citizen_with_phone(nik_phone)
    _walk_in_without_phone(nik_ktp, Region.objects.get(slug="banyuwangi"))

    # The operator finds the citizen: a masked name, nothing else.
    _sign_in(page, live_site.region("banyuwangi", "/akun/masuk/"), operator.email, STAFF_PASSWORD)
    page.goto(live_site.region("banyuwangi", "/petugas/loket/"))
    page.get_by_label("NIK atau nomor HP warga").fill(nik_phone)
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url(re.compile(r"/petugas/loket/warga/\d+/$"))
    assert page.get_by_test_id("masked-name").inner_text() == "R**** S***"
    main = page.locator("main").inner_text()
    assert "Ratna" not in main
    assert nik_phone not in main

    # With a phone: the code is shown in the citizen's own account, who reads it out.
    page.get_by_role("button", name="Tampilkan di akun warga").click()
    own = browser.new_context(locale="id-ID", viewport={"width": 412, "height": 900})
    mine = own.new_page()
    mine.set_default_timeout(15_000)
    _sign_in(mine, live_site.region("banyuwangi", "/akun/masuk/"), citizen_user.email, PASSWORD)
    mine.goto(live_site.region("banyuwangi", "/warga/akses-data/"))
    assert "Ova Operator" in mine.locator("#kode-loket").inner_text()
    code = mine.get_by_test_id("counter-code").inner_text().strip()
    page.get_by_label("Kode dari warga").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Periksa kode").click()
    assert "Kode salah" in page.locator(".messages").inner_text()
    page.get_by_label("Kode dari warga").fill(code)
    page.get_by_role("button", name="Periksa kode").click()
    assert "menyetujui" in page.locator(".messages").inner_text()
    main = page.locator("main").inner_text()
    assert "Ratna Sari" in main
    assert nik_phone in main
    # The citizen sees the visit in the access log: who, role, region, booth, why.
    mine.goto(live_site.region("banyuwangi", "/warga/akses-data/"))
    log = mine.locator("table").inner_text()
    assert "Ova Operator" in log
    assert "Mendapat persetujuan Anda di loket" in log
    assert "Kabupaten Banyuwangi" in log
    assert "Mencari data warga di loket" in log
    page.get_by_role("button", name="Selesai melayani").click()
    own.close()

    # Without a phone: the KTP-el in hand, the birth date and a reason.
    page.get_by_label("NIK atau nomor HP warga").fill(nik_ktp)
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url(re.compile(r"/petugas/loket/warga/\d+/$"))
    assert page.get_by_test_id("masked-name").inner_text() == "M*** K****"
    assert "tidak punya nomor HP" in page.locator("main").inner_text()
    page.get_by_label("Tanggal lahir sesuai KTP-el").fill("1990-01-02")
    page.get_by_label("KTP-el asli ada di tangan saya").check()
    page.get_by_label("Alasan akses tanpa kode").fill("Lansia, tidak punya HP")
    page.get_by_role("button", name="Buka dengan KTP-el").click()
    assert "tidak sesuai" in page.locator("main").inner_text()
    page.get_by_label("Tanggal lahir sesuai KTP-el").fill("1990-01-01")
    page.get_by_label("KTP-el asli ada di tangan saya").check()
    page.get_by_label("Alasan akses tanpa kode").fill("Lansia, tidak punya HP")
    page.get_by_role("button", name="Buka dengan KTP-el").click()
    assert "KTP-el tercatat" in page.locator(".messages").inner_text()
    assert "Mbah Karto" in page.locator("main").inner_text()
