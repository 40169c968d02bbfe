"""The onboarding console on the national site (superadmins only)."""

from django.urls import path

from onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", views.BoardView.as_view(), name="board"),
    path("daerah/<str:code>/", views.RegionView.as_view(), name="region"),
    path("daerah/<str:code>/komitmen/", views.CommitView.as_view(), name="commit"),
    path("daerah/<str:code>/dokumen/", views.DocumentUploadView.as_view(), name="upload"),
    path("daerah/<str:code>/kesiapan/", views.ReadinessView.as_view(), name="readiness"),
    path("daerah/<str:code>/<slug:slug>/", views.ActionView.as_view(), name="action"),
    path("dokumen/<int:pk>/", views.DocumentDownloadView.as_view(), name="document"),
    path("massal/", views.BulkUploadView.as_view(), name="bulk"),
    path("massal/templat.csv", views.BulkTemplateView.as_view(), name="bulk_template"),
    path("massal/<int:pk>/", views.BatchView.as_view(), name="batch"),
    path("indikator/", views.IndicatorListView.as_view(), name="indicators"),
    path("indikator/<int:pk>/", views.IndicatorEditView.as_view(), name="indicator"),
]
