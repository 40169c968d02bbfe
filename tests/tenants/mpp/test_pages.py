"""The console and the public site render, for the right people."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.tenants.mpp.conftest import login

# Each console page with what it must show: the region's own objects (made by region_objects),
# or the form that page exists for, filled with the object's values. A 200 alone also comes
# from an empty shell. Patterns are regular expressions; {service}, {email}, {region} are filled.
CONSOLE_PAGES = [
    ("mpp_admin:dashboard", None, [r"Konsol MPP {region}"]),
    ("mpp_admin:booths", None, [r"G-1"]),
    ("mpp_admin:booth_create", None, [r'name="(\w+-)?number"']),
    ("mpp_admin:booth_edit", "booth", [r'name="(\w+-)?number"[^>]*value="G-1"']),
    ("mpp_admin:hours", None, [r"Jam layanan MPP", r'<th scope="row">Senin</th>']),
    ("mpp_admin:offerings", None, [r"{service}", r"Izin Reklame"]),
    ("mpp_admin:adopt", None, [r"{service}</label>", r"sudah ditawarkan"]),
    ("mpp_admin:offering_edit", "offering", [r"{service}"]),
    ("mpp_admin:local_create", None, [r'name="(\w+-)?name"']),
    ("mpp_admin:local_edit", "local", [r'name="(\w+-)?name"[^>]*value="Izin Reklame"']),
    ("mpp_admin:counters", None, [r"{service}"]),
    ("mpp_admin:counter_create", None, [r'name="ticket_prefix"']),
    ("mpp_admin:counter_edit", "counter", [r'name="ticket_prefix"[^>]*value="A"']),
    ("mpp_admin:staff", None, [r"{email}"]),
    ("mpp_admin:staff_invite", None, [r'name="email"']),
    ("mpp_admin:staff_edit", "membership", [r"{email}"]),
    ("mpp_admin:info", None, [r'name="address"']),
    ("mpp_admin:announcements", None, [r"Halo"]),
    ("mpp_admin:announcement_create", None, [r'name="title"']),
    ("mpp_admin:announcement_edit", "announcement", [r'name="title"[^>]*value="Halo"']),
]


@pytest.mark.parametrize(("name", "obj", "shows"), CONSOLE_PAGES)
def test_console_pages_render_for_admin(
    name, obj, shows, client_a, region_a, admin_a, region_objects, in_region
):
    from shared.accounts.models import Membership
    from tenants.mpp.models import Offering

    ids = region_objects(region_a)
    with in_region(region_a):
        service = Offering.objects.select_related("service").get(pk=ids["offering"]).service
    fill = {
        "service": re.escape(escape(service.name)),
        "email": re.escape(Membership.objects.get(pk=ids["membership"]).user.email),
        "region": re.escape(escape(region_a.region.name)),
    }
    url = reverse(name, args=[ids[obj]] if obj else [])
    response = login(client_a, admin_a).get(url)
    assert response.status_code == 200, response.content[:500]
    html = response.content.decode()
    for pattern in shows:
        assert re.search(pattern.format(**fill), html), (name, pattern)


def test_public_pages_render(client_a, region_a, region_objects, in_region):
    from tenants.mpp.models import Offering

    ids = region_objects(region_a)
    with in_region(region_a):
        service = Offering.objects.select_related("service").get(pk=ids["offering"]).service
    name = escape(service.name)
    for url, shows in [
        (reverse("mpp:home"), [escape(region_a.region.name)]),
        (reverse("mpp:offerings"), [name, "Izin Reklame"]),
        (reverse("mpp:offerings") + "?per=peristiwa", ["Izin Reklame"]),
        (reverse("mpp:offerings") + "?q=reklame", ["Izin Reklame"]),
        (reverse("mpp:offering", args=[ids["offering_code"]]), [name]),
        (reverse("mpp:booths"), ["G-1"]),
        (reverse("mpp:info"), [escape(region_a.region.name)]),
    ]:
        response = client_a.get(url)
        assert response.status_code == 200, (url, response.content[:500])
        for text in shows:
            assert text in response.content.decode(), (url, text)
    # the search narrows: the adopted service does not match "reklame"
    if "reklame" not in service.name.lower():
        found = client_a.get(reverse("mpp:offerings") + "?q=reklame").content.decode()
        assert name not in found
