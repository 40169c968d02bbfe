"""The demo data that ``make run`` seeds: idempotent, so running it twice changes nothing."""

from django.conf import settings
from django.db import transaction

from onboarding.services import mpp_provision
from shared.accounts.models import Membership, Role, User
from shared.catalogue.services import catalogue_load_starter
from shared.regions.models import Region
from shared.regions.services import regions_load

DEMO_REGION_CODES = [
    "35.10",
    "35.74",
    "13.75",
]  # Kab. Banyuwangi, Kota Probolinggo, Kota Bukittinggi
SUPERADMIN_EMAIL = "superadmin@mpp.go.id"
CITIZEN_EMAIL = "warga@example.id"


def admin_email(region: Region) -> str:
    return f"admin.{region.slug}@mpp.go.id"


def _user(email: str, *, full_name: str, superuser: bool = False) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        make = User.objects.create_superuser if superuser else User.objects.create_user
        user = make(email=email, password=settings.MPP_DEMO_PASSWORD, full_name=full_name)
    return user


def demo_seed(*, stdout=None) -> dict:
    def say(msg: str) -> None:
        if stdout is not None:
            stdout.write(msg)

    provinces, regions = regions_load()
    say(f"wilayah: {provinces} provinsi, {regions} kabupaten/kota")
    catalogue_load_starter()  # national catalogue: adds what is missing, keeps edits (idempotent)
    with transaction.atomic():
        superadmin = _user(SUPERADMIN_EMAIL, full_name="Superadmin KemenPANRB", superuser=True)
        citizen = _user(CITIZEN_EMAIL, full_name="Siti Warga")
    sign_ins = [("superadmin", SUPERADMIN_EMAIL, "national"), ("warga", CITIZEN_EMAIL, "any")]
    for code in DEMO_REGION_CODES:
        region = Region.objects.get(code=code)
        mpp = mpp_provision(region=region, actor=superadmin)
        admin = _user(admin_email(region), full_name=f"Admin DPMPTSP {region.name}")
        Membership.objects.get_or_create(
            user=admin, region=region, defaults={"role": Role.DPMPTSP_ADMIN}
        )
        sign_ins.append(("admin DPMPTSP", admin.email, region.slug))
        say(f"MPP {region.name}: {mpp.get_status_display()} ({region.slug})")
    return {"superadmin": superadmin, "citizen": citizen, "sign_ins": sign_ins}
