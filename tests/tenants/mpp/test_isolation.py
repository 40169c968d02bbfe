"""Every console page and every admin API endpoint of region B refuses (404) region A's admin,
region A's operator and anonymous users; operators cannot do admin-only actions.

The routes are enumerated from the URL configuration, so a new route is covered automatically
(and must say which object its ``pk`` is, in ``PK_OBJECT``).
"""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from shared.accounts.models import Membership, Role
from shared.catalogue.models import ServiceAvailability
from tenants.audit.models import AuditEntry
from tenants.mpp.models import Announcement, Booth, Closure, Counter, Offering
from tests.conftest import host_of
from tests.tenants.mpp.conftest import login

# Which object a route's ``pk`` stands for.
PK_OBJECT = {
    "booth_edit": "booth",
    "closure_delete": "closure",
    "offering_edit": "offering",
    "offering_drop": "offering",
    "offering_acknowledge": "offering",
    "offering_readopt": "offering",
    "local_edit": "local",
    "counter_edit": "counter",
    "staff_edit": "membership",
    "staff_deactivate": "membership",
    "staff_reactivate": "membership",
    "announcement_edit": "announcement",
    "announcement_delete": "announcement",
    "mpp-booth": "booth",
    "mpp-closure": "closure",
    "mpp-offering": "offering",
    "mpp-local-service": "local",
    "mpp-counter": "counter",
    "mpp-staff": "membership",
    "mpp-announcement": "announcement",
}
# Console pages every staff role may read; the rest are for DPMPTSP admins.
STAFF_READABLE = {"dashboard", "booths", "offerings", "counters"}
PUBLIC_API = {"status", "booths", "info", "mpp-public-offering-list", "mpp-public-offering-detail"}
API_METHODS = ("get", "post", "put", "patch", "delete")


def _routes(namespace: str):
    """(name, parameter names) of every route in a namespace of the regional URLconf."""
    _prefix, resolver = get_resolver().namespace_dict[namespace]
    out = []
    for name in resolver.reverse_dict:
        if not isinstance(name, str):
            continue
        params = resolver.reverse_dict.getlist(name)[0][0][0][1]
        out.append((name, params))
    return sorted(out)


def _url(namespace: str, name: str, params, ids) -> str:
    if not params:
        return reverse(f"{namespace}:{name}")
    key = next((v for k, v in PK_OBJECT.items() if name == k or name.startswith(k + "-")), None)
    assert key is not None, f"add {name} to PK_OBJECT"
    return reverse(f"{namespace}:{name}", kwargs={"pk": ids[key]})


def console_urls(ids):
    return [(name, _url("mpp_admin", name, params, ids)) for name, params in _routes("mpp_admin")]


def admin_api_urls(ids):
    return [
        (name, _url("mpp_api", name, params, ids))
        for name, params in _routes("mpp_api")
        if name not in PUBLIC_API
    ]


def snapshot(in_region, mpp):
    with in_region(mpp):
        return {
            "booths": list(Booth.objects.values_list("pk", "number", "is_active")),
            "offerings": list(
                Offering.objects.values_list("pk", "is_active", "fee_amount", "channels")
            ),
            "counters": list(Counter.objects.values_list("pk", "number", "is_active")),
            "closures": list(Closure.objects.values_list("pk", "reason")),
            "announcements": list(Announcement.objects.values_list("pk", "title")),
            "audit": AuditEntry.objects.count(),
            "memberships": list(
                Membership.objects.filter(region=mpp.region).values_list("pk", "role", "is_active")
            ),
            "index": ServiceAvailability.objects.filter(region=mpp.region).count(),
        }


def test_route_enumeration_is_complete(region_b, region_objects):
    ids = region_objects(region_b)
    assert len(console_urls(ids)) >= 25
    assert {n for n, _u in admin_api_urls(ids)} >= {
        "mpp-booth-list",
        "mpp-booth-detail",
        "mpp-booth-hours",
        "mpp-offering-list",
        "mpp-offering-detail",
        "mpp-offering-changes",
        "mpp-offering-acknowledge",
        "mpp-staff-deactivate",
        "hours",
        "admin-info",
        "catalogue",
    }


@pytest.mark.parametrize("who", ["admin_of_a", "operator_of_a", "anonymous"])
def test_region_b_console_and_admin_api_refuse_outsiders(
    who, region_a, region_b, make_user, region_objects, in_region
):
    ids = region_objects(region_b)
    client = Client(HTTP_HOST=host_of(region_b))
    if who != "anonymous":
        role = Role.DPMPTSP_ADMIN if who == "admin_of_a" else Role.OPERATOR
        login(client, make_user(role=role, region=region_a))
    before = snapshot(in_region, region_b)

    for name, url in console_urls(ids):
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"number": "X"})
            if who == "anonymous":  # the sign-in page, nothing about the console
                assert response.status_code == 302, (who, method, name, url)
                assert "/akun/masuk/" in response["Location"]
            else:
                assert response.status_code == 404, (who, method, name, url)
            assert b"Izin Reklame" not in response.content

    for name, url in admin_api_urls(ids):
        for method in API_METHODS:
            response = getattr(client, method)(
                url, {"number": "X", "reason": "x"}, content_type="application/json"
            )
            assert response.status_code == 404, (who, method, name, url)

    assert snapshot(in_region, region_b) == before


def test_operator_cannot_do_admin_only_actions(region_a, make_user, region_objects, in_region):
    ids = region_objects(region_a)
    client = login(
        Client(HTTP_HOST=host_of(region_a)), make_user(role=Role.OPERATOR, region=region_a)
    )
    before = snapshot(in_region, region_a)

    for name, url in console_urls(ids):
        get = client.get(url)
        post = client.post(url, {"number": "X"})
        if name in STAFF_READABLE:  # read-only pages: nothing to post
            assert (get.status_code, post.status_code) == (200, 405), (name, url)
        else:
            assert (get.status_code, post.status_code) == (404, 404), (name, url)

    for name, url in admin_api_urls(ids):
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(
                url, {"number": "X"}, content_type="application/json"
            )
            assert response.status_code == 404, (method, name, url)

    assert snapshot(in_region, region_a) == before


def test_operator_may_read_but_not_change(region_a, make_user, region_objects):
    ids = region_objects(region_a)
    client = login(
        Client(HTTP_HOST=host_of(region_a)), make_user(role=Role.OPERATOR, region=region_a)
    )
    for name, key in (
        ("mpp-booth-list", "booth"),
        ("mpp-offering-list", "offering"),
        ("mpp-counter-list", "counter"),
    ):
        listing = client.get(reverse(f"mpp_api:{name}"))
        assert listing.status_code == 200, name
        rows = listing.json()
        rows = rows["results"] if isinstance(rows, dict) else rows
        assert ids[key] in [row["id"] for row in rows], name  # the region's own rows
    hours = client.get(reverse("mpp_api:hours"))
    assert hours.status_code == 200
    assert hours.json()  # the region's opening hours, not an empty body
    detail = client.get(reverse("mpp_api:mpp-offering-detail", kwargs={"pk": ids["offering"]}))
    assert detail.status_code == 200
    assert detail.json()["id"] == ids["offering"]
    assert client.get(reverse("mpp_api:mpp-staff-list")).status_code == 404
    assert client.get(reverse("mpp_api:mpp-announcement-list")).status_code == 404
    assert client.get(reverse("mpp_admin:offerings")).content.count(b"/kelola/layanan/adopsi/") == 0


def test_superadmin_may_support_a_region(region_b, make_user, region_objects):
    ids = region_objects(region_b)
    client = login(Client(HTTP_HOST=host_of(region_b)), make_user(superadmin=True))
    dashboard = client.get(reverse("mpp_admin:dashboard"))
    assert dashboard.status_code == 200
    assert f"Konsol MPP {region_b.region.name}" in dashboard.content.decode()
    url = reverse("mpp_api:mpp-booth-detail", kwargs={"pk": ids["booth"]})
    booth = client.get(url)
    assert booth.status_code == 200
    assert (booth.json()["id"], booth.json()["number"]) == (ids["booth"], "G-1")


def test_public_api_serves_only_this_regions_data(
    client_a, client_b, region_a, region_b, region_objects
):
    region_objects(region_b)
    names_b = [o["name"] for o in client_b.get("/api/v1/mpp/offerings/").json()]
    assert "Izin Reklame" in names_b
    assert client_a.get("/api/v1/mpp/offerings/").json() == []
    assert client_a.get("/api/v1/mpp/offerings/lokal-izin-reklame/").status_code == 404
