from django.urls import path

from tenants.applications.api import views

urlpatterns = [
    # citizen
    path(
        "applications/offerings/",
        views.OnlineOfferingListAPIView.as_view(),
        name="api-application-offerings",
    ),
    path("applications/", views.ApplicationListAPIView.as_view(), name="api-applications"),
    path(
        "applications/<int:application_id>/",
        views.ApplicationDetailAPIView.as_view(),
        name="api-application",
    ),
    path(
        "applications/<int:application_id>/documents/",
        views.RequirementUploadAPIView.as_view(),
        name="api-application-documents",
    ),
    path(
        "applications/<int:application_id>/submit/",
        views.SubmitAPIView.as_view(),
        name="api-application-submit",
    ),
    path(
        "applications/<int:application_id>/receipt/",
        views.ReceiptAPIView.as_view(),
        name="api-application-receipt",
    ),
    path(
        "applications/verify/<uuid:token>/",
        views.PublicStatusAPIView.as_view(),
        name="api-application-verify",
    ),
    # staff
    path("staff/applications/", views.WorklistAPIView.as_view(), name="api-staff-applications"),
    path(
        "staff/applications/<int:application_id>/",
        views.StaffApplicationAPIView.as_view(),
        name="api-staff-application",
    ),
    *[
        path(
            f"staff/applications/<int:application_id>/{action}/",
            views.StaffActionAPIView.as_view(action_name=action),
            name=f"api-staff-application-{action}",
        )
        for action in ("verify", "return", "process", "complete", "reject")
    ],
    path("staff/counter/search/", views.CounterSearchAPIView.as_view(), name="api-counter-search"),
    path(
        "staff/counter/consent/send/",
        views.CounterConsentSendAPIView.as_view(),
        name="api-counter-consent-send",
    ),
    path(
        "staff/counter/consent/code/",
        views.CounterConsentCodeAPIView.as_view(),
        name="api-counter-consent-code",
    ),
    path(
        "staff/counter/consent/ktp/",
        views.CounterConsentKtpAPIView.as_view(),
        name="api-counter-consent-ktp",
    ),
    path(
        "staff/counter/citizens/<int:profile_id>/",
        views.CounterCitizenAPIView.as_view(),
        name="api-counter-citizen",
    ),
    path(
        "staff/counter/citizens/",
        views.CounterRegisterAPIView.as_view(),
        name="api-counter-citizens",
    ),
    path(
        "staff/counter/applications/",
        views.AssistedApplicationAPIView.as_view(),
        name="api-counter-applications",
    ),
    path(
        "staff/counter/applications/<int:application_id>/submit/",
        views.AssistedSubmitAPIView.as_view(),
        name="api-counter-submit",
    ),
    # region admin
    path(
        "admin/offerings/<int:offering_id>/form-fields/",
        views.FormDefinitionAPIView.as_view(),
        name="api-admin-form-fields",
    ),
    path("admin/outbox/", views.OutboxAPIView.as_view(), name="api-admin-outbox"),
]
