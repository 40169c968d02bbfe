"""The public national statistics page: anyone may open it; aggregates per MPP only."""

from __future__ import annotations

import datetime as dt

from tests.shared.monitoring.conftest import DAY
from tests.shared.monitoring.test_dashboard import _store


def test_public_page_lists_live_mpps_without_personal_data(
    national_client, region_a, region_b, make_user, make_citizen, settings
):
    from django.core.cache import cache

    from shared.accounts.models import Role

    cache.clear()
    for i in range(10):
        _store(region_a, DAY - dt.timedelta(days=i), applications_completed_on_time=8)
    admin = make_user(role=Role.DPMPTSP_ADMIN, region=region_a, full_name="Bambang Admin Rahasia")
    user, profile = make_citizen()
    response = national_client.get("/statistik/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kabupaten Banyuwangi" in html
    assert "Kota Probolinggo" in html
    assert "80,0%" in html  # 8 of 10 completed on time
    for secret in (admin.email, admin.full_name, user.email, profile.full_name, profile.nik):
        if secret:
            assert secret not in html
    assert "@" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_public_page_is_not_on_region_hosts(client_a):
    assert client_a.get("/statistik/").status_code == 404
