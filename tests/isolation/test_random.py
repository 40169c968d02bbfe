"""The randomized isolation run: at least 20 live regions, at least 10,000 requests mixing
people (anonymous, a citizen who owns nothing, every staff role of every region, a superadmin),
hosts, routes, methods and object ids taken from *other* regions. No response may carry another
region's data (each region's rows carry its own marker), and none may be a server error.

Everything, the 18 extra regions included, is made inside the test's transaction and rolled back.
"""

from __future__ import annotations

import os
import random
import re
import time

import pytest
from django.test import Client

from onboarding.services import mpp_provision
from shared.regions.models import Region
from tests.conftest import REGION_A_CODE, REGION_B_CODE
from tests.isolation.routes import NATIONAL, REGIONAL, all_routes, fill
from tests.isolation.test_routes import _national_objects, _request, body
from tests.isolation.world import add_evaluation, build_world, make_citizen

REGIONS = 20
REQUESTS = int(os.environ.get("MPP_ISOLATION_REQUESTS", "10000"))
MARKER = re.compile(rb"MRK\d{4}")


@pytest.fixture
def many_worlds(region_a, region_b, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    others = Region.objects.exclude(code__in=[REGION_A_CODE, REGION_B_CODE]).order_by("code")
    mpps = [region_a, region_b] + [mpp_provision(region=region) for region in others[: REGIONS - 2]]
    national = _national_objects()
    worlds = []
    with django_capture_on_commit_callbacks(execute=False):
        for n, mpp in enumerate(mpps):
            world = build_world(mpp, marker=f"MRK{1000 + n}", serial=400 + n)
            world.national = national
            worlds.append(world)
        add_evaluation(worlds, worlds[0].superadmin)
    return worlds


def test_randomized_requests_never_cross_regions(many_worlds, settings):
    worlds = many_worlds
    # Sessions in signed cookies: no session row to read per request (the run is about views).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    assert len({w.region.code for w in worlds}) >= REGIONS
    rng = random.Random(20261130)  # fixed: a failure can be replayed
    visitor, _profile = make_citizen("visitor@test.example", "Pengunjung", 399)
    people = [("anonymous", None, None), ("citizen", visitor, None)]
    for world in worlds:
        for role in ("admin", "supervisor", "operator", "other_operator"):
            people.append((role, getattr(world, role), world))
    people.append(("superadmin", worlds[0].superadmin, None))
    regional = [r for r in all_routes(REGIONAL) if r.rule is not None]
    national = [r for r in all_routes(NATIONAL) if r.rule is not None]
    clients: dict[int, Client] = {}

    def client_for(person_index: int) -> Client:
        # One client per person; the host is given per request (the session cookie is for the
        # parent domain, so one sign-in works on every host, as in a browser).
        if person_index not in clients:
            clients[person_index] = Client()
            user = people[person_index][1]
            if user is not None:
                clients[person_index].force_login(user)
        return clients[person_index]

    national_host = settings.MPP_BASE_DOMAIN
    failures: list[str] = []
    started = time.monotonic()
    for _n in range(REQUESTS):
        person = rng.randrange(len(people))
        if rng.random() < 0.1:
            host, here, route = national_host, None, rng.choice(national)
        else:
            here = rng.choice(worlds)
            host, route = here.host, rng.choice(regional)
        # Object ids come from another region than the host's.
        source = rng.choice([w for w in worlds if w is not here])
        url = route.url(fill(route, source))
        method = rng.choice(route.methods)
        client = client_for(person)
        response = _request(client, method, url, api=route.is_api, host=host)
        # A flash message of a rolled-back action would show on the next page of any host
        # (the person's own message, not another region's data): forget it.
        client.cookies.pop("messages", None)
        where = f"{people[person][0]} {method.upper()} {host}{url}"
        if response.status_code >= 500:
            failures.append(f"{where}: {response.status_code}")
            continue
        own = here.marker.encode() if here is not None else None
        leaked = {m for m in MARKER.findall(body(response)) if m != own}
        if leaked:
            failures.append(f"{where}: carries {sorted(leaked)} ({response.status_code})")
    elapsed = time.monotonic() - started
    assert failures == [], f"{len(failures)} of {REQUESTS}:\n" + "\n".join(failures[:50])
    print(f"{REQUESTS} requests over {len(worlds)} regions in {elapsed:.0f} s")
