import pytest


@pytest.fixture
def admin_a(make_user, region_a):
    from shared.accounts.models import Role

    return make_user(role=Role.DPMPTSP_ADMIN, region=region_a)


@pytest.fixture
def operator_a(make_user, region_a):
    from shared.accounts.models import Role

    return make_user(role=Role.OPERATOR, region=region_a)


@pytest.fixture
def admin_b(make_user, region_b):
    from shared.accounts.models import Role

    return make_user(role=Role.DPMPTSP_ADMIN, region=region_b)


@pytest.fixture
def operator_b(make_user, region_b):
    from shared.accounts.models import Role

    return make_user(role=Role.OPERATOR, region=region_b)


@pytest.fixture
def catalogue():
    """A small national catalogue: 3 agencies, 6 services (with requirements and steps),
    2 life events."""
    from tests.tenants.mpp.factories import AgencyFactory, LifeEventFactory, ServiceFactory

    agencies = [AgencyFactory() for _ in range(3)]
    events = [LifeEventFactory(), LifeEventFactory()]
    services = []
    for i in range(6):
        service = ServiceFactory(agency=agencies[i % 3])
        service.life_events.set([events[i % 2]])
        services.append(service)
    return {"agencies": agencies, "services": services, "events": events}


@pytest.fixture
def region_objects(in_region, make_user):
    """make(mpp) → ids of one of everything in that region (created through the services)."""
    import datetime as dt

    from shared.accounts.models import Role
    from tenants.mpp.models import Announcement
    from tenants.mpp.services import booths, counters, offerings, staff
    from tests.tenants.mpp.factories import AgencyFactory, ServiceFactory

    def make(mpp):
        actor = make_user(superadmin=True)
        service = ServiceFactory()
        with in_region(mpp):
            booth = booths.booth_create(actor=actor, agency=AgencyFactory(), number="G-1")
            adopted = offerings.offering_adopt(actor=actor, service=service, booth=booth)
            local = offerings.local_service_create(
                actor=actor,
                name="Izin Reklame",
                booth=booth,
                product="Surat izin",
                complaint_handling="Kotak saran",
                completion_days=3,
                steps=["Ajukan", "Ambil"],
            )
            counter = counters.counter_create(
                actor=actor, booth=booth, number="1", ticket_prefix="A", offerings=[adopted]
            )
            closure = booths.closure_create(
                actor=actor, start_date=dt.date(2026, 12, 1), end_date=None, reason="Rapat"
            )
            announcement = Announcement.objects.create(title="Halo", body="Isi")
            member = staff.staff_invite(
                actor=actor, email=f"staf{booth.pk}-{mpp.pk}@test.example", role=Role.OPERATOR
            )
        return {
            "booth": booth.pk,
            "offering": adopted.pk,
            "local": local.pk,
            "counter": counter.pk,
            "closure": closure.pk,
            "announcement": announcement.pk,
            "membership": member.pk,
            "offering_code": adopted.code,
        }

    return make


def login(client, user):
    client.force_login(user)
    return client
