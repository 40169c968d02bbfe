from django.urls import path

from onboarding.api import views

urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="api-onboarding-regions"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="api-onboarding-region"),
    path(
        "regions/<str:code>/documents/",
        views.DocumentUploadView.as_view(),
        name="api-onboarding-documents",
    ),
    path(
        "regions/<str:code>/readiness/",
        views.ReadinessView.as_view(),
        name="api-onboarding-readiness",
    ),
    path(
        "regions/<str:code>/progress/",
        views.ProgressView.as_view(),
        name="api-onboarding-progress",
    ),
    path(
        "regions/<str:code>/timeline/",
        views.TimelineView.as_view(),
        name="api-onboarding-timeline",
    ),
    path(
        "regions/<str:code>/<slug:action>/",
        views.RegionActionView.as_view(),
        name="api-onboarding-action",
    ),
    path("indicators/", views.IndicatorListView.as_view(), name="api-onboarding-indicators"),
    path(
        "indicators/<int:pk>/",
        views.IndicatorDetailView.as_view(),
        name="api-onboarding-indicator",
    ),
    path("bulk/", views.BulkView.as_view(), name="api-onboarding-bulk"),
    path("bulk/<int:pk>/", views.BatchView.as_view(), name="api-onboarding-batch"),
]
