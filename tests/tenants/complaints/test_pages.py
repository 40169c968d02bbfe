"""The complaint pages through the Django test client: the citizen files, follows, writes,
reopens and rates; the officer triages; booth staff answer; walk-ins use the counter, the kiosk
and the tracking code; the public reads the transparency page."""

import re

import pytest

from shared.complaints.models import ComplaintIndex
from tests.shared.citizens.conftest import pdf_bytes, upload
from tests.tenants.complaints.conftest import SECRET_NAME


def _in(mpp, fn):
    from django.db import connection

    connection.set_tenant(mpp)
    try:
        return fn()
    finally:
        connection.set_schema_to_public()


def _complaint(mpp, **filters):
    from tenants.complaints.models import Complaint

    return _in(mpp, lambda: Complaint.objects.filter(**filters).order_by("-id").first())


def test_citizen_files_about_an_application_and_follows_it(
    client_a, mpp_a, submitted, citizen, officer_a
):
    client_a.force_login(citizen.user)
    form = client_a.get(f"/pengaduan/baru/?permohonan={submitted.pk}")
    assert form.status_code == 200
    assert f'value="{submitted.pk}" selected' in form.content.decode()
    response = client_a.post(
        "/pengaduan/baru/",
        {
            "kind": "pengaduan",
            "subject": "Berkas saya belum diproses",
            "description": "Sudah lewat target tetapi status belum berubah.",
            "privacy": "normal",
            "application": str(submitted.pk),
            "attachments": [upload("bukti.pdf", pdf_bytes("bukti"))],
        },
    )
    complaint = _complaint(mpp_a.mpp)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/pengaduan/{complaint.pk}/"
    assert complaint.application_id == submitted.pk
    page = client_a.get(f"/pengaduan/{complaint.pk}/").content.decode()
    assert "Berkas saya belum diproses" in page
    assert "Menunggu verifikasi" in page
    attachment = _in(mpp_a.mpp, lambda: complaint.attachments.get())
    file = client_a.get(f"/pengaduan/{complaint.pk}/bukti/{attachment.pk}/")
    assert file.status_code == 200
    assert file["Content-Type"] == "application/pdf"
    # "Pengaduan saya" on the national site lists it.
    from django.conf import settings
    from django.test import Client

    national = Client(HTTP_HOST=settings.MPP_BASE_DOMAIN)
    national.force_login(citizen.user)
    mine = national.get("/warga/pengaduan/").content.decode()
    assert complaint.number in mine
    assert "banyuwangi" in mine


def test_filing_form_keeps_the_text_on_error(client_a, mpp_a, complainant):
    client_a.force_login(complainant.user)
    response = client_a.post(
        "/pengaduan/baru/",
        {
            "kind": "pengaduan",
            "subject": "Antrean",
            "description": "x" * 4100,
            "privacy": "normal",
            "attachments": [upload("skrip.pdf", b"MZ\x90\x00 not a pdf")],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Terlalu panjang" in html
    assert "Jenis berkas tidak didukung" in html
    assert 'value="Antrean"' in html  # what was typed is still there
    assert _complaint(mpp_a.mpp) is None


def test_filing_needs_sign_in_and_keeps_the_post(client_a, mpp_a):
    response = client_a.post(
        "/pengaduan/baru/",
        {"kind": "aspirasi", "subject": "Tambah kursi", "description": "Ruang tunggu penuh."},
    )
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


def test_officer_routes_operator_answers_citizen_rates(
    client_a, mpp_a, officer_a, complainant, file_complaint
):
    from django.test import Client

    complaint = file_complaint(
        mpp_a.mpp, owner=complainant.user, offering_id=mpp_a.offering.pk, privacy="confidential"
    )
    officer = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    officer.force_login(officer_a)
    assert 'href="/petugas/pengaduan/"' in officer.get("/pengaduan/").content.decode()
    queue = officer.get("/petugas/pengaduan/").content.decode()
    assert complaint.number in queue
    detail = officer.get(f"/petugas/pengaduan/{complaint.pk}/").content.decode()
    assert SECRET_NAME in detail  # the complaint officer sees a confidential complainant
    assert f'<option value="{mpp_a.booth.pk}" selected' in detail  # suggested from the service
    bad = officer.post(
        f"/petugas/pengaduan/{complaint.pk}/aksi/route/", {"booth": "", "complexity": "nope"}
    )
    assert bad.status_code == 400
    routed = officer.post(
        f"/petugas/pengaduan/{complaint.pk}/aksi/route/",
        {"booth": mpp_a.booth.pk, "complexity": "simple", "note": "Tolong dicek."},
    )
    assert routed.status_code == 302
    operator = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    operator.force_login(mpp_a.operator)
    their = operator.get("/petugas/pengaduan/").content.decode()
    assert complaint.number in their
    page = operator.get(f"/petugas/pengaduan/{complaint.pk}/").content.decode()
    assert SECRET_NAME not in page
    assert "Dirahasiakan" in page
    assert "Tolong dicek." in page  # the officer's internal note reaches the booth
    empty = operator.post(f"/petugas/pengaduan/{complaint.pk}/aksi/close/", {"answer": " "})
    assert empty.status_code == 400
    assert "Wajib diisi" in empty.content.decode()
    closed = operator.post(
        f"/petugas/pengaduan/{complaint.pk}/aksi/close/", {"answer": "Sudah kami perbaiki."}
    )
    assert closed.status_code == 302
    client_a.force_login(complainant.user)
    view = client_a.get(f"/pengaduan/{complaint.pk}/").content.decode()
    assert "Sudah kami perbaiki." in view
    assert "Tolong dicek." not in view
    rate = client_a.post(f"/pengaduan/{complaint.pk}/", {"action": "rate", "rating": "5"})
    assert rate.status_code == 302
    again = client_a.post(f"/pengaduan/{complaint.pk}/", {"action": "rate", "rating": "1"})
    assert again.status_code == 409
    assert "sudah Anda nilai" in again.content.decode()
    assert ComplaintIndex.objects.get(complaint_id=complaint.pk).rated


def test_other_booth_operator_and_unassigned_roles_get_404(
    client_a, mpp_a, officer_a, complainant, file_complaint, in_region, make_user
):
    from tenants.complaints.services import complaint_route

    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    client_a.force_login(mpp_a.operator)
    assert client_a.get(f"/petugas/pengaduan/{complaint.pk}/").status_code == 404  # not routed
    with in_region(mpp_a.mpp):
        complaint_route(
            actor=officer_a, complaint=complaint, booth=mpp_a.booth, complexity="simple"
        )
    client_a.force_login(mpp_a.other_operator)
    assert client_a.get(f"/petugas/pengaduan/{complaint.pk}/").status_code == 404
    assert complaint.number not in client_a.get("/petugas/pengaduan/").content.decode()
    post = client_a.post(f"/petugas/pengaduan/{complaint.pk}/aksi/close/", {"answer": "x"})
    assert post.status_code == 404
    client_a.force_login(complainant.user)  # a citizen is not staff
    assert client_a.get("/petugas/pengaduan/").status_code == 404
    from shared.accounts.models import Role

    no_booth = make_user(role=Role.OPERATOR, region=mpp_a.mpp)  # an operator without a booth
    client_a.force_login(no_booth)
    assert complaint.number not in client_a.get("/petugas/pengaduan/?status=semua").content.decode()
    assert client_a.get(f"/petugas/pengaduan/{complaint.pk}/").status_code == 404


def test_counter_files_for_a_walk_in_and_the_code_opens_it(client_a, mpp_a, officer_a, submitted):
    client_a.force_login(mpp_a.operator)
    response = client_a.post(
        "/petugas/pengaduan/baru/",
        {
            "kind": "pengaduan",
            "subject": "Tidak diberi tanda terima",
            "description": "Warga lansia datang tanpa HP dan tidak menerima tanda terima.",
            "privacy": "normal",
            "application_number": submitted.number,
            "name": "Mbah Sastro",
            "phone": "0812-3456-7000",
        },
    )
    assert response.status_code == 200, response.content.decode()[:1500]
    code = re.search(r'id="tracking-code">([A-Z0-9-]+)<', response.content.decode()).group(1)
    complaint = _complaint(mpp_a.mpp)
    assert complaint.channel == "counter"
    assert complaint.application_id == submitted.pk
    assert complaint.complainant_phone == "+6281234567000"
    visitor = client_a.__class__(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    opened = visitor.post("/pengaduan/lacak/", {"code": code.lower()})
    assert opened.status_code == 302
    page = visitor.get(opened["Location"]).content.decode()
    assert "Tidak diberi tanda terima" in page
    sent = visitor.post(opened["Location"], {"action": "message", "body": "Saya tunggu kabarnya."})
    assert sent.status_code == 302
    assert _in(mpp_a.mpp, lambda: complaint.messages.filter(side="citizen").count()) == 1


def test_guessed_tracking_codes_are_throttled(client_a, mpp_a, complainant, file_complaint):
    complaint = file_complaint(mpp_a.mpp)  # kiosk, anonymous-able, no owner
    for _ in range(10):
        wrong = client_a.post("/pengaduan/lacak/", {"code": "AAAAA-AAAAA"})
        assert wrong.status_code == 404
        assert "Kode lacak tidak ditemukan" in wrong.content.decode()
    blocked = client_a.post("/pengaduan/lacak/", {"code": complaint.tracking_code})
    assert blocked.status_code == 429
    assert "Terlalu banyak" in blocked.content.decode()
    other = client_a.__class__(HTTP_HOST=client_a.defaults["HTTP_HOST"], REMOTE_ADDR="10.0.0.9")
    assert other.post("/pengaduan/lacak/", {"code": complaint.tracking_code}).status_code == 302


def test_tracked_page_needs_the_code_in_this_session(client_a, mpp_a, file_complaint):
    complaint = file_complaint(mpp_a.mpp)
    assert client_a.get(f"/pengaduan/lacak/{complaint.pk}/").status_code == 404


def test_kiosk_files_without_account_only_on_a_kiosk(client_a, mpp_a, in_region):
    from tenants.queue.services.kiosk import COOKIE_NAME, kiosk_device_activate, kiosk_device_create

    refused = client_a.get("/pengaduan/kiosk/")
    assert refused.status_code == 403
    with in_region(mpp_a.mpp):
        _device, link_token = kiosk_device_create(actor=mpp_a.admin, name="Anjungan lobi")
        _device, token = kiosk_device_activate(token=link_token)
    client_a.cookies[COOKIE_NAME] = token
    assert client_a.get("/pengaduan/kiosk/").status_code == 200
    response = client_a.post(
        "/pengaduan/kiosk/",
        {
            "kind": "aspirasi",
            "subject": "Tambah kursi roda",
            "description": "Ruang tunggu perlu kursi roda untuk lansia.",
            "privacy": "anonymous",
            "name": "Tidak dipakai",
            "phone": "081234560000",
        },
    )
    assert response.status_code == 200
    assert re.search(r'id="tracking-code">[A-Z0-9]{5}-[A-Z0-9]{5}<', response.content.decode())
    complaint = _complaint(mpp_a.mpp)
    assert complaint.channel == "kiosk"
    assert complaint.owner_id is None
    assert (complaint.complainant_name, complaint.complainant_phone) == ("", "")


def test_reopen_after_window_is_a_clear_409(
    clock, client_a, mpp_a, officer_a, complainant, file_complaint, in_region
):
    from tenants.complaints.services import complaint_close

    clock.set(2026, 6, 1)
    complaint = file_complaint(mpp_a.mpp, owner=complainant.user, kind="informasi")
    with in_region(mpp_a.mpp):
        complaint_close(actor=officer_a, complaint=complaint, answer="Jam buka 08.00.")
    clock.set(2026, 7, 1)
    client_a.force_login(complainant.user)
    page = client_a.get(f"/pengaduan/{complaint.pk}/").content.decode()
    assert "Buka kembali" not in page
    late = client_a.post(f"/pengaduan/{complaint.pk}/", {"action": "reopen", "reason": "Belum"})
    assert late.status_code == 409
    assert "sudah lewat" in late.content.decode()


def test_transparency_page_is_public_and_counts(client_a, mpp_a, complainant, file_complaint):
    before = client_a.get("/pengaduan/transparansi/")
    assert before.status_code == 200
    total = int(re.search(r'id="fig-total">(\d+)<', before.content.decode()).group(1))
    file_complaint(mpp_a.mpp, owner=complainant.user, kind="aspirasi")
    after = client_a.get("/pengaduan/transparansi/").content.decode()
    assert int(re.search(r'id="fig-total">(\d+)<', after).group(1)) == total + 1
    assert SECRET_NAME not in after


def test_export_hides_identity_from_booth_staff(
    client_a, mpp_a, officer_a, complainant, file_complaint, in_region
):
    from tenants.complaints.services import complaint_route

    complaint = file_complaint(mpp_a.mpp, owner=complainant.user, privacy="confidential")
    with in_region(mpp_a.mpp):
        complaint_route(
            actor=officer_a, complaint=complaint, booth=mpp_a.booth, complexity="simple"
        )
    client_a.force_login(officer_a)
    mine = client_a.get("/petugas/pengaduan/ekspor/").content.decode()
    assert SECRET_NAME in mine
    client_a.force_login(mpp_a.operator)
    theirs = client_a.get("/petugas/pengaduan/ekspor/").content.decode()
    assert complaint.number in theirs
    assert SECRET_NAME not in theirs


@pytest.mark.parametrize(
    "path",
    [
        "/pengaduan/",
        "/pengaduan/transparansi/",
        "/pengaduan/lacak/",
    ],
)
def test_public_pages_answer_on_the_region_host(client_a, path):
    assert client_a.get(path).status_code == 200


def test_lists_do_not_query_per_row(
    client_a, mpp_a, officer_a, complainant, file_complaint, in_region, count_queries
):
    from tenants.complaints.services import complaint_route

    def add(n):
        for i in range(n):
            complaint = file_complaint(
                mpp_a.mpp, owner=complainant.user, subject=f"Keluhan nomor {i:03d}"
            )
            with in_region(mpp_a.mpp):
                complaint_route(
                    actor=officer_a, complaint=complaint, booth=mpp_a.booth, complexity="simple"
                )

    client_a.force_login(officer_a)
    urls = (
        "/petugas/pengaduan/?status=semua",
        "/api/v1/staff/complaints/?status=semua",
        "/petugas/pengaduan/ekspor/",
    )
    add(2)
    for url in urls:  # warm: first requests fill per-process caches
        client_a.get(url)
    small = [count_queries(lambda u=u: client_a.get(u)) for u in urls]
    add(5)
    assert [count_queries(lambda u=u: client_a.get(u)) for u in urls] == small
    client_a.force_login(complainant.user)
    mine = (
        "/pengaduan/",
        "/api/v1/complaints/",
        "/warga/pengaduan/",
        "/api/v1/citizen/complaints/",
    )
    for url in mine:
        client_a.get(url)
    before = [count_queries(lambda u=u: client_a.get(u)) for u in mine]
    add(3)
    assert [count_queries(lambda u=u: client_a.get(u)) for u in mine] == before


def test_the_admin_appoints_a_complaint_officer_who_sees_only_complaints(
    client_a, mpp_a, mpp_b, in_region, file_complaint
):
    from shared.accounts.models import Role
    from tenants.mpp.models import StaffAssignment
    from tenants.mpp.services.staff import staff_invite

    with in_region(mpp_a.mpp):
        membership = staff_invite(
            actor=mpp_a.admin,
            email="pengelola.baru@mpp.test",
            role=Role.COMPLAINT_OFFICER,
            full_name="Pengelola Baru",
            booths=[mpp_a.booth],  # ignored: the officer works for the whole MPP
        )
        assert not StaffAssignment.objects.filter(user_id=membership.user_id).exists()
    here = file_complaint(mpp_a.mpp, subject="Antrean loket KTP macet")
    there = file_complaint(mpp_b.mpp, subject="Parkir penuh di MPP tetangga")
    client_a.force_login(membership.user)
    worklist = client_a.get("/petugas/pengaduan/")
    assert worklist.status_code == 200
    assert here.number in worklist.content.decode()
    assert "Antrean loket KTP macet" in worklist.content.decode()
    assert "Parkir penuh" not in worklist.content.decode()  # another region's complaint
    counter = client_a.get("/petugas/pengaduan/baru/")
    assert counter.status_code == 200
    assert 'name="subject"' in counter.content.decode()  # the form to record one at the desk
    assert there.number not in worklist.content.decode()
    for elsewhere in ("/petugas/permohonan/", "/kelola/", "/antrean/loket/"):
        assert client_a.get(elsewhere).status_code == 404, elsewhere
