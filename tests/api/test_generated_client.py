"""A client generated from each host's schema really works, over HTTP against the live server.

Regional (Banyuwangi's /api/schema/): a citizen signs in, lists the online services, creates a
draft application, uploads a document for each required document, submits it and reads its
status. National (the apex's /api/schema/): anyone searches the national catalogue, and a
superadmin signs in with the second factor and reads an onboarding's progress.

Every call goes through the generated functions and models, with ``raise_on_unexpected_status``:
an undocumented status, a response the generated models cannot read, or a schema the generator
refuses fails here, as it would fail an integrator.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.api.conftest import Transcript, fetch_schema, generate_client
from tests.shared.citizens.conftest import pdf_bytes

pytestmark = pytest.mark.live

PASSWORD = "sandi-warga-klien-2026"
REGION_SLUG = "banyuwangi"


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def regional_pkg(live_server_http, tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        schema = fetch_schema(live_server_http, live_server_http.host(REGION_SLUG))
    return generate_client(
        schema=schema, package="mpp_regional_client", workdir=tmp_path_factory.mktemp("regional")
    )


@pytest.fixture(scope="module")
def national_pkg(live_server_http, tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        schema = fetch_schema(live_server_http, live_server_http.host())
    return generate_client(
        schema=schema, package="mpp_national_client", workdir=tmp_path_factory.mktemp("national")
    )


def _client(pkg, live, host: str, transcript: Transcript, token: str | None = None):
    kwargs = {
        "base_url": live.url,
        "headers": {"Host": host, "Accept-Language": "id"},
        "raise_on_unexpected_status": True,
        "timeout": 30.0,
        "httpx_args": {"event_hooks": {"response": [transcript.record]}},
    }
    if token is None:
        return pkg.Client(**kwargs)
    return pkg.AuthenticatedClient(token=token, prefix="Token", **kwargs)


def _api(pkg, name: str):
    """One generated operation module, e.g. ``applications.applications_create``."""
    return importlib.import_module(f"{pkg.__name__}.api.{name}")


def _models(pkg):
    return importlib.import_module(f"{pkg.__name__}.models")


def _regional_world():
    """Committed: an online offering in Banyuwangi needing KTP-el and KK, and a citizen with a
    complete profile and a password (made with the real services)."""
    from lokal import parse_nik

    from shared.accounts.models import Membership, Role, User
    from shared.catalogue.models import DocumentType
    from shared.citizens.models import CitizenProfile
    from shared.regions.models import Mpp
    from tenants.applications.services import form_fields_save
    from tenants.mpp.services.booths import booth_create, local_agency_create
    from tenants.mpp.services.offerings import local_service_create

    ktp, _ = DocumentType.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    kk, _ = DocumentType.objects.get_or_create(code="kk", defaults={"name": "Kartu Keluarga"})
    mpp = Mpp.objects.select_related("region").get(region__slug=REGION_SLUG)
    admin = User.objects.create_user(
        email=f"{_unique('admin')}@mpp.test", password=PASSWORD, full_name="Admin Uji"
    )
    Membership.objects.create(user=admin, region=mpp.region, role=Role.DPMPTSP_ADMIN)
    name = _unique("Surat Keterangan Domisili Klien")
    connection.set_tenant(mpp)
    try:
        agency = local_agency_create(actor=admin, name=_unique("Disdukcapil"))
        booth = booth_create(actor=admin, number=_unique("G"), local_agency=agency, name="Gerai")
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
    finally:
        connection.set_schema_to_public()
    email = f"{_unique('warga')}@example.id"
    user = User.objects.create_user(email=email, password=PASSWORD, full_name="Siti Aminah")
    while True:  # a NIK no other committed profile holds
        nik = f"351001410190{uuid.uuid4().int % 9000 + 1000}"
        if not CitizenProfile.objects.with_nik(nik).exists():
            break
    info = parse_nik(nik)
    profile = CitizenProfile.objects.create(user=user, full_name=user.full_name)
    profile.nik = nik
    profile.birth_date = dt.date.fromisoformat(info.birth_date)
    profile.gender = info.gender
    profile.birth_place = "Banyuwangi"
    profile.address_line = "Jl. Ahmad Yani 1, RT 01/RW 02"
    profile.regency_code = info.regency_code
    profile.province_code = info.province_code
    profile.district_code = info.district_code
    profile.phone = "+6281234567890"
    profile.email_verified_at = timezone.now()  # the sign-up link was followed
    profile.save()
    return name, email


def test_generated_regional_client_journey(live_db, live_server_http, regional_pkg):
    offering_name, email = _regional_world()
    live = live_server_http
    host = live.host(REGION_SLUG)
    transcript = Transcript()
    models = _models(regional_pkg)
    from mpp_regional_client.types import File

    # 1. Sign in (e-mail and password): a token for the app.
    anonymous = _client(regional_pkg, live, host, transcript)
    signed_in = _api(regional_pkg, "auth.auth_sign_in_create").sync(
        client=anonymous,
        body=models.SignInRequest(username=email, password=PASSWORD, device_name="Klien uji"),
    )
    assert isinstance(signed_in, models.SignInResult), signed_in
    assert signed_in.user.email == email
    client = _client(regional_pkg, live, host, transcript, token=signed_in.token)

    # 2. The services of this MPP that take online applications.
    offerings = _api(regional_pkg, "applications.applications_offerings_list").sync(client=client)
    offering = next(o for o in offerings if o.name == offering_name)
    document_keys = [r.key for r in offering.requirements if r.key.startswith("doc-")]
    assert len(document_keys) == 2
    field = offering.form_fields[0]
    assert (field.key, field.choices) == ("keperluan", ["Sekolah", "Kerja"])

    # 3. A draft, with the extra field answered.
    draft = _api(regional_pkg, "applications.applications_create").sync(
        client=client,
        body=models.DraftRequest(
            offering=offering.id,
            client_key=uuid.uuid4(),
            answers=models.DraftRequestAnswers.from_dict({"keperluan": "Kerja"}),
        ),
    )
    assert isinstance(draft, models.Application), draft
    assert draft.status == models.ApplicationStatusEnum.DRAFT
    assert draft.number is None

    # Submitting without the documents: the one problem shape, a 400 with errors per input.
    incomplete = _api(regional_pkg, "applications.applications_submit_create").sync(
        application_id=draft.id, client=client
    )
    assert isinstance(incomplete, models.Problem)
    assert (incomplete.status, incomplete.code) == (400, "incomplete")
    assert set(document_keys) <= {k.removeprefix("req-") for k in incomplete.errors.to_dict()}

    # 4. Upload a document for each required document (multipart; it joins the vault).
    upload = _api(regional_pkg, "applications.applications_documents_create")
    for key in document_keys:
        attached = upload.sync(
            application_id=draft.id,
            client=client,
            body=models.RequirementUploadRequest(
                requirement=key,
                file=File(
                    payload=io.BytesIO(pdf_bytes(key)),
                    file_name=f"{key}.pdf",
                    mime_type="application/pdf",
                ),
            ),
        )
        assert isinstance(attached, models.Application), attached

    # 5. Submit: a receipt with the application's number.
    receipt = _api(regional_pkg, "applications.applications_submit_create").sync(
        application_id=draft.id, client=client
    )
    assert isinstance(receipt, models.Receipt), receipt
    assert receipt.number.startswith("3510-")
    assert receipt.status == "submitted"

    # 6. Its status, read back.
    application = _api(regional_pkg, "applications.applications_retrieve").sync(
        application_id=draft.id, client=client
    )
    assert isinstance(application, models.Application)
    assert application.number == receipt.number
    assert application.status == models.ApplicationStatusEnum.SUBMITTED

    # Another region's host does not know this application (404 in the one problem shape).
    elsewhere = _client(
        regional_pkg, live, live.host("kota-probolinggo"), transcript, token=signed_in.token
    )
    missing = _api(regional_pkg, "applications.applications_retrieve").sync(
        application_id=draft.id, client=elsewhere
    )
    assert isinstance(missing, models.Problem)
    assert missing.status == 404

    bwi, pbl = (
        f"{REGION_SLUG}.{settings.MPP_BASE_DOMAIN}",
        f"kota-probolinggo.{settings.MPP_BASE_DOMAIN}",
    )
    app = f"/api/v1/applications/{draft.id}"
    assert transcript.lines == [
        f"POST {bwi} /api/v1/auth/sign-in/ -> 200",
        f"GET {bwi} /api/v1/applications/offerings/ -> 200",
        f"POST {bwi} /api/v1/applications/ -> 201",
        f"POST {bwi} {app}/submit/ -> 400",
        f"POST {bwi} {app}/documents/ -> 200",
        f"POST {bwi} {app}/documents/ -> 200",
        f"POST {bwi} {app}/submit/ -> 200",
        f"GET {bwi} {app}/ -> 200",
        f"GET {pbl} {app}/ -> 404",
    ]
    print("\nregional journey:\n" + "\n".join(transcript.lines))  # the closing note reads this


def _national_world():
    """Committed: a national standard service offered by Banyuwangi, and a superadmin enrolled
    in the second factor."""
    from shared.accounts.models import User
    from shared.catalogue.models import ServiceAvailability
    from shared.catalogue.services import agency_create, service_create
    from shared.regions.models import Mpp
    from tests.conftest import enrol_second_factor

    mpp = Mpp.objects.select_related("region").get(region__slug=REGION_SLUG)
    agency = agency_create(
        actor=None, code=_unique("imigrasi"), name=_unique("Kantor Imigrasi"), kind="other"
    )
    word = f"paspor{uuid.uuid4().hex[:6]}"
    service = service_create(
        actor=None,
        code=_unique("paspor"),
        name=f"Penerbitan {word} elektronik",
        agency=agency,
        product="Paspor",
        complaint_handling="SP4N-LAPOR!",
    )
    ServiceAvailability.objects.create(
        service=service, region=mpp.region, offering_id=service.pk, channels=["queue"]
    )
    email = f"{_unique('superadmin')}@mpp.go.id"
    superadmin = User.objects.create_superuser(email=email, password=PASSWORD, full_name="Super")
    device = enrol_second_factor(superadmin)
    return word, service, email, device


def test_generated_national_client_journey(live_db, live_server_http, national_pkg):
    from tests.conftest import totp_now

    word, service, email, device = _national_world()
    live = live_server_http
    host = live.host()
    transcript = Transcript()
    models = _models(national_pkg)

    # 1. The national catalogue search, anonymous: the service and the MPP that offers it.
    anonymous = _client(national_pkg, live, host, transcript)
    page = _api(national_pkg, "catalogue.catalogue_search_retrieve").sync(client=anonymous, q=word)
    assert isinstance(page, models.SearchPage), page
    hit = next(r for r in page.results if r.code == service.code)
    assert REGION_SLUG in {m.slug for m in hit.mpps}

    # 2. A superadmin signs in with the second factor and reads a region's onboarding progress.
    signed_in = _api(national_pkg, "auth.auth_sign_in_create").sync(
        client=anonymous,
        body=models.SignInRequest(username=email, password=PASSWORD, otp_code=totp_now(device)),
    )
    assert isinstance(signed_in, models.SignInResult), signed_in
    client = _client(national_pkg, live, host, transcript, token=signed_in.token)
    progress = _api(national_pkg, "onboarding.onboarding_regions_progress_retrieve").sync(
        code="35.10", client=client
    )
    assert isinstance(progress, models.OnboardingProgress), progress
    assert (progress.region, progress.stage, progress.percent) == ("35.10", "live", 100)

    # The citizen-less anonymous client is refused the onboarding API (problem shape).
    refused = _api(national_pkg, "onboarding.onboarding_regions_progress_retrieve").sync(
        code="35.10", client=anonymous
    )
    assert isinstance(refused, models.Problem)
    assert refused.status in (401, 403)
    print("\nnational journey:\n" + "\n".join(transcript.lines))  # the closing note reads this
