"""The superadmin console: only superadmins, the board, and a region from commitment to live
in the browser's requests (the pipeline runs eagerly here)."""

import datetime as dt

import pytest
from django.core import mail

from onboarding.models import Onboarding, OnboardingDocument, Stage
from shared.accounts.models import Role
from shared.regions.models import Mpp

from .conftest import PDF_BYTES

CONSOLE_GETS = [
    "/onboarding/",
    "/onboarding/daerah/21.01/",
    "/onboarding/massal/",
    "/onboarding/massal/templat.csv",
    "/onboarding/indikator/",
]
CONSOLE_POSTS = [
    "/onboarding/daerah/21.01/komitmen/",
    "/onboarding/daerah/21.01/tetapkan/",
    "/onboarding/massal/",
    "/onboarding/indikator/",
]


@pytest.fixture
def outsiders(make_user, region_a):
    return {
        "citizen": make_user(),
        "region_admin": make_user(role=Role.DPMPTSP_ADMIN, region=region_a),
        "operator": make_user(role=Role.OPERATOR, region=region_a),
    }


@pytest.mark.parametrize("path", CONSOLE_GETS + CONSOLE_POSTS)
def test_anonymous_is_sent_to_sign_in(national_client, path, db):
    response = national_client.post(path) if path in CONSOLE_POSTS else national_client.get(path)
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]
    assert not Onboarding.objects.filter(region__code="21.01").exists()


@pytest.mark.parametrize("who", ["citizen", "region_admin", "operator"])
@pytest.mark.parametrize("path", CONSOLE_GETS + CONSOLE_POSTS)
def test_only_superadmins_may_onboard(national_client, outsiders, who, path):
    national_client.force_login(outsiders[who])
    if path in CONSOLE_POSTS:
        response = national_client.post(
            path,
            {"signer_name": "X", "signer_title": "Y", "signed_on": "2024-03-07"},
        )
    else:
        response = national_client.get(path)
    assert response.status_code == 404
    assert not Onboarding.objects.filter(region__code="21.01").exists()


def test_the_console_does_not_exist_on_a_region_site(client_a, superadmin):
    client_a.force_login(superadmin)
    assert client_a.get("/onboarding/").status_code == 404
    assert client_a.get("/api/v1/onboarding/regions/").status_code == 404


def test_board_counts_filters_and_bounded_queries(
    superadmin_client, make_onboarding, django_assert_max_num_queries
):
    make_onboarding("21.01", stage=Stage.COMMITTED)
    make_onboarding("21.02", stage=Stage.DESIGNATED)
    with django_assert_max_num_queries(15):
        response = superadmin_client.get("/onboarding/")
    assert response.status_code == 200
    counts = {code: n for code, _label, n in response.context["stages"]}
    assert counts[Stage.COMMITTED] == 1
    assert counts[Stage.DESIGNATED] == 1
    assert counts[Stage.LIVE] >= 2  # the session's regions
    assert counts["none"] == 514 - sum(v for k, v in counts.items() if k != "none")

    response = superadmin_client.get("/onboarding/", {"provinsi": "21", "tahap": "designated"})
    assert [row.region.code for row in response.context["rows"]] == ["21.02"]
    response = superadmin_client.get("/onboarding/", {"provinsi": "21", "tahap": "none"})
    codes = [row.region.code for row in response.context["rows"]]
    assert "21.01" not in codes
    assert "21.03" in codes
    response = superadmin_client.get("/onboarding/", {"q": "Kabupaten Bintan"})
    assert [row.region.code for row in response.context["rows"]] == ["21.01"]
    with django_assert_max_num_queries(15):
        superadmin_client.get("/onboarding/", {"halaman": "3"})


def _pdf(name="komitmen.pdf", content=PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_region_from_commitment_to_live_through_the_console(
    superadmin_client, eager_celery, django_capture_on_commit_callbacks, client
):
    base = "/onboarding/daerah/21.01/"
    response = superadmin_client.post(
        base + "komitmen/",
        {
            "signer_name": "Roby Kurniawan",
            "signer_title": "Bupati Bintan",
            "signed_on": "2024-03-07",
            "occasion": "Penandatanganan komitmen MPP Digital",
            "document": _pdf(),
        },
    )
    assert response.status_code == 302
    onboarding = Onboarding.objects.get(region__code="21.01")
    assert onboarding.stage == Stage.COMMITTED
    document = onboarding.documents.get()
    assert document.kind == OnboardingDocument.Kind.COMMITMENT

    page = superadmin_client.get(base)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Roby Kurniawan" in body
    assert "Nyatakan siap" not in body  # readiness not assessed yet

    form = page.context["readiness_form"]
    data = {}
    for indicator, value_field, evidence_field in form.rows():
        value = {"percent": "75", "boolean": "ya", "text": "Rina Wulandari"}[indicator.kind]
        data[value_field.html_name] = value
        data[evidence_field.html_name] = "Laporan dinas, Februari 2024"
    assert superadmin_client.post(base + "kesiapan/", data).status_code == 302
    assert superadmin_client.post(base + "nilai/").status_code == 302
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.ASSESSED

    response = superadmin_client.post(
        base + "tetapkan/",
        {
            "decree_number": "457/2024",
            "decree_date": "2024-06-03",
            "admin_email": "admin.mpp@bintankab.go.id",
            "admin_name": "Dewi Lestari",
        },
    )
    assert response.status_code == 302
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.DESIGNATED

    with django_capture_on_commit_callbacks(execute=True):
        response = superadmin_client.post(
            base + "siapkan/",
            {"admin_email": "admin.mpp@bintankab.go.id", "admin_name": "Dewi Lestari"},
        )
    assert response.status_code == 302
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.LIVE
    assert Mpp.objects.get(region__code="21.01").status == Mpp.Status.LIVE
    assert mail.outbox[0].to == ["admin.mpp@bintankab.go.id"]

    progress = superadmin_client.get("/api/v1/onboarding/regions/21.01/progress/").json()
    assert progress["percent"] == 100
    assert progress["done"] is True
    assert [s["status"] for s in progress["steps"]] == ["done"] * 6

    page = superadmin_client.get(base).content.decode()
    for label in ("Komitmen ditandatangani", "Kesiapan dinyatakan memenuhi", "MPP aktif"):
        assert label in page
    assert "http://bintan.mpp.localhost:8000/" in page
    site = client.get("/", HTTP_HOST="bintan.mpp.localhost")
    assert site.status_code == 200
    assert "Bintan" in site.content.decode()


def test_region_page_shows_live_progress_while_provisioning(superadmin_client, make_onboarding):
    from onboarding.services import provisioning_start

    onboarding = make_onboarding(stage=Stage.DESIGNATED, admin_email="a@bintankab.go.id")
    provisioning_start(actor=None, onboarding=onboarding)
    page = superadmin_client.get("/onboarding/daerah/21.01/")
    body = page.content.decode()
    assert 'data-progress-url="/api/v1/onboarding/regions/21.01/progress/"' in body
    assert 'role="progressbar"' in body
    assert "onboarding/progress.js" in body
    progress = superadmin_client.get("/api/v1/onboarding/regions/21.01/progress/").json()
    assert progress["percent"] == 0
    assert progress["stage"] == "provisioning"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("komitmen.pdf", b"MZ\x90\x00 not a pdf at all", "Berkas harus PDF."),
        ("komitmen.pdf", b"", "kosong"),
        ("gambar.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "Berkas harus PDF."),
    ],
)
def test_only_real_pdfs_are_accepted(superadmin_client, make_onboarding, name, content, message):
    make_onboarding()
    response = superadmin_client.post(
        "/onboarding/daerah/21.01/dokumen/",
        {"kind": "commitment", "document": _pdf(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OnboardingDocument.objects.exists()


def test_a_too_large_pdf_is_refused(superadmin_client, make_onboarding, monkeypatch):
    from onboarding import forms
    from onboarding.services import commitment

    monkeypatch.setattr(commitment, "MAX_DOCUMENT_BYTES", 200)
    monkeypatch.setattr(forms, "MAX_DOCUMENT_BYTES", 200)
    make_onboarding()
    response = superadmin_client.post(
        "/onboarding/daerah/21.01/dokumen/",
        {"kind": "commitment", "document": _pdf(content=PDF_BYTES + b"%" * 500)},
    )
    assert response.status_code == 400
    assert "terlalu besar" in response.content.decode()


def test_documents_are_private_and_served_only_to_superadmins(
    superadmin_client, make_onboarding, outsiders, national_client, private_root
):
    from onboarding.services import document_attach

    onboarding = make_onboarding()
    document = document_attach(
        actor=None, onboarding=onboarding, kind="commitment", uploaded=_pdf("Komitmen Bintan.pdf")
    )
    path = document.file.path
    assert path.startswith(str(private_root / "national" / "onboarding"))
    assert "Bintan" not in path  # stored under a random name
    url = f"/onboarding/dokumen/{document.pk}/"
    response = superadmin_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert 'filename="Komitmen Bintan.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    client = national_client.__class__(HTTP_HOST=national_client.defaults["HTTP_HOST"])
    for who in outsiders.values():
        client.force_login(who)
        assert client.get(url).status_code == 404


def test_a_rejected_action_explains_itself(superadmin_client, make_onboarding):
    make_onboarding(stage=Stage.ASSESSED)
    response = superadmin_client.post(
        "/onboarding/daerah/21.01/tetapkan/",
        {"decree_number": "457/2024", "decree_date": (dt.date.today() + dt.timedelta(days=3))},
    )
    assert response.status_code == 400
    assert "tidak boleh di masa depan" in response.content.decode()
    response = superadmin_client.post("/onboarding/daerah/21.01/tolak/", {"reason": ""})
    assert response.status_code == 400
    response = superadmin_client.post("/onboarding/daerah/21.01/tangguhkan/", {"reason": "Alasan"})
    assert response.status_code == 400
    assert "tidak bisa dilakukan pada tahap" in response.content.decode()


def test_indicators_are_configured_by_superadmins(superadmin_client):
    response = superadmin_client.post(
        "/onboarding/indikator/",
        {
            "code": "perda-mpp",
            "name": "Peraturan kepala daerah tentang MPP",
            "kind": "boolean",
            "position": 6,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    from onboarding.models import ReadinessIndicator

    indicator = ReadinessIndicator.objects.get(code="perda-mpp")
    response = superadmin_client.post(
        f"/onboarding/indikator/{indicator.pk}/",
        {"name": indicator.name, "kind": "percent", "threshold": "", "position": 6},
    )
    assert response.status_code == 400
    assert "ambang" in response.content.decode()
    health = ReadinessIndicator.objects.get(code="health-workforce-data")
    response = superadmin_client.post(
        f"/onboarding/indikator/{health.pk}/",
        {
            "name": health.name,
            "kind": "percent",
            "threshold": "65",
            "position": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    health.refresh_from_db()
    assert health.threshold == 65
