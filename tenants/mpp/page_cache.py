"""Whole-page cache of a region's public pages (home, offerings, booths, information).

They change rarely and are the pages most visited, so an anonymous visitor gets a copy rendered
at most ``PUBLIC_PAGE_CACHE_SECONDS`` ago (60 by default; 0, as in tests, turns it off), per
region (the cache key function adds the schema name) and per language. Invalidation: every page
key carries the region's page *version*, a value in the cache that changes once a transaction
that wrote any table of this app (booths, offerings, hours, closures, announcements, general
information, counters) commits. The expiry bounds what no signal sees: today's open/closed
status as the clock moves, national catalogue edits, ``QuerySet.update()``.

Never cached: signed-in visitors (any session cookie), pending messages, query strings other
than the offering list's grouping, non-200 answers. The CSRF token of the language form is a
marker in the cached copy, replaced by the visitor's own token on the way out, so no visitor's
token is ever served to another.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

VERSION_KEY = "public-pages:version"
CSRF_MARKER = "mpp-csrf-token-placeholder"
_CACHEABLE_QUERY = {"", "per=peristiwa", "per=instansi"}


def seconds() -> int:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0))


def pages_invalidate() -> None:
    """Make every cached public page of the current region stale now."""
    cache.set(VERSION_KEY, time.time_ns(), None)


def page_key(request: HttpRequest) -> str | None:
    """The cache key of this request's page, or None when it must be rendered for it alone."""
    if not seconds() or request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    query = request.META.get("QUERY_STRING", "")
    if query not in _CACHEABLE_QUERY:
        return None
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"public-pages:{version}:{language}:{request.path}?{query}"


def serve(request: HttpRequest, key: str) -> HttpResponse | None:
    html = cache.get(key)
    if html is None:
        return None
    return HttpResponse(html.replace(CSRF_MARKER, get_token(request)))


def store(request: HttpRequest, key: str, response: HttpResponse) -> None:
    """Post-render: keep the copy (with the marker), give this visitor their own token."""
    if response.status_code != 200:
        return
    html = response.content.decode()
    cache.set(key, html, seconds())
    if CSRF_MARKER in html:
        response.content = html.replace(CSRF_MARKER, get_token(request)).encode()


def pages_changed(**_kwargs) -> None:
    """A table the public pages read changed: once committed, this region's copies are stale."""
    schema = connection.schema_name
    if schema == "public":
        return

    def _bump() -> None:
        from django_tenants.utils import schema_context

        with schema_context(schema):
            pages_invalidate()

    transaction.on_commit(_bump)


def connect_signals(models) -> None:
    for model in models:
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(pages_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(pages_changed, sender=model, dispatch_uid=uid + "-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                pages_changed, sender=field.remote_field.through, dispatch_uid=uid + field.name
            )
