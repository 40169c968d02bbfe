"""Pages of the SKM on a region's host, under ``/survei/`` (namespace ``survey``)."""

from django.urls import path

from tenants.survey.views import console, public, respond, tablet

app_name = "survey"

urlpatterns = [
    path("", public.PublicIndexView.as_view(), name="public"),
    path("isi/<str:token>/", respond.RespondView.as_view(), name="respond"),
    path("isi/<str:token>/terima-kasih/", respond.ThanksView.as_view(), name="thanks"),
    path("tablet/", tablet.TabletView.as_view(), name="tablet"),
    path("kelola/", console.ReportView.as_view(), name="report"),
    path("kelola/laporan.csv", console.ReportCsvView.as_view(), name="report_csv"),
    path("kelola/laporan.pdf", console.ReportPdfView.as_view(), name="report_pdf"),
    path("kelola/tren/", console.TrendsView.as_view(), name="trends"),
    path("kelola/pengaturan/", console.SettingsView.as_view(), name="settings"),
    path("kelola/tindak-lanjut/", console.FollowUpAddView.as_view(), name="follow_up_add"),
    path(
        "kelola/tindak-lanjut/<int:pk>/hapus/",
        console.FollowUpDeleteView.as_view(),
        name="follow_up_delete",
    ),
]
