from django.urls import path

from tenants.complaints.api import views

urlpatterns = [
    # citizen (signed in)
    path("complaints/", views.ComplaintListAPIView.as_view(), name="api-complaints"),
    path("complaints/figures/", views.FiguresAPIView.as_view(), name="api-complaints-figures"),
    path("complaints/kiosk/", views.KioskFileAPIView.as_view(), name="api-complaints-kiosk"),
    path("complaints/track/", views.TrackAPIView.as_view(), name="api-complaints-track"),
    *[
        path(
            f"complaints/track/{action}/",
            views.TrackActionAPIView.as_view(action_name=action),
            name=f"api-complaints-track-{action}",
        )
        for action in ("messages", "reopen", "rating")
    ],
    path(
        "complaints/<int:complaint_id>/",
        views.ComplaintDetailAPIView.as_view(),
        name="api-complaint",
    ),
    *[
        path(
            f"complaints/<int:complaint_id>/{action}/",
            views.CitizenActionAPIView.as_view(action_name=action),
            name=f"api-complaint-{action}",
        )
        for action in ("messages", "reopen", "rating")
    ],
    path(
        "complaints/<int:complaint_id>/attachments/<int:attachment_id>/",
        views.CitizenAttachmentAPIView.as_view(),
        name="api-complaint-attachment",
    ),
    # complaint staff
    path("staff/complaints/", views.StaffListAPIView.as_view(), name="api-staff-complaints"),
    path(
        "staff/complaints/export/",
        views.StaffExportAPIView.as_view(),
        name="api-staff-complaints-export",
    ),
    path(
        "staff/complaints/<int:complaint_id>/",
        views.StaffDetailAPIView.as_view(),
        name="api-staff-complaint",
    ),
    *[
        path(
            f"staff/complaints/<int:complaint_id>/{action}/",
            views.StaffActionAPIView.as_view(action_name=action),
            name=f"api-staff-complaint-{action}",
        )
        for action in ("route", "not-complaint", "forward", "close", "messages", "notes")
    ],
    path(
        "staff/complaints/<int:complaint_id>/attachments/<int:attachment_id>/",
        views.StaffAttachmentAPIView.as_view(),
        name="api-staff-complaint-attachment",
    ),
]
