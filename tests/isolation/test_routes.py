"""One isolation test over both URL configurations (DESIGN.md "Access: four audiences").

1. Every route of the national and the regional URL configuration declares an audience (or is
   a declared ``DANGEROUSLY_OWN_GATE`` family, with its reason).
2. Every route, with every method, as every audience of *another* region: anonymous, a citizen,
   an operator of another booth, the operator, supervisor and admin of region B, region B's staff
   while B is suspended, and a superadmin. Ids in the URL are region B's objects: on region A's
   host they answer 404 (never 403, never data). No response on A's host carries B's marker.
3. Positive control: on region B's host, B's own people get B's objects (200).
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test import Client

from kernel.routing import clear_routing_cache
from shared.access.gate import dangerous_exceptions
from shared.access.policy import Audience, Host
from shared.accounts.models import Role
from shared.regions.models import Mpp
from tests.isolation.routes import (
    BOOTH_SCOPED,
    NATIONAL,
    PLACEHOLDER,
    REGIONAL,
    Route,
    all_routes,
    fill,
    own_gate_reason,
    points_at_region_object,
)
from tests.isolation.world import add_evaluation, build_world, make_citizen

SERVER_ERROR = 500


def _audience_table() -> dict[str, Counter]:
    table: dict[str, Counter] = {}
    for conf in (NATIONAL, REGIONAL):
        counts: Counter = Counter()
        for route in all_routes(conf):
            rule = route.rule
            counts["own gate" if rule is None else str(rule.audience)] += 1
        table[conf] = counts
    return table


def test_every_route_declares_an_audience():
    missing, exceptions = [], {}
    for conf in (NATIONAL, REGIONAL):
        for route in all_routes(conf):
            if route.view_class is not None:
                exceptions.update(
                    {
                        f"{route.view_class.__qualname__}.{k}": v
                        for k, v in dangerous_exceptions(route.view_class).items()
                    }
                )
            if route.rule is not None:
                continue
            if own_gate_reason(route):
                continue
            missing.append(f"{conf}: {route.pattern} ({route.view_class or route.view})")
    assert missing == [], "routes without an audience:\n" + "\n".join(missing)
    # Every exception says why (the gate refuses an empty reason at import).
    assert all(isinstance(reason, str) and reason for reason in exceptions.values())
    table = _audience_table()
    assert table[REGIONAL][str(Audience.REGION_STAFF)] > 50
    assert table[NATIONAL][str(Audience.SUPERADMIN)] > 10


# --- the walk ------------------------------------------------------------------------------------


@pytest.fixture
def worlds(region_a, region_b, settings, tmp_path, django_capture_on_commit_callbacks):
    """Region A and region B, each with one of everything; B's ids exist nowhere in A."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    restore = _bump_sequences(region_b.schema_name, 5_000_000)
    try:
        with django_capture_on_commit_callbacks(execute=False):
            a = build_world(region_a, marker="MRKAAA", serial=101)
            b = build_world(region_b, marker="MRKBBB", serial=202)
            add_evaluation([a, b], a.superadmin)
        assert b.application.pk >= 5_000_000, "region B's ids must exist nowhere in region A"
        national = _national_objects()
        a.national = b.national = national
        yield SimpleNamespace(a=a, b=b)
    finally:
        _restore_sequences(region_b.schema_name, restore)


def _national_objects():
    from shared.catalogue.models import Agency, DocumentType, Service
    from tests.tenants.mpp.factories import ServiceFactory

    service = Service.objects.first() or ServiceFactory()
    return SimpleNamespace(
        service=service,
        agency=Agency.objects.get(pk=service.agency_id),
        document_type=DocumentType.objects.first(),
    )


def _bump_sequences(schema: str, to: int) -> list[tuple[str, int, bool]]:
    """Move every sequence of ``schema`` to ``to`` (non-transactional, so restored after)."""
    saved = []
    with connection.cursor() as cursor:
        # pg_sequences, not information_schema: the latter omits a clone's identity sequences.
        cursor.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = %s", [schema])
        for (name,) in cursor.fetchall():
            qualified = f'"{schema}"."{name}"'
            cursor.execute(f"SELECT last_value, is_called FROM {qualified}")
            last, called = cursor.fetchone()
            saved.append((qualified, last, called))
            cursor.execute("SELECT setval(%s, %s)", [qualified, to])
    return saved


def _restore_sequences(schema: str, saved) -> None:
    with connection.cursor() as cursor:
        for qualified, last, called in saved:
            cursor.execute("SELECT setval(%s, %s, %s)", [qualified, last, called])


def _request(client: Client, method: str, url: str, *, api: bool, host: str | None = None):
    """One request, its writes rolled back (every route is tried with every method)."""
    extra = {"HTTP_HOST": host} if host else {}
    with transaction.atomic():
        if method == "get":
            response = client.get(url, **extra)
        elif api:
            response = client.generic(
                method.upper(), url, "{}", content_type="application/json", **extra
            )
        else:
            response = client.generic(
                method.upper(), url, "", content_type="application/x-www-form-urlencoded", **extra
            )
        transaction.set_rollback(True)
    return response


def _client(host: str, user=None, **extra) -> Client:
    client = Client(HTTP_HOST=host, **extra)
    if user is not None:
        client.force_login(user)
    return client


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _redirect_elsewhere(response) -> bool:
    """A GET on an action URL that sends back to a list, without touching the object."""
    location = response.get("Location", "")
    return response.status_code == 302 and not any(c.isdigit() for c in location)


def _signed_in_redirect(response) -> bool:
    return response.status_code == 302 and "/akun/masuk/" in response.get("Location", "")


def _expect(route: Route, method: str, persona: str, *, foreign_ids: bool, host_national: bool):
    """What ``persona`` must get: a set of statuses, or None for "passes the gate" (no 500)."""
    rule = route.rule.for_method(method.upper())
    api = route.is_api
    on_right_host = rule.host is Host.ANY or (rule.host is Host.NATIONAL) == host_national
    if not on_right_host:
        return {404}
    if persona == "suspended_staff":
        if rule.audience is Audience.REGION_STAFF or rule.device is not None:
            return {403}
        return None
    if rule.audience is Audience.PUBLIC and rule.device is not None:
        if persona in ("other_booth", "superadmin"):
            return None
        return {404} if api else {403}
    if rule.audience is Audience.PUBLIC:
        return None
    if persona == "anonymous":
        if api:
            return {404} if rule.audience is Audience.REGION_STAFF else {401, 403}
        return {"sign-in"}
    if rule.audience is Audience.CITIZEN:
        return None
    if rule.audience is Audience.SUPERADMIN:
        if persona == "superadmin":
            return None
        return {403} if api else {404}
    # region staff
    if persona == "superadmin":
        return None
    if persona == "other_booth" and Role.OPERATOR in rule.roles:
        return None
    return {404}


def _check(failures, route, method, persona, response, expected, *, foreign_ids, marker):
    status = response.status_code
    where = f"{persona} {method.upper()} {route.name} {response.request['PATH_INFO']}"
    if status >= SERVER_ERROR:
        failures.append(f"{where}: {status}")
        return
    if marker and marker.encode() in body(response):
        failures.append(f"{where}: carries another region's data ({status})")
    if expected is None:
        if foreign_ids and status not in (404, 405) and not _redirect_elsewhere(response):
            failures.append(f"{where}: another region's object answered {status}, not 404")
        return
    if "sign-in" in expected:
        if not _signed_in_redirect(response):
            failures.append(f"{where}: expected the sign-in page, got {status}")
        return
    if status not in expected:
        failures.append(f"{where}: expected {sorted(expected)}, got {status}")


def test_every_route_as_every_audience_of_another_region(worlds, make_user):
    a, b = worlds.a, worlds.b
    stranger, _profile = make_citizen("stranger@test.example", "Orang Lain", 303)
    personas = {
        "anonymous": None,
        "citizen": stranger,
        "other_booth": a.other_operator,
        "operator_b": b.operator,
        "supervisor_b": b.supervisor,
        "admin_b": b.admin,
        "superadmin": b.superadmin,
    }
    failures: list[str] = []
    tried = Counter()
    for conf, host, national in ((REGIONAL, a.host, False), (NATIONAL, _national_host(), True)):
        clients = {name: _client(host, user) for name, user in personas.items()}
        for route in all_routes(conf):
            if route.rule is None:  # a declared own-gate family (Django admin)
                continue
            kwargs = fill(route, b)
            url = route.url(kwargs)
            foreign = points_at_region_object(route) and not national
            for persona, client in clients.items():
                if national and persona == "other_booth":
                    continue
                for method in route.methods:
                    response = _request(client, method, url, api=route.is_api)
                    tried[conf] += 1
                    expected = _expect(
                        route, method, persona, foreign_ids=foreign, host_national=national
                    )
                    _check(
                        failures,
                        route,
                        method,
                        persona,
                        response,
                        expected,
                        foreign_ids=foreign,
                        # KemenPANRB's superadmin reviews every region's evaluation on the
                        # national site: there, region B's data is theirs to see.
                        marker="" if national and persona == "superadmin" else b.marker,
                    )
            # An operator of another booth, with this region's own booth-scoped objects: the
            # object is 404, and a list leaves out the citizen whose application it is.
            if not national and BOOTH_SCOPED.search(route.name):
                own = route.url(fill(route, a))
                for method in route.methods:
                    response = _request(clients["other_booth"], method, own, api=route.is_api)
                    tried[conf] += 1
                    status = response.status_code
                    if route.kwargs and status not in (404, 405):
                        failures.append(
                            f"other_booth {method.upper()} {route.name} {own}: "
                            f"another booth's object answered {status}"
                        )
                    elif f"Warga {a.marker}".encode() in body(response):
                        failures.append(f"other_booth {route.name}: shows another booth's data")
    # Region B's staff while B is suspended, on B's own host, with B's own objects.
    Mpp.objects.filter(pk=b.mpp.pk).update(status=Mpp.Status.SUSPENDED)
    clear_routing_cache()
    suspended = _client(b.host, b.admin)
    for route in all_routes(REGIONAL):
        url = route.url(fill(route, b))
        for method in route.methods:
            response = _request(suspended, method, url, api=route.is_api)
            tried["suspended"] += 1
            expected = _expect(
                route, method, "suspended_staff", foreign_ids=False, host_national=False
            )
            _check(
                failures,
                route,
                method,
                "suspended_staff",
                response,
                expected,
                foreign_ids=False,
                marker="",
            )
    assert failures == [], f"{len(failures)} of {sum(tried.values())}:\n" + "\n".join(failures)
    assert tried[REGIONAL] > 1000


POSITIVE_EXCEPTIONS = {
    # GET on these answers something else than 200 for their owner, by design.
    "applications:edit": "a completed application can no longer be edited (redirect)",
    "applications:counter_edit": "only an assisted draft is edited at the counter",
    "applications:counter_receipt": "only an assisted application has a counter receipt",
    "queue:kiosk_setup": "a set-up link is for a kiosk not activated yet; this one is new (200)",
    "queue:booking_cancel": "cancelling is a POST; GET shows the booking (200 or redirect)",
    "queue:booking_reschedule": "a booking of a future day can be rescheduled (200)",
    "accounts:verify_email": "a token of nobody: 400 'link invalid' for everyone",
    "accounts:password_reset_confirm": "a token of nobody: 'link invalid' for everyone",
    "api-queue-counter-action": "actions are POSTs",
    "mpp_admin:offering_edit": "a local service is edited at mpp_admin:local_edit",
    "applications:counter_dispute": "only a NIK under dispute has a dispute page",
    "complaints:tracked": "a tracked complaint is shown only to whoever holds its tracking code",
    "complaints:tracked_attachment": "the same, for its evidence",
    "survey:thanks": "shown once the survey is answered; before, it leads to the questionnaire",
}
# Who owns the object when it is not the region's admin.
POSITIVE_OWNER = {
    # A walk-in citizen is known only to the staff member who registered (or searched) them.
    "applications:counter_citizen": "operator",
    "applications:counter_start": "operator",
    "api-counter-citizen": "operator",
}


def test_positive_control_the_owner_gets_its_objects(worlds):
    b = worlds.b
    owners = {
        Audience.REGION_STAFF: b.admin,
        Audience.CITIZEN: b.owner,
        Audience.PUBLIC: b.admin,  # a device route also admits staff; plain public ones anyone
    }
    clients = {aud: _client(b.host, user) for aud, user in owners.items()}
    failures, checked, showed = [], 0, set()
    for route in all_routes(REGIONAL):
        if not points_at_region_object(route) or not route.supports_get():
            continue
        if route.name in POSITIVE_EXCEPTIONS or PLACEHOLDER.search(route.name):
            continue
        rule = route.rule
        if rule is None or rule.audience not in clients or rule.host is Host.NATIONAL:
            continue
        url = route.url(fill(route, b))
        client = clients[rule.audience]
        if route.name in POSITIVE_OWNER:
            client = _client(b.host, getattr(b, POSITIVE_OWNER[route.name]))
        response = _request(client, "get", url, api=route.is_api)
        if response.status_code == 405 or _redirect_elsewhere(response):
            continue  # an action URL: POST only (its GET leads back to a list)
        checked += 1
        if response.status_code != 200:
            failures.append(f"{route.name} {url}: {response.status_code}")
        elif b.marker.encode() in body(response):
            showed.add(route.name)
    assert failures == [], "\n".join(failures)
    assert checked > 30
    # ... and the answer is the owner's data, not an empty page.
    assert showed >= MUST_SHOW_OWNER_DATA, MUST_SHOW_OWNER_DATA - showed


MUST_SHOW_OWNER_DATA = {
    "applications:detail",
    "applications:staff_detail",
    "api-application",
    "api-staff-application",
    "mpp_admin:booth_edit",
    "mpp_api:mpp-booth-detail",
    "mpp_admin:announcement_edit",
    "queue:booking",
    "queue:desk",
    "complaints:attachment",
    "region_monitoring:evidence",
    "survey:respond",
}


def _national_host() -> str:
    from django.conf import settings

    return settings.MPP_BASE_DOMAIN
