"""Region A's MPP (two booths with their staff, an online offering) from the applications'
fixtures, plus a complaint officer of each region, and helpers to file complaints through the
real services."""

from types import SimpleNamespace

import pytest

from tests.tenants.applications import conftest as _applications
from tests.tenants.applications.conftest import build_mpp

doc_types = _applications.doc_types
make_citizen = _applications.make_citizen
citizen = _applications.citizen
submitted = _applications.submitted
mpp_a = _applications.mpp_a
mpp_b = _applications.mpp_b
eager_tasks = _applications.eager_tasks

__all__ = ["build_mpp"]

SECRET_NAME = "Rahasiawati Pelapor"
SECRET_EMAIL = "rahasiawati@warga.test"
SECRET_PHONE = "+6281234509876"


@pytest.fixture
def officer_a(make_user, region_a):
    from shared.accounts.models import Role

    return make_user(role=Role.COMPLAINT_OFFICER, region=region_a, full_name="Pak Pengelola")


@pytest.fixture
def officer_b(make_user, region_b):
    from shared.accounts.models import Role

    return make_user(role=Role.COMPLAINT_OFFICER, region=region_b, full_name="Bu Pengelola B")


@pytest.fixture
def complainant(make_citizen):
    """A citizen whose name, e-mail and phone are easy to look for in any output."""
    from shared.citizens.models import CitizenProfile

    user, profile = make_citizen(full_name=SECRET_NAME, email=SECRET_EMAIL)
    CitizenProfile.objects.filter(pk=profile.pk).update(phone=SECRET_PHONE, full_name=SECRET_NAME)
    profile.refresh_from_db()
    return SimpleNamespace(user=user, profile=profile)


@pytest.fixture
def file_complaint(in_region, django_capture_on_commit_callbacks):
    """file_complaint(mpp, owner=user, **filing) → a complaint filed online in that region."""
    from tenants.complaints.models import Channel
    from tenants.complaints.services import Filing, complaint_file

    def _file(mpp, *, owner=None, actor=None, channel=None, **fields):
        fields.setdefault("kind", "pengaduan")
        fields.setdefault("subject", "Petugas tidak ramah")
        fields.setdefault("description", "Saya menunggu lama dan petugas tidak menjelaskan alasan.")
        channel = channel or (Channel.ONLINE if owner else Channel.KIOSK)
        with in_region(mpp):
            return complaint_file(
                actor=actor or owner, channel=channel, filing=Filing(**fields), owner=owner
            )

    return _file


class Clock:
    """The process's clock, set by the test (time-machine, not ticking): services, auto_now
    fields and the region's "today" all read it. Time moves only when the test moves it."""

    def __init__(self, traveller):
        self.traveller = traveller

    def set(self, year, month, day, hour=10, minute=0):
        import datetime as dt
        from zoneinfo import ZoneInfo

        at = dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Jakarta"))
        self.traveller.move_to(at)
        return at


@pytest.fixture
def clock():
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(start, tick=False) as traveller:
        yield Clock(traveller)


CLIENT_ADDRESSES = ("127.0.0.1", "10.0.0.9", "10.1.2.3")


@pytest.fixture(autouse=True)
def _fresh_tracking_throttle(db, region_a, region_b):
    """The throttle counts wrong tracking codes in the shared cache (Redis under make test),
    which outlives a test's rollback: every test starts with a clean count."""
    from django.core.cache import cache
    from django.db import connection

    from tenants.complaints.services.handling import _track_key

    def clear():
        for mpp in (region_a, region_b):
            connection.set_tenant(mpp)
            try:
                cache.delete_many([_track_key(ip) for ip in CLIENT_ADDRESSES])
            finally:
                connection.set_schema_to_public()

    clear()
    yield
    clear()
