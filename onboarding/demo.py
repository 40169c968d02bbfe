"""The demo data that ``make run`` seeds: idempotent, so running it twice changes nothing."""

import datetime as dt

from django.conf import settings
from django.db import transaction

from kernel.tenancy import connection
from onboarding.demo_secret import DEMO_TOTP_KEY_HEX
from onboarding.models import Onboarding, Stage
from onboarding.monitoring import demo_seed_monitoring
from onboarding.services import mpp_provision
from shared.accounts.models import Membership, Role, User
from shared.accounts.services import membership_grant
from shared.catalogue.services import catalogue_load_starter
from shared.citizens.demo import seed_demo_citizen
from shared.regions.models import Region
from shared.regions.services import regions_load
from tenants.complaints.demo import seed_demo_complaints
from tenants.queue.demo import queue_demo_seed
from tenants.survey.demo import survey_demo_seed

DEMO_REGION_CODES = [
    "35.10",
    "35.74",
    "13.75",
]  # Kab. Banyuwangi, Kota Probolinggo, Kota Bukittinggi
# Regions part-way through onboarding, so the console's board has something to show. Kabupaten
# Bintan (21.01) is left untouched: the walk-through onboards it from commitment to live.
DEMO_IN_PROGRESS = {"21.71": Stage.COMMITTED, "21.02": Stage.DESIGNATED}  # Kota Batam, Kab. Karimun
COMMITMENT_DAY = dt.date(2024, 3, 7)  # 60 regional heads signed on this day
DECREE = ("457/2024", dt.date(2024, 6, 3))  # KepMenPANRB 457/2024 designated 199 regions
SUPERADMIN_EMAIL = "superadmin@mpp.go.id"
CITIZEN_EMAIL = "warga@example.id"


def admin_email(region: Region) -> str:
    return f"admin.{region.slug}@mpp.go.id"


def operator_email(region: Region) -> str:
    return f"petugas.{region.slug}@mpp.go.id"


def _region_demo(mpp) -> None:
    """The demo queue (kiosk, counters, hall display) inside the region's own schema."""
    connection.set_tenant(mpp)
    try:
        queue_demo_seed()
        survey_demo_seed()
    finally:
        connection.set_schema_to_public()


class DemoRefusedError(RuntimeError):
    """The demo seed runs only in dev and test: its accounts have a published password."""


def _second_factor(user: User) -> None:
    """Demo officials sign in with a second factor like real ones, with one published secret
    (printed by ``make run``, README)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(
            user=user, name="Demo (make run)", key=DEMO_TOTP_KEY_HEX, confirmed=True
        )


def _user(email: str, *, full_name: str, superuser: bool = False) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        make = User.objects.create_superuser if superuser else User.objects.create_user
        user = make(email=email, password=settings.MPP_DEMO_PASSWORD, full_name=full_name)
    return user


def _demo_onboarding(region: Region, *, stage: str, actor: User) -> Onboarding:
    """The region's onboarding as the demo wants it, created once (never moved back)."""
    existing = Onboarding.objects.filter(region=region).exclude(stage=Stage.OFFBOARDED).first()
    if existing is not None:
        return existing
    bare = region.name.removeprefix("Kabupaten ").removeprefix("Kota ")
    title = "Wali Kota" if region.kind == Region.Kind.KOTA else "Bupati"
    designated = stage != Stage.COMMITTED
    return Onboarding.objects.create(
        region=region,
        stage=stage,
        signer_name=f"{title} {bare}",
        signer_title=f"{title} {bare}",
        signed_on=COMMITMENT_DAY,
        occasion="Penandatanganan komitmen MPP Digital, Jakarta",
        decree_number=DECREE[0] if designated else "",
        decree_date=DECREE[1] if designated else None,
        admin_email=admin_email(region) if designated else "",
        created_by=actor,
    )


def demo_seed(*, stdout=None) -> dict:
    if settings.MPP_ENV not in {"dev", "test"}:
        raise DemoRefusedError(
            f"Data demo hanya untuk MPP_ENV=dev atau test (sekarang: {settings.MPP_ENV!r}): "
            "akun demo memakai kata sandi yang dipublikasikan."
        )

    def say(msg: str) -> None:
        if stdout is not None:
            stdout.write(msg)

    provinces, regions = regions_load()
    say(f"wilayah: {provinces} provinsi, {regions} kabupaten/kota")
    catalogue_load_starter()  # national catalogue: adds what is missing, keeps edits (idempotent)
    with transaction.atomic():
        superadmin = _user(SUPERADMIN_EMAIL, full_name="Superadmin KemenPANRB", superuser=True)
        _second_factor(superadmin)
        citizen = _user(CITIZEN_EMAIL, full_name="Siti Warga")
        seed_demo_citizen(
            citizen
        )  # profile, verified phone, local civil register (shared.citizens)
    sign_ins = [("superadmin", SUPERADMIN_EMAIL, "national"), ("warga", CITIZEN_EMAIL, "any")]
    for code in DEMO_REGION_CODES:
        region = Region.objects.get(code=code)
        # The admin exists (with the demo password) before provisioning adds the membership.
        admin = _user(admin_email(region), full_name=f"Admin DPMPTSP {region.name}")
        _demo_onboarding(region, stage=Stage.DESIGNATED, actor=superadmin)
        mpp = mpp_provision(region=region, actor=superadmin)
        if not Membership.objects.filter(user=admin, region=region).exists():
            membership_grant(actor=superadmin, user=admin, region=region, role=Role.DPMPTSP_ADMIN)
        _second_factor(admin)
        # A counter operator too: the staff workflow and the counter screen need one.
        operator = _user(operator_email(region), full_name=f"Petugas Loket {region.name}")
        if not Membership.objects.filter(user=operator, region=region).exists():
            membership_grant(actor=superadmin, user=operator, region=region, role=Role.OPERATOR)
        _region_demo(mpp)
        sign_ins.append(("admin DPMPTSP", admin_email(region), region.slug))
        sign_ins.append(("operator", operator_email(region), region.slug))
        sign_ins += seed_demo_complaints(mpp=mpp, citizen=citizen)
        say(f"MPP {region.name}: {mpp.get_status_display()} ({region.slug})")
    for code, stage in DEMO_IN_PROGRESS.items():
        onboarding = _demo_onboarding(Region.objects.get(code=code), stage=stage, actor=superadmin)
        say(f"onboarding {onboarding.region.name}: {onboarding.get_stage_display()}")
    demo_seed_monitoring(superadmin=superadmin, citizen=citizen, stdout=stdout)
    return {"superadmin": superadmin, "citizen": citizen, "sign_ins": sign_ins}
