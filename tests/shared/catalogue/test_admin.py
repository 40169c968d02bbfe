"""The Django admin edits services through the same versioning as the API and the import."""

import re

from django.urls import reverse
from django.utils.html import escape

from shared.catalogue.models import DocumentType, Service, ServiceVersion


def _errors(response) -> list[str]:
    """The admin form's error messages, for a readable failure."""
    return re.findall(
        r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )


def _form(service, **overrides):
    """The admin change form's POST data for a service and its inlines."""
    requirements = list(service.requirements.order_by("position"))
    steps = list(service.steps.order_by("position"))
    data = {
        "code": service.code,
        "name": service.name,
        "agency": service.agency_id,
        "category": service.category_id or "",
        "life_events": list(service.life_events.values_list("pk", flat=True)),
        "summary": service.summary,
        "synonyms": service.synonyms,
        "channels": service.channels,
        "completion_days": service.completion_days or "",
        "completion_note": service.completion_note,
        "fee_kind": service.fee_kind,
        "fee_amount": int(service.fee_amount),
        "fee_basis": service.fee_basis,
        "product": service.product,
        "complaint_handling": service.complaint_handling,
        "legal_basis": service.legal_basis,
        "is_active": "on" if service.is_active else "",
        "change_note": "",
        "requirements-TOTAL_FORMS": len(requirements) + 1,
        "requirements-INITIAL_FORMS": len(requirements),
        "requirements-MIN_NUM_FORMS": 0,
        "requirements-MAX_NUM_FORMS": 1000,
        "steps-TOTAL_FORMS": len(steps) + 1,
        "steps-INITIAL_FORMS": len(steps),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
        "versions-TOTAL_FORMS": 0,
        "versions-INITIAL_FORMS": service.versions.count(),
        "versions-MIN_NUM_FORMS": 0,
        "versions-MAX_NUM_FORMS": 0,
    }
    for i, r in enumerate(requirements):
        data |= {
            f"requirements-{i}-id": r.pk,
            f"requirements-{i}-service": service.pk,
            f"requirements-{i}-position": r.position,
            f"requirements-{i}-document_type": r.document_type_id or "",
            f"requirements-{i}-text": r.text,
            f"requirements-{i}-is_mandatory": "on" if r.is_mandatory else "",
        }
    # The empty extra rows as a browser sends them (defaults filled in), so they count as unchanged.
    data |= {
        f"requirements-{len(requirements)}-position": 0,
        f"requirements-{len(requirements)}-is_mandatory": "on",
        f"steps-{len(steps)}-position": 0,
    }
    for i, s in enumerate(steps):
        data |= {
            f"steps-{i}-id": s.pk,
            f"steps-{i}-service": service.pk,
            f"steps-{i}-position": s.position,
            f"steps-{i}-text": s.text,
        }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_superadmin_edits_a_service_in_the_admin_and_a_new_version_appears_on_the_site(
    starter, superadmin, national_client
):
    service = Service.objects.get(code="polri-skck")
    national_client.force_login(superadmin)
    url = reverse(
        "admin:catalogue_service_change", args=[service.pk], urlconf="mpp_platform.urls_national"
    )
    form = national_client.get(url)
    assert form.status_code == 200
    # the current tariff, in its field
    assert re.search(r'name="fee_amount"[^>]*value="30000(\.00)?"', form.content.decode())
    assert escape(service.name) in form.content.decode()
    steps = service.steps.count()
    data = _form(
        service,
        fee_amount=35000,
        change_note="Tarif PNBP baru",
        **{
            "requirements-0-DELETE": "on",  # drop the first requirement
            f"steps-{steps}-position": steps,
            f"steps-{steps}-text": "Cetak SKCK digital di aplikasi",
        },
    )
    response = national_client.post(url, data)
    assert response.status_code == 302, _errors(response)
    service.refresh_from_db()
    assert service.version == 2
    assert service.fee_amount == 35000
    version = ServiceVersion.objects.get(service=service, number=2)
    assert version.changed_by == superadmin
    assert version.note == "Tarif PNBP baru"
    assert version.changed_fields == ["requirements", "steps", "fee_amount"]
    assert version.snapshot["steps"][-1] == "Cetak SKCK digital di aplikasi"

    page = national_client.get(f"/layanan/{service.code}/").content.decode()
    assert "Rp35.000" in page
    assert "Versi 2" in page
    assert "Tarif PNBP baru" in page
    history = national_client.get(f"/layanan/{service.code}/riwayat/").content.decode()
    assert "Rp30.000" not in history  # amounts are shown as numbers in the diff
    assert "30000" in history
    assert "35000" in history


def test_admin_add_creates_version_one_with_its_inlines(starter, superadmin, national_client):
    national_client.force_login(superadmin)
    url = reverse("admin:catalogue_service_add", urlconf="mpp_platform.urls_national")
    agency = Service.objects.get(code="polri-skck").agency
    data = {
        "code": "polri-surat-kehilangan",
        "name": "Surat Keterangan Tanda Lapor Kehilangan",
        "agency": agency.pk,
        "channels": ["walk_in"],
        "fee_kind": "free",
        "fee_amount": 0,
        "product": "Surat keterangan kehilangan",
        "complaint_handling": "Call center 110",
        "is_active": "on",
        "requirements-TOTAL_FORMS": 1,
        "requirements-INITIAL_FORMS": 0,
        "requirements-0-position": 0,
        "requirements-0-text": "Identitas pelapor",
        "requirements-0-is_mandatory": "on",
        "steps-TOTAL_FORMS": 2,
        "steps-INITIAL_FORMS": 0,
        "steps-0-position": 1,
        "steps-0-text": "Petugas menerbitkan surat",
        "steps-1-position": 0,
        "steps-1-text": "Pelapor menyampaikan kehilangan",
        "versions-TOTAL_FORMS": 0,
        "versions-INITIAL_FORMS": 0,
    }
    response = national_client.post(url, data)
    assert response.status_code == 302, _errors(response)
    service = Service.objects.get(code="polri-surat-kehilangan")
    version = service.versions.get()
    assert version.number == 1
    assert version.changed_by == superadmin
    assert version.snapshot["steps"] == [
        "Pelapor menyampaikan kehilangan",
        "Petugas menerbitkan surat",
    ]
    assert version.snapshot["requirements"][0]["text"] == "Identitas pelapor"


def test_admin_refuses_a_free_service_with_a_fee(starter, superadmin, national_client):
    service = Service.objects.get(code="dukcapil-kia")
    national_client.force_login(superadmin)
    url = reverse(
        "admin:catalogue_service_change", args=[service.pk], urlconf="mpp_platform.urls_national"
    )
    response = national_client.post(url, _form(service, fee_kind="free", fee_amount=5000))
    assert response.status_code == 200
    assert "Layanan gratis tidak boleh memiliki tarif" in response.content.decode()
    service.refresh_from_db()
    assert service.version == 1


def test_admin_changelist_search_and_filters(
    starter, superadmin, national_client, django_assert_max_num_queries, region_a, offer
):
    national_client.force_login(superadmin)
    url = reverse("admin:catalogue_service_changelist", urlconf="mpp_platform.urls_national")
    with django_assert_max_num_queries(15):
        response = national_client.get(url, {"q": "paspor", "is_active__exact": "1"})
    assert response.status_code == 200
    assert "Penerbitan Paspor Biasa" in response.content.decode()
    assert "Surat Keterangan Catatan Kepolisian" not in response.content.decode()  # filtered out
    paspor = Service.objects.get(code="imigrasi-paspor-biasa")
    offer(paspor, region_a)
    agency = paspor.agency
    document = DocumentType.objects.order_by("name").first()
    # Each changelist lists its rows: the object's own name, not merely a 200.
    for model, shown in (
        ("agency", agency.name),
        ("documenttype", document.name),
        ("serviceversion", paspor.name),
        ("serviceavailability", region_a.region.name),
    ):
        changelist = reverse(
            f"admin:catalogue_{model}_changelist", urlconf="mpp_platform.urls_national"
        )
        page = national_client.get(changelist)
        assert page.status_code == 200, model
        assert escape(shown) in page.content.decode(), model


def test_admin_index_renders_on_the_national_host(db, superadmin, national_client):
    # django-tenants' admin templates ask for request.tenant, which the national host has none
    # of; the catalogue's ``tenant`` template library answers "public" for it.
    national_client.force_login(superadmin)
    index = national_client.get(reverse("admin:index", urlconf="mpp_platform.urls_national"))
    assert index.status_code == 200
    assert "Katalog layanan nasional" in index.content.decode()
    app = reverse("admin:app_list", args=["catalogue"], urlconf="mpp_platform.urls_national")
    listing = national_client.get(app)
    assert listing.status_code == 200
    # The catalogue's own models are linked from its app page.
    assert (
        reverse("admin:catalogue_service_changelist", urlconf="mpp_platform.urls_national")
        in listing.content.decode()
    )
