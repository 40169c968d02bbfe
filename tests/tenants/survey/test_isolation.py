"""Every route of the survey (enumerated from the URL configuration, so a new one is covered):
region B's pages refuse region A's staff and anonymous users; region A's invitation does not
exist on region B's site; nothing of the survey exists on the national site."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from shared.accounts.models import Role
from tenants.survey.models import FollowUpAction
from tests.conftest import host_of
from tests.tenants.survey.factories import invitation

PUBLIC = {"public"}  # anyone on the region's own site
TOKEN_ROUTES = {"respond", "thanks"}  # anyone holding the region's own invitation
TABLET = {"tablet"}  # the region's staff or its kiosk devices
METHODS = ("get", "post")


def survey_routes() -> list[tuple[str, list[str]]]:
    _prefix, resolver = get_resolver("mpp_platform.urls_regional").namespace_dict["survey"]
    out = []
    for name in resolver.reverse_dict:
        if isinstance(name, str):
            out.append((name, resolver.reverse_dict.getlist(name)[0][0][0][1]))
    return sorted(out)


def test_routes_are_all_classified():
    names = {name for name, _params in survey_routes()}
    admin = names - PUBLIC - TOKEN_ROUTES - TABLET
    assert admin == {
        "report",
        "report_csv",
        "report_pdf",
        "trends",
        "settings",
        "follow_up_add",
        "follow_up_delete",
    }


@pytest.fixture
def objects_of_b(region_b, in_region):
    with in_region(region_b):
        return {
            "token": invitation(None).token,
            "pk": FollowUpAction.objects.create(period="2026", action="B").pk,
        }


def _url(name, params, objects) -> str:
    kwargs = {p: objects[p] for p in params}
    return reverse(f"survey:{name}", kwargs=kwargs, urlconf="mpp_platform.urls_regional")


def test_region_bs_survey_refuses_region_as_staff_and_anonymous_users(
    region_a, region_b, make_user, objects_of_b
):
    host_b = host_of(region_b)
    visitors = {
        "anonymous": None,
        "admin of A": make_user(role=Role.DPMPTSP_ADMIN, region=region_a),
        "operator of A": make_user(role=Role.OPERATOR, region=region_a),
    }
    for label, user in visitors.items():
        client = Client(HTTP_HOST=host_b)
        if user is not None:
            client.force_login(user)
        for name, params in survey_routes():
            if name in PUBLIC or name in TOKEN_ROUTES:
                continue  # B's own public pages and B's own invitations are public
            url = _url(name, params, objects_of_b)
            for method in METHODS:
                status = getattr(client, method)(url).status_code
                if name in TABLET:
                    expected = 403  # the "not a survey tablet" page
                elif user is None:
                    expected = 302  # sign in first (then: 404, as for A's staff)
                else:
                    expected = 404
                assert status == expected, (label, method, url, status)


def test_region_as_invitation_is_not_found_on_region_bs_site(region_a, in_region, client_b):
    with in_region(region_a):
        token = invitation(None).token
    respond = reverse("survey:respond", kwargs={"token": token})
    assert client_b.get(respond).status_code == 404
    assert client_b.post(respond, {"u1": "4"}).status_code == 404
    assert client_b.get(reverse("survey:thanks", kwargs={"token": token})).status_code == 404


def test_nothing_of_the_survey_on_the_national_site(national_client, region_a, in_region):
    with in_region(region_a):
        token = invitation(None).token
    for path in ("/survei/", f"/survei/isi/{token}/", "/survei/tablet/", "/survei/kelola/"):
        assert national_client.get(path).status_code == 404, path
