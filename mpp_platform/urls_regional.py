"""A region's site (``<slug>.<base domain>``, the region's schema)."""

from django.urls import include, path

from mpp_platform.urls_common import urlpatterns as common
from tenants.mpp.views import public as mpp_public

api_v1 = [
    path("", include("shared.accounts.api.urls_regional")),
    path("", include("shared.catalogue.api.urls")),
    path("", include("shared.citizens.api.urls")),
    path("", include("shared.webhooks.api.urls_regional")),
    path("", include("shared.messaging.api.urls_account")),
    path("", include("tenants.mpp.api.urls")),
    path("", include("tenants.applications.api.urls")),
    path("", include("tenants.queue.api.urls")),
]

urlpatterns = [
    path("", mpp_public.HomeView.as_view(), name="home"),  # the MPP's public home page
    path("api/v1/", include(api_v1)),
    path("warga/", include("shared.citizens.urls")),
    path("antrean/", include("tenants.queue.urls")),
    path("", include("tenants.applications.urls")),
    path("", include("tenants.mpp.urls")),
    *common,
]
