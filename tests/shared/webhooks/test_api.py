"""The subscriber API and the event feed on both sites: who may use them, what each sees."""

import pytest

from shared.webhooks.models import EventKind, Subscriber
from shared.webhooks.services import event_emit, subscriber_create


def _emit(region, n):
    return event_emit(
        kind=EventKind.BOOKING_CREATED,
        region=region,
        subject_type="booking",
        subject_id=n,
        data={"status": "booked", "service_date": "2026-12-02", "slot_start": "09:00"},
    )


@pytest.fixture
def admin_a(make_user, region_a):
    return make_user(role="dpmptsp_admin", region=region_a)


def test_region_admin_registers_a_subscriber_and_sees_the_secret_once(db, client_a, admin_a):
    client_a.force_login(admin_a)
    response = client_a.post(
        "/api/v1/webhooks/subscribers/",
        {
            "name": "Portal kabupaten",
            "url": "http://127.0.0.1:8123/hook",
            "event_kinds": ["booking.created"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["secret"]) == 64
    sub = Subscriber.objects.get(pk=body["id"])
    assert sub.region_id == admin_a.memberships.get().region_id
    listed = client_a.get("/api/v1/webhooks/subscribers/").json()["results"]
    assert [s["id"] for s in listed] == [sub.id]
    assert "secret" not in listed[0]


def test_a_bad_subscriber_is_refused_with_a_problem(db, client_a, admin_a, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    client_a.force_login(admin_a)
    response = client_a.post(
        "/api/v1/webhooks/subscribers/", {"name": "x", "url": "http://portal.example/hook"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "url_refused"
    assert "HTTPS" in response.json()["detail"]
    response = client_a.post(
        "/api/v1/webhooks/subscribers/", {"name": "x", "url": "bukan url", "event_kinds": ["x"]}
    )
    assert response.status_code == 400
    # Nested errors are dotted paths: the first item of event_kinds is "event_kinds.0".
    assert set(response.json()["errors"]) == {"url", "event_kinds.0"}
    assert not Subscriber.objects.exists()


def test_another_regions_subscriber_is_404_and_others_are_refused(
    db, client_a, client_b, region_a, region_b, admin_a, make_user
):
    sub = subscriber_create(
        actor=admin_a, region=region_a.region, name="A", url="http://127.0.0.1:1/"
    )
    admin_b = make_user(role="dpmptsp_admin", region=region_b)
    client_b.force_login(admin_b)
    assert client_b.get(f"/api/v1/webhooks/subscribers/{sub.id}/").status_code == 404
    assert client_b.delete(f"/api/v1/webhooks/subscribers/{sub.id}/").status_code == 404
    assert client_b.get("/api/v1/webhooks/subscribers/").json()["results"] == []
    # An operator of region A (not an admin) and anonymous callers see nothing.
    operator = make_user(role="operator", region=region_a)
    client_a.force_login(operator)
    assert client_a.get("/api/v1/webhooks/subscribers/").status_code == 404
    client_a.logout()
    assert client_a.get("/api/v1/webhooks/subscribers/").status_code == 404
    assert client_a.get("/api/v1/events/").status_code == 404
    assert Subscriber.objects.filter(pk=sub.id).exists()


def test_national_subscribers_are_for_superadmins_on_the_national_site(
    db, national_client, make_user, admin_a
):
    national_client.force_login(admin_a)
    assert national_client.get("/api/v1/webhooks/subscribers/").status_code == 403
    national_client.force_login(make_user(superadmin=True))
    response = national_client.post(
        "/api/v1/webhooks/subscribers/", {"name": "Portal nasional", "url": "http://127.0.0.1:1/"}
    )
    assert response.status_code == 201
    assert Subscriber.objects.get(pk=response.json()["id"]).region is None


def test_region_feed_pages_by_cursor_and_holds_only_this_regions_events(
    db, client_a, region_a, region_b, admin_a
):
    mine = [_emit(region_a.region, n).id for n in range(5)]
    _emit(region_b.region, 99)
    client_a.force_login(admin_a)
    seen = []
    url = "/api/v1/events/?type=booking.created&page_size=2"
    for _page in range(3):
        body = client_a.get(url).json()
        assert all(e["region"]["code"] == "35.10" for e in body["results"])
        seen += [e["id"] for e in body["results"]]
        url = body["next"]
    assert seen == mine
    # The last page still links onward: polling it returns nothing until something happens,
    # then exactly what happened after the cursor.
    body = client_a.get(url).json()
    assert body["results"] == []
    assert body["next"]
    later = _emit(region_a.region, 6).id
    _emit(region_b.region, 7)
    assert [e["id"] for e in client_a.get(body["next"]).json()["results"]] == [later]


def test_national_feed_holds_every_region(db, national_client, region_a, region_b, make_user):
    ids = {_emit(region_a.region, 1).id, _emit(region_b.region, 2).id}
    national_client.force_login(make_user(superadmin=True))
    body = national_client.get("/api/v1/events/").json()
    assert {e["id"] for e in body["results"]} >= ids
    for event in body["results"]:
        assert set(event) == {"id", "type", "occurred_at", "region", "subject", "data", "links"}
