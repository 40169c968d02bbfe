"""The public pages of a region, cached whole for anonymous visitors (tenants/mpp/page_cache.py):
per region and language, stale as soon as the region's data changes, never for signed-in
visitors, and never carrying one visitor's CSRF token to another."""

import re

import pytest
from django.test import Client

from tenants.mpp.models import Announcement
from tenants.mpp.page_cache import CSRF_MARKER, pages_invalidate
from tests.conftest import host_of

PAGES = ["/", "/layanan/", "/gerai/", "/informasi/"]


@pytest.fixture(autouse=True)
def page_cache_on(settings, region_a, region_b, in_region):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    for mpp in (region_a, region_b):
        with in_region(mpp):
            pages_invalidate()  # nothing left over from another test


def _announce(in_region, mpp, title, callbacks):
    with callbacks(execute=True), in_region(mpp):
        Announcement.objects.create(title=title, body="Isi pengumuman.")


@pytest.mark.parametrize("path", PAGES)
def test_a_cached_page_costs_no_query(client_a, path, django_assert_num_queries):
    first = client_a.get(path)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client_a.get(path)
    assert again.status_code == 200
    # The same page, apart from the visitor's own CSRF token.
    strip = re.compile(rb'value="[^"]{32,}"')
    assert strip.sub(b"", again.content) == strip.sub(b"", first.content)


def test_a_change_to_the_region_shows_at_once(
    client_a, region_a, in_region, django_capture_on_commit_callbacks
):
    client_a.get("/")
    _announce(in_region, region_a, "Layanan malam dibuka", django_capture_on_commit_callbacks)
    assert "Layanan malam dibuka" in client_a.get("/").content.decode()


def test_regions_and_languages_have_their_own_copies(
    client_a, client_b, region_a, in_region, django_capture_on_commit_callbacks
):
    _announce(in_region, region_a, "Khusus Banyuwangi", django_capture_on_commit_callbacks)
    assert "Khusus Banyuwangi" in client_a.get("/").content.decode()
    assert "Khusus Banyuwangi" not in client_b.get("/").content.decode()
    indonesian = client_a.get("/informasi/").content.decode()
    english = client_a.get("/informasi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="id"' in indonesian
    assert 'lang="en"' in english


def test_signed_in_visitors_are_never_served_the_anonymous_copy(
    client_a, region_a, make_user, in_region, django_capture_on_commit_callbacks
):
    client_a.get("/")  # cached for anonymous visitors
    citizen = make_user(full_name="Warga Teruji")
    signed_in = Client(HTTP_HOST=host_of(region_a))
    signed_in.force_login(citizen)
    page = signed_in.get("/").content.decode()
    assert "Keluar" in page
    assert "Keluar" not in client_a.get("/").content.decode()


def test_each_visitor_gets_their_own_csrf_token(region_a):
    tokens = []
    for _ in range(2):
        visitor = Client(HTTP_HOST=host_of(region_a), enforce_csrf_checks=True)
        page = visitor.get("/").content.decode()
        assert CSRF_MARKER not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        tokens.append(token)
        # The token works for this visitor: the language switch is accepted.
        response = visitor.post(
            "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
    assert tokens[0] != tokens[1]


def test_searches_are_not_cached(client_a, django_assert_max_num_queries):
    client_a.get("/layanan/?q=paspor")
    with django_assert_max_num_queries(50) as queries:
        client_a.get("/layanan/?q=paspor")
    assert len(queries) > 0


def test_off_when_the_setting_is_zero(settings, client_a, django_assert_max_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client_a.get("/")
    with django_assert_max_num_queries(50) as queries:
        client_a.get("/")
    assert len(queries) > 0


def test_a_copy_rendered_before_a_change_is_never_served_after_it(client_a, region_a, in_region):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from tenants.mpp import page_cache

    request = RequestFactory().get("/", HTTP_HOST=host_of(region_a))
    with in_region(region_a):
        hit = page_cache.lookup(request)
        pages_invalidate()  # a change commits while the page renders
        page_cache.store(request, hit, HttpResponse("<p>lama</p>"))
        assert page_cache.lookup(request).html is None
