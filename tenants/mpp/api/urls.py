"""``/api/v1/mpp/…`` on a region's host (included by ``mpp_platform.urls_regional``)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tenants.mpp.api import views

public_router = SimpleRouter()
public_router.register("offerings", views.PublicOfferingViewSet, basename="mpp-public-offering")

admin_router = SimpleRouter()
admin_router.register("booths", views.BoothViewSet, basename="mpp-booth")
admin_router.register("closures", views.ClosureViewSet, basename="mpp-closure")
admin_router.register("offerings", views.OfferingViewSet, basename="mpp-offering")
admin_router.register("local-services", views.LocalServiceViewSet, basename="mpp-local-service")
admin_router.register("counters", views.CounterViewSet, basename="mpp-counter")
admin_router.register("staff", views.StaffViewSet, basename="mpp-staff")
admin_router.register("announcements", views.AnnouncementViewSet, basename="mpp-announcement")

app_name = "mpp_api"

urlpatterns = [
    path("mpp/status/", views.PublicStatusView.as_view(), name="status"),
    path("mpp/booths/", views.PublicBoothListView.as_view(), name="booths"),
    path("mpp/info/", views.PublicInfoView.as_view(), name="info"),
    path("mpp/", include(public_router.urls)),
    path("mpp/admin/hours/", views.MppHoursView.as_view(), name="hours"),
    path("mpp/admin/info/", views.GeneralInfoView.as_view(), name="admin-info"),
    path("mpp/admin/catalogue/", views.NationalCatalogueView.as_view(), name="catalogue"),
    path("mpp/admin/", include(admin_router.urls)),
]
