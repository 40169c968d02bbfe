"""A superadmin reads the national dashboard in a real browser: filters the regions that need
attention, drills down from a province to a region's trends, and downloads the table."""

import datetime as dt

import pytest

from tests.browser.conftest import unique
from tests.shared.monitoring.browser.conftest import PASSWORD, official, sign_in

pytestmark = pytest.mark.browser
END = dt.date(2026, 10, 30)
START = END - dt.timedelta(days=29)


@pytest.fixture
def figures():
    from shared.monitoring.models import ProvinceDay, RegionDay
    from shared.monitoring.rollups import region_days_store
    from shared.regions.models import Mpp

    mpps = {m.region.code: m for m in Mpp.objects.select_related("region").filter(
        region__code__in=["35.10", "35.74"])}  # fmt: skip
    for i in range(30):
        day = END - dt.timedelta(days=i)
        for code, on_time in (("35.10", 19), ("35.74", 12)):
            region_days_store(
                region_id=mpps[code].region_id,
                rows={
                    day: {
                        "applications_received": 20,
                        "applications_completed": 20,
                        "applications_completed_on_time": on_time,
                        "tickets_served": 40,
                        "wait_minutes_p50": 12.5,
                    }
                },
            )
    yield
    RegionDay.objects.filter(day__gte=START, day__lte=END).delete()
    ProvinceDay.objects.filter(day__gte=START, day__lte=END).delete()


def test_superadmin_filters_drills_down_and_exports(live_site, with_page, figures):
    from shared.accounts.models import User

    email = f"{unique('superadmin')}@kemenpanrb.test"
    official(
        User.objects.create_superuser(email=email, password=PASSWORD, full_name="Superadmin Pantau")
    )
    query = f"?start={START}&end={END}"
    downloads = {}

    def drive(page):
        sign_in(page, live_site.national(f"/akun/masuk/?next=/pemantauan/{query}"), email)
        assert "Pemantauan nasional" in page.locator("h1").inner_text()
        received = page.locator('.figure[data-key="applications_received"] .value')
        assert "1.200" in received.inner_text()  # 2 regions × 30 days × 20
        assert page.locator("figure svg.chart").count() >= 4

        # Filter: only the regions whose SLA is under 80%.
        page.get_by_label("Tanda").select_option("sla")
        page.get_by_role("button", name="Saring").click()
        rows = page.locator("#region-table tbody tr")
        assert rows.count() == 1
        assert "Kota Probolinggo" in rows.first.inner_text()
        assert "SLA di bawah 80%" in rows.first.inner_text()

        # Download the filtered table (CSV), then the whole one (XLSX).
        with page.expect_download() as csv_download:
            page.get_by_role("link", name="Unduh CSV").click()
        downloads["csv"] = csv_download.value.path().read_text(encoding="utf-8")
        with page.expect_download() as xlsx_download:
            page.get_by_role("link", name="Unduh XLSX").click()
        downloads["xlsx"] = xlsx_download.value.path().read_bytes()

        # Drill down: the province, then one of its regions.
        page.goto(live_site.national(f"/pemantauan/{query}"))
        page.get_by_role("link", name="Jawa Timur", exact=True).click()
        assert "Jawa Timur" in page.locator("h1").inner_text()
        codes = page.locator("#region-table tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.code)"
        )
        assert set(codes) >= {"35.10", "35.74"}
        assert all(code.startswith("35.") for code in codes)
        page.locator("#region-table").get_by_role("link", name="Kota Probolinggo").click()
        assert "Kota Probolinggo" in page.locator("h1").inner_text()
        sla = page.locator('#compare-table tr[data-key="sla"]')
        assert "60,0%" in sla.inner_text()  # this region: 12 of 20
        assert "77,5%" in sla.inner_text()  # national median of 95% and 60%
        assert page.locator("figure svg.chart").count() >= 4

    with_page(drive)
    assert "35.74" in downloads["csv"]
    assert "35.10" not in downloads["csv"]
    assert downloads["xlsx"][:2] == b"PK"
