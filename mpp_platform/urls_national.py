"""The national site (the bare base domain, schema ``public``)."""

from django.contrib import admin
from django.urls import include, path

from mpp_platform import national_views
from mpp_platform.urls_common import urlpatterns as common
from shared.access.pages import public_view
from shared.access.policy import Host
from shared.accounts.views import admin_sign_in
from shared.monitoring.api import urls as monitoring_api

# Route families that keep their own gate instead of an audience's, with the reason. The isolation
# test (tests/test_isolation.py) accepts no other route without an audience.
DANGEROUSLY_OWN_GATE = {
    "admin": (
        "Django admin: AdminSite.has_permission admits active is_staff users (superadmins and "
        "catalogue managers, who are not an audience of their own) and checks each model's "
        "permissions (django-otp's OTPAdminSite: only with the second factor passed); it is "
        "served on the national site only"
    ),
}

api_v1 = [
    path("", include("shared.accounts.api.urls_national")),
    path("onboarding/", include("onboarding.api.urls")),
    path("", include("shared.catalogue.api.urls")),
    path("", include("shared.citizens.api.urls")),
    path("", include("shared.complaints.api.urls")),
    path("", include(monitoring_api.national)),
    path("", include("shared.webhooks.api.urls_national")),
    path("", include("shared.messaging.api.urls")),
    path("", include("shared.messaging.api.urls_account")),
]

urlpatterns = [
    path("", national_views.home, name="home"),
    # One sign-in page for the admin too: throttled, with the second factor.
    path("admin/login/", public_view(host=Host.NATIONAL)(admin_sign_in), name="admin-sign-in"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("onboarding/", include("onboarding.urls")),
    path("", include("shared.catalogue.urls")),
    path("warga/pengaduan/", include("shared.complaints.urls")),
    path("warga/", include("shared.citizens.urls")),
    path("", include("shared.monitoring.urls_national")),
    *common,
]

# The database unreachable: 503 with "try again", never a traceback (mpp_platform/outage.py).
handler500 = "mpp_platform.outage.server_error"
