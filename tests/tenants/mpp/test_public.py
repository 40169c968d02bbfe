"""The region's public site: today's status, offerings by agency and life event, each offering's
standard; and query counts that do not grow with the number of offerings."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenants.mpp.models import Closure
from tenants.mpp.seeding import seed_defaults
from tenants.mpp.services.booths import booth_create
from tenants.mpp.services.offerings import (
    local_service_create,
    offering_adopt,
    offering_drop,
    offering_update_overrides,
)
from tests.tenants.mpp.factories import AgencyFactory, LifeEventFactory, ServiceFactory

# The number of queries of each page, whatever the number of offerings (routing, session-less
# anonymous visitor, status, announcements, offerings with agencies and life events, booths …).
MAX_QUERIES = {"home": 11, "offerings": 6, "offering": 12, "booths": 8, "api": 6}


def populate(mpp, in_region, n: int, *, tag: str = ""):
    events = [LifeEventFactory(), LifeEventFactory()]
    agencies = [AgencyFactory() for _ in range(4)]
    with in_region(mpp):
        seed_defaults()
        for i, agency in enumerate(agencies):
            booth_create(actor=None, agency=agency, number=f"G{tag}{i}")
        for i in range(n):
            service = ServiceFactory(agency=agencies[i % 4])
            service.life_events.set([events[i % 2]])
            offering = offering_adopt(actor=None, service=service)
            if i % 3 == 0:
                offering_update_overrides(
                    actor=None,
                    offering=offering,
                    fee_amount=1000 * i,
                    requirements=[{"text": f"Syarat daerah {i}"}],
                )
        for i in range(max(1, n // 5)):
            local_service_create(
                actor=None,
                name=f"Layanan Lokal {tag}{i}",
                agency=agencies[0],
                product="Surat",
                complaint_handling="Kotak saran",
                completion_days=1,
                steps=["Datang"],
                life_event_ids=[events[0].pk],
            )


def count_queries(client, url) -> int:
    client.get(url)  # warm: the routing cache is per process
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("page", "url"),
    [
        ("home", "/"),
        ("offerings", "/layanan/"),
        ("offerings", "/layanan/?per=peristiwa"),
        ("booths", "/gerai/"),
        ("api", "/api/v1/mpp/offerings/"),
    ],
)
def test_query_count_does_not_grow_with_offerings(
    page, url, client_a, region_a, in_region, django_assert_max_num_queries
):
    populate(region_a, in_region, 5)
    few = count_queries(client_a, url)
    populate(region_a, in_region, 25, tag="b")  # 30 adopted offerings now
    assert count_queries(client_a, url) == few
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = client_a.get(url)
    assert response.status_code == 200
    if page in ("offerings", "api"):
        # the same count of queries, with the added rows in the answer (not an empty list)
        assert "Layanan Lokal b4" in response.content.decode()


def test_offering_page_shows_the_whole_standard(
    client_a, region_a, in_region, django_assert_max_num_queries
):
    service = ServiceFactory(
        name="Penerbitan Paspor Biasa",
        completion_days=4,
        fee_amount=350000,
        product="Paspor elektronik",
        complaint_handling="Pengaduan lewat SP4N-LAPOR!",
        legal_basis="Permenkumham 18/2022",
        channels=["queue", "walk_in"],
    )
    with in_region(region_a):
        offering = offering_adopt(actor=None, service=service)
        offering_update_overrides(
            actor=None, offering=offering, requirements=[{"text": "Surat rekomendasi camat"}]
        )
    with django_assert_max_num_queries(MAX_QUERIES["offering"]):
        response = client_a.get(reverse("mpp:offering", args=[service.code]))
    html = response.content.decode()
    for text in (
        "Penerbitan Paspor Biasa",
        "Datang ke gerai",  # procedure
        "asli",  # national requirement note
        "Surat rekomendasi camat",  # local requirement
        "tambahan daerah",
        "4 hari kerja",
        "350.000",
        "Paspor elektronik",
        "Pengaduan lewat SP4N-LAPOR!",
        "Permenkumham 18/2022",
        "Booking antrean",
    ):
        assert text in html, text
    assert "Permohonan daring" not in html

    api = client_a.get(f"/api/v1/mpp/offerings/{service.code}/").json()
    assert api["completion_days"] == 4
    assert [r["is_local"] for r in api["requirements"]] == [False, True]
    assert api["channels"] == ["queue", "walk_in"]


def test_dropped_and_unknown_offerings_are_not_found(client_a, region_a, in_region):
    service = ServiceFactory()
    with in_region(region_a):
        offering_drop(actor=None, offering=offering_adopt(actor=None, service=service))
    assert client_a.get(reverse("mpp:offering", args=[service.code])).status_code == 404
    assert client_a.get("/layanan/tidak-ada/").status_code == 404
    assert service.name not in client_a.get("/layanan/").content.decode()


def test_home_says_why_the_mpp_is_closed(client_a, region_a, in_region):
    with in_region(region_a):
        seed_defaults()
        today = dt.date.today()
        Closure.objects.create(start_date=today, end_date=today, reason="Pemadaman listrik")
    html = client_a.get("/").content.decode()
    assert "Tutup: Pemadaman listrik" in html
    status = client_a.get("/api/v1/mpp/status/").json()
    assert status["is_open"] is False
    assert status["code"] == "closure"


def test_offerings_by_life_event(client_a, region_a, in_region):
    event = LifeEventFactory(name="Kelahiran Anak")
    service = ServiceFactory(name="Akta Kelahiran")
    service.life_events.set([event])
    with in_region(region_a):
        offering_adopt(actor=None, service=service)
        local_service_create(
            actor=None,
            name="Santunan Kelahiran Daerah",
            agency=AgencyFactory(),
            product="Santunan",
            complaint_handling="Kotak saran",
            completion_days=5,
            steps=["Daftar"],
            life_event_ids=[event.pk],
        )
    html = client_a.get("/layanan/?per=peristiwa").content.decode()
    section = html[html.index("Kelahiran Anak") :]
    assert "Akta Kelahiran" in section
    assert "Santunan Kelahiran Daerah" in section
    assert "Kelahiran Anak" in client_a.get("/").content.decode()
