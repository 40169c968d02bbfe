"""``/api/v1/catalogue/``: included on the national host and on every region's host."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from shared.catalogue.api import views

router = SimpleRouter()
router.register("services", views.ServiceViewSet, basename="catalogue-service")
router.register("agencies", views.AgencyViewSet, basename="catalogue-agency")
router.register("document-types", views.DocumentTypeViewSet, basename="catalogue-document-type")
router.register("categories", views.CategoryViewSet, basename="catalogue-category")
router.register("life-events", views.LifeEventViewSet, basename="catalogue-life-event")

urlpatterns = [
    path("catalogue/search/", views.ServiceSearchView.as_view(), name="catalogue-search"),
    path("catalogue/export.json", views.ExportJSONView.as_view(), name="catalogue-export-json"),
    path("catalogue/export.csv", views.ExportCSVView.as_view(), name="catalogue-export-csv"),
    path("catalogue/import/", views.ImportView.as_view(), name="catalogue-import"),
    path("catalogue/", include(router.urls)),
]
