"""``/api/v1/mpp/``: the same administration through the API, bad input as clear 4xx answers,
list endpoints with a bounded number of queries."""

import pytest
from django.core import mail

from shared.accounts.models import Membership, Role
from shared.catalogue.models import ServiceAvailability
from tenants.mpp.models import Booth, Offering
from tests.tenants.mpp.conftest import login
from tests.tenants.mpp.factories import AgencyFactory, DocumentTypeFactory, ServiceFactory

API = "/api/v1/mpp/admin"


@pytest.fixture
def api(client_a, admin_a):
    return login(client_a, admin_a)


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


def test_booth_hours_and_closures(api, region_a, in_region):
    agency = AgencyFactory()
    response = post(
        api, f"{API}/booths/", {"agency": agency.code, "number": "D1", "location": "L1"}
    )
    assert response.status_code == 201, response.json()
    booth_id = response.json()["id"]
    hours = {
        "days": [
            {"weekday": 0, "intervals": [{"opens_at": "08:00", "closes_at": "12:00"}]},
            {"weekday": 4, "intervals": [{"opens_at": "08:00", "closes_at": "11:00"}]},
        ]
    }
    response = put(api, f"{API}/booths/{booth_id}/hours/", hours)
    assert response.status_code == 200
    assert response.json()[0]["intervals"] == [{"opens_at": "08:00", "closes_at": "12:00"}]
    detail = api.get(f"{API}/booths/{booth_id}/").json()
    assert detail["own_hours"] is True

    overlapping = {
        "days": [
            {
                "weekday": 1,
                "intervals": [
                    {"opens_at": "08:00", "closes_at": "12:00"},
                    {"opens_at": "11:00", "closes_at": "14:00"},
                ],
            }
        ]
    }
    response = put(api, f"{API}/booths/{booth_id}/hours/", overlapping)
    assert response.status_code == 400
    assert "tumpang tindih" in response.json()["detail"]

    response = patch(api, f"{API}/booths/{booth_id}/", {"location": "Lantai 3"})
    assert response.json()["location"] == "Lantai 3"

    response = post(api, f"{API}/closures/", {"start_date": "2026-12-10", "reason": "Pemeliharaan"})
    assert response.status_code == 201
    closure = response.json()
    assert closure["end_date"] == "2026-12-10"
    assert api.delete(f"{API}/closures/{closure['id']}/").status_code == 204


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"number": "X"}, "agency"),  # no agency at all
        ({"agency": "tidak-ada", "number": "X"}, "agency"),
        ({"new_local_agency": "UPT", "number": ""}, "number"),
    ],
)
def test_bad_booth_input_is_a_400_naming_the_field(api, region_a, in_region, data, field):
    response = post(api, f"{API}/booths/", data)
    assert response.status_code == 400
    body = response.json()
    assert field in body or field in body.get("errors", {}), body
    with in_region(region_a):
        assert not Booth.objects.exists()


def test_offering_lifecycle(api, region_a, in_region, django_capture_on_commit_callbacks):
    service = ServiceFactory(channels=["online", "queue", "walk_in"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, f"{API}/offerings/", {"service": service.code})
    assert response.status_code == 201, response.json()
    offering_id = response.json()["id"]
    assert ServiceAvailability.objects.get(service=service, region=region_a.region).offering_id == (
        offering_id
    )
    assert post(api, f"{API}/offerings/", {"service": service.code}).status_code == 409

    doc = DocumentTypeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = patch(
            api,
            f"{API}/offerings/{offering_id}/",
            {
                "fee_amount": 25000,
                "channels": ["queue", "walk_in"],
                "quota_online": 0,
                "requirements": [{"document_type": doc.code, "text": "asli"}],
            },
        )
    assert response.status_code == 200, response.json()
    assert ServiceAvailability.objects.get(service=service).channels == ["queue", "walk_in"]
    detail = api.get(f"{API}/offerings/{offering_id}/").json()
    assert detail["standard"]["fee_amount"] == "25000"
    assert set(detail["standard"]["overridden"]) == {"fee_amount", "channels", "requirements"}

    response = patch(api, f"{API}/offerings/{offering_id}/", {"channels": ["fax"]})
    assert response.status_code == 400
    response = patch(api, f"{API}/offerings/{offering_id}/", {"fee_amount": -1})
    assert response.status_code == 400

    assert api.get(f"{API}/offerings/{offering_id}/changes/").json() == []
    assert post(api, f"{API}/offerings/{offering_id}/acknowledge/", {}).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"{API}/offerings/{offering_id}/").status_code == 204
    assert not ServiceAvailability.objects.filter(service=service).exists()
    assert api.get(f"{API}/offerings/999999/").status_code == 404
    assert api.get(f"{API}/offerings/abc/").status_code == 404


def test_local_service_through_the_api(api, region_a, in_region, client_a):
    agency = AgencyFactory()
    data = {
        "name": "Rekomendasi Izin Keramaian",
        "agency": agency.code,
        "steps": ["Ajukan", "Terima"],
        "completion_days": 2,
        "product": "Surat rekomendasi",
        "complaint_handling": "LAPOR!",
        "channels": ["walk_in"],
        "requirements": [{"text": "Surat permohonan"}],
    }
    response = post(api, f"{API}/local-services/", data)
    assert response.status_code == 201, response.json()
    offering = response.json()
    public = client_a.get(f"/api/v1/mpp/offerings/{offering['code']}/").json()
    assert public["is_local"] is True
    assert public["steps"] == ["Ajukan", "Terima"]

    response = patch(api, f"{API}/local-services/{offering['id']}/", {"completion_days": 5})
    assert response.status_code == 200, response.json()
    assert client_a.get(f"/api/v1/mpp/offerings/{offering['code']}/").json()["completion_days"] == 5

    bad = post(api, f"{API}/local-services/", {**data, "steps": [], "name": ""})
    assert bad.status_code == 400
    assert {"steps", "name"} <= set(bad.json()["errors"])
    # A local service is not a national one: it cannot be changed through overrides.
    response = patch(api, f"{API}/offerings/{offering['id']}/", {"fee_amount": 1})
    assert response.status_code == 400


def test_counters(api, region_a, in_region):
    with in_region(region_a):
        from tenants.mpp.services.booths import booth_create
        from tenants.mpp.services.offerings import offering_adopt

        booth = booth_create(actor=None, agency=AgencyFactory(), number="K")
        offering = offering_adopt(actor=None, service=ServiceFactory())
    data = {"booth": booth.pk, "number": "3", "ticket_prefix": "C", "offerings": [offering.pk]}
    response = post(api, f"{API}/counters/", data)
    assert response.status_code == 201, response.json()
    counter = response.json()
    assert counter["offerings"] == [offering.pk]
    assert post(api, f"{API}/counters/", data).status_code == 400  # number taken
    response = patch(api, f"{API}/counters/{counter['id']}/", {"ticket_prefix": "cc"})
    assert response.status_code == 400
    response = patch(api, f"{API}/counters/{counter['id']}/", {"is_active": False})
    assert response.json()["is_active"] is False


def test_staff_through_the_api(api, admin_a, region_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, f"{API}/staff/", {"email": "sup@example.id", "role": Role.SUPERVISOR})
    assert response.status_code == 201, response.json()
    member = response.json()
    assert member["role"] == "supervisor"
    assert len(mail.outbox) == 1
    response = patch(api, f"{API}/staff/{member['id']}/", {"role": Role.OPERATOR})
    assert response.json()["role"] == "operator"
    assert post(api, f"{API}/staff/{member['id']}/deactivate/", {}).json()["is_active"] is False
    assert post(api, f"{API}/staff/{member['id']}/reactivate/", {}).json()["is_active"] is True

    own = Membership.objects.get(user=admin_a, region=region_a.region)
    response = post(api, f"{API}/staff/{own.pk}/deactivate/", {})
    assert response.status_code == 400
    assert (
        post(api, f"{API}/staff/", {"email": "bukan-email", "role": "operator"}).status_code == 400
    )
    assert post(api, f"{API}/staff/", {"email": "x@example.id", "role": "raja"}).status_code == 400


def test_staff_of_another_region_do_not_exist_here(api, region_b, make_user):
    other = make_user(role=Role.OPERATOR, region=region_b)
    membership = Membership.objects.get(user=other)
    assert api.get(f"{API}/staff/{membership.pk}/").status_code == 404
    assert post(api, f"{API}/staff/{membership.pk}/deactivate/", {}).status_code == 404
    membership.refresh_from_db()
    assert membership.is_active


def test_information_and_announcements(api, client_a):
    response = patch(
        api,
        f"{API}/info/",
        {
            "address": "Jl. Merdeka 1",
            "facilities": ["wifi"],
            "latitude": "-8.2",
            "longitude": "114.3",
        },
    )
    assert response.status_code == 200, response.json()
    assert patch(api, f"{API}/info/", {"facilities": ["kolam renang"]}).status_code == 400
    assert patch(api, f"{API}/info/", {"latitude": "200"}).status_code == 400

    response = post(api, f"{API}/announcements/", {"title": "Libur", "body": "Tutup 1 Des."})
    assert response.status_code == 201
    announcement = response.json()
    bad = patch(
        api,
        f"{API}/announcements/{announcement['id']}/",
        {"publish_until": "2000-01-01T00:00:00+07:00"},
    )
    assert bad.status_code == 400
    public = client_a.get("/api/v1/mpp/info/").json()
    assert public["info"]["address"] == "Jl. Merdeka 1"
    assert [a["title"] for a in public["announcements"]] == ["Libur"]
    assert api.delete(f"{API}/announcements/{announcement['id']}/").status_code == 204


def test_catalogue_search_for_adoption(api, region_a, in_region):
    wanted = ServiceFactory(name="Surat Izin Usaha Perikanan")
    ServiceFactory(name="Kartu Pencari Kerja")
    with in_region(region_a):
        from tenants.mpp.services.offerings import offering_adopt

        offering_adopt(actor=None, service=wanted)
    rows = api.get(f"{API}/catalogue/", {"q": "izin perikanan"}).json()
    assert [(r["code"], r["offered"]) for r in rows] == [(wanted.code, "active")]


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/offerings/",
        f"{API}/booths/",
        f"{API}/counters/",
        f"{API}/staff/",
        f"{API}/closures/",
    ],
)
def test_admin_lists_have_a_bounded_query_count(
    url, api, region_a, in_region, make_user, django_assert_max_num_queries
):
    from tenants.mpp.services.booths import booth_create, closure_create
    from tenants.mpp.services.counters import counter_create
    from tenants.mpp.services.offerings import offering_adopt

    def grow(n, tag):
        with in_region(region_a):
            for i in range(n):
                booth = booth_create(actor=None, agency=AgencyFactory(), number=f"{tag}{i}")
                offering = offering_adopt(actor=None, service=ServiceFactory())
                counter_create(
                    actor=None,
                    booth=booth,
                    number=f"{tag}{i}",
                    ticket_prefix="A",
                    offerings=[offering],
                )
                import datetime as dt

                closure_create(
                    actor=None, start_date=dt.date(2026, 12, 1 + i), end_date=None, reason=tag
                )
        for _ in range(n):
            make_user(role=Role.OPERATOR, region=region_a)

    grow(3, "a")
    api.get(url)
    with django_assert_max_num_queries(10):
        assert api.get(url).status_code == 200
    grow(20, "b")
    with django_assert_max_num_queries(10):
        assert api.get(url).status_code == 200
    with in_region(region_a):
        assert Offering.objects.count() == 23


WEEK = {
    "days": [
        {"weekday": 0, "intervals": [{"opens_at": "07:30", "closes_at": "15:00"}]},
        {"weekday": 5, "intervals": [{"opens_at": "08:00", "closes_at": "12:00"}]},
    ]
}


def test_mpp_hours_are_set_by_the_admin_and_read_by_staff(api, client_a, region_a, operator_a):
    response = put(api, f"{API}/hours/", WEEK)
    assert response.status_code == 200, response.content
    by_day = {d["weekday"]: d["intervals"] for d in response.json()}
    assert by_day[0] == [{"opens_at": "07:30", "closes_at": "15:00"}]
    assert by_day[5] == [{"opens_at": "08:00", "closes_at": "12:00"}]
    assert not by_day.get(2)
    assert api.get(f"{API}/hours/").json() == response.json()
    # An operator reads them and cannot change them.
    operator = login(client_a, operator_a)
    assert operator.get(f"{API}/hours/").json() == response.json()
    assert put(operator, f"{API}/hours/", {"days": []}).status_code in (403, 404)
    assert api.get(f"{API}/hours/").json() == response.json()


def test_an_offerings_own_hours_replace_its_booths(api, region_a, in_region):
    service = ServiceFactory()
    agency = service.agency
    booth = post(api, f"{API}/booths/", {"agency": agency.code, "number": "H1"}).json()
    offering = post(api, f"{API}/offerings/", {"service": service.code, "booth": booth["id"]})
    assert offering.status_code == 201, offering.content
    offering_id = offering.json()["id"]
    response = put(api, f"{API}/offerings/{offering_id}/hours/", WEEK)
    assert response.status_code == 200, response.content
    assert {d["weekday"] for d in response.json() if d["intervals"]} == {0, 5}
    with in_region(region_a):
        from tenants.mpp.models import OpeningHours

        stored = OpeningHours.objects.filter(offering_id=offering_id)
        assert sorted(stored.values_list("weekday", flat=True)) == [0, 5]
        assert not OpeningHours.objects.filter(booth_id=booth["id"]).exists()
