"""The citizen's pages, on the national site and every region's site (``/warga/``)."""

from django.urls import path

from shared.citizens import views, views_identity

app_name = "citizens"

urlpatterns = [
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path(
        "profil/kirim-verifikasi/",
        views.ResendVerificationView.as_view(),
        name="resend_verification",
    ),
    path("wilayah/", views.wilayah_options, name="wilayah_options"),
    path("dokumen/", views.VaultView.as_view(), name="vault"),
    path("dokumen/<int:document_id>/berkas/", views.DocumentFileView.as_view(), name="file"),
    path(
        "dokumen/<int:document_id>/hapus/",
        views.DocumentArchiveView.as_view(),
        name="document_archive",
    ),
    path("permohonan/", views.MyApplicationsView.as_view(), name="applications"),
    path("permohonan/klaim/", views.ClaimView.as_view(), name="claim"),
    path("akses-data/", views.AccessLogView.as_view(), name="access_log"),
    path("profil/hp/", views_identity.PhoneVerifyView.as_view(), name="phone_verify"),
    path("profil/nik/dukcapil/", views_identity.NikDukcapilView.as_view(), name="nik_dukcapil"),
    path("profil/nik/sengketa/", views_identity.NikDisputeView.as_view(), name="nik_dispute"),
    path("data-saya/", views_identity.MyDataView.as_view(), name="my_data"),
    path("data-saya/unduh/", views_identity.DataExportView.as_view(), name="data_export"),
]
