"""Staff: roles, booth scoping (read by the queue and applications apps), audit."""

import pytest
from django.core import mail

from kernel.errors import ConflictError, DomainError
from shared.accounts.models import Membership, Role
from tenants.audit.models import AuditEntry
from tenants.mpp.access import booth_scope
from tenants.mpp.selectors import staff_members
from tenants.mpp.services.booths import booth_create
from tenants.mpp.services.offerings import offering_adopt
from tenants.mpp.services.staff import (
    access_membership,
    staff_deactivate,
    staff_invite,
    staff_reactivate,
    staff_update,
)
from tests.tenants.mpp.factories import AgencyFactory, ServiceFactory


@pytest.fixture
def in_a(region_a, in_region):
    with in_region(region_a):
        yield region_a


def test_booth_scoping(in_a, admin_a, django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    dukcapil = booth_create(actor=admin_a, agency=agency, number="1")
    samsat = booth_create(actor=admin_a, agency=AgencyFactory(), number="2")
    ktp = offering_adopt(actor=admin_a, service=ServiceFactory(agency=agency))
    with django_capture_on_commit_callbacks(execute=True):
        membership = staff_invite(
            actor=admin_a, email="op@example.id", role=Role.OPERATOR, booths=[dukcapil]
        )
    assert len(mail.outbox) == 1
    operator = membership.user
    assert membership.agency_id == agency.pk  # one national agency: recorded on the membership
    assert booth_scope(operator).booth_ids == {dukcapil.pk}
    assert booth_scope(operator).allows(ktp.booth_id)

    staff_update(actor=admin_a, membership=membership, booths=[samsat])
    membership.refresh_from_db()
    assert booth_scope(operator).booth_ids == {samsat.pk}
    assert not booth_scope(operator).allows(ktp.booth_id)

    # Admins are never booth-scoped.
    staff_update(actor=admin_a, membership=membership, role=Role.DPMPTSP_ADMIN)
    membership.refresh_from_db()
    operator.__dict__.pop("_membership_cache", None)
    assert booth_scope(operator).region_wide
    assert membership.agency_id is None

    actions = list(
        AuditEntry.objects.filter(action__startswith="mpp.staff.").values_list("action", flat=True)
    )
    assert actions.count("mpp.staff.updated") == 2
    assert "mpp.staff.invited" in actions
    listed = {m.membership.pk: m for m in staff_members()}
    assert listed[membership.pk].booths == ()


def test_existing_account_gets_a_notice_not_a_new_password(
    in_a, admin_a, make_user, django_capture_on_commit_callbacks
):
    citizen = make_user(email="warga.lama@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        membership = staff_invite(
            actor=admin_a, email="WARGA.lama@example.id", role=Role.SUPERVISOR
        )
    assert membership.user == citizen
    assert citizen.has_usable_password()
    assert "/akun/atur-sandi/" not in mail.outbox[0].body
    assert "/akun/masuk/" in mail.outbox[0].body
    with pytest.raises(ConflictError):
        staff_invite(actor=admin_a, email="warga.lama@example.id", role=Role.OPERATOR)


def test_deactivate_and_reinvite(in_a, admin_a, make_user):
    membership = staff_invite(actor=admin_a, email="x@example.id", role=Role.OPERATOR)
    staff_deactivate(actor=admin_a, membership=membership)
    assert not Membership.objects.get(pk=membership.pk).is_active
    again = staff_invite(actor=admin_a, email="x@example.id", role=Role.SUPERVISOR)
    assert again.pk == membership.pk
    assert again.is_active
    assert again.role == Role.SUPERVISOR
    staff_deactivate(actor=admin_a, membership=again)
    staff_reactivate(actor=admin_a, membership=again)
    assert Membership.objects.get(pk=again.pk).is_active


def test_admins_cannot_lock_themselves_out(in_a, admin_a):
    own = Membership.objects.get(user=admin_a)
    with pytest.raises(DomainError):
        staff_deactivate(actor=admin_a, membership=own)
    with pytest.raises(DomainError):
        staff_update(actor=admin_a, membership=own, role=Role.OPERATOR)


def test_another_regions_membership_is_not_found(in_a, make_user, region_b):
    from kernel.errors import NotFoundError

    other = make_user(role=Role.OPERATOR, region=region_b)
    with pytest.raises(NotFoundError):
        access_membership(membership_id=Membership.objects.get(user=other).pk)
    with pytest.raises(NotFoundError):
        access_membership(membership_id="abc")
