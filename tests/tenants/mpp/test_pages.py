"""The console and the public site render, for the right people."""

import pytest
from django.urls import reverse

from tests.tenants.mpp.conftest import login

CONSOLE_PAGES = [
    ("mpp_admin:dashboard", None),
    ("mpp_admin:booths", None),
    ("mpp_admin:booth_create", None),
    ("mpp_admin:booth_edit", "booth"),
    ("mpp_admin:hours", None),
    ("mpp_admin:offerings", None),
    ("mpp_admin:adopt", None),
    ("mpp_admin:offering_edit", "offering"),
    ("mpp_admin:local_create", None),
    ("mpp_admin:local_edit", "local"),
    ("mpp_admin:counters", None),
    ("mpp_admin:counter_create", None),
    ("mpp_admin:counter_edit", "counter"),
    ("mpp_admin:staff", None),
    ("mpp_admin:staff_invite", None),
    ("mpp_admin:staff_edit", "membership"),
    ("mpp_admin:info", None),
    ("mpp_admin:announcements", None),
    ("mpp_admin:announcement_create", None),
    ("mpp_admin:announcement_edit", "announcement"),
]


@pytest.mark.parametrize(("name", "obj"), CONSOLE_PAGES)
def test_console_pages_render_for_admin(name, obj, client_a, region_a, admin_a, region_objects):
    ids = region_objects(region_a)
    url = reverse(name, args=[ids[obj]] if obj else [])
    response = login(client_a, admin_a).get(url)
    assert response.status_code == 200, response.content[:500]


def test_public_pages_render(client_a, region_a, region_objects):
    ids = region_objects(region_a)
    for url in [
        reverse("mpp:home"),
        reverse("mpp:offerings"),
        reverse("mpp:offerings") + "?per=peristiwa",
        reverse("mpp:offerings") + "?q=reklame",
        reverse("mpp:offering", args=[ids["offering_code"]]),
        reverse("mpp:booths"),
        reverse("mpp:info"),
    ]:
        response = client_a.get(url)
        assert response.status_code == 200, (url, response.content[:500])
