"""Application pages on a region's site."""

from django.urls import path

from tenants.applications.views import admin, citizen, counter, staff

app_name = "applications"

urlpatterns = [
    # citizens
    path("permohonan/layanan/", citizen.OnlineOfferingsView.as_view(), name="offerings"),
    path(
        "permohonan/baru/<int:offering_id>/",
        citizen.StartApplicationView.as_view(),
        name="start",
    ),
    path(
        "permohonan/<int:application_id>/", citizen.ApplicationDetailView.as_view(), name="detail"
    ),
    path(
        "permohonan/<int:application_id>/ubah/", citizen.EditApplicationView.as_view(), name="edit"
    ),
    path(
        "permohonan/<int:application_id>/tanda-terima/",
        citizen.ReceiptView.as_view(),
        name="receipt",
    ),
    path(
        "permohonan/<int:application_id>/berkas/<int:file_id>/",
        citizen.ApplicationFileView.as_view(),
        name="file",
    ),
    path("verifikasi/<uuid:token>/", citizen.VerifyView.as_view(), name="verify"),
    # staff
    path("petugas/permohonan/", staff.WorklistView.as_view(), name="worklist"),
    path(
        "petugas/permohonan/<int:application_id>/",
        staff.StaffApplicationView.as_view(),
        name="staff_detail",
    ),
    path(
        "petugas/permohonan/<int:application_id>/aksi/<slug:action>/",
        staff.StaffActionView.as_view(),
        name="staff_action",
    ),
    path(
        "petugas/permohonan/<int:application_id>/dokumen/<int:requirement_id>/",
        staff.StaffDocumentView.as_view(),
        name="staff_document",
    ),
    path(
        "petugas/permohonan/<int:application_id>/berkas/<int:file_id>/",
        staff.StaffFileView.as_view(),
        name="staff_file",
    ),
    # assisted channel (counter)
    path("petugas/loket/", counter.CounterView.as_view(), name="counter"),
    path(
        "petugas/loket/warga/<int:profile_id>/",
        counter.CounterCitizenView.as_view(),
        name="counter_citizen",
    ),
    path(
        "petugas/loket/warga/<int:profile_id>/persetujuan/",
        counter.CounterConsentView.as_view(),
        name="counter_consent",
    ),
    path(
        "petugas/loket/warga/<int:profile_id>/sengketa/",
        counter.CounterDisputeView.as_view(),
        name="counter_dispute",
    ),
    path(
        "petugas/loket/warga/<int:profile_id>/ajukan/<int:offering_id>/",
        counter.AssistedStartView.as_view(),
        name="counter_start",
    ),
    path(
        "petugas/loket/permohonan/<int:application_id>/",
        counter.AssistedEditView.as_view(),
        name="counter_edit",
    ),
    path(
        "petugas/loket/permohonan/<int:application_id>/tanda-terima/",
        counter.AssistedReceiptView.as_view(),
        name="counter_receipt",
    ),
    # region admin
    path("petugas/formulir/", admin.FormDefinitionListView.as_view(), name="admin_forms"),
    path(
        "petugas/formulir/<int:offering_id>/",
        admin.FormDefinitionEditView.as_view(),
        name="admin_form",
    ),
    path("petugas/kotak-keluar/", admin.OutboxView.as_view(), name="admin_outbox"),
]
