"""URLs served on every host: health, accounts, language, API schema and docs.

Third-party views are wrapped in the public gate here, so that every route of both URL
configurations declares its audience (the isolation test walks them all)."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularSwaggerSplitView

from kernel import health
from mpp_platform import pwa
from mpp_platform.api_schema import HostSchemaView
from shared.access.pages import public_view
from shared.access.policy import Host

everyone = public_view(host=Host.ANY)

urlpatterns = [
    path("healthz", everyone(health.healthz), name="healthz"),
    path("readyz", everyone(health.readyz), name="readyz"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("luring/", pwa.offline, name="offline"),
    path("akun/", include("shared.accounts.urls")),
    path("i18n/setlang/", everyone(set_language), name="set_language"),
    path("jsi18n/", everyone(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("api/schema/", everyone(HostSchemaView.as_view()), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path(
        "api/docs/",
        everyone(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
