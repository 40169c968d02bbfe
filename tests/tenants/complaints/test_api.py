"""Every complaint operation through ``/api/v1/``, with the same rules and 4xx answers as the
pages, and identity hiding in API answers and notifications."""

import json
import uuid

from shared.citizens.models import OutboxMessage
from tests.shared.citizens.conftest import pdf_bytes, upload
from tests.tenants.complaints.conftest import SECRET_EMAIL, SECRET_NAME, SECRET_PHONE

SECRETS = (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE, "081234509876")


def _json(response):
    return json.loads(response.content)


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def test_citizen_files_follows_and_rates_through_the_api(client_a, mpp_a, officer_a, complainant):
    client_a.force_login(complainant.user)
    key = str(uuid.uuid4())
    bad = client_a.post(
        "/api/v1/complaints/",
        {"kind": "x", "subject": "", "description": "pendek"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(_json(bad)["errors"]) >= {"kind", "subject", "description"}
    created = client_a.post(
        "/api/v1/complaints/",
        {
            "kind": "pengaduan",
            "subject": "Loket tutup lebih awal",
            "description": "Loket 3 tutup pukul 13.00 padahal jadwal sampai 15.00.",
            "privacy": "anonymous",
            "offering": mpp_a.offering.pk,
            "client_key": key,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = _json(created)
    assert body["status"] == "received"
    assert body["tracking_code"]
    replay = client_a.post(
        "/api/v1/complaints/",
        {
            "kind": "pengaduan",
            "subject": "Lain",
            "description": "Lain sekali isinya.",
            "client_key": key,
        },
        content_type="application/json",
    )
    assert replay.status_code == 200
    assert _json(replay)["id"] == body["id"]
    listed = _json(client_a.get("/api/v1/complaints/"))
    assert [row["id"] for row in listed] == [body["id"]]
    evidence = client_a.post(
        f"/api/v1/complaints/{body['id']}/messages/",
        {"body": "Foto papan jadwal", "attachments": [upload("jadwal.pdf", pdf_bytes())]},
    )
    assert evidence.status_code == 201
    assert len(_json(evidence)["attachments"]) == 1
    early = client_a.post(
        f"/api/v1/complaints/{body['id']}/rating/", {"rating": 5}, content_type="application/json"
    )
    assert early.status_code == 409
    # Staff side over the API.
    client_a.force_login(officer_a)
    queue = _json(client_a.get("/api/v1/staff/complaints/"))
    assert body["id"] in [row["id"] for row in queue]
    wrong = client_a.post(
        f"/api/v1/staff/complaints/{body['id']}/route/",
        {"booth": 0, "complexity": "simple"},
        content_type="application/json",
    )
    assert wrong.status_code == 400
    assert "booth" in _json(wrong)["errors"]
    routed = client_a.post(
        f"/api/v1/staff/complaints/{body['id']}/route/",
        {"booth": mpp_a.booth.pk, "complexity": "no_field_check"},
        content_type="application/json",
    )
    assert routed.status_code == 200
    assert _json(routed)["status"] == "in_progress"
    client_a.force_login(mpp_a.operator)
    closed = client_a.post(
        f"/api/v1/staff/complaints/{body['id']}/close/",
        {"answer": "Jadwal loket sudah diperbaiki."},
        content_type="application/json",
    )
    assert closed.status_code == 200
    assert _json(closed)["status"] == "closed"
    out_of_order = client_a.post(
        f"/api/v1/staff/complaints/{body['id']}/close/",
        {"answer": "Lagi"},
        content_type="application/json",
    )
    assert out_of_order.status_code == 409
    assert _json(out_of_order)["code"] == "invalid_transition"
    client_a.force_login(complainant.user)
    rated = client_a.post(
        f"/api/v1/complaints/{body['id']}/rating/",
        {"rating": 4, "comment": "Baik"},
        content_type="application/json",
    )
    assert rated.status_code == 200
    assert _json(rated)["rating"] == 4
    second = client_a.post(
        f"/api/v1/complaints/{body['id']}/rating/", {"rating": 1}, content_type="application/json"
    )
    assert second.status_code == 409
    assert _json(second)["code"] == "already_rated"
    mine = _json(client_a.get("/api/v1/citizen/complaints/"))["results"]
    assert mine[0]["number"] == body["number"]
    assert mine[0]["rated"] is True


def test_tracking_code_api_is_throttled(client_a, mpp_a, file_complaint):
    complaint = file_complaint(mpp_a.mpp)
    for _ in range(10):
        miss = client_a.post(
            "/api/v1/complaints/track/", {"code": "XXXXXXXXXX"}, content_type="application/json"
        )
        assert miss.status_code == 404
    blocked = client_a.post(
        "/api/v1/complaints/track/",
        {"code": complaint.tracking_code},
        content_type="application/json",
    )
    assert blocked.status_code == 429
    assert _json(blocked)["code"] == "throttled"
    other = client_a.__class__(HTTP_HOST=client_a.defaults["HTTP_HOST"], REMOTE_ADDR="10.1.2.3")
    ok = other.post(
        "/api/v1/complaints/track/",
        {"code": complaint.tracking_code},
        content_type="application/json",
    )
    assert ok.status_code == 200
    message = other.post(
        "/api/v1/complaints/track/messages/",
        {"code": complaint.tracking_code, "body": "Ada kabar?"},
        content_type="application/json",
    )
    assert message.status_code == 201


def test_kiosk_api_needs_a_kiosk_or_staff(client_a, mpp_a, in_region):
    from tenants.queue.services.kiosk import kiosk_device_activate, kiosk_device_create

    filing = {
        "kind": "informasi",
        "subject": "Jam buka Sabtu",
        "description": "Apakah MPP buka hari Sabtu?",
        "privacy": "normal",
    }
    assert (
        client_a.post("/api/v1/complaints/kiosk/", filing, content_type="application/json")
    ).status_code == 404
    with in_region(mpp_a.mpp):
        _device, link = kiosk_device_create(actor=mpp_a.admin, name="Anjungan")
        _device, token = kiosk_device_activate(token=link)
    created = client_a.post(
        "/api/v1/complaints/kiosk/",
        filing,
        content_type="application/json",
        HTTP_X_KIOSK_TOKEN=token,
    )
    assert created.status_code == 201
    assert _json(created)["channel"] == "kiosk"


def test_public_figures_api(client_a, mpp_a, file_complaint, complainant):
    before = _json(client_a.get("/api/v1/complaints/figures/"))["total"]
    file_complaint(mpp_a.mpp, owner=complainant.user)
    after = _json(client_a.get("/api/v1/complaints/figures/"))
    assert after["total"] == before + 1
    assert not _leaks(json.dumps(after, default=str))


def test_identity_never_reaches_booth_staff(
    client_a,
    mpp_a,
    officer_a,
    complainant,
    file_complaint,
    in_region,
    django_capture_on_commit_callbacks,
    eager_tasks,
):
    """Anonymous and confidential complaints, routed to the booth: the booth's operator and
    supervisor, and the DPMPTSP admin, see neither name, phone, e-mail nor the linked
    application in pages, API answers, exports or their notifications; the complaint officer
    sees a confidential complainant, nobody an anonymous one."""
    from tenants.complaints.services import complaint_message_citizen, complaint_route

    booth_outbox_before = set(
        OutboxMessage.objects.filter(
            recipient__in=[mpp_a.operator.email, mpp_a.supervisor.email, mpp_a.admin.email]
        ).values_list("pk", flat=True)
    )
    # The notices leave from a worker after each commit.
    with django_capture_on_commit_callbacks(execute=True):
        complaints = {
            privacy: file_complaint(
                mpp_a.mpp,
                owner=complainant.user,
                privacy=privacy,
                offering_id=mpp_a.offering.pk,
                subject=f"Keluhan {privacy}",
            )
            for privacy in ("anonymous", "confidential")
        }
    with in_region(mpp_a.mpp), django_capture_on_commit_callbacks(execute=True):
        for complaint in complaints.values():
            complaint_route(
                actor=officer_a, complaint=complaint, booth=mpp_a.booth, complexity="simple"
            )
            complaint_message_citizen(
                actor=complainant.user,
                complaint=complaint,
                body="Mohon segera.",
                uploads=[upload(f"KTP {SECRET_NAME}.pdf", pdf_bytes())],  # a telling file name
            )
    anonymous, confidential = complaints["anonymous"], complaints["confidential"]
    assert (anonymous.complainant_name, anonymous.complainant_email) == ("", "")
    for user in (mpp_a.operator, mpp_a.supervisor, mpp_a.admin):
        client_a.force_login(user)
        for complaint in complaints.values():
            page = client_a.get(f"/petugas/pengaduan/{complaint.pk}/").content.decode()
            assert page.count("Keluhan") >= 1
            assert not _leaks(page), (user, complaint.privacy)
            api = client_a.get(f"/api/v1/staff/complaints/{complaint.pk}/").content.decode()
            assert _json(client_a.get(f"/api/v1/staff/complaints/{complaint.pk}/"))["complainant"][
                "hidden"
            ]
            assert not _leaks(api)
            assert (
                _json(client_a.get(f"/api/v1/staff/complaints/{complaint.pk}/"))[
                    "application_number"
                ]
                == ""
            )
        listing = client_a.get("/api/v1/staff/complaints/?status=semua").content.decode()
        assert not _leaks(listing)
        for export in ("/petugas/pengaduan/ekspor/", "/api/v1/staff/complaints/export/"):
            assert not _leaks(client_a.get(export).content.decode())
        assert not _leaks(client_a.get("/petugas/pengaduan/?status=semua").content.decode())
    notifications = OutboxMessage.objects.filter(
        recipient__in=[mpp_a.operator.email, mpp_a.supervisor.email, mpp_a.admin.email]
    ).exclude(pk__in=booth_outbox_before)
    assert notifications.exists()  # the booth was told about both …
    for message in notifications:
        assert not _leaks(f"{message.subject}\n{message.body}")  # … without the complainant
    # The complaint officer: the confidential complainant yes, the anonymous one never.
    client_a.force_login(officer_a)
    seen = _json(client_a.get(f"/api/v1/staff/complaints/{confidential.pk}/"))["complainant"]
    assert seen["name"] == SECRET_NAME
    assert seen["email"] == SECRET_EMAIL
    unseen = client_a.get(f"/api/v1/staff/complaints/{anonymous.pk}/").content.decode()
    assert not _leaks(unseen)
    assert not _leaks(client_a.get(f"/petugas/pengaduan/{anonymous.pk}/").content.decode())
    officer_mail = OutboxMessage.objects.filter(recipient=officer_a.email)
    for message in officer_mail:
        assert not _leaks(f"{message.subject}\n{message.body}")
    # The complainant still follows both, and is notified at their own address.
    client_a.force_login(complainant.user)
    assert _json(client_a.get(f"/api/v1/complaints/{anonymous.pk}/"))["status"] == "in_progress"
    assert OutboxMessage.objects.filter(recipient=SECRET_EMAIL, reference=anonymous.number).exists()


def test_counter_api_files_on_behalf(client_a, mpp_a):
    client_a.force_login(mpp_a.operator)
    created = client_a.post(
        "/api/v1/staff/complaints/",
        {
            "kind": "pengaduan",
            "subject": "Antrean diserobot",
            "description": "Ada yang tidak mengambil nomor tetapi dilayani lebih dulu.",
            "privacy": "normal",
            "name": "Bu Sumi",
            "phone": "bukan nomor",
        },
        content_type="application/json",
    )
    assert created.status_code == 400
    assert "phone" in _json(created)["errors"]
    created = client_a.post(
        "/api/v1/staff/complaints/",
        {
            "kind": "pengaduan",
            "subject": "Antrean diserobot",
            "description": "Ada yang tidak mengambil nomor tetapi dilayani lebih dulu.",
            "name": "Bu Sumi",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert _json(created)["channel"] == "counter"
    assert _json(created)["tracking_code"]
