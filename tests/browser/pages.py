"""Every page type of MPP Digital, with committed demo data to show it, for the browser tests that
walk them all (accessibility, weight). Built once per test session: one committed set of data."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from dataclasses import dataclass

from django.db import connection

from tests.browser.conftest import unique

PASSWORD = "sandi-halaman-2026"
REGION = "banyuwangi"


@dataclass
class Walk:
    """What the walk needs: who signs in, and the paths of the pages that exist."""

    citizen: str
    operator: str
    admin: str
    superadmin: str
    offering_code: str
    online_offering_id: int
    service_code: str
    booking_code: str
    counter_id: int
    desk_offering_id: int
    survey_token: str


_cache: dict[str, Walk] = {}


def _nik() -> str:
    serial = f"{uuid.uuid4().int % 9000 + 1000}"
    return f"351001410190{serial}"  # Banyuwangi, perempuan, lahir 1 Januari 1990


def walk_data() -> Walk:
    """The demo data of the walk, committed once (Banyuwangi, the first session region)."""
    if "walk" in _cache:
        return _cache["walk"]
    from django.utils import timezone

    from shared.accounts.models import Membership, Role, User
    from shared.catalogue.models import Service
    from shared.catalogue.services import catalogue_load_starter
    from shared.citizens.services.accounts import profile_ensure
    from shared.regions.models import Mpp
    from tenants.mpp.models import Counter, OpeningHours, StaffAssignment
    from tenants.mpp.services.booths import booth_create, local_agency_create
    from tenants.mpp.services.offerings import local_service_create
    from tenants.queue.demo import DEMO_OFFERING_CODE, queue_demo_seed
    from tenants.queue.selectors import local_today
    from tenants.queue.services.bookings import booking_create
    from tenants.queue.services.capacity import day_view

    catalogue_load_starter()
    service_code = Service.objects.order_by("code").values_list("code", flat=True).first()
    mpp = Mpp.objects.select_related("region").get(region__slug=REGION)

    def user(prefix: str, **extra) -> User:
        return User.objects.create_user(
            email=f"{unique(prefix)}@example.id", password=PASSWORD, **extra
        )

    citizen = user("warga", full_name="Siti Aminah")
    profile = profile_ensure(user=citizen)
    profile.nik = _nik()
    profile.full_name = "Siti Aminah"
    profile.birth_place = "Banyuwangi"
    profile.birth_date = dt.date(1990, 1, 1)
    profile.gender = "P"
    profile.address_line = "Jl. Ahmad Yani 1, RT 01/RW 02"
    profile.province_code, profile.regency_code = "35", "35.10"
    profile.district_code = "35.10.01"
    profile.phone = f"+62812{uuid.uuid4().int % 10**8:08d}"
    profile.phone_verified_at = profile.email_verified_at = timezone.now()
    profile.save()
    operator = user("petugas", full_name="Ani Operator")
    admin = user("admin", full_name="Admin DPMPTSP")
    superadmin = User.objects.create_superuser(
        email=f"{unique('superadmin')}@example.id", password=PASSWORD, full_name="Superadmin"
    )
    Membership.objects.create(user=operator, region=mpp.region, role=Role.OPERATOR)
    Membership.objects.create(user=admin, region=mpp.region, role=Role.DPMPTSP_ADMIN)

    connection.set_tenant(mpp)
    try:
        queue_demo_seed()
        from tenants.mpp.models import Offering

        desk = Offering.objects.get(code=DEMO_OFFERING_CODE)
        counter = Counter.objects.filter(offerings=desk).order_by("pk").first()
        StaffAssignment.objects.get_or_create(user_id=operator.pk, booth=desk.booth)
        agency = local_agency_create(actor=admin, name=unique("Disdukcapil"))
        booth = booth_create(actor=admin, number=unique("G"), local_agency=agency, name="Gerai")
        online = local_service_create(
            actor=admin,
            name=unique("Surat Keterangan Domisili"),
            product="Surat keterangan",
            complaint_handling="SP4N-LAPOR!",
            completion_days=3,
            steps=["Ajukan daring", "Verifikasi", "Hasil"],
            requirements=[],
            booth=booth,
            channels=["online", "walk_in"],
        )
        StaffAssignment.objects.get_or_create(user_id=operator.pk, booth=booth)
        survey_token = _survey_token(admin, desk)
        if not OpeningHours.objects.filter(offering=desk).exists():
            raise AssertionError("the demo information desk must be open all day")
        today = local_today()
        slot = next((s for s in day_view(desk, today).slots if s.bookable), None)
        day = today
        if slot is None:  # late in the day: tomorrow's first slot
            day = today + dt.timedelta(days=1)
            slot = next(s for s in day_view(desk, day).slots if s.bookable)
        booking = booking_create(actor=citizen, offering=desk, day=day, starts_at=slot.starts_at)
    finally:
        connection.set_schema_to_public()

    walk = Walk(
        citizen=citizen.email,
        operator=operator.email,
        admin=admin.email,
        superadmin=superadmin.email,
        offering_code=desk.code,
        online_offering_id=online.pk,
        service_code=service_code or "",
        booking_code=booking.code,
        counter_id=counter.pk,
        desk_offering_id=desk.pk,
        survey_token=survey_token,
    )
    _cache["walk"] = walk
    return walk


def _survey_token(actor, offering) -> str:
    """An SKM invitation, as a finished ticket leaves one (inside the region's schema)."""
    from tenants.survey.services import survey_invitation_create

    invitation = survey_invitation_create(
        actor=actor,
        source_kind="queue_ticket",
        source_id=uuid.uuid4().int % 2**30,
        reference=unique("A"),
        offering=offering,
    )
    return invitation.token


def new_kiosk_token() -> str:
    """A kiosk device of its own for each browser context (its set-up link works once)."""
    from shared.accounts.models import User
    from shared.regions.models import Mpp
    from tenants.queue.services.kiosk import kiosk_device_create

    admin = User.objects.get(email=_cache["walk"].admin)
    connection.set_tenant(Mpp.objects.get(region__slug=REGION))
    try:
        return kiosk_device_create(actor=admin, name=unique("Kiosk lobi"))[1]
    finally:
        connection.set_schema_to_public()


def sign_in(page, url: str, email: str) -> None:
    page.goto(url)
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    if "/akun/masuk/" in page.url:
        raise AssertionError(f"sign-in refused for {email}: {page.locator('main').inner_text()}")


def visit_all(page, live_site, walk: Walk, look) -> list[str]:
    """Open every page type, calling ``look(page, name)`` on each; returns the names visited.

    The order keeps one browser context: the public pages and the kiosk first, then each role
    signed in by turn (cookies cleared between roles)."""
    context = page.context
    region = lambda path: live_site.region(REGION, path)  # noqa: E731
    national = live_site.national
    seen: list[str] = []

    def go(name: str, url: str) -> None:
        response = page.goto(url)
        assert response is not None
        assert response.status < 400, f"{name}: {url} answered {response.status}"
        page.wait_for_load_state()
        look(page, name)
        seen.append(name)

    # The public: national and regional.
    go("national home", national("/"))
    go("search", national("/layanan/?q=ktp"))
    if walk.service_code:
        go("service page", national(f"/layanan/{walk.service_code}/"))
    go("region home", region("/"))
    go("offering page", region(f"/layanan/{walk.offering_code}/"))
    go("sign-in", region("/akun/masuk/"))
    go("sign-up", region("/akun/daftar/"))
    go("hall display", region("/antrean/layar/"))
    go("complaint desk", region("/pengaduan/"))
    go("complaint transparency", region("/pengaduan/transparansi/"))
    go("survey form", region(f"/survei/isi/{walk.survey_token}/"))
    go("public statistics", national("/statistik/"))
    go("offline page", region("/luring/"))
    # The kiosk: registered once by its (one-time) link, then its own page.
    if not any(c["name"] == "mpp_kiosk" for c in context.cookies()):
        page.goto(region(f"/antrean/kiosk/pasang/{new_kiosk_token()}/"))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    go("kiosk", region("/antrean/kiosk/"))
    page.locator(f"button[name=offering][value='{walk.desk_offering_id}']").click()
    page.wait_for_url(re.compile(r"/antrean/kiosk/tiket/"))
    page.wait_for_load_state()
    look(page, "kiosk ticket")
    seen.append("kiosk ticket")
    # Kept across the roles' sign-ins: the language chosen and the kiosk's registration.
    language = [c for c in context.cookies() if c["name"] in ("django_language", "mpp_kiosk")]
    context.clear_cookies()
    context.add_cookies(language)

    # The citizen.
    sign_in(page, region("/akun/masuk/"), walk.citizen)
    go("citizen profile", national("/warga/profil/"))
    go("citizen vault", national("/warga/dokumen/"))
    go("booking form", region(f"/antrean/pesan/{walk.desk_offering_id}/"))
    go("booking", region(f"/antrean/booking/{walk.booking_code}/"))
    go("complaint form", region("/pengaduan/baru/"))
    go("my complaints", national("/warga/pengaduan/"))
    go("my bookings", region("/antrean/booking/"))
    go("online services", region("/permohonan/layanan/"))
    go("application form", region(f"/permohonan/baru/{walk.online_offering_id}/"))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/tanda-terima/"))
    look(page, "receipt")
    seen.append("receipt")
    status_url = page.locator(".receipt p.no-print a").first.get_attribute("href")
    go("application status", region(status_url))
    go("my applications", national("/warga/permohonan/"))
    go("data access log", national("/warga/akses-data/"))
    go("my data", national("/warga/data-saya/"))
    go("my devices", national("/akun/perangkat/"))
    context.clear_cookies()
    context.add_cookies(language)

    # The counter operator.
    sign_in(page, region("/akun/masuk/"), walk.operator)
    go("staff worklist", region("/petugas/permohonan/"))
    go("counter desk", region(f"/antrean/loket/{walk.counter_id}/"))
    go("assisted counter", region("/petugas/loket/"))
    go("complaint worklist", region("/petugas/pengaduan/"))
    context.clear_cookies()
    context.add_cookies(language)

    # The region's administration.
    sign_in(page, region("/akun/masuk/"), walk.admin)
    go("region console", region("/kelola/"))
    go("queue console", region("/antrean/kelola/"))
    go("survey console", region("/survei/kelola/"))
    go("region monitoring", region("/kelola/pemantauan/"))
    context.clear_cookies()
    context.add_cookies(language)

    # The national superadmin.
    sign_in(page, national("/akun/masuk/"), walk.superadmin)
    go("onboarding console", national("/onboarding/"))
    go("national dashboard", national("/pemantauan/"))
    context.clear_cookies()
    context.add_cookies(language)
    return seen


def wait_for_js(page, expression: str, expected=True, timeout_s: float = 15.0) -> None:
    """Wait until ``expression`` evaluates to ``expected`` in the page, polling from here:
    Playwright's ``wait_for_function`` polls with an eval, which the pages' CSP (no
    'unsafe-eval') refuses whenever the first check is not yet true."""
    deadline = time.monotonic() + timeout_s
    while (value := page.evaluate(expression)) != expected:
        assert time.monotonic() < deadline, f"{expression} is {value!r}, not {expected!r}"
        page.wait_for_timeout(50)
