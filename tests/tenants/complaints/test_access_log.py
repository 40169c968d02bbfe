"""Staff reads of a citizen's complaint are in the citizen's access log (DESIGN: every staff
read of a citizen's data is logged and the citizen sees the log), and the citizen's complaints
in every region are in their "download my data" archive."""

import io
import json
import zipfile

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shared.citizens.models import AccessAction, DataAccessLog
from tests.shared.citizens.conftest import pdf_bytes, png_bytes, upload
from tests.tenants.complaints.conftest import SECRET_NAME


def _log(profile, **filters):
    return list(DataAccessLog.objects.filter(profile=profile, **filters).order_by("id"))


def _route(mpp, complaint, officer, in_region, booth):
    from tenants.complaints.services import complaint_route

    with in_region(mpp.mpp):
        return complaint_route(
            actor=officer, complaint=complaint, booth=booth, complexity="simple", note=""
        )


def test_officer_opening_a_complaint_is_in_the_citizens_access_log(
    client_a, mpp_a, officer_a, complainant, file_complaint
):
    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    assert _log(complainant.profile) == []
    client_a.force_login(officer_a)
    page = client_a.get(f"/petugas/pengaduan/{complaint.pk}/")
    assert page.status_code == 200
    assert SECRET_NAME in page.content.decode()  # the officer read the complainant's identity
    client_a.get(f"/petugas/pengaduan/{complaint.pk}/")  # a reload is the same visit
    (entry,) = _log(complainant.profile)
    assert entry.action == AccessAction.COMPLAINT_OPENED
    assert entry.actor_id == officer_a.pk
    assert entry.role == "complaint_officer"
    assert entry.region_id == mpp_a.mpp.region_id
    assert entry.reference == complaint.number
    assert entry.via == "web"
    # The citizen sees it on their access log page (national site, like every region's).
    national = Client(HTTP_HOST=settings.MPP_BASE_DOMAIN)
    national.force_login(complainant.user)
    mine = national.get("/warga/akses-data/").content.decode()
    assert "Membuka pengaduan Anda" in mine
    assert complaint.number in mine
    assert "Pak Pengelola" in mine


def test_confidential_complaint_reads_are_logged_for_officer_and_booth_staff(
    client_a, mpp_a, officer_a, complainant, file_complaint, in_region
):
    complaint = file_complaint(mpp_a.mpp, owner=complainant.user, privacy="confidential")
    client_a.force_login(officer_a)
    assert SECRET_NAME in client_a.get(f"/petugas/pengaduan/{complaint.pk}/").content.decode()
    _route(mpp_a, complaint, officer_a, in_region, mpp_a.booth)
    client_a.force_login(mpp_a.operator)
    page = client_a.get(f"/petugas/pengaduan/{complaint.pk}/").content.decode()
    assert SECRET_NAME not in page  # identity still hidden from the booth …
    officer_entry, operator_entry = _log(complainant.profile)  # … but the read is logged
    assert (officer_entry.actor_id, officer_entry.booth_name) == (officer_a.pk, "")
    assert operator_entry.actor_id == mpp_a.operator.pk
    assert operator_entry.role == "operator"
    assert operator_entry.booth_id == mpp_a.booth.pk
    assert operator_entry.booth_name == mpp_a.booth.display_name


def test_anonymous_and_walk_in_complaints_log_nothing(
    client_a, mpp_a, officer_a, complainant, file_complaint
):
    anonymous = file_complaint(mpp_a.mpp, owner=complainant.user, privacy="anonymous")
    walk_in = file_complaint(mpp_a.mpp)  # kiosk, no account
    client_a.force_login(officer_a)
    for complaint in (anonymous, walk_in):
        assert client_a.get(f"/petugas/pengaduan/{complaint.pk}/").status_code == 200
    # A log row would tie the citizen to their anonymous complaint in public: none is written.
    assert _log(complainant.profile) == []
    assert not DataAccessLog.objects.filter(reference=anonymous.number).exists()


def test_api_read_and_evidence_download_are_logged(
    client_a, mpp_a, officer_a, complainant, file_complaint, in_region
):
    complaint = file_complaint(
        mpp_a.mpp, owner=complainant.user, uploads=[upload("ktp-saya.png", png_bytes())]
    )
    with in_region(mpp_a.mpp):
        attachment = complaint.attachments.get()
    client_a.force_login(officer_a)
    detail = client_a.get(f"/api/v1/staff/complaints/{complaint.pk}/")
    assert detail.status_code == 200
    file = client_a.get(f"/api/v1/staff/complaints/{complaint.pk}/attachments/{attachment.pk}/")
    assert file.status_code == 200
    opened, viewed = _log(complainant.profile)
    assert (opened.action, opened.via) == (AccessAction.COMPLAINT_OPENED, "api")
    assert (viewed.action, viewed.via) == (AccessAction.DOCUMENT_VIEWED, "api")
    assert viewed.reference == complaint.number
    # The page's download too (a separate action, so not folded into the API visit).
    DataAccessLog.objects.filter(profile=complainant.profile).delete()
    page_file = client_a.get(f"/petugas/pengaduan/{complaint.pk}/bukti/{attachment.pk}/")
    assert page_file.status_code == 200
    (entry,) = _log(complainant.profile)
    assert (entry.action, entry.via) == (AccessAction.DOCUMENT_VIEWED, "web")


def test_export_logs_each_citizen_in_it_with_a_fixed_number_of_queries(
    client_a, mpp_a, officer_a, complainant, make_citizen, file_complaint, count_queries
):
    other_user, other_profile = make_citizen(nik="3510011508850002", email="lain@warga.test")
    first = file_complaint(mpp_a.mpp, owner=complainant.user)
    file_complaint(mpp_a.mpp, owner=complainant.user, privacy="anonymous")
    file_complaint(mpp_a.mpp)  # a walk-in
    client_a.force_login(officer_a)
    client_a.get("/petugas/pengaduan/")  # warm: the session and routing queries are not counted
    small = count_queries(lambda: client_a.get("/petugas/pengaduan/ekspor/?status=semua"))
    (entry,) = _log(complainant.profile, action=AccessAction.COMPLAINT_EXPORTED)
    assert entry.reference == first.number
    assert entry.role == "complaint_officer"
    for _ in range(3):
        file_complaint(mpp_a.mpp, owner=other_user)
    larger = count_queries(lambda: client_a.get("/petugas/pengaduan/ekspor/?status=semua"))
    assert larger == small
    assert len(_log(other_profile, action=AccessAction.COMPLAINT_EXPORTED)) == 3
    api = client_a.get("/api/v1/staff/complaints/export/?status=semua")
    assert api.status_code == 200
    assert _log(other_profile, action=AccessAction.COMPLAINT_EXPORTED)[-1].via == "api"


def test_another_regions_officer_gets_404_and_nothing_is_logged(
    client_b, mpp_a, officer_b, complainant, file_complaint
):
    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    client_b.force_login(officer_b)
    assert client_b.get(f"/petugas/pengaduan/{complaint.pk}/").status_code == 404
    assert client_b.get(f"/api/v1/staff/complaints/{complaint.pk}/").status_code == 404
    assert _log(complainant.profile) == []


def _export(client, user) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.get("/warga/data-saya/unduh/")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_download_my_data_holds_the_complaints_of_every_region(
    client_a, mpp_a, mpp_b, officer_a, complainant, make_citizen, file_complaint, in_region
):
    from tenants.complaints.services import complaint_message_staff

    here = file_complaint(
        mpp_a.mpp,
        owner=complainant.user,
        subject="Antrean terlalu lama",
        uploads=[upload("bukti.pdf", pdf_bytes("bukti warga"))],
    )
    there = file_complaint(mpp_b.mpp, owner=complainant.user, subject="Loket tutup lebih awal")
    with in_region(mpp_a.mpp):
        complaint_message_staff(actor=officer_a, complaint=here, body="Kapan kejadiannya?")
        complaint_message_staff(
            actor=officer_a,
            complaint=here,
            body="Catatan internal: cek CCTV.",
            internal=True,
            uploads=[upload("cctv.pdf", pdf_bytes("rekaman internal"))],
        )
    archive = _export(client_a, complainant.user)
    rows = {row["number"]: row for row in json.loads(archive.read("pengaduan.json"))}
    assert set(rows) == {here.number, there.number}
    assert rows[here.number]["region"] == mpp_a.mpp.region.name
    assert rows[there.number]["region"] == mpp_b.mpp.region.name
    assert rows[there.number]["subject"] == "Loket tutup lebih awal"
    assert rows[here.number]["tracking_code"]
    bodies = [m["body"] for m in rows[here.number]["messages"]]
    assert bodies == ["Kapan kejadiannya?"]  # the internal note is not the citizen's
    (evidence,) = rows[here.number]["attachments"]
    assert evidence["original_name"] == "bukti.pdf"
    assert archive.read(evidence["file"]) == pdf_bytes("bukti warga")
    assert not any(
        archive.read(n) == pdf_bytes("rekaman internal")
        for n in archive.namelist()
        if n.startswith("pengaduan/")
    )
    assert "pengaduan.json" in archive.read("BACA-SAYA.txt").decode()


def test_download_of_a_citizen_without_complaints_visits_no_region(
    national_client, region_a, region_b, make_citizen
):
    user, _profile = make_citizen(nik="3510011508850002", email="tanpa@warga.test")
    with CaptureQueriesContext(connection) as captured:
        archive = _export(national_client, user)
    assert json.loads(archive.read("pengaduan.json")) == []
    # Only the public index was read: no region's schema was entered.
    schemas = (region_a.schema_name, region_b.schema_name)
    assert not [q for q in captured if any(name in q["sql"] for name in schemas)]


def test_internal_note_files_never_reach_the_complainant(
    client_a, mpp_a, officer_a, complainant, file_complaint, in_region
):
    """Staff notes are internal, and so are the files attached to them: not on the citizen's
    page, the API answer or the tracking page, and not downloadable by their id."""
    from tenants.complaints.models import Attachment
    from tenants.complaints.services import complaint_message_staff

    complaint = file_complaint(mpp_a.mpp, owner=complainant.user)
    with in_region(mpp_a.mpp):
        complaint_message_staff(
            actor=officer_a,
            complaint=complaint,
            body="Catatan internal: cek CCTV.",
            internal=True,
            uploads=[upload("cctv-internal.pdf", pdf_bytes("rekaman internal"))],
        )
        internal = Attachment.objects.get(complaint=complaint)
        tracking = complaint.tracking_code
    client_a.force_login(complainant.user)
    page = client_a.get(f"/pengaduan/{complaint.pk}/").content.decode()
    assert "cctv-internal.pdf" not in page
    assert client_a.get(f"/pengaduan/{complaint.pk}/bukti/{internal.pk}/").status_code == 404
    api = client_a.get(f"/api/v1/complaints/{complaint.pk}/")
    assert "cctv-internal.pdf" not in api.content.decode()
    api_file = f"/api/v1/complaints/{complaint.pk}/attachments/{internal.pk}/"
    assert client_a.get(api_file).status_code == 404
    anonymous = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    tracked = anonymous.post("/pengaduan/lacak/", {"code": tracking}, follow=True)
    assert tracked.status_code == 200
    assert "cctv-internal.pdf" not in tracked.content.decode()
    tracked_file = anonymous.get(f"/pengaduan/lacak/{complaint.pk}/bukti/{internal.pk}/")
    assert tracked_file.status_code == 404
    # Staff still open it.
    client_a.force_login(officer_a)
    staff_file = client_a.get(f"/petugas/pengaduan/{complaint.pk}/bukti/{internal.pk}/")
    assert staff_file.status_code == 200
