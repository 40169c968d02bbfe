"""SKM: a walk-in ticket is printed with a survey QR at the kiosk, the operator finishes it,
the citizen opens the survey from the QR link on a phone-sized screen, half-fills it, reloads
(nothing lost), makes a mistake (told clearly, nothing lost), answers, and the region's public
IKM page changes. Against the live server, in the Banyuwangi MPP, on a fixed working day."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.browser.conftest import unique

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def _set_up():
    from shared.accounts.models import Membership, Role, User
    from shared.regions.models import Mpp
    from tenants.mpp.models import (
        Booth,
        Counter,
        LocalAgency,
        Offering,
        OpeningHours,
        StaffAssignment,
    )
    from tenants.queue.services.kiosk import kiosk_device_create

    mpp = Mpp.objects.select_related("region").get(region__slug="banyuwangi")
    operator = User.objects.create_user(
        email=f"{unique('operator')}@example.id", password="x-sandi-1", full_name="Ani Operator"
    )
    Membership.objects.create(user=operator, region=mpp.region, role=Role.OPERATOR)
    connection.set_tenant(mpp)
    try:
        agency = LocalAgency.objects.create(name=unique("Dinas Uji Survei"))
        booth = Booth.objects.create(local_agency=agency, number=unique("G"))
        name = unique("Legalisir Ijazah")
        offering = Offering.objects.create(
            code=unique("legalisir-ijazah"),
            name=name,
            local_agency=agency,
            booth=booth,
            channels=["walk_in"],
        )
        for weekday in range(7):
            OpeningHours.objects.create(
                offering=offering,
                weekday=weekday,
                opens_at=dt.time(0, 0),
                closes_at=dt.time(23, 59),
            )
        StaffAssignment.objects.create(user_id=operator.pk, booth=booth)  # works at this booth
        counter = Counter.objects.create(booth=booth, number=unique("L"), ticket_prefix="V")
        counter.offerings.add(offering)
        _device, kiosk_token = kiosk_device_create(actor=operator, name=unique("Kiosk lobi"))
    finally:
        connection.set_schema_to_public()
    return mpp, operator, offering, name, counter, kiosk_token


def _finish_next(mpp, operator, counter) -> str:
    from tenants.queue.services.tickets import ticket_call_next, ticket_finish, ticket_start

    connection.set_tenant(mpp)
    try:
        ticket = ticket_call_next(actor=operator, counter=counter)
        ticket_start(actor=operator, counter=counter)
        ticket_finish(actor=operator, counter=counter)
        return ticket.number
    finally:
        connection.set_schema_to_public()


def test_finished_ticket_to_survey_on_a_phone_to_ikm(browser, live_site, on_a_working_day):
    from tenants.queue.codes import qr_svg

    mpp, operator, offering, name, counter, kiosk_token = _set_up()
    region = lambda path: live_site.region("banyuwangi", path)  # noqa: E731

    # The public IKM page before: the new service has no rating yet.
    phone_context = browser.new_context(locale="id-ID", viewport=PHONE, is_mobile=True)
    phone = phone_context.new_page()
    phone.goto(region("/survei/"))
    row = phone.locator(f'tr[data-offering="{offering.code}"]')
    expect(row).to_contain_text("Belum ada penilaian")
    respondents_before = int(phone.locator("#mpp-respondents").inner_text().split()[0])

    # 1. The kiosk prints a walk-in ticket; the printout carries the survey's QR and link.
    kiosk_context = browser.new_context(locale="id-ID")
    kiosk = kiosk_context.new_page()
    kiosk.goto(region(f"/antrean/kiosk/pasang/{kiosk_token}/"))
    kiosk.get_by_role("button", name="Jadikan kiosk").click()
    kiosk.get_by_role("button", name=re.compile(re.escape(name))).click()
    number = kiosk.locator("#ticket-number").inner_text().strip()
    assert number.startswith("V-")
    link = kiosk.locator("a.survey-link")
    survey_url = link.get_attribute("href")
    assert survey_url.startswith(region("/survei/isi/"))
    # The QR encodes exactly that link (the same SVG the server makes for it).
    qr_path = kiosk.locator('svg[aria-label="Kode QR survei kepuasan"] path').get_attribute("d")
    expected = re.search(r' d="([^"]+)"', str(qr_svg(survey_url, label="x"))).group(1)
    assert qr_path == expected

    # 2. Scanned before the service is finished: a clear message.
    phone.goto(survey_url)
    expect(phone.get_by_role("alert")).to_contain_text("belum selesai")

    # 3. The operator finishes the ticket.
    assert _finish_next(mpp, operator, counter) == number

    # 4. On the phone: the survey opens; half-filled, then reloaded: nothing lost.
    phone.goto(survey_url)
    expect(phone.get_by_role("heading", name="Survei Kepuasan Masyarakat")).to_be_visible()
    first = phone.locator("#f-u1")
    first.get_by_label("Sangat sesuai").check()
    phone.locator("#f-u2").get_by_label("Mudah", exact=True).check()
    phone.locator("#f-u3").get_by_label("Sangat cepat").check()
    phone.get_by_label("Saran dan masukan (tidak wajib)").fill("Ruang tunggu nyaman")
    phone.reload()
    expect(phone.locator("#draft-note")).to_be_visible()
    expect(phone.locator("#f-u1").get_by_label("Sangat sesuai")).to_be_checked()
    expect(phone.locator("#f-u2").get_by_label("Mudah", exact=True)).to_be_checked()
    expect(phone.get_by_label("Saran dan masukan (tidak wajib)")).to_have_value(
        "Ruang tunggu nyaman"
    )

    # 5. Sent with one element left out: told which, every answer still there.
    rest = {
        "u4": "Gratis",
        "u5": "Sesuai",
        "u6": "Sangat kompeten",
        "u7": "Sangat sopan dan ramah",
        "u8": "Dikelola dengan baik",
    }
    for code, answer in rest.items():
        phone.locator(f"#f-{code}").get_by_label(answer, exact=True).check()
    phone.get_by_label("Perempuan").check()
    phone.get_by_label("Usia (tahun)").fill("41")
    phone.get_by_label("Pendidikan terakhir").select_option("sma")
    phone.get_by_label("Pekerjaan").select_option("wirausaha")
    phone.get_by_role("button", name="Kirim penilaian").click()
    expect(phone.locator("#error-summary")).to_contain_text(
        "Pilih salah satu jawaban untuk unsur Sarana dan prasarana"
    )
    expect(phone.locator("#f-u1").get_by_label("Sangat sesuai")).to_be_checked()
    expect(phone.get_by_label("Usia (tahun)")).to_have_value("41")

    # 6. Answered and sent.
    phone.locator("#f-u9").get_by_label("Baik", exact=True).check()
    phone.get_by_role("button", name="Kirim penilaian").click()
    expect(phone.get_by_role("heading", name="Terima kasih atas penilaian Anda")).to_be_visible()
    assert (
        phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('mpp-skm:')).length")
        == 0
    )

    # 7. The same link again: already answered.
    phone.goto(survey_url)
    expect(phone.get_by_role("alert")).to_contain_text("sudah diisi")

    # 8. The region's IKM page has changed: the service now has its index and grade.
    #    Scores 4,3,4,4,3,4,4,4,3 = 33 → IKM 33 × 25 / 9 = 91,67, grade A.
    phone.goto(region("/survei/"))
    row = phone.locator(f'tr[data-offering="{offering.code}"]')
    expect(row).to_contain_text("91,67")
    expect(row).to_contain_text("Sangat baik")
    after = int(phone.locator("#mpp-respondents").inner_text().split()[0])
    # Fits the phone: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.evaluate(
        "[...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth)"
    )
    assert after == respondents_before + 1
    for context in (phone_context, kiosk_context):
        context.close()
