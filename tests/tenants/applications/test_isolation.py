"""Isolation: another region's staff (admin and operator), another citizen and an anonymous
visitor get 404 on an application, its documents, its files and its receipt, on pages and API."""

import pytest
from django.test import Client
from django.urls import reverse

from shared.accounts.models import Role
from tenants.applications import services
from tests.shared.citizens.conftest import upload


@pytest.fixture
def completed(submitted, mpp_a, in_region):
    """The application, completed with a result document."""
    with in_region(mpp_a.mpp):
        services.application_verify(actor=mpp_a.operator, application=submitted)
        services.application_process(actor=mpp_a.operator, application=submitted)
        done = services.application_complete(
            actor=mpp_a.operator,
            application=submitted,
            result_kind="document",
            upload=upload("hasil.pdf", b"%PDF-1.4\nhasil\n%%EOF\n"),
        )
        requirement = done.requirements.filter(document__isnull=False).first()
        result = done.files.get(purpose="result")
    return done, requirement, result


def _citizen_urls(application, result):
    return [
        reverse("applications:detail", args=[application.pk]),
        reverse("applications:edit", args=[application.pk]),
        reverse("applications:receipt", args=[application.pk]),
        reverse("applications:file", args=[application.pk, result.pk]),
        f"/api/v1/applications/{application.pk}/",
        f"/api/v1/applications/{application.pk}/receipt/",
    ]


def _staff_urls(application, requirement, result):
    return [
        reverse("applications:staff_detail", args=[application.pk]),
        reverse("applications:staff_document", args=[application.pk, requirement.pk]),
        reverse("applications:staff_file", args=[application.pk, result.pk]),
        reverse("applications:counter_receipt", args=[application.pk]),
        f"/api/v1/staff/applications/{application.pk}/",
    ]


def _client(host, user=None):
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


A = "banyuwangi.mpp.localhost"
B = "kota-probolinggo.mpp.localhost"


def test_another_citizen_gets_404_everywhere(completed, make_citizen, citizen):
    application, requirement, result = completed
    other, _profile = make_citizen(nik="3510011508850002")
    client = _client(A, other)
    for url in _citizen_urls(application, result) + _staff_urls(application, requirement, result):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/api/v1/applications/{application.pk}/submit/").status_code == 404
    # The owner, for comparison, sees their own application's pages and file.
    owner = _client(A, citizen.user)
    detail, edit, receipt, file_url, api, api_receipt = _citizen_urls(application, result)
    for url in (detail, receipt, api, api_receipt):
        response = owner.get(url)
        assert response.status_code == 200, url
        assert application.number in response.content.decode(), url
    assert b"".join(owner.get(file_url).streaming_content) == b"%PDF-1.4\nhasil\n%%EOF\n"
    # A completed application is no longer editable: the owner is sent to its page.
    response = owner.get(edit)
    assert (response.status_code, response["Location"]) == (302, detail)


@pytest.mark.parametrize("role", [Role.DPMPTSP_ADMIN, Role.OPERATOR, Role.SUPERVISOR])
def test_staff_of_region_b_get_404_on_region_a(completed, make_user, region_b, role):
    application, requirement, result = completed
    intruder = make_user(role=role, region=region_b)
    on_a = _client(A, intruder)
    for url in _staff_urls(application, requirement, result) + _citizen_urls(application, result):
        assert on_a.get(url).status_code == 404, url
    for action in ("verify", "return", "reject"):
        url = reverse("applications:staff_action", args=[application.pk, action])
        assert on_a.post(url, {"reason": "x", "reasons": "x"}).status_code == 404
        api = f"/api/v1/staff/applications/{application.pk}/{action}/"
        assert on_a.post(api, {"reason": "x"}).status_code == 404
    assert on_a.get("/api/v1/staff/applications/").status_code == 404
    # On their own region's host the id means nothing either.
    on_b = _client(B, intruder)
    for url in _staff_urls(application, requirement, result):
        assert on_b.get(url).status_code == 404, url


def test_anonymous_is_refused(completed):
    application, requirement, result = completed
    anonymous = _client(A)
    for url in _citizen_urls(application, result):
        status = anonymous.get(url).status_code
        # Pages send to sign in; the citizen API asks for credentials (CitizenAPI).
        assert status in ((401, 403) if url.startswith("/api/") else (302, 404)), url
    for url in _staff_urls(application, requirement, result):
        response = anonymous.get(url)
        assert response.status_code in (302, 404), url
        if response.status_code == 302:
            assert "/akun/masuk/" in response["Location"]
    assert anonymous.get("/api/v1/staff/applications/").status_code == 404


def test_the_owner_gets_404_on_another_regions_host(completed, citizen):
    application, _requirement, result = completed
    on_b = _client(B, citizen.user)
    for url in _citizen_urls(application, result):
        assert on_b.get(url).status_code == 404, url


def test_region_b_admin_pages_and_outbox_are_not_region_a(mpp_a, make_user, region_b):
    intruder = make_user(role=Role.DPMPTSP_ADMIN, region=region_b)
    on_a = _client(A, intruder)
    for url in (
        reverse("applications:admin_forms"),
        reverse("applications:admin_form", args=[mpp_a.offering.pk]),
        reverse("applications:admin_outbox"),
        reverse("applications:worklist"),
        reverse("applications:counter"),
        f"/api/v1/admin/offerings/{mpp_a.offering.pk}/form-fields/",
        "/api/v1/admin/outbox/",
    ):
        assert on_a.get(url).status_code == 404, url


def test_an_operator_cannot_use_admin_endpoints(mpp_a):
    on_a = _client(A, mpp_a.operator)
    assert on_a.get(f"/api/v1/admin/offerings/{mpp_a.offering.pk}/form-fields/").status_code == 404
    assert on_a.get("/api/v1/admin/outbox/").status_code == 404


def test_national_host_has_no_application_pages(completed, citizen):
    application, _requirement, _result = completed
    national = _client("mpp.localhost", citizen.user)
    assert national.get(f"/permohonan/{application.pk}/").status_code == 404
    assert national.get(f"/api/v1/applications/{application.pk}/").status_code == 404


def test_each_admin_reads_only_their_own_regions_outbox(mpp_a, make_user, region_a, region_b):
    """The outbox is one public table: both regions have messages, each admin sees only theirs."""
    from shared.citizens.models import OutboxMessage

    for region, tag in ((region_a, "rahasia-a"), (region_b, "rahasia-b")):
        OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.EMAIL,
            gateway="outbox",
            recipient=f"{tag}@example.id",
            subject=f"Subjek {tag}",
            body=f"Isi {tag}",
            region=region.region,
            reference=tag,
        )
    admin_b = make_user(role=Role.DPMPTSP_ADMIN, region=region_b)
    for client, mine, theirs in (
        (_client(A, mpp_a.admin), "rahasia-a", "rahasia-b"),
        (_client(B, admin_b), "rahasia-b", "rahasia-a"),
    ):
        api = client.get("/api/v1/admin/outbox/")
        page = client.get(reverse("applications:admin_outbox"))
        assert api.status_code == page.status_code == 200
        assert f"Subjek {mine}" in api.content.decode()
        assert f"Subjek {mine}" in page.content.decode()
        assert theirs not in api.content.decode()
        assert theirs not in page.content.decode()
