"""Every complaint page and endpoint refuses another region's staff and citizens, an operator of
another booth, and anonymous visitors: region A's complaint does not exist for them (404; a page
for staff sends an anonymous visitor to sign in)."""

import pytest

from tests.shared.citizens.conftest import pdf_bytes, upload


@pytest.fixture
def routed(mpp_a, officer_a, complainant, file_complaint, in_region):
    """A confidential complaint of region A with evidence, routed to booth G1."""
    from tenants.complaints.services import complaint_route

    complaint = file_complaint(
        mpp_a.mpp,
        owner=complainant.user,
        privacy="confidential",
        uploads=[upload("bukti.pdf", pdf_bytes("bukti"))],
    )
    with in_region(mpp_a.mpp):
        complaint_route(
            actor=officer_a, complaint=complaint, booth=mpp_a.booth, complexity="simple"
        )
        attachment = complaint.attachments.get()
    return complaint, attachment


def _urls(complaint, attachment):
    c, a = complaint.pk, attachment.pk
    pages_get = [
        f"/pengaduan/{c}/",
        f"/pengaduan/{c}/bukti/{a}/",
        f"/pengaduan/lacak/{c}/",
        f"/pengaduan/lacak/{c}/bukti/{a}/",
        f"/petugas/pengaduan/{c}/",
        f"/petugas/pengaduan/{c}/bukti/{a}/",
    ]
    pages_post = [
        (f"/pengaduan/{c}/", {"action": "message", "body": "Halo"}),
        (f"/pengaduan/lacak/{c}/", {"action": "message", "body": "Halo"}),
        *[
            (f"/petugas/pengaduan/{c}/aksi/{action}/", {"answer": "x", "body": "x", "reason": "x"})
            for action in ("route", "not_complaint", "forward", "close", "message", "note")
        ],
    ]
    api_get = [
        f"/api/v1/complaints/{c}/",
        f"/api/v1/complaints/{c}/attachments/{a}/",
        f"/api/v1/staff/complaints/{c}/",
        f"/api/v1/staff/complaints/{c}/attachments/{a}/",
    ]
    api_post = [
        *[
            (f"/api/v1/complaints/{c}/{action}/", {"body": "x", "reason": "x", "rating": 5})
            for action in ("messages", "reopen", "rating")
        ],
        *[
            (f"/api/v1/staff/complaints/{c}/{action}/", {"answer": "x", "body": "x"})
            for action in ("route", "not-complaint", "forward", "close", "messages", "notes")
        ],
    ]
    return pages_get, pages_post, api_get, api_post


def _assert_all_refused(client, complaint, attachment, *, anonymous=False):
    pages_get, pages_post, api_get, api_post = _urls(complaint, attachment)
    for url in pages_get:
        response = client.get(url)
        if anonymous and response.status_code == 302:
            assert "/akun/masuk/" in response["Location"], url
        else:
            assert response.status_code == 404, (url, response.status_code)
    for url, data in pages_post:
        response = client.post(url, data)
        if anonymous and response.status_code == 302:
            assert "/akun/masuk/" in response["Location"], url
        else:
            assert response.status_code == 404, (url, response.status_code)
    for url in api_get:
        assert client.get(url).status_code in _api_refusals(url, anonymous), url
    for url, data in api_post:
        response = client.post(url, data, content_type="application/json")
        assert response.status_code in _api_refusals(url, anonymous), url


def _api_refusals(url: str, anonymous: bool) -> tuple[int, ...]:
    """Staff endpoints do not exist for outsiders (404); citizen endpoints ask an anonymous
    caller to authenticate (the platform's citizen audience) and answer 404 to anyone else."""
    if anonymous and "/staff/" not in url:
        return (401, 403)
    return (404,)


def _unchanged(mpp, complaint):
    from django.db import connection

    connection.set_tenant(mpp)
    try:
        complaint.refresh_from_db()
        assert complaint.status == "in_progress"
        assert complaint.messages.count() == 0
    finally:
        connection.set_schema_to_public()


def test_another_regions_staff_get_404(routed, mpp_a, make_user, region_b):
    from django.test import Client

    from shared.accounts.models import Role
    from tests.conftest import host_of

    complaint, attachment = routed
    for role in (Role.COMPLAINT_OFFICER, Role.DPMPTSP_ADMIN, Role.OPERATOR, Role.SUPERVISOR):
        # Region B's staff, on region A's host (their session cookie works on every host).
        client = Client(HTTP_HOST=host_of(mpp_a.mpp))
        client.force_login(make_user(role=role, region=region_b))
        _assert_all_refused(client, complaint, attachment)
    _unchanged(mpp_a.mpp, complaint)


def test_the_same_id_on_another_regions_host_is_not_region_as_complaint(
    routed, mpp_b, make_user, region_b, complainant
):
    from django.test import Client

    from shared.accounts.models import Role
    from tests.conftest import host_of

    complaint, attachment = routed
    officer_b = make_user(role=Role.COMPLAINT_OFFICER, region=region_b)
    for user in (officer_b, complainant.user):  # even region A's complainant, on B's host
        client = Client(HTTP_HOST=host_of(mpp_b.mpp))
        client.force_login(user)
        _assert_all_refused(client, complaint, attachment)


def test_an_operator_of_another_booth_gets_404(routed, mpp_a):
    from django.test import Client

    from tests.conftest import host_of

    complaint, attachment = routed
    client = Client(HTTP_HOST=host_of(mpp_a.mpp))
    client.force_login(mpp_a.other_operator)
    pages_get, _pages_post, api_get, _api_post = _urls(complaint, attachment)
    for url in [u for u in pages_get if "/petugas/" in u] + [u for u in api_get if "staff" in u]:
        assert client.get(url).status_code == 404, url
    for action in ("close", "message", "note"):
        assert (
            client.post(f"/petugas/pengaduan/{complaint.pk}/aksi/{action}/", {"answer": "x"})
        ).status_code == 404
    listed = client.get("/api/v1/staff/complaints/?status=semua").json()
    assert complaint.number not in [row["number"] for row in listed]
    _unchanged(mpp_a.mpp, complaint)


def test_anonymous_visitors_are_refused(routed, mpp_a):
    from django.test import Client

    from tests.conftest import host_of

    complaint, attachment = routed
    client = Client(HTTP_HOST=host_of(mpp_a.mpp))
    _assert_all_refused(client, complaint, attachment, anonymous=True)
    for url in ("/petugas/pengaduan/", "/petugas/pengaduan/baru/", "/petugas/pengaduan/ekspor/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/akun/masuk/" in response["Location"]
    assert client.get("/api/v1/complaints/").status_code in (401, 403)
    for url in ("/api/v1/staff/complaints/", "/api/v1/complaints/kiosk/"):
        assert client.post(url, {}, content_type="application/json").status_code == 404, url
    _unchanged(mpp_a.mpp, complaint)


def test_the_national_host_has_no_complaint_pages(national_client, routed):
    complaint, _attachment = routed
    for url in (
        "/pengaduan/",
        f"/pengaduan/{complaint.pk}/",
        "/petugas/pengaduan/",
        "/api/v1/complaints/",
        "/api/v1/staff/complaints/",
    ):
        assert national_client.get(url).status_code == 404, url
