import pytest
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


@pytest.mark.parametrize("env", ["production", "staging", ""])
def test_the_demo_seed_refuses_outside_dev_and_test(db, settings, env):
    from django.core.management import CommandError, call_command

    from onboarding.demo import DemoRefusedError

    settings.MPP_ENV = env
    with pytest.raises(DemoRefusedError):
        demo_seed()
    with pytest.raises(CommandError, match="hanya untuk MPP_ENV=dev atau test"):
        call_command("seed_demo")
    assert not User.objects.filter(email="superadmin@mpp.go.id").exists()


def test_demo_officials_sign_in_with_the_published_second_factor(db, settings):
    from django.test import Client

    from onboarding.demo_secret import demo_totp_code

    demo_seed()
    client = Client(HTTP_HOST="banyuwangi.mpp.localhost")
    step = client.post(
        "/akun/masuk/?next=/kelola/",
        {"username": "admin.banyuwangi@mpp.go.id", "password": settings.MPP_DEMO_PASSWORD},
    )
    assert step["Location"].startswith("/akun/dua-langkah/?")
    done = client.post(step["Location"], {"code": demo_totp_code()})
    assert done["Location"] == "/kelola/"
    console = client.get("/kelola/")
    assert console.status_code == 200
    # the demo admin lands in Banyuwangi's own console (not a sign-in or second-factor page)
    assert "Konsol MPP Kabupaten Banyuwangi" in console.content.decode()
    assert console.context["user"].email == "admin.banyuwangi@mpp.go.id"
