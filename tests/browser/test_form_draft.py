"""A form draft kept when the connection drops: the citizen types an application, the phone loses
its connection as they press "Ajukan permohonan" (Playwright's offline mode), and when they come
back the form shows what they had typed. The draft holds only what was typed in that form (no
NIK, no hidden or secret field); it is gone once the application is accepted, and on sign-out."""

import json
import re

import pytest
from django.db import connection
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import unique
from tests.browser.pages import REGION, sign_in, walk_data

pytestmark = pytest.mark.browser

DRAFTS = """() => Object.keys(localStorage).filter((k) => k.startsWith("mpp-draft:"))
  .map((k) => [k, localStorage.getItem(k)])"""


def _offering_with_answers() -> int:
    """An online offering in Banyuwangi with two questions and no document to upload."""
    from shared.accounts.models import User
    from shared.regions.models import Mpp
    from tenants.applications.services import form_fields_save
    from tenants.mpp.services.booths import booth_create, local_agency_create
    from tenants.mpp.services.offerings import local_service_create

    admin = User.objects.get(email=walk_data().admin)
    connection.set_tenant(Mpp.objects.get(region__slug=REGION))
    try:
        agency = local_agency_create(actor=admin, name=unique("Dinas Perdagangan"))
        booth = booth_create(actor=admin, number=unique("G"), local_agency=agency, name="Gerai")
        offering = local_service_create(
            actor=admin,
            name=unique("Izin Usaha Mikro"),
            product="Izin",
            complaint_handling="SP4N-LAPOR!",
            completion_days=3,
            steps=["Ajukan daring", "Verifikasi", "Hasil"],
            requirements=[],
            booth=booth,
            channels=["online"],
        )
        form_fields_save(
            actor=admin,
            offering=offering,
            fields=[
                {"label": "Nama usaha", "kind": "text", "is_required": True},
                {
                    "label": "Jenis usaha",
                    "kind": "choice",
                    "choices": ["Makanan", "Kerajinan"],
                    "is_required": True,
                },
            ],
        )
        return offering.pk
    finally:
        connection.set_schema_to_public()


def test_typed_draft_survives_a_dropped_connection(browser, live_site):
    from shared.accounts.models import User

    walk = walk_data()
    nik = User.objects.get(email=walk.citizen).citizen_profile.nik
    form_url = live_site.region(REGION, f"/permohonan/baru/{_offering_with_answers()}/")
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_site.region(REGION, "/akun/masuk/"), walk.citizen)
    page.goto(form_url)
    restored = page.locator("[data-draft-restored]")
    expect(restored).to_be_hidden()  # nothing kept yet
    page.get_by_label("Nama usaha").fill("Warung Makan Bu Siti")
    page.get_by_label("Jenis usaha").select_option("Makanan")

    # The connection drops as the form is sent: the browser shows its own error page.
    context.set_offline(True)
    try:
        page.get_by_role("button", name="Ajukan permohonan").click()
        page.wait_for_load_state()
    except PlaywrightError:
        pass  # the navigation failed, as it does on the phone
    assert "/tanda-terima/" not in page.url

    # Back online, the citizen opens the form again: what they typed is there.
    context.set_offline(False)
    page.goto(form_url)
    expect(page.get_by_label("Nama usaha")).to_have_value("Warung Makan Bu Siti")
    expect(page.get_by_label("Jenis usaha")).to_have_value("Makanan")
    expect(restored).to_be_visible()
    page.reload()  # and after a reload
    expect(page.get_by_label("Nama usaha")).to_have_value("Warung Makan Bu Siti")

    # What the device keeps: the two answers typed in this form, nothing else.
    drafts = page.evaluate(DRAFTS)
    assert len(drafts) == 1
    key, raw = drafts[0]
    assert key.endswith(form_url.split(":", 2)[2].split("/", 1)[1])
    draft = json.loads(raw)
    assert sorted(draft["values"].values()) == ["Makanan", "Warung Makan Bu Siti"]
    assert nik not in raw
    assert "csrf" not in raw
    assert "client_key" not in raw

    # Sent with the connection back: accepted, and the draft is gone from the device.
    page.get_by_role("button", name="Ajukan permohonan").click()
    page.wait_for_url(re.compile(r"/tanda-terima/"))
    page.wait_for_load_state("load")
    assert page.evaluate(DRAFTS) == []

    # A draft started and left: signing out removes it (a phone may be shared).
    page.goto(form_url)
    expect(page.get_by_label("Nama usaha")).to_have_value("")
    page.get_by_label("Nama usaha").fill("Toko Kelontong")
    assert len(page.evaluate(DRAFTS)) == 1
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state("load")
    assert page.evaluate(DRAFTS) == []
    context.close()
