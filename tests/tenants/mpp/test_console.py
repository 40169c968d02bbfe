"""The admin console, the way a DPMPTSP admin uses it (Django test client on the region host)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from shared.accounts.models import Membership, Role, User
from shared.catalogue.models import ServiceAvailability
from tenants.audit.models import AuditEntry
from tenants.mpp.models import (
    Announcement,
    Booth,
    Closure,
    Counter,
    GeneralInfo,
    Offering,
    OpeningHours,
    StaffAssignment,
)
from tests.tenants.mpp.conftest import login
from tests.tenants.mpp.factories import AgencyFactory, ServiceFactory
from tests.tenants.mpp.helpers import form_errors


@pytest.fixture
def admin_client(client_a, admin_a):
    return login(client_a, admin_a)


def hours_post(prefix="hours", follow=False, **days):
    """days: d0=("08:00", "15:00") …"""
    data = {}
    if follow:
        data[f"{prefix}-follow"] = "on"
    for day, (opens, closes) in days.items():
        data[f"{prefix}-{day}_open1"] = opens
        data[f"{prefix}-{day}_close1"] = closes
    return data


def test_booth_with_hours_and_a_closure(admin_client, region_a, in_region):
    agency = AgencyFactory(name="Kantor Imigrasi Banyuwangi")
    response = admin_client.post(
        reverse("mpp_admin:booth_create"),
        {
            "booth-agency": agency.pk,
            "booth-number": "A-01",
            "booth-location": "Lantai 1",
            "booth-is_active": "on",
            **hours_post(d0=("08:00", "12:00"), d2=("09:00", "14:00")),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with in_region(region_a):
        booth = Booth.objects.get(number="A-01")
        hours = list(OpeningHours.objects.filter(booth=booth).values_list("weekday", flat=True))
    assert sorted(hours) == [0, 2]
    edit = admin_client.get(response.url)
    assert b"A-01" in edit.content

    response = admin_client.post(
        reverse("mpp_admin:closure_create"),
        {
            "start_date": "2026-12-02",
            "end_date": "2026-12-03",
            "reason": "Perbaikan",
            "booth": booth.pk,
        },
    )
    assert response.status_code == 302
    with in_region(region_a):
        closure = Closure.objects.get(booth=booth)
    assert closure.reason == "Perbaikan"
    admin_client.post(reverse("mpp_admin:closure_delete", args=[closure.pk]))
    with in_region(region_a):
        assert not Closure.objects.exists()


def test_booth_form_errors_are_shown_and_nothing_is_saved(admin_client, region_a, in_region):
    response = admin_client.post(
        reverse("mpp_admin:booth_create"),
        {"booth-number": "", **hours_post(d0=("15:00", "08:00"))},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Pilih tepat satu" in body
    assert "jam buka harus sebelum jam tutup" in body
    with in_region(region_a):
        assert not Booth.objects.exists()


def test_duplicate_booth_number_is_a_form_error(admin_client, region_a, in_region):
    agency = AgencyFactory()
    data = {"booth-agency": agency.pk, "booth-number": "B1", **hours_post(follow=True)}
    assert admin_client.post(reverse("mpp_admin:booth_create"), data).status_code == 302
    response = admin_client.post(reverse("mpp_admin:booth_create"), data)
    assert response.status_code == 400
    assert "sudah dipakai" in response.content.decode()


def test_booth_with_a_new_local_agency(admin_client, region_a, in_region):
    response = admin_client.post(
        reverse("mpp_admin:booth_create"),
        {"booth-new_local_agency": "UPT Pasar Daerah", "booth-number": "L1", "hours-follow": "on"},
    )
    assert response.status_code == 302
    with in_region(region_a):
        assert Booth.objects.get(number="L1").display_name == "UPT Pasar Daerah"


def test_mpp_hours_form(admin_client, region_a, in_region):
    response = admin_client.post(
        reverse("mpp_admin:hours"),
        hours_post(d0=("07:30", "16:00"), d5=("08:00", "12:00")),
    )
    assert response.status_code == 302
    with in_region(region_a):
        rows = OpeningHours.objects.filter(booth=None, offering=None)
        assert {(r.weekday, r.opens_at) for r in rows} == {(0, dt.time(7, 30)), (5, dt.time(8))}
    page = admin_client.get(reverse("mpp_admin:hours")).content.decode()
    assert "Kelahiran Yesus Kristus" in page  # national days off are pre-filled


def test_adopt_ten_services_from_the_console(
    admin_client, region_a, in_region, django_capture_on_commit_callbacks
):
    services = [ServiceFactory(name=f"Layanan Demo {i}") for i in range(12)]
    search = admin_client.get(reverse("mpp_admin:adopt"), {"q": "demo"})
    assert search.status_code == 200
    assert search.content.decode().count('name="service"') == 12
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("mpp_admin:adopt") + "?q=demo", {"service": [s.pk for s in services[:10]]}
        )
    assert response.status_code == 302
    with in_region(region_a):
        assert Offering.objects.active().count() == 10
    assert ServiceAvailability.objects.filter(region=region_a.region).count() == 10
    listing = admin_client.get(reverse("mpp_admin:offerings")).content.decode()
    assert "Layanan Demo 9" in listing
    # The public site shows them too.
    public = admin_client.get(reverse("mpp:offerings")).content.decode()
    assert "Layanan Demo 0" in public


def test_adopt_without_a_choice_is_refused(admin_client):
    response = admin_client.post(reverse("mpp_admin:adopt"), {})
    assert response.status_code == 400
    assert "Pilih sedikitnya satu layanan" in response.content.decode()


def test_override_form(admin_client, region_a, in_region):
    from tenants.mpp.services.offerings import offering_adopt

    service = ServiceFactory(channels=["online", "walk_in"])
    with in_region(region_a):
        offering = offering_adopt(actor=None, service=service)
    url = reverse("mpp_admin:offering_edit", args=[offering.pk])
    data = {
        "o-fee_kind": "fixed",
        "o-fee_amount": "10000",
        "o-fee_basis": "Perda",
        "o-channels": ["walk_in"],
        "o-quota_queue": "25",
        "req-TOTAL_FORMS": "2",
        "req-INITIAL_FORMS": "0",
        "req-0-text": "Surat pengantar kelurahan",
        "req-0-is_mandatory": "on",
        "req-1-text": "",
        **hours_post(follow=True),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    with in_region(region_a):
        offering.refresh_from_db()
        assert offering.fee_amount == 10000
        assert offering.channels == ["walk_in"]
        assert offering.quota_queue == 25
        assert [r.text for r in offering.requirements.all()] == ["Surat pengantar kelurahan"]
    page = admin_client.get(url).content.decode()
    assert "tambahan daerah" in page

    # Free with an amount: refused next to the field, nothing changes.
    response = admin_client.post(url, {**data, "o-fee_kind": "free", "o-fee_amount": "5000"})
    assert response.status_code == 400
    assert "gratis tidak boleh memiliki biaya" in response.content.decode()
    with in_region(region_a):
        offering.refresh_from_db()
        assert offering.fee_kind == "fixed"

    # No channel at all: a form error.
    response = admin_client.post(url, {**data, "o-channels": []})
    assert response.status_code == 400


def test_drop_acknowledge_and_readopt_from_the_console(admin_client, region_a, in_region):
    from tenants.mpp.services.offerings import offering_adopt
    from tests.tenants.mpp.factories import national_change

    service = ServiceFactory()
    with in_region(region_a):
        offering = offering_adopt(actor=None, service=service)
    national_change(service, completion_days=9)
    page = admin_client.get(reverse("mpp_admin:offering_edit", args=[offering.pk])).content
    assert b"completion_days" in page
    admin_client.post(reverse("mpp_admin:offering_acknowledge", args=[offering.pk]))
    admin_client.post(reverse("mpp_admin:offering_drop", args=[offering.pk]))
    with in_region(region_a):
        offering.refresh_from_db()
        assert offering.acknowledged_version == 2
        assert not offering.is_active
    admin_client.post(reverse("mpp_admin:offering_readopt", args=[offering.pk]))
    with in_region(region_a):
        offering.refresh_from_db()
        assert offering.is_active


def test_local_service_form(admin_client, region_a, in_region):
    agency = AgencyFactory()
    data = {
        "l-name": "Surat Keterangan Domisili Usaha",
        "l-agency": agency.pk,
        "l-steps": "Ajukan permohonan\nVerifikasi\nTerbit",
        "l-completion_days": "2",
        "l-fee_kind": "free",
        "l-product": "Surat keterangan",
        "l-complaint_handling": "SP4N-LAPOR!",
        "l-channels": ["walk_in", "online"],
        "l-is_active": "on",
        "req-TOTAL_FORMS": "2",
        "req-INITIAL_FORMS": "0",
        "req-0-text": "KTP-el pemohon",
        "req-0-is_mandatory": "on",
    }
    response = admin_client.post(reverse("mpp_admin:local_create"), data)
    assert response.status_code == 302, form_errors(response)
    with in_region(region_a):
        offering = Offering.objects.get(name="Surat Keterangan Domisili Usaha")
        assert [s.text for s in offering.steps.all()] == [
            "Ajukan permohonan",
            "Verifikasi",
            "Terbit",
        ]
    public = admin_client.get(reverse("mpp:offering", args=[offering.code])).content.decode()
    assert "KTP-el pemohon" in public
    assert "Verifikasi" in public

    missing = {**data, "l-product": "", "l-steps": ""}
    response = admin_client.post(reverse("mpp_admin:local_create"), missing)
    assert response.status_code == 400
    assert "wajib" in response.content.decode().lower()


def test_counter_form(admin_client, region_a, in_region):
    from tenants.mpp.services.booths import booth_create

    with in_region(region_a):
        booth = booth_create(actor=None, agency=AgencyFactory(), number="C")
    response = admin_client.post(
        reverse("mpp_admin:counter_create"),
        {"booth": booth.pk, "number": "1", "ticket_prefix": "b", "is_active": "on"},
    )
    assert response.status_code == 302
    with in_region(region_a):
        assert Counter.objects.get(number="1").ticket_prefix == "B"
    bad = admin_client.post(
        reverse("mpp_admin:counter_create"),
        {"booth": booth.pk, "number": "2", "ticket_prefix": "7"},
    )
    assert bad.status_code == 400
    assert "A–Z" in bad.content.decode()


def test_staff_invitation_sends_a_set_password_link(
    admin_client, region_a, in_region, django_capture_on_commit_callbacks
):
    from tenants.mpp.services.booths import booth_create

    with in_region(region_a):
        booth = booth_create(actor=None, agency=AgencyFactory(), number="S1")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("mpp_admin:staff_invite"),
            {
                "email": "Operator.Baru@Example.id",
                "full_name": "Operator Baru",
                "role": Role.OPERATOR,
                "booths": [booth.pk],
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="operator.baru@example.id")
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user, region=region_a.region)
    assert membership.role == Role.OPERATOR
    with in_region(region_a):
        assert StaffAssignment.objects.filter(user_id=user.pk, booth=booth).exists()
        assert AuditEntry.objects.filter(action="mpp.staff.invited").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["operator.baru@example.id"]
    assert f"{region_a.region.slug}.mpp.localhost" in message.body
    assert "/akun/atur-sandi/" in message.body

    # The link works: it opens the set-password page.
    link = next(line for line in message.body.splitlines() if "/akun/atur-sandi/" in line)
    path = link.split("mpp.localhost", 1)[1].split(":", 1)[-1]
    path = path[path.index("/") :]
    page = admin_client.get(path, follow=True)
    assert page.status_code == 200
    assert page.context["validlink"] is True  # the invalid-link page also answers 200
    assert "Atur kata sandi baru" in page.content.decode()
    assert 'name="new_password1"' in page.content.decode()
    # and setting the password through it works: the new operator can sign in
    done = admin_client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path,
        {"new_password1": "Kopi-Tubruk-2026!", "new_password2": "Kopi-Tubruk-2026!"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Kopi-Tubruk-2026!")

    # Inviting the same person again is a clear error.
    again = admin_client.post(
        reverse("mpp_admin:staff_invite"),
        {"email": "operator.baru@example.id", "role": Role.OPERATOR},
    )
    assert again.status_code == 400
    assert "sudah menjadi staf" in again.content.decode()


def test_staff_deactivate_and_self_protection(admin_client, admin_a, region_a, make_user):
    operator = make_user(role=Role.OPERATOR, region=region_a)
    membership = Membership.objects.get(user=operator, region=region_a.region)
    admin_client.post(reverse("mpp_admin:staff_deactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert not membership.is_active
    own = Membership.objects.get(user=admin_a, region=region_a.region)
    response = admin_client.post(reverse("mpp_admin:staff_deactivate", args=[own.pk]), follow=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in response.content.decode()
    own.refresh_from_db()
    assert own.is_active
    # The deactivated operator is refused like an outsider.
    from django.test import Client

    from tests.conftest import host_of

    outsider = login(Client(HTTP_HOST=host_of(region_a)), operator)
    assert outsider.get(reverse("mpp_admin:dashboard")).status_code == 404


def test_general_information_and_announcements(admin_client, region_a, in_region, client_a):
    response = admin_client.post(
        reverse("mpp_admin:info"),
        {
            "address": "Jl. Ahmad Yani No. 1, Banyuwangi",
            "latitude": "-8.2192",
            "longitude": "114.3691",
            "phone": "0333-123456",
            "email": "mpp@banyuwangikab.go.id",
            "facilities": ["nursing_room", "accessible_entrance"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bad = admin_client.post(reverse("mpp_admin:info"), {"latitude": "-8.2"})
    assert bad.status_code == 400
    assert "lintang dan bujur" in bad.content.decode()
    with in_region(region_a):
        assert GeneralInfo.objects.get().facilities == ["nursing_room", "accessible_entrance"]

    response = admin_client.post(
        reverse("mpp_admin:announcement_create"),
        {"title": "Layanan paspor pindah lantai", "body": "Mulai Senin di lantai 2."},
    )
    assert response.status_code == 302
    later = admin_client.post(
        reverse("mpp_admin:announcement_create"),
        {"title": "Belum tayang", "body": "Nanti.", "publish_from": "2030-01-01T08:00"},
    )
    assert later.status_code == 302
    bad_window = admin_client.post(
        reverse("mpp_admin:announcement_create"),
        {
            "title": "Salah",
            "body": "x",
            "publish_from": "2030-01-02T08:00",
            "publish_until": "2030-01-01T08:00",
        },
    )
    assert bad_window.status_code == 400
    with in_region(region_a):
        assert Announcement.objects.count() == 2

    home = client_a.get(reverse("mpp:home")).content.decode()
    assert "Layanan paspor pindah lantai" in home
    assert "Belum tayang" not in home
    assert "Ruang laktasi" in home
    assert "Jl. Ahmad Yani" in home


def test_bad_closure_is_shown_on_the_hours_page(admin_client, region_a, in_region):
    response = admin_client.post(
        reverse("mpp_admin:closure_create"),
        {"start_date": "2026-12-05", "end_date": "2026-12-01", "reason": "Banjir"},
    )
    assert response.status_code == 400
    assert "tidak boleh sebelum tanggal mulai" in response.content.decode()
    response = admin_client.post(reverse("mpp_admin:closure_create"), {"start_date": "kemarin"})
    assert response.status_code == 400
    with in_region(region_a):
        assert not Closure.objects.exists()
    response = admin_client.post(
        reverse("mpp_admin:closure_create"), {"start_date": "2026-12-05", "reason": "Banjir"}
    )
    assert response.status_code == 302
    assert "Banjir" in admin_client.get(reverse("mpp_admin:hours")).content.decode()
