"""A region's site (``<slug>.<base domain>``, the region's schema)."""

from django.urls import include, path

from mpp_platform import regional_views
from mpp_platform.urls_common import urlpatterns as common

api_v1 = [
    path("", include("shared.accounts.api.urls_regional")),
]

urlpatterns = [
    path("", regional_views.home, name="home"),
    path("api/v1/", include(api_v1)),
    *common,
]
