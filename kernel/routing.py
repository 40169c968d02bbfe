"""Host → schema routing.

The bare ``MPP_BASE_DOMAIN`` is the national site (schema ``public``); ``<slug>.<base>`` is a
live or suspended region's site. Anything else gets a friendly 404 page, never the national site.

The lookup is cached per process so that a warm process spends no query on it; the cache is
cleared in this process whenever an MPP or domain changes, and entries expire so that other
processes follow.
"""

import threading
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import set_urlconf
from django.utils import timezone
from django_tenants.utils import get_tenant_domain_model

from kernel.tenancy import connection, region_request

NATIONAL = "national"
ACCESS_LOG_SCHEMA = "mpp.schema"  # gunicorn.conf.py logs it as %({mpp.schema}e)s
_CACHE_SECONDS = 30
_cache: dict[str, tuple[float, object | None]] = {}
_lock = threading.Lock()

# Paths answered on any host: load balancers and Kubernetes probe pods by IP.
_ANY_HOST_PATHS = ("/healthz", "/readyz")


def clear_routing_cache() -> None:
    with _lock:
        _cache.clear()


def _lookup_tenant(hostname: str):
    """Return the tenant for a region host, or None. Cached; misses are cached too."""
    now = time.monotonic()
    hit = _cache.get(hostname)
    if hit is not None and hit[0] > now:
        return hit[1]
    domain = (
        get_tenant_domain_model()
        .objects.select_related("tenant", "tenant__region", "tenant__region__province")
        .filter(domain=hostname)
        .first()
    )
    tenant = domain.tenant if domain else None
    with _lock:
        _cache[hostname] = (now + _CACHE_SECONDS, tenant)
    return tenant


def host_kind(hostname: str) -> str | None:
    """NATIONAL, a region hostname, or None when the host belongs to no site of ours."""
    base = settings.MPP_BASE_DOMAIN
    if hostname == base:
        return NATIONAL
    if hostname.endswith("." + base) and hostname.count(".") == base.count(".") + 1:
        return hostname
    return None


class RegionRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, http_request: HttpRequest) -> HttpResponse:
        request = region_request(http_request)
        connection.set_schema_to_public()
        request.tenant = None
        request.region = None
        if request.path in _ANY_HOST_PATHS:
            # Probes come by pod IP: answer them here, before anything validates the host.
            from kernel import health

            return health.healthz(request) if request.path == "/healthz" else health.readyz(request)
        hostname = request.get_host().split(":")[0].lower().rstrip(".")
        kind = host_kind(hostname)
        if kind == NATIONAL:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
        elif (
            kind is not None
            and (tenant := _lookup_tenant(hostname)) is not None
            and (
                tenant.status != tenant.Status.PROVISIONING  # not served until provisioning is done
            )
        ):
            connection.set_tenant(tenant)
            request.tenant = tenant
            request.region = tenant.region
            request.urlconf = settings.ROOT_URLCONF
        else:
            return unknown_site(request, hostname)
        # The WSGI environ is the server's own dict: gunicorn's access log prints this field.
        getattr(request, "environ", {})[ACCESS_LOG_SCHEMA] = connection.schema_name
        set_urlconf(request.urlconf)
        if request.region is not None:
            # Every page and answer of a region's site is in its own time zone (WIB/WITA/WIT):
            # dates shown, and dates and times typed into forms.
            timezone.activate(request.region.time_zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
            # Never let a pooled connection keep a region's search_path into the next request.
            connection.set_schema_to_public()


def unknown_site(request: HttpRequest, hostname: str) -> HttpResponse:
    # No site here: the page links only to the national site, with absolute URLs.
    region_request(request).unknown_site = True
    return render(
        request,
        "errors/unknown_site.html",
        {"hostname": hostname, "national_url": national_url("/")},
        status=404,
    )


def national_url(path: str = "/") -> str:
    """Absolute URL on the national site."""
    port = f":{settings.MPP_PUBLIC_PORT}" if settings.MPP_PUBLIC_PORT else ""
    return f"{settings.MPP_PUBLIC_SCHEME}://{settings.MPP_BASE_DOMAIN}{port}{path}"


def region_hostname(slug: str) -> str:
    """The host name of a region's site: ``<slug>.<MPP_BASE_DOMAIN>``."""
    return f"{slug}.{settings.MPP_BASE_DOMAIN}"


def region_url(slug: str, path: str = "/") -> str:
    """Absolute URL on a region's site: the one helper that builds them (STYLE.md); a region
    says it as ``region.site_url(path)``."""
    port = f":{settings.MPP_PUBLIC_PORT}" if settings.MPP_PUBLIC_PORT else ""
    return f"{settings.MPP_PUBLIC_SCHEME}://{region_hostname(slug)}{port}{path}"
