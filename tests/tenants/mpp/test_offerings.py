"""Offerings: adopt, overrides vs national changes, local services, the availability index."""

import datetime as dt
from decimal import Decimal

import pytest

from kernel.errors import ConflictError, DomainError
from shared.catalogue.models import Agency, ServiceAvailability
from tenants.audit.models import AuditEntry
from tenants.mpp.models import Offering, OpeningHours, Weekday
from tenants.mpp.seeding import seed_offerings
from tenants.mpp.selectors import (
    offering_effective_standard,
    offering_national_changes,
    offering_open_intervals,
    offerings_for_standard,
    offerings_with_pending_changes,
)
from tenants.mpp.services.booths import booth_create, closure_create, hours_set
from tenants.mpp.services.offerings import (
    local_service_create,
    local_service_update,
    offering_acknowledge,
    offering_adopt,
    offering_drop,
    offering_update_overrides,
)
from tests.tenants.mpp.factories import (
    AgencyFactory,
    DocumentTypeFactory,
    LifeEventFactory,
    ServiceFactory,
    national_change,
)


def standard_of(offering):
    loaded = offerings_for_standard(Offering.objects.filter(pk=offering.pk)).get()
    return offering_effective_standard(loaded)


@pytest.fixture
def in_a(region_a, in_region):
    with in_region(region_a):
        yield region_a


def test_adopted_offering_reads_the_national_standard(in_a, admin_a):
    service = ServiceFactory(fee_amount=Decimal(30000), completion_days=5)
    offering = offering_adopt(actor=admin_a, service=service)
    standard = standard_of(offering)
    assert standard.name == service.name
    assert standard.fee_amount == Decimal(30000)
    assert standard.completion_days == 5
    assert standard.steps == ("Datang ke gerai", "Ambil hasil")
    assert len(standard.requirements) == 1
    assert standard.overridden == frozenset()
    assert standard.channels == ("online", "queue", "walk_in")
    assert offering.acknowledged_version == service.version
    entry = AuditEntry.objects.get(action="mpp.offering.adopted")
    assert entry.actor_id == admin_a.pk
    assert entry.target_id == str(offering.pk)


def test_override_survives_national_change_and_the_rest_follows(in_a, admin_a):
    service = ServiceFactory(fee_amount=Decimal(0), completion_days=3, product="KTP-el")
    offering = offering_adopt(actor=admin_a, service=service)
    doc = DocumentTypeFactory()
    offering_update_overrides(
        actor=admin_a,
        offering=offering,
        fee_amount=15000,
        fee_basis="Perda Retribusi 2/2026",
        channels=["walk_in"],
        requirements=[{"document_type": doc, "text": "asli dan fotokopi"}],
    )

    national_change(
        service,
        fee_amount=Decimal(20000),
        fee_basis="PP PNBP",
        completion_days=1,
        product="KTP-el (cetak langsung)",
        channels=["online", "walk_in"],
        complaint_handling="LAPOR! dan WhatsApp",
    )

    offering.refresh_from_db()
    standard = standard_of(offering)
    # Overridden locally: kept.
    assert standard.fee_amount == Decimal(15000)
    assert standard.fee_basis == "Perda Retribusi 2/2026"
    assert standard.channels == ("walk_in",)
    # Not overridden: follows the national change.
    assert standard.completion_days == 1
    assert standard.product == "KTP-el (cetak langsung)"
    assert standard.complaint_handling == "LAPOR! dan WhatsApp"
    assert standard.national_version == 2
    # National requirements plus the region's own addition.
    assert [r.is_local for r in standard.requirements] == [False, True]
    assert standard.requirements[1].document_type_code == doc.code

    # The admin sees what changed since the acknowledged version, and what is masked here.
    changes = offering_national_changes(offering)
    assert [c.number for c in changes] == [2]
    assert "completion_days" in changes[0].changed_fields
    assert set(changes[0].overridden_here) == {"fee_amount", "fee_basis", "channels"}
    assert list(offerings_with_pending_changes()) == [offering]

    offering_acknowledge(actor=admin_a, offering=offering)
    offering.refresh_from_db()
    assert offering.acknowledged_version == 2
    assert offering_national_changes(offering) == []
    assert list(offerings_with_pending_changes()) == []

    # Removing an override brings the national value back.
    offering_update_overrides(actor=admin_a, offering=offering, fee_amount=None, fee_basis=None)
    assert standard_of(offering).fee_amount == Decimal(20000)


def test_channels_override_must_stay_within_the_national_channels(in_a, admin_a):
    offering = offering_adopt(actor=admin_a, service=ServiceFactory(channels=["walk_in"]))
    with pytest.raises(DomainError) as exc:
        offering_update_overrides(actor=admin_a, offering=offering, channels=["online"])
    assert "channels" in exc.value.extra["errors"]
    with pytest.raises(DomainError):
        offering_update_overrides(actor=admin_a, offering=offering, channels=[])


def test_fee_kind_rules(in_a, admin_a):
    offering = offering_adopt(actor=admin_a, service=ServiceFactory(fee_amount=Decimal(50000)))
    offering_update_overrides(actor=admin_a, offering=offering, fee_kind="free")
    standard = standard_of(offering)
    assert standard.fee_kind == "free"
    assert standard.fee_amount == 0
    with pytest.raises(DomainError):
        offering_update_overrides(actor=admin_a, offering=offering, fee_kind="fixed", fee_amount=0)
    with pytest.raises(DomainError):
        offering_update_overrides(actor=admin_a, offering=offering, fee_amount=-5)
    with pytest.raises(DomainError):
        offering_update_overrides(actor=admin_a, offering=offering, quota_online="banyak")


def test_adopt_twice_conflicts_and_inactive_services_are_refused(in_a, admin_a):
    service = ServiceFactory()
    offering_adopt(actor=admin_a, service=service)
    with pytest.raises(ConflictError):
        offering_adopt(actor=admin_a, service=service)
    with pytest.raises(DomainError):
        offering_adopt(actor=admin_a, service=ServiceFactory(is_active=False))


def test_drop_and_readopt_keep_the_overrides(in_a, admin_a):
    service = ServiceFactory()
    offering = offering_adopt(actor=admin_a, service=service)
    offering_update_overrides(actor=admin_a, offering=offering, quota_queue=40)
    offering_drop(actor=admin_a, offering=offering)
    offering.refresh_from_db()
    assert not offering.is_active
    with pytest.raises(DomainError):
        offering_update_overrides(actor=admin_a, offering=offering, quota_queue=10)
    again = offering_adopt(actor=admin_a, service=service)
    assert again.pk == offering.pk
    assert again.is_active
    assert again.quota_queue == 40


def test_adopt_puts_the_offering_at_its_agency_booth(in_a, admin_a):
    agency = AgencyFactory()
    booth = booth_create(actor=admin_a, agency=agency, number="3")
    offering = offering_adopt(actor=admin_a, service=ServiceFactory(agency=agency))
    assert offering.booth == booth


def test_local_service_has_the_six_components(in_a, admin_a):
    event = LifeEventFactory()
    doc = DocumentTypeFactory()
    offering = local_service_create(
        actor=admin_a,
        name="Izin Pemakaian Gedung Kesenian",
        local_agency=None,
        agency=AgencyFactory(),
        summary="Sewa gedung untuk acara.",
        requirements=[{"document_type": doc.code}, {"text": "Surat permohonan"}],
        steps=["Isi formulir", "Bayar retribusi", "Terima izin"],
        completion_days=2,
        fee_kind="fixed",
        fee_amount=250000,
        fee_basis="Perda 5/2024",
        product="Surat izin pemakaian",
        complaint_handling="SP4N-LAPOR!",
        legal_basis="Perda 5/2024",
        channels=["walk_in", "online"],
        life_event_ids=[event.pk],
    )
    assert offering.code.startswith("lokal-izin-pemakaian")
    standard = standard_of(offering)
    assert standard.is_local
    assert [r.label for r in standard.requirements] == [doc.name, "Surat permohonan"]
    assert standard.steps == ("Isi formulir", "Bayar retribusi", "Terima izin")
    assert standard.completion_days == 2
    assert standard.fee_amount == Decimal(250000)
    assert standard.product == "Surat izin pemakaian"
    assert standard.complaint_handling == "SP4N-LAPOR!"
    assert standard.channels == ("online", "walk_in")

    local_service_update(actor=admin_a, offering=offering, completion_days=4)
    assert standard_of(offering).completion_days == 4


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("product", {"product": ""}),
        ("steps", {"steps": ["  "]}),
        ("completion_days", {"completion_days": None}),
        ("agency", {"agency": None}),
        ("channels", {"channels": ["fax"]}),
        ("fee_amount", {"fee_kind": "free", "fee_amount": 1000}),
    ],
)
def test_local_service_bad_input_names_the_field(in_a, admin_a, field, kwargs):
    data = {
        "name": "Layanan Lokal",
        "agency": AgencyFactory(),
        "product": "Surat",
        "complaint_handling": "Kotak saran",
        "completion_days": 1,
        "steps": ["Datang"],
        **kwargs,
    }
    with pytest.raises(DomainError) as exc:
        local_service_create(actor=admin_a, **data)
    assert field in exc.value.extra["errors"]
    assert not Offering.objects.filter(name="Layanan Lokal").exists()


def index_of(region):
    return {
        row.service_id: (row.offering_id, row.channels)
        for row in ServiceAvailability.objects.filter(region=region.region)
    }


def test_availability_index_matches_after_adopt_change_and_drop(
    region_a, region_b, in_region, admin_a, django_capture_on_commit_callbacks
):
    one, two = ServiceFactory(), ServiceFactory(channels=["queue", "walk_in"])
    with django_capture_on_commit_callbacks(execute=True), in_region(region_a):
        first = offering_adopt(actor=admin_a, service=one)
        second = offering_adopt(actor=admin_a, service=two)
        local_service_create(
            actor=admin_a,
            name="Hanya Lokal",
            agency=AgencyFactory(),
            product="Surat",
            complaint_handling="Kotak saran",
            completion_days=1,
            steps=["Datang"],
        )
    assert index_of(region_a) == {
        one.pk: (first.pk, ["online", "queue", "walk_in"]),
        two.pk: (second.pk, ["queue", "walk_in"]),
    }

    with django_capture_on_commit_callbacks(execute=True), in_region(region_a):
        offering_update_overrides(actor=admin_a, offering=first, channels=["walk_in"])
    assert index_of(region_a)[one.pk] == (first.pk, ["walk_in"])

    with django_capture_on_commit_callbacks(execute=True), in_region(region_a):
        offering_drop(actor=admin_a, offering=second)
    assert index_of(region_a) == {one.pk: (first.pk, ["walk_in"])}

    # Another region's index is untouched, and nothing is written for rolled-back work.
    assert index_of(region_b) == {}


def test_availability_index_is_written_only_on_commit(region_a, in_region, admin_a):
    service = ServiceFactory()
    with in_region(region_a):
        offering_adopt(actor=admin_a, service=service)
    # The test transaction never commits: the callback never ran.
    assert not ServiceAvailability.objects.filter(service=service).exists()


def test_seed_offerings_adopts_the_starter_set_once(
    region_a, in_region, django_capture_on_commit_callbacks
):
    office = AgencyFactory(kind=Agency.Kind.REGIONAL_OFFICE)
    ministry = AgencyFactory(kind=Agency.Kind.MINISTRY)
    ktp, kk = ServiceFactory(agency=office), ServiceFactory(agency=office)
    ServiceFactory(agency=ministry)
    ServiceFactory(agency=office, is_active=False)
    with django_capture_on_commit_callbacks(execute=True), in_region(region_a):
        assert seed_offerings() == 2
        assert seed_offerings() == 0
        assert set(Offering.objects.values_list("service_id", flat=True)) == {ktp.pk, kk.pk}
        offering_drop(actor=None, offering=Offering.objects.get(service=kk))
        assert seed_offerings() == 0  # a service the admin dropped stays dropped
        assert OpeningHours.objects.filter(booth=None, offering=None).exists()
    assert set(index_of(region_a)) == {ktp.pk}


def test_seed_offerings_prefers_the_civil_registry_and_licensing_office(region_a, in_region):
    dukcapil = Agency.objects.filter(code="dukcapil").first() or AgencyFactory(
        code="dukcapil", kind=Agency.Kind.REGIONAL_OFFICE
    )
    other_office = AgencyFactory(kind=Agency.Kind.REGIONAL_OFFICE)
    ktp = ServiceFactory(agency=dukcapil)
    ServiceFactory(agency=other_office)
    with in_region(region_a):
        seed_offerings()
        offered = set(Offering.objects.values_list("service_id", flat=True))
    assert ktp.pk in offered
    with in_region(region_a):
        assert not Offering.objects.filter(service__agency=other_office).exists()


def test_offering_open_intervals(in_a, admin_a):
    agency = AgencyFactory()
    booth = booth_create(actor=admin_a, agency=agency, number="7")
    offering = offering_adopt(actor=admin_a, service=ServiceFactory(agency=agency))
    monday = dt.date(2026, 11, 23)
    hours_set(actor=admin_a, hours={Weekday.MONDAY: [(dt.time(8), dt.time(15))]})
    assert offering_open_intervals(offering, monday) == [(dt.time(8), dt.time(15))]
    hours_set(actor=admin_a, offering=offering, hours={Weekday.MONDAY: [(dt.time(8), dt.time(12))]})
    assert offering_open_intervals(offering, monday) == [(dt.time(8), dt.time(12))]
    closure_create(actor=admin_a, start_date=monday, end_date=None, reason="Server", booth=booth)
    assert offering_open_intervals(offering, monday) == []
    assert offering_open_intervals(offering, dt.date(2026, 8, 17)) == []  # national holiday


def test_resync_task_repairs_the_index_after_a_national_channel_change(
    region_a, in_region, admin_a, django_capture_on_commit_callbacks
):
    from tenants.mpp.tasks import availability_resync

    service = ServiceFactory(channels=["online", "walk_in"])
    with django_capture_on_commit_callbacks(execute=True), in_region(region_a):
        offering = offering_adopt(actor=admin_a, service=service)
    national_change(service, channels=["walk_in"])
    assert index_of(region_a)[service.pk] == (offering.pk, ["online", "walk_in"])
    with in_region(region_a):
        assert availability_resync.run(schema_name=region_a.schema_name) == 1
    assert index_of(region_a)[service.pk] == (offering.pk, ["walk_in"])
