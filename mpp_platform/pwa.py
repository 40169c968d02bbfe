"""The installable citizen app: the service worker (served from the site's root so that it may
control every page of the host) and the offline page it falls back to. Same on every host."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from shared.access.pages import public_view
from shared.access.policy import Host

# Bump when the list of files the worker keeps changes; old caches are dropped on activation.
CACHE_VERSION = "2"


@public_view(host=Host.ANY)
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pwa/sw.js",
        {"version": CACHE_VERSION, "static_prefix": settings.STATIC_URL},
        content_type="text/javascript",
    )


@public_view(host=Host.ANY)
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "pwa/offline.html")
