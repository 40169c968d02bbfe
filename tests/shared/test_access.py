"""The access gates: one audience per view, overriding the gate fails at import, suspended
regions refuse their staff and kiosks everywhere, booth scope fails closed, and memberships are
written by two services only."""

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.views import View
from rest_framework.views import APIView

from kernel.routing import clear_routing_cache
from shared.access.api import CitizenAPI, PublicAPI, RegionStaffAPI
from shared.access.gate import GateOverride
from shared.access.pages import PublicPageMixin, RegionStaffRequiredMixin
from shared.access.policy import Audience, Host, Rule
from shared.accounts.models import Membership, Role
from shared.accounts.services import membership_grant, membership_revoke
from shared.audit.models import AuditEntry as NationalAuditEntry
from shared.regions.models import Mpp

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def superadmin(make_user):
    return make_user(superadmin=True)


# --- the gate cannot be bypassed -----------------------------------------------------------------


def test_redefining_the_api_gate_fails_at_import():
    with pytest.raises(GateOverride, match="permission_classes"):

        class Sneaky(RegionStaffAPI, APIView):
            permission_classes = []

    with pytest.raises(GateOverride, match="initial"):

        class Early(RegionStaffAPI, APIView):
            def initial(self, request, *args, **kwargs):
                return None

    with pytest.raises(GateOverride, match="dangerously_skip_membership_check"):

        class OldOptOut(RegionStaffAPI, APIView):
            dangerously_skip_membership_check = True


def test_a_base_listed_before_the_gate_fails_at_import():
    with pytest.raises(GateOverride, match="before the audience"):

        class Shadowed(APIView, PublicAPI):
            pass

    with pytest.raises(GateOverride, match="before the audience"):

        class ShadowedPage(View, PublicPageMixin):
            pass


def test_a_view_belongs_to_exactly_one_audience():
    with pytest.raises(GateOverride, match="more than one audience"):

        class Both(CitizenAPI, PublicAPI, APIView):
            pass


def test_an_exception_must_say_why():
    with pytest.raises(GateOverride, match="saying why"):

        class Quiet(PublicAPI, APIView):
            dangerously_whatever = ""

    class Loud(PublicAPI, APIView):
        dangerously_whatever = "a reason a reviewer can judge"

    assert Loud.access_rule.audience is Audience.PUBLIC


def test_staff_and_superadmin_views_stay_on_their_host():
    with pytest.raises(ValueError, match="not served on host"):
        Rule(audience=Audience.REGION_STAFF, host=Host.ANY)
    with pytest.raises(ValueError, match="not served on host"):
        Rule(audience=Audience.SUPERADMIN, host=Host.REGION)


def test_a_page_may_override_dispatch_and_the_gate_still_runs_first(rf, region_a):
    ran = []

    class Page(RegionStaffRequiredMixin, View):
        def dispatch(self, request, *args, **kwargs):
            ran.append(True)
            return HttpResponse("secret")

    request = rf.get("/x/")
    request.region, request.tenant = region_a.region, region_a
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = Page.as_view()(request)
    assert response.status_code == 302  # to sign in
    assert ran == []


# --- suspended regions: staff and kiosks refused everywhere --------------------------------------


@pytest.fixture
def suspended_a(region_a):
    Mpp.objects.filter(pk=region_a.pk).update(status=Mpp.Status.SUSPENDED)
    clear_routing_cache()
    return region_a


def test_a_suspended_regions_kiosk_is_refused_on_pages_and_api(
    make_user, region_a, client_a, in_region
):
    from tenants.queue.services.kiosk import COOKIE_NAME, kiosk_device_create

    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    operator = make_user(role=Role.OPERATOR, region=region_a)
    with in_region(region_a):
        _device, token = kiosk_device_create(actor=admin, name="Kiosk lobi")
    client_a.cookies[COOKIE_NAME] = token
    assert client_a.get("/antrean/kiosk/").status_code == 200  # live: the kiosk works
    Mpp.objects.filter(pk=region_a.pk).update(status=Mpp.Status.SUSPENDED)
    clear_routing_cache()

    assert client_a.get("/antrean/kiosk/").status_code == 403
    api = client_a.post(
        "/api/v1/queue/kiosk/walk-in/",
        {"offering": 1},
        content_type="application/json",
        HTTP_X_KIOSK_TOKEN=token,
    )
    assert api.status_code == 403
    assert "ditangguhkan" in api.json()["detail"]
    # Its staff may not stand in for the kiosk either.
    del client_a.cookies[COOKIE_NAME]
    client_a.force_login(operator)
    assert client_a.get("/antrean/kiosk/").status_code == 403
    assert "ditangguhkan" in client_a.get("/antrean/kiosk/").content.decode()
    assert client_a.get("/antrean/loket/").status_code == 403
    assert client_a.get("/petugas/permohonan/").status_code == 403
    assert client_a.get("/api/v1/staff/applications/").status_code == 403
    # Citizens and the public keep the site (with the notice).
    client_a.logout()
    assert client_a.get("/").status_code == 200
    assert client_a.get("/antrean/layar/").status_code == 200


# --- booth scope: an operator without a booth sees nothing ---------------------------------------


def test_booth_scope_fails_closed_for_operators_and_is_region_wide_for_supervisors(
    make_user, region_a, in_region
):
    from tenants.mpp.access import booth_scope
    from tenants.mpp.models import Booth, StaffAssignment
    from tenants.mpp.services.booths import booth_create
    from tests.tenants.mpp.factories import AgencyFactory

    operator = make_user(role=Role.OPERATOR, region=region_a)
    supervisor = make_user(role=Role.SUPERVISOR, region=region_a)
    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a)
    stranger = make_user()
    with in_region(region_a):
        booth = booth_create(actor=admin, agency=AgencyFactory(), number="77")
        scope = booth_scope(operator)
        assert not scope.region_wide
        assert scope.booth_ids == frozenset()
        assert not scope.allows(booth.pk)
        assert not scope.filter(Booth.objects.all(), "pk").exists()
        StaffAssignment.objects.create(user_id=operator.pk, booth_id=booth.pk)
        assert booth_scope(operator).allows(booth.pk)
        assert booth_scope(supervisor).region_wide
        assert booth_scope(admin).region_wide
        assert not booth_scope(stranger).allows(booth.pk)


def test_an_operator_without_a_booth_gets_an_empty_worklist(make_user, region_a, client_a):
    operator = make_user(role=Role.OPERATOR, region=region_a)
    client_a.force_login(operator)
    response = client_a.get("/api/v1/staff/applications/")
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert client_a.get("/api/v1/queue/counters/").json() == []


# --- memberships: two writers, both audited ------------------------------------------------------


def test_membership_grant_and_revoke_are_audited_and_idempotent(make_user, region_a, superadmin):
    user = make_user()
    membership = membership_grant(
        actor=superadmin, user=user, region=region_a.region, role=Role.OPERATOR
    )
    again = membership_grant(
        actor=superadmin, user=user, region=region_a.region, role=Role.OPERATOR
    )
    assert again.pk == membership.pk
    granted = NationalAuditEntry.objects.filter(action="accounts.membership.granted")
    assert granted.count() == 1
    assert granted.get().region_code == region_a.region.code
    assert membership_revoke(actor=superadmin, membership=membership) == 1
    assert membership_revoke(actor=superadmin, membership=membership) == 0
    membership.refresh_from_db()
    assert not membership.is_active
    promoted = membership_grant(
        actor=superadmin, user=user, region=region_a.region, role=Role.SUPERVISOR
    )
    assert (promoted.role, promoted.is_active) == (Role.SUPERVISOR, True)
    assert Membership.objects.filter(user=user).count() == 1


WRITES = re.compile(
    r"Membership\.objects\.(create|get_or_create|update_or_create|bulk_create|bulk_update)\("
    r"|Membership\.objects\.filter\([^)]*\)\.(update|delete)\("
    r"|membership\.(save|delete)\("
)


def test_nothing_else_writes_memberships():
    writers = []
    for folder in ("kernel", "shared", "tenants", "onboarding", "mpp_platform", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "shared/accounts/services.py":
                continue
            if WRITES.search(path.read_text()):
                writers.append(str(path.relative_to(ROOT)))
    assert writers == []
