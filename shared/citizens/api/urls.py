from django.urls import path

from shared.citizens.api import views

urlpatterns = [
    path("citizen/sign-up/", views.SignUpAPIView.as_view(), name="api-citizen-sign-up"),
    path("citizen/verify-email/", views.VerifyEmailAPIView.as_view(), name="api-citizen-verify"),
    path("citizen/profile/", views.ProfileAPIView.as_view(), name="api-citizen-profile"),
    path("citizen/documents/", views.DocumentListAPIView.as_view(), name="api-citizen-documents"),
    path(
        "citizen/documents/<int:document_id>/",
        views.DocumentDetailAPIView.as_view(),
        name="api-citizen-document",
    ),
    path(
        "citizen/documents/<int:document_id>/file/",
        views.DocumentFileAPIView.as_view(),
        name="api-citizen-document-file",
    ),
    path(
        "citizen/applications/",
        views.MyApplicationsAPIView.as_view(),
        name="api-citizen-applications",
    ),
    path("citizen/applications/claim/", views.ClaimAPIView.as_view(), name="api-citizen-claim"),
    path("citizen/access-log/", views.AccessLogAPIView.as_view(), name="api-citizen-access-log"),
]
