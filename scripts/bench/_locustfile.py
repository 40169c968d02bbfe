"""Locust users of scripts/bench/load.py (headless; not a bench itself: its name starts with _).

The plan (hosts, tokens, sessions, bookable slots) comes from the JSON file named by
``MPP_LOAD_PLAN``. Every request goes to the loopback address given as ``--host``; the site is
chosen by the Host header, as a reverse proxy would pass it.
"""

import json
import os
import random
import re

from locust import FastHttpUser, task

PLAN = json.loads(open(os.environ["MPP_LOAD_PLAN"]).read())  # noqa: SIM115
REGIONS = PLAN["regions"]
NATIONAL = PLAN["national_host"]
_BOOKING_CODE = re.compile(r"/antrean/booking/([^/]+)/")


class HealthUser(FastHttpUser):
    """Baseline: the cheapest answer of the same server."""

    @task
    def healthz(self):
        self.client.get("/healthz", headers={"Host": NATIONAL}, name="healthz")


def _public_page(client):
    region = random.choice(REGIONS)
    path = random.choice(
        ["/", "/layanan/", "/gerai/", "/informasi/", f"/layanan/{random.choice(region['codes'])}/"]
    )
    name = "page " + (path if path.count("/") <= 2 else "/layanan/<kode>/")
    client.get(path, headers={"Host": region["host"]}, name=name)


class PageUser(FastHttpUser):
    """A region's public pages: home, offerings, an offering, booths, information."""

    @task
    def page(self):
        _public_page(self.client)


class MixUser(FastHttpUser):
    """The mix of a working day."""

    @task(6)
    def page(self):
        _public_page(self.client)

    @task(2)
    def national_search(self):
        term = random.choice(PLAN["search_terms"])
        self.client.get(f"/layanan/?q={term}", headers={"Host": NATIONAL}, name="national search")

    @task(2)
    def staff_api(self):
        region = random.choice(REGIONS)
        self.client.get(
            "/api/v1/staff/applications/",
            headers={"Host": region["host"], "Authorization": f"Token {region['token']}"},
            name="staff api worklist",
        )

    @task(1)
    def booking(self):
        """Book a slot online as a signed-in citizen, then cancel it (the limits stay clear)."""
        region = random.choice(REGIONS)
        citizen = random.choice(PLAN["citizens"])
        headers = {
            "Host": region["host"],
            "Cookie": f"mpp_session={citizen['session']}; mpp_csrftoken={citizen['csrf']}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        slot = region["slot"]
        body = f"tanggal={slot['date']}&jam={slot['time']}&csrfmiddlewaretoken={citizen['csrf']}"
        with self.client.post(
            f"/antrean/pesan/{slot['offering']}/",
            data=body,
            headers=headers,
            name="booking create",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            found = _BOOKING_CODE.search(response.headers.get("Location") or "")
            if response.status_code != 302 or not found:
                response.failure(f"booking refused: {response.status_code}")
                return
            response.success()
        self.client.post(
            f"/antrean/booking/{found.group(1)}/batal/",
            data=f"csrfmiddlewaretoken={citizen['csrf']}",
            headers=headers,
            name="booking cancel",
            allow_redirects=False,
        )
