import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tenants.mpp import selectors
from tenants.mpp.models import Closure, GeneralInfo, OpeningHours, Weekday
from tenants.mpp.seeding import seed_defaults

WIB = ZoneInfo("Asia/Jakarta")


def at(*args):
    return dt.datetime(*args, tzinfo=WIB)


@pytest.fixture
def in_a(region_a, in_region):
    with in_region(region_a):
        seed_defaults()
        yield region_a


def test_open_during_hours(in_a):
    status = selectors.mpp_status(at(2026, 11, 23, 9, 0))  # a Monday
    assert status.is_open
    assert status.code == "open"
    assert "15:00" in status.text
    assert selectors.region_is_open(at(2026, 11, 23, 9, 0))


def test_closed_outside_hours_and_friday_break(in_a):
    assert selectors.mpp_status(at(2026, 11, 23, 7, 0)).code == "before_hours"
    assert selectors.mpp_status(at(2026, 11, 23, 16, 0)).code == "after_hours"
    friday_noon = selectors.mpp_status(at(2026, 11, 27, 12, 0))
    assert friday_noon.code == "break"
    assert not friday_noon.is_open
    assert selectors.mpp_status(at(2026, 11, 28, 9, 0)).code == "no_service_day"  # Saturday


def test_national_holiday_and_cuti_bersama(in_a):
    status = selectors.mpp_status(at(2026, 8, 17, 9, 0))
    assert status.code == "national_holiday"
    assert status.holiday_name == "Proklamasi Kemerdekaan"
    assert "Proklamasi" in status.text
    cuti = selectors.mpp_status(at(2026, 12, 24, 9, 0))  # Thursday, cuti bersama
    assert cuti.code == "cuti_bersama"
    GeneralInfo.objects.filter(key=1).update(open_on_cuti_bersama=True)
    assert selectors.mpp_status(at(2026, 12, 24, 9, 0)).is_open


def test_local_closure(in_a):
    Closure.objects.create(
        start_date=dt.date(2026, 11, 23), end_date=dt.date(2026, 11, 24), reason="Renovasi gedung"
    )
    status = selectors.mpp_status(at(2026, 11, 24, 9, 0))
    assert status.code == "closure"
    assert "Renovasi gedung" in status.text


@pytest.mark.django_db
def test_region_timezone_from_province():
    from shared.regions.models import Region

    cases = (("35.10", "Asia/Jakarta"), ("51.71", "Asia/Makassar"), ("91.71", "Asia/Jayapura"))
    for code, zone in cases:
        region = Region.objects.select_related("province").get(code=code)
        assert region.time_zone.key == zone


def test_region_timezone_is_the_current_regions(in_a):
    assert selectors.region_timezone().key == "Asia/Jakarta"


def test_working_days(in_a):
    # Mon 14 Dec 2026 .. Fri 25 Dec: 24 Dec cuti bersama and 25 Dec libur nasional.
    assert selectors.working_days_between(dt.date(2026, 12, 14), dt.date(2026, 12, 25)) == 8
    Closure.objects.create(
        start_date=dt.date(2026, 12, 14), end_date=dt.date(2026, 12, 14), reason="Banjir"
    )
    assert selectors.working_days_between(dt.date(2026, 12, 14), dt.date(2026, 12, 25)) == 7
    # Friday 18 Dec + 3 working days skips the weekend and 24-25 Dec: Mon 21, Tue 22, Wed 23.
    assert selectors.add_region_working_days(dt.date(2026, 12, 18), 3) == dt.date(2026, 12, 23)
    assert selectors.add_region_working_days(dt.date(2026, 12, 18), 4) == dt.date(2026, 12, 28)
    assert selectors.add_region_working_days(dt.date(2026, 12, 28), -1) == dt.date(2026, 12, 23)
    assert selectors.add_region_working_days(dt.date(2026, 12, 18), 0) == dt.date(2026, 12, 18)
    assert not selectors.is_region_working_day(dt.date(2026, 12, 14))
    assert selectors.is_region_working_day(dt.date(2026, 12, 15))


def test_years_without_holiday_data_count_weekends_only(in_a):
    # lokal-id has no SKB for 2030 yet: only weekends (and local closures) are days off.
    assert selectors.working_days_between(dt.date(2030, 1, 1), dt.date(2030, 1, 7)) == 5


def test_booth_hours_fall_back_to_mpp(in_a):
    from tenants.mpp.models import Booth
    from tests.tenants.mpp.factories import AgencyFactory

    with_public = AgencyFactory()
    booth = Booth.objects.create(agency=with_public, number="G1")
    assert selectors.booth_weekly_hours(booth)[Weekday.MONDAY] == [(dt.time(8), dt.time(15))]
    OpeningHours.objects.create(
        booth=booth, weekday=Weekday.SATURDAY, opens_at=dt.time(9), closes_at=dt.time(12)
    )
    assert selectors.booth_weekly_hours(booth) == {Weekday.SATURDAY: [(dt.time(9), dt.time(12))]}
