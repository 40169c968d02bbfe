"""Test set-up shared by the whole suite.

Two regions exist for the whole session: ``region_a`` (Kabupaten Banyuwangi) and ``region_b``
(Kota Probolinggo), provisioned once in ``django_db_setup``. Ordinary tests run inside a transaction
that rolls back. Never use ``transactional_db``: its flush would wipe the session's regions.
Tests that need committed data (browser, concurrency) create uniquely named rows through
``django_db_blocker``.
"""

import itertools

import pytest
from django.db import connection
from django.test import Client

from kernel.routing import clear_routing_cache

REGION_A_CODE = "35.10"  # Kabupaten Banyuwangi
REGION_B_CODE = "35.74"  # Kota Probolinggo

_counter = itertools.count(1)


def pytest_collection_modifyitems(items):
    # Browser, concurrency and live tests commit data; run them after the rolled-back tests.
    late = {"browser", "concurrency", "live"}
    items.sort(key=lambda item: any(m.name in late for m in item.iter_markers()))


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """Create the test database once and provision the two session regions in it.

    Replaces pytest-django's fixture so the database also exists for sessions of browser tests,
    which use no ``db`` fixture (their live server needs committed data).
    """
    from django.test.utils import setup_databases, teardown_databases

    from onboarding.services import mpp_provision
    from shared.regions.models import Region
    from shared.regions.services import regions_load

    with django_db_blocker.unblock():
        db_cfg = setup_databases(
            verbosity=request.config.option.verbose, interactive=False, aliases={"default"}
        )
        regions_load()
        for code in (REGION_A_CODE, REGION_B_CODE):
            mpp_provision(region=Region.objects.get(code=code))
        connection.set_schema_to_public()
    yield
    with django_db_blocker.unblock():
        # Worker and live-server threads may still hold a connection, and a pooler (PgBouncer,
        # tests/scale) keeps closed clients' server sessions: end them all so DROP works.
        test_db = connection.settings_dict["NAME"]
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [test_db],
            )
        teardown_databases(db_cfg, verbosity=request.config.option.verbose)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in Redis, outside the rolled-back transaction: every test starts
    with none (tests/shared/accounts/test_throttling.py fills them on purpose)."""
    from django.core.cache import caches

    caches["throttle"].clear()


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Every test gets its own private file storage (the "private" STORAGES alias) in a
    temporary folder; returns that folder."""
    root = tmp_path / "private"
    backend = "kernel.files.PrivateFileSystemStorage"
    files = {"BACKEND": backend, "OPTIONS": {"location": root}}
    settings.STORAGES = {**settings.STORAGES, "default": files, "private": files}
    return root


@pytest.fixture(autouse=True)
def _fresh_readiness():
    """/readyz caches its result for two seconds per process: no test sees another's."""
    from kernel.health import forget_readiness

    forget_readiness()
    yield
    forget_readiness()


@pytest.fixture(autouse=True)
def _back_to_public():
    """Every test starts and ends in the public schema with a cold routing cache."""
    clear_routing_cache()
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()
    clear_routing_cache()


@pytest.fixture
def region_a(db):
    from shared.regions.models import Mpp

    return Mpp.objects.select_related("region").get(region__code=REGION_A_CODE)


@pytest.fixture
def region_b(db):
    from shared.regions.models import Mpp

    return Mpp.objects.select_related("region").get(region__code=REGION_B_CODE)


def host_of(mpp) -> str:
    from django.conf import settings

    return f"{mpp.region.slug}.{settings.MPP_BASE_DOMAIN}"


@pytest.fixture
def national_client():
    from django.conf import settings

    return Client(HTTP_HOST=settings.MPP_BASE_DOMAIN)


@pytest.fixture
def client_a(region_a):
    return Client(HTTP_HOST=host_of(region_a))


@pytest.fixture
def client_b(region_b):
    return Client(HTTP_HOST=host_of(region_b))


@pytest.fixture
def make_user(db):
    """make_user(role=..., region=mpp) → a user, with a membership when a role is given.

    Officials (superadmins, DPMPTSP admins) come enrolled in the second factor, as every real
    official is after the first sign-in; ``second_factor=False`` makes one who has not enrolled.
    """
    from shared.accounts.models import Membership, User
    from shared.accounts.selectors import requires_second_factor

    def _make(
        *,
        role=None,
        region=None,
        superadmin=False,
        password="rahasia-123",
        second_factor=True,
        **fields,
    ):
        n = next(_counter)
        fields.setdefault("email", f"user{n}@test.example")
        fields.setdefault("full_name", f"Pengguna {n}")
        maker = User.objects.create_superuser if superadmin else User.objects.create_user
        user = maker(password=password, **fields)
        if role:
            Membership.objects.create(user=user, region=region.region, role=role)
        if second_factor and requires_second_factor(user):
            enrol_second_factor(user)
        return user

    return _make


def enrol_second_factor(user, *, key: str | None = None):
    """Give ``user`` a confirmed authenticator (as the enrolment page does). Returns the device;
    ``totp_now(device)`` is the code its app would show."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    fields = {"key": key} if key else {}
    return TOTPDevice.objects.create(user=user, name="Aplikasi uji", confirmed=True, **fields)


def totp_now(device) -> str:
    """The 6-digit code the device's authenticator app shows right now."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture(autouse=True)
def _force_login_completes_sign_in(monkeypatch):
    """``client.force_login(user)`` stands for a finished sign-in, so for an official enrolled in
    the second factor the session also counts as verified (the code step is what the tests in
    tests/shared/accounts exercise for real). An official who never enrolled stays unverified."""
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture
def in_region():
    """Context manager: run code inside a region's schema, back to public afterwards."""
    from contextlib import contextmanager

    @contextmanager
    def _in(mpp):
        connection.set_tenant(mpp)
        try:
            yield mpp
        finally:
            connection.set_schema_to_public()

    return _in


def issue_api_token(user, device_name: str = "uji") -> str:
    """An API token for ``user`` as the sign-in endpoint issues it (the raw token)."""
    from shared.accounts.services import api_token_issue

    return api_token_issue(user=user, device_name=device_name)[1]


def sign_in(client, username: str, password: str, *, next_url: str = ""):
    """Sign in through the real pages, the second step included for an enrolled official.
    Returns the response of the last step."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    path = "/akun/masuk/" + (f"?next={next_url}" if next_url else "")
    response = client.post(path, {"username": username, "password": password})
    location = response.get("Location", "") if response.status_code == 302 else ""
    if location.startswith("/akun/dua-langkah/?"):
        device = TOTPDevice.objects.get(user__email__iexact=username, confirmed=True)
        # A code is accepted once (replay protection); a person signing in twice within 30 s
        # would wait for the next one. Tests do not wait: forget the last accepted step.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
        response = client.post(location, {"code": totp_now(device)})
    return response


@pytest.fixture
def count_queries():
    """Number of queries one call makes. Query-count tests compare a small and a larger data set
    with it: an equal count proves the page does not query per row, which a ceiling alone cannot."""
    from django.test.utils import CaptureQueriesContext

    def _count(call) -> int:
        with CaptureQueriesContext(connection) as captured:
            call()
        return len(captured.captured_queries)

    return _count


# A Wednesday with no national holiday or cuti bersama, mid-morning in Banyuwangi (WIB): tests of
# "today" (walk-ins, same-day bookings, kiosks) run on it instead of skipping on real holidays.
WORKING_DAY = "2026-12-02 10:00 +07:00"


@pytest.fixture
def on_a_working_day():
    """Moves every clock of this process (web thread and worker threads included) to WORKING_DAY,
    still ticking. PostgreSQL's own now() is not moved; the queue code reads Python's clock."""
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime.fromisoformat(WORKING_DAY), tick=True) as traveller:
        yield traveller
