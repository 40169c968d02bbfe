"""A region's site (``<slug>.<base domain>``, the region's schema)."""

from django.urls import include, path

from mpp_platform.urls_common import urlpatterns as common
from shared.monitoring.api import urls as monitoring_api
from tenants.mpp.views import public as mpp_public

api_v1 = [
    path("", include("shared.accounts.api.urls_regional")),
    path("", include("shared.catalogue.api.urls")),
    path("", include("shared.citizens.api.urls")),
    path("", include("shared.complaints.api.urls")),
    path("", include("shared.webhooks.api.urls_regional")),
    path("", include("shared.messaging.api.urls_account")),
    path("", include("tenants.mpp.api.urls")),
    path("", include("tenants.applications.api.urls")),
    path("", include("tenants.queue.api.urls")),
    path("", include("tenants.complaints.api.urls")),
    path("", include(monitoring_api.regional)),
]

urlpatterns = [
    path("", mpp_public.HomeView.as_view(), name="home"),  # the MPP's public home page
    path("api/v1/", include(api_v1)),
    path("warga/pengaduan/", include("shared.complaints.urls")),
    path("warga/", include("shared.citizens.urls")),
    path("antrean/", include("tenants.queue.urls")),
    path("", include("tenants.complaints.urls")),
    path("survei/", include("tenants.survey.urls")),
    path("", include("shared.monitoring.urls_regional")),
    path("", include("tenants.applications.urls")),
    path("", include("tenants.mpp.urls")),
    *common,
]

# The database unreachable: 503 with "try again", never a traceback (mpp_platform/outage.py).
handler500 = "mpp_platform.outage.server_error"
