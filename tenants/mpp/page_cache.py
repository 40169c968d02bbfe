"""Whole-page cache of a region's public pages (home, offerings, booths, information).

They change rarely and are the pages most visited, so an anonymous visitor gets a copy rendered
at most ``PUBLIC_PAGE_CACHE_SECONDS`` ago (60 by default; 0, as in tests, turns it off), per
region (the cache key function adds the schema name) and per language. Invalidation: each copy
is stored with the region's page *version*, a value in the cache that changes once a transaction
that wrote any table of this app (booths, offerings, hours, closures, announcements, general
information, counters) commits; a copy of another version is a miss. The expiry bounds what no
signal sees: today's open/closed status as the clock moves, national catalogue edits,
``QuerySet.update()``.

Never cached: signed-in visitors (any session cookie), pending messages, query strings other
than the offering list's grouping, non-200 answers. The CSRF token of the language form is a
marker in the cached copy, replaced by the visitor's own token on the way out, so no visitor's
token is ever served to another.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from kernel.oncommit import on_commit_batched
from kernel.tenancy import connection

VERSION_KEY = "public-pages:version"
CSRF_MARKER = "mpp-csrf-token-placeholder"
_CACHEABLE_QUERY = {"", "per=peristiwa", "per=instansi"}


def seconds() -> int:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0))


def pages_invalidate() -> None:
    """Make every cached public page of the current region stale now."""
    cache.set(VERSION_KEY, time.time_ns(), None)


@dataclass(frozen=True)
class Lookup:
    key: str
    version: int
    html: str | None  # the cached copy, when it is of the current version


def lookup(request: HttpRequest) -> Lookup | None:
    """This request's page in the cache (one round trip: the version and the copy together),
    or None when the page must be rendered for this visitor alone."""
    if not seconds() or request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    query = request.META.get("QUERY_STRING", "")
    if query not in _CACHEABLE_QUERY:
        return None
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    key = f"public-pages:{language}:{request.path}?{query}"
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
    stored = found.get(key)
    html = stored[1] if isinstance(stored, tuple) and stored[0] == version else None
    return Lookup(key=key, version=version, html=html)


def serve(request: HttpRequest, hit: Lookup) -> HttpResponse:
    assert hit.html is not None
    return HttpResponse(hit.html.replace(CSRF_MARKER, get_token(request)))


def store(request: HttpRequest, hit: Lookup, response: HttpResponse) -> None:
    """Post-render: keep the copy (with the marker) under the version it was rendered at (a
    change committed meanwhile makes it stale at once), give this visitor their own token."""
    if response.status_code != 200:
        return
    html = response.content.decode()
    cache.set(hit.key, (hit.version, html), seconds())
    if CSRF_MARKER in html:
        response.content = html.replace(CSRF_MARKER, get_token(request)).encode()


def pages_changed(**_kwargs) -> None:
    """A table the public pages read changed: once committed, this region's copies are stale
    (one bump per transaction, however many rows it changed)."""
    schema = connection.schema_name
    if schema == "public":
        return

    def _bump(_items: set) -> None:
        from django_tenants.utils import schema_context

        with schema_context(schema):
            pages_invalidate()

    on_commit_batched(("page-cache", schema), (), _bump)


def connect_signals(models) -> None:
    for model in models:
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(pages_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(pages_changed, sender=model, dispatch_uid=uid + "-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                pages_changed, sender=field.remote_field.through, dispatch_uid=uid + field.name
            )
