from django.db.models import Model

from onboarding.demo import DEMO_REGION_CODES, demo_seed
from shared.accounts.models import Membership, User
from shared.audit.models import AuditEntry
from shared.regions.models import Domain, Mpp, Region


def _snapshot() -> dict[str, list]:
    models: list[type[Model]] = [Region, Mpp, Domain, User, Membership, AuditEntry]
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in models}


def test_demo_seed_is_idempotent(db, settings):
    demo_seed()
    first = _snapshot()
    demo_seed()
    assert _snapshot() == first
    live = Mpp.objects.filter(status=Mpp.Status.LIVE, region__code__in=DEMO_REGION_CODES)
    assert live.count() == 3
    assert set(Domain.objects.filter(tenant__in=live).values_list("domain", flat=True)) == {
        "banyuwangi.mpp.localhost",
        "kota-probolinggo.mpp.localhost",
        "bukittinggi.mpp.localhost",
    }
    superadmin = User.objects.get(email="superadmin@mpp.go.id")
    assert superadmin.is_superadmin
    assert superadmin.check_password(settings.MPP_DEMO_PASSWORD)
    assert (
        Membership.objects.filter(role="dpmptsp_admin", region__code__in=DEMO_REGION_CODES).count()
        == 3
    )
