"""A suspended region keeps its data, refuses its staff, and shows citizens a notice."""

import pytest
from django.test import Client

from onboarding import services
from onboarding.models import Stage
from shared.accounts.models import Role
from shared.regions.models import Mpp
from tests.conftest import sign_in

HOST = "bintan.mpp.localhost"
PASSWORD = "rahasia-123"


@pytest.fixture
def live_bintan(make_onboarding):
    mpp = services.mpp_provision(region=make_onboarding(stage=Stage.DESIGNATED).region)
    return mpp.region.onboardings.get(), mpp


@pytest.fixture
def people(make_user, live_bintan):
    _onboarding, mpp = live_bintan
    return {
        "admin": make_user(role=Role.DPMPTSP_ADMIN, region=mpp, email="admin@bintan.test"),
        "operator": make_user(role=Role.OPERATOR, region=mpp, email="operator@bintan.test"),
        "citizen": make_user(email="warga@bintan.test"),
        "superadmin": make_user(superadmin=True, email="super@kemenpanrb.test"),
    }


def _suspend(onboarding, actor, notice=""):
    services.onboarding_suspend(
        actor=actor, onboarding=onboarding, reason="Tidak melapor dua tahun.", public_notice=notice
    )


def _sign_in(email):
    client = Client(HTTP_HOST=HOST)
    return client, sign_in(client, email, PASSWORD)


def test_live_region_lets_its_staff_in(people):
    client, response = _sign_in("admin@bintan.test")
    assert response.status_code == 302
    assert client.get("/api/v1/admin/members/").status_code == 200


@pytest.mark.parametrize("who", ["admin", "operator"])
def test_suspended_region_refuses_staff_sign_in(live_bintan, people, who):
    _suspend(live_bintan[0], people["superadmin"])
    client, response = _sign_in(people[who].email)
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session


def test_suspended_region_refuses_staff_already_signed_in(live_bintan, people):
    client, _response = _sign_in("admin@bintan.test")
    _suspend(live_bintan[0], people["superadmin"])
    response = client.get("/api/v1/admin/members/")
    assert response.status_code == 403
    assert "ditangguhkan" in response.json()["detail"]


def test_superadmin_and_citizens_may_still_sign_in(live_bintan, people):
    _suspend(live_bintan[0], people["superadmin"])
    for who in ("superadmin", "citizen"):
        client, response = _sign_in(people[who].email)
        assert response.status_code == 302, who
    client, _response = _sign_in(people["superadmin"].email)
    assert client.get("/api/v1/admin/members/").status_code == 200


def test_citizens_see_the_notice_on_the_regions_site(live_bintan, people):
    _suspend(live_bintan[0], people["superadmin"], notice="Hubungi kantor DPMPTSP Bintan.")
    response = Client(HTTP_HOST=HOST).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "sedang ditangguhkan" in body
    assert "Hubungi kantor DPMPTSP Bintan." in body
    assert "Tidak melapor" not in body  # the internal reason stays internal


def test_no_notice_on_a_live_region_or_another_region(live_bintan, people, client_a):
    assert "ditangguhkan" not in Client(HTTP_HOST=HOST).get("/").content.decode()
    _suspend(live_bintan[0], people["superadmin"])
    assert "ditangguhkan" not in client_a.get("/").content.decode()


def test_data_is_kept_and_staff_return_after_reinstatement(live_bintan, people, in_region):
    onboarding, mpp = live_bintan
    _suspend(onboarding, people["superadmin"])
    from onboarding.provisioning.template import schema_exists

    assert schema_exists(mpp.schema_name)
    services.onboarding_reinstate(actor=people["superadmin"], onboarding=onboarding)
    client, response = _sign_in("admin@bintan.test")
    assert response.status_code == 302
    assert client.get("/api/v1/admin/members/").status_code == 200
    assert Mpp.objects.get(pk=mpp.pk).status == Mpp.Status.LIVE


def test_a_region_still_provisioning_is_not_served(make_onboarding):
    from onboarding.provisioning.pipeline import pipeline_run
    from tests.onboarding.faults import inject_fault

    onboarding = make_onboarding(stage=Stage.PROVISIONING)
    with inject_fault("seed_offerings"):
        assert pipeline_run(onboarding_id=onboarding.pk) == "failed"
    assert Mpp.objects.get(region=onboarding.region).status == Mpp.Status.PROVISIONING
    assert Client(HTTP_HOST=HOST).get("/").status_code == 404


def test_suspension_and_reinstatement_are_webhook_events(live_bintan, people):
    from shared.webhooks.models import Event

    onboarding, mpp = live_bintan
    _suspend(onboarding, people["superadmin"])
    services.onboarding_reinstate(actor=people["superadmin"], onboarding=onboarding)
    events = Event.objects.filter(region=mpp.region, subject_type="region").order_by("id")
    assert [(e.kind, e.data) for e in events][-2:] == [
        ("region.suspended", {"code": mpp.region.code, "status": Mpp.Status.SUSPENDED}),
        ("region.live", {"code": mpp.region.code, "status": Mpp.Status.LIVE}),
    ]
