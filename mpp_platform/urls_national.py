"""The national site (the bare base domain, schema ``public``)."""

from django.contrib import admin
from django.urls import include, path

from mpp_platform import national_views
from mpp_platform.urls_common import urlpatterns as common

# Route families that keep their own gate instead of an audience's, with the reason. The isolation
# test (tests/test_isolation.py) accepts no other route without an audience.
DANGEROUSLY_OWN_GATE = {
    "admin": (
        "Django admin: AdminSite.has_permission admits active is_staff users (superadmins and "
        "catalogue managers, who are not an audience of their own) and checks each model's "
        "permissions; it is served on the national site only"
    ),
}

api_v1 = [
    path("", include("shared.accounts.api.urls_national")),
    path("onboarding/", include("onboarding.api.urls")),
    path("", include("shared.catalogue.api.urls")),
    path("", include("shared.citizens.api.urls")),
    path("", include("shared.webhooks.api.urls_national")),
    path("", include("shared.messaging.api.urls")),
    path("", include("shared.messaging.api.urls_account")),
]

urlpatterns = [
    path("", national_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("onboarding/", include("onboarding.urls")),
    path("", include("shared.catalogue.urls")),
    path("warga/", include("shared.citizens.urls")),
    *common,
]
